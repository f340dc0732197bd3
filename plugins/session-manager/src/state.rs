//! What the session manager knows and shows: the sessions, the filter, what
//! is expanded, the selection, and which screen is up.
//!
//! The selection follows a row by what it shows (a session's name, a
//! generation's id), not by its position: the host sends a new list whenever
//! anything changes, and the cursor must not jump to another session because
//! one above it appeared or went away.

use std::collections::HashMap;

use revenant_plugin_api::types::{Generation, HostInfo, LayoutInfo, SessionInfo, SessionState};

use crate::fuzzy;

/// How far Page Up/Down move before the first render says how tall the list
/// really is.
const DEFAULT_PAGE: usize = 10;

/// What a selectable row stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowKey {
    /// A session by [`key_of`].
    Session(String),
    Generation(String, String),
}

/// One row of the list.
#[derive(Debug)]
pub enum Row<'a> {
    Session {
        info: &'a SessionInfo,
        matched: Vec<usize>,
        expanded: bool,
    },
    Generation {
        session: &'a SessionInfo,
        generation: &'a Generation,
    },
    /// Something said under an expanded session: its tabs, or why its
    /// generations cannot be listed. Not selectable.
    Note {
        text: String,
    },
    /// The heading of another host's sessions, or why there are none.
    Host {
        info: &'a HostInfo,
    },
}

impl Row<'_> {
    pub fn key(&self) -> Option<RowKey> {
        match self {
            Row::Session { info, .. } => Some(RowKey::Session(key_of(info))),
            Row::Generation { session, generation } => {
                Some(RowKey::Generation(session.name.clone(), generation.id.clone()))
            }
            Row::Note { .. } | Row::Host { .. } => None,
        }
    }
}

/// The screen that has the keys.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    List,
    /// Picking the layout of a new session called `name`.
    Picker { name: String, layouts: Vec<LayoutInfo>, filter: String, selected: usize },
    /// A question answered with y or n.
    Confirm { question: String, action: Pending },
    /// Typing the session's new name.
    Rename { text: String },
}

/// What a confirmed question does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Kill(String),
    Delete(String),
    KillAll(Vec<String>),
    DeleteAll(Vec<String>),
}

/// A line for the footer: an error (red) or news (green), until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

#[derive(Debug)]
pub struct State {
    sessions: Vec<SessionInfo>,
    /// Other hosts, whose sessions are listed under them.
    hosts: Vec<HostInfo>,
    pub show_exited: bool,
    pub filter: String,
    /// The welcome screen: this session is only a vehicle, so it is not
    /// listed.
    pub welcome: bool,
    selected: Option<RowKey>,
    /// Index of the first row drawn.
    scroll: usize,
    /// Rows the list had at the last render; the Page Up/Down step.
    page: usize,
    /// The session whose details are open (→), with its generations once
    /// read.
    expanded: Option<String>,
    generations: HashMap<String, Result<Vec<Generation>, String>>,
    pub mode: Mode,
    pub status: Option<Status>,
    /// Seconds since the epoch, for ages (set by the caller on every event).
    pub now: u64,
}

impl Default for State {
    fn default() -> Self {
        State {
            sessions: Vec::new(),
            hosts: Vec::new(),
            show_exited: false,
            filter: String::new(),
            welcome: false,
            selected: None,
            scroll: 0,
            page: DEFAULT_PAGE,
            expanded: None,
            generations: HashMap::new(),
            mode: Mode::List,
            status: None,
            now: 0,
        }
    }
}

