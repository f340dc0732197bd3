//! The session's one wasmtime engine, created by whichever plugin thread
//! needs it first (it takes milliseconds, which the server thread does not
//! spend).

use std::sync::{Arc, OnceLock};

use crate::plugin::PluginEngine;

#[derive(Clone, Default)]
pub struct EngineCell(Arc<OnceLock<Result<PluginEngine, String>>>);

impl EngineCell {
    /// The engine; threads asking while it is being created wait for it.
    pub fn get(&self) -> Result<PluginEngine, String> {
        self.0
            .get_or_init(|| PluginEngine::new(Some(&crate::paths::plugin_cache_dir())).map_err(|e| format!("{e:#}")))
            .clone()
    }
}
