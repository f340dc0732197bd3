//! Control sequences as xterm's documentation (ctlseqs) and vttest's
//! screens have them; where those are unclear, what tmux 3.3a does with
//! the same bytes, or why not.

use crate::Terminal;
use crate::style::Flags;

fn term(cols: u16, rows: u16, bytes: &str) -> Terminal {
    let mut t = Terminal::new(cols, rows, 100);
    t.advance(bytes.as_bytes());
    t
}

#[test]
fn deccolm_clears_the_screen_resets_the_margins_and_homes_the_cursor() {
    for set in ["\x1b[?3h", "\x1b[?3l"] {
        let mut t = term(10, 4, &format!("one\r\ntwo\x1b[2;3r\x1b[3;5H{set}X"));
        assert_eq!(t.dump_text(false), "X", "{set:?}");
        assert_eq!((t.cursor().col, t.cursor().row), (1, 0));
        // The margins are the whole screen again: a line feed at the bottom
        // scrolls everything.
        t.advance(b"\x1b[4;1Hbottom\n");
        assert_eq!(t.scrollback_len(), 1, "{set:?}");
    }
}

#[test]
fn decsca_protects_cells_from_decsed_and_decsel_only() {
    // "keep" protected, "lose" not.
    let t = term(12, 2, "lose\x1b[1\"qkeep\x1b[0\"qlose\x1b[?2K");
    assert_eq!(t.dump_text(false), "    keep");
    assert!(t.row(0)[4].style.flags.contains(Flags::PROTECTED));
    let t = term(12, 2, "\x1b[1\"qkeep\x1b[2\"q\r\nlose\x1b[?2J");
    assert_eq!(t.dump_text(false), "keep");
    // DECSEL from the cursor, and to the cursor.
    let t = term(12, 1, "ab\x1b[1\"qcd\x1b[0\"qef\x1b[1;2H\x1b[?0K");
    assert_eq!(t.dump_text(false), "a cd");
    let t = term(12, 1, "ab\x1b[1\"qcd\x1b[0\"qef\x1b[1;6H\x1b[?1K");
    assert_eq!(t.dump_text(false), "  cd", "up to the cursor, inclusive");
    // ED and EL erase protected cells like any other (xterm).
    let t = term(12, 1, "\x1b[1\"qkeep\x1b[2K");
    assert_eq!(t.dump_text(false), "");
    // A protected wide character goes whole or not at all.
    let t = term(6, 1, "\x1b[1\"q中\x1b[0\"q文\x1b[1;2H\x1b[?K");
    assert_eq!(t.dump_text(false), "中");
}

#[test]
fn rep_repeats_wide_and_combined_characters_as_they_read() {
    let t = term(10, 1, "中\x1b[2b|");
    assert_eq!(t.dump_text(false), "中中中|");
    assert_eq!(t.cursor().col, 7);
    let t = term(10, 1, "e\u{301}\x1b[2b");
    assert_eq!(t.dump_text(false), "e\u{301}e\u{301}e\u{301}");
    assert!(t.row(0)[2].combining.iter().eq(['\u{301}']));
    // A wide character repeated past the edge wraps as printing it would.
    let t = term(5, 2, "中\x1b[2b");
    assert_eq!(t.dump_text(false), "中中\n中");
}

#[test]
fn erase_in_line_at_the_right_margin_with_a_pending_wrap() {
    // xterm (and DEC's VT100): the cursor is on the last column, so EL 0
    // erases that character and cancels the wrap. tmux 3.3a keeps it: its
    // cursor is past the edge. We follow xterm.
    let mut t = term(5, 2, "abcde\x1b[K");
    assert_eq!(t.dump_text(false), "abcd");
    t.advance(b"x");
    assert_eq!(t.dump_text(false), "abcdx", "the wrap was cancelled: x lands on the last column");
    assert!(!t.row_wrapped(0));
}

#[test]
fn a_one_by_one_terminal_takes_anything() {
    let mut t = term(1, 1, "");
    let bytes =
        "abc\r\n中文\u{301}\x1b[5b\x1b[2;2H\x1b[?3h\x1b[L\x1b[M\x1b[@\x1b[P\x1b[S\x1b[T\x1b[10X\x1b[1\"q\x1b[?2J\tz";
    t.advance(bytes.as_bytes());
    assert_eq!((t.cols(), t.rows()), (1, 1));
    assert_eq!(t.dump_text(false), "z");
    for (c, r) in [(1, 1), (2, 1), (1, 2), (80, 24), (1, 1)] {
        t.resize(c, r);
        t.advance(b"\x1b[31mq\x1b[0m\r\n");
        assert_eq!((t.cols(), t.rows()), (c, r));
    }
}
