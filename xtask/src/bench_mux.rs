//! Whole-program benchmarks of the multiplexer against tmux on this
//! machine, in one run so that the ratios hold on a noisy box:
//! throughput of `cat` with an attached client, idle CPU with 10 quiet
//! panes, and memory with 10 panes of 10 000 scrollback lines.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const COLS: u16 = 120;
/// Typed as the command, printed differently: the output can only appear
/// after `cat` is through.
const DONE_COMMAND: &str = "echo bench-done-$((40+2))";
const DONE_OUTPUT: &str = "bench-done-42";
const ROWS: u16 = 40;

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    let megabytes: usize = args
        .iter()
        .position(|a| a == "--size-mb")
        .and_then(|i| args.get(i + 1))
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(50);
    crate::status(Command::new(crate::cargo()).current_dir(root).args(["build", "--release", "-p", "revenant"]))?;
    let exe = target_dir(root).join("release/revenant");
    let work = tempdir()?;
    let file = work.join("colours.txt");
    write_coloured_file(&file, megabytes << 20)?;
    let has_tmux = Command::new("tmux").arg("-V").output().is_ok();

    println!("== throughput: cat of {megabytes} MiB with SGR colours, one client attached in a {COLS}x{ROWS} PTY");
    let ours = best_of(3, || revenant_throughput(&exe, &work, &file))?;
    println!("revenant: {:>8.2} s", ours.as_secs_f64());
    if has_tmux {
        let theirs = best_of(3, || tmux_throughput(&work, &file))?;
        println!("tmux:     {:>8.2} s", theirs.as_secs_f64());
        println!("ratio revenant/tmux: {:.2} (target <= 0.6)", ours.as_secs_f64() / theirs.as_secs_f64());
    }

    println!("== idle CPU: 10 quiet panes, 10 s");
    let (cpu, rss) = revenant_idle_and_memory(&exe, &work)?;
    println!("revenant: idle CPU {cpu:.2} %, RSS with 10 x 10 000 lines of scrollback {:.1} MiB", rss as f64 / 1024.0);
    if has_tmux {
        let (cpu, rss) = tmux_idle_and_memory(&work)?;
        println!(
            "tmux:     idle CPU {cpu:.2} %, RSS with 10 x 10 000 lines of scrollback {:.1} MiB",
            rss as f64 / 1024.0
        );
    }
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

pub(crate) fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"))
}

pub(crate) fn tempdir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("rvbench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn write_coloured_file(path: &Path, bytes: usize) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut written = 0;
    let mut i = 0u64;
    while written < bytes {
        let line = format!(
            "\x1b[3{}m{i:>8}\x1b[0m \x1b[1;38;5;{}mlorem ipsum dolor\x1b[0m sit amet, \x1b[48;2;{};40;90mconsectetur\x1b[0m adipiscing elit {}\n",
            i % 8,
            i % 256,
            i % 256,
            "x".repeat((i % 40) as usize)
        );
        out.write_all(line.as_bytes())?;
        written += line.len();
        i += 1;
    }
    out.flush()?;
    Ok(())
}

fn best_of(n: usize, mut f: impl FnMut() -> Result<Duration>) -> Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..n {
        best = best.min(f()?);
    }
    Ok(best)
}

