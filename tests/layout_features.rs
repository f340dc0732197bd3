//! Stacked panes and pane colours in a real session, driven through the
//! keys in tmux, saved by the serializer plugin and opened again.

mod common;

use common::tmux::Tmux;
use common::{Env, KillOnDrop};
use serde_json::Value;

fn panes(env: &Env, session: &str) -> Vec<Value> {
    env.json(session, &["list-panes", "--json"]).as_array().unwrap().clone()
}

fn pane<'a>(panes: &'a [Value], name: &str) -> &'a Value {
    panes.iter().find(|p| p["title"] == name).unwrap_or_else(|| panic!("no pane titled {name}: {panes:#?}"))
}

fn rows_of(list: &[Value], names: &[&str]) -> Vec<u64> {
    names.iter().map(|n| pane(list, n)["rows"].as_u64().unwrap()).collect()
}

const STACKED: &str = r#"layout {
    pane split_direction="vertical" {
        pane name="left" focus=true
        pane stacked=true {
            pane name="s1"
            pane name="s2" expanded=true
            pane name="s3"
        }
    }
}
"#;

#[test]
fn a_stack_is_walked_with_the_keys_grows_and_comes_back_from_its_save() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let file = env.root.path().join("stacked.kdl");
    std::fs::write(&file, STACKED).unwrap();
    tmux.open(&env, "t1", &format!("-s stk --layout {}", file.display()), true);
    tmux.wait_for("t1", "s3");
    let mut kill = KillOnDrop(vec![env.pid_of("stk").expect("the session runs")]);

    // 100x30 without bars, as Zellij 0.45 draws a stack: its members share
    // the right half, the open one shows under the list of all three.
    let list = panes(&env, "stk");
    assert_eq!(rows_of(&list, &["s1", "s2", "s3"]), [30, 30, 30]);
    assert_eq!(pane(&list, "s1")["is_collapsed"], true);
    assert_eq!(pane(&list, "s2")["is_collapsed"], false);
    assert_eq!(pane(&list, "s2")["is_stacked"], true);
    // Its frame and the three list rows: 25 rows for the program, and the
    // hidden members keep that size, so opening one does not reflow it.
    assert_eq!(pane(&list, "s2")["term_rows"], 25);
    assert_eq!(pane(&list, "s1")["term_rows"], 25);
    let screen = tmux.screen("t1");
    assert!(screen.contains("[ s2 ]") && screen.contains("  s1") && screen.contains("  s3"), "{screen}");

    // Alt-l into the stack, Alt-j down it: focus opens the pane below.
    tmux.keys("t1", &["M-l"]);
    common::wait_until("focus in the stack", || pane(&panes(&env, "stk"), "s2")["is_focused"] == true);
    tmux.keys("t1", &["M-j"]);
    common::wait_until("s3 to open", || pane(&panes(&env, "stk"), "s3")["is_collapsed"] == false);
    assert_eq!(pane(&panes(&env, "stk"), "s2")["is_collapsed"], true);
    tmux.wait_for("t1", "[ s3 ]");
    assert_eq!(pane(&panes(&env, "stk"), "s3")["is_focused"], true);

    // A new pane opened from a stacked pane joins the stack, open.
    tmux.keys("t1", &["M-n"]);
    common::wait_until("a fourth stacked pane", || {
        panes(&env, "stk").iter().filter(|p| p["is_stacked"] == true).count() == 4
    });
    let list = panes(&env, "stk");
    let stacked: Vec<&Value> = list.iter().filter(|p| p["is_stacked"] == true).collect();
    assert_eq!(stacked.iter().filter(|p| p["is_collapsed"] == true).count(), 3);
    assert!(stacked.iter().any(|p| p["is_focused"] == true && p["is_collapsed"] == false), "{list:#?}");
    assert_eq!(pane(&list, "left")["cols"], 50, "the stack kept its column");

    // Saved by the serializer plugin and opened again: the same stack.
    let saved = env.action("stk", &["dump-layout"]);
    assert_eq!(saved.matches("stacked=true").count(), 1, "{saved}");
    assert_eq!(saved.matches("expanded=true").count(), 1, "{saved}");
    let again = env.root.path().join("again.kdl");
    std::fs::write(&again, &saved).unwrap();
    // Opened in a second window of the same size.
    tmux.open(&env, "t2", &format!("-s stk2 --layout {}", again.display()), false);
    common::wait_until("the reopened session", || env.pid_of("stk2").is_some());
    kill.0.push(env.pid_of("stk2").expect("the reopened session runs"));
    common::wait_until("its five panes", || panes(&env, "stk2").len() == 5);
    let geometry = |l: &[Value]| -> Vec<(u64, u64, u64, u64, bool)> {
        let mut g: Vec<_> = l
            .iter()
            .filter(|p| p["is_plugin"] == false)
            .map(|p| {
                let n = |k: &str| p[k].as_u64().unwrap();
                (n("x"), n("y"), n("cols"), n("rows"), p["is_collapsed"] == true)
            })
            .collect();
        g.sort();
        g
    };
    assert_eq!(geometry(&panes(&env, "stk2")), geometry(&panes(&env, "stk")));
}

