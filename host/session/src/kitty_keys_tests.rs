use super::*;
use crate::pane_input;

fn k(code: KeyCode, mods: &str) -> Key {
    Key { code, mods: Mods { shift: mods.contains('s'), alt: mods.contains('a'), ctrl: mods.contains('c') } }
}

fn ch(c: char, mods: &str) -> Key {
    k(KeyCode::Char(c), mods)
}

fn modes(flags: u8) -> Modes {
    Modes { kitty_keyboard: flags, ..Modes::default() }
}

/// What a press sends, through the function the server calls.
fn press(key: Key, flags: u8) -> String {
    String::from_utf8(pane_input::key(key, &modes(flags))).unwrap()
}

fn event(key: Key, kind: KeyEventKind, flags: u8) -> String {
    String::from_utf8(encode(key, kind, &modes(flags))).unwrap()
}

#[test]
fn no_flags_is_the_legacy_encoding() {
    let keys = [
        ch('a', ""),
        ch('A', "s"),
        ch('c', "c"),
        ch('x', "a"),
        k(KeyCode::Esc, ""),
        k(KeyCode::Up, "c"),
        k(KeyCode::F(1), ""),
        k(KeyCode::Tab, "s"),
        k(KeyCode::BackTab, "s"),
    ];
    for key in keys {
        assert_eq!(encode(key, KeyEventKind::Press, &modes(0)), legacy_keys::key(key, &modes(0)), "{key:?}");
        assert_eq!(pane_input::key(key, &modes(0)), legacy_keys::key(key, &modes(0)));
    }
    assert!(encode(ch('a', ""), KeyEventKind::Release, &modes(0)).is_empty());
}

#[test]
fn disambiguate_follows_the_spec() {
    let f = DISAMBIGUATE;
    assert_eq!(press(k(KeyCode::Esc, ""), f), "\x1b[27u");
    assert_eq!(press(k(KeyCode::Esc, "a"), f), "\x1b[27;3u");
    // Ctrl+i is no longer Tab.
    assert_eq!(press(ch('i', "c"), f), "\x1b[105;5u");
    assert_eq!(press(k(KeyCode::Tab, ""), f), "\t");
    assert_eq!(press(ch('[', "a"), f), "\x1b[91;3u");
    assert_eq!(press(ch('c', "c"), f), "\x1b[99;5u");
    assert_eq!(press(ch('a', "ca"), f), "\x1b[97;7u");
    assert_eq!(press(ch(' ', "c"), f), "\x1b[32;5u");
    // Keys named by their unshifted character, Shift in the modifiers.
    assert_eq!(press(ch('A', "cs"), f), "\x1b[97;6u");
    assert_eq!(press(ch('A', "c"), f), "\x1b[97;6u");
    assert_eq!(press(ch('A', "as"), f), "\x1b[97;4u");
    // Text stays text.
    assert_eq!(press(ch('a', ""), f), "a");
    assert_eq!(press(ch('A', ""), f), "A");
    assert_eq!(press(ch('A', "s"), f), "A");
    assert_eq!(press(ch('a', "s"), f), "A");
    assert_eq!(press(ch('é', ""), f), "é");
    assert_eq!(press(ch('!', "s"), f), "!");
    // Enter, Tab and Backspace stay legacy until modified.
    assert_eq!(press(k(KeyCode::Enter, ""), f), "\r");
    assert_eq!(press(k(KeyCode::Backspace, ""), f), "\x7f");
    assert_eq!(press(k(KeyCode::Enter, "c"), f), "\x1b[13;5u");
    assert_eq!(press(k(KeyCode::Enter, "s"), f), "\x1b[13;2u");
    assert_eq!(press(k(KeyCode::Enter, "a"), f), "\x1b[13;3u");
    assert_eq!(press(k(KeyCode::Backspace, "c"), f), "\x1b[127;5u");
    assert_eq!(press(k(KeyCode::Tab, "c"), f), "\x1b[9;5u");
    // Shift+Tab is Tab with Shift, however the client spelt it.
    assert_eq!(press(k(KeyCode::Tab, "s"), f), "\x1b[9;2u");
    assert_eq!(press(k(KeyCode::BackTab, "s"), f), "\x1b[9;2u");
    assert_eq!(press(k(KeyCode::BackTab, ""), f), "\x1b[9;2u");
    assert_eq!(press(k(KeyCode::BackTab, "cs"), f), "\x1b[9;6u");
}

