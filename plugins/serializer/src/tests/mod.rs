//! End-to-end tests: manifests in, layout text out, and that text parsed back
//! with the KDL v1 parser Zellij uses (kdl 4.x via kdl 6's `parse_v1`).

use kdl::{KdlDocument, KdlNode, KdlValue};
use revenant_plugin_api::Serializer;
use revenant_plugin_api::types::{
    Dimension, FloatingPane, Pane, PaneContents, PluginRef, SerializedSession, SessionManifest, Split, SplitDirection,
    Tab, TiledBody, TiledNode,
};

use crate::DefaultSerializer;

mod hostile_input;

// ---- builders ---------------------------------------------------------------

fn pane(id: u32) -> Pane {
    Pane {
        id,
        name: None,
        cwd: None,
        command: None,
        plugin: None,
        focused: false,
        start_suspended: false,
        contents: None,
        default_fg: None,
        default_bg: None,
        edit: None,
        expanded: false,
        env: Vec::new(),
        save_contents: true,
    }
}

/// A saved screen: `text` holds `scrollback_rows + viewport_rows` lines.
fn screen(text: &str, scrollback_rows: u32, viewport_rows: u32) -> PaneContents {
    PaneContents { text: text.into(), scrollback_rows, viewport_rows }
}

fn command_pane(id: u32, argv: &[&str]) -> Pane {
    Pane { command: Some(argv.iter().map(|s| s.to_string()).collect()), ..pane(id) }
}

fn leaf(pane: Pane) -> TiledNode {
    TiledNode { size: None, borderless: false, body: TiledBody::Pane(pane) }
}

fn split(direction: SplitDirection, children: &[u32]) -> TiledNode {
    TiledNode {
        size: None,
        borderless: false,
        body: TiledBody::Split(Split { direction, children: children.to_vec(), stacked: false }),
    }
}

fn sized(size: Dimension, node: TiledNode) -> TiledNode {
    TiledNode { size: Some(size), ..node }
}

fn tab(name: &str, position: u32, tiled: Vec<TiledNode>) -> Tab {
    Tab { name: name.to_string(), position, focused: false, hide_floating_panes: false, tiled, floating: Vec::new() }
}

fn floating(x: Dimension, y: Dimension, width: Dimension, height: Dimension, pane: Pane) -> FloatingPane {
    FloatingPane { x, y, width, height, pinned: false, pane }
}

fn manifest(cwd: Option<&str>, tabs: Vec<Tab>) -> SessionManifest {
    SessionManifest { name: "test".to_string(), cwd: cwd.map(str::to_string), tabs, swap_layouts: Vec::new() }
}

fn serialize(manifest: SessionManifest) -> SerializedSession {
    DefaultSerializer::serialize(manifest).unwrap_or_else(|e| panic!("serialize failed: {e}"))
}

fn layout_of(manifest: SessionManifest) -> String {
    serialize(manifest).layout
}

fn serialize_err(manifest: SessionManifest) -> String {
    match DefaultSerializer::serialize(manifest) {
        Ok(session) => panic!("expected an error, got:\n{}", session.layout),
        Err(e) => e,
    }
}

// ---- parsed-document helpers ------------------------------------------------

fn parse(text: &str) -> KdlDocument {
    KdlDocument::parse_v1(text).unwrap_or_else(|e| panic!("not valid KDL v1: {e:?}\n{text}"))
}

fn children(node: &KdlNode) -> &[KdlNode] {
    node.children().map(KdlDocument::nodes).unwrap_or(&[])
}

fn child<'a>(node: &'a KdlNode, name: &str) -> &'a KdlNode {
    children(node).iter().find(|n| n.name().value() == name).unwrap_or_else(|| panic!("no child {name:?} in {node}"))
}

fn named<'a>(node: &'a KdlNode, name: &str) -> Vec<&'a KdlNode> {
    children(node).iter().filter(|n| n.name().value() == name).collect()
}

