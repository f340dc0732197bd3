//! Erasing, inserting and deleting: ED, EL, ECH, ICH, DCH, IL, DL, SU, SD.
//! All of them blank with the current background (BCE) and cancel a pending
//! wrap, as in xterm.

use crate::state::State;

impl State {
    /// ED. `3` clears only the scrollback, like xterm's "erase saved lines".
    pub(crate) fn erase_display(&mut self, mode: u16) {
        let blank = self.blank();
        let (x, y, rows, cols) = (self.cursor.x, self.cursor.y, self.rows(), self.cols());
        match mode {
            0 => {
                self.grid.erase(y, x, cols, blank);
                self.grid.erase_rows(y + 1, rows, blank);
            }
            1 => {
                self.grid.erase_rows(0, y, blank);
                self.grid.erase(y, 0, x + 1, blank);
            }
            2 => self.grid.erase_rows(0, rows, blank),
            3 => self.scrollback.clear(),
            _ => return,
        }
        self.cursor.pending_wrap = false;
        self.changed = true;
    }

    /// The cells EL (and DECSEL) mode `mode` covers on the cursor's row.
    pub(crate) fn line_range(&self, mode: u16) -> Option<(usize, usize)> {
        let (x, cols) = (self.cursor.x, self.cols());
        match mode {
            0 => Some((x, cols)),
            1 => Some((0, x + 1)),
            2 => Some((0, cols)),
            _ => None,
        }
    }

    /// EL.
    pub(crate) fn erase_line(&mut self, mode: u16) {
        let blank = self.blank();
        let Some((from, to)) = self.line_range(mode) else { return };
        let y = self.cursor.y;
        self.grid.erase(y, from, to, blank);
        self.cursor.pending_wrap = false;
        self.changed = true;
    }

    /// ECH: blanks `n` cells from the cursor without moving anything.
    pub(crate) fn erase_chars(&mut self, n: usize) {
        let blank = self.blank();
        let (x, y) = (self.cursor.x, self.cursor.y);
        self.grid.erase(y, x, x.saturating_add(n), blank);
        self.cursor.pending_wrap = false;
        self.changed = true;
    }

    /// ICH.
    pub(crate) fn insert_chars(&mut self, n: usize) {
        let blank = self.blank();
        self.grid.insert_cells(self.cursor.y, self.cursor.x, n, blank);
        self.cursor.pending_wrap = false;
        self.changed = true;
    }

    /// DCH.
    pub(crate) fn delete_chars(&mut self, n: usize) {
        let blank = self.blank();
        self.grid.delete_cells(self.cursor.y, self.cursor.x, n, blank);
        self.cursor.pending_wrap = false;
        self.changed = true;
    }

    /// IL: only inside the scroll region; lines pushed past its bottom are lost.
    pub(crate) fn insert_lines(&mut self, n: usize) {
        let y = self.cursor.y;
        if y < self.top || y > self.bottom {
            return;
        }
        let blank = self.blank();
        self.grid.scroll_down(y, self.bottom, n, blank);
        self.goto(0, y);
    }

    /// DL: only inside the scroll region; deleted lines never reach scrollback.
    pub(crate) fn delete_lines(&mut self, n: usize) {
        let y = self.cursor.y;
        if y < self.top || y > self.bottom {
            return;
        }
        let blank = self.blank();
        self.grid.scroll_up(y, self.bottom, n, blank, |row, _, _| row);
        self.goto(0, y);
    }
}

#[cfg(test)]
mod tests {
    use crate::Terminal;
    use crate::cell::Cell;
    use crate::style::{Color, Style};

    fn term(cols: u16, rows: u16, input: &str) -> Terminal {
        let mut t = Terminal::new(cols, rows, 100);
        t.advance(input.as_bytes());
        t
    }

    const SCREEN: &str = "abcde\r\nfghij\r\nklmno";

    #[test]
    fn erase_display_modes() {
        assert_eq!(term(5, 3, &format!("{SCREEN}\x1b[2;3H\x1b[J")).dump_text(false), "abcde\nfg");
        assert_eq!(term(5, 3, &format!("{SCREEN}\x1b[2;3H\x1b[1J")).dump_text(false), "\n   ij\nklmno");
        assert_eq!(term(5, 3, &format!("{SCREEN}\x1b[2;3H\x1b[2J")).dump_text(false), "");
    }

