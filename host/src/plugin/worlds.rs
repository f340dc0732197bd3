//! One typed handle per world. Each checks what its plugin returned before
//! handing it on: the rest of the host never sees malformed plugin output.

use std::time::{Duration, Instant};

use wasmtime::Store;
use wasmtime::component::InstancePre;

use super::bindings::{types, v1, v2, v3, v4, v5, v6};
use super::compat::{Convert, via};
use super::contract::Contract;
use super::error::PluginError;
use super::grants::Grants;
use super::instance::{Loaded, Prepared, WorldBindings};
use super::sandbox::{HostState, SessionControl};
use super::{PluginEngine, PluginLimits, PluginSource, PluginStats, World};

/// Binds one world of one contract version to the generic lifecycle.
macro_rules! world_bindings {
    ($name:ident, $world:expr, $contract:expr, $($module:ident)::+, $pre:ident, $instance:ident) => {
        pub(crate) struct $name;
        impl WorldBindings for $name {
            const WORLD: World = $world;
            const CONTRACT: Contract = $contract;
            type Pre = $($module)::+::$pre<HostState>;
            type Instance = $($module)::+::$instance;
            fn pre(p: InstancePre<HostState>) -> wasmtime::Result<Self::Pre> {
                $($module)::+::$pre::new(p)
            }
            fn instantiate(pre: &Self::Pre, store: &mut Store<HostState>) -> wasmtime::Result<Self::Instance> {
                pre.instantiate(store)
            }
        }
    };
}

world_bindings!(SerializerV1, World::Serializer, Contract::V0_1, v1::serializer, SerializerPre, Serializer);
world_bindings!(SerializerV2, World::Serializer, Contract::V0_2, v2::serializer, SerializerPre, Serializer);
world_bindings!(SerializerV3, World::Serializer, Contract::V0_3, v3::serializer, SerializerPre, Serializer);
world_bindings!(SerializerV4, World::Serializer, Contract::V0_4, v4::serializer, SerializerPre, Serializer);
world_bindings!(SerializerV5, World::Serializer, Contract::V0_5, v5::serializer, SerializerPre, Serializer);
world_bindings!(SerializerV6, World::Serializer, Contract::V0_6, v6::serializer, SerializerPre, Serializer);
world_bindings!(
    DiscoveryV1,
    World::CommandDiscovery,
    Contract::V0_1,
    v1::command_discovery,
    CommandDiscoveryPre,
    CommandDiscovery
);
world_bindings!(
    DiscoveryV2,
    World::CommandDiscovery,
    Contract::V0_2,
    v2::command_discovery,
    CommandDiscoveryPre,
    CommandDiscovery
);
world_bindings!(
    DiscoveryV3,
    World::CommandDiscovery,
    Contract::V0_3,
    v3::command_discovery,
    CommandDiscoveryPre,
    CommandDiscovery
);
world_bindings!(
    DiscoveryV4,
    World::CommandDiscovery,
    Contract::V0_4,
    v4::command_discovery,
    CommandDiscoveryPre,
    CommandDiscovery
);
world_bindings!(
    DiscoveryV5,
    World::CommandDiscovery,
    Contract::V0_5,
    v5::command_discovery,
    CommandDiscoveryPre,
    CommandDiscovery
);
world_bindings!(
    DiscoveryV6,
    World::CommandDiscovery,
    Contract::V0_6,
    v6::command_discovery,
    CommandDiscoveryPre,
    CommandDiscovery
);
world_bindings!(UiV1, World::SessionManager, Contract::V0_1, v1::session_manager, SessionManagerPre, SessionManager);
world_bindings!(UiV2, World::SessionManager, Contract::V0_2, v2::session_manager, SessionManagerPre, SessionManager);
world_bindings!(UiV3, World::SessionManager, Contract::V0_3, v3::session_manager, SessionManagerPre, SessionManager);
world_bindings!(UiV4, World::SessionManager, Contract::V0_4, v4::session_manager, SessionManagerPre, SessionManager);
world_bindings!(UiV5, World::SessionManager, Contract::V0_5, v5::session_manager, SessionManagerPre, SessionManager);
world_bindings!(UiV6, World::SessionManager, Contract::V0_6, v6::session_manager, SessionManagerPre, SessionManager);