#[test]
fn pane_colours_are_drawn_saved_and_reopened() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let file = common::fixture_path("zellij-layouts/pane_colors_layout.kdl");
    tmux.open(&env, "t1", &format!("-s col --layout {}", file.display()), true);
    tmux.wait_for("t1", "green-on-black");
    // Its bare `tab-bar` and `status-bar` are Zellij's aliases of its bars.
    assert!(panes(&env, "col").iter().all(|p| p["is_plugin"] == false), "the bars are Revenant's own");
    let mut kill = KillOnDrop(vec![env.pid_of("col").expect("the session runs")]);
    let list = panes(&env, "col");
    assert_eq!(pane(&list, "dark-blue-bg")["default_bg"], "#001a3a");
    assert_eq!(pane(&list, "green-on-black")["default_fg"], "#00e000");
    assert_eq!(pane(&list, "default-colors")["default_bg"], Value::Null);
    // The client draws the pane's empty cells in its background colour.
    let ansi = tmux.tmux(&["capture-pane", "-p", "-e", "-t", "t1"]);
    // tmux keeps 256 colours unless told its terminal has more: it shows
    // the nearest palette entry.
    assert!(ansi.contains("48;2;0;26;58") || ansi.contains("48;5;234"), "the dark blue background: {ansi:?}");
    assert!(ansi.contains("38;2;0;224;0") || ansi.contains("38;5;40"), "the green foreground: {ansi:?}");
    // The pane without colours keeps the terminal's own.
    let below: Vec<&str> =
        ansi.lines().skip_while(|l| !l.contains("default-colors")).skip(1).take_while(|l| !l.contains('╰')).collect();
    assert!(below.len() > 3 && below.iter().all(|l| !l.contains("[48;")), "{below:?}");

    let saved = env.action("col", &["dump-layout"]);
    assert!(saved.contains("default_bg=\"#001a3a\""), "{saved}");
    assert!(saved.contains("default_fg=\"#00e000\" default_bg=\"#0a0a0a\""), "{saved}");
    let again = env.root.path().join("again.kdl");
    std::fs::write(&again, &saved).unwrap();
    env.ok(&["attach", "-b", "col2", "--layout", again.to_str().unwrap()]);
    kill.0.push(env.pid_of("col2").expect("the reopened session runs"));
    let reopened = panes(&env, "col2");
    assert_eq!(pane(&reopened, "dark-blue-bg")["default_bg"], "#001a3a");
    assert_eq!(pane(&reopened, "green-on-black")["default_bg"], "#0a0a0a");
}

