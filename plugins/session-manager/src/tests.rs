//! The UI driven end to end through the `SessionManager` trait, against a
//! fake host that records what it was asked to do.

use revenant_plugin_api::types::{Event, Key, KeyEvent, Modifiers, SessionInfo, SessionState};
use revenant_plugin_api::{SessionHost, SessionManager};

use crate::SessionManagerUi;
use crate::text::{str_width, strip_sgr};

pub fn session(name: &str, state: SessionState, age_seconds: u64, is_current: bool) -> SessionInfo {
    let live = matches!(state, SessionState::Live);
    SessionInfo {
        name: name.to_owned(),
        state,
        created_unix: crate::state::TEST_NOW - age_seconds,
        saved_unix: (!live).then_some(crate::state::TEST_NOW - age_seconds),
        tabs: vec!["main".to_owned(), "logs".to_owned()],
        pane_count: 3,
        connected_clients: u32::from(live),
        is_current,
    }
}

/// Records every call; answers with `sessions` and fails every fallible call
/// with `error` when it is set. Kill and delete change `sessions` the way the
/// real host would, so refreshes can be checked.
#[derive(Default)]
struct FakeHost {
    sessions: Vec<SessionInfo>,
    error: Option<String>,
    calls: Vec<String>,
}

impl FakeHost {
    fn with(sessions: Vec<SessionInfo>) -> Self {
        FakeHost { sessions, ..Default::default() }
    }

    fn answer(&mut self, call: String) -> Result<(), String> {
        self.calls.push(call);
        self.error.clone().map_or(Ok(()), Err)
    }
}

impl SessionHost for FakeHost {
    fn list_sessions(&mut self) -> Vec<SessionInfo> {
        self.calls.push("list".to_owned());
        self.sessions.clone()
    }
    fn switch_session(&mut self, name: &str) -> Result<(), String> {
        self.answer(format!("switch {name}"))
    }
    fn resurrect_session(&mut self, name: &str) -> Result<(), String> {
        self.answer(format!("resurrect {name}"))
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
    fn set_timeout(&mut self, millis: u32) {
        self.calls.push(format!("timeout {millis}"));
    }
    fn close(&mut self) {
        self.calls.push("close".to_owned());
    }
}

/// current (live, age 100), alpha (live, 10), beta (live, 50),
/// gamma (exited, 20), delta (exited, 5000).
fn sample() -> Vec<SessionInfo> {
    vec![
        session("beta", SessionState::Live, 50, false),
        session("gamma", SessionState::Exited, 20, false),
        session("current", SessionState::Live, 100, true),
        session("delta", SessionState::Exited, 5000, false),
        session("alpha", SessionState::Live, 10, false),
    ]
}

fn open(config: &[(&str, &str)], host: &mut FakeHost) -> SessionManagerUi {
    let mut ui = SessionManagerUi::default();
    let config = config.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    ui.init(config, host);
    host.calls.clear();
    ui
}

fn key(key: Key) -> Event {
    Event::Key(KeyEvent { key, modifiers: Modifiers::empty() })
}

fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent { key: Key::Char(c), modifiers: Modifiers::CTRL })
}

fn type_text(ui: &mut SessionManagerUi, host: &mut FakeHost, text: &str) {
    for c in text.chars() {
        assert!(ui.update(key(Key::Char(c)), host));
    }
}

/// The rendered screen as the user sees it, without SGR sequences.
fn screen(ui: &mut SessionManagerUi, rows: u32, cols: u32) -> Vec<String> {
    ui.render(rows, cols).iter().map(|l| strip_sgr(l)).collect()
}

/// Names in the list rows, top to bottom.
fn listed(ui: &mut SessionManagerUi) -> Vec<String> {
    let lines = screen(ui, 40, 200);
    lines[1..lines.len() - 1]
        .iter()
        .filter_map(|l| l.get(2..).and_then(|rest| rest.split_whitespace().next()))
        .filter(|name| ["current", "alpha", "beta", "gamma", "delta"].contains(name))
        .map(str::to_owned)
        .collect()
}