fn string_prop<'a>(node: &'a KdlNode, key: &str) -> Option<&'a str> {
    node.get(key).map(|v| v.as_string().unwrap_or_else(|| panic!("{key} is not a string: {v:?}")))
}

fn args(node: &KdlNode) -> Vec<&KdlValue> {
    node.entries().iter().filter(|e| e.name().is_none()).map(|e| e.value()).collect()
}

fn string_args(node: &KdlNode) -> Vec<&str> {
    args(node).into_iter().map(|v| v.as_string().expect("string argument")).collect()
}

fn root(doc: &KdlDocument) -> &KdlNode {
    assert_eq!(doc.nodes().len(), 1, "exactly one top-level node");
    let layout = &doc.nodes()[0];
    assert_eq!(layout.name().value(), "layout");
    layout
}

// ---- shape ------------------------------------------------------------------

/// Saved variables go in front of the command through `env`, which Zellij
/// runs too; a pane that must not save its screen says so.
#[test]
fn a_commands_variables_are_written_through_env_and_save_contents_false_is_kept() {
    let mut py = command_pane(1, &["python3", "-q"]);
    py.start_suspended = true;
    py.env = vec![("VIRTUAL_ENV".into(), "/p/.venv".into()), ("CONDA_X".into(), "a b".into())];
    let mut private = pane(2);
    private.save_contents = false;
    let t = tab("t", 0, vec![split(SplitDirection::Vertical, &[1, 2]), leaf(py), leaf(private)]);
    let session = serialize(manifest(None, vec![t]));
    assert!(
        session.layout.contains(
            "pane command=\"env\" {\n                args \"VIRTUAL_ENV=/p/.venv\" \"CONDA_X=a b\" \"python3\" \"-q\"\n"
        ),
        "{}",
        session.layout
    );
    assert!(session.layout.contains("pane save_contents=false\n"), "{}", session.layout);
    // A shell pane has no command to give variables to.
    let mut shell = pane(3);
    shell.env = vec![("VIRTUAL_ENV".into(), "/p".into())];
    let session = serialize(manifest(None, vec![tab("t", 0, vec![leaf(shell)])]));
    assert!(!session.layout.contains("env"), "{}", session.layout);
}

/// The example from the design notes, byte for byte.
#[test]
fn writes_the_reference_layout() {
    let mut cargo = command_pane(1, &["cargo", "watch", "-x", "test"]);
    cargo.cwd = Some("/home/u/project/src".into());
    cargo.focused = true;
    cargo.start_suspended = true;
    let mut logs = pane(2);
    logs.cwd = Some("/tmp".into());
    logs.name = Some("logs".into());
    let mut htop = command_pane(3, &["htop"]);
    htop.start_suspended = true;

    let mut t = tab(
        "Tab #1",
        0,
        vec![
            split(SplitDirection::Vertical, &[1, 2]),
            sized(Dimension::Percent(50), leaf(cargo)),
            sized(Dimension::Percent(50), leaf(logs)),
        ],
    );
    t.focused = true;
    t.hide_floating_panes = true;
    t.floating =
        vec![floating(Dimension::Fixed(1), Dimension::Fixed(2), Dimension::Fixed(30), Dimension::Percent(50), htop)];

    let session = serialize(manifest(Some("/home/u/project"), vec![t]));
    let expected = r#"layout {
    cwd "/home/u/project"
    tab name="Tab #1" focus=true hide_floating_panes=true {
        pane split_direction="vertical" {
            pane size="50%" cwd="src" command="cargo" focus=true {
                args "watch" "-x" "test"
                start_suspended true
            }
            pane size="50%" cwd="/tmp" name="logs"
        }
        floating_panes {
            pane command="htop" {
                start_suspended true
                x 1
                y 2
                width 30
                height "50%"
            }
        }
    }
}
"#;
    assert_eq!(session.layout, expected);
    assert!(session.sidecars.is_empty());
    parse(&session.layout);
}

