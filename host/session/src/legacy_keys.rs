//! xterm's legacy key encoding: what a key sends to a program that did
//! not ask for the kitty keyboard protocol, and what that protocol falls
//! back to for the keys it leaves as they were; and xterm's numbering of
//! the keys, read back from a terminal's sequences (here and by the
//! client's decoder).

use revenant_terminal::Modes;

use crate::input::{Key, KeyCode, Mods};

/// xterm's modifier parameter: 1 + shift + 2·alt + 4·ctrl.
fn modifier_param(m: Mods) -> u8 {
    1 + m.shift as u8 + 2 * m.alt as u8 + 4 * m.ctrl as u8
}

pub(crate) fn key(k: Key, modes: &Modes) -> Vec<u8> {
    let m = k.mods;
    let plain = !m.shift && !m.alt && !m.ctrl;
    let mut out = Vec::new();
    let csi_mod = |out: &mut Vec<u8>, final_byte: u8, app: bool| {
        if plain {
            if app {
                out.extend_from_slice(&[0x1b, b'O', final_byte]);
            } else {
                out.extend_from_slice(&[0x1b, b'[', final_byte]);
            }
        } else {
            out.extend_from_slice(format!("\x1b[1;{}", modifier_param(m)).as_bytes());
            out.push(final_byte);
        }
    };
    let tilde = |out: &mut Vec<u8>, n: u8| {
        if plain {
            out.extend_from_slice(format!("\x1b[{n}~").as_bytes());
        } else {
            out.extend_from_slice(format!("\x1b[{n};{}~", modifier_param(m)).as_bytes());
        }
    };
    match k.code {
        KeyCode::Char(c) => {
            if m.alt {
                out.push(0x1b);
            }
            if m.ctrl
                && let Some(b) = ctrl_byte(c)
            {
                out.push(b);
                return out;
            }
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
        KeyCode::Enter => {
            if m.alt {
                out.push(0x1b);
            }
            out.push(b'\r');
        }
        KeyCode::Esc => {
            if m.alt {
                out.push(0x1b);
            }
            out.push(0x1b);
        }
        KeyCode::Backspace => {
            if m.alt {
                out.push(0x1b);
            }
            out.push(if m.ctrl { 0x08 } else { 0x7f });
        }
        KeyCode::Tab => {
            if m.shift {
                out.extend_from_slice(b"\x1b[Z");
            } else {
                if m.alt {
                    out.push(0x1b);
                }
                out.push(b'\t');
            }
        }
        KeyCode::BackTab => out.extend_from_slice(b"\x1b[Z"),
        KeyCode::Up => csi_mod(&mut out, b'A', modes.application_cursor),
        KeyCode::Down => csi_mod(&mut out, b'B', modes.application_cursor),
        KeyCode::Right => csi_mod(&mut out, b'C', modes.application_cursor),
        KeyCode::Left => csi_mod(&mut out, b'D', modes.application_cursor),
        KeyCode::Home => csi_mod(&mut out, b'H', modes.application_cursor),
        KeyCode::End => csi_mod(&mut out, b'F', modes.application_cursor),
        KeyCode::Insert => tilde(&mut out, 2),
        KeyCode::Delete => tilde(&mut out, 3),
        KeyCode::PageUp => tilde(&mut out, 5),
        KeyCode::PageDown => tilde(&mut out, 6),
        KeyCode::F(n @ 1..=4) => {
            let final_byte = b'P' + (n - 1);
            if plain {
                out.extend_from_slice(&[0x1b, b'O', final_byte]);
            } else {
                out.extend_from_slice(format!("\x1b[1;{}", modifier_param(m)).as_bytes());
                out.push(final_byte);
            }
        }
        KeyCode::F(n) => {
            let code = match n {
                5 => 15,
                6 => 17,
                7 => 18,
                8 => 19,
                9 => 20,
                10 => 21,
                11 => 23,
                12 => 24,
                _ => return out,
            };
            tilde(&mut out, code);
        }
    }
    out
}

/// The control byte for Ctrl+`c`, where one exists.
pub(crate) fn ctrl_byte(c: char) -> Option<u8> {
    match c {
        'a'..='z' => Some(c as u8 - b'a' + 1),
        'A'..='Z' => Some(c as u8 - b'A' + 1),
        '@' | ' ' | '2' => Some(0),
        '[' | '3' => Some(0x1b),
        '\\' | '4' => Some(0x1c),
        ']' | '5' => Some(0x1d),
        '^' | '6' => Some(0x1e),
        '_' | '7' | '/' => Some(0x1f),
        '?' | '8' => Some(0x7f),
        _ => None,
    }
}

/// The key of `CSI n ~` (and kitty's, which numbers them the same).
pub fn tilde_code(n: u32) -> Option<KeyCode> {
    Some(match n {
        1 | 7 => KeyCode::Home,
        2 => KeyCode::Insert,
        3 => KeyCode::Delete,
        4 | 8 => KeyCode::End,
        5 => KeyCode::PageUp,
        6 => KeyCode::PageDown,
        11..=15 => KeyCode::F(n as u8 - 10),
        17..=21 => KeyCode::F(n as u8 - 11),
        23..=26 => KeyCode::F(n as u8 - 12),
        // xterm's F15, F16 and F17 to F20 (27 and 30 are skipped).
        28..=29 => KeyCode::F(n as u8 - 13),
        31..=34 => KeyCode::F(n as u8 - 14),
        _ => return None,
    })
}

/// The key of `SS3 X` or `CSI 1;mods X`.
pub fn letter_code(b: u8) -> Option<KeyCode> {
    Some(match b {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P'..=b'S' => KeyCode::F(1 + b - b'P'),
        _ => return None,
    })
}