fn selected_row(ui: &mut SessionManagerUi) -> String {
    screen(ui, 40, 200).into_iter().find(|l| l.starts_with("> ")).expect("a selected row")
}

#[test]
fn init_lists_live_sessions_current_first_then_newest() {
    let mut host = FakeHost::with(sample());
    let mut ui = SessionManagerUi::default();
    ui.init(Vec::new(), &mut host);
    assert_eq!(host.calls, ["list"]);
    assert_eq!(listed(&mut ui), ["current", "alpha", "beta"]);
    assert!(selected_row(&mut ui).starts_with("> current (current)"));
}

#[test]
fn show_exited_config_lists_everything_from_the_start() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[("show_exited", "true"), ("unknown", "x")], &mut host);
    assert_eq!(listed(&mut ui), ["current", "alpha", "gamma", "beta", "delta"]);
}

#[test]
fn tab_toggles_exited_sessions_and_the_hint() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    let lines = screen(&mut ui, 20, 100);
    assert!(lines.iter().any(|l| l.contains("2 exited sessions hidden · TAB shows them")));
    assert!(ui.update(key(Key::Tab), &mut host));
    assert_eq!(listed(&mut ui), ["current", "alpha", "gamma", "beta", "delta"]);
    let lines = screen(&mut ui, 20, 100);
    assert!(!lines.iter().any(|l| l.contains("hidden")));
    assert!(lines.last().unwrap().contains("TAB hide exited"));
    assert!(ui.update(key(Key::Tab), &mut host));
    assert_eq!(listed(&mut ui), ["current", "alpha", "beta"]);
    assert!(host.calls.is_empty());
}

#[test]
fn selection_moves_and_is_clamped() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    assert!(ui.update(key(Key::Up), &mut host));
    assert!(selected_row(&mut ui).starts_with("> current"));
    assert!(ui.update(key(Key::Down), &mut host));
    assert!(selected_row(&mut ui).starts_with("> alpha"));
    assert!(ui.update(ctrl('n'), &mut host));
    assert!(selected_row(&mut ui).starts_with("> beta"));
    assert!(ui.update(key(Key::Down), &mut host));
    assert!(ui.update(ctrl('n'), &mut host));
    assert!(selected_row(&mut ui).starts_with("> beta"), "clamped at the bottom");
    assert!(ui.update(ctrl('p'), &mut host));
    assert!(selected_row(&mut ui).starts_with("> alpha"));
    assert!(ui.update(key(Key::End), &mut host));
    assert!(selected_row(&mut ui).starts_with("> beta"));
    assert!(ui.update(key(Key::Home), &mut host));
    assert!(selected_row(&mut ui).starts_with("> current"));
}

#[test]
fn enter_switches_to_a_live_session() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    ui.update(key(Key::Down), &mut host);
    assert!(ui.update(key(Key::Enter), &mut host));
    assert_eq!(host.calls, ["switch alpha"]);
}

#[test]
fn enter_on_the_current_session_just_closes() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    assert!(ui.update(key(Key::Enter), &mut host));
    assert_eq!(host.calls, ["close"]);
}

#[test]
fn enter_resurrects_an_exited_session() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[("show_exited", "true")], &mut host);
    ui.update(key(Key::Down), &mut host);
    ui.update(key(Key::Down), &mut host);
    assert!(ui.update(key(Key::Enter), &mut host));
    assert_eq!(host.calls, ["resurrect gamma"]);
}

#[test]
fn enter_with_nothing_listed_does_nothing() {
    let mut host = FakeHost::default();
    let mut ui = open(&[], &mut host);
    assert!(ui.update(key(Key::Enter), &mut host));
    assert!(ui.update(key(Key::Delete), &mut host));
    assert!(host.calls.is_empty());
    assert!(screen(&mut ui, 5, 40).iter().any(|l| l.contains("No sessions")));
}

