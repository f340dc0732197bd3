//! Zellij's scripting verbs that are not plain key bindings of their own:
//! renaming and its undo, moving tabs and panes, focus order, floating and
//! embedded panes, frames, and where a client starts.

use revenant_config::Dir4;

use crate::ipc::{ExitReason, StartAt};
use revenant_session::tiling::PaneId;

use super::super::Server;
use super::super::clients::ClientId;
use super::super::clients::Who;
use super::super::input::towards;
use revenant_session::Floating;
use revenant_session::tab::default_floating_rect;

impl Server {
    /// A client that switched here with `--tab-position` / `--pane-id`.
    pub(in crate::runtime) fn start_at(&mut self, client: ClientId, start: StartAt) {
        let who = Who::Client(client);
        if let Some(t) = start.tab_position
            && (t as usize) < self.session.tabs.len()
        {
            self.with_view(who, |view, _| view.tab = t as usize);
        }
        if let Some(id) = start.pane_id
            && self.session.panes.contains_key(&id)
        {
            self.with_view(who, |view, session| view.focus(session, id));
        }
    }

    pub(in crate::runtime) fn rename_tab(&mut self, who: Who, name: String) -> Result<String, String> {
        let t = self.view(who).tab_index(&self.session);
        self.rename_tab_at(t, name).map(|()| String::new())
    }

    /// Renames tab `t`, keeping the old name for `undo-rename-tab`.
    pub(in crate::runtime) fn rename_tab_at(&mut self, t: usize, name: String) -> Result<(), String> {
        if name.trim().is_empty() {
            return Err("a tab's name cannot be empty".into());
        }
        let tab = self.session.tabs.get_mut(t).ok_or("the session has no tabs")?;
        tab.previous_name = Some(std::mem::replace(&mut tab.name, name));
        self.unsaved = true;
        Ok(())
    }

