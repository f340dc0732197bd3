//! Panes that run a UI plugin (the session manager) instead of a program.
//! Each such pane has a thread of its own that owns the plugin: it loads
//! the build (compiling if it must), feeds it events, draws it, delivers its
//! timers and carries out what it asks about other sessions. The server
//! thread only sends it messages and replays the ANSI lines it draws through
//! the pane's own terminal state, so a plugin pane renders, scrolls and
//! dumps like any other, and a slow plugin never holds the session up.

pub mod control;
pub mod hosts;
pub mod manager;
pub mod session_list;

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use crate::ipc::Action;
use crate::plugin::types::{self, Event as UiEvent, HostInfo, SessionInfo};
use crate::plugin::{PluginSource, SessionManagerPlugin};
use crate::registry;
use revenant_session::input::{Key, KeyCode};
use revenant_session::tiling::PaneId;

use super::Event;
use super::clients::Who;
use super::plugin_service::{RoleEntry, StatusTable};
use crate::plugin::EngineCell;
use control::{Request, Shared};
use hosts::RemoteHosts;
use session_list::{Lister, OwnSession};

/// How often an open manager reads the session list again.
const REFRESH: Duration = Duration::from_secs(1);
/// How long after a session came or went the list is read again.
const SETTLE: Duration = Duration::from_millis(50);

/// Watches the socket folder and the saved sessions' folder (not the files
/// inside: metadata is rewritten every second), so the list follows a session
/// being created, ending or deleted at once rather than within a second.
fn watch_sessions(socket_dir: &std::path::Path, tx: Sender<UiMsg>) -> Option<notify::RecommendedWatcher> {
    use notify::{EventKind, RecursiveMode, Watcher as _};
    let watcher = notify::recommended_watcher(move |e: notify::Result<notify::Event>| {
        if e.is_ok_and(|e| matches!(e.kind, EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(_))) {
            let _ = tx.send(UiMsg::SessionsChanged);
        }
    });
    let mut watcher =
        watcher.map_err(|e| tracing::debug!("session list: no watcher ({e}); refreshing every second")).ok()?;
    for dir in [socket_dir.to_path_buf(), crate::store::root()] {
        // A folder that does not exist yet is covered by the 1 s refresh.
        let _ = watcher.watch(&dir, RecursiveMode::NonRecursive);
    }
    Some(watcher)
}

pub enum UiMsg {
    Event(UiEvent),
    Resize(u16, u16),
    Own(OwnSession),
    /// A new build passed its checks: load it, `init` it and draw it.
    Reload(RoleEntry),
    /// A session appeared, ended or was saved for the first time or deleted
    /// (a socket or a cache folder came or went).
    SessionsChanged,
}

/// What the pane's thread tells the server thread.
pub enum UiReport {
    /// Bytes for the pane's terminal: a whole new screen.
    Frame(Vec<u8>),
    Close,
    /// Move the client that used the manager to this session.
    Switch(String),
    /// End this session (the manager killed it).
    KillSelf,
    Rename(String),
    Save,
    DisconnectOthers,
    Notice(String),
}

/// The server's handle on a plugin pane. Dropping it ends the thread.
pub struct UiPane {
    pub location: String,
    tx: Sender<UiMsg>,
    /// Whose keys it got last: requests act for that client.
    pub last_user: Option<Who>,
    /// The tab as it was before Ctrl-o w opened this pane over it.
    pub opened_over: Option<OpenedOver>,
}

/// What every plugin pane's thread shares.
#[derive(Clone)]
pub struct UiContext {
    pub engine: EngineCell,
    pub events: super::EventSender,
    pub status: StatusTable,
    pub socket_dir: PathBuf,
    /// config.kdl's `hosts`, and the ssh that reaches them (or why none).
    pub hosts: Vec<revenant_config::HostEntry>,
    pub ssh: Result<crate::remote::ssh::Ssh, String>,
}