#[test]
fn delete_kills_a_live_session_and_refreshes() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    ui.update(key(Key::Down), &mut host);
    assert!(ui.update(key(Key::Delete), &mut host));
    assert_eq!(host.calls, ["kill alpha", "list"]);
    assert_eq!(listed(&mut ui), ["current", "beta"], "alpha is exited now, and hidden");
    assert!(selected_row(&mut ui).starts_with("> beta"));
}

#[test]
fn delete_removes_an_exited_session_and_refreshes() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[("show_exited", "true")], &mut host);
    ui.update(key(Key::End), &mut host);
    assert!(selected_row(&mut ui).starts_with("> delta"));
    assert!(ui.update(key(Key::Delete), &mut host));
    assert_eq!(host.calls, ["delete delta", "list"]);
    assert_eq!(listed(&mut ui), ["current", "alpha", "gamma", "beta"]);
    assert!(selected_row(&mut ui).starts_with("> beta"));
}

#[test]
fn delete_refuses_to_kill_the_current_session() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    assert!(ui.update(key(Key::Delete), &mut host));
    assert_eq!(host.calls, ["list"]);
    assert!(screen(&mut ui, 10, 200).last().unwrap().contains("current is the current session"));
}

#[test]
fn esc_closes() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    assert!(ui.update(key(Key::Esc), &mut host));
    assert_eq!(host.calls, ["close"]);
}

#[test]
fn filter_narrows_case_insensitively_and_backspace_widens() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[("show_exited", "true")], &mut host);
    type_text(&mut ui, &mut host, "A");
    assert_eq!(listed(&mut ui), ["alpha", "gamma", "beta", "delta"]);
    type_text(&mut ui, &mut host, "l");
    assert_eq!(listed(&mut ui), ["alpha"]);
    assert!(screen(&mut ui, 10, 80)[0].contains("filter: Al"));
    type_text(&mut ui, &mut host, "x");
    assert!(listed(&mut ui).is_empty());
    assert!(screen(&mut ui, 10, 80).iter().any(|l| l.contains("No session matches \"Alx\"")));
    assert!(ui.update(key(Key::Backspace), &mut host));
    assert!(ui.update(key(Key::Backspace), &mut host));
    assert_eq!(listed(&mut ui), ["alpha", "gamma", "beta", "delta"]);
    assert!(ui.update(key(Key::Backspace), &mut host));
    assert_eq!(listed(&mut ui).len(), 5);
    assert!(ui.update(key(Key::Backspace), &mut host), "a bound key, even with nothing to erase");
    assert!(host.calls.is_empty());
}

#[test]
fn errors_show_in_the_status_line_until_the_next_key() {
    let mut host = FakeHost::with(sample());
    host.error = Some("server is gone".to_owned());
    let mut ui = open(&[], &mut host);
    ui.update(key(Key::Down), &mut host);
    ui.update(key(Key::Enter), &mut host);
    let lines = screen(&mut ui, 10, 200);
    assert_eq!(lines.len(), 10);
    assert_eq!(lines.last().unwrap(), "Cannot switch to alpha: server is gone");
    assert!(ui.render(10, 200).last().unwrap().contains("\x1b[31m"), "in red");
    assert_eq!(screen(&mut ui, 1, 200), ["Cannot switch to alpha: server is gone"]);

    ui.update(key(Key::Down), &mut host);
    assert!(screen(&mut ui, 10, 200).last().unwrap().starts_with("↑↓ select · ENTER"));

    ui.update(key(Key::Delete), &mut host);
    assert!(screen(&mut ui, 10, 200).last().unwrap().contains("Cannot kill beta: server is gone"));
}

#[test]
fn resurrect_errors_are_shown_too() {
    let mut host = FakeHost::with(sample());
    host.error = Some("no snapshot".to_owned());
    let mut ui = open(&[("show_exited", "true")], &mut host);
    ui.update(key(Key::End), &mut host);
    ui.update(key(Key::Enter), &mut host);
    assert_eq!(host.calls, ["resurrect delta"]);
    assert!(screen(&mut ui, 10, 200).last().unwrap().contains("Cannot resurrect delta: no snapshot"));
}

