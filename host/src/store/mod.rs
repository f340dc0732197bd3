//! What the cache folder keeps of each session, in
//! `contract_version_1/session_info/<session>/`:
//!
//! - `session-metadata.kdl`: the live marker, rewritten while the server runs;
//! - `session-layout.kdl`: the latest snapshot, a plain layout;
//! - `snapshots/<seq>/`: the timeline, thinned by the retention policy
//!   ([`thinning`]), each generation a self-contained layout
//!   (`session-layout.kdl`, its sidecars, `info.kdl`); each sidecar is a
//!   hard link to its content in `contract_version_1/blobs/` ([`blobs`]).
//!
//! A snapshot is written into a fresh generation folder (every file synced),
//! and only then published by renaming a new `session-layout.kdl` over the
//! old one; that top-level layout refers to the sidecars in its generation
//! folder. So a crash at any instant leaves the previous snapshot or the new
//! one, both complete: never a layout whose sidecars are missing or newer.

pub mod blobs;
mod budget;
pub mod diff;
pub mod fallback;
pub mod metadata;
pub mod summary;
pub mod thinning;

pub mod durable;

use durable::{Staged, replace_atomically, sync_dir, sync_filesystem, write_file};
use revenant_config::Retention;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::paths;

pub const METADATA: &str = "session-metadata.kdl";
pub const LAYOUT: &str = "session-layout.kdl";
const SNAPSHOTS: &str = "snapshots";
pub(crate) const INFO: &str = "info.kdl";
/// In a generation's folder: kept whatever the retention policy says,
/// because a much poorer save came after it.
const PINNED: &str = "pinned";
/// How a serializer's layout refers to a sidecar, as a property or as a
/// child node; the name follows in double quotes.
pub const CONTENTS_FILE_FORMS: [&str; 2] = ["contents_file=", "contents_file "];

#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct StoreError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

fn at(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError { path: path.to_owned(), source }
}

/// `…/contract_version_1/session_info`.
pub fn root() -> PathBuf {
    paths::cache_dir().join("contract_version_1").join("session_info")
}

/// Where checking for symlinks starts, for writing into `dir`: the cache
/// root, checked to be ours, when `dir` is in it (a session's folder
/// always is); else `dir` itself.
pub fn trusted_root(dir: &Path) -> Result<PathBuf, StoreError> {
    let cache = paths::cache_dir();
    if dir.starts_with(&cache) {
        paths::ensure_private_dir(&cache).map_err(at(&cache))?;
        Ok(cache)
    } else {
        Ok(dir.to_path_buf())
    }
}

/// The folder of one session's saved state.
pub fn session_dir(name: &str) -> PathBuf {
    root().join(name)
}

/// One snapshot as the serializer plugin produced it.
pub struct Snapshot<'a> {
    pub layout: &'a str,
    /// File name (checked by the plugin runtime: plain, unique) and text.
    pub sidecars: &'a [(String, String)],
    pub created_unix: u64,
    pub saved_unix: u64,
    /// Panes that run something (bars and plugin panes left out).
    pub panes: usize,
}

/// Writes `snap` as the session's newest snapshot, thins the old ones by
/// the default policy and returns the path of the published
/// `session-layout.kdl`.
pub fn write_snapshot(dir: &Path, snap: &Snapshot) -> Result<PathBuf, StoreError> {
    let written = write_generation(dir, snap)?;
    let published = written.published.clone();
    written.prune(&Retention::default());
    Ok(published)
}

/// A snapshot on disk and published, whose older generations are still
/// to be pruned.
pub struct Written {
    pub published: PathBuf,
    snapshots: PathBuf,
    seq: u64,
}

impl Written {
    /// Removes the generations `policy` does not keep, the blobs no
    /// generation names any more, and, past the disk limit, the oldest
    /// generations of any session: housekeeping, which a save's answer
    /// need not wait for.
    pub fn prune(self, policy: &Retention) {
        prune(&self.snapshots, self.seq, policy);
        let blobs = blobs::dir_for(self.snapshots.parent().unwrap_or(&self.snapshots));
        if let Some(limit) = policy.disk_limit {
            budget::enforce(&blobs, limit);
        }
        blobs::collect(&blobs);
    }
}

