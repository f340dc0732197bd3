//! The server's use of plugins: the engine, configured limits, and the
//! session-manager pane (opening it, feeding it keys and session lists,
//! carrying out what it asks).

use std::time::Duration;

use crate::ipc::{Action, ExitReason, Key, ServerMsg};
use crate::plugin::types::{Event, SessionInfo, SessionState};
use crate::plugin::{PluginEngine, PluginLimits, PluginSource, SessionManagerPlugin, World};
use crate::sessions;
use crate::tiling::{PaneId, Rect};

use super::Server;
use super::input::Who;
use super::pane::Pane;
use super::plugin_pane::{PluginPane, Request, Shared, key_event};
use super::session::{Floating, default_floating_rect};

pub(super) fn limits(entry: &revenant_config::PluginEntry, world: World) -> PluginLimits {
    let mut limits = PluginLimits::for_world(world);
    if let Some(ms) = entry.deadline_ms {
        limits.deadline = Duration::from_millis(ms);
    }
    if let Some(mb) = entry.memory_mb {
        limits.memory_bytes = (mb as usize).saturating_mul(1024 * 1024);
    }
    limits
}

impl Server {
    /// Compiles the configured plugins on a background thread at start-up,
    /// so that the first Ctrl-o w or snapshot finds them in the disk cache
    /// instead of stalling the session on Cranelift.
    pub(super) fn warm_plugins(&mut self) {
        // Even creating the engine takes milliseconds: done there too, so a
        // new or resurrected session answers sooner.
        let existing = self.engine.clone();
        let p = &self.config.plugins;
        let sources: Vec<PluginSource> = [&p.serializer, &p.command_discovery, &p.session_manager]
            .iter()
            .filter_map(|e| PluginSource::from_location(&e.location).ok())
            .collect();
        self.warmup = std::thread::Builder::new()
            .name("plugin-warmup".into())
            .spawn(move || {
                let engine = match existing {
                    Some(engine) => engine,
                    None => match PluginEngine::new(Some(&crate::paths::plugin_cache_dir())) {
                        Ok(engine) => engine,
                        Err(e) => {
                            tracing::warn!("plugin engine: {e:#}");
                            return None;
                        }
                    },
                };
                for source in sources {
                    if let Err(e) = engine.precompile(&source) {
                        tracing::warn!("plugin {source:?}: {e}");
                    }
                }
                Some(engine)
            })
            .ok();
    }

    pub(super) fn plugin_engine(&mut self) -> Result<PluginEngine, String> {
        // A load while the warm-up runs would compile the same component a
        // second time: wait for the cache instead.
        if let Some(warmup) = self.warmup.take()
            && let Ok(Some(engine)) = warmup.join()
            && self.engine.is_none()
        {
            self.engine = Some(engine);
        }
        if self.engine.is_none() {
            let engine = PluginEngine::new(Some(&crate::paths::plugin_cache_dir())).map_err(|e| format!("{e:#}"))?;
            self.engine = Some(engine);
        }
        Ok(self.engine.clone().expect("just created"))
    }

    /// Every session the manager should list: this one from memory (asking
    /// our own socket would wait on ourselves), the others by probing.
    fn session_infos(&self) -> Vec<SessionInfo> {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let attached = self.clients.values().filter(|c| c.role.is_some_and(|r| r != crate::ipc::Role::Command)).count();
        let mut list = vec![SessionInfo {
            name: self.session.name.clone(),
            state: SessionState::Live,
            age_seconds: now.saturating_sub(self.session.created_unix),
            tabs: self.session.tabs.iter().map(|t| t.name.clone()).collect(),
            pane_count: self.session.panes.len() as u32,
            connected_clients: attached as u32,
            is_current: true,
        }];
        for s in sessions::all_sessions(&self.socket_dir, Some(&self.session.name)) {
            list.push(match s {
                sessions::Listed::Live(s) => SessionInfo {
                    name: s.name,
                    state: SessionState::Live,
                    age_seconds: now.saturating_sub(s.created_unix),
                    tabs: s.tabs,
                    pane_count: s.panes as u32,
                    connected_clients: s.clients as u32,
                    is_current: false,
                },
                sessions::Listed::Exited(s) => SessionInfo {
                    name: s.name,
                    state: SessionState::Exited,
                    age_seconds: now.saturating_sub(s.created_unix),
                    tabs: Vec::new(),
                    pane_count: 0,
                    connected_clients: 0,
                    is_current: false,
                },
            });
        }
        list
    }

