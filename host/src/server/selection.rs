//! Selecting text with the mouse: drag selects inside one pane (over
//! scrolled-back lines too), a double click a word, a triple click a line.
//! Releasing copies. Programs that asked for the mouse get it instead, and
//! Shift is left to the outer terminal's own selection.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use revenant_terminal::{Cell, Terminal};

use crate::ipc::{Key, KeyCode, Mouse, MouseButton, MouseKind};
use crate::tiling::{PaneId, Rect};

use super::input::Who;
use super::{Server, encode, render};

/// Clicks closer together than this count as a double or triple click.
const MULTI_CLICK: Duration = Duration::from_millis(400);

/// A place in a pane's text: `line` counts from the oldest scrollback line
/// (the screen's rows follow the scrollback).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Point {
    pub line: usize,
    pub col: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Char,
    Word,
    Line,
}

#[derive(Debug, Clone, Copy)]
pub struct Selection {
    anchor: Point,
    head: Point,
    unit: Unit,
}

/// The last click of a client, to tell double and triple clicks.
#[derive(Debug, Clone, Copy)]
pub struct Click {
    at: Instant,
    pane: PaneId,
    point: Point,
    count: u8,
}

impl Selection {
    /// First and last cell (inclusive), in reading order, grown to whole
    /// words or lines.
    pub fn bounds(&self, term: &Terminal) -> (Point, Point) {
        let (mut start, mut end) =
            if self.anchor <= self.head { (self.anchor, self.head) } else { (self.head, self.anchor) };
        match self.unit {
            Unit::Char => {}
            Unit::Word => {
                start.col = word_edge(&line(term, start.line), start.col, -1);
                end.col = word_edge(&line(term, end.line), end.col, 1);
            }
            Unit::Line => {
                start.col = 0;
                end.col = term.cols().saturating_sub(1);
            }
        }
        (start, end)
    }

    pub fn is_empty(&self) -> bool {
        self.unit == Unit::Char && self.anchor == self.head
    }
}

/// Line `i` of the pane's text: scrollback first, then the screen.
/// Scrollback lines are kept packed, so those come back unpacked (owned).
pub fn line(term: &Terminal, i: usize) -> Cow<'_, [Cell]> {
    let sb = term.scrollback_len();
    if i < sb {
        Cow::Owned(term.scrollback_row(i))
    } else {
        Cow::Borrowed(term.row(u16::try_from(i - sb).unwrap_or(u16::MAX)))
    }
}

/// The first line shown when the pane is scrolled back `scroll` lines.
pub fn top_line(term: &Terminal, scroll: usize) -> usize {
    let sb = term.scrollback_len();
    sb - scroll.min(sb)
}

fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && !"()[]{}<>\"'`,;|".contains(c)
}

/// How far a word reaches from `col`, towards `dir` (-1 left, 1 right).
fn word_edge(row: &[Cell], col: u16, dir: isize) -> u16 {
    let at = |c: isize| row.get(c as usize).map(|cell| if cell.width == 0 { 'x' } else { cell.ch });
    if !at(col as isize).is_some_and(is_word_char) {
        return col;
    }
    let mut c = col as isize;
    while at(c + dir).is_some_and(is_word_char) {
        c += dir;
    }
    c as u16
}

/// Whether line `i` ran on into the next one (it wrapped at the edge
/// rather than ending in a newline).
pub fn runs_on(term: &Terminal, i: usize) -> bool {
    let sb = term.scrollback_len();
    if i < sb { term.scrollback_row_wrapped(i) } else { term.row_wrapped(u16::try_from(i - sb).unwrap_or(u16::MAX)) }
}

