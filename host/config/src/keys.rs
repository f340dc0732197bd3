//! Key specs as written in `bind "Ctrl p"`: modifiers, then one key.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyName {
    /// A printable character; `Space` is `Char(' ')`.
    Char(char),
    Enter,
    Esc,
    Backspace,
    Tab,
    /// Shift+Tab: terminals send it as its own key, so `Shift Tab` parses to this.
    BackTab,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    /// Function keys F1 to F24.
    F(u8),
}

/// A key with its modifiers.
///
/// Parsing canonicalizes the spellings a terminal cannot tell apart, so that
/// equal keys compare equal: `Shift a` is `A` and `Shift Tab` is `BackTab`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeySpec {
    pub key: KeyName,
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

impl KeySpec {
    pub const fn plain(key: KeyName) -> Self {
        KeySpec { key, ctrl: false, alt: false, shift: false }
    }

    pub const fn ctrl(key: KeyName) -> Self {
        KeySpec { ctrl: true, ..Self::plain(key) }
    }

    pub const fn alt(key: KeyName) -> Self {
        KeySpec { alt: true, ..Self::plain(key) }
    }

    pub const fn char(c: char) -> Self {
        Self::plain(KeyName::Char(c))
    }

    /// The compact form the status bar shows: arrows as glyphs, paging keys
    /// abbreviated.
    pub fn hint_label(&self) -> String {
        let key = match self.key {
            KeyName::Left => "←".to_owned(),
            KeyName::Right => "→".to_owned(),
            KeyName::Up => "↑".to_owned(),
            KeyName::Down => "↓".to_owned(),
            KeyName::PageUp => "PgUp".to_owned(),
            KeyName::PageDown => "PgDn".to_owned(),
            other => other.to_string(),
        };
        format!("{}{key}", self.modifier_prefix())
    }

    pub(crate) fn has_modifiers(&self) -> bool {
        self.ctrl || self.alt || self.shift
    }

    pub(crate) fn modifier_prefix(&self) -> String {
        let mut out = String::new();
        for (on, name) in [(self.ctrl, "Ctrl "), (self.alt, "Alt "), (self.shift, "Shift ")] {
            if on {
                out.push_str(name);
            }
        }
        out
    }

    fn canonical(mut self) -> Self {
        if self.shift {
            match self.key {
                KeyName::Tab | KeyName::BackTab => {
                    self.key = KeyName::BackTab;
                    self.shift = false;
                }
                KeyName::Char(c) if c.is_lowercase() && c.to_uppercase().count() == 1 => {
                    self.key = KeyName::Char(c.to_uppercase().next().unwrap_or(c));
                    self.shift = false;
                }
                KeyName::Char(c) if c.is_uppercase() => self.shift = false,
                _ => {}
            }
        }
        self
    }
}

/// Named keys, matched without regard to case. The first spelling is the
/// one `Display` writes.
const NAMED: &[(&[&str], KeyName)] = &[
    (&["Enter", "Return"], KeyName::Enter),
    (&["Esc", "Escape"], KeyName::Esc),
    (&["Backspace"], KeyName::Backspace),
    (&["Tab"], KeyName::Tab),
    (&["BackTab"], KeyName::BackTab),
    (&["Delete", "Del"], KeyName::Delete),
    (&["Insert", "Ins"], KeyName::Insert),
    (&["Up"], KeyName::Up),
    (&["Down"], KeyName::Down),
    (&["Left"], KeyName::Left),
    (&["Right"], KeyName::Right),
    (&["Home"], KeyName::Home),
    (&["End"], KeyName::End),
    (&["PageUp", "PgUp"], KeyName::PageUp),
    (&["PageDown", "PgDn"], KeyName::PageDown),
    (&["Space"], KeyName::Char(' ')),
];

const MAX_F: u8 = 24;

impl KeyName {
    fn parse(token: &str) -> Option<KeyName> {
        let mut chars = token.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Some(KeyName::Char(c));
        }
        if let Some((_, key)) = NAMED.iter().find(|(names, _)| names.iter().any(|n| n.eq_ignore_ascii_case(token))) {
            return Some(*key);
        }
        let digits = token.strip_prefix(['F', 'f'])?;
        if digits.starts_with('0') {
            return None;
        }
        digits.parse::<u8>().ok().filter(|n| (1..=MAX_F).contains(n)).map(KeyName::F)
    }
}

