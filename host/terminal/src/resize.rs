//! Resizing. A new width reflows the primary screen and its history (see
//! `reflow`); the alternate screen's program redraws it, so its rows are
//! only cut or padded. Then, when the screen gets shorter, just enough
//! lines leave through the top (into scrollback on the primary screen) to
//! keep the cursor on the line it was on, and the rest is cut from the
//! bottom. Growing taller pulls those lines back, so a shrink followed by a
//! grow loses nothing.

use crate::grid::Grid;
use crate::reflow::reflow;
use crate::scrollback::Scrollback;
use crate::state::State;
use crate::wrap::Wrap;

impl State {
    pub(crate) fn resize(&mut self, cols: usize, rows: usize) {
        let (cols, rows) = (cols.max(1), rows.max(1));
        if cols == self.cols() && rows == self.rows() {
            return;
        }
        let alt = self.modes.alt_screen;
        if cols != self.cols() {
            if alt {
                // The primary screen's cursor waits in the slot 1049 saved it to.
                reflow(&mut self.inactive, &mut self.scrollback, cols, &mut self.inactive_saved.cursor, None);
                self.grid.set_cols(cols);
            } else {
                reflow(&mut self.grid, &mut self.scrollback, cols, &mut self.cursor, Some(&mut self.saved.cursor));
                self.inactive.set_cols(cols);
            }
        }
        let mut cursor_y = self.cursor.y;
        if alt {
            resize_grid(&mut self.grid, cols, rows, &mut cursor_y, None);
            // The hidden primary screen anchors on the cursor 1049 saved there.
            let mut saved_y = self.inactive_saved.cursor.y;
            resize_grid(&mut self.inactive, cols, rows, &mut saved_y, Some(&mut self.scrollback));
            self.inactive_saved.cursor.y = saved_y;
        } else {
            resize_grid(&mut self.grid, cols, rows, &mut cursor_y, Some(&mut self.scrollback));
            let mut saved_y = self.inactive_saved.cursor.y;
            resize_grid(&mut self.inactive, cols, rows, &mut saved_y, None);
            self.inactive_saved.cursor.y = saved_y;
        }
        // A pending wrap survives only if the cursor is still on the last column.
        self.cursor.pending_wrap &= self.cursor.x + 1 == cols;
        self.cursor.x = self.cursor.x.min(cols - 1);
        // The active screen's DECSC position moves with its content.
        let saved = &mut self.saved.cursor.y;
        *saved = (*saved + cursor_y).saturating_sub(self.cursor.y).min(rows - 1);
        self.cursor.y = cursor_y;
        self.tabs.resize(cols);
        // Like xterm: margins are reset; the application sets them again on SIGWINCH.
        self.top = 0;
        self.bottom = rows - 1;
        self.changed = true;
    }
}

/// Resizes one screen. `anchor` is the row that must stay visible (the
/// cursor's), updated to where that line ends up. Only the primary screen gets
/// a `history`.
fn resize_grid(grid: &mut Grid, cols: usize, rows: usize, anchor: &mut usize, mut history: Option<&mut Scrollback>) {
    grid.set_cols(cols);
    let old_rows = grid.rows();
    if rows < old_rows {
        let leave_top = (*anchor + 1).saturating_sub(rows);
        grid.remove_top(leave_top, |row, wrap: Wrap| {
            if let Some(history) = history.as_deref_mut() {
                history.push(row, usize::MAX, wrap);
            }
        });
        *anchor -= leave_top.min(*anchor);
    } else if rows > old_rows
        && let Some(history) = history
    {
        let mut pulled = 0;
        while pulled < rows - old_rows
            && let Some((row, wrap)) = history.pop_newest()
        {
            grid.push_top(row, wrap);
            pulled += 1;
        }
        *anchor += pulled;
    }
    grid.set_rows_at_bottom(rows);
    *anchor = (*anchor).min(rows - 1);
}

#[cfg(test)]
mod tests {
    use crate::Terminal;