/// Writes `snap` as the session's newest generation and publishes it.
pub fn write_generation(dir: &Path, snap: &Snapshot) -> Result<Written, StoreError> {
    let snapshots = dir.join(SNAPSHOTS);
    crate::no_follow::ensure_dir_under(&trusted_root(dir)?, &snapshots).map_err(at(&snapshots))?;
    // The generations before this one, read once.
    let older = generations(&snapshots);
    let seq = older.last().map_or(1, |(n, _)| n + 1);
    let generation = snapshots.join(format!("{seq:010}"));
    // A folder of this number can only be left over from a crash before it
    // was published: nothing refers to it.
    if generation.exists() {
        fs::remove_dir_all(&generation).map_err(at(&generation))?;
    }
    std::os::unix::fs::DirBuilderExt::mode(&mut fs::DirBuilder::new(), 0o700)
        .create(&generation)
        .map_err(at(&generation))?;
    let blob_dir = blobs::dir_for(dir);
    crate::no_follow::ensure_dir_under(&trusted_root(dir)?, &blob_dir).map_err(at(&blob_dir))?;
    // The generation folder is not referred to until the end, so its files
    // need no temporary names; they only need to be on disk before that:
    // one syncfs flushes them all (an fsync per file costs a journal commit
    // each). A sidecar whose bytes a blob holds already (a pane that did
    // not change, in any generation or session) is linked, not written.
    let mut info = format!("created {}\nsaved {}\npanes {}\n", snap.created_unix, snap.saved_unix, snap.panes);
    for (name, text) in snap.sidecars {
        let hash = blobs::place(&blob_dir, &generation.join(name), text.as_bytes())?;
        info.push_str(&format!("sidecar {hash} {name}\n"));
    }
    write_file(&generation.join(LAYOUT), snap.layout.as_bytes())?;
    write_file(&generation.join(INFO), info.as_bytes())?;
    // The published layout's new text goes under a temporary name before
    // the sync, so the same sync carries it; only the rename is left.
    let prefix = format!("{SNAPSHOTS}/{seq:010}/");
    let names: Vec<&str> = snap.sidecars.iter().map(|(n, _)| n.as_str()).collect();
    let top = point_into(snap.layout, &names, &prefix);
    let published = dir.join(LAYOUT);
    let staged = Staged::write(&published, top.as_bytes())?;
    sync_filesystem(&generation)?;
    pin_if_poorer(&older, snap.panes);
    staged.rename()?;
    sync_dir(dir)?;
    Ok(Written { published, snapshots, seq })
}

/// Moves a damaged published layout out of the way, to
/// `session-layout.kdl.damaged` (the last one set aside is kept).
pub fn set_aside(published: &Path) -> Result<(), StoreError> {
    if !published.exists() {
        return Ok(());
    }
    let aside = published.with_file_name(format!("{LAYOUT}.damaged"));
    fs::rename(published, &aside).map_err(at(published))
}

/// Renames generation `id` to `damaged-<id>`: no longer listed or pruned
/// (the name is not a number), but kept for the user to look at.
pub fn set_aside_generation(dir: &Path, id: &str) -> Result<(), StoreError> {
    let snapshots = dir.join(SNAPSHOTS);
    let from = snapshots.join(format!("{:010}", id.parse::<u64>().unwrap_or(0)));
    let to = snapshots.join(format!("damaged-{id}"));
    fs::rename(&from, &to).map_err(at(&from))
}

/// Publishes an existing (whole) generation as the session's layout, as
/// [`write_snapshot`] publishes a new one.
pub fn publish_generation(dir: &Path, generation: &Generation) -> Result<(), StoreError> {
    let text = fs::read_to_string(&generation.layout).map_err(at(&generation.layout))?;
    let folder = generation.layout.parent().unwrap_or(dir);
    let names: Vec<String> = fs::read_dir(folder)
        .map_err(at(folder))?
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n != LAYOUT && n != INFO)
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let prefix = format!("{SNAPSHOTS}/{:010}/", generation.id.parse::<u64>().unwrap_or(0));
    let top = point_into(&text, &names, &prefix);
    replace_atomically(&dir.join(LAYOUT), top.as_bytes(), true)?;
    sync_dir(dir)
}

/// Rewrites the layout's `contents_file` references to the sidecars so they
/// point into the generation folder (the layout stays a plain layout,
/// openable from the session folder).
fn point_into(layout: &str, sidecars: &[&str], prefix: &str) -> String {
    let mut out = layout.to_string();
    for name in sidecars {
        for form in CONTENTS_FILE_FORMS {
            out = out.replace(&format!("{form}\"{name}\""), &format!("{form}\"{prefix}{name}\""));
        }
    }
    out
}