#[test]
fn functional_keys() {
    let f = DISAMBIGUATE;
    assert_eq!(press(k(KeyCode::Up, ""), f), "\x1b[A");
    assert_eq!(press(k(KeyCode::Up, "c"), f), "\x1b[1;5A");
    assert_eq!(press(k(KeyCode::Left, "as"), f), "\x1b[1;4D");
    assert_eq!(press(k(KeyCode::Home, ""), f), "\x1b[H");
    assert_eq!(press(k(KeyCode::End, "s"), f), "\x1b[1;2F");
    assert_eq!(press(k(KeyCode::Insert, ""), f), "\x1b[2~");
    assert_eq!(press(k(KeyCode::Delete, "c"), f), "\x1b[3;5~");
    assert_eq!(press(k(KeyCode::PageUp, ""), f), "\x1b[5~");
    assert_eq!(press(k(KeyCode::PageDown, "a"), f), "\x1b[6;3~");
    assert_eq!(press(k(KeyCode::F(1), ""), f), "\x1b[P");
    assert_eq!(press(k(KeyCode::F(2), "s"), f), "\x1b[1;2Q");
    assert_eq!(press(k(KeyCode::F(3), ""), f), "\x1b[13~");
    assert_eq!(press(k(KeyCode::F(3), "c"), f), "\x1b[13;5~");
    assert_eq!(press(k(KeyCode::F(4), ""), f), "\x1b[S");
    assert_eq!(press(k(KeyCode::F(5), ""), f), "\x1b[15~");
    assert_eq!(press(k(KeyCode::F(11), "c"), f), "\x1b[23;5~");
    assert_eq!(press(k(KeyCode::F(12), ""), f), "\x1b[24~");
    assert_eq!(press(k(KeyCode::F(13), ""), f), "\x1b[57376u");
    assert_eq!(press(k(KeyCode::F(35), "s"), f), "\x1b[57398;2u");
    assert_eq!(press(k(KeyCode::F(0), ""), f), "");
    assert_eq!(press(k(KeyCode::F(36), ""), f), "");
    // Application cursor mode is legacy's; the protocol always uses CSI.
    let app = Modes { application_cursor: true, ..modes(f) };
    assert_eq!(pane_input::key(k(KeyCode::Up, ""), &app), b"\x1b[A");
}

#[test]
fn all_keys_as_escape_codes() {
    let f = REPORT_ALL_KEYS;
    assert_eq!(press(ch('a', ""), f), "\x1b[97u");
    assert_eq!(press(ch('A', "s"), f), "\x1b[97;2u");
    assert_eq!(press(ch('1', ""), f), "\x1b[49u");
    assert_eq!(press(ch('i', "c"), f), "\x1b[105;5u");
    assert_eq!(press(k(KeyCode::Enter, ""), f), "\x1b[13u");
    assert_eq!(press(k(KeyCode::Tab, ""), f), "\x1b[9u");
    assert_eq!(press(k(KeyCode::Backspace, ""), f), "\x1b[127u");
    assert_eq!(press(k(KeyCode::Esc, ""), f), "\x1b[27u");
    assert_eq!(press(k(KeyCode::Up, ""), f), "\x1b[A");
    assert_eq!(press(k(KeyCode::F(5), ""), f), "\x1b[15~");
}

#[test]
fn alternate_keys() {
    let f = REPORT_ALTERNATE_KEYS | REPORT_ALL_KEYS;
    assert_eq!(press(ch('a', "s"), f), "\x1b[97:65;2u");
    assert_eq!(press(ch('A', "s"), f), "\x1b[97:65;2u");
    assert_eq!(press(ch('A', ""), f), "\x1b[97:65;2u");
    assert_eq!(press(ch('a', ""), f), "\x1b[97u", "only with Shift");
    assert_eq!(press(ch('1', "s"), f), "\x1b[49;2u", "no layout to shift by");
    // Shifted text is still text while only disambiguating.
    let f = REPORT_ALTERNATE_KEYS | DISAMBIGUATE;
    assert_eq!(press(ch('A', "s"), f), "A");
    assert_eq!(press(ch('A', "cs"), f), "\x1b[97:65;6u");
    assert_eq!(press(k(KeyCode::Up, "s"), f), "\x1b[1;2A");
}

