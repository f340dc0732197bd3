//! Saving the session for resurrection: find what each pane runs (the
//! PTY's foreground process, through the command-discovery plugin), build
//! the manifest (with each pane's screen when `serialize_pane_viewport` is
//! on), have the serializer plugin write it as a layout, check that layout,
//! and store it atomically in the cache folder.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::plugin::types::{DiscoveredCommand, DiscoveryDecision, PaneContents, SessionManifest, TiledBody};
use crate::plugin::{CommandDiscoveryPlugin, PluginSource, World};
use crate::store;
use crate::tiling::PaneId;
use revenant_terminal::Terminal;

use super::Server;
use super::pane::Pane;

/// A pane's dumped lines and the (terminal generation, scrollback lines)
/// they were dumped at.
pub(super) type CachedContents = ((u64, Option<usize>), Option<PaneContents>);

/// What runs in a pane, as it should be saved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Found {
    pub argv: Option<Vec<String>>,
    pub cwd: Option<PathBuf>,
}

/// What the system says runs in the pane before any plugin has a say:
/// `(found, the foreground pid to tell the plugin about)`. A shell at its
/// prompt has no command; a pane whose process is not running (held back,
/// exited) keeps the command it was given.
fn probe(pane: &Pane) -> (Found, Option<u32>) {
    let given = Found { argv: pane.command().map(<[String]>::to_vec), cwd: pane.spec.cwd.clone() };
    let Some(pty) = &pane.pty else { return (given, None) };
    let Some(child) = pty.pid() else { return (given, None) };
    let fg = pty.foreground_pid().unwrap_or(child);
    if fg == child && !pane.is_command {
        return (Found { argv: None, cwd: crate::proc_info::cwd(child).or(given.cwd) }, None);
    }
    match crate::proc_info::cmdline(fg) {
        Some(argv) => (Found { argv: Some(argv), cwd: crate::proc_info::cwd(fg).or(given.cwd) }, Some(fg)),
        // Gone between the two reads: what the pane was started with.
        None => (given, None),
    }
}

/// The command a pane runs now, as the system tells it (no plugin).
pub(super) fn running_command(pane: &Pane) -> Option<Vec<String>> {
    probe(pane).0.argv
}

impl Server {
    /// Saves a snapshot now. On failure the previous snapshot stays, the
    /// cause is logged, and the status bar says so (once per run of
    /// failures).
    pub(super) fn save_session(&mut self, why: &str) -> Result<PathBuf, String> {
        if !self.config.session_serialization {
            return Err("session serialization is off (session_serialization false)".into());
        }
        if self.session.tabs.is_empty() {
            return Err("the session has no tabs left to save".into());
        }
        if self.session.panes.values().any(|p| p.restoring.is_some()) {
            // Saving now would store blank screens over the ones still being
            // restored; the snapshot they come from stays in place.
            return Err("the session's saved screens are still being restored; try again in a moment".into());
        }
        let started = Instant::now();
        let result = self.try_save();
        match &result {
            Ok(path) => {
                self.unsaved = false;
                self.save_failing = false;
                tracing::info!(why, ms = started.elapsed().as_secs_f64() * 1e3, "saved {}", path.display());
            }
            Err(e) => {
                tracing::warn!(why, "saving the session failed: {e}");
                if !self.save_failing {
                    self.save_failing = true;
                    self.notice = Some((format!("Saving the session failed: {e}"), Instant::now()));
                    self.dirty = true;
                }
            }
        }
        result
    }

    fn try_save(&mut self) -> Result<PathBuf, String> {
        let t0 = Instant::now();
        let found = self.discover_all()?;
        let t1 = Instant::now();
        let mut manifest = self.manifest_with(&found);
        if self.config.serialize_pane_viewport {
            self.add_contents(&mut manifest);
        }
        let t2 = Instant::now();
        let serialized = self.serializer()?.serialize(&manifest).map_err(|e| e.to_string())?;
        let t3 = Instant::now();
        let sidecars: Vec<(String, String)> = serialized.sidecars.into_iter().map(|s| (s.name, s.contents)).collect();
        let snap = store::Snapshot {
            layout: &serialized.layout,
            sidecars: &sidecars,
            created_unix: self.session.created_unix,
            saved_unix: now_unix(),
        };
        let written = store::write_snapshot(&store::session_dir(&self.session.name), &snap).map_err(|e| e.to_string());
        let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e3;
        tracing::debug!(
            discover_ms = ms(t0, t1),
            manifest_ms = ms(t1, t2),
            plugin_ms = ms(t2, t3),
            write_ms = ms(t3, Instant::now()),
            "snapshot phases"
        );
        written
    }

