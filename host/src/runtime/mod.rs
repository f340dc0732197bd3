//! A session server: the runtime around the session model. It owns the
//! socket, the PTYs, the plugins and one view per client; the model
//! (`revenant_session`) holds the tabs and panes and their rules, and the
//! frames (`crate::frames`) are drawn from it.
//!
//! # Threads, who owns what, and which way events flow
//!
//! One thread, the **server thread** ([`Server::run`]), owns the session:
//! the model, every client's view and connection, every PTY's reading end,
//! and the plugin service's handles. It waits in one poll
//! (`event_loop`) over the listening socket, the clients, the PTYs and a
//! mailbox; everything else reaches it as an [`Event`] in that mailbox,
//! and it never waits on any of them. While output is continuous, drawing
//! is coalesced to one frame per `pacing::FRAME`.
//!
//! SIGTERM, SIGHUP and SIGINT wake the same poll through the mailbox
//! (`mailbox`), as [`Event::Terminate`]. The other threads, each with what
//! it owns and what it posts:
//! - `pty-writer` (one per pane): input that did not fit into the PTY at
//!   once; posts nothing;
//! - `pty-flood` (one per pane whose output floods, while it does): reads
//!   that PTY → [`Event::Flood`];
//! - `pty-reaper` (one per ended program): its exit status →
//!   [`Event::Exited`];
//! - `client-N-out` (one per client): frames that did not fit into its
//!   socket at once; posts nothing (a dead socket is seen by the poll);
//! - `restore`: replays saved pane contents into terminals →
//!   [`Event::Restored`];
//! - `copy-command`: pipes a copy into `copy_command`; posts nothing;
//! - the plugin service (`plugin_service`): `plugin-loader` with a
//!   `load-ROLE` thread per plugin being compiled, `plugin-worker` (the
//!   serializer and discovery calls, writing snapshots to the store, and
//!   telling when builds and config.kdl changed, from notify's own inotify
//!   thread's events), and the engine's `plugin-epoch` ticker →
//!   [`Event::Plugins`];
//! - `ui-N` (one per plugin pane): the session manager's instance →
//!   [`Event::Ui`].
//!
//! So data flows one way: PTY bytes → terminal state (in the model's
//! panes) → frames for each client, and the model → a manifest → the
//! plugin worker → the store on disk.
//!
//! # Rooms
//! - the loop: `event_loop` (the wait), `mailbox` (what the other threads
//!   post), `pacing` (when to draw), `drawing` (the session's size, and
//!   each client's frame), `connections`, `clients`, `client_tty` (each
//!   client's socket);
//! - input: `input` (bindings and modes), `typing`, `mouse`, `search`,
//!   `clipboard`;
//! - verbs: `verbs` (every `revenant action` request and what it does);
//! - the session's shape over time: `apply` (a layout becomes tabs and
//!   panes), `pane_life` (processes start and end), `swap`, `rename`,
//!   `scrollback_editor`, `editor_args`;
//! - the outside of a pane: `program` (the model's `PaneIo`: a PTY or a
//!   plugin UI);
//! - saving: `save`, `metadata` (the live marker); plugins:
//!   `plugin_service`, `plugin_events`, `ui`.

mod apply;
mod bells;
mod chrome_mouse;
mod client_tty;
mod clients;
mod clipboard;
mod command_env;
mod connections;
mod copy_mode;
mod dormant;
mod drawing;
mod editor_args;
mod event_loop;
mod events;
mod input;
mod live_config;
mod mailbox;
mod metadata;
mod mouse;
mod pacing;
mod pane_life;
mod pane_signals;
mod plugin_events;
pub(crate) mod plugin_service;
mod program;
pub(crate) mod rename;
pub(crate) mod save;
mod saved_contents;
mod scrollback_editor;
mod search;
mod swap;
mod typing;
mod ui;
mod verbs;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use revenant_config::Config;

use crate::ipc::{ExitReason, Role, ServerMsg};
use revenant_session::tiling::PaneId;

use clients::{Client, ClientId};
pub(crate) use mailbox::EventSender;
use program::{Pane, Session};
use revenant_session::View;

/// How long a client may go without reading a frame before it is cut off
/// (`REVENANT_STALLED_CLIENT_SECS` shortens it for tests).
/// Read once: it is consulted on every frame.
fn stalled_client_limit() -> Duration {
    static LIMIT: std::sync::OnceLock<Duration> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| {
        let secs = std::env::var("REVENANT_STALLED_CLIENT_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
        Duration::from_secs(secs)
    })
}

