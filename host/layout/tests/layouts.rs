//! Layout files → normalized trees, and fixed sizes that cannot fit.

mod common;

use std::path::Path;

use common::*;
use revenant_layout::{ErrorKind, Layout, Size, describe};

fn tree(text: &str) -> String {
    let layout = parse(text).unwrap_or_else(|e| panic!("{e}\n{}", text));
    describe(&layout.normalize(100, 30).unwrap_or_else(|e| panic!("{e}")))
}

/// Strips the common indentation of an expected tree written inline.
fn expected(s: &str) -> String {
    let lines: Vec<&str> = s.lines().filter(|l| !l.trim().is_empty()).collect();
    let indent = lines.iter().map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    lines.iter().map(|l| format!("{}\n", &l[indent..])).collect()
}

#[test]
fn feature_table() {
    let table: &[(&str, &str, &str)] = &[
        (
            "default",
            DEFAULT,
            r#"
            tab 1 "Tab #1"
              tiled 0,0 100x1 borderless plugin zellij:tab-bar
              tiled 0,1 100x27
              tiled 0,28 100x2 borderless plugin zellij:status-bar
            "#,
        ),
        (
            "compact",
            COMPACT,
            r#"
            tab 1 "Tab #1"
              tiled 0,0 100x29
              tiled 0,29 100x1 borderless plugin zellij:compact-bar
            "#,
        ),
        (
            "strider",
            STRIDER,
            r#"
            tab 1 "Tab #1"
              tiled 0,0 100x1 borderless plugin zellij:tab-bar
              tiled 0,1 20x27 plugin zellij:strider
              tiled 20,1 80x27
              tiled 0,28 100x2 borderless plugin zellij:status-bar
            "#,
        ),
        (
            "default swap (default_tab_template, no tabs)",
            DEFAULT_SWAP,
            r#"
            tab 1 "Tab #1"
              tiled 0,0 100x1 borderless plugin tab-bar
              tiled 0,1 100x27
              tiled 0,28 100x2 borderless plugin status-bar
            "#,
        ),
        (
            "session layout",
            SESSION,
            r#"
            tab 1 "Tab #1" focus hide_floating_panes
              tiled 0,0 100x1 borderless plugin zellij:tab-bar cwd /home/u
              tiled 0,1 60x27 focus start_suspended command ["htop"] cwd /tmp
              tiled 60,1 40x27 cwd /home/u/projects
              tiled 0,28 100x2 borderless plugin zellij:status-bar cwd /home/u
              floating 10,5 40x12 start_suspended command ["bash"] cwd /home/u
            tab 2 "Tab #2"
              tiled 0,0 100x30 name "old" contents_file /tmp/contents.txt cwd /home/u
            "#,
        ),
        (
            "splits, sizes, commands, cwd composition",
            SPLITS,
            r#"
            tab 1 "code" focus
              tiled 0,0 27x30 close_on_exit command ["htop", "-d", "10"] cwd /home/u/src/proj
              tiled 27,0 63x25 focus name "editor" edit "main.rs" cwd /abs
              tiled 27,25 63x5 start_suspended command ["tail", "-f", "app.log"] cwd /abs/logs
              tiled 90,0 10x30 borderless exclude_from_sync cwd /home/u/src/proj
            tab 2 "Tab #2"
              tiled 0,0 100x10 cwd /home/u/src
              tiled 0,10 100x10 cwd /home/u/src
              tiled 0,20 100x10 cwd /home/u/src
            "#,
        ),
        (
            "floating geometry",
            FLOATING,
            r#"
            tab 1 "Tab #1"
              tiled 0,0 100x30
              floating 1,2 30x10 command ["btm"]
              floating 10,6 50x15 pinned name "scratch"
              floating 25,8 50x15
              floating 70,8 30x15 cwd /home/u
            "#,
        ),
        (
            "templates",
            TEMPLATES,
            r#"
            tab 1 "one"
              tiled 0,0 100x1 borderless plugin zellij:tab-bar
              tiled 0,1 39x27
              tiled 39,1 58x27 command ["vim"]
              tiled 97,1 3x27 command ["tail", "-f", "/var/log/syslog"]
              tiled 0,28 100x2 borderless plugin zellij:status-bar
            tab 2 "two"
              tiled 0,0 100x1 borderless plugin zellij:compact-bar
              tiled 0,1 100x29 command ["tail", "-f", "/var/log/syslog"]
            tab 3 "three"
              tiled 0,0 100x1 borderless plugin zellij:tab-bar
              tiled 0,1 100x27
              tiled 0,28 100x2 borderless plugin zellij:status-bar
            "#,
        ),
        (
            "plugins with configuration, stacked, swap layouts",
            PLUGINS_STACKED,
            r#"
            tab 1 "Tab #1"
              tiled 0,0 25x30 plugin file:/opt/zjstatus.wasm format_left="{mode} {tabs}" hide_frame_for_single_pane="true" border_width="2"
              tiled 25,0 75x30 collapsed stacked
              tiled 25,0 75x30 stacked expanded command ["git", "log"]
              tiled 25,0 75x30 collapsed stacked
            "#,
        ),
        (
            "KDL v2",
            KDL_V2,
            r#"
            tab 1 "Tab #1"
              tiled 0,0 100x1 borderless plugin zellij:tab-bar
              tiled 0,1 50x29 focus
              tiled 50,1 50x29
            "#,
        ),
        (
            "properties written as child nodes",
            PROPS_AS_CHILDREN,
            r#"
            tab 1 "kids" focus
              tiled 0,0 100x10 borderless focus close_on_exit name "a" command ["ls"] cwd /x
              tiled 0,10 100x20
            "#,
        ),
    ];
    let mut failures = Vec::new();
    for (what, text, want) in table {
        let got = tree(text);
        if got != expected(want) {
            failures.push(format!("--- {what}\nwant:\n{}got:\n{got}", expected(want)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn swap_layouts_and_stacks_are_parsed_not_warned_about() {
    let l = parse(PLUGINS_STACKED).unwrap();
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
    assert_eq!(l.swap_layouts().len(), 2);
    assert_eq!(l.swap_tiled.len(), 1);
    assert_eq!(l.swap_tiled[0].name.as_deref(), Some("vertical"));
    assert_eq!(l.swap_tiled[0].steps[0].0, revenant_layout::Constraint::Max(5));
    let slot = &l.swap_tiled[0].steps[0].1.children[0].children[1].children[0];
    assert!(slot.pane.as_ref().is_some_and(|p| p.children_slot), "{slot:?}");
    assert_eq!(l.swap_floating[0].steps[0].1.len(), 1);
    assert!(parse(DEFAULT).unwrap().warnings.is_empty());
}

#[test]
fn structure_of_parsed_layouts() {
    let l = parse(SPLITS).unwrap();
    assert_eq!(l.cwd.as_deref(), Some(Path::new("/home/u/src")));
    assert_eq!(l.tabs.len(), 2);
    let code = &l.tabs[0];
    assert_eq!(code.name.as_deref(), Some("code"));
    assert_eq!(code.cwd.as_deref(), Some(Path::new("/home/u/src/proj")));
    assert_eq!(code.root.split, revenant_layout::SplitDirection::Vertical);
    assert_eq!(code.root.children.len(), 3);
    assert!(code.root.children[0].is_leaf());
    assert!(!code.root.children[1].is_leaf() && code.root.children[1].pane.is_none());
    assert_eq!(code.root.children[0].size, Some(Size::Percent(30)));
    assert!(l.new_tab_template.is_none());

    let l = parse(FLOATING).unwrap();
    let f = &l.tabs[0].floating;
    assert_eq!(
        (f[0].x, f[0].y, f[0].width, f[0].height),
        (Some(Size::Fixed(1)), Some(Size::Fixed(2)), Some(Size::Fixed(30)), Some(Size::Fixed(10)))
    );
    assert_eq!(f[1].x, Some(Size::Percent(10)));
    assert!(f[1].pinned && !f[0].pinned);

    // new_tab_template: explicit, or the default template around one pane.
    let l = parse(SESSION).unwrap();
    let t = l.new_tab_template.as_ref().unwrap();
    assert_eq!(t.root.children.len(), 3);
    let l = parse(TEMPLATES).unwrap();
    let t = l.new_tab_template.as_ref().unwrap();
    assert_eq!(t.root.children.len(), 3);
    assert!(t.root.children[1].is_leaf());

    let l = parse(PLUGINS_STACKED).unwrap();
    let plugin = l.tabs[0].root.children[0].children[0].pane.as_ref().unwrap().plugin.as_ref().unwrap();
    assert_eq!(plugin.configuration[2], ("border_width".to_owned(), "2".to_owned()));
    assert!(l.tabs[0].root.children[0].children[1].stacked);
}

#[test]
fn home_is_optional_and_empty_layout_is_one_pane() {
    let l = Layout::parse(Path::new("t.kdl"), "layout {\n    cwd \"~/x\"\n}\n", None).unwrap();
    assert_eq!(l.cwd.as_deref(), Some(Path::new("~/x")));
    let tabs = l.normalize(80, 24).unwrap();
    assert_eq!(describe(&tabs), "tab 1 \"Tab #1\"\n  tiled 0,0 80x24 cwd ~/x\n");
    assert_eq!(describe(&Layout::default().normalize(10, 5).unwrap()), "tab 1 \"Tab #1\"\n  tiled 0,0 10x5\n");
}

#[test]
fn fixed_sizes_that_cannot_fit_fail_normalize_with_a_location() {
    let text = "layout {\n    pane size=20\n    pane size=20\n}\n";
    let l = parse(text).unwrap();
    assert!(l.normalize(100, 40).is_ok());
    let e = l.normalize(100, 30).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NoRoom);
    assert_eq!(e.line_col(), Some((3, 5)));
    assert!(e.message().contains("need 40 of the 30 rows"), "{}", e.message());
    assert!(l.check(100, 30).is_err());

    // Flexible panes squeezed to nothing.
    let l = parse("layout {\n    pane size=30\n    pane\n}\n").unwrap();
    let e = l.normalize(100, 30).unwrap_err();
    assert_eq!(e.line_col(), Some((3, 5)));
    assert!(e.message().contains("gets none"), "{}", e.message());

    // A zero area never panics.
    for text in VALID {
        let l = parse(text).unwrap();
        for (c, r) in [(0, 0), (1, 1), (0, 30), (3, 2), (u16::MAX, u16::MAX)] {
            let _ = l.normalize(c, r);
        }
    }
}
