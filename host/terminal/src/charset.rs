//! G0/G1 character set designation, only as far as DEC Special Graphics: the
//! line-drawing set that ncurses and `dialog` still select for borders.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Charset {
    #[default]
    Ascii,
    DecSpecial,
}

impl Charset {
    /// The final byte of `ESC ( F` / `ESC ) F`. Sets this crate doesn't draw
    /// (UK, other national sets) fall back to ASCII, which is what they mostly are.
    pub(crate) fn from_final(byte: u8) -> Charset {
        match byte {
            b'0' => Charset::DecSpecial,
            _ => Charset::Ascii,
        }
    }
}

/// G0 and G1 plus which of them SI/SO shifted in. Saved and restored with the
/// cursor, as DECSC requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Charsets {
    pub(crate) g0: Charset,
    pub(crate) g1: Charset,
    pub(crate) shifted_out: bool,
}

impl Charsets {
    /// Checked once per printed character, so it is a plain comparison.
    #[inline]
    pub(crate) fn translating(&self) -> bool {
        let active = if self.shifted_out { self.g1 } else { self.g0 };
        active == Charset::DecSpecial
    }
}

/// Maps a character through DEC Special Graphics. Covers the whole 0x5f–0x7e
/// range because the symbols around the box pieces (diamond, degree, ±, π)
/// show up in the same UIs.
pub(crate) fn dec_special(c: char) -> char {
    match c {
        '_' => ' ',
        '`' => '◆',
        'a' => '▒',
        'b' => '␉',
        'c' => '␌',
        'd' => '␍',
        'e' => '␊',
        'f' => '°',
        'g' => '±',
        'h' => '␤',
        'i' => '␋',
        'j' => '┘',
        'k' => '┐',
        'l' => '┌',
        'm' => '└',
        'n' => '┼',
        'o' => '⎺',
        'p' => '⎻',
        'q' => '─',
        'r' => '⎼',
        's' => '⎽',
        't' => '├',
        'u' => '┤',
        'v' => '┴',
        'w' => '┬',
        'x' => '│',
        'y' => '≤',
        'z' => '≥',
        '{' => 'π',
        '|' => '≠',
        '}' => '£',
        '~' => '·',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_drawing_letters() {
        let mapped: String = "jklmnqtuvwx".chars().map(dec_special).collect();
        assert_eq!(mapped, "┘┐┌└┼─├┤┴┬│");
        assert_eq!(dec_special('A'), 'A');
    }

    #[test]
    fn shift_selects_g1() {
        let mut cs = Charsets { g1: Charset::from_final(b'0'), ..Charsets::default() };
        assert!(!cs.translating());
        cs.shifted_out = true;
        assert!(cs.translating());
        assert_eq!(Charset::from_final(b'B'), Charset::Ascii);
    }
}