/// How long a notice stays in the status bar.
const NOTICE: Duration = Duration::from_secs(10);

pub struct ServerOptions {
    pub name: String,
    pub socket_dir: PathBuf,
    pub cols: u16,
    pub rows: u16,
    /// A command for the first pane instead of the shell.
    pub command: Vec<String>,
    pub config: Config,
    /// The session's layout, already resolved and parsed.
    pub layout: revenant_layout::Layout,
    /// Start commands the layout holds back (`--force-run-commands`).
    pub force_run: bool,
}

pub(crate) enum Event {
    /// A pane's program exited after its last output: its exit code, or
    /// `None` when a signal killed it.
    Exited(PaneId, Option<i32>),
    /// A pane's output, read on a thread while it floods.
    Flood(PaneId, crate::pty::Flood),
    Disconnected(ClientId),
    /// SIGTERM, SIGHUP or SIGINT reached the server: save and stop.
    Terminate(i32),
    /// A pane's saved contents, replayed into a terminal off the server
    /// thread.
    Restored(PaneId, Box<revenant_terminal::Terminal>),
    /// From the plugin worker, loader or watcher.
    Plugins(plugin_service::Report),
    /// From a plugin pane's thread.
    Ui(PaneId, ui::UiReport),
}

/// The rules a save's screens pass through, as config.kdl sets them.
fn secret_rules(config: &revenant_config::Config) -> Option<crate::redact::SecretRules> {
    config.redact_secrets.then(|| std::sync::Arc::new(config.secret_rules.clone()))
}

/// Binds the session's socket and serves until the session ends.
pub fn run(opts: ServerOptions) -> Result<()> {
    crate::memory::limit_arenas(opts.config.serialize_pane_viewport);
    crate::paths::ensure_private_dir(&opts.socket_dir)
        .with_context(|| format!("cannot use socket dir {}", opts.socket_dir.display()))?;
    let socket = opts.socket_dir.join(&opts.name);
    let listener = bind(&socket)?;
    listener.set_nonblocking(true)?;
    let (tx, mail) = mailbox::mailbox()?;
    // A server stopped by the system (shutdown, logout) saves the session
    // first, like `kill-session`.
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        mail.watch_signals(&[SIGTERM, SIGHUP, SIGINT])?;
    }
    let mut server = Server::new(opts, tx)?;
    let result = server.run(&listener, &mail);
    let _ = std::fs::remove_file(&socket);
    result
}

fn bind(socket: &Path) -> Result<UnixListener> {
    if socket.exists() {
        if UnixStream::connect(socket).is_ok() {
            anyhow::bail!("a session is already running at {}", socket.display());
        }
        // Nobody answers: a server that died without cleaning up.
        std::fs::remove_file(socket).with_context(|| format!("removing stale socket {}", socket.display()))?;
    }
    let listener = UnixListener::bind(socket).with_context(|| format!("binding {}", socket.display()))?;
    std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o600))?;
    Ok(listener)
}

