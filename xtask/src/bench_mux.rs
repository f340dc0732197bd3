//! Whole-program benchmarks of the multiplexer beside tmux (and Zellij when
//! a `zellij` binary is on PATH), in one run so that the ratios hold on a
//! noisy box: memory with 10 panes of history, an idle server's memory and
//! CPU, a 50 MiB `cat` against the raw PTY, and alacritty's vtebench
//! scrolling benchmarks. Prints the table the performance issue asks for.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::muxes::{self, COLS, HISTORY, Mux, ROWS, wait_for_screen};
use crate::table::Table;

/// Typed as the command, printed differently: the output can only appear
/// after the command before it is through.
pub(crate) const DONE: &str = "echo bench-done-$((40+2))";
pub(crate) const DONE_OUTPUT: &str = "bench-done-42";
const PANES: usize = 10;

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    let megabytes: usize = flag(args, "--size-mb")?.unwrap_or(50);
    let idle_secs: u64 = flag(args, "--idle-secs")?.unwrap_or(30);
    // `--only memory,idle,throughput,vtebench,latency`: a part of the run.
    let only: Option<String> = flag(args, "--only")?;
    let part = |name: &str| only.as_deref().is_none_or(|o| o.split(',').any(|p| p == name));
    crate::status(Command::new(crate::cargo()).current_dir(root).args(["build", "--release", "-p", "revenant"]))?;
    let exe = target_dir(root).join("release/revenant");
    let work = tempdir()?;
    let coloured = work.join("colours.txt");
    write_coloured_file(&coloured, megabytes << 20)?;
    let history = work.join("history.txt");
    write_history_file(&history, HISTORY)?;
    let all = muxes::available(&exe, &work);
    let muxes: Vec<&dyn Mux> = all.iter().map(|m| m.as_ref()).collect();
    println!("comparing {}", muxes.iter().map(|m| m.name()).collect::<Vec<_>>().join(", "));
    let mut table = Table::new(muxes.iter().map(|m| m.name()).collect());

    if part("memory") {
        println!("== memory: {PANES} panes x {HISTORY} lines of 80-column coloured text");
        let rss = each(&muxes, |m| history_rss(m, &history))?;
        table.row("RSS, 10 panes x 10 000 lines of 80-column coloured text", &rss, mib, Goal::AtMost("tmux", 1.0));
    }

    if part("idle") {
        println!("== idle: one shell, no client, after {idle_secs} s");
        let idle = each(&muxes, |m| idle_server(m, idle_secs))?;
        let idle_rss: Vec<_> = idle.iter().map(|r| r.map(|(kib, _)| kib)).collect();
        let idle_cpu: Vec<_> = idle.iter().map(|r| r.map(|(_, cpu)| cpu)).collect();
        table.row("RSS of an idle server, one shell", &idle_rss, mib, Goal::Absolute(10.0 * 1024.0, "10 MiB"));
        table.row("CPU of that idle server, over 10 s", &idle_cpu, |c| format!("{c:.2} %"), Goal::None);
    }

    if part("throughput") {
        throughput_rows(&muxes, &coloured, megabytes, &mut table)?;
    }
    if part("vtebench") {
        crate::bench_vtebench::rows(&muxes, &work, &mut table)?;
    }
    if part("latency") {
        crate::bench_latency::rows(&muxes, &mut table)?;
    }
    println!();
    table.print();
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

fn throughput_rows(muxes: &[&dyn Mux], coloured: &Path, megabytes: usize, table: &mut Table) -> Result<()> {
    println!("== throughput: cat of {megabytes} MiB with SGR colours, one client attached in a {COLS}x{ROWS} PTY");
    let file = coloured.display().to_string();
    let raw = best_of(3, || muxes::raw_pty(&["cat", &file]))?.as_secs_f64();
    println!("raw PTY: {raw:.2} s");
    let cat = each(muxes, |m| best_of(3, || throughput(m, coloured)).map(|d| d.as_secs_f64()))?;
    table.row_with_raw(
        &format!("`cat` {megabytes} MB coloured, client attached, time to done"),
        &cat,
        raw,
        |s| format!("{s:.2} s"),
        Goal::RawTimes(1.4),
    );
    Ok(())
}

fn flag<T: std::str::FromStr>(args: &[String], name: &str) -> Result<Option<T>>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(|s| s.parse::<T>().with_context(|| format!("{name} {s}")))
        .transpose()
}

