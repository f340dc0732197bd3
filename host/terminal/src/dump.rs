//! Turning the screen back into text: plain (for search, tests and copy) and
//! styled (for saving a pane so that a later session can replay it).
//!
//! A styled row that ran on into the next is written out to the edge (its
//! trailing blanks are text) and ends with [`WRAP_MARK`], so a replay
//! (`Terminal::replay`) leaves out the line break after it and the text
//! wraps there again, or at a new width where it now falls.

use crate::cell::Cell;
use crate::extras::Extra;
use crate::packed;
use crate::sgr;
use crate::state::State;
use crate::style::{Flags, Style};
use crate::wrap::{Wrap, line_width};

/// Ends a styled row that ran on into the next. An OSC that no terminal
/// knows (its command is not a number), so a plain replay or a `cat` of the
/// saved text ignores it, and cells never hold an ESC, so no row's text can
/// end like this.
pub const WRAP_MARK: &str = "\x1b]revenant-wrap\x1b\\";

impl State {
    pub(crate) fn dump_text(&self, full: bool) -> String {
        let mut lines = Vec::new();
        if full {
            self.scrollback.for_each(0, |row| lines.push(plain_line(row)));
        }
        lines.extend(self.grid.iter().map(plain_line));
        while lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        lines.join("\n")
    }

    /// What a styled dump needs: the history rows shared (a count each),
    /// the screen and the extras table copied. With `since` (what an
    /// earlier copy's holder has, see [`ScreenCopy::mark`]), only the rows
    /// newer than that are shared, when that still describes this history.
    pub(crate) fn screen_copy(&self, scrollback_lines: Option<usize>, since: Option<HistoryMark>) -> ScreenCopy {
        let len = self.scrollback.len();
        let skip = len - scrollback_lines.unwrap_or(len).min(len);
        let (epoch, end) = self.scrollback.numbering();
        let start = end - (len - skip) as u64;
        let from = match since {
            Some(mark) if mark.epoch == epoch && (start..=end).contains(&mark.end) => mark.end,
            _ => start,
        };
        ScreenCopy {
            history: self.scrollback.shared(len - (end - from) as usize),
            epoch,
            start,
            from,
            viewport: self.grid.iter().map(<[Cell]>::to_vec).collect(),
            wraps: (0..self.rows()).map(|y| self.grid.wrap(y)).collect(),
            cols: self.cols(),
            extras: self.extras.list().to_vec(),
        }
    }
}

/// Which history rows a dump holds: those numbered up to `end` (not
/// included) in `epoch`. Numbers count rows as they scroll into history;
/// the epoch changes when rows leave it other than by age.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryMark {
    pub epoch: u64,
    pub end: u64,
}

/// A terminal's text and styles as they were when it was taken, to be
/// dumped on another thread while the terminal goes on.
#[derive(Debug, Clone)]
pub struct ScreenCopy {
    /// The history rows numbered `from` on.
    history: crate::scrollback::SharedRows,
    epoch: u64,
    /// The number of the oldest row to save (the configured number of
    /// lines back, or the oldest held).
    start: u64,
    /// The number of the oldest row in `history`: `start`, or, for a copy
    /// taken since a mark, the end of that mark.
    from: u64,
    viewport: Vec<Vec<Cell>>,
    /// How each screen row ends.
    wraps: Vec<Wrap>,
    /// The screen's width, which is the width of every history row that
    /// ran on (reflow keeps them so).
    cols: usize,
    extras: Vec<Extra>,
}

impl ScreenCopy {
    /// Each history line and each screen row as text with SGR sequences
    /// (only the rows the copy carries).
    pub fn dump_ansi(&self) -> (Vec<String>, Vec<String>) {
        let mut buf = Vec::new();
        let history = (0..self.history.len())
            .map(|i| {
                let mut line = String::new();
                self.push_history_line(i, &mut buf, &mut line);
                line
            })
            .collect();
        (history, self.viewport_lines())
    }

    /// The epoch of the history's numbering, the number of its oldest row
    /// to save, and of the oldest row this copy carries. Rows from `start`
    /// to `from` are the holder's, from the copy taken at the mark the copy
    /// was asked for since.
    pub fn numbering(&self) -> (u64, u64, u64) {
        (self.epoch, self.start, self.from)
    }

    /// What a holder of this copy's dump has, to ask for the next copy
    /// since.
    pub fn mark(&self) -> HistoryMark {
        HistoryMark { epoch: self.epoch, end: self.from + self.history.len() as u64 }
    }

    /// How many history rows the copy carries.
    pub fn history_len(&self) -> usize {
        self.history.len()
    }

