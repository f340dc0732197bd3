//! Whole-program benchmarks of the multiplexer beside tmux (and Zellij when
//! a `zellij` binary is on PATH), in one run so that the ratios hold on a
//! noisy box: memory with 10 panes of history, an idle server's memory and
//! CPU, a 50 MiB `cat` against the raw PTY, and alacritty's vtebench
//! scrolling benchmarks. Prints the table the performance issue asks for.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::harness::{DONE, DONE_OUTPUT, best_of, idle_cpu_percent, proc_stats, tempdir};
use crate::muxes::{self, COLS, HISTORY, Mux, ROWS, Session, shell_ready, wait_for_screen};
use crate::table::{Goal, Table};

const PANES: usize = 10;

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    let megabytes: usize = flag(args, "--size-mb")?.unwrap_or(50);
    let idle_secs: u64 = flag(args, "--idle-secs")?.unwrap_or(40);
    // `--only memory,idle,scale,start,panes,lazy,frames,throughput,vtebench,latency`:
    // a part of the run.
    let only: Option<String> = flag(args, "--only")?;
    let part = |name: &str| only.as_deref().is_none_or(|o| o.split(',').any(|p| p == name));
    let exe = crate::harness::release_exe(root, flag::<PathBuf>(args, "--exe")?)?;
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
        table.row("RSS, 10 panes x 10 000 lines of 80-column coloured text", &rss, mib, Goal::AtMost("tmux", 0.5));
    }

    if part("idle") {
        println!("== idle: one shell, no client, after {idle_secs} s");
        let idle = each(&muxes, |m| idle_server(m, idle_secs))?;
        let idle_rss: Vec<_> = idle.iter().map(|r| r.map(|(kib, _, _)| kib)).collect();
        let idle_cpu: Vec<_> = idle.iter().map(|r| r.map(|(_, cpu, _)| cpu)).collect();
        let idle_threads: Vec<_> = idle.iter().map(|r| r.map(|(_, _, threads)| threads)).collect();
        table.row(
            &format!("RSS of an idle server, one shell, at {idle_secs} s"),
            &idle_rss,
            mib,
            Goal::AtMost("tmux", 1.0),
        );
        table.row("CPU of that idle server, over 10 s", &idle_cpu, |c| format!("{c:.2} %"), Goal::None);
        table.row("threads of that idle server", &idle_threads, |t| format!("{t:.0}"), Goal::None);
    }

    let tmux = muxes.iter().any(|m| m.name() == "tmux");
    type Rows<'a> = Box<dyn Fn(&mut Table) -> Result<()> + 'a>;
    let growth: [(&str, &str, Rows); 5] = [
        (
            "scale",
            "`ls` with 1, 10, 40 and 100 sessions",
            Box::new(|t| crate::bench_scale::ls_rows(&exe, &work, tmux, t)),
        ),
        (
            "start",
            "--version, ls, a new session's first frame",
            Box::new(|t| crate::bench_scale::start_rows(&exe, &work, tmux, t)),
        ),
        (
            "panes",
            "save and resurrection against the session's panes",
            Box::new(|t| crate::bench_panes::session_rows(&exe, &work, t)),
        ),
        (
            "lazy",
            "a 120-pane resurrection with lazy_restore on and off",
            Box::new(|t| crate::bench_lazy::rows(&exe, &work, t)),
        ),
        (
            "frames",
            "the server's time per frame against the panes in the tab",
            Box::new(|t| crate::bench_panes::frame_rows(&exe, &work, t)),
        ),
    ];
    for (name, what, rows) in growth.iter().filter(|(name, ..)| part(name)) {
        println!("== {name}: {what}");
        rows(&mut table)?;
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

pub(crate) fn throughput_rows(muxes: &[&dyn Mux], coloured: &Path, megabytes: usize, table: &mut Table) -> Result<()> {
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
        Goal::RawTimes(1.1),
    );
    Ok(())
}

pub(crate) fn flag<T: std::str::FromStr>(args: &[String], name: &str) -> Result<Option<T>>
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

fn mib(kib: f64) -> String {
    format!("{:.1} MiB", kib / 1024.0)
}

pub(crate) fn write_coloured_file(path: &Path, bytes: usize) -> Result<()> {
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

/// (RSS in KiB, CPU %, threads) of a server holding one idle shell, `secs`
/// after its start.
fn idle_server(mux: &dyn Mux, secs: u64) -> Result<(f64, f64, f64)> {
    let session = Session::detached(mux, "idle")?;
    let pid = mux.server_pid(&session)?;
    std::thread::sleep(Duration::from_secs(secs.saturating_sub(12)));
    let cpu = idle_cpu_percent(pid)?;
    let (_, rss) = proc_stats(pid)?;
    let threads = std::fs::read_dir(format!("/proc/{pid}/task"))?.count();
    Ok((rss as f64, cpu, threads as f64))
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
