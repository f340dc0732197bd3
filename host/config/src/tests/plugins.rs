use super::{assert_error, parse};
use crate::{ErrorKind, PluginEntry, Plugins};

#[test]
fn defaults_are_the_built_in_plugins() {
    let p = Plugins::default();
    assert_eq!(p.serializer.location, "revenant:serializer");
    assert_eq!(p.command_discovery, [PluginEntry::builtin("command-discovery")]);
    assert_eq!(p.session_manager.location, "revenant:session-manager");
    assert_eq!(p.serializer, PluginEntry::builtin("serializer"));
    assert_eq!((p.serializer.deadline_ms, p.serializer.memory_mb), (None, None));
}

#[test]
fn a_plugins_block_is_read_back() {
    let p = parse(
        r#"plugins {
            serializer location="file:/path/ser.wasm" deadline_ms=2000 memory_mb=64
            command-discovery location="revenant:command-discovery"
            session-manager location="zellij:session-manager" deadline_ms=100 {
                some_config_key "value"
                rows 3
                dark true
            }
        }"#,
    )
    .plugins;
    assert_eq!(
        p.serializer,
        PluginEntry {
            location: "file:/path/ser.wasm".into(),
            deadline_ms: Some(2000),
            memory_mb: Some(64),
            startup_ms: None,
            configuration: vec![],
            grants: Default::default(),
        }
    );
    assert_eq!(p.command_discovery, [PluginEntry::builtin("command-discovery")]);
    assert_eq!(p.session_manager.location, "zellij:session-manager");
    assert_eq!(p.session_manager.deadline_ms, Some(100));
    assert_eq!(p.session_manager.memory_mb, None);
    assert_eq!(
        p.session_manager.configuration,
        [("some_config_key".into(), "value".into()), ("rows".into(), "3".into()), ("dark".into(), "true".into())]
    );
}

#[test]
fn limits_alone_keep_the_default_location() {
    let p = parse("plugins {\n  serializer deadline_ms=5000\n}").plugins;
    assert_eq!(p.serializer.location, "revenant:serializer");
    assert_eq!(p.serializer.deadline_ms, Some(5000));
}

#[test]
fn bad_locations_are_rejected_with_help() {
    let err = assert_error(
        "plugins {\n  serializer location=\"https://x/s.wasm\"\n}",
        ErrorKind::BadPlugin,
        2,
        14,
        "plugin location `https://x/s.wasm` must start with `revenant:`, `zellij:` or `file:`",
    );
    assert_eq!(
        err.help_text(),
        Some(
            "use `revenant:NAME` for a built-in plugin, `zellij:NAME` for a Zellij alias, or `file:/path/to/plugin.wasm`"
        )
    );
    let err = assert_error(
        "plugins {\n  serializer location=\"revenant:serialiser\"\n}",
        ErrorKind::BadPlugin,
        2,
        14,
        "no built-in plugin `revenant:serialiser`",
    );
    assert_eq!(err.help_text(), Some("did you mean `revenant:serializer`?"));
    assert_error(
        "plugins {\n  serializer location=\"file:\"\n}",
        ErrorKind::BadPlugin,
        2,
        14,
        "plugin location `file:` names nothing after `file:`",
    );
}

#[test]
fn bad_entries_are_rejected() {
    let err = assert_error(
        "plugins {\n  tab-bar location=\"zellij:tab-bar\"\n}",
        ErrorKind::BadPlugin,
        2,
        3,
        "unknown plugin role `tab-bar`",
    );
    assert!(err.help_text().unwrap().contains("`session-manager`"), "{:?}", err.help_text());
    let err = assert_error(
        "plugins {\n  command_discovery location=\"revenant:command-discovery\"\n}",
        ErrorKind::BadPlugin,
        2,
        3,
        "unknown plugin role `command_discovery`",
    );
    assert_eq!(err.help_text(), Some("did you mean `command-discovery`?"));
    assert_error(
        "plugins {\n  serializer \"revenant:serializer\"\n}",
        ErrorKind::BadPlugin,
        2,
        14,
        "plugin `serializer` takes `name=value` properties, not values",
    );
    let err = assert_error(
        "plugins {\n  serializer deadline=5\n}",
        ErrorKind::UnexpectedProperty,
        2,
        14,
        "`serializer` has no property `deadline`",
    );
    assert_eq!(err.help_text(), Some("did you mean `deadline_ms`?"));
    assert_error(
        "plugins {\n  serializer deadline_ms=0\n}",
        ErrorKind::InvalidValue,
        2,
        14,
        "`deadline_ms` must be at least 1, found 0",
    );
    assert_error(
        "plugins {\n  serializer memory_mb=\"64\"\n}",
        ErrorKind::WrongType,
        2,
        14,
        "`memory_mb`: expected a positive integer, found string \"64\"",
    );
    assert_error(
        "plugins {\n  serializer\n  serializer\n}",
        ErrorKind::Duplicate,
        3,
        3,
        "plugin `serializer` is configured twice",
    );
    assert_error(
        "plugins {\n  serializer { key \"a\"; key \"b\"; }\n}",
        ErrorKind::Duplicate,
        2,
        25,
        "plugin setting `key` is given twice",
    );
    assert_error(
        "plugins {\n  serializer { key; }\n}",
        ErrorKind::MissingValue,
        2,
        16,
        "`key` needs a value: a string, number or boolean",
    );
}

