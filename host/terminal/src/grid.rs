//! The visible cells of one screen (primary or alternate) and the row and cell
//! shuffles the control sequences are built from. It knows nothing of cursors
//! or escape sequences; callers clamp coordinates, and every method here still
//! clamps again so that a caller's slip can't panic.
//!
//! Invariant kept by every method: a wide cell (width 2) is always directly
//! followed by its spacer (width 0), and a spacer always directly follows a
//! wide cell. Operations that would cut a pair in half blank the other half.

use std::collections::VecDeque;

use crate::cell::Cell;
use crate::wrap::Wrap;

/// One screen line. Kept together so a scroll moves each line once.
#[derive(Debug, Clone)]
struct Row {
    /// Empty until something is written to the row, else the screen's
    /// width: a pane's memory grows with what is written, not with its
    /// size (a blank 10000-column screen costs no cell per row).
    cells: Vec<Cell>,
    /// Every cell from this column on is `Cell::BLANK`. An upper bound,
    /// raised by writes and lowered by blanking, so scrolling a short line
    /// blanks (and packs into history) only its used part instead of 28
    /// bytes for every column of the screen.
    used: usize,
    /// Whether the text ran on into the next row (an autowrap), so copying
    /// and reflow join the two.
    wrap: Wrap,
}

impl Row {
    fn blank() -> Row {
        Row { cells: Vec::new(), used: 0, wrap: Wrap::No }
    }

    /// The row's cells at the full width `cols`, allocated now if never
    /// written.
    fn cells_mut(&mut self, cols: usize) -> &mut Vec<Cell> {
        if self.cells.len() != cols {
            fit_row(&mut self.cells, cols);
        }
        &mut self.cells
    }
}

/// The screen's rows, in a ring: scrolling the whole screen (by far the
/// most common scroll: one short line of output moves every row) turns
/// the ring instead of moving every row.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    rows: VecDeque<Row>,
    cols: usize,
    /// What a row never written to reads as.
    blank: Vec<Cell>,
}

impl Grid {
    pub(crate) fn new(cols: usize, rows: usize) -> Grid {
        Grid { rows: (0..rows).map(|_| Row::blank()).collect(), cols, blank: vec![Cell::BLANK; cols] }
    }

    fn set_width(&mut self, cols: usize) {
        self.cols = cols;
        self.blank = vec![Cell::BLANK; cols];
    }

    pub(crate) fn wrapped(&self, y: usize) -> bool {
        self.wrap(y).is_wrapped()
    }

    pub(crate) fn wrap(&self, y: usize) -> Wrap {
        self.rows.get(y).map_or(Wrap::No, |r| r.wrap)
    }

    pub(crate) fn set_wrap(&mut self, y: usize, wrap: Wrap) {
        if let Some(r) = self.rows.get_mut(y) {
            r.wrap = wrap;
        }
    }

    /// Row `y` without its trailing default blanks: how far its text goes.
    pub(crate) fn content_len(&self, y: usize) -> usize {
        let row = &self.rows[y];
        row.cells[..row.used.min(row.cells.len())].iter().rposition(|c| *c != Cell::BLANK).map_or(0, |i| i + 1)
    }

    pub(crate) fn cols(&self) -> usize {
        self.cols
    }

    pub(crate) fn rows(&self) -> usize {
        self.rows.len()
    }

    pub(crate) fn row(&self, y: usize) -> &[Cell] {
        self.full(&self.rows[y])
    }

    fn full<'a>(&'a self, row: &'a Row) -> &'a [Cell] {
        if row.cells.is_empty() { &self.blank } else { &row.cells }
    }

    /// Row `y` up to its used bound: every cell past it is blank.
    pub(crate) fn row_content(&self, y: usize) -> &[Cell] {
        let row = &self.rows[y];
        &row.cells[..row.used.min(row.cells.len())]
    }

    /// Row `y` for writing anywhere in it.
    pub(crate) fn row_mut(&mut self, y: usize) -> &mut [Cell] {
        self.row_mut_to(y, usize::MAX)
    }

