//! Where Revenant keeps its state. Every directory can be redirected with an
//! environment variable, which is how tests stay out of the user's dirs.

use std::path::PathBuf;

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
/// engine's settings.
pub fn plugin_cache_dir() -> PathBuf {
    cache_dir().join("plugin-cache")
}

fn from_env(var: &str) -> Option<PathBuf> {
    std::env::var_os(var).filter(|v| !v.is_empty()).map(PathBuf::from)
}

fn uid() -> u32 {
    rustix::process::getuid().as_raw()
}