/// The text from `start` to `end` (inclusive): a wide character counts
/// once whichever half is selected, lines end in `\n` unless they wrapped
/// into the next, and trailing blanks are dropped.
pub fn text(term: &Terminal, start: Point, end: Point) -> String {
    let cols = term.cols().max(1);
    let mut out = String::new();
    for i in start.line..=end.line {
        let row = line(term, i);
        let mut from = if i == start.line { usize::from(start.col) } else { 0 };
        let to = if i == end.line { usize::from(end.col) } else { usize::from(cols) - 1 };
        // Starting on a wide character's right half takes the character.
        if row.get(from).is_some_and(|c| c.width == 0) && from > 0 {
            from -= 1;
        }
        let mut piece = String::new();
        for cell in row.iter().take(to + 1).skip(from) {
            if cell.width != 0 {
                cell.push_text(&mut piece);
            }
        }
        let wraps = i != end.line && runs_on(term, i);
        if wraps {
            out.push_str(&piece);
        } else {
            out.push_str(piece.trim_end_matches(' '));
            if i != end.line {
                out.push('\n');
            }
        }
    }
    out
}

impl Server {
    pub(super) fn mouse(&mut self, who: Who, m: Mouse) {
        if !self.config.mouse_mode {
            return;
        }
        let selecting = self.view(who).selecting;
        if let Some(id) = selecting
            && matches!(m.kind, MouseKind::Drag(MouseButton::Left) | MouseKind::Up(MouseButton::Left))
        {
            self.extend_selection(who, id, m);
            return;
        }
        let Some(tab) = self.view(who).tab(&self.session) else { return };
        // A stack's hidden members share its rectangle: only the open one
        // takes clicks.
        let hit =
            tab.placements(self.pane_area()).into_iter().rev().find(|p| !p.collapsed && p.rect.contains(m.col, m.row));
        let Some(hit) = hit else { return };
        let inner = self.pane_inner(hit.id).unwrap_or(hit.rect);
        let focused = self.focused(who) == Some(hit.id);
        if let MouseKind::Down(_) = m.kind
            && !focused
        {
            self.with_view(who, |view, session| view.focus(session, hit.id));
        }
        let Some(pane) = self.session.panes.get_mut(&hit.id) else { return };
        let modes = pane.term.modes();
        let (col, row) = (m.col.saturating_sub(inner.x), m.row.saturating_sub(inner.y));
        if let Some(bytes) = encode::mouse(&m, col, row, &modes) {
            // A program that asked for the mouse gets it (not the click
            // that focused its pane).
            if focused {
                let _ = pane.write(&bytes);
            }
            return;
        }
        match m.kind {
            MouseKind::ScrollUp | MouseKind::ScrollDown if modes.alt_screen => {
                // Full-screen programs without mouse support get arrow keys.
                let code = if m.kind == MouseKind::ScrollUp { KeyCode::Up } else { KeyCode::Down };
                let bytes = encode::key(Key { code, mods: Default::default() }, &modes);
                let _ = pane.write(&bytes.repeat(3));
            }
            MouseKind::ScrollUp => pane.scroll = (pane.scroll + 3).min(pane.term.scrollback_len()),
            MouseKind::ScrollDown => pane.scroll = pane.scroll.saturating_sub(3),
            // Shift-drag belongs to the outer terminal's own selection.
            MouseKind::Down(MouseButton::Left) if !m.mods.shift => {
                let point = Point { line: top_line(&pane.term, pane.scroll) + usize::from(row), col };
                let now = Instant::now();
                let last = self.view(who).last_click;
                let count = match last {
                    Some(c) if c.pane == hit.id && c.point == point && now - c.at < MULTI_CLICK => c.count % 3 + 1,
                    _ => 1,
                };
                let unit = [Unit::Char, Unit::Word, Unit::Line][usize::from(count - 1)];
                let pane = self.session.panes.get_mut(&hit.id).expect("hit above");
                pane.selection = Some(Selection { anchor: point, head: point, unit });
                self.with_view(who, |view, _| {
                    view.last_click = Some(Click { at: now, pane: hit.id, point, count });
                    view.selecting = Some(hit.id);
                });
                if unit != Unit::Char {
                    self.selection_done(who, hit.id);
                }
            }
            _ => {}
        }
    }

