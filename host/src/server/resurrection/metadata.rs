//! `session-metadata.kdl`: the live marker other tools read to see what a
//! running session holds. Rebuilt about once a second on the server thread
//! (a few microseconds), written only when it changed, removed on a clean
//! exit.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crate::ipc::Role;
use crate::store;

use crate::server::Server;
use crate::server::clients::Who;

pub(in crate::server) const TICK: Duration = Duration::from_secs(1);

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
                } else if let Some(argv) = super::snapshot::running_command(pane) {
                    let _ = write!(s, " command={}", revenant_layout::kdl_string(&argv.join(" ")));
                }
                s.push('\n');
            }
            s.push_str("}\n");
        }
        s
    }

    /// Writes the metadata if it changed since the last write.
    pub(in crate::server) fn metadata_tick(&mut self) {
        self.next_metadata = Instant::now() + TICK;
        self.tell_ui_panes();
        // Shell panes' frames name what runs in them (reads of /proc, no
        // waiting).
        let mut retitled = false;
        for pane in self.session.panes.values_mut() {
            retitled |= pane.refresh_running();
        }
        self.dirty |= retitled;
        // While a rename moves the folder, writing would create the new one
        // first; a welcome screen leaves no trace.
        if self.config.disable_session_metadata || self.renaming.is_some() || self.ephemeral {
            return;
        }
        let text = self.metadata_text();
        if self.last_metadata.as_deref() == Some(text.as_str()) {
            return;
        }
        let dir = store::session_dir(&self.session.name);
        let written = store::trusted_root(&dir)
            .map_err(|e| e.to_string())
            .and_then(|root| crate::no_follow::ensure_dir_under(&root, &dir).map_err(|e| e.to_string()))
            .and_then(|_| {
                store::replace_atomically(&dir.join(store::METADATA), text.as_bytes(), false).map_err(|e| e.to_string())
            });
        match written {
            Ok(()) => self.last_metadata = Some(text),
            Err(e) => tracing::warn!("writing session metadata: {e}"),
        }
    }

    pub(in crate::server) fn remove_metadata(&mut self) {
        if self.last_metadata.take().is_some() {
            let _ = std::fs::remove_file(store::session_dir(&self.session.name).join(store::METADATA));
        }
    }
}

/// What a session's `session-metadata.kdl` says, for listing a server that
/// is too busy to answer: `(created_unix, pid, clients, tab names, panes)`.
pub fn read(name: &str) -> Option<(u64, u32, usize, Vec<String>, usize)> {
    let text = std::fs::read_to_string(store::session_dir(name).join(store::METADATA)).ok()?;
    let doc = kdl::KdlDocument::parse_v1(&text).or_else(|_| kdl::KdlDocument::parse(&text)).ok()?;
    let session = doc.get("session")?;
    let int = |n: &kdl::KdlNode, key: &str| n.get(key).and_then(|v| v.as_integer()).unwrap_or(0);
    let mut tabs = Vec::new();
    let mut panes = 0;
    for tab in doc.nodes().iter().filter(|n| n.name().value() == "tab") {
        tabs.push(tab.get("name").and_then(|v| v.as_string()).unwrap_or_default().to_string());
        panes += tab.children().map_or(0, |c| c.nodes().len());
    }
    Some((int(session, "created") as u64, int(session, "pid") as u32, int(session, "clients") as usize, tabs, panes))
}
