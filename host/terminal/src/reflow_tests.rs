//! Reflow seen from outside: what a shell's user sees after resizing.

use crate::Terminal;

fn term(cols: u16, rows: u16, input: &str) -> Terminal {
    let mut t = Terminal::new(cols, rows, 1000);
    t.advance(input.as_bytes());
    t
}

fn cursor(t: &Terminal) -> (u16, u16) {
    (t.cursor().col, t.cursor().row)
}

fn text(row: &[crate::Cell]) -> String {
    let mut s = String::new();
    for c in row {
        c.push_text(&mut s);
    }
    s.trim_end().to_string()
}

/// Every row, history first, with whether it wraps.
fn rows(t: &Terminal) -> Vec<(String, bool)> {
    let mut out: Vec<_> =
        (0..t.scrollback_len()).map(|i| (text(&t.scrollback_row(i)), t.scrollback_row_wrapped(i))).collect();
    out.extend((0..t.rows()).map(|y| (text(t.row(y)), t.row_wrapped(y))));
    out
}

/// The cell under the cursor.
fn under_cursor(t: &Terminal) -> char {
    t.row(t.cursor().row)[usize::from(t.cursor().col)].ch
}

fn digits(n: usize) -> String {
    (0..n).map(|i| char::from(b'0' + (i % 10) as u8)).collect()
}

#[test]
fn a_long_line_shrunk_and_widened_is_one_row_again() {
    let line = digits(100);
    let mut t = term(120, 10, &format!("{line}\r\n$ "));
    t.resize(60, 10);
    assert_eq!(t.dump_text(false), format!("{}\n{}\n$", &line[..60], &line[60..]));
    assert!(t.row_wrapped(0) && !t.row_wrapped(1));
    assert_eq!(cursor(&t), (2, 2));
    t.resize(120, 10);
    assert_eq!(t.dump_text(false), format!("{line}\n$"), "joined again, nothing lost");
    assert!(!t.row_wrapped(0));
    assert_eq!(cursor(&t), (2, 1));
}

#[test]
fn lines_in_history_rejoin_when_widened() {
    // A full screen: the shell's prompt on the last row.
    let mut t = term(20, 3, &format!("{}\r\nshort\r\n{}\r\nend\r\n$ ", digits(30), digits(20)));
    let before = rows(&t);
    assert_eq!(t.scrollback_len(), 3);
    t.resize(10, 3);
    let d = digits(10);
    assert_eq!(t.dump_text(true), [&d, &d, &d, "short", &d, &d, "end", "$"].join("\n"));
    assert_eq!(cursor(&t), (2, 2), "the prompt stays on the last row");
    t.resize(20, 3);
    assert_eq!(rows(&t), before, "history rows come back as they were");
    assert_eq!(cursor(&t), (2, 2));
    // Wider than any line: the wrapped line is one row, in history.
    t.resize(40, 3);
    assert_eq!(text(&t.scrollback_row(0)), digits(30));
    assert!(!t.scrollback_row_wrapped(0));
    assert_eq!(t.dump_text(true), format!("{}\nshort\n{}\nend\n$", digits(30), digits(20)));
}

#[test]
fn the_cursor_stays_on_its_character() {
    // The cursor on the 'q' of a wrapped line, moved there by the program.
    let mut t = term(10, 5, "abcdefghijklmnopqrstuvwxyz\x1b[2;7H");
    assert_eq!(under_cursor(&t), 'q');
    // At 4 columns the text under the cursor pushes the top into history.
    for (cols, want) in [(4, (0, 2)), (7, (2, 1)), (30, (16, 0)), (10, (6, 1))] {
        t.resize(cols, 5);
        assert_eq!(under_cursor(&t), 'q', "at {cols} columns");
        assert_eq!(cursor(&t), want, "at {cols} columns");
    }
    // After a prompt's trailing space the cursor keeps its distance.
    let mut t = term(10, 3, "abcdefghij$ ");
    assert_eq!(cursor(&t), (2, 1));
    t.resize(20, 3);
    assert_eq!((t.dump_text(false).as_str(), cursor(&t)), ("abcdefghij$", (12, 0)));
    t.resize(5, 3);
    assert_eq!(cursor(&t), (2, 2));
    // A pending wrap at the end of a line stays pending where the line ends.
    let mut t = term(6, 3, "abcdef");
    t.resize(3, 3);
    assert_eq!(cursor(&t), (2, 1));
    t.advance(b"g");
    assert_eq!(t.dump_text(false), "abc\ndef\ng", "the next character still wraps");
}

