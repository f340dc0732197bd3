//! The kitty keyboard protocol (<https://sw.kovidgoyal.net/kitty/keyboard-protocol/>),
//! both ways: [`encode`] writes a key the way a program that pushed
//! enhancement flags asked for it, and [`decode_csi`] reads back the `CSI …`
//! forms an outer terminal in that mode sends us. The rules follow kitty's
//! own encoder where the spec leaves room.

use revenant_terminal::Modes;

use crate::input::{Key, KeyCode, Mods};
use crate::legacy_keys::{self, ctrl_byte};

/// Escape, and keys with Alt or Ctrl, as `CSI u`, so none reads like the
/// start of another sequence.
pub const DISAMBIGUATE: u8 = 1;
/// Repeats and releases are reported, not only presses.
pub const REPORT_EVENT_TYPES: u8 = 2;
/// The shifted key travels beside the unshifted one (`CSI 97:65;2u`).
pub const REPORT_ALTERNATE_KEYS: u8 = 4;
/// Every key as an escape code, text keys, Enter, Tab and Backspace too.
pub const REPORT_ALL_KEYS: u8 = 8;
/// The text a key types as a third field; only with [`REPORT_ALL_KEYS`].
pub const REPORT_ASSOCIATED_TEXT: u8 = 16;

/// What happened to the key. Our clients only ever see presses (a
/// terminal's bytes do not say more unless it speaks this protocol itself),
/// which is why [`Key`] does not carry this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum KeyEventKind {
    #[default]
    Press,
    Repeat,
    Release,
}

/// kitty's modifier bits, before the protocol's `+ 1`.
const SHIFT: u8 = 1;
const ALT: u8 = 2;
const CTRL: u8 = 4;
/// Super, hyper and meta: a key carrying one is a shortcut we cannot pass on
/// as such, and passed on without it, it would type.
const UNCARRIED: u32 = 8 | 16 | 32;

fn bits(m: Mods) -> u8 {
    SHIFT * m.shift as u8 + ALT * m.alt as u8 + CTRL * m.ctrl as u8
}

/// The bytes for `key` under `modes.kitty_keyboard`; with no flags, the
/// legacy xterm bytes. Empty when the program asked not to hear of this
/// event (a release without event reporting) or the key has no encoding.
pub fn encode(key: Key, kind: KeyEventKind, modes: &Modes) -> Vec<u8> {
    let flags = modes.kitty_keyboard;
    if flags == 0 {
        return if kind == KeyEventKind::Release { Vec::new() } else { legacy_keys::key(key, modes) };
    }
    if kind == KeyEventKind::Release && flags & REPORT_EVENT_TYPES == 0 {
        return Vec::new();
    }
    match key.code {
        KeyCode::Char(c) => text_key(key, c, kind, flags),
        _ => functional_key(key, kind, modes),
    }
}

/// The pieces of a `CSI number:shifted ; mods:event ; text final` sequence.
struct Csi {
    number: u32,
    shifted: Option<char>,
    mods: u8,
    kind: KeyEventKind,
    text: Option<char>,
    final_byte: u8,
}

impl Csi {
    fn bytes(&self) -> Vec<u8> {
        use std::fmt::Write;
        // A press is the default event, so it is never spelled out.
        let event = match self.kind {
            KeyEventKind::Press => None,
            KeyEventKind::Repeat => Some(2),
            KeyEventKind::Release => Some(3),
        };
        let second = self.mods != 0 || event.is_some();
        let mut s = String::from("\x1b[");
        // Writing to a String cannot fail.
        if self.number != 1 || self.shifted.is_some() || second || self.text.is_some() {
            let _ = write!(s, "{}", self.number);
        }
        if let Some(shifted) = self.shifted {
            let _ = write!(s, ":{}", shifted as u32);
        }
        if second || self.text.is_some() {
            s.push(';');
        }
        if second {
            let _ = write!(s, "{}", self.mods + 1);
        }
        if let Some(event) = event {
            let _ = write!(s, ":{event}");
        }
        if let Some(text) = self.text {
            let _ = write!(s, ";{}", text as u32);
        }
        s.push(self.final_byte as char);
        s.into_bytes()
    }
}

