use super::{assert_error, parse};
use crate::{ErrorKind, PluginEntry, Plugins};

#[test]
fn defaults_are_the_built_in_plugins() {
    let p = Plugins::default();
    assert_eq!(p.serializer.location, "revenant:serializer");
    assert_eq!(p.command_discovery.location, "revenant:command-discovery");
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
            configuration: vec![],
        }
    );
    assert_eq!(p.command_discovery, PluginEntry::builtin("command-discovery"));
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
        "unknown plugin slot `tab-bar`",
    );
    assert!(err.help_text().unwrap().contains("`session-manager`"), "{:?}", err.help_text());
    let err = assert_error(
        "plugins {\n  command_discovery location=\"revenant:command-discovery\"\n}",
        ErrorKind::BadPlugin,
        2,
        3,
        "unknown plugin slot `command_discovery`",
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