    /// Row `y` for writes that leave every cell from `end` on as it was
    /// (the print path, which touches a cell or two).
    #[inline(always)]
    pub(crate) fn row_mut_to(&mut self, y: usize, end: usize) -> &mut [Cell] {
        let cols = self.cols;
        let row = &mut self.rows[y];
        row.used = row.used.max(end.min(cols));
        row.cells_mut(cols)
    }

    /// Blanks row `y` whole; with the default blank only its used part
    /// needs writing.
    fn blank_row(&mut self, y: usize, blank: Cell) {
        let cols = self.cols;
        let row = &mut self.rows[y];
        if blank == Cell::BLANK && row.cells.len() != cols {
            // A recycled row keeps its allocation for the next write.
            row.cells.clear();
        } else if row.cells.len() != cols {
            row.cells.clear();
            row.cells.resize(cols, blank);
        } else if blank == Cell::BLANK {
            row.cells[..row.used.min(cols)].fill(blank);
        } else {
            row.cells.fill(blank);
        }
        row.used = if blank == Cell::BLANK { 0 } else { cols };
        row.wrap = Wrap::No;
    }

    /// Checks that every cell from a row's used bound on is blank.
    #[cfg(test)]
    pub(crate) fn assert_used_bounds(&self) {
        for (y, row) in self.rows.iter().enumerate() {
            if let Some(x) = row.cells.iter().skip(row.used).position(|c| *c != Cell::BLANK) {
                panic!("row {y}: a used cell at {} past the bound {}", row.used + x, row.used);
            }
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &[Cell]> {
        self.rows.iter().map(|r| self.full(r))
    }

    /// Blanks cells `from..to` of row `y`, and the outside half of any wide
    /// character the range cuts.
    pub(crate) fn erase(&mut self, y: usize, from: usize, to: usize, blank: Cell) {
        let cols = self.cols;
        let Some(row) = self.rows.get_mut(y) else { return };
        if row.cells.is_empty() && blank == Cell::BLANK {
            // Blanks over blanks: only the run-on can change.
            if to >= cols {
                row.wrap = Wrap::No;
            }
            return;
        }
        row.cells_mut(cols);
        let to = to.min(row.cells.len());
        if from >= to {
            return;
        }
        split_wide_edges(&mut row.cells, from, to);
        let to_end = to == row.cells.len();
        row.cells[from..to].fill(blank);
        // Blanking needs no raise (a split wide pair's other half lies
        // inside the used part already); a coloured blank does.
        if blank != Cell::BLANK {
            row.used = row.used.max(to);
        } else if from == 0 && to >= row.used {
            row.used = 0;
        }
        // Erasing to the end of the line ends its run-on, as in xterm.
        if to_end {
            row.wrap = Wrap::No;
        }
    }

    pub(crate) fn erase_rows(&mut self, from: usize, to: usize, blank: Cell) {
        let to = to.min(self.rows.len());
        for y in from..to {
            self.blank_row(y, blank);
        }
    }

    /// ICH: shifts cells right from `x`; cells pushed past the edge are lost.
    pub(crate) fn insert_cells(&mut self, y: usize, x: usize, n: usize, blank: Cell) {
        let cols = self.cols;
        let Some(row) = self.rows.get_mut(y) else { return };
        if row.cells.is_empty() && blank == Cell::BLANK {
            return;
        }
        let len = row.cells_mut(cols).len();
        if x >= len || n == 0 {
            return;
        }
        let n = n.min(len - x);
        let cells = &mut row.cells;
        // A spacer at x would be separated from its head.
        split_wide_edges(cells, x, x);
        cells.copy_within(x..len - n, x + n);
        cells[x..x + n].fill(blank);
        row.used = (row.used + n).min(len);
        if blank != Cell::BLANK {
            row.used = row.used.max(x + n);
        }
        // The last cell may now be a wide head whose spacer fell off the edge.
        if let Some(last) = row.cells.last_mut()
            && last.width == 2
        {
            *last = Cell::blank(last.style.erased());
        }
    }

    /// DCH: removes cells `x..x+n`, shifting the rest left and filling the end
    /// with blanks.
    pub(crate) fn delete_cells(&mut self, y: usize, x: usize, n: usize, blank: Cell) {
        let cols = self.cols;
        let Some(row) = self.rows.get_mut(y) else { return };
        if row.cells.is_empty() && blank == Cell::BLANK {
            return;
        }
        let len = row.cells_mut(cols).len();
        if x >= len || n == 0 {
            return;
        }
        let n = n.min(len - x);
        split_wide_edges(&mut row.cells, x, x + n);
        row.cells.copy_within(x + n.., x);
        row.cells[len - n..].fill(blank);
        if blank != Cell::BLANK {
            row.used = len;
        }
    }

    /// Scrolls rows `top..=bottom` up by `n`. Each row leaving the top goes
    /// through `recycle` with its used length (cells from there on are
    /// blank), which may keep it (scrollback) and returns a `Vec` to reuse
    /// for the blank row entering at the bottom.
    pub(crate) fn scroll_up(
        &mut self,
        top: usize,
        bottom: usize,
        n: usize,
        blank: Cell,
        mut recycle: impl FnMut(Vec<Cell>, usize, Wrap) -> Vec<Cell>,
    ) {
        let bottom = bottom.min(self.rows.len().saturating_sub(1));
        if top > bottom || n == 0 {
            return;
        }
        let n = n.min(bottom + 1 - top);
        for y in top..top + n {
            let row = &mut self.rows[y];
            let used = row.used.min(row.cells.len());
            row.cells = recycle(std::mem::take(&mut row.cells), used, row.wrap);
            self.blank_row(y, blank);
        }
        self.rotate(top, bottom, |rows| rows.rotate_left(n), |rows| rows.rotate_left(n));
    }

    /// Scrolls rows `top..=bottom` down by `n`; rows leaving the bottom are lost.
    pub(crate) fn scroll_down(&mut self, top: usize, bottom: usize, n: usize, blank: Cell) {
        let bottom = bottom.min(self.rows.len().saturating_sub(1));
        if top > bottom || n == 0 {
            return;
        }
        let n = n.min(bottom + 1 - top);
        self.rotate(top, bottom, |rows| rows.rotate_right(n), |rows| rows.rotate_right(n));
        for y in top..top + n {
            self.blank_row(y, blank);
        }
    }

    /// Moves rows `top..=bottom` round: the whole ring turns when they are
    /// every row, otherwise the ring is laid out flat and the slice turns.
    fn rotate(
        &mut self,
        top: usize,
        bottom: usize,
        whole: impl FnOnce(&mut VecDeque<Row>),
        part: impl FnOnce(&mut [Row]),
    ) {
        if top == 0 && bottom + 1 == self.rows.len() {
            whole(&mut self.rows);
        } else {
            part(&mut self.rows.make_contiguous()[top..=bottom]);
        }
    }

    /// Changes the width without reflow: rows are cut or padded on the right.
    pub(crate) fn set_cols(&mut self, cols: usize) {
        if cols == self.cols {
            return;
        }
        for row in &mut self.rows {
            if !row.cells.is_empty() {
                fit_row(&mut row.cells, cols);
            }
            row.used = row.used.min(cols);
        }
        self.set_width(cols);
    }

    /// Removes `n` rows from the top, handing each to `sink`.
    pub(crate) fn remove_top(&mut self, n: usize, mut sink: impl FnMut(Vec<Cell>, Wrap)) {
        let n = n.min(self.rows.len());
        self.rows.drain(..n).for_each(|row| sink(row.cells, row.wrap));
    }

    /// Puts a row (typically one pulled back from scrollback) above the others.
    pub(crate) fn push_top(&mut self, mut cells: Vec<Cell>, wrap: Wrap) {
        fit_row(&mut cells, self.cols);
        self.rows.push_front(Row { cells, used: self.cols, wrap });
    }

    /// Takes every row out, top first, leaving the grid empty until
    /// [`set_lines`](Self::set_lines) fills it.
    pub(crate) fn take_rows(&mut self) -> Vec<(Vec<Cell>, Wrap)> {
        let cols = self.cols;
        // A run-on row is as wide as the screen, blanks and all.
        self.rows
            .drain(..)
            .map(|mut row| {
                if row.wrap != Wrap::No {
                    row.cells_mut(cols);
                }
                (row.cells, row.wrap)
            })
            .collect()
    }

    /// Replaces the rows with `rows` (each at most `cols` cells; shorter ones
    /// are padded) at a new width.
    pub(crate) fn set_lines(&mut self, cols: usize, rows: impl IntoIterator<Item = (Vec<Cell>, Wrap)>) {
        self.set_width(cols);
        self.rows.clear();
        for (mut cells, wrap) in rows {
            let used = cells.iter().rposition(|c| *c != Cell::BLANK).map_or(0, |i| i + 1);
            if used == 0 && wrap == Wrap::No {
                cells.clear();
            } else {
                fit_row(&mut cells, cols);
            }
            self.rows.push_back(Row { cells, used: used.min(cols), wrap });
        }
    }

    /// Truncates or pads with blank rows at the bottom.
    pub(crate) fn set_rows_at_bottom(&mut self, rows: usize) {
        self.rows.resize_with(rows, Row::blank);
    }
}

/// Pads or cuts `row` to `cols`, blanking a wide head whose spacer was cut.
pub(crate) fn fit_row(row: &mut Vec<Cell>, cols: usize) {
    row.resize(cols, Cell::BLANK);
    if let Some(last) = row.last_mut()
        && last.width == 2
    {
        *last = Cell::blank(last.style.erased());
    }
}

/// Before `from..to` of `row` is overwritten (or, with `from == to`, split at
/// `from`), blanks the halves of wide characters that straddle either edge so
/// no head loses its spacer and no spacer loses its head.
#[inline]
pub(crate) fn split_wide_edges(row: &mut [Cell], from: usize, to: usize) {
    if from > 0
        && let Some(cell) = row.get(from)
        && cell.width == 0
    {
        let head = &mut row[from - 1];
        *head = Cell::blank(head.style.erased());
        // With from == to the spacer itself stays in place: blank it too.
        if from == to {
            row[from] = Cell::blank(row[from].style.erased());
        }
    }
    if to > from
        && let Some(cell) = row.get_mut(to)
        && cell.width == 0
    {
        *cell = Cell::blank(cell.style.erased());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::{Color, Style};

    fn text(g: &Grid, y: usize) -> String {
        g.row(y).iter().filter(|c| c.width != 0).map(|c| c.ch).collect()
    }

    fn put(g: &mut Grid, y: usize, s: &str) {
        for (x, ch) in s.chars().enumerate() {
            g.row_mut(y)[x] = Cell::new(ch, 1, Style::DEFAULT);
        }
    }

    fn put_wide(g: &mut Grid, y: usize, x: usize, ch: char) {
        g.row_mut(y)[x] = Cell::new(ch, 2, Style::DEFAULT);
        g.row_mut(y)[x + 1] = Cell::spacer(Style::DEFAULT);
    }

    fn assert_pairs(row: &[Cell]) {
        for (x, c) in row.iter().enumerate() {
            if c.width == 2 {
                assert_eq!(row.get(x + 1).map(|c| c.width), Some(0), "head at {x} without spacer");
            }
            if c.width == 0 {
                assert!(x > 0 && row[x - 1].width == 2, "orphan spacer at {x}");
            }
        }
    }

    #[test]
    fn scroll_up_recycles_and_blanks() {
        let mut g = Grid::new(3, 3);
        put(&mut g, 0, "aaa");
        put(&mut g, 1, "bbb");
        put(&mut g, 2, "ccc");
        let mut gone = Vec::new();
        let red = Cell::blank(Style { bg: Color::Indexed(1), ..Style::DEFAULT });
        g.scroll_up(0, 2, 1, red, |row, _, _| {
            gone.push(row.iter().map(|c| c.ch).collect::<String>());
            Vec::new()
        });
        assert_eq!(gone, ["aaa"]);
        assert_eq!([text(&g, 0), text(&g, 1)], ["bbb", "ccc"]);
        assert_eq!(g.row(2), [red; 3]);
    }

    #[test]
    fn scroll_inside_region_leaves_outside_alone() {
        let mut g = Grid::new(1, 4);
        for (y, s) in ["a", "b", "c", "d"].iter().enumerate() {
            put(&mut g, y, s);
        }
        g.scroll_up(1, 2, 5, Cell::BLANK, |r, _, _| r);
        assert_eq!((0..4).map(|y| text(&g, y)).collect::<Vec<_>>(), ["a", " ", " ", "d"]);
        put(&mut g, 1, "x");
        g.scroll_down(1, 2, 1, Cell::BLANK);
        assert_eq!((0..4).map(|y| text(&g, y)).collect::<Vec<_>>(), ["a", " ", "x", "d"]);
    }

    #[test]
    fn insert_and_delete_cells() {
        let mut g = Grid::new(5, 1);
        put(&mut g, 0, "abcde");
        g.insert_cells(0, 1, 2, Cell::BLANK);
        assert_eq!(text(&g, 0), "a  bc");
        g.delete_cells(0, 0, 3, Cell::BLANK);
        assert_eq!(text(&g, 0), "bc   ");
        g.insert_cells(0, 0, 99, Cell::BLANK);
        assert_eq!(text(&g, 0), "     ");
    }

    #[test]
    fn erasing_half_a_wide_char_blanks_the_other_half() {
        let mut g = Grid::new(6, 1);
        put(&mut g, 0, "ab");
        put_wide(&mut g, 0, 2, '中');
        put(&mut g, 0, "ab");
        g.erase(0, 3, 4, Cell::BLANK);
        assert_pairs(g.row(0));
        assert_eq!(text(&g, 0), "ab    ");

        put_wide(&mut g, 0, 2, '中');
        g.erase(0, 0, 3, Cell::BLANK);
        assert_pairs(g.row(0));
        assert_eq!(text(&g, 0), "      ");
    }

    #[test]
    fn shifting_keeps_wide_pairs_whole() {
        let mut g = Grid::new(4, 1);
        put(&mut g, 0, "a");
        put_wide(&mut g, 0, 1, '中');
        g.insert_cells(0, 0, 2, Cell::BLANK); // the pair is pushed half off the edge
        assert_pairs(g.row(0));
        assert_eq!(text(&g, 0), "  a ");

        put_wide(&mut g, 0, 1, '中');
        g.insert_cells(0, 2, 1, Cell::BLANK); // insert between head and spacer
        assert_pairs(g.row(0));

        put_wide(&mut g, 0, 1, '中');
        g.delete_cells(0, 1, 1, Cell::BLANK); // delete only the head
        assert_pairs(g.row(0));
    }

    #[test]
    fn rows_take_cells_only_once_written() {
        let allocated = |g: &Grid| g.rows.iter().filter(|r| r.cells.capacity() > 0).count();
        let mut g = Grid::new(10_000, 100);
        assert_eq!(allocated(&g), 0, "a blank screen costs no cells");
        assert_eq!(g.row(7).len(), 10_000);
        put(&mut g, 5, "x");
        g.erase(9, 0, 10_000, Cell::BLANK);
        g.insert_cells(10, 0, 5, Cell::BLANK);
        g.delete_cells(11, 0, 5, Cell::BLANK);
        g.scroll_down(0, 99, 3, Cell::BLANK);
        assert_eq!(allocated(&g), 1, "blanking a blank row allocates nothing");
        assert_eq!(text(&g, 8).trim(), "x");
        let red = Cell::blank(Style { bg: Color::Indexed(1), ..Style::DEFAULT });
        g.erase(0, 0, 2, red);
        assert_eq!(g.row(0)[..3], [red, red, Cell::BLANK]);
        g.set_cols(20);
        assert_eq!(allocated(&g), 2);
        assert!(g.iter().all(|row| row.len() == 20));
        g.assert_used_bounds();
    }

    #[test]
    fn narrowing_cuts_wide_pairs_cleanly() {
        let mut g = Grid::new(4, 1);
        put_wide(&mut g, 0, 2, '中');
        g.set_cols(3);
        assert_pairs(g.row(0));
        assert_eq!(g.row(0).len(), 3);
        g.set_cols(8);
        assert_eq!(g.row(0).len(), 8);
    }
}