fn chain(text: &str) -> Vec<String> {
    parse(text).plugins.command_discovery.into_iter().map(|e| e.location).collect()
}

#[test]
fn the_discovery_chain_keeps_the_built_in_last_unless_placed_or_disabled() {
    assert_eq!(
        chain(
            "plugins {\n  command-discovery location=\"file:/a.wasm\"\n  command-discovery location=\"file:/b.wasm\"\n}"
        ),
        ["file:/a.wasm", "file:/b.wasm", "revenant:command-discovery"]
    );
    assert_eq!(
        chain("plugins {\n  command-discovery \"file:/a.wasm\" \"file:/b.wasm\"\n}"),
        ["file:/a.wasm", "file:/b.wasm", "revenant:command-discovery"]
    );
    assert_eq!(
        chain(
            "plugins {\n  command-discovery location=\"revenant:command-discovery\"\n  command-discovery location=\"file:/a.wasm\"\n}"
        ),
        ["revenant:command-discovery", "file:/a.wasm"]
    );
    assert_eq!(
        chain(
            "plugins {\n  command-discovery location=\"file:/a.wasm\"\n  command-discovery location=\"revenant:command-discovery\" enabled=false\n}"
        ),
        ["file:/a.wasm"]
    );
    // Limits alone tune the built-in, in its place.
    let p = parse("plugins {\n  command-discovery deadline_ms=500\n}").plugins;
    assert_eq!(p.command_discovery.len(), 1);
    assert_eq!(p.command_discovery[0].deadline_ms, Some(500));
}

#[test]
fn listed_plugins_share_the_node_s_limits_and_grants() {
    let p = parse(
        "plugins {\n  command-discovery \"file:/a.wasm\" \"file:/b.wasm\" memory_mb=128 {\n    grants { cwd; env \"HOME\" \"VIRTUAL_ENV\"; }\n    mode \"strict\"\n  }\n}",
    )
    .plugins;
    for e in &p.command_discovery[..2] {
        assert_eq!(e.memory_mb, Some(128));
        assert!(e.grants.cwd);
        assert_eq!(e.grants.env, ["HOME", "VIRTUAL_ENV"]);
        assert_eq!(e.configuration, [("mode".to_string(), "strict".to_string())]);
    }
    assert!(p.command_discovery[2].grants.env.is_empty(), "the built-in gets nothing");
}

#[test]
fn bad_chains_and_grants_are_rejected() {
    assert_error(
        "plugins {\n  command-discovery \"file:/a.wasm\"\n  command-discovery location=\"file:/a.wasm\"\n}",
        ErrorKind::Duplicate,
        3,
        21,
        "`file:/a.wasm` is in the command-discovery chain twice",
    );
    assert_error(
        "plugins {\n  command-discovery \"file:/a.wasm\" location=\"file:/b.wasm\"\n}",
        ErrorKind::BadPlugin,
        2,
        36,
        "give the plugins either as values or as one `location=`, not both",
    );
    assert_error(
        "plugins {\n  serializer enabled=false\n}",
        ErrorKind::BadPlugin,
        2,
        14,
        "`serializer` cannot be turned off",
    );
    assert_error(
        "plugins {\n  serializer {\n    grants { cwd; }\n  }\n}",
        ErrorKind::BadPlugin,
        3,
        14,
        "the `cwd` grant is for command-discovery plugins, not the serializer",
    );
    let err = assert_error(
        "plugins {\n  command-discovery location=\"file:/a.wasm\" {\n    grants { network; }\n  }\n}",
        ErrorKind::BadPlugin,
        3,
        14,
        "unknown grant `network`",
    );
    assert!(err.help_text().unwrap().contains("cwd"), "{:?}", err.help_text());
    assert_error(
        "plugins {\n  command-discovery location=\"file:/a.wasm\" {\n    grants { env; }\n  }\n}",
        ErrorKind::MissingValue,
        3,
        14,
        "`env` needs the names of the variables to pass",
    );
    assert_error(
        "plugins {\n  command-discovery location=\"file:/a.wasm\" {\n    grants { env \"A=1\"; }\n  }\n}",
        ErrorKind::WrongType,
        3,
        18,
        "`env`: expected a variable name (without `=`), found string \"A=1\"",
    );
}
