//! How costs grow with the work: `ls` against the number of sessions, and
//! the process's own start (`--version`, `ls`, a new session's first
//! frame), beside tmux run the same way in the same run.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use crate::harness::best_of;
use crate::harness::{revenant_env, rv, wait_for};
use crate::table::{Goal, Table};

/// Session counts `ls` is timed at.
pub const SESSIONS: [usize; 4] = [1, 10, 40, 100];

fn ms(d: f64) -> String {
    format!("{d:.2} ms")
}

fn timed(cmd: &mut Command) -> Result<Duration> {
    let started = Instant::now();
    let out = cmd.output()?;
    let took = started.elapsed();
    if !out.status.success() {
        bail!("{cmd:?}: {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(took)
}

/// `ls` at each count of [`SESSIONS`], for Revenant and tmux (each with
/// all its sessions on one socket folder or server, as a user has them).
pub fn ls_rows(exe: &Path, work: &Path, tmux: bool, table: &mut Table) -> Result<()> {
    let rv_work = work.join("ls-rv");
    std::fs::create_dir_all(rv_work.join("f"))?;
    let tmux_sock = work.join("ls-tmux.sock");
    let mut made = 0;
    let result = (|| -> Result<()> {
        for &n in &SESSIONS {
            while made < n {
                rv(exe, &rv_work, &["attach", "-b", &format!("s{made}"), "--size", "80x24"])?;
                if tmux {
                    let sock = tmux_sock.display().to_string();
                    timed(Command::new("tmux").args(["-S", &sock, "-f", "/dev/null", "new-session", "-d"]).args([
                        "-s",
                        &format!("s{made}"),
                        "/bin/sh",
                    ]))?;
                }
                made += 1;
            }
            // Let the servers finish starting (first saves, plugin loads).
            std::thread::sleep(Duration::from_secs(2));
            let ours = best_of(7, || timed(Command::new(exe).arg("ls").envs(revenant_env(&rv_work))))?;
            let listed = rv(exe, &rv_work, &["ls", "--short"])?;
            if listed.lines().count() != n {
                bail!("ls listed {} sessions of {n}:\n{listed}", listed.lines().count());
            }
            let theirs = if tmux {
                let sock = tmux_sock.display().to_string();
                Some(best_of(7, || timed(Command::new("tmux").args(["-S", &sock, "ls"])))?)
            } else {
                None
            };
            let secs = |d: Duration| d.as_secs_f64() * 1000.0;
            println!("ls with {n} sessions: revenant {:.2} ms, tmux {:?}", secs(ours), theirs.map(secs));
            table.row(
                &format!("`ls` with {n} sessions"),
                &[Some(secs(ours)), theirs.map(secs)],
                ms,
                Goal::AtMost("tmux", 5.0),
            );
        }
        Ok(())
    })();
    for i in 0..made {
        let _ = rv(exe, &rv_work, &["kill-session", &format!("s{i}")]);
    }
    if tmux {
        let _ = Command::new("tmux").arg("-S").arg(&tmux_sock).arg("kill-server").output();
    }
    result
}

/// A process's start: `--version` and an `ls` with no session, beside
/// `tmux -V` and `/bin/true`.
pub fn start_rows(exe: &Path, work: &Path, tmux: bool, table: &mut Table) -> Result<()> {
    let empty = work.join("start-empty");
    std::fs::create_dir_all(&empty)?;
    let secs = |d: Duration| d.as_secs_f64() * 1000.0;
    let raw = secs(best_of(20, || timed(&mut Command::new("/bin/true")))?);
    let version = secs(best_of(20, || timed(Command::new(exe).arg("--version")))?);
    let tmux_version = tmux.then(|| best_of(20, || timed(Command::new("tmux").arg("-V")))).transpose()?.map(secs);
    table.row_with_raw(
        "process start: `--version` (raw: /bin/true)",
        &[Some(version), tmux_version],
        raw,
        ms,
        Goal::None,
    );
    let ls = secs(best_of(20, || timed(Command::new(exe).arg("ls").envs(revenant_env(&empty))))?);
    let sock = empty.join("none.sock").display().to_string();
    // tmux ls with no server fails fast (exit 1), which is its start cost.
    let tmux_ls = tmux
        .then(|| {
            best_of(20, || {
                let started = Instant::now();
                Command::new("tmux").args(["-S", &sock, "ls"]).output()?;
                Ok(started.elapsed())
            })
        })
        .transpose()?
        .map(secs);
    table.row_with_raw("process start: `ls`, no sessions (raw: /bin/true)", &[Some(ls), tmux_ls], raw, ms, Goal::None);
    let ours = best_of(5, || first_frame(&rv_first_frame(exe, work)?))?;
    let theirs = tmux.then(|| best_of(5, || first_frame(&tmux_first_frame(work)))).transpose()?;
    table.row(
        "a new session's first frame (`attach -c` / `tmux new-session`)",
        &[Some(secs(ours)), theirs.map(secs)],
        ms,
        Goal::None,
    );
    Ok(())
}

/// A client command for a new session, its environment, and how to end it.
struct Launch {
    argv: Vec<String>,
    env: Vec<(String, String)>,
    kill: Vec<String>,
}

static ROUND: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn round() -> usize {
    ROUND.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn rv_first_frame(exe: &Path, work: &Path) -> Result<Launch> {
    let dir = work.join("first-rv");
    std::fs::create_dir_all(dir.join("f"))?;
    let name = format!("ff{}", round());
    let exe = exe.display().to_string();
    let mut env: Vec<(String, String)> = revenant_env(&dir).into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    env.push(("PS1".into(), "first-frame> ".into()));
    let kill = ["env".to_string()]
        .into_iter()
        .chain(env.iter().map(|(k, v)| format!("{k}={v}")))
        .chain([exe.clone(), "kill-session".into(), name.clone()])
        .collect();
    Ok(Launch { argv: vec![exe, "attach".into(), "-c".into(), name], env, kill })
}

fn tmux_first_frame(work: &Path) -> Launch {
    let sock: PathBuf = work.join(format!("first-tmux-{}.sock", round()));
    let sock = sock.display().to_string();
    Launch {
        argv: ["tmux", "-S", &sock, "-f", "/dev/null", "new-session", "/bin/sh"].map(String::from).to_vec(),
        env: vec![("PS1".into(), "first-frame> ".into())],
        kill: ["tmux", "-S", &sock, "kill-server"].map(String::from).to_vec(),
    }
}

/// From starting the client in a terminal of its own to the new shell's
/// prompt on that terminal.
fn first_frame(launch: &Launch) -> Result<Duration> {
    let pair = native_pty_system().openpty(PtySize { rows: 40, cols: 120, pixel_width: 0, pixel_height: 0 })?;
    let mut cmd = CommandBuilder::new(&launch.argv[0]);
    cmd.args(&launch.argv[1..]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("SHELL", "/bin/sh");
    for (k, v) in &launch.env {
        cmd.env(k, v);
    }
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(cmd)?;
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader()?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buf = vec![0u8; 1 << 16];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            // Without the prompt's last space: a terminal draws no blank it
            // does not need to.
            if seen.windows(12).any(|w| w == b"first-frame>") {
                let _ = tx.send(started.elapsed());
                break;
            }
        }
        while matches!(reader.read(&mut buf), Ok(n) if n > 0) {}
    });
    let took = rx.recv_timeout(Duration::from_secs(20)).context("no prompt within 20 s");
    let _ = Command::new(&launch.kill[0]).args(&launch.kill[1..]).output();
    let _ = child.kill();
    let _ = child.wait();
    drop(pair.master);
    wait_for("the client to end", Duration::from_secs(5), || child.try_wait().is_ok_and(|s| s.is_some()))?;
    took
}
