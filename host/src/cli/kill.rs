//! Ending and deleting sessions from the command line: `kill-session`,
//! `kill-all-sessions`, `delete-session`, `delete-all-sessions`.

use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::cli::commands::{live_socket, socket_dir};
use crate::ipc::Action;
use crate::registry::{self, names};
use crate::{logging, paths};

/// How long a server has to answer a kill and go: it saves first, which
/// takes well under a second, so a server still there after this is stuck.
const STOP_DEADLINE: Duration = Duration::from_secs(5);
/// The same for a server that already let a listing's probe go unanswered.
const UNRESPONSIVE_DEADLINE: Duration = Duration::from_secs(2);

pub fn kill_session(name: &str) -> Result<()> {
    let dir = socket_dir()?;
    stop(&dir, name)
}

/// Asks a server to stop (it saves the session first) and waits until it is
/// gone, so what follows (a listing, a delete) sees it exited.
fn stop(dir: &Path, name: &str) -> Result<()> {
    stop_within(&live_socket(dir, name)?, name, STOP_DEADLINE)
}

/// [`stop`] for a server known to be live; not answering or not going
/// within `limit` is an error.
fn stop_within(socket: &Path, name: &str, limit: Duration) -> Result<()> {
    let deadline = Instant::now() + limit;
    // The process, not only its socket: a server lets its socket go and
    // then finishes its threads (a plugin still compiling), and a kill
    // that returned then was not over.
    let pid = crate::store::metadata::read(name).map(|(_, pid, ..)| pid).filter(|p| *p != 0);
    registry::request_within(socket, Action::Kill, Some(limit))
        .with_context(|| format!("`{name}` did not answer within {} s", limit.as_secs()))?;
    while socket.exists() || pid.is_some_and(process_runs) {
        if Instant::now() >= deadline {
            let which = pid.map(|p| format!(" (pid {p})")).unwrap_or_default();
            bail!("`{name}`{which} answered but was still running after {} s", limit.as_secs());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Ok(())
}

/// Whether process `pid` is a session server that has not exited (a
/// zombie has; a pid reused by another program is not ours).
fn process_runs(pid: u32) -> bool {
    let ours =
        std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| c.split(|b| *b == 0).any(|a| a == b"__server"));
    if !ours {
        return false;
    }
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name in parentheses.
        Ok(stat) => stat.rsplit_once(')').is_some_and(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X'])),
        Err(_) => false,
    }
}

fn confirm(question: &str) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!("{question} — refusing without a terminal to ask on (pass -y)");
    }
    eprint!("{question} [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// Stops every live session, all at once so a stuck server costs one
/// deadline, not one each; fails naming those that could not be ended.
pub fn kill_all(yes: bool) -> Result<()> {
    let dir = socket_dir()?;
    let live = registry::live_sessions(&dir);
    if live.is_empty() {
        eprintln!("no live sessions");
        return Ok(());
    }
    if !yes && !confirm(&format!("Kill {} live sessions?", live.len()))? {
        return Ok(());
    }
    let failed: Vec<String> = std::thread::scope(|scope| {
        let dir = &dir;
        let handles: Vec<_> = live
            .iter()
            .map(|s| {
                let limit = if s.responding { STOP_DEADLINE } else { UNRESPONSIVE_DEADLINE };
                let socket = registry::socket_path(dir, &s.name);
                (s.name.as_str(), scope.spawn(move || stop_within(&socket, &s.name, limit)))
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|(name, handle)| {
                let result = handle.join().unwrap_or_else(|_| Err(anyhow::anyhow!("the kill panicked")));
                let e = result.err()?;
                eprintln!("revenant: {name}: {e:#}");
                Some(name.to_owned())
            })
            .collect()
    });
    if !failed.is_empty() {
        bail!("could not end {} of {} sessions: {}", failed.len(), live.len(), failed.join(", "));
    }
    Ok(())
}

pub fn delete_session(name: &str, force: bool) -> Result<()> {
    let dir = socket_dir()?;
    names::validate(name, &dir)?;
    let live = registry::is_live(&dir, name);
    if live && !force {
        bail!("session `{name}` is running: kill it first, or pass --force");
    }
    if live {
        stop(&dir, name)?;
    }
    let saved = crate::store::session_dir(name);
    if saved.exists() {
        std::fs::remove_dir_all(&saved).with_context(|| format!("removing {}", saved.display()))?;
        // The screens only it held go too (others' stay linked).
        crate::store::blobs::collect(&crate::store::blobs::dir_for(&saved));
    } else if !live {
        bail!("no session named `{name}`");
    }
    logging::remove_session_logs(name);
    Ok(())
}

pub fn delete_all(yes: bool, force: bool) -> Result<()> {
    let dir = socket_dir()?;
    let root = paths::cache_dir().join("contract_version_1").join("session_info");
    let saved: Vec<String> = std::fs::read_dir(&root)
        .map(|rd| rd.flatten().filter_map(|e| e.file_name().into_string().ok()).collect())
        .unwrap_or_default();
    let live: Vec<String> = registry::live_sessions(&dir).into_iter().map(|s| s.name).collect();
    if !force && !live.is_empty() {
        eprintln!("keeping {} running sessions (pass --force to kill and delete them)", live.len());
    }
    let mut targets: Vec<&String> = saved.iter().filter(|n| force || !live.contains(n)).collect();
    if force {
        targets.extend(live.iter().filter(|n| !saved.contains(n)));
    }
    if targets.is_empty() {
        eprintln!("nothing to delete");
        return Ok(());
    }
    if !yes && !confirm(&format!("Delete {} sessions?", targets.len()))? {
        return Ok(());
    }
    for name in targets {
        if let Err(e) = delete_session(name, force) {
            eprintln!("revenant: {name}: {e:#}");
        }
    }
    Ok(())
}
