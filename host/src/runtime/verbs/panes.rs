//! Verbs on panes: new (tiled, floating, stacked), focus and its order,
//! fullscreen, floating and embedding, moving, renaming, clearing, held
//! commands, frames, and the `--pane-id` family with `stack-panes`.

use std::path::PathBuf;

use anyhow::Result;
use revenant_config::Dir4;
use revenant_session::Floating;
use revenant_session::tab::default_floating_rect;
use revenant_session::tiling::{Direction, PaneId, Rect, Towards};

use crate::ipc::{PaneOp, SplitDirection};

use super::super::Server;
use super::super::clients::Who;

/// What a new pane is to be: where it goes and what it runs.
#[derive(Debug, Default)]
pub(in crate::runtime) struct PaneRequest {
    pub direction: Option<SplitDirection>,
    pub floating: bool,
    /// Empty: the shell.
    pub argv: Vec<String>,
    pub cwd: Option<PathBuf>,
    pub name: Option<String>,
    pub close_on_exit: bool,
    /// Behind "Press ENTER to run…" until ENTER.
    pub start_suspended: bool,
}

impl Server {
    /// Opens a pane next to the focused one (or floating) and focuses it.
    pub(in crate::runtime) fn new_pane(&mut self, who: Who, req: PaneRequest) -> Result<PaneId> {
        let PaneRequest { direction, floating, argv, cwd, name, close_on_exit, start_suspended } = req;
        let focused = self.focused(who);
        // A new pane starts where the user is working.
        let cwd = cwd.or_else(|| focused.and_then(|id| self.session.panes.get(&id)).and_then(|p| p.cwd()));
        let tab = self.view(who).tab_index(&self.session);
        let floating = floating || self.session.tabs.get(tab).is_some_and(|t| t.floating_visible);
        let held = start_suspended && !argv.is_empty();
        let id = self.spawn_pane(argv, cwd, name, held)?;
        if let Some(pane) = self.session.panes.get_mut(&id) {
            pane.close_on_exit = close_on_exit;
        }
        let area = self.pane_area();
        let t = &mut self.session.tabs[tab];
        if floating {
            let rect =
                default_floating_rect(revenant_session::tiling::Rect::new(0, 0, area.w, area.h), t.floating.len());
            t.floating.push(Floating { id, rect, pinned: false });
            t.floating_visible = true;
            // A floating swap layout in use places the new pane too.
            self.reapply_swap(tab);
        } else {
            let target = focused.filter(|f| t.tiled.contains(*f)).unwrap_or_else(|| t.tiled.panes()[0]);
            // A new pane opened from a stacked pane joins its stack, as in
            // Zellij; `--stacked` starts a stack.
            let in_stack = t.tiled.stack_of(target).is_some();
            if direction == Some(SplitDirection::Stacked) || (direction.is_none() && in_stack) {
                t.fullscreen = None;
                t.tiled.stack_with(target, id);
                // Stacked by hand: the swap layout no longer re-applies.
                t.swap_dirty |= direction.is_some();
                self.with_view(who, |view, session| view.focus(session, id));
                self.relayout();
                return Ok(id);
            }
            let dir = match direction {
                Some(SplitDirection::Stacked) => unreachable!("stacked above"),
                Some(SplitDirection::Right) => Direction::Vertical,
                Some(SplitDirection::Down) => Direction::Horizontal,
                None => t.longer_side_split(target, area),
            };
            self.session.split(target, dir, id);
            if direction.is_some() {
                // A split in a chosen direction is arranging by hand.
                self.session.tabs[tab].swap_dirty = true;
            } else {
                self.reapply_swap(tab);
            }
        }
        self.with_view(who, |view, session| view.focus(session, id));
        self.relayout();
        Ok(id)
    }

    pub(in crate::runtime) fn toggle_fullscreen(&mut self, who: Who) {
        if let Some(id) = self.focused(who)
            && self.session.toggle_fullscreen(id)
        {
            self.relayout();
        }
    }