#[test]
fn a_single_pane_tab_without_cwd() {
    let layout = layout_of(manifest(None, vec![tab("main", 0, vec![leaf(pane(1))])]));
    assert_eq!(layout, "layout {\n    tab name=\"main\" {\n        pane\n    }\n}\n");
    parse(&layout);
}

#[test]
fn nested_splits_three_deep_with_fixed_and_percent_sizes() {
    // vertical [ A(20 cells), horizontal(70%) [ B(30%), vertical [ C, D(10 cells, borderless) ] ] ]
    let mut d = sized(Dimension::Fixed(10), leaf(command_pane(4, &["top"])));
    d.borderless = true;
    let tiled = vec![
        split(SplitDirection::Vertical, &[1, 2]),
        sized(Dimension::Fixed(20), leaf(pane(1))),
        sized(Dimension::Percent(70), split(SplitDirection::Horizontal, &[3, 4])),
        sized(Dimension::Percent(30), leaf(pane(2))),
        split(SplitDirection::Vertical, &[5, 6]),
        leaf(pane(3)),
        d,
    ];
    let layout = layout_of(manifest(None, vec![tab("t", 0, tiled)]));
    let expected = r#"layout {
    tab name="t" {
        pane split_direction="vertical" {
            pane size=20
            pane size="70%" split_direction="horizontal" {
                pane size="30%"
                pane split_direction="vertical" {
                    pane
                    pane size=10 borderless=true command="top"
                }
            }
        }
    }
}
"#;
    assert_eq!(layout, expected);

    let doc = parse(&layout);
    let outer = child(child(root(&doc), "tab"), "pane");
    let inner = &named(outer, "pane")[1];
    assert_eq!(inner.get("size").and_then(KdlValue::as_string), Some("70%"));
    let innermost = &named(inner, "pane")[1];
    assert_eq!(string_prop(innermost, "split_direction"), Some("vertical"));
    let last = &named(innermost, "pane")[1];
    assert_eq!(last.get("size").and_then(KdlValue::as_integer), Some(10));
    assert_eq!(last.get("borderless").and_then(KdlValue::as_bool), Some(true));
}

#[test]
fn the_root_size_is_not_written_but_its_border_is() {
    let mut root_node = sized(Dimension::Percent(100), leaf(pane(1)));
    root_node.borderless = true;
    let layout = layout_of(manifest(None, vec![tab("t", 0, vec![root_node])]));
    assert!(layout.contains("        pane borderless=true\n"), "{layout}");
    assert!(!layout.contains("size"), "{layout}");
}

#[test]
fn command_details() {
    let mut suspended_shell = pane(1);
    suspended_shell.start_suspended = true; // no command: nothing to suspend
    let single = command_pane(2, &["htop"]);
    let empty_argv = command_pane(3, &[]);
    let tiled =
        vec![split(SplitDirection::Horizontal, &[1, 2, 3]), leaf(suspended_shell), leaf(single), leaf(empty_argv)];
    let layout = layout_of(manifest(None, vec![tab("t", 0, tiled)]));
    let expected = r#"layout {
    tab name="t" {
        pane split_direction="horizontal" {
            pane
            pane command="htop"
            pane
        }
    }
}
"#;
    assert_eq!(layout, expected);
}

