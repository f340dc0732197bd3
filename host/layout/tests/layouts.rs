//! Layout files → normalized trees, fixed sizes that cannot fit, and a
//! mutation fuzz that must never panic.

use std::path::Path;

use revenant_layout::{ErrorKind, Layout, LayoutError, Size, describe};

const HOME: &str = "/home/u";

fn parse(text: &str) -> Result<Layout, LayoutError> {
    Layout::parse(Path::new("t.kdl"), text, Some(Path::new(HOME)))
}

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

const DEFAULT: &str = r#"
layout {
    pane size=1 borderless=true {
        plugin location="zellij:tab-bar"
    }
    pane
    pane size=2 borderless=true {
        plugin location="zellij:status-bar"
    }
}
"#;

const COMPACT: &str = r#"
layout {
    pane
    pane size=1 borderless=true {
        plugin location="zellij:compact-bar"
    }
}
"#;

const STRIDER: &str = r#"
layout {
    pane size=1 borderless=true {
        plugin location="zellij:tab-bar"
    }
    pane split_direction="vertical" {
        pane size="20%" {
            plugin location="zellij:strider"
        }
        pane
    }
    pane size=2 borderless=true {
        plugin location="zellij:status-bar"
    }
}
"#;

const DEFAULT_SWAP: &str = r#"
layout {
    tab_template name="ui" {
        pane size=1 borderless=true {
            plugin location="tab-bar"
        }
        children
        pane size=2 borderless=true {
            plugin location="status-bar"
        }
    }
    default_tab_template {
        pane size=1 borderless=true {
            plugin location="tab-bar"
        }
        children
        pane size=2 borderless=true {
            plugin location="status-bar"
        }
    }
    swap_tiled_layout name="vertical" {
        ui max_panes=5 {
            pane split_direction="vertical" {
                pane
                pane { children; }
            }
        }
        ui max_panes=8 {
            pane split_direction="vertical" {
                pane { children; }
                pane { pane; pane; pane; pane; }
            }
        }
    }
    swap_floating_layout name="staggered" {
        floating_panes
    }
}
"#;

const SESSION: &str = r#"
layout {
    cwd "/home/u"
    tab name="Tab #1" focus=true hide_floating_panes=true {
        pane size=1 borderless=true {
            plugin location="zellij:tab-bar"
        }
        pane split_direction="vertical" {
            pane command="htop" cwd="/tmp" focus=true {
                start_suspended true
            }
            pane cwd="projects" size="40%"
        }
        pane size=2 borderless=true {
            plugin location="zellij:status-bar"
        }
        floating_panes {
            pane command="bash" {
                start_suspended true
                x 10
                y 5
                width 40
                height 12
            }
        }
    }
    tab name="Tab #2" {
        pane contents_file="/tmp/contents.txt" name="old" close_on_exit=false
    }
    new_tab_template {
        pane size=1 borderless=true {
            plugin location="zellij:tab-bar"
        }
        pane
        pane size=2 borderless=true {
            plugin location="zellij:status-bar"
        }
    }
    swap_tiled_layout name="vertical" {
        tab max_panes=5 {
            pane size=1 borderless=true {
                plugin location="zellij:tab-bar"
            }
            pane split_direction="vertical" {
                pane
                pane { children; }
            }
        }
    }
}
"#;

const SPLITS: &str = r#"
layout {
    cwd "~/src"
    tab name="code" cwd="proj" split_direction="vertical" focus=true {
        pane size="30%" command="htop" {
            args "-d" "10"
            close_on_exit true
        }
        pane split_direction="horizontal" cwd="/abs" {
            pane name="editor" edit="main.rs" focus=true
            pane size=5 cwd="logs" command="tail" start_suspended=true {
                args "-f" "app.log"
            }
        }
        pane size=10 borderless=true exclude_from_sync=true
    }
    tab {
        pane
        pane
        pane
    }
}
"#;

const FLOATING: &str = r#"
layout {
    pane
    floating_panes {
        pane x=1 y=2 width=30 height=10 command="btm"
        pane {
            x "10%"
            y "20%"
            width "50%"
            height "50%"
            pinned true
            name "scratch"
        }
        pane
        pane x=90 width=30 cwd="~"
    }
}
"#;

const TEMPLATES: &str = r#"
layout {
    pane_template name="dev" split_direction="vertical" {
        pane size="40%"
        children
    }
    pane_template name="logs" command="tail" {
        args "-f" "/var/log/syslog"
    }
    tab_template name="ui" {
        pane size=1 borderless=true {
            plugin location="zellij:compact-bar"
        }
        children
    }
    default_tab_template {
        pane size=1 borderless=true {
            plugin location="zellij:tab-bar"
        }
        children
        pane size=2 borderless=true {
            plugin location="zellij:status-bar"
        }
    }
    tab name="one" {
        dev {
            pane command="vim"
            logs size=3
        }
    }
    ui name="two" {
        logs
    }
    tab name="three"
}
"#;

