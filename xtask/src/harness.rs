//! What every benchmark shares: where the build is, a scratch folder,
//! waiting for a condition, running `revenant` in its own dirs, and what
//! `/proc` says of a process.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Typed after a command: its output says the command is done.
/// Typed as the command, printed differently: the output can only appear
/// after the command before it is through.
pub(crate) const DONE: &str = "echo bench-done-$((40+2))";
pub(crate) const DONE_OUTPUT: &str = "bench-done-42";

pub(crate) fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"))
}

/// The build to measure: `exe` (`--exe PATH`: an older build, say), else
/// this tree's release build, built now.
pub(crate) fn release_exe(root: &Path, exe: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(exe) = exe {
        return Ok(exe);
    }
    crate::status(Command::new(crate::cargo()).current_dir(root).args(["build", "--release", "-p", "revenant"]))?;
    Ok(target_dir(root).join("release/revenant"))
}

pub(crate) fn tempdir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("rvbench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
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

/// The shortest of `n` timings of `f`.
pub(crate) fn best_of(n: usize, mut f: impl FnMut() -> Result<Duration>) -> Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..n {
        best = best.min(f()?);
    }
    Ok(best)
}
