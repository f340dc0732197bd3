//! What a session-manager plugin may ask of the host, as its pane's thread
//! answers it during a call: requests are queued and carried out after the
//! call (never from inside the sandbox), lists are served from what the
//! thread last read, and names are checked at once so a refusal reaches the
//! plugin as the call's error.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use super::session_list::OwnSession;
use crate::plugin::SessionControl;
use crate::plugin::types::{Generation, HostInfo, LayoutInfo, SessionInfo};

/// What the plugin asked the host to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Switch(String),
    /// Move to a session on another host: its `ssh://…/NAME` address.
    OpenRemote(String),
    /// A session and, optionally, the generation to resurrect from.
    Resurrect(String, Option<String>),
    Kill(String),
    Delete(String),
    Create(Option<String>, Option<String>),
    Rename(String),
    Save,
    DisconnectOthers,
    Close,
}

#[derive(Default)]
struct Inner {
    requests: Vec<Request>,
    sessions: Vec<SessionInfo>,
    hosts: Vec<HostInfo>,
    timer: Option<u32>,
    socket_dir: PathBuf,
    layout_dir: PathBuf,
    retention: revenant_config::Retention,
}

#[derive(Clone, Default)]
pub struct Shared(Arc<Mutex<Inner>>);

impl Shared {
    pub fn new(socket_dir: PathBuf, own: &OwnSession) -> Shared {
        let shared = Shared(Arc::new(Mutex::new(Inner { socket_dir, ..Default::default() })));
        shared.set_own(own);
        shared
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, r: Request) {
        self.lock().requests.push(r);
    }

    pub fn take_requests(&self) -> Vec<Request> {
        std::mem::take(&mut self.lock().requests)
    }

    pub fn set_sessions(&self, list: Vec<SessionInfo>) {
        self.lock().sessions = list;
    }

    pub fn set_hosts(&self, hosts: Vec<HostInfo>) {
        self.lock().hosts = hosts;
    }

    /// What the session's config says of layouts and snapshots.
    pub fn set_own(&self, own: &OwnSession) {
        let mut inner = self.lock();
        inner.layout_dir = own.layout_dir.clone();
        inner.retention = own.retention;
    }

    pub fn take_timer(&self) -> Option<u32> {
        self.lock().timer.take()
    }

    /// Why `name` cannot be a new name for a session, if it cannot: not a
    /// valid name, or taken by a live or an exited session.
    fn refuse(&self, name: &str) -> Result<(), String> {
        let inner = self.lock();
        crate::registry::names::validate(name, &inner.socket_dir).map_err(|e| e.to_string())?;
        if let Some(s) = inner.sessions.iter().find(|s| s.name == name) {
            let what = if s.is_current { "this session" } else { "another session" };
            return Err(format!("`{name}` is taken by {what}"));
        }
        if crate::store::session_dir(name).exists() {
            return Err(format!("`{name}` is taken by an exited session"));
        }
        Ok(())
    }
}

impl SessionControl for Shared {
    fn list_sessions(&mut self) -> Vec<SessionInfo> {
        self.lock().sessions.clone()
    }
    fn switch_session(&mut self, name: &str) -> Result<(), String> {
        self.push(Request::Switch(name.into()));
        Ok(())
    }
    fn resurrect_session(&mut self, name: &str, generation: Option<&str>) -> Result<(), String> {
        if let Some(id) = generation
            && crate::store::generation(name, id).is_none()
        {
            return Err(format!("{name} has no snapshot generation {id}"));
        }
        self.push(Request::Resurrect(name.into(), generation.map(Into::into)));
        Ok(())
    }
    fn kill_session(&mut self, name: &str) -> Result<(), String> {
        self.push(Request::Kill(name.into()));
        Ok(())
    }
    fn delete_session(&mut self, name: &str) -> Result<(), String> {
        self.push(Request::Delete(name.into()));
        Ok(())
    }
    fn create_session(&mut self, name: Option<&str>, layout: Option<&str>) -> Result<(), String> {
        if let Some(name) = name {
            self.refuse(name)?;
        }
        self.push(Request::Create(name.map(Into::into), layout.map(Into::into)));
        Ok(())
    }
    fn rename_session(&mut self, name: &str) -> Result<(), String> {
        self.refuse(name)?;
        self.push(Request::Rename(name.into()));
        Ok(())
    }
    fn save_session(&mut self) -> Result<(), String> {
        self.push(Request::Save);
        Ok(())
    }
    fn disconnect_other_clients(&mut self) -> Result<(), String> {
        self.push(Request::DisconnectOthers);
        Ok(())
    }
    fn list_layouts(&mut self) -> Vec<LayoutInfo> {
        let dir = self.lock().layout_dir.clone();
        layouts(&dir)
    }
    fn list_generations(&mut self, name: &str) -> Result<Vec<Generation>, String> {
        let retention = self.lock().retention;
        Ok(super::session_list::generations(name, &retention))
    }
    fn set_timeout(&mut self, millis: u32) {
        self.lock().timer = Some(millis);
    }
    fn close(&mut self) {
        self.push(Request::Close);
    }
    fn list_hosts(&mut self) -> Vec<HostInfo> {
        self.lock().hosts.clone()
    }
    /// The name is checked here, as a local one is, before any ssh runs.
    fn open_remote_session(&mut self, host: &str, name: &str) -> Result<(), String> {
        let address = {
            let inner = self.lock();
            let host = inner.hosts.iter().find(|h| h.label == host).ok_or_else(|| format!("no host `{host}`"))?;
            crate::registry::names::validate_text(name).map_err(|e| e.to_string())?;
            format!("{}/{name}", host.address)
        };
        self.push(Request::OpenRemote(address));
        Ok(())
    }
}

/// The built-in layouts (but `welcome`, which is not for new sessions) and
/// the `.kdl` files of `layout_dir`, which win over a built-in of the same
/// name as they do on the command line.
pub fn layouts(layout_dir: &std::path::Path) -> Vec<LayoutInfo> {
    let mut user: Vec<String> = std::fs::read_dir(layout_dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .filter_map(|n| n.strip_suffix(".kdl").map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    user.sort();
    let mut out: Vec<LayoutInfo> = crate::layouts::BUILTIN_LAYOUTS
        .iter()
        .map(|(n, _)| n.to_string())
        .filter(|n| n != "welcome" && !user.contains(n))
        .map(|name| LayoutInfo { name, builtin: true })
        .collect();
    out.extend(user.into_iter().map(|name| LayoutInfo { name, builtin: false }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_layouts_join_the_built_in_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("dev.kdl"), "layout { pane; }").unwrap();
        std::fs::write(dir.path().join("compact.kdl"), "layout { pane; }").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "").unwrap();
        let names: Vec<(String, bool)> = layouts(dir.path()).into_iter().map(|l| (l.name, l.builtin)).collect();
        assert!(names.contains(&("dev".into(), false)), "{names:?}");
        assert!(names.contains(&("compact".into(), false)) && !names.contains(&("compact".into(), true)));
        assert!(names.contains(&("default".into(), true)));
        assert!(!names.iter().any(|(n, _)| n == "welcome" || n == "notes"), "{names:?}");
    }
}
