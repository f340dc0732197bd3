use super::*;

fn decode(chunks: &[&[u8]]) -> Vec<InputEvent> {
    let mut d = InputDecoder::default();
    let mut out = Vec::new();
    for c in chunks {
        d.feed(c, &mut out);
    }
    d.flush(&mut out);
    out
}

fn k(code: KeyCode) -> InputEvent {
    key(code, Mods::default())
}

fn km(code: KeyCode, shift: bool, alt: bool, ctrl: bool) -> InputEvent {
    key(code, Mods { shift, alt, ctrl })
}

#[test]
fn plain_text_control_keys_and_utf8() {
    assert_eq!(
        decode(&[b"aZ\r\t\x7f\x01\n\x00\x1f"]),
        vec![
            k(KeyCode::Char('a')),
            km(KeyCode::Char('Z'), true, false, false),
            k(KeyCode::Enter),
            k(KeyCode::Tab),
            k(KeyCode::Backspace),
            ctrl('a'),
            ctrl('j'),
            ctrl(' '),
            ctrl('7'),
        ]
    );
    // A character cut between two reads arrives whole.
    assert_eq!(decode(&["é".as_bytes()[..1].as_ref(), &"é".as_bytes()[1..]]), vec![k(KeyCode::Char('é'))]);
}

#[test]
fn an_escape_that_ends_a_read_is_the_esc_key_at_once() {
    let mut d = InputDecoder::default();
    let mut out = Vec::new();
    d.feed(b"\x1b", &mut out);
    assert_eq!(out, vec![k(KeyCode::Esc)]);
    assert!(!d.is_waiting());
    // The next read's letter is a letter, not Alt+letter.
    d.feed(b"e", &mut out);
    assert_eq!(out[1], k(KeyCode::Char('e')));
}

#[test]
fn a_cut_off_sequence_waits_then_is_taken_as_typed() {
    let mut d = InputDecoder::default();
    let mut out = Vec::new();
    d.feed(b"\x1b[1;", &mut out);
    assert!(out.is_empty() && d.is_waiting());
    d.flush(&mut out);
    assert_eq!(out[..2], [km(KeyCode::Char('['), false, true, false), k(KeyCode::Char('1'))]);
    assert!(!d.is_waiting());
}

#[test]
fn escape_before_a_key_is_alt() {
    assert_eq!(
        decode(&[b"\x1bf\x1b\x1b[A"]),
        vec![km(KeyCode::Char('f'), false, true, false), km(KeyCode::Up, false, true, false)]
    );
}

#[test]
fn cursor_function_and_edit_keys_with_modifiers() {
    assert_eq!(
        decode(&[b"\x1b[A\x1bOB\x1b[1;5C\x1b[1;2D\x1b[H\x1bOF\x1b[3~\x1b[5;3~\x1b[15~\x1b[24~\x1bOP\x1b[1;2R\x1b[Z"]),
        vec![
            k(KeyCode::Up),
            k(KeyCode::Down),
            km(KeyCode::Right, false, false, true),
            km(KeyCode::Left, true, false, false),
            k(KeyCode::Home),
            k(KeyCode::End),
            k(KeyCode::Delete),
            km(KeyCode::PageUp, false, true, false),
            k(KeyCode::F(5)),
            k(KeyCode::F(12)),
            k(KeyCode::F(1)),
            km(KeyCode::F(3), true, false, false),
            km(KeyCode::BackTab, true, false, false),
        ]
    );
}

#[test]
fn a_sequence_split_across_reads_is_one_key() {
    assert_eq!(
        decode(&[b"\x1b[", b"1;", b"5A", b"x"]),
        vec![km(KeyCode::Up, false, false, true), k(KeyCode::Char('x'))]
    );
}

#[test]
fn sgr_mouse_press_drag_release_and_wheel() {
    let m = |kind, col, row| InputEvent::Mouse(Mouse { kind, col, row, mods: Mods::default() });
    assert_eq!(
        decode(&[b"\x1b[<0;3;5M\x1b[<32;10;6M\x1b[<0;10;6m\x1b[<64;1;1M\x1b[<65;1;1M\x1b[<35;4;4M"]),
        vec![
            m(MouseKind::Down(MouseButton::Left), 2, 4),
            m(MouseKind::Drag(MouseButton::Left), 9, 5),
            m(MouseKind::Up(MouseButton::Left), 9, 5),
            m(MouseKind::ScrollUp, 0, 0),
            m(MouseKind::ScrollDown, 0, 0),
            m(MouseKind::Moved, 3, 3),
        ]
    );
    // Ctrl held: the 16 bit.
    let [InputEvent::Mouse(m)] = decode(&[b"\x1b[<16;1;1M"])[..] else { panic!() };
    assert!(m.mods.ctrl);
}

