//! Whole-program benchmarks of the plugin platform, on the release binary:
//! how long a new build takes to serve after its file is written, what the
//! Python example plugin costs (first and warm call, the server's RSS), and
//! how the session answers while a big component compiles cold.
//!
//! `cargo xtask bench-plugins [--python PATH]` (default:
//! `$REVENANT_EXAMPLE_PLUGINS/python-discovery.wasm`, which `.ci/run` builds;
//! plugins/examples/python-discovery/README.md says how to build it).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::harness::{proc_stats, rv, target_dir, wait_for};

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    let python = match args {
        [flag, path] if flag == "--python" => PathBuf::from(path),
        [] => std::env::var_os("REVENANT_EXAMPLE_PLUGINS")
            .map(|d| PathBuf::from(d).join("python-discovery.wasm"))
            .context("pass --python PATH (see plugins/examples/python-discovery/README.md)")?,
        _ => bail!("usage: cargo xtask bench-plugins [--python PATH]"),
    };
    if !python.is_file() {
        bail!("{} is not built (see plugins/examples/python-discovery/README.md)", python.display());
    }
    crate::status(Command::new(crate::cargo()).current_dir(root).args(["build", "--release", "-p", "revenant"]))?;
    let exe = target_dir(root).join("release/revenant");
    let fixtures = root.join("tests/fixtures/wasm");

    let swap = swap_latency(&exe, &fixtures)?;
    let cold = cold_compile(&exe, &python)?;
    let (first, warm, rss_without, rss_with) = python_costs(&exe, &python)?;

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "plugin swap, file renamed over -> new build serving (median of {}): {:.0} ms",
        swap.len(),
        ms(swap[swap.len() / 2])
    );
    println!(
        "  (includes the watcher's 250 ms quiet period; min {:.0} ms, max {:.0} ms)",
        ms(swap[0]),
        ms(swap[swap.len() - 1])
    );
    println!("python example, cold compile in the background: {:.1} s", cold.0.as_secs_f64());
    println!(
        "  session meanwhile: {} list-panes calls, worst {:.1} ms, median {:.1} ms",
        cold.1.len(),
        ms(*cold.1.last().unwrap_or(&Duration::ZERO)),
        ms(cold.1.get(cold.1.len() / 2).copied().unwrap_or_default())
    );
    println!("python example, first call (instantiate + discover): {:.1} ms; warm call: {:.3} ms", ms(first), ms(warm));
    println!(
        "server RSS, default plugins: {:.1} MiB; with the python example loaded: {:.1} MiB (+{:.1} MiB)",
        rss_without as f64 / 1024.0,
        rss_with as f64 / 1024.0,
        (rss_with as f64 - rss_without as f64) / 1024.0
    );
    Ok(())
}

