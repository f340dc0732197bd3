//! Scrollback search, as Zellij's search mode: Ctrl-s s, type, Enter; then
//! n / N step through the matches (older / newer), c, w and o toggle case
//! sensitivity, wrap-around and whole words. Matches are highlighted and
//! the pane scrolls to the current one.

use revenant_config::{Mode, SearchDirection, SearchOption};

use crate::ipc::{Key, KeyCode};
use crate::tiling::PaneId;

use super::Server;
use super::input::Who;
use super::pane::Pane;
use super::selection::{line, top_line};

#[derive(Debug, Clone, Default)]
pub struct Search {
    pub query: String,
    pub case_sensitive: bool,
    pub whole_word: bool,
    pub wrap: bool,
    /// In reading order.
    pub matches: Vec<Match>,
    pub current: Option<usize>,
}

/// Cells `start..end` of `line` (counted as [`super::selection::Point`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub line: usize,
    pub start: u16,
    pub end: u16,
}

impl Search {
    /// How a cell is to be highlighted: `Some(true)` for the current match.
    pub fn highlight(&self, line: usize, col: u16) -> Option<bool> {
        let i = self.matches.partition_point(|m| (m.line, m.end) <= (line, col));
        let m = self.matches.get(i)?;
        (m.line == line && m.start <= col && col < m.end).then_some(self.current == Some(i))
    }

    fn find_all(&mut self, pane: &Pane) {
        self.matches.clear();
        if self.query.is_empty() {
            return;
        }
        let fold = |c: char| if self.case_sensitive { c } else { c.to_lowercase().next().unwrap_or(c) };
        let needle: Vec<char> = self.query.chars().map(fold).collect();
        let term = &pane.term;
        for i in 0..term.scrollback_len() + usize::from(term.rows()) {
            // Each character with the column it starts at.
            let cells: Vec<(char, u16)> = line(term, i)
                .iter()
                .enumerate()
                .filter(|(_, c)| c.width != 0)
                .map(|(x, c)| (fold(c.ch), x as u16))
                .collect();
            let mut at = 0;
            while at + needle.len() <= cells.len() {
                let hit = cells[at..at + needle.len()].iter().map(|(c, _)| *c).eq(needle.iter().copied());
                let bounded = !self.whole_word || {
                    let word = |c: Option<&(char, u16)>| c.is_some_and(|(c, _)| c.is_alphanumeric() || *c == '_');
                    !word(at.checked_sub(1).and_then(|b| cells.get(b))) && !word(cells.get(at + needle.len()))
                };
                if hit && bounded {
                    let last = cells[at + needle.len() - 1];
                    let width = line(term, i).get(usize::from(last.1)).map_or(1, |c| u16::from(c.width.max(1)));
                    self.matches.push(Match { line: i, start: cells[at].1, end: last.1 + width });
                    at += needle.len();
                } else {
                    at += 1;
                }
            }
        }
    }
}

impl Server {
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
                let old = pane.search.take().unwrap_or(Search { wrap: true, ..Search::default() });
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
            (None, _) => Some(search.matches.iter().rposition(|m| m.line < bottom).unwrap_or(count - 1)),
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
            if m.line < top || m.line >= top + rows {
                let want = m.line.saturating_sub(rows / 3);
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
        let current = search.current.map(|i| search.matches[i]);
        search.find_all(pane);
        // Stay on the same match when it still is one.
        search.current =
            current.and_then(|m| search.matches.iter().position(|n| n.line == m.line && n.start == m.start));
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
        let at: Vec<(usize, u16, u16)> = s.matches.iter().map(|m| (m.line, m.start, m.end)).collect();
        assert_eq!(at, [(0, 0, 5), (0, 7, 12), (1, 1, 6), (2, 0, 5), (2, 8, 13)]);
        s.case_sensitive = true;
        s.find_all(&p);
        assert_eq!(s.matches.len(), 3);
        s.whole_word = true;
        s.find_all(&p);
        // "terrors" is no whole word, and 漢 is a letter.
        assert_eq!(s.matches.iter().map(|m| m.line).collect::<Vec<_>>(), [0]);
        assert_eq!(s.highlight(0, 8), Some(false));
        assert_eq!(s.highlight(0, 2), None);
    }
}