#[test]
fn x10_mouse() {
    assert_eq!(
        decode(&[b"\x1b[M", b" !\""]),
        vec![InputEvent::Mouse(Mouse {
            kind: MouseKind::Down(MouseButton::Left),
            col: 0,
            row: 1,
            mods: Mods::default()
        })]
    );
}

#[test]
fn bracketed_paste_across_reads_keeps_escapes_and_newlines() {
    let text = "line 1\r\x1b[Aline 2\n";
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    let whole = [PASTE_START, text.as_bytes(), PASTE_END, b"q"].concat();
    // Every split point, inside both markers too; but not right after the
    // first ESC, which ends its read and so is the Esc key.
    for cut in 2..whole.len() {
        chunks.clear();
        chunks.push(whole[..cut].to_vec());
        chunks.push(whole[cut..].to_vec());
        let refs: Vec<&[u8]> = chunks.iter().map(|c| c.as_slice()).collect();
        assert_eq!(decode(&refs), vec![InputEvent::Paste(text.into()), k(KeyCode::Char('q'))], "cut at {cut}");
    }
}

#[test]
fn a_paste_waits_for_its_end() {
    let mut d = InputDecoder::default();
    let mut out = Vec::new();
    d.feed(b"\x1b[200~abc", &mut out);
    assert!(out.is_empty() && d.in_paste());
    d.feed(b"def\x1b[20", &mut out);
    assert!(out.is_empty());
    d.feed(b"1~", &mut out);
    assert_eq!(out, vec![InputEvent::Paste("abcdef".into())]);
}

#[test]
fn focus_reports_and_unknown_sequences() {
    assert_eq!(
        decode(&[b"\x1b[I\x1b[O\x1b[?1;2c\x1b[99~a"]),
        vec![InputEvent::FocusGained, InputEvent::FocusLost, k(KeyCode::Char('a'))]
    );
}

#[test]
fn csi_u_keys() {
    assert_eq!(
        decode(&[b"\x1b[13;5u\x1b[97;5u"]),
        vec![km(KeyCode::Enter, false, false, true), km(KeyCode::Char('a'), false, false, true)]
    );
}

#[test]
fn kitty_keys_from_the_outer_terminal_are_told_apart() {
    // Ctrl-i is not Tab, Alt-[ is a key, Esc is CSI 27 u; a release (kitty's
    // `:3`) and the answer to a flags query are not keys.
    assert_eq!(
        decode(&[b"\x1b[105;5u\t\x1b[91;3u\x1b[27u\x1b[97;1:3u\x1b[?1u"]),
        vec![
            km(KeyCode::Char('i'), false, false, true),
            k(KeyCode::Tab),
            km(KeyCode::Char('['), false, true, false),
            k(KeyCode::Esc),
        ]
    );
    // With alternate keys (4), Alt-Shift-. says it is Alt->.
    match decode(&[b"\x1b[46:62;4u"]).as_slice() {
        [InputEvent::Key(k)] => assert!(k.code == KeyCode::Char('>') && k.mods.alt, "{k:?}"),
        other => panic!("{other:?}"),
    }
    // The terminal's colour scheme (CSI 2031), and other reports dropped.
    assert_eq!(
        decode(&[b"\x1b[?997;1n\x1b[?997;2n\x1b[?997;9n\x1b[?5n"]),
        vec![InputEvent::ColourScheme { dark: true }, InputEvent::ColourScheme { dark: false }]
    );
    // xterm's numbering of the F keys past F12.
    assert_eq!(decode(&[b"\x1b[28~\x1b[34~"]), vec![k(KeyCode::F(15)), k(KeyCode::F(20))]);
}

#[test]
fn garbage_never_panics() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..2000 {
        let mut bytes = Vec::new();
        for _ in 0..(seed % 24) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            bytes.push(
                *[0x1bu8, b'[', b'<', b';', b'M', b'm', b'O', b'~', b'2', b'0', b'1', 0xc3, 0xa9, b'a', 0xff]
                    .get((seed % 15) as usize)
                    .unwrap(),
            );
        }
        let (a, b) = bytes.split_at(bytes.len() / 2);
        decode(&[a, b]);
    }
}

#[test]
fn a_huge_paste_goes_out_in_pieces_that_split_no_character() {
    let text = "ab\u{e9}\u{20ac}\u{1f600}\n".repeat(1_000_000);
    let mut bytes = b"\x1b[200~".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    bytes.extend_from_slice(b"\x1b[201~");
    let mut d = InputDecoder::default();
    let mut out = Vec::new();
    for chunk in bytes.chunks(65_521) {
        d.feed(chunk, &mut out);
    }
    let pieces: Vec<&str> = out
        .iter()
        .map(|e| match e {
            InputEvent::Paste(p) => p.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(pieces.len() >= 3, "{} pieces", pieces.len());
    assert!(pieces.iter().all(|p| p.len() <= PASTE_PIECE + 65_521));
    assert!(pieces.concat() == text, "characters were split or lost");
}
