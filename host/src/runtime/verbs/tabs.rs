//! Verbs on tabs: new, close, go to (by position, step or name), rename
//! and its undo, move, and the `*-tab-by-id` family.

use anyhow::Result;
use revenant_config::Dir4;
use revenant_session::tiling::Tile;

use crate::ipc::TabOp;

use super::super::Server;
use super::super::clients::Who;

impl Server {
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
            let opts = super::super::apply::ApplyOptions { force_run: false, take_bars: false, lazy: false };
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
        self.with_view(who, |view, session| view.go_to_tab(session, one_based));
    }

    pub(in crate::runtime) fn step_tab(&mut self, who: Who, step: isize) {
        self.with_view(who, |view, session| view.step_tab(session, step));
    }

    pub(in crate::runtime) fn rename_tab(&mut self, who: Who, name: String) -> Result<String, String> {
        let t = self.view(who).tab_index(&self.session);
        self.rename_tab_at(t, name).map(|()| String::new())
    }

    /// Renames tab `t`, keeping the old name for `undo-rename-tab`.
    pub(in crate::runtime) fn rename_tab_at(&mut self, t: usize, name: String) -> Result<(), String> {
        self.session.rename_tab(t, name)?;
        self.unsaved = true;
        Ok(())
    }

    pub(in crate::runtime) fn undo_rename_tab(&mut self, who: Who) {
        let t = self.view(who).tab_index(&self.session);
        self.unsaved |= self.session.undo_rename_tab(t);
    }

    /// `go-to-tab-name`: the first tab of that name, or a new one with
    /// `create`. Answers the tab's number.
    pub(in crate::runtime) fn go_to_tab_name(&mut self, who: Who, name: &str, create: bool) -> Result<String, String> {
        match self.session.tab_named(name) {
            Ok(t) => {
                self.with_view(who, |view, _| view.tab = t);
                Ok(String::new())
            }
            Err(why) if !create => Err(format!("{why}; --create opens one")),
            Err(_) => self.new_tab(who, Some(name.to_owned())).map(|_| String::new()).map_err(|e| format!("{e:#}")),
        }
    }

    /// The focused tab changes places with the one left or right of it;
    /// past an end it goes to the other end (as in Zellij), the others
    /// moving up one. Every view keeps looking at the tab it looked at.
    pub(in crate::runtime) fn move_tab(&mut self, who: Who, dir: Dir4) {
        let from = self.view(who).tab_index(&self.session);
        let Some(order) = self.session.move_tab(from, matches!(dir, Dir4::Right | Dir4::Down)) else { return };
        for view in self.views_mut() {
            view.follow_tab_move(&order);
        }
        self.unsaved = true;
    }

    /// The position of the tab with stable id `id`.
    pub(in crate::runtime) fn tab_by_id(&self, id: u32) -> Result<usize, String> {
        self.session.tab_by_id(id)
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
}
