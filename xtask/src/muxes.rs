//! The multiplexers a benchmark compares, behind one interface: Revenant,
//! tmux, and Zellij when a `zellij` binary is on PATH. Each keeps its state
//! (sockets, config, caches) in the benchmark's own folder.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use crate::harness::wait_for;

pub const COLS: u16 = 120;
pub const ROWS: u16 = 40;
/// Scrollback every multiplexer is given, in lines.
pub const HISTORY: usize = 10_000;

pub trait Mux {
    fn name(&self) -> &'static str;
    /// A new session of one shell with a client attached in a
    /// `COLS`x`ROWS` PTY; returns once the shell is there.
    fn open(&self, session: &str) -> Result<PtyClient>;
    /// A new session of one shell and no client.
    fn open_detached(&self, session: &str) -> Result<()>;
    /// A new tab (window) with one shell, which gets the focus.
    fn new_tab(&self, session: &str) -> Result<()>;
    /// Types `line` and Enter into the focused pane.
    fn type_line(&self, session: &str, line: &str) -> Result<()>;
    /// The focused pane's visible text.
    fn screen(&self, session: &str) -> Result<String>;
    fn server_pid(&self, session: &str) -> Result<u32>;
    fn kill(&self, session: &str) -> Result<()>;
    /// The command line and environment of a client attaching to
    /// `session`, for a benchmark that runs it in a terminal of its own.
    fn client_command(&self, session: &str) -> (Vec<String>, Vec<(String, String)>);
    /// A pane to the right of the focused one running `argv`; the focus
    /// stays (or comes back) where it was.
    fn split_running(&self, session: &str, argv: &[&str]) -> Result<()>;
    /// Whether a client is attached to `session`.
    fn has_client(&self, session: &str) -> bool;
}

/// Waits until the focused pane shows `needle` (as the output of a command
/// typed to print it, so it appears only once everything before it was
/// drawn).
pub fn wait_for_screen(mux: &dyn Mux, session: &str, needle: &str, timeout: Duration) -> Result<()> {
    wait_for(&format!("{needle} in {}", mux.name()), timeout, || mux.screen(session).is_ok_and(|s| s.contains(needle)))
}

/// Every multiplexer found on this machine, Revenant first.
pub fn available(exe: &Path, work: &Path) -> Vec<Box<dyn Mux>> {
    let mut muxes: Vec<Box<dyn Mux>> = vec![Box::new(Revenant { exe: exe.to_path_buf(), work: work.join("rv") })];
    if Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success()) {
        muxes.push(Box::new(Tmux::new(work)));
    }
    if Command::new("zellij").arg("--version").output().is_ok_and(|o| o.status.success()) {
        muxes.push(Box::new(Zellij::new(work)));
    }
    muxes
}

fn output(cmd: &mut Command) -> Result<String> {
    let shown = format!("{cmd:?}");
    let out = cmd.output().with_context(|| format!("cannot run {shown}"))?;
    if !out.status.success() {
        bail!("{shown}: {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A client process in a PTY of its own, whose output is read and dropped
/// (as fast as a terminal that draws nothing).
pub struct PtyClient {
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl PtyClient {
    pub fn spawn(argv: &[&str], env: &[(String, String)]) -> Result<Self> {
        let pair = native_pty_system().openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 })?;
        let mut cmd = CommandBuilder::new(argv[0]);
        cmd.args(&argv[1..]);
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd)?;
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader()?;
        std::thread::spawn(move || {
            let _master = pair.master;
            let mut buf = vec![0u8; 1 << 16];
            while matches!(reader.read(&mut buf), Ok(n) if n > 0) {}
        });
        Ok(PtyClient { child })
    }
}

impl Drop for PtyClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `argv` in a PTY whose output is read and dropped, and returns how
/// long until the program exited and its last byte was read: the PTY's own
/// limit, with no multiplexer in the way.
pub fn raw_pty(argv: &[&str]) -> Result<Duration> {
    let pair = native_pty_system().openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 })?;
    let mut cmd = CommandBuilder::new(argv[0]);
    cmd.args(&argv[1..]);
    let started = std::time::Instant::now();
    let mut child = pair.slave.spawn_command(cmd)?;
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader()?;
    let drain = std::thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 16];
        while matches!(reader.read(&mut buf), Ok(n) if n > 0) {}
    });
    child.wait()?;
    drop(pair.master);
    let _ = drain.join();
    Ok(started.elapsed())
}

