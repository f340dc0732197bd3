//! Focus and arrangement inside a tab: the order `focus-next-pane` walks,
//! swapping a pane with its neighbour or the next one, fullscreen, and
//! showing the floating panes.

use crate::pane::PaneIo;
use crate::session::Session;
use crate::tiling::{PaneId, Rect, Towards};
use crate::view::View;

impl View {
    /// The panes `focus-next-pane` walks: the floating ones while shown,
    /// else the tiled ones in tree order.
    pub fn focus_order<Io>(&self, session: &Session<Io>) -> Vec<PaneId> {
        let Some(tab) = self.tab(session) else { return Vec::new() };
        if tab.floating_visible && !tab.floating.is_empty() {
            return tab.floating.iter().map(|f| f.id).collect();
        }
        tab.tiled.panes()
    }

    /// `focus-next-pane` (1) and `focus-previous-pane` (-1), round the
    /// ends.
    pub fn focus_step<Io: PaneIo>(&mut self, session: &mut Session<Io>, step: isize) {
        let order = self.focus_order(session);
        let Some(from) = self.focused(session) else { return };
        let Some(i) = order.iter().position(|id| *id == from) else { return };
        let next = order[(i as isize + step).rem_euclid(order.len() as isize) as usize];
        self.focus(session, next);
    }
}

impl<Io> Session<Io> {
    /// Tiled pane `from` changes places with its neighbour `towards`, or
    /// (`None`) with the pane `step` places on in tree order. The tab now
    /// counts as arranged by hand. False when nothing moved (a floating
    /// pane, no neighbour).
    pub fn move_pane(&mut self, from: PaneId, towards: Option<Towards>, step: isize, area: Rect) -> bool {
        let Some(t) = self.tab_of(from) else { return false };
        if self.tabs[t].is_floating(from) {
            return false;
        }
        let other = match towards {
            Some(d) => self.neighbour(t, area, from, d),
            None => {
                let order = self.tabs[t].tiled.panes();
                let i = order.iter().position(|id| *id == from).unwrap_or(0);
                Some(order[(i as isize + step).rem_euclid(order.len() as isize) as usize])
            }
        };
        let Some(other) = other else { return false };
        let tab = &mut self.tabs[t];
        let moved = tab.tiled.swap_panes(from, other);
        tab.swap_dirty |= moved;
        moved
    }

    /// Tiled pane `id` fills its tab, or stops filling it. False for a
    /// floating pane.
    pub fn toggle_fullscreen(&mut self, id: PaneId) -> bool {
        let Some(t) = self.tab_of(id) else { return false };
        let tab = &mut self.tabs[t];
        if tab.is_floating(id) {
            return false;
        }
        tab.fullscreen = if tab.fullscreen == Some(id) { None } else { Some(id) };
        true
    }

    /// `show-floating-panes` / `hide-floating-panes` in tab `t`; a tab
    /// without floating panes shows none.
    pub fn set_floating_visible(&mut self, t: usize, visible: bool) {
        if let Some(tab) = self.tabs.get_mut(t) {
            tab.floating_visible = visible && !tab.floating.is_empty();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pane::{Launch, Pane};
    use crate::tab::Floating;
    use crate::tiling::{Direction, Tile};

    const AREA: Rect = Rect { x: 0, y: 0, w: 90, h: 30 };

    /// Three tiled panes side by side (0 | 1 | 2) and a floating one (9).
    fn session() -> Session<()> {
        let mut s = Session::new("t".into());
        for id in [0, 1, 2, 9] {
            s.panes.insert(id, Pane::new(id, Launch { cols: 10, rows: 5, ..Launch::default() }, 0, ()));
        }
        s.add_tab(None, Tile::Pane(0));
        s.split(0, Direction::Vertical, 1);
        s.split(1, Direction::Vertical, 2);
        s.tabs[0].floating.push(Floating { id: 9, rect: Rect::new(5, 5, 20, 10), pinned: false });
        s
    }

    #[test]
    fn focus_walks_the_tiled_panes_round_or_the_floating_ones_while_shown() {
        let mut s = session();
        let mut v = View::default();
        v.focus(&mut s, 2);
        v.focus_step(&mut s, 1);
        assert_eq!(v.focused(&s), Some(0));
        v.focus_step(&mut s, -1);
        assert_eq!(v.focused(&s), Some(2));
        s.set_floating_visible(0, true);
        assert_eq!(v.focus_order(&s), [9]);
        assert_eq!(v.focused(&s), Some(9));
    }

    #[test]
    fn a_pane_moves_to_its_neighbour_or_the_next_and_the_tab_is_arranged_by_hand() {
        let mut s = session();
        let rect_of = |s: &Session<()>, id| s.tabs[0].tiled.layout(AREA).into_iter().find(|(p, _)| *p == id).unwrap().1;
        let left = rect_of(&s, 0);
        assert!(s.move_pane(0, Some(Towards::Right), 1, AREA));
        assert_eq!(s.tabs[0].tiled.panes(), [1, 0, 2]);
        assert!(s.tabs[0].swap_dirty);
        assert_eq!(rect_of(&s, 1), left, "the panes changed places, not sizes");
        assert!(s.move_pane(0, None, 1, AREA));
        assert_eq!(s.tabs[0].tiled.panes(), [1, 2, 0]);
        assert!(!s.move_pane(1, Some(Towards::Left), 1, AREA), "nothing left of the first");
        assert!(!s.move_pane(9, None, 1, AREA), "floating panes have no place in the tree");
    }

    #[test]
    fn fullscreen_is_for_tiled_panes_and_toggles() {
        let mut s = session();
        assert!(s.toggle_fullscreen(1));
        assert_eq!(s.tabs[0].placements(AREA).len(), 1);
        assert!(s.toggle_fullscreen(1));
        assert_eq!(s.tabs[0].fullscreen, None);
        assert!(!s.toggle_fullscreen(9));
        s.tabs[0].floating.clear();
        s.set_floating_visible(0, true);
        assert!(!s.tabs[0].floating_visible);
    }
}