    /// Where a pane's terminal is drawn on the client's screen.
    fn pane_inner(&self, id: PaneId) -> Option<Rect> {
        let t = self.session.tab_of(id)?;
        let tab = &self.session.tabs[t];
        let p = tab.placements_with(self.pane_area(), true).into_iter().find(|p| p.id == id)?;
        let borderless = self.session.panes.get(&id).is_some_and(|p| p.borderless);
        let list = tab.tiled.stack_of(id).map_or(0, |s| s.panes.len() as u16);
        Some(render::below_list(
            render::inner(p.rect, render::framed(self.config.pane_frames, p.floating, borderless)),
            list,
        ))
    }

    /// A drag moves the selection's free end (scrolling when it leaves
    /// the pane at the top or bottom); the release copies it.
    fn extend_selection(&mut self, who: Who, id: PaneId, m: Mouse) {
        let Some(inner) = self.pane_inner(id) else {
            self.with_view(who, |view, _| view.selecting = None);
            return;
        };
        let Some(pane) = self.session.panes.get_mut(&id) else { return };
        if m.row < inner.y {
            pane.scroll = (pane.scroll + 1).min(pane.term.scrollback_len());
        } else if m.row >= inner.y + inner.h {
            pane.scroll = pane.scroll.saturating_sub(1);
        }
        let row = m.row.clamp(inner.y, inner.y + inner.h.saturating_sub(1)) - inner.y;
        let col = m.col.clamp(inner.x, inner.x + inner.w.saturating_sub(1)) - inner.x;
        let point = Point { line: top_line(&pane.term, pane.scroll) + usize::from(row), col };
        if let Some(sel) = &mut pane.selection {
            sel.head = point;
        }
        if let MouseKind::Up(_) = m.kind {
            self.with_view(who, |view, _| view.selecting = None);
            self.selection_done(who, id);
        }
    }

    fn selection_done(&mut self, who: Who, id: PaneId) {
        if self.config.copy_on_select {
            self.copy_pane_selection(who, id);
        }
    }

    /// `Copy`: the focused pane's selection to the clipboard.
    pub(super) fn copy_selection(&mut self, who: Who) {
        if let Some(id) = self.focused(who) {
            self.copy_pane_selection(who, id);
        }
    }

    fn copy_pane_selection(&mut self, who: Who, id: PaneId) {
        let Some(pane) = self.session.panes.get(&id) else { return };
        let Some(sel) = pane.selection.filter(|s| !s.is_empty()) else { return };
        let (start, end) = sel.bounds(&pane.term);
        let text = text(&pane.term, start, end);
        if !text.is_empty() {
            self.copy_to_clipboard(who, text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(cols: u16, bytes: &str) -> Terminal {
        let mut t = Terminal::new(cols, 4, 100);
        t.advance(bytes.as_bytes());
        t
    }

    #[test]
    fn text_joins_wrapped_lines_and_keeps_wide_characters_whole() {
        let t = term(6, "abcdefgh\r\nx 漢字 y");
        // "abcdef" wrapped into "gh": one line of text.
        assert_eq!(text(&t, Point { line: 0, col: 2 }, Point { line: 1, col: 1 }), "cdefgh");
        // From the right half of 漢 to the left half of 字.
        assert_eq!(text(&t, Point { line: 2, col: 3 }, Point { line: 2, col: 4 }), "漢字");
        assert_eq!(text(&t, Point { line: 1, col: 0 }, Point { line: 2, col: 0 }), "gh\nx");
    }

    #[test]
    fn a_line_that_ends_at_the_edge_is_not_joined_to_the_next() {
        let t = term(4, "abcd\r\nefgh");
        assert_eq!(text(&t, Point { line: 0, col: 0 }, Point { line: 1, col: 3 }), "abcd\nefgh");
    }

    #[test]
    fn words_and_lines_grow_from_the_click() {
        let t = term(20, "echo /tmp/a.txt done");
        let word = Selection { anchor: Point { line: 0, col: 8 }, head: Point { line: 0, col: 8 }, unit: Unit::Word };
        let (s, e) = word.bounds(&t);
        assert_eq!(text(&t, s, e), "/tmp/a.txt");
        let whole = Selection { unit: Unit::Line, ..word };
        let (s, e) = whole.bounds(&t);
        assert_eq!(text(&t, s, e), "echo /tmp/a.txt done");
    }
}
