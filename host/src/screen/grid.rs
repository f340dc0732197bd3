//! A client's screen as a grid of cells. Writing keeps wide characters
//! whole: covering either half of one blanks the other, so what the diff
//! sends is always something a real terminal shows the same way.

use super::cell::{Pen, ScreenCell};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Screen {
    cols: u16,
    rows: u16,
    cells: Vec<ScreenCell>,
}

impl Screen {
    pub fn new(cols: u16, rows: u16) -> Screen {
        Screen { cols, rows, cells: vec![ScreenCell::BLANK; cols as usize * rows as usize] }
    }

    pub fn cols(&self) -> u16 {
        self.cols
    }

    pub fn rows(&self) -> u16 {
        self.rows
    }

    /// Back to blank, keeping the allocation.
    pub fn clear(&mut self) {
        self.cells.fill(ScreenCell::BLANK);
    }

    pub fn row(&self, y: u16) -> &[ScreenCell] {
        let start = y as usize * self.cols as usize;
        &self.cells[start..start + self.cols as usize]
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
        self.unlink(x, y);
        let wide = cell.width == 2;
        let pen = cell.pen.clone();
        let i = self.index(x, y);
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
