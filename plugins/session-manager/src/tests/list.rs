//! The one screen: order, rows, ages, filtering, expansion, preview.

use revenant_plugin_api::SessionManager;
use revenant_plugin_api::types::{Event, Key, SessionState};

use super::*;

#[test]
fn live_sessions_newest_first_then_exited_with_tab() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    assert_eq!(listed(&mut ui), ["alpha", "beta", "current"]);
    press(&mut ui, &mut host, &[key(Key::Tab)]);
    assert_eq!(listed(&mut ui), ["alpha", "beta", "current", "gamma", "delta"]);
    let lines = screen(&mut ui, 30, 80);
    assert!(lines[0].starts_with("Sessions  3 live · 2 exited"), "{lines:?}");
}

#[test]
fn rows_say_what_each_session_holds_and_ages_stay_true() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[("show_exited", "true")], &mut host);
    let all = rows(&mut ui).join("\n");
    assert!(all.contains("current (current)"), "{all}");
    assert!(all.contains("beta  LIVE · 2 tabs · 3 panes · 1 client · created 50s ago"), "{all}");
    assert!(
        all.contains("delta  EXITED · main, logs · 3 panes · waiting: vim notes.md, tail -f log · saved 1h 23m ago"),
        "{all}"
    );
    // The tick redraws with the same clock in tests; a newer list moves ages.
    assert!(ui.update(Event::Timer(1000), &mut host));
    assert!(host.calls.contains(&"timeout 1000".to_string()), "the next tick is asked for");
}

#[test]
fn fuzzy_filtering_marks_the_matched_letters() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[("show_exited", "true")], &mut host);
    type_text(&mut ui, &mut host, "dla");
    assert_eq!(listed(&mut ui), ["delta"]);
    let raw = ui.render(30, 80).join("\n");
    assert!(raw.contains("33md") && raw.contains("33ml") && raw.contains("33ma"), "{raw:?}");
    press(&mut ui, &mut host, &[key(Key::Backspace), key(Key::Backspace), key(Key::Backspace)]);
    assert_eq!(listed(&mut ui).len(), 5);
    type_text(&mut ui, &mut host, "zz");
    assert!(screen(&mut ui, 30, 80).join("\n").contains("No session matches \"zz\" · ENTER creates it"));
}

#[test]
fn right_opens_an_exited_session_s_generations_and_left_closes_them() {
    let mut host = FakeHost::with(sample());
    let mut pinned = generation("5", 90_000);
    pinned.kept_by = Some("pinned".into());
    let mut going = generation("4", 95_000);
    going.kept_by = None;
    host.generations = vec![generation("7", 30), generation("6", 4000), pinned, going];
    let mut ui = open(&[("show_exited", "true")], &mut host);
    type_text(&mut ui, &mut host, "gamma");
    press(&mut ui, &mut host, &[key(Key::Right)]);
    assert!(host.calls.contains(&"generations gamma".to_string()));
    let all = rows(&mut ui).join("\n");
    assert!(all.contains("#7 (last)  saved 30s ago · 1 tab (tab-of-7) · 1 pane · 2.0 KiB"), "{all}");
    assert!(all.contains("#5 (pinned)  saved 1d"), "{all}");
    assert!(all.contains("#4 (goes next save)  saved 1d"), "{all}");
    assert!(all.contains("#6 (last)  saved 1h 6m ago"), "{all}");
    press(&mut ui, &mut host, &[key(Key::Down), key(Key::Down)]);
    assert!(selected(&mut ui).contains("#6"), "{:?}", rows(&mut ui));
    press(&mut ui, &mut host, &[key(Key::Enter)]);
    assert_eq!(host.calls.last().unwrap(), "resurrect gamma Some(\"6\")");
    press(&mut ui, &mut host, &[key(Key::Left)]);
    assert!(!rows(&mut ui).join("\n").contains("#6"));
    assert!(selected(&mut ui).contains("gamma"));
}

#[test]
fn right_on_a_live_session_shows_its_tabs_and_panes() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    press(&mut ui, &mut host, &[key(Key::Down), key(Key::Right)]);
    let all = rows(&mut ui).join("\n");
    assert!(all.contains("tab main: vim notes.md, shell"), "{all}");
    assert!(all.contains("tab logs: tail -f log"), "{all}");
    // Notes are not selectable: down goes to the next session.
    press(&mut ui, &mut host, &[key(Key::Down)]);
    assert!(selected(&mut ui).contains("current"), "{}", selected(&mut ui));
}

#[test]
fn a_wide_pane_previews_the_selected_session() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    let lines = screen(&mut ui, 20, 120);
    let preview: Vec<&str> = lines.iter().map(|l| l.split_once('│').map_or("", |(_, r)| r)).collect();
    assert!(preview[0].contains("alpha · tab main"), "{preview:?}");
    let boxes = preview.join("\n");
    assert!(boxes.contains("┌") && boxes.contains("vim notes.md"), "{boxes}");
    assert!(!screen(&mut ui, 20, 99).iter().any(|l| l.contains('│') && l.contains("tab main")), "narrower: no preview");
}

#[test]
fn the_footer_shows_keys_that_fit_and_the_last_save() {
    let mut sessions = sample();
    sessions[2].saved_unix = Some(NOW - 12);
    let mut host = FakeHost::with(sessions);
    let mut ui = open(&[], &mut host);
    let wide = screen(&mut ui, 10, 200);
    assert!(wide.last().unwrap().contains("^D kill/delete all") && wide.last().unwrap().ends_with("saved 12s ago"));
    let narrow = screen(&mut ui, 10, 40);
    assert!(narrow.last().unwrap().starts_with("↑↓ select"), "{narrow:?}");
    assert!(!narrow.last().unwrap().contains("^D"));
}

#[test]
fn the_welcome_screen_leaves_out_the_session_it_runs_in() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[("welcome", "true")], &mut host);
    let lines = screen(&mut ui, 30, 80);
    assert!(lines[0].starts_with("Welcome to Revenant"), "{lines:?}");
    assert_eq!(listed(&mut ui), ["alpha", "beta", "gamma", "delta"]);
    let mut host = FakeHost::with(vec![session("me", SessionState::Live, 1, true)]);
    let mut ui = open(&[("welcome", "true")], &mut host);
    assert!(screen(&mut ui, 30, 80).join("\n").contains("No sessions yet"));
}

#[test]
fn a_new_list_keeps_the_selection_on_its_session() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    press(&mut ui, &mut host, &[key(Key::Down)]);
    assert!(selected(&mut ui).contains("beta"));
    let mut list = sample();
    list.push(session("newest", SessionState::Live, 1, false));
    ui.update(Event::SessionList(list), &mut host);
    assert!(selected(&mut ui).contains("beta"));
}