pub(crate) struct Server {
    session: Session,
    config: Config,
    clients: BTreeMap<ClientId, Client>,
    /// The view used when no interactive client is attached, by CLI actions,
    /// and by every client when `mirror_session` is on.
    base: View,
    /// The client that acted last: CLI actions follow its view.
    last_active: Option<ClientId>,
    /// Panes and the layout are computed for this size.
    size: (u16, u16),
    headless_size: (u16, u16),
    events: EventSender,
    /// The id the next client to connect gets.
    next_client: ClientId,
    /// Out of descriptors: new connections wait until then, rather than
    /// a listener that stays readable spinning the loop.
    accept_paused_until: Option<Instant>,
    /// For reading PTYs (kept, not allocated per read).
    read_buf: Vec<u8>,
    dirty: bool,
    pacer: pacing::FramePacer,
    frame_cost: pacing::FrameCost,
    /// The status bar's hints by mode: the bindings do not change while
    /// the server runs, and deriving them took a tenth of each frame.
    hint_cache: std::collections::HashMap<revenant_config::Mode, Vec<(String, String)>>,
    /// The pane a key was last typed into, and when: its next output is
    /// the echo, drawn without waiting for the frame interval.
    awaiting_echo: Option<(PaneId, Instant)>,
    quit: Option<ExitReason>,
    socket_dir: PathBuf,
    /// The session's plugins, run on their own threads.
    plugins: plugin_service::PluginService,
    /// What a new tab looks like (the layout's `new_tab_template` or
    /// `default_tab_template`), with the folder its file is in.
    new_tab_template: Option<(revenant_layout::TabLayout, Option<PathBuf>)>,
    /// Something happened since the last snapshot was asked for.
    unsaved: bool,
    /// Something happened since the metadata was last written: an idle
    /// session's tick then only looks at what its shells run.
    metadata_stale: bool,
    saving: save::snapshot::Saving,
    /// `dump-layout`s and `plugin reload`s waiting for the worker, by job.
    dumps: std::collections::HashMap<u64, ClientId>,
    reloads: std::collections::HashMap<u64, (ClientId, Option<String>)>,
    /// Ending once the last save is done (or at the deadline).
    exiting: Option<(ExitReason, Instant)>,
    /// Who asked the session to end, answered once it has saved.
    exit_replies: Vec<ClientId>,
    /// A rename waiting for the worker to move the cache folder: its job
    /// and who asked.
    renaming: Option<(u64, Option<ClientId>)>,
    /// A welcome screen (`--layout welcome`): never saved, and it ends when
    /// its last client leaves.
    ephemeral: bool,
    /// When the session was last saved, if it ever was.
    last_saved_unix: Option<u64>,
    /// The last snapshot failed (the status bar was told once).
    save_failing: bool,
    last_save_attempt: Instant,
    /// A message for the status bar and when it was posted.
    notice: Option<(String, Instant)>,
    /// The last text copied in this session (by the user or a program),
    /// what a program's clipboard read is answered with when allowed.
    last_copy: Option<String>,
    /// Notifications logged in the current second: a program that floods
    /// them must not flood the log.
    notifications_logged: (Instant, u32),
    /// The metadata last written, to write only changes.
    last_metadata: Option<String>,
    next_metadata: Instant,
    /// When to hand freed memory back after a flood of output ended.
    trim_after: Option<Instant>,
    /// Each pane's saved lines by (terminal generation, lines wanted).
    sent_screens: std::collections::HashMap<PaneId, save::snapshot::SentScreen>,
    /// config.kdl's secret rules for saved screens (`None`: redact_secrets
    /// is off); the plugin worker compiles them, on the first save with
    /// screens.
    secret_rules: Option<crate::redact::SecretRules>,
    /// Replays saved pane contents one after another on one thread, so a
    /// big resurrection leaves a core to the session itself.
    restorer: Option<std::sync::mpsc::Sender<apply::RestoreJob>>,
    /// While a layout is applied: its panes whose processes start together
    /// at the end.
    spawn_batch: Option<Vec<PaneId>>,
    /// Panes of a resurrected session whose tab was not shown yet.
    dormant: std::collections::HashMap<PaneId, dormant::Dormant>,
    /// Each pane's foreground process and its `serialize_env` variables.
    command_env: command_env::EnvCache,
    /// The theme's colours for each scheme a terminal may report, worked
    /// out when the config is read, not every frame.
    theme_colours: drawing::ThemeColours,
}

