//! The terminal's state and its primitive operations: printing, cursor motion,
//! line feeds and scrolling, saving the cursor, switching screens, resets.
//! Escape-sequence decoding lives in `performer`; this is what it calls.

use unicode_width::UnicodeWidthChar;

use crate::cell::Cell;
use crate::charset::{self, Charsets};
use crate::extras::{Extras, Hyperlink, MAX_URI};
use crate::grid::{Grid, split_wide_edges};
use crate::keyboard_flags::KeyboardFlags;
use crate::modes::{EditModes, Modes};
use crate::scrollback::Scrollback;
use crate::style::Style;
use crate::tabs::TabStops;
use crate::wrap::Wrap;

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Cursor {
    pub(crate) x: usize,
    pub(crate) y: usize,
    /// Set after writing the last column: the cursor stays on that column and
    /// the wrap happens only if another character follows. This is what lets
    /// a program fill the last column without the screen scrolling.
    pub(crate) pending_wrap: bool,
    /// The SGR pen.
    pub(crate) style: Style,
}

/// What DECSC stores. Without a prior DECSC, DECRC goes home with default
/// attributes, which is what `Default` gives.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SavedCursor {
    pub(crate) cursor: Cursor,
    pub(crate) origin: bool,
    pub(crate) charsets: Charsets,
}

#[derive(Debug)]
pub(crate) struct State {
    /// The screen being drawn on. The other one waits in `inactive`; swapping
    /// the two keeps the print path free of "which screen" branches.
    pub(crate) grid: Grid,
    pub(crate) inactive: Grid,
    /// DECSC slots are per screen in xterm; these swap along with the grids.
    pub(crate) saved: SavedCursor,
    pub(crate) inactive_saved: SavedCursor,
    /// The kitty keyboard stacks are per screen too; `modes.kitty_keyboard`
    /// mirrors the active one's flags.
    pub(crate) keyboard: KeyboardFlags,
    pub(crate) inactive_keyboard: KeyboardFlags,
    pub(crate) scrollback: Scrollback,
    pub(crate) cursor: Cursor,
    pub(crate) modes: Modes,
    pub(crate) edit: EditModes,
    /// Scroll region, inclusive rows.
    pub(crate) top: usize,
    pub(crate) bottom: usize,
    pub(crate) tabs: TabStops,
    pub(crate) charsets: Charsets,
    pub(crate) title: Option<String>,
    pub(crate) responses: Vec<u8>,
    /// Clipboard and notification requests, for whoever runs the terminal.
    pub(crate) signals: Vec<crate::signals::Signal>,
    /// An OSC 133 mark came: only then can rows carry prompt zones, so a
    /// pane without the shell integration is not searched for them.
    pub(crate) saw_prompt_marks: bool,
    pub(crate) bells: u64,
    /// Times the title changed, so a caller can tell without comparing it.
    pub(crate) titles: u64,
    /// Set by anything visible; `Terminal` folds it into the generation counter
    /// once per `advance`, so checking for changes costs one comparison.
    pub(crate) changed: bool,
    /// A CSI or ESC sequence was dispatched: vte is back in its ground
    /// state, and stops there when asked to (`Perform::terminated`).
    pub(crate) sequence_ended: bool,
    /// The last graphic character printed, for REP.
    pub(crate) last_char: Option<char>,
    /// The marks combined with `last_char`, which REP repeats with it.
    pub(crate) last_marks: crate::cell::Combining,
    /// Underline colours and hyperlinks cells refer to.
    pub(crate) extras: Extras,
}

impl State {
    pub(crate) fn new(cols: usize, rows: usize, scrollback_limit: usize) -> State {
        let (cols, rows) = (cols.max(1), rows.max(1));
        State {
            grid: Grid::new(cols, rows),
            inactive: Grid::new(cols, rows),
            saved: SavedCursor::default(),
            inactive_saved: SavedCursor::default(),
            keyboard: KeyboardFlags::default(),
            inactive_keyboard: KeyboardFlags::default(),
            scrollback: Scrollback::new(scrollback_limit),
            cursor: Cursor::default(),
            modes: Modes::default(),
            edit: EditModes::default(),
            top: 0,
            bottom: rows - 1,
            tabs: TabStops::new(cols),
            charsets: Charsets::default(),
            title: None,
            responses: Vec::new(),
            signals: Vec::new(),
            saw_prompt_marks: false,
            titles: 0,
            bells: 0,
            changed: false,
            sequence_ended: false,
            last_char: None,
            last_marks: crate::cell::Combining::NONE,
            extras: Extras::default(),
        }
    }

