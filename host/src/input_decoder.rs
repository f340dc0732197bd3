//! Turns the bytes a terminal sends in raw mode into input events: keys
//! (with xterm's modifier encodings), SGR and X10 mouse reports, bracketed
//! pastes and focus reports.
//!
//! Whoever reads the terminal (the server for a terminal passed to it, the
//! client when it relays) decodes it here, not through crossterm's event
//! source: that source only hands out events from inside a timed
//! poll, and each key then waited on it (a millisecond per key at idle).
//! Key meanings follow crossterm's, which the server's bindings were
//! written against: `0x01`–`0x1a` are Ctrl+letter (so `\n` is Ctrl+j), an
//! upper-case letter carries Shift, ESC before a key adds Alt.

use std::time::Duration;

use crate::ipc::InputEvent;
use revenant_session::input::{Key, KeyCode, Mods, Mouse, MouseButton, MouseKind};
use revenant_session::legacy_keys::{letter_code, tilde_code};

/// How long the rest of a sequence cut off after its first bytes (`ESC [1;`)
/// may take to arrive before those bytes count as typed. Terminals write a
/// sequence at once, so its rest is already in flight. (An ESC alone at the
/// end of a read is the Esc key at once.)
const ESCAPE_WAIT: Duration = Duration::from_millis(10);
/// A bracketed paste whose end marker stays away this long is sent as it is.
const PASTE_WAIT: Duration = Duration::from_secs(1);

/// A paste longer than this goes out in pieces of it as it arrives, so
/// that neither the decoder nor one message grows with the paste.
pub const PASTE_PIECE: usize = 4 * 1024 * 1024;

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

#[derive(Default)]
pub struct InputDecoder {
    /// Bytes of a sequence whose end has not arrived yet.
    pending: Vec<u8>,
    /// Inside a bracketed paste: the text so far.
    paste: Option<Vec<u8>>,
}

enum Step {
    /// An event (or nothing, for a sequence we do not use) and how many
    /// bytes it took.
    Done(Option<InputEvent>, usize),
    /// The buffer ends inside a sequence.
    Incomplete,
    PasteStarts(usize),
}

impl InputDecoder {
    /// Decodes every complete event in what was held back plus `bytes`; an
    /// unfinished sequence waits for the next call or for [`Self::flush`].
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<InputEvent>) {
        self.pending.extend_from_slice(bytes);
        let buf = std::mem::take(&mut self.pending);
        let mut at = 0;
        while at < buf.len() {
            if let Some(paste) = &mut self.paste {
                match find(&buf[at..], PASTE_END) {
                    Some(end) => {
                        paste.extend_from_slice(&buf[at..at + end]);
                        let text = self.paste.take().unwrap_or_default();
                        out.push(InputEvent::Paste(String::from_utf8_lossy(&text).into_owned()));
                        at += end + PASTE_END.len();
                    }
                    None => {
                        // Keep what could be the start of the end marker.
                        let keep = partial_suffix(&buf[at..], PASTE_END);
                        paste.extend_from_slice(&buf[at..buf.len() - keep]);
                        if paste.len() >= PASTE_PIECE {
                            let cut = char_boundary(paste);
                            let rest = paste.split_off(cut);
                            let piece = std::mem::replace(paste, rest);
                            out.push(InputEvent::Paste(String::from_utf8_lossy(&piece).into_owned()));
                        }
                        self.pending = buf[buf.len() - keep..].to_vec();
                        return;
                    }
                }
                continue;
            }
            match step(&buf[at..]) {
                Step::Done(event, used) => {
                    out.extend(event);
                    at += used;
                }
                Step::PasteStarts(used) => {
                    self.paste = Some(Vec::new());
                    at += used;
                }
                // An ESC that ends a read is the Esc key, as crossterm
                // takes it: a terminal writes a sequence whole, while a
                // person (or `tmux send-keys Escape q`) may well type Esc and
                // then a letter within any wait we could pick.
                Step::Incomplete if &buf[at..] == b"\x1b" => {
                    out.push(key(KeyCode::Esc, Mods::default()));
                    return;
                }
                Step::Incomplete => {
                    self.pending = buf[at..].to_vec();
                    return;
                }
            }
        }
    }

    /// Whether bytes are held back waiting for the rest of a sequence.
    pub fn is_waiting(&self) -> bool {
        !self.pending.is_empty() || self.paste.is_some()
    }

    /// Whether a paste is under way: its end may take a while to arrive.
    pub fn in_paste(&self) -> bool {
        self.paste.is_some()
    }

    /// How long after the last bytes arrived to [`Self::flush`] what is
    /// held back, if anything is.
    pub fn wait(&self) -> Option<Duration> {
        match (self.in_paste(), self.is_waiting()) {
            (true, _) => Some(PASTE_WAIT),
            (false, true) => Some(ESCAPE_WAIT),
            (false, false) => None,
        }
    }

    /// The rest never came: a lone ESC was the Esc key, and the bytes of a
    /// cut-off sequence are taken as typed; an unended paste is pasted.
    pub fn flush(&mut self, out: &mut Vec<InputEvent>) {
        if let Some(mut text) = self.paste.take() {
            text.append(&mut self.pending);
            out.push(InputEvent::Paste(String::from_utf8_lossy(&text).into_owned()));
            return;
        }
        let buf = std::mem::take(&mut self.pending);
        let mut at = 0;
        while at < buf.len() {
            if buf[at] == 0x1b {
                let rest = &buf[at + 1..];
                match (!rest.is_empty()).then(|| step(rest)) {
                    Some(Step::Done(Some(InputEvent::Key(k)), used)) => {
                        out.push(InputEvent::Key(Key { code: k.code, mods: Mods { alt: true, ..k.mods } }));
                        at += 1 + used;
                    }
                    _ => {
                        out.push(key(KeyCode::Esc, Mods::default()));
                        at += 1;
                    }
                }
                continue;
            }
            match step(&buf[at..]) {
                Step::Done(event, used) => {
                    out.extend(event);
                    at += used;
                }
                // A cut-off UTF-8 character: nothing to make of it.
                Step::Incomplete | Step::PasteStarts(_) => break,
            }
        }
    }
}

