//! Input a serializer must survive: awkward strings, malformed trees
//! (empty, cyclic, out of range, shared), very deep trees and random
//! manifests. Each is an error that names its cause, never a panic.

use super::*;

const AWKWARD: &[&str] = &[
    "",
    " ",
    "plain",
    "with \"quotes\"",
    "back\\slash\\",
    "\\\"",
    "日本語",
    "emoji 🦀👩‍👩‍👧",
    "line\nbreak\r\nand\ttab",
    "# not a comment",
    "// nor this /* or this */",
    "{braces}",
    "semi;colon",
    "key=value",
    "\u{1b}[1;32mgreen\u{1b}[0m",
    "\u{0}\u{1}\u{7}\u{8}\u{b}\u{c}\u{7f}\u{85}\u{9f}",
    "\u{2028}\u{2029}\u{feff}\u{202e}",
    "r#\"raw\"#",
    "true",
    "null",
    "-1",
    "$HOME ${x} `y`",
];

/// Every awkward string, in every place a string can go, parsed back equal.
#[test]
fn awkward_strings_round_trip_through_a_v1_parser() {
    for &s in AWKWARD {
        let mut p = command_pane(1, &[s, s, "--flag", s]);
        p.name = Some(s.to_string());
        p.cwd = Some(format!("/abs/{s}"));
        p.focused = true;
        let mut plugin = pane(2);
        plugin.name = Some(s.to_string());
        plugin.plugin = Some(PluginRef {
            location: s.to_string(),
            configuration: vec![(s.to_string(), s.to_string()), ("k".into(), s.to_string())],
        });
        let tiled = vec![split(SplitDirection::Vertical, &[1, 2]), leaf(p), leaf(plugin)];
        let m = manifest(Some(&format!("/base/{s}")), vec![tab(s, 0, tiled)]);

        let layout = layout_of(m);
        assert!(layout.ends_with("}\n"));
        let doc = parse(&layout);
        let layout_node = root(&doc);
        assert_eq!(string_args(child(layout_node, "cwd")), vec![format!("/base/{s}")], "{s:?}");
        let tab = child(layout_node, "tab");
        assert_eq!(string_prop(tab, "name"), Some(s), "{s:?}");

        let panes = named(child(tab, "pane"), "pane");
        assert_eq!(panes.len(), 2, "{s:?}");
        let cmd = panes[0];
        assert_eq!(string_prop(cmd, "name"), Some(s), "{s:?}");
        assert_eq!(string_prop(cmd, "cwd"), Some(format!("/abs/{s}").as_str()), "{s:?}");
        assert_eq!(string_prop(cmd, "command"), Some(s), "{s:?}");
        assert_eq!(string_args(child(cmd, "args")), vec![s, "--flag", s], "{s:?}");
        assert_eq!(cmd.get("focus").and_then(KdlValue::as_bool), Some(true), "{s:?}");

        let plugin_pane = panes[1];
        assert_eq!(string_prop(plugin_pane, "name"), Some(s), "{s:?}");
        let plugin = child(plugin_pane, "plugin");
        assert_eq!(string_prop(plugin, "location"), Some(s), "{s:?}");
        let config: Vec<(&str, Vec<&str>)> =
            children(plugin).iter().map(|n| (n.name().value(), string_args(n))).collect();
        assert_eq!(config, vec![(s, vec![s]), ("k", vec![s])], "{s:?}");
    }
}

#[test]
fn awkward_strings_never_leak_raw_control_characters() {
    for &s in AWKWARD {
        let p = Pane { name: Some(s.to_string()), ..command_pane(1, &["sh", s]) };
        let layout = layout_of(manifest(None, vec![tab(s, 0, vec![leaf(p)])]));
        let raw: Vec<char> = layout.chars().filter(|&c| c != '\n' && (c.is_control() || c == '\u{2028}')).collect();
        assert!(raw.is_empty(), "raw {raw:?} in layout for {s:?}:\n{layout}");
        // Every line is one node (or a closing brace), so the line count is fixed.
        assert_eq!(layout.lines().count(), 7, "{s:?}:\n{layout}");
    }
}

