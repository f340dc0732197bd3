//! Whole-program benchmarks of persistence, on the release binary:
//! a snapshot of 20 panes × 10 000 lines of scrollback with viewport
//! serialization on (end to end: discovery, the serializer plugin, the
//! layout check, every fsync), resurrecting that session with `attach -b`
//! until every pane is live, and the idle CPU of the metadata loop.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::bench_mux::{idle_cpu_percent, rv, target_dir, tempdir, wait_for};

const PANES: usize = 20;
const LINES: usize = 10_000;

pub fn run(root: &Path) -> Result<()> {
    crate::status(Command::new(crate::cargo()).current_dir(root).args(["build", "--release", "-p", "revenant"]))?;
    let exe = target_dir(root).join("release/revenant");
    let work = tempdir()?;
    std::fs::create_dir_all(work.join("f"))?;
    std::fs::write(
        work.join("f/config.kdl"),
        format!(
            "serialize_pane_viewport true\nscrollback_lines_to_serialize 0\nscroll_buffer_size {LINES}\nserialization_interval 3600\n"
        ),
    )?;
    let layout = work.join("twenty.kdl");
    std::fs::write(&layout, twenty_panes())?;
    rv(&exe, &work, &["attach", "-b", "big", "--size", "200x60", "--layout", layout.to_str().unwrap()])?;
    let panes: serde_json::Value =
        serde_json::from_str(&rv(&exe, &work, &["-s", "big", "action", "list-panes", "--json"])?)?;
    let ids: Vec<String> = panes.as_array().context("panes")?.iter().map(|p| p["id"].to_string()).collect();
    if ids.len() != PANES {
        bail!("expected {PANES} panes, got {}", ids.len());
    }
    // Fill every pane's scrollback with coloured lines.
    let fill = format!(
        "i=0; while [ $i -lt {LINES} ]; do printf '\\033[3%dm%6d\\033[0m lorem ipsum dolor sit amet \\033[1mconsectetur\\033[0m adipiscing elit\\n' $((i % 8)) $i; i=$((i+1)); done; echo fill-done\n"
    );
    for id in &ids {
        rv(&exe, &work, &["-s", "big", "action", "focus-pane-id", id])?;
        rv(&exe, &work, &["-s", "big", "action", "write-chars", &fill])?;
    }
    for id in &ids {
        wait_for("the panes to fill", Duration::from_secs(120), || {
            rv(&exe, &work, &["-s", "big", "action", "dump-screen", "--pane-id", id])
                .is_ok_and(|s| s.lines().any(|l| l == "fill-done"))
        })?;
    }
    // The first save loads the plugins; measure the ones after.
    rv(&exe, &work, &["-s", "big", "action", "save-session"])?;
    let mut times = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        rv(&exe, &work, &["-s", "big", "action", "save-session"])?;
        times.push(started.elapsed());
    }
    times.sort();
    // Five generations of saves of unchanged panes: their sidecars are
    // hard links to one file each.
    let snapshots = work.join("c/contract_version_1/session_info/big/snapshots");
    let (linked, written) = (walk_size(&snapshots, true)?, walk_size(&snapshots, false)?);
    // The same with every pane changed since the last save (no line reused).
    let mut changed = Vec::new();
    for round in 0..5 {
        for id in &ids {
            rv(&exe, &work, &["-s", "big", "action", "focus-pane-id", id])?;
            rv(&exe, &work, &["-s", "big", "action", "write-chars", &format!("echo round-{round}\n")])?;
        }
        for id in &ids {
            wait_for("the echo", Duration::from_secs(10), || {
                rv(&exe, &work, &["-s", "big", "action", "dump-screen", "--pane-id", id])
                    .is_ok_and(|s| s.contains(&format!("\nround-{round}")))
            })?;
        }
        let started = Instant::now();
        rv(&exe, &work, &["-s", "big", "action", "save-session"])?;
        changed.push(started.elapsed());
    }
    changed.sort();
    let saved = work.join("c/contract_version_1/session_info/big");
    let bytes: u64 = walk_size(&saved.join("snapshots"), true)? / 5;
    println!(
        "== snapshot: {PANES} panes x {LINES} lines, viewport on, end to end through the CLI: median {:.1} ms, best {:.1} ms (target <= 50 ms); {:.1} MiB per generation",
        ms(times[times.len() / 2]),
        ms(times[0]),
        bytes as f64 / (1 << 20) as f64
    );
    println!(
        "   with all {PANES} panes changed since the last save: median {:.1} ms, best {:.1} ms",
        ms(changed[changed.len() / 2]),
        ms(changed[0])
    );
    println!("   server-side times from the log, sorted: {}", server_times(&work.join("c/logs"))?);
    let mib = |b: u64| b as f64 / (1 << 20) as f64;
    println!(
        "   5 generations of unchanged saves on disk: {:.1} MiB (each file written anew: {:.1} MiB)",
        mib(linked),
        mib(written)
    );

    rv(&exe, &work, &["kill-session", "big"])?;
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        rv(&exe, &work, &["attach", "-b", "big", "--size", "200x60"])?;
        let panes: serde_json::Value =
            serde_json::from_str(&rv(&exe, &work, &["-s", "big", "action", "list-panes", "--json"])?)?;
        let elapsed = started.elapsed();
        if panes.as_array().map_or(0, Vec::len) != PANES {
            bail!("resurrected with the wrong number of panes: {panes}");
        }
        times.push(elapsed);
        // Let it settle (the restored screens, the shells' prompts) before
        // the next round, then stop it without saving over the snapshot.
        std::thread::sleep(Duration::from_millis(500));
        let list: serde_json::Value = serde_json::from_str(&rv(&exe, &work, &["ls", "--json"])?)?;
        let pid = list[0]["pid"].as_u64().context("no pid")?;
        Command::new("kill").args(["-9", &pid.to_string()]).status()?;
        wait_for("the server to go", Duration::from_secs(5), || !Path::new(&format!("/proc/{pid}")).exists())?;
    }
    times.sort();
    println!(
        "== resurrection: attach -b of a {PANES}-pane session (with {LINES}-line screens to restore) until list-panes answers with every pane: median {:.1} ms, best {:.1} ms (target <= 100 ms)",
        ms(times[times.len() / 2]),
        ms(times[0])
    );

    rv(&exe, &work, &["attach", "-b", "idle", "--size", "120x40"])?;
    for _ in 0..9 {
        rv(&exe, &work, &["-s", "idle", "action", "new-pane"])?;
    }
    let list: serde_json::Value = serde_json::from_str(&rv(&exe, &work, &["ls", "--json"])?)?;
    let pid = list
        .as_array()
        .and_then(|l| l.iter().find(|s| s["name"] == "idle"))
        .and_then(|s| s["pid"].as_u64())
        .context("no idle session")? as u32;
    let cpu = idle_cpu_percent(pid)?;
    println!("== metadata loop: idle session with 10 panes, metadata on, over 10 s: CPU {cpu:.2} %");
    let _ = rv(&exe, &work, &["kill-all-sessions", "-y"]);
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

