//! Lines that scrolled off the top of the primary screen, oldest first.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::cell::Cell;
use crate::packed::{self, Packer};
use crate::wrap::Wrap;

/// A capped ring of rows, each packed (see [`packed`]): history is most of
/// a terminal's memory, and a row of cells costs 28 bytes a column, so
/// 10 000 coloured 80-column lines take ~1.3 MiB instead of ~21 MiB. The grid
/// keeps its own full-width rows for reuse, so the screen itself never
/// reallocates; reading a line back unpacks it.
#[derive(Debug)]
pub(crate) struct Scrollback {
    rows: VecDeque<Arc<[u8]>>,
    packer: Packer,
    limit: usize,
    /// Bytes held by the packed rows, for memory accounting.
    bytes: usize,
    /// Rows ever stored, less those taken back: the oldest row held is
    /// number `pushed - len` of the epoch.
    pushed: u64,
    /// Bumped when rows leave other than by age (taken back into the
    /// screen, cleared, or rewrapped to a new width), so numbers seen
    /// before may mean other rows now.
    epoch: u64,
}

/// How many rows ahead of the oldest to fetch before it is dropped.
const EVICT_AHEAD: usize = 8;

/// Brings the cache lines holding a row's counts (just before its bytes)
/// and its allocation's header (before those) towards the CPU; a hint,
/// which never faults.
#[inline]
fn prefetch(bytes: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing and cannot fault, whatever the address.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(bytes.wrapping_sub(16).cast::<i8>());
        _mm_prefetch::<_MM_HINT_T0>(bytes.wrapping_sub(24).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = bytes;
}

impl Scrollback {
    pub(crate) fn new(limit: usize) -> Scrollback {
        Scrollback { rows: VecDeque::new(), packer: Packer::default(), limit, bytes: 0, pushed: 0, epoch: 0 }
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// Row `i`'s cells (without trailing default blanks) into `out`; false
    /// when there is no such row.
    pub(crate) fn get_into(&self, i: usize, out: &mut Vec<Cell>) -> bool {
        match self.rows.get(i) {
            Some(row) => {
                packed::unpack(row, out);
                true
            }
            None => {
                out.clear();
                false
            }
        }
    }

    pub(crate) fn get(&self, i: usize) -> Option<Vec<Cell>> {
        let mut out = Vec::new();
        self.get_into(i, &mut out).then_some(out)
    }

    pub(crate) fn wrapped(&self, i: usize) -> bool {
        self.rows.get(i).is_some_and(|r| packed::wrap(r).is_wrapped())
    }

    /// The newest rows after the first `skip`, shared (not copied).
    pub(crate) fn shared(&self, skip: usize) -> Vec<Arc<[u8]>> {
        self.rows.iter().skip(skip).cloned().collect()
    }

    /// The epoch and the number after the newest row (see `pushed`).
    pub(crate) fn numbering(&self) -> (u64, u64) {
        (self.epoch, self.pushed)
    }

    /// Every row, unpacked one at a time into a buffer handed to `f`.
    pub(crate) fn for_each(&self, skip: usize, mut f: impl FnMut(&[Cell])) {
        let mut buf = Vec::new();
        for row in self.rows.iter().skip(skip) {
            packed::unpack(row, &mut buf);
            f(&buf);
        }
    }

    /// Heap bytes the rows take (their packed bytes and the ring's slots).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.bytes + self.rows.capacity() * std::mem::size_of::<Arc<[u8]>>()
            // Each row's reference counts.
            + self.rows.len() * 2 * std::mem::size_of::<usize>()
    }

    /// Stores `row`'s used part (cells from `used` on are known blank) and
    /// hands `row` back for the caller to reuse as the new bottom line.
    pub(crate) fn push(&mut self, row: Vec<Cell>, used: usize, wrap: Wrap) -> Vec<Cell> {
        if self.limit == 0 {
            return row;
        }
        if self.rows.len() >= self.limit
            && let Some(old) = self.rows.pop_front()
        {
            self.bytes -= old.len();
            // The oldest rows were last touched thousands of lines ago:
            // dropping one waits on memory for its count and its heap
            // header (most of the time a full-screen scroll took). Ask for
            // the one dropped a few lines from now, so it is at hand then.
            if let Some(next) = self.rows.get(EVICT_AHEAD) {
                prefetch(Arc::as_ptr(next).cast::<u8>());
            }
        }
        let packed = self.packer.pack(&row[..used.min(row.len())], wrap);
        self.bytes += packed.len();
        self.rows.push_back(packed);
        self.pushed += 1;
        row
    }

    /// Takes the newest row back, for when the screen grows taller and pulls
    /// history down into view (the grid pads it to its width).
    pub(crate) fn pop_newest(&mut self) -> Option<(Vec<Cell>, Wrap)> {
        let row = self.rows.pop_back()?;
        self.bytes -= row.len();
        self.pushed -= 1;
        self.epoch += 1;
        let mut cells = Vec::new();
        packed::unpack(&row, &mut cells);
        Some((cells, packed::wrap(&row)))
    }

    /// Takes every row out (oldest first) for reflow, which hands them
    /// back, rewrapped, to [`put_back`](Self::put_back).
    pub(crate) fn take_rows(&mut self) -> VecDeque<Arc<[u8]>> {
        self.bytes = 0;
        std::mem::take(&mut self.rows)
    }

    /// Packs a row as [`push`](Self::push) would, without storing it.
    pub(crate) fn pack(&mut self, row: &[Cell], wrap: Wrap) -> Arc<[u8]> {
        self.packer.pack(row, wrap)
    }

    /// Stores `rows` in place of the `taken` rows [`take_rows`](Self::take_rows)
    /// took, of which the first `kept` came back unchanged and in order
    /// (rows after them are new, rewrapped or gone back to the screen).
    /// The oldest go if there are more than the limit.
    pub(crate) fn put_back(&mut self, rows: Vec<Arc<[u8]>>, taken: usize, kept: usize) {
        if kept < taken {
            self.epoch += 1;
        }
        self.pushed = self.pushed - taken as u64 + rows.len() as u64;
        self.rows = rows.into();
        let over = self.rows.len().saturating_sub(self.limit);
        self.rows.drain(..over);
        self.bytes = self.rows.iter().map(|r| r.len()).sum();
    }

    pub(crate) fn clear(&mut self) {
        self.epoch += 1;
        self.rows.clear();
        self.rows.shrink_to_fit();
        self.bytes = 0;
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
        sb.push(row('a'), 3, Wrap::No);
        sb.push(row('b'), 3, Wrap::Yes);
        let recycled = sb.push(row('c'), 3, Wrap::No);
        assert_eq!(recycled[0].ch, 'c', "the caller gets its own row back to reuse");
        assert_eq!(sb.len(), 2);
        assert_eq!(sb.get(0).unwrap()[0].ch, 'b');
        assert_eq!(sb.get(1).unwrap()[0].ch, 'c');
        assert!(sb.heap_bytes() > 0);
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
        sb.push(r, 80, Wrap::No);
        sb.push(vec![Cell::BLANK; 80], 80, Wrap::No);
        assert_eq!(sb.get(0).unwrap().len(), 3);
        assert_eq!(sb.get(1).unwrap().len(), 0);
    }

    #[test]
    fn rows_put_back_after_reflow_go_on_numbering_or_start_an_epoch() {
        let mut sb = Scrollback::new(3);
        for c in ['a', 'b', 'c'] {
            sb.push(row(c), 3, Wrap::No);
        }
        let (epoch, end) = sb.numbering();
        // The same rows back and one more below them: the numbers go on.
        let mut rows: Vec<_> = sb.take_rows().into();
        rows.push(sb.pack(&row('d'), Wrap::No));
        sb.put_back(rows, 3, 3);
        assert_eq!(sb.numbering(), (epoch, end + 1));
        assert_eq!(sb.len(), 3, "the limit holds");
        assert_eq!(sb.get(0).unwrap()[0].ch, 'b');
        // Rows rewritten (or taken back): numbers seen before mean nothing.
        let rows: Vec<_> = sb.take_rows().into();
        sb.put_back(rows[1..].to_vec(), 3, 0);
        assert_eq!(sb.numbering().0, epoch + 1);
        assert_eq!(sb.len(), 2);
        assert!(sb.heap_bytes() > 0);
    }

    #[test]
    fn zero_limit_keeps_nothing() {
        let mut sb = Scrollback::new(0);
        let back = sb.push(row('a'), 3, Wrap::No);
        assert_eq!(back[0].ch, 'a');
        assert_eq!(sb.len(), 0);
        assert!(sb.get(0).is_none());
    }
}