/// Generation folders by number, oldest first.
fn generations(snapshots: &Path) -> Vec<(u64, PathBuf)> {
    let mut out: Vec<(u64, PathBuf)> = fs::read_dir(snapshots)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let n = e.file_name().to_str()?.parse::<u64>().ok()?;
                    Some((n, e.path()))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The panes count a generation's `info.kdl` records (`None` for one
/// written before it did).
fn panes_of(generation: &Path) -> Option<usize> {
    let info = fs::read_to_string(generation.join(INFO)).ok()?;
    info.lines().find_map(|l| l.strip_prefix("panes ")?.trim().parse().ok())
}

/// When a generation was saved, as its `info.kdl` says (0 unknown).
fn saved_of(generation: &Path) -> u64 {
    fs::read_to_string(generation.join(INFO))
        .ok()
        .and_then(|info| info.lines().find_map(|l| l.strip_prefix("saved ")?.trim().parse().ok()))
        .unwrap_or(0)
}

/// The rule against replacing good state with nothing: a save with under
/// half the panes of the richest one before it pins that one, and a save at
/// least as rich as a pinned one unpins it.
fn pin_if_poorer(older: &[(u64, PathBuf)], panes: usize) {
    for (_, path) in older.iter().filter(|(_, p)| p.join(PINNED).exists()) {
        if panes_of(path).is_some_and(|pinned| panes >= pinned) {
            let _ = fs::remove_file(path.join(PINNED));
        }
    }
    let richest = older.iter().filter_map(|(n, p)| Some((panes_of(p)?, *n, p))).max();
    if let Some((rich, _, path)) = richest
        && panes * 2 < rich
        && !path.join(PINNED).exists()
        && let Err(e) = crate::no_follow::create_file(&path.join(PINNED))
    {
        tracing::warn!("pinning {}: {e}", path.display());
    }
}

/// Keeps the complete generations `policy` keeps (the just published
/// `newest` and the pinned among them), and drops everything else older
/// than `newest`, including folders a crash left half written.
fn prune(snapshots: &Path, newest: u64, policy: &Retention) {
    let all = generations(snapshots);
    let kept: Vec<u64> = thinning::keep(&entries(&all, newest), policy).into_iter().map(|(n, _)| n).collect();
    for (n, path) in all {
        if n < newest
            && !kept.contains(&n)
            && let Err(e) = fs::remove_dir_all(&path)
        {
            tracing::warn!("pruning {}: {e}", path.display());
        }
    }
}

/// What thinning needs of the complete generations up to `newest`.
fn entries(all: &[(u64, PathBuf)], newest: u64) -> Vec<thinning::Entry> {
    all.iter()
        .filter(|(n, _)| *n <= newest)
        .filter(|(_, p)| p.join(INFO).exists())
        .map(|(n, p)| thinning::Entry { seq: *n, saved_unix: saved_of(p), pinned: p.join(PINNED).exists() })
        .collect()
}

/// Why each kept generation of the session is kept (`revenant snapshots`).
pub fn kept_because(name: &str, policy: &Retention) -> Vec<(String, thinning::Reason)> {
    let all = generations(&session_dir(name).join(SNAPSHOTS));
    let newest = all.last().map_or(0, |(n, _)| *n);
    thinning::keep(&entries(&all, newest), policy).into_iter().map(|(n, r)| (n.to_string(), r)).collect()
}

/// A session with a snapshot in the cache.
#[derive(Debug, Clone)]
pub struct Saved {
    pub name: String,
    pub layout: PathBuf,
    pub created_unix: u64,
    pub saved_unix: u64,
    /// Why its folder cannot be read (permission denied): it is listed,
    /// and nothing may start over it, but it cannot be resurrected.
    pub unreadable: Option<String>,
}

/// Every session that has a `session-layout.kdl`, live or not.
pub fn saved_sessions() -> Vec<Saved> {
    let Ok(rd) = fs::read_dir(root()) else { return Vec::new() };
    let mut out: Vec<Saved> = rd.flatten().filter_map(|e| saved(&e.file_name().into_string().ok()?)).collect();
    out.sort_by(|a, b| b.created_unix.cmp(&a.created_unix).then_with(|| a.name.cmp(&b.name)));
    out
}

/// The session's snapshot, if it has one.
pub fn saved(name: &str) -> Option<Saved> {
    let dir = session_dir(name);
    let layout = dir.join(LAYOUT);
    let unreadable = |e: io::Error| {
        let mtime = fs::symlink_metadata(&dir).map_or(0, |m| mtime_unix(&m));
        let why = match e.kind() {
            io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        Some(Saved {
            name: name.to_string(),
            layout: layout.clone(),
            created_unix: mtime,
            saved_unix: mtime,
            unreadable: Some(why),
        })
    };
    let meta = match fs::metadata(&layout).and_then(|m| fs::File::open(&layout).map(|_| m)) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => return unreadable(e),
    };
    let mtime = mtime_unix(&meta);
    let info = generations(&dir.join(SNAPSHOTS))
        .into_iter()
        .rev()
        .find_map(|(_, p)| fs::read_to_string(p.join(INFO)).ok())
        .unwrap_or_default();
    let field = |key: &str| info.lines().find_map(|l| l.strip_prefix(key)?.trim().parse::<u64>().ok());
    Some(Saved {
        name: name.to_string(),
        layout,
        created_unix: field("created ").unwrap_or(mtime),
        saved_unix: field("saved ").unwrap_or(mtime),
        unreadable: None,
    })
}

/// When a file was last changed, in seconds since the epoch (0 unknown).
fn mtime_unix(meta: &fs::Metadata) -> u64 {
    meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs())
}

