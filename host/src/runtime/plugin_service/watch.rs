//! Watches the files a session's plugins come from (and config.kdl) and
//! says when they changed, once the writing is over. Builds and editors
//! write in several ways (rename a temporary file over the old one; truncate
//! then write; delete then create), so the folders are watched, not the
//! files, and events are gathered until the folder has been quiet a moment.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecursiveMode, Watcher as _};

/// How long a changed file must stay untouched before it is reported.
const QUIET: Duration = Duration::from_millis(250);
/// A file written to without pause is reported after this long anyway.
const AT_MOST: Duration = Duration::from_secs(3);

enum Msg {
    Files(Vec<PathBuf>),
    Event(notify::Result<notify::Event>),
}

/// The watching thread's handle; dropping it stops the thread.
pub struct Watcher {
    tx: Sender<Msg>,
}

impl Watcher {
    /// Starts watching `files`; `changed` is called with the files that
    /// changed (it returns false once nobody listens).
    pub fn start(files: Vec<PathBuf>, changed: impl Fn(Vec<PathBuf>) -> bool + Send + 'static) -> Option<Watcher> {
        let (tx, rx) = channel();
        let events = tx.clone();
        let watcher = notify::recommended_watcher(move |e| {
            let _ = events.send(Msg::Event(e));
        });
        let watcher = match watcher {
            Ok(w) => w,
            Err(e) => {
                tracing::warn!("cannot watch plugin files (changes need `revenant plugin reload`): {e}");
                return None;
            }
        };
        let _ = tx.send(Msg::Files(files));
        std::thread::Builder::new()
            .name("plugin-watch".into())
            .spawn(move || run(watcher, rx, changed))
            .map_err(|e| tracing::warn!("cannot start the plugin watcher: {e}"))
            .ok()?;
        Some(Watcher { tx })
    }

    /// Replaces the files watched (the plugin set changed).
    pub fn set_files(&self, files: Vec<PathBuf>) {
        let _ = self.tx.send(Msg::Files(files));
    }
}

fn run(mut watcher: notify::RecommendedWatcher, rx: Receiver<Msg>, changed: impl Fn(Vec<PathBuf>) -> bool) {
    let mut files: BTreeSet<PathBuf> = BTreeSet::new();
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    let mut dirty: BTreeSet<PathBuf> = BTreeSet::new();
    let mut first: Option<Instant> = None;
    let mut last = Instant::now();
    loop {
        let wait = match first {
            Some(first) => (last + QUIET).min(first + AT_MOST).saturating_duration_since(Instant::now()),
            None => Duration::from_secs(3600),
        };
        match rx.recv_timeout(wait) {
            Ok(Msg::Files(new)) => {
                files = new.into_iter().map(|f| absolute(&f)).collect();
                let wanted: BTreeSet<PathBuf> =
                    files.iter().filter_map(|f| f.parent().map(Path::to_path_buf)).collect();
                for gone in dirs.difference(&wanted) {
                    let _ = watcher.unwatch(gone);
                }
                let mut watching = BTreeSet::new();
                for dir in &wanted {
                    if dirs.contains(dir) {
                        watching.insert(dir.clone());
                        continue;
                    }
                    match watcher.watch(dir, RecursiveMode::NonRecursive) {
                        Ok(()) => {
                            watching.insert(dir.clone());
                        }
                        Err(e) => tracing::debug!("not watching {}: {e}", dir.display()),
                    }
                }
                dirs = watching;
            }
            Ok(Msg::Event(Ok(event))) => {
                if !is_change(&event.kind) {
                    continue;
                }
                for path in &event.paths {
                    if files.contains(path) {
                        dirty.insert(path.clone());
                        last = Instant::now();
                        first.get_or_insert(last);
                    }
                }
            }
            Ok(Msg::Event(Err(e))) => tracing::debug!("watch error: {e}"),
            Err(RecvTimeoutError::Timeout) => {
                if first.take().is_some()
                    && !dirty.is_empty()
                    && !changed(std::mem::take(&mut dirty).into_iter().collect())
                {
                    return;
                }
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Reads (our own loader's among them) are not changes; a write being
/// closed is.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Other => false,
        EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}