impl fmt::Display for KeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyName::Char(' ') => f.write_str("Space"),
            KeyName::Char(c) => write!(f, "{c}"),
            KeyName::F(n) => write!(f, "F{n}"),
            other => {
                let (names, _) = NAMED.iter().find(|(_, k)| k == other).expect("every named key is in NAMED");
                f.write_str(names[0])
            }
        }
    }
}

/// Writes the form [`KeySpec::from_str`] reads back.
impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.modifier_prefix(), self.key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyParseError {
    #[error("empty key")]
    Empty,
    #[error("unknown key `{0}`")]
    UnknownKey(String),
    #[error("`{0}` is a modifier with no key after it")]
    MissingKey(String),
    #[error("`{0}` is given twice")]
    RepeatedModifier(String),
    #[error("`{0}` and `{1}` are two keys; a binding is one key and its modifiers")]
    TwoKeys(String, String),
    #[error("unknown modifier `{0}`")]
    UnknownModifier(String),
    #[error("`{0}` joins modifiers with `+`; separate them with spaces")]
    PlusJoined(String),
}

impl KeyParseError {
    /// A hint at the right spelling, for config error reports.
    pub fn help(&self) -> String {
        match self {
            KeyParseError::PlusJoined(s) => format!("write `{}`", s.split('+').collect::<Vec<_>>().join(" ")),
            _ => "keys look like \"Ctrl p\", \"Alt Left\", \"Ctrl Alt x\", \"Shift Tab\", \"F1\", \"PageDown\", \"Esc\", \
                  \"Space\" or a single character; modifiers are Ctrl, Alt and Shift"
                .to_owned(),
        }
    }
}

enum Modifier {
    Ctrl,
    Alt,
    Shift,
}

fn modifier(token: &str) -> Option<Modifier> {
    match token.to_ascii_lowercase().as_str() {
        "ctrl" | "control" => Some(Modifier::Ctrl),
        "alt" | "meta" => Some(Modifier::Alt),
        "shift" => Some(Modifier::Shift),
        _ => None,
    }
}

impl FromStr for KeySpec {
    type Err = KeyParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // A lone space is a key, not a separator.
        if s == " " {
            return Ok(KeySpec::char(' '));
        }
        let tokens: Vec<&str> = s.split_whitespace().collect();
        let Some((last, mods)) = tokens.split_last() else { return Err(KeyParseError::Empty) };
        let mut spec = KeySpec::plain(KeyName::Char(' '));
        for token in mods {
            let flag = match modifier(token) {
                Some(Modifier::Ctrl) => &mut spec.ctrl,
                Some(Modifier::Alt) => &mut spec.alt,
                Some(Modifier::Shift) => &mut spec.shift,
                None if KeyName::parse(token).is_some() => {
                    return Err(KeyParseError::TwoKeys((*token).to_owned(), (*last).to_owned()));
                }
                None => {
                    return Err(plus_joined(token).unwrap_or_else(|| KeyParseError::UnknownModifier((*token).into())));
                }
            };
            if *flag {
                return Err(KeyParseError::RepeatedModifier((*token).to_owned()));
            }
            *flag = true;
        }
        if modifier(last).is_some() {
            return Err(KeyParseError::MissingKey((*last).to_owned()));
        }
        spec.key = match KeyName::parse(last) {
            Some(key) => key,
            None => return Err(plus_joined(last).unwrap_or_else(|| KeyParseError::UnknownKey((*last).into()))),
        };
        Ok(spec.canonical())
    }
}

