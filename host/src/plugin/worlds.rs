//! One typed handle per world. Each checks what its plugin returned before
//! handing it on: the rest of the host never sees malformed plugin output.

use wasmtime::Store;
use wasmtime::component::InstancePre;

use super::bindings::{command_discovery, serializer, session_manager, types};
use super::error::PluginError;
use super::instance::{Loaded, WorldBindings};
use super::sandbox::{HostState, SessionControl};
use super::{PluginEngine, PluginLimits, PluginSource, World};

struct SerializerWorld;
impl WorldBindings for SerializerWorld {
    const WORLD: World = World::Serializer;
    type Pre = serializer::SerializerPre<HostState>;
    type Instance = serializer::Serializer;
    fn pre(p: InstancePre<HostState>) -> wasmtime::Result<Self::Pre> {
        serializer::SerializerPre::new(p)
    }
    fn instantiate(pre: &Self::Pre, store: &mut Store<HostState>) -> wasmtime::Result<Self::Instance> {
        pre.instantiate(store)
    }
}

struct DiscoveryWorld;
impl WorldBindings for DiscoveryWorld {
    const WORLD: World = World::CommandDiscovery;
    type Pre = command_discovery::CommandDiscoveryPre<HostState>;
    type Instance = command_discovery::CommandDiscovery;
    fn pre(p: InstancePre<HostState>) -> wasmtime::Result<Self::Pre> {
        command_discovery::CommandDiscoveryPre::new(p)
    }
    fn instantiate(pre: &Self::Pre, store: &mut Store<HostState>) -> wasmtime::Result<Self::Instance> {
        pre.instantiate(store)
    }
}

struct UiWorld;
impl WorldBindings for UiWorld {
    const WORLD: World = World::SessionManager;
    type Pre = session_manager::SessionManagerPre<HostState>;
    type Instance = session_manager::SessionManager;
    fn pre(p: InstancePre<HostState>) -> wasmtime::Result<Self::Pre> {
        session_manager::SessionManagerPre::new(p)
    }
    fn instantiate(pre: &Self::Pre, store: &mut Store<HostState>) -> wasmtime::Result<Self::Instance> {
        pre.instantiate(store)
    }
}

/// A serializer plugin: session manifest in, checked layout KDL out.
pub struct SerializerPlugin(Loaded<SerializerWorld>);

impl SerializerPlugin {
    pub fn load(engine: &PluginEngine, source: &PluginSource, limits: PluginLimits) -> Result<Self, PluginError> {
        Loaded::load(engine, source, limits, None).map(SerializerPlugin)
    }

    pub fn name(&self) -> &str {
        &self.0.id.name
    }

    /// Serializes `manifest`. The layout is parsed as KDL v1 and the sidecar
    /// names are checked before anything is returned.
    pub fn serialize(&mut self, manifest: &types::SessionManifest) -> Result<types::SerializedSession, PluginError> {
        let returned = self.0.call(|i, store| i.revenant_plugin_serialize().call_serialize(store, manifest))?;
        let session = returned
            .map_err(|msg| PluginError::new(&self.0.id.name, World::Serializer, super::Failure::Returned(msg)))?;
        check_layout(&session.layout).map_err(|why| self.0.invalid_output(why))?;
        check_sidecars(&session.sidecars).map_err(|why| self.0.invalid_output(why))?;
        Ok(session)
    }
}

/// The layout must be KDL v1 (what Zellij reads) with a `layout` node.
fn check_layout(text: &str) -> Result<(), String> {
    let doc = kdl::KdlDocument::parse_v1(text).map_err(|e| {
        let detail = e
            .diagnostics
            .first()
            .map(|d| {
                let (line, col) = line_col(text, d.span.offset());
                let what = d.message.clone().or_else(|| d.label.clone()).unwrap_or_else(|| "syntax error".into());
                format!("line {line}, column {col}: {what}")
            })
            .unwrap_or_else(|| e.to_string());
        format!("the layout is not valid KDL v1 ({detail})")
    })?;
    if doc.get("layout").is_none() {
        return Err("the layout has no top-level `layout` node".into());
    }
    Ok(())
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Sidecars are written next to the layout: a name must not reach outside
/// that folder or collide with another.
fn check_sidecars(sidecars: &[types::Sidecar]) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for sidecar in sidecars {
        let name = sidecar.name.as_str();
        let plain = !name.is_empty()
            && name.len() <= 255
            && !name.starts_with('.')
            && !name.contains(['/', '\\', '\0'])
            && name != "session-layout.kdl"
            && name != "session-metadata.kdl";
        if !plain {
            return Err(format!("sidecar name `{}` is not a plain file name", name.escape_debug()));
        }
        if !seen.insert(name) {
            return Err(format!("sidecar `{name}` is returned twice"));
        }
    }
    Ok(())
}

