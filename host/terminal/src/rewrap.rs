//! Laying a line's characters out again in rows of a new width, the way
//! printing them would have: a row that fills up runs on into the next,
//! and a wide character that would straddle the edge goes whole to the
//! next row, leaving the last column as padding.
//!
//! It works as a stream (characters in, finished rows out through a sink)
//! so that a line as long as the whole history costs one row of memory.

use crate::cell::Cell;
use crate::wrap::Wrap;

/// A place in the new layout, relative to the row being filled: `down` is
/// 0 for that row, 1 for the one after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Landing {
    pub(crate) down: usize,
    pub(crate) x: usize,
    /// On the last column with the wrap still to come, as a cursor is
    /// after printing there.
    pub(crate) pending: bool,
}

pub(crate) struct Rewrap {
    cols: usize,
    row: Vec<Cell>,
}

impl Rewrap {
    pub(crate) fn new(cols: usize) -> Rewrap {
        Rewrap { cols: cols.max(1), row: Vec::with_capacity(cols) }
    }

    pub(crate) fn cols(&self) -> usize {
        self.cols
    }

    /// Appends `cells` (whole wide pairs) to the line, handing each row that
    /// fills up to `sink`.
    pub(crate) fn push(&mut self, cells: &[Cell], sink: &mut impl FnMut(&[Cell], Wrap)) {
        let mut i = 0;
        while i < cells.len() {
            let cell = cells[i];
            match cell.width {
                2 => {
                    self.put_wide(cell, cells.get(i + 1).copied(), sink);
                    i += 2;
                    continue;
                }
                // A spacer without its head (never left by the grid): its
                // column still counts.
                0 => self.put(Cell::blank(cell.style.erased()), sink),
                _ => self.put(cell, sink),
            }
            i += 1;
        }
    }

    /// Where a character `width` columns wide would land if pushed next.
    pub(crate) fn landing(&self, width: usize) -> Landing {
        let width = if width == 2 && self.cols < 2 { 1 } else { width.max(1) };
        if self.row.len() + width > self.cols {
            Landing { down: 1, x: 0, pending: false }
        } else {
            Landing { down: 0, x: self.row.len(), pending: false }
        }
    }

    /// Where the line ends: just after its last character, which on a full
    /// row is its last column with the wrap pending.
    pub(crate) fn end(&self) -> Landing {
        if self.row.len() >= self.cols {
            Landing { down: 0, x: self.cols - 1, pending: true }
        } else {
            Landing { down: 0, x: self.row.len(), pending: false }
        }
    }

    /// Ends the line: its last row goes to `sink`, however short.
    pub(crate) fn end_line(&mut self, sink: &mut impl FnMut(&[Cell], Wrap)) {
        sink(&self.row, Wrap::No);
        self.row.clear();
    }

    fn put(&mut self, cell: Cell, sink: &mut impl FnMut(&[Cell], Wrap)) {
        if self.row.len() >= self.cols {
            self.run_on(Wrap::Yes, sink);
        }
        self.row.push(cell);
    }

    fn put_wide(&mut self, head: Cell, spacer: Option<Cell>, sink: &mut impl FnMut(&[Cell], Wrap)) {
        // A one-column screen cannot show a wide character; a blank keeps
        // its place, as printing it there keeps none.
        if self.cols < 2 {
            self.put(Cell::blank(head.style.erased()), sink);
            return;
        }
        if self.row.len() + 2 > self.cols {
            let wrap = if self.row.len() < self.cols {
                self.row.push(Cell::BLANK);
                Wrap::Padded
            } else {
                Wrap::Yes
            };
            self.run_on(wrap, sink);
        }
        self.row.push(head);
        self.row.push(spacer.filter(|s| s.width == 0).unwrap_or(Cell::spacer(head.style)));
    }

    fn run_on(&mut self, wrap: Wrap, sink: &mut impl FnMut(&[Cell], Wrap)) {
        sink(&self.row, wrap);
        self.row.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::Style;

    fn cells(s: &str) -> Vec<Cell> {
        let mut out = Vec::new();
        for ch in s.chars() {
            if ch > '\u{2e7f}' {
                out.push(Cell::new(ch, 2, Style::DEFAULT));
                out.push(Cell::spacer(Style::DEFAULT));
            } else {
                out.push(Cell::new(ch, 1, Style::DEFAULT));
            }
        }
        out
    }

    fn lay_out(cols: usize, line: &str) -> Vec<(String, Wrap)> {
        let mut rows = Vec::new();
        let mut sink = |row: &[Cell], wrap| {
            rows.push((row.iter().filter(|c| c.width != 0).map(|c| c.ch).collect(), wrap));
        };
        let mut r = Rewrap::new(cols);
        r.push(&cells(line), &mut sink);
        r.end_line(&mut sink);
        rows
    }

    #[test]
    fn full_rows_run_on_and_the_last_ends_the_line() {
        assert_eq!(
            lay_out(3, "abcdefg"),
            [("abc".into(), Wrap::Yes), ("def".into(), Wrap::Yes), ("g".into(), Wrap::No)]
        );
        assert_eq!(lay_out(3, "abc"), [("abc".into(), Wrap::No)], "a line that fits exactly takes one row");
        assert_eq!(lay_out(3, ""), [(String::new(), Wrap::No)]);
    }

    #[test]
    fn wide_characters_move_whole_to_the_next_row() {
        assert_eq!(lay_out(3, "a中文"), [("a中".into(), Wrap::Yes), ("文".into(), Wrap::No)]);
        assert_eq!(lay_out(3, "ab中"), [("ab ".into(), Wrap::Padded), ("中".into(), Wrap::No)]);
        // One column holds no wide character: a blank keeps its place.
        assert_eq!(lay_out(1, "中a"), [(" ".into(), Wrap::Yes), ("a".into(), Wrap::No)]);
    }

    #[test]
    fn landings_and_the_end() {
        let mut r = Rewrap::new(3);
        let mut sink = |_: &[Cell], _| {};
        r.push(&cells("ab"), &mut sink);
        assert_eq!(r.landing(1), Landing { down: 0, x: 2, pending: false });
        assert_eq!(r.landing(2), Landing { down: 1, x: 0, pending: false });
        assert_eq!(r.end(), Landing { down: 0, x: 2, pending: false });
        r.push(&cells("c"), &mut sink);
        assert_eq!(r.end(), Landing { down: 0, x: 2, pending: true });
    }
}
