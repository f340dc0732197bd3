//! Where config.kdl and the named layouts are, and the config as loaded:
//! the one place the CLI, the client and the server ask, so that none of
//! them imports another for it.

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use revenant_config::Config;

use crate::paths;

pub fn config_path() -> PathBuf {
    paths::config_dir().join("config.kdl")
}

pub fn load_config() -> Result<Config> {
    Config::load(&config_path()).map_err(|e| anyhow!("{e}"))
}

/// Where layouts named on the command line are looked for.
pub fn layout_dir(config: &Config) -> PathBuf {
    config.layout_dir.clone().unwrap_or_else(|| paths::config_dir().join("layouts"))
}
