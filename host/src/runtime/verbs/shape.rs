//! Operations on the session's shape, shared by key bindings and CLI
//! actions: new and closed panes and tabs, focus, fullscreen, floating.

use std::path::PathBuf;

use anyhow::Result;

use crate::ipc::SplitDirection;
use revenant_session::tiling::{Direction, PaneId, Tile, Towards};

use super::super::Server;
use super::super::clients::Who;
use revenant_session::Floating;
use revenant_session::tab::default_floating_rect;

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

    /// A new tab: the layout's `new_tab_template` when the session has one,
    /// else one shell pane where the user is working.
    pub(in crate::runtime) fn new_tab(&mut self, who: Who, name: Option<String>) -> Result<usize> {
        let cwd = self.focused(who).and_then(|id| self.session.panes.get(&id)).and_then(|p| p.cwd());
        if let Some((template, base_dir)) = self.new_tab_template.clone() {
            let mut template = template;
            // The template's panes without a cwd of their own start where
            // the user is, as a plain new tab would.
            if template.cwd.is_none() {
                template.cwd = cwd;
            }
            let opts = super::super::apply::ApplyOptions { force_run: false, take_bars: false };
            let index = self.apply_tab(who, &template, base_dir.as_deref(), &opts, name)?;
            self.with_view(who, |view, _| view.tab = index);
            self.relayout();
            return Ok(index);
        }
        let id = self.spawn_pane(Vec::new(), cwd, None, false)?;
        let index = self.session.add_tab(name, Tile::Pane(id));
        self.with_view(who, |view, _| view.tab = index);
        self.relayout();
        Ok(index)
    }

    pub(in crate::runtime) fn close_tab(&mut self, who: Who) {
        let t = self.view(who).tab_index(&self.session);
        self.close_tab_at(t);
    }

    /// Closes tab `t` and its panes.
    pub(in crate::runtime) fn close_tab_at(&mut self, t: usize) {
        let Some(tab) = self.session.tabs.get(t) else { return };
        for id in tab.pane_ids() {
            self.close_pane(id);
        }
    }

    pub(in crate::runtime) fn go_to_tab(&mut self, who: Who, one_based: u32) {
        let count = self.session.tabs.len();
        if one_based >= 1 && (one_based as usize) <= count {
            self.with_view(who, |view, _| view.tab = one_based as usize - 1);
        }
    }

    pub(in crate::runtime) fn step_tab(&mut self, who: Who, step: isize) {
        let count = self.session.tabs.len() as isize;
        if count == 0 {
            return;
        }
        self.with_view(who, |view, session| {
            let current = view.tab_index(session) as isize;
            view.tab = (current + step).rem_euclid(count) as usize;
        });
    }

    pub(in crate::runtime) fn toggle_fullscreen(&mut self, who: Who) {
        let Some(id) = self.focused(who) else { return };
        let Some(t) = self.session.tab_of(id) else { return };
        let tab = &mut self.session.tabs[t];
        if tab.is_floating(id) {
            return;
        }
        tab.fullscreen = if tab.fullscreen == Some(id) { None } else { Some(id) };
        self.relayout();
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

    /// Starts a held-back command, or runs an exited one again (on a clean
    /// screen; a held-back one keeps the text it was given to show).
    pub(in crate::runtime) fn run_held(&mut self, id: PaneId) {
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
}
