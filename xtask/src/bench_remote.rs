//! Sessions on another host, measured over a real sshd on 127.0.0.1 in one
//! run beside the same things done locally and beside tmux run over
//! `ssh -t`: keystroke-to-echo latency, a 50 MiB `cat` (and `ssh host cat`
//! as the link's own floor), the time from `attach` to the first frame,
//! and how long a cut link takes to come back.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::bench_latency::Terminal;
use crate::harness::{revenant_env, tempdir};
use crate::muxes::{self, Mux};
use crate::over_ssh::OverSsh;
use crate::sshd::{HOST, Sshd};
use crate::table::{Goal, Table};

const MARK: &str = "frame-mark-9";
const MARK_LINE: &str = "echo frame-mark-$((3*3))";

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    let megabytes: usize = crate::bench_mux::flag(args, "--size-mb")?.unwrap_or(50);
    let exe = crate::harness::release_exe(root, crate::bench_mux::flag(args, "--exe")?)?;
    let exe = std::path::absolute(&exe)?;
    let work = tempdir()?;
    let local = muxes::available(&exe, &work);
    let (revenant, tmux) = (local[0].as_ref(), local.iter().find(|m| m.name() == "tmux").context("tmux is needed")?);
    // The far side is this machine: the same directories, and the same
    // binary first on its PATH.
    let mut env = revenant_env(&work.join("rv"));
    let bin = exe.parent().context("the binary's folder")?.display().to_string();
    env.push(("PATH", format!("{bin}:/usr/local/bin:/usr/bin:/bin")));
    let sshd = Sshd::start(&work.join("ssh"), &env)?;
    let (rv_ssh, tmux_ssh) = (OverSsh { inner: revenant, sshd: &sshd }, OverSsh { inner: tmux.as_ref(), sshd: &sshd });
    // The first column is the one the table compares with the others.
    let muxes: Vec<&dyn Mux> = vec![&rv_ssh, revenant, &tmux_ssh, tmux.as_ref()];
    println!("comparing {}", muxes.iter().map(|m| m.name()).collect::<Vec<_>>().join(", "));
    let mut table = Table::new(muxes.iter().map(|m| m.name()).collect());

    crate::bench_latency::rows(&muxes, &mut table)?;

    let coloured = work.join("colours.txt");
    crate::bench_mux::write_coloured_file(&coloured, megabytes << 20)?;
    crate::bench_mux::throughput_rows(&muxes, &coloured, megabytes, &mut table)?;
    let file = coloured.display().to_string();
    let config = sshd.config.display().to_string();
    let link = crate::harness::best_of(3, || muxes::raw_pty(&["ssh", "-F", &config, HOST, "cat", &file]))?;
    println!("`ssh {HOST} cat` into a PTY: {:.2} s", link.as_secs_f64());
    let only_link = [Some(link.as_secs_f64()), None, Some(link.as_secs_f64()), None];
    table.row("the same `cat` as `ssh host cat` into a PTY (the link's floor)", &only_link, secs, Goal::None);

    println!("== attach: from starting the client to the pane's text drawn (median of 5)");
    let first: Vec<Option<f64>> = muxes.iter().map(|m| report(m.name(), median_of(5, || first_frame(*m)))).collect();
    table.row("attach to first frame, median of 5", &first, ms, Goal::None);

    println!("== reconnect: the client's ssh killed, to the pane's text drawn again (median of 5)");
    let back = report("revenant/ssh", median_of(5, || reconnect(&rv_ssh)));
    table.row("a cut link back (ssh killed to frame redrawn)", &[back, None, None, None], ms, Goal::None);

    println!();
    table.print();
    drop(sshd);
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

fn secs(s: f64) -> String {
    format!("{s:.2} s")
}

fn ms(s: f64) -> String {
    format!("{:.0} ms", s * 1000.0)
}

fn report(name: &str, r: Result<f64>) -> Option<f64> {
    match r {
        Ok(v) => {
            println!("{name:<13} {:.1} ms", v * 1000.0);
            Some(v)
        }
        Err(e) => {
            println!("{name:<13} failed: {e:#}");
            None
        }
    }
}

fn median_of(n: usize, mut f: impl FnMut() -> Result<Duration>) -> Result<f64> {
    let mut all = (0..n).map(|_| f().map(|d| d.as_secs_f64())).collect::<Result<Vec<_>>>()?;
    all.sort_by(f64::total_cmp);
    Ok(all[n / 2])
}

/// A detached session showing a marker, and a terminal attaching to it.
fn attached(mux: &dyn Mux) -> Result<(muxes::Session<'_>, Terminal, Instant)> {
    let session = muxes::Session::detached(mux, "ff")?;
    muxes::shell_ready(mux, &session)?;
    mux.type_line(&session, MARK_LINE)?;
    muxes::wait_for_screen(mux, &session, MARK, Duration::from_secs(20))?;
    let (argv, env) = mux.client_command(&session);
    let started = Instant::now();
    let term = Terminal::spawn(&argv, &env)?;
    Ok((session, term, started))
}

fn first_frame(mux: &dyn Mux) -> Result<Duration> {
    let (_session, mut term, started) = attached(mux)?;
    term.wait_text(MARK, Duration::from_secs(20))?;
    Ok(started.elapsed())
}

fn reconnect(mux: &dyn Mux) -> Result<Duration> {
    let (_session, mut term, _) = attached(mux)?;
    term.wait_text(MARK, Duration::from_secs(20))?;
    term.settle(Duration::from_millis(500));
    let client = term.pid().context("the client's pid")?;
    let link = children(client).into_iter().find(|p| comm(*p) == "ssh").context("the client's ssh")?;
    let started = Instant::now();
    Command::new("kill").args(["-9", &link.to_string()]).status()?;
    term.wait_text(MARK, Duration::from_secs(30))?;
    let took = started.elapsed();
    if children(client).iter().all(|p| *p == link) {
        bail!("drawn again without a new link");
    }
    Ok(took)
}

fn children(pid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{p}/stat")).is_ok_and(|s| {
                s.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                    .is_some_and(|pp| pp == pid.to_string())
            })
        })
        .collect()
}

fn comm(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_owned()
}
