//! The UI driven end to end through the `SessionManager` trait, against a
//! fake host that records what it was asked to do.

mod bad_input;
mod hosts;
mod keys;
mod list;
mod picker;

use revenant_plugin_api::types::{
    Event, Generation, HostInfo, Key, KeyEvent, LayoutInfo, Modifiers, PaneSummary, SessionInfo, SessionState,
};
use revenant_plugin_api::{SessionHost, SessionManager};

use crate::SessionManagerUi;
use crate::text::{str_width, strip_sgr};

/// The clock the UI reads in tests.
pub const NOW: u64 = 1_800_000_000;

pub fn pane(tab: u32, command: Option<&str>, (x, y, cols, rows): (u32, u32, u32, u32), focused: bool) -> PaneSummary {
    PaneSummary {
        tab,
        title: command.unwrap_or("shell").into(),
        command: command.map(Into::into),
        cwd: Some("/home/u/src".into()),
        x,
        y,
        cols,
        rows,
        focused,
        floating: false,
    }
}

/// A session `age` seconds old (created, or saved when exited), with two
/// tabs and three panes, one running `vim`.
pub fn session(name: &str, state: SessionState, age: u64, is_current: bool) -> SessionInfo {
    let live = matches!(state, SessionState::Live);
    SessionInfo {
        name: name.to_owned(),
        state,
        created_unix: NOW - age,
        saved_unix: (!live).then_some(NOW - age),
        tabs: vec!["main".to_owned(), "logs".to_owned()],
        focused_tab: 0,
        panes: vec![
            pane(0, Some("vim notes.md"), (0, 0, 60, 40), true),
            pane(0, None, (60, 0, 60, 40), false),
            pane(1, Some("tail -f log"), (0, 0, 120, 40), true),
        ],
        pane_count: 3,
        connected_clients: u32::from(live),
        is_current,
        damaged: None,
        host: None,
    }
}

pub fn generation(id: &str, age: u64) -> Generation {
    Generation {
        id: id.into(),
        saved_unix: NOW - age,
        tabs: vec![format!("tab-of-{id}")],
        panes: vec![pane(0, Some("htop"), (0, 0, 120, 40), true)],
        bytes: 2048,
        damaged: None,
        kept_by: Some("last".into()),
    }
}

/// Records every call; answers with `sessions`, and fails every fallible
/// call with `error` when it is set. Kill and delete change `sessions` the
/// way the real host would.
#[derive(Default)]
pub struct FakeHost {
    pub sessions: Vec<SessionInfo>,
    pub hosts: Vec<HostInfo>,
    pub generations: Vec<Generation>,
    pub error: Option<String>,
    pub calls: Vec<String>,
}

impl FakeHost {
    pub fn with(sessions: Vec<SessionInfo>) -> Self {
        FakeHost { sessions, ..Default::default() }
    }

    fn answer(&mut self, call: String) -> Result<(), String> {
        self.calls.push(call);
        self.error.clone().map_or(Ok(()), Err)
    }
}

