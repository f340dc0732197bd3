//! The mouse on what Revenant draws around the panes: a click on a tab's
//! label goes to that tab, the wheel over the tab bar steps through the
//! tabs, a drag on the border between two framed panes moves it, and a
//! click on a stack's list of titles opens that member. The
//! tab under the pointer is found by the same arithmetic that drew the
//! bar (`frames::tab_bar`).

use revenant_session::bars::BarKind;
use revenant_session::input::{Mouse, MouseButton, MouseKind};
use revenant_session::tiling::{PaneId, Towards};

use super::Server;
use super::clients::Who;
use crate::frames::{render, tab_bar};
use crate::ipc::Role;

impl Server {
    /// Handles `m` if it is on the chrome; true when it was.
    pub(super) fn chrome_mouse(&mut self, who: Who, m: Mouse) -> bool {
        if self.border_mouse(who, m) {
            return true;
        }
        let Some(with_mode) = self.tab_bar_at(who, m.row) else { return false };
        match m.kind {
            MouseKind::Down(MouseButton::Left) => {
                let view = self.view(who);
                let watcher = match who {
                    Who::Client(id) => self.clients.get(&id).is_some_and(|c| c.role == Some(Role::Watch)),
                    Who::Active => false,
                };
                let ctx = render::Context {
                    session: &self.session,
                    view,
                    area: self.pane_area(),
                    frames: self.config.pane_frames,
                    hints: &[],
                    watcher,
                    notice: self.notice.as_ref().map(|(text, _)| text.as_str()),
                    swap: None,
                    ui: self.theme_colours.get(None),
                };
                if let Some(t) = tab_bar::tab_at(&ctx, with_mode, m.col) {
                    self.go_to_tab(who, t as u32 + 1);
                }
            }
            MouseKind::ScrollUp => self.step_tab(who, -1),
            MouseKind::ScrollDown => self.step_tab(who, 1),
            _ => {}
        }
        true
    }

    /// A press on a framed pane's border between two tiled panes starts
    /// moving it; the drag moves it under the pointer; the release ends.
    fn border_mouse(&mut self, who: Who, m: Mouse) -> bool {
        let area = self.pane_area();
        if let Some((id, towards)) = self.view(who).resizing {
            if let MouseKind::Drag(MouseButton::Left) = m.kind {
                let to = if matches!(towards, Towards::Left | Towards::Right) { m.col } else { m.row };
                let t = self.session.tab_of(id);
                if let Some(tab) = t.and_then(|t| self.session.tabs.get_mut(t))
                    && tab.drag_border(area, id, towards, to)
                {
                    self.relayout();
                }
            } else {
                self.with_view(who, |view, _| view.resizing = None);
            }
            return true;
        }
        if m.kind != MouseKind::Down(MouseButton::Left) || !self.config.pane_frames || m.mods.shift {
            return false;
        }
        let Some(tab) = self.view(who).tab(&self.session) else { return false };
        let Some(edge) = tab.border_at(area, m.col, m.row) else { return false };
        self.with_view(who, |view, _| view.resizing = Some(edge));
        true
    }

    /// Whether row `row` of this client's screen is a tab bar, and whether
    /// it is the compact one (which shows the mode first).
    fn tab_bar_at(&self, who: Who, row: u16) -> Option<bool> {
        let bars = self.session.bars;
        let rows = match who {
            Who::Client(id) => self.clients.get(&id).map_or(self.size.1, |c| c.rows),
            Who::Active => self.size.1,
        };
        let tabs = |kind: BarKind| matches!(kind, BarKind::Tabs | BarKind::Compact).then_some(kind == BarKind::Compact);
        if let Some(bar) = bars.top
            && row < bar.rows.min(self.pane_area().y)
        {
            return tabs(bar.kind);
        }
        if let Some(bar) = bars.bottom
            && row >= rows.saturating_sub(bar.rows)
            && row >= self.pane_area().y + self.pane_area().h
        {
            return tabs(bar.kind);
        }
        None
    }

    /// The stack member whose title is at row `row` of the list drawn at
    /// the top of the open pane `open`, if the row is in that list.
    pub(super) fn stack_title_at(&self, open: PaneId, row: u16) -> Option<PaneId> {
        let t = self.session.tab_of(open)?;
        let tab = &self.session.tabs[t];
        let stack = tab.tiled.stack_of(open)?;
        let p = tab.placements_with(self.pane_area(), true).into_iter().find(|p| p.id == open)?;
        let borderless = self.session.panes.get(&open).is_some_and(|p| p.borderless);
        let frame_inner = render::inner(p.rect, render::framed(self.config.pane_frames, p.floating, borderless));
        let listed = (stack.panes.len() as u16).min(frame_inner.h.saturating_sub(1));
        let k = row.checked_sub(frame_inner.y).filter(|k| *k < listed)?;
        stack.panes.get(usize::from(k)).copied()
    }
}
