//! A pane's search driven by the keys of Zellij's search modes: a new
//! query, typing it, Enter, stepping to older and newer matches (the pane
//! scrolls to each) and the option toggles. The search itself is
//! `search`.

use revenant_config::{SearchDirection, SearchOption};

use crate::input::{Key, KeyCode};
use crate::pane::Pane;
use crate::selection::top_line;

/// A pane's search, driven by the keys of Zellij's search modes.
impl<Io> Pane<Io> {
    /// Before a frame: a search whose pane's text changed is run again,
    /// staying on the current match where it still is one.
    pub fn refresh_search(&mut self) {
        if let Some(search) = &mut self.search
            && search.is_stale(&self.term)
            && !search.query.is_empty()
        {
            search.find_again(&self.term);
        }
    }

    /// Entering `entersearch` mode: typing starts a new query, keeping
    /// the options.
    pub fn start_search(&mut self) {
        self.search = Some(self.search.take().unwrap_or_default().restarted());
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
