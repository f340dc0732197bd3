//! Copy mode: a keyboard cursor in a pane's text (scrollback, then the
//! screen) that moves as tmux's copy mode does and drags a selection
//! behind it. The view scrolls to keep the cursor in sight. Which key does
//! what is `copy_keys`; the text copied is `selection`'s.

use revenant_terminal::Terminal;

use crate::copy_cursor::CopyCursor;
use crate::pane::Pane;
use crate::selection::{Point, Selection, Unit, line, runs_on, top_line};

/// Where a motion takes the cursor, or what else a copy-mode key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyAction {
    Left,
    Right,
    Up,
    Down,
    /// Start of the next word (`w`).
    WordNext,
    /// Start of this or the previous word (`b`).
    WordBack,
    /// End of this or the next word (`e`).
    WordEnd,
    LineStart,
    LineEnd,
    /// First and last line of the text (`g`, `G`).
    Top,
    Bottom,
    /// Top, middle and bottom row of the view (`H`, `M`, `L`).
    ViewTop,
    ViewMiddle,
    ViewBottom,
    /// Scroll by half or whole views, the cursor with them.
    HalfPageUp,
    HalfPageDown,
    PageUp,
    PageDown,
    /// Start selecting characters, lines or a rectangle at the cursor.
    SelectChars,
    SelectLines,
    SelectBlock,
    /// Type a query to find towards newer (`/`) or older (`?`) text.
    FindForward,
    FindBackward,
    /// The next match the way the last query looked, and the other way.
    FindNext,
    FindPrevious,
    PromptUp,
    PromptDown,
    /// Select the output of the command at or above the cursor.
    SelectOutput,
    Copy,
    Cancel,
}

const NO_MARKS: &str = "No prompt marks here: `revenant setup --shell-integration bash` prints the shell's part";

/// What the runtime has to do after a copy-mode key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyOutcome {
    Stay,
    /// Copy this text, then leave copy mode.
    Copy(String),
    Leave,
    /// Nothing matched the query.
    NoMatch(String),
}

impl<Io> Pane<Io> {
    /// Enters copy mode with the cursor where the program's is (or in the
    /// middle of the view when scrolled back), selecting from there: the
    /// key that enters is tmux's begin-selection.
    pub fn start_copy(&mut self) {
        let sb = self.term.scrollback_len();
        let at = if self.scroll == 0 {
            let c = self.term.cursor();
            Point { line: sb + usize::from(c.row), col: c.col.min(self.term.cols().saturating_sub(1)) }
        } else {
            Point { line: top_line(&self.term, self.scroll) + usize::from(self.term.rows() / 2), col: 0 }
        };
        self.copy = Some(CopyCursor::at(at));
        self.selection = Some(Selection::new(at, Unit::Char));
    }

    /// Where the history stands, for [`follow_history`](Self::follow_history)
    /// after output.
    pub fn history_before(&self) -> (u64, u64, usize) {
        let (epoch, pushed) = self.term.history_numbering();
        (epoch, pushed, self.term.scrollback_len())
    }

    /// After output: a scrolled view (or copy mode's) stays on the text it
    /// showed, as tmux's copy mode does, and the cursor and a selection
    /// stay on their text as the oldest lines drop.
    pub fn follow_history(&mut self, (epoch, pushed, len): (u64, u64, usize)) {
        let (now_epoch, now_pushed) = self.term.history_numbering();
        if now_epoch != epoch {
            return;
        }
        let now_len = self.term.scrollback_len();
        let added = usize::try_from(now_pushed.saturating_sub(pushed)).unwrap_or(usize::MAX);
        let oldest = |pushed: u64, len: usize| pushed.saturating_sub(len as u64);
        let dropped = usize::try_from(oldest(now_pushed, now_len).saturating_sub(oldest(pushed, len))).unwrap_or(0);
        if self.scroll > 0 || self.copy.is_some() {
            self.scroll = self.scroll.saturating_add(added).min(now_len);
        }
        if dropped > 0 {
            self.selection = self.selection.map(|s| s.shifted_up(dropped));
            if let Some(cursor) = &mut self.copy {
                cursor.at.line = cursor.at.line.saturating_sub(dropped);
            }
        }
    }

