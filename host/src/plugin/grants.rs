//! What a plugin may reach beyond its arguments. By default nothing: no
//! files, no environment. A user grants, per plugin, read-only access to the
//! pane's working directory during a discovery call and named environment
//! variables; the grants are applied to each instance's WASI context.

use std::path::Path;

use wasmtime_wasi::{FsPerms, WasiCtxBuilder};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants {
    /// During a discovery call, the pane's cwd is readable (never writable)
    /// at its own path, and nothing else is.
    pub cwd: bool,
    /// These variables, with the server's values, are in the plugin's
    /// environment (a variable the server does not have is left out).
    pub env: Vec<String>,
}

impl Grants {
    pub fn none() -> Self {
        Grants::default()
    }

    pub fn is_empty(&self) -> bool {
        !self.cwd && self.env.is_empty()
    }

    /// One line per grant, as `plugin list` shows them.
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.cwd {
            out.push("cwd (read-only, during discovery calls)".to_string());
        }
        for var in &self.env {
            out.push(format!("env {var}"));
        }
        out
    }

    /// Adds the grants to a WASI context. `cwd` is the directory to expose
    /// for this instance, if the plugin has the cwd grant and the call has
    /// one.
    pub(crate) fn apply(&self, builder: &mut WasiCtxBuilder, cwd: Option<&Path>) {
        for var in &self.env {
            if let Ok(value) = std::env::var(var) {
                builder.env(var, value);
            }
        }
        if let Some(dir) = cwd.filter(|_| self.cwd)
            && let Some(guest) = dir.to_str()
            && dir.is_absolute()
        {
            // The same path inside as outside, so the `cwd` the plugin is told
            // about is the one it can open. Read-only, and cap-std keeps every
            // lookup (`..`, symlinks) beneath it.
            if let Err(e) = builder.preopened_dir(dir, guest, FsPerms::ReadOnly) {
                tracing::debug!("cwd grant: cannot open {}: {e:#}", dir.display());
            }
        }
    }
}
