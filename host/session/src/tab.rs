//! A tab: its tiled tree, its floating panes, and where each pane sits.

use crate::tiling::{Direction, PaneId, Rect, Tile};

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
    pub fn new(id: u32, name: String, tiled: Tile) -> Tab {
        Tab {
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
        }
    }

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
pub fn clamp_floating(r: Rect, area: Rect) -> Rect {
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
}
