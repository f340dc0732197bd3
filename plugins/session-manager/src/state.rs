//! What the session manager knows and shows: the session list, which part of
//! it is visible (EXITED toggle, filter), the selection and the scroll.
//!
//! The selection follows a session by name, not by row: the host sends a new
//! list whenever anything changes, and the user's cursor should not jump to
//! another session because one above it appeared or went away.

use revenant_plugin_api::types::{SessionInfo, SessionState};

/// How far Page Up/Down move before the first render says how tall the list
/// really is.
const DEFAULT_PAGE: usize = 10;

#[derive(Debug)]
pub struct State {
    /// All sessions, current first, then newest first.
    sessions: Vec<SessionInfo>,
    show_exited: bool,
    filter: String,
    /// Index into [`State::visible`].
    selected: usize,
    /// Index of the first visible row drawn.
    scroll: usize,
    /// Rows the list had at the last render; the Page Up/Down step.
    page: usize,
    /// The last error, shown instead of the help line until the next key.
    pub status: Option<String>,
}

impl Default for State {
    fn default() -> Self {
        State {
            sessions: Vec::new(),
            show_exited: false,
            filter: String::new(),
            selected: 0,
            scroll: 0,
            page: DEFAULT_PAGE,
            status: None,
        }
    }
}

pub fn is_live(session: &SessionInfo) -> bool {
    matches!(session.state, SessionState::Live)
}

/// When the row's age counts from: creation for a live session, the last
/// save for an exited one.
pub fn since(session: &SessionInfo) -> u64 {
    if is_live(session) { session.created_unix } else { session.saved_unix.unwrap_or(session.created_unix) }
}

/// Seconds since the Unix epoch (the component's WASI wall clock); fixed in
/// unit tests so rendered ages are exact.
pub fn now_unix() -> u64 {
    #[cfg(test)]
    {
        TEST_NOW
    }
    #[cfg(not(test))]
    {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
    }
}

#[cfg(test)]
pub const TEST_NOW: u64 = 1_800_000_000;

impl State {
    /// Replaces the list, keeping the selection on the same session if it is
    /// still visible.
    pub fn set_sessions(&mut self, mut sessions: Vec<SessionInfo>) {
        let keep = self.selected_name();
        sessions.sort_by(|a, b| {
            b.is_current.cmp(&a.is_current).then(since(b).cmp(&since(a))).then_with(|| a.name.cmp(&b.name))
        });
        self.sessions = sessions;
        self.reselect(keep);
    }

    pub fn show_exited(&self) -> bool {
        self.show_exited
    }

    pub fn set_show_exited(&mut self, show: bool) {
        let keep = self.selected_name();
        self.show_exited = show;
        self.reselect(keep);
    }

    pub fn toggle_exited(&mut self) {
        self.set_show_exited(!self.show_exited);
    }

    pub fn filter(&self) -> &str {
        &self.filter
    }

    pub fn push_filter(&mut self, c: char) {
        let keep = self.selected_name();
        self.filter.push(c);
        self.reselect(keep);
    }

    pub fn pop_filter(&mut self) {
        let keep = self.selected_name();
        self.filter.pop();
        self.reselect(keep);
    }

    fn matches_filter(&self, session: &SessionInfo) -> bool {
        self.filter.is_empty() || session.name.to_lowercase().contains(&self.filter.to_lowercase())
    }

    /// The sessions drawn as rows, in order.
    pub fn visible(&self) -> Vec<&SessionInfo> {
        self.sessions.iter().filter(|s| (self.show_exited || is_live(s)) && self.matches_filter(s)).collect()
    }

    /// Exited sessions that match the filter but are hidden by the toggle:
    /// the reason for the "TAB shows them" hint.
    pub fn hidden_exited(&self) -> usize {
        if self.show_exited {
            return 0;
        }
        self.sessions.iter().filter(|s| !is_live(s) && self.matches_filter(s)).count()
    }

