//! Watches the files a session's plugins come from (and config.kdl) and
//! says when they changed, once the writing is over. Builds and editors
//! write in several ways (rename a temporary file over the old one; truncate
//! then write; delete then create), so the folders are watched, not the
//! files, and events are gathered until the folder has been quiet a moment.
//!
//! No thread of its own waits here: notify's thread hands each event to
//! the plugin worker as a job, and the worker, which already waits with a
//! timeout, asks [`Watch::take_due`] when [`Watch::deadline`] comes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecursiveMode, Watcher as _};

/// How long a changed file must stay untouched before it is reported.
const QUIET: Duration = Duration::from_millis(250);
/// A file written to without pause is reported after this long anyway.
const AT_MOST: Duration = Duration::from_secs(3);

/// What notify reports, as the worker receives it.
pub type WatchEvent = notify::Result<notify::Event>;

pub struct Watch {
    /// `None` when the system refused a watcher: changes then need
    /// `revenant plugin reload`.
    watcher: Option<notify::RecommendedWatcher>,
    files: BTreeSet<PathBuf>,
    dirs: BTreeSet<PathBuf>,
    dirty: BTreeSet<PathBuf>,
    /// The first and the latest change since the last report.
    first: Option<Instant>,
    last: Instant,
}

impl Watch {
    /// A watcher whose events go to `send` (from notify's thread).
    pub fn new(send: impl Fn(WatchEvent) + Send + 'static) -> Watch {
        let watcher = notify::recommended_watcher(send)
            .map_err(|e| tracing::warn!("cannot watch plugin files (changes need `revenant plugin reload`): {e}"))
            .ok();
        Watch {
            watcher,
            files: BTreeSet::new(),
            dirs: BTreeSet::new(),
            dirty: BTreeSet::new(),
            first: None,
            last: Instant::now(),
        }
    }

    /// Watches `files` (by their folders) instead of the ones before.
    pub fn set_files(&mut self, files: Vec<PathBuf>) {
        let Some(watcher) = self.watcher.as_mut() else { return };
        self.files = files.into_iter().map(|f| absolute(&f)).collect();
        let wanted: BTreeSet<PathBuf> = self.files.iter().filter_map(|f| f.parent().map(Path::to_path_buf)).collect();
        for gone in self.dirs.difference(&wanted) {
            let _ = watcher.unwatch(gone);
        }
        let mut watching = BTreeSet::new();
        for dir in &wanted {
            if self.dirs.contains(dir) {
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
        self.dirs = watching;
    }

    /// Takes in one event of notify's.
    pub fn note(&mut self, event: WatchEvent) {
        let event = match event {
            Ok(event) => event,
            Err(e) => return tracing::debug!("watch error: {e}"),
        };
        if !is_change(&event.kind) {
            return;
        }
        for path in &event.paths {
            if self.files.contains(path) {
                self.dirty.insert(path.clone());
                self.last = Instant::now();
                self.first.get_or_insert(self.last);
            }
        }
    }

    /// When the changes gathered are due to be reported, if any are.
    pub fn deadline(&self) -> Option<Instant> {
        self.first.map(|first| (self.last + QUIET).min(first + AT_MOST))
    }

    /// The files changed, once the writing is over.
    pub fn take_due(&mut self, now: Instant) -> Option<Vec<PathBuf>> {
        if self.deadline().is_none_or(|due| due > now) {
            return None;
        }
        self.first = None;
        Some(std::mem::take(&mut self.dirty).into_iter().collect()).filter(|d: &Vec<PathBuf>| !d.is_empty())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn modified(path: &Path) -> WatchEvent {
        Ok(notify::Event::new(EventKind::Modify(notify::event::ModifyKind::Any)).add_path(path.to_path_buf()))
    }

    #[test]
    fn changes_are_reported_once_quiet_and_only_for_watched_files() {
        let dir = tempfile::tempdir().unwrap();
        let (a, other) = (dir.path().join("a.wasm"), dir.path().join("other"));
        let mut watch = Watch::new(|_| {});
        watch.set_files(vec![a.clone()]);
        assert_eq!(watch.deadline(), None);
        watch.note(modified(&other));
        assert_eq!(watch.deadline(), None, "a file nobody asked about");
        watch.note(Ok(notify::Event::new(EventKind::Access(AccessKind::Read)).add_path(a.clone())));
        assert_eq!(watch.deadline(), None, "a read is not a change");
        watch.note(modified(&a));
        let due = watch.deadline().expect("a change is pending");
        assert_eq!(watch.take_due(due - Duration::from_millis(1)), None, "still being written");
        assert_eq!(watch.take_due(due), Some(vec![a.clone()]));
        assert_eq!(watch.deadline(), None);
    }

    #[test]
    fn a_file_written_without_pause_is_reported_after_at_most_three_seconds() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.wasm");
        let mut watch = Watch::new(|_| {});
        watch.set_files(vec![a.clone()]);
        watch.note(modified(&a));
        let first = watch.first.unwrap();
        // Keep writing: the quiet moment keeps moving, the bound does not.
        watch.last = first + Duration::from_secs(10);
        assert_eq!(watch.deadline(), Some(first + AT_MOST));
    }
}