    /// `OSC 8 ; params ; URI`: what is printed next links to URI (an empty
    /// URI ends the link). The URI may itself contain `;`, which the parser
    /// split on.
    pub(crate) fn set_hyperlink(&mut self, params: &[u8], uri: &[&[u8]]) {
        let uri = uri.join(&b';');
        let link = match String::from_utf8(uri) {
            Ok(uri) if !uri.is_empty() && uri.len() <= MAX_URI => {
                let id = String::from_utf8_lossy(params)
                    .split(':')
                    .find_map(|kv| kv.strip_prefix("id=").map(str::to_string))
                    .filter(|id| !id.is_empty());
                Some(std::sync::Arc::new(Hyperlink { uri, id }))
            }
            _ => None,
        };
        self.cursor.style.extra = self.extras.with_link(self.cursor.style.extra, link);
    }

    pub(crate) fn cols(&self) -> usize {
        self.grid.cols()
    }

    pub(crate) fn rows(&self) -> usize {
        self.grid.rows()
    }

    /// The blank erase operations and scrolling write (background colour erase).
    pub(crate) fn blank(&self) -> Cell {
        Cell::blank(self.cursor.style.erased())
    }

    // ---- printing ------------------------------------------------------

    /// Everything `cat` produces ends up here, one call per character, so the
    /// narrow-character path is forced inline into vte's loop.
    #[inline(always)]
    pub(crate) fn print(&mut self, c: char) {
        let c = if self.charsets.translating() { charset::dec_special(c) } else { c };
        self.print_translated(c);
    }

    #[inline(always)]
    pub(crate) fn print_translated(&mut self, c: char) {
        let width = if (' '..='~').contains(&c) {
            1
        } else {
            match c.width() {
                Some(w) => w,
                // Controls that reached print (DEL): nothing to draw.
                None => return,
            }
        };
        self.changed = true;
        match width {
            1 => self.put_narrow(c),
            0 => self.put_combining(c),
            _ => self.put_wide(c),
        }
    }

    #[inline(always)]
    fn put_narrow(&mut self, c: char) {
        self.last_char = Some(c);
        self.last_marks = crate::cell::Combining::NONE;
        if self.cursor.pending_wrap {
            self.wrap();
        }
        let (x, y) = (self.cursor.x, self.cursor.y);
        if self.edit.insert {
            let blank = self.blank();
            self.grid.insert_cells(y, x, 1, blank);
        }
        let style = self.cursor.style;
        // A split wide pair's other half lies in the used part already.
        let row = self.grid.row_mut_to(y, x + 1);
        if row[x].width != 1 {
            split_wide_edges(row, x, x + 1);
        }
        row[x] = Cell::new(c, 1, style);
        self.advance_cursor(x + 1);
    }

    #[inline(never)]
    fn put_wide(&mut self, c: char) {
        let cols = self.cols();
        // A wide character can never fit a one-column terminal.
        if cols < 2 {
            return;
        }
        self.last_char = Some(c);
        self.last_marks = crate::cell::Combining::NONE;
        if self.cursor.pending_wrap {
            self.wrap();
        }
        if self.cursor.x + 1 >= cols {
            // No room for both halves: wrap first (xterm), or without autowrap
            // overwrite the last two columns rather than lose the character.
            if self.edit.autowrap {
                self.grid.set_wrap(self.cursor.y, Wrap::Padded);
                self.cursor.x = 0;
                self.index();
            } else {
                self.cursor.x = cols - 2;
            }
        }
        let (x, y) = (self.cursor.x, self.cursor.y);
        if self.edit.insert {
            let blank = self.blank();
            self.grid.insert_cells(y, x, 2, blank);
        }
        let style = self.cursor.style;
        let row = self.grid.row_mut_to(y, x + 2);
        split_wide_edges(row, x, x + 2);
        row[x] = Cell::new(c, 2, style);
        row[x + 1] = Cell::spacer(style);
        self.advance_cursor(x + 2);
    }

    /// Moves to column `next` after a write, or marks the wrap as pending when
    /// the write reached the last column. The flag is set even without
    /// autowrap so a following combining mark still finds its base.
    #[inline(always)]
    pub(crate) fn advance_cursor(&mut self, next: usize) {
        let cols = self.cols();
        if next < cols {
            self.cursor.x = next;
        } else {
            self.cursor.x = cols - 1;
            self.cursor.pending_wrap = true;
        }
    }