/// `Ctrl+p` is how many other programs write keys; say so instead of
/// calling it an unknown key.
fn plus_joined(token: &str) -> Option<KeyParseError> {
    let (head, _) = token.split_once('+')?;
    modifier(head).map(|_| KeyParseError::PlusJoined(token.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> KeySpec {
        s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn parses_the_documented_spellings() {
        let table: &[(&str, KeySpec)] = &[
            ("Ctrl p", KeySpec::ctrl(KeyName::Char('p'))),
            ("Alt Left", KeySpec::alt(KeyName::Left)),
            ("Ctrl Alt x", KeySpec { ctrl: true, alt: true, ..KeySpec::char('x') }),
            ("Alt Ctrl x", KeySpec { ctrl: true, alt: true, ..KeySpec::char('x') }),
            ("Shift Tab", KeySpec::plain(KeyName::BackTab)),
            ("BackTab", KeySpec::plain(KeyName::BackTab)),
            ("Shift a", KeySpec::char('A')),
            ("Shift Up", KeySpec { shift: true, ..KeySpec::plain(KeyName::Up) }),
            ("F1", KeySpec::plain(KeyName::F(1))),
            ("F12", KeySpec::plain(KeyName::F(12))),
            ("f24", KeySpec::plain(KeyName::F(24))),
            ("PageDown", KeySpec::plain(KeyName::PageDown)),
            ("pgup", KeySpec::plain(KeyName::PageUp)),
            ("Esc", KeySpec::plain(KeyName::Esc)),
            ("ESCAPE", KeySpec::plain(KeyName::Esc)),
            ("Enter", KeySpec::plain(KeyName::Enter)),
            ("Space", KeySpec::char(' ')),
            (" ", KeySpec::char(' ')),
            ("Backspace", KeySpec::plain(KeyName::Backspace)),
            ("Delete", KeySpec::plain(KeyName::Delete)),
            ("Home", KeySpec::plain(KeyName::Home)),
            ("x", KeySpec::char('x')),
            ("F", KeySpec::char('F')),
            ("1", KeySpec::char('1')),
            ("+", KeySpec::char('+')),
            ("-", KeySpec::char('-')),
            ("=", KeySpec::char('=')),
            ("Alt +", KeySpec::alt(KeyName::Char('+'))),
            ("  ctrl   q ", KeySpec::ctrl(KeyName::Char('q'))),
            ("é", KeySpec::char('é')),
        ];
        for (text, want) in table {
            assert_eq!(key(text), *want, "{text:?}");
        }
    }

    #[test]
    fn rejects_bad_spellings() {
        let table: &[(&str, KeyParseError)] = &[
            ("", KeyParseError::Empty),
            ("   ", KeyParseError::Empty),
            ("Ctrl", KeyParseError::MissingKey("Ctrl".into())),
            ("Ctrl Foo", KeyParseError::UnknownKey("Foo".into())),
            ("Hyper p", KeyParseError::UnknownModifier("Hyper".into())),
            ("Ctrl Ctrl p", KeyParseError::RepeatedModifier("Ctrl".into())),
            ("p q", KeyParseError::TwoKeys("p".into(), "q".into())),
            ("Ctrl+p", KeyParseError::PlusJoined("Ctrl+p".into())),
            ("F0", KeyParseError::UnknownKey("F0".into())),
            ("F25", KeyParseError::UnknownKey("F25".into())),
            ("F01", KeyParseError::UnknownKey("F01".into())),
            ("pp", KeyParseError::UnknownKey("pp".into())),
        ];
        for (text, want) in table {
            assert_eq!(text.parse::<KeySpec>().as_ref(), Err(want), "{text:?}");
        }
        assert_eq!(KeyParseError::PlusJoined("Ctrl+p".into()).help(), "write `Ctrl p`");
    }

    #[test]
    fn display_reads_back() {
        for text in ["Ctrl p", "Ctrl Alt x", "Alt Left", "BackTab", "F7", "Space", "PageUp", "Shift Up", "+", "Esc"] {
            let spec = key(text);
            assert_eq!(spec.to_string(), text);
            assert_eq!(key(&spec.to_string()), spec);
        }
        assert_eq!(key("Alt Ctrl del").to_string(), "Ctrl Alt Delete");
    }

    #[test]
    fn hint_labels_are_compact() {
        assert_eq!(key("Alt Left").hint_label(), "Alt ←");
        assert_eq!(key("PageDown").hint_label(), "PgDn");
        assert_eq!(key("Ctrl p").hint_label(), "Ctrl p");
        assert_eq!(key("Space").hint_label(), "Space");
    }
}
