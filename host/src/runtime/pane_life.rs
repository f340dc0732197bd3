//! A pane's life on the server: its process started, its exit, and its
//! close, with the focus handed to the pane that takes its place.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;

use crate::ipc::ExitReason;
use crate::pty::Pty;
use revenant_session::Launch;
use revenant_session::tiling::PaneId;

use super::Pane;
use super::Server;
use revenant_session::View;

impl Server {
    /// Starts a pane's process (unless `held` back until ENTER) and
    /// registers the pane (not yet placed).
    pub(super) fn spawn_pane(
        &mut self,
        argv: Vec<String>,
        cwd: Option<PathBuf>,
        name: Option<String>,
        held: bool,
    ) -> Result<PaneId> {
        let id = self.session.allocate_pane_id();
        let (cols, rows) = self.size;
        let mut pane = self.new_pane_state(id, argv, cwd, name, cols.saturating_sub(2), rows.saturating_sub(4));
        if held {
            pane.suspended = true;
        } else {
            self.start_process(&mut pane)?;
        }
        self.session.panes.insert(id, pane);
        self.publish_pane(id, "pane_opened", serde_json::json!({}));
        Ok(id)
    }

    /// A pane with its terminal but no process yet.
    pub(super) fn new_pane_state(
        &self,
        id: PaneId,
        argv: Vec<String>,
        cwd: Option<PathBuf>,
        name: Option<String>,
        cols: u16,
        rows: u16,
    ) -> Pane {
        let spec = Launch {
            argv,
            shell: self.shell(),
            cwd: cwd.or_else(|| std::env::current_dir().ok()),
            env: self.pane_env(id),
            cols,
            rows,
        };
        let mut pane = Pane::new(id, spec, self.config.scroll_buffer_size, Default::default());
        pane.name = name;
        pane
    }

    pub(super) fn start_process(&self, pane: &mut Pane) -> Result<()> {
        let started = Instant::now();
        let pty = Pty::spawn(&pane.spec)?;
        tracing::debug!(pane = pane.id, ms = started.elapsed().as_secs_f64() * 1e3, "pty spawned");
        pane.io.pty = Some(pty);
        pane.exited = None;
        pane.suspended = false;
        Ok(())
    }

    pub(super) fn shell(&self) -> String {
        self.config
            .default_shell
            .clone()
            .or_else(|| std::env::var("SHELL").ok().filter(|s| !s.is_empty()))
            .unwrap_or_else(|| "/bin/sh".into())
    }

    pub(super) fn pane_env(&self, id: PaneId) -> Vec<(String, String)> {
        vec![
            ("TERM".into(), "xterm-256color".into()),
            ("COLORTERM".into(), "truecolor".into()),
            ("REVENANT".into(), "0".into()),
            ("REVENANT_SESSION_NAME".into(), self.session.name.clone()),
            ("REVENANT_PANE_ID".into(), id.to_string()),
            ("REVENANT_SOCKET_DIR".into(), self.socket_dir.display().to_string()),
        ]
    }

    pub(super) fn pane_exited(&mut self, id: PaneId, code: Option<i32>) {
        self.publish_pane(id, "pane_exited", serde_json::json!({"code": code}));
        if self.session.behind_editor.contains_key(&id) {
            self.editor_closed(id);
            return;
        }
        let Some(pane) = self.session.pane_mut_any(id) else { return };
        pane.io.pty = None;
        if pane.is_command && !pane.close_on_exit {
            // Held open, as Zellij does: the user sees how it ended and can
            // re-run it with ENTER or close it with Ctrl-c.
            pane.exited = Some(code);
            self.dirty = true;
        } else {
            self.close_pane(id);
        }
    }

    /// Every view: the base one and each client's.
    pub(super) fn views_mut(&mut self) -> impl Iterator<Item = &mut View> {
        std::iter::once(&mut self.base).chain(self.clients.values_mut().map(|c| &mut c.view))
    }

    /// Views focused on tiled pane `id` of tab `t`, which is about to
    /// close, focus the pane that takes its place, as Zellij does, rather
    /// than falling back to the tab's first pane.
    fn hand_focus_on(&mut self, t: usize, id: PaneId) {
        let tab = &self.session.tabs[t];
        let (tab_id, Some(heir)) = (tab.id, tab.tiled.heir(id)) else { return };
        for view in self.views_mut() {
            if view.tiled_focus.get(&tab_id) == Some(&id) {
                view.tiled_focus.insert(tab_id, heir);
            }
        }
    }

    /// Closes a pane for good; the session ends with its last pane.
    pub(super) fn close_pane(&mut self, id: PaneId) {
        self.publish_pane(id, "pane_closed", serde_json::json!({}));
        self.dormant.remove(&id);
        if let Some(mut pane) = self.session.panes.remove(&id) {
            pane.kill();
        }
        let tab = self.session.tab_of(id);
        let tiled = tab.is_some_and(|t| self.session.tabs[t].tiled.contains(id));
        if tiled && let Some(t) = tab {
            self.hand_focus_on(t, id);
        }
        let removed = self.session.detach_pane(id);
        if removed.is_none()
            && tiled
            && let Some(t) = tab
        {
            self.reapply_swap(t);
        }
        if let Some(removed_tab) = removed {
            let tabs = self.session.tabs.len();
            for view in self.views_mut() {
                view.tab_removed(removed_tab, tabs);
            }
        }
        if self.session.tabs.is_empty() {
            self.quit = Some(ExitReason::SessionEnded);
            return;
        }
        self.relayout();
    }
}
