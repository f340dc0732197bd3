//! Plugins built against every contract this host has released load and
//! serve beside current ones; a contract the host does not know is
//! refused, naming both versions.

mod common;

use std::path::PathBuf;

use revenant::plugin::types::*;
use revenant::plugin::{
    self, CommandDiscoveryPlugin, Contract, Grants, PluginEngine, PluginLimits, PluginSource, SerializerPlugin, World,
    builtin,
};

fn engine() -> PluginEngine {
    common::plugin_engine()
}

fn fixture(name: &str) -> PluginSource {
    PluginSource::File(common::fixture(name))
}

#[test]
fn components_of_every_earlier_contract_still_load_beside_current_ones() {
    // Built against wit/released/0.1.0 before 0.2.0 existed.
    let limits = PluginLimits::for_world(World::CommandDiscovery);
    let mut old = CommandDiscoveryPlugin::load(
        &engine(),
        &fixture("contract-0.1.0/unwrapping-discovery.wasm"),
        limits,
        Grants::none(),
    )
    .unwrap();
    let mut new =
        CommandDiscoveryPlugin::load(&engine(), &fixture("unwrapping-discovery.wasm"), limits, Grants::none()).unwrap();
    assert_eq!((old.contract(), new.contract()), (Contract::V0_1, Contract::V0_6));
    let argv: Vec<String> = ["timeout", "100", "sleep", "5"].map(String::from).to_vec();
    let question = DiscoveredCommand {
        argv: argv.clone(),
        original_argv: argv,
        cwd: None,
        pid: 1,
        pane_id: 1,
        shell: None,
        env: Vec::new(),
    };
    for plugin in [&mut old, &mut new] {
        match plugin.discover(&question).unwrap() {
            DiscoveryDecision::Rewrite(r) => assert_eq!(r.argv, ["sleep", "5"], "{:?}", plugin.contract()),
            other => panic!("{other:?}"),
        }
    }
    let mut serializer = SerializerPlugin::load(
        &engine(),
        &fixture("contract-0.1.0/serializer.wasm"),
        PluginLimits::for_world(World::Serializer),
        Grants::none(),
    )
    .unwrap();
    assert_eq!(serializer.contract(), Contract::V0_1);
    let out = serializer.serialize(&plugin::sample_manifest()).unwrap();
    assert!(out.layout.contains("command=\"sleep\""), "{}", out.layout);

    // 0.2.0 builds (the default plugins as they were): the manifest reaches
    // them without what 0.3.0 added, and their answers come back.
    let load = |name: &str, world: World| {
        (fixture(&format!("contract-0.2.0/{name}.wasm")), PluginLimits::for_world(world), Grants::none())
    };
    let (source, limits, grants) = load("serializer", World::Serializer);
    let mut serializer = SerializerPlugin::load(&engine(), &source, limits, grants).unwrap();
    assert_eq!(serializer.contract(), Contract::V0_2);
    let mut m = plugin::sample_manifest();
    m.swap_layouts = vec!["swap_tiled_layout { }".into()];
    let out = serializer.serialize(&m).unwrap();
    assert!(out.layout.contains("command=\"sleep\"") && !out.layout.contains("swap"), "{}", out.layout);
    let (source, limits, grants) = load("command-discovery", World::CommandDiscovery);
    let mut discovery = CommandDiscoveryPlugin::load(&engine(), &source, limits, grants).unwrap();
    assert_eq!(discovery.contract(), Contract::V0_2);
    assert!(matches!(discovery.discover(&question).unwrap(), DiscoveryDecision::Keep | DiscoveryDecision::Rewrite(_)));

    // 0.3.0 builds take a pane's screen as a string per line: what they
    // write must be the same file a 0.4.0, 0.5.0 or 0.6.0 build writes
    // from one text.
    let text = "old 1\n\x1b[31mold 2\x1b[0m\n$ ls\n\n日本語";
    let mut m = plugin::sample_manifest();
    for node in &mut m.tabs[0].tiled {
        if let TiledBody::Pane(p) = &mut node.body {
            p.contents = Some(PaneContents { text: text.into(), scrollback_rows: 2, viewport_rows: 3 });
        }
    }
    let serializers = [
        fixture("contract-0.5.0/serializer.wasm"),
        fixture("contract-0.4.0/serializer.wasm"),
        fixture("contract-0.3.0/serializer.wasm"),
        fixture("contract-0.2.0/serializer.wasm"),
        builtin("serializer").unwrap(),
    ];
    for source in serializers {
        let mut serializer =
            SerializerPlugin::load(&engine(), &source, PluginLimits::for_world(World::Serializer), Grants::none())
                .unwrap();
        let out = serializer.serialize(&m).unwrap();
        let files: Vec<&str> = out.sidecars.iter().map(|s| s.contents.as_str()).collect();
        assert!(!files.is_empty() && files.iter().all(|f| *f == text), "{:?}: {files:?}", serializer.contract());
    }
    let mut discovery = CommandDiscoveryPlugin::load(
        &engine(),
        &fixture("contract-0.3.0/command-discovery.wasm"),
        PluginLimits::for_world(World::CommandDiscovery),
        Grants::none(),
    )
    .unwrap();
    assert_eq!(discovery.contract(), Contract::V0_3);
    assert!(matches!(discovery.discover(&question).unwrap(), DiscoveryDecision::Keep | DiscoveryDecision::Rewrite(_)));

    // A 0.5.0 build is asked without the variables 0.6.0 added, and its
    // answer keeps them (see `compat::v5`).
    let mut discovery = CommandDiscoveryPlugin::load(
        &engine(),
        &fixture("contract-0.5.0/command-discovery.wasm"),
        PluginLimits::for_world(World::CommandDiscovery),
        Grants::none(),
    )
    .unwrap();
    assert_eq!(discovery.contract(), Contract::V0_5);
    let with_env = DiscoveredCommand { env: vec![("VIRTUAL_ENV".into(), "/v".into())], ..question.clone() };
    assert!(matches!(discovery.discover(&with_env).unwrap(), DiscoveryDecision::Keep));
}