/// One complete generation of a session's snapshots.
#[derive(Debug, Clone)]
pub struct Generation {
    /// Its number: stable while it exists.
    pub id: String,
    /// Its own `session-layout.kdl` (its sidecars are beside it).
    pub layout: PathBuf,
    pub created_unix: u64,
    pub saved_unix: u64,
    /// Its files' total size.
    pub bytes: u64,
    /// Kept whatever the policy says: a much poorer save followed.
    pub pinned: bool,
}

/// The session's complete generations, newest first.
pub fn generation_list(name: &str) -> Vec<Generation> {
    generations_in(&session_dir(name))
}

fn generations_in(session: &Path) -> Vec<Generation> {
    let snapshots = session.join(SNAPSHOTS);
    let mut out: Vec<Generation> = generations(&snapshots)
        .into_iter()
        .rev()
        .filter_map(|(n, dir)| {
            let info = fs::read_to_string(dir.join(INFO)).ok()?;
            let field = |key: &str| info.lines().find_map(|l| l.strip_prefix(key)?.trim().parse::<u64>().ok());
            let bytes = fs::read_dir(&dir)
                .map(|rd| rd.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
                .unwrap_or(0);
            Some(Generation {
                id: n.to_string(),
                layout: dir.join(LAYOUT),
                created_unix: field("created ").unwrap_or(0),
                saved_unix: field("saved ").unwrap_or(0),
                bytes,
                pinned: dir.join(PINNED).exists(),
            })
        })
        .collect();
    out.sort_by_key(|g| std::cmp::Reverse(g.id.parse::<u64>().unwrap_or(0)));
    out
}

/// Generation `id` of the session, if it is complete.
pub fn generation(name: &str, id: &str) -> Option<Generation> {
    generation_list(name).into_iter().find(|g| g.id == id)
}

/// Moves a renamed session's folder, on the plugin worker after any save
/// under way (there is none before its first save). One `rename`: a server
/// killed half-way leaves it whole under one name or the other.
pub fn move_session_folder(from: &Path, to: &Path) -> Result<(), String> {
    if !from.exists() {
        return Ok(());
    }
    if to.exists() {
        return Err(format!("{} exists", to.display()));
    }
    fs::rename(from, to).map_err(|e| format!("{} -> {}: {e}", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generations_are_listed_newest_first_with_their_sizes() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..3 {
            let layout = format!("layout {{ pane name=\"{i}\"; }}");
            let s = Snapshot { layout: &layout, sidecars: &[], created_unix: 1, saved_unix: 100 + i, panes: 1 };
            write_snapshot(dir.path(), &s).unwrap();
        }
        let list = generations_in(dir.path());
        assert_eq!(list.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(), ["3", "2", "1"]);
        assert_eq!(list[0].saved_unix, 102);
        assert!(list[0].bytes > 20, "{list:?}");
        assert!(fs::read_to_string(&list[2].layout).unwrap().contains("\"0\""));
    }

    fn snap<'a>(layout: &'a str, sidecars: &'a [(String, String)]) -> Snapshot<'a> {
        Snapshot { layout, sidecars, created_unix: 1, saved_unix: 2, panes: 1 }
    }

    #[test]
    fn the_published_layout_points_into_its_generation() {
        let dir = tempfile::tempdir().unwrap();
        let sidecars = vec![("initial_contents_3".to_string(), "hello".to_string())];
        let layout = "layout {\n    pane contents_file=\"initial_contents_3\"\n}\n";
        let path = write_snapshot(dir.path(), &snap(layout, &sidecars)).unwrap();
        let top = fs::read_to_string(&path).unwrap();
        assert!(top.contains("contents_file=\"snapshots/0000000001/initial_contents_3\""), "{top}");
        assert_eq!(fs::read_to_string(dir.path().join("snapshots/0000000001/initial_contents_3")).unwrap(), "hello");
        // The generation's own copy refers to its sidecar by its plain name.
        let own = fs::read_to_string(dir.path().join("snapshots/0000000001/session-layout.kdl")).unwrap();
        assert_eq!(own, layout);
    }

    #[test]
    fn five_generations_are_kept_and_leftovers_go() {
        let dir = tempfile::tempdir().unwrap();
        // A half-written folder from a crash.
        fs::create_dir_all(dir.path().join("snapshots/0000000001")).unwrap();
        for i in 0..8 {
            let layout = format!("layout {{ pane name=\"{i}\"; }}");
            write_snapshot(dir.path(), &snap(&layout, &[])).unwrap();
        }
        let left: Vec<u64> = generations(&dir.path().join(SNAPSHOTS)).into_iter().map(|(n, _)| n).collect();
        assert_eq!(left, vec![5, 6, 7, 8, 9]);
        assert!(fs::read_to_string(dir.path().join(LAYOUT)).unwrap().contains("\"7\""));
    }

    #[test]
    fn a_much_poorer_save_pins_the_rich_one_until_a_rich_save_follows() {
        let dir = tempfile::tempdir().unwrap();
        let save = |panes: usize| {
            let layout = format!("layout {{ pane name=\"{panes}\"; }}");
            let s = Snapshot { layout: &layout, sidecars: &[], created_unix: 1, saved_unix: 2, panes };
            write_snapshot(dir.path(), &s).unwrap();
        };
        let listed =
            || -> Vec<(String, bool)> { generations_in(dir.path()).into_iter().map(|g| (g.id, g.pinned)).collect() };
        save(8);
        save(8);
        // Everything died at once: seven saves of one pane each.
        for _ in 0..7 {
            save(1);
        }
        let list = listed();
        assert_eq!(list.len(), Retention::default().last + 1, "{list:?}");
        assert_eq!(list.last(), Some(&("2".to_string(), true)), "the rich one is pinned and kept: {list:?}");
        // Half the panes is not "much less"; a save as rich unpins it.
        save(8);
        assert!(listed().iter().all(|(_, pinned)| !pinned));
        save(1);
        assert_eq!(listed().iter().filter(|(_, p)| *p).count(), 1);
    }

    #[test]
    fn an_unchanged_sidecar_is_one_file_in_every_generation() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let layout = "layout {\n    pane contents_file=\"a\"\n    pane contents_file=\"b\"\n}\n";
        let first = vec![("a".to_string(), "same".to_string()), ("b".to_string(), "old".to_string())];
        write_snapshot(dir.path(), &snap(layout, &first)).unwrap();
        let second = vec![("a".to_string(), "same".to_string()), ("b".to_string(), "new!".to_string())];
        write_snapshot(dir.path(), &snap(layout, &second)).unwrap();
        let ino = |g: &str, f: &str| fs::metadata(dir.path().join(SNAPSHOTS).join(g).join(f)).unwrap().ino();
        assert_eq!(ino("0000000001", "a"), ino("0000000002", "a"), "the same bytes: one file");
        assert_ne!(ino("0000000001", "b"), ino("0000000002", "b"));
        assert_eq!(fs::read_to_string(dir.path().join("snapshots/0000000002/b")).unwrap(), "new!");
        // Pruning the old generation leaves the new one whole.
        for i in 0..Retention::default().last {
            let keep = vec![("a".to_string(), "same".to_string()), ("b".to_string(), format!("{i}"))];
            write_snapshot(dir.path(), &snap(layout, &keep)).unwrap();
        }
        assert!(!dir.path().join("snapshots/0000000001").exists());
        assert_eq!(fs::read_to_string(dir.path().join("snapshots/0000000007/a")).unwrap(), "same");
    }

    #[test]
    fn only_contents_file_references_are_rewritten() {
        let text = "layout { pane name=\"initial_contents_1\" contents_file=\"initial_contents_1\"; }";
        let out = point_into(text, &["initial_contents_1"], "p/");
        assert_eq!(out, "layout { pane name=\"initial_contents_1\" contents_file=\"p/initial_contents_1\"; }");
    }
}
