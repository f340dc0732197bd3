//! A client's screen as a grid of cells. Writing keeps wide characters
//! whole: covering either half of one blanks the other, so what the diff
//! sends is always something a real terminal shows the same way.
//!
//! The screen remembers which rows a write changed since it was last sent,
//! so the encoder compares only those: an echoed key changes one row, and
//! diffing all forty cost more than the rest of its frame.

use super::cell::{Pen, ScreenCell};

#[derive(Clone, Debug)]
pub struct Screen {
    cols: u16,
    rows: u16,
    cells: Vec<ScreenCell>,
    /// Rows changed since [`Screen::take_touched`]; a new screen has all.
    touched: Vec<bool>,
}

/// Screens are equal when their cells are: which rows were touched is how
/// they got there, not what they show.
impl PartialEq for Screen {
    fn eq(&self, other: &Screen) -> bool {
        (self.cols, self.rows) == (other.cols, other.rows) && self.cells == other.cells
    }
}

impl Eq for Screen {}

impl Screen {
    pub fn new(cols: u16, rows: u16) -> Screen {
        Screen {
            cols,
            rows,
            cells: vec![ScreenCell::BLANK; cols as usize * rows as usize],
            touched: vec![true; rows as usize],
        }
    }

    pub fn cols(&self) -> u16 {
        self.cols
    }

    pub fn rows(&self) -> u16 {
        self.rows
    }

    /// Back to blank, keeping the allocation. Every row counts as touched.
    pub fn clear(&mut self) {
        self.cells.fill(ScreenCell::BLANK);
        self.touched.fill(true);
    }

    /// Whether row `y` changed since the last [`Screen::take_touched`].
    pub fn is_touched(&self, y: u16) -> bool {
        self.touched.get(y as usize).copied().unwrap_or(false)
    }

    /// Marks every row as touched: the next diff compares all of them.
    pub fn touch_all(&mut self) {
        self.touched.fill(true);
    }

    /// Forgets which rows changed (they were sent).
    pub fn take_touched(&mut self) {
        self.touched.fill(false);
    }

    pub fn row(&self, y: u16) -> &[ScreenCell] {
        let start = y as usize * self.cols as usize;
        &self.cells[start..start + self.cols as usize]
    }

    fn row_mut(&mut self, y: u16) -> &mut [ScreenCell] {
        let start = y as usize * self.cols as usize;
        &mut self.cells[start..start + self.cols as usize]
    }

    /// Row `y` becomes a copy of `from`'s (same size).
    pub fn copy_row(&mut self, y: u16, from: &Screen) {
        self.row_mut(y).clone_from_slice(from.row(y));
    }

    pub fn get(&self, x: u16, y: u16) -> Option<&ScreenCell> {
        (x < self.cols && y < self.rows).then(|| &self.cells[y as usize * self.cols as usize + x as usize])
    }

    fn index(&self, x: u16, y: u16) -> usize {
        y as usize * self.cols as usize + x as usize
    }

    /// Writes `cell` at (x, y). A wide cell also takes x + 1, unless that
    /// is at or past `right` (the edge of the area being drawn), where it
    /// becomes a blank instead: half a character is never drawn.
    pub fn put(&mut self, x: u16, y: u16, right: u16, mut cell: ScreenCell) {
        if x >= self.cols || y >= self.rows {
            return;
        }
        let right = right.min(self.cols);
        if cell.width == 2 && x + 1 >= right {
            cell = ScreenCell::blank(cell.pen);
        }
        if cell.width == 0 {
            // A spacer is only ever written by its head.
            return;
        }
        let i = self.index(x, y);
        if self.cells[i] == cell && cell.width == 1 {
            // Already there (the common case of a frame drawn over the
            // last one): nothing to unlink, nothing to send.
            return;
        }
        self.touched[y as usize] = true;
        self.unlink(x, y);
        let wide = cell.width == 2;
        let pen = cell.pen.clone();
        self.cells[i] = cell;
        if wide {
            self.unlink(x + 1, y);
            let j = self.index(x + 1, y);
            self.cells[j] = ScreenCell { width: 0, ..ScreenCell::blank(pen) };
        }
    }

    /// Fills a rectangle with blanks in `pen` (a cleared floating pane, a
    /// bar's background).
    pub fn fill(&mut self, x: u16, y: u16, w: u16, h: u16, pen: &Pen) {
        let right = x.saturating_add(w).min(self.cols);
        for yy in y..y.saturating_add(h).min(self.rows) {
            for xx in x..right {
                self.put(xx, yy, right, ScreenCell::blank(pen.clone()));
            }
        }
    }

    /// Before (x, y) is overwritten: if it is half of a wide character, the
    /// other half becomes a blank of the same background.
    fn unlink(&mut self, x: u16, y: u16) {
        let i = self.index(x, y);
        match self.cells[i].width {
            0 if x > 0 => {
                let head = self.index(x - 1, y);
                self.cells[head] = ScreenCell::blank(self.cells[head].pen.clone());
            }
            2 if x + 1 < self.cols => {
                let spacer = self.index(x + 1, y);
                self.cells[spacer] = ScreenCell::blank(self.cells[spacer].pen.clone());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use revenant_terminal::Color;

    fn wide(ch: char) -> ScreenCell {
        ScreenCell { ch, width: 2, ..ScreenCell::BLANK }
    }

    fn chars(s: &Screen, y: u16) -> String {
        s.row(y).iter().map(|c| if c.width == 0 { '_' } else { c.ch }).collect()
    }

    #[test]
    fn wide_characters_stay_whole() {
        let mut s = Screen::new(6, 1);
        s.put(0, 0, 6, wide('中'));
        assert_eq!(chars(&s, 0), "中_    ");
        // Covering its right half blanks its left half.
        s.put(1, 0, 6, ScreenCell { ch: '|', ..ScreenCell::BLANK });
        assert_eq!(chars(&s, 0), " |    ");
        s.put(2, 0, 6, wide('文'));
        // Covering its left half blanks its right half.
        s.put(2, 0, 6, ScreenCell { ch: 'x', ..ScreenCell::BLANK });
        assert_eq!(chars(&s, 0), " |x   ");
        // A wide character cut by the edge of its area is a blank.
        s.put(5, 0, 6, wide('字'));
        s.put(3, 0, 4, wide('字'));
        assert_eq!(chars(&s, 0), " |x   ");
    }

    #[test]
    fn fill_keeps_the_pen() {
        let mut s = Screen::new(4, 2);
        s.fill(1, 0, 2, 5, &Pen::with_bg(Color::Indexed(4)));
        assert_eq!(s.get(1, 1).unwrap().pen.bg, Color::Indexed(4));
        assert_eq!(s.get(3, 1).unwrap().pen.bg, Color::Default);
    }
}
