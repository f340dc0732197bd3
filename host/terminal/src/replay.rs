//! Feeding a saved screen back into a terminal: the text `dump_ansi` wrote
//! (or a Zellij `contents_file`), lines joined by `\n`.

use crate::Terminal;
use crate::cell::Cell;
use crate::dump::WRAP_MARK;

impl Terminal {
    /// Replays saved screen text. Line ends become CR LF, except after a
    /// row that ran on into the next: there the text runs on again, so the
    /// rows wrap as they did, and reflow when this terminal's width differs.
    ///
    /// The cursor ends at the start of a fresh line under the text, where
    /// the program started in the pane will write: left after the text, a
    /// restored shell's new prompt would follow its old one on the same
    /// line, one more each time the session comes back.
    pub fn replay(&mut self, text: &[u8]) {
        let mut bytes = Vec::with_capacity(text.len() + text.len() / 32);
        let mut lines = text.split(|&b| b == b'\n').peekable();
        while let Some(line) = lines.next() {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if let Some(runs_on) = line.strip_suffix(WRAP_MARK.as_bytes()) {
                bytes.extend_from_slice(runs_on);
                continue;
            }
            bytes.extend_from_slice(line);
            if lines.peek().is_some() {
                bytes.extend_from_slice(b"\r\n");
            }
        }
        self.advance(&bytes);
        // The saved prompt marks are history, not news for the runner.
        drop(self.take_signals());
        let cursor = &self.state.cursor;
        let fresh =
            cursor.x == 0 && !cursor.pending_wrap && self.state.grid.row(cursor.y).iter().all(|c| *c == Cell::BLANK);
        if !fresh {
            self.advance(b"\r\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Terminal;

    fn term(cols: u16, rows: u16, input: &str) -> Terminal {
        let mut t = Terminal::new(cols, rows, 100);
        t.advance(input.as_bytes());
        t
    }

    /// What a save keeps: every line, joined by `\n`.
    fn saved(t: &Terminal) -> String {
        let (history, viewport) = t.dump_ansi(None);
        history.into_iter().chain(viewport).collect::<Vec<_>>().join("\n")
    }

    /// Every row's cells and whether it wraps, history first.
    fn rows(t: &Terminal) -> Vec<(Vec<crate::Cell>, bool)> {
        let mut out: Vec<_> =
            (0..t.scrollback_len()).map(|i| (t.scrollback_row(i), t.scrollback_row_wrapped(i))).collect();
        out.extend((0..t.rows()).map(|y| (t.row(y).to_vec(), t.row_wrapped(y))));
        out
    }

    /// A screen that replays to itself: its last row blank with the cursor
    /// on it, as a replay leaves it.
    const WRAPPING: &str = concat!(
        "\x1b[31ma line long enough to wrap twice\x1b[0m\r\n",
        "exactly 12 c\r\n",                        // ends at the edge: no wrap
        "spaces      \x1b[44m  \x1b[0mnext\r\n",   // blanks up to the edge are text
        "wide 中文字符号 at the edge\r\n",         // a wide character goes to the next row
        "\x1b[44m\x1b[2K\x1b[0mwide 中文字符\r\n", // the same over a coloured background
        "the end\r\n",
    );

    #[test]
    fn a_replayed_save_wraps_where_the_original_did() {
        let original = term(12, 5, WRAPPING);
        assert!(original.scrollback_row_wrapped(0), "the test needs wrapped rows in history");
        let mut copy = Terminal::new(12, 5, 100);
        copy.replay(saved(&original).as_bytes());
        assert_eq!(rows(&copy), rows(&original));
        assert_eq!(copy.dump_text(true), original.dump_text(true));
        // And the copy reflows like the original.
        let mut original = original;
        original.resize(7, 5);
        copy.resize(7, 5);
        assert_eq!(rows(&copy), rows(&original));
        original.resize(40, 5);
        copy.resize(40, 5);
        assert_eq!(rows(&copy), rows(&original));
        assert_eq!(copy.dump_text(true).lines().next(), Some("a line long enough to wrap twice"));
    }

    #[test]
    fn a_save_replayed_at_another_width_is_reflowed() {
        let original = term(12, 5, WRAPPING);
        let mut narrow = Terminal::new(7, 5, 100);
        narrow.replay(saved(&original).as_bytes());
        let mut reflowed = term(12, 5, WRAPPING);
        reflowed.resize(7, 5);
        assert_eq!(narrow.dump_text(true), reflowed.dump_text(true));
    }

    #[test]
    fn the_cursor_ends_on_a_fresh_line() {
        // The prompt of the shell that was running, with its trailing space.
        let mut t = Terminal::new(20, 4, 100);
        t.replay(b"ls\nuser@host:~$ ");
        assert_eq!((t.cursor().col, t.cursor().row), (0, 2));
        t.advance(b"user@host:~$ ");
        assert_eq!(t.dump_text(false), "ls\nuser@host:~$\nuser@host:~$");
        // Already on a fresh line (a file ending in a newline): no blank line.
        let mut t = Terminal::new(20, 4, 100);
        t.replay(b"one\r\ntwo\r\n");
        assert_eq!((t.cursor().col, t.cursor().row), (0, 2));
        assert_eq!(t.dump_text(false), "one\ntwo");
        // A full last row with the wrap pending.
        let mut t = Terminal::new(4, 4, 100);
        t.replay(b"abcd");
        assert_eq!((t.cursor().col, t.cursor().row), (0, 1));
        let mut t = Terminal::new(4, 4, 100);
        t.replay(b"");
        assert_eq!((t.cursor().col, t.cursor().row), (0, 0));
    }

    #[test]
    fn text_without_marks_replays_line_by_line() {
        // Zellij's contents files, or ours from before wraps were kept.
        let mut t = Terminal::new(4, 4, 100);
        t.replay(b"abcd\nef\r\ng");
        assert_eq!(t.dump_text(false), "abcd\nef\ng");
        assert!(!t.row_wrapped(0));
    }
}
