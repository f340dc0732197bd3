//! Finding, starting and talking to session servers from the command line.

use std::os::unix::fs::FileTypeExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub mod names;
mod probe;

use probe::Probe;

use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;

use crate::ipc::{self, Action, ClientMsg, Hello, Role, ServerMsg};

/// A live session as its server describes itself.
#[derive(Debug, Clone, Deserialize)]
pub struct LiveSession {
    pub name: String,
    pub created_unix: u64,
    pub pid: u32,
    pub clients: usize,
    pub tabs: Vec<String>,
    pub panes: usize,
    /// False when its server accepted the connection but did not answer in
    /// time: it is listed (as `not responding`) from its metadata file.
    #[serde(default = "yes")]
    pub responding: bool,
    #[serde(default)]
    pub saved_unix: Option<u64>,
    #[serde(default)]
    pub focused_tab: u32,
    /// Its panes, in brief.
    #[serde(default)]
    pub pane_list: Vec<crate::store::summary::PaneSummary>,
    /// Frames sent so far, and the server thread's time making them.
    #[serde(default)]
    pub frames: u64,
    #[serde(default)]
    pub frame_micros: u64,
}

fn yes() -> bool {
    true
}

/// A session as `ls` and the session manager show it.
#[derive(Debug, Clone)]
pub enum Listed {
    Live(LiveSession),
    /// No server, but a snapshot to resurrect from.
    Exited(crate::store::Saved),
}

impl Listed {
    pub fn name(&self) -> &str {
        match self {
            Listed::Live(s) => &s.name,
            Listed::Exited(s) => &s.name,
        }
    }

    pub fn created_unix(&self) -> u64 {
        match self {
            Listed::Live(s) => s.created_unix,
            Listed::Exited(s) => s.created_unix,
        }
    }
}

/// Live sessions and exited ones with a snapshot, newest first. Probing
/// removes the sockets of servers that died, so a session whose server was
/// killed shows up here as exited.
pub fn all_sessions(socket_dir: &Path, skip: Option<&str>) -> Vec<Listed> {
    let live = live_sessions_except(socket_dir, skip);
    let mut out: Vec<Listed> = crate::store::saved_sessions()
        .into_iter()
        .filter(|s| Some(s.name.as_str()) != skip && !live.iter().any(|l| l.name == s.name))
        .map(Listed::Exited)
        .collect();
    out.extend(live.into_iter().map(Listed::Live));
    out.sort_by(|a, b| b.created_unix().cmp(&a.created_unix()).then_with(|| a.name().cmp(b.name())));
    out
}

/// Names no new session may take: live ones and those waiting to be
/// resurrected.
pub fn taken_names(socket_dir: &Path) -> Vec<String> {
    all_sessions(socket_dir, None).iter().map(|s| s.name().to_string()).collect()
}

pub fn socket_path(socket_dir: &Path, name: &str) -> PathBuf {
    socket_dir.join(name)
}

/// Sends one action to a session and returns what it answered.
pub fn request(socket: &Path, action: Action) -> Result<String> {
    request_within(socket, action, None)
}

/// Like [`request`], giving up after `timeout` (a busy or wedged server must
/// not hang a listing).
pub fn request_within(socket: &Path, action: Action, timeout: Option<Duration>) -> Result<String> {
    let mut stream = ipc::connect(socket)?;
    stream.set_read_timeout(timeout)?;
    ipc::write_frame(&mut stream, &ClientMsg::Hello(Hello::headless(Role::Command)))?;
    ipc::write_frame(&mut stream, &ClientMsg::Action(action))?;
    loop {
        match ipc::read_frame::<_, ServerMsg>(&mut stream)? {
            ServerMsg::ActionResult(result) => return result.map_err(|e| anyhow!(e)),
            ServerMsg::Exit(reason) => bail!("{reason}"),
            _ => {}
        }
    }
}

/// Every live session in `socket_dir`, probing each socket; sockets nobody
/// listens on are left by dead servers and are removed.
pub fn live_sessions(socket_dir: &Path) -> Vec<LiveSession> {
    live_sessions_except(socket_dir, None)
}