impl Server {
    fn new(opts: ServerOptions, events: EventSender) -> Result<Self> {
        let opts_interval = opts.config.serialization_interval.max(1);
        let secret_rules = secret_rules(&opts.config);
        let roles = plugin_service::RoleSet::from_config(&opts.config.plugins);
        let mut smoke = crate::plugin::sample_manifest();
        smoke.name = opts.name.clone();
        let plugins = plugin_service::PluginService::start(
            &roles,
            smoke,
            events.clone(),
            vec![crate::config_files::config_path()],
        );
        crate::startup::mark("plugin_threads");
        // A session resurrected from its snapshot keeps the time it was
        // first created, not the time it came back.
        let saved = crate::store::saved(&opts.name);
        if let Some(why) = saved.as_ref().and_then(|s| s.unreadable.as_ref()) {
            anyhow::bail!("session `{}` cannot be read ({why}): not starting a session over it", opts.name);
        }
        let mut session = Session::new(opts.name.clone());
        session.created_unix = saved.as_ref().map_or(session.created_unix, |s| s.created_unix);
        let mut server = Server {
            session,
            theme_colours: drawing::ThemeColours::of(&opts.config),
            config: opts.config,
            clients: BTreeMap::new(),
            base: View::default(),
            last_active: None,
            size: (opts.cols.max(1), opts.rows.max(1)),
            headless_size: crate::term_size::bounded(opts.cols, opts.rows).unwrap_or((120, 40)),
            events,
            next_client: 1,
            accept_paused_until: None,
            read_buf: Vec::new(),
            dirty: true,
            pacer: pacing::FramePacer::new(Instant::now()),
            frame_cost: pacing::FrameCost::default(),
            awaiting_echo: None,
            hint_cache: Default::default(),
            quit: None,
            socket_dir: opts.socket_dir,
            plugins,
            new_tab_template: None,
            unsaved: true,
            metadata_stale: true,
            last_saved_unix: saved.map(|s| s.saved_unix),
            saving: Default::default(),
            dumps: Default::default(),
            reloads: Default::default(),
            exiting: None,
            exit_replies: Vec::new(),
            renaming: None,
            ephemeral: false,
            save_failing: false,
            // The first snapshot comes soon after start, not an interval
            // later: a session killed in its first minute is not lost.
            last_save_attempt: Instant::now()
                .checked_sub(Duration::from_secs(opts_interval.saturating_sub(1)))
                .unwrap_or_else(Instant::now),
            notice: None,
            last_copy: None,
            notifications_logged: (Instant::now(), 0),
            last_metadata: None,
            next_metadata: Instant::now(),
            trim_after: None,
            sent_screens: Default::default(),
            secret_rules,
            restorer: None,
            spawn_batch: None,
            dormant: Default::default(),
            command_env: Default::default(),
        };
        let mut layout = opts.layout;
        if !opts.command.is_empty() {
            layout.run_in_first_pane(opts.command);
        }
        server.new_tab_template = layout.new_tab_template.clone().map(|t| (t, layout.source_dir()));
        // Lazy only for a resurrection (a layout the store saved), and never
        // when the user asked for every command at once.
        let resurrected = layout.source_dir().is_some_and(|dir| dir.starts_with(crate::store::root()));
        let lazy = server.config.lazy_restore && resurrected && !opts.force_run;
        let apply = apply::ApplyOptions { force_run: opts.force_run, take_bars: true, lazy };
        server.apply_layout(clients::Who::Active, &layout, &apply)?;
        crate::startup::mark("panes");
        server.ephemeral = server.session.panes.values().any(|p| {
            p.io.plugin.is_some() && p.plugin_configuration.iter().any(|(k, v)| k == "welcome" && v == "true")
        });
        server.refresh_watch();
        Ok(server)
    }

    fn run(&mut self, listener: &UnixListener, mail: &mailbox::Mailbox) -> Result<()> {
        self.metadata_tick();
        crate::startup::mark("metadata");
        tracing::info!("startup: {}", crate::startup::summary());
        while self.quit.is_none() {
            let now = Instant::now();
            let mut wake = if self.dirty { self.pacer.next_allowed() } else { now + Duration::from_secs(3600) };
            if !self.config.disable_session_metadata || self.session.panes.values().any(|p| p.io.plugin.is_some()) {
                wake = wake.min(self.next_metadata);
            }
            if let Some(due) = self.next_save_due() {
                wake = wake.min(due);
            }
            if let Some((_, posted)) = &self.notice {
                wake = wake.min(*posted + NOTICE);
            }
            if let Some((_, deadline)) = &self.exiting {
                wake = wake.min(*deadline);
            }
            if let Some(due) = self.tty_input_due() {
                wake = wake.min(due);
            }
            if let Some(due) = self.accept_paused_until {
                wake = wake.min(due);
            }
            if let Some(due) = self.trim_after {
                wake = wake.min(due);
            }
            // Until a frame is due, output arriving is only taken in; the
            // frame then shows all of it.
            self.wait_and_handle(listener, mail, wake);
            if self.quit.is_some() {
                break;
            }
            if std::mem::take(&mut self.session.relayout_wanted) {
                self.relayout();
            }
            let now = Instant::now();
            self.flush_tty_input(now);
            if self.exiting.as_ref().is_some_and(|(_, deadline)| now >= *deadline) {
                tracing::warn!("the last save did not finish in time; ending without it (the one before stays)");
                self.finish_exit();
                break;
            }
            if now >= self.next_metadata {
                self.metadata_tick();
            }
            self.save_if_due();
            // Memory a flood freed goes back once output stopped (a flood
            // starting again puts it off); about a millisecond, once a flood.
            if self.trim_after.is_some_and(|t| now >= t) {
                self.trim_after = None;
                crate::memory::trim();
            }
            if self.notice.as_ref().is_some_and(|(_, posted)| posted.elapsed() >= NOTICE) {
                self.notice = None;
                self.dirty = true;
            }
            if self.dirty && self.pacer.may_draw(Instant::now()) {
                self.wake_shown_tabs();
                self.render_all();
            }
        }
        let reason = self.quit.clone().unwrap_or(ExitReason::SessionEnded);
        self.remove_metadata();
        for client in self.clients.values_mut() {
            client.send_exit(reason.clone());
        }
        for client in std::mem::take(&mut self.clients).into_values() {
            client.finish();
        }
        for pane in self.session.panes.values_mut() {
            pane.kill();
        }
        Ok(())
    }