fn key(code: KeyCode, mods: Mods) -> InputEvent {
    InputEvent::Key(Key { code, mods })
}

fn ctrl(c: char) -> InputEvent {
    key(KeyCode::Char(c), Mods { ctrl: true, ..Mods::default() })
}

fn step(buf: &[u8]) -> Step {
    let plain = Mods::default();
    match buf[0] {
        0x1b => escape(buf),
        b'\r' => Step::Done(Some(key(KeyCode::Enter, plain)), 1),
        b'\t' => Step::Done(Some(key(KeyCode::Tab, plain)), 1),
        0x7f => Step::Done(Some(key(KeyCode::Backspace, plain)), 1),
        0 => Step::Done(Some(ctrl(' ')), 1),
        c @ 0x01..=0x1a => Step::Done(Some(ctrl((c - 1 + b'a') as char)), 1),
        c @ 0x1c..=0x1f => Step::Done(Some(ctrl((c - 0x1c + b'4') as char)), 1),
        _ => utf8(buf),
    }
}

fn utf8(buf: &[u8]) -> Step {
    let len = match buf[0] {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        // A stray continuation byte or worse: skip it.
        _ => return Step::Done(None, 1),
    };
    if buf.len() < len {
        return Step::Incomplete;
    }
    match std::str::from_utf8(&buf[..len]).ok().and_then(|s| s.chars().next()) {
        Some(c) => {
            let mods = Mods { shift: c.is_uppercase(), ..Mods::default() };
            Step::Done(Some(key(KeyCode::Char(c), mods)), len)
        }
        None => Step::Done(None, 1),
    }
}

fn escape(buf: &[u8]) -> Step {
    let Some(&next) = buf.get(1) else { return Step::Incomplete };
    match next {
        b'[' => csi(buf),
        b'O' => {
            let Some(&last) = buf.get(2) else { return Step::Incomplete };
            match letter_code(last) {
                Some(code) => Step::Done(Some(key(code, Mods::default())), 3),
                // Not a keypad sequence: Alt+Shift+o, then another key.
                None => Step::Done(Some(key(KeyCode::Char('O'), Mods { alt: true, shift: true, ctrl: false })), 2),
            }
        }
        _ => match step(&buf[1..]) {
            Step::Done(Some(InputEvent::Key(k)), used) => {
                Step::Done(Some(key(k.code, Mods { alt: true, ..k.mods })), used + 1)
            }
            Step::Done(other, used) => Step::Done(other, used + 1),
            other => other,
        },
    }
}

/// `ESC [` parameters, intermediates, final byte.
fn csi(buf: &[u8]) -> Step {
    if buf.get(2) == Some(&b'M') {
        return x10_mouse(buf);
    }
    let Some(end) = buf[2..].iter().position(|b| (0x40..=0x7e).contains(b)).map(|i| i + 2) else {
        // Parameters may go on; anything else ends a broken sequence.
        return match buf[2..].iter().all(|b| (0x20..=0x3f).contains(b)) {
            true => Step::Incomplete,
            false => Step::Done(None, 2),
        };
    };
    let params = &buf[2..end];
    let used = end + 1;
    if &buf[..used] == PASTE_START {
        return Step::PasteStarts(used);
    }
    let event = match (params.first(), buf[end]) {
        (Some(b'<'), b'M' | b'm') => sgr_mouse(&params[1..], buf[end] == b'm'),
        (Some(b'?'), b'n') => colour_scheme(&params[1..]),
        (None, b'I') => Some(InputEvent::FocusGained),
        (None, b'O') => Some(InputEvent::FocusLost),
        (_, b'Z') => Some(key(KeyCode::BackTab, Mods { shift: true, ..Mods::default() })),
        (_, b'~') => tilde_key(params),
        (_, b'u') => csi_u_key(params),
        (_, last) => letter_code(last).map(|code| key(code, modifiers(numbers(params).get(1).copied()))),
    };
    Step::Done(event, used)
}