    /// Loads a UI (session-manager world) plugin for a pane. The session
    /// manager's names (`zellij:session-manager`, `revenant:session-manager`)
    /// mean the configured session manager, with its limits and
    /// configuration; `configuration` (from a layout) is added after it.
    pub(super) fn load_ui_plugin(
        &mut self,
        location: &str,
        configuration: Vec<(String, String)>,
    ) -> Result<PluginPane, String> {
        let configured = &self.config.plugins.session_manager;
        let is_manager = matches!(location, "zellij:session-manager" | "revenant:session-manager")
            || location == configured.location;
        let mut entry = if is_manager {
            configured.clone()
        } else {
            revenant_config::PluginEntry { location: location.to_string(), ..configured.clone() }
        };
        if !is_manager {
            entry.configuration.clear();
        }
        entry.configuration.extend(configuration);
        let engine = self.plugin_engine()?;
        let source = PluginSource::from_location(&entry.location)?;
        let shared = Shared::default();
        shared.set_sessions(self.session_infos());
        let ui = SessionManagerPlugin::load(
            &engine,
            &source,
            limits(&entry, World::SessionManager),
            Box::new(shared.clone()),
            entry.configuration.clone(),
        )
        .map_err(|e| e.to_string())?;
        Ok(PluginPane { location: location.to_string(), ui, shared })
    }