    /// Shows or hides the tab's floating panes; with none, opens one.
    pub(in crate::runtime) fn toggle_floating(&mut self, who: Who) {
        let t = self.view(who).tab_index(&self.session);
        let Some(tab) = self.session.tabs.get_mut(t) else { return };
        if tab.floating.is_empty() {
            if let Err(e) = self.new_pane(who, PaneRequest { floating: true, ..Default::default() }) {
                tracing::warn!("new floating pane: {e:#}");
            }
            return;
        }
        tab.floating_visible = !tab.floating_visible;
        self.dirty = true;
    }

    /// `or_tab`: at the tab's left or right edge, go to the neighbouring
    /// tab (Zellij's `MoveFocusOrTab`).
    pub(in crate::runtime) fn move_focus(&mut self, who: Who, towards: Towards, or_tab: bool) {
        let Some(from) = self.focused(who) else { return };
        let Some(t) = self.session.tab_of(from) else { return };
        let area = self.pane_area();
        let tab = &self.session.tabs[t];
        let target = if tab.is_floating(from) {
            // Floating panes have no grid: cycle through them.
            let ids: Vec<PaneId> = tab.floating.iter().map(|f| f.id).collect();
            let i = ids.iter().position(|&id| id == from).unwrap_or(0);
            let step = if matches!(towards, Towards::Right | Towards::Down) { 1 } else { ids.len() - 1 };
            Some(ids[(i + step) % ids.len()])
        } else if tab.fullscreen.is_some() {
            None
        } else {
            self.session.neighbour(t, area, from, towards)
        };
        if let Some(target) = target {
            self.with_view(who, |view, session| view.focus(session, target));
        } else if or_tab && matches!(towards, Towards::Left | Towards::Right) && !tab.is_floating(from) {
            // At the edge, left/right moves to the neighbouring tab, as in Zellij.
            self.step_tab(who, if towards == Towards::Right { 1 } else { -1 });
        }
        self.dirty = true;
    }

    /// `focus-next-pane` (1) and `focus-previous-pane` (-1).
    pub(in crate::runtime) fn focus_step(&mut self, who: Who, step: isize) {
        self.with_view(who, |view, session| view.focus_step(session, step));
    }

    /// `move-pane`: the focused tiled pane changes places with its
    /// neighbour that way, or (`None`) with the next pane in focus order;
    /// `step` -1 is `MovePaneBackwards`. The pane keeps the focus.
    pub(in crate::runtime) fn move_pane(&mut self, who: Who, dir: Option<Dir4>, step: isize) {
        let Some(from) = self.focused(who) else { return };
        if self.session.move_pane(from, dir.map(Towards::from), step, self.pane_area()) {
            self.unsaved = true;
            self.relayout();
        }
    }

    /// `show-floating-panes` / `hide-floating-panes`.
    pub(in crate::runtime) fn set_floating_visible(&mut self, who: Who, visible: bool) {
        let t = self.view(who).tab_index(&self.session);
        self.session.set_floating_visible(t, visible);
    }

    /// A floating pane joins the tiled panes (splitting the pane focused
    /// there); a tiled one floats over them. The last tiled pane stays: a
    /// tab needs one.
    pub(in crate::runtime) fn toggle_embed_or_floating(&mut self, who: Who) -> Result<(), String> {
        let id = self.focused(who).ok_or("the session has no panes")?;
        let t = self.session.tab_of(id).ok_or("the focused pane is gone")?;
        let area = self.pane_area();
        let tiled_focus = self.view(who).tiled_focus.clone();
        let tab = &mut self.session.tabs[t];
        if tab.is_floating(id) {
            tab.floating.retain(|f| f.id != id);
            tab.floating_visible = !tab.floating.is_empty() && tab.floating_visible;
            let target = tiled_focus.get(&tab.id).copied().filter(|p| tab.tiled.contains(*p));
            let target = target.unwrap_or_else(|| tab.tiled.panes()[0]);
            let dir = tab.longer_side_split(target, area);
            self.session.split(target, dir, id);
            self.session.tabs[t].floating_visible = false;
        } else {
            if tab.tiled.panes().len() < 2 {
                return Err("the tab's only tiled pane cannot float: a tab needs one".into());
            }
            tab.tiled.remove(id);
            if tab.fullscreen == Some(id) {
                tab.fullscreen = None;
            }
            let rect =
                default_floating_rect(revenant_session::tiling::Rect::new(0, 0, area.w, area.h), tab.floating.len());
            tab.floating.push(Floating { id, rect, pinned: false });
            tab.floating_visible = true;
        }
        self.with_view(who, |view, session| view.focus(session, id));
        self.unsaved = true;
        self.relayout();
        Ok(())
    }

