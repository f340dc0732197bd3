//! Scrollback search, as Zellij's search mode: Ctrl-s s, type, Enter; then
//! n steps down to newer matches and p (or N) up to older ones, and c, w and
//! o toggle case sensitivity, wrap-around and whole words. Matches are
//! highlighted and the pane scrolls to the current one. The search itself
//! is the model's; this routes a client's mode changes and keys to the pane
//! it has focused.

use revenant_config::{Mode, SearchDirection, SearchOption};
use revenant_session::input::Key;

use super::clients::Who;
use super::{Pane, Server};

impl Server {
    /// Before a frame: searches in panes whose text changed are run again,
    /// staying on the current match where it still is one. At most once a
    /// frame, however fast the pane prints.
    pub(super) fn refresh_searches(&mut self) {
        for pane in self.session.panes.values_mut() {
            pane.refresh_search();
        }
    }

    fn searched_pane(&mut self, who: Who) -> Option<&mut Pane> {
        let id = self.focused(who)?;
        self.session.panes.get_mut(&id).filter(|p| p.io.plugin.is_none())
    }

    /// Entering search mode (`SwitchToMode`): typing starts a new query,
    /// keeping the options; Enter finds it; normal mode puts it away.
    pub(super) fn search_mode_changed(&mut self, who: Who, mode: Mode) {
        let Some(pane) = self.searched_pane(who) else { return };
        match mode {
            // Zellij starts without wrap-around.
            Mode::EnterSearch => pane.start_search(),
            Mode::Search => {
                pane.find();
                self.search_step(who, SearchDirection::Up);
            }
            Mode::Scroll => {}
            _ => pane.search = None,
        }
    }

    /// A key typed in `entersearch` mode that is not bound there.
    pub(super) fn search_key(&mut self, who: Who, k: Key) {
        if let Some(pane) = self.searched_pane(who) {
            pane.search_type(k);
        }
    }

    /// `Search "up"` / `"down"`; no match is said in the status bar.
    pub(super) fn search_step(&mut self, who: Who, dir: SearchDirection) {
        let Some(pane) = self.searched_pane(who) else { return };
        if let Err(none) = pane.search_step(dir) {
            self.post_notice(none);
        }
    }

    pub(super) fn search_toggle(&mut self, who: Who, option: SearchOption) {
        if let Some(pane) = self.searched_pane(who) {
            pane.search_toggle(option);
        }
    }
}
