//! What a key does on each screen: state changes, questions, calls to the
//! host. A host call that fails leaves its message in the footer rather
//! than in the log, because the user just pressed a key and is looking at
//! the pane.

use revenant_plugin_api::SessionHost;
use revenant_plugin_api::types::KeyEvent;

use crate::fuzzy;
use crate::keys::{self, Action};
use crate::state::{Mode, Pending, RowKey, State, Status, is_live};

/// Handles a key; false when it meant nothing here.
pub fn key(state: &mut State, event: &KeyEvent, host: &mut dyn SessionHost) -> bool {
    let action = match state.mode {
        Mode::List => keys::on_list(event),
        Mode::Picker { .. } | Mode::Rename { .. } => keys::on_prompt(event),
        Mode::Confirm { .. } => keys::on_confirm(event),
    };
    let Some(action) = action else { return false };
    // A message is about the last key; a new key replaces it.
    state.status = None;
    match state.mode.clone() {
        Mode::List => list(state, action, host),
        Mode::Picker { .. } => picker(state, action, host),
        Mode::Confirm { action: pending, .. } => confirm(state, action, pending, host),
        Mode::Rename { text } => rename(state, action, text, host),
    }
    true
}

fn error(state: &mut State, text: String) {
    state.status = Some(Status { text, error: true });
}

fn news(state: &mut State, text: String) {
    state.status = Some(Status { text, error: false });
}

fn list(state: &mut State, action: Action, host: &mut dyn SessionHost) {
    let page = isize::try_from(state.page()).unwrap_or(isize::MAX);
    match action {
        Action::Up => state.move_by(-1),
        Action::Down => state.move_by(1),
        Action::PageUp => state.move_by(-page),
        Action::PageDown => state.move_by(page),
        Action::First => state.move_to_first(),
        Action::Last => state.move_to_last(),
        Action::ToggleExited => state.toggle_exited(),
        Action::Type(c) => state.push_filter(c),
        Action::Erase => state.pop_filter(),
        Action::Expand => state.expand(|name| host.list_generations(name)),
        Action::Collapse => state.collapse(),
        Action::Back if !state.filter.is_empty() => state.clear_filter(),
        Action::Back => host.close(),
        Action::Activate => activate(state, host),
        Action::Delete => ask_delete(state),
        Action::DeleteAll => ask_delete_all(state),
        Action::Rename => {
            let text = state.current().map(|s| s.name.clone()).unwrap_or_default();
            state.mode = Mode::Rename { text };
        }
        Action::Save => match host.save_session() {
            Ok(()) => news(state, "Saving…".into()),
            Err(e) => error(state, format!("Cannot save: {e}")),
        },
        Action::DisconnectOthers => match host.disconnect_other_clients() {
            Ok(()) => news(state, "Other clients disconnected".into()),
            Err(e) => error(state, format!("Cannot disconnect the other clients: {e}")),
        },
        Action::Yes | Action::No => {}
    }
}

fn activate(state: &mut State, host: &mut dyn SessionHost) {
    let has_rows = state.selected_key().is_some();
    if !has_rows {
        if !state.filter.is_empty() {
            // A name nothing matches: a new session by that name.
            let name = state.filter.clone();
            state.mode = Mode::Picker { name, layouts: host.list_layouts(), filter: String::new(), selected: 0 };
        }
        return;
    }
    let result = match state.selected_key().cloned() {
        Some(RowKey::Generation(name, id)) => host
            .resurrect_session(&name, Some(&id))
            .map_err(|e| format!("Cannot resurrect {name} from snapshot {id}: {e}")),
        Some(RowKey::Session(_)) => {
            let Some(session) = state.selected_session() else { return };
            let name = session.name.clone();
            if let Some(label) = session.host.clone() {
                // Over there: attached if live, resurrected there if not.
                host.open_remote_session(&label, &name).map_err(|e| format!("Cannot open {name} on {label}: {e}"))
            } else if !is_live(session) {
                host.resurrect_session(&name, None).map_err(|e| format!("Cannot resurrect {name}: {e}"))
            } else if session.is_current {
                // Already here: "switching" to it means getting the manager
                // out of the way.
                host.close();
                Ok(())
            } else {
                host.switch_session(&name).map_err(|e| format!("Cannot switch to {name}: {e}"))
            }
        }
        None => Ok(()),
    };
    if let Err(e) = result {
        error(state, e);
    }
}

