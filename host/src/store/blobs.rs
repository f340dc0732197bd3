//! Sidecars stored once by content. A generation's sidecar is a hard link
//! to `blobs/<sha-256>`, so a screen that did not change between saves,
//! or that two sessions share, takes one inode and its bytes once, in
//! every generation of every session. The generation folder still holds
//! the sidecar under its own name, so its layout stays a plain layout
//! that Zellij opens. Its `info.kdl` names each sidecar's hash: a blob
//! damaged on disk (truncated, changed) is caught by the hash, and only
//! the generations that name it are damaged.

use std::fs;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use super::durable::{same_bytes, start_writeback, write_file};
use super::{StoreError, at};

/// A blob nobody links to is removed only after this long: a save in
/// another server may have just written it and be about to link it.
const GRACE: Duration = Duration::from_secs(60);

/// Where the sidecars of the session folder `session` are kept: beside
/// every session's folder when it is in the cache, else in its own.
pub fn dir_for(session: &Path) -> PathBuf {
    let sessions = super::root();
    match (session.parent(), sessions.parent()) {
        (Some(parent), Some(version)) if parent == sessions => version.join("blobs"),
        _ => session.join(".blobs"),
    }
}

pub fn hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub(crate) fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash of the file at `path`, read in pieces.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// Puts `bytes` at `path` as a link to their blob in `blobs`, writing the
/// blob first if no good copy of it is there. Returns the hash. Where a
/// link cannot be made (another filesystem, a full inode table), the file
/// is written in place: deduplication is lost, not the save.
pub fn place(blobs: &Path, path: &Path, bytes: &[u8]) -> Result<String, StoreError> {
    let hash = hash(bytes);
    let blob = blobs.join(&hash);
    // A blob with these bytes is reused; a damaged one (not the bytes its
    // name says) is replaced by a new file, and the generations linked to
    // the damaged one keep it and fail their check.
    if !same_bytes(&blob, bytes) {
        let temp = blobs.join(format!(".{hash}.{}.tmp", std::process::id()));
        let written = write_file(&temp, bytes).and_then(|()| fs::rename(&temp, &blob).map_err(at(&blob)));
        if written.is_err() {
            let _ = fs::remove_file(&temp);
        }
    }
    if fs::hard_link(&blob, path).is_err() {
        write_file(path, bytes)?;
    } else if let Ok(f) = fs::File::open(path) {
        start_writeback(&f);
    }
    Ok(hash)
}

/// Removes the blobs no generation links to any more (older than
/// [`GRACE`]), and leftovers of interrupted writes.
pub fn collect(blobs: &Path) {
    let Ok(entries) = fs::read_dir(blobs) else { return };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let Ok(meta) = entry.metadata() else { continue };
        let old = meta.modified().ok().and_then(|m| now.duration_since(m).ok()).is_some_and(|age| age > GRACE);
        if meta.is_file() && meta.nlink() <= 1 && old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_share_one_inode_and_a_damaged_blob_is_not_reused() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = dir.path().join("blobs");
        fs::create_dir(&blobs).unwrap();
        let (a, b, c) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("c"));
        let h = place(&blobs, &a, b"screen").unwrap();
        assert_eq!(place(&blobs, &b, b"screen").unwrap(), h);
        assert_eq!(fs::metadata(&a).unwrap().ino(), fs::metadata(&b).unwrap().ino());
        assert_eq!(fs::metadata(&a).unwrap().nlink(), 3, "a, b and the blob");
        assert_eq!(hash_file(&a).unwrap(), h);
        // Truncated on disk: the next save of the same bytes gets a new
        // inode, and the old files show the damage by their hash.
        fs::write(blobs.join(&h), b"scr").unwrap();
        place(&blobs, &c, b"screen").unwrap();
        assert_eq!(fs::read(&c).unwrap(), b"screen");
        assert_ne!(hash_file(&a).unwrap(), h);
        assert_eq!(fs::metadata(&a).unwrap().ino(), fs::metadata(&b).unwrap().ino(), "a and b share the damaged one");
        assert_ne!(fs::metadata(&a).unwrap().ino(), fs::metadata(&c).unwrap().ino());
    }

    #[test]
    fn unlinked_blobs_go_after_the_grace() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = dir.path().join("blobs");
        fs::create_dir(&blobs).unwrap();
        let kept = dir.path().join("kept");
        place(&blobs, &kept, b"kept").unwrap();
        let lone = blobs.join(hash(b"lone"));
        fs::write(&lone, b"lone").unwrap();
        collect(&blobs);
        assert!(lone.exists(), "a new blob may be about to be linked");
        let old = SystemTime::now() - GRACE * 2;
        for entry in fs::read_dir(&blobs).unwrap().flatten() {
            fs::File::options().write(true).open(entry.path()).unwrap().set_modified(old).unwrap();
        }
        collect(&blobs);
        assert!(!lone.exists());
        assert!(blobs.join(hash(b"kept")).exists(), "still linked from a generation");
    }
}