    /// Every terminal pane's command and cwd, after the command-discovery
    /// plugin had its say.
    pub(super) fn discover_all(&mut self) -> Result<HashMap<PaneId, Found>, String> {
        let shell = self.shell();
        let probed: Vec<(PaneId, Found, Option<u32>, bool)> = self
            .session
            .panes
            .values()
            .filter(|p| p.plugin_location.is_none())
            .map(|p| {
                let (found, pid) = probe(p);
                (p.id, found, pid, p.is_command)
            })
            .collect();
        let mut out = HashMap::new();
        for (id, mut found, pid, is_command) in probed {
            if let Some(argv) = found.argv.clone() {
                let question = DiscoveredCommand {
                    argv,
                    cwd: found.cwd.as_ref().map(|c| c.display().to_string()),
                    pid: pid.unwrap_or(0),
                    pane_id: id,
                    // A command pane has no shell of its own to be told apart from.
                    shell: (!is_command).then(|| shell.clone()),
                };
                match self.discovery()?.discover(&question).map_err(|e| e.to_string())? {
                    DiscoveryDecision::Keep => {}
                    DiscoveryDecision::Drop => found.argv = None,
                    DiscoveryDecision::Rewrite(rewritten) => {
                        if rewritten.argv.is_empty() {
                            return Err("the command-discovery plugin rewrote a command to an empty argv".into());
                        }
                        found.argv = Some(rewritten.argv);
                        if let Some(cwd) = rewritten.cwd {
                            found.cwd = Some(cwd.into());
                        }
                    }
                }
            }
            out.insert(id, found);
        }
        Ok(out)
    }

    /// Puts each terminal pane's screen (and the configured amount of
    /// scrollback) into the manifest, with colours as SGR sequences. A pane
    /// whose terminal has not changed since the last snapshot reuses its
    /// lines; the others are dumped in parallel.
    fn add_contents(&mut self, manifest: &mut SessionManifest) {
        let lines = match self.config.scrollback_lines_to_serialize {
            0 => None,
            n => Some(n),
        };
        let wanted: Vec<PaneId> =
            self.session.panes.values().filter(|p| p.plugin_location.is_none()).map(|p| p.id).collect();
        self.contents_cache.retain(|id, _| wanted.contains(id));
        let stale: Vec<(PaneId, &Terminal)> = wanted
            .iter()
            .filter_map(|id| self.session.panes.get(id))
            .filter(|p| self.contents_cache.get(&p.id).is_none_or(|c| c.0 != (p.term.generation(), lines)))
            .map(|p| (p.id, &p.term))
            .collect();
        let fresh = dump_parallel(&stale, lines);
        for (id, generation, contents) in fresh {
            self.contents_cache.insert(id, ((generation, lines), contents));
        }
        for tab in &mut manifest.tabs {
            let panes = tab
                .tiled
                .iter_mut()
                .filter_map(|n| match &mut n.body {
                    TiledBody::Pane(p) => Some(p),
                    TiledBody::Split(_) => None,
                })
                .chain(tab.floating.iter_mut().map(|f| &mut f.pane));
            for mp in panes {
                if let Some((_, Some(contents))) = self.contents_cache.get(&mp.id) {
                    mp.contents = Some(contents.clone());
                }
            }
        }
    }

    fn discovery(&mut self) -> Result<&mut CommandDiscoveryPlugin, String> {
        if self.discovery.is_none() {
            let engine = self.plugin_engine()?;
            let entry = &self.config.plugins.command_discovery;
            let source = PluginSource::from_location(&entry.location)?;
            let limits = super::plugins::limits(entry, World::CommandDiscovery);
            let plugin = CommandDiscoveryPlugin::load(&engine, &source, limits).map_err(|e| e.to_string())?;
            self.discovery = Some(plugin);
        }
        Ok(self.discovery.as_mut().expect("just loaded"))
    }

    /// When the next interval snapshot is due, if any.
    pub(super) fn next_save_due(&self) -> Option<Instant> {
        if !self.config.session_serialization {
            return None;
        }
        Some(self.last_save_attempt + Duration::from_secs(self.config.serialization_interval.max(1)))
    }

    /// The interval snapshot: only when something changed since the last.
    pub(super) fn save_if_due(&mut self) {
        if self.next_save_due().is_some_and(|due| Instant::now() >= due) {
            self.last_save_attempt = Instant::now();
            if self.unsaved {
                let _ = self.save_session("interval");
            }
        }
    }
}

/// Dumps panes on up to as many threads as there are cores (a big
/// scrollback takes milliseconds per pane).
fn dump_parallel(panes: &[(PaneId, &Terminal)], lines: Option<usize>) -> Vec<(PaneId, u64, Option<PaneContents>)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(panes.len()).max(1);
    let chunk = panes.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = panes
            .chunks(chunk)
            .map(|group| {
                scope.spawn(move || {
                    group
                        .iter()
                        .map(|(id, term)| (*id, term.generation(), pane_contents(term, lines)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    })
}

fn pane_contents(term: &Terminal, lines: Option<usize>) -> Option<PaneContents> {
    let (scrollback, mut viewport) = term.dump_ansi(lines);
    // Blank rows under the last text would push the restored text up by a
    // screen when the shell's prompt arrives.
    while viewport.last().is_some_and(|l| is_blank(l)) {
        viewport.pop();
    }
    if scrollback.is_empty() && viewport.is_empty() {
        return None;
    }
    Some(PaneContents { scrollback, viewport })
}

/// An empty row as `dump_ansi` writes it: nothing but style resets.
fn is_blank(line: &str) -> bool {
    line.replace("\x1b[0m", "").trim().is_empty()
}

pub(super) fn now_unix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}
