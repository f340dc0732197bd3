//! Lazy restore against starting everything: a 120-pane session (twelve
//! tabs of ten) with saved screens, resurrected with `lazy_restore` on and
//! off. Timed until `list-panes` lists every pane, and until what the user
//! is shown is whole (its shells running, its screens replayed); then what
//! the session holds once settled: processes, memory (the server's and its
//! shells' RSS together) and CPU spent by both in the first three seconds.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::harness::{proc_stats, rv, wait_for};
use crate::resurrect_bench::{kill9, median, saved_session, session_pid, startup_lines};
use crate::table::{Goal, Table};

const PANES: usize = 120;
const PER_TAB: usize = 10;
const LINES: usize = 500;
const ROUNDS: usize = 3;

/// Twelve tabs of ten side-by-side panes.
fn layout() -> String {
    let pane = "            pane\n".repeat(PER_TAB);
    let tab = format!("    tab {{\n        pane split_direction=\"vertical\" {{\n{pane}        }}\n    }}\n");
    format!("layout {{\n{}}}\n", tab.repeat(PANES / PER_TAB))
}

/// Direct children of `pid` (a server's pane processes).
fn children(pid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    dir.flatten()
        .filter_map(|e| {
            let child: u32 = e.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            let ppid: u32 = stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()?;
            (ppid == pid).then_some(child)
        })
        .collect()
}

/// (CPU ticks, RSS KiB) of `pid` and its children together.
fn with_children(pid: u32) -> (u64, u64) {
    std::iter::once(pid)
        .chain(children(pid))
        .filter_map(|p| proc_stats(p).ok())
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
}

struct Round {
    listed_ms: f64,
    whole_ms: f64,
    processes: f64,
    rss_mib: f64,
    cpu_ms: f64,
}

fn one_round(exe: &Path, work: &Path, lazy: bool) -> Result<Round> {
    let logs = work.join("c/logs");
    let before = startup_lines(&logs).len();
    let started = Instant::now();
    rv(exe, work, &["attach", "-b", "res", "--size", "200x60"])?;
    let listed: serde_json::Value =
        serde_json::from_str(&rv(exe, work, &["-s", "res", "action", "list-panes", "--json"])?)?;
    let listed_ms = started.elapsed().as_secs_f64() * 1e3;
    if listed.as_array().map_or(0, Vec::len) != PANES {
        bail!("resurrected with the wrong number of panes");
    }
    let pid = session_pid(exe, work, "res")? as u32;
    let shells = if lazy { PER_TAB } else { PANES };
    // Whole: the shown shells run and the screens replayed are back (the
    // server logs a second startup line then).
    wait_for("the shown panes", Duration::from_secs(120), || {
        children(pid).len() >= shells && startup_lines(&logs).len() >= before + 2
    })?;
    let whole_ms = started.elapsed().as_secs_f64() * 1e3;
    std::thread::sleep(Duration::from_secs(3).saturating_sub(started.elapsed()));
    let (ticks, rss) = with_children(pid);
    let processes = children(pid).len() as f64 + 1.0;
    kill9(pid)?;
    // Its shells are orphans now; they go with their terminals.
    std::thread::sleep(Duration::from_millis(300));
    Ok(Round { listed_ms, whole_ms, processes, rss_mib: rss as f64 / 1024.0, cpu_ms: ticks as f64 * 10.0 })
}

/// Rows "lazy on" and "lazy off" for each figure, Revenant alone.
pub fn rows(exe: &Path, work: &Path, table: &mut Table) -> Result<()> {
    let dir = work.join("lazy");
    saved_session(exe, &dir, &layout(), PANES, LINES)?;
    let config = std::fs::read_to_string(dir.join("f/config.kdl")).context("config")?;
    let mut figures: Vec<(bool, Vec<Round>)> = Vec::new();
    for lazy in [true, false] {
        std::fs::write(dir.join("f/config.kdl"), format!("{config}lazy_restore {lazy}\n"))?;
        let rounds = (0..ROUNDS).map(|_| one_round(exe, &dir, lazy)).collect::<Result<Vec<_>>>()?;
        figures.push((lazy, rounds));
    }
    type Figure = (&'static str, fn(&Round) -> f64, fn(f64) -> String);
    let each: [Figure; 5] = [
        ("`attach -b` until `list-panes` lists all", |r| r.listed_ms, |v| format!("{v:.0} ms")),
        ("until the shown tab is whole (shells up, screens back)", |r| r.whole_ms, |v| format!("{v:.0} ms")),
        ("processes at 3 s (server and shells)", |r| r.processes, |v| format!("{v:.0}")),
        ("RSS at 3 s, server and shells together", |r| r.rss_mib, |v| format!("{v:.1} MiB")),
        ("CPU in the first 3 s, server and shells", |r| r.cpu_ms, |v| format!("{v:.0} ms")),
    ];
    for (what, get, show) in each {
        for (lazy, rounds) in &figures {
            let value = median(rounds.iter().map(get).collect());
            println!("{PANES} panes, lazy_restore {lazy}: {what}: {}", show(value));
            let value = table.ours(value);
            table.row(&format!("resurrect {PANES} panes, lazy_restore {lazy}: {what}"), &value, show, Goal::None);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_layout_holds_twelve_tabs_of_ten() {
        let layout = super::layout();
        assert_eq!(layout.matches("    tab {").count(), 12);
        assert_eq!(layout.matches(" pane\n").count(), 120);
    }
}
