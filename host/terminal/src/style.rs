//! Colours and attributes of a cell, kept small and `Copy` because every cell of
//! every row (scrollback included) carries one.

use std::fmt;
use std::ops::{BitOr, BitOrAssign};

/// A cell colour as the application asked for it; palette lookup is the
/// renderer's business, so indexed colours stay indices.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Hash)]
pub enum Color {
    #[default]
    Default,
    Indexed(u8),
    Rgb(u8, u8, u8),
}

/// Text attributes as a `u16` bit set: a hand-written stand-in for `bitflags` so
/// the crate keeps its two runtime dependencies.
#[derive(Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Flags(u16);

impl Flags {
    pub const BOLD: Flags = Flags(1 << 0);
    pub const DIM: Flags = Flags(1 << 1);
    pub const ITALIC: Flags = Flags(1 << 2);
    pub const UNDERLINE: Flags = Flags(1 << 3);
    pub const BLINK: Flags = Flags(1 << 4);
    pub const REVERSE: Flags = Flags(1 << 5);
    pub const HIDDEN: Flags = Flags(1 << 6);
    pub const STRIKETHROUGH: Flags = Flags(1 << 7);
    /// `SGR 21` / `4:2`. At most one underline flag is set at a time; a
    /// renderer with a single underline style checks `ANY_UNDERLINE`.
    pub const DOUBLE_UNDERLINE: Flags = Flags(1 << 8);
    /// `SGR 4:3`, the spell-checker squiggle.
    pub const CURLY_UNDERLINE: Flags = Flags(1 << 9);
    /// `SGR 4:4`.
    pub const DOTTED_UNDERLINE: Flags = Flags(1 << 10);
    /// `SGR 4:5`.
    pub const DASHED_UNDERLINE: Flags = Flags(1 << 11);
    /// DECSCA: selective erase (DECSED, DECSEL) leaves the cell alone. Not
    /// drawn.
    pub const PROTECTED: Flags = Flags(1 << 12);
    /// Written as part of a shell's prompt (between OSC 133 `A` and `B`).
    /// Not drawn: it keeps the prompt marks with their rows through
    /// scrolling, reflow and saving.
    pub const PROMPT: Flags = Flags(1 << 13);
    /// Written as the command line typed at a prompt (OSC 133 `B` to `C`).
    pub const INPUT: Flags = Flags(1 << 14);
    /// The semantic zones; text with neither is output.
    pub const ZONES: Flags = Flags(Self::PROMPT.0 | Self::INPUT.0);
    /// What a renderer leaves out.
    pub const UNDRAWN: Flags = Flags(Self::PROTECTED.0 | Self::ZONES.0);

    /// Every underline style, so turning underline off clears whichever was on.
    pub const ANY_UNDERLINE: Flags = Flags(
        Self::UNDERLINE.0
            | Self::DOUBLE_UNDERLINE.0
            | Self::CURLY_UNDERLINE.0
            | Self::DOTTED_UNDERLINE.0
            | Self::DASHED_UNDERLINE.0,
    );

    /// The underline styles by their `SGR 4:n` number (1 to 5).
    pub const UNDERLINES: [(Flags, u8); 5] = [
        (Self::UNDERLINE, 1),
        (Self::DOUBLE_UNDERLINE, 2),
        (Self::CURLY_UNDERLINE, 3),
        (Self::DOTTED_UNDERLINE, 4),
        (Self::DASHED_UNDERLINE, 5),
    ];

    /// The `SGR 4:n` number of the underline style set, if any.
    pub fn underline(self) -> Option<u8> {
        Self::UNDERLINES.iter().find(|(f, _)| self.contains(*f)).map(|(_, n)| *n)
    }