    #[test]
    fn erase_display_3_clears_only_scrollback() {
        let t = term(5, 2, &format!("{SCREEN}\x1b[3J"));
        assert_eq!(t.scrollback_len(), 0);
        assert_eq!(t.dump_text(false), "fghij\nklmno");
        let t = term(5, 2, SCREEN);
        assert_eq!(t.scrollback_len(), 1);
    }

    #[test]
    fn erase_line_modes() {
        assert_eq!(term(5, 1, "abcde\x1b[3G\x1b[K").dump_text(false), "ab");
        assert_eq!(term(5, 1, "abcde\x1b[3G\x1b[1K").dump_text(false), "   de");
        assert_eq!(term(5, 1, "abcde\x1b[3G\x1b[2K").dump_text(false), "");
    }

    #[test]
    fn erase_uses_current_background() {
        let t = term(4, 2, "abcd\x1b[44m\x1b[1;3H\x1b[K\x1b[2;1H\x1b[1m\x1b[2X");
        let bce = Cell::blank(Style { bg: Color::Indexed(4), ..Style::DEFAULT });
        assert_eq!(&t.row(0)[2..], [bce, bce]);
        assert_eq!(t.row(0)[1].ch, 'b');
        // Only the background: bold doesn't leak into erased cells.
        assert_eq!(&t.row(1)[..2], [bce, bce]);
        assert_eq!(t.row(1)[2], Cell::BLANK);
        // Scrolling in a new line also uses it.
        let t = term(2, 1, "a\x1b[41m\n");
        assert_eq!(t.row(0)[0].style.bg, Color::Indexed(1));
        let t = term(2, 2, "\x1b[42m\x1b[2J");
        assert!(t.row(1).iter().all(|c| c.style.bg == Color::Indexed(2)));
    }

    #[test]
    fn erase_chars_stays_in_line() {
        assert_eq!(term(5, 2, "abcde\r\nfg\x1b[1;2H\x1b[99X").dump_text(false), "a\nfg");
        assert_eq!(term(5, 1, "abcde\x1b[2G\x1b[2X").dump_text(false), "a  de");
    }

    #[test]
    fn insert_and_delete_chars() {
        assert_eq!(term(6, 1, "abcdef\x1b[2G\x1b[2@").dump_text(false), "a  bcd");
        assert_eq!(term(6, 1, "abcdef\x1b[2G\x1b[2P").dump_text(false), "adef");
        assert_eq!(term(6, 1, "abcdef\x1b[2G\x1b[@").dump_text(false), "a bcde");
        assert_eq!(term(6, 1, "abcdef\x1b[2G\x1b[P").dump_text(false), "acdef");
        // BCE on the cells coming in from the right.
        let t = term(3, 1, "abc\x1b[1G\x1b[41m\x1b[P");
        assert_eq!(t.row(0)[2].style.bg, Color::Indexed(1));
    }

    #[test]
    fn insert_and_delete_lines_inside_region() {
        let five = "1\r\n2\r\n3\r\n4\r\n5";
        let t = term(2, 5, &format!("{five}\x1b[2;4r\x1b[3;2H\x1b[L"));
        assert_eq!(t.dump_text(false), "1\n2\n\n3\n5");
        assert_eq!((t.cursor().col, t.cursor().row), (0, 2), "IL returns the carriage");
        let t = term(2, 5, &format!("{five}\x1b[2;4r\x1b[2;1H\x1b[2M"));
        assert_eq!(t.dump_text(false), "1\n4\n\n\n5");
        assert_eq!(t.scrollback_len(), 0);
        // Outside the region: nothing happens.
        let t = term(2, 5, &format!("{five}\x1b[2;4r\x1b[5;1H\x1b[L\x1b[1;1H\x1b[M"));
        assert_eq!(t.dump_text(false), "1\n2\n3\n4\n5");
        // Huge counts clear the rest of the region.
        let t = term(2, 5, &format!("{five}\x1b[2;4r\x1b[3;1H\x1b[9999L"));
        assert_eq!(t.dump_text(false), "1\n2\n\n\n5");
    }

    #[test]
    fn scroll_up_and_down() {
        let t = term(2, 3, "1\r\n2\r\n3\x1b[S");
        assert_eq!(t.dump_text(false), "2\n3");
        assert_eq!(t.scrollback_len(), 1, "SU with the region at the top feeds scrollback");
        let t = term(2, 3, "1\r\n2\r\n3\x1b[2T");
        assert_eq!(t.dump_text(false), "\n\n1");
        let t = term(2, 4, "1\r\n2\r\n3\r\n4\x1b[2;3r\x1b[S");
        assert_eq!(t.dump_text(false), "1\n3\n\n4");
    }
}
