//! The live marker (`session-metadata.kdl`, see `store::metadata`): rebuilt
//! about once a second on the server thread (a few microseconds), written
//! only when it changed, removed on a clean exit. The same tick retitles
//! shell panes by what runs in them.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crate::ipc::Role;
use crate::store;

use super::Server;
use super::clients::Who;

pub(super) const TICK: Duration = Duration::from_secs(1);

impl Server {
    fn metadata_text(&self) -> String {
        let view = self.view(Who::Active);
        let active = view.tab_index(&self.session);
        let focused = view.focused(&self.session);
        let clients = self.clients.values().filter(|c| matches!(c.role, Some(Role::Attach | Role::Watch))).count();
        let mut s = String::new();
        let _ = writeln!(
            s,
            "session name={} created={} pid={} clients={}",
            revenant_layout::kdl_string(&self.session.name),
            self.session.created_unix,
            std::process::id(),
            clients
        );
        for (i, tab) in self.session.tabs.iter().enumerate() {
            let _ = writeln!(
                s,
                "tab position={i} name={} focused={} {{",
                revenant_layout::kdl_string(&tab.name),
                i == active
            );
            for id in tab.pane_ids() {
                let Some(pane) = self.session.panes.get(&id) else { continue };
                let _ = write!(
                    s,
                    "    pane id={id} title={} focused={} floating={}",
                    revenant_layout::kdl_string(&pane.title()),
                    focused == Some(id),
                    tab.is_floating(id)
                );
                if let Some(location) = &pane.plugin_location {
                    let _ = write!(s, " plugin={}", revenant_layout::kdl_string(location));
                } else if let Some(argv) = super::program::running_command(pane) {
                    let _ = write!(s, " command={}", revenant_layout::kdl_string(&argv.join(" ")));
                }
                s.push('\n');
            }
            s.push_str("}\n");
        }
        s
    }

    /// Writes the metadata if it changed since the last write.
    pub(super) fn metadata_tick(&mut self) {
        self.next_metadata = Instant::now() + TICK;
        self.tell_ui_panes();
        // Shell panes' frames name what runs in them (reads of /proc, no
        // waiting).
        let mut retitled = false;
        for pane in self.session.panes.values_mut() {
            retitled |= pane.refresh_running();
        }
        self.dirty |= retitled;
        self.refresh_command_env();
        // While a rename moves the folder, writing would create the new one
        // first; a welcome screen leaves no trace.
        if self.config.disable_session_metadata || self.renaming.is_some() || self.ephemeral {
            return;
        }
        // Nothing happened since it was written: the same text. Building it
        // anyway ran a dozen pages of code a second in an idle server, and
        // kept them resident.
        if !std::mem::take(&mut self.metadata_stale) && !retitled && self.last_metadata.is_some() {
            return;
        }
        let text = self.metadata_text();
        if self.last_metadata.as_deref() == Some(text.as_str()) {
            return;
        }
        match store::metadata::write(&self.session.name, &text) {
            Ok(()) => self.last_metadata = Some(text),
            Err(e) => tracing::warn!("writing session metadata: {e}"),
        }
    }

    pub(super) fn remove_metadata(&mut self) {
        if self.last_metadata.take().is_some() {
            store::metadata::remove(&self.session.name);
        }
    }
}