/// A loaded plugin in whichever contract version it was built for.
enum Versions<A, B, C, D, E, F> {
    V1(A),
    V2(B),
    V3(C),
    V4(D),
    V5(E),
    V6(F),
}

type SerializerVersions = Versions<
    Loaded<SerializerV1>,
    Loaded<SerializerV2>,
    Loaded<SerializerV3>,
    Loaded<SerializerV4>,
    Loaded<SerializerV5>,
    Loaded<SerializerV6>,
>;
type DiscoveryVersions = Versions<
    Loaded<DiscoveryV1>,
    Loaded<DiscoveryV2>,
    Loaded<DiscoveryV3>,
    Loaded<DiscoveryV4>,
    Loaded<DiscoveryV5>,
    Loaded<DiscoveryV6>,
>;
type UiVersions = Versions<Loaded<UiV1>, Loaded<UiV2>, Loaded<UiV3>, Loaded<UiV4>, Loaded<UiV5>, Loaded<UiV6>>;

/// Runs the same code against whichever version is loaded.
macro_rules! each {
    ($v:expr, $l:ident => $e:expr) => {
        match $v {
            Versions::V1($l) => $e,
            Versions::V2($l) => $e,
            Versions::V3($l) => $e,
            Versions::V4($l) => $e,
            Versions::V5($l) => $e,
            Versions::V6($l) => $e,
        }
    };
}

/// Loads `prepared` with the bindings of the contract it was built for.
macro_rules! load_versions {
    ($engine:expr, $prepared:expr, $limits:expr, $grants:expr, $control:expr) => {
        match $prepared.contract {
            Contract::V0_1 => Versions::V1(Loaded::new($engine, &$prepared, $limits, $grants, $control)?),
            Contract::V0_2 => Versions::V2(Loaded::new($engine, &$prepared, $limits, $grants, $control)?),
            Contract::V0_3 => Versions::V3(Loaded::new($engine, &$prepared, $limits, $grants, $control)?),
            Contract::V0_4 => Versions::V4(Loaded::new($engine, &$prepared, $limits, $grants, $control)?),
            Contract::V0_5 => Versions::V5(Loaded::new($engine, &$prepared, $limits, $grants, $control)?),
            Contract::V0_6 => Versions::V6(Loaded::new($engine, &$prepared, $limits, $grants, $control)?),
        }
    };
}

/// What every typed handle tells about itself.
macro_rules! common_accessors {
    ($field:ident) => {
        pub fn name(&self) -> &str {
            each!(&self.$field, l => &l.id.name)
        }
        /// The contract version the component was built for.
        pub fn contract(&self) -> Contract {
            each!(&self.$field, l => l.id.contract)
        }
        pub fn stats(&self) -> &PluginStats {
            each!(&self.$field, l => &l.stats)
        }
        pub fn limits(&self) -> PluginLimits {
            each!(&self.$field, l => l.limits)
        }
        pub fn grants(&self) -> &Grants {
            each!(&self.$field, l => &l.grants)
        }
        /// Drops the live instance, its memory and the compiled code; the
        /// next call maps the build again from the disk cache and makes a
        /// fresh instance (a stateless world loses nothing).
        pub fn release(&mut self) {
            each!(&mut self.$field, l => l.sleep())
        }
        /// Whether it holds its compiled code now.
        pub fn is_awake(&self) -> bool {
            each!(&self.$field, l => l.is_awake())
        }
    };
}

/// A serializer plugin: session manifest in, checked layout KDL out.
pub struct SerializerPlugin {
    loaded: SerializerVersions,
}

impl SerializerPlugin {
    pub fn load(
        engine: &PluginEngine,
        source: &PluginSource,
        limits: PluginLimits,
        grants: Grants,
    ) -> Result<Self, PluginError> {
        let prepared = Prepared::new(engine, source, World::Serializer)?;
        Ok(SerializerPlugin { loaded: load_versions!(engine, prepared, limits, grants, None) })
    }

