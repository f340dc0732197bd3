//! Zellij's scripting verbs through the CLI, on real headless sessions:
//! each one's effect is read back from `list-panes`, `list-tabs`,
//! `current-tab-info` or `dump-screen`.

mod common;

use common::{Env, wait_until};
use serde_json::Value;

fn panes(env: &Env, s: &str) -> Vec<Value> {
    env.json(s, &["list-panes", "--json"]).as_array().unwrap().clone()
}

fn pane(env: &Env, s: &str, id: u64) -> Value {
    panes(env, s).into_iter().find(|p| p["id"] == id).unwrap_or_else(|| panic!("no pane {id}"))
}

fn focused(env: &Env, s: &str) -> u64 {
    panes(env, s).iter().find(|p| p["is_focused"] == true).expect("a focused pane")["id"].as_u64().unwrap()
}

fn tab_info(env: &Env, s: &str) -> Value {
    env.json(s, &["current-tab-info", "--json"])
}

#[test]
fn tab_verbs_name_move_find_and_close_tabs() {
    let env = Env::new();
    let s = "tabs";
    env.start(s, &[]);
    env.action(s, &["new-tab", "--name", "two"]);
    env.action(s, &["new-tab", "--name", "three"]);
    assert_eq!(env.action(s, &["query-tab-names"]), "Tab #1\ntwo\nthree\n");
    assert_eq!(env.action(s, &["current-tab-info"]).lines().nth(2), Some("position: 2"));
    env.action(s, &["go-to-previous-tab"]);
    assert_eq!(tab_info(&env, s)["name"], "two");
    env.action(s, &["go-to-next-tab"]);
    env.action(s, &["go-to-next-tab"]);
    assert_eq!(tab_info(&env, s)["position"], 0, "go-to-next-tab goes round");
    env.action(s, &["go-to-tab-name", "three"]);
    assert_eq!(tab_info(&env, s)["position"], 2);
    let err = env.fails(&["-s", s, "action", "go-to-tab-name", "four"]);
    assert!(err.contains("no tab named \"four\""), "{err}");
    env.action(s, &["go-to-tab-name", "four", "--create"]);
    assert_eq!(tab_info(&env, s)["position"], 3);
    env.action(s, &["rename-tab", "renamed"]);
    assert_eq!(env.json(s, &["list-tabs", "--json"])[3]["name"], "renamed");
    env.action(s, &["undo-rename-tab"]);
    assert_eq!(tab_info(&env, s)["name"], "four");
    env.action(s, &["move-tab", "left"]);
    assert_eq!(env.action(s, &["query-tab-names"]), "Tab #1\ntwo\nfour\nthree\n");
    assert_eq!(tab_info(&env, s)["position"], 2, "the focus moves with the tab");
    env.action(s, &["move-tab", "right"]);
    env.action(s, &["move-tab", "right"]);
    assert_eq!(env.action(s, &["query-tab-names"]), "four\nTab #1\ntwo\nthree\n", "round the end");
    env.action(s, &["close-tab"]);
    assert_eq!(env.action(s, &["query-tab-names"]), "Tab #1\ntwo\nthree\n");
}