const PLUGINS_STACKED: &str = r#"
layout {
    pane split_direction="vertical" {
        pane size="25%" {
            plugin location="file:/opt/zjstatus.wasm" {
                format_left "{mode} {tabs}"
                hide_frame_for_single_pane true
                border_width 2
            }
        }
        pane stacked=true {
            pane
            pane expanded=true command="git" {
                args "log"
            }
            pane
        }
    }
    swap_tiled_layout name="vertical" {
        tab max_panes=5 {
            pane split_direction="vertical" {
                pane
                pane { children; }
            }
        }
    }
    swap_floating_layout {
        floating_panes max_panes=1 { pane; }
    }
}
"#;

const KDL_V2: &str = r#"
layout {
    pane size=1 borderless=#true { plugin location="zellij:tab-bar" }
    pane split_direction=vertical {
        pane focus=#true
        pane size="50%"
    }
}
"#;

const PROPS_AS_CHILDREN: &str = r#"
layout {
    tab {
        name "kids"
        focus true
        pane {
            name "a"
            focus true
            command "ls"
            cwd "/x"
            close_on_exit true
            size 10
            borderless true
        }
        pane
    }
}
"#;

/// Every valid layout in this file, for the fuzz test.
const VALID: &[&str] = &[
    DEFAULT,
    COMPACT,
    STRIDER,
    DEFAULT_SWAP,
    SESSION,
    SPLITS,
    FLOATING,
    TEMPLATES,
    PLUGINS_STACKED,
    KDL_V2,
    PROPS_AS_CHILDREN,
];

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

#[test]
fn extents_always_tile_the_area() {
    for text in VALID {
        let l = parse(text).unwrap();
        for (cols, rows) in [(100, 30), (80, 24), (237, 61), (41, 9)] {
            let Ok(tabs) = l.normalize(cols, rows) else { continue };
            for tab in tabs {
                // A stack's hidden members lie under its open one.
                let tiled: Vec<_> = tab.panes.iter().filter(|p| !p.floating && !p.collapsed).collect();
                let area: u32 = tiled.iter().map(|p| u32::from(p.cols) * u32::from(p.rows)).sum();
                assert_eq!(area, u32::from(cols) * u32::from(rows), "{text}");
                for p in &tab.panes {
                    assert!(p.x + p.cols <= cols && p.y + p.rows <= rows, "{text} {p:?}");
                }
            }
        }
    }
}

/// xorshift64*, so the fuzz is reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn exercise(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    if let Ok(l) = parse(&text) {
        let _ = l.normalize(100, 30).map(|t| describe(&t));
        let _ = l.normalize(3, 2);
    } else if let Err(e) = parse(&text) {
        let _ = e.to_string();
    }
}

#[test]
fn mutations_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let tokens: &[&[u8]] =
        &[b"{", b"}", b"\"", b"=", b"pane", b"children", b"size=\"", b"%", b";", b"\n", b"true", b"#true", b"-", b"/-"];
    for round in 0..3000 {
        let base = VALID[round % VALID.len()].as_bytes();
        let mut bytes = base.to_vec();
        for _ in 0..1 + rng.below(4) {
            if bytes.is_empty() {
                break;
            }
            let i = rng.below(bytes.len());
            match rng.below(5) {
                0 => {
                    let n = 1 + rng.below(8).min(bytes.len() - i - 1);
                    bytes.drain(i..i + n);
                }
                1 => {
                    let j = (i + 1 + rng.below(16)).min(bytes.len());
                    let chunk = bytes[i..j].to_vec();
                    bytes.splice(i..i, chunk);
                }
                2 => {
                    let j = rng.below(bytes.len());
                    bytes.swap(i, j);
                }
                3 => bytes[i] = rng.next() as u8,
                _ => {
                    let t = tokens[rng.below(tokens.len())];
                    bytes.splice(i..i, t.iter().copied());
                }
            }
        }
        exercise(&bytes);
    }
    for _ in 0..1000 {
        let len = rng.below(64);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        exercise(&bytes);
        let alphabet = b" {}\"=;\npane%1a#";
        let ascii: Vec<u8> =
            b"layout {".iter().copied().chain((0..len).map(|_| alphabet[rng.below(alphabet.len())])).collect();
        exercise(&ascii);
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    let depth = 200;
    let e = parse(&format!("layout {{\n{}{}}}\n", "pane {\n".repeat(depth), "}\n".repeat(depth))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Syntax);
    assert!(e.message().contains("nested more than"), "{}", e.message());
    let text = format!("layout {{\n{}{}}}\n", "pane {\n".repeat(depth), "}\n".repeat(depth));
    let _ = parse(&text).map(|l| l.normalize(100, 30));
}
