//! `revenant plugin …`: check a component, list what serves each role (in a
//! running session, or as config.kdl says), make sessions reload.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Result, anyhow, bail};

use crate::commands::{live_socket, load_config, socket_dir};
use crate::ipc::Action;
use crate::plugin::{self, PluginEngine, PluginSource};
use crate::server::plugins::roles::{LoadState, RoleSet, RoleStatus, describe};
use crate::{paths, sessions};

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
            sessions::request(&socket, Action::PluginList { json })?
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

/// What config.kdl configures, each plugin loaded and checked here.
fn configured() -> Result<Vec<RoleStatus>> {
    let config = load_config()?;
    let set = RoleSet::from_config(&config.plugins);
    let engine = PluginEngine::new(Some(&paths::plugin_cache_dir()))?;
    let n = set.discovery.len();
    let mut rows = Vec::new();
    let labelled = std::iter::once(("serializer".to_string(), &set.serializer))
        .chain(set.discovery.iter().enumerate().map(|(i, e)| (e.label(i, n), e)))
        .chain(std::iter::once(("session-manager".to_string(), &set.session_manager)));
    for (label, entry) in labelled {
        let mut row = RoleStatus::compiling(label, entry.clone());
        let checked = entry.source().map_err(|e| e.to_string()).and_then(|source| {
            plugin::check(&engine, &source).map_err(|e| e.to_string().lines().next().unwrap_or_default().to_string())
        });
        row.state = match checked {
            Ok(report) if report.world != entry.role.world() => {
                LoadState::Failed(format!("it is a {} plugin, not a {} one", report.world, entry.role.world()))
            }
            Ok(report) => {
                row.contract = Some(report.contract);
                row.load_time = Some(report.compile + report.instantiate + report.smoke);
                LoadState::Ready
            }
            Err(e) => LoadState::Failed(e),
        };
        rows.push(row);
    }
    Ok(rows)
}

/// `plugin reload [-s NAME]`.
pub fn reload(session: Option<String>) -> Result<()> {
    let dir = socket_dir()?;
    let names: Vec<String> = match session {
        Some(name) => vec![name],
        None => sessions::live_sessions(&dir).into_iter().map(|s| s.name).collect(),
    };
    if names.is_empty() {
        bail!("no live sessions to reload");
    }
    let mut failed = Vec::new();
    let mut out = std::io::stdout().lock();
    for name in &names {
        let answer = live_socket(&dir, name).and_then(|socket| sessions::request(&socket, Action::PluginReload));
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