/// A session's key among every host's: its name here, `host/name` on
/// another host (a name never holds `/`).
pub fn key_of(session: &SessionInfo) -> String {
    match &session.host {
        Some(host) => format!("{host}/{}", session.name),
        None => session.name.clone(),
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

impl State {
    /// Replaces the list: live sessions newest first, then exited ones
    /// newest first. The selection stays on what it was on.
    pub fn set_sessions(&mut self, mut sessions: Vec<SessionInfo>) {
        sessions.sort_by(|a, b| {
            is_live(b).cmp(&is_live(a)).then(since(b).cmp(&since(a))).then_with(|| a.name.cmp(&b.name))
        });
        self.sessions = sessions;
        if self.expanded.as_ref().is_some_and(|n| !self.sessions.iter().any(|s| &key_of(s) == n)) {
            self.expanded = None;
        }
        self.fix_selection();
    }

    pub fn sessions(&self) -> &[SessionInfo] {
        &self.sessions
    }

    pub fn set_hosts(&mut self, hosts: Vec<HostInfo>) {
        self.hosts = hosts;
        self.fix_selection();
    }

    pub fn current(&self) -> Option<&SessionInfo> {
        self.sessions.iter().find(|s| s.is_current)
    }

    /// Sessions shown as rows (before filtering).
    fn listed(&self) -> impl Iterator<Item = &SessionInfo> {
        self.sessions.iter().filter(|s| (self.show_exited || is_live(s)) && !(self.welcome && s.is_current))
    }

    /// Exited sessions the filter matches but the toggle hides: the reason
    /// for the "TAB shows them" hint.
    pub fn hidden_exited(&self) -> usize {
        if self.show_exited {
            return 0;
        }
        self.sessions.iter().filter(|s| !is_live(s) && fuzzy::matches(&self.filter, &s.name).is_some()).count()
    }

    /// Every row, top to bottom: this host's sessions, then each other
    /// host's under its heading.
    pub fn rows(&self) -> Vec<Row<'_>> {
        let mut rows = Vec::new();
        self.host_rows(None, &mut rows);
        for info in &self.hosts {
            rows.push(Row::Host { info });
            self.host_rows(Some(&info.label), &mut rows);
        }
        rows
    }

    fn host_rows<'a>(&'a self, host: Option<&str>, rows: &mut Vec<Row<'a>>) {
        for info in self.listed().filter(|s| s.host.as_deref() == host) {
            let Some(matched) = fuzzy::matches(&self.filter, &info.name) else { continue };
            let expanded = self.expanded.as_deref() == Some(key_of(info).as_str());
            rows.push(Row::Session { info, matched, expanded });
            if !expanded {
                continue;
            }
            if is_live(info) {
                for (t, tab) in info.tabs.iter().enumerate() {
                    let panes: Vec<String> = info
                        .panes
                        .iter()
                        .filter(|p| p.tab as usize == t)
                        .map(|p| p.command.clone().unwrap_or_else(|| p.title.clone()))
                        .collect();
                    rows.push(Row::Note { text: format!("tab {tab}: {}", panes.join(", ")) });
                }
                continue;
            }
            match self.generations.get(&key_of(info)) {
                Some(Ok(list)) if list.is_empty() => rows.push(Row::Note { text: "no snapshots".into() }),
                Some(Ok(list)) => {
                    rows.extend(list.iter().map(|generation| Row::Generation { session: info, generation }))
                }
                Some(Err(e)) => rows.push(Row::Note { text: format!("cannot list its snapshots: {e}") }),
                None => {}
            }
        }
    }

    pub fn selected_key(&self) -> Option<&RowKey> {
        self.selected.as_ref()
    }

    /// The index among `rows` of the selected row.
    pub fn selected_index(&self, rows: &[Row]) -> Option<usize> {
        let key = self.selected.as_ref()?;
        rows.iter().position(|r| r.key().as_ref() == Some(key))
    }

    /// The session the selection is on (or whose generation it is on).
    pub fn selected_session(&self) -> Option<&SessionInfo> {
        match self.selected.as_ref()? {
            RowKey::Session(key) => self.sessions.iter().find(|s| &key_of(s) == key),
            RowKey::Generation(name, _) => self.sessions.iter().find(|s| s.host.is_none() && &s.name == name),
        }
    }

    pub fn selected_generation(&self) -> Option<&Generation> {
        let RowKey::Generation(name, id) = self.selected.as_ref()? else { return None };
        self.generations.get(name)?.as_ref().ok()?.iter().find(|g| &g.id == id)
    }

    /// Puts the selection back on a row that exists: the same one if it
    /// still does, else the nearest selectable row.
    pub fn fix_selection(&mut self) {
        let keys: Vec<RowKey> = self.rows().iter().filter_map(Row::key).collect();
        if let Some(key) = &self.selected
            && keys.contains(key)
        {
            return;
        }
        // A generation's session, when the generation went away.
        if let Some(RowKey::Generation(name, _)) = &self.selected {
            let session = RowKey::Session(name.clone());
            if keys.contains(&session) {
                self.selected = Some(session);
                return;
            }
        }
        self.selected = keys.first().cloned();
    }

    /// Moves the selection by `delta` selectable rows, stopping at either end.
    pub fn move_by(&mut self, delta: isize) {
        let keys: Vec<RowKey> = self.rows().iter().filter_map(Row::key).collect();
        if keys.is_empty() {
            self.selected = None;
            return;
        }
        let at = self.selected.as_ref().and_then(|k| keys.iter().position(|x| x == k)).unwrap_or(0);
        let to = at.saturating_add_signed(delta).min(keys.len() - 1);
        self.selected = Some(keys[to].clone());
    }

    pub fn move_to_first(&mut self) {
        self.move_by(isize::MIN / 2);
    }

    pub fn move_to_last(&mut self) {
        self.move_by(isize::MAX / 2);
    }

    pub fn push_filter(&mut self, c: char) {
        self.filter.push(c);
        self.fix_selection_to_best();
    }

    pub fn pop_filter(&mut self) {
        self.filter.pop();
        self.fix_selection();
    }

    pub fn clear_filter(&mut self) {
        self.filter.clear();
        self.fix_selection();
    }

    /// After typing: the first match is what ENTER acts on.
    fn fix_selection_to_best(&mut self) {
        self.selected = self.rows().iter().find_map(Row::key);
    }

    pub fn toggle_exited(&mut self) {
        self.show_exited = !self.show_exited;
        self.fix_selection();
    }

    /// Opens the selected session's details; an exited session's
    /// generations come from `read`.
    pub fn expand(&mut self, read: impl FnOnce(&str) -> Result<Vec<Generation>, String>) {
        let Some(session) = self.selected_session() else { return };
        let (key, name, live) = (key_of(session), session.name.clone(), is_live(session));
        if !live {
            // Another host's snapshots stay there: `revenant snapshots
            // ssh://…` lists them.
            let list = match &session.host {
                Some(host) => Err(format!("they are on {host}")),
                None => read(&name),
            };
            self.generations.insert(key.clone(), list);
        }
        self.expanded = Some(key);
    }

    /// Closes the details; a selection on a generation goes to its session.
    pub fn collapse(&mut self) {
        if let Some(RowKey::Generation(name, _)) = &self.selected {
            self.selected = Some(RowKey::Session(name.clone()));
        }
        self.expanded = None;
        self.fix_selection();
    }

    pub fn page(&self) -> usize {
        self.page
    }

    /// Scrolls so that the selected row is one of the `height` rows drawn
    /// and returns the first row to draw. The scroll only moves when it
    /// must, so the list does not jump under the cursor.
    pub fn scroll_into_view(&mut self, height: usize) -> usize {
        self.page = height.max(1);
        if height == 0 {
            return self.scroll;
        }
        let rows = self.rows();
        let (selected, len) = (self.selected_index(&rows), rows.len());
        drop(rows);
        if let Some(selected) = selected {
            if selected < self.scroll {
                self.scroll = selected;
            } else if selected >= self.scroll + height {
                self.scroll = selected + 1 - height;
            }
        }
        self.scroll = self.scroll.min(len.saturating_sub(height));
        self.scroll
    }
}