    /// Carried history row `i` as text with SGR sequences, appended to
    /// `out` (`cells` is scratch space).
    pub fn push_history_line(&self, i: usize, cells: &mut Vec<Cell>, out: &mut String) {
        if let Some(row) = self.history.get(i) {
            packed::unpack(row, cells);
            push_styled_line(cells, packed::wrap(row), self.cols, &self.extras, out);
        }
    }

    /// Every screen row as text with SGR sequences, blank ones included:
    /// replaying them must put each line back on the row it came from.
    pub fn viewport_lines(&self) -> Vec<String> {
        self.viewport
            .iter()
            .zip(&self.wraps)
            .map(|(row, &wrap)| {
                let mut line = String::new();
                push_styled_line(row, wrap, self.cols, &self.extras, &mut line);
                line
            })
            .collect()
    }
}

/// The combination `index` refers to; an unknown index reads as none.
fn extra(list: &[Extra], index: u16) -> &Extra {
    list.get(usize::from(index)).unwrap_or(&Extra::NONE)
}

fn plain_line(row: &[Cell]) -> String {
    let mut line = String::with_capacity(row.len());
    for cell in row {
        cell.push_text(&mut line);
    }
    line.truncate(line.trim_end_matches(' ').len());
    line
}

/// One row as text with SGR sequences (and OSC 8 around hyperlinks).
/// Trailing cells identical to a fresh terminal's blanks are left out
/// unless the row runs on; anything else (a coloured background, a
/// reversed space) is written so it comes back. Style and link are reset
/// at the end so lines can be replayed or shown independently.
fn push_styled_line(row: &[Cell], wrap: Wrap, cols: usize, extras: &[Extra], line: &mut String) {
    let end =
        line_width(row, wrap, cols).unwrap_or_else(|| row.iter().rposition(|c| *c != Cell::BLANK).map_or(0, |i| i + 1));
    line.reserve(end);
    let mut pen = Style::DEFAULT;
    let mut link = None;
    // History rows come without their trailing default blanks.
    let blanks = std::iter::repeat_n(&Cell::BLANK, end.saturating_sub(row.len()));
    for cell in row[..end.min(row.len())].iter().chain(blanks) {
        if cell.width == 0 {
            continue;
        }
        if cell.style != pen {
            let zone = cell.style.flags.intersection(Flags::ZONES);
            if zone != pen.flags.intersection(Flags::ZONES) {
                line.push_str(zone_mark(zone));
            }
            let extra = extra(extras, cell.style.extra);
            sgr::write(&cell.style, extra, line);
            if extra.link != link {
                link.clone_from(&extra.link);
                push_link(link.as_deref(), line);
            }
            pen = cell.style;
        }
        cell.push_text(line);
    }
    if link.is_some() {
        push_link(None, line);
    }
    if pen != Style::DEFAULT {
        // Each line starts in the output zone, as it starts unstyled.
        if !pen.flags.intersection(Flags::ZONES).is_empty() {
            line.push_str(zone_mark(Flags::empty()));
        }
        line.push_str("\x1b[0m");
    }
    if wrap.is_wrapped() {
        line.push_str(WRAP_MARK);
    }
}

/// The OSC 133 mark that puts a replaying terminal in `zone`.
fn zone_mark(zone: Flags) -> &'static str {
    if zone.contains(Flags::PROMPT) {
        "\x1b]133;A\x07"
    } else if zone.contains(Flags::INPUT) {
        "\x1b]133;B\x07"
    } else {
        "\x1b]133;C\x07"
    }
}

/// `OSC 8 ; id=… ; URI ST`, or the closing `OSC 8 ; ; ST`.
pub fn push_link(link: Option<&crate::Hyperlink>, out: &mut String) {
    out.push_str("\x1b]8;");
    if let Some(link) = link {
        if let Some(id) = &link.id {
            out.push_str("id=");
            out.push_str(id);
        }
        out.push(';');
        out.push_str(&link.uri);
    } else {
        out.push(';');
    }
    out.push_str("\x1b\\");
}

#[cfg(test)]
mod tests {
    use crate::Terminal;

    fn term(cols: u16, rows: u16, limit: usize, input: &str) -> Terminal {
        let mut t = Terminal::new(cols, rows, limit);
        t.advance(input.as_bytes());
        t
    }

    /// Cells with their extras looked up, so terminals that numbered them
    /// differently compare equal.
    fn resolved(t: &Terminal, row: &[crate::Cell]) -> Vec<(crate::Cell, crate::Extra)> {
        row.iter()
            .map(|c| {
                (crate::Cell { style: crate::Style { extra: 0, ..c.style }, ..*c }, t.extra(c.style.extra).clone())
            })
            .collect()
    }