    /// Leaves copy mode: no cursor, no selection, back at the bottom.
    pub fn end_copy(&mut self) {
        self.copy = None;
        self.selection = None;
        self.search = None;
        self.scroll = 0;
    }

    pub fn copy_action(&mut self, action: CopyAction) -> CopyOutcome {
        let Some(mut cursor) = self.copy else { return CopyOutcome::Leave };
        let term = &self.term;
        let rows = usize::from(term.rows().max(1));
        let last = last_line(term);
        let view_top = top_line(term, self.scroll);
        let mut keep_goal = false;
        let at = cursor.at;
        let moved = match action {
            // A wide character is one step: its right half is skipped.
            CopyAction::Left => {
                let mut col = at.col.saturating_sub(1);
                if col > 0 && is_spacer(term, at.line, col) {
                    col -= 1;
                }
                Some(Point { col, ..at })
            }
            CopyAction::Right => {
                let last = term.cols().saturating_sub(1);
                let mut col = (at.col + 1).min(last);
                if col < last && is_spacer(term, at.line, col) {
                    col += 1;
                }
                Some(Point { col, ..at })
            }
            CopyAction::Up | CopyAction::Down => {
                keep_goal = true;
                let line = if action == CopyAction::Up { at.line.saturating_sub(1) } else { (at.line + 1).min(last) };
                Some(Point { line, col: cursor.goal })
            }
            CopyAction::WordNext => Some(word_next(term, at, last)),
            CopyAction::WordBack => Some(word_back(term, at)),
            CopyAction::WordEnd => Some(word_end(term, at, last)),
            CopyAction::LineStart => Some(Point { line: logical_start(term, at.line), col: 0 }),
            CopyAction::LineEnd => {
                let mut end = at.line;
                while end < last && runs_on(term, end) {
                    end += 1;
                }
                Some(Point { line: end, col: text_end(&line(term, end)) })
            }
            CopyAction::Top => Some(Point { line: 0, col: 0 }),
            CopyAction::Bottom => Some(Point { line: last, col: 0 }),
            CopyAction::ViewTop => Some(Point { line: view_top, col: 0 }),
            CopyAction::ViewMiddle => Some(Point { line: (view_top + rows / 2).min(last), col: 0 }),
            CopyAction::ViewBottom => Some(Point { line: (view_top + rows - 1).min(last), col: 0 }),
            CopyAction::HalfPageUp | CopyAction::HalfPageDown | CopyAction::PageUp | CopyAction::PageDown => {
                keep_goal = true;
                let by =
                    if matches!(action, CopyAction::HalfPageUp | CopyAction::HalfPageDown) { rows / 2 } else { rows };
                let up = matches!(action, CopyAction::HalfPageUp | CopyAction::PageUp);
                let line = if up { at.line.saturating_sub(by) } else { (at.line + by).min(last) };
                // The view moves by as much, so the cursor keeps its row.
                let sb = term.scrollback_len();
                self.scroll = if up { (self.scroll + by).min(sb) } else { self.scroll.saturating_sub(by) };
                Some(Point { line, col: cursor.goal })
            }
            CopyAction::SelectChars | CopyAction::SelectLines | CopyAction::SelectBlock => {
                let unit = match action {
                    CopyAction::SelectChars => Unit::Char,
                    CopyAction::SelectLines => Unit::Line,
                    _ => Unit::Block,
                };
                // As tmux's begin-selection: it starts again where the
                // cursor is, so moving first and then pressing it picks
                // the start.
                self.selection = Some(Selection::new(at, unit));
                None
            }
            CopyAction::FindForward | CopyAction::FindBackward => {
                cursor.typing = Some(action == CopyAction::FindForward);
                self.copy = Some(cursor);
                self.start_search();
                return CopyOutcome::Stay;
            }
            CopyAction::FindNext | CopyAction::FindPrevious => {
                let forward = cursor.forward == (action == CopyAction::FindNext);
                match self.find_from(at, forward) {
                    Ok(found) => Some(found),
                    Err(none) => return CopyOutcome::NoMatch(none),
                }
            }
            CopyAction::PromptUp | CopyAction::PromptDown => {
                let up = action == CopyAction::PromptUp;
                match crate::prompts::next_prompt(term, at.line, up) {
                    Some(line) => Some(Point { line, col: 0 }),
                    None if !crate::prompts::has_prompts(term) => return CopyOutcome::NoMatch(NO_MARKS.into()),
                    None => None,
                }
            }
            CopyAction::SelectOutput => {
                if !self.select_output(at.line) {
                    let why = if crate::prompts::has_prompts(&self.term) { "No output there" } else { NO_MARKS };
                    return CopyOutcome::NoMatch(why.into());
                }
                return CopyOutcome::Stay;
            }
            CopyAction::Copy => {
                let text = self.selection.filter(|s| !s.is_empty()).map(|s| s.text(&self.term));
                self.end_copy();
                return text.filter(|t| !t.is_empty()).map_or(CopyOutcome::Leave, CopyOutcome::Copy);
            }
            CopyAction::Cancel => {
                self.end_copy();
                return CopyOutcome::Leave;
            }
        };
        if let Some(mut to) = moved {
            // Up and down land on the line's text, as in tmux and vi; a
            // rectangle keeps its column past short lines.
            if keep_goal && self.selection.is_none_or(|s| s.unit() != Unit::Block) {
                to.col = to.col.min(text_end(&line(&self.term, to.line)));
            }
            cursor.at = to;
            if !keep_goal {
                cursor.goal = to.col;
            }
            if let Some(sel) = &mut self.selection {
                sel.set_head(to);
            }
        }
        self.copy = Some(cursor);
        self.keep_in_view(cursor.at.line);
        CopyOutcome::Stay
    }