/// A client process in a PTY of its own, whose output is read and dropped.
struct PtyClient {
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl PtyClient {
    fn spawn(argv: &[&str], env: &[(&str, String)]) -> Result<Self> {
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
    }
}

pub(crate) fn wait_for(what: &str, timeout: Duration, mut f: impl FnMut() -> bool) -> Result<()> {
    let deadline = Instant::now() + timeout;
    while !f() {
        if Instant::now() > deadline {
            bail!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Ok(())
}

pub(crate) fn revenant_env(work: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("REVENANT_SOCKET_DIR", work.join("s").display().to_string()),
        ("REVENANT_CACHE_DIR", work.join("c").display().to_string()),
        ("REVENANT_CONFIG_DIR", work.join("f").display().to_string()),
        ("SHELL", "/bin/sh".into()),
    ]
}

pub(crate) fn rv(exe: &Path, work: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new(exe).args(args).envs(revenant_env(work)).output()?;
    if !out.status.success() {
        bail!("revenant {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn revenant_throughput(exe: &Path, work: &Path, file: &Path) -> Result<Duration> {
    rv(exe, work, &["attach", "-b", "tp", "--size", &format!("{COLS}x{ROWS}")])?;
    let exe_s = exe.display().to_string();
    let client = PtyClient::spawn(&[&exe_s, "attach", "tp"], &revenant_env(work))?;
    wait_for("the client", Duration::from_secs(10), || {
        rv(exe, work, &["-s", "tp", "action", "list-clients", "--json"]).is_ok_and(|s| s.contains("\"id\""))
    })?;
    let started = Instant::now();
    rv(exe, work, &["-s", "tp", "action", "write-chars", &format!("cat {}; {DONE_COMMAND}\n", file.display())])?;
    // Done means drawn: the marker is on the pane's screen only once every
    // byte before it went through the terminal state.
    wait_for("cat to finish", Duration::from_secs(600), || {
        rv(exe, work, &["-s", "tp", "action", "dump-screen"]).is_ok_and(|s| s.contains(DONE_OUTPUT))
    })?;
    let took = started.elapsed();
    drop(client);
    rv(exe, work, &["kill-session", "tp"])?;
    Ok(took)
}

/// Each tmux run gets its own server socket: a killed server can take a
/// moment to let go of its socket, and a new one on the same path fails.
static TMUX_RUN: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

fn tmux_socket(work: &Path) -> PathBuf {
    work.join(format!("tmux-{}.sock", TMUX_RUN.load(std::sync::atomic::Ordering::Relaxed)))
}

fn next_tmux_server() {
    TMUX_RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

fn tmux(work: &Path, args: &[&str]) -> Result<String> {
    let sock = tmux_socket(work);
    let out = Command::new("tmux").arg("-S").arg(&sock).arg("-f").arg("/dev/null").args(args).output()?;
    if !out.status.success() {
        bail!("tmux {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn tmux_throughput(work: &Path, file: &Path) -> Result<Duration> {
    next_tmux_server();
    tmux(work, &["new-session", "-d", "-s", "tp", "-x", &COLS.to_string(), "-y", &ROWS.to_string(), "/bin/sh"])?;
    let sock = tmux_socket(work).display().to_string();
    let client = PtyClient::spawn(&["tmux", "-S", &sock, "attach", "-t", "tp"], &[])?;
    wait_for("the tmux client", Duration::from_secs(10), || {
        tmux(work, &["list-clients"]).is_ok_and(|s| !s.trim().is_empty())
    })?;
    let started = Instant::now();
    tmux(work, &["send-keys", "-t", "tp", &format!("cat {}; {DONE_COMMAND}", file.display()), "Enter"])?;
    wait_for("cat to finish", Duration::from_secs(600), || {
        tmux(work, &["capture-pane", "-p", "-t", "tp"]).is_ok_and(|s| s.contains(DONE_OUTPUT))
    })?;
    let took = started.elapsed();
    drop(client);
    tmux(work, &["kill-server"])?;
    Ok(took)
}

/// (CPU time in clock ticks, RSS in KiB) of a process.
pub(crate) fn proc_stats(pid: u32) -> Result<(u64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let after = &stat[stat.rfind(')').context("bad stat")? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = fields[11].parse::<u64>()? + fields[12].parse::<u64>()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let rss = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .context("no VmRSS")?
        .parse()?;
    Ok((ticks, rss))
}

pub(crate) fn idle_cpu_percent(pid: u32) -> Result<f64> {
    std::thread::sleep(Duration::from_secs(2));
    let (t0, _) = proc_stats(pid)?;
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(10));
    let (t1, _) = proc_stats(pid)?;
    // Linux reports CPU time in USER_HZ ticks, 100 per second.
    Ok((t1 - t0) as f64 / 100.0 / started.elapsed().as_secs_f64() * 100.0)
}

fn revenant_idle_and_memory(exe: &Path, work: &Path) -> Result<(f64, u64)> {
    rv(exe, work, &["attach", "-b", "idle", "--size", &format!("{COLS}x{ROWS}")])?;
    for _ in 0..9 {
        rv(exe, work, &["-s", "idle", "action", "new-tab"])?;
    }
    let list: serde_json::Value = serde_json::from_str(&rv(exe, work, &["ls", "--json"])?)?;
    let pid = list[0]["pid"].as_u64().context("no pid")? as u32;
    let cpu = idle_cpu_percent(pid)?;
    for tab in 1..=10 {
        rv(exe, work, &["-s", "idle", "action", "go-to-tab", &tab.to_string()])?;
        rv(exe, work, &["-s", "idle", "action", "write-chars", "seq 1 10000\n"])?;
    }
    std::thread::sleep(Duration::from_secs(3));
    let (_, rss) = proc_stats(pid)?;
    rv(exe, work, &["kill-session", "idle"])?;
    Ok((cpu, rss))
}

fn tmux_idle_and_memory(work: &Path) -> Result<(f64, u64)> {
    next_tmux_server();
    tmux(work, &["new-session", "-d", "-s", "idle", "-x", &COLS.to_string(), "-y", &ROWS.to_string(), "/bin/sh"])?;
    tmux(work, &["set-option", "-g", "history-limit", "10000"])?;
    for _ in 0..9 {
        tmux(work, &["new-window", "-t", "idle", "/bin/sh"])?;
    }
    let pid: u32 = tmux(work, &["display-message", "-p", "#{pid}"])?.trim().parse()?;
    let cpu = idle_cpu_percent(pid)?;
    let windows = tmux(work, &["list-windows", "-t", "idle", "-F", "#{window_index}"])?;
    for w in windows.lines() {
        tmux(work, &["send-keys", "-t", &format!("idle:{w}"), "seq 1 10000", "Enter"])?;
    }
    std::thread::sleep(Duration::from_secs(3));
    let (_, rss) = proc_stats(pid)?;
    tmux(work, &["kill-server"])?;
    Ok((cpu, rss))
}