    /// Zero-width characters belong to the character before the cursor.
    #[inline(never)]
    fn put_combining(&mut self, c: char) {
        let Cursor { x, y, pending_wrap, .. } = self.cursor;
        let x = if pending_wrap {
            x
        } else if x > 0 {
            x - 1
        } else {
            // Nothing to attach to at the start of a line.
            return;
        };
        let row = self.grid.row_mut_to(y, x + 1);
        let x = if row[x].width == 0 && x > 0 { x - 1 } else { x };
        if row[x].combining.push(c) && self.last_char.is_some() {
            self.last_marks.push(c);
        }
    }

    pub(crate) fn wrap(&mut self) {
        self.cursor.pending_wrap = false;
        if self.edit.autowrap {
            self.grid.set_wrap(self.cursor.y, Wrap::Yes);
            self.cursor.x = 0;
            self.index();
        }
    }

    /// REP: repeats the last graphic character, already translated: a wide
    /// one as wide, and with the marks combined with it (the character as
    /// it reads; tmux repeats only ASCII).
    pub(crate) fn repeat_last(&mut self, n: usize) {
        // The count is at most u16::MAX (vte saturates), so no further cap:
        // cutting it short would change where the text ends up.
        if let Some(c) = self.last_char {
            let marks = self.last_marks;
            for _ in 0..n {
                self.print_translated(c);
                for m in marks.iter() {
                    self.put_combining(m);
                }
            }
            self.last_marks = marks;
        }
    }

    // ---- line feeds and scrolling ---------------------------------------

    /// IND: down one line, scrolling the region when at its bottom. Below the
    /// region the cursor moves until the last row and stops there.
    pub(crate) fn index(&mut self) {
        self.cursor.pending_wrap = false;
        if self.cursor.y == self.bottom {
            self.scroll_up(1);
        } else if self.cursor.y + 1 < self.rows() {
            self.cursor.y += 1;
        }
        self.changed = true;
    }

    /// LF, VT and FF.
    pub(crate) fn linefeed(&mut self) {
        self.index();
        if self.edit.newline {
            self.cursor.x = 0;
        }
    }

    /// RI: up one line, scrolling the region down when at its top.
    pub(crate) fn reverse_index(&mut self) {
        self.cursor.pending_wrap = false;
        if self.cursor.y == self.top {
            self.scroll_down(1);
        } else if self.cursor.y > 0 {
            self.cursor.y -= 1;
        }
        self.changed = true;
    }

    /// Scrolls the region up. Lines leave through scrollback only on the
    /// primary screen and only when the region starts at the top row: that is
    /// xterm's rule, and it keeps output scrolling above a pinned status line
    /// (apt's progress bar) in the history.
    pub(crate) fn scroll_up(&mut self, n: usize) {
        let blank = self.blank();
        let (top, bottom) = (self.top, self.bottom);
        if self.modes.alt_screen || top != 0 {
            self.grid.scroll_up(top, bottom, n, blank, |row, _, _| row);
        } else {
            let history = &mut self.scrollback;
            self.grid.scroll_up(top, bottom, n, blank, |row, used, wrapped| history.push(row, used, wrapped));
        }
        self.changed = true;
    }

    pub(crate) fn scroll_down(&mut self, n: usize) {
        let blank = self.blank();
        self.grid.scroll_down(self.top, self.bottom, n, blank);
        self.changed = true;
    }

    // ---- cursor motion ---------------------------------------------------

    /// Absolute move, clamped to the screen.
    pub(crate) fn goto(&mut self, x: usize, y: usize) {
        self.cursor.x = x.min(self.cols() - 1);
        self.cursor.y = y.min(self.rows() - 1);
        self.cursor.pending_wrap = false;
        self.changed = true;
    }

    /// A move as an application addresses it: under DECOM rows count from the
    /// region's top and cannot leave it.
    pub(crate) fn goto_origin(&mut self, x: usize, y: usize) {
        if self.edit.origin {
            let y = self.top.saturating_add(y).min(self.bottom);
            self.goto(x, y);
        } else {
            self.goto(x, y);
        }
    }

    /// CUU/CPL: stops at the region's top if the cursor started inside it.
    pub(crate) fn move_up(&mut self, n: usize) {
        let limit = if self.cursor.y >= self.top { self.top } else { 0 };
        let y = self.cursor.y.saturating_sub(n).max(limit);
        self.goto(self.cursor.x, y);
    }

    /// CUD/CNL: stops at the region's bottom if the cursor started inside it.
    pub(crate) fn move_down(&mut self, n: usize) {
        let limit = if self.cursor.y <= self.bottom { self.bottom } else { self.rows() - 1 };
        let y = self.cursor.y.saturating_add(n).min(limit);
        self.goto(self.cursor.x, y);
    }