#[test]
fn wide_characters_are_never_split() {
    // Five wide characters: 10 columns.
    let mut t = term(10, 4, "中文字符号\r\nx");
    for cols in [9, 5, 3, 2, 7, 10] {
        t.resize(cols, 4);
        for y in 0..t.rows() {
            let row = t.row(y);
            for (x, c) in row.iter().enumerate() {
                if c.is_wide() {
                    assert!(row.get(x + 1).is_some_and(|s| s.is_spacer()), "{cols} columns, row {y}: head at {x}");
                }
            }
        }
        let all = rows(&t).into_iter().map(|(s, _)| s.replace(' ', "")).collect::<String>();
        assert_eq!(all, "中文字符号x", "at {cols} columns");
    }
    // At 10 columns again, one row; and no padding became text.
    assert_eq!(t.dump_text(false), "中文字符号\nx");
    let mut t = term(10, 3, "ab中文字符");
    t.resize(5, 3);
    assert_eq!(t.dump_text(false), "ab中\n文字\n符");
    assert_eq!(t.row(1)[4].ch, ' ', "the wide character that did not fit left padding");
    t.resize(10, 3);
    assert_eq!(t.dump_text(false), "ab中文字符", "the padding is not a space in the line");
}

#[test]
fn a_space_before_a_wide_character_at_the_edge_is_kept() {
    // The space filled the last column; the wide character wrapped after it.
    let mut t = term(4, 3, "abc 中");
    assert_eq!(t.dump_text(false), "abc\n中");
    t.resize(10, 3);
    assert_eq!(t.dump_text(false), "abc 中");
}

#[test]
fn rows_that_end_at_the_edge_are_not_joined() {
    let mut t = term(5, 4, "abcde\r\nfghij\r\n$ ");
    assert!(!t.row_wrapped(0));
    t.resize(10, 4);
    assert_eq!(t.dump_text(false), "abcde\nfghij\n$");
    t.resize(3, 4);
    assert_eq!(t.dump_text(true), "abc\nde\nfgh\nij\n$");
    t.resize(5, 4);
    assert_eq!(t.dump_text(true), "abcde\nfghij\n$");
}

#[test]
fn the_alternate_screen_is_not_reflowed_but_the_shell_under_it_is() {
    let mut t = term(10, 3, &format!("{}\r\n$ \x1b[?1049h\x1b[Hfullscreen", digits(15)));
    t.resize(5, 3);
    assert_eq!(t.dump_text(false), "fulls", "the program redraws the alternate screen");
    t.resize(20, 3);
    t.advance(b"\x1b[?1049l");
    assert_eq!(t.dump_text(false), format!("{}\n$", digits(15)));
    assert_eq!(cursor(&t), (2, 1), "the shell's cursor came back with its line");
}

#[test]
fn narrow_then_wide_again_gives_the_same_rows() {
    let mut input = String::new();
    for i in 0..40 {
        input.push_str(&format!("\x1b[3{}m{}\x1b[0m 中{}\r\n", i % 8, digits(i * 7 % 53), "é".repeat(i % 5)));
    }
    input.push_str("$ ");
    for height in [5, 30, 60] {
        let mut t = Terminal::new(40, height, 1000);
        t.advance(input.as_bytes());
        let before = rows(&t);
        let cells: Vec<_> = (0..t.scrollback_len()).map(|i| t.scrollback_row(i)).collect();
        let at = cursor(&t);
        // (One column cannot hold a wide character.)
        for narrow in [39, 23, 11, 2] {
            t.resize(narrow, height);
            t.resize(40, height);
            assert_eq!(rows(&t), before, "40 → {narrow} → 40 columns, {height} rows");
            assert_eq!(cursor(&t), at);
            let again: Vec<_> = (0..t.scrollback_len()).map(|i| t.scrollback_row(i)).collect();
            assert_eq!(again, cells, "styles and marks come back too");
        }
    }
}

