//! Scrollback search, as Zellij's search mode: Ctrl-s s, type, Enter; then
//! n steps down to newer matches and p (or N) up to older ones, and c, w and
//! o toggle case sensitivity, wrap-around and whole words. Matches are
//! highlighted and the pane scrolls to the current one.

use revenant_config::{Mode, SearchDirection, SearchOption};

use crate::ipc::{Key, KeyCode};
use crate::tiling::PaneId;

use super::Server;
use super::input::Who;
use super::pane::Pane;
use super::selection::{Point, line, runs_on, top_line};

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
    fn find_again(&mut self, pane: &Pane) {
        let current = self.current.and_then(|i| self.matches.get(i).copied());
        self.find_all(pane);
        self.current = current.and_then(|m| self.matches.iter().position(|n| n.start == m.start));
    }

    fn find_all(&mut self, pane: &Pane) {
        self.seen = pane.term.generation();
        self.matches.clear();
        if self.query.is_empty() {
            return;
        }
        let fold = |c: char| if self.case_sensitive { c } else { c.to_lowercase().next().unwrap_or(c) };
        let needle: Vec<char> = self.query.chars().map(fold).collect();
        let term = &pane.term;
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

impl Server {
    /// Before a frame: searches in panes whose text changed are run again,
    /// staying on the current match where it still is one. At most once a
    /// frame, however fast the pane prints.
    pub(super) fn refresh_searches(&mut self) {
        for pane in self.session.panes.values_mut() {
            let Some(mut search) = pane.search.take() else { continue };
            if search.seen != pane.term.generation() && !search.query.is_empty() {
                search.find_again(pane);
            }
            pane.search = Some(search);
        }
    }

    fn searched_pane(&mut self, who: Who) -> Option<&mut Pane> {
        let id: PaneId = self.focused(who)?;
        self.session.panes.get_mut(&id).filter(|p| p.plugin.is_none())
    }

    /// Entering search mode (`SwitchToMode`): typing starts a new query,
    /// keeping the options; Enter finds it; normal mode puts it away.
    pub(super) fn search_mode_changed(&mut self, who: Who, mode: Mode) {
        let Some(pane) = self.searched_pane(who) else { return };
        match mode {
            Mode::EnterSearch => {
                // Zellij starts without wrap-around.
                let old = pane.search.take().unwrap_or_default();
                pane.search = Some(Search { query: String::new(), matches: Vec::new(), current: None, ..old });
            }
            Mode::Search => {
                if let Some(mut search) = pane.search.take() {
                    search.find_all(pane);
                    search.current = None;
                    pane.search = Some(search);
                }
                self.search_step(who, SearchDirection::Up);
            }
            Mode::Scroll => {}
            _ => pane.search = None,
        }
    }

    /// A key typed in `entersearch` mode that is not bound there.
    pub(super) fn search_key(&mut self, who: Who, k: Key) {
        let Some(search) = self.searched_pane(who).and_then(|p| p.search.as_mut()) else { return };
        match k.code {
            KeyCode::Char(c) if !k.mods.ctrl && !k.mods.alt => search.query.push(c),
            KeyCode::Backspace => {
                search.query.pop();
            }
            _ => {}
        }
    }

    /// `Search "up"`: the match before the current one (older), or the
    /// newest one on or above the screen; `"down"` the one after.
    pub(super) fn search_step(&mut self, who: Who, dir: SearchDirection) {
        let Some(pane) = self.searched_pane(who) else { return };
        let Some(mut search) = pane.search.take() else { return };
        search.find_all(pane);
        let count = search.matches.len();
        let rows = usize::from(pane.term.rows());
        let bottom = top_line(&pane.term, pane.scroll) + rows;
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
            let sb = pane.term.scrollback_len();
            let top = top_line(&pane.term, pane.scroll);
            if m.start.line < top || m.end.line >= top + rows {
                let want = m.start.line.saturating_sub(rows / 3);
                pane.scroll = sb.saturating_sub(want.min(sb));
            }
        }
        let notice = (count == 0).then(|| format!("No match for {:?}", search.query));
        pane.search = Some(search);
        if let Some(n) = notice {
            self.post_notice(n);
        }
    }

    pub(super) fn search_toggle(&mut self, who: Who, option: SearchOption) {
        let Some(pane) = self.searched_pane(who) else { return };
        let Some(mut search) = pane.search.take() else { return };
        match option {
            SearchOption::CaseSensitivity => search.case_sensitive = !search.case_sensitive,
            SearchOption::WholeWord => search.whole_word = !search.whole_word,
            SearchOption::Wrap => search.wrap = !search.wrap,
        }
        search.find_again(pane);
        pane.search = Some(search);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pty::PtySpec;

    fn pane(text: &str) -> Pane {
        let mut pane = Pane::new(1, PtySpec { cols: 20, rows: 3, ..PtySpec::default() }, 100);
        pane.term.advance(text.as_bytes());
        pane
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
