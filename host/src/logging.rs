//! Logs go to files under the cache dir, never to the user's terminal.

use std::path::PathBuf;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

pub fn log_dir() -> PathBuf {
    crate::paths::cache_dir().join("logs")
}

/// Sends `tracing` output to `log_dir()/NAME.log`. `--debug` raises the
/// level; `REVENANT_LOG` (an env-filter directive) overrides both.
pub fn init(name: &str, debug: bool) {
    let dir = log_dir();
    if crate::paths::ensure_private_dir(&dir).is_err() {
        return;
    }
    let Ok(file) = crate::no_follow::append_file(&dir.join(format!("{name}.log"))) else {
        return;
    };
    let default = if debug { "debug,cranelift=info,wasmtime=info" } else { "info,cranelift=warn,wasmtime=warn" };
    let filter = EnvFilter::try_from_env("REVENANT_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(false).with_writer(Mutex::new(file)).try_init();
}

/// A session server's log and the stderr it was started with.
pub fn session_logs(name: &str) -> [PathBuf; 2] {
    let dir = log_dir();
    [dir.join(format!("{name}.log")), dir.join(format!("{name}.stderr"))]
}

/// Removes a deleted session's logs: nothing is left to read them for.
pub fn remove_session_logs(name: &str) {
    for path in session_logs(name) {
        if let Err(e) = std::fs::remove_file(&path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!("removing {}: {e}", path.display());
        }
    }
}