    common_accessors!(loaded);

    /// Serializes `manifest`. The layout is parsed as KDL v1 and the sidecar
    /// names are checked before anything is returned.
    pub fn serialize(&mut self, manifest: &types::SessionManifest) -> Result<types::SerializedSession, PluginError> {
        let returned = match &mut self.loaded {
            Versions::V1(l) => {
                let mid: v2::types::SessionManifest = via::<v3::types::SessionManifest, _>(manifest);
                let old: v1::types::SessionManifest = (&mid).into();
                let back = l.call(|i, store| i.revenant_plugin_serialize().call_serialize(store, &old))?;
                back.map(|s| via::<v3::types::SerializedSession, _>(&v2::types::SerializedSession::from(s)))
            }
            Versions::V2(l) => {
                let old: v2::types::SessionManifest = via::<v3::types::SessionManifest, _>(manifest);
                let back = l.call(|i, store| i.revenant_plugin_serialize().call_serialize(store, &old))?;
                back.map(|s| via::<v3::types::SerializedSession, _>(&s))
            }
            Versions::V3(l) => {
                let old: v3::types::SessionManifest = manifest.convert();
                l.call(|i, store| i.revenant_plugin_serialize().call_serialize(store, &old))?.map(|s| s.convert())
            }
            Versions::V4(l) => {
                let old: v4::types::SessionManifest = manifest.convert();
                l.call(|i, store| i.revenant_plugin_serialize().call_serialize(store, &old))?.map(|s| s.convert())
            }
            Versions::V5(l) => {
                let old: v5::types::SessionManifest = manifest.convert();
                l.call(|i, store| i.revenant_plugin_serialize().call_serialize(store, &old))?.map(|s| s.convert())
            }
            Versions::V6(l) => l.call(|i, store| i.revenant_plugin_serialize().call_serialize(store, manifest))?,
        };
        each!(&mut self.loaded, l => {
            let session = returned.map_err(|msg| {
                let err = PluginError::new(&l.id.name, World::Serializer, super::Failure::Returned(msg));
                l.stats.failed(&err);
                err
            })?;
            check_layout(&session.layout).map_err(|why| l.invalid_output(why))?;
            check_sidecars(&session.sidecars).map_err(|why| l.invalid_output(why))?;
            Ok(session)
        })
    }

    /// One call on a real manifest, to know a new build works before it
    /// replaces the old one. Returns how long the call took.
    pub fn smoke(&mut self, manifest: &types::SessionManifest) -> Result<Duration, PluginError> {
        let started = Instant::now();
        self.serialize(manifest)?;
        Ok(started.elapsed())
    }
}