    fn handle(&mut self, event: Event) {
        // What the plugin worker reports (a save done, a plugin loaded)
        // changes nothing worth saving: counting it would make every save
        // call for another one, and an idle session would never rest.
        if !matches!(event, Event::Plugins(_)) {
            self.changed();
        }
        match event {
            Event::Terminate(signal) => {
                tracing::info!(signal, "stopping on a signal");
                self.quit_cleanly(ExitReason::Killed, None);
            }
            Event::Plugins(report) => self.plugins_report(report),
            Event::Ui(id, report) => self.ui_report(id, report),
            Event::Exited(id, code) => self.pane_exited(id, code),
            Event::Flood(id, flood) => self.flood(id, flood),
            Event::Restored(id, term) => self.restored(id, *term),
            Event::Disconnected(id) => {
                let Some(client) = self.remove_client(id) else { return };
                let interactive = matches!(client.role, Some(Role::Attach | Role::Watch));
                client.finish();
                if interactive {
                    self.client_left(id);
                } else if self.last_active == Some(id) {
                    self.last_active = None;
                }
            }
        }
    }

    /// Answers a client's action (now, or once the worker is done).
    /// Output read from pane `id`'s PTY.
    /// Marks the session changed, for the next snapshot and the metadata.
    fn changed(&mut self) {
        self.unsaved = true;
        self.metadata_stale = true;
    }

    fn pty_output(&mut self, id: PaneId, bytes: &[u8]) {
        self.changed();
        let Some(pane) = self.session.pane_mut_any(id) else { return };
        if let Some(held) = &mut pane.restoring {
            // Its saved screen is still being rebuilt: the new output goes
            // below it once it is.
            held.extend_from_slice(bytes);
            return;
        }
        let bells = pane.term.bell_count();
        let titles = pane.term.title_changes();
        let held = (pane.scroll > 0 || pane.copy.is_some() || pane.selection.is_some()).then(|| pane.history_before());
        pane.term.advance(bytes);
        if let Some(before) = held {
            pane.follow_history(before);
        }
        let retitled = pane.term.title_changes() != titles;
        let rang = pane.term.bell_count() - bells;
        let answer = pane.term.take_responses();
        if !answer.is_empty() {
            let _ = pane.write(&answer);
        }
        let signals = pane.term.take_signals();
        if !signals.is_empty() {
            self.pane_signals(id, signals);
        }
        self.note_bells(id, rang);
        if retitled {
            self.publish_pane(id, "pane_retitled", serde_json::json!({}));
        }
        self.dirty = true;
        if let Some((typed, at)) = self.awaiting_echo
            && typed == id
        {
            self.awaiting_echo = None;
            if at.elapsed() < pacing::ECHO_WINDOW {
                self.pacer.grant_echo();
            }
        }
    }

    fn answer(&mut self, client: ClientId, result: Result<String, String>) {
        if let Some(client) = self.clients.get_mut(&client) {
            client.send(ServerMsg::ActionResult(result));
        }
    }

    /// Ends the session on purpose (kill-session, quit, a signal): saves it
    /// first, so it can be resurrected. The session goes on (drawing,
    /// answering) until the save is done; `reply` is answered then.
    fn quit_cleanly(&mut self, reason: ExitReason, reply: Option<ClientId>) {
        if self.quit.is_some() || self.exiting.is_some() {
            if let Some(client) = reply {
                self.answer(client, Ok(String::new()));
            }
            return;
        }
        let deadline = Instant::now() + plugin_service::SAVE_WAIT + Duration::from_secs(10);
        self.exiting = Some((reason, deadline));
        self.exit_replies.extend(reply);
        if let Err(why) = self.request_save("exit", None, true) {
            tracing::info!("ending without a last save: {why}");
            self.finish_exit();
        }
    }

    /// The last save is done (or could not be made): end.
    fn finish_exit(&mut self) {
        let Some((reason, _)) = self.exiting.take() else { return };
        self.remove_metadata();
        for client in std::mem::take(&mut self.exit_replies) {
            self.answer(client, Ok(String::new()));
        }
        self.quit = Some(reason);
    }

    /// A message for the status bar.
    fn post_notice(&mut self, text: String) {
        self.notice = Some((text, Instant::now()));
        self.dirty = true;
    }
}
