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
        assert_eq!(encode(key, KeyEventKind::Press, &modes(0)), legacy_key(key, &modes(0)), "{key:?}");
        assert_eq!(pane_input::key(key, &modes(0)), legacy_key(key, &modes(0)));
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
