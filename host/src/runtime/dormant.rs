//! Lazy restore: a resurrected session draws its whole layout at once but
//! leaves the panes of the tabs nobody looks at dormant, with no process
//! and their saved screen not yet replayed. A dormant pane wakes when its
//! tab is first shown to a client, when typing reaches it, or when an
//! action names it. A session of 120 panes comes back as fast as one of
//! its tabs, and a tab never visited costs no process and no memory.
//!
//! A save never loses a dormant pane's screen: the saved contents are held
//! open (so a thinned generation cannot take them away), and the plugin
//! worker replays them for the snapshot (see `Screen::Saved`).

use std::fs::File;
use std::sync::Arc;

use revenant_session::tiling::PaneId;

use super::Server;
use crate::ipc::Role;

/// What a dormant pane still has to do when it wakes.
pub(super) struct Dormant {
    /// Its saved screen, held open.
    pub contents: Option<Arc<File>>,
    /// Start its process (a shell, or a command not held behind ENTER).
    pub start: bool,
}

impl Server {
    /// Wakes the panes of every tab a client (or, with none attached, the
    /// session's own view) shows. Cheap when nothing is dormant: it runs
    /// before every frame and every typed byte.
    pub(super) fn wake_shown_tabs(&mut self) {
        if self.dormant.is_empty() {
            return;
        }
        // Only clients that draw show a tab: a connection that has not said
        // its hello yet still holds a default view of the first tab.
        let mut shown: Vec<usize> = self
            .clients
            .values()
            .filter(|c| matches!(c.role, Some(Role::Attach | Role::Watch)))
            .map(|c| c.view.tab_index(&self.session))
            .collect();
        shown.push(self.base.tab_index(&self.session));
        let ids: Vec<PaneId> =
            shown.into_iter().filter_map(|t| self.session.tabs.get(t)).flat_map(|tab| tab.pane_ids()).collect();
        self.wake(&ids);
    }

    /// Wakes those of `ids` that are dormant: their saved screens go to the
    /// restoring thread, and their processes start together, at the size
    /// their panes have now.
    pub(super) fn wake(&mut self, ids: &[PaneId]) {
        if self.dormant.is_empty() {
            return;
        }
        let mut starting = Vec::new();
        for id in ids {
            let Some(dormant) = self.dormant.remove(id) else { continue };
            let Some(mut pane) = self.session.panes.remove(id) else { continue };
            // What the worker has is the saved screen; the replayed one is
            // sent whole at the next save.
            self.sent_screens.remove(id);
            if let Some(file) = dormant.contents {
                self.restore_contents(&mut pane, super::saved_contents::Contents::Open(file));
            }
            if dormant.start {
                pane.spec.cols = pane.term.cols();
                pane.spec.rows = pane.term.rows();
                starting.push(*id);
            }
            self.session.panes.insert(*id, pane);
            tracing::debug!(pane = id, "woke");
        }
        if !starting.is_empty() {
            self.start_processes(starting);
            self.dirty = true;
        }
    }

    /// Whether pane `id` waits for its tab to be shown (`list-panes` says).
    pub(super) fn is_dormant(&self, id: PaneId) -> bool {
        self.dormant.contains_key(&id)
    }
}
