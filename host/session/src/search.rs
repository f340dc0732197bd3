//! A search of a pane's text (scrollback and screen): its query and
//! options, and the matches in reading order, found across rows the text
//! wrapped over. The keys that drive it are the runtime's.

use revenant_config::{SearchDirection, SearchOption};
use revenant_terminal::Terminal;

use crate::input::{Key, KeyCode};
use crate::pane::Pane;
use crate::selection::{Point, line, runs_on, top_line};

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

/// A pane's search, driven by the keys of Zellij's search modes.
impl<Io> Pane<Io> {
    /// Before a frame: a search whose pane's text changed is run again,
    /// staying on the current match where it still is one.
    pub fn refresh_search(&mut self) {
        if let Some(search) = &mut self.search
            && search.seen != self.term.generation()
            && !search.query.is_empty()
        {
            search.find_again(&self.term);
        }
    }

    /// Entering `entersearch` mode: typing starts a new query, keeping
    /// the options.
    pub fn start_search(&mut self) {
        let old = self.search.take().unwrap_or_default();
        self.search = Some(Search { query: String::new(), matches: Vec::new(), current: None, ..old });
    }

    /// Enter in `entersearch`: the query is looked for from scratch.
    pub fn find(&mut self) {
        if let Some(search) = &mut self.search {
            search.find_all(&self.term);
            search.current = None;
        }
    }

    /// A key typed in `entersearch` mode that is not bound there.
    pub fn search_type(&mut self, k: Key) {
        let Some(search) = &mut self.search else { return };
        match k.code {
            KeyCode::Char(c) if !k.mods.ctrl && !k.mods.alt => search.query.push(c),
            KeyCode::Backspace => {
                search.query.pop();
            }
            _ => {}
        }
    }

    /// `Search "up"`: the match before the current one (older), or the
    /// newest one on or above the screen; `"down"` the one after. The pane
    /// scrolls to show it. `Err` says there is no match.
    pub fn search_step(&mut self, dir: SearchDirection) -> Result<(), String> {
        let Some(search) = &mut self.search else { return Ok(()) };
        search.find_all(&self.term);
        let count = search.matches.len();
        let rows = usize::from(self.term.rows());
        let bottom = top_line(&self.term, self.scroll) + rows;
        let next = match (search.current.filter(|c| *c < count), dir) {
            (_, _) if count == 0 => None,
            (None, _) => Some(search.matches.iter().rposition(|m| m.start.line < bottom).unwrap_or(count - 1)),
            (Some(0), SearchDirection::Up) => search.wrap.then_some(count - 1).or(Some(0)),
            (Some(c), SearchDirection::Up) => Some(c - 1),
            (Some(c), SearchDirection::Down) if c + 1 == count => search.wrap.then_some(0).or(Some(c)),
            (Some(c), SearchDirection::Down) => Some(c + 1),
        };
        search.current = next;
        if let Some(m) = next.map(|i| search.matches[i]) {
            // Bring the match into view, a third of the way down.
            let sb = self.term.scrollback_len();
            let top = top_line(&self.term, self.scroll);
            if m.start.line < top || m.end.line >= top + rows {
                let want = m.start.line.saturating_sub(rows / 3);
                self.scroll = sb.saturating_sub(want.min(sb));
            }
        }
        if count == 0 { Err(format!("No match for {:?}", search.query)) } else { Ok(()) }
    }

    pub fn search_toggle(&mut self, option: SearchOption) {
        let Some(search) = &mut self.search else { return };
        match option {
            SearchOption::CaseSensitivity => search.case_sensitive = !search.case_sensitive,
            SearchOption::WholeWord => search.whole_word = !search.whole_word,
            SearchOption::Wrap => search.wrap = !search.wrap,
        }
        search.find_again(&self.term);
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

    fn typed(pane: &mut Pane<()>, text: &str) {
        for c in text.chars() {
            pane.search_type(Key { code: KeyCode::Char(c), mods: Default::default() });
        }
    }

    #[test]
    fn stepping_walks_matches_from_the_newest_and_wraps_only_when_asked() {
        let launch = crate::pane::Launch { cols: 20, rows: 3, ..Default::default() };
        let mut p = Pane::new(1, launch, 100, ());
        for i in 0..10 {
            p.term.advance(format!("line {i} hit\r\n").as_bytes());
        }
        p.start_search();
        typed(&mut p, "hitx");
        p.search_type(Key { code: KeyCode::Backspace, mods: Default::default() });
        p.find();
        assert_eq!(p.search_step(SearchDirection::Up), Ok(()));
        let current = |p: &Pane<()>| p.search.as_ref().and_then(|s| s.current);
        // The newest match on screen first, then older ones.
        assert_eq!(current(&p), Some(9));
        p.search_step(SearchDirection::Up).unwrap();
        assert_eq!(current(&p), Some(8));
        for _ in 0..10 {
            p.search_step(SearchDirection::Up).unwrap();
        }
        assert_eq!(current(&p), Some(0), "no wrap-around by default");
        // The oldest match is scrolled into view.
        assert!(p.scroll > 0);
        p.search_toggle(SearchOption::Wrap);
        p.search_step(SearchDirection::Up).unwrap();
        assert_eq!(current(&p), Some(9));
        p.start_search();
        typed(&mut p, "absent");
        p.find();
        assert_eq!(p.search_step(SearchDirection::Down), Err("No match for \"absent\"".into()));
    }

    #[test]
    fn a_search_follows_new_output_on_the_next_refresh() {
        let mut p = Pane::new(1, crate::pane::Launch { cols: 20, rows: 3, ..Default::default() }, 100, ());
        p.term.advance(b"one\r\n");
        p.start_search();
        typed(&mut p, "one");
        p.find();
        assert_eq!(p.search.as_ref().map(|s| s.matches.len()), Some(1));
        p.term.advance(b"one again\r\n");
        p.refresh_search();
        assert_eq!(p.search.as_ref().map(|s| s.matches.len()), Some(2));
    }
}
