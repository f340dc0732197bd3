//! Other hosts' sessions: listed under their host, ENTER moves there, and
//! a host that cannot be reached says why in its heading.

use revenant_plugin_api::types::{HostInfo, Key, SessionState};

use super::*;

fn remote(name: &str, state: SessionState, age: u64, host: &str) -> revenant_plugin_api::types::SessionInfo {
    let mut s = session(name, state, age, false);
    s.host = Some(host.into());
    s.panes.clear();
    s
}

fn host_info(label: &str, error: Option<&str>) -> HostInfo {
    HostInfo {
        label: label.into(),
        address: format!("ssh://me@{label}"),
        fetching: false,
        error: error.map(Into::into),
    }
}

fn with_hosts() -> FakeHost {
    let mut sessions = sample();
    sessions.push(remote("build", SessionState::Live, 30, "devbox"));
    sessions.push(remote("old", SessionState::Exited, 60, "devbox"));
    // The same name as a local session: a different row.
    sessions.push(remote("alpha", SessionState::Live, 40, "devbox"));
    let mut host = FakeHost::with(sessions);
    host.hosts = vec![host_info("devbox", None), host_info("gone", Some("cannot reach gone over ssh"))];
    host
}

#[test]
fn other_hosts_sessions_are_listed_under_their_host() {
    let mut host = with_hosts();
    let mut ui = open(&[], &mut host);
    let all = rows(&mut ui);
    let heading = all.iter().position(|l| l.starts_with("── devbox ssh://me@devbox")).expect("a heading");
    assert!(all[..heading].iter().all(|l| !l.contains("build")), "{all:#?}");
    assert!(all[heading + 1..].iter().any(|l| l.contains("build  LIVE")), "{all:#?}");
    assert!(
        all.iter().any(|l| l.contains("── gone ssh://me@gone · unreachable: cannot reach gone over ssh")),
        "{all:#?}"
    );
    // TAB shows every host's exited sessions.
    assert!(!all.iter().any(|l| l.contains("old ")), "{all:#?}");
    press(&mut ui, &mut host, &[key(Key::Tab)]);
    assert!(rows(&mut ui).iter().any(|l| l.contains("old  EXITED")));
}

#[test]
fn enter_on_another_hosts_session_moves_there_and_kill_is_refused() {
    let mut host = with_hosts();
    let mut ui = open(&[("show_exited", "true")], &mut host);
    type_text(&mut ui, &mut host, "old");
    press(&mut ui, &mut host, &[key(Key::Enter)]);
    assert_eq!(host.calls.last().map(String::as_str), Some("open devbox old"));
    // The remote alpha, not the local one, though they share a name.
    press(&mut ui, &mut host, &[key(Key::Esc)]);
    type_text(&mut ui, &mut host, "alpha");
    press(&mut ui, &mut host, &[key(Key::Down), key(Key::Enter)]);
    assert_eq!(host.calls.last().map(String::as_str), Some("open devbox alpha"), "{:?}", host.calls);
    press(&mut ui, &mut host, &[key(Key::Delete)]);
    let footer = screen(&mut ui, 30, 99).last().cloned().unwrap_or_default();
    assert!(footer.contains("alpha is on devbox"), "{footer}");
    assert!(!host.calls.iter().any(|c| c.starts_with("kill")), "{:?}", host.calls);
}
