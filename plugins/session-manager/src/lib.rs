//! Revenant's default session manager: the in-session UI that lists live
//! and exited sessions and switches to, resurrects, kills or deletes them.
//!
//! The logic talks to the host only through [`SessionHost`], so all of it is
//! unit-tested natively with a fake host; the component build plugs in the
//! real one through `export_session_manager!`.
//!
//! Configuration (from the layout's plugin block):
//! - `show_exited`: `"true"` or `"false"` (default): whether EXITED sessions
//!   are listed when the manager opens. TAB toggles it.

mod actions;
mod age;
mod config;
mod keys;
mod render;
mod state;
mod text;

#[cfg(test)]
mod tests;

use revenant_plugin_api::types::Event;
use revenant_plugin_api::{SessionHost, SessionManager, log};

use state::State;

/// The session manager's state between host calls.
#[derive(Debug, Default)]
pub struct SessionManagerUi {
    state: State,
}

impl SessionManager for SessionManagerUi {
    fn init(&mut self, configuration: Vec<(String, String)>, host: &mut dyn SessionHost) {
        for warning in config::apply(&mut self.state, configuration) {
            log!(warn, "{warning}");
        }
        self.state.set_sessions(host.list_sessions());
    }

    fn update(&mut self, event: Event, host: &mut dyn SessionHost) -> bool {
        match event {
            Event::Key(key) => match keys::action_for(&key) {
                Some(action) => {
                    actions::apply(&mut self.state, action, host);
                    true
                }
                None => false,
            },
            Event::SessionList(sessions) => {
                self.state.set_sessions(sessions);
                true
            }
            // The size arrives again with the next render; redrawing is all
            // a resize needs.
            Event::Resize(_) => true,
            // No timers are requested, so one is not ours to act on.
            Event::Timer(_) => false,
        }
    }

    fn render(&mut self, rows: u32, cols: u32) -> Vec<String> {
        render::render(&mut self.state, rows, cols)
    }
}

revenant_plugin_api::export_session_manager!(SessionManagerUi);
