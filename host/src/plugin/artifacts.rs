//! Compiled components kept on disk, one file per build. A load whose
//! build is here maps the file instead of running Cranelift, and the code
//! then lives in file pages the kernel shares between every server on the
//! machine and can drop and read back at will, rather than in each
//! server's private memory.
//!
//! wasmtime's own cache does the same but compresses (so each load copies
//! the code into anonymous memory), and keeps a worker thread per engine;
//! this keeps neither.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use wasmtime::Engine;
use wasmtime::component::Component;

/// Builds kept at most: old ones go first once there are more.
const MAX_FILES: usize = 48;
/// Bytes of builds kept at most.
const MAX_BYTES: u64 = 512 << 20;

/// What names a build: a hash of its bytes. It also tells, cheaply,
/// whether a file still holds the build that passed the checks.
pub fn key_of(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// The folder of one engine's compiled builds.
#[derive(Debug)]
pub(crate) struct Artifacts {
    dir: PathBuf,
    /// Which wasmtime and which settings compiled them: a build from
    /// another never loads.
    compat: u64,
}

impl Artifacts {
    pub(crate) fn new(dir: &Path, engine: &Engine) -> Artifacts {
        let mut h = std::hash::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut h);
        Artifacts { dir: dir.to_path_buf(), compat: h.finish() }
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, key: u64) -> PathBuf {
        self.dir.join(format!("{key:016x}-{:016x}.cwasm", self.compat))
    }

    /// The build named `key`, if it was compiled before.
    pub(crate) fn load(&self, engine: &Engine, key: u64) -> Option<Component> {
        let path = self.path(key);
        if !path.is_file() {
            return None;
        }
        // SAFETY: the file is one this code wrote (by rename, so a mapped
        // file is never changed in place) from `Component::serialize` of an
        // engine with the same compatibility hash; wasmtime checks its
        // header against the engine again and refuses a mismatch.
        match unsafe { Component::deserialize_file(engine, &path) } {
            Ok(component) => Some(component),
            Err(e) => {
                tracing::warn!("compiled plugin {} is unusable, compiling again: {e:#}", path.display());
                let _ = std::fs::remove_file(&path);
                None
            }
        }
    }

    /// Keeps `component` as build `key`. A failure only costs the next load
    /// a compile, so it is logged, not returned.
    pub(crate) fn store(&self, component: &Component, key: u64) {
        if let Err(e) = self.try_store(component, key) {
            tracing::warn!("cannot keep a compiled plugin in {}: {e:#}", self.dir.display());
        }
        self.prune();
    }

    fn try_store(&self, component: &Component, key: u64) -> anyhow::Result<()> {
        self.write(&component.serialize()?, key)
    }

    /// Keeps a build a compiler process made, as `key`.
    pub(crate) fn store_serialized(&self, bytes: &[u8], key: u64) -> anyhow::Result<()> {
        let written = self.write(bytes, key);
        self.prune();
        written
    }

    fn write(&self, bytes: &[u8], key: u64) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.path(key);
        let temp = self.dir.join(format!(".{key:016x}.{}.tmp", std::process::id()));
        std::fs::write(&temp, bytes)?;
        std::fs::rename(&temp, &path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temp);
        })?;
        Ok(())
    }

    /// Removes the oldest builds past the caps. A server that has one
    /// mapped keeps using it: the file goes, its pages stay.
    fn prune(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
        let mut builds: Vec<(SystemTime, u64, PathBuf)> = entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "cwasm"))
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                Some((meta.modified().ok()?, meta.len(), e.path()))
            })
            .collect();
        builds.sort_by_key(|b| std::cmp::Reverse(b.0));
        let mut total = 0;
        for (i, (_, len, path)) in builds.iter().enumerate() {
            total += len;
            if i >= MAX_FILES || total > MAX_BYTES {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_bytes() {
        assert_eq!(key_of(b"abc"), key_of(b"abc"));
        assert_ne!(key_of(b"abc"), key_of(b"abd"));
    }

    #[test]
    fn a_damaged_build_is_removed_and_not_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::default();
        let artifacts = Artifacts::new(dir.path(), &engine);
        std::fs::write(artifacts.path(7), b"not a compiled component").unwrap();
        assert!(artifacts.load(&engine, 7).is_none());
        assert!(!artifacts.path(7).exists());
        assert!(artifacts.load(&engine, 8).is_none());
    }

    #[test]
    fn old_builds_go_past_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::default();
        let artifacts = Artifacts::new(dir.path(), &engine);
        for key in 0..(MAX_FILES as u64 + 5) {
            std::fs::write(artifacts.path(key), b"x").unwrap();
        }
        artifacts.prune();
        let left = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(left, MAX_FILES);
    }
}