    /// Ctrl-o w: focus the tab's session manager, or open one floating.
    pub(super) fn open_session_manager(&mut self, who: Who) {
        let t = self.view(who).tab_index(&self.session);
        let existing = self.session.tabs.get(t).and_then(|tab| {
            tab.floating.iter().map(|f| f.id).find(|id| self.session.panes.get(id).is_some_and(|p| p.plugin.is_some()))
        });
        if let Some(id) = existing {
            self.with_view(who, |view, session| view.focus(session, id));
            return;
        }
        let location = self.config.plugins.session_manager.location.clone();
        let plugin = match self.load_ui_plugin(&location, Vec::new()) {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!("cannot open the session manager: {e}");
                return;
            }
        };
        let id = self.session.allocate_pane_id();
        self.session.panes.insert(id, Pane::new_plugin(id, plugin));
        let area = self.pane_area();
        let tab = &mut self.session.tabs[t];
        let rect = default_floating_rect(Rect::new(0, 0, area.w, area.h), tab.floating.len());
        tab.floating.push(Floating { id, rect });
        tab.floating_visible = true;
        self.with_view(who, |view, session| view.focus(session, id));
        self.relayout();
    }

    /// Draws a plugin pane's UI into its terminal; a failing plugin shows
    /// its error instead.
    pub(super) fn redraw_plugin(&mut self, id: PaneId) {
        let Some(pane) = self.session.panes.get_mut(&id) else { return };
        let (rows, cols) = (pane.term.rows(), pane.term.cols());
        let Some(plugin) = pane.plugin.as_mut() else { return };
        let bytes = match plugin.draw(rows, cols) {
            Ok(bytes) => bytes,
            Err(e) => {
                format!("\x1b[0m\x1b[H\x1b[2J\x1b[31m{}\x1b[0m", e.to_string().replace('\n', "\r\n")).into_bytes()
            }
        };
        pane.term.advance(&bytes);
        self.dirty = true;
    }

    /// A key for a plugin pane.
    pub(super) fn plugin_key(&mut self, who: Who, id: PaneId, key: Key) {
        self.plugin_event(who, id, Event::Key(key_event(key)));
    }

    fn plugin_event(&mut self, who: Who, id: PaneId, event: Event) {
        let Some(plugin) = self.session.panes.get_mut(&id).and_then(|p| p.plugin.as_mut()) else { return };
        match plugin.ui.update(&event) {
            Ok(true) => self.redraw_plugin(id),
            Ok(false) => {}
            Err(e) => {
                tracing::warn!("{e}");
                self.redraw_plugin(id);
            }
        }
        let requests = match self.session.panes.get(&id).and_then(|p| p.plugin.as_ref()) {
            Some(p) => p.shared.take_requests(),
            None => return,
        };
        if requests.is_empty() {
            return;
        }
        for request in requests {
            self.plugin_request(who, id, request);
        }
        // Whatever happened, the plugin gets the new state of the world.
        let list = self.session_infos();
        if let Some(plugin) = self.session.panes.get_mut(&id).and_then(|p| p.plugin.as_mut()) {
            plugin.shared.set_sessions(list.clone());
            if plugin.ui.update(&Event::SessionList(list)).unwrap_or(false) {
                self.redraw_plugin(id);
            }
        }
    }

    fn plugin_request(&mut self, who: Who, plugin_pane: PaneId, request: Request) {
        let own = self.session.name.clone();
        match request {
            Request::Close => self.close_pane(plugin_pane),
            Request::Switch(name) if name == own => self.close_pane(plugin_pane),
            Request::Switch(name) => self.switch_client(who, plugin_pane, name),
            Request::Kill(name) if name == own => self.quit_cleanly(ExitReason::Killed),
            Request::Kill(name) => {
                let socket = sessions::socket_path(&self.socket_dir, &name);
                if let Err(e) = sessions::request_within(&socket, Action::Kill, Some(Duration::from_secs(2))) {
                    tracing::warn!("session manager: kill {name}: {e:#}");
                }
                // Give the other server a moment to go, so the list is right.
                for _ in 0..40 {
                    if !socket.exists() {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
            Request::Delete(name) => {
                let dir = crate::store::session_dir(&name);
                if dir.exists()
                    && let Err(e) = std::fs::remove_dir_all(&dir)
                {
                    tracing::warn!("session manager: delete {name}: {e}");
                }
            }
            Request::Resurrect(name) => {
                let Some(saved) = crate::store::saved(&name) else {
                    tracing::warn!("session manager: {name} has no snapshot to resurrect from");
                    return;
                };
                let layout = saved.layout.display().to_string();
                match self.launch_beside(&name, Some(&layout)) {
                    Ok(()) => self.switch_client(who, plugin_pane, name),
                    Err(e) => tracing::warn!("session manager: resurrect {name}: {e:#}"),
                }
            }
            Request::Create(name, layout) => {
                // Never probe our own socket from the server thread: it would
                // wait on itself.
                let mut taken: Vec<String> =
                    sessions::all_sessions(&self.socket_dir, Some(&own)).iter().map(|s| s.name().to_string()).collect();
                taken.push(own.clone());
                let name = name.unwrap_or_else(|| crate::session_name::generate(&taken));
                match crate::session_name::validate(&name, &self.socket_dir)
                    .map_err(anyhow::Error::from)
                    .and_then(|_| self.launch_beside(&name, layout.as_deref()))
                {
                    Ok(()) => self.switch_client(who, plugin_pane, name),
                    Err(e) => tracing::warn!("session manager: create {name}: {e:#}"),
                }
            }
        }
    }

    /// Starts another session's server at this session's size (a new one,
    /// or one resurrected from its snapshot when `layout` is that).
    fn launch_beside(&self, name: &str, layout: Option<&str>) -> anyhow::Result<()> {
        sessions::launch(&sessions::Launch {
            name,
            socket_dir: &self.socket_dir,
            cols: self.size.0,
            rows: self.size.1,
            command: &[],
            debug: false,
            layout,
            force_run: false,
        })
    }

    /// Sends the client that used the manager to another session.
    fn switch_client(&mut self, who: Who, plugin_pane: PaneId, name: String) {
        let Who::Client(client) = who else { return };
        self.close_pane(plugin_pane);
        if let Some(c) = self.clients.remove(&client) {
            c.send(ServerMsg::Exit(ExitReason::Switch(name)));
            c.finish();
        }
        if self.last_active == Some(client) {
            self.last_active = None;
        }
        self.resize_to_clients();
    }
}