#[test]
fn pane_verbs_rename_focus_move_resize_and_float() {
    let env = Env::new();
    let s = "panes";
    env.start(s, &[]);
    let right: u64 = env.action(s, &["new-pane", "--direction", "right"]).trim().parse().unwrap();
    assert_eq!(focused(&env, s), right);
    env.action(s, &["rename-pane", "logs"]);
    assert_eq!(pane(&env, s, right)["title"], "logs");
    env.action(s, &["rename-pane", "tail"]);
    env.action(s, &["undo-rename-pane"]);
    assert_eq!(pane(&env, s, right)["title"], "logs");

    env.action(s, &["move-focus", "left"]);
    assert_eq!(focused(&env, s), 0);
    env.action(s, &["focus-next-pane"]);
    assert_eq!(focused(&env, s), right);
    env.action(s, &["focus-previous-pane"]);
    assert_eq!(focused(&env, s), 0);
    // At the tab's edge, move-focus stays; move-focus-or-tab changes tab.
    env.action(s, &["new-tab"]);
    env.action(s, &["go-to-tab", "1"]);
    env.action(s, &["move-focus", "left"]);
    assert_eq!(tab_info(&env, s)["position"], 0);
    env.action(s, &["move-focus-or-tab", "left"]);
    assert_eq!(tab_info(&env, s)["position"], 1, "left of the first tab is the last");
    env.action(s, &["go-to-tab", "1"]);

    let x = |id| pane(&env, s, id)["x"].as_u64().unwrap();
    let (left_x, right_x) = (x(0), x(right));
    env.action(s, &["move-pane", "right"]);
    assert_eq!((x(0), x(right)), (right_x, left_x), "the two changed places");
    assert_eq!(focused(&env, s), 0, "the moved pane keeps the focus");
    env.action(s, &["move-pane-backwards"]);
    assert_eq!(x(0), left_x);

    let cols = |id| pane(&env, s, id)["cols"].as_u64().unwrap();
    let before = cols(0);
    env.action(s, &["resize", "increase", "right"]);
    let grown = cols(0);
    assert!(grown > before, "{grown} > {before}");
    env.action(s, &["resize", "-"]);
    assert!(cols(0) < grown, "{} < {grown}", cols(0));

    env.action(s, &["toggle-fullscreen"]);
    assert_eq!(cols(0), 100);
    env.action(s, &["toggle-fullscreen"]);
    assert!(cols(0) < 100);

    let term_cols = pane(&env, s, 0)["term_cols"].as_u64().unwrap();
    env.action(s, &["toggle-pane-frames"]);
    wait_until("frames go", || pane(&env, s, 0)["term_cols"].as_u64().unwrap() == term_cols + 2);
    env.action(s, &["toggle-pane-frames"]);

    env.action(s, &["toggle-pane-embed-or-floating"]);
    assert_eq!(pane(&env, s, 0)["is_floating"], true);
    assert_eq!(tab_info(&env, s)["are_floating_panes_visible"], true);
    env.action(s, &["hide-floating-panes"]);
    assert_eq!(tab_info(&env, s)["are_floating_panes_visible"], false);
    env.action(s, &["show-floating-panes"]);
    assert_eq!(tab_info(&env, s)["are_floating_panes_visible"], true);
    env.action(s, &["toggle-floating-panes"]);
    assert_eq!(tab_info(&env, s)["are_floating_panes_visible"], false);
    env.action(s, &["toggle-floating-panes"]);
    env.action(s, &["toggle-pane-embed-or-floating"]);
    assert_eq!(pane(&env, s, 0)["is_floating"], false);
    // The last tiled pane cannot float: the tab needs one.
    env.action(s, &["focus-pane-id", &right.to_string()]);
    env.action(s, &["close-pane"]);
    let err = env.fails(&["-s", s, "action", "toggle-pane-embed-or-floating"]);
    assert!(err.contains("only tiled pane"), "{err}");
}

