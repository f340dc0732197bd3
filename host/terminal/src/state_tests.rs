//! The state's primitives seen from outside: printing and autowrap, wide
//! and combining characters, tabs, cursor motion, scroll regions, saving the
//! cursor and the resets.

use crate::Terminal;
use crate::style::{Color, Style};

fn term(cols: u16, rows: u16, input: &str) -> Terminal {
    let mut t = Terminal::new(cols, rows, 100);
    t.advance(input.as_bytes());
    t
}

fn cursor(t: &Terminal) -> (u16, u16) {
    (t.cursor().col, t.cursor().row)
}

#[test]
fn autowrap_waits_for_the_next_character() {
    let mut t = term(5, 3, "abcde");
    assert_eq!(cursor(&t), (4, 0), "the cursor stays on the last column");
    assert_eq!(t.dump_text(false), "abcde");
    t.advance(b"f");
    assert_eq!(t.dump_text(false), "abcde\nf");
    assert_eq!(cursor(&t), (1, 1));
}

#[test]
fn pending_wrap_is_cancelled_by_cr_and_motion() {
    let t = term(5, 3, "abcde\rX");
    assert_eq!(t.dump_text(false), "Xbcde");
    let t = term(5, 3, "abcde\x1b[DX");
    assert_eq!(t.dump_text(false), "abcXe");
    // A full line followed by CRLF gives no blank line in between.
    let t = term(5, 3, "abcde\r\nfg");
    assert_eq!(t.dump_text(false), "abcde\nfg");
}

#[test]
fn no_autowrap_overwrites_last_column() {
    let t = term(5, 2, "\x1b[?7labcdefg");
    assert_eq!(t.dump_text(false), "abcdg");
    assert_eq!(cursor(&t), (4, 0));
}

#[test]
fn wrapping_at_the_bottom_scrolls() {
    let t = term(3, 2, "abcdefg");
    assert_eq!(t.dump_text(false), "def\ng");
    assert_eq!(t.dump_text(true), "abc\ndef\ng");
}

#[test]
fn wide_characters_take_two_cells() {
    let t = term(6, 2, "a中b");
    let row = t.row(0);
    assert_eq!((row[1].ch, row[1].width), ('中', 2));
    assert_eq!(row[2].width, 0);
    assert_eq!(row[3].ch, 'b');
    assert_eq!(cursor(&t), (4, 0));
    assert_eq!(t.dump_text(false), "a中b");
}

#[test]
fn wide_character_at_last_column_wraps_first() {
    let t = term(4, 2, "abc中");
    assert_eq!(t.row(0)[3].ch, ' ');
    assert_eq!((t.row(1)[0].ch, t.row(1)[0].width, t.row(1)[1].width), ('中', 2, 0));
    assert_eq!(cursor(&t), (2, 1));
    // Exactly filling the line leaves a pending wrap, like a narrow char.
    let t = term(4, 2, "ab中");
    assert_eq!(cursor(&t), (3, 0));
    assert_eq!(t.dump_text(false), "ab中");
}

#[test]
fn overwriting_half_a_wide_char_clears_the_other_half() {
    // Right half.
    let t = term(6, 1, "中文\x1b[2GX");
    assert_eq!(t.dump_text(false), " X文");
    assert_eq!(t.row(0)[0].width, 1);
    // Left half.
    let t = term(6, 1, "中文\x1b[3GX");
    assert_eq!(t.dump_text(false), "中X");
    assert_eq!(t.row(0)[3].width, 1);
    // A wide char straddling another's spacer and the next head.
    let t = term(6, 1, "中文\x1b[2G字");
    assert_eq!(t.dump_text(false), " 字");
    assert_eq!(t.row(0)[3].width, 1);
}

#[test]
fn combining_marks_attach_to_the_previous_cell() {
    let t = term(6, 1, "e\u{301}x");
    assert_eq!(t.row(0)[0].combining.iter().collect::<String>(), "\u{301}");
    assert_eq!(t.row(0)[1].ch, 'x');
    assert_eq!(t.dump_text(false), "e\u{301}x");
    // On a wide char, the mark goes to the head, not the spacer.
    let t = term(6, 1, "中\u{302}");
    assert_eq!(t.row(0)[0].combining.iter().collect::<String>(), "\u{302}");
    // In the last column (pending wrap), to that column's cell.
    let t = term(3, 2, "abc\u{301}");
    assert_eq!(t.dump_text(false), "abc\u{301}");
    // With nothing before it, dropped rather than misplaced.
    let t = term(3, 2, "\u{301}a");
    assert_eq!(t.dump_text(false), "a");
}