#[test]
fn awkward_cwds_relative_to_an_awkward_layout_cwd() {
    for &s in AWKWARD {
        let base = format!("/base/{s}");
        let p = Pane { cwd: Some(format!("{base}/sub \"{s}\"")), ..pane(1) };
        let layout = layout_of(manifest(Some(&base), vec![tab("t", 0, vec![leaf(p)])]));
        let doc = parse(&layout);
        let pane_node = child(child(root(&doc), "tab"), "pane");
        assert_eq!(string_prop(pane_node, "cwd"), Some(format!("sub \"{s}\"").as_str()), "{s:?}");
    }
}

// ---- malformed manifests ----------------------------------------------------

#[test]
fn an_empty_tiled_tree_is_an_error() {
    let e = serialize_err(manifest(None, vec![tab("broken", 0, vec![])]));
    assert!(e.contains("\"broken\"") && e.contains("empty"), "{e}");
}

#[test]
fn no_tabs_is_an_error() {
    let e = serialize_err(manifest(None, vec![]));
    assert!(e.contains("no tabs"), "{e}");
}

#[test]
fn an_out_of_range_child_is_an_error() {
    let tiled = vec![split(SplitDirection::Vertical, &[1, 5]), leaf(pane(1))];
    let e = serialize_err(manifest(None, vec![tab("t", 0, tiled)]));
    assert!(e.contains("child 5") && e.contains("only 2 nodes"), "{e}");
    let tiled = vec![split(SplitDirection::Vertical, &[u32::MAX])];
    let e = serialize_err(manifest(None, vec![tab("t", 0, tiled)]));
    assert!(e.contains(&u32::MAX.to_string()), "{e}");
}

#[test]
fn cycles_and_backward_children_are_errors() {
    // A split that lists itself.
    let tiled = vec![split(SplitDirection::Vertical, &[0])];
    let e = serialize_err(manifest(None, vec![tab("t", 0, tiled)]));
    assert!(e.contains("does not come after"), "{e}");
    // 0 -> 1 -> 0.
    let tiled = vec![split(SplitDirection::Vertical, &[1]), split(SplitDirection::Horizontal, &[0])];
    let e = serialize_err(manifest(None, vec![tab("t", 0, tiled)]));
    assert!(e.contains("split node 1 lists child 0"), "{e}");
}

#[test]
fn shared_orphaned_and_childless_nodes_are_errors() {
    let shared = vec![split(SplitDirection::Vertical, &[1, 2]), split(SplitDirection::Horizontal, &[2]), leaf(pane(1))];
    let e = serialize_err(manifest(None, vec![tab("t", 0, shared)]));
    assert!(e.contains("more than once"), "{e}");
    let repeated = vec![split(SplitDirection::Vertical, &[1, 1]), leaf(pane(1))];
    assert!(serialize_err(manifest(None, vec![tab("t", 0, repeated)])).contains("more than once"));

    let orphan = vec![split(SplitDirection::Vertical, &[2]), leaf(pane(1)), leaf(pane(2))];
    let e = serialize_err(manifest(None, vec![tab("t", 0, orphan)]));
    assert!(e.contains("node 1 is not reachable"), "{e}");
    let stray = vec![leaf(pane(1)), leaf(pane(2))];
    assert!(serialize_err(manifest(None, vec![tab("t", 0, stray)])).contains("not reachable"));

    let childless = vec![split(SplitDirection::Vertical, &[])];
    let e = serialize_err(manifest(None, vec![tab("t", 0, childless)]));
    assert!(e.contains("no children"), "{e}");
}

#[test]
fn duplicate_ids_with_contents_are_an_error() {
    let contents = screen("x", 0, 1);
    let a = Pane { contents: Some(contents.clone()), ..pane(3) };
    let b = Pane { contents: Some(contents), ..pane(3) };
    let tiled = vec![split(SplitDirection::Vertical, &[1, 2]), leaf(a), leaf(b)];
    let e = serialize_err(manifest(None, vec![tab("t", 0, tiled)]));
    assert!(e.contains("id 3") && e.contains("initial_contents_3"), "{e}");
}

#[test]
fn a_bad_tab_is_named_in_the_error() {
    let good = tab("good", 0, vec![leaf(pane(1))]);
    let bad = tab("bad \"one\"", 1, vec![split(SplitDirection::Vertical, &[9])]);
    let e = serialize_err(manifest(None, vec![good, bad]));
    assert!(e.starts_with("tab \"bad \\\"one\\\"\" (position 1): "), "{e}");
}

