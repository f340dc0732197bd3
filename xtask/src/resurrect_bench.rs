//! Resurrection timed from the CLI, as a user meets it: a 20-pane session
//! with 2 000 saved lines in every pane, `attach -b` until `list-panes`
//! reports all 20. Revenant's time is broken down from its server's
//! startup log; Zellij, when a binary is on PATH, goes through the same.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::harness::{rv, wait_for};

pub const PANES: usize = 20;
pub const SAVED_LINES: usize = 2_000;
const ROUNDS: usize = 5;

/// Four tabs of five side-by-side panes, as KDL both read.
pub fn twenty_panes() -> String {
    let mut s = String::from("layout {\n");
    for t in 0..4 {
        s.push_str(&format!("    tab name=\"t{t}\" {{\n        pane split_direction=\"vertical\" {{\n"));
        for _ in 0..PANES / 4 {
            s.push_str("            pane\n");
        }
        s.push_str("        }\n    }\n");
    }
    s.push_str("}\n");
    s
}

/// A shell line printing `lines` coloured lines, then `fill-done`.
pub fn fill_command(lines: usize) -> String {
    format!(
        "i=0; while [ $i -lt {lines} ]; do printf '\\033[3%dm%6d\\033[0m lorem ipsum dolor sit amet \\033[1mconsectetur\\033[0m adipiscing elit\\n' $((i % 8)) $i; i=$((i+1)); done; echo fill-''done\n"
    )
}

pub fn median<T: PartialOrd + Copy>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

/// Stops a resurrected server without a save (so the next round
/// resurrects the same snapshot) and waits until it is gone.
pub fn kill9(pid: u32) -> Result<()> {
    Command::new("kill").args(["-9", &pid.to_string()]).status()?;
    wait_for("the server to go", Duration::from_secs(10), || !Path::new(&format!("/proc/{pid}")).exists())
}

pub struct Timed {
    pub median: Duration,
    pub best: Duration,
    /// Median milliseconds of each server-side phase, in order.
    pub phases: Vec<(String, f64)>,
}

/// Revenant: saves the session, then resurrects it `ROUNDS` times.
pub fn revenant(exe: &Path, work: &Path) -> Result<Timed> {
    revenant_with(exe, work, &twenty_panes(), PANES, SAVED_LINES, ROUNDS).map(|(timed, _)| timed)
}

/// A session of `layout` (`panes` panes), `lines` lines printed into each
/// and saved with their viewports, then resurrected `rounds` times. Also
/// returns the best of three `save-session` times of the full session.
pub fn revenant_with(
    exe: &Path,
    work: &Path,
    layout: &str,
    panes: usize,
    lines: usize,
    rounds: usize,
) -> Result<(Timed, Duration)> {
    let save = saved_session(exe, work, layout, panes, lines)?;
    let logs = work.join("c/logs");
    let mut times = Vec::new();
    let mut phases: Vec<Vec<(String, f64)>> = Vec::new();
    for _ in 0..rounds {
        let before = startup_lines(&logs).len();
        let started = Instant::now();
        rv(exe, work, &["attach", "-b", "res", "--size", "200x60"])?;
        let listed: serde_json::Value =
            serde_json::from_str(&rv(exe, work, &["-s", "res", "action", "list-panes", "--json"])?)?;
        let elapsed = started.elapsed();
        if listed.as_array().map_or(0, Vec::len) != panes {
            bail!("resurrected with the wrong number of panes: {listed}");
        }
        times.push(elapsed);
        wait_for("the screens to be replayed", Duration::from_secs(60), || startup_lines(&logs).len() >= before + 2)?;
        if let Some(line) = startup_lines(&logs).last() {
            phases.push(parse_phases(line));
        }
        kill9(session_pid(exe, work, "res")? as u32)?;
    }
    let best = *times.iter().min().context("no rounds")?;
    Ok((Timed { median: median(times), best, phases: median_phases(&phases) }, save))
}