#[test]
fn associated_text() {
    let f = REPORT_ALL_KEYS | REPORT_ASSOCIATED_TEXT;
    assert_eq!(press(ch('a', ""), f), "\x1b[97;;97u");
    assert_eq!(press(ch('A', "s"), f), "\x1b[97;2;65u");
    assert_eq!(press(ch('é', ""), f), "\x1b[233;;233u");
    // Shortcuts type nothing.
    assert_eq!(press(ch('a', "c"), f), "\x1b[97;5u");
    assert_eq!(press(ch('a', "a"), f), "\x1b[97;3u");
    assert_eq!(press(k(KeyCode::Enter, ""), f), "\x1b[13u");
    let all = REPORT_ALL_KEYS | REPORT_ASSOCIATED_TEXT | REPORT_ALTERNATE_KEYS;
    assert_eq!(press(ch('A', "s"), all), "\x1b[97:65;2;65u");
    // Without all keys as escape codes, text goes as text.
    assert_eq!(press(ch('a', ""), DISAMBIGUATE | REPORT_ASSOCIATED_TEXT), "a");
}

#[test]
fn event_types() {
    use KeyEventKind::*;
    let f = DISAMBIGUATE | REPORT_EVENT_TYPES;
    // A press is the default, never spelt out.
    assert_eq!(event(ch('a', "c"), Press, f), "\x1b[97;5u");
    assert_eq!(event(ch('a', "c"), Repeat, f), "\x1b[97;5:2u");
    assert_eq!(event(ch('a', "c"), Release, f), "\x1b[97;5:3u");
    assert_eq!(event(k(KeyCode::Up, ""), Release, f), "\x1b[1;1:3A");
    assert_eq!(event(k(KeyCode::Esc, ""), Repeat, f), "\x1b[27;1:2u");
    // Text repeats as text; its release is a key event.
    assert_eq!(event(ch('a', ""), Repeat, f), "a");
    assert_eq!(event(ch('a', ""), Release, f), "\x1b[97;1:3u");
    // Enter, Tab and Backspace release silently unless all keys are codes.
    assert_eq!(event(k(KeyCode::Enter, ""), Release, f), "");
    assert_eq!(event(k(KeyCode::Enter, ""), Release, f | REPORT_ALL_KEYS), "\x1b[13;1:3u");
    // No text rides on a release.
    let text = REPORT_ALL_KEYS | REPORT_ASSOCIATED_TEXT | REPORT_EVENT_TYPES;
    assert_eq!(event(ch('a', ""), Release, text), "\x1b[97;1:3u");
    // Without the flag, releases are not reported and repeats are presses.
    assert_eq!(event(ch('a', "c"), Release, DISAMBIGUATE), "");
    assert_eq!(event(ch('a', "c"), Repeat, DISAMBIGUATE), "\x1b[97;5u");
    // Event types alone keep legacy bytes where they can, and Esc.
    assert_eq!(event(ch('c', "c"), Press, REPORT_EVENT_TYPES), "\x03");
    assert_eq!(event(ch('x', "a"), Press, REPORT_EVENT_TYPES), "\x1bx");
    assert_eq!(event(k(KeyCode::Esc, ""), Press, REPORT_EVENT_TYPES), "\x1b");
    assert_eq!(event(ch('A', "cs"), Press, REPORT_EVENT_TYPES), "\x1b[97;6u");
}

#[test]
fn flags_without_escape_codes_stay_legacy() {
    for f in [REPORT_ALTERNATE_KEYS, REPORT_ASSOCIATED_TEXT] {
        assert_eq!(press(k(KeyCode::Esc, ""), f), "\x1b");
        assert_eq!(press(ch('c', "c"), f), "\x03");
        assert_eq!(press(k(KeyCode::Up, "c"), f), "\x1b[1;5A");
        assert_eq!(press(ch('a', ""), f), "a");
    }
    // But a combination legacy cannot say goes as CSI u, alternates and all.
    assert_eq!(press(ch('A', "cs"), REPORT_ALTERNATE_KEYS), "\x1b[97:65;6u");
}

fn decode(bytes: &str) -> Option<(Key, KeyEventKind)> {
    let body = bytes.strip_prefix("\x1b[")?;
    let (params, last) = body.split_at(body.len().checked_sub(1)?);
    decode_csi(params, last.as_bytes()[0])
}

