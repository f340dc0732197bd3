//! How a row ends: where its line ends, or that the text ran on into the
//! next row. Reflow joins and splits lines by this, and the saved screen
//! text carries it, so it travels with the row from the screen into
//! history and back.

use crate::cell::Cell;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Wrap {
    /// The line ends here (a newline, or text that stopped short).
    #[default]
    No,
    /// The text reached the right edge and ran on into the next row.
    Yes,
    /// Ran on because a wide character did not fit in the last column and
    /// went to the next row: that column is padding, not text, so joining
    /// the rows again must leave it out.
    Padded,
}

impl Wrap {
    pub(crate) fn is_wrapped(self) -> bool {
        self != Wrap::No
    }
}

/// How many cells of a row (`cols` wide when it was written; history rows
/// come without their trailing default blanks) belong to its line when it
/// runs on: all of them up to the edge, blanks too, but for a padded row
/// not the padding. `None` when it does not run on: then only its text
/// counts.
pub(crate) fn line_width(row: &[Cell], wrap: Wrap, cols: usize) -> Option<usize> {
    match wrap {
        Wrap::No => None,
        Wrap::Yes => Some(cols),
        Wrap::Padded => {
            // Only a default blank is padding: anything else there (a program
            // wrote over it, or a coloured background was erased into it
            // before) is kept, so a replay at the same width gives the same
            // cells.
            let padding = row.get(cols - 1).is_none_or(|c| *c == Cell::BLANK);
            Some(if padding { cols - 1 } else { cols })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Wrap;
    use crate::{Terminal, packed};

    #[test]
    fn a_wide_character_that_did_not_fit_leaves_padding_in_history_too() {
        let mut t = Terminal::new(4, 4, 10);
        // At the last column "中" does not fit; after "abcd" it wraps as any
        // character would.
        t.advance("abc中\r\nabcd中".as_bytes());
        let wraps: Vec<Wrap> = (0..4).map(|y| t.state.grid.wrap(y)).collect();
        assert_eq!(wraps, [Wrap::Padded, Wrap::No, Wrap::Yes, Wrap::No]);
        t.advance(b"\r\n\r\n\r\n");
        let history: Vec<Wrap> = t.state.scrollback.shared(0).iter().map(packed::wrap).collect();
        assert_eq!(history, [Wrap::Padded, Wrap::No, Wrap::Yes]);
    }
}
