//! Every key of the list: moving, switching, resurrecting, confirming
//! deletes, renaming, saving, disconnecting, Esc.

use revenant_plugin_api::types::Key;

use super::*;

#[test]
fn enter_switches_resurrects_or_closes() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[("show_exited", "true")], &mut host);
    press(&mut ui, &mut host, &[key(Key::Down), key(Key::Enter)]);
    assert_eq!(host.calls.last().unwrap(), "switch beta");
    press(&mut ui, &mut host, &[key(Key::Down), key(Key::Enter)]);
    assert_eq!(host.calls.last().unwrap(), "close", "ENTER on the current session just closes");
    press(&mut ui, &mut host, &[key(Key::Down), key(Key::Enter)]);
    assert_eq!(host.calls.last().unwrap(), "resurrect gamma None");
    host.error = Some("no snapshot".into());
    press(&mut ui, &mut host, &[key(Key::Enter)]);
    assert!(screen(&mut ui, 10, 80).last().unwrap().contains("Cannot resurrect gamma: no snapshot"));
}

#[test]
fn moving_stops_at_either_end_and_pages() {
    let sessions = (0..30).map(|i| session(&format!("s{i:02}"), SessionState::Live, i, false)).collect();
    let mut host = FakeHost::with(sessions);
    let mut ui = open(&[], &mut host);
    press(&mut ui, &mut host, &[key(Key::Up)]);
    assert!(selected(&mut ui).contains("s00"));
    screen(&mut ui, 10, 80);
    press(&mut ui, &mut host, &[key(Key::PageDown)]);
    assert!(!selected(&mut ui).contains("s00"));
    press(&mut ui, &mut host, &[key(Key::End)]);
    assert!(selected(&mut ui).contains("s29"));
    press(&mut ui, &mut host, &[key(Key::Down), ctrl('p'), key(Key::Home)]);
    assert!(selected(&mut ui).contains("s00"));
}

#[test]
fn delete_asks_first_and_y_does_it() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[("show_exited", "true")], &mut host);
    press(&mut ui, &mut host, &[key(Key::Delete)]);
    assert!(screen(&mut ui, 10, 80).last().unwrap().contains("Kill alpha? Its snapshot is kept. (y/n)"));
    press(&mut ui, &mut host, &[key(Key::Char('n'))]);
    assert!(host.calls.is_empty(), "{:?}", host.calls);
    // Letters answer the question rather than filter.
    press(&mut ui, &mut host, &[key(Key::Delete), key(Key::Char('x')), key(Key::Char('y'))]);
    assert_eq!(host.calls, ["kill alpha"]);
    type_text(&mut ui, &mut host, "delta");
    press(&mut ui, &mut host, &[key(Key::Delete)]);
    assert!(screen(&mut ui, 10, 80).last().unwrap().contains("Delete delta and its snapshots?"));
    press(&mut ui, &mut host, &[key(Key::Char('Y'))]);
    assert_eq!(host.calls.last().unwrap(), "delete delta");
    assert!(!listed(&mut ui).contains(&"delta".to_string()));
}

#[test]
fn the_current_session_is_not_killed_from_its_own_manager() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    type_text(&mut ui, &mut host, "current");
    press(&mut ui, &mut host, &[key(Key::Delete)]);
    assert!(screen(&mut ui, 10, 80).last().unwrap().contains("current is the current session"));
    assert!(host.calls.is_empty());
}

#[test]
fn ctrl_d_kills_every_other_live_session_or_deletes_every_exited_one() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[("show_exited", "true")], &mut host);
    press(&mut ui, &mut host, &[ctrl('d')]);
    assert!(screen(&mut ui, 10, 80).last().unwrap().contains("Kill the 2 other live sessions?"));
    press(&mut ui, &mut host, &[key(Key::Char('y'))]);
    let mut calls = host.calls.clone();
    calls.sort();
    assert_eq!(calls, ["kill alpha", "kill beta"]);
    host.calls.clear();
    type_text(&mut ui, &mut host, "gamma");
    press(&mut ui, &mut host, &[ctrl('d')]);
    assert!(screen(&mut ui, 10, 80).last().unwrap().contains("Delete all"), "{:?}", screen(&mut ui, 10, 80));
    press(&mut ui, &mut host, &[key(Key::Esc)]);
    assert!(host.calls.is_empty());
}

#[test]
fn ctrl_r_renames_with_a_prompt_and_shows_a_refusal() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    press(&mut ui, &mut host, &[ctrl('r')]);
    assert!(screen(&mut ui, 10, 80)[1].starts_with("Rename this session to: current"));
    for _ in 0.."current".len() {
        press(&mut ui, &mut host, &[key(Key::Backspace)]);
    }
    type_text(&mut ui, &mut host, "work");
    press(&mut ui, &mut host, &[key(Key::Enter)]);
    assert_eq!(host.calls.last().unwrap(), "rename work");
    assert!(screen(&mut ui, 10, 80).last().unwrap().contains("Renamed to work"));
    host.error = Some("`alpha` is taken by another session".into());
    press(&mut ui, &mut host, &[ctrl('r')]);
    for _ in 0.."current".len() {
        press(&mut ui, &mut host, &[key(Key::Backspace)]);
    }
    type_text(&mut ui, &mut host, "alpha");
    press(&mut ui, &mut host, &[key(Key::Enter)]);
    let lines = screen(&mut ui, 10, 80);
    assert!(lines.last().unwrap().contains("Cannot rename to alpha: `alpha` is taken"), "{lines:?}");
    assert!(lines[1].starts_with("Rename this session to: alpha"), "the prompt stays to fix it: {lines:?}");
    press(&mut ui, &mut host, &[key(Key::Esc)]);
    assert!(screen(&mut ui, 10, 80)[1].starts_with("> "));
}

#[test]
fn ctrl_a_saves_ctrl_x_disconnects_and_esc_clears_then_closes() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    press(&mut ui, &mut host, &[ctrl('a')]);
    assert_eq!(host.calls.last().unwrap(), "save");
    press(&mut ui, &mut host, &[ctrl('x')]);
    assert_eq!(host.calls.last().unwrap(), "disconnect");
    type_text(&mut ui, &mut host, "al");
    press(&mut ui, &mut host, &[key(Key::Esc)]);
    assert_eq!(listed(&mut ui).len(), 3, "Esc cleared the filter");
    assert_ne!(host.calls.last().unwrap(), "close");
    press(&mut ui, &mut host, &[key(Key::Esc)]);
    assert_eq!(host.calls.last().unwrap(), "close");
}
