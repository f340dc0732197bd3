//! Lines that scrolled off the top of the primary screen, oldest first.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::cell::Cell;
use crate::packed::{self, Packer};
use crate::wrap::Wrap;

/// Rows a block holds when full.
const BLOCK_ROWS: usize = 64;

/// Packed rows (see [`packed`]) end to end in one allocation. A row of its
/// own cost a heap header, two reference counts and a slot besides its
/// bytes: about 48 bytes on an 80-column coloured line of 120, which a
/// block spends on a 4-byte end.
#[derive(Debug, Clone, Default)]
struct Block {
    bytes: Vec<u8>,
    /// Where each row ends in `bytes`.
    ends: Vec<u32>,
}

impl Block {
    fn with_capacity(bytes: usize) -> Block {
        Block { bytes: Vec::with_capacity(bytes), ends: Vec::with_capacity(BLOCK_ROWS) }
    }

    fn row(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        Some(&self.bytes[start..end])
    }

    fn push(&mut self, row: &[u8]) {
        self.bytes.extend_from_slice(row);
        self.ends.push(self.bytes.len() as u32);
        // Its capacity was a guess from its first row, and doubling past it
        // can leave half a block unused for as long as the block lives.
        if self.is_full() {
            self.bytes.shrink_to_fit();
        }
    }

    /// Heap bytes of the block: its rows, its ends, its counts and itself.
    fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
            + self.ends.capacity() * 4
            + 2 * std::mem::size_of::<usize>()
            + std::mem::size_of::<Block>()
    }

    fn is_full(&self) -> bool {
        self.ends.len() >= BLOCK_ROWS
    }
}

/// Rows in blocks, the first `skip` of the first block not counted (gone
/// by age: a block goes once all its rows have). Every block but the last
/// is full, so row `i` is found by division.
#[derive(Debug, Clone, Default)]
struct Rows {
    blocks: VecDeque<Arc<Block>>,
    skip: usize,
    len: usize,
}

impl Rows {
    fn get(&self, i: usize) -> Option<&[u8]> {
        if i >= self.len {
            return None;
        }
        let at = self.skip + i;
        self.blocks.get(at / BLOCK_ROWS)?.row(at % BLOCK_ROWS)
    }

    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len).filter_map(|i| self.get(i))
    }

    /// Appends one packed row, starting a block when the last is full. A
    /// block a save still shares is copied first (at most once a save).
    fn push(&mut self, row: &[u8]) {
        match self.blocks.back_mut() {
            Some(last) if !last.is_full() => Arc::make_mut(last).push(row),
            _ => {
                let mut block = Block::with_capacity(row.len() * BLOCK_ROWS);
                block.push(row);
                self.blocks.push_back(Arc::new(block));
            }
        }
        self.len += 1;
    }

    /// The rows from `from` on, sharing the blocks that hold them.
    fn tail(&self, from: usize) -> Rows {
        let from = from.min(self.len);
        let at = self.skip + from;
        Rows {
            blocks: self.blocks.iter().skip(at / BLOCK_ROWS).cloned().collect(),
            skip: at % BLOCK_ROWS,
            len: self.len - from,
        }
    }
}

/// History rows shared with a copy (a count per block, not their bytes),
/// for a save to dump while the terminal goes on.
#[derive(Debug, Clone, Default)]
pub(crate) struct SharedRows(Rows);

impl SharedRows {
    pub(crate) fn len(&self) -> usize {
        self.0.len
    }

    pub(crate) fn get(&self, i: usize) -> Option<&[u8]> {
        self.0.get(i)
    }

    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.0.iter()
    }
}

/// A capped ring of packed rows, in blocks: history is most of a
/// terminal's memory, and a row of cells costs 28 bytes a column, so
/// 10 000 coloured 80-column lines take ~1.2 MiB instead of ~21 MiB. The
/// grid keeps its own full-width rows for reuse, so the screen itself never
/// reallocates; reading a line back unpacks it.
#[derive(Debug)]
pub(crate) struct Scrollback {
    rows: Rows,
    packer: Packer,
    limit: usize,
    /// Rows ever stored, less those taken back: the oldest row held is
    /// number `pushed - len` of the epoch.
    pushed: u64,
    /// Bumped when rows leave other than by age (taken back into the
    /// screen, cleared, or rewrapped to a new width), so numbers seen
    /// before may mean other rows now.
    epoch: u64,
}