    pub(in crate::runtime) fn rename_pane(&mut self, who: Who, name: String) -> Result<String, String> {
        let id = self.focused(who).ok_or("the session has no panes")?;
        let pane = self.session.panes.get_mut(&id).ok_or("the focused pane is gone")?;
        let name = (!name.is_empty()).then_some(name);
        pane.previous_name = Some(std::mem::replace(&mut pane.name, name));
        self.unsaved = true;
        Ok(String::new())
    }

    pub(in crate::runtime) fn undo_rename_pane(&mut self, who: Who) {
        if let Some(id) = self.focused(who)
            && let Some(pane) = self.session.panes.get_mut(&id)
            && let Some(previous) = pane.previous_name.take()
        {
            pane.name = previous;
            self.unsaved = true;
        }
    }

    /// Clears the focused pane's screen and scrollback, as Zellij's
    /// `clear`; the program redraws what it likes on its next output.
    pub(in crate::runtime) fn clear_focused(&mut self, who: Who) {
        let Some(id) = self.focused(who) else { return };
        if let Some(pane) = self.session.panes.get_mut(&id) {
            // ED 3 drops the scrollback, ED 2 the screen; home the cursor.
            pane.term.advance(b"\x1b[3J\x1b[2J\x1b[H");
            pane.scroll = 0;
        }
    }

    /// Starts a held-back command, or runs an exited one again (on a clean
    /// screen; a held-back one keeps the text it was given to show).
    pub(in crate::runtime) fn run_held(&mut self, id: PaneId) {
        self.wake(&[id]);
        let Some(mut pane) = self.session.panes.remove(&id) else { return };
        if !pane.suspended {
            pane.term =
                revenant_terminal::Terminal::new(pane.term.cols(), pane.term.rows(), self.config.scroll_buffer_size);
        }
        if let Err(e) = self.start_process(&mut pane) {
            tracing::warn!(pane = id, "re-run failed: {e:#}");
        }
        self.session.panes.insert(id, pane);
        self.dirty = true;
    }

    /// Replaces a held-back or exited command with the user's shell in the
    /// pane's folder (Esc on the banner, as Zellij's "drop to shell"): a
    /// resurrected `sleep 0.5` of a loop is not a dead end. What the pane
    /// shows stays; the prompt starts on a line of its own below it.
    pub(in crate::runtime) fn drop_to_shell(&mut self, id: PaneId) {
        self.wake(&[id]);
        let Some(mut pane) = self.session.panes.remove(&id) else { return };
        pane.spec.argv.clear();
        pane.is_command = false;
        pane.close_on_exit = false;
        if pane.term.cursor().col > 0 {
            pane.term.advance(b"\r\n");
        }
        if let Err(e) = self.start_process(&mut pane) {
            tracing::warn!(pane = id, "no shell: {e:#}");
            self.post_notice(format!("pane {id}: cannot start the shell: {e:#}"));
        }
        self.session.panes.insert(id, pane);
        self.dirty = true;
    }

    pub(in crate::runtime) fn toggle_pane_frames(&mut self) {
        self.config.pane_frames = !self.config.pane_frames;
        self.relayout();
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
            PaneOp::SetSaveContents(save) => {
                self.session.panes.get_mut(&id).expect("checked").never_save_contents = !save;
                // Sent whole again if it is saved again.
                self.sent_screens.remove(&id);
                self.changed();
            }
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
