//! Where typing goes: the focused pane, or with the tab's input
//! synchronized, every pane of the tab that runs a program and is not
//! `exclude_from_sync`.

use revenant_terminal::Modes;

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

    /// Writes to every pane typing reaches what `bytes` makes of that
    /// pane's modes (one may want application cursor keys or bracketed
    /// paste, another not), back at the bottom of its scrollback.
    ///
    /// A pane that refuses the input (its program stopped reading and too
    /// much is waiting) is named in the status bar and in the error.
    fn type_into(&mut self, who: Who, forget_selection: bool, bytes: impl Fn(&Modes) -> Vec<u8>) -> Result<(), String> {
        let mut refused = Vec::new();
        for id in self.typing_targets(who) {
            if let Some(pane) = self.session.panes.get_mut(&id) {
                let out = bytes(&pane.term.modes());
                pane.scroll = 0;
                if forget_selection {
                    pane.selection = None;
                }
                if let Err(e) = pane.write(&out) {
                    refused.push(format!("pane {id}: {e}"));
                }
            }
        }
        if refused.is_empty() {
            return Ok(());
        }
        let why = refused.join("; ");
        self.post_notice(why.clone());
        Err(why)
    }

    /// A key for the program(s).
    pub(super) fn type_key(&mut self, who: Who, k: Key) -> Result<(), String> {
        if let Some(id) = self.typing_targets(who).first() {
            let now = std::time::Instant::now();
            self.awaiting_echo = Some((*id, now));
            self.pacer.expect_echo(now);
        }
        self.type_into(who, true, |modes| encode::key(k, modes))
    }

    pub(super) fn type_bytes(&mut self, who: Who, bytes: &[u8]) -> Result<(), String> {
        self.type_into(who, false, |_| bytes.to_vec())
    }

    /// Pasted text, bracketed for the panes whose program asked for it.
    pub(super) fn paste(&mut self, who: Who, text: &str) -> Result<(), String> {
        self.type_into(who, false, |modes| encode::paste(text, modes))
    }

    pub(super) fn toggle_sync(&mut self, who: Who) {
        let t = self.view(who).tab_index(&self.session);
        if let Some(tab) = self.session.tabs.get_mut(t) {
            tab.sync = !tab.sync;
        }
    }
}