fn numbers(params: &[u8]) -> Vec<u32> {
    params
        .split(|&b| b == b';')
        .map(|p| {
            // `mods:event-type` (kitty) keeps the modifiers.
            let p = p.split(|&b| b == b':').next().unwrap_or(&[]);
            std::str::from_utf8(p).ok().and_then(|s| s.parse().ok()).unwrap_or(0)
        })
        .collect()
}

/// xterm's modifier parameter: 1 + (shift 1 | alt 2 | ctrl 4).
fn modifiers(param: Option<u32>) -> Mods {
    let mask = param.unwrap_or(1).saturating_sub(1);
    Mods { shift: mask & 1 != 0, alt: mask & 2 != 0, ctrl: mask & 4 != 0 }
}

fn tilde_key(params: &[u8]) -> Option<InputEvent> {
    let n = numbers(params);
    let code = tilde_code(*n.first()?)?;
    Some(key(code, modifiers(n.get(1).copied())))
}

/// `CSI codepoint ; mods u`: the kitty keyboard protocol the client asks
/// the outer terminal for (so Ctrl-i is not Tab, Alt-[ not the start of a
/// sequence), and xterm's modifyOtherKeys. A release is not a key.
fn csi_u_key(params: &[u8]) -> Option<InputEvent> {
    use revenant_session::kitty_keys::{KeyEventKind, decode_csi};
    match decode_csi(std::str::from_utf8(params).ok()?, b'u')? {
        (_, KeyEventKind::Release) => None,
        (k, _) => Some(InputEvent::Key(k)),
    }
}

/// `CSI ? 997 ; 1 n` (dark) or `; 2 n` (light): the terminal's colour
/// scheme, asked for with CSI 2031 and sent again when it changes.
fn colour_scheme(params: &[u8]) -> Option<InputEvent> {
    match numbers(params).as_slice() {
        [997, 1] => Some(InputEvent::ColourScheme { dark: true }),
        [997, 2] => Some(InputEvent::ColourScheme { dark: false }),
        _ => None,
    }
}

fn sgr_mouse(params: &[u8], release: bool) -> Option<InputEvent> {
    let n = numbers(params);
    let (&cb, &col, &row) = (n.first()?, n.get(1)?, n.get(2)?);
    let (mut kind, mods) = mouse_button(cb)?;
    if release && let MouseKind::Down(b) = kind {
        kind = MouseKind::Up(b);
    }
    let at = |v: u32| u16::try_from(v.saturating_sub(1)).unwrap_or(u16::MAX);
    Some(InputEvent::Mouse(Mouse { kind, col: at(col), row: at(row), mods }))
}

/// `ESC [ M` and three bytes, each 32 past its value.
fn x10_mouse(buf: &[u8]) -> Step {
    if buf.len() < 6 {
        return Step::Incomplete;
    }
    let v = |i: usize| u32::from(buf[i].saturating_sub(32));
    let event = mouse_button(v(3)).map(|(kind, mods)| {
        let at = |x: u32| x.saturating_sub(1) as u16;
        InputEvent::Mouse(Mouse { kind, col: at(v(4)), row: at(v(5)), mods })
    });
    Step::Done(event, 6)
}

fn mouse_button(cb: u32) -> Option<(MouseKind, Mods)> {
    let button = (cb & 0b11) | ((cb & 0b1100_0000) >> 4);
    let dragging = cb & 0b10_0000 != 0;
    let b = |n| match n {
        0 => MouseButton::Left,
        1 => MouseButton::Middle,
        _ => MouseButton::Right,
    };
    let kind = match (button, dragging) {
        (0..=2, false) => MouseKind::Down(b(button)),
        (0..=2, true) => MouseKind::Drag(b(button)),
        (3, false) => MouseKind::Up(MouseButton::Left),
        (3..=5, true) => MouseKind::Moved,
        (4, false) => MouseKind::ScrollUp,
        (5, false) => MouseKind::ScrollDown,
        _ => return None,
    };
    let mods = Mods { shift: cb & 0b100 != 0, alt: cb & 0b1000 != 0, ctrl: cb & 0b1_0000 != 0 };
    Some((kind, mods))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Where `bytes` may be cut without splitting a UTF-8 character: before
/// a last character whose bytes have not all arrived.
fn char_boundary(bytes: &[u8]) -> usize {
    let start = bytes.len().saturating_sub(4);
    match (start..bytes.len()).rev().find(|&i| bytes[i] & 0xc0 != 0x80) {
        Some(i) if std::str::from_utf8(&bytes[i..]).is_err() => i,
        _ => bytes.len(),
    }
}

/// How many bytes at the end of `buf` could begin `marker`.
fn partial_suffix(buf: &[u8], marker: &[u8]) -> usize {
    (1..marker.len().min(buf.len() + 1)).rev().find(|&n| buf.ends_with(&marker[..n])).unwrap_or(0)
}

#[cfg(test)]
#[path = "input_decoder_tests.rs"]
mod tests;
