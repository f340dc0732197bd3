//! `revenant plugin check`: load a component as a session would (compile,
//! tell its world and contract, instantiate) and make one smoke call, timing
//! each step.

use std::time::{Duration, Instant};

use super::bindings::types;
use super::error::{Failure, PluginError};
use super::grants::Grants;
use super::sandbox::NoControl;
use super::{
    CommandDiscoveryPlugin, Contract, PluginEngine, PluginLimits, PluginSource, SerializerPlugin, SessionManagerPlugin,
    World, detect_world,
};

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

/// What loading and calling a component showed.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub world: World,
    pub contract: Contract,
    pub bytes: usize,
    /// Compiling (or fetching from the on-disk cache).
    pub compile: Duration,
    pub instantiate: Duration,
    /// The smoke call (a UI plugin: `init` and `render`).
    pub smoke: Duration,
    pub memory_peak: usize,
}

/// Loads the component at `source`, tells which world and contract version
/// it implements, instantiates it and makes one smoke call.
pub fn check(engine: &PluginEngine, source: &PluginSource) -> Result<CheckReport, CheckError> {
    let plugin = source.name();
    let source = &source.clone().read().map_err(|cause| CheckError::Unusable { plugin: plugin.clone(), cause })?;
    let bytes = source.bytes().map_or(0, <[u8]>::len);
    let started = Instant::now();
    let component = engine.compile(source).map_err(|cause| CheckError::Unusable { plugin: plugin.clone(), cause })?;
    let compile = started.elapsed();
    let (world, contract) = detect_world(engine.engine(), &component)
        .map_err(|detail| CheckError::NoWorld { plugin: plugin.clone(), detail })?;
    let limits = PluginLimits::for_world(world);
    let (instantiate, smoke, stats) = match world {
        World::Serializer => {
            let mut p = SerializerPlugin::load(engine, source, limits, Grants::none())?;
            let smoke = p.smoke(&sample_manifest())?;
            (p.stats().last_instantiate, smoke, p.stats().clone())
        }
        World::CommandDiscovery => {
            let mut p = CommandDiscoveryPlugin::load(engine, source, limits, Grants::none())?;
            let smoke = p.smoke()?;
            (p.stats().last_instantiate, smoke, p.stats().clone())
        }
        World::SessionManager => {
            let mut p =
                SessionManagerPlugin::load(engine, source, limits, Grants::none(), Box::new(NoControl), Vec::new())?;
            let smoke = p.smoke(24, 80)?;
            (p.stats().last_instantiate, smoke, p.stats().clone())
        }
    };
    Ok(CheckReport {
        world,
        contract,
        bytes,
        compile,
        instantiate,
        smoke: smoke.saturating_sub(instantiate),
        memory_peak: stats.memory_peak,
    })
}

/// A one-tab, one-pane session, for smoke calls when there is no real one.
pub fn sample_manifest() -> types::SessionManifest {
    let pane = types::Pane {
        id: 1,
        name: None,
        cwd: Some("/".into()),
        command: Some(vec!["sleep".into(), "1000".into()]),
        plugin: None,
        focused: true,
        start_suspended: true,
        contents: None,
        default_fg: None,
        default_bg: None,
        edit: None,
        expanded: false,
        env: Vec::new(),
        save_contents: true,
    };
    types::SessionManifest {
        name: "plugin-check".into(),
        cwd: Some("/".into()),
        tabs: vec![types::Tab {
            name: "Tab #1".into(),
            position: 0,
            focused: true,
            hide_floating_panes: false,
            tiled: vec![types::TiledNode { size: None, borderless: false, body: types::TiledBody::Pane(pane) }],
            floating: Vec::new(),
        }],
        swap_layouts: Vec::new(),
    }
}