#[test]
fn decodes_what_an_outer_terminal_sends() {
    let p = |key| Some((key, KeyEventKind::Press));
    assert_eq!(decode_csi("105;5", b'u'), p(ch('i', "c")));
    assert_eq!(decode_csi("9", b'u'), p(k(KeyCode::Tab, "")));
    assert_eq!(decode_csi("91;3", b'u'), p(ch('[', "a")));
    assert_eq!(decode_csi("27", b'u'), p(k(KeyCode::Esc, "")));
    assert_eq!(decode_csi("13;5", b'u'), p(k(KeyCode::Enter, "c")));
    assert_eq!(decode_csi("127;3", b'u'), p(k(KeyCode::Backspace, "a")));
    assert_eq!(decode_csi("9;2", b'u'), p(k(KeyCode::BackTab, "s")));
    assert_eq!(decode_csi("97;6", b'u'), p(ch('A', "cs")));
    assert_eq!(decode_csi("97:65;2", b'u'), p(ch('A', "s")));
    assert_eq!(decode_csi("49:33;6", b'u'), p(ch('!', "cs")));
    assert_eq!(decode_csi("97::1092;5", b'u'), p(ch('a', "c")));
    assert_eq!(decode_csi("0;;229", b'u'), p(ch('å', "")));
    assert_eq!(decode_csi("97;;97", b'u'), p(ch('a', "")));
    assert_eq!(decode_csi("1;3:1", b'A'), p(k(KeyCode::Up, "a")));
    assert_eq!(decode_csi("", b'A'), p(k(KeyCode::Up, "")));
    assert_eq!(decode_csi("", b'P'), p(k(KeyCode::F(1), "")));
    assert_eq!(decode_csi("1;5", b'S'), p(k(KeyCode::F(4), "c")));
    assert_eq!(decode_csi("13;2", b'~'), p(k(KeyCode::F(3), "s")));
    assert_eq!(decode_csi("11", b'~'), p(k(KeyCode::F(1), "")));
    assert_eq!(decode_csi("7", b'~'), p(k(KeyCode::Home, "")));
    assert_eq!(decode_csi("3;5", b'~'), p(k(KeyCode::Delete, "c")));
    // kitty's private-use numbers.
    assert_eq!(decode_csi("57376", b'u'), p(k(KeyCode::F(13), "")));
    assert_eq!(decode_csi("57398;2", b'u'), p(k(KeyCode::F(35), "s")));
    assert_eq!(decode_csi("57399", b'u'), p(ch('0', "")));
    assert_eq!(decode_csi("57404;5", b'u'), p(ch('5', "c")));
    assert_eq!(decode_csi("57413", b'u'), p(ch('+', "")));
    assert_eq!(decode_csi("57414", b'u'), p(k(KeyCode::Enter, "")));
    assert_eq!(decode_csi("57419", b'u'), p(k(KeyCode::Up, "")));
    assert_eq!(decode_csi("57426", b'u'), p(k(KeyCode::Delete, "")));
    assert_eq!(decode_csi("57441", b'u'), None, "a modifier key alone");
    assert_eq!(decode_csi("57358", b'u'), None, "caps lock");
    assert_eq!(decode_csi("57427", b'~'), None, "keypad begin");
    // Lock states do not change the key; super and friends make it one we
    // cannot carry.
    assert_eq!(decode_csi("97;69", b'u'), p(ch('a', "c")));
    assert_eq!(decode_csi("97;9", b'u'), None);
    // Events.
    assert_eq!(decode_csi("97;5:2", b'u'), Some((ch('a', "c"), KeyEventKind::Repeat)));
    assert_eq!(decode_csi("97;5:3", b'u'), Some((ch('a', "c"), KeyEventKind::Release)));
    assert_eq!(decode_csi("1;1:3", b'A'), Some((k(KeyCode::Up, ""), KeyEventKind::Release)));
    assert_eq!(decode_csi("97;1:4", b'u'), None);
    // Not keys.
    assert_eq!(decode_csi("?1", b'u'), None, "a flags report");
    assert_eq!(decode_csi("1;5", b'R'), None, "a cursor position report");
    assert_eq!(decode_csi("200", b'~'), None, "a paste bracket");
    assert_eq!(decode_csi("2;5", b'A'), None);
    assert_eq!(decode_csi("", b'u'), None);
    assert_eq!(decode_csi("3", b'u'), None, "a control character");
    assert_eq!(decode_csi("1;5", b'm'), None);
}

