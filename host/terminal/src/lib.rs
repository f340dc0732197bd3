//! Terminal state for Revenant: bytes from a PTY go in, a grid of styled cells
//! and a scrollback come out. Like `alacritty_terminal`, this is kept apart from
//! rendering, so the server can hold every pane's screen while no client is
//! attached, and the renderer, the session serializer and tests all read the
//! same state. Parsing is `vte`'s; the semantics are xterm's.
//!
//! ```
//! use revenant_terminal::Terminal;
//!
//! let mut term = Terminal::new(80, 24, 10_000);
//! term.advance(b"\x1b[1;32mok\x1b[0m\r\n");
//! assert_eq!(term.dump_text(false), "ok");
//! ```

mod cell;
mod charset;
mod dump;
mod edit;
mod extras;
mod grid;
mod ground;
mod keyboard_flags;
mod mode_switch;
mod modes;
mod packed;
mod performer;
mod protect;
mod reflow;
mod replay;
mod resize;
mod rewrap;
mod scrollback;
mod sgr;
pub mod signals;
mod state;
mod style;
mod tabs;
mod wrap;

#[cfg(test)]
mod conformance_tests;
#[cfg(test)]
mod reflow_tests;
#[cfg(test)]
mod state_tests;
#[cfg(test)]
mod stress_tests;
#[cfg(test)]
mod zone_tests;

pub use cell::{Cell, Combining, MAX_COMBINING};
pub use dump::{HistoryMark, ScreenCopy, WRAP_MARK};
pub use extras::{Extra, Extras, Hyperlink};
pub use modes::{CursorState, Modes, MouseMode};
pub use signals::{Notification, NotifyKind, PromptMark, Signal};
pub use style::{Color, Flags, Style};

use state::State;

fn next_instance() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One pane's terminal: the parser plus everything it drives.
pub struct Terminal {
    parser: vte::Parser,
    /// The parser is in its ground state with nothing held: the bytes up
    /// to the next escape can skip it ([`State::ground_run`]).
    at_ground: bool,
    /// The start of a UTF-8 character cut off by the end of the last
    /// chunk, kept back for the next (`ground::feed`).
    held: Vec<u8>,
    state: State,
    generation: u64,
    instance: u64,
}