#[test]
fn tabs_and_tab_stops() {
    let t = term(20, 1, "a\tb");
    assert_eq!(t.row(0)[8].ch, 'b');
    // TBC 3 clears all, HTS sets one at the cursor.
    let t = term(20, 1, "\x1b[3g\x1b[5G\x1bH\ra\tb");
    assert_eq!(t.row(0)[4].ch, 'b');
    // No stop left: the last column.
    let t = term(20, 1, "\x1b[3g\tx");
    assert_eq!(t.row(0)[19].ch, 'x');
    // TBC 0 clears the stop under the cursor.
    let t = term(20, 1, "\x1b[9G\x1b[g\r\tx");
    assert_eq!(t.row(0)[16].ch, 'x');
    // CHT and CBT.
    let t = term(30, 1, "\x1b[2Ix\x1b[2Zy");
    assert_eq!((t.row(0)[16].ch, t.row(0)[8].ch), ('x', 'y'));
}

#[test]
fn backspace_stops_at_column_zero() {
    let t = term(5, 1, "ab\x08\x08\x08X");
    assert_eq!(t.dump_text(false), "Xb");
}

#[test]
fn cursor_motion_is_one_based_and_clamped() {
    let t = term(10, 5, "\x1b[3;4H");
    assert_eq!(cursor(&t), (3, 2));
    let t = term(10, 5, "\x1b[99;99H");
    assert_eq!(cursor(&t), (9, 4));
    let t = term(10, 5, "\x1b[0;0f");
    assert_eq!(cursor(&t), (0, 0));
    let t = term(10, 5, "\x1b[3;3H\x1b[2A\x1b[5C");
    assert_eq!(cursor(&t), (7, 0));
    let t = term(10, 5, "\x1b[3;3H\x1b[B\x1b[2D");
    assert_eq!(cursor(&t), (0, 3));
    let t = term(10, 5, "\x1b[3;3H\x1b[E");
    assert_eq!(cursor(&t), (0, 3));
    let t = term(10, 5, "\x1b[3;3H\x1b[2F");
    assert_eq!(cursor(&t), (0, 0));
    let t = term(10, 5, "\x1b[3;3H\x1b[7G\x1b[2d");
    assert_eq!(cursor(&t), (6, 1));
    let t = term(10, 5, "\x1b[5`");
    assert_eq!(cursor(&t), (4, 0));
    let t = term(10, 5, "\x1b[99999999A\x1b[99999999C\x1b[99999999B");
    assert_eq!(cursor(&t), (9, 4));
}

#[test]
fn origin_mode_addresses_the_region() {
    let t = term(10, 10, "\x1b[3;6r\x1b[?6h\x1b[2;2H");
    assert_eq!(cursor(&t), (1, 3));
    let t = term(10, 10, "\x1b[3;6r\x1b[?6h\x1b[9;1H");
    assert_eq!(cursor(&t), (0, 5), "clamped to the region's bottom");
    let t = term(10, 10, "\x1b[3;6r\x1b[?6h");
    assert_eq!(cursor(&t), (0, 2), "DECOM homes to the region's top");
    let mut t = term(10, 10, "\x1b[3;6r\x1b[?6h\x1b[2;5H\x1b[6n");
    assert_eq!(t.take_responses(), b"\x1b[2;5R");
}

#[test]
fn save_and_restore_cursor_with_attributes() {
    let t = term(10, 3, "\x1b[2;3H\x1b[31m\x1b7\x1b[H\x1b[0mx\x1b8y");
    assert_eq!(cursor(&t), (3, 1));
    assert_eq!(t.row(1)[2].style.fg, Color::Indexed(1));
    assert_eq!(t.row(0)[0].style, Style::DEFAULT);
    let t = term(10, 3, "\x1b[2;3H\x1b[s\x1b[H\x1b[u");
    assert_eq!(cursor(&t), (2, 1));
    // Restoring without saving goes home.
    let t = term(10, 3, "\x1b[2;3H\x1b8");
    assert_eq!(cursor(&t), (0, 0));
}