#[test]
fn encode_then_decode_gives_the_key_back() {
    let keys = [
        k(KeyCode::Esc, ""),
        k(KeyCode::Esc, "c"),
        k(KeyCode::Esc, "as"),
        ch('i', "c"),
        ch('m', "c"),
        ch('[', "a"),
        ch('a', "ca"),
        ch('A', "cs"),
        ch('A', "as"),
        ch('A', "cas"),
        ch(' ', "c"),
        ch('1', "c"),
        ch('é', "a"),
        ch('É', "cs"),
        k(KeyCode::Enter, "c"),
        k(KeyCode::Enter, "s"),
        k(KeyCode::Enter, "a"),
        k(KeyCode::Tab, "c"),
        k(KeyCode::Tab, "a"),
        k(KeyCode::BackTab, "s"),
        k(KeyCode::BackTab, "cs"),
        k(KeyCode::Backspace, "c"),
        k(KeyCode::Backspace, "a"),
        k(KeyCode::Up, ""),
        k(KeyCode::Up, "c"),
        k(KeyCode::Down, "s"),
        k(KeyCode::Left, "a"),
        k(KeyCode::Right, "cs"),
        k(KeyCode::Home, ""),
        k(KeyCode::End, "c"),
        k(KeyCode::PageUp, ""),
        k(KeyCode::PageDown, "a"),
        k(KeyCode::Insert, ""),
        k(KeyCode::Delete, "c"),
        k(KeyCode::F(1), ""),
        k(KeyCode::F(2), "s"),
        k(KeyCode::F(3), ""),
        k(KeyCode::F(3), "c"),
        k(KeyCode::F(4), ""),
        k(KeyCode::F(5), ""),
        k(KeyCode::F(12), "ca"),
        k(KeyCode::F(13), ""),
        k(KeyCode::F(24), "s"),
        k(KeyCode::F(35), ""),
    ];
    for flags in [DISAMBIGUATE, DISAMBIGUATE | REPORT_ALTERNATE_KEYS, REPORT_ALL_KEYS] {
        for key in keys {
            let bytes = press(key, flags);
            assert_eq!(decode(&bytes), Some((key, KeyEventKind::Press)), "{key:?} as {bytes:?} under {flags}");
        }
    }
    // Text keys come back too when every key is an escape code.
    let f = REPORT_ALL_KEYS | REPORT_ALTERNATE_KEYS | REPORT_ASSOCIATED_TEXT;
    for key in [ch('a', ""), ch('A', "s"), ch('1', ""), ch('é', ""), k(KeyCode::Enter, ""), k(KeyCode::Tab, "")] {
        let bytes = press(key, f);
        assert_eq!(decode(&bytes), Some((key, KeyEventKind::Press)), "{key:?} as {bytes:?}");
    }
}

#[test]
fn hostile_parameters_do_not_panic() {
    let odd = [
        "",
        ";",
        ";;",
        ";;;",
        ":",
        "::",
        ":::",
        "::::",
        "1:2:3:4",
        "1;2:3:4",
        "0",
        "0;",
        "0;;",
        "0;;:",
        "0;;99999999999",
        "4294967295",
        "4294967296",
        "99999999999999999999999",
        "1;4294967295",
        "1;0",
        "1;0:0",
        "-1",
        "+1",
        " 1",
        "1 ",
        "1;;;1",
        "٣",
        "é",
        "\u{0}",
        "55296",
        "1114112",
        "57343",
        "63743",
        "63744",
        "0;;55296",
        "0;;:97",
    ];
    for params in odd {
        for final_byte in [b'u', b'~', b'A', b'B', b'C', b'D', b'E', b'F', b'H', b'P', b'Q', b'R', b'S', b'Z', 0, 255] {
            let _ = decode_csi(params, final_byte);
        }
    }
    // Every short string of the bytes that matter.
    let alphabet = ["", "0", "1", "9", ";", ":", "57399", "65"];
    for a in alphabet {
        for b in alphabet {
            for c in alphabet {
                for d in alphabet {
                    let params = format!("{a}{b}{c}{d}");
                    for final_byte in [b'u', b'~', b'A', b'P'] {
                        let _ = decode_csi(&params, final_byte);
                    }
                }
            }
        }
    }
    // And the encoder takes any key under any flags.
    for flags in 0..=255u8 {
        for kind in [KeyEventKind::Press, KeyEventKind::Repeat, KeyEventKind::Release] {
            for code in [KeyCode::Char('\0'), KeyCode::Char('\u{10ffff}'), KeyCode::Char('ß'), KeyCode::F(255)] {
                for mods in ["", "s", "c", "a", "cas"] {
                    let _ = encode(k(code, mods), kind, &modes(flags));
                }
            }
        }
    }
}