/// /proc/PID/cmdline, its arguments joined by spaces.
fn cmdline(pid: &str) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
        .unwrap_or_default()
}

pub struct Revenant {
    exe: PathBuf,
    work: PathBuf,
}

impl Revenant {
    fn env(&self) -> Vec<(String, String)> {
        crate::harness::revenant_env(&self.work).into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }

    fn rv(&self, args: &[&str]) -> Result<String> {
        crate::harness::rv(&self.exe, &self.work, args)
    }
}

impl Mux for Revenant {
    fn name(&self) -> &'static str {
        "revenant"
    }

    fn open(&self, session: &str) -> Result<PtyClient> {
        self.open_detached(session)?;
        let exe = self.exe.display().to_string();
        let client = PtyClient::spawn(&[&exe, "attach", session], &self.env())?;
        wait_for("the client", Duration::from_secs(10), || self.has_client(session))?;
        Ok(client)
    }

    fn open_detached(&self, session: &str) -> Result<()> {
        std::fs::create_dir_all(self.work.join("f"))?;
        std::fs::write(self.work.join("f/config.kdl"), format!("scroll_buffer_size {HISTORY}\n"))?;
        self.rv(&["attach", "-b", session, "--size", &format!("{COLS}x{ROWS}")]).map(drop)
    }

    fn new_tab(&self, session: &str) -> Result<()> {
        self.rv(&["-s", session, "action", "new-tab"]).map(drop)
    }

    fn type_line(&self, session: &str, line: &str) -> Result<()> {
        self.rv(&["-s", session, "action", "write-chars", &format!("{line}\n")]).map(drop)
    }

    fn screen(&self, session: &str) -> Result<String> {
        self.rv(&["-s", session, "action", "dump-screen"])
    }

    fn server_pid(&self, session: &str) -> Result<u32> {
        let list: serde_json::Value = serde_json::from_str(&self.rv(&["ls", "--json"])?)?;
        list.as_array()
            .and_then(|l| l.iter().find(|s| s["name"] == session))
            .and_then(|s| s["pid"].as_u64())
            .map(|p| p as u32)
            .context("the session has no server")
    }

    fn kill(&self, session: &str) -> Result<()> {
        self.rv(&["kill-session", session])?;
        self.rv(&["delete-session", session]).map(drop)
    }

    fn client_command(&self, session: &str) -> (Vec<String>, Vec<(String, String)>) {
        (vec![self.exe.display().to_string(), "attach".into(), session.into()], self.env())
    }

    fn split_running(&self, session: &str, argv: &[&str]) -> Result<()> {
        let mut args = vec!["-s", session, "action", "new-pane", "--direction", "right", "--"];
        args.extend_from_slice(argv);
        self.rv(&args)?;
        self.rv(&["-s", session, "action", "move-focus", "left"]).map(drop)
    }

    fn has_client(&self, session: &str) -> bool {
        self.rv(&["-s", session, "action", "list-clients", "--json"]).is_ok_and(|s| s.contains("\"id\""))
    }
}

pub struct Tmux {
    work: PathBuf,
    conf: PathBuf,
}

impl Tmux {
    fn new(work: &Path) -> Tmux {
        let conf = work.join("tmux.conf");
        // Before any window exists, so the first one gets it too.
        let _ = std::fs::write(&conf, format!("set -g history-limit {HISTORY}\n"));
        Tmux { work: work.to_path_buf(), conf }
    }

    /// Each session gets a server of its own: a killed server can take a
    /// moment to let go of its socket.
    fn socket(&self, session: &str) -> PathBuf {
        self.work.join(format!("tmux-{session}.sock"))
    }

    fn tmux(&self, session: &str, args: &[&str]) -> Result<String> {
        output(Command::new("tmux").arg("-S").arg(self.socket(session)).arg("-f").arg(&self.conf).args(args))
    }
}

