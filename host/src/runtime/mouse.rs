//! Selecting text with the mouse: drag selects inside one pane (over
//! scrolled-back lines too), a double click a word, a triple click a line
//! (or a command's whole output, with the shell integration).
//! Releasing copies. Programs that asked for the mouse get it instead, and
//! Shift is left to the outer terminal's own selection. What a selection is
//! and the text it covers are the model's (`revenant_session::selection`).

use std::time::Instant;

use revenant_session::input::{Key, KeyCode, Mouse, MouseButton, MouseKind};
use revenant_session::pane_input;
use revenant_session::selection::{Click, Point, Selection, Unit, top_line};
use revenant_session::tiling::{PaneId, Rect};

use super::Server;
use super::clients::Who;
use crate::frames::render;

impl Server {
    pub(super) fn mouse(&mut self, who: Who, m: Mouse) {
        if !self.config.mouse_mode {
            return;
        }
        let selecting = self.view(who).selecting;
        if let Some(id) = selecting
            && matches!(m.kind, MouseKind::Drag(MouseButton::Left) | MouseKind::Up(MouseButton::Left))
        {
            self.extend_selection(who, id, m);
            return;
        }
        if self.chrome_mouse(who, m) {
            return;
        }
        let Some(tab) = self.view(who).tab(&self.session) else { return };
        // A stack's hidden members share its rectangle: only the open one
        // takes clicks.
        let hit =
            tab.placements(self.pane_area()).into_iter().rev().find(|p| !p.collapsed && p.rect.contains(m.col, m.row));
        let Some(hit) = hit else { return };
        if let MouseKind::Down(MouseButton::Left) = m.kind
            && let Some(member) = self.stack_title_at(hit.id, m.row)
        {
            self.with_view(who, |view, session| view.focus(session, member));
            return;
        }
        let inner = self.pane_inner(hit.id).unwrap_or(hit.rect);
        let focused = self.focused(who) == Some(hit.id);
        if let MouseKind::Down(_) = m.kind
            && !focused
        {
            self.with_view(who, |view, session| view.focus(session, hit.id));
        }
        let Some(pane) = self.session.panes.get_mut(&hit.id) else { return };
        let modes = pane.term.modes();
        let (col, row) = (m.col.saturating_sub(inner.x), m.row.saturating_sub(inner.y));
        if let Some(bytes) = pane_input::mouse(&m, col, row, &modes) {
            // A program that asked for the mouse gets it (not the click
            // that focused its pane).
            if focused {
                let _ = pane.write(&bytes);
            }
            return;
        }
        match m.kind {
            MouseKind::ScrollUp | MouseKind::ScrollDown if modes.alt_screen => {
                // Full-screen programs without mouse support get arrow keys.
                let code = if m.kind == MouseKind::ScrollUp { KeyCode::Up } else { KeyCode::Down };
                let bytes = pane_input::key(Key { code, mods: Default::default() }, &modes);
                let _ = pane.write(&bytes.repeat(3));
            }
            MouseKind::ScrollUp => pane.scroll_up(3),
            MouseKind::ScrollDown => pane.scroll_down(3),
            // Shift-drag belongs to the outer terminal's own selection.
            MouseKind::Down(MouseButton::Left) if !m.mods.shift => {
                let point = Point { line: top_line(&pane.term, pane.scroll) + usize::from(row), col };
                let click = Click::after(self.view(who).last_click, hit.id, point, Instant::now());
                let unit = click.unit();
                let pane = self.session.panes.get_mut(&hit.id).expect("hit above");
                pane.selection = Some(Selection::new(point, unit));
                // A triple click on a command's output (OSC 133) takes all of it.
                if unit == Unit::Line
                    && let Some((first, last)) = revenant_session::prompts::output_around(&pane.term, point.line)
                    && (first..=last).contains(&point.line)
                {
                    pane.selection = Some(Selection::lines(first, last));
                }
                self.with_view(who, |view, _| {
                    view.last_click = Some(click);
                    view.selecting = Some(hit.id);
                });
                if unit != Unit::Char {
                    self.selection_done(who, hit.id);
                }
            }
            _ => {}
        }
    }

    /// Where a pane's terminal is drawn on the client's screen.
    fn pane_inner(&self, id: PaneId) -> Option<Rect> {
        let t = self.session.tab_of(id)?;
        let tab = &self.session.tabs[t];
        let p = tab.placements_with(self.pane_area(), true).into_iter().find(|p| p.id == id)?;
        let borderless = self.session.panes.get(&id).is_some_and(|p| p.borderless);
        let list = tab.tiled.stack_of(id).map_or(0, |s| s.panes.len() as u16);
        Some(render::below_list(
            render::inner(p.rect, render::framed(self.config.pane_frames, p.floating, borderless)),
            list,
        ))
    }

    /// A drag moves the selection's free end (scrolling when it leaves
    /// the pane at the top or bottom); the release copies it.
    fn extend_selection(&mut self, who: Who, id: PaneId, m: Mouse) {
        let Some(inner) = self.pane_inner(id) else {
            self.with_view(who, |view, _| view.selecting = None);
            return;
        };
        let Some(pane) = self.session.panes.get_mut(&id) else { return };
        if m.row < inner.y {
            pane.scroll_up(1);
        } else if m.row >= inner.y + inner.h {
            pane.scroll_down(1);
        }
        let row = m.row.clamp(inner.y, inner.y + inner.h.saturating_sub(1)) - inner.y;
        let col = m.col.clamp(inner.x, inner.x + inner.w.saturating_sub(1)) - inner.x;
        let point = Point { line: top_line(&pane.term, pane.scroll) + usize::from(row), col };
        if let Some(sel) = &mut pane.selection {
            sel.set_head(point);
        }
        if let MouseKind::Up(_) = m.kind {
            self.with_view(who, |view, _| view.selecting = None);
            self.selection_done(who, id);
        }
    }

    fn selection_done(&mut self, who: Who, id: PaneId) {
        if self.config.copy_on_select {
            self.copy_pane_selection(who, id);
        }
    }

    /// `Copy`: the focused pane's selection to the clipboard.
    pub(super) fn copy_selection(&mut self, who: Who) {
        if let Some(id) = self.focused(who) {
            self.copy_pane_selection(who, id);
        }
    }

    fn copy_pane_selection(&mut self, who: Who, id: PaneId) {
        let Some(pane) = self.session.panes.get(&id) else { return };
        let Some(sel) = pane.selection.filter(|s| !s.is_empty()) else { return };
        let text = sel.text(&pane.term);
        if !text.is_empty() {
            self.copy_to_clipboard(who, text);
        }
    }
}
