//! What a session-manager plugin may ask of the host, behind a trait so that
//! UI logic can be unit-tested natively with a fake host.

use crate::types::{Generation, HostInfo, LayoutInfo, SessionInfo};

/// The host's session controls (the `session-control` WIT interface).
pub trait SessionHost {
    /// The current list of sessions, live and exited.
    fn list_sessions(&mut self) -> Vec<SessionInfo>;
    /// Move this client to a live session.
    fn switch_session(&mut self, name: &str) -> Result<(), String>;
    /// Resurrect an exited session (from its latest snapshot, or from
    /// generation `generation`) and move this client to it.
    fn resurrect_session(&mut self, name: &str, generation: Option<&str>) -> Result<(), String>;
    /// Stop a live session (its snapshot is kept).
    fn kill_session(&mut self, name: &str) -> Result<(), String>;
    /// Remove an exited session's snapshot.
    fn delete_session(&mut self, name: &str) -> Result<(), String>;
    /// Create a session and move this client to it.
    fn create_session(&mut self, name: Option<&str>, layout: Option<&str>) -> Result<(), String>;
    // The controls below came with contract 0.2.0. Their defaults (a
    // refusal, an empty list) keep test fakes written for the first six
    // working; the component host implements all of them.

    /// Rename the session the plugin runs in.
    fn rename_session(&mut self, _name: &str) -> Result<(), String> {
        Err("renaming is not available here".into())
    }
    /// Save the session the plugin runs in now.
    fn save_session(&mut self) -> Result<(), String> {
        Err("saving is not available here".into())
    }
    /// Detach every other client of this session.
    fn disconnect_other_clients(&mut self) -> Result<(), String> {
        Err("disconnecting clients is not available here".into())
    }
    /// The layouts a new session can start from.
    fn list_layouts(&mut self) -> Vec<LayoutInfo> {
        Vec::new()
    }
    /// A session's saved generations, newest first.
    fn list_generations(&mut self, _name: &str) -> Result<Vec<Generation>, String> {
        Ok(Vec::new())
    }
    /// Ask for one timer event after `millis` milliseconds.
    fn set_timeout(&mut self, millis: u32);
    /// Close the plugin's pane.
    fn close(&mut self);
    // The controls below came with contract 0.5.0 (other hosts).

    /// The hosts of config.kdl's `hosts` block, and how asking them went.
    fn list_hosts(&mut self) -> Vec<HostInfo> {
        Vec::new()
    }
    /// Move this client to session `name` on host `host` (a label of
    /// `list_hosts`); an exited session is resurrected there first.
    fn open_remote_session(&mut self, _host: &str, _name: &str) -> Result<(), String> {
        Err("other hosts are not available here".into())
    }
}

/// The real host, reached through the component's imports.
#[cfg(target_arch = "wasm32")]
pub struct ComponentHost;

#[cfg(target_arch = "wasm32")]
impl SessionHost for ComponentHost {
    fn list_sessions(&mut self) -> Vec<SessionInfo> {
        control::list_sessions()
    }
    fn switch_session(&mut self, name: &str) -> Result<(), String> {
        control::switch_session(name)
    }
    fn resurrect_session(&mut self, name: &str, generation: Option<&str>) -> Result<(), String> {
        control::resurrect_session(name, generation)
    }
    fn kill_session(&mut self, name: &str) -> Result<(), String> {
        control::kill_session(name)
    }
    fn delete_session(&mut self, name: &str) -> Result<(), String> {
        control::delete_session(name)
    }
    fn create_session(&mut self, name: Option<&str>, layout: Option<&str>) -> Result<(), String> {
        control::create_session(name, layout)
    }
    fn rename_session(&mut self, name: &str) -> Result<(), String> {
        control::rename_session(name)
    }
    fn save_session(&mut self) -> Result<(), String> {
        control::save_session()
    }
    fn disconnect_other_clients(&mut self) -> Result<(), String> {
        control::disconnect_other_clients()
    }
    fn list_layouts(&mut self) -> Vec<LayoutInfo> {
        control::list_layouts()
    }
    fn list_generations(&mut self, name: &str) -> Result<Vec<Generation>, String> {
        control::list_generations(name)
    }
    fn set_timeout(&mut self, millis: u32) {
        control::set_timeout(millis)
    }
    fn close(&mut self) {
        control::close()
    }
    fn list_hosts(&mut self) -> Vec<HostInfo> {
        control::list_hosts()
    }
    fn open_remote_session(&mut self, host: &str, name: &str) -> Result<(), String> {
        control::open_remote_session(host, name)
    }
}

#[cfg(target_arch = "wasm32")]
use crate::bindings::session_manager::revenant::plugin::session_control as control;
