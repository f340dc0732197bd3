//! Layouts applied to real sessions: `attach -b --layout`, `action new-tab
//! --layout`, new-tab templates, plugin panes, bars, and the round trip
//! session → serializer plugin → layout file → new session.

mod common;

use std::path::Path;

use common::{Env, wait_until};
use serde_json::Value;

/// Two tabs, nested splits with fixed and percent sizes, a floating pane,
/// names, cwds, a held-back command, a running command, `contents_file`,
/// the session manager and an unknown plugin; bars from a template.
fn feature_layout(dir: &Path) -> String {
    let a = dir.join("a");
    let b = dir.join("b");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    std::fs::write(dir.join("contents.txt"), "plain line\n\x1b[31mred line\x1b[0m\n").unwrap();
    std::fs::write(dir.join("tailed.txt"), "tail saw this\n").unwrap();
    format!(
        r#"
layout {{
    cwd "{dir}"
    default_tab_template {{
        pane size=1 borderless=true {{
            plugin location="zellij:tab-bar"
        }}
        children
        pane size=1 borderless=true {{
            plugin location="zellij:status-bar"
        }}
    }}
    new_tab_template {{
        pane size=1 borderless=true {{
            plugin location="zellij:tab-bar"
        }}
        pane split_direction="vertical" {{
            pane name="left"
            pane name="right"
        }}
        pane size=1 borderless=true {{
            plugin location="zellij:status-bar"
        }}
    }}
    tab name="work" focus=true {{
        pane split_direction="vertical" {{
            pane size="60%" name="editor" cwd="a" focus=true
            pane split_direction="horizontal" {{
                pane name="sleeper" command="sleep" start_suspended=true {{
                    args "1000"
                }}
                pane size=8 name="tailer" command="tail" cwd="b" {{
                    args "-f" "{tailed}"
                }}
            }}
        }}
        floating_panes {{
            pane name="scratch" x=5 y=3 width="50%" height=10
        }}
    }}
    tab name="extras" {{
        pane split_direction="vertical" {{
            pane name="shown" contents_file="contents.txt"
            pane name="manager" {{
                plugin location="zellij:session-manager"
            }}
            pane name="mystery" {{
                plugin location="zellij:strider"
            }}
            pane name="from-file" {{
                plugin location="file:{manager_wasm}"
            }}
        }}
    }}
}}
"#,
        dir = dir.display(),
        tailed = dir.join("tailed.txt").display(),
        manager_wasm = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/plugins/session-manager.wasm").display(),
    )
}

fn panes(env: &Env, session: &str) -> Vec<Value> {
    env.json(session, &["list-panes", "--json"]).as_array().unwrap().clone()
}

fn pane<'a>(panes: &'a [Value], name: &str) -> &'a Value {
    panes.iter().find(|p| p["title"] == name).unwrap_or_else(|| panic!("no pane titled {name}: {panes:#?}"))
}

fn rect(p: &Value) -> (u64, u64, u64, u64) {
    (p["x"].as_u64().unwrap(), p["y"].as_u64().unwrap(), p["cols"].as_u64().unwrap(), p["rows"].as_u64().unwrap())
}

