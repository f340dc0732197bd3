//! Copy mode and the prompt keys of scroll mode, routed to the pane a
//! client has focused: `v` or Space in scroll mode starts it, the keys of
//! `copy_mode_keys` (after any bound in `copy { }`) move the cursor, and a
//! copy goes out through the same path as the mouse's. The motions and the
//! prompt marks are the model's (`revenant_session::copy_mode`,
//! `prompts`).

use revenant_config::Mode;
use revenant_session::copy_mode::{CopyAction, CopyOutcome};
use revenant_session::input::{Key, KeyCode};
use revenant_session::prompts;

use super::clients::Who;
use super::{Pane, Server};

impl Server {
    fn copied_pane(&mut self, who: Who) -> Option<&mut Pane> {
        let id = self.focused(who)?;
        self.session.panes.get_mut(&id).filter(|p| p.io.plugin.is_none())
    }

    /// `CopyMode`: the cursor starts where the program's is.
    pub(super) fn start_copy_mode(&mut self, who: Who) {
        let Some(pane) = self.copied_pane(who) else { return };
        pane.start_copy();
        self.view_mut_for(who).mode = Mode::Copy;
    }

    /// A key in copy mode that no `copy { }` binding took.
    pub(super) fn copy_key(&mut self, who: Who, k: Key) {
        let keys = self.config.copy_mode_keys;
        let Some(pane) = self.copied_pane(who).filter(|p| p.copy.is_some()) else {
            // The pane went (or never was in copy mode): nothing to move.
            self.view_mut_for(who).mode = Mode::Normal;
            return;
        };
        let typing = pane.copy.is_some_and(|c| c.typing.is_some());
        let outcome = if typing {
            match k.code {
                KeyCode::Enter => pane.copy_find(),
                KeyCode::Esc => {
                    pane.copy_find_cancel();
                    CopyOutcome::Stay
                }
                KeyCode::Char('c') if k.mods.ctrl => {
                    pane.copy_find_cancel();
                    CopyOutcome::Stay
                }
                _ => {
                    pane.search_type(k);
                    CopyOutcome::Stay
                }
            }
        } else {
            match revenant_session::copy_keys::action(keys, k) {
                Some(action) => pane.copy_action(action),
                None => CopyOutcome::Stay,
            }
        };
        self.copy_outcome(who, outcome);
    }

    fn copy_outcome(&mut self, who: Who, outcome: CopyOutcome) {
        match outcome {
            CopyOutcome::Stay => {}
            CopyOutcome::NoMatch(why) => self.post_notice(why),
            CopyOutcome::Leave => self.view_mut_for(who).mode = Mode::Normal,
            CopyOutcome::Copy(text) => {
                self.view_mut_for(who).mode = Mode::Normal;
                self.copy_to_clipboard(who, text);
            }
        }
    }

    /// Before a frame: a pane left in copy mode by a view that went
    /// elsewhere (a click on another pane, a detach) drops its cursor,
    /// selection and scroll.
    pub(super) fn end_orphan_copies(&mut self) {
        if !self.session.panes.values().any(|p| p.copy.is_some()) {
            return;
        }
        let mut kept = Vec::new();
        for view in self.clients.values().map(|c| &c.view).chain([&self.base]) {
            if view.mode == Mode::Copy
                && let Some(id) = view.focused(&self.session)
            {
                kept.push(id);
            }
        }
        for (id, pane) in self.session.panes.iter_mut() {
            if pane.copy.is_some() && !kept.contains(id) {
                pane.end_copy();
            }
        }
    }

    /// Leaving copy mode by a bound key (`SwitchToMode`) drops its cursor.
    pub(super) fn copy_mode_left(&mut self, who: Who, mode: Mode) {
        if mode != Mode::Copy
            && let Some(pane) = self.copied_pane(who)
            && pane.copy.is_some()
        {
            pane.end_copy();
        }
    }

    /// `PreviousPrompt` / `NextPrompt` / `SelectOutput` in scroll mode:
    /// copy mode's cursor goes there, so the next key goes on from it.
    pub(super) fn copy_from_scroll(&mut self, who: Who, action: CopyAction) {
        let Some(pane) = self.copied_pane(who) else { return };
        if pane.copy.is_none() {
            pane.start_copy();
        }
        // At the bottom, `o` means the command last run.
        if action == CopyAction::SelectOutput
            && pane.scroll == 0
            && let Some(line) = prompts::last_command(&pane.term)
            && let Some(cursor) = &mut pane.copy
        {
            cursor.at.line = line;
        }
        let outcome = pane.copy_action(action);
        self.view_mut_for(who).mode = Mode::Copy;
        self.copy_outcome(who, outcome);
    }
}
