//! `revenant plugin …`: check a component, list what serves each role (in a
//! running session, or as config.kdl says), make sessions reload.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Result, anyhow, bail};

use crate::cli::commands::{live_socket, socket_dir};
use crate::config_files::load_config;
use crate::ipc::Action;
use crate::paths;
use crate::plugin::{self, PluginEngine, PluginSource};
use crate::registry;
use crate::runtime::plugin_service::roles::{LoadState, RoleEntry, RoleSet, RoleStatus, describe, load_deadline};

/// `plugin check PATH`: the world on the first line (for scripts), then the
/// contract version and what each step cost.
pub fn check(path: PathBuf) -> Result<()> {
    let engine = PluginEngine::new(Some(&paths::plugin_cache_dir()))?;
    let r = plugin::check(&engine, &PluginSource::File(path))?;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mib = |b: usize| b as f64 / (1024.0 * 1024.0);
    let call = match r.world {
        plugin::World::Serializer => "serialize (a one-pane session)",
        plugin::World::CommandDiscovery => "discover (`sleep 1000`)",
        plugin::World::SessionManager => "init + render (24x80)",
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", r.world)?;
    writeln!(out, "  contract     {}", r.contract)?;
    writeln!(out, "  size         {:.1} MiB", mib(r.bytes))?;
    writeln!(out, "  compile      {:.1} ms (from the on-disk cache when seen before)", ms(r.compile))?;
    writeln!(out, "  instantiate  {:.1} ms", ms(r.instantiate))?;
    writeln!(out, "  smoke call   {:.2} ms: {call}", ms(r.smoke))?;
    writeln!(out, "  memory       {:.1} MiB at most", mib(r.memory_peak))?;
    Ok(())
}

/// `plugin list [-s NAME] [--json]`.
pub fn list(session: Option<String>, json: bool) -> Result<()> {
    let text = match session {
        Some(name) => {
            let dir = socket_dir()?;
            let socket = live_socket(&dir, &name)?;
            registry::request(&socket, Action::PluginList { json })?
        }
        None => {
            let rows = configured()?;
            if json {
                serde_json::Value::Array(rows.iter().map(RoleStatus::to_json).collect()).to_string() + "\n"
            } else {
                describe(&rows)
            }
        }
    };
    std::io::stdout().write_all(text.as_bytes())?;
    Ok(())
}

/// What config.kdl configures, each plugin loaded and checked here, all
/// at once and each within the load deadline a session gives it: a plugin
/// that does not load in time is named, not waited for.
fn configured() -> Result<Vec<RoleStatus>> {
    let config = load_config()?;
    let set = RoleSet::from_config(&config.plugins);
    let engine = std::sync::Arc::new(PluginEngine::new(Some(&paths::plugin_cache_dir()))?);
    let n = set.discovery.len();
    let labelled: Vec<(String, RoleEntry)> = std::iter::once(("serializer".to_string(), set.serializer.clone()))
        .chain(set.discovery.iter().enumerate().map(|(i, e)| (e.label(i, n), e.clone())))
        .chain(std::iter::once(("session-manager".to_string(), set.session_manager.clone())))
        .collect();
    let (tx, rx) = std::sync::mpsc::channel();
    for (i, (_, entry)) in labelled.iter().enumerate() {
        let (tx, engine, entry) = (tx.clone(), engine.clone(), entry.clone());
        std::thread::Builder::new().name(format!("check-{i}")).spawn(move || {
            let checked = entry.source().and_then(|source| {
                plugin::check(&engine, &source)
                    .map_err(|e| e.to_string().lines().next().unwrap_or_default().to_string())
            });
            let _ = tx.send((i, checked));
        })?;
    }
    drop(tx);
    let mut rows: Vec<RoleStatus> =
        labelled.iter().map(|(label, entry)| RoleStatus::compiling(label.clone(), entry.clone())).collect();
    let deadline = std::time::Instant::now() + load_deadline();
    let mut answered = vec![false; rows.len()];
    // A built-in plugin is waited for: it is compiled into the host.
    let builtin: Vec<bool> = labelled.iter().map(|(_, entry)| entry.is_builtin()).collect();
    let builtin_unanswered = |answered: &[bool]| builtin.iter().zip(answered).any(|(b, done)| *b && !done);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let next = match (left.is_zero(), builtin_unanswered(&answered)) {
            (true, false) => break,
            (true, true) => rx.recv().ok(),
            (false, _) => match rx.recv_timeout(left) {
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
                answer => answer.ok(),
            },
        };
        let Some((i, checked)) = next else { break };
        answered[i] = true;
        let row = &mut rows[i];
        row.state = match checked {
            Ok(report) if report.world != row.entry.role.world() => {
                LoadState::Failed(format!("it is a {} plugin, not a {} one", report.world, row.entry.role.world()))
            }
            Ok(report) => {
                row.contract = Some(report.contract);
                row.load_time = Some(report.compile + report.instantiate + report.smoke);
                LoadState::Ready
            }
            Err(e) => LoadState::Failed(e),
        };
    }
    for (row, _) in rows.iter_mut().zip(&answered).filter(|(_, a)| !**a) {
        row.state = LoadState::Failed(format!("still loading after {} s", load_deadline().as_secs_f64()));
    }
    Ok(rows)
}

/// `plugin reload [-s NAME]`.
pub fn reload(session: Option<String>) -> Result<()> {
    let dir = socket_dir()?;
    let names: Vec<String> = match session {
        Some(name) => vec![name],
        None => registry::live_sessions(&dir).into_iter().map(|s| s.name).collect(),
    };
    if names.is_empty() {
        bail!("no live sessions to reload");
    }
    let mut failed = Vec::new();
    let mut out = std::io::stdout().lock();
    for name in &names {
        let answer = live_socket(&dir, name).and_then(|socket| registry::request(&socket, Action::PluginReload));
        match answer {
            Ok(summary) if names.len() == 1 => out.write_all(summary.as_bytes())?,
            Ok(summary) => {
                writeln!(out, "session {name}:")?;
                for line in summary.lines() {
                    writeln!(out, "  {line}")?;
                }
            }
            Err(e) => {
                eprintln!("revenant: {name}: {e:#}");
                failed.push(name.as_str());
            }
        }
    }
    if !failed.is_empty() {
        return Err(anyhow!("could not reload {}", failed.join(", ")));
    }
    Ok(())
}