#[test]
fn a_very_deep_tree_does_not_overflow_the_stack() {
    const DEPTH: u32 = 5_000;
    let mut tiled: Vec<TiledNode> = (0..DEPTH).map(|i| split(SplitDirection::Vertical, &[i + 1])).collect();
    tiled.push(leaf(pane(1)));
    let layout = layout_of(manifest(None, vec![tab("deep", 0, tiled)]));
    // layout + tab + DEPTH splits open and close, one leaf.
    assert_eq!(layout.lines().count(), 2 * (2 + DEPTH as usize) + 1);
}

/// A small xorshift, so the random test needs no dependency and is
/// reproducible.
struct Rng(u64);

impl Rng {
    fn below(&mut self, bound: u32) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % u64::from(bound.max(1))) as u32
    }

    fn one_in(&mut self, n: u32) -> bool {
        self.below(n) == 0
    }

    /// Appends a random valid subtree in pre-order; returns its index.
    fn subtree(&mut self, nodes: &mut Vec<TiledNode>, depth: u32) -> u32 {
        let index = nodes.len() as u32;
        let size = match self.below(3) {
            0 => None,
            1 => Some(Dimension::Fixed(self.below(200))),
            _ => Some(Dimension::Percent(self.below(101))),
        };
        let s = AWKWARD[self.below(AWKWARD.len() as u32) as usize];
        let mut p = command_pane(index, &[s, s]);
        p.name = Some(s.to_string());
        p.focused = self.one_in(4);
        nodes.push(TiledNode { size, borderless: self.one_in(4), body: TiledBody::Pane(p) });
        if depth < 4 && self.one_in(2) {
            let count = 1 + self.below(3);
            let children: Vec<u32> = (0..count).map(|_| self.subtree(nodes, depth + 1)).collect();
            let direction = if self.one_in(2) { SplitDirection::Vertical } else { SplitDirection::Horizontal };
            nodes[index as usize].body = TiledBody::Split(Split { direction, children, stacked: self.one_in(5) });
        }
        index
    }
}

/// Random trees, valid and corrupted: never a panic, and every success parses
/// as KDL v1 with one `pane` per tiled node and is deterministic.
#[test]
fn random_manifests_never_panic_and_always_parse() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut ok, mut err) = (0, 0);
    for round in 0..300 {
        let mut tiled = Vec::new();
        rng.subtree(&mut tiled, 0);
        let len = tiled.len() as u32;
        // Corrupt half of the trees: re-point, drop or add one child index.
        if rng.one_in(2) {
            let splits: Vec<usize> =
                (0..tiled.len()).filter(|&i| matches!(tiled[i].body, TiledBody::Split(_))).collect();
            if let Some(&i) = splits.get(rng.below(splits.len() as u32) as usize) {
                let TiledBody::Split(split) = &mut tiled[i].body else { unreachable!() };
                let which = rng.below(split.children.len() as u32) as usize;
                match rng.below(3) {
                    0 => split.children[which] = rng.below(len + 2),
                    1 => drop(split.children.remove(which)),
                    _ => split.children.push(rng.below(len + 2)),
                }
            } else {
                tiled.clear();
            }
        }
        let m = manifest(Some("/r"), vec![tab(&format!("round {round}"), 0, tiled)]);
        let again = m.clone();
        match DefaultSerializer::serialize(m) {
            Ok(session) => {
                ok += 1;
                let doc = parse(&session.layout);
                let tab = child(root(&doc), "tab");
                let mut panes = 0;
                let mut stack = vec![tab];
                while let Some(node) = stack.pop() {
                    for p in named(node, "pane") {
                        panes += 1;
                        stack.push(p);
                    }
                }
                assert_eq!(panes, len, "{}", session.layout);
                assert_eq!(DefaultSerializer::serialize(again).unwrap().layout, session.layout);
            }
            Err(e) => {
                err += 1;
                assert!(e.starts_with("tab \"round"), "{e}");
            }
        }
    }
    // Make sure both paths were actually exercised.
    assert!(ok > 100 && err > 50, "ok={ok} err={err}");
}

// ---- what contract 0.3.0 added ----------------------------------------------
