//! Lines that scrolled off the top of the primary screen, oldest first.

use std::collections::VecDeque;

use crate::cell::Cell;

/// A capped ring of rows. Rows are stored without their trailing default
/// blanks, in slices of exactly their used length: most lines of history are
/// short, and a full-width row of cells costs ~24 bytes a column, so 10 000
/// lines of `seq` output take ~1 MiB instead of ~29 MiB at 120 columns. The
/// grid keeps its own full-width row for reuse, so the screen itself never
/// reallocates.
#[derive(Debug)]
pub(crate) struct Scrollback {
    rows: VecDeque<Box<[Cell]>>,
    /// Whether each row ran on into the next (an autowrap, not a newline).
    wrapped: VecDeque<bool>,
    limit: usize,
}

impl Scrollback {
    pub(crate) fn new(limit: usize) -> Scrollback {
        Scrollback { rows: VecDeque::new(), wrapped: VecDeque::new(), limit }
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    pub(crate) fn get(&self, i: usize) -> Option<&[Cell]> {
        self.rows.get(i).map(|r| &r[..])
    }

    pub(crate) fn wrapped(&self, i: usize) -> bool {
        self.wrapped.get(i).copied().unwrap_or(false)
    }

    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &[Cell]> + ExactSizeIterator {
        self.rows.iter().map(|r| &r[..])
    }

    /// Stores a copy of `row`'s used part and hands `row` back for the caller
    /// to reuse as the new bottom line.
    pub(crate) fn push(&mut self, row: Vec<Cell>, wrapped: bool) -> Vec<Cell> {
        if self.limit == 0 {
            return row;
        }
        if self.rows.len() >= self.limit {
            self.rows.pop_front();
            self.wrapped.pop_front();
        }
        let used = row.iter().rposition(|c| *c != Cell::BLANK).map_or(0, |i| i + 1);
        self.rows.push_back(row[..used].into());
        self.wrapped.push_back(wrapped);
        row
    }

    /// Takes the newest row back, for when the screen grows taller and pulls
    /// history down into view (the grid pads it to its width).
    pub(crate) fn pop_newest(&mut self) -> Option<(Vec<Cell>, bool)> {
        let wrapped = self.wrapped.pop_back().unwrap_or(false);
        self.rows.pop_back().map(|r| (Vec::from(r), wrapped))
    }

    pub(crate) fn clear(&mut self) {
        self.rows.clear();
        self.wrapped.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(c: char) -> Vec<Cell> {
        vec![Cell { ch: c, ..Cell::BLANK }; 3]
    }

    #[test]
    fn evicts_oldest_and_hands_the_row_back() {
        let mut sb = Scrollback::new(2);
        sb.push(row('a'), false);
        sb.push(row('b'), true);
        let recycled = sb.push(row('c'), false);
        assert_eq!(recycled[0].ch, 'c', "the caller gets its own row back to reuse");
        assert_eq!(sb.len(), 2);
        assert_eq!(sb.get(0).unwrap()[0].ch, 'b');
        assert_eq!(sb.get(1).unwrap()[0].ch, 'c');
        assert!(sb.wrapped(0) && !sb.wrapped(1), "the flags follow their rows");
        assert_eq!(sb.pop_newest().unwrap().0[0].ch, 'c');
        assert_eq!(sb.len(), 1);
    }

    #[test]
    fn trailing_blanks_are_not_stored() {
        let mut sb = Scrollback::new(4);
        let mut r = vec![Cell::BLANK; 80];
        r[0].ch = 'x';
        r[2].ch = 'y';
        sb.push(r, false);
        sb.push(vec![Cell::BLANK; 80], false);
        assert_eq!(sb.get(0).unwrap().len(), 3);
        assert_eq!(sb.get(1).unwrap().len(), 0);
    }

    #[test]
    fn zero_limit_keeps_nothing() {
        let mut sb = Scrollback::new(0);
        let back = sb.push(row('a'), false);
        assert_eq!(back[0].ch, 'a');
        assert_eq!(sb.len(), 0);
        assert!(sb.get(0).is_none());
    }
}
