//! Writing inside our own folders (the cache, the logs) without going
//! through a symlink someone put there: a `session_info/NAME` linked
//! elsewhere had snapshots written to its target, and a `logs/NAME.log`
//! linked to a file had that file truncated. A symlink found where a
//! folder or a file of ours should be is refused, with its path.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Component, Path};

fn refused(path: &Path, what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, format!("{} is {what}: not writing through it", path.display()))
}

/// Creates `path` and the folders up to it below `root`, refusing any
/// that is a symlink or not a folder. `root` itself is the caller's to
/// trust (the cache root: [`crate::paths::ensure_private_dir`]).
pub fn ensure_dir_under(root: &Path, path: &Path) -> io::Result<()> {
    let rest = path.strip_prefix(root).map_err(|_| refused(path, "outside our folder"))?;
    let mut at = root.to_path_buf();
    for part in rest.components() {
        let Component::Normal(part) = part else { return Err(refused(path, "not a plain path")) };
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return Err(refused(&at, "a symlink")),
            Ok(m) if !m.is_dir() => return Err(refused(&at, "not a folder")),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::DirBuilder::new().mode(0o700).create(&at) {
                Ok(()) => {}
                // Made by another process in between: checked on the next
                // call, as it may be anything.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    if !fs::symlink_metadata(&at)?.is_dir() {
                        return Err(refused(&at, "not a folder"));
                    }
                }
                Err(e) => return Err(e),
            },
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Creates or truncates the file `path`, unless it is a symlink.
pub fn create_file(path: &Path) -> io::Result<File> {
    open(path, OpenOptions::new().write(true).create(true).truncate(true))
}

/// Opens the file `path` for appending, creating it, unless it is a
/// symlink.
pub fn append_file(path: &Path) -> io::Result<File> {
    open(path, OpenOptions::new().create(true).append(true))
}

fn open(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    let flags = (rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::CLOEXEC).bits() as i32;
    options.mode(0o600).custom_flags(flags).open(path).map_err(|e| {
        if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) { refused(path, "a symlink") } else { e }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlinks_inside_our_folder_are_refused_not_followed() {
        let root = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let ours = root.path().join("cache");
        fs::create_dir(&ours).unwrap();
        ensure_dir_under(&ours, &ours.join("a/b")).unwrap();
        assert!(ours.join("a/b").is_dir());
        std::os::unix::fs::symlink(elsewhere.path(), ours.join("a/link")).unwrap();
        let err = ensure_dir_under(&ours, &ours.join("a/link/c")).unwrap_err().to_string();
        assert!(err.contains("a/link is a symlink"), "{err}");
        assert!(!elsewhere.path().join("c").exists(), "created through the link");

        let victim = elsewhere.path().join("victim");
        fs::write(&victim, "keep me").unwrap();
        std::os::unix::fs::symlink(&victim, ours.join("a/file.log")).unwrap();
        let err = append_file(&ours.join("a/file.log")).unwrap_err().to_string();
        assert!(err.contains("is a symlink"), "{err}");
        assert!(create_file(&ours.join("a/file.log")).is_err());
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
        create_file(&ours.join("a/real.log")).unwrap();
    }
}
