//! The plugin runtime: WASM components run in a wasmtime sandbox with no
//! files, no network and no environment, under a deadline and a memory cap.
//! A plugin that traps, runs away or returns garbage yields a typed
//! [`PluginError`]; the host carries on and the next call gets a fresh
//! instance.

mod artifacts;
mod bindings;
mod builtin;
mod check;
mod compat;
pub mod compiler;
mod contract;
mod engine;
mod error;
mod grants;
mod guest_output;
mod instance;
mod sandbox;
mod settings;
mod stats;
mod world_check;
pub mod worlds;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use artifacts::key_of;
pub use bindings::types;
pub use builtin::{BUILTIN_PLUGINS, builtin};
pub use check::{CheckError, CheckReport, check, sample_manifest};
pub use contract::Contract;
pub use engine::{EngineCell, PluginEngine};
pub use error::{Failure, PluginError};
pub use grants::Grants;
pub use sandbox::{NoControl, SessionControl};
pub use stats::PluginStats;
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

    /// The name of the interface a component of this world exports
    /// (`revenant:plugin/NAME@VERSION`).
    pub(crate) fn export_interface(self) -> &'static str {
        match self {
            World::Serializer => "serialize",
            World::CommandDiscovery => "discover",
            World::SessionManager => "ui",
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

/// The largest plugin component read. A Python component built by
/// componentize-py is tens of megabytes; a 3 GB file named as a plugin was
/// read whole by every server.
pub const MAX_COMPONENT: u64 = 128 * 1024 * 1024;

/// Where a plugin's component comes from.
#[derive(Clone)]
pub enum PluginSource {
    /// Bytes compiled into the host (the default plugins).
    Embedded { name: &'static str, bytes: &'static [u8] },
    /// A `.wasm` file on disk.
    File(PathBuf),
    /// A file's bytes, already read by a caller that needed them too (to
    /// tell whether a build changed).
    Read { path: PathBuf, bytes: Arc<[u8]> },
}

impl PluginSource {
    /// The name used in logs and errors.
    pub fn name(&self) -> String {
        match self {
            PluginSource::Embedded { name, .. } => format!("revenant:{name}"),
            PluginSource::File(path) | PluginSource::Read { path, .. } => path.display().to_string(),
        }
    }

    /// Reads a `File` source into a `Read` one (a regular file of at most
    /// [`MAX_COMPONENT`] bytes, read without waiting); other sources stay
    /// as they are.
    pub fn read(self) -> Result<PluginSource, Failure> {
        match self {
            PluginSource::File(path) => match revenant_kdl_file::read_bounded(&path, MAX_COMPONENT) {
                Ok(bytes) => Ok(PluginSource::Read { path, bytes: bytes.into() }),
                Err(source) => Err(Failure::Read { path, source }),
            },
            other => Ok(other),
        }
    }

    /// The component's bytes, if they are in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            PluginSource::Embedded { bytes, .. } => Some(bytes),
            PluginSource::Read { bytes, .. } => Some(bytes),
            PluginSource::File(_) => None,
        }
    }
}

impl fmt::Debug for PluginSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Resource limits for one plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PluginLimits {
    /// How long one call may run.
    pub deadline: Duration,
    /// The most linear memory the instance may grow to.
    pub memory_bytes: usize,
    /// How long instantiating may take (a language runtime's start-up).
    pub startup: Duration,
}

impl PluginLimits {
    /// A CPython (componentize-py) discovery plugin peaked at 12 MiB here,
    /// a SpiderMonkey (componentize-js) one at 9 MiB: ten times that leaves
    /// a language runtime room for real work and still stops a runaway.
    pub const DEFAULT_MEMORY: usize = 128 * 1024 * 1024;
    pub const DEFAULT_STARTUP: Duration = Duration::from_secs(10);

    pub fn for_world(world: World) -> Self {
        PluginLimits {
            deadline: world.default_deadline(),
            memory_bytes: Self::DEFAULT_MEMORY,
            startup: Self::DEFAULT_STARTUP,
        }
    }
}

/// A loaded plugin's identity, shared by its instances.
#[derive(Debug, Clone)]
pub(crate) struct PluginId {
    pub name: Arc<str>,
    pub world: World,
    pub contract: Contract,
}

pub fn now_unix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

impl PluginSource {
    /// A plugin named as in config and layouts: `revenant:NAME` or
    /// `zellij:NAME` for a built-in plugin, `file:/path/x.wasm` for a file.
    pub fn from_location(location: &str) -> Result<PluginSource, String> {
        if let Some(path) = location.strip_prefix("file:") {
            return Ok(PluginSource::File(expand_home(path)));
        }
        builtin(location).ok_or_else(|| {
            format!("unknown plugin `{location}`: use revenant:serializer, revenant:command-discovery, revenant:session-manager or file:/path/to/plugin.wasm")
        })
    }
}

/// `~/x` is the user's home's `x`, as in a shell.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}