    fn assert_same_cells(a: &Terminal, b: &Terminal) {
        assert_eq!(a.scrollback_len(), b.scrollback_len(), "scrollback length");
        for i in 0..a.scrollback_len() {
            assert_eq!(resolved(a, &a.scrollback_row(i)), resolved(b, &b.scrollback_row(i)), "scrollback row {i}");
        }
        for y in 0..a.rows() {
            assert_eq!(resolved(a, a.row(y)), resolved(b, b.row(y)), "row {y}");
        }
    }

    #[test]
    fn underline_colours_styles_and_links_round_trip() {
        let input = concat!(
            "\x1b[4:4;58:2::1:2:3mdotted\x1b[4:5;58:5:9m dashed\x1b[0m\r\n",
            "\x1b]8;id=doc;https://example.com/a;b\x1b\\lin\x1b[1mk\x1b[0m\x1b]8;;\x1b\\ after\r\n",
            "\x1b]8;;file:///tmp/x\x07open to the end",
        );
        let original = term(30, 3, 10, input);
        let cell = original.row(1)[3];
        let link = original.extra(cell.style.extra).link.clone().expect("a link");
        assert_eq!((link.uri.as_str(), link.id.as_deref()), ("https://example.com/a;b", Some("doc")));
        assert!(original.extra(original.row(1)[4].style.extra).link.is_none(), "OSC 8 ;; ends it");
        assert!(original.extra(original.row(0)[0].style.extra).underline_color == crate::Color::Rgb(1, 2, 3));
        let (history, viewport) = original.dump_ansi(None);
        let replay = history.iter().chain(&viewport).cloned().collect::<Vec<_>>().join("\r\n");
        assert_same_cells(&original, &term(30, 3, 10, &replay));
    }

    #[test]
    fn text_trims_and_drops_trailing_blank_lines() {
        let t = term(10, 5, 10, "a  \r\n\r\n b\x1b[1;8H\x1b[44m \x1b[0m");
        assert_eq!(t.dump_text(false), "a\n\n b");
    }

    #[test]
    fn text_with_scrollback() {
        let t = term(3, 2, 10, "1\r\n2\r\n3\r\n4");
        assert_eq!(t.dump_text(false), "3\n4");
        assert_eq!(t.dump_text(true), "1\n2\n3\n4");
    }

    #[test]
    fn ansi_lines_reset_at_the_end() {
        let t = term(10, 2, 10, "\x1b[1;31mab\x1b[0mc\r\nplain");
        let (history, viewport) = t.dump_ansi(None);
        assert!(history.is_empty());
        assert_eq!(viewport, ["\x1b[0;1;31mab\x1b[0mc", "plain"]);
        let t = term(10, 1, 10, "\x1b[42mx");
        assert_eq!(t.dump_ansi(None).1, ["\x1b[0;42mx\x1b[0m"]);
    }

    #[test]
    fn ansi_scrollback_limit_takes_the_newest() {
        let t = term(3, 1, 10, "1\r\n2\r\n3\r\n4");
        assert_eq!(t.dump_ansi(Some(2)), (vec!["2".to_string(), "3".to_string()], vec!["4".to_string()]));
        assert_eq!(t.dump_ansi(Some(0)).0.len(), 0);
        assert_eq!(t.dump_ansi(Some(99)).0.len(), 3);
    }

    #[test]
    fn ansi_round_trip_recreates_cells() {
        let input = concat!(
            "\x1b[1;31mred bold\x1b[0m plain \x1b[38;5;200;48;2;1;2;3mext\x1b[0m\r\n",
            "\x1b[4:3;3mcurly\x1b[24;23m \x1b[7mrev\x1b[27;9mstrike\x1b[0m\r\n",
            "wide 中文 e\u{301} \x1b[44m  \x1b[0m\r\n",
            "\x1b[45m\x1b[K\x1b[0mbce line\r\n",
            "\x1b[2;5;8;21mdim\x1b[0m\x1b(0lqk\x1b(B\r\n",
            "0123456789abcdef\r\n", // exactly full: pending wrap then CRLF
            "\x1b[92;103mbright\x1b[0m\r\n",
            "\x1b[38:2::9:8:7mcolon\x1b[0m last",
        );
        let original = term(16, 4, 100, input);
        assert!(original.scrollback_len() > 0);
        let (history, viewport) = original.dump_ansi(None);
        let replay = history.iter().chain(&viewport).cloned().collect::<Vec<_>>().join("\r\n");
        let copy = term(16, 4, 100, &replay);
        assert_same_cells(&original, &copy);
        // Byte by byte, too: the dump must not rely on chunk boundaries.
        let mut bytewise = Terminal::new(16, 4, 100);
        for b in replay.as_bytes() {
            bytewise.advance(std::slice::from_ref(b));
        }
        assert_same_cells(&original, &bytewise);
    }
}