#[test]
fn input_scroll_and_clear_verbs_reach_the_focused_pane() {
    let env = Env::new();
    let s = "input";
    env.start(s, &[]);
    for k in ["e", "c", "h", "o", "Space", "k", "e", "y", "s", "Enter"] {
        env.action(s, &["send-keys", k]);
    }
    env.wait_for_screen(s, "\nkeys");
    let err = env.fails(&["-s", s, "action", "send-keys", "Hyper x"]);
    assert!(err.contains("`Hyper x` is not a key"), "{err}");

    // A program that asked for bracketed paste gets it bracketed.
    env.action(s, &["write-chars", "printf '\\033[?2004h'; cat -v\n"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    env.action(s, &["paste", "pasted"]);
    env.action(s, &["send-keys", "Enter"]);
    env.wait_for_screen(s, "^[[200~pasted^[[201~");
    env.action(s, &["send-keys", "Ctrl c"]);

    env.action(s, &["write-chars", "seq 1 200\n"]);
    env.wait_for_screen(s, "200\n");
    let scroll = || pane(&env, s, 0)["scroll"].as_u64().unwrap();
    env.action(s, &["scroll-up"]);
    assert_eq!(scroll(), 1);
    env.action(s, &["scroll-down"]);
    assert_eq!(scroll(), 0);
    env.action(s, &["page-scroll-up"]);
    let page = scroll();
    assert!(page > 20, "{page}");
    env.action(s, &["half-page-scroll-down"]);
    assert_eq!(scroll(), page - page / 2);
    env.action(s, &["half-page-scroll-up"]);
    assert_eq!(scroll(), page);
    env.action(s, &["page-scroll-down"]);
    assert_eq!(scroll(), 0);
    env.action(s, &["scroll-to-top"]);
    assert_eq!(scroll(), pane(&env, s, 0)["scrollback"].as_u64().unwrap());
    env.action(s, &["scroll-to-bottom"]);
    assert_eq!(scroll(), 0);

    env.action(s, &["clear"]);
    assert_eq!(pane(&env, s, 0)["scrollback"], 0);
    assert_eq!(env.action(s, &["dump-screen", "--full"]).trim(), "");
}

#[test]
fn run_and_edit_open_panes_with_their_options() {
    let env = Env::new();
    let editor = env.root.path().join("fake-editor");
    std::fs::write(&editor, "#!/bin/sh\necho \"EDITING $*\"\nsleep 60\n").unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    env.write_config(&format!("scrollback_editor \"{}\"\n", editor.display()));
    let s = "run";
    env.start(s, &[]);

    let id: u64 = env
        .ok(&["-s", s, "run", "--floating", "--name", "build", "--", "sh", "-c", "echo built; sleep 60"])
        .trim()
        .parse()
        .unwrap();
    let p = pane(&env, s, id);
    assert_eq!((p["is_floating"].clone(), p["title"].clone()), (Value::Bool(true), "build".into()));
    env.wait_for_screen(s, "built");

    let gone: u64 = env.ok(&["-s", s, "run", "--close-on-exit", "--", "true"]).trim().parse().unwrap();
    wait_until("a close-on-exit pane closes", || panes(&env, s).iter().all(|p| p["id"] != gone));

    let held: u64 = env.ok(&["-s", s, "run", "--start-suspended", "--", "echo", "later"]).trim().parse().unwrap();
    assert_eq!(pane(&env, s, held)["suspended"], true);

    let file = env.root.path().join("notes.md");
    std::fs::write(&file, "hello\n").unwrap();
    let edited: u64 = env.ok(&["-s", s, "edit", file.to_str().unwrap(), "--line", "7"]).trim().parse().unwrap();
    let want = format!("EDITING +7 {}", file.display());
    wait_until("the editor runs", || env.action(s, &["dump-screen", "--pane-id", &edited.to_string()]).contains(&want));
}

#[test]
fn synchronized_input_reaches_every_pane_but_the_excluded_one() {
    let env = Env::new();
    let layout = env.root.path().join("sync.kdl");
    std::fs::write(&layout, "layout {\n  pane split_direction=\"vertical\" {\n    pane\n    pane\n    pane exclude_from_sync=true\n  }\n}\n")
        .unwrap();
    let s = "sync";
    env.start(s, &["--layout", layout.to_str().unwrap()]);
    env.action(s, &["toggle-active-sync-tab"]);
    assert_eq!(tab_info(&env, s)["is_sync_panes_active"], true);
    env.action(s, &["write-chars", "echo syn$((1+1))ced\n"]);
    let screen = |id: &str| env.action(s, &["dump-screen", "--pane-id", id]);
    wait_until("both synced panes ran it", || screen("0").contains("syn2ced") && screen("1").contains("syn2ced"));
    assert!(!screen("2").contains("syn"), "the excluded pane got it:\n{}", screen("2"));
    env.action(s, &["toggle-active-sync-tab"]);
    env.action(s, &["write-chars", "echo al$((0+1))one\n"]);
    wait_until("the focused pane ran it", || screen("0").contains("al1one"));
    assert!(!screen("1").contains("al1one"));
}

#[test]
fn sessions_smaller_than_ten_by_five_work_down_to_one_cell() {
    let env = Env::new();
    for (i, size) in ["1x1", "2x1", "3x2", "9x4"].into_iter().enumerate() {
        let s = format!("tiny{i}");
        env.ok(&["attach", "-b", &s, "--size", size]);
        let _guard = common::KillOnDrop(vec![env.pid_of(&s).unwrap()]);
        env.action(&s, &["new-pane"]);
        env.action(&s, &["new-pane", "--floating"]);
        env.action(&s, &["new-tab"]);
        env.action(&s, &["write-chars", "printf '\\033[1\"q中文\\033[?2J'; seq 1 30\n"]);
        env.action(&s, &["toggle-pane-frames"]);
        env.action(&s, &["next-swap-layout"]);
        let panes = panes(&env, &s);
        assert_eq!(panes.len(), 4, "{size}: {panes:?}");
        for p in &panes {
            assert!(p["term_cols"].as_u64().unwrap() >= 1 && p["term_rows"].as_u64().unwrap() >= 1, "{size}: {p}");
        }
        env.action(&s, &["dump-screen", "--full"]);
        env.action(&s, &["dump-layout"]);
    }
    assert!(env.fails(&["attach", "-b", "zero", "--size", "0x3"]).contains("at least 1x1"));
}

#[test]
fn verbs_aimed_by_id_tabs_panes_floating_and_stacks() {
    let env = Env::new();
    let s = "byid";
    env.start(s, &[]);
    env.action(s, &["new-tab", "--name", "two"]);
    let two = tab_info(&env, s)["tab_id"].as_u64().unwrap().to_string();
    env.action(s, &["go-to-tab", "1"]);
    env.action(s, &["go-to-tab-by-id", &two]);
    assert_eq!(tab_info(&env, s)["name"], "two");
    env.action(s, &["rename-tab-by-id", &two, "second"]);
    assert_eq!(env.action(s, &["query-tab-names"]), "Tab #1\nsecond\n");
    let err = env.fails(&["-s", s, "action", "go-to-tab-by-id", "99"]);
    assert!(err.contains("no tab with id 99"), "{err}");
    env.action(s, &["close-tab-by-id", &two]);
    assert_eq!(env.action(s, &["query-tab-names"]), "Tab #1\n");

    // are-floating-panes-visible answers with its exit status too.
    let out = env.run(&["-s", s, "action", "are-floating-panes-visible"]);
    assert_eq!((out.status.code(), String::from_utf8_lossy(&out.stdout).trim()), (Some(1), "false"));
    let float: u64 = env.action(s, &["new-pane", "--floating"]).trim().parse().unwrap();
    let out = env.run(&["-s", s, "action", "are-floating-panes-visible"]);
    assert_eq!((out.status.code(), String::from_utf8_lossy(&out.stdout).trim()), (Some(0), "true"));
    let id = format!("terminal_{float}");
    env.action(
        s,
        &[
            "change-floating-pane-coordinates",
            "-p",
            &id,
            "-x",
            "10",
            "-y",
            "10%",
            "--width",
            "50%",
            "--height",
            "8",
            "--pinned",
            "true",
        ],
    );
    let p = pane(&env, s, float);
    assert_eq!(
        (p["cols"].as_u64(), p["rows"].as_u64(), p["is_pinned"].clone()),
        (Some(50), Some(8), Value::Bool(true))
    );
    assert_eq!(p["x"], 10);
    env.action(s, &["toggle-pane-pinned", "-p", &float.to_string()]);
    assert_eq!(pane(&env, s, float)["is_pinned"], false);
    let err = env.fails(&["-s", s, "action", "change-floating-pane-coordinates", "-p", "0", "-x", "3"]);
    assert!(err.contains("not floating"), "{err}");

    env.action(s, &["set-pane-color", "-p", "0", "--fg", "rgb:00/e0/00", "--bg", "#001a3a"]);
    let p = pane(&env, s, 0);
    assert_eq!((p["default_fg"].clone(), p["default_bg"].clone()), ("rgb:00/e0/00".into(), "#001a3a".into()));
    env.action(s, &["set-pane-color", "-p", "0", "--reset"]);
    assert_eq!(pane(&env, s, 0)["default_fg"], Value::Null);
    assert!(env.fails(&["-s", s, "action", "set-pane-color", "--fg", "purple"]).contains("not a colour"));

    env.action(s, &["set-pane-borderless", "-p", "0", "-b"]);
    assert_eq!(pane(&env, s, 0)["borderless"], true);
    env.action(s, &["toggle-pane-borderless", "-p", "0"]);
    assert_eq!(pane(&env, s, 0)["borderless"], false);

    // Focus the floating pane, then the tiled one: focus-last-pane goes back.
    env.action(s, &["focus-pane-id", &float.to_string()]);
    env.action(s, &["focus-pane-id", "0"]);
    env.action(s, &["focus-last-pane"]);
    assert_eq!(focused(&env, s), float);

    let right: u64 = env.action(s, &["new-pane", "--direction", "right"]).trim().parse().unwrap();
    env.action(s, &["stack-panes", "--", "0", &format!("terminal_{right}"), &float.to_string()]);
    let stacked: Vec<u64> =
        panes(&env, s).iter().filter(|p| p["is_stacked"] == true).map(|p| p["id"].as_u64().unwrap()).collect();
    assert_eq!(stacked.len(), 3, "{stacked:?}");
    assert!(env.fails(&["-s", s, "action", "stack-panes", "--", "0", "77"]).contains("no pane with id 77"));

    env.action(s, &["switch-mode", "locked"]);
    assert!(env.fails(&["-s", s, "action", "switch-mode", "sideways"]).contains("is not a mode"));
    let file = env.root.path().join("f.txt");
    std::fs::write(&file, "x").unwrap();
    // `action edit` is `revenant edit` (tested with its options above).
    let edited: Result<u64, _> = env.action(s, &["edit", file.to_str().unwrap()]).trim().parse();
    assert!(edited.is_ok());
}

#[test]
fn closing_a_pane_focuses_the_pane_that_takes_its_place() {
    let env = Env::new();
    let s = "heir";
    env.start(s, &[]);
    let b: u64 = env.action(s, &["new-pane", "--direction", "right"]).trim().parse().unwrap();
    let c: u64 = env.action(s, &["new-pane", "--direction", "down"]).trim().parse().unwrap();
    assert_eq!(focused(&env, s), c);
    env.action(s, &["close-pane"]);
    assert_eq!(focused(&env, s), b, "the pane #c was split from, not the left pane");
}

#[test]
fn paste_and_write_chars_read_long_text_from_stdin() {
    use std::io::Write;
    let env = Env::new();
    let s = "stdin";
    let out = env.root.path().join("pasted");
    env.start(s, &["--", "sh", "-c", &format!("cat > {}", out.display())]);
    // Longer than an argument may be (`Argument list too long`).
    let text: String = (0..10_000).map(|i| format!("line {i:05} of the pasted text\n")).collect();
    assert!(text.len() > 270_000);
    for verb in ["paste", "write-chars"] {
        let mut child =
            env.cmd().args(["-s", s, "action", verb, "--stdin"]).stdin(std::process::Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        assert!(child.wait().unwrap().success(), "{verb} --stdin");
    }
    let len = || std::fs::metadata(&out).map(|m| m.len() as usize).unwrap_or(0);
    wait_until("both texts to arrive", || len() == 2 * text.len());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text.repeat(2));
}