#[test]
fn an_editor_pane_is_saved_as_edit_and_comes_back_running() {
    let env = Env::new();
    // The editor the config names when $EDITOR is not set: a stand-in that
    // stays open on its file.
    let editor = env.root.path().join("my-editor");
    std::fs::write(&editor, "#!/bin/sh\necho \"editing $1\"\nexec sleep 1000\n").unwrap();
    std::process::Command::new("chmod").arg("+x").arg(&editor).status().unwrap();
    env.write_config(&format!("scrollback_editor {:?}\n", editor.display().to_string()));
    let layout = env.root.path().join("ed.kdl");
    std::fs::write(
        &layout,
        "layout {\n    pane name=\"notes\" edit=\"notes.txt\"\n    pane name=\"held\" command=\"nano\" start_suspended=true {\n        args \"+3\" \"todo.md\"\n    }\n}\n",
    )
    .unwrap();
    env.start("ed", &["--layout", layout.to_str().unwrap()]);
    env.wait_for_screen("ed", "editing notes.txt");
    let list = panes(&env, "ed");
    assert_eq!(pane(&list, "notes")["suspended"], false);
    assert_eq!(pane(&list, "notes")["command"][0], editor.display().to_string());
    assert_eq!(pane(&list, "held")["suspended"], true);

    // nano +3 todo.md is an editor on one file: saved as `edit`, it runs
    // when the layout opens, not behind ENTER.
    let saved = env.action("ed", &["dump-layout"]);
    assert!(saved.contains("edit=\"todo.md\""), "{saved}");
    // Opened with `edit=`, it stays an edit pane whatever runs in it.
    assert!(saved.contains("edit=\"notes.txt\""), "{saved}");
    assert!(!saved.contains("command=\"nano\""), "{saved}");
    let again = env.root.path().join("again.kdl");
    std::fs::write(&again, &saved).unwrap();
    env.start("ed2", &["--layout", again.to_str().unwrap()]);
    let list = panes(&env, "ed2");
    assert!(list.iter().all(|p| p["suspended"] == false), "{list:#?}");
    let held = pane(&list, "held")["id"].to_string();
    common::wait_until("the editor to run on todo.md", || {
        env.action("ed2", &["dump-screen", "--pane-id", &held]).contains("editing todo.md")
    });
}

fn terminal_rects(list: &[Value]) -> Vec<(u64, u64, u64, u64)> {
    let mut r: Vec<_> = list
        .iter()
        .filter(|p| p["is_plugin"] == false && p["is_floating"] == false)
        .map(|p| {
            let n = |k: &str| p[k].as_u64().unwrap();
            (n("x"), n("y"), n("cols"), n("rows"))
        })
        .collect();
    r.sort();
    r
}