#[test]
fn session_list_events_replace_the_list() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    let update = vec![session("zeta", SessionState::Live, 1, false)];
    assert!(ui.update(Event::SessionList(update), &mut host));
    assert!(screen(&mut ui, 10, 200)[1].starts_with("> zeta"));
    assert!(host.calls.is_empty());
}

#[test]
fn unhandled_events_do_not_ask_for_a_render() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    assert!(!ui.update(key(Key::F(5)), &mut host));
    assert!(!ui.update(ctrl('z'), &mut host));
    assert!(!ui.update(Event::Timer(100), &mut host));
    assert!(ui.update(Event::Resize((10, 10)), &mut host));
}

#[test]
fn rows_show_details() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[("show_exited", "true")], &mut host);
    let lines = screen(&mut ui, 10, 200);
    assert_eq!(lines[1].trim_end(), "> current (current)  2 tabs · 3 panes · 1 client · 1m 40s");
    assert_eq!(str_width(&lines[1]), 200, "the selection bar spans the row");
    assert_eq!(lines[3], "  gamma  EXITED · 2 tabs · 3 panes · 20s");
    assert_eq!(lines[5], "  delta  EXITED · 2 tabs · 3 panes · 1h 23m");
}

#[test]
fn the_list_scrolls_to_keep_the_selection_visible() {
    let sessions = (0..30).map(|i| session(&format!("s{i:02}"), SessionState::Live, i, false));
    let mut host = FakeHost::with(sessions.collect());
    let mut ui = open(&[], &mut host);
    for _ in 0..20 {
        ui.update(key(Key::Down), &mut host);
    }
    let lines = screen(&mut ui, 7, 40);
    assert_eq!(lines.len(), 7);
    assert!(lines[5].starts_with("> s20"), "{lines:?}");
    assert!(lines[1].starts_with("  s16"), "{lines:?}");
    ui.update(key(Key::PageUp), &mut host);
    let lines = screen(&mut ui, 7, 40);
    assert!(lines[1].starts_with("> s15"), "{lines:?}");
    ui.update(key(Key::PageDown), &mut host);
    ui.update(key(Key::PageDown), &mut host);
    let lines = screen(&mut ui, 7, 40);
    assert!(lines.iter().any(|l| l.starts_with("> s25")), "{lines:?}");
}

#[test]
fn render_never_exceeds_the_pane() {
    let mut host = FakeHost::with(sample());
    host.sessions.push(session("日本語のとても長いセッション名", SessionState::Live, 3, false));
    host.error = Some("a long error message that will not fit".to_owned());
    for show in ["false", "true"] {
        let mut ui = open(&[("show_exited", show)], &mut host);
        for event in [None, Some(key(Key::Down)), Some(key(Key::Enter))] {
            if let Some(event) = event {
                ui.update(event, &mut host);
            }
            for rows in 0..12 {
                for cols in 0..40 {
                    let lines = screen(&mut ui, rows, cols);
                    assert!(lines.len() <= rows as usize, "{rows}x{cols}: {lines:?}");
                    for line in &lines {
                        assert!(str_width(line) <= cols as usize, "{rows}x{cols}: {line:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn tiny_panes_do_not_panic() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    assert!(ui.render(0, 0).is_empty());
    assert!(ui.render(0, 80).is_empty());
    assert_eq!(ui.render(3, 0), ["", "", ""]);
    let lines = screen(&mut ui, 3, 10);
    assert_eq!(lines, ["Sessions …", "> current…", "↑↓ select…"]);
    ui.update(key(Key::Down), &mut host);
    let lines = screen(&mut ui, 3, 10);
    assert_eq!(lines[1], "> alpha  …", "the one list row follows the selection");
}