impl Mux for Tmux {
    fn name(&self) -> &'static str {
        "tmux"
    }

    fn open(&self, session: &str) -> Result<PtyClient> {
        self.open_detached(session)?;
        let sock = self.socket(session).display().to_string();
        let client = PtyClient::spawn(&["tmux", "-S", &sock, "attach", "-t", session], &[])?;
        wait_for("the tmux client", Duration::from_secs(10), || self.has_client(session))?;
        Ok(client)
    }

    fn open_detached(&self, session: &str) -> Result<()> {
        let (cols, rows) = (COLS.to_string(), ROWS.to_string());
        self.tmux(session, &["new-session", "-d", "-s", session, "-x", &cols, "-y", &rows, "/bin/sh"]).map(drop)
    }

    fn new_tab(&self, session: &str) -> Result<()> {
        self.tmux(session, &["new-window", "-t", session, "/bin/sh"]).map(drop)
    }

    fn type_line(&self, session: &str, line: &str) -> Result<()> {
        self.tmux(session, &["send-keys", "-t", session, "-l", line])?;
        self.tmux(session, &["send-keys", "-t", session, "Enter"]).map(drop)
    }

    fn screen(&self, session: &str) -> Result<String> {
        self.tmux(session, &["capture-pane", "-p", "-t", session])
    }

    fn server_pid(&self, session: &str) -> Result<u32> {
        Ok(self.tmux(session, &["display-message", "-p", "-t", session, "#{pid}"])?.trim().parse()?)
    }

    fn kill(&self, session: &str) -> Result<()> {
        self.tmux(session, &["kill-server"]).map(drop)
    }

    fn client_command(&self, session: &str) -> (Vec<String>, Vec<(String, String)>) {
        let sock = self.socket(session).display().to_string();
        (["tmux", "-S", &sock, "attach", "-t", session].map(String::from).to_vec(), Vec::new())
    }

    fn split_running(&self, session: &str, argv: &[&str]) -> Result<()> {
        let mut args = vec!["split-window", "-d", "-h", "-t", session];
        args.extend_from_slice(argv);
        self.tmux(session, &args).map(drop)
    }

    fn has_client(&self, session: &str) -> bool {
        self.tmux(session, &["list-clients"]).is_ok_and(|s| !s.trim().is_empty())
    }
}

/// Whether a socket named `session` exists under `dir` (Zellij puts it in
/// a folder per contract version).
pub fn socket_exists(dir: &Path, session: &str) -> bool {
    std::fs::read_dir(dir).is_ok_and(|d| d.flatten().any(|e| e.path().join(session).exists()))
}

pub struct Zellij {
    env: Vec<(String, String)>,
    sockets: PathBuf,
}

impl Zellij {
    fn new(work: &Path) -> Zellij {
        let config = work.join("zellij-config");
        let _ = std::fs::create_dir_all(&config);
        let _ = std::fs::write(
            config.join("config.kdl"),
            format!("show_startup_tips false\nshow_release_notes false\nscroll_buffer_size {HISTORY}\n"),
        );
        let sockets = work.join("zs");
        let _ = std::fs::create_dir_all(&sockets);
        // Zellij compiles its built-in plugins on first use; keeping that
        // cache across runs spares every later run the compile.
        let cache = std::env::temp_dir().join("rvbench-zellij-cache");
        let env = vec![
            ("ZELLIJ_CONFIG_DIR".into(), config.display().to_string()),
            ("ZELLIJ_SOCKET_DIR".into(), sockets.display().to_string()),
            ("XDG_CACHE_HOME".into(), cache.display().to_string()),
            ("XDG_DATA_HOME".into(), work.join("zellij-data").display().to_string()),
            ("SHELL".into(), "/bin/sh".into()),
        ];
        Zellij { env, sockets }
    }

    /// Runs a zellij command, under `timeout`: a CLI action whose server
    /// went away spins forever.
    pub fn zellij(&self, args: &[&str]) -> Result<String> {
        output(Command::new("timeout").arg("20").arg("zellij").args(args).envs(self.env.iter().map(|(k, v)| (k, v))))
    }

    /// Waits for the session's socket, then for its screen. A CLI action
    /// that connects while the server is still setting up its session can
    /// panic it (zellij-server 0.45.1, lib.rs:1462), so the polling starts
    /// late and goes slowly.
    fn wait_ready(&self, session: &str) -> Result<()> {
        // The first start compiles Zellij's own plugins: allow for it.
        wait_for("the zellij socket", Duration::from_secs(300), || socket_exists(&self.sockets, session))?;
        std::thread::sleep(Duration::from_secs(1));
        wait_for("the zellij session", Duration::from_secs(300), || {
            std::thread::sleep(Duration::from_millis(200));
            self.zellij(&["-s", session, "action", "dump-screen"]).is_ok_and(|s| !s.trim().is_empty())
        })
    }
}

