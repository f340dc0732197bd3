//! Names that are long, wide or strange, a damaged snapshot, 500 sessions,
//! and panes of every size: nothing overflows, nothing panics.

use revenant_plugin_api::SessionManager;
use revenant_plugin_api::types::{Event, Key, SessionState};

use super::*;

#[test]
fn strange_names_are_clipped_never_overflowing() {
    let mut sessions = sample();
    sessions.push(session(
        "日本語のとても長いセッション名前がここにありますよ本当に長い",
        SessionState::Live,
        3,
        false,
    ));
    sessions.push(session(&"x".repeat(80), SessionState::Exited, 3, false));
    sessions.push(session("with space\tand\x1b[31mescape", SessionState::Live, 4, false));
    let mut host = FakeHost::with(sessions);
    let mut ui = open(&[("show_exited", "true")], &mut host);
    for (rows, cols) in [(30, 80), (10, 20), (5, 12), (3, 200), (40, 140), (1, 30), (2, 5)] {
        // `screen` checks every line fits.
        let lines = screen(&mut ui, rows, cols);
        assert!(!lines.join("").contains('\x1b'), "no escape sequence of a name reaches the terminal");
    }
}

#[test]
fn a_damaged_snapshot_is_listed_with_its_older_generations_offered() {
    let mut sessions = sample();
    sessions[1].damaged = Some("line 3: unexpected `}`".into());
    let mut host = FakeHost::with(sessions);
    host.generations = vec![generation("4", 100)];
    let mut ui = open(&[("show_exited", "true")], &mut host);
    type_text(&mut ui, &mut host, "gamma");
    let row = rows(&mut ui).join("\n");
    assert!(row.contains("last save damaged (line 3: unexpected `}`) · → older snapshots"), "{row}");
    press(&mut ui, &mut host, &[key(Key::Right), key(Key::Down), key(Key::Enter)]);
    assert_eq!(host.calls.last().unwrap(), "resurrect gamma Some(\"4\")");
    host.error = Some("permission denied".into());
    press(&mut ui, &mut host, &[key(Key::Left), key(Key::Right)]);
    assert!(rows(&mut ui).join("\n").contains("cannot list its snapshots: permission denied"));
}

#[test]
fn five_hundred_sessions_filter_and_scroll() {
    let sessions = (0..500).map(|i| session(&format!("project-{i:03}"), SessionState::Live, i, i == 250)).collect();
    let mut host = FakeHost::with(sessions);
    let mut ui = open(&[], &mut host);
    let started = std::time::Instant::now();
    for c in "prj-42".chars() {
        ui.update(key(Key::Char(c)), &mut host);
        ui.render(40, 120);
    }
    assert!(started.elapsed() < std::time::Duration::from_millis(500), "{:?}", started.elapsed());
    assert_eq!(listed(&mut ui)[0], "project-042");
    press(&mut ui, &mut host, &[key(Key::Esc), key(Key::End)]);
    assert!(selected(&mut ui).contains("project-499"));
}

#[test]
fn a_narrow_pane_still_works() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    let lines = screen(&mut ui, 12, 20);
    assert!(lines.iter().any(|l| l.contains("alpha")), "{lines:?}");
    press(&mut ui, &mut host, &[key(Key::Down), key(Key::Enter)]);
    assert_eq!(host.calls.last().unwrap(), "switch beta");
    assert!(ui.update(Event::Resize((12, 20)), &mut host));
    // A question is cut before its answer keys, never after.
    press(&mut ui, &mut host, &[key(Key::Up), key(Key::Delete)]);
    let footer = screen(&mut ui, 12, 20).last().unwrap().clone();
    assert!(footer.ends_with("… (y/n)"), "{footer:?}");
}