/// `bytes` with every `revenant:plugin/NAME@0.1.0` name changed to `@0.9.0`
/// (same length, so the binary stays well formed).
fn as_version_0_9(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let prefix = b"revenant:plugin/";
    let mut i = 0;
    while let Some(at) = out[i..].windows(prefix.len()).position(|w| w == prefix) {
        let start = i + at + prefix.len();
        let end = (start..out.len().min(start + 40)).find(|&k| out[k] == b'@').unwrap_or(start);
        if out[end..].starts_with(b"@0.1.0") {
            out[end + 3] = b'9';
        }
        i = start;
    }
    out
}

#[test]
fn a_component_for_a_contract_the_host_does_not_know_is_refused_naming_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let old = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/wasm/contract-0.1.0/unwrapping-discovery.wasm"),
    )
    .unwrap();
    let path = dir.path().join("future.wasm");
    std::fs::write(&path, as_version_0_9(&old)).unwrap();
    let source = PluginSource::File(path);
    let err = CommandDiscoveryPlugin::load(
        &engine(),
        &source,
        PluginLimits::for_world(World::CommandDiscovery),
        Grants::none(),
    )
    .err()
    .expect("0.9.0 is refused");
    let text = err.to_string();
    assert!(text.contains("revenant:plugin@0.9.0"), "names the plugin's version: {text}");
    assert!(text.contains("0.1.0, 0.2.0, 0.3.0, 0.4.0, 0.5.0 and 0.6.0"), "names the host's versions: {text}");
    let err = plugin::check(&engine(), &source).unwrap_err().to_string();
    assert!(err.contains("revenant:plugin@0.9.0") && err.contains("0.6.0"), "{err}");
}