/// How long a listing waits for one server's answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// Like [`live_sessions`] but never probes `skip` (a server listing its
/// peers must not wait on itself). Servers are probed at once (see
/// [`probe`]), so one slow server costs the listing at most one timeout.
pub fn live_sessions_except(socket_dir: &Path, skip: Option<&str>) -> Vec<LiveSession> {
    let Ok(entries) = std::fs::read_dir(socket_dir) else { return Vec::new() };
    let sockets: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| skip.is_none_or(|s| e.file_name().to_str() != Some(s)))
        .filter(|e| e.file_type().map(|t| t.is_socket()).unwrap_or(false))
        .map(|e| e.path())
        .collect();
    let probed = probe::probe_all(&sockets, PROBE_TIMEOUT);
    let mut live = Vec::new();
    for (path, found) in sockets.iter().zip(probed) {
        match found {
            Probe::Live(info) => live.push(info),
            Probe::Dead => {
                tracing::info!("removing stale socket {}", path.display());
                let _ = std::fs::remove_file(path);
            }
            Probe::Gone => {}
        }
    }
    live.sort_by(|a, b| b.created_unix.cmp(&a.created_unix).then_with(|| a.name.cmp(&b.name)));
    live
}

pub fn is_live(socket_dir: &Path, name: &str) -> bool {
    let socket = socket_path(socket_dir, name);
    matches!(probe::probe_all(&[socket], PROBE_TIMEOUT).pop(), Some(Probe::Live(_)))
}

/// What a new server is started with.
pub struct ServerLaunch<'a> {
    pub name: &'a str,
    pub socket_dir: &'a Path,
    pub cols: u16,
    pub rows: u16,
    pub command: &'a [String],
    pub debug: bool,
    /// Passed on as `--layout` (a path made absolute, or a name).
    pub layout: Option<&'a str>,
    pub force_run: bool,
}

/// Starts a server for a new session in the background (its own session,
/// no terminal) and waits until it accepts connections.
pub fn launch(l: &ServerLaunch) -> Result<()> {
    let exe = std::env::current_exe().context("cannot find the revenant binary")?;
    let log_dir = crate::logging::log_dir();
    crate::paths::ensure_private_dir(&log_dir)?;
    let [_, err_path] = crate::logging::session_logs(l.name);
    let err_file = crate::no_follow::create_file(&err_path)?;
    let mut cmd = Command::new(exe);
    cmd.arg("__server")
        .arg("--name")
        .arg(l.name)
        .arg("--socket-dir")
        .arg(l.socket_dir)
        .arg("--size")
        .arg(format!("{}x{}", l.cols, l.rows));
    if l.debug {
        cmd.arg("--debug");
    }
    if let Some(layout) = l.layout {
        cmd.arg("--layout").arg(layout);
    }
    if l.force_run {
        cmd.arg("--force-run-commands");
    }
    if !l.command.is_empty() {
        cmd.arg("--").args(l.command);
    }
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::from(err_file));
    crate::memory::server_tunables(&mut cmd);
    // SAFETY: setsid is async-signal-safe and touches no memory of ours; it
    // detaches the server from the user's terminal so closing that terminal
    // does not hang up the session.
    unsafe {
        cmd.pre_exec(|| {
            rustix::process::setsid().map_err(std::io::Error::from)?;
            Ok(())
        });
    }
    let mut child = cmd.spawn().context("cannot start the session server")?;
    let socket = socket_path(l.socket_dir, l.name);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if ipc::connect(&socket).is_ok() {
            // Reap the child in the background: it lives on as the server.
            std::thread::spawn(move || child.wait());
            return Ok(());
        }
        if let Some(status) = child.try_wait()? {
            let why = std::fs::read_to_string(&err_path).unwrap_or_default();
            let why = why.trim();
            bail!(
                "the session server exited ({status}){}",
                if why.is_empty() { String::new() } else { format!(": {why}") }
            );
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            bail!("the session server did not start within 10 s (see {})", err_path.display());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}
