//! What a bound key does: local state changes, or calls to the host.
//!
//! A host call that fails leaves its message in the status line rather than
//! in the log, because the user just pressed a key and is looking at the pane.

use revenant_plugin_api::SessionHost;

use crate::keys::Action;
use crate::state::{State, is_live};

pub fn apply(state: &mut State, action: Action, host: &mut dyn SessionHost) {
    // An error is about the last action; a new one replaces it.
    state.status = None;
    match action {
        Action::Up => state.move_by(-1),
        Action::Down => state.move_by(1),
        Action::PageUp => state.move_by(-page(state)),
        Action::PageDown => state.move_by(page(state)),
        Action::First => state.move_to_first(),
        Action::Last => state.move_to_last(),
        Action::ToggleExited => state.toggle_exited(),
        Action::Type(c) => state.push_filter(c),
        Action::Erase => state.pop_filter(),
        Action::Close => host.close(),
        Action::Activate => activate(state, host),
        Action::Delete => delete(state, host),
    }
}

fn page(state: &State) -> isize {
    isize::try_from(state.page()).unwrap_or(isize::MAX)
}

fn activate(state: &mut State, host: &mut dyn SessionHost) {
    let Some(session) = state.selected_session() else {
        return;
    };
    let name = session.name.clone();
    let result = if !is_live(session) {
        host.resurrect_session(&name).map_err(|e| format!("Cannot resurrect {name}: {e}"))
    } else if session.is_current {
        // Already here: "switching" to it just means getting the manager out
        // of the way.
        host.close();
        Ok(())
    } else {
        host.switch_session(&name).map_err(|e| format!("Cannot switch to {name}: {e}"))
    };
    state.status = result.err();
}

fn delete(state: &mut State, host: &mut dyn SessionHost) {
    let Some(session) = state.selected_session() else {
        return;
    };
    let name = session.name.clone();
    let result = if !is_live(session) {
        host.delete_session(&name).map_err(|e| format!("Cannot delete {name}: {e}"))
    } else if session.is_current {
        // Killing the server this plugin runs in, on a single key press and
        // without confirmation, is too easy to do by accident.
        Err(format!("{name} is the current session; quit it instead of killing it from here"))
    } else {
        host.kill_session(&name).map_err(|e| format!("Cannot kill {name}: {e}"))
    };
    state.status = result.err();
    // The host may or may not send a new list; the user should see the
    // result of their key press right away either way.
    state.set_sessions(host.list_sessions());
}
