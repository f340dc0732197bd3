//! Where Revenant keeps its state. Every directory can be redirected with an
//! environment variable, which is how tests stay out of the user's dirs.

use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Logs, session snapshots and the compiled-plugin cache:
/// `$REVENANT_CACHE_DIR`, else the XDG cache dir's `revenant`.
pub fn cache_dir() -> PathBuf {
    from_env("REVENANT_CACHE_DIR").unwrap_or_else(|| {
        directories::BaseDirs::new()
            .map(|d| d.cache_dir().join("revenant"))
            .unwrap_or_else(|| std::env::temp_dir().join(format!("revenant-cache-{}", uid())))
    })
}

/// Compiled plugins, keyed by wasmtime on the component's bytes and the
/// engine's settings: `$REVENANT_PLUGIN_CACHE_DIR`, else `plugin-cache` in
/// the cache dir. Compiled code is safe to share between sessions and
/// users' state dirs (tests share one to compile each plugin once).
pub fn plugin_cache_dir() -> PathBuf {
    from_env("REVENANT_PLUGIN_CACHE_DIR").unwrap_or_else(|| cache_dir().join("plugin-cache"))
}

/// `$REVENANT_CONFIG_DIR`, else the XDG config dir's `revenant`.
pub fn config_dir() -> PathBuf {
    from_env("REVENANT_CONFIG_DIR").unwrap_or_else(|| {
        directories::BaseDirs::new()
            .map(|d| d.config_dir().join("revenant"))
            .unwrap_or_else(|| PathBuf::from(".config/revenant"))
    })
}

/// Where session sockets live: `$REVENANT_SOCKET_DIR`, else
/// `$XDG_RUNTIME_DIR/revenant`, else `/tmp/revenant-$UID`.
pub fn socket_dir() -> PathBuf {
    from_env("REVENANT_SOCKET_DIR")
        .or_else(|| from_env("XDG_RUNTIME_DIR").map(|d| d.join("revenant")))
        .unwrap_or_else(|| PathBuf::from(format!("/tmp/revenant-{}", uid())))
}

/// Creates `dir` (and parents) private to this user, or checks that an
/// existing one is: a socket dir another user can write to would let them
/// plant sockets that our clients trust.
pub fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    match std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let meta = std::fs::symlink_metadata(dir)?;
    if meta.file_type().is_symlink() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is a symlink: not using it as a folder of ours", dir.display()),
        ));
    }
    if meta.uid() != uid() {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("{} belongs to another user (uid {})", dir.display(), meta.uid()),
        ));
    }
    if meta.permissions().mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

fn from_env(var: &str) -> Option<PathBuf> {
    std::env::var_os(var).filter(|v| !v.is_empty()).map(PathBuf::from)
}

pub fn uid() -> u32 {
    rustix::process::getuid().as_raw()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_dir_is_created_0700_and_tightened() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        ensure_private_dir(&dir).unwrap();
        assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        ensure_private_dir(&dir).unwrap();
        assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
    }
}