    pub(in crate::runtime) fn undo_rename_tab(&mut self, who: Who) {
        let t = self.view(who).tab_index(&self.session);
        if let Some(tab) = self.session.tabs.get_mut(t)
            && let Some(previous) = tab.previous_name.take()
        {
            tab.name = previous;
            self.unsaved = true;
        }
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

    /// `go-to-tab-name`: the first tab of that name, or a new one with
    /// `create`. Answers the tab's number.
    pub(in crate::runtime) fn go_to_tab_name(&mut self, who: Who, name: &str, create: bool) -> Result<String, String> {
        if let Some(t) = self.session.tabs.iter().position(|t| t.name == name) {
            self.with_view(who, |view, _| view.tab = t);
            return Ok(String::new());
        }
        if !create {
            let names: Vec<&str> = self.session.tabs.iter().map(|t| t.name.as_str()).collect();
            return Err(format!("no tab named {name:?} (the tabs: {}); --create opens one", names.join(", ")));
        }
        self.new_tab(who, Some(name.to_owned())).map(|_| String::new()).map_err(|e| format!("{e:#}"))
    }

    pub(in crate::runtime) fn current_tab_info(&self, json: bool) -> String {
        let view = self.view(Who::Active);
        let t = view.tab_index(&self.session);
        let Some(tab) = self.session.tabs.get(t) else { return String::new() };
        // Zellij 0.45's field names (recorded from its `--json`), and the
        // focused pane.
        let area = self.pane_area();
        let collapsed = tab.tiled.collapsed();
        let info = serde_json::json!({
            "position": t,
            "name": tab.name,
            "active": true,
            "is_fullscreen_active": tab.fullscreen.is_some(),
            "is_sync_panes_active": tab.sync,
            "are_floating_panes_visible": tab.floating_visible,
            "active_swap_layout_name": self.session.swap_name(t),
            "is_swap_layout_dirty": tab.swap_dirty,
            "viewport_rows": area.h,
            "viewport_columns": area.w,
            "display_area_rows": self.size.1,
            "display_area_columns": self.size.0,
            "selectable_tiled_panes_count": tab.tiled.panes().iter().filter(|p| !collapsed.contains(p)).count(),
            "selectable_floating_panes_count": tab.floating.len(),
            "tab_id": tab.id,
            "focused_pane_id": view.focused(&self.session),
        });
        if json {
            return info.to_string() + "\n";
        }
        format!("name: {}\nid: {}\nposition: {}\n", tab.name, tab.id, t)
    }

    pub(in crate::runtime) fn query_tab_names(&self) -> String {
        self.session.tabs.iter().map(|t| format!("{}\n", t.name)).collect()
    }

    /// The focused tab changes places with the one left or right of it;
    /// past an end it goes to the other end (as in Zellij), the others
    /// moving up one. Every view keeps looking at the tab it looked at.
    pub(in crate::runtime) fn move_tab(&mut self, who: Who, dir: Dir4) {
        let count = self.session.tabs.len();
        if count < 2 {
            return;
        }
        let from = self.view(who).tab_index(&self.session);
        let to = match dir {
            Dir4::Left | Dir4::Up => (from + count - 1) % count,
            Dir4::Right | Dir4::Down => (from + 1) % count,
        };
        let tab = self.session.tabs.remove(from);
        self.session.tabs.insert(to, tab);
        // Where each old index went.
        let mut order: Vec<usize> = (0..count).collect();
        let moved = order.remove(from);
        order.insert(to, moved);
        for view in self.views_mut() {
            if let Some(now) = order.iter().position(|old| *old == view.tab) {
                view.tab = now;
            }
        }
        self.unsaved = true;
    }

    /// The tab's panes in the order focus steps through them: the floating
    /// ones while they are shown, else the tiled ones in tree order.
    fn focus_order(&self, who: Who) -> Vec<PaneId> {
        let Some(tab) = self.view(who).tab(&self.session) else { return Vec::new() };
        if tab.floating_visible && !tab.floating.is_empty() {
            return tab.floating.iter().map(|f| f.id).collect();
        }
        tab.tiled.panes()
    }

    /// `focus-next-pane` (1) and `focus-previous-pane` (-1).
    pub(in crate::runtime) fn focus_step(&mut self, who: Who, step: isize) {
        let order = self.focus_order(who);
        let Some(from) = self.focused(who) else { return };
        let Some(i) = order.iter().position(|id| *id == from) else { return };
        let next = order[(i as isize + step).rem_euclid(order.len() as isize) as usize];
        self.with_view(who, |view, session| view.focus(session, next));
    }

    /// `move-pane`: the focused tiled pane changes places with its
    /// neighbour that way, or (`None`) with the next pane in focus order;
    /// `step` -1 is `MovePaneBackwards`. The pane keeps the focus.
    pub(in crate::runtime) fn move_pane(&mut self, who: Who, dir: Option<Dir4>, step: isize) {
        let Some(from) = self.focused(who) else { return };
        let Some(t) = self.session.tab_of(from) else { return };
        if self.session.tabs[t].is_floating(from) {
            return;
        }
        let other = match dir {
            Some(d) => self.session.neighbour(t, self.pane_area(), from, towards(d)),
            None => {
                let order = self.session.tabs[t].tiled.panes();
                let i = order.iter().position(|id| *id == from).unwrap_or(0);
                Some(order[(i as isize + step).rem_euclid(order.len() as isize) as usize])
            }
        };
        let Some(other) = other else { return };
        let tab = &mut self.session.tabs[t];
        if tab.tiled.swap_panes(from, other) {
            tab.swap_dirty = true;
            self.unsaved = true;
            self.relayout();
        }
    }

    pub(in crate::runtime) fn toggle_pane_frames(&mut self) {
        self.config.pane_frames = !self.config.pane_frames;
        self.relayout();
    }

    /// `show-floating-panes` / `hide-floating-panes`.
    pub(in crate::runtime) fn set_floating_visible(&mut self, who: Who, visible: bool) {
        let t = self.view(who).tab_index(&self.session);
        if let Some(tab) = self.session.tabs.get_mut(t) {
            tab.floating_visible = visible && !tab.floating.is_empty();
        }
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

    /// `switch-session`: the active client leaves for session `name` (which
    /// the CLI made sure is running).
    pub(in crate::runtime) fn switch_session(&mut self, name: String, start: StartAt) -> Result<String, String> {
        if name == self.session.name {
            let client = self.active_client().ok_or("no client is attached to this session")?;
            self.start_at(client, start);
            return Ok(String::new());
        }
        let client = self.active_client().ok_or("no client is attached to this session to switch")?;
        if let Some(mut c) = self.remove_client(client) {
            c.send_exit(ExitReason::Switch(name, start));
            c.finish();
        }
        self.client_left(client);
        Ok(String::new())
    }
}