#[test]
fn plugin_panes_with_and_without_configuration() {
    let mut tab_bar = pane(1);
    tab_bar.plugin = Some(PluginRef { location: "zellij:tab-bar".into(), configuration: vec![] });
    let mut manager = pane(2);
    manager.focused = true;
    manager.name = Some("sessions".into());
    // A plugin pane never gets a command, cwd or sidecar, even if the host sends them.
    manager.command = Some(vec!["ignored".into()]);
    manager.cwd = Some("/ignored".into());
    manager.contents = Some(screen("x", 0, 1));
    manager.start_suspended = true;
    manager.plugin = Some(PluginRef {
        location: "revenant:session-manager".into(),
        configuration: vec![
            ("key".into(), "value".into()),
            ("odd key=\"x\"".into(), "v\n2".into()),
            ("key".into(), "again".into()),
        ],
    });
    let mut bar = sized(Dimension::Fixed(1), leaf(tab_bar));
    bar.borderless = true;
    let tiled = vec![split(SplitDirection::Horizontal, &[1, 2]), bar, leaf(manager)];

    let session = serialize(manifest(None, vec![tab("t", 0, tiled)]));
    let expected = r#"layout {
    tab name="t" {
        pane split_direction="horizontal" {
            pane size=1 borderless=true {
                plugin location="zellij:tab-bar"
            }
            pane name="sessions" focus=true {
                plugin location="revenant:session-manager" {
                    key "value"
                    "odd key=\"x\"" "v\n2"
                    key "again"
                }
            }
        }
    }
}
"#;
    assert_eq!(session.layout, expected);
    assert!(session.sidecars.is_empty());

    let doc = parse(&session.layout);
    let panes = named(child(child(root(&doc), "tab"), "pane"), "pane");
    let plugin = child(panes[1], "plugin");
    assert_eq!(string_prop(plugin, "location"), Some("revenant:session-manager"));
    let config: Vec<(&str, Vec<&str>)> = children(plugin).iter().map(|n| (n.name().value(), string_args(n))).collect();
    assert_eq!(config, vec![("key", vec!["value"]), ("odd key=\"x\"", vec!["v\n2"]), ("key", vec!["again"])]);
}

#[test]
fn floating_panes_with_both_dimension_kinds() {
    let mut pinned =
        floating(Dimension::Percent(10), Dimension::Percent(0), Dimension::Percent(100), Dimension::Fixed(12), pane(2));
    pinned.pinned = true;
    let mut plugin = pane(3);
    plugin.plugin = Some(PluginRef { location: "file:/p.wasm".into(), configuration: vec![] });
    let mut t = tab("t", 0, vec![leaf(pane(1))]);
    t.floating = vec![
        pinned,
        floating(Dimension::Fixed(0), Dimension::Fixed(5), Dimension::Fixed(80), Dimension::Percent(33), plugin),
    ];
    let layout = layout_of(manifest(None, vec![t]));
    let expected = r#"layout {
    tab name="t" {
        pane
        floating_panes {
            pane {
                x "10%"
                y "0%"
                width "100%"
                height 12
                pinned true
            }
            pane {
                plugin location="file:/p.wasm"
                x 0
                y 5
                width 80
                height "33%"
            }
        }
    }
}
"#;
    assert_eq!(layout, expected);

    let doc = parse(&layout);
    let floats = named(child(child(root(&doc), "tab"), "floating_panes"), "pane");
    assert_eq!(floats.len(), 2);
    let value = |node: &KdlNode, name: &str| args(child(node, name))[0].clone();
    assert_eq!(value(floats[0], "x"), KdlValue::String("10%".into()));
    assert_eq!(value(floats[0], "height"), KdlValue::Integer(12));
    assert_eq!(value(floats[0], "pinned"), KdlValue::Bool(true));
    assert_eq!(value(floats[1], "width"), KdlValue::Integer(80));
    assert_eq!(value(floats[1], "height"), KdlValue::String("33%".into()));
    assert!(named(floats[1], "pinned").is_empty());
}

#[test]
fn tabs_are_sorted_and_only_one_is_focused() {
    let mut second = tab("second", 1, vec![leaf(pane(2))]);
    second.focused = true;
    second.hide_floating_panes = true;
    let mut third = tab("third", 2, vec![leaf(pane(3))]);
    third.focused = true; // a second focused tab: the first in tab-bar order wins
    let first = tab("first", 0, vec![leaf(pane(1))]);
    let layout = layout_of(manifest(None, vec![third, first, second]));
    let tab_lines: Vec<&str> = layout.lines().filter(|l| l.trim_start().starts_with("tab ")).collect();
    assert_eq!(
        tab_lines,
        vec![
            r#"    tab name="first" {"#,
            r#"    tab name="second" focus=true hide_floating_panes=true {"#,
            r#"    tab name="third" {"#,
        ]
    );

    let doc = parse(&layout);
    let tabs = named(root(&doc), "tab");
    let focus: Vec<Option<bool>> = tabs.iter().map(|t| t.get("focus").and_then(KdlValue::as_bool)).collect();
    assert_eq!(focus, vec![None, Some(true), None]);
    assert!(!layout.contains("floating_panes {"), "no floating panes, no block:\n{layout}");
}