impl SessionHost for FakeHost {
    fn list_sessions(&mut self) -> Vec<SessionInfo> {
        self.sessions.clone()
    }
    fn switch_session(&mut self, name: &str) -> Result<(), String> {
        self.answer(format!("switch {name}"))
    }
    fn resurrect_session(&mut self, name: &str, generation: Option<&str>) -> Result<(), String> {
        self.answer(format!("resurrect {name} {generation:?}"))
    }
    fn kill_session(&mut self, name: &str) -> Result<(), String> {
        self.answer(format!("kill {name}"))?;
        for s in self.sessions.iter_mut().filter(|s| s.name == name) {
            s.state = SessionState::Exited;
            s.connected_clients = 0;
        }
        Ok(())
    }
    fn delete_session(&mut self, name: &str) -> Result<(), String> {
        self.answer(format!("delete {name}"))?;
        self.sessions.retain(|s| s.name != name);
        Ok(())
    }
    fn create_session(&mut self, name: Option<&str>, layout: Option<&str>) -> Result<(), String> {
        self.answer(format!("create {name:?} {layout:?}"))
    }
    fn rename_session(&mut self, name: &str) -> Result<(), String> {
        self.answer(format!("rename {name}"))
    }
    fn save_session(&mut self) -> Result<(), String> {
        self.answer("save".into())
    }
    fn disconnect_other_clients(&mut self) -> Result<(), String> {
        self.answer("disconnect".into())
    }
    fn list_layouts(&mut self) -> Vec<LayoutInfo> {
        ["default", "compact", "classic", "splits"]
            .map(|n| LayoutInfo { name: n.into(), builtin: true })
            .into_iter()
            .chain(std::iter::once(LayoutInfo { name: "dev".into(), builtin: false }))
            .collect()
    }
    fn list_generations(&mut self, name: &str) -> Result<Vec<Generation>, String> {
        self.calls.push(format!("generations {name}"));
        match &self.error {
            Some(e) => Err(e.clone()),
            None => Ok(self.generations.clone()),
        }
    }
    fn set_timeout(&mut self, millis: u32) {
        self.calls.push(format!("timeout {millis}"));
    }
    fn close(&mut self) {
        self.calls.push("close".to_owned());
    }
    fn list_hosts(&mut self) -> Vec<HostInfo> {
        self.hosts.clone()
    }
    fn open_remote_session(&mut self, host: &str, name: &str) -> Result<(), String> {
        self.answer(format!("open {host} {name}"))
    }
}

/// current (live, 100 s), alpha (live, 10 s), beta (live, 50 s),
/// gamma (exited, 20 s), delta (exited, 5000 s).
pub fn sample() -> Vec<SessionInfo> {
    vec![
        session("beta", SessionState::Live, 50, false),
        session("gamma", SessionState::Exited, 20, false),
        session("current", SessionState::Live, 100, true),
        session("delta", SessionState::Exited, 5000, false),
        session("alpha", SessionState::Live, 10, false),
    ]
}

pub fn open(config: &[(&str, &str)], host: &mut FakeHost) -> SessionManagerUi {
    let mut ui = SessionManagerUi::default();
    let config = config.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    ui.init(config, host);
    host.calls.clear();
    ui
}

pub fn key(key: Key) -> Event {
    Event::Key(KeyEvent { key, modifiers: Modifiers::empty() })
}

pub fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent { key: Key::Char(c), modifiers: Modifiers::CTRL })
}

pub fn press(ui: &mut SessionManagerUi, host: &mut FakeHost, keys: &[Event]) {
    for k in keys {
        ui.update(k.clone(), host);
    }
}

pub fn type_text(ui: &mut SessionManagerUi, host: &mut FakeHost, text: &str) {
    for c in text.chars() {
        assert!(ui.update(key(Key::Char(c)), host), "typing {c:?}");
    }
}

/// The rendered screen as the user sees it, without SGR sequences, checked
/// to fit the pane.
pub fn screen(ui: &mut SessionManagerUi, rows: u32, cols: u32) -> Vec<String> {
    let lines = ui.render(rows, cols);
    assert!(lines.len() <= rows as usize, "{} lines for {rows} rows", lines.len());
    let lines: Vec<String> = lines.iter().map(|l| strip_sgr(l)).collect();
    for l in &lines {
        assert!(str_width(l) <= cols as usize, "a line wider than {cols}: {l:?}");
    }
    lines
}

/// The list's rows (title, prompt and footer left out) on a 30x99 pane
/// (the widest without a preview).
pub fn rows(ui: &mut SessionManagerUi) -> Vec<String> {
    let lines = screen(ui, 30, 99);
    lines[2..lines.len() - 1].iter().filter(|l| !l.trim().is_empty()).cloned().collect()
}

/// Session names in the list rows, top to bottom.
pub fn listed(ui: &mut SessionManagerUi) -> Vec<String> {
    rows(ui)
        .iter()
        .filter(|l| (l.starts_with("> ") || l.starts_with("  ")) && !l[2..].starts_with(' '))
        .filter(|l| !l.starts_with("  No "))
        .filter_map(|l| l[2..].split_whitespace().next().map(str::to_owned))
        .collect()
}

/// The row with the selection marker.
pub fn selected(ui: &mut SessionManagerUi) -> String {
    rows(ui).into_iter().find(|l| l.trim_start().starts_with("> ")).unwrap_or_default()
}
