//! One screen position. Kept `Copy` and fixed-size (28 bytes) so rows are flat
//! `Vec<Cell>`s that scroll and recycle without touching the allocator.

use crate::style::Style;

/// How many zero-width marks a cell keeps inline. Two covers decomposed
/// Vietnamese and most accented Latin; more would grow every cell for a rare
/// case, so further marks are dropped.
pub const MAX_COMBINING: usize = 2;

/// Zero-width characters (combining accents, variation selectors, ZWJ) that
/// follow a cell's base character. Inline rather than in a side table so cells
/// stay comparable across terminals and need no garbage collection.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Hash)]
pub struct Combining([Option<char>; MAX_COMBINING]);

impl Combining {
    pub const NONE: Combining = Combining([None; MAX_COMBINING]);

    pub fn is_empty(&self) -> bool {
        self.0[0].is_none()
    }

    pub fn iter(&self) -> impl Iterator<Item = char> + '_ {
        self.0.iter().map_while(|c| *c)
    }

    /// Returns false when the mark had to be dropped because the cell is full.
    pub fn push(&mut self, c: char) -> bool {
        match self.0.iter_mut().find(|slot| slot.is_none()) {
            Some(slot) => {
                *slot = Some(c);
                true
            }
            None => false,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct Cell {
    pub ch: char,
    /// 1, or 2 for a wide character, or 0 for the spacer to the right of one.
    /// The spacer exists so that column indices stay screen columns.
    pub width: u8,
    pub style: Style,
    pub combining: Combining,
}

impl Default for Cell {
    fn default() -> Cell {
        Cell::BLANK
    }
}

impl Cell {
    pub const BLANK: Cell = Cell { ch: ' ', width: 1, style: Style::DEFAULT, combining: Combining::NONE };

    /// A blank in the given style, which is how erase operations honour the
    /// current background colour.
    pub const fn blank(style: Style) -> Cell {
        Cell { ch: ' ', width: 1, style, combining: Combining::NONE }
    }

    pub(crate) const fn new(ch: char, width: u8, style: Style) -> Cell {
        Cell { ch, width, style, combining: Combining::NONE }
    }

    /// The right half of a wide character; it shares the head's style so a
    /// renderer drawing cell by cell paints the background of both halves.
    pub(crate) const fn spacer(style: Style) -> Cell {
        Cell { ch: ' ', width: 0, style, combining: Combining::NONE }
    }

    pub fn is_wide(&self) -> bool {
        self.width == 2
    }

    pub fn is_spacer(&self) -> bool {
        self.width == 0
    }

    /// Appends the cell's text (base character and marks) to `out`; spacers add
    /// nothing because their wide head already stands for both columns.
    pub fn push_text(&self, out: &mut String) {
        if self.width == 0 {
            return;
        }
        out.push(self.ch);
        out.extend(self.combining.iter());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_stays_small() {
        // Underline colours and hyperlinks are an index into the terminal's
        // extras (2 bytes), not in the cell.
        assert!(std::mem::size_of::<Cell>() <= 28, "{}", std::mem::size_of::<Cell>());
    }

    #[test]
    fn combining_keeps_two_marks_then_drops() {
        let mut c = Combining::NONE;
        assert!(c.is_empty());
        assert!(c.push('\u{301}'));
        assert!(c.push('\u{323}'));
        assert!(!c.push('\u{308}'));
        assert_eq!(c.iter().collect::<String>(), "\u{301}\u{323}");
    }

    #[test]
    fn push_text_skips_spacers_and_keeps_marks() {
        let mut s = String::new();
        let mut e = Cell::new('e', 1, Style::DEFAULT);
        e.combining.push('\u{301}');
        e.push_text(&mut s);
        Cell::spacer(Style::DEFAULT).push_text(&mut s);
        assert_eq!(s, "e\u{301}");
    }
}
