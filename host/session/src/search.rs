//! A search of a pane's text (scrollback and screen): its query and
//! options, and the matches in reading order, found across rows the text
//! wrapped over. The keys that drive it are the runtime's.

use revenant_terminal::Terminal;

use crate::selection::{Point, line, runs_on};

#[derive(Debug, Clone, Default)]
pub struct Search {
    pub query: String,
    pub case_sensitive: bool,
    pub whole_word: bool,
    pub wrap: bool,
    /// In reading order.
    pub matches: Vec<Match>,
    pub current: Option<usize>,
    /// The terminal generation `matches` were found in.
    seen: u64,
}

/// The first and last cell of a match (inclusive); a match can run on
/// from a row into the next when the text wrapped there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub start: Point,
    pub end: Point,
}

impl Search {
    /// A new, empty query with this one's options.
    pub fn restarted(self) -> Search {
        Search { query: String::new(), matches: Vec::new(), current: None, ..self }
    }

    /// Whether `term` changed since the matches were found in it.
    pub fn is_stale(&self, term: &Terminal) -> bool {
        self.seen != term.generation()
    }

    /// How a cell is to be highlighted: `Some(true)` for the current match.
    pub fn highlight(&self, line: usize, col: u16) -> Option<bool> {
        let at = Point { line, col };
        let i = self.matches.partition_point(|m| m.end < at);
        let m = self.matches.get(i)?;
        (m.start <= at).then_some(self.current == Some(i))
    }

    /// Finds the matches again, staying on the current one where it still
    /// is a match.
    pub fn find_again(&mut self, term: &Terminal) {
        let current = self.current.and_then(|i| self.matches.get(i).copied());
        self.find_all(term);
        self.current = current.and_then(|m| self.matches.iter().position(|n| n.start == m.start));
    }

    pub fn find_all(&mut self, term: &Terminal) {
        self.seen = term.generation();
        self.matches.clear();
        if self.query.is_empty() {
            return;
        }
        let fold = |c: char| if self.case_sensitive { c } else { c.to_lowercase().next().unwrap_or(c) };
        let needle: Vec<char> = self.query.chars().map(fold).collect();
        let lines = term.scrollback_len() + usize::from(term.rows());
        let mut i = 0;
        while i < lines {
            // One line of text as the program wrote it (rows it wrapped over
            // joined): each character with its first and last cell.
            let mut cells: Vec<(char, Point, Point)> = Vec::new();
            loop {
                for (x, c) in line(term, i).iter().enumerate().filter(|(_, c)| c.width != 0) {
                    let first = Point { line: i, col: x as u16 };
                    let last = Point { line: i, col: (x + usize::from(c.width) - 1) as u16 };
                    cells.push((fold(c.ch), first, last));
                }
                let more = runs_on(term, i) && i + 1 < lines;
                i += 1;
                if !more {
                    break;
                }
            }
            let word = |c: Option<&(char, Point, Point)>| c.is_some_and(|(c, _, _)| c.is_alphanumeric() || *c == '_');
            let mut at = 0;
            while at + needle.len() <= cells.len() {
                let hit = cells[at..at + needle.len()].iter().map(|(c, _, _)| *c).eq(needle.iter().copied());
                let bounded = !self.whole_word
                    || (!word(at.checked_sub(1).and_then(|b| cells.get(b))) && !word(cells.get(at + needle.len())));
                if hit && bounded {
                    self.matches.push(Match { start: cells[at].1, end: cells[at + needle.len() - 1].2 });
                    at += needle.len();
                } else {
                    at += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pane(text: &str) -> Terminal {
        let mut term = Terminal::new(20, 3, 100);
        term.advance(text.as_bytes());
        term
    }

    #[test]
    fn finds_with_case_and_whole_word_options() {
        let p = pane("Error: error\r\nterrors here\r\nERROR 漢error");
        let mut s = Search { query: "error".into(), ..Search::default() };
        s.find_all(&p);
        let at: Vec<(usize, u16, u16)> = s.matches.iter().map(|m| (m.start.line, m.start.col, m.end.col)).collect();
        assert_eq!(at, [(0, 0, 4), (0, 7, 11), (1, 1, 5), (2, 0, 4), (2, 8, 12)]);
        s.case_sensitive = true;
        s.find_all(&p);
        assert_eq!(s.matches.len(), 3);
        s.whole_word = true;
        s.find_all(&p);
        // "terrors" is no whole word, and 漢 is a letter.
        assert_eq!(s.matches.iter().map(|m| m.start.line).collect::<Vec<_>>(), [0]);
        assert_eq!(s.highlight(0, 8), Some(false));
        assert_eq!(s.highlight(0, 2), None);
    }

    #[test]
    fn a_match_runs_on_over_a_wrapped_row_but_not_over_a_newline() {
        // 20 columns: "needle" is cut by the wrap after "…nee".
        let p = pane("xxxxxxxxxxxxxxxxxneedle\r\nnee\r\ndle");
        let mut s = Search { query: "needle".into(), ..Search::default() };
        s.find_all(&p);
        assert_eq!(s.matches.len(), 1, "{:?}", s.matches);
        let m = s.matches[0];
        assert_eq!((m.start.line, m.start.col, m.end.line, m.end.col), (0, 17, 1, 2));
        assert_eq!((s.highlight(0, 19), s.highlight(1, 0), s.highlight(1, 3)), (Some(false), Some(false), None));
    }
}