impl std::fmt::Debug for Terminal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Terminal")
            .field("cols", &self.cols())
            .field("rows", &self.rows())
            .field("cursor", &self.cursor())
            .field("modes", &self.modes())
            .field("scrollback_len", &self.scrollback_len())
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl Terminal {
    /// A zero width or height is treated as 1, so a pane laid out before its
    /// size is known still works.
    pub fn new(cols: u16, rows: u16, scrollback_limit: usize) -> Self {
        Terminal {
            parser: vte::Parser::new(),
            at_ground: true,
            held: Vec::new(),
            state: State::new(cols.into(), rows.into(), scrollback_limit),
            generation: 0,
            instance: next_instance(),
        }
    }

    /// Unique to this terminal in the process: a renderer that keeps copies
    /// of cells knows their style indices (`style.extra`) mean the same.
    pub fn instance(&self) -> u64 {
        self.instance
    }

    /// Feeds bytes read from the PTY. Chunks may split escape sequences and
    /// UTF-8 sequences anywhere: the parser carries a partial sequence
    /// over, and a cut-off UTF-8 character waits for its rest.
    pub fn advance(&mut self, bytes: &[u8]) {
        self.feed(bytes);
        self.note_changes();
    }

    /// vte alone, one character at a time: what [`Terminal::advance`]'s
    /// shortcut must match. Never mixed with `advance` on one terminal.
    #[cfg(test)]
    pub(crate) fn advance_with_vte_only(&mut self, bytes: &[u8]) {
        self.parser.advance(&mut self.state, bytes);
        self.note_changes();
    }

    /// Resizes. A new width reflows the primary screen and its scrollback:
    /// lines the program wrapped are wrapped again at the new width, and
    /// the cursor stays on its character. The alternate screen is only cut
    /// or padded (its program redraws it). When the screen gets shorter,
    /// lines above the cursor go to scrollback so the cursor stays on its
    /// line, and growing taller brings them back.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.state.resize(cols.into(), rows.into());
        self.note_changes();
    }

    fn note_changes(&mut self) {
        if std::mem::take(&mut self.state.changed) {
            self.generation += 1;
        }
    }

    pub fn cols(&self) -> u16 {
        to_u16(self.state.cols())
    }

    pub fn rows(&self) -> u16 {
        to_u16(self.state.rows())
    }

    /// Answers to the application's queries (DSR, DA), to be written back to
    /// the PTY. Drained: each answer is returned once.
    pub fn take_responses(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.state.responses)
    }

    /// What the program asked beyond its screen (clipboard, notifications)
    /// since the last call, oldest first. Drained.
    pub fn take_signals(&mut self) -> Vec<Signal> {
        std::mem::take(&mut self.state.signals)
    }

    /// Set by OSC 0 or OSC 2; `None` until the application sets one.
    pub fn title(&self) -> Option<&str> {
        self.state.title.as_deref()
    }

    pub fn cursor(&self) -> CursorState {
        let c = &self.state.cursor;
        CursorState { col: to_u16(c.x), row: to_u16(c.y), visible: self.state.edit.cursor_visible }
    }

    pub fn modes(&self) -> Modes {
        self.state.modes
    }

    /// Visible row `y` (0 = top), `cols()` cells long. Out of range gives an
    /// empty slice rather than a panic, since a renderer may race a resize.
    pub fn row(&self, y: u16) -> &[Cell] {
        let y = usize::from(y);
        if y < self.state.rows() { self.state.grid.row(y) } else { &[] }
    }

    /// Visible row `y` cut where every further cell is blank (a bound, not
    /// always the last non-blank cell): comparing two rows this way is
    /// cheap when, as usual, most of a row is empty.
    pub fn row_content(&self, y: u16) -> &[Cell] {
        let y = usize::from(y);
        if y < self.state.rows() { self.state.grid.row_content(y) } else { &[] }
    }

    /// Lines scrolled off the primary screen. The alternate screen has none.
    pub fn scrollback_len(&self) -> usize {
        self.state.scrollback.len()
    }

    /// Whether a shell ever sent an OSC 133 mark here: without one, no row
    /// carries a prompt zone.
    pub fn saw_prompt_marks(&self) -> bool {
        self.state.saw_prompt_marks
    }

    /// The history's epoch and the number after its newest row: with
    /// [`scrollback_len`](Self::scrollback_len), the oldest row held is
    /// number `pushed - len`. Rows that scroll in and age out move the
    /// numbers; anything else (a clear, a reflow) changes the epoch.
    pub fn history_numbering(&self) -> (u64, u64) {
        self.state.scrollback.numbering()
    }

    /// Scrollback line `i`, 0 being the oldest. Trailing default blanks are
    /// not kept, so a line is at most as wide as the screen and often
    /// shorter: treat missing cells as blank. Out of range gives an empty row. Lines are kept
    /// packed, so this unpacks one: a caller reading many reuses a buffer
    /// with [`scrollback_row_into`](Self::scrollback_row_into).
    pub fn scrollback_row(&self, i: usize) -> Vec<Cell> {
        self.state.scrollback.get(i).unwrap_or_default()
    }

    /// Scrollback line `i` into `out` (cleared first).
    pub fn scrollback_row_into(&self, i: usize, out: &mut Vec<Cell>) {
        self.state.scrollback.get_into(i, out);
    }

    /// Heap bytes the scrollback holds, for memory accounting.
    pub fn scrollback_bytes(&self) -> usize {
        self.state.scrollback.heap_bytes()
    }

    /// Whether visible row `y` ran on into the next one: the program's text
    /// reached the right edge and wrapped, rather than ending in a newline.
    pub fn row_wrapped(&self, y: u16) -> bool {
        self.state.grid.wrapped(usize::from(y))
    }

    /// The same for scrollback line `i` (0 being the oldest).
    pub fn scrollback_row_wrapped(&self, i: usize) -> bool {
        self.state.scrollback.wrapped(i)
    }

    /// The underline colour and hyperlink a cell's `style.extra` refers to.
    pub fn extra(&self, index: u16) -> &Extra {
        self.state.extras.get(index)
    }

    /// Increases whenever something visible (cells, cursor, modes, title)
    /// changed, so a renderer can skip unchanged panes with one comparison.
    /// It may also increase when an operation happened to change nothing.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// How many times the title changed so far.
    pub fn title_changes(&self) -> u64 {
        self.state.titles
    }

    /// Bells (BEL outside of a string) received so far.
    pub fn bell_count(&self) -> u64 {
        self.state.bells
    }

    /// The screen as plain text, with the scrollback first when `full`. Lines
    /// are joined with `\n` (no final newline), trailing spaces trimmed and
    /// trailing empty lines dropped. Combining marks are kept; the right half
    /// of a wide character adds nothing.
    pub fn dump_text(&self, full: bool) -> String {
        self.state.dump_text(full)
    }

    /// The last `scrollback_lines` lines of scrollback (`None`: all) and every
    /// viewport row, as text with SGR sequences, each line ending with its
    /// style reset. [`Replaying`](Self::replay) `scrollback ++ viewport`
    /// joined with `"\n"` into a fresh `Terminal` of the same size recreates
    /// the same cells and the same wraps (a row that ran on into the next
    /// ends with a mark saying so); fed plainly, joined with `"\r\n"`, the
    /// same cells.
    pub fn dump_ansi(&self, scrollback_lines: Option<usize>) -> (Vec<String>, Vec<String>) {
        self.state.screen_copy(scrollback_lines, None).dump_ansi()
    }

    /// What [`dump_ansi`](Self::dump_ansi) reads, taken in microseconds (the
    /// history is shared, not copied), so the dump can be made elsewhere.
    pub fn screen_copy(&self, scrollback_lines: Option<usize>) -> ScreenCopy {
        self.state.screen_copy(scrollback_lines, None)
    }

    /// Like [`screen_copy`](Self::screen_copy), carrying only the history
    /// rows newer than `since` (what the holder of an earlier copy's dump
    /// has) when that still describes this history, else all of them.
    pub fn screen_copy_since(&self, scrollback_lines: Option<usize>, since: Option<HistoryMark>) -> ScreenCopy {
        self.state.screen_copy(scrollback_lines, since)
    }
}

