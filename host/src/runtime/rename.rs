//! Renaming a running session: its socket and its cache folder move
//! together. The socket is renamed first (the listener keeps listening on
//! the moved file), then the folder, on the plugin worker after any save
//! already under way, so saves never write into the old folder. Each step is
//! one `rename`, so a server killed half-way leaves the session whole under
//! the old name or the new one; metadata is only written again once the
//! folder has moved.

use crate::ipc::Role;
use crate::registry;

use super::Server;
use super::clients::ClientId;
use super::clients::Who;
use super::plugin_service::Job;

impl Server {
    /// Starts renaming the session to `new`; `reply` is answered once the
    /// cache folder has moved too.
    pub(super) fn rename_session(&mut self, new: &str, reply: Option<ClientId>) -> Result<(), String> {
        let old = self.session.name.clone();
        if new == old {
            return Err(format!("the session is already called `{new}`"));
        }
        crate::registry::names::validate(new, &self.socket_dir).map_err(|e| e.to_string())?;
        if self.renaming.is_some() {
            return Err("a rename is already under way".into());
        }
        let new_socket = registry::socket_path(&self.socket_dir, new);
        if registry::is_live(&self.socket_dir, new) {
            return Err(format!("a session named `{new}` is running"));
        }
        let (from, to) = (crate::store::session_dir(&old), crate::store::session_dir(new));
        if to.exists() {
            return Err(format!(
                "an exited session is called `{new}`: delete it first (`revenant delete-session {new}`)"
            ));
        }
        // A dead server's socket under the new name is only a leftover.
        let _ = std::fs::remove_file(&new_socket);
        std::fs::rename(registry::socket_path(&self.socket_dir, &old), &new_socket)
            .map_err(|e| format!("cannot move the socket: {e}"))?;
        let id = self.plugins.next_id();
        self.plugins.send(Job::Rename { id, from, to });
        self.renaming = Some((id, reply));
        self.session.name = new.to_string();
        // New panes get the new name; running shells keep the old one in
        // their environment.
        self.last_metadata = None;
        self.dirty = true;
        tracing::info!("renamed the session from {old} to {new}");
        Ok(())
    }

    /// The worker moved the cache folder (or could not).
    pub(super) fn renamed(&mut self, id: u64, result: Result<(), String>) {
        let Some((pending, reply)) = self.renaming.take() else { return };
        if pending != id {
            self.renaming = Some((pending, reply));
            return;
        }
        if let Err(e) = &result {
            tracing::warn!("renaming the session's folder: {e}");
            self.post_notice(format!("The session's saved state stays under its old name: {e}"));
        }
        if let Some(client) = reply {
            self.answer(client, result.map(|()| String::new()));
        }
    }

    /// Ctrl-x in the session manager: every interactive client but `who`
    /// is detached.
    pub(super) fn disconnect_others(&mut self, who: Who) {
        let keep = match who {
            Who::Client(id) => Some(id),
            Who::Active => self.last_active,
        };
        let others: Vec<ClientId> = self
            .clients
            .iter()
            .filter(|(id, c)| Some(**id) != keep && matches!(c.role, Some(Role::Attach | Role::Watch)))
            .map(|(id, _)| *id)
            .collect();
        for id in others {
            self.detach(id);
        }
    }
}
