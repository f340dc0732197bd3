//! The parser's ground state for plain ASCII, taken out of vte's hands.
//!
//! Most of what a pane receives is printable ASCII between escape
//! sequences. vte hands it over one character at a time, so every
//! character paid for the cursor, wrap, insert-mode and wide-pair checks
//! of a single write. Here a run is written a row at a time: the checks
//! are paid once per row. Everything else (ESC, DEL, any byte of a UTF-8
//! sequence) still goes to vte, so what the screen shows is exactly what
//! vte's per-character path gave (the tests below compare the two).

use vte::Perform;

use crate::Terminal;
use crate::cell::Cell;
use crate::grid::split_wide_edges;
use crate::state::State;

impl Terminal {
    /// Feeds a chunk: ground-state ASCII here, the rest through vte.
    ///
    /// vte 0.15 loses the character after a UTF-8 sequence split between
    /// two chunks (alacritty/vte#159), and a PTY read can end anywhere, so
    /// a cut-off sequence at the end is kept back and goes first next
    /// time: vte never sees a split one.
    pub(crate) fn feed(&mut self, bytes: &[u8]) {
        let joined;
        let bytes = if self.held.is_empty() {
            bytes
        } else {
            joined = [std::mem::take(&mut self.held).as_slice(), bytes].concat();
            &joined
        };
        let whole = bytes.len() - incomplete_tail(bytes);
        self.feed_whole(&bytes[..whole]);
        self.held.extend_from_slice(&bytes[whole..]);
    }

    fn feed_whole(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            if self.at_ground {
                bytes = &bytes[self.state.ground_run(bytes)..];
                if bytes.is_empty() {
                    break;
                }
            }
            // vte stops right after a sequence that leaves it in ground
            // (`State::terminated`); text without one runs to the end.
            self.state.sequence_ended = false;
            let taken = self.parser.advance_until_terminated(&mut self.state, bytes);
            bytes = &bytes[taken..];
            self.at_ground = self.state.sequence_ended;
        }
    }
}

/// How many bytes at the end of `bytes` start a UTF-8 character that is
/// not complete yet (0 to 3).
fn incomplete_tail(bytes: &[u8]) -> usize {
    let len = bytes.len();
    for i in (len.saturating_sub(3)..len).rev() {
        let b = bytes[i];
        if b & 0xc0 == 0x80 {
            continue;
        }
        let needs = match b {
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => return 0,
        };
        return if len - i < needs { len - i } else { 0 };
    }
    0
}

/// Printable ASCII: what vte's ground state prints as itself.
#[inline(always)]
fn printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