/// Sizes come in as `u16` and never grow past it, so this never saturates.
fn to_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_moves_only_on_change() {
        let mut t = Terminal::new(10, 3, 0);
        let g0 = t.generation();
        t.advance(b"");
        assert_eq!(t.generation(), g0);
        t.advance(b"\x1b[6n");
        assert_eq!(t.generation(), g0, "a query changes nothing visible");
        t.advance(b"x");
        let g1 = t.generation();
        assert!(g1 > g0);
        t.advance(b"\x1b[2;2H");
        let g2 = t.generation();
        assert!(g2 > g1, "cursor motion is visible");
        t.advance(b"\x1b[?25l");
        assert!(t.generation() > g2, "hiding the cursor is visible");
    }

    #[test]
    fn rows_remember_whether_they_wrapped() {
        let mut t = Terminal::new(4, 3, 10);
        // "abcd" wraps into "ef"; "wxyz" fills its row and then ends.
        t.advance(b"abcdef\r\nwxyz");
        assert_eq!((t.row_wrapped(0), t.row_wrapped(1), t.row_wrapped(2)), (true, false, false));
        t.advance(b"\r\n\r\n");
        assert_eq!(t.scrollback_len(), 2);
        assert!(t.scrollback_row_wrapped(0) && !t.scrollback_row_wrapped(1), "the flag goes with its row");
        assert!(!t.row_wrapped(0), "wxyz filled its row but ended in a newline");
        // Erasing to the end of a line ends its run-on.
        let mut e = Terminal::new(4, 2, 0);
        e.advance(b"abcdef\x1b[1;3H\x1b[K");
        assert!(!e.row_wrapped(0));
    }

    #[test]
    fn out_of_range_rows_are_empty() {
        let t = Terminal::new(4, 2, 5);
        assert_eq!(t.row(1).len(), 4);
        assert!(t.row(2).is_empty());
        assert!(t.scrollback_row(0).is_empty());
    }

    #[test]
    fn coloured_blanks_reach_history_and_short_lines_leave_no_trace() {
        let mut t = Terminal::new(10, 3, 100);
        // A whole row erased in blue (background colour erase), then a short
        // line over a long one, then all of it scrolled off.
        t.advance(b"\x1b[44m\x1b[2K\x1b[0mab\r\n0123456789\r\x1b[Kxy\r\n\x1b[44mc\x1b[Kd\x1b[0m\r\n\r\n\r\n\r\n");
        let blue = Color::Indexed(4);
        let first = t.scrollback_row(0);
        assert_eq!(first.len(), 10, "the blue row is kept to its end");
        assert!(first[2..].iter().all(|c| c.style.bg == blue), "{first:?}");
        assert_eq!(t.scrollback_row(1).iter().map(|c| c.ch).collect::<String>(), "xy");
        let third = t.scrollback_row(2);
        assert_eq!(third.len(), 10);
        assert!(third[2..].iter().all(|c| c.style.bg == blue && c.ch == ' '));
        // The rows that came back blank hold nothing of what was there.
        for y in 0..3 {
            assert!(t.row(y).iter().all(|c| *c == Cell::BLANK), "row {y}: {:?}", t.row(y));
        }
    }

    #[test]
    fn coloured_history_is_kept_packed() {
        let mut t = Terminal::new(80, 24, 10_000);
        for i in 0..10_024 {
            let line = format!(
                "\x1b[3{}m{i:>8}\x1b[0m \x1b[1;38;5;{}mlorem ipsum dolor\x1b[0m sit amet, \x1b[48;2;{};40;90mconsectetur\x1b[0m adipiscing elit {}\r\n",
                i % 8,
                i % 256,
                i % 256,
                "x".repeat(i % 10)
            );
            t.advance(line.as_bytes());
        }
        assert_eq!(t.scrollback_len(), 10_000);
        // As cells these lines would take 28 bytes a column (~20 MiB).
        assert!(t.scrollback_bytes() < 2 << 20, "{} bytes", t.scrollback_bytes());
        let row = t.scrollback_row(9_999);
        let text: String = row.iter().map(|c| c.ch).collect();
        assert_eq!(text.trim_start().split(' ').next(), Some("10000"), "{text}");
        assert_eq!(row[0].style.fg, Color::Indexed(0));
        assert_eq!(row[9].style.fg, Color::Indexed((10_000 % 256) as u8), "{:?}", row[9].style);
    }

    #[test]
    fn scrollback_is_capped_and_drops_the_oldest() {
        let mut t = Terminal::new(4, 2, 3);
        for i in 0..10 {
            t.advance(format!("{i}\r\n").as_bytes());
        }
        assert_eq!(t.scrollback_len(), 3);
        let first: Vec<char> = (0..3).map(|i| t.scrollback_row(i)[0].ch).collect();
        assert_eq!(first, ['6', '7', '8']);
        assert_eq!(t.dump_text(false), "9");
        assert_eq!(t.dump_text(true), "6\n7\n8\n9");
    }

    #[test]
    fn alt_screen_preserves_primary_and_has_no_scrollback() {
        let mut t = Terminal::new(5, 3, 10);
        t.advance(b"shell\r\n$ \x1b[?1049h");
        assert!(t.modes().alt_screen);
        assert_eq!(t.dump_text(false), "", "1049 starts from a clear screen");
        t.advance(b"\x1b[Hvim\r\n1\r\n2\r\n3\r\n4\r\n5");
        assert_eq!(t.scrollback_len(), 0, "the alternate screen keeps no history");
        t.advance(b"\x1b[1;1H");
        t.advance(b"\x1b[?1049l");
        assert!(!t.modes().alt_screen);
        assert_eq!(t.dump_text(false), "shell\n$");
        assert_eq!((t.cursor().col, t.cursor().row), (2, 1), "1049 restores the cursor");
        // Re-entering with 1049 clears what the last program left.
        t.advance(b"\x1b[?1049h");
        assert_eq!(t.dump_text(false), "");
    }

    #[test]
    fn alt_screen_47_keeps_its_content_and_1047_clears_on_exit() {
        let mut t = Terminal::new(5, 2, 10);
        t.advance(b"main\x1b[?47h\x1b[Halt\x1b[?47l");
        assert_eq!(t.dump_text(false), "main");
        t.advance(b"\x1b[?47h");
        assert_eq!(t.dump_text(false), "alt");
        t.advance(b"\x1b[?47l\x1b[?1047h");
        assert_eq!(t.dump_text(false), "alt");
        t.advance(b"\x1b[?1047l\x1b[?47h");
        assert_eq!(t.dump_text(false), "");
    }
}
