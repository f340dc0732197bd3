//! Lines that scrolled off the top of the primary screen, oldest first.

use std::collections::VecDeque;

use crate::cell::Cell;

/// A capped ring of rows. Once full, every push evicts the oldest row and hands
/// its `Vec` back so the grid can reuse the allocation for the new bottom line:
/// a long `cat` then runs without touching the allocator.
#[derive(Debug)]
pub(crate) struct Scrollback {
    rows: VecDeque<Vec<Cell>>,
    limit: usize,
}

impl Scrollback {
    pub(crate) fn new(limit: usize) -> Scrollback {
        Scrollback { rows: VecDeque::new(), limit }
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    pub(crate) fn get(&self, i: usize) -> Option<&[Cell]> {
        self.rows.get(i).map(Vec::as_slice)
    }

    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &[Cell]> + ExactSizeIterator {
        self.rows.iter().map(Vec::as_slice)
    }

    /// Stores `row` and returns a `Vec` for the caller to reuse: the evicted
    /// oldest row when full, `row` itself when the limit is zero, otherwise a
    /// fresh one (the history is still growing, so it must allocate).
    pub(crate) fn push(&mut self, row: Vec<Cell>) -> Vec<Cell> {
        if self.limit == 0 {
            return row;
        }
        let recycled = if self.rows.len() >= self.limit { self.rows.pop_front() } else { None };
        let capacity = row.len();
        self.rows.push_back(row);
        recycled.unwrap_or_else(|| Vec::with_capacity(capacity))
    }

    /// Takes the newest row back, for when the screen grows taller and pulls
    /// history down into view.
    pub(crate) fn pop_newest(&mut self) -> Option<Vec<Cell>> {
        self.rows.pop_back()
    }

    pub(crate) fn clear(&mut self) {
        self.rows.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(c: char) -> Vec<Cell> {
        vec![Cell { ch: c, ..Cell::BLANK }; 3]
    }

    #[test]
    fn evicts_oldest_and_recycles_its_vec() {
        let mut sb = Scrollback::new(2);
        sb.push(row('a'));
        sb.push(row('b'));
        let recycled = sb.push(row('c'));
        assert_eq!(recycled[0].ch, 'a');
        assert_eq!(sb.len(), 2);
        assert_eq!(sb.get(0).unwrap()[0].ch, 'b');
        assert_eq!(sb.get(1).unwrap()[0].ch, 'c');
        assert_eq!(sb.pop_newest().unwrap()[0].ch, 'c');
        assert_eq!(sb.len(), 1);
    }

    #[test]
    fn zero_limit_keeps_nothing() {
        let mut sb = Scrollback::new(0);
        let back = sb.push(row('a'));
        assert_eq!(back[0].ch, 'a');
        assert_eq!(sb.len(), 0);
        assert!(sb.get(0).is_none());
    }
}
