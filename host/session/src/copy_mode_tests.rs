use super::*;
use crate::pane::Launch;
use crate::selection::{Unit, line, top_line};

fn pane(cols: u16, rows: u16, text: &str) -> Pane<()> {
    let mut pane = Pane::new(1, Launch { cols, rows, ..Launch::default() }, 100, ());
    pane.term.advance(text.as_bytes());
    pane
}

fn run(pane: &mut Pane<()>, actions: &[CopyAction]) -> CopyOutcome {
    let mut last = CopyOutcome::Stay;
    for a in actions {
        last = pane.copy_action(*a);
    }
    last
}

fn at(pane: &Pane<()>) -> (usize, u16) {
    let c = pane.copy.expect("in copy mode").at;
    (c.line, c.col)
}

use CopyAction::*;

fn typed(p: &mut Pane<()>, text: &str) {
    for c in text.chars() {
        p.search_type(crate::input::Key { code: crate::input::KeyCode::Char(c), mods: Default::default() });
    }
}

#[test]
fn the_cursor_starts_at_the_programs_and_moves_by_characters_and_lines() {
    let mut p = pane(20, 4, "one two\r\nthree\r\n$ ");
    p.start_copy();
    assert_eq!(at(&p), (2, 2));
    run(&mut p, &[Up, Up]);
    assert_eq!(at(&p), (0, 2));
    run(&mut p, &[Left, Left, Left]);
    assert_eq!(at(&p), (0, 0), "h stops at the edge");
    run(&mut p, &[LineEnd]);
    assert_eq!(at(&p), (0, 6));
    run(&mut p, &[Down]);
    assert_eq!(at(&p), (1, 4), "on the shorter line, at its end");
    run(&mut p, &[Up]);
    assert_eq!(at(&p), (0, 6), "the column is kept for longer lines");
    run(&mut p, &[Bottom, Top]);
    assert_eq!(at(&p), (0, 0));
}

#[test]
fn words_move_across_punctuation_and_lines() {
    let mut p = pane(20, 4, "ls -la /tmp\r\nfoo.bar baz\r\n");
    p.start_copy();
    run(&mut p, &[Top]);
    let mut seen = vec![];
    for _ in 0..6 {
        run(&mut p, &[WordNext]);
        seen.push(at(&p));
    }
    assert_eq!(seen, [(0, 3), (0, 4), (0, 7), (0, 8), (1, 0), (1, 3)]);
    run(&mut p, &[WordEnd]);
    assert_eq!(at(&p), (1, 6), "e: the end of bar");
    run(&mut p, &[WordBack, WordBack]);
    assert_eq!(at(&p), (1, 3));
    run(&mut p, &[WordBack, WordBack]);
    assert_eq!(at(&p), (0, 8), "b crosses back to /tmp's tmp");
}

#[test]
fn y_copies_from_where_copy_mode_started_and_leaves() {
    let mut p = pane(20, 4, "hello world\r\n");
    p.start_copy();
    run(&mut p, &[Top]);
    assert!(p.selection.is_some(), "entering starts a selection");
    // v again starts it where the cursor went.
    run(&mut p, &[SelectChars, WordNext, WordEnd]);
    assert_eq!(run(&mut p, &[Copy]), CopyOutcome::Copy("hello world".into()));
    assert!(p.copy.is_none() && p.selection.is_none());
}

#[test]
fn lines_and_a_rectangle() {
    let mut p = pane(20, 4, "abcdef\r\nghijkl\r\nmnopqr\r\n");
    p.start_copy();
    run(&mut p, &[Top, Right, SelectLines, Down]);
    assert_eq!(p.selection.unwrap().unit(), Unit::Line);
    assert_eq!(p.selection.unwrap().text(&p.term), "abcdef\nghijkl");
    run(&mut p, &[Top, Right, SelectBlock, Down, Down, Right, Right]);
    // From (0,1) to (2,3): columns 1 to 3 of three rows.
    assert_eq!(run(&mut p, &[Copy]), CopyOutcome::Copy("bcd\nhij\nnop".into()));
}

#[test]
fn a_selection_crosses_a_wrapped_line_as_one_line() {
    let mut p = pane(6, 4, "abcdefgh\r\n");
    p.start_copy();
    run(&mut p, &[Top, SelectChars, LineEnd]);
    assert_eq!(at(&p), (1, 1), "$ goes to the end of the wrapped line");
    assert_eq!(run(&mut p, &[Copy]), CopyOutcome::Copy("abcdefgh".into()));
}

