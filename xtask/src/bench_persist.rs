//! Whole-program benchmarks of persistence, on the release binary:
//! a snapshot of 20 panes × 10 000 lines of scrollback with viewport
//! serialization on (end to end: discovery, the serializer plugin, the
//! layout check, every fsync) beside the raw write of the same bytes,
//! resurrecting a 20-pane session with `attach -b` until every pane is
//! listed (beside Zellij when a binary is on PATH), and the idle CPU of the
//! metadata loop. Ends with the table the performance issue asks for.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::harness::{idle_cpu_percent, rv, target_dir, tempdir, wait_for};
use crate::resurrect_bench::{self, twenty_panes};
use crate::table::Goal;
use crate::table::Table;

const PANES: usize = 20;
const LINES: usize = 10_000;

pub fn run(root: &Path) -> Result<()> {
    crate::status(Command::new(crate::cargo()).current_dir(root).args(["build", "--release", "-p", "revenant"]))?;
    let exe = target_dir(root).join("release/revenant");
    let work = tempdir()?;
    let _servers = KillAll { exe: exe.clone(), work: work.clone() };
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
    let fill = resurrect_bench::fill_command(LINES);
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
    // Pruning runs after a save has answered: let it end.
    std::thread::sleep(Duration::from_millis(200));
    let (linked, written) = (walk_size(&snapshots, true)?, walk_size(&snapshots, false)?);
    // The same with every pane changed since the last save (no line reused).
    let mut changed = Vec::new();
    for round in 0..9 {
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
    // Pruning runs after a save has answered: count what is there.
    std::thread::sleep(Duration::from_millis(200));
    let generations = std::fs::read_dir(saved.join("snapshots"))?.count().max(1) as u64;
    let bytes: u64 = walk_size(&saved.join("snapshots"), true)? / generations;
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
    let (total, server) = server_times(&work.join("c/logs"))?;
    println!("   times from the log, sorted: {total}");
    println!("   of which on the server thread (building the manifest): {server}");
    let (same, fresh) = worker_parts(&work.join("c/logs"), times.len(), changed.len())?;
    println!("   on the plugin worker (median of each part), unchanged: {same}; changed: {fresh}");
    println!(
        "   5 generations of unchanged saves on disk: {:.1} MiB (each file written anew: {:.1} MiB)",
        mib(linked),
        mib(written)
    );

    // The same bytes as the newest generation, written as plain files and
    // synced: the limit a snapshot is measured against.
    let newest = newest_generation(&snapshots)?;
    let files = read_files(&newest)?;
    let (mut raw, mut early) = (Vec::new(), Vec::new());
    for round in 0..10 {
        raw.push(raw_write(&files, &work.join(format!("raw-{round}")), false)?);
        early.push(raw_write(&files, &work.join(format!("early-{round}")), true)?);
    }
    raw.sort();
    early.sort();
    let raw_bytes = walk_size(&newest, false)?;
    println!(
        "   the raw write of the same {:.1} MiB as {} files + syncfs: median {:.1} ms",
        mib(raw_bytes),
        files.len(),
        ms(raw[raw.len() / 2])
    );
    println!(
        "   the same, each file's writeback started as it is written (what the store does): median {:.1} ms",
        ms(early[early.len() / 2])
    );
    rv(&exe, &work, &["kill-session", "big"])?;

    let ours = resurrect_bench::revenant(&exe, &work.join("res"))?;
    println!(
        "== resurrection: attach -b of a {}-pane session ({} saved lines each) until list-panes lists every pane: median {:.1} ms, best {:.1} ms",
        resurrect_bench::PANES,
        resurrect_bench::SAVED_LINES,
        ms(ours.median),
        ms(ours.best)
    );
    let phases: Vec<String> = ours.phases.iter().map(|(n, v)| format!("{n} {v:.1} ms")).collect();
    println!("   inside the server (median): {}", phases.join(", "));
    let has_zellij = Command::new("zellij").arg("--version").output().is_ok_and(|o| o.status.success());
    let theirs = if has_zellij {
        match resurrect_bench::zellij(&work.join("zres")) {
            Ok(t) => {
                println!("   zellij: median {:.1} ms, best {:.1} ms", ms(t.median), ms(t.best));
                Some(t)
            }
            Err(e) => {
                println!("   zellij: failed: {e:#}");
                None
            }
        }
    } else {
        None
    };

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

    println!();
    let names = if has_zellij { vec!["zellij", "revenant"] } else { vec!["revenant"] };
    let mut table = Table::new(names.clone());
    let two = |zellij: Option<f64>, ours: f64| if has_zellij { vec![zellij, Some(ours)] } else { vec![Some(ours)] };
    table.row(
        &format!(
            "resurrect a {}-pane session ({} saved lines each), `attach -b` until `list-panes` shows all",
            resurrect_bench::PANES,
            resurrect_bench::SAVED_LINES
        ),
        &two(theirs.as_ref().map(|t| ms(t.median)), ms(ours.median)),
        |v| format!("{v:.0} ms"),
        Goal::AtMost("zellij", 0.25),
    );
    let raw_ms = ms(raw[raw.len() / 2]);
    let unchanged = table.ours(ms(times[times.len() / 2]));
    table.row_with_raw(
        &format!("snapshot, {PANES} panes × {LINES} lines, viewport on, unchanged panes"),
        &unchanged,
        raw_ms,
        |v| format!("{v:.1} ms"),
        Goal::RawTimes(2.0),
    );
    let changed = table.ours(ms(changed[changed.len() / 2]));
    table.row_with_raw("the same, every pane changed", &changed, raw_ms, |v| format!("{v:.1} ms"), Goal::RawTimes(2.0));
    table.print();
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

/// Ends every session the bench started, also when it fails half-way.
struct KillAll {
    exe: std::path::PathBuf,
    work: std::path::PathBuf,
}

impl Drop for KillAll {
    fn drop(&mut self) {
        let _ = rv(&self.exe, &self.work, &["kill-all-sessions", "-y"]);
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Bytes under `dir`; with `once`, a file hard-linked into several
/// generations counts once (what the disk holds). What is removed while
/// it is counted is not counted.
fn walk_size(dir: &Path, once: bool) -> Result<u64> {
    fn walk(dir: &Path, once: bool, seen: &mut std::collections::HashSet<(u64, u64)>) -> Result<u64> {
        use std::os::unix::fs::MetadataExt;
        let gone = |e: &std::io::Error| e.kind() == std::io::ErrorKind::NotFound;
        let mut total = 0;
        let entries = match std::fs::read_dir(dir) {
            Err(e) if gone(&e) => return Ok(0),
            other => other?,
        };
        for e in entries {
            let e = e?;
            let meta = match e.metadata() {
                Err(e) if gone(&e) => continue,
                other => other?,
            };
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

/// The `ms=` of the server's "saved" log lines (from the request to the
/// snapshot on disk), and their `server_ms=` (the server thread's part),
/// each sorted.
fn server_times(logs: &Path) -> Result<(String, String)> {
    let mut times = Vec::new();
    let mut server = Vec::new();
    let field = |line: &str, key: &str| {
        line.split(key).nth(1).and_then(|r| r.split_whitespace().next()).and_then(|v| v.parse::<f64>().ok())
    };
    for e in std::fs::read_dir(logs)? {
        let text = std::fs::read_to_string(e?.path()).unwrap_or_default();
        for line in text.lines().filter(|l| l.contains("saved ")) {
            times.extend(field(line, " ms="));
            server.extend(field(line, " server_ms="));
        }
    }
    let shown = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.iter().map(|t| format!("{t:.1}")).collect::<Vec<_>>().join(" ")
    };
    Ok((shown(times), shown(server)))
}

fn mib(b: u64) -> f64 {
    b as f64 / (1 << 20) as f64
}

/// The newest generation's folder under `snapshots`.
fn newest_generation(snapshots: &Path) -> Result<std::path::PathBuf> {
    let mut gens: Vec<_> = std::fs::read_dir(snapshots)?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().chars().all(|c| c.is_ascii_digit()))
        .map(|e| e.path())
        .collect();
    gens.sort();
    gens.pop().context("no snapshot generation")
}

/// The files of a folder, read into memory.
type Files = Vec<(std::ffi::OsString, Vec<u8>)>;

fn read_files(from: &Path) -> Result<Files> {
    std::fs::read_dir(from)?
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| Ok((e.file_name(), std::fs::read(e.path())?)))
        .collect()
}

/// Writes `files` into the new folder `to` and syncs the file system: what
/// any save of those bytes costs at least. With `early`, each file's
/// writeback starts as soon as it is written.
fn raw_write(files: &Files, to: &Path, early: bool) -> Result<Duration> {
    let started = Instant::now();
    std::fs::create_dir_all(to)?;
    for (name, bytes) in files {
        let mut f = std::fs::File::create(to.join(name))?;
        std::io::Write::write_all(&mut f, bytes)?;
        if early {
            start_writeback(&f);
        }
    }
    rustix::fs::syncfs(std::fs::File::open(to)?)?;
    let took = started.elapsed();
    std::fs::remove_dir_all(to)?;
    Ok(took)
}

fn start_writeback(f: &std::fs::File) {
    use std::os::fd::AsRawFd;
    unsafe extern "C" {
        fn sync_file_range(fd: i32, offset: i64, nbytes: i64, flags: u32) -> i32;
    }
    // SAFETY: an open descriptor; SYNC_FILE_RANGE_WRITE (2) only queues I/O.
    unsafe {
        sync_file_range(f.as_raw_fd(), 0, 0, 2);
    }
}

/// The median of each part of the worker's "save job" log lines, for the
/// unchanged saves and the changed ones (the last `changed` saves).
fn worker_parts(logs: &Path, unchanged: usize, changed: usize) -> Result<(String, String)> {
    let keys = ["dump_ms", "discover_ms", "serialize_ms", "write_ms"];
    let mut files: Vec<_> = std::fs::read_dir(logs)?.flatten().map(|e| e.path()).collect();
    files.sort();
    let mut jobs: Vec<Vec<Option<f64>>> = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for line in text.lines().filter(|l| l.contains("save job")) {
            jobs.push(
                keys.iter()
                    .map(|key| {
                        let v = line.split(&format!(" {key}=")).nth(1)?.split_whitespace().next()?;
                        v.parse::<f64>().ok()
                    })
                    .collect(),
            );
        }
    }
    let medians = |jobs: &[Vec<Option<f64>>]| {
        let shown: Vec<String> = keys
            .iter()
            .enumerate()
            .filter_map(|(k, key)| {
                let mut v: Vec<f64> = jobs.iter().filter_map(|j| j[k]).collect();
                v.sort_by(f64::total_cmp);
                let median = v.get(v.len() / 2)?;
                Some(format!("{} {median:.1} ms", key.trim_end_matches("_ms")))
            })
            .collect();
        shown.join(", ")
    };
    let n = jobs.len();
    let changed_jobs = &jobs[n.saturating_sub(changed)..];
    let unchanged_jobs = &jobs[n.saturating_sub(changed + unchanged)..n.saturating_sub(changed)];
    Ok((medians(unchanged_jobs), medians(changed_jobs)))
}