/// Session `res` of `layout` (`panes` panes), `lines` lines printed into
/// each, saved with their viewports and ended (`kill-session`). Returns the
/// best of three `save-session` times of the full session.
pub fn saved_session(exe: &Path, work: &Path, layout: &str, panes: usize, lines: usize) -> Result<Duration> {
    std::fs::create_dir_all(work.join("f"))?;
    std::fs::write(
        work.join("f/config.kdl"),
        format!("serialize_pane_viewport true\nscrollback_lines_to_serialize {lines}\nserialization_interval 3600\n"),
    )?;
    let layout_file = work.join("layout.kdl");
    std::fs::write(&layout_file, layout)?;
    rv(exe, work, &["attach", "-b", "res", "--size", "200x60", "--layout", layout_file.to_str().unwrap()])?;
    let listed: serde_json::Value =
        serde_json::from_str(&rv(exe, work, &["-s", "res", "action", "list-panes", "--json"])?)?;
    let ids: Vec<String> = listed.as_array().context("panes")?.iter().map(|p| p["id"].to_string()).collect();
    if ids.len() != panes {
        bail!("the layout made {} panes, not {panes}", ids.len());
    }
    for id in &ids {
        rv(exe, work, &["-s", "res", "action", "focus-pane-id", id])?;
        rv(exe, work, &["-s", "res", "action", "write-chars", &fill_command(lines)])?;
    }
    for id in &ids {
        wait_for("the panes to fill", Duration::from_secs(300), || {
            rv(exe, work, &["-s", "res", "action", "dump-screen", "--pane-id", id])
                .is_ok_and(|s| s.lines().any(|l| l == "fill-done"))
        })?;
    }
    let save = crate::harness::best_of(3, || {
        let started = Instant::now();
        rv(exe, work, &["-s", "res", "action", "save-session"])?;
        Ok(started.elapsed())
    })?;
    rv(exe, work, &["kill-session", "res"])?;
    Ok(save)
}

pub fn session_pid(exe: &Path, work: &Path, name: &str) -> Result<u64> {
    let list: serde_json::Value = serde_json::from_str(&rv(exe, work, &["ls", "--json"])?)?;
    list.as_array()
        .and_then(|l| l.iter().find(|s| s["name"] == name))
        .and_then(|s| s["pid"].as_u64())
        .context("no server pid")
}

/// The servers' `startup…:` log lines, oldest first.
pub fn startup_lines(logs: &Path) -> Vec<String> {
    let mut lines = Vec::new();
    let Ok(dir) = std::fs::read_dir(logs) else { return lines };
    for e in dir.flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        lines.extend(text.lines().filter(|l| l.contains(" startup")).map(String::from));
    }
    lines.sort();
    lines
}

fn parse_phases(line: &str) -> Vec<(String, f64)> {
    let tail = line.split(": ").last().unwrap_or_default();
    tail.split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .filter_map(|(k, v)| Some((k.to_string(), v.parse().ok()?)))
        .collect()
}

fn median_phases(rounds: &[Vec<(String, f64)>]) -> Vec<(String, f64)> {
    let Some(first) = rounds.first() else { return Vec::new() };
    first
        .iter()
        .map(|(name, _)| {
            let mut v: Vec<f64> =
                rounds.iter().filter_map(|r| r.iter().find(|(n, _)| n == name).map(|(_, ms)| *ms)).collect();
            v.sort_by(f64::total_cmp);
            (name.clone(), v[v.len() / 2])
        })
        .collect()
}