/// A command-discovery plugin.
pub struct CommandDiscoveryPlugin(Loaded<DiscoveryWorld>);

impl CommandDiscoveryPlugin {
    pub fn load(engine: &PluginEngine, source: &PluginSource, limits: PluginLimits) -> Result<Self, PluginError> {
        Loaded::load(engine, source, limits, None).map(CommandDiscoveryPlugin)
    }

    pub fn name(&self) -> &str {
        &self.0.id.name
    }

    /// Asks the plugin what to save for `command`.
    pub fn discover(&mut self, command: &types::DiscoveredCommand) -> Result<types::DiscoveryDecision, PluginError> {
        let decision = self.0.call(|i, store| i.revenant_plugin_discover().call_discover(store, command))?;
        if let types::DiscoveryDecision::Rewrite(rewrite) = &decision
            && rewrite.argv.first().is_none_or(|a| a.is_empty())
        {
            return Err(self.0.invalid_output("a rewrite with an empty command".into()));
        }
        Ok(decision)
    }
}

/// A session-manager UI plugin. It keeps state between calls; after a
/// failure the next call re-creates it and calls `init` again.
pub struct SessionManagerPlugin {
    loaded: Loaded<UiWorld>,
    configuration: Vec<(String, String)>,
}

impl SessionManagerPlugin {
    pub fn load(
        engine: &PluginEngine,
        source: &PluginSource,
        limits: PluginLimits,
        control: Box<dyn SessionControl>,
        configuration: Vec<(String, String)>,
    ) -> Result<Self, PluginError> {
        let loaded = Loaded::load(engine, source, limits, Some(control))?;
        Ok(SessionManagerPlugin { loaded, configuration })
    }

    pub fn name(&self) -> &str {
        &self.loaded.id.name
    }

    fn ensure_initialised(&mut self) -> Result<(), PluginError> {
        if self.loaded.ensure_instance()? {
            let configuration = self.configuration.clone();
            self.loaded.call(|i, store| i.revenant_plugin_ui().call_init(store, &configuration))?;
        }
        Ok(())
    }

    /// Delivers an event; true when the plugin wants to be re-rendered.
    pub fn update(&mut self, event: &types::Event) -> Result<bool, PluginError> {
        self.ensure_initialised()?;
        self.loaded.call(|i, store| i.revenant_plugin_ui().call_update(store, event))
    }

    /// Renders at most `rows` lines for a pane of `rows` × `cols`.
    pub fn render(&mut self, rows: u32, cols: u32) -> Result<Vec<String>, PluginError> {
        self.ensure_initialised()?;
        let mut lines = self.loaded.call(|i, store| i.revenant_plugin_ui().call_render(store, rows, cols))?;
        lines.truncate(rows as usize);
        Ok(lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_errors_name_line_and_column() {
        let err = check_layout("layout {\n    tab name=\"x\"\n}\n}\n").unwrap_err();
        assert!(err.contains("line 4, column 1"), "{err}");
        assert!(check_layout("layout {\n    tab name=\"x\" focus=true\n}\n").is_ok());
        assert!(check_layout("tab\n").unwrap_err().contains("no top-level `layout`"));
    }

    #[test]
    fn v2_only_syntax_is_refused() {
        assert!(check_layout("layout {\n    tab focus=#true\n}\n").is_err());
    }

    #[test]
    fn sidecar_names_stay_in_their_folder() {
        let sc = |n: &str| types::Sidecar { name: n.into(), contents: String::new() };
        assert!(check_sidecars(&[sc("initial_contents_1"), sc("initial_contents_2")]).is_ok());
        for bad in ["", "../x", "a/b", ".hidden", "session-layout.kdl", "a\\b"] {
            assert!(check_sidecars(&[sc(bad)]).is_err(), "{bad:?} accepted");
        }
        assert!(check_sidecars(&[sc("a"), sc("a")]).unwrap_err().contains("twice"));
    }
}
