//! Revenant's default session manager: the in-session UI that lists live
//! and exited sessions, filters them fuzzily, switches to, resurrects (from
//! the latest snapshot or an older generation), creates (after a layout
//! picker), renames, saves, kills and deletes them; the sessions of the
//! hosts of config.kdl's `hosts` block are listed under each host, and
//! ENTER moves there (resurrecting an exited one on its host).
//!
//! The logic talks to the host only through [`SessionHost`], so all of it is
//! unit-tested natively with a fake host; the component build plugs in the
//! real one through `export_session_manager!`.
//!
//! Configuration (from the layout's plugin block):
//! - `show_exited`: `"true"` or `"false"` (default): whether EXITED sessions
//!   are listed when the manager opens. TAB toggles it.
//! - `welcome`: `"true"` on the welcome screen (`--layout welcome`): the
//!   session the manager runs in is not listed.

mod actions;
mod age;
mod config;
mod fuzzy;
mod keys;
mod render;
mod state;
mod text;

#[cfg(test)]
mod tests;

use revenant_plugin_api::types::Event;
use revenant_plugin_api::{SessionHost, SessionManager, log};

use state::State;

/// Ages are redrawn this often.
const TICK_MS: u32 = 1000;

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
        self.state.now = now_unix();
        self.state.set_sessions(host.list_sessions());
        self.state.set_hosts(host.list_hosts());
        host.set_timeout(TICK_MS);
    }

    fn update(&mut self, event: Event, host: &mut dyn SessionHost) -> bool {
        self.state.now = now_unix();
        match event {
            Event::Key(key) => actions::key(&mut self.state, &key, host),
            Event::SessionList(sessions) => {
                self.state.set_sessions(sessions);
                // Sent as well when only a host's state changed.
                self.state.set_hosts(host.list_hosts());
                true
            }
            // The size arrives again with the next render; redrawing is all
            // a resize needs.
            Event::Resize(_) => true,
            // The once-a-second tick: ages move on.
            Event::Timer(_) => {
                host.set_timeout(TICK_MS);
                true
            }
        }
    }

    fn render(&mut self, rows: u32, cols: u32) -> Vec<String> {
        render::render(&mut self.state, rows, cols)
    }
}

/// Seconds since the Unix epoch (the component's WASI wall clock); fixed in
/// unit tests so rendered ages are exact.
fn now_unix() -> u64 {
    #[cfg(test)]
    {
        tests::NOW
    }
    #[cfg(not(test))]
    {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
    }
}

revenant_plugin_api::export_session_manager!(SessionManagerUi);
