//! The server's side of UI plugin panes (the session manager): opening
//! them, passing them keys, sizes and this session's facts, and doing what
//! their threads report only the server can do (draw, close, switch a
//! client, end the session).

use crate::ipc::{ExitReason, Role};
use crate::plugin::types::{Event as UiEvent, SessionInfo, SessionState};
use revenant_session::input::Key;
use revenant_session::tiling::{PaneId, Rect};

use super::super::Server;
use super::super::clients::Who;
use super::super::plugin_service::RoleEntry;
use super::super::plugin_service::roles::Role as PluginRole;
use super::session_list::{OwnSession, wit_pane};
use super::{UiContext, UiMsg, UiPane, UiReport, key_event};
use crate::store::summary::{PaneSummary, SessionSummary};
use revenant_session::Floating;
use revenant_session::tab::default_floating_rect;

impl Server {
    /// The entry a UI plugin pane runs with. The session manager's names
    /// (`zellij:session-manager`, `revenant:session-manager`) mean the
    /// configured session manager, with its limits and configuration;
    /// `configuration` (from a layout) is added after it.
    pub(in crate::runtime) fn ui_entry(&self, location: &str, configuration: Vec<(String, String)>) -> RoleEntry {
        let configured = &self.config.plugins.session_manager;
        let is_manager = self.is_session_manager(location);
        let mut entry = if is_manager {
            configured.clone()
        } else {
            revenant_config::PluginEntry { location: location.to_string(), ..configured.clone() }
        };
        if !is_manager {
            entry.configuration.clear();
            entry.grants = Default::default();
        }
        entry.configuration.extend(configuration);
        RoleEntry::new(PluginRole::SessionManager, &entry)
    }

    pub(in crate::runtime) fn is_session_manager(&self, location: &str) -> bool {
        // `session-manager` alone: the alias Zellij's default config defines.
        matches!(location, "zellij:session-manager" | "revenant:session-manager" | "session-manager")
            || location == self.config.plugins.session_manager.location
    }

    /// This session's tabs and panes, as the session manager previews them
    /// (and `ls --json` reports them).
    pub(in crate::runtime) fn summary(&self) -> SessionSummary {
        let view = self.view(Who::Active);
        let focused = view.focused(&self.session);
        let area = self.pane_area();
        let mut out = SessionSummary { focused_tab: view.tab_index(&self.session) as u32, ..Default::default() };
        for (t, tab) in self.session.tabs.iter().enumerate() {
            out.tabs.push(tab.name.clone());
            let tab_focus = if t as u32 == out.focused_tab { focused } else { view.tiled_focus.get(&tab.id).copied() };
            for p in tab.placements_with(area, true) {
                let Some(pane) = self.session.panes.get(&p.id) else { continue };
                out.panes.push(PaneSummary {
                    tab: t as u32,
                    title: pane.title(),
                    command: super::super::program::running_command(pane).map(|argv| argv.join(" ")),
                    cwd: pane.cwd().map(|c| c.display().to_string()),
                    x: p.rect.x.into(),
                    y: p.rect.y.into(),
                    cols: p.rect.w.into(),
                    rows: p.rect.h.into(),
                    focused: tab_focus == Some(pane.id),
                    floating: p.floating,
                });
            }
        }
        out
    }

    /// This session as its UI panes list it.
    fn own_session(&self) -> OwnSession {
        let attached = self.clients.values().filter(|c| c.role.is_some_and(|r| r != Role::Command)).count();
        let summary = self.summary();
        OwnSession {
            info: SessionInfo {
                name: self.session.name.clone(),
                state: SessionState::Live,
                created_unix: self.session.created_unix,
                saved_unix: self.last_saved_unix,
                tabs: summary.tabs,
                focused_tab: summary.focused_tab,
                pane_count: self.session.panes.len() as u32,
                panes: summary.panes.into_iter().map(wit_pane).collect(),
                connected_clients: attached as u32,
                is_current: true,
                damaged: None,
                host: None,
            },
            cols: self.size.0,
            rows: self.size.1,
            layout_dir: crate::config_files::layout_dir(&self.config),
            retention: self.config.retention,
        }
    }

    /// Starts the thread of a UI plugin pane; it draws "Loading…" until
    /// the plugin is ready.
    pub(in crate::runtime) fn open_ui_pane(&self, id: PaneId, entry: RoleEntry, inner: Rect) -> UiPane {
        let ctx = UiContext {
            engine: self.plugins.engine.clone(),
            events: self.events.clone(),
            status: self.plugins.status.clone(),
            socket_dir: self.socket_dir.clone(),
            hosts: self.config.hosts.clone(),
            ssh: crate::remote::ssh::Ssh::new(&self.config).map_err(|e| e.to_string()),
        };
        UiPane::open(id, entry, self.own_session(), (inner.w.max(1), inner.h.max(1)), ctx)
    }