    pub fn total(&self) -> usize {
        self.sessions.len()
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_session(&self) -> Option<&SessionInfo> {
        self.visible().get(self.selected).copied()
    }

    fn selected_name(&self) -> Option<String> {
        self.selected_session().map(|s| s.name.clone())
    }

    fn reselect(&mut self, name: Option<String>) {
        let visible = self.visible();
        let found = name.and_then(|name| visible.iter().position(|s| s.name == name));
        self.selected = found.unwrap_or(self.selected).min(visible.len().saturating_sub(1));
    }

    /// Moves the selection by `delta` rows, stopping at either end.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.visible().len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn move_to_first(&mut self) {
        self.selected = 0;
    }

    pub fn move_to_last(&mut self) {
        self.selected = self.visible().len().saturating_sub(1);
    }

    pub fn page(&self) -> usize {
        self.page
    }

    /// Scrolls so that the selection is one of the `height` rows drawn and
    /// returns the first row to draw. The scroll only moves when it must, so
    /// the list does not jump under the cursor.
    pub fn scroll_into_view(&mut self, height: usize) -> usize {
        self.page = height.max(1);
        if height == 0 {
            return self.scroll;
        }
        let len = self.visible().len();
        if self.selected < self.scroll {
            self.scroll = self.selected;
        } else if self.selected >= self.scroll + height {
            self.scroll = self.selected + 1 - height;
        }
        self.scroll = self.scroll.min(len.saturating_sub(height));
        self.scroll
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::session;

    fn state(sessions: Vec<SessionInfo>) -> State {
        let mut state = State::default();
        state.set_sessions(sessions);
        state
    }

    fn names(state: &State) -> Vec<&str> {
        state.visible().iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn current_first_then_newest_first() {
        let state = state(vec![
            session("old", SessionState::Live, 500, false),
            session("here", SessionState::Live, 900, true),
            session("new", SessionState::Live, 5, false),
        ]);
        assert_eq!(names(&state), ["here", "new", "old"]);
    }

    #[test]
    fn selection_follows_the_session_across_list_updates() {
        let mut state =
            state(vec![session("a", SessionState::Live, 1, false), session("b", SessionState::Live, 2, false)]);
        state.move_by(1);
        assert_eq!(state.selected_session().unwrap().name, "b");
        state.set_sessions(vec![
            session("new", SessionState::Live, 0, false),
            session("a", SessionState::Live, 1, false),
            session("b", SessionState::Live, 2, false),
        ]);
        assert_eq!(state.selected_session().unwrap().name, "b");
    }

    #[test]
    fn selection_is_clamped_when_its_session_goes_away() {
        let mut state =
            state(vec![session("a", SessionState::Live, 1, false), session("b", SessionState::Live, 2, false)]);
        state.move_to_last();
        state.set_sessions(vec![session("a", SessionState::Live, 1, false)]);
        assert_eq!(state.selected(), 0);
        state.set_sessions(Vec::new());
        assert_eq!(state.selected(), 0);
        assert!(state.selected_session().is_none());
    }

    #[test]
    fn scroll_keeps_the_selection_in_view() {
        let sessions = (0..10).map(|i| session(&format!("s{i}"), SessionState::Live, i, false));
        let mut state = state(sessions.collect());
        assert_eq!(state.scroll_into_view(3), 0);
        state.move_by(4);
        assert_eq!(state.scroll_into_view(3), 2);
        state.move_by(-1);
        assert_eq!(state.scroll_into_view(3), 2, "no jump while the cursor is in view");
        state.move_to_first();
        assert_eq!(state.scroll_into_view(3), 0);
        state.move_to_last();
        assert_eq!(state.scroll_into_view(3), 7);
        assert_eq!(state.scroll_into_view(20), 0, "a taller pane shows everything");
        assert_eq!(state.page(), 20);
    }
}
