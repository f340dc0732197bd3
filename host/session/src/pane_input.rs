//! Turning decoded input back into the bytes a program on a PTY expects,
//! honouring the modes that program asked for (application cursor keys,
//! the kitty keyboard protocol, bracketed paste, mouse reporting).

use revenant_terminal::{Modes, MouseMode};

use crate::input::{Key, Mouse, MouseButton, MouseKind};
use crate::kitty_keys::{self, KeyEventKind};
use crate::legacy_keys;

/// The bytes a key press sends: kitty's protocol once the program pushed
/// keyboard enhancement flags, xterm's legacy encoding before.
pub fn key(k: Key, modes: &Modes) -> Vec<u8> {
    if modes.kitty_keyboard != 0 {
        return kitty_keys::encode(k, KeyEventKind::Press, modes);
    }
    legacy_keys::key(k, modes)
}

pub fn paste(text: &str, modes: &Modes) -> Vec<u8> {
    if modes.bracketed_paste {
        let mut out = b"\x1b[200~".to_vec();
        // A paste must not be able to end the bracket early.
        out.extend_from_slice(text.replace("\x1b[201~", "").as_bytes());
        out.extend_from_slice(b"\x1b[201~");
        out
    } else {
        text.as_bytes().to_vec()
    }
}

/// A mouse event at pane-relative (0-based) `col`, `row`, if the program
/// asked for this kind of event.
pub fn mouse(ev: &Mouse, col: u16, row: u16, modes: &Modes) -> Option<Vec<u8>> {
    let wants = match (modes.mouse, ev.kind) {
        (MouseMode::None, _) => false,
        (_, MouseKind::Down(_) | MouseKind::ScrollUp | MouseKind::ScrollDown) => true,
        (MouseMode::Press, _) => false,
        (_, MouseKind::Up(_)) => true,
        (MouseMode::ButtonMotion | MouseMode::AnyMotion, MouseKind::Drag(_)) => true,
        (MouseMode::AnyMotion, MouseKind::Moved) => true,
        _ => false,
    };
    if !wants {
        return None;
    }
    let button = |b: MouseButton| match b {
        MouseButton::Left => 0u8,
        MouseButton::Middle => 1,
        MouseButton::Right => 2,
    };
    let (mut code, release) = match ev.kind {
        MouseKind::Down(b) => (button(b), false),
        MouseKind::Up(b) => (button(b), true),
        MouseKind::Drag(b) => (button(b) + 32, false),
        MouseKind::Moved => (3 + 32, false),
        MouseKind::ScrollUp => (64, false),
        MouseKind::ScrollDown => (65, false),
    };
    code += 4 * ev.mods.shift as u8 + 8 * ev.mods.alt as u8 + 16 * ev.mods.ctrl as u8;
    if modes.sgr_mouse {
        let end = if release { 'm' } else { 'M' };
        return Some(format!("\x1b[<{code};{};{}{end}", col + 1, row + 1).into_bytes());
    }
    // X10 encoding: releases are button 3, coordinates offset by 32 and
    // limited to what fits in a byte.
    let code = if release { 3 + (code & !3) } else { code };
    let clamp = |v: u16| (v + 33).min(255) as u8;
    Some(vec![0x1b, b'[', b'M', code + 32, clamp(col), clamp(row)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{KeyCode, Mods};

    fn k(code: KeyCode, ctrl: bool, alt: bool, shift: bool) -> Key {
        Key { code, mods: Mods { ctrl, alt, shift } }
    }

    #[test]
    fn keys_encode_like_xterm() {
        let normal = Modes::default();
        let app = Modes { application_cursor: true, ..Modes::default() };
        assert_eq!(key(k(KeyCode::Char('a'), false, false, false), &normal), b"a");
        assert_eq!(key(k(KeyCode::Char('c'), true, false, false), &normal), [3]);
        assert_eq!(key(k(KeyCode::Char('x'), false, true, false), &normal), b"\x1bx");
        assert_eq!(key(k(KeyCode::Char('é'), false, false, false), &normal), "é".as_bytes());
        assert_eq!(key(k(KeyCode::Up, false, false, false), &normal), b"\x1b[A");
        assert_eq!(key(k(KeyCode::Up, false, false, false), &app), b"\x1bOA");
        assert_eq!(key(k(KeyCode::Right, true, false, false), &app), b"\x1b[1;5C");
        assert_eq!(key(k(KeyCode::Delete, false, false, false), &normal), b"\x1b[3~");
        assert_eq!(key(k(KeyCode::PageUp, false, false, true), &normal), b"\x1b[5;2~");
        assert_eq!(key(k(KeyCode::F(1), false, false, false), &normal), b"\x1bOP");
        assert_eq!(key(k(KeyCode::F(5), false, false, false), &normal), b"\x1b[15~");
        assert_eq!(key(k(KeyCode::Enter, false, false, false), &normal), b"\r");
        assert_eq!(key(k(KeyCode::Backspace, false, false, false), &normal), [0x7f]);
        assert_eq!(key(k(KeyCode::Tab, false, false, true), &normal), b"\x1b[Z");
    }

    #[test]
    fn paste_is_bracketed_only_when_asked() {
        let on = Modes { bracketed_paste: true, ..Modes::default() };
        assert_eq!(paste("hi", &Modes::default()), b"hi");
        assert_eq!(paste("a\x1b[201~b", &on), b"\x1b[200~ab\x1b[201~");
    }

    #[test]
    fn mouse_reports_follow_the_mode() {
        let ev = Mouse { kind: MouseKind::Down(MouseButton::Left), col: 0, row: 0, mods: Mods::default() };
        assert_eq!(mouse(&ev, 4, 2, &Modes::default()), None);
        let sgr = Modes { mouse: MouseMode::PressRelease, sgr_mouse: true, ..Modes::default() };
        assert_eq!(mouse(&ev, 4, 2, &sgr).unwrap(), b"\x1b[<0;5;3M");
        let up = Mouse { kind: MouseKind::Up(MouseButton::Left), ..ev };
        assert_eq!(mouse(&up, 4, 2, &sgr).unwrap(), b"\x1b[<0;5;3m");
        let x10 = Modes { mouse: MouseMode::PressRelease, ..Modes::default() };
        assert_eq!(mouse(&ev, 0, 0, &x10).unwrap(), vec![0x1b, b'[', b'M', 32, 33, 33]);
    }
}
