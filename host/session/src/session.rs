//! The session's shape: tabs, their tiled trees and floating panes, and the
//! panes themselves. Everything here is synchronous state; the runtime's
//! event loop drives it.

use std::collections::BTreeMap;

use crate::bars::Bars;
use crate::pane::{Pane, PaneIo};
use crate::tab::Tab;
use crate::tiling::{self, Direction, PaneId, Rect, Tile, Towards};

pub struct Session<Io> {
    pub name: String,
    pub created_unix: u64,
    pub tabs: Vec<Tab>,
    pub panes: BTreeMap<PaneId, Pane<Io>>,
    pub bars: Bars,
    /// The swap layouts of the layout the session started from: what
    /// Alt-[ and Alt-] cycle through, saved with the session.
    pub swap_tiled: Vec<revenant_layout::SwapTiled>,
    pub swap_floating: Vec<revenant_layout::SwapFloating>,
    /// Set when a change of focus reshaped a stack: the server lays the
    /// panes out again before it draws.
    pub relayout_wanted: bool,
    /// Panes whose scrollback is open in an editor, by the editor pane that
    /// stands in their place until it exits (`edit-scrollback`).
    pub behind_editor: BTreeMap<PaneId, Pane<Io>>,
    next_pane: PaneId,
    next_tab: u32,
}

impl<Io> Session<Io> {
    pub fn new(name: String) -> Self {
        let created_unix =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        Session {
            name,
            created_unix,
            tabs: Vec::new(),
            panes: BTreeMap::new(),
            behind_editor: BTreeMap::new(),
            bars: Bars::standard(),
            swap_tiled: Vec::new(),
            swap_floating: Vec::new(),
            relayout_wanted: false,
            next_pane: 0,
            next_tab: 0,
        }
    }

    pub fn allocate_pane_id(&mut self) -> PaneId {
        let id = self.next_pane;
        self.next_pane += 1;
        id
    }

    /// Adds a tab holding `first` (already in `panes`). Returns its index.
    pub fn add_tab(&mut self, name: Option<String>, tiled: Tile) -> usize {
        let id = self.next_tab;
        self.next_tab += 1;
        let name = name.unwrap_or_else(|| format!("Tab #{}", self.tabs.len() + 1));
        self.tabs.push(Tab::new(id, name, tiled));
        self.tabs.len() - 1
    }

    /// A pane by id, also one waiting behind a scrollback editor (its
    /// program keeps running and printing).
    pub fn pane_mut_any(&mut self, id: PaneId) -> Option<&mut Pane<Io>> {
        if self.panes.contains_key(&id) {
            return self.panes.get_mut(&id);
        }
        self.behind_editor.values_mut().find(|p| p.id == id)
    }

    /// The pane a save describes at `id`: the one behind a scrollback
    /// editor rather than the editor.
    pub fn pane_for_save(&self, id: PaneId) -> Option<&Pane<Io>> {
        self.behind_editor.get(&id).or_else(|| self.panes.get(&id))
    }

    /// Puts pane `to` where `from` is (tiled, floating or fullscreen).
    pub fn replace_in_tabs(&mut self, from: PaneId, to: PaneId) {
        for tab in &mut self.tabs {
            tab.tiled.replace_id(from, to);
            for f in tab.floating.iter_mut().filter(|f| f.id == from) {
                f.id = to;
            }
            if tab.fullscreen == Some(from) {
                tab.fullscreen = Some(to);
            }
        }
    }

    pub fn tab_of(&self, pane: PaneId) -> Option<usize> {
        self.tabs.iter().position(|t| t.contains(pane))
    }

    /// Splits `target` with the new pane `new` (already in `panes`).
    pub fn split(&mut self, target: PaneId, dir: Direction, new: PaneId) -> bool {
        let Some(t) = self.tab_of(target) else { return false };
        let tab = &mut self.tabs[t];
        tab.fullscreen = None;
        if tab.is_floating(target) {
            // Splitting a floating pane makes a tiled split of the tab's
            // first tiled pane instead, as a floating pane has no tree.
            let first = tab.tiled.panes()[0];
            return tab.tiled.split(first, dir, new);
        }
        tab.tiled.split(target, dir, new)
    }

    /// The pane focus moves to. Up and down walk a stack's members first
    /// (as in Zellij); only the open member of a stack is a neighbour of
    /// the panes around it.
    pub fn neighbour(&self, tab: usize, area: Rect, from: PaneId, towards: Towards) -> Option<PaneId> {
        let tiled = &self.tabs.get(tab)?.tiled;
        if let Some(stack) = tiled.stack_of(from)
            && matches!(towards, Towards::Up | Towards::Down)
        {
            let i = stack.panes.iter().position(|p| *p == from)?;
            let next = if towards == Towards::Up { i.checked_sub(1) } else { Some(i + 1) };
            if let Some(id) = next.and_then(|n| stack.panes.get(n)) {
                return Some(*id);
            }
        }
        let hidden = tiled.collapsed();
        let rects: Vec<_> =
            tiled.layout(area).into_iter().filter(|(id, _)| !hidden.contains(id) || *id == from).collect();
        tiling::neighbour(&rects, from, towards)
    }
}