    /// Ctrl-o w: focus the tab's session manager, or open one floating.
    pub(in crate::runtime) fn open_session_manager(&mut self, who: Who) {
        let t = self.view(who).tab_index(&self.session);
        let Some(tab) = self.session.tabs.get(t) else { return };
        let before = super::OpenedOver { floating_visible: tab.floating_visible, focus: self.focused(who) };
        let existing = self.session.tabs.get(t).and_then(|tab| {
            tab.floating
                .iter()
                .map(|f| f.id)
                .find(|id| self.session.panes.get(id).is_some_and(|p| p.io.plugin.is_some()))
        });
        if let Some(id) = existing {
            self.with_view(who, |view, session| view.focus(session, id));
            return;
        }
        let location = self.config.plugins.session_manager.location.clone();
        let entry = self.ui_entry(&location, Vec::new());
        let id = self.session.allocate_pane_id();
        let area = self.pane_area();
        let rect = default_floating_rect(Rect::new(0, 0, area.w, area.h), self.session.tabs[t].floating.len());
        let inner =
            crate::frames::render::inner(rect, crate::frames::render::framed(self.config.pane_frames, true, false));
        let mut plugin = self.open_ui_pane(id, entry, inner);
        plugin.opened_over = Some(before);
        self.session.panes.insert(id, super::super::program::plugin_pane(id, plugin));
        let tab = &mut self.session.tabs[t];
        tab.floating.push(Floating { id, rect, pinned: false });
        tab.floating_visible = true;
        self.with_view(who, |view, session| view.focus(session, id));
        self.relayout();
    }

    /// Gives every plugin pane this session's facts as they are now.
    pub(in crate::runtime) fn tell_ui_panes(&self) {
        if !self.session.panes.values().any(|p| p.io.plugin.is_some()) {
            return;
        }
        let own = self.own_session();
        for pane in self.session.panes.values() {
            if let Some(plugin) = &pane.io.plugin {
                plugin.send(UiMsg::Own(own.clone()));
            }
        }
    }

    /// Tells a plugin pane its new size.
    pub(in crate::runtime) fn resize_plugin(&mut self, id: PaneId) {
        let Some(pane) = self.session.panes.get(&id) else { return };
        if let Some(plugin) = &pane.io.plugin {
            plugin.send(UiMsg::Resize(pane.term.cols(), pane.term.rows()));
        }
    }

    /// A key for a plugin pane.
    pub(in crate::runtime) fn plugin_key(&mut self, who: Who, id: PaneId, key: Key) {
        let own = self.own_session();
        let Some(plugin) = self.session.panes.get_mut(&id).and_then(|p| p.io.plugin.as_mut()) else { return };
        plugin.last_user = Some(who);
        plugin.send(UiMsg::Own(own));
        plugin.send(UiMsg::Event(UiEvent::Key(key_event(key))));
    }

    /// What a plugin pane's thread reported.
    pub(in crate::runtime) fn ui_report(&mut self, id: PaneId, report: UiReport) {
        let Some(pane) = self.session.panes.get_mut(&id) else { return };
        let who = pane.io.plugin.as_ref().and_then(|p| p.last_user).unwrap_or(Who::Active);
        match report {
            UiReport::Frame(bytes) => {
                pane.term.advance(&bytes);
                self.dirty = true;
            }
            UiReport::Close => self.close_ui_pane(who, id),
            UiReport::Switch(name) => self.switch_client(who, id, name),
            UiReport::KillSelf => self.quit_cleanly(ExitReason::Killed, None),
            UiReport::Rename(name) => {
                if let Err(e) = self.rename_session(&name, None) {
                    self.post_notice(format!("Cannot rename the session: {e}"));
                }
            }
            UiReport::Save => {
                self.saving.announce = true;
                if let Err(e) = self.request_save("session manager", None, false) {
                    self.saving.announce = false;
                    self.post_notice(format!("Not saved: {e}"));
                }
            }
            UiReport::DisconnectOthers => self.disconnect_others(who),
            UiReport::Notice(text) => self.post_notice(text),
        }
    }

    /// Re-inits every pane running the session manager with a new build.
    pub(in crate::runtime) fn session_manager_swapped(&mut self, entry: RoleEntry) {
        for pane in self.session.panes.values() {
            if let Some(plugin) = &pane.io.plugin
                && self.is_session_manager(&plugin.location)
            {
                plugin.send(UiMsg::Reload(entry.clone()));
            }
        }
    }

    /// Panes running a `file:` UI plugin whose file is among `changed`
    /// load it again (they keep the old build if the new one fails).
    pub(in crate::runtime) fn reload_ui_files(&mut self, changed: &[std::path::PathBuf]) {
        for pane in self.session.panes.values() {
            let Some(plugin) = &pane.io.plugin else { continue };
            if self.is_session_manager(&plugin.location) {
                continue;
            }
            let entry = self.ui_entry(&plugin.location, Vec::new());
            if entry.file().is_some_and(|f| changed.contains(&std::path::absolute(&f).unwrap_or(f.clone()))) {
                plugin.send(UiMsg::Reload(entry));
            }
        }
    }

    /// Closes a UI pane. One opened over a tab gives it back as it was:
    /// its floating panes hidden again if they were, the focus where it was,
    /// so the next keys go where they went before.
    fn close_ui_pane(&mut self, who: Who, id: PaneId) {
        let over =
            self.session.panes.get_mut(&id).and_then(|p| p.io.plugin.as_mut()).and_then(|p| p.opened_over.take());
        let t = self.session.tab_of(id);
        self.close_pane(id);
        let (Some(over), Some(t)) = (over, t) else { return };
        let Some(tab) = self.session.tabs.get_mut(t) else { return };
        tab.floating_visible = over.floating_visible && !tab.floating.is_empty();
        if let Some(focus) = over.focus.filter(|f| self.session.tab_of(*f) == Some(t)) {
            self.with_view(who, |view, session| view.focus(session, focus));
        }
        self.dirty = true;
    }

    /// Sends the client that used the manager to another session.
    fn switch_client(&mut self, who: Who, plugin_pane: PaneId, name: String) {
        self.close_ui_pane(who, plugin_pane);
        let Who::Client(client) = who else { return };
        if let Some(mut c) = self.remove_client(client) {
            c.send_exit(ExitReason::Switch(name, Default::default()));
            c.finish();
        }
        self.client_left(client);
    }
}