#[test]
fn a_half_empty_screen_keeps_its_top_line() {
    let mut t = term(20, 10, &format!("{}\r\nb\r\n$ ", digits(15)));
    t.resize(5, 10);
    assert_eq!(t.scrollback_len(), 0, "the text grows down into the empty rows");
    assert_eq!(t.dump_text(false), "01234\n56789\n01234\nb\n$");
    assert_eq!(cursor(&t), (2, 4));
    t.resize(20, 10);
    assert_eq!(t.dump_text(false), format!("{}\nb\n$", digits(15)));
    assert_eq!(cursor(&t), (2, 2));
}

#[test]
fn text_below_the_cursor_is_kept_when_it_can_be() {
    let mut t = term(10, 4, &format!("top\r\n{}\x1b[2;1H", digits(20)));
    t.resize(5, 4);
    // The long line needs four rows: the top row goes to history.
    assert_eq!(t.dump_text(true), "top\n01234\n56789\n01234\n56789");
    assert_eq!((cursor(&t), under_cursor(&t)), ((0, 0), '0'));
    // With the cursor on the top row there is no room: as when the screen
    // gets shorter, what falls off the bottom is cut.
    let mut t = term(10, 3, &format!("{}\x1b[H", digits(20)));
    t.resize(5, 3);
    assert_eq!(t.dump_text(true), "01234\n56789\n01234");
    assert_eq!(cursor(&t), (0, 0));
}

#[test]
fn the_saved_cursor_stays_on_its_character() {
    let mut t = term(10, 4, "abcdefghijklmno\x1b[2;3H\x1b7\x1b[4;1H");
    t.resize(5, 4);
    t.advance(b"\x1b8X");
    assert_eq!(t.dump_text(true), "abcde\nfghij\nklXno");
}

#[test]
fn a_resize_that_keeps_the_width_leaves_history_alone() {
    let mut t = term(10, 4, &"a long line that wraps\r\n".repeat(10));
    let copy = t.screen_copy(None);
    t.resize(10, 6);
    t.resize(10, 4);
    let again = t.screen_copy_since(None, Some(copy.mark()));
    assert_eq!(
        again.numbering().0,
        copy.numbering().0 + 2,
        "rows taken back by the taller screen: a new epoch as before"
    );
    // A width change that rewrites history rows changes the epoch too.
    let copy = t.screen_copy(None);
    t.resize(7, 4);
    assert_ne!(t.screen_copy(None).numbering().0, copy.numbering().0);
    // History whose lines all fit is left alone: only rows added below.
    let mut t = term(10, 3, "1\r\n2\r\n3\r\n4\r\n5\r\n$ ");
    let copy = t.screen_copy(None);
    t.resize(5, 3);
    t.resize(12, 3);
    let after = t.screen_copy_since(None, Some(copy.mark()));
    assert_eq!(after.numbering().0, copy.numbering().0);
    assert_eq!(after.history_len(), 0);
}

#[test]
fn the_scrollback_limit_holds_after_narrowing() {
    let mut t = Terminal::new(20, 3, 10);
    t.advance(format!("{}\r\n", digits(20)).repeat(12).as_bytes());
    t.resize(5, 3);
    assert_eq!(t.scrollback_len(), 10);
    assert_eq!(t.dump_text(false), "01234\n56789");
}

/// Run by hand: `cargo test --release -p revenant-terminal -- --ignored --nocapture reflow_speed`.
#[test]
#[ignore]
fn reflow_speed() {
    let mut input = Vec::new();
    for i in 0..10_050 {
        input.extend_from_slice(
            format!(
                "\x1b[3{}m{i:>6}\x1b[0m lorem ipsum dolor sit amet, consectetur adipiscing {}\r\n",
                i % 8,
                "x".repeat(i % 50)
            )
            .as_bytes(),
        );
    }
    let mut t = Terminal::new(120, 50, 10_000);
    t.advance(&input);
    assert_eq!(t.scrollback_len(), 10_000);
    for cols in [80, 60, 120, 100, 119] {
        let start = std::time::Instant::now();
        t.resize(cols, 50);
        let took = start.elapsed();
        println!(
            "10 000 lines of history reflowed to {cols} columns in {:.2} ms ({} rows)",
            took.as_secs_f64() * 1e3,
            t.scrollback_len()
        );
    }
    let start = std::time::Instant::now();
    t.resize(119, 40);
    println!("height only: {:.3} ms", start.elapsed().as_secs_f64() * 1e3);
}
