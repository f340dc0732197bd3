//! Verbs about where a client is: where it starts when it attaches, and
//! switching it to another session.

use anyhow::Result;

use crate::ipc::{ExitReason, StartAt};

use super::super::Server;
use super::super::clients::{ClientId, Who};

impl Server {
    /// A client that switched here with `--tab-position` / `--pane-id`.
    pub(in crate::runtime) fn start_at(&mut self, client: ClientId, start: StartAt) {
        let who = Who::Client(client);
        if let Some(t) = start.tab_position
            && (t as usize) < self.session.tabs.len()
        {
            self.with_view(who, |view, _| view.tab = t as usize);
        }
        if let Some(id) = start.pane_id
            && self.session.panes.contains_key(&id)
        {
            self.with_view(who, |view, session| view.focus(session, id));
        }
    }

    /// `switch-session`: the active client leaves for session `name` (which
    /// the CLI made sure is running).
    pub(in crate::runtime) fn switch_session(&mut self, name: String, start: StartAt) -> Result<String, String> {
        if name == self.session.name {
            let client = self.active_client().ok_or("no client is attached to this session")?;
            self.start_at(client, start);
            return Ok(String::new());
        }
        let client = self.active_client().ok_or("no client is attached to this session to switch")?;
        if let Some(mut c) = self.remove_client(client) {
            c.send_exit(ExitReason::Switch(name, start));
            c.finish();
        }
        self.client_left(client);
        Ok(String::new())
    }
}