#[test]
fn the_view_follows_the_cursor_through_the_scrollback() {
    let text: String = (0..30).map(|i| format!("line {i}\r\n")).collect();
    let mut p = pane(20, 5, &text);
    p.start_copy();
    let sb = p.term.scrollback_len();
    run(&mut p, &[Top]);
    assert_eq!(p.scroll, sb, "at the top of the scrollback");
    run(&mut p, &[HalfPageDown]);
    assert_eq!(at(&p).0, 2);
    run(&mut p, &[Bottom]);
    assert_eq!(p.scroll, 0);
    run(&mut p, &[PageUp]);
    assert_eq!(p.scroll, 5);
    run(&mut p, &[ViewTop]);
    assert_eq!(at(&p).0, crate::selection::top_line(&p.term, p.scroll));
}

#[test]
fn a_search_moves_the_cursor_to_matches_either_way() {
    let mut p = pane(20, 6, "a foo\r\nb\r\nc foo\r\nd foo\r\n");
    p.start_copy();
    run(&mut p, &[Top]);
    run(&mut p, &[FindForward]);
    assert_eq!(p.copy.unwrap().typing, Some(true));
    typed(&mut p, "foo");
    assert_eq!(p.copy_find(), CopyOutcome::Stay);
    assert_eq!(at(&p), (0, 2));
    run(&mut p, &[FindNext]);
    assert_eq!(at(&p), (2, 2));
    run(&mut p, &[FindPrevious]);
    assert_eq!(at(&p), (0, 2));
    run(&mut p, &[FindPrevious]);
    assert_eq!(at(&p), (3, 2), "wraps around");
    // ? looks up: n goes up too.
    run(&mut p, &[FindBackward]);
    typed(&mut p, "foo");
    assert_eq!(p.copy_find(), CopyOutcome::Stay);
    assert_eq!(at(&p), (2, 2));
    run(&mut p, &[FindNext]);
    assert_eq!(at(&p), (0, 2));
}

#[test]
fn prompts_are_jumped_to_and_esc_leaves_at_the_bottom() {
    let (a, b, c) = ("\x1b]133;A\x07", "\x1b]133;B\x07", "\x1b]133;C\x07");
    let mut p = pane(20, 3, &format!("{a}$ {b}ls\r\n{c}x\r\ny\r\n{a}$ {b}pwd\r\n{c}/\r\n{a}$ "));
    p.start_copy();
    run(&mut p, &[PromptUp]);
    assert_eq!(at(&p).0, 3);
    run(&mut p, &[PromptUp]);
    assert_eq!((at(&p).0, p.scroll), (0, p.term.scrollback_len()));
    run(&mut p, &[PromptDown]);
    assert_eq!(at(&p).0, 3);
    run(&mut p, &[SelectOutput]);
    assert_eq!(p.selection.unwrap().text(&p.term), "/", "pwd's output");
    assert_eq!(run(&mut p, &[Cancel]), CopyOutcome::Leave);
    assert_eq!((p.scroll, p.copy.is_none()), (0, true));
}

#[test]
fn output_while_in_copy_mode_leaves_the_view_cursor_and_selection_on_their_text() {
    // A history of 5 lines: older ones drop as more come.
    let mut p = Pane::new(1, Launch { cols: 20, rows: 3, ..Launch::default() }, 5, ());
    p.term.advance(b"a0\r\na1\r\na2\r\na3\r\na4\r\na5\r\n");
    p.start_copy();
    run(&mut p, &[Up, Up, SelectLines]);
    let text = |p: &Pane<()>| p.selection.unwrap().text(&p.term);
    let shown = |p: &Pane<()>| {
        line(&p.term, top_line(&p.term, p.scroll)).iter().map(|c| c.ch).collect::<String>().trim_end().to_string()
    };
    let (selected, top) = (text(&p), shown(&p));
    // Until a4 itself would drop (a history of 5 holds it until a10).
    for n in 6..11 {
        let before = p.history_before();
        p.term.advance(format!("a{n}\r\n").as_bytes());
        p.follow_history(before);
        assert_eq!(text(&p), selected, "after a{n}");
        assert_eq!(shown(&p), top, "the view stays, after a{n}");
    }
}

#[test]
fn h_and_l_step_over_a_wide_character_whole() {
    let mut p = pane(20, 3, "a漢b\r\n");
    p.start_copy();
    run(&mut p, &[Top, Right]);
    assert_eq!(at(&p), (0, 1));
    run(&mut p, &[Right]);
    assert_eq!(at(&p), (0, 3), "past 漢's right half");
    run(&mut p, &[Left]);
    assert_eq!(at(&p), (0, 1));
}