/// `f` for every multiplexer; one that fails is reported and left blank.
fn each<T: Copy + std::fmt::Debug>(
    muxes: &[&dyn Mux],
    mut f: impl FnMut(&dyn Mux) -> Result<T>,
) -> Result<Vec<Option<T>>> {
    let mut out = Vec::new();
    for m in muxes {
        match f(*m) {
            Ok(v) => {
                println!("{:<9} {v:?}", m.name());
                out.push(Some(v));
            }
            Err(e) => {
                println!("{:<9} failed: {e:#}", m.name());
                out.push(None);
            }
        }
    }
    Ok(out)
}

pub enum Goal {
    /// At most `factor` times the named multiplexer's figure.
    AtMost(&'static str, f64),
    /// At most this value, described.
    Absolute(f64, &'static str),
    /// At most `factor` times the raw figure.
    RawTimes(f64),
    None,
}

fn mib(kib: f64) -> String {
    format!("{:.1} MiB", kib / 1024.0)
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

/// `lines` lines of exactly 80 columns, in seven colour runs each.
fn write_history_file(path: &Path, lines: usize) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for i in 0..lines {
        let words = format!("{i:>8} lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor");
        let mut line = String::new();
        for (k, chunk) in words.as_bytes()[..80].chunks(12).enumerate() {
            line.push_str(&format!("\x1b[{};38;5;{}m", if k % 2 == 0 { 1 } else { 22 }, (i + k) % 256));
            line.push_str(std::str::from_utf8(chunk)?);
        }
        writeln!(out, "{line}\x1b[0m")?;
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

pub(crate) fn wait_for(what: &str, timeout: Duration, mut f: impl FnMut() -> bool) -> Result<()> {
    let deadline = Instant::now() + timeout;
    while !f() {
        if Instant::now() > deadline {
            bail!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(5));
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
    pub(crate) fn attached(mux: &'a dyn Mux, what: &str) -> Result<(Session<'a>, muxes::PtyClient)> {
        let session = Session { mux, name: fresh(what) };
        let client = mux.open(&session.name)?;
        shell_ready(mux, &session.name)?;
        Ok((session, client))
    }

    fn detached(mux: &'a dyn Mux, what: &str) -> Result<Session<'a>> {
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

fn history_rss(mux: &dyn Mux, file: &Path) -> Result<f64> {
    let (session, _client) = Session::attached(mux, "mem")?;
    for pane in 0..PANES {
        if pane > 0 {
            mux.new_tab(&session)?;
            shell_ready(mux, &session)?;
        }
        mux.type_line(&session, &format!("cat {}; {DONE}", file.display()))?;
        wait_for_screen(mux, &session, DONE_OUTPUT, Duration::from_secs(120))?;
    }
    std::thread::sleep(Duration::from_secs(3));
    let (_, rss) = proc_stats(mux.server_pid(&session)?)?;
    Ok(rss as f64)
}

/// Waits for the focused pane's shell to take input: a new tab's shell
/// may not be reading yet, and what is typed before can be lost (Zellij).
fn shell_ready(mux: &dyn Mux, session: &str) -> Result<()> {
    for attempt in 0..20 {
        mux.type_line(session, &format!("echo ready-$((1000+{attempt}))"))?;
        let shown = format!("ready-{}", 1000 + attempt);
        if wait_for_screen(mux, session, &shown, Duration::from_secs(3)).is_ok() {
            return Ok(());
        }
    }
    bail!("the shell in {}'s new tab never answered", mux.name())
}

fn idle_server(mux: &dyn Mux, secs: u64) -> Result<(f64, f64)> {
    let session = Session::detached(mux, "idle")?;
    let pid = mux.server_pid(&session)?;
    std::thread::sleep(Duration::from_secs(secs.saturating_sub(12)));
    let cpu = idle_cpu_percent(pid)?;
    let (_, rss) = proc_stats(pid)?;
    Ok((rss as f64, cpu))
}

fn throughput(mux: &dyn Mux, file: &Path) -> Result<Duration> {
    let (session, _client) = Session::attached(mux, "tp")?;
    let started = Instant::now();
    mux.type_line(&session, &format!("cat {}; {DONE}", file.display()))?;
    // Done means drawn: the marker is on the pane's screen only once every
    // byte before it went through the terminal state.
    wait_for_screen(mux, &session, DONE_OUTPUT, Duration::from_secs(600))?;
    Ok(started.elapsed())
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
