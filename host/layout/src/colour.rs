//! Pane colours (`default_fg`, `default_bg`): what a layout may write and
//! what it means.

use std::fmt;

/// A colour as a layout gives it: the text is kept, so a saved session
/// writes back what the user wrote.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Colour {
    pub text: String,
    pub value: ColourValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColourValue {
    /// A palette entry (0–255): the eight named colours are 0–7, their
    /// bright forms 8–15.
    Indexed(u8),
    Rgb(u8, u8, u8),
}

const NAMES: [&str; 8] = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];

impl Colour {
    /// `#rrggbb`, `#rgb`, `rgb:rr/gg/bb`, a palette index `0`–`255`, or a
    /// colour name (`red`, `bright-red`/`bright_red`, `grey`/`gray` for
    /// bright black).
    pub fn parse(text: &str) -> Result<Colour, String> {
        let value = parse_value(text.trim()).ok_or_else(|| {
            format!(
                "{text:?} is not a colour: write \"#rrggbb\", \"#rgb\", a palette index 0-255 or a name ({})",
                NAMES.join(", ")
            )
        })?;
        Ok(Colour { text: text.to_owned(), value })
    }
}

fn parse_value(t: &str) -> Option<ColourValue> {
    // X11's `rgb:r/g/b`, 1 to 4 hex digits each (Zellij's set-pane-color).
    if let Some(rest) = t.strip_prefix("rgb:") {
        let parts: Vec<&str> = rest.split('/').collect();
        let channel = |s: &str| -> Option<u8> {
            if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let v = u32::from_str_radix(s, 16).ok()?;
            let max = (1u32 << (4 * s.len())) - 1;
            Some(((v * 255 + max / 2) / max) as u8)
        };
        return match parts.as_slice() {
            [r, g, b] => Some(ColourValue::Rgb(channel(r)?, channel(g)?, channel(b)?)),
            _ => None,
        };
    }
    if let Some(hex) = t.strip_prefix('#') {
        let digit = |i: usize, n: usize| u8::from_str_radix(hex.get(i..i + n)?, 16).ok();
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        return match hex.len() {
            6 => Some(ColourValue::Rgb(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
            3 => Some(ColourValue::Rgb(digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17)),
            _ => None,
        };
    }
    if let Ok(n) = t.parse::<u8>() {
        return Some(ColourValue::Indexed(n));
    }
    let lower = t.to_ascii_lowercase().replace('_', "-");
    if lower == "grey" || lower == "gray" {
        return Some(ColourValue::Indexed(8));
    }
    let (bright, name) = match lower.strip_prefix("bright-") {
        Some(rest) => (true, rest),
        None => (false, lower.as_str()),
    };
    let i = NAMES.iter().position(|n| *n == name)? as u8;
    Some(ColourValue::Indexed(if bright { i + 8 } else { i }))
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(t: &str) -> Option<ColourValue> {
        Colour::parse(t).ok().map(|c| c.value)
    }

    #[test]
    fn hex_names_and_indices() {
        assert_eq!(v("#001a3a"), Some(ColourValue::Rgb(0, 0x1a, 0x3a)));
        assert_eq!(v("#00E000"), Some(ColourValue::Rgb(0, 0xe0, 0)));
        assert_eq!(v("#fa0"), Some(ColourValue::Rgb(0xff, 0xaa, 0)));
        assert_eq!(v("red"), Some(ColourValue::Indexed(1)));
        assert_eq!(v("Bright_Blue"), Some(ColourValue::Indexed(12)));
        assert_eq!(v("grey"), Some(ColourValue::Indexed(8)));
        assert_eq!(v("236"), Some(ColourValue::Indexed(236)));
        assert_eq!(v("rgb:00/e0/00"), Some(ColourValue::Rgb(0, 0xe0, 0)));
        assert_eq!(v("rgb:f/8/0"), Some(ColourValue::Rgb(0xff, 0x88, 0)));
        assert_eq!(v("rgb:ffff/0000/8080"), Some(ColourValue::Rgb(0xff, 0, 0x80)));
        for bad in ["", "#", "#12345", "#gg0000", "256", "purple", "#+12345", "rgb:00/e0", "rgb:00/e0/zz", "rgb:"] {
            assert_eq!(v(bad), None, "{bad:?}");
        }
        assert!(Colour::parse("purple").unwrap_err().contains("#rrggbb"));
        assert_eq!(Colour::parse("#00e000").unwrap().to_string(), "#00e000");
    }
}
