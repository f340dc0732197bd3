//! What a session-manager plugin may ask of the host, behind a trait so that
//! UI logic can be unit-tested natively with a fake host.

use crate::types::SessionInfo;

/// The host's session controls (the `session-control` WIT interface).
pub trait SessionHost {
    /// The current list of sessions, live and exited.
    fn list_sessions(&mut self) -> Vec<SessionInfo>;
    /// Move this client to a live session.
    fn switch_session(&mut self, name: &str) -> Result<(), String>;
    /// Resurrect an exited session and move this client to it.
    fn resurrect_session(&mut self, name: &str) -> Result<(), String>;
    /// Stop a live session (its snapshot is kept).
    fn kill_session(&mut self, name: &str) -> Result<(), String>;
    /// Remove an exited session's snapshot.
    fn delete_session(&mut self, name: &str) -> Result<(), String>;
    /// Create a session and move this client to it.
    fn create_session(&mut self, name: Option<&str>, layout: Option<&str>) -> Result<(), String>;
    /// Ask for one timer event after `millis` milliseconds.
    fn set_timeout(&mut self, millis: u32);
    /// Close the plugin's pane.
    fn close(&mut self);
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
    fn resurrect_session(&mut self, name: &str) -> Result<(), String> {
        control::resurrect_session(name)
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
    fn set_timeout(&mut self, millis: u32) {
        control::set_timeout(millis)
    }
    fn close(&mut self) {
        control::close()
    }
}

#[cfg(target_arch = "wasm32")]
use crate::bindings::session_manager::revenant::plugin::session_control as control;
