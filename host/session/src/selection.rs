//! Selected text in a pane: where it starts and ends in the pane's lines
//! (scrollback first, then the screen), grown to words or lines by double
//! and triple clicks, and the text it covers. Which mouse events select is
//! the runtime's; this is what a selection is.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use revenant_terminal::{Cell, Terminal};

use crate::tiling::PaneId;

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
    /// A rectangle of columns (copy mode's Ctrl-v).
    Block,
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
    /// A selection of one `unit` at `at`, to be grown by moving its head.
    pub fn new(at: Point, unit: Unit) -> Selection {
        Selection { anchor: at, head: at, unit }
    }

    /// Whole lines `first` to `last`.
    pub fn lines(first: usize, last: usize) -> Selection {
        Selection { anchor: Point { line: first, col: 0 }, head: Point { line: last, col: 0 }, unit: Unit::Line }
    }

    /// The end that follows the pointer.
    pub fn set_head(&mut self, at: Point) {
        self.head = at;
    }

    pub fn unit(&self) -> Unit {
        self.unit
    }

    /// The same text after `n` lines left the top of the history.
    pub fn shifted_up(self, n: usize) -> Selection {
        let up = |p: Point| Point { line: p.line.saturating_sub(n), ..p };
        Selection { anchor: up(self.anchor), head: up(self.head), ..self }
    }

    /// The same ends, selecting whole `unit`s.
    pub fn with_unit(self, unit: Unit) -> Selection {
        Selection { unit, ..self }
    }

    /// Whether the cell at `at` is selected, given the `bounds`.
    pub fn covers(&self, (start, end): (Point, Point), at: Point) -> bool {
        if self.unit == Unit::Block {
            (start.line..=end.line).contains(&at.line) && (start.col..=end.col).contains(&at.col)
        } else {
            start <= at && at <= end
        }
    }

    /// The text selected: a rectangle's rows each end in a newline.
    pub fn text(&self, term: &Terminal) -> String {
        let (start, end) = self.bounds(term);
        if self.unit != Unit::Block {
            return text(term, start, end);
        }
        let rows: Vec<String> = (start.line..=end.line)
            .map(|l| text(term, Point { line: l, col: start.col }, Point { line: l, col: end.col }))
            .collect();
        rows.join("\n")
    }

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
            Unit::Block => {
                let (left, right) = (start.col.min(end.col), start.col.max(end.col));
                start.col = left;
                end.col = right;
            }
        }
        (start, end)
    }

    pub fn is_empty(&self) -> bool {
        self.unit == Unit::Char && self.anchor == self.head
    }
}

impl Click {
    /// A click at `point` in `pane`, counted as the second or third of a
    /// run when it follows `last` at the same place soon enough.
    pub fn after(last: Option<Click>, pane: PaneId, point: Point, at: Instant) -> Click {
        let count = match last {
            Some(c) if c.pane == pane && c.point == point && at - c.at < MULTI_CLICK => c.count % 3 + 1,
            _ => 1,
        };
        Click { at, pane, point, count }
    }

    /// What the click selects: a character, a word, then a line.
    pub fn unit(&self) -> Unit {
        [Unit::Char, Unit::Word, Unit::Line][usize::from(self.count - 1)]
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

    #[test]
    fn clicks_at_one_place_count_up_to_a_line_then_start_again() {
        let t0 = Instant::now();
        let at = Point { line: 3, col: 4 };
        let ms = |n| t0 + Duration::from_millis(n);
        let first = Click::after(None, 1, at, t0);
        let second = Click::after(Some(first), 1, at, ms(100));
        let third = Click::after(Some(second), 1, at, ms(200));
        let fourth = Click::after(Some(third), 1, at, ms(300));
        let units: Vec<Unit> = [first, second, third, fourth].iter().map(Click::unit).collect();
        assert_eq!(units, [Unit::Char, Unit::Word, Unit::Line, Unit::Char]);
        // Too late, another pane, or another place: a first click again.
        assert_eq!(Click::after(Some(first), 1, at, ms(500)).unit(), Unit::Char);
        assert_eq!(Click::after(Some(first), 2, at, ms(100)).unit(), Unit::Char);
        assert_eq!(Click::after(Some(first), 1, Point { line: 3, col: 5 }, ms(100)).unit(), Unit::Char);
    }

    #[test]
    fn a_selection_grows_from_its_anchor_either_way() {
        let t = term(20, "one two three");
        let mut sel = Selection::new(Point { line: 0, col: 4 }, Unit::Char);
        assert!(sel.is_empty());
        sel.set_head(Point { line: 0, col: 0 });
        let (s, e) = sel.bounds(&t);
        assert_eq!(text(&t, s, e), "one t");
        assert!(!sel.is_empty());
    }
}
