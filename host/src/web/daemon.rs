//! `revenant web` as a daemon: started in the background with its pid and
//! log in `<cache>/web`, asked after with `--status`, ended with `--stop`.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

/// What a running server says of itself, written once it listens.
#[derive(Debug, Serialize, Deserialize)]
pub struct Running {
    pub pid: u32,
    pub url: String,
    pub fingerprint: String,
    pub certificate: String,
    pub started_unix: u64,
}

pub fn dir() -> PathBuf {
    crate::paths::cache_dir().join("web")
}

pub fn pid_file() -> PathBuf {
    dir().join("web.pid")
}

pub fn log_file() -> PathBuf {
    dir().join("web.log")
}

/// The running server, if its pid file names a live process.
pub fn running() -> Option<Running> {
    let text = std::fs::read_to_string(pid_file()).ok()?;
    let running: Running = serde_json::from_str(&text).ok()?;
    alive(running.pid).then_some(running)
}

fn alive(pid: u32) -> bool {
    let Some(pid) = rustix::process::Pid::from_raw(pid as i32) else { return false };
    // A zombie child of ours still answers: /proc says which it is.
    let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let zombie = state.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z'));
    rustix::process::test_kill_process(pid).is_ok() && !zombie
}

pub fn write_pid_file(running: &Running) -> Result<()> {
    let path = pid_file();
    let temp = path.with_extension("pid.new");
    std::fs::write(&temp, serde_json::to_vec_pretty(running)?)
        .with_context(|| format!("cannot write {}", temp.display()))?;
    std::fs::rename(&temp, &path).with_context(|| format!("cannot write {}", path.display()))
}

/// Starts `exe ARGS… --foreground` in a session of its own, and waits
/// until it listens (or says why it cannot).
pub fn start(exe: &std::path::Path, args: &[String]) -> Result<Running> {
    if let Some(r) = running() {
        bail!("a web server runs already: {} (pid {}); `revenant web --stop` ends it", r.url, r.pid);
    }
    crate::paths::ensure_private_dir(&dir()).with_context(|| format!("cannot make {}", dir().display()))?;
    let log =
        crate::no_follow::append_file(&log_file()).with_context(|| format!("cannot open {}", log_file().display()))?;
    let mut command = std::process::Command::new(exe);
    command.args(args).arg("--foreground").stdin(Stdio::null()).stdout(log.try_clone()?).stderr(log);
    // SAFETY: setsid is async-signal-safe.
    unsafe {
        use std::os::unix::process::CommandExt;
        command.pre_exec(|| rustix::process::setsid().map(|_| ()).map_err(std::io::Error::from));
    }
    let mut child = command.spawn().with_context(|| format!("cannot start {}", exe.display()))?;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(r) = running().filter(|r| r.pid == child.id()) {
            // Reaped by nobody: it is not our child to wait for any more.
            std::mem::forget(child);
            return Ok(r);
        }
        if let Some(status) = child.try_wait()? {
            let tail = last_lines(&log_file(), 5);
            bail!("the web server stopped at once ({status}):\n{tail}");
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            bail!("the web server did not start listening within 15 s; see {}", log_file().display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn last_lines(path: &std::path::Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

pub fn status() -> Result<()> {
    match running() {
        Some(r) => {
            let up = crate::plugin::now_unix().saturating_sub(r.started_unix);
            say!("serving {} (pid {}, up {})", r.url, r.pid, crate::cli::listing::format_age(up));
            say!("certificate: {}", r.certificate);
            say!("SHA-256 fingerprint: {}", r.fingerprint);
            say!("log: {}", log_file().display());
            Ok(())
        }
        None => bail!("no web server is running (`revenant web` starts one)"),
    }
}

pub fn stop() -> Result<()> {
    let Some(r) = running() else { bail!("no web server is running") };
    let pid = rustix::process::Pid::from_raw(r.pid as i32).context("bad pid")?;
    rustix::process::kill_process(pid, rustix::process::Signal::TERM)
        .with_context(|| format!("cannot stop pid {}", r.pid))?;
    let deadline = Instant::now() + Duration::from_secs(5);
    while alive(r.pid) {
        if Instant::now() > deadline {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = std::fs::remove_file(pid_file());
    say!("stopped the web server at {} (pid {})", r.url, r.pid);
    Ok(())
}
