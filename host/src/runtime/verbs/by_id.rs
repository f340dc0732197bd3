//! Verbs aimed at a tab or pane by its id rather than at the focused one
//! (Zellij's `*-by-id`, `--pane-id` and `stack-panes`).

use crate::ipc::{PaneOp, TabOp};
use revenant_session::tiling::{PaneId, Rect};

use super::super::Server;
use super::super::clients::Who;

impl Server {
    /// The position of the tab with stable id `id`.
    pub(in crate::runtime) fn tab_by_id(&self, id: u32) -> Result<usize, String> {
        self.session.tabs.iter().position(|t| t.id == id).ok_or_else(|| {
            let ids: Vec<String> = self.session.tabs.iter().map(|t| format!("{} ({})", t.id, t.name)).collect();
            format!("no tab with id {id} (the tabs: {})", ids.join(", "))
        })
    }

    pub(in crate::runtime) fn tab_op(&mut self, id: u32, op: TabOp) -> Result<String, String> {
        let t = self.tab_by_id(id)?;
        match op {
            TabOp::Close => self.close_tab_at(t),
            TabOp::GoTo => self.with_view(Who::Active, |view, _| view.tab = t),
            TabOp::Rename(name) => self.rename_tab_at(t, name)?,
        }
        self.unsaved = true;
        Ok(String::new())
    }

    fn target_pane(&self, who: Who, pane: Option<u32>) -> Result<PaneId, String> {
        match pane {
            Some(id) if self.session.panes.contains_key(&id) => Ok(id),
            Some(id) => Err(format!("no pane with id {id}")),
            None => self.focused(who).ok_or_else(|| "the session has no panes".into()),
        }
    }

    pub(in crate::runtime) fn pane_op(&mut self, who: Who, pane: Option<u32>, op: PaneOp) -> Result<String, String> {
        let id = self.target_pane(who, pane)?;
        let t = self.session.tab_of(id).ok_or("the pane is not in a tab")?;
        let area = self.pane_area();
        match op {
            PaneOp::TogglePinned => {
                let tab = &mut self.session.tabs[t];
                let f = tab.floating.iter_mut().find(|f| f.id == id).ok_or("only a floating pane can be pinned")?;
                f.pinned = !f.pinned;
            }
            PaneOp::SetBorderless(on) => self.session.panes.get_mut(&id).expect("checked").borderless = on,
            PaneOp::ToggleBorderless => {
                let pane = self.session.panes.get_mut(&id).expect("checked");
                pane.borderless = !pane.borderless;
            }
            PaneOp::SetColours { fg, bg, reset } => {
                let parse = |c: Option<String>| c.map(|c| revenant_layout::Colour::parse(&c)).transpose();
                let (fg, bg) = (parse(fg)?, parse(bg)?);
                let pane = self.session.panes.get_mut(&id).expect("checked");
                if reset {
                    pane.default_fg = None;
                    pane.default_bg = None;
                }
                if fg.is_some() {
                    pane.default_fg = fg;
                }
                if bg.is_some() {
                    pane.default_bg = bg;
                }
            }
            PaneOp::Coordinates { x, y, width, height, pinned } => {
                let tab = &mut self.session.tabs[t];
                let f = tab.floating.iter_mut().find(|f| f.id == id).ok_or("the pane is not floating")?;
                let r = f.rect;
                let x = extent(x.as_deref(), area.w, r.x)?;
                let y = extent(y.as_deref(), area.h, r.y)?;
                let w = extent(width.as_deref(), area.w, r.w)?.max(1);
                let h = extent(height.as_deref(), area.h, r.h)?.max(1);
                f.rect = Rect::new(x, y, w, h);
                if let Some(p) = pinned {
                    f.pinned = p;
                }
            }
        }
        self.unsaved = true;
        self.relayout();
        Ok(String::new())
    }

    /// `stack-panes`: the first pane's place takes them all, in order; they
    /// must share a tab, and the first must be tiled.
    pub(in crate::runtime) fn stack_panes(&mut self, ids: &[u32]) -> Result<String, String> {
        let (first, rest) = ids.split_first().ok_or("name the panes to stack")?;
        for id in ids {
            if !self.session.panes.contains_key(id) {
                return Err(format!("no pane with id {id}"));
            }
        }
        let t = self.session.tab_of(*first).ok_or("the pane is not in a tab")?;
        if let Some(other) = rest.iter().find(|id| self.session.tab_of(**id) != Some(t)) {
            return Err(format!("pane {other} is in another tab than pane {first}"));
        }
        let tab = &mut self.session.tabs[t];
        if tab.is_floating(*first) {
            return Err(format!("pane {first} floats: the first pane of a stack must be tiled"));
        }
        let mut below = *first;
        for id in rest.iter().filter(|id| **id != *first) {
            if tab.is_floating(*id) {
                tab.floating.retain(|f| f.id != *id);
            } else {
                tab.tiled.remove(*id);
            }
            tab.tiled.stack_with(below, *id);
            below = *id;
        }
        tab.fullscreen = None;
        tab.swap_dirty = true;
        self.unsaved = true;
        self.relayout();
        Ok(String::new())
    }
}

/// `12` cells or `10%` of `of`; unset keeps `current`.
fn extent(text: Option<&str>, of: u16, current: u16) -> Result<u16, String> {
    let Some(text) = text else { return Ok(current) };
    let bad = || format!("`{text}` is not a number of cells or a percentage (12, 10%)");
    match text.strip_suffix('%') {
        Some(p) => {
            let p: f64 = p.trim().parse().map_err(|_| bad())?;
            if !(0.0..=100.0).contains(&p) {
                return Err(bad());
            }
            Ok((f64::from(of) * p / 100.0).round() as u16)
        }
        None => text.trim().parse().map_err(|_| bad()),
    }
}