fn ask_delete(state: &mut State) {
    let Some(session) = state.selected_session() else { return };
    let name = session.name.clone();
    if let Some(label) = &session.host {
        let verb = if is_live(session) { "kill-session" } else { "delete-session" };
        return error(state, format!("{name} is on {label}: `revenant {verb}` with its ssh:// address acts on it"));
    }
    if is_live(session) && session.is_current {
        // The server this plugin runs in: too easy to do by accident.
        return error(state, format!("{name} is the current session; quit it instead of killing it from here"));
    }
    let (question, action) = if is_live(session) {
        (format!("Kill {name}? Its snapshot is kept. (y/n)"), Pending::Kill(name))
    } else {
        (format!("Delete {name} and its snapshots? (y/n)"), Pending::Delete(name))
    };
    state.mode = Mode::Confirm { question, action };
}

fn ask_delete_all(state: &mut State) {
    let exited_view = state.selected_session().is_some_and(|s| !is_live(s));
    let (question, action) = if exited_view {
        let names: Vec<String> =
            state.sessions().iter().filter(|s| !is_live(s) && s.host.is_none()).map(|s| s.name.clone()).collect();
        (format!("Delete all {} exited sessions and their snapshots? (y/n)", names.len()), Pending::DeleteAll(names))
    } else {
        let names: Vec<String> = state
            .sessions()
            .iter()
            .filter(|s| is_live(s) && !s.is_current && s.host.is_none())
            .map(|s| s.name.clone())
            .collect();
        (
            format!("Kill the {} other live sessions? Their snapshots are kept. (y/n)", names.len()),
            Pending::KillAll(names),
        )
    };
    let empty = matches!(&action, Pending::DeleteAll(n) | Pending::KillAll(n) if n.is_empty());
    if empty {
        return news(state, "Nothing to do".into());
    }
    state.mode = Mode::Confirm { question, action };
}

fn confirm(state: &mut State, action: Action, pending: Pending, host: &mut dyn SessionHost) {
    state.mode = Mode::List;
    if action != Action::Yes {
        return;
    }
    let mut failed = Vec::new();
    let mut run = |name: &str, kill: bool| {
        let result = if kill { host.kill_session(name) } else { host.delete_session(name) };
        if let Err(e) = result {
            failed.push(format!("{name}: {e}"));
        }
    };
    match &pending {
        Pending::Kill(name) => run(name, true),
        Pending::Delete(name) => run(name, false),
        Pending::KillAll(names) => names.iter().for_each(|n| run(n, true)),
        Pending::DeleteAll(names) => names.iter().for_each(|n| run(n, false)),
    }
    if !failed.is_empty() {
        error(state, failed.join("; "));
    }
    // The user should see the result of their key right away.
    state.set_sessions(host.list_sessions());
    state.set_hosts(host.list_hosts());
}

fn rename(state: &mut State, action: Action, mut text: String, host: &mut dyn SessionHost) {
    match action {
        Action::Type(c) => text.push(c),
        Action::Erase => {
            text.pop();
        }
        Action::Back => {
            state.mode = Mode::List;
            return;
        }
        Action::Activate => {
            let name = text.trim().to_string();
            state.mode = Mode::List;
            match host.rename_session(&name) {
                Ok(()) => news(state, format!("Renamed to {name}")),
                Err(e) => {
                    error(state, format!("Cannot rename to {name}: {e}"));
                    state.mode = Mode::Rename { text };
                }
            }
            return;
        }
        _ => {}
    }
    state.mode = Mode::Rename { text };
}

/// The layouts the picker shows for `filter`, in order.
pub fn picked(layouts: &[revenant_plugin_api::types::LayoutInfo], filter: &str) -> Vec<(usize, Vec<usize>)> {
    layouts.iter().enumerate().filter_map(|(i, l)| fuzzy::matches(filter, &l.name).map(|m| (i, m))).collect()
}

fn picker(state: &mut State, action: Action, host: &mut dyn SessionHost) {
    let Mode::Picker { name, layouts, mut filter, mut selected } = state.mode.clone() else { return };
    let shown = picked(&layouts, &filter).len();
    match action {
        Action::Up => selected = selected.saturating_sub(1),
        Action::Down => selected = (selected + 1).min(shown.saturating_sub(1)),
        Action::Type(c) => {
            filter.push(c);
            selected = 0;
        }
        Action::Erase => {
            filter.pop();
            selected = 0;
        }
        Action::Back => {
            state.mode = Mode::List;
            return;
        }
        Action::Activate => {
            let layout = picked(&layouts, &filter).get(selected).map(|(i, _)| layouts[*i].name.clone());
            let Some(layout) = layout else {
                return error(state, "No layout matches; Esc goes back".into());
            };
            match host.create_session(Some(&name), Some(&layout)) {
                Ok(()) => {
                    state.mode = Mode::List;
                    state.clear_filter();
                }
                Err(e) => error(state, format!("Cannot create {name}: {e}")),
            }
            return;
        }
        _ => {}
    }
    state.mode = Mode::Picker { name, layouts, filter, selected };
}