    const NAMES: [(Flags, &'static str); 15] = [
        (Self::BOLD, "BOLD"),
        (Self::DIM, "DIM"),
        (Self::ITALIC, "ITALIC"),
        (Self::UNDERLINE, "UNDERLINE"),
        (Self::BLINK, "BLINK"),
        (Self::REVERSE, "REVERSE"),
        (Self::HIDDEN, "HIDDEN"),
        (Self::STRIKETHROUGH, "STRIKETHROUGH"),
        (Self::DOUBLE_UNDERLINE, "DOUBLE_UNDERLINE"),
        (Self::CURLY_UNDERLINE, "CURLY_UNDERLINE"),
        (Self::DOTTED_UNDERLINE, "DOTTED_UNDERLINE"),
        (Self::DASHED_UNDERLINE, "DASHED_UNDERLINE"),
        (Self::PROTECTED, "PROTECTED"),
        (Self::PROMPT, "PROMPT"),
        (Self::INPUT, "INPUT"),
    ];

    pub const fn empty() -> Flags {
        Flags(0)
    }

    /// The flags set in both.
    pub const fn intersection(self, other: Flags) -> Flags {
        Flags(self.0 & other.0)
    }

    pub(crate) const fn from_bits(bits: u16) -> Flags {
        Flags(bits)
    }

    pub const fn bits(self) -> u16 {
        self.0
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// True when every flag of `other` is set.
    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// True when at least one flag of `other` is set.
    pub const fn intersects(self, other: Flags) -> bool {
        self.0 & other.0 != 0
    }

    pub fn insert(&mut self, other: Flags) {
        self.0 |= other.0;
    }

    pub fn remove(&mut self, other: Flags) {
        self.0 &= !other.0;
    }

    pub fn set(&mut self, other: Flags, on: bool) {
        if on { self.insert(other) } else { self.remove(other) }
    }
}

impl BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

impl BitOrAssign for Flags {
    fn bitor_assign(&mut self, rhs: Flags) {
        self.0 |= rhs.0;
    }
}

impl fmt::Debug for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut set = f.debug_set();
        for (flag, name) in Self::NAMES {
            if self.contains(flag) {
                set.entry(&format_args!("{name}"));
            }
        }
        set.finish()
    }
}

/// What SGR (and OSC 8) control: the pen the cursor writes with, copied into
/// each cell. What few cells carry (an underline colour, a hyperlink) is kept
/// once per terminal in its [`Extras`](crate::Extras) table and referred to
/// by `extra`, so every cell stays small.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Hash)]
pub struct Style {
    pub fg: Color,
    pub bg: Color,
    pub flags: Flags,
    /// Index into the terminal's extras; 0 is "none".
    pub extra: u16,
}

impl Style {
    pub const DEFAULT: Style = Style { fg: Color::Default, bg: Color::Default, flags: Flags::empty(), extra: 0 };

    /// The style erased cells get: xterm's background colour erase keeps only
    /// the background, so a coloured prompt's attributes (and a hyperlink)
    /// don't leak into blanks.
    pub const fn erased(self) -> Style {
        Style { fg: Color::Default, bg: self.bg, flags: Flags::empty(), extra: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_set_and_clear_independently() {
        let mut f = Flags::BOLD | Flags::ITALIC;
        assert!(f.contains(Flags::BOLD) && f.contains(Flags::ITALIC));
        assert!(!f.contains(Flags::BOLD | Flags::UNDERLINE));
        assert!(f.intersects(Flags::BOLD | Flags::UNDERLINE));
        f.remove(Flags::BOLD);
        assert_eq!(f, Flags::ITALIC);
        f.set(Flags::HIDDEN, true);
        f.set(Flags::ITALIC, false);
        assert_eq!(f, Flags::HIDDEN);
        assert_eq!(format!("{f:?}"), "{HIDDEN}");
    }

    #[test]
    fn erased_style_keeps_only_background() {
        let s = Style { fg: Color::Indexed(1), bg: Color::Rgb(1, 2, 3), flags: Flags::REVERSE, extra: 3 };
        assert_eq!(s.erased(), Style { bg: Color::Rgb(1, 2, 3), ..Style::DEFAULT });
    }
}
