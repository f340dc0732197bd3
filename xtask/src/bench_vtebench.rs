//! alacritty's vtebench scrolling benchmarks inside each multiplexer, one
//! client attached.
//!
//! The writer (vtebench, with the kernel's output processing) and the
//! kernel's PTY work take most of the two cores, so one run of one
//! multiplexer swings by 15 % with the machine. The multiplexers take
//! turns, benchmark by benchmark and round by round, so a slow spell falls
//! on all of them; each figure is the median of its rounds. Beside it, the
//! CPU the multiplexer's server spent per sample: its own cost, which the
//! machine's noise moves much less.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::harness::{DONE, DONE_OUTPUT, proc_stats, wait_for};
use crate::muxes::Session;
use crate::muxes::{Mux, wait_for_screen};
use crate::table::Goal;
use crate::table::Table;

/// vtebench's scrolling benchmarks.
const SCROLLING: [&str; 6] = [
    "scrolling",
    "scrolling_bottom_region",
    "scrolling_bottom_small_region",
    "scrolling_fullscreen",
    "scrolling_top_region",
    "scrolling_top_small_region",
];

const ROUNDS: usize = 3;

/// One run of one benchmark.
#[derive(Debug, Clone, Copy)]
struct Run {
    /// vtebench's mean sample, ms.
    mean_ms: f64,
    /// The server's CPU over the run, ms, per sample.
    cpu_ms: f64,
}

pub fn rows(muxes: &[&dyn Mux], work: &Path, table: &mut Table) -> Result<()> {
    let Some(benchmarks) = benchmarks_dir(work)? else {
        println!("== vtebench: not installed (`cargo install vtebench --version 0.3.1`), skipped");
        return Ok(());
    };
    println!("== vtebench: scrolling benchmarks, one client attached, {ROUNDS} rounds taken in turns");
    let mut open = Vec::new();
    for mux in muxes {
        match Session::attached(*mux, "vt").and_then(|(s, c)| Ok((mux.server_pid(&s)?, s, c))) {
            Ok(opened) => open.push(Some(opened)),
            Err(e) => {
                println!("{:<9} failed to open: {e:#}", mux.name());
                open.push(None);
            }
        }
    }
    // runs[mux][benchmark] = the rounds.
    let mut runs = vec![vec![Vec::new(); SCROLLING.len()]; muxes.len()];
    for (b, name) in SCROLLING.iter().enumerate() {
        for round in 0..ROUNDS {
            for (m, mux) in muxes.iter().enumerate() {
                let Some((pid, session, _client)) = &open[m] else { continue };
                let dat = work.join(format!("{}-{name}-{round}.dat", mux.name()));
                match run(*mux, session, *pid, &benchmarks.join(name), &dat) {
                    Ok(r) => runs[m][b].push(r),
                    Err(e) => println!("{:<9} {name} round {round} failed: {e:#}", mux.name()),
                }
            }
        }
    }
    for (b, name) in SCROLLING.iter().enumerate() {
        let of = |f: fn(&Run) -> f64| -> Vec<Option<f64>> {
            runs.iter().map(|per_bench| median(per_bench[b].iter().map(f).collect())).collect()
        };
        let (means, cpu) = (of(|r| r.mean_ms), of(|r| r.cpu_ms));
        for (m, mux) in muxes.iter().enumerate() {
            let rounds: Vec<String> = runs[m][b].iter().map(|r| format!("{:.0}", r.mean_ms)).collect();
            println!(
                "{:<9} {name}: rounds {} ms; server CPU {:.0} ms a sample",
                mux.name(),
                rounds.join(" "),
                cpu[m].unwrap_or(f64::NAN)
            );
        }
        table.row(
            &format!("vtebench `{name}`, mean per sample (median of {ROUNDS} rounds)"),
            &means,
            |ms| format!("{ms:.0} ms"),
            Goal::AtMost("zellij", 1.0),
        );
        table.row(&format!("  the server's CPU per `{name}` sample"), &cpu, |ms| format!("{ms:.0} ms"), Goal::None);
    }
    Ok(())
}

/// Runs one benchmark in the session's focused pane.
fn run(mux: &dyn Mux, session: &str, pid: u32, benchmark: &Path, dat: &Path) -> Result<Run> {
    let (before, _) = proc_stats(pid)?;
    mux.type_line(
        session,
        &format!("clear; vtebench -s --max-secs 3 -b {} --dat {}; {DONE}", benchmark.display(), dat.display()),
    )?;
    wait_for_screen(mux, session, DONE_OUTPUT, Duration::from_secs(120))?;
    let (after, _) = proc_stats(pid)?;
    let text = std::fs::read_to_string(dat).with_context(|| format!("{}", dat.display()))?;
    let samples: Vec<f64> = text.lines().skip(1).filter_map(|l| l.trim().parse().ok()).collect();
    if samples.is_empty() {
        bail!("vtebench wrote no samples to {}", dat.display());
    }
    mux.type_line(session, "clear")?;
    wait_for("the screen to clear", Duration::from_secs(10), || {
        mux.screen(session).is_ok_and(|s| !s.contains(DONE_OUTPUT))
    })?;
    // Linux counts CPU time in USER_HZ ticks, 100 a second.
    let cpu_ms = (after - before) as f64 * 10.0 / samples.len() as f64;
    Ok(Run { mean_ms: samples.iter().sum::<f64>() / samples.len() as f64, cpu_ms })
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied()
}

/// The scrolling benchmarks copied out of the vtebench crate's source (which
/// `cargo install vtebench` leaves in cargo's registry), run by bash: some
/// use bash arrays under a `#!/bin/sh` line, which dash refuses.
fn benchmarks_dir(work: &Path) -> Result<Option<PathBuf>> {
    if std::process::Command::new("vtebench").arg("--version").output().is_err() {
        return Ok(None);
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .context("no CARGO_HOME or HOME")?;
    let mut found = None;
    for index in std::fs::read_dir(home.join("registry/src"))?.flatten() {
        let dir = index.path().join("vtebench-0.3.1/benchmarks");
        if dir.is_dir() {
            found = Some(dir);
        }
    }
    let Some(source) = found else { bail!("vtebench is installed but its source is not in {}", home.display()) };
    let to = work.join("vtebench");
    for name in SCROLLING {
        std::fs::create_dir_all(to.join(name))?;
        for file in std::fs::read_dir(source.join(name))?.flatten() {
            let text = std::fs::read_to_string(file.path())?.replacen("#!/bin/sh", "#!/bin/bash", 1);
            let dest = to.join(name).join(file.file_name());
            std::fs::write(&dest, text)?;
            std::fs::set_permissions(&dest, std::os::unix::fs::PermissionsExt::from_mode(0o755))?;
        }
    }
    Ok(Some(to))
}