/// The one character a case mapping gives, if it gives exactly one.
fn single(mut it: impl Iterator<Item = char>) -> Option<char> {
    match (it.next(), it.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

fn is_control(c: char) -> bool {
    c < ' ' || ('\u{7f}'..='\u{9f}').contains(&c)
}

fn text_key(key: Key, c: char, kind: KeyEventKind, flags: u8) -> Vec<u8> {
    let mut mods = bits(key.mods);
    // The protocol names keys by their unshifted character: an upper-case
    // letter is its lower-case key with Shift, whether or not the client
    // said Shift (legacy input carries it in the case alone).
    let (base, shifted) = match single(c.to_lowercase()) {
        Some(lower) if lower != c => {
            mods |= SHIFT;
            (lower, Some(c))
        }
        _ if mods & SHIFT != 0 => (c, single(c.to_uppercase()).filter(|&upper| upper != c)),
        _ => (c, None),
    };
    // What the key types: nothing with Ctrl or Alt held, which make it a
    // shortcut (the spec sends those as escape codes once disambiguating).
    let text = (mods & (CTRL | ALT) == 0 && !is_control(base)).then(|| shifted.unwrap_or(base));
    let all = flags & REPORT_ALL_KEYS != 0;
    if !all
        && kind != KeyEventKind::Release
        && let Some(text) = text
    {
        return text.to_string().into_bytes();
    }
    let csi = Csi {
        number: base as u32,
        shifted: shifted.filter(|_| flags & REPORT_ALTERNATE_KEYS != 0),
        mods,
        kind: if flags & REPORT_EVENT_TYPES != 0 { kind } else { KeyEventKind::Press },
        text: text.filter(|_| all && flags & REPORT_ASSOCIATED_TEXT != 0 && kind != KeyEventKind::Release),
        final_byte: b'u',
    };
    let simple = csi.shifted.is_none() && csi.kind == KeyEventKind::Press && csi.text.is_none();
    if simple && !all {
        if mods == 0 {
            // A control character arrived as a key: it has no key to name.
            return c.to_string().into_bytes();
        }
        // Flags that do not disambiguate leave shortcuts as legacy sends
        // them, as kitty does; only what legacy cannot say becomes `CSI u`.
        if flags & DISAMBIGUATE == 0
            && let Some(bytes) = legacy_text_key(base, shifted, mods)
        {
            return bytes;
        }
    }
    csi.bytes()
}

/// What legacy mode sends for a modified text key, where it can say it at
/// all (the spec's legacy text keys: Alt, Ctrl, Ctrl+Alt, Shift+Alt).
fn legacy_text_key(base: char, shifted: Option<char>, mods: u8) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    if mods & ALT != 0 {
        out.push(0x1b);
    }
    match mods & !ALT {
        0 => out.extend_from_slice(base.to_string().as_bytes()),
        SHIFT => out.extend_from_slice(shifted.unwrap_or(base).to_string().as_bytes()),
        CTRL => out.push(ctrl_byte(base)?),
        _ => return None,
    }
    Some(out)
}

/// The number and final byte of a key that types nothing, as kitty sends it
/// once it leaves legacy mode. F3 is `13 ~`, not `1 R`, which a program
/// would take for a cursor position report.
fn functional(code: KeyCode) -> Option<(u32, u8)> {
    Some(match code {
        KeyCode::Esc => (27, b'u'),
        KeyCode::Enter => (13, b'u'),
        KeyCode::Tab | KeyCode::BackTab => (9, b'u'),
        KeyCode::Backspace => (127, b'u'),
        KeyCode::Insert => (2, b'~'),
        KeyCode::Delete => (3, b'~'),
        KeyCode::Left => (1, b'D'),
        KeyCode::Right => (1, b'C'),
        KeyCode::Up => (1, b'A'),
        KeyCode::Down => (1, b'B'),
        KeyCode::PageUp => (5, b'~'),
        KeyCode::PageDown => (6, b'~'),
        KeyCode::Home => (1, b'H'),
        KeyCode::End => (1, b'F'),
        KeyCode::F(1) => (1, b'P'),
        KeyCode::F(2) => (1, b'Q'),
        KeyCode::F(3) => (13, b'~'),
        KeyCode::F(4) => (1, b'S'),
        KeyCode::F(n @ 5..=12) => ([15, 17, 18, 19, 20, 21, 23, 24][n as usize - 5], b'~'),
        KeyCode::F(n @ 13..=35) => (F13 + n as u32 - 13, b'u'),
        KeyCode::F(_) | KeyCode::Char(_) => return None,
    })
}

/// kitty's private-use numbers: F13 to F35, then the keypad.
const F13: u32 = 57376;
const F35: u32 = 57398;

fn functional_key(key: Key, kind: KeyEventKind, modes: &Modes) -> Vec<u8> {
    let flags = modes.kitty_keyboard;
    let all = flags & REPORT_ALL_KEYS != 0;
    if flags & (DISAMBIGUATE | REPORT_EVENT_TYPES | REPORT_ALL_KEYS) == 0 {
        // Alternate keys and associated text only refine `CSI u` forms,
        // which no functional key uses in legacy mode.
        return legacy_keys::key(key, modes);
    }
    let mut mods = bits(key.mods);
    if key.code == KeyCode::BackTab {
        mods |= SHIFT;
    }
    if mods == 0 && !all {
        // Kept as in legacy mode so a user can still type `reset` and Enter
        // after a program in this mode died without popping it.
        let legacy: &[u8] = match key.code {
            KeyCode::Enter => b"\r",
            KeyCode::Tab => b"\t",
            KeyCode::Backspace => b"\x7f",
            KeyCode::Esc if flags & DISAMBIGUATE == 0 => b"\x1b",
            _ => b"",
        };
        if !legacy.is_empty() {
            return if kind == KeyEventKind::Release { Vec::new() } else { legacy.to_vec() };
        }
    }
    let Some((number, final_byte)) = functional(key.code) else {
        return Vec::new();
    };
    let kind = if flags & REPORT_EVENT_TYPES != 0 { kind } else { KeyEventKind::Press };
    Csi { number, shifted: None, mods, kind, text: None, final_byte }.bytes()
}

/// Reads a key from what an outer terminal sent in kitty's mode: `params`
/// is the text between `CSI` and the final byte (`"105;5"`, `"97:65;2"`,
/// `"1;3:1"`, `""`), `final_byte` one of `u ~ A B C D H F P Q S`. The kind
/// tells a release from a press, so a caller can drop releases. `None` for
/// anything that is not a key we can name, malformed or not.
pub fn decode_csi(params: &str, final_byte: u8) -> Option<(Key, KeyEventKind)> {
    if !params.bytes().all(|b| b.is_ascii_digit() || b == b';' || b == b':') {
        return None;
    }
    let mut fields = params.split(';');
    let number = fields.next().unwrap_or("");
    let modifiers = fields.next().unwrap_or("");
    let text = fields.next().unwrap_or("");
    if fields.next().is_some() {
        return None;
    }
    let number = subfields::<3>(number)?;
    let [mask, event] = subfields::<2>(modifiers)?;
    let mask = mask.unwrap_or(1).saturating_sub(1);
    if mask & UNCARRIED != 0 {
        return None;
    }
    // Caps and num lock (64, 128) are states, not part of the shortcut.
    let mods = Mods { shift: mask & 1 != 0, alt: mask & 2 != 0, ctrl: mask & 4 != 0 };
    let kind = match event.unwrap_or(1) {
        1 => KeyEventKind::Press,
        2 => KeyEventKind::Repeat,
        3 => KeyEventKind::Release,
        _ => return None,
    };
    let code = match final_byte {
        b'u' => csi_u_code(number, text, mods)?,
        b'~' => legacy_keys::tilde_code(number[0]?)?,
        // `CSI 1;mods R` is left out: a cursor position report reads the
        // same, and kitty sends F3 as `13~`.
        b'R' => return None,
        // Only the number 1 is defined here.
        _ if number[0].unwrap_or(1) != 1 => return None,
        other => legacy_keys::letter_code(other)?,
    };
    Some((Key { code, mods }, kind))
}

/// Up to `N` colon-separated numbers, each `None` when left empty; `None`
/// overall for more of them or a number out of range.
fn subfields<const N: usize>(field: &str) -> Option<[Option<u32>; N]> {
    let mut out = [None; N];
    if field.is_empty() {
        return Some(out);
    }
    for (i, part) in field.split(':').enumerate() {
        let slot = out.get_mut(i)?;
        if !part.is_empty() {
            *slot = Some(part.parse().ok()?);
        }
    }
    Some(out)
}

fn csi_u_code(number: [Option<u32>; 3], text: &str, mods: Mods) -> Option<KeyCode> {
    let [key, shifted, _base_layout] = number;
    let printable = |n: u32| char::from_u32(n).filter(|&c| !is_control(c));
    Some(match key? {
        // A key the terminal could not name: the text it typed is all there is.
        0 => KeyCode::Char(printable(text.split(':').next()?.parse().ok()?)?),
        27 => KeyCode::Esc,
        13 => KeyCode::Enter,
        // Shift+Tab is what the rest of Revenant calls BackTab.
        9 if mods.shift => KeyCode::BackTab,
        9 => KeyCode::Tab,
        127 => KeyCode::Backspace,
        n @ F13..=F35 => KeyCode::F((n - F13 + 13) as u8),
        n @ 57399..=57408 => KeyCode::Char(char::from_digit(n - 57399, 10)?),
        n @ 57409..=57426 => keypad(n)?,
        57344..=63743 => return None,
        n => {
            let c = printable(n)?;
            // Elsewhere a shifted letter arrives upper-case (and bindings
            // are matched that way), so Shift gives back the shifted key.
            let shifted = shifted.and_then(printable).filter(|_| mods.shift);
            let upper = single(c.to_uppercase()).filter(|_| mods.shift);
            KeyCode::Char(shifted.or(upper).unwrap_or(c))
        }
    })
}

/// The keypad's keys, which kitty numbers apart, as the keys they stand for.
fn keypad(n: u32) -> Option<KeyCode> {
    Some(match n {
        57409 => KeyCode::Char('.'),
        57410 => KeyCode::Char('/'),
        57411 => KeyCode::Char('*'),
        57412 => KeyCode::Char('-'),
        57413 => KeyCode::Char('+'),
        57414 => KeyCode::Enter,
        57415 => KeyCode::Char('='),
        57416 => KeyCode::Char(','),
        57417 => KeyCode::Left,
        57418 => KeyCode::Right,
        57419 => KeyCode::Up,
        57420 => KeyCode::Down,
        57421 => KeyCode::PageUp,
        57422 => KeyCode::PageDown,
        57423 => KeyCode::Home,
        57424 => KeyCode::End,
        57425 => KeyCode::Insert,
        57426 => KeyCode::Delete,
        _ => return None,
    })
}

#[cfg(test)]
#[path = "kitty_keys_tests.rs"]
mod tests;
