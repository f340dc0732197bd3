//! Where typing goes: the focused pane, or with the tab's input
//! synchronized, every pane of the tab that runs a program and is not
//! `exclude_from_sync`.

use crate::ipc::Key;
use crate::tiling::PaneId;

use super::input::Who;
use super::{Server, encode};

impl Server {
    /// The panes typing reaches, the focused one first.
    fn typing_targets(&self, who: Who) -> Vec<PaneId> {
        let Some(focused) = self.focused(who) else { return Vec::new() };
        let mut targets = vec![focused];
        if let Some(tab) = self.view(who).tab(&self.session)
            && tab.sync
        {
            let others = tab.pane_ids().into_iter().filter(|id| *id != focused).filter(|id| {
                self.session
                    .panes
                    .get(id)
                    .is_some_and(|p| !p.exclude_from_sync && p.plugin.is_none() && p.exited.is_none() && !p.suspended)
            });
            targets.extend(others);
        }
        targets
    }

    /// A key for the program(s): encoded for each pane's own modes (one
    /// may want application cursor keys, another not).
    pub(super) fn type_key(&mut self, who: Who, k: Key) {
        for id in self.typing_targets(who) {
            if let Some(pane) = self.session.panes.get_mut(&id) {
                let bytes = encode::key(k, &pane.term.modes());
                pane.scroll = 0;
                pane.selection = None;
                pane.write(&bytes);
            }
        }
    }

    pub(super) fn type_bytes(&mut self, who: Who, bytes: &[u8]) {
        for id in self.typing_targets(who) {
            if let Some(pane) = self.session.panes.get_mut(&id) {
                pane.scroll = 0;
                pane.write(bytes);
            }
        }
    }

    /// Pasted text, bracketed for the panes whose program asked for it.
    pub(super) fn paste(&mut self, who: Who, text: &str) {
        for id in self.typing_targets(who) {
            if let Some(pane) = self.session.panes.get_mut(&id) {
                let bytes = encode::paste(text, &pane.term.modes());
                pane.scroll = 0;
                pane.write(&bytes);
            }
        }
    }

    pub(super) fn toggle_sync(&mut self, who: Who) {
        let t = self.view(who).tab_index(&self.session);
        if let Some(tab) = self.session.tabs.get_mut(t) {
            tab.sync = !tab.sync;
        }
    }
}