    fn term(cols: u16, rows: u16, input: &str) -> Terminal {
        let mut t = Terminal::new(cols, rows, 100);
        t.advance(input.as_bytes());
        t
    }

    fn cursor(t: &Terminal) -> (u16, u16) {
        (t.cursor().col, t.cursor().row)
    }

    #[test]
    fn shrinking_pushes_lines_above_the_cursor_into_scrollback() {
        let mut t = term(5, 4, "1\r\n2\r\n3\r\n4");
        t.resize(5, 2);
        assert_eq!((t.cols(), t.rows()), (5, 2));
        assert_eq!(t.dump_text(false), "3\n4");
        assert_eq!(t.scrollback_len(), 2);
        assert_eq!(t.dump_text(true), "1\n2\n3\n4");
        assert_eq!(cursor(&t), (1, 1), "the cursor stays on its line");
    }

    #[test]
    fn shrinking_with_cursor_at_top_cuts_the_empty_bottom() {
        let mut t = term(5, 4, "$ ");
        t.resize(5, 2);
        assert_eq!(t.scrollback_len(), 0);
        assert_eq!(t.dump_text(false), "$");
        assert_eq!(cursor(&t), (2, 0));
    }

    #[test]
    fn growing_pulls_history_back() {
        let mut t = term(5, 4, "1\r\n2\r\n3\r\n4");
        t.resize(5, 2);
        t.resize(5, 5);
        assert_eq!(t.scrollback_len(), 0);
        assert_eq!(t.dump_text(false), "1\n2\n3\n4");
        assert_eq!(cursor(&t), (1, 3));
        assert_eq!(t.row(4).len(), 5);
    }

    #[test]
    fn the_alternate_screen_is_cut_and_padded_not_reflowed() {
        let mut t = term(6, 2, "\x1b[?1049habcdef\r\n\x1b[2;6H");
        t.resize(3, 2);
        assert_eq!(t.dump_text(false), "abc");
        assert_eq!(cursor(&t), (2, 1));
        assert!(t.row(0).len() == 3 && t.row(1).len() == 3);
        t.resize(8, 2);
        assert_eq!(t.dump_text(false), "abc");
        assert_eq!(t.row(0).len(), 8);
        t.advance(b"\x1b[1;8Hx");
        assert_eq!(t.row(0)[7].ch, 'x');
    }

    #[test]
    fn saved_cursor_moves_with_its_line() {
        let mut t = term(5, 4, "1\r\n2\r\n3\x1b7\r\n4");
        t.resize(5, 2);
        t.advance(b"\x1b8X");
        assert_eq!(t.dump_text(false), "3X\n4");
    }

    #[test]
    fn zero_sizes_become_one() {
        let mut t = Terminal::new(0, 0, 0);
        assert_eq!((t.cols(), t.rows()), (1, 1));
        t.advance("ab中\u{301}\x1b[5@\x1b[L\tx".as_bytes());
        t.resize(0, 0);
        assert_eq!((t.cols(), t.rows()), (1, 1));
        assert_eq!(t.row(0).len(), 1);
    }

    #[test]
    fn alt_screen_resize_keeps_primary_and_history_consistent() {
        let mut t = term(4, 4, "1\r\n2\r\n3\r\n4\x1b[?1049h");
        t.resize(4, 2);
        t.advance(b"\x1b[?1049l");
        assert_eq!(t.dump_text(false), "3\n4");
        assert_eq!(t.scrollback_len(), 2);
        assert_eq!(cursor(&t), (1, 1));
    }

    #[test]
    fn resize_resets_the_scroll_region() {
        let mut t = term(3, 4, "\x1b[2;3r");
        t.resize(3, 5);
        t.advance(b"\x1b[5;1H\nX");
        // With the region reset, LF at the last row scrolls the whole screen.
        assert_eq!(t.scrollback_len(), 1);
    }

    #[test]
    fn resize_bumps_generation() {
        let mut t = term(3, 3, "");
        let g = t.generation();
        t.resize(3, 3);
        assert_eq!(t.generation(), g, "no-op resize");
        t.resize(4, 3);
        assert!(t.generation() > g);
    }
}
