//! Loads builds off the server thread and off the thread that makes calls,
//! so a slow compile delays nobody: read the file, compile (the on-disk
//! cache makes a known build cheap), check its world and contract,
//! instantiate and make one smoke call. Only a build that passed all of
//! that is handed over to replace the one serving.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::plugin::types::SessionManifest;
use crate::plugin::{
    CommandDiscoveryPlugin, Contract, EngineCell, NoControl, PluginSource, SerializerPlugin, SessionManagerPlugin,
    key_of,
};

use super::roles::{Role, RoleEntry};

/// A build to load for one role.
pub struct LoadJob {
    pub generation: u64,
    pub entry: RoleEntry,
    /// The hash of the build serving now: the same bytes again are
    /// `Unchanged` rather than compiled and swapped for nothing.
    pub known_hash: Option<u64>,
    /// The session as it is, for a serializer's smoke call.
    pub manifest: SessionManifest,
}

pub enum Built {
    Serializer(SerializerPlugin),
    Discovery(CommandDiscoveryPlugin),
    /// Checked and smoke-called; each session-manager pane runs its own
    /// instance.
    SessionManager,
}

// A build is rare and moved once; boxing it would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum LoadResult {
    Built { plugin: Built, hash: u64, contract: Contract, took: Duration },
    Unchanged,
    Failed(String),
}

pub struct LoadOutcome {
    pub generation: u64,
    pub entry: RoleEntry,
    pub result: LoadResult,
}

/// Starts each load on a thread of its own, which ends with the load: a
/// plugin that is slow to read or compile holds up no other, the built-in
/// ones are always there to stand in, and an idle session has no loader
/// thread waiting for work.
pub struct Loader {
    engine: EngineCell,
    done: Arc<dyn Fn(LoadOutcome) -> bool + Send + Sync>,
}

impl Loader {
    pub fn new(engine: EngineCell, done: impl Fn(LoadOutcome) -> bool + Send + Sync + 'static) -> Loader {
        Loader { engine, done: Arc::new(done) }
    }

    pub fn start(&self, job: LoadJob) {
        let (engine, done) = (self.engine.clone(), self.done.clone());
        let name = format!("load-{}", job.entry.role.name());
        let spawned = std::thread::Builder::new().name(name).spawn(move || {
            let result = load(&engine, &job);
            if let LoadResult::Failed(why) = &result {
                tracing::warn!(role = job.entry.role.name(), location = %job.entry.location, "load failed: {why}");
            }
            done(LoadOutcome { generation: job.generation, entry: job.entry, result });
        });
        if let Err(e) = spawned {
            tracing::error!("cannot start a plugin load: {e}");
        }
    }
}

fn load(engine: &EngineCell, job: &LoadJob) -> LoadResult {
    let started = Instant::now();
    let entry = &job.entry;
    let source = match entry.source().and_then(|s| s.read().map_err(|e| e.to_string())) {
        Ok(source) => source,
        Err(e) => return LoadResult::Failed(e),
    };
    let hash = key_of(source.bytes().unwrap_or_default());
    if job.known_hash == Some(hash) {
        return LoadResult::Unchanged;
    }
    let engine = match engine.get() {
        Ok(engine) => engine,
        Err(e) => return LoadResult::Failed(format!("the plugin engine could not start: {e}")),
    };
    let loaded = load_world(&engine, &source, entry, &job.manifest);
    match loaded {
        Ok((plugin, contract)) => LoadResult::Built { plugin, hash, contract, took: started.elapsed() },
        Err(e) => LoadResult::Failed(e.to_string()),
    }
}

fn load_world(
    engine: &crate::plugin::PluginEngine,
    source: &PluginSource,
    entry: &RoleEntry,
    manifest: &SessionManifest,
) -> Result<(Built, Contract), crate::plugin::PluginError> {
    let (limits, grants) = (entry.limits, entry.grants.clone());
    Ok(match entry.role {
        Role::Serializer => {
            let mut p = SerializerPlugin::load(engine, source, limits, grants)?;
            p.smoke(manifest)?;
            let contract = p.contract();
            (Built::Serializer(p), contract)
        }
        Role::Discovery => {
            let mut p = CommandDiscoveryPlugin::load(engine, source, limits, grants)?;
            p.smoke()?;
            let contract = p.contract();
            (Built::Discovery(p), contract)
        }
        Role::SessionManager => {
            let mut p = SessionManagerPlugin::load(
                engine,
                source,
                limits,
                grants,
                Box::new(NoControl),
                entry.configuration.clone(),
            )?;
            p.smoke(24, 80)?;
            (Built::SessionManager, p.contract())
        }
    })
}