fn work_dir(name: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("rvbench-plugins-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("f"))?;
    Ok(dir)
}

fn config(work: &Path, discovery: &Path) -> Result<()> {
    let text = format!("plugins {{\n    command-discovery location=\"file:{}\"\n}}\n", discovery.display());
    std::fs::write(work.join("f/config.kdl"), text)?;
    Ok(())
}

fn pid(exe: &Path, work: &Path, name: &str) -> Result<u32> {
    let list: serde_json::Value = serde_json::from_str(&rv(exe, work, &["ls", "--json"])?)?;
    let pid = list.as_array().and_then(|a| a.iter().find(|s| s["name"] == name)).and_then(|s| s["pid"].as_u64());
    Ok(pid.context("the session is not listed")? as u32)
}

fn kill(exe: &Path, work: &Path, name: &str) {
    let _ = rv(exe, work, &["kill-session", name]);
}

fn saved(exe: &Path, work: &Path, name: &str) -> Result<String> {
    let path = rv(exe, work, &["-s", name, "action", "save-session"])?;
    Ok(std::fs::read_to_string(path.trim())?)
}

/// A discovery build renamed over the configured path, alternating two
/// builds whose saves differ, until the next save shows the new one.
fn swap_latency(exe: &Path, fixtures: &Path) -> Result<Vec<Duration>> {
    let work = work_dir("swap")?;
    let path = work.join("discovery.wasm");
    let builds = [fixtures.join("unwrapping-discovery.wasm"), fixtures.join("prying-discovery.wasm")];
    std::fs::copy(&builds[0], &path)?;
    config(&work, &path)?;
    rv(exe, &work, &["attach", "-b", "swap", "--", "timeout", "1000", "sleep", "1000"])?;
    // Both builds once, so the timings are of swaps, not first compiles.
    for build in [&builds[1], &builds[0]] {
        rename_over(build, &path)?;
        std::thread::sleep(Duration::from_secs(2));
    }
    let mut times = Vec::new();
    for round in 0..9 {
        let (build, marker) =
            if round % 2 == 0 { (&builds[1], "command=\"report\"") } else { (&builds[0], "command=\"sleep\"") };
        let started = Instant::now();
        rename_over(build, &path)?;
        wait_for("the new build", Duration::from_secs(20), || {
            saved(exe, &work, "swap").is_ok_and(|l| l.contains(marker))
        })?;
        times.push(started.elapsed());
    }
    kill(exe, &work, "swap");
    times.sort();
    Ok(times)
}

fn rename_over(from: &Path, to: &Path) -> Result<()> {
    let tmp = to.with_extension("part");
    std::fs::copy(from, &tmp)?;
    std::fs::rename(&tmp, to)?;
    Ok(())
}

/// A session starts with an empty plugin cache and the Python plugin:
/// `list-panes` every 50 ms until the plugin is ready.
fn cold_compile(exe: &Path, python: &Path) -> Result<(Duration, Vec<Duration>)> {
    let work = work_dir("cold")?;
    config(&work, python)?;
    let started = Instant::now();
    rv(exe, &work, &["attach", "-b", "cold"])?;
    let location = format!("file:{}", python.display());
    let mut latencies = Vec::new();
    loop {
        let asked = Instant::now();
        rv(exe, &work, &["-s", "cold", "action", "list-panes", "--json"])?;
        latencies.push(asked.elapsed());
        let rows: serde_json::Value =
            serde_json::from_str(&rv(exe, &work, &["-s", "cold", "plugin", "list", "--json"])?)?;
        let state =
            rows.as_array().and_then(|a| a.iter().find(|r| r["location"] == location)).map(|r| r["state"].clone());
        if state.as_ref().and_then(|s| s.as_str()) == Some("ready") {
            break;
        }
        if started.elapsed() > Duration::from_secs(600) {
            bail!("the python plugin did not compile in 10 minutes: {state:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let took = started.elapsed();
    kill(exe, &work, "cold");
    latencies.sort();
    Ok((took, latencies))
}

/// `plugin check`'s instantiate + smoke call is the first call; warm calls
/// are the per-call time of 100 saves of a pane running `sleep`. RSS is the
/// server's after a save, with the default plugins and with the Python one.
fn python_costs(exe: &Path, python: &Path) -> Result<(Duration, Duration, u64, u64)> {
    let work = work_dir("costs")?;
    let check = rv(exe, &work, &["plugin", "check", python.to_str().unwrap()])?;
    let field = |name: &str| -> Result<f64> {
        let line = check.lines().find(|l| l.trim_start().starts_with(name)).context("plugin check output")?;
        Ok(line.split_whitespace().nth(if name == "smoke" { 2 } else { 1 }).context("a number")?.parse()?)
    };
    let first = Duration::from_secs_f64((field("instantiate")? + field("smoke")?) / 1e3);

    rv(exe, &work, &["attach", "-b", "plain", "--", "sleep", "1000"])?;
    saved(exe, &work, "plain")?;
    std::thread::sleep(Duration::from_secs(1));
    let rss_without = proc_stats(pid(exe, &work, "plain")?)?.1;
    kill(exe, &work, "plain");

    config(&work, python)?;
    rv(exe, &work, &["attach", "-b", "py", "--", "sleep", "1000"])?;
    saved(exe, &work, "py")?;
    let before = python_row(exe, &work, python)?;
    for _ in 0..100 {
        saved(exe, &work, "py")?;
    }
    let after = python_row(exe, &work, python)?;
    let calls = after.0 - before.0;
    let warm = Duration::from_secs_f64((after.1 - before.1) / 1e3 / calls.max(1) as f64);
    std::thread::sleep(Duration::from_secs(1));
    let rss_with = proc_stats(pid(exe, &work, "py")?)?.1;
    kill(exe, &work, "py");
    Ok((first, warm, rss_without, rss_with))
}

/// (calls, total ms) of the Python plugin in session `py`.
fn python_row(exe: &Path, work: &Path, python: &Path) -> Result<(u64, f64)> {
    let rows: serde_json::Value = serde_json::from_str(&rv(exe, work, &["-s", "py", "plugin", "list", "--json"])?)?;
    let location = format!("file:{}", python.display());
    let row = rows.as_array().and_then(|a| a.iter().find(|r| r["location"] == location)).context("no python row")?;
    Ok((row["calls"].as_u64().unwrap_or(0), row["total_ms"].as_f64().unwrap_or(0.0)))
}