/// `event` without other hosts' sessions, for a plugin of a contract
/// before hosts.
pub(crate) fn this_host_only(event: &types::Event) -> types::Event {
    match event {
        types::Event::SessionList(list) => {
            types::Event::SessionList(list.iter().filter(|s| s.host.is_none()).cloned().collect())
        }
        other => other.clone(),
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
pub struct CommandDiscoveryPlugin {
    loaded: DiscoveryVersions,
}

impl CommandDiscoveryPlugin {
    pub fn load(
        engine: &PluginEngine,
        source: &PluginSource,
        limits: PluginLimits,
        grants: Grants,
    ) -> Result<Self, PluginError> {
        let prepared = Prepared::new(engine, source, World::CommandDiscovery)?;
        Ok(CommandDiscoveryPlugin { loaded: load_versions!(engine, prepared, limits, grants, None) })
    }

    common_accessors!(loaded);

    /// Asks the plugin what to save for `command`. A plugin granted the
    /// pane's cwd sees `command.cwd` (read-only) during this call.
    pub fn discover(&mut self, command: &types::DiscoveredCommand) -> Result<types::DiscoveryDecision, PluginError> {
        let cwd = command.cwd.as_deref().map(std::path::Path::new);
        let decision = match &mut self.loaded {
            Versions::V1(l) => {
                let mid: v2::types::DiscoveredCommand = via::<v3::types::DiscoveredCommand, _>(command);
                let old: v1::types::DiscoveredCommand = (&mid).into();
                let back = l.call_in(cwd, |i, store| i.revenant_plugin_discover().call_discover(store, &old))?;
                via::<v3::types::DiscoveryDecision, _>(&v2::types::DiscoveryDecision::from(back))
            }
            Versions::V2(l) => {
                let old: v2::types::DiscoveredCommand = via::<v3::types::DiscoveredCommand, _>(command);
                let back = l.call_in(cwd, |i, store| i.revenant_plugin_discover().call_discover(store, &old))?;
                via::<v3::types::DiscoveryDecision, _>(&back)
            }
            Versions::V3(l) => {
                let old: v3::types::DiscoveredCommand = command.convert();
                l.call_in(cwd, |i, store| i.revenant_plugin_discover().call_discover(store, &old))?.convert()
            }
            Versions::V4(l) => {
                let old: v4::types::DiscoveredCommand = command.convert();
                l.call_in(cwd, |i, store| i.revenant_plugin_discover().call_discover(store, &old))?.convert()
            }
            Versions::V5(l) => {
                let old: v5::types::DiscoveredCommand = command.convert();
                l.call_in(cwd, |i, store| i.revenant_plugin_discover().call_discover(store, &old))?.convert()
            }
            Versions::V6(l) => l.call_in(cwd, |i, store| i.revenant_plugin_discover().call_discover(store, command))?,
        };
        if let types::DiscoveryDecision::Rewrite(rewrite) = &decision
            && rewrite.argv.first().is_none_or(|a| a.is_empty())
        {
            return Err(each!(&mut self.loaded, l => l.invalid_output("a rewrite with an empty command".into())));
        }
        Ok(decision)
    }

    /// One call with a made-up command, to know a new build works before it
    /// replaces the old one. Returns how long the call took.
    pub fn smoke(&mut self) -> Result<Duration, PluginError> {
        let started = Instant::now();
        let argv: Vec<String> = ["sleep", "1000"].map(String::from).to_vec();
        self.discover(&types::DiscoveredCommand {
            original_argv: argv.clone(),
            argv,
            cwd: None,
            pid: 0,
            pane_id: 0,
            shell: Some("/bin/sh".into()),
            env: Vec::new(),
        })?;
        Ok(started.elapsed())
    }
}

/// A session-manager UI plugin. It keeps state between calls; after a
/// failure the next call re-creates it and calls `init` again.
pub struct SessionManagerPlugin {
    loaded: UiVersions,
    configuration: Vec<(String, String)>,
}

impl SessionManagerPlugin {
    pub fn load(
        engine: &PluginEngine,
        source: &PluginSource,
        limits: PluginLimits,
        grants: Grants,
        control: Box<dyn SessionControl>,
        configuration: Vec<(String, String)>,
    ) -> Result<Self, PluginError> {
        let prepared = Prepared::new(engine, source, World::SessionManager)?;
        Ok(SessionManagerPlugin {
            loaded: load_versions!(engine, prepared, limits, grants, Some(control)),
            configuration,
        })
    }

    common_accessors!(loaded);

    fn ensure_initialised(&mut self) -> Result<(), PluginError> {
        let configuration = &self.configuration;
        each!(&mut self.loaded, l => {
            if l.ensure_instance(None)? {
                l.call(|i, store| i.revenant_plugin_ui().call_init(store, configuration))?;
            }
            Ok(())
        })
    }

    /// Delivers an event; true when the plugin wants to be re-rendered.
    pub fn update(&mut self, event: &types::Event) -> Result<bool, PluginError> {
        self.ensure_initialised()?;
        let local;
        // What came before 0.5.0 knows no other hosts: it would take
        // another host's session for one of this host.
        let event = if matches!(self.loaded, Versions::V5(_) | Versions::V6(_)) {
            event
        } else {
            local = this_host_only(event);
            &local
        };
        match &mut self.loaded {
            Versions::V1(l) => {
                let mid: v2::types::Event = via::<v3::types::Event, _>(event);
                let old = super::compat::v1::event(&mid, super::now_unix());
                l.call(|i, store| i.revenant_plugin_ui().call_update(store, &old))
            }
            Versions::V2(l) => {
                let old: v2::types::Event = via::<v3::types::Event, _>(event);
                l.call(|i, store| i.revenant_plugin_ui().call_update(store, &old))
            }
            Versions::V3(l) => {
                let old: v3::types::Event = event.convert();
                l.call(|i, store| i.revenant_plugin_ui().call_update(store, &old))
            }
            Versions::V4(l) => {
                let old: v4::types::Event = event.convert();
                l.call(|i, store| i.revenant_plugin_ui().call_update(store, &old))
            }
            Versions::V5(l) => {
                let old: v5::types::Event = event.convert();
                l.call(|i, store| i.revenant_plugin_ui().call_update(store, &old))
            }
            Versions::V6(l) => l.call(|i, store| i.revenant_plugin_ui().call_update(store, event)),
        }
    }

    /// Renders at most `rows` lines for a pane of `rows` × `cols`.
    pub fn render(&mut self, rows: u32, cols: u32) -> Result<Vec<String>, PluginError> {
        self.ensure_initialised()?;
        let mut lines =
            each!(&mut self.loaded, l => l.call(|i, store| i.revenant_plugin_ui().call_render(store, rows, cols)))?;
        lines.truncate(rows as usize);
        Ok(lines)
    }

    /// `init` and one `render`, to know a new build works before it
    /// replaces the old one. Returns how long they took.
    pub fn smoke(&mut self, rows: u32, cols: u32) -> Result<Duration, PluginError> {
        let started = Instant::now();
        self.render(rows, cols)?;
        Ok(started.elapsed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugins_before_hosts_are_shown_this_hosts_sessions_only() {
        let session = |name: &str, host: Option<&str>| types::SessionInfo {
            name: name.into(),
            state: types::SessionState::Live,
            created_unix: 0,
            saved_unix: None,
            tabs: Vec::new(),
            focused_tab: 0,
            panes: Vec::new(),
            pane_count: 0,
            connected_clients: 0,
            is_current: false,
            damaged: None,
            host: host.map(Into::into),
        };
        let list = types::Event::SessionList(vec![session("here", None), session("there", Some("devbox"))]);
        let types::Event::SessionList(seen) = this_host_only(&list) else { panic!() };
        assert_eq!(seen.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["here"]);
        assert_eq!(this_host_only(&types::Event::Timer(5)), types::Event::Timer(5));
    }

    /// The host's checks of what a serializer returns, on hostile text and
    /// names: an answer, never a panic or a hang. 1 000 000 cases with
    /// `REVENANT_SLOW=1`.
    #[test]
    fn checks_of_plugin_output_take_any_text_and_names() {
        let slow = std::env::var("REVENANT_SLOW").is_ok_and(|v| v == "1");
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            x.wrapping_mul(0x2545_f491_4f6c_dd1d)
        };
        let pieces = [
            "layout",
            " {",
            "}",
            "\n",
            "pane",
            " name=\"",
            "\"",
            "/",
            "..",
            ".",
            "\0",
            "\\",
            "#",
            "r#\"",
            "session-layout.kdl",
            "é",
            "中",
            "/-",
            "//",
            "\u{202e}",
            ";",
            "=",
            "1",
            " ",
        ];
        for i in 0..if slow { 1_000_000 } else { 20_000 } {
            let mut text = String::new();
            for _ in 0..next() % 24 {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            let started = std::time::Instant::now();
            let _ = check_layout(&text);
            let sidecars: Vec<types::Sidecar> = text
                .split(' ')
                .take(4)
                .map(|name| types::Sidecar { name: name.to_owned(), contents: String::new() })
                .collect();
            let _ = check_sidecars(&sidecars);
            assert!(started.elapsed() < std::time::Duration::from_secs(2), "case {i}: {text:?}");
        }
    }

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
