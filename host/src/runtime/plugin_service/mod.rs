//! A session's plugins, run off the server thread: a loader compiles and
//! checks builds, a worker calls the serializer and the discovery chain and
//! writes snapshots, a watcher notices new builds and config changes. The
//! server thread only sends jobs and reads reports, so a slow compile or
//! call never stops it from drawing, reading input or answering the CLI.

mod decided;
mod loader;
pub mod roles;
pub mod screens;
mod slot;
mod watch;
mod worker;

use std::path::PathBuf;
use std::sync::mpsc::{Sender, channel};

use crate::plugin::types::{DiscoveredCommand, SessionManifest};

use super::Event;
use crate::plugin::EngineCell;
pub use roles::{RoleEntry, RoleSet, StatusTable};
pub use worker::SAVE_WAIT;

/// What the server thread asks of the worker.
pub enum Job {
    Save(SaveJob),
    /// A new set of roles (config.kdl changed), or files to look at again
    /// (`changed`; `None`: every file, as `plugin reload` asks). `id` is a
    /// reload waiting for its summary.
    Reconfigure {
        id: Option<u64>,
        set: RoleSet,
        manifest: SessionManifest,
        changed: Option<Vec<PathBuf>>,
    },
    Loaded(loader::LoadOutcome),
    /// Move the session's cache folder (a rename), after the saves before it.
    Rename {
        id: u64,
        from: PathBuf,
        to: PathBuf,
    },
    /// One of notify's events, for the watch (see `watch`).
    Watched(watch::WatchEvent),
    /// The files to watch now (the plugin set changed).
    WatchFiles(Vec<PathBuf>),
    Stop,
}

pub enum SaveKind {
    /// Write a snapshot into the session's folder.
    Save { dir: PathBuf, created_unix: u64, retention: revenant_config::Retention },
    /// Only return the layout (`action dump-layout`).
    Dump,
}

/// A manifest whose commands are what the system reports; the worker runs
/// `questions` through the discovery chain and writes the answers in.
pub struct SaveJob {
    pub id: u64,
    pub kind: SaveKind,
    pub why: String,
    pub manifest: SessionManifest,
    pub questions: Vec<DiscoveredCommand>,
    /// Every terminal pane's screen when viewport saving is on (else
    /// none): the worker dumps them into `manifest`, so the server thread
    /// only copies what changed.
    pub screens: Vec<(u32, screens::Screen)>,
    /// The secret rules the screens pass through before a plugin sees
    /// them (`None`: redact_secrets is off).
    pub secret_rules: Option<crate::redact::SecretRules>,
}

/// What the plugin threads tell the server thread.
pub enum Report {
    /// A save or dump ended: the snapshot's path or the layout, or why not.
    JobDone {
        id: u64,
        result: Result<String, String>,
    },
    ReloadDone {
        id: u64,
        summary: String,
    },
    /// For the status bar, once.
    Notice(String),
    /// A new session-manager build passed its checks: open panes re-init.
    SessionManagerSwapped(RoleEntry),
    /// Watched files changed.
    FilesChanged(Vec<PathBuf>),
    Renamed {
        id: u64,
        result: Result<(), String>,
    },
    /// Panes whose screen copy the worker could not use (taken since a dump
    /// it does not have): the next save must send them whole.
    ScreensLost(Vec<u32>),
}

pub struct PluginService {
    jobs: Sender<Job>,
    pub status: StatusTable,
    pub engine: EngineCell,
    next_id: u64,
}

impl PluginService {
    /// Starts the threads and the first loads. `watch` is every file to
    /// watch besides the plugins' (config.kdl).
    pub fn start(set: &RoleSet, manifest: SessionManifest, events: super::EventSender, watch: Vec<PathBuf>) -> Self {
        let status = StatusTable::default();
        let engine = EngineCell::new(Some(&crate::paths::plugin_cache_dir()));
        let (jobs_tx, jobs_rx) = channel();
        let loaded = jobs_tx.clone();
        let loader = loader::Loader::new(engine.clone(), move |outcome| loaded.send(Job::Loaded(outcome)).is_ok());
        let reports = events.clone();
        let report = Box::new(move |r| reports.send(Event::Plugins(r)).is_ok());
        let watched = jobs_tx.clone();
        let mut watcher = watch::Watch::new(move |event| {
            let _ = watched.send(Job::Watched(event));
        });
        let mut files = set.files();
        files.extend(watch);
        watcher.set_files(files);
        let worker = worker::Worker::new(jobs_rx, loader, status.clone(), set, report, watcher);
        if let Err(e) = std::thread::Builder::new().name("plugin-worker".into()).spawn(move || worker.run(manifest)) {
            tracing::error!("cannot start the plugin worker: {e}");
        }
        PluginService { jobs: jobs_tx, status, engine, next_id: 0 }
    }

    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn send(&self, job: Job) {
        if self.jobs.send(job).is_err() {
            tracing::error!("the plugin worker is gone");
        }
    }

    /// Changes what the watcher looks at.
    pub fn watch(&self, files: Vec<PathBuf>) {
        self.send(Job::WatchFiles(files));
    }
}

impl Drop for PluginService {
    fn drop(&mut self) {
        let _ = self.jobs.send(Job::Stop);
    }
}
