//! The plugin runtime: WASM components run in a wasmtime sandbox with no
//! files, no network and no environment, under a deadline and a memory cap.
//! A plugin that traps, runs away or returns garbage yields a typed
//! [`PluginError`]; the host carries on and the next call gets a fresh
//! instance.

mod bindings;
mod builtin;
mod engine;
mod error;
mod guest_output;
mod instance;
mod sandbox;
mod world_check;
pub mod worlds;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use bindings::types;
pub use builtin::{BUILTIN_PLUGINS, builtin};
pub use engine::PluginEngine;
pub use error::{Failure, PluginError};
pub use sandbox::SessionControl;
pub use world_check::detect_world;
pub use worlds::{CommandDiscoveryPlugin, SerializerPlugin, SessionManagerPlugin};

/// The three kinds of plugin the host knows, one per WIT world.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum World {
    Serializer,
    CommandDiscovery,
    SessionManager,
}

impl World {
    pub const ALL: [World; 3] = [World::Serializer, World::CommandDiscovery, World::SessionManager];

    /// The world's name in the WIT package.
    pub fn name(self) -> &'static str {
        match self {
            World::Serializer => "serializer",
            World::CommandDiscovery => "command-discovery",
            World::SessionManager => "session-manager",
        }
    }

    /// The fully qualified interface a component of this world must export.
    pub fn export(self) -> &'static str {
        match self {
            World::Serializer => "revenant:plugin/serialize@0.1.0",
            World::CommandDiscovery => "revenant:plugin/discover@0.1.0",
            World::SessionManager => "revenant:plugin/ui@0.1.0",
        }
    }

    /// The host interfaces a component of this world may import (besides
    /// WASI, which is linked but grants nothing).
    fn allowed_imports(self) -> &'static [&'static str] {
        const COMMON: &[&str] = &["revenant:plugin/types@0.1.0", "revenant:plugin/log@0.1.0"];
        const UI: &[&str] =
            &["revenant:plugin/types@0.1.0", "revenant:plugin/log@0.1.0", "revenant:plugin/session-control@0.1.0"];
        match self {
            World::SessionManager => UI,
            _ => COMMON,
        }
    }

    /// The default time one call may take before it is interrupted.
    pub fn default_deadline(self) -> Duration {
        match self {
            World::Serializer => Duration::from_secs(2),
            World::CommandDiscovery => Duration::from_millis(200),
            World::SessionManager => Duration::from_millis(100),
        }
    }
}

impl fmt::Display for World {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for World {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        World::ALL
            .into_iter()
            .find(|w| w.name() == s)
            .ok_or_else(|| format!("unknown world `{s}` (expected serializer, command-discovery or session-manager)"))
    }
}

/// Where a plugin's component comes from.
#[derive(Clone)]
pub enum PluginSource {
    /// Bytes compiled into the host (the default plugins).
    Embedded { name: &'static str, bytes: &'static [u8] },
    /// A `.wasm` file on disk.
    File(PathBuf),
}

impl PluginSource {
    /// The name used in logs and errors.
    pub fn name(&self) -> String {
        match self {
            PluginSource::Embedded { name, .. } => format!("revenant:{name}"),
            PluginSource::File(path) => path.display().to_string(),
        }
    }
}

impl fmt::Debug for PluginSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Resource limits for one plugin.
#[derive(Debug, Clone, Copy)]
pub struct PluginLimits {
    /// How long one call may run.
    pub deadline: Duration,
    /// The most linear memory the instance may grow to.
    pub memory_bytes: usize,
}

impl PluginLimits {
    pub const DEFAULT_MEMORY: usize = 64 * 1024 * 1024;

    pub fn for_world(world: World) -> Self {
        PluginLimits { deadline: world.default_deadline(), memory_bytes: Self::DEFAULT_MEMORY }
    }
}

/// A loaded plugin's identity, shared by its instances.
#[derive(Debug, Clone)]
pub(crate) struct PluginId {
    pub name: Arc<str>,
    pub world: World,
}

/// Why `revenant plugin check` refused a component.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("plugin `{plugin}`: {cause}")]
    Unusable { plugin: String, cause: Failure },
    #[error("plugin `{plugin}` implements no Revenant world: {detail}")]
    NoWorld { plugin: String, detail: String },
    #[error(transparent)]
    Plugin(#[from] PluginError),
}

/// Loads the component at `source` and tells which world it implements,
/// checking its imports and function signatures as a real load would.
pub fn check(engine: &PluginEngine, source: &PluginSource) -> Result<World, CheckError> {
    let plugin = source.name();
    let component = engine.compile(source).map_err(|cause| CheckError::Unusable { plugin: plugin.clone(), cause })?;
    let world = detect_world(engine.engine(), &component)
        .map_err(|detail| CheckError::NoWorld { plugin: plugin.clone(), detail })?;
    let limits = PluginLimits::for_world(world);
    match world {
        World::Serializer => drop(SerializerPlugin::load(engine, source, limits)?),
        World::CommandDiscovery => drop(CommandDiscoveryPlugin::load(engine, source, limits)?),
        World::SessionManager => {
            drop(SessionManagerPlugin::load(engine, source, limits, Box::new(sandbox::NoControl), Vec::new())?)
        }
    }
    Ok(world)
}

impl PluginSource {
    /// A plugin named as in config and layouts: `revenant:NAME` or
    /// `zellij:NAME` for a built-in plugin, `file:/path/x.wasm` for a file.
    pub fn from_location(location: &str) -> Result<PluginSource, String> {
        if let Some(path) = location.strip_prefix("file:") {
            return Ok(PluginSource::File(PathBuf::from(path)));
        }
        builtin(location).ok_or_else(|| {
            format!("unknown plugin `{location}`: use revenant:serializer, revenant:command-discovery, revenant:session-manager or file:/path/to/plugin.wasm")
        })
    }
}