impl UiPane {
    pub fn open(id: PaneId, entry: RoleEntry, own: OwnSession, size: (u16, u16), ctx: UiContext) -> UiPane {
        let (tx, rx) = channel();
        let location = entry.location.clone();
        let shared = Shared::new(ctx.socket_dir.clone(), &own);
        let watcher = watch_sessions(&ctx.socket_dir, tx.clone());
        let changed = {
            let tx = tx.clone();
            move || {
                let _ = tx.send(UiMsg::SessionsChanged);
            }
        };
        let remote = RemoteHosts::start(&ctx.hosts, ctx.ssh.clone(), changed);
        let thread = UiThread {
            remote,
            shown_hosts: Vec::new(),
            _watcher: watcher,
            id,
            entry,
            own,
            rows: size.1,
            cols: size.0,
            ctx,
            shared,
            plugin: None,
            timer: None,
            lister: Lister::default(),
            shown: Vec::new(),
        };
        if let Err(e) = std::thread::Builder::new().name(format!("ui-{id}")).spawn(move || thread.run(rx)) {
            tracing::error!("cannot start the thread of plugin pane {id}: {e}");
        }
        UiPane { location, tx, last_user: None, opened_over: None }
    }

    pub fn send(&self, msg: UiMsg) {
        let _ = self.tx.send(msg);
    }
}

struct UiThread {
    /// Kept alive for as long as the pane: it wakes the thread when sessions change.
    _watcher: Option<notify::RecommendedWatcher>,
    id: PaneId,
    entry: RoleEntry,
    own: OwnSession,
    rows: u16,
    cols: u16,
    ctx: UiContext,
    shared: Shared,
    plugin: Option<SessionManagerPlugin>,
    /// A timer the plugin asked for: when it fires, and when it was set.
    timer: Option<(Instant, Instant)>,
    lister: Lister,
    /// The list the plugin was last given.
    shown: Vec<SessionInfo>,
    /// Other hosts' sessions, asked for in the background.
    remote: RemoteHosts,
    /// The hosts as the plugin last saw them.
    shown_hosts: Vec<HostInfo>,
}

impl UiThread {
    fn report(&self, r: UiReport) -> bool {
        self.ctx.events.send(Event::Ui(self.id, r)).is_ok()
    }

