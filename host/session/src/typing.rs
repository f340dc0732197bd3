//! Where typing goes: the focused pane, and with the tab's input
//! synchronized (`toggle-active-sync-tab`) every other pane of the tab that
//! runs a program and was not left out of it. Each pane gets the bytes its
//! own modes call for.

use revenant_terminal::Modes;

use crate::pane::PaneIo;
use crate::session::Session;
use crate::tiling::PaneId;
use crate::view::View;

impl View {
    /// The panes typing reaches, the focused one first.
    pub fn typing_targets<Io: PaneIo>(&self, session: &Session<Io>) -> Vec<PaneId> {
        let Some(focused) = self.focused(session) else { return Vec::new() };
        let mut targets = vec![focused];
        if let Some(tab) = self.tab(session)
            && tab.sync
        {
            let others = tab.pane_ids().into_iter().filter(|id| *id != focused).filter(|id| {
                session
                    .panes
                    .get(id)
                    .is_some_and(|p| !p.exclude_from_sync && !p.io.is_plugin() && p.exited.is_none() && !p.suspended)
            });
            targets.extend(others);
        }
        targets
    }
}

impl<Io: PaneIo> Session<Io> {
    /// Writes to each of `targets` what `bytes` makes of that pane's modes
    /// (one may want application cursor keys or bracketed paste, another
    /// not), back at the bottom of its scrollback. `Err` names each pane
    /// that refused the input (its program stopped reading and too much is
    /// waiting).
    pub fn type_into(
        &mut self,
        targets: &[PaneId],
        forget_selection: bool,
        bytes: impl Fn(&Modes) -> Vec<u8>,
    ) -> Result<(), String> {
        let mut refused = Vec::new();
        for id in targets {
            if let Some(pane) = self.panes.get_mut(id) {
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
        if refused.is_empty() { Ok(()) } else { Err(refused.join("; ")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake::FakeIo;
    use crate::pane::{Launch, Pane};
    use crate::tiling::{Direction, Tile};

    fn session(panes: &[PaneId]) -> Session<FakeIo> {
        let mut s = Session::new("t".into());
        for id in panes {
            let launch = Launch { cols: 20, rows: 5, ..Launch::default() };
            s.panes.insert(*id, Pane::new(*id, launch, 10, FakeIo::default()));
        }
        let t = s.add_tab(None, Tile::Pane(panes[0]));
        for (i, id) in panes.iter().enumerate().skip(1) {
            s.tabs[t].tiled.split(panes[i - 1], Direction::Vertical, *id);
        }
        s
    }

    #[test]
    fn a_synchronized_tab_types_into_every_running_pane_but_the_excluded() {
        let mut s = session(&[1, 2, 3, 4]);
        let mut view = View::default();
        view.focus(&mut s, 2);
        assert_eq!(view.typing_targets(&s), [2]);
        s.tabs[0].sync = true;
        s.panes.get_mut(&3).unwrap().exclude_from_sync = true;
        s.panes.get_mut(&4).unwrap().exited = Some(Some(0));
        assert_eq!(view.typing_targets(&s), [2, 1]);
        // Application cursor keys in one pane, not the other.
        s.panes.get_mut(&1).unwrap().term.advance(b"\x1b[?1h");
        let targets = view.typing_targets(&s);
        s.type_into(&targets, true, |m| if m.application_cursor { b"\x1bOA".to_vec() } else { b"\x1b[A".to_vec() })
            .unwrap();
        assert_eq!(s.panes[&1].io.written, b"\x1bOA");
        assert_eq!(s.panes[&2].io.written, b"\x1b[A");
        assert!(s.panes[&3].io.written.is_empty());
    }

    #[test]
    fn a_pane_that_refuses_input_is_named_and_the_others_still_get_it() {
        let mut s = session(&[1, 2]);
        s.panes.get_mut(&2).unwrap().io.full = true;
        s.panes.get_mut(&1).unwrap().scroll = 3;
        let err = s.type_into(&[1, 2], false, |_| b"x".to_vec()).unwrap_err();
        assert!(err.starts_with("pane 2: the program is not reading its input"), "{err}");
        assert_eq!(s.panes[&1].io.written, b"x");
        assert_eq!(s.panes[&1].scroll, 0, "typing goes back to the bottom");
    }
}
