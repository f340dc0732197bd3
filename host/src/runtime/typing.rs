//! Typing, pasting and keys for the programs in panes: the model says
//! which panes a client's typing reaches and what each gets; this marks
//! the echo the next frame waits for, and shows a refusal in the status
//! bar.

use revenant_session::input::Key;
use revenant_session::pane_input;
use revenant_session::tiling::PaneId;
use revenant_terminal::Modes;

use super::Server;
use super::clients::Who;

impl Server {
    /// Writes to every pane typing reaches what `bytes` makes of that
    /// pane's modes. A pane that refuses the input (its program stopped
    /// reading and too much is waiting) is named in the status bar and in
    /// the error.
    fn type_to(
        &mut self,
        targets: &[PaneId],
        forget_selection: bool,
        bytes: impl Fn(&Modes) -> Vec<u8>,
    ) -> Result<(), String> {
        // Typing reaches a pane of a tab a key just switched to, before
        // the next frame would have woken it.
        self.wake(targets);
        let typed = self.session.type_into(targets, forget_selection, bytes);
        if let Err(why) = &typed {
            self.post_notice(why.clone());
        }
        typed
    }

    /// A key for the program(s).
    pub(super) fn type_key(&mut self, who: Who, k: Key) -> Result<(), String> {
        let targets = self.view(who).typing_targets(&self.session);
        if let Some(id) = targets.first() {
            let now = std::time::Instant::now();
            self.awaiting_echo = Some((*id, now));
            self.pacer.expect_echo(now);
        }
        self.type_to(&targets, true, |modes| pane_input::key(k, modes))
    }

    pub(super) fn type_bytes(&mut self, who: Who, bytes: &[u8]) -> Result<(), String> {
        let targets = self.view(who).typing_targets(&self.session);
        self.type_to(&targets, false, |_| bytes.to_vec())
    }

    /// Pasted text, bracketed for the panes whose program asked for it.
    pub(super) fn paste(&mut self, who: Who, text: &str) -> Result<(), String> {
        let targets = self.view(who).typing_targets(&self.session);
        self.type_to(&targets, false, |modes| pane_input::paste(text, modes))
    }

    pub(super) fn toggle_sync(&mut self, who: Who) {
        let t = self.view(who).tab_index(&self.session);
        if let Some(tab) = self.session.tabs.get_mut(t) {
            tab.sync = !tab.sync;
        }
    }
}
