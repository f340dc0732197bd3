//! DECSCA and the selective erases: cells written while protection is on
//! survive DECSED (`CSI ? J`) and DECSEL (`CSI ? K`). ED and EL erase them
//! like any other, as in xterm.

use crate::state::State;
use crate::style::Flags;

impl State {
    /// DECSCA (`CSI Ps " q`): 1 protects what is written next; 0 and 2 stop.
    pub(crate) fn set_protection(&mut self, ps: u16) {
        match ps {
            1 => self.cursor.style.flags.insert(Flags::PROTECTED),
            0 | 2 => self.cursor.style.flags.remove(Flags::PROTECTED),
            _ => {}
        }
    }

    /// DECSED: ED's ranges, sparing protected cells.
    pub(crate) fn selective_erase_display(&mut self, mode: u16) {
        let (x, y, rows, cols) = (self.cursor.x, self.cursor.y, self.rows(), self.cols());
        match mode {
            0 => {
                self.erase_unprotected(y, x, cols);
                (y + 1..rows).for_each(|r| self.erase_unprotected(r, 0, cols));
            }
            1 => {
                (0..y).for_each(|r| self.erase_unprotected(r, 0, cols));
                self.erase_unprotected(y, 0, x + 1);
            }
            2 => (0..rows).for_each(|r| self.erase_unprotected(r, 0, cols)),
            _ => return,
        }
        self.cursor.pending_wrap = false;
        self.changed = true;
    }

    /// DECSEL: EL's ranges, sparing protected cells.
    pub(crate) fn selective_erase_line(&mut self, mode: u16) {
        let Some((from, to)) = self.line_range(mode) else { return };
        self.erase_unprotected(self.cursor.y, from, to);
        self.cursor.pending_wrap = false;
        self.changed = true;
    }

    /// Blanks the unprotected cells of `from..to` on row `y`. A wide
    /// character is erased whole or not at all, by its head's protection.
    fn erase_unprotected(&mut self, y: usize, from: usize, to: usize) {
        let blank = self.blank();
        let row = self.grid.row_mut(y);
        let to = to.min(row.len());
        // Start on a head, not on the spacer of a pair that began earlier.
        let mut x = if from > 0 && row.get(from).is_some_and(|c| c.width == 0) { from - 1 } else { from };
        while x < to {
            let cell = row[x];
            let span = if cell.width == 2 { 2 } else { 1 };
            if !cell.style.flags.contains(Flags::PROTECTED) {
                for c in row.iter_mut().skip(x).take(span) {
                    *c = blank;
                }
            }
            x += span;
        }
    }
}