    fn run(mut self, rx: Receiver<UiMsg>) {
        self.report(UiReport::Frame(text_frame(&format!("\x1b[2mLoading {}…\x1b[0m", self.entry.location))));
        match self.load(&self.entry.clone()) {
            Ok(plugin) => self.plugin = Some(plugin),
            Err(why) => {
                tracing::warn!(pane = self.id, "plugin pane {}: {why}", self.entry.location);
                self.report(UiReport::Frame(text_frame(&format!(
                    "\x1b[33mPlugin `{}` is not available.\x1b[0m\r\n{}",
                    self.entry.location,
                    why.replace('\n', "\r\n")
                ))));
            }
        }
        self.refresh();
        self.draw();
        let mut next_refresh = Instant::now() + REFRESH;
        loop {
            let due = self.timer.map_or(next_refresh, |(at, _)| at.min(next_refresh));
            let msg = match rx.recv_timeout(due.saturating_duration_since(Instant::now())) {
                Ok(msg) => msg,
                Err(RecvTimeoutError::Timeout) => {
                    let now = Instant::now();
                    if let Some((at, set)) = self.timer
                        && now >= at
                    {
                        self.timer = None;
                        let ms = set.elapsed().as_millis().min(u32::MAX as u128) as u32;
                        self.update(&UiEvent::Timer(ms));
                    }
                    if now >= next_refresh {
                        // Only a list that changed is sent (and drawn).
                        self.refresh();
                        next_refresh = now + REFRESH;
                    }
                    if !self.carry_out() {
                        break;
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            };
            match msg {
                UiMsg::Event(event) => self.update(&event),
                UiMsg::Resize(cols, rows) => {
                    (self.cols, self.rows) = (cols, rows);
                    if self.plugin.is_some() {
                        self.update(&UiEvent::Resize((rows as u32, cols as u32)));
                        self.draw();
                    }
                }
                UiMsg::Own(own) => {
                    self.shared.set_own(&own);
                    self.own = own;
                }
                UiMsg::Reload(entry) => self.reload(entry),
                // A burst (a session starting makes its socket, then its
                // folder) is read once, shortly after it began.
                UiMsg::SessionsChanged => next_refresh = next_refresh.min(Instant::now() + SETTLE),
            }
            if !self.carry_out() {
                break;
            }
        }
        self.ctx.status.remove_pane(self.id);
    }

    fn load(&self, entry: &RoleEntry) -> Result<SessionManagerPlugin, String> {
        let engine = self.ctx.engine.get()?;
        let source = entry.source()?.read().map_err(|e| e.to_string())?;
        let source: &PluginSource = &source;
        SessionManagerPlugin::load(
            &engine,
            source,
            entry.limits,
            entry.grants.clone(),
            Box::new(self.shared.clone()),
            entry.configuration.clone(),
        )
        .map_err(|e| e.to_string())
    }

    /// A new build replaces the old only once it initialised and drew.
    fn reload(&mut self, entry: RoleEntry) {
        let entry = RoleEntry { configuration: self.entry.configuration.clone(), ..entry };
        let tried = self.load(&entry).and_then(|mut p| {
            p.smoke(self.rows.max(1) as u32, self.cols.max(1) as u32).map_err(|e| e.to_string())?;
            Ok(p)
        });
        match tried {
            Ok(plugin) => {
                tracing::info!(pane = self.id, "plugin pane {}: new build serving", entry.location);
                self.plugin = Some(plugin);
                self.entry = entry;
                self.shown.clear();
                self.refresh();
                self.draw();
            }
            Err(why) => {
                tracing::warn!(pane = self.id, "plugin pane {}: new build refused: {why}", entry.location);
                let first = why.lines().next().unwrap_or_default().to_string();
                self.report(UiReport::Notice(format!("session-manager: new build refused: {first}")));
            }
        }
    }

    /// Reads the session list (probing the other servers happens here, not
    /// on the server thread) and hands it to the plugin if it changed.
    fn refresh(&mut self) {
        let mut list = self.lister.list(&self.own, &self.ctx.socket_dir);
        list.extend(self.remote.sessions());
        let hosts = self.remote.infos();
        if list == self.shown && hosts == self.shown_hosts {
            return;
        }
        self.shown = list.clone();
        self.shown_hosts = hosts.clone();
        self.shared.set_sessions(list.clone());
        self.shared.set_hosts(hosts);
        self.update(&UiEvent::SessionList(list));
    }

    fn update(&mut self, event: &UiEvent) {
        let Some(plugin) = self.plugin.as_mut() else { return };
        let redraw = match plugin.update(event) {
            Ok(redraw) => redraw,
            Err(e) => {
                tracing::warn!("{e}");
                true
            }
        };
        if let Some(ms) = self.shared.take_timer() {
            let now = Instant::now();
            self.timer = Some((now + Duration::from_millis(ms as u64), now));
        }
        if redraw {
            self.draw();
        }
        let contract = self.plugin.as_ref().map(SessionManagerPlugin::contract);
        self.ctx.status.set_pane(self.id, &self.entry.location, contract, plugin_stats(&self.plugin));
    }

    fn draw(&mut self) {
        let Some(plugin) = self.plugin.as_mut() else { return };
        let bytes = match plugin.render(self.rows as u32, self.cols as u32) {
            Ok(lines) => frame(&lines),
            Err(e) => text_frame(&format!("\x1b[31m{}\x1b[0m", e.to_string().replace('\n', "\r\n"))),
        };
        self.report(UiReport::Frame(bytes));
    }

    /// Carries out the plugin's requests: what concerns other sessions
    /// here, what concerns this one by the server. False when the pane is
    /// done.
    fn carry_out(&mut self) -> bool {
        let requests = self.shared.take_requests();
        if requests.is_empty() {
            return true;
        }
        let own = self.own.info.name.clone();
        // A report that ends the pane; the thread stops after it.
        let last = |this: &Self, r: UiReport| {
            this.report(r);
            false
        };
        for request in requests {
            let result = match request {
                Request::Close => return last(self, UiReport::Close),
                Request::Switch(name) if name == own => return last(self, UiReport::Close),
                Request::Switch(name) => return last(self, UiReport::Switch(name)),
                Request::OpenRemote(address) => return last(self, UiReport::Switch(address)),
                Request::Kill(name) if name == own => return last(self, UiReport::KillSelf),
                Request::Kill(name) => kill_other(&self.ctx.socket_dir, &name),
                Request::Delete(name) => delete(&name),
                Request::Resurrect(name, generation) => {
                    // The newest whole snapshot, as `attach` picks it.
                    let layout = match &generation {
                        Some(id) => crate::store::generation(&name, id)
                            .map(|g| g.layout)
                            .ok_or_else(|| format!("{name} has no snapshot {id}")),
                        None => crate::store::fallback::choose(&name).map(|c| c.layout),
                    };
                    layout
                        .and_then(|layout| self.launch(&name, Some(&layout.display().to_string())).map(|()| Some(name)))
                }
                Request::Create(name, layout) => self.create(name, layout.as_deref()),
                Request::Rename(name) => {
                    self.report(UiReport::Rename(name));
                    Ok(None)
                }
                Request::Save => {
                    self.report(UiReport::Save);
                    Ok(None)
                }
                Request::DisconnectOthers => {
                    self.report(UiReport::DisconnectOthers);
                    Ok(None)
                }
            };
            match result {
                Ok(Some(switch_to)) => return last(self, UiReport::Switch(switch_to)),
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!("session manager: {e}");
                    self.report(UiReport::Notice(format!("session manager: {e}")));
                }
            }
        }
        // Whatever happened, the plugin gets the new state of the world.
        self.refresh();
        self.draw();
        true
    }

    fn create(&self, name: Option<String>, layout: Option<&str>) -> Result<Option<String>, String> {
        let dir = &self.ctx.socket_dir;
        let name = match name {
            Some(name) => name,
            None => {
                let mut taken: Vec<String> = registry::all_sessions(dir, Some(&self.own.info.name))
                    .iter()
                    .map(|s| s.name().to_string())
                    .collect();
                taken.push(self.own.info.name.clone());
                crate::registry::names::generate(&taken)
            }
        };
        crate::registry::names::validate(&name, dir).map_err(|e| format!("create {name}: {e}"))?;
        self.launch(&name, layout)?;
        Ok(Some(name))
    }

    /// Starts another session's server at this session's size (a new one,
    /// or one resurrected from its snapshot when `layout` is that).
    fn launch(&self, name: &str, layout: Option<&str>) -> Result<(), String> {
        registry::launch(&registry::ServerLaunch {
            name,
            socket_dir: &self.ctx.socket_dir,
            cols: self.own.cols,
            rows: self.own.rows,
            command: &[],
            debug: false,
            layout,
            force_run: false,
        })
        .map_err(|e| format!("{name}: {e:#}"))
    }
}

fn plugin_stats(plugin: &Option<SessionManagerPlugin>) -> &crate::plugin::PluginStats {
    static NONE: std::sync::OnceLock<crate::plugin::PluginStats> = std::sync::OnceLock::new();
    plugin.as_ref().map_or_else(|| NONE.get_or_init(Default::default), |p| p.stats())
}

fn kill_other(socket_dir: &std::path::Path, name: &str) -> Result<Option<String>, String> {
    let socket = registry::socket_path(socket_dir, name);
    registry::request_within(&socket, Action::Kill, Some(Duration::from_secs(5)))
        .map_err(|e| format!("kill {name}: {e:#}"))?;
    // Give the other server a moment to go, so the list is right.
    for _ in 0..100 {
        if !socket.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(None)
}

fn delete(name: &str) -> Result<Option<String>, String> {
    let dir = crate::store::session_dir(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("delete {name}: {e}"))?;
    }
    crate::logging::remove_session_logs(name);
    Ok(None)
}

/// A whole screen of plain text.
fn text_frame(text: &str) -> Vec<u8> {
    format!("\x1b[0m\x1b[H\x1b[2J\x1b[?25l{text}\x1b[0m").into_bytes()
}

/// The plugin's lines as text the pane's terminal can replay: home, clear,
/// then the lines.
fn frame(lines: &[String]) -> Vec<u8> {
    let mut out = b"\x1b[0m\x1b[H\x1b[2J\x1b[?25l".to_vec();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\r\n");
        }
        // A plugin line may not move the cursor or switch screens: keep
        // only printable text and SGR sequences.
        out.extend_from_slice(sanitize(line).as_bytes());
        out.extend_from_slice(b"\x1b[0m");
    }
    out
}