/// What must survive a round trip: tab, title, geometry, floating, cwd,
/// command, plugin; sorted so ids and order do not matter.
fn shape(panes: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = panes
        .iter()
        .map(|p| {
            format!(
                "tab={} title={} rect={:?} floating={} cwd={} command={} plugin={}",
                p["tab_name"],
                p["title"],
                rect(p),
                p["is_floating"],
                p["cwd"],
                p["command"],
                p["plugin_location"]
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_layout_builds_the_session_it_describes() {
    let env = Env::new();
    let dir = env.root.path().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("features.kdl");
    std::fs::write(&file, feature_layout(&dir)).unwrap();
    env.start("lay", &["--layout", file.to_str().unwrap()]);

    let tabs = env.json("lay", &["list-tabs", "--json"]);
    let names: Vec<&str> = tabs.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["work", "extras"]);
    assert_eq!(tabs[0]["is_focused"], true);

    let list = panes(&env, "lay");
    assert!(list.iter().all(|p| !p["plugin_location"].as_str().unwrap_or("").contains("bar")), "bars are not panes");
    // The tiled geometry `layout check` computes for the whole screen (its
    // bar panes included) is where the panes are.
    let check = env.ok(&["layout", "check", file.to_str().unwrap(), "--size", "100x30"]);
    let expected = |name: &str| {
        let line = check.lines().find(|l| l.contains(&format!("name {name:?}"))).unwrap_or_else(|| panic!("{check}"));
        let mut words = line.split_whitespace().skip(1);
        let (x, y) = words.next().unwrap().split_once(',').unwrap();
        let (w, h) = words.next().unwrap().split_once('x').unwrap();
        (x.parse::<u64>().unwrap(), y.parse::<u64>().unwrap(), w.parse::<u64>().unwrap(), h.parse::<u64>().unwrap())
    };
    for name in ["editor", "sleeper", "tailer", "shown", "manager", "mystery", "from-file"] {
        assert_eq!(rect(pane(&list, name)), expected(name), "{name}");
    }
    assert_eq!(rect(pane(&list, "editor")), (0, 1, 60, 28));
    assert_eq!(rect(pane(&list, "tailer")).3, 8);
    // Floating x and y count from the screen's corner, as in Zellij (the
    // layout says y=3: under the tab bar, that is the area's third row).
    assert_eq!(rect(pane(&list, "scratch")), (5, 3, 50, 10));

    let editor = pane(&list, "editor");
    assert_eq!(editor["is_focused"], true);
    assert_eq!(editor["cwd"], dir.join("a").display().to_string());
    let sleeper = pane(&list, "sleeper");
    assert_eq!(sleeper["suspended"], true);
    assert_eq!(sleeper["command"], serde_json::json!(["sleep", "1000"]));
    let tailer = pane(&list, "tailer");
    assert_eq!(tailer["suspended"], false);
    let tailer_id = tailer["id"].as_u64().unwrap().to_string();
    wait_until("tail shows the file", || {
        env.action("lay", &["dump-screen", "--pane-id", &tailer_id]).contains("tail saw this")
    });
    assert!(pane(&list, "scratch")["is_floating"].as_bool().unwrap());

    // contents_file: the text (colours kept) above the shell's prompt.
    let shown = pane(&list, "shown")["id"].as_u64().unwrap().to_string();
    wait_until("the contents to be restored", || {
        env.action("lay", &["dump-screen", "--pane-id", &shown]).starts_with("plain line\nred line")
    });
    assert_eq!(pane(&list, "manager")["plugin_location"], "zellij:session-manager");
    // A file: component of the session-manager world runs in its pane.
    let from_file = pane(&list, "from-file")["id"].as_u64().unwrap().to_string();
    wait_until("the file: plugin to draw", || {
        env.action("lay", &["dump-screen", "--pane-id", &from_file]).contains("lay")
    });
    let mystery = pane(&list, "mystery")["id"].as_u64().unwrap().to_string();
    let screen = env.action("lay", &["dump-screen", "--pane-id", &mystery]);
    // The pane is narrow: its message wraps.
    assert!(screen.replace('\n', "").contains("Plugin `zellij:strider` is not available"), "{screen}");

    // A plain new tab follows the layout's new_tab_template.
    let before = panes(&env, "lay").len();
    assert_eq!(env.action("lay", &["new-tab", "--name", "fresh"]), "3\n");
    let list = panes(&env, "lay");
    assert_eq!(list.len(), before + 2);
    assert_eq!(rect(pane(&list, "left")), (0, 1, 50, 28));

    // new-tab --layout adds the layout's tabs.
    std::fs::write(dir.join("two.kdl"), "layout { tab name=\"t1\"; tab name=\"t2\" { pane; pane; }; }").unwrap();
    assert_eq!(env.action("lay", &["new-tab", "--layout", dir.join("two.kdl").to_str().unwrap()]), "4\n");
    let tabs = env.json("lay", &["list-tabs", "--json"]);
    assert_eq!(tabs.as_array().unwrap().len(), 5);
    assert_eq!(tabs[4]["name"], "t2");
    assert_eq!(tabs[4]["pane_count"], 2);
}

#[test]
fn a_saved_session_opens_as_the_same_session() {
    let env = Env::new();
    let dir = env.root.path().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("features.kdl");
    std::fs::write(&file, feature_layout(&dir)).unwrap();
    env.start("orig", &["--layout", file.to_str().unwrap()]);
    // A user's own split and resize after the layout was applied.
    env.action("orig", &["new-pane", "--direction", "down", "--name", "added"]);
    let original = panes(&env, "orig");

    let saved = dir.join("saved.kdl");
    std::fs::write(&saved, env.action("orig", &["dump-layout"])).unwrap();
    env.ok(&["layout", "check", saved.to_str().unwrap(), "--size", "100x28"]);
    env.start("copy", &["--layout", saved.to_str().unwrap()]);
    let copy = panes(&env, "copy");
    assert_eq!(shape(&copy), shape(&original), "saved layout:\n{}", std::fs::read_to_string(&saved).unwrap());
    // Commands come back held behind "Press ENTER to run…".
    assert_eq!(pane(&copy, "tailer")["suspended"], true);
    let tabs = env.json("copy", &["list-tabs", "--json"]);
    assert_eq!(tabs[0]["is_focused"], true);
    assert_eq!(pane(&copy, "added")["is_focused"], true);
}

#[test]
fn layouts_are_found_by_name_and_bad_ones_are_refused() {
    let env = Env::new();
    std::fs::create_dir_all(env.config_dir().join("layouts")).unwrap();
    std::fs::write(env.config_dir().join("layouts/mine.kdl"), "layout { pane name=\"from-dir\"; pane; }").unwrap();
    env.start("named", &["--layout", "mine"]);
    let list = panes(&env, "named");
    assert_eq!(list.len(), 2);
    pane(&list, "from-dir");
    // No bar plugins in that layout: no bars, the panes get every row.
    assert_eq!(rect(&list[0]).1, 0);

    env.start("compact", &["--layout", "compact"]);
    let list = panes(&env, "compact");
    assert_eq!(rect(&list[0]), (0, 0, 100, 29), "one bar, at the bottom");

    let broken = env.root.path().join("broken.kdl");
    std::fs::write(&broken, "layout {\n    pane size=\"120%\"\n}\n").unwrap();
    let err = env.fails(&["attach", "-b", "bad", "--layout", broken.to_str().unwrap()]);
    assert!(err.contains("broken.kdl:2:"), "{err}");
    assert!(env.pid_of("bad").is_none(), "no session is started for a broken layout");
    let err = env.fails(&["attach", "-b", "bad", "--layout", "no-such-layout"]);
    assert!(err.contains("no layout named `no-such-layout`"), "{err}");
    let err = env.fails(&["-s", "named", "action", "new-tab", "--layout", broken.to_str().unwrap()]);
    assert!(err.contains("broken.kdl:2:"), "{err}");
}

#[test]
fn a_pinned_floating_pane_stays_on_screen_while_the_others_are_hidden() {
    let env = Env::new();
    let Some(tmux) = common::tmux::Tmux::new(&env) else { return };
    let file = env.root.path().join("pinned.kdl");
    std::fs::write(
        &file,
        r#"layout {
    tab hide_floating_panes=true {
        pane name="tiled-one"
        floating_panes {
            pane name="pinned-one" pinned=true x=2 y=2 width=30 height=6
            pane name="hidden-one" x=40 y=2 width=30 height=6
        }
    }
}
"#,
    )
    .unwrap();
    tmux.open(&env, "t1", &format!("-s pins --layout {}", file.display()), true);
    let screen = tmux.wait_for("t1", "pinned-one");
    let pid = env.pid_of("pins").expect("the session runs");
    struct KillOnDrop(u32);
    impl Drop for KillOnDrop {
        fn drop(&mut self) {
            let _ = std::process::Command::new("kill").args(["-9", &self.0.to_string()]).status();
        }
    }
    let _kill = KillOnDrop(pid);
    assert!(!screen.contains("hidden-one"), "{screen}");
    let list = panes(&env, "pins");
    assert_eq!(pane(&list, "pinned-one")["is_pinned"], true);
    assert_eq!(pane(&list, "hidden-one")["is_pinned"], false);
    // The keyboard stays with the tiled pane.
    assert_eq!(pane(&list, "tiled-one")["is_focused"], true);
    let saved = env.action("pins", &["dump-layout"]);
    assert!(saved.contains("pinned true"), "{saved}");
}