    /// Enter after `/` or `?`: the first match from the cursor that way.
    pub fn copy_find(&mut self) -> CopyOutcome {
        let Some(mut cursor) = self.copy else { return CopyOutcome::Leave };
        let Some(forward) = cursor.typing.take() else { return CopyOutcome::Stay };
        cursor.forward = forward;
        self.copy = Some(cursor);
        self.copy_action(CopyAction::FindNext)
    }

    /// Esc while typing a query: the query goes, copy mode stays.
    pub fn copy_find_cancel(&mut self) {
        if let Some(cursor) = &mut self.copy {
            cursor.typing = None;
        }
        self.search = None;
    }

    fn find_from(&mut self, at: Point, forward: bool) -> Result<Point, String> {
        let Some(search) = &mut self.search else { return Err("No search: type / or ?".into()) };
        search.find_all(&self.term);
        let count = search.matches.len();
        if count == 0 {
            return Err(format!("No match for {:?}", search.query));
        }
        // Wrapping around, as vi and tmux do.
        let index = if forward {
            search.matches.iter().position(|m| m.start > at).unwrap_or(0)
        } else {
            search.matches.iter().rposition(|m| m.start < at).unwrap_or(count - 1)
        };
        search.current = Some(index);
        Ok(search.matches[index].start)
    }

    /// Selects the output of the command at or above `line` (OSC 133),
    /// with the cursor at its end and its command line at the top of the
    /// view. False when there is none.
    pub fn select_output(&mut self, line: usize) -> bool {
        let Some((first, last)) = crate::prompts::output_around(&self.term, line) else { return false };
        if self.copy.is_none() {
            self.start_copy();
        }
        self.selection = Some(Selection::lines(first, last));
        if let Some(cursor) = &mut self.copy {
            *cursor = CopyCursor { at: Point { line: last, col: 0 }, goal: 0, ..*cursor };
        }
        let sb = self.term.scrollback_len();
        let top = first.saturating_sub(1);
        self.scroll = sb - top.min(sb);
        true
    }

    /// Scrolls as little as shows `line`.
    fn keep_in_view(&mut self, line: usize) {
        let sb = self.term.scrollback_len();
        let rows = usize::from(self.term.rows().max(1));
        let top = top_line(&self.term, self.scroll);
        if line < top {
            self.scroll = sb - line.min(sb);
        } else if line >= top + rows {
            self.scroll = sb.saturating_sub(line + 1 - rows);
        }
    }
}