/// Keeps printable characters and SGR (`ESC [ … m`) sequences; drops every
/// other control or escape sequence.
fn sanitize(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            if chars.peek() == Some(&'[') {
                chars.next();
                let mut seq = String::new();
                for d in chars.by_ref() {
                    seq.push(d);
                    if ('@'..='~').contains(&d) {
                        break;
                    }
                }
                if seq.ends_with('m')
                    && seq[..seq.len() - 1].chars().all(|d| d.is_ascii_digit() || d == ';' || d == ':')
                {
                    out.push_str("\x1b[");
                    out.push_str(&seq);
                }
            }
            continue;
        }
        if !c.is_control() {
            out.push(c);
        }
    }
    out
}

/// A key as the WIT contract describes it.
pub fn key_event(k: Key) -> types::KeyEvent {
    let key = match k.code {
        KeyCode::Char(c) => types::Key::Char(c),
        KeyCode::Enter => types::Key::Enter,
        KeyCode::Esc => types::Key::Esc,
        KeyCode::Backspace => types::Key::Backspace,
        KeyCode::Tab if k.mods.shift => types::Key::BackTab,
        KeyCode::Tab => types::Key::Tab,
        KeyCode::BackTab => types::Key::BackTab,
        KeyCode::Delete => types::Key::Delete,
        KeyCode::Insert => types::Key::Insert,
        KeyCode::Up => types::Key::Up,
        KeyCode::Down => types::Key::Down,
        KeyCode::Left => types::Key::Left,
        KeyCode::Right => types::Key::Right,
        KeyCode::Home => types::Key::Home,
        KeyCode::End => types::Key::End,
        KeyCode::PageUp => types::Key::PageUp,
        KeyCode::PageDown => types::Key::PageDown,
        KeyCode::F(n) => types::Key::F(n),
    };
    let mut modifiers = types::Modifiers::empty();
    if k.mods.shift && !matches!(k.code, KeyCode::Char(_)) {
        modifiers |= types::Modifiers::SHIFT;
    }
    if k.mods.ctrl {
        modifiers |= types::Modifiers::CTRL;
    }
    if k.mods.alt {
        modifiers |= types::Modifiers::ALT;
    }
    types::KeyEvent { key, modifiers }
}

/// How a tab looked before the session manager opened over it.
#[derive(Debug, Clone, Copy)]
pub(in crate::runtime) struct OpenedOver {
    pub(in crate::runtime) floating_visible: bool,
    /// The pane the keys went to.
    pub(in crate::runtime) focus: Option<PaneId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_and_colours_get_through() {
        assert_eq!(sanitize("\x1b[1;31mred\x1b[0m"), "\x1b[1;31mred\x1b[0m");
        assert_eq!(sanitize("a\x1b[2Jb\x1b[10;1Hc\x07d\r\n"), "abcd");
        assert_eq!(sanitize("\x1b]0;title\x07x"), "]0;titlex");
    }
}