#[test]
fn swap_layouts_arrange_panes_as_they_open_and_cycle_with_the_keys() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    // The built-in default layout: bars, one pane, Zellij-like swap layouts.
    tmux.open(&env, "t1", "-s sw", true);
    tmux.wait_for("t1", "$ ");
    let mut kill = KillOnDrop(vec![env.pid_of("sw").expect("the session runs")]);
    let rects = || terminal_rects(&panes(&env, "sw"));

    // The second pane goes beside the first ("vertical"), the third below
    // the second: 100x30 less the two bars is 100x28.
    tmux.keys("t1", &["M-n"]);
    common::wait_until("two panes", || rects().len() == 2);
    assert_eq!(rects(), [(0, 1, 50, 28), (50, 1, 50, 28)]);
    tmux.keys("t1", &["M-n"]);
    common::wait_until("three panes", || rects().len() == 3);
    assert_eq!(rects(), [(0, 1, 50, 28), (50, 1, 50, 14), (50, 15, 50, 14)]);
    tmux.wait_for("t1", "VERTICAL");

    // Alt-] steps to "horizontal": three panes and two bars are past its
    // first step (four), so one row on top and the other two below.
    tmux.keys("t1", &["M-]"]);
    tmux.wait_for("t1", "HORIZONTAL");
    assert_eq!(rects(), [(0, 1, 100, 14), (0, 15, 50, 14), (50, 15, 50, 14)]);
    // Then "stacked": all three in one stack, and "half-stacked": one on
    // the left, two stacked on the right.
    assert_eq!(env.action("sw", &["next-swap-layout"]), "stacked\n");
    let stacked = |n: usize| panes(&env, "sw").iter().filter(|p| p["is_stacked"] == true).count() == n;
    assert!(stacked(3));
    assert_eq!(env.action("sw", &["next-swap-layout"]), "half-stacked\n");
    assert!(stacked(2));
    // Round again past BASE (which fits one pane only) to "vertical";
    // previous goes back.
    assert_eq!(env.action("sw", &["next-swap-layout"]), "vertical\n");
    assert_eq!(env.action("sw", &["previous-swap-layout"]), "half-stacked\n");
    assert_eq!(env.action("sw", &["previous-swap-layout"]), "stacked\n");
    assert_eq!(env.action("sw", &["previous-swap-layout"]), "horizontal\n");

    // A resize is arranging by hand: the name is drawn plain, and a new
    // pane no longer re-applies the layout.
    tmux.keys("t1", &["M-+"]);
    common::wait_until("the resize", || rects() != [(0, 1, 100, 14), (0, 15, 50, 14), (50, 15, 50, 14)]);
    let before = rects();
    tmux.keys("t1", &["M-n"]);
    common::wait_until("four panes", || rects().len() == 4);
    let by_hand = rects();
    // Alt-] after a change by hand first restores the current layout.
    assert_eq!(env.action("sw", &["next-swap-layout"]), "horizontal\n");
    assert_ne!(rects(), by_hand, "the new pane had been placed by the split, not by the layout");
    assert_eq!(before.len(), 3);

    // Saved with the session: a reopened save cycles the same layouts.
    let saved = env.action("sw", &["dump-layout"]);
    for name in ["vertical", "horizontal", "stacked", "half-stacked"] {
        assert!(saved.contains(&format!("swap_tiled_layout name=\"{name}\"")), "{saved}");
    }
    let again = env.root.path().join("again.kdl");
    std::fs::write(&again, &saved).unwrap();
    env.ok(&["attach", "-b", "sw2", "--layout", again.to_str().unwrap()]);
    kill.0.push(env.pid_of("sw2").expect("the reopened session runs"));
    // It opens in its own arrangement (BASE); the first swap layout next.
    assert_eq!(env.action("sw2", &["next-swap-layout"]), "vertical\n");
    assert_eq!(terminal_rects(&panes(&env, "sw2")).len(), 4);
}

/// Zellij's own swap layouts at work, recorded (`tests/fixtures/zellij-swap/
/// record.sh`): the compact layout, panes opened one by one, then four
/// swaps. Revenant's built-in compact layout must put the panes on the same
/// cells at every step.
#[test]
fn swap_layouts_match_zellijs_recording() {
    let dir = common::fixture_path("zellij-swap");
    for size in ["100x30", "57x19"] {
        let recorded = std::fs::read_to_string(dir.join(format!("compact.{size}.txt"))).unwrap();
        let env = Env::new();
        let name = format!("z{}", size.replace('x', "-"));
        env.ok(&["attach", "-b", &name, "--size", size, "--layout", "compact"]);
        let _kill = KillOnDrop(vec![env.pid_of(&name).expect("the session runs")]);
        let dump = |what: &str| {
            let mut rects = terminal_rects_visible(&panes(&env, &name));
            rects.sort();
            let list: Vec<String> = rects.iter().map(|(x, y, w, h)| format!("({x}, {y}, {w}, {h})")).collect();
            format!("== {what}\n[{}]\n", list.join(", "))
        };
        let mut ours = dump("one");
        for n in 2..=5 {
            env.action(&name, &["new-pane"]);
            ours += &dump(&format!("panes {n}"));
        }
        for k in 1..=4 {
            env.action(&name, &["next-swap-layout"]);
            ours += &dump(&format!("next {k}"));
        }
        assert_eq!(ours, recorded, "at {size}");
    }
}

/// The tiled panes one sees: not floating, not hidden in a stack.
fn terminal_rects_visible(list: &[Value]) -> Vec<(u64, u64, u64, u64)> {
    terminal_rects(&list.iter().filter(|p| p["is_collapsed"] != true).cloned().collect::<Vec<_>>())
}