impl<Io: PaneIo> Session<Io> {
    /// Removes a pane from its tab (and the tab when it was its last pane).
    /// Returns the index of the tab that was removed, if one was.
    pub fn detach_pane(&mut self, id: PaneId) -> Option<usize> {
        let t = self.tab_of(id)?;
        let tab = &mut self.tabs[t];
        if tab.fullscreen == Some(id) {
            tab.fullscreen = None;
        }
        if let Some(i) = tab.floating.iter().position(|f| f.id == id) {
            tab.floating.remove(i);
            if tab.floating.is_empty() {
                tab.floating_visible = false;
            }
        } else if !tab.tiled.remove(id) {
            // The last tiled pane: the tab goes, floating panes and all.
            let gone = self.tabs.remove(t);
            for f in gone.floating {
                if let Some(mut p) = self.panes.remove(&f.id) {
                    p.kill();
                }
            }
            return Some(t);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake::FakeIo;
    use crate::pane::Launch;
    use crate::tab::Floating;
    use crate::view::View;

    const AREA: Rect = Rect { x: 0, y: 0, w: 80, h: 24 };

    fn with_panes(ids: &[PaneId]) -> Session<FakeIo> {
        let mut s = Session::new("t".into());
        for id in ids {
            let launch = Launch { cols: 20, rows: 5, ..Launch::default() };
            s.panes.insert(*id, Pane::new(*id, launch, 10, FakeIo::default()));
        }
        s
    }

    #[test]
    fn the_last_tiled_pane_takes_its_tab_and_floating_panes_along() {
        let mut s = with_panes(&[0, 1, 2]);
        let t = s.add_tab(None, Tile::Pane(0));
        s.tabs[t].floating.push(Floating { id: 1, rect: Rect::new(0, 0, 10, 5), pinned: false });
        s.tabs[t].floating.push(Floating { id: 2, rect: Rect::new(0, 0, 10, 5), pinned: false });
        s.tabs[t].floating_visible = true;
        assert_eq!(s.detach_pane(1), None);
        assert!(s.tabs[t].floating_visible, "one floating pane is left");
        assert_eq!(s.detach_pane(0), Some(0));
        assert!(s.tabs.is_empty());
        assert!(!s.panes.contains_key(&2), "its floating pane went with it");
    }

    #[test]
    fn splitting_a_floating_pane_splits_the_tiled_tree_instead() {
        let mut s = with_panes(&[0, 1, 2]);
        let t = s.add_tab(Some("work".into()), Tile::Pane(0));
        s.tabs[t].floating.push(Floating { id: 1, rect: Rect::new(0, 0, 10, 5), pinned: false });
        assert!(s.split(1, Direction::Vertical, 2));
        assert_eq!(s.tabs[t].tiled.panes(), [0, 2]);
        assert_eq!(s.tabs[t].name, "work");
        let t2 = s.add_tab(None, Tile::Pane(5));
        assert_eq!(s.tabs[t2].name, "Tab #2");
        assert_eq!(s.tab_of(2), Some(0));
        assert_eq!(s.tab_of(5), Some(1));
    }

    #[test]
    fn focus_moves_to_the_neighbour_and_closing_hands_it_on() {
        let mut s = with_panes(&[0, 1, 2]);
        s.add_tab(None, Tile::Pane(0));
        s.split(0, Direction::Vertical, 1);
        s.split(1, Direction::Horizontal, 2);
        // 0 | 1 over 2
        assert_eq!(s.neighbour(0, AREA, 0, Towards::Right), Some(1));
        assert_eq!(s.neighbour(0, AREA, 1, Towards::Down), Some(2));
        assert_eq!(s.neighbour(0, AREA, 2, Towards::Left), Some(0));
        assert_eq!(s.neighbour(0, AREA, 0, Towards::Left), None);
        let mut view = View::default();
        view.focus(&mut s, 2);
        assert_eq!(view.focused(&s), Some(2));
        assert_eq!(view.last_focus, Some(0));
        let heir = s.tabs[0].tiled.heir(2);
        assert_eq!(s.detach_pane(2), None);
        assert_eq!(heir, Some(1));
        // The view falls back on a pane still in the tree.
        assert_eq!(view.focused(&s), Some(0));
    }

    #[test]
    fn up_and_down_walk_a_stack_before_leaving_it() {
        let mut s = with_panes(&[0, 1, 2, 3]);
        s.add_tab(None, Tile::Pane(0));
        s.split(0, Direction::Vertical, 1);
        assert!(s.tabs[0].tiled.stack_with(1, 2));
        assert!(s.tabs[0].tiled.stack_with(2, 3));
        let stack = s.tabs[0].tiled.stack_of(2).map(|st| st.panes.clone());
        assert_eq!(stack, Some(vec![1, 2, 3]));
        assert_eq!(s.neighbour(0, AREA, 1, Towards::Down), Some(2));
        assert_eq!(s.neighbour(0, AREA, 3, Towards::Up), Some(2));
        // Left of any member is the pane beside the stack.
        assert_eq!(s.neighbour(0, AREA, 2, Towards::Left), Some(0));
        // Focusing a collapsed member opens it, and the panes need laying
        // out again.
        let mut view = View::default();
        view.focus(&mut s, 1);
        assert!(std::mem::take(&mut s.relayout_wanted));
        assert_eq!(s.tabs[0].tiled.stack_of(1).map(|st| st.expanded_pane()), Some(1));
        let shown: Vec<PaneId> = s.tabs[0].placements(AREA).iter().filter(|p| !p.collapsed).map(|p| p.id).collect();
        assert_eq!(shown, [0, 1]);
    }

    #[test]
    fn a_pane_behind_a_scrollback_editor_is_still_found_and_saved() {
        let mut s = with_panes(&[0, 7]);
        s.add_tab(None, Tile::Pane(0));
        let original = s.panes.remove(&0).unwrap();
        s.behind_editor.insert(7, original);
        s.replace_in_tabs(0, 7);
        assert_eq!(s.tabs[0].tiled.panes(), [7]);
        assert!(s.pane_mut_any(0).is_some(), "its program still prints");
        assert_eq!(s.pane_for_save(7).map(|p| p.id), Some(0));
    }
}