    pub(crate) fn carriage_return(&mut self) {
        self.goto(0, self.cursor.y);
    }

    pub(crate) fn backspace(&mut self) {
        if self.cursor.x > 0 {
            self.goto(self.cursor.x - 1, self.cursor.y);
        } else {
            self.cursor.pending_wrap = false;
        }
    }

    pub(crate) fn tab_forward(&mut self, n: usize) {
        let mut x = self.cursor.x;
        for _ in 0..n.min(self.cols()) {
            x = self.tabs.next(x);
        }
        if x != self.cursor.x {
            self.goto(x, self.cursor.y);
        }
    }

    pub(crate) fn tab_backward(&mut self, n: usize) {
        let mut x = self.cursor.x;
        for _ in 0..n.min(self.cols()) {
            x = self.tabs.prev(x);
        }
        self.goto(x, self.cursor.y);
    }

    /// DECSTBM. An invalid region (top not above bottom) is ignored, as xterm does.
    pub(crate) fn set_scroll_region(&mut self, top: usize, bottom: usize) {
        let bottom = bottom.min(self.rows() - 1);
        if top >= bottom {
            return;
        }
        self.top = top;
        self.bottom = bottom;
        self.goto_origin(0, 0);
    }

    // ---- saved cursor, screens, resets ----------------------------------

    pub(crate) fn save_cursor(&mut self) {
        self.saved = SavedCursor { cursor: self.cursor, origin: self.edit.origin, charsets: self.charsets };
    }

    pub(crate) fn restore_cursor(&mut self) {
        let saved = self.saved;
        self.edit.origin = saved.origin;
        self.charsets = saved.charsets;
        self.cursor.style = saved.cursor.style;
        self.goto(saved.cursor.x, saved.cursor.y);
        // The screen may have narrowed since: a pending wrap only makes sense
        // on the last column.
        self.cursor.pending_wrap = saved.cursor.pending_wrap && self.cursor.x == self.cols() - 1;
    }

    pub(crate) fn enter_alt_screen(&mut self, clear: bool) {
        if !self.modes.alt_screen {
            self.swap_screens();
        }
        if clear {
            self.erase_all_rows();
        }
    }

    pub(crate) fn leave_alt_screen(&mut self) {
        if self.modes.alt_screen {
            self.swap_screens();
        }
    }

    fn swap_screens(&mut self) {
        std::mem::swap(&mut self.grid, &mut self.inactive);
        std::mem::swap(&mut self.saved, &mut self.inactive_saved);
        std::mem::swap(&mut self.keyboard, &mut self.inactive_keyboard);
        self.modes.kitty_keyboard = self.keyboard.current();
        self.modes.alt_screen = !self.modes.alt_screen;
        self.changed = true;
    }

    pub(crate) fn erase_all_rows(&mut self) {
        let blank = self.blank();
        self.grid.erase_rows(0, self.rows(), blank);
        self.changed = true;
    }

    /// DECSTR: modes and pen back to power-on values, screen contents kept.
    pub(crate) fn soft_reset(&mut self) {
        self.edit = EditModes::default();
        self.modes.application_cursor = false;
        self.modes.application_keypad = false;
        self.cursor.style = Style::DEFAULT;
        self.cursor.pending_wrap = false;
        self.charsets = Charsets::default();
        self.top = 0;
        self.bottom = self.rows() - 1;
        self.saved = SavedCursor::default();
        self.changed = true;
    }

    /// RIS. Scrollback, title and the bell count survive, as in xterm: a
    /// program running `reset` shouldn't erase the user's history.
    pub(crate) fn full_reset(&mut self) {
        let (cols, rows) = (self.cols(), self.rows());
        let scrollback = std::mem::replace(&mut self.scrollback, Scrollback::new(0));
        let title = self.title.take();
        let responses = std::mem::take(&mut self.responses);
        let bells = self.bells;
        // The scrollback's cells still refer to these.
        let extras = std::mem::take(&mut self.extras);
        *self = State::new(cols, rows, 0);
        self.extras = extras;
        self.scrollback = scrollback;
        self.title = title;
        self.responses = responses;
        self.bells = bells;
        self.changed = true;
    }

    /// DECALN: fills the screen with `E`, the alignment test pattern.
    pub(crate) fn alignment_test(&mut self) {
        self.top = 0;
        self.bottom = self.rows() - 1;
        let e = Cell::new('E', 1, Style::DEFAULT);
        self.grid.erase_rows(0, self.rows(), e);
        self.goto(0, 0);
    }
}