#[test]
fn scroll_region_linefeed_scrolls_only_the_region() {
    let t = term(3, 5, "0\r\n1\r\n2\r\n3\r\n4\x1b[2;4r\x1b[4;1H\nX");
    assert_eq!(t.dump_text(false), "0\n2\n3\nX\n4");
    assert_eq!(t.scrollback_len(), 0, "a region not at the top keeps no history");
}

#[test]
fn region_at_the_top_feeds_scrollback() {
    let t = term(3, 3, "a\r\nb\r\nc\x1b[1;2r\x1b[2;1H\nX");
    assert_eq!(t.dump_text(false), "b\nX\nc");
    assert_eq!(t.scrollback_len(), 1);
    assert_eq!(t.scrollback_row(0)[0].ch, 'a');
}

#[test]
fn reverse_index_scrolls_down_at_region_top() {
    let t = term(3, 4, "a\r\nb\r\nc\r\nd\x1b[2;3r\x1b[2;1H\x1bMX");
    assert_eq!(t.dump_text(false), "a\nX\nb\nd");
    let t = term(3, 4, "a\r\nb\x1b[H\x1bMX");
    assert_eq!(t.dump_text(false), "X\na\nb");
    // RI above the top of the region just moves up.
    let t = term(3, 4, "\x1b[3;4r\x1b[2;1H\x1bMX");
    assert_eq!(cursor(&t), (1, 0));
}

#[test]
fn index_and_next_line() {
    let t = term(5, 3, "ab\x1bDc\x1bEd");
    assert_eq!(t.dump_text(false), "ab\n  c\nd");
}

#[test]
fn cursor_below_region_stops_at_last_row() {
    let t = term(3, 5, "\x1b[1;2r\x1b[4;1H\n\n\nX");
    assert_eq!(cursor(&t), (1, 4));
    assert_eq!(t.scrollback_len(), 0);
}

#[test]
fn invalid_region_is_ignored() {
    let t = term(3, 5, "\x1b[2;3r\x1b[4;2r\x1b[5;1H\x1b[3;1H\nX");
    // The region is still 2..=3, so LF at row 3 scrolls rows 2..=3.
    assert_eq!(cursor(&t), (1, 2));
}

#[test]
fn rep_repeats_the_last_character() {
    let t = term(10, 1, "ab\x1b[3b");
    assert_eq!(t.dump_text(false), "abbbb");
    let t = term(4, 2, "x\x1b[65535b");
    assert_eq!(t.dump_text(false), "xxxx\nxxxx");
}

#[test]
fn full_reset_clears_screen_and_modes_but_keeps_history() {
    let mut t = term(3, 2, "a\r\nb\r\nc\x1b]2;t\x07\x1b[31m\x1b[?1h\x1b[?1049h");
    t.advance(b"\x1bcx");
    assert_eq!(t.dump_text(false), "x");
    assert_eq!(t.row(0)[0].style, Style::DEFAULT);
    assert!(!t.modes().application_cursor && !t.modes().alt_screen);
    assert_eq!(t.scrollback_len(), 1);
    assert_eq!(t.title(), Some("t"));
}

#[test]
fn soft_reset_keeps_text() {
    let t = term(5, 3, "ab\x1b[?7l\x1b[31m\x1b[2;3r\x1b[!p\x1b[1;3Hc");
    assert_eq!(t.dump_text(false), "abc");
    assert_eq!(t.row(0)[2].style, Style::DEFAULT);
    let t = term(5, 3, "\x1b[?7l\x1b[!pabcdef");
    assert_eq!(t.dump_text(false), "abcde\nf", "autowrap back on");
}

#[test]
fn decaln_fills_with_e() {
    let t = term(3, 2, "\x1b#8");
    assert_eq!(t.dump_text(false), "EEE\nEEE");
}

#[test]
fn bell_counts() {
    let t = term(3, 2, "\x07a\x07");
    assert_eq!(t.bell_count(), 2);
    assert_eq!(t.dump_text(false), "a");
}