fn twenty_panes() -> String {
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

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Bytes under `dir`; with `once`, a file hard-linked into several
/// generations counts once (what the disk holds).
fn walk_size(dir: &Path, once: bool) -> Result<u64> {
    fn walk(dir: &Path, once: bool, seen: &mut std::collections::HashSet<(u64, u64)>) -> Result<u64> {
        use std::os::unix::fs::MetadataExt;
        let mut total = 0;
        for e in std::fs::read_dir(dir)? {
            let e = e?;
            let meta = e.metadata()?;
            if meta.is_dir() {
                total += walk(&e.path(), once, seen)?;
            } else if !once || seen.insert((meta.dev(), meta.ino())) {
                total += meta.len();
            }
        }
        Ok(total)
    }
    walk(dir, once, &mut std::collections::HashSet::new())
}

/// The `ms=` of the server's "saved" log lines: the time inside the server.
fn server_times(logs: &Path) -> Result<String> {
    let mut times = Vec::new();
    for e in std::fs::read_dir(logs)? {
        let text = std::fs::read_to_string(e?.path()).unwrap_or_default();
        for line in text.lines().filter(|l| l.contains("saved ")) {
            if let Some(v) = line.split("ms=").nth(1).and_then(|r| r.split_whitespace().next()) {
                times.push(v.parse::<f64>().unwrap_or(f64::NAN));
            }
        }
    }
    times.sort_by(f64::total_cmp);
    Ok(times.iter().map(|t| format!("{t:.1}")).collect::<Vec<_>>().join(" "))
}
