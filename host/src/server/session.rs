//! The session's shape: tabs, their tiled trees and floating panes, and the
//! panes themselves. Everything here is synchronous state; the event loop
//! drives it.

use std::collections::BTreeMap;

use crate::tiling::{self, Direction, PaneId, Rect, Tile, Towards};

use super::pane::Pane;

pub struct Tab {
    pub id: u32,
    pub name: String,
    pub tiled: Tile,
    pub floating: Vec<Floating>,
    pub floating_visible: bool,
    pub fullscreen: Option<PaneId>,
    /// The session's swap layout (an index into `Session::swap_tiled`)
    /// arranging the tiled panes; `None`: the tab's own layout.
    pub swap: Option<usize>,
    /// The same for the floating panes (`Session::swap_floating`).
    pub swap_floating: Option<usize>,
    /// Set once the user arranged the panes by hand (a resize, a split in
    /// a chosen direction): opening and closing panes no longer re-apply
    /// the swap layout, until one is chosen again.
    pub swap_dirty: bool,
    /// The tab's own layout, to arrange its panes again (BASE in the swap
    /// cycle); `None` for a tab not made from a layout.
    pub base: Option<revenant_layout::PaneNode>,
    /// The name before the last rename (`undo-rename-tab`).
    pub previous_name: Option<String>,
    /// Typing goes to every pane of the tab (`toggle-active-sync-tab`).
    pub sync: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Floating {
    pub id: PaneId,
    /// Relative to the tab's area.
    pub rect: Rect,
    /// Stays on screen while the tab's floating panes are hidden (Zellij's
    /// `pinned`), without taking the keyboard from the tiled panes.
    pub pinned: bool,
}

impl Tab {
    pub fn pane_ids(&self) -> Vec<PaneId> {
        let mut ids = self.tiled.panes();
        ids.extend(self.floating.iter().map(|f| f.id));
        ids
    }

    pub fn contains(&self, id: PaneId) -> bool {
        self.tiled.contains(id) || self.floating.iter().any(|f| f.id == id)
    }

    pub fn is_floating(&self, id: PaneId) -> bool {
        self.floating.iter().any(|f| f.id == id)
    }

    /// How to split tiled pane `target` when no direction is asked for:
    /// along its longer side (cells are about twice as tall as wide).
    pub fn longer_side_split(&self, target: PaneId, area: Rect) -> Direction {
        let rects = self.tiled.layout(area);
        let r = rects.iter().find(|(p, _)| *p == target).map_or(area, |(_, r)| *r);
        if r.w >= r.h * 2 { Direction::Vertical } else { Direction::Horizontal }
    }

    /// Where every pane of this tab sits inside `area` (tab coordinates are
    /// offset by `area`'s origin). Floating panes come last (drawn on top).
    pub fn placements(&self, area: Rect) -> Vec<Placement> {
        self.placements_with(area, self.floating_visible)
    }

    /// Like [`Tab::placements`], optionally including hidden floating panes
    /// (for listings, which report every pane).
    pub fn placements_with(&self, area: Rect, with_floating: bool) -> Vec<Placement> {
        let mut out: Vec<Placement> = match self.fullscreen.filter(|id| self.tiled.contains(*id)) {
            Some(id) => vec![Placement { id, rect: area, floating: false, collapsed: false }],
            None => {
                let collapsed = self.tiled.collapsed();
                self.tiled
                    .layout(area)
                    .into_iter()
                    .map(|(id, rect)| Placement { id, rect, floating: false, collapsed: collapsed.contains(&id) })
                    .collect()
            }
        };
        for f in self.floating.iter().filter(|f| with_floating || f.pinned) {
            out.push(Placement { id: f.id, rect: clamp_floating(f.rect, area), floating: true, collapsed: false });
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub id: PaneId,
    pub rect: Rect,
    pub floating: bool,
    /// A stacked pane showing only its title row.
    pub collapsed: bool,
}

/// Keeps a floating pane on screen, however small the screen got.
fn clamp_floating(r: Rect, area: Rect) -> Rect {
    let w = r.w.clamp(1, area.w.max(1));
    let h = r.h.clamp(1, area.h.max(1));
    let x = area.x + r.x.min(area.w.saturating_sub(w));
    let y = area.y + r.y.min(area.h.saturating_sub(h));
    Rect::new(x, y, w, h)
}

/// The default geometry of a new floating pane: half the area, centred,
/// shifted a little for each floating pane already there.
pub fn default_floating_rect(area: Rect, existing: usize) -> Rect {
    let w = (area.w / 2).max(10).min(area.w);
    let h = (area.h / 2).max(5).min(area.h);
    let shift = (existing as u16 % 5) * 2;
    let x = (area.w.saturating_sub(w) / 2 + shift).min(area.w.saturating_sub(w));
    let y = (area.h.saturating_sub(h) / 2 + shift).min(area.h.saturating_sub(h));
    Rect::new(x, y, w, h)
}

/// The host's own bars, which stand in for Zellij's bar plugins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarKind {
    /// `tab-bar`: the session name and the tabs.
    Tabs,
    /// `status-bar`: the mode and its keys.
    Status,
    /// `compact-bar`: name, mode and tabs on one line.
    Compact,
}

impl BarKind {
    /// The bar a layout's plugin location stands for.
    /// `zellij:tab-bar`, `revenant:tab-bar`, or the bare `tab-bar`, which
    /// Zellij's default config defines as an alias of its own bar.
    pub fn from_location(location: &str) -> Option<BarKind> {
        let bare = location.strip_prefix("zellij:").or_else(|| location.strip_prefix("revenant:")).unwrap_or(location);
        match bare {
            "tab-bar" => Some(BarKind::Tabs),
            "status-bar" => Some(BarKind::Status),
            "compact-bar" => Some(BarKind::Compact),
            _ => None,
        }
    }