impl Scrollback {
    pub(crate) fn new(limit: usize) -> Scrollback {
        Scrollback { rows: Rows::default(), packer: Packer::default(), limit, pushed: 0, epoch: 0 }
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len
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
    pub(crate) fn shared(&self, skip: usize) -> SharedRows {
        SharedRows(self.rows.tail(skip))
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

    /// Heap bytes the rows take (their blocks, and the ring's slots).
    pub(crate) fn heap_bytes(&self) -> usize {
        let blocks: usize = self.rows.blocks.iter().map(|b| b.heap_bytes()).sum();
        blocks + self.rows.blocks.capacity() * std::mem::size_of::<Arc<Block>>()
    }

    /// Drops the oldest row; its block goes with its last row.
    fn drop_oldest(&mut self) {
        let rows = &mut self.rows;
        if rows.len == 0 {
            return;
        }
        rows.len -= 1;
        rows.skip += 1;
        if rows.len == 0 {
            *rows = Rows::default();
        } else if rows.skip == BLOCK_ROWS {
            rows.blocks.pop_front();
            rows.skip = 0;
        }
    }

    /// Stores `row`'s used part (cells from `used` on are known blank) and
    /// hands `row` back for the caller to reuse as the new bottom line.
    pub(crate) fn push(&mut self, row: Vec<Cell>, used: usize, wrap: Wrap) -> Vec<Cell> {
        if self.limit == 0 {
            return row;
        }
        if self.rows.len >= self.limit {
            self.drop_oldest();
        }
        self.rows.push(self.packer.pack_bytes(&row[..used.min(row.len())], wrap));
        self.pushed += 1;
        row
    }

    /// Takes the newest row back, for when the screen grows taller and pulls
    /// history down into view (the grid pads it to its width).
    pub(crate) fn pop_newest(&mut self) -> Option<(Vec<Cell>, Wrap)> {
        let newest = self.rows.get(self.rows.len.checked_sub(1)?)?;
        let mut cells = Vec::new();
        packed::unpack(newest, &mut cells);
        let wrap = packed::wrap(newest);
        let rows = &mut self.rows;
        let block = Arc::make_mut(rows.blocks.back_mut()?);
        block.ends.pop();
        block.bytes.truncate(block.ends.last().map_or(0, |e| *e as usize));
        if block.ends.is_empty() {
            rows.blocks.pop_back();
        }
        rows.len -= 1;
        if rows.len == 0 {
            *rows = Rows::default();
        }
        self.pushed -= 1;
        self.epoch += 1;
        Some((cells, wrap))
    }

    /// Takes every row out (oldest first) for reflow, which hands them
    /// back, rewrapped, to [`put_back`](Self::put_back).
    pub(crate) fn take_rows(&mut self) -> Vec<Arc<[u8]>> {
        let rows = std::mem::take(&mut self.rows);
        rows.iter().map(Arc::from).collect()
    }

    /// Packs a row as [`push`](Self::push) would, without storing it.
    pub(crate) fn pack(&mut self, row: &[Cell], wrap: Wrap) -> Arc<[u8]> {
        Arc::from(self.packer.pack_bytes(row, wrap))
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
        self.rows = Rows::default();
        let over = rows.len().saturating_sub(self.limit);
        for row in &rows[over..] {
            self.rows.push(row);
        }
    }

    pub(crate) fn clear(&mut self) {
        self.epoch += 1;
        self.rows = Rows::default();
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
        let mut rows = sb.take_rows();
        rows.push(sb.pack(&row('d'), Wrap::No));
        sb.put_back(rows, 3, 3);
        assert_eq!(sb.numbering(), (epoch, end + 1));
        assert_eq!(sb.len(), 3, "the limit holds");
        assert_eq!(sb.get(0).unwrap()[0].ch, 'b');
        // Rows rewritten (or taken back): numbers seen before mean nothing.
        let rows = sb.take_rows();
        sb.put_back(rows[1..].to_vec(), 3, 0);
        assert_eq!(sb.numbering().0, epoch + 1);
        assert_eq!(sb.len(), 2);
        assert!(sb.heap_bytes() > 0);
    }

    fn text(sb: &Scrollback, i: usize) -> String {
        sb.get(i).unwrap().iter().map(|c| c.ch).collect()
    }

    fn line(n: usize) -> Vec<Cell> {
        format!("{n:05}").chars().map(|ch| Cell { ch, ..Cell::BLANK }).collect()
    }

    #[test]
    fn rows_across_blocks_keep_their_order_through_eviction_copies_and_pops() {
        let limit = 3 * BLOCK_ROWS + 5;
        let mut sb = Scrollback::new(limit);
        for n in 0..1000 {
            sb.push(line(n), 5, if n.is_multiple_of(3) { Wrap::Yes } else { Wrap::No });
        }
        assert_eq!(sb.len(), limit);
        let oldest = 1000 - limit;
        for i in [0, 1, BLOCK_ROWS - 1, BLOCK_ROWS, limit - 1] {
            assert_eq!(text(&sb, i), format!("{:05}", oldest + i), "row {i}");
            assert_eq!(sb.wrapped(i), (oldest + i).is_multiple_of(3));
        }
        // A copy keeps the rows it was taken with while the history goes on.
        let copy = sb.shared(limit - 10);
        for n in 1000..1100 {
            sb.push(line(n), 5, Wrap::No);
        }
        let copied: Vec<&[u8]> = copy.iter().collect();
        assert_eq!(copied.len(), 10);
        let mut cells = Vec::new();
        packed::unpack(copied[9], &mut cells);
        assert_eq!(cells.iter().map(|c| c.ch).collect::<String>(), "00999");
        assert_eq!(text(&sb, limit - 1), "01099");
        // Taking rows back crosses block boundaries too.
        for n in (1000..1100).rev() {
            let (cells, _) = sb.pop_newest().unwrap();
            assert_eq!(cells.iter().map(|c| c.ch).collect::<String>(), format!("{n:05}"));
        }
        assert_eq!(text(&sb, sb.len() - 1), "00999");
        while sb.pop_newest().is_some() {}
        assert_eq!(sb.len(), 0);
        sb.push(line(7), 5, Wrap::No);
        assert_eq!(text(&sb, 0), "00007");
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