impl Mux for Zellij {
    fn name(&self) -> &'static str {
        "zellij"
    }

    fn open(&self, session: &str) -> Result<PtyClient> {
        let client = PtyClient::spawn(&["zellij", "--session", session], &self.env)?;
        self.wait_ready(session)?;
        Ok(client)
    }

    fn open_detached(&self, session: &str) -> Result<()> {
        self.zellij(&["attach", "-b", session])?;
        std::thread::sleep(Duration::from_secs(1));
        // With no client there is no screen to dump; the pane list shows
        // the shell's pane once it is there.
        wait_for("the zellij session", Duration::from_secs(300), || {
            self.zellij(&["-s", session, "action", "list-panes"]).is_ok_and(|s| s.contains("terminal_"))
        })
    }

    fn new_tab(&self, session: &str) -> Result<()> {
        self.zellij(&["-s", session, "action", "new-tab"]).map(drop)
    }

    fn type_line(&self, session: &str, line: &str) -> Result<()> {
        self.zellij(&["-s", session, "action", "write-chars", &format!("{line}\n")]).map(drop)
    }

    fn screen(&self, session: &str) -> Result<String> {
        self.zellij(&["-s", session, "action", "dump-screen"])
    }

    fn server_pid(&self, session: &str) -> Result<u32> {
        let socket = self.sockets.display().to_string();
        for entry in std::fs::read_dir("/proc")?.flatten() {
            let pid = entry.file_name().to_string_lossy().into_owned();
            let line = cmdline(&pid);
            if line.contains("--server") && line.contains(&socket) && line.ends_with(&format!("/{session} ")) {
                return Ok(pid.parse()?);
            }
        }
        bail!("no zellij server for {session}")
    }

    fn kill(&self, session: &str) -> Result<()> {
        let _ = self.zellij(&["kill-session", session]);
        let _ = self.zellij(&["delete-session", "--force", session]);
        Ok(())
    }

    fn client_command(&self, session: &str) -> (Vec<String>, Vec<(String, String)>) {
        (["zellij", "attach", session].map(String::from).to_vec(), self.env.clone())
    }

    fn split_running(&self, session: &str, argv: &[&str]) -> Result<()> {
        let mut args = vec!["-s", session, "action", "new-pane", "--direction", "right", "--"];
        args.extend_from_slice(argv);
        self.zellij(&args)?;
        self.zellij(&["-s", session, "action", "move-focus", "left"]).map(drop)
    }

    fn has_client(&self, session: &str) -> bool {
        self.zellij(&["-s", session, "action", "list-clients"]).is_ok_and(|s| s.lines().count() > 1)
    }
}

static SESSION: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// A session name never used before in this run.
fn fresh(what: &str) -> String {
    // The run's pid in it too: Zellij keeps exited sessions (by name) in
    // its cache, which runs share.
    format!("{what}{}x{}", std::process::id(), SESSION.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

/// A session that is killed when the measurement ends, whichever way.
pub(crate) struct Session<'a> {
    mux: &'a dyn Mux,
    name: String,
}

impl<'a> Session<'a> {
    /// Opened with a client attached, its shell ready for input.
    pub(crate) fn attached(mux: &'a dyn Mux, what: &str) -> Result<(Session<'a>, PtyClient)> {
        let session = Session { mux, name: fresh(what) };
        let client = mux.open(&session.name)?;
        shell_ready(mux, &session.name)?;
        Ok((session, client))
    }

    pub(crate) fn detached(mux: &'a dyn Mux, what: &str) -> Result<Session<'a>> {
        let session = Session { mux, name: fresh(what) };
        mux.open_detached(&session.name)?;
        Ok(session)
    }
}

impl std::ops::Deref for Session<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.name
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        if let Err(e) = self.mux.kill(&self.name) {
            println!("{}: cannot kill session {}: {e:#}", self.mux.name(), self.name);
        }
    }
}

/// Waits for the focused pane's shell to take input: a new tab's shell
/// may not be reading yet, and what is typed before can be lost (Zellij).
pub(crate) fn shell_ready(mux: &dyn Mux, session: &str) -> Result<()> {
    for attempt in 0..20 {
        mux.type_line(session, &format!("echo ready-$((1000+{attempt}))"))?;
        let shown = format!("ready-{}", 1000 + attempt);
        if wait_for_screen(mux, session, &shown, Duration::from_secs(3)).is_ok() {
            return Ok(());
        }
    }
    bail!("the shell in {}'s new tab never answered", mux.name())
}