/// Zellij 0.45 through the same steps: its own serialization (viewport and
/// 2 000 lines of scrollback), `kill-session`, then `attach -b` until
/// `action list-panes` lists 20 terminal panes.
pub fn zellij(work: &Path) -> Result<Timed> {
    let config = work.join("zellij-res-config");
    std::fs::create_dir_all(&config)?;
    std::fs::write(
        config.join("config.kdl"),
        format!(
            "show_startup_tips false\nshow_release_notes false\nsession_serialization true\nserialize_pane_viewport true\nscrollback_lines_to_serialize {SAVED_LINES}\nserialization_interval 1\n"
        ),
    )?;
    let cache = work.join("zellij-res-cache");
    // Zellij's own plugins compiled once for all runs (see muxes.rs).
    let shared = std::env::temp_dir().join("rvbench-zellij-cache/zellij");
    std::fs::create_dir_all(cache.join("zellij"))?;
    if let Ok(dir) = std::fs::read_dir(&shared) {
        for e in dir.flatten().filter(|e| e.file_name() != "contract_version_1") {
            let _ = Command::new("cp").arg("-r").arg(e.path()).arg(cache.join("zellij")).status();
        }
    }
    let env: Vec<(String, String)> = vec![
        ("ZELLIJ_CONFIG_DIR".into(), config.display().to_string()),
        ("ZELLIJ_SOCKET_DIR".into(), work.join("zrs").display().to_string()),
        ("XDG_CACHE_HOME".into(), cache.display().to_string()),
        ("XDG_DATA_HOME".into(), work.join("zellij-res-data").display().to_string()),
        ("SHELL".into(), "/bin/sh".into()),
    ];
    std::fs::create_dir_all(work.join("zrs"))?;
    let z = |args: &[&str]| -> Result<String> {
        let out = Command::new("timeout")
            .arg("20")
            .arg("zellij")
            .args(args)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .output()?;
        if !out.status.success() {
            bail!("zellij {args:?}: {}", String::from_utf8_lossy(&out.stderr).trim());
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let layout = work.join("twenty.kdl");
    std::fs::write(&layout, twenty_panes())?;
    let terminals = |z: &dyn Fn(&[&str]) -> Result<String>| -> usize {
        z(&["-s", "res", "action", "list-panes"])
            .map_or(0, |s| s.lines().filter(|l| l.starts_with("terminal_")).count())
    };
    let client = crate::muxes::PtyClient::spawn(
        &["zellij", "--session", "res", "--new-session-with-layout", layout.to_str().unwrap()],
        &env,
    )?;
    // Polled slowly and only once its socket is there (see muxes.rs).
    wait_for("the zellij socket", Duration::from_secs(300), || crate::muxes::socket_exists(&work.join("zrs"), "res"))?;
    std::thread::sleep(Duration::from_secs(1));
    wait_for("the zellij session", Duration::from_secs(300), || {
        std::thread::sleep(Duration::from_millis(200));
        terminals(&z) == PANES
    })?;
    for tab in 1..=4 {
        z(&["-s", "res", "action", "go-to-tab", &tab.to_string()])?;
        for _ in 0..PANES / 4 {
            z(&["-s", "res", "action", "write-chars", &fill_command(SAVED_LINES)])?;
            z(&["-s", "res", "action", "focus-next-pane"])?;
        }
    }
    for id in 0..PANES {
        wait_for("the zellij panes to fill", Duration::from_secs(120), || {
            z(&["-s", "res", "action", "dump-screen", "--pane-id", &format!("terminal_{id}")])
                .is_ok_and(|s| s.lines().any(|l| l.trim_end() == "fill-done"))
        })?;
    }
    // A few serialization intervals, so the saved layout holds the fills.
    std::thread::sleep(Duration::from_secs(4));
    drop(client);
    z(&["kill-session", "res"])?;
    std::thread::sleep(Duration::from_secs(1));
    let mut times = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        z(&["attach", "-b", "res"])?;
        wait_for("zellij to list every pane", Duration::from_secs(60), || {
            // Not faster: an early action can panic its server (muxes.rs).
            std::thread::sleep(Duration::from_millis(10));
            terminals(&z) == PANES
        })?;
        times.push(started.elapsed());
        std::thread::sleep(Duration::from_millis(500));
        z(&["kill-session", "res"])?;
        wait_for("the zellij server to go", Duration::from_secs(10), || {
            z(&["list-sessions", "--short"]).map_or(true, |s| !s.lines().any(|l| l.trim() == "res"))
                || z(&["-s", "res", "action", "list-panes"]).is_err()
        })?;
        std::thread::sleep(Duration::from_millis(300));
    }
    let _ = z(&["delete-session", "--force", "res"]);
    let best = *times.iter().min().context("no rounds")?;
    Ok(Timed { median: median(times), best, phases: Vec::new() })
}