impl State {
    /// Takes what vte's ground state would, from the start of `bytes`:
    /// printable ASCII is printed, C0 controls other than ESC executed.
    /// Stops at ESC, DEL or a non-ASCII byte; returns how many it took.
    /// Only valid while the parser is in its ground state with no partial
    /// UTF-8 held.
    pub(crate) fn ground_run(&mut self, bytes: &[u8]) -> usize {
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if printable(b) {
                let end = bytes[i..].iter().position(|&b| !printable(b)).map_or(bytes.len(), |p| i + p);
                self.print_ascii(&bytes[i..end]);
                i = end;
            } else if b < 0x20 && b != 0x1b {
                self.execute(b);
                i += 1;
            } else {
                break;
            }
        }
        i
    }

    /// Prints a run of printable ASCII as `print` would, one row's worth
    /// per step.
    fn print_ascii(&mut self, run: &[u8]) {
        // Translated charsets and insert mode are rare: the general path.
        if self.charsets.translating() || self.edit.insert {
            for &b in run {
                self.print(b as char);
            }
            return;
        }
        let Some(&last) = run.last() else { return };
        self.changed = true;
        self.last_char = Some(last as char);
        self.last_marks = crate::cell::Combining::NONE;
        let style = self.cursor.style;
        let mut rest = run;
        while !rest.is_empty() {
            if self.cursor.pending_wrap {
                self.wrap();
            }
            let (x, y) = (self.cursor.x, self.cursor.y);
            // Without autowrap this is one cell at the margin, over and over:
            // the last character wins, as one at a time.
            let n = rest.len().min(self.cols() - x);
            let row = self.grid.row_mut_to(y, x + n);
            split_wide_edges(row, x, x + n);
            for (cell, &b) in row[x..x + n].iter_mut().zip(rest) {
                *cell = Cell::new(b as char, 1, style);
            }
            self.advance_cursor(x + n);
            rest = &rest[n..];
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Terminal;

    /// The screen, scrollback and cursor as text, with styles.
    fn seen(t: &Terminal) -> String {
        format!("{:?} {:?}\n{:?}", t.cursor(), t.modes(), t.dump_ansi(None))
    }

    fn first_line(t: &Terminal) -> String {
        t.dump_text(false).lines().next().unwrap_or_default().to_string()
    }

    /// Fed whole, a byte at a time, and to vte alone, the same input must
    /// draw the same.
    fn same_as_vte(input: &[u8], cols: u16, rows: u16) {
        let mut reference = Terminal::new(cols, rows, 100);
        reference.advance_with_vte_only(input);
        let mut whole = Terminal::new(cols, rows, 100);
        whole.advance(input);
        let mut bytewise = Terminal::new(cols, rows, 100);
        for b in input {
            bytewise.advance(std::slice::from_ref(b));
        }
        let text = String::from_utf8_lossy(input);
        assert_eq!(seen(&whole), seen(&reference), "whole, input {text:?}");
        assert_eq!(seen(&bytewise), seen(&reference), "a byte at a time, input {text:?}");
    }

    #[test]
    fn runs_wrap_and_scroll_as_one_character_at_a_time() {
        let long: String = (0..500).map(|i| (b'a' + (i % 26) as u8) as char).collect();
        same_as_vte(long.as_bytes(), 7, 3);
        same_as_vte(format!("\x1b[31m{long}\x1b[0m\r\n{long}\n").as_bytes(), 13, 4);
    }

    #[test]
    fn without_autowrap_the_last_character_stays_at_the_margin() {
        same_as_vte(b"\x1b[?7labcdefghij\x1b[?7h xyz", 5, 2);
        let mut t = Terminal::new(5, 2, 0);
        t.advance(b"\x1b[?7labcdefghij");
        assert_eq!(first_line(&t), "abcdj");
    }

    #[test]
    fn wide_pairs_cut_by_a_run_are_blanked_at_both_edges() {
        same_as_vte("日本語の\r\x1b[1Cab\x1b[3Ccd".as_bytes(), 10, 2);
        let mut t = Terminal::new(10, 1, 0);
        t.advance("日本語の\r\x1b[1Cab".as_bytes());
        assert_eq!(first_line(&t), " ab 語の");
    }

    #[test]
    fn insert_mode_charsets_and_controls_take_the_general_path() {
        same_as_vte(b"hello\r\x1b[4hXY\x1b[4l\x1b(0lqk\x1b(B\x0eab\x0fcd\ttab\x08\x08!\x07", 20, 3);
    }

    #[test]
    fn sequences_split_anywhere_still_parse() {
        let input = "a\x1b[1;38;5;200mbc\x1b]8;;http://x\x1b\\link\x1b]8;;\x07d\u{e9}\x1bPq#0\x1b\\\x18z\x1b[2Jq\x7fr";
        same_as_vte(input.as_bytes(), 12, 3);
        // Every split point, for the parser state carried between calls.
        for cut in 0..input.len() {
            let mut split = Terminal::new(12, 3, 100);
            split.advance(&input.as_bytes()[..cut]);
            split.advance(&input.as_bytes()[cut..]);
            let mut reference = Terminal::new(12, 3, 100);
            reference.advance_with_vte_only(input.as_bytes());
            assert_eq!(seen(&split), seen(&reference), "cut at {cut}");
        }
    }

    #[test]
    fn rep_repeats_the_last_character_of_a_run() {
        same_as_vte(b"abc\x1b[3b", 10, 1);
        let mut t = Terminal::new(10, 1, 0);
        t.advance(b"abc\x1b[3b");
        assert_eq!(first_line(&t), "abcccc");
    }

    /// Random mixes of text, controls, sequences and UTF-8, in random
    /// chunks, against vte alone.
    #[test]
    fn random_input_draws_as_vte_does() {
        const PIECES: &[&str] = &[
            "abc",
            "hello world ",
            "x",
            "\r\n",
            "\n",
            "\t",
            "\x08",
            "\x1b[31m",
            "\x1b[0m",
            "\x1b[1;38;2;1;2;3m",
            "\x1b[4h",
            "\x1b[4l",
            "\x1b[?7l",
            "\x1b[?7h",
            "\x1b(0",
            "\x1b(B",
            "\x0e",
            "\x0f",
            "\x1b[2D",
            "\x1b[5G",
            "\x1b[H",
            "\x1b[K",
            "\x1b[3b",
            "\x1b7",
            "\x1b8",
            "\x1bM",
            "\x1b]0;title\x07",
            "\x1b]8;;u\x1b\\",
            "日本",
            "e\u{301}",
            "\u{e9}",
            "\x7f",
            "\x18",
            "\x1b[?1049h",
            "\x1b[?1049l",
            "\x1b[2;3r",
            "\x1b[r",
            "\x1b[@",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..300 {
            let input: String = (0..next(60)).map(|_| PIECES[next(PIECES.len())]).collect();
            let bytes = input.as_bytes();
            let (cols, rows) = (1 + next(12) as u16, 1 + next(5) as u16);
            let mut reference = Terminal::new(cols, rows, 50);
            reference.advance_with_vte_only(bytes);
            let mut chunked = Terminal::new(cols, rows, 50);
            let mut at = 0;
            while at < bytes.len() {
                let end = (at + 1 + next(9)).min(bytes.len());
                chunked.advance(&bytes[at..end]);
                at = end;
            }
            assert_eq!(seen(&chunked), seen(&reference), "{cols}x{rows}, input {input:?}");
        }
    }

    /// vte 0.15 alone drops the `e` after a combining mark split between
    /// two reads (alacritty/vte#159); every split point must draw the same.
    #[test]
    fn a_character_split_between_reads_keeps_the_next_one() {
        let input = "\x1b[5Ge\u{301}e\u{301}\u{1F600}x\u{2500}";
        let mut reference = Terminal::new(12, 1, 50);
        reference.advance_with_vte_only(input.as_bytes());
        for cut in 0..input.len() {
            let mut t = Terminal::new(12, 1, 50);
            t.advance(&input.as_bytes()[..cut]);
            t.advance(&input.as_bytes()[cut..]);
            assert_eq!(seen(&t), seen(&reference), "cut at {cut}");
        }
        let mut t = Terminal::new(12, 1, 50);
        t.advance(&input.as_bytes()[..8]);
        t.advance(&input.as_bytes()[8..]);
        assert_eq!(first_line(&t), "    e\u{301}e\u{301}\u{1F600}x\u{2500}");
    }
}