#[test]
fn pane_cwds_relative_to_the_layout_cwd() {
    let cwds = [
        "/home/u/proj/src",   // inside: relative
        "/home/u/proj",       // the layout cwd: omitted
        "/etc",               // outside: absolute
        "/home/u/proj2",      // a string prefix only: absolute
        "/home/u/proj/a b/c", // inside, with a space
    ];
    let mut tiled = vec![split(SplitDirection::Vertical, &[1, 2, 3, 4, 5])];
    for (i, cwd) in cwds.iter().enumerate() {
        tiled.push(leaf(Pane { cwd: Some(cwd.to_string()), ..pane(i as u32) }));
    }
    let layout = layout_of(manifest(Some("/home/u/proj"), vec![tab("t", 0, tiled)]));
    let doc = parse(&layout);
    let layout_node = root(&doc);
    assert_eq!(string_args(child(layout_node, "cwd")), vec!["/home/u/proj"]);
    let written: Vec<Option<&str>> =
        named(child(child(layout_node, "tab"), "pane"), "pane").into_iter().map(|p| string_prop(p, "cwd")).collect();
    assert_eq!(written, vec![Some("src"), None, Some("/etc"), Some("/home/u/proj2"), Some("a b/c")]);
}

#[test]
fn without_a_layout_cwd_pane_cwds_stay_absolute() {
    for cwd in [None, Some("")] {
        let p = Pane { cwd: Some("/home/u/proj/src".into()), ..pane(1) };
        let layout = layout_of(manifest(cwd, vec![tab("t", 0, vec![leaf(p)])]));
        assert!(!layout.contains("\n    cwd "), "{layout}");
        assert!(layout.contains(r#"pane cwd="/home/u/proj/src""#), "{layout}");
    }
}

#[test]
fn contents_become_sidecars() {
    let mut with_contents = command_pane(7, &["vim"]);
    with_contents.contents =
        Some(screen("old 1\n\u{1b}[31mold 2\u{1b}[0m\n$ ls\n\n\u{1b}[1mbold\u{1b}[m 日本語", 2, 3));
    let mut viewport_only = pane(9);
    viewport_only.contents = Some(screen("only", 0, 1));
    let mut empty = pane(11);
    empty.contents = Some(screen("", 0, 0));
    let tiled = vec![
        split(SplitDirection::Vertical, &[1, 2, 3, 4]),
        leaf(with_contents),
        leaf(pane(8)),
        leaf(viewport_only),
        leaf(empty),
    ];
    let session = serialize(manifest(None, vec![tab("t", 0, tiled)]));

    let sidecars: Vec<(&str, &str)> = session.sidecars.iter().map(|s| (s.name.as_str(), s.contents.as_str())).collect();
    assert_eq!(
        sidecars,
        vec![
            ("initial_contents_7", "old 1\n\u{1b}[31mold 2\u{1b}[0m\n$ ls\n\n\u{1b}[1mbold\u{1b}[m 日本語"),
            ("initial_contents_9", "only"),
            ("initial_contents_11", ""),
        ]
    );
    assert!(session.layout.contains(r#"pane command="vim" contents_file="initial_contents_7""#), "{}", session.layout);
    let doc = parse(&session.layout);
    let files: Vec<Option<&str>> = named(child(child(root(&doc), "tab"), "pane"), "pane")
        .into_iter()
        .map(|p| string_prop(p, "contents_file"))
        .collect();
    assert_eq!(files, vec![Some("initial_contents_7"), None, Some("initial_contents_9"), Some("initial_contents_11")]);
}

#[test]
fn floating_pane_contents_become_sidecars_too() {
    let mut p = pane(5);
    p.contents = Some(screen("a\nb", 1, 1));
    let mut t = tab("t", 0, vec![leaf(pane(1))]);
    let f = Dimension::Fixed(1);
    t.floating = vec![floating(f, f, f, f, p)];
    let session = serialize(manifest(None, vec![t]));
    assert_eq!(session.sidecars.len(), 1);
    assert_eq!(session.sidecars[0].name, "initial_contents_5");
    assert_eq!(session.sidecars[0].contents, "a\nb");
    assert!(session.layout.contains("pane contents_file=\"initial_contents_5\" {\n"), "{}", session.layout);
}

// ---- awkward strings --------------------------------------------------------

#[test]
fn stacks_colours_editors_and_swap_layouts_are_written_back() {
    let mut a = pane(1);
    a.default_fg = Some("#00e000".into());
    a.default_bg = Some("red".into());
    let mut b = command_pane(2, &["nvim", "+7", "notes.md"]);
    b.expanded = true;
    b.start_suspended = true;
    let c = command_pane(3, &["vim", "-S", "Session.vim"]);
    let mut stack = split(SplitDirection::Horizontal, &[1, 2, 3]);
    if let TiledBody::Split(s) = &mut stack.body {
        s.stacked = true;
    }
    let tiled = vec![stack, leaf(a), leaf(b), leaf(c)];
    let mut m = manifest(None, vec![tab("t", 0, tiled)]);
    let swap = "swap_tiled_layout name=\"wide\" {\n        tab max_panes=3 {\n            pane split_direction=\"vertical\"\n        }\n    }";
    m.swap_layouts = vec![swap.to_string()];
    let text = layout_of(m);
    let doc = parse(&text);
    let layout = root(&doc);
    let t = child(layout, "tab");
    let stack = child(t, "pane");
    assert_eq!(stack.get("stacked").and_then(KdlValue::as_bool), Some(true), "{text}");
    let panes = named(stack, "pane");
    assert_eq!(string_prop(panes[0], "default_fg"), Some("#00e000"));
    assert_eq!(string_prop(panes[0], "default_bg"), Some("red"));
    // An editor on one file becomes an `edit` pane that runs at once.
    assert_eq!(string_prop(panes[1], "edit"), Some("notes.md"), "{text}");
    assert_eq!(panes[1].get("command"), None);
    assert_eq!(panes[1].get("expanded").and_then(KdlValue::as_bool), Some(true));
    assert!(panes[1].children().is_none(), "no start_suspended, no args: {text}");
    // One with options stays a command, behind ENTER.
    assert_eq!(string_prop(panes[2], "command"), Some("vim"));
    // The swap layout is copied whole, inside `layout`.
    let swaps = named(layout, "swap_tiled_layout");
    assert_eq!(swaps.len(), 1, "{text}");
    assert_eq!(string_prop(swaps[0], "name"), Some("wide"));
    assert_eq!(child(swaps[0], "tab").get("max_panes").and_then(KdlValue::as_integer), Some(3));
    assert!(text.contains("    swap_tiled_layout name=\"wide\" {\n        tab max_panes=3 {\n"), "{text}");
}

#[test]
fn a_pane_opened_to_edit_a_file_stays_an_edit_pane_whatever_its_process() {
    let mut p = command_pane(1, &["/bin/sh", "/usr/local/bin/my-editor", "notes.txt"]);
    p.edit = Some("notes.txt".into());
    p.start_suspended = true;
    let text = layout_of(manifest(None, vec![tab("t", 0, vec![leaf(p)])]));
    assert!(text.contains("pane edit=\"notes.txt\"\n"), "{text}");
    assert!(!text.contains("command") && !text.contains("start_suspended"), "{text}");
}