/// The last line the cursor may go to: the program's cursor row or the
/// last row with text, whichever is lower; blank rows below are no text.
fn last_line(term: &Terminal) -> usize {
    let sb = term.scrollback_len();
    let written = (0..term.rows()).rev().find(|r| !term.row_content(*r).is_empty()).unwrap_or(0);
    sb + usize::from(written.max(term.cursor().row))
}

/// The first row of the logical line `line` belongs to.
fn logical_start(term: &Terminal, mut line: usize) -> usize {
    while line > 0 && runs_on(term, line - 1) {
        line -= 1;
    }
    line
}

/// The column of the last character that is not blank (0 on a blank row).
fn text_end(row: &[revenant_terminal::Cell]) -> u16 {
    let end = row.iter().rposition(|c| c.ch != ' ' && c.width != 0).unwrap_or(0);
    // A wide character ends on its right half.
    let wide = row.get(end).is_some_and(|c| c.width == 2);
    (end + usize::from(wide)) as u16
}

fn is_spacer(term: &Terminal, l: usize, col: u16) -> bool {
    line(term, l).get(usize::from(col)).is_some_and(|c| c.width == 0)
}

/// vi's three kinds of character: blanks, word characters, the rest.
fn class(c: char) -> u8 {
    if c.is_whitespace() || c == '\0' {
        0
    } else if c.is_alphanumeric() || c == '_' {
        1
    } else {
        2
    }
}

/// The class of the cell at `p`; a line's end that is not wrapped counts
/// as a blank, so words stop there.
fn class_at(term: &Terminal, p: Point) -> u8 {
    let row = line(term, p.line);
    match row.get(usize::from(p.col)) {
        Some(cell) if cell.width == 0 => 1,
        Some(cell) => class(cell.ch),
        None => 0,
    }
}

fn step(term: &Terminal, p: Point, last: usize) -> Option<Point> {
    if p.col + 1 < term.cols() {
        Some(Point { col: p.col + 1, ..p })
    } else if p.line < last {
        Some(Point { line: p.line + 1, col: 0 })
    } else {
        None
    }
}

fn step_back(term: &Terminal, p: Point) -> Option<Point> {
    if p.col > 0 {
        Some(Point { col: p.col - 1, ..p })
    } else if p.line > 0 {
        Some(Point { line: p.line - 1, col: term.cols().saturating_sub(1) })
    } else {
        None
    }
}

/// Whether moving from `a` to the next cell `b` crosses a line that ended
/// (a break between words even when both sides have text).
fn breaks(term: &Terminal, a: Point, b: Point) -> bool {
    a.line != b.line && !runs_on(term, a.line)
}

fn word_next(term: &Terminal, at: Point, last: usize) -> Point {
    let start = class_at(term, at);
    let mut p = at;
    let mut crossed = false;
    while let Some(n) = step(term, p, last) {
        crossed |= breaks(term, p, n);
        let c = class_at(term, n);
        if c != 0 && (c != start || crossed || class_at(term, p) == 0) {
            return n;
        }
        p = n;
    }
    p
}

fn word_end(term: &Terminal, at: Point, last: usize) -> Point {
    // Step once, skip blanks, then run to the end of that word.
    let Some(mut p) = step(term, at, last) else { return at };
    while class_at(term, p) == 0 {
        match step(term, p, last) {
            Some(n) => p = n,
            None => return p,
        }
    }
    let c = class_at(term, p);
    while let Some(n) = step(term, p, last) {
        if breaks(term, p, n) || class_at(term, n) != c {
            break;
        }
        p = n;
    }
    p
}

fn word_back(term: &Terminal, at: Point) -> Point {
    let Some(mut p) = step_back(term, at) else { return at };
    while class_at(term, p) == 0 {
        match step_back(term, p) {
            Some(n) => p = n,
            None => return p,
        }
    }
    let c = class_at(term, p);
    while let Some(n) = step_back(term, p) {
        if breaks(term, n, p) || class_at(term, n) != c {
            break;
        }
        p = n;
    }
    p
}

#[cfg(test)]
#[path = "copy_mode_tests.rs"]
mod tests;