    /// The plugin location written for this bar when the session is saved
    /// (Zellij's names, so Zellij opens the layout with its own bars).
    pub fn location(self) -> &'static str {
        match self {
            BarKind::Tabs => "zellij:tab-bar",
            BarKind::Status => "zellij:status-bar",
            BarKind::Compact => "zellij:compact-bar",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bar {
    pub kind: BarKind,
    pub rows: u16,
}

/// At most one bar above the panes and one below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Bars {
    pub top: Option<Bar>,
    pub bottom: Option<Bar>,
}

impl Bars {
    /// What a session gets when nothing says otherwise: the built-in
    /// default layout's one-line tab bar and status bar.
    pub fn standard() -> Bars {
        Bars { top: Some(Bar { kind: BarKind::Tabs, rows: 1 }), bottom: Some(Bar { kind: BarKind::Status, rows: 1 }) }
    }

    pub fn top_rows(&self) -> u16 {
        self.top.map_or(0, |b| b.rows)
    }

    pub fn bottom_rows(&self) -> u16 {
        self.bottom.map_or(0, |b| b.rows)
    }

    /// The rows left for panes on a screen `rows` high (at least one).
    pub fn pane_area(&self, cols: u16, rows: u16) -> Rect {
        let top = self.top_rows().min(rows.saturating_sub(1));
        let bottom = self.bottom_rows().min(rows.saturating_sub(1 + top));
        Rect::new(0, top, cols, rows.saturating_sub(top + bottom).max(1))
    }
}

pub struct Session {
    pub name: String,
    pub created_unix: u64,
    pub tabs: Vec<Tab>,
    pub panes: BTreeMap<PaneId, Pane>,
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
    pub behind_editor: BTreeMap<PaneId, Pane>,
    next_pane: PaneId,
    next_tab: u32,
}

impl Session {
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
        self.tabs.push(Tab {
            id,
            name,
            tiled,
            floating: Vec::new(),
            floating_visible: false,
            fullscreen: None,
            swap: None,
            swap_floating: None,
            swap_dirty: false,
            base: None,
            previous_name: None,
            sync: false,
        });
        self.tabs.len() - 1
    }

    /// A pane by id, also one waiting behind a scrollback editor (its
    /// program keeps running and printing).
    pub fn pane_mut_any(&mut self, id: PaneId) -> Option<&mut Pane> {
        if self.panes.contains_key(&id) {
            return self.panes.get_mut(&id);
        }
        self.behind_editor.values_mut().find(|p| p.id == id)
    }

    /// The pane a save describes at `id`: the one behind a scrollback
    /// editor rather than the editor.
    pub fn pane_for_save(&self, id: PaneId) -> Option<&Pane> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floating_panes_stay_on_screen() {
        let area = Rect::new(0, 1, 80, 22);
        let r = clamp_floating(Rect::new(70, 20, 40, 10), area);
        assert!(r.right() <= 80 && r.bottom() <= 23, "{r:?}");
        let d = default_floating_rect(area, 0);
        assert_eq!((d.w, d.h), (40, 11));
    }

    #[test]
    fn the_last_tiled_pane_takes_its_tab_along() {
        let mut s = Session::new("t".into());
        let t = s.add_tab(None, Tile::Pane(0));
        s.tabs[t].floating.push(Floating { id: 1, rect: Rect::new(0, 0, 10, 5), pinned: false });
        assert_eq!(s.detach_pane(1), None);
        assert_eq!(s.detach_pane(0), Some(0));
        assert!(s.tabs.is_empty());
    }
}
