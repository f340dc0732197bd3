//! The disk limit on snapshots (`snapshot_disk_limit`), for all sessions
//! whose sidecars share one blob folder: while their generations take
//! more, the oldest generation of any session goes. A session's newest
//! whole generation and pinned ones never go. Bytes are counted once per
//! inode, as the disk holds them.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::{INFO, PINNED, SNAPSHOTS, generations, saved_of};

/// One generation that may be removed, and the inodes it names.
struct Candidate {
    saved_unix: u64,
    path: PathBuf,
    inodes: Vec<(u64, u64)>,
}

/// Removes the oldest removable generations until the sessions sharing
/// `blobs` fit in `limit` bytes; the blobs they alone named are then
/// unlinked, for [`super::blobs::collect`] to remove.
pub(super) fn enforce(blobs: &Path, limit: u64) {
    let mut sizes: HashMap<(u64, u64), u64> = HashMap::new();
    let mut users: HashMap<(u64, u64), usize> = HashMap::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    for session in sessions_sharing(blobs) {
        let all = generations(&session.join(SNAPSHOTS));
        let newest_whole = all.iter().rev().find(|(_, p)| p.join(INFO).exists()).map(|(n, _)| *n);
        for (n, path) in all {
            let inodes = inodes_of(&path, &mut sizes);
            for inode in &inodes {
                *users.entry(*inode).or_default() += 1;
            }
            if Some(n) != newest_whole && !path.join(PINNED).exists() && path.join(INFO).exists() {
                candidates.push(Candidate { saved_unix: saved_of(&path), path, inodes });
            }
        }
    }
    let mut total: u64 = users.keys().map(|i| sizes[i]).sum();
    if total <= limit {
        return;
    }
    candidates.sort_by_key(|c| c.saved_unix);
    for candidate in candidates {
        if total <= limit {
            break;
        }
        if let Err(e) = fs::remove_dir_all(&candidate.path) {
            tracing::warn!("making room for snapshots: {}: {e}", candidate.path.display());
            continue;
        }
        tracing::info!("removed {} to keep snapshots under the disk limit ({} bytes)", candidate.path.display(), limit);
        for inode in candidate.inodes {
            let left = users.get_mut(&inode).map(|u| {
                *u -= 1;
                *u
            });
            if left == Some(0) {
                total -= sizes[&inode];
            }
        }
    }
}

/// The session folders whose sidecars live in `blobs`.
fn sessions_sharing(blobs: &Path) -> Vec<PathBuf> {
    if blobs.file_name().is_some_and(|n| n == ".blobs") {
        return blobs.parent().map(Path::to_path_buf).into_iter().collect();
    }
    let root = super::root();
    fs::read_dir(&root).map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect()).unwrap_or_default()
}

/// The (device, inode) of each file in `generation`, recording sizes.
fn inodes_of(generation: &Path, sizes: &mut HashMap<(u64, u64), u64>) -> Vec<(u64, u64)> {
    let mut seen = HashSet::new();
    let Ok(entries) = fs::read_dir(generation) else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .filter_map(|m| {
            let inode = (m.dev(), m.ino());
            sizes.insert(inode, m.len());
            seen.insert(inode).then_some(inode)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{Snapshot, blobs, write_generation};
    use super::*;

    #[test]
    fn the_oldest_go_first_and_the_newest_and_pinned_stay() {
        let dir = tempfile::tempdir().unwrap();
        let session = dir.path().join("s");
        fs::create_dir(&session).unwrap();
        for i in 0..6u64 {
            // Each generation holds 10 000 bytes of its own.
            let sidecars = vec![("screen".to_string(), format!("{i}").repeat(10_000))];
            let layout = "layout { pane contents_file=\"screen\"; }";
            let snap = Snapshot { layout, sidecars: &sidecars, created_unix: 1, saved_unix: 100 + i, panes: 1 };
            write_generation(&session, &snap).unwrap();
        }
        fs::File::create(session.join("snapshots/0000000002").join(PINNED)).unwrap();
        enforce(&blobs::dir_for(&session), 35_000);
        let left: Vec<u64> = generations(&session.join(SNAPSHOTS)).into_iter().map(|(n, _)| n).collect();
        assert_eq!(left, [2, 5, 6], "1, 3 and 4 went, oldest first; 2 is pinned");
    }
}
