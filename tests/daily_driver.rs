//! What a person does fifty times a day, driven in tmux: copy with the
//! mouse (OSC 52 to the terminal, and `copy_command`), search and edit the
//! scrollback, synchronized typing, switching sessions; and the shell
//! completions and man pages.

mod common;

use std::path::Path;
use std::time::Duration;

use common::tmux::Tmux;
use common::{Env, KillOnDrop, wait_until};

fn script(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
}

/// SGR mouse reports, as a terminal sends them (1-based cells).
fn press(col: u16, row: u16) -> String {
    format!("\x1b[<0;{};{}M", col + 1, row + 1)
}
fn drag(col: u16, row: u16) -> String {
    format!("\x1b[<32;{};{}M", col + 1, row + 1)
}
fn release(col: u16, row: u16) -> String {
    format!("\x1b[<0;{};{}m", col + 1, row + 1)
}

#[test]
fn a_mouse_selection_goes_to_osc_52_and_copy_command() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let copied = env.root.path().join("copied.txt");
    env.write_config(&format!("pane_frames false\ncopy_command \"cat > '{}'\"\n", copied.display()));
    let show = env.root.path().join("show.sh");
    // A wide character, then a line of 130 columns: it wraps at 100.
    script(&show, "#!/bin/sh\nprintf 'x 漢字 y\\n'\nprintf '%0130d\\n' 7\nexec sleep 100\n");
    let layout = env.root.path().join("bare.kdl");
    std::fs::write(&layout, format!("layout {{\n  pane command=\"{}\"\n}}\n", show.display())).unwrap();
    tmux.open(&env, "t1", &format!("-s copy --layout {}", layout.display()), true);
    tmux.tmux(&["set", "-s", "set-clipboard", "on"]);
    tmux.wait_for("t1", "x 漢字 y");
    let _guard = KillOnDrop(vec![env.pid_of("copy").expect("the session runs")]);

    let buffer = |want: &str| {
        wait_until(&format!("tmux's buffer holds {want:?}"), || tmux.tmux(&["show-buffer"]) == want);
    };
    // From the right half of 漢 over the wrapped line to column 5 below it.
    let keys = [press(3, 0), drag(50, 1), drag(5, 2), release(5, 2)].concat();
    tmux.tmux(&["send-keys", "-t", "t1", "-l", &keys]);
    let want = format!("漢字 y\n{}000000", "0".repeat(100));
    buffer(&want);
    wait_until("copy_command got the same text", || std::fs::read_to_string(&copied).is_ok_and(|t| t == want));

    // A double click takes the word, a triple click the line.
    let click = [press(2, 0), release(2, 0)].concat();
    tmux.tmux(&["send-keys", "-t", "t1", "-l", &click.repeat(2)]);
    buffer("漢字");
    std::thread::sleep(Duration::from_millis(500));
    tmux.tmux(&["send-keys", "-t", "t1", "-l", &click.repeat(3)]);
    buffer("x 漢字 y");

    // Shift-drag is the outer terminal's: nothing is copied.
    tmux.tmux(&["set-buffer", "untouched"]);
    let shifted = "\x1b[<4;1;1M\x1b[<36;5;1M\x1b[<4;5;1m";
    tmux.tmux(&["send-keys", "-t", "t1", "-l", shifted]);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(tmux.tmux(&["show-buffer"]), "untouched");
}

#[test]
fn search_mode_finds_steps_and_toggles_its_options() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    tmux.open(&env, "t1", "-s find", true);
    tmux.wait_for("t1", "NORMAL");
    let _guard = KillOnDrop(vec![env.pid_of("find").expect("the session runs")]);
    // The command line spells it `ma''tch`, so only the output matches.
    tmux.keys("t1", &["echo ma''tch older; seq 1 100; echo ma''tch newer", "Enter"]);
    tmux.wait_for("t1", "match newer");

    tmux.keys("t1", &["C-s"]);
    tmux.keys("t1", &["s"]);
    tmux.keys("t1", &["-l", "match"]);
    tmux.wait_for("t1", "Find: match_");
    tmux.keys("t1", &["Enter"]);
    tmux.wait_for("t1", "Find: match · 2/2 · case off · whole word off · wrap off");
    let coloured = tmux.tmux(&["capture-pane", "-p", "-e", "-t", "t1"]);
    assert!(coloured.contains("48;5;166"), "the current match is highlighted:\n{coloured}");

    // As in Zellij: p (or N) goes up to the older match, n down.
    tmux.keys("t1", &["p"]);
    let screen = tmux.wait_for("t1", "· 1/2 ·");
    assert!(screen.contains("match older"), "the view scrolled to the older match:\n{screen}");
    assert!(screen.contains("[SCROLL"), "{screen}");
    tmux.keys("t1", &["N"]);
    std::thread::sleep(Duration::from_millis(200));
    assert!(tmux.screen("t1").contains("· 1/2 ·"), "without wrap-around, it stops at the oldest");
    tmux.keys("t1", &["w"]);
    tmux.wait_for("t1", "wrap on");
    tmux.keys("t1", &["p"]);
    tmux.wait_for("t1", "· 2/2 ·");
    tmux.keys("t1", &["n"]);
    tmux.wait_for("t1", "· 1/2 ·");
    tmux.keys("t1", &["n"]);
    tmux.wait_for("t1", "· 2/2 ·");
    tmux.keys("t1", &["o"]);
    tmux.wait_for("t1", "whole word on");
    tmux.keys("t1", &["c"]);
    tmux.wait_for("t1", "case on · whole word on");

    // A new query: case-sensitive now, so MATCH finds nothing.
    tmux.keys("t1", &["s"]);
    tmux.keys("t1", &["-l", "MATCH"]);
    tmux.keys("t1", &["Enter"]);
    tmux.wait_for("t1", "Find: MATCH · 0/0");
    tmux.keys("t1", &["Escape"]);
    let back = tmux.wait_for("t1", "NORMAL");
    assert!(!back.contains("Find:"), "{back}");
}

#[test]
fn edit_scrollback_opens_the_editor_in_place_and_comes_back() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let kept = env.root.path().join("kept.txt");
    let editor = env.root.path().join("editor.sh");
    let args = env.root.path().join("args.txt");
    script(
        &editor,
        &format!(
            "#!/bin/sh\necho \"$@\" > '{}'\neval file=\\${{$#}}\ncp \"$file\" '{}'\necho \"EDITOR ON $file\"\nread line\n",
            args.display(),
            kept.display()
        ),
    );
    env.write_config(&format!("scrollback_editor \"{}\"\n", editor.display()));
    tmux.open(&env, "t1", "-s edit", true);
    tmux.wait_for("t1", "NORMAL");
    let _guard = KillOnDrop(vec![env.pid_of("edit").expect("the session runs")]);
    tmux.keys("t1", &["seq 1 80", "Enter"]);
    tmux.wait_for("t1", "80");

    tmux.keys("t1", &["C-s"]);
    tmux.keys("t1", &["e"]);
    tmux.wait_for("t1", "EDITOR ON");
    let file = env.cache_dir().join("scrollback/edit-pane-0.txt");
    assert!(file.exists(), "the scrollback is in {}", file.display());
    wait_until("the editor got the scrollback", || std::fs::read_to_string(&kept).is_ok_and(|t| t.contains("\n80\n")));
    let text = std::fs::read_to_string(&kept).unwrap();
    assert!(text.contains("$ seq 1 80\n1\n2\n3\n"), "the whole scrollback:\n{text}");
    let last = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).last().unwrap().0 + 1;
    let given = std::fs::read_to_string(&args).unwrap();
    assert!(given.starts_with(&format!("+{last} ")), "opened at its last line, {last}: {given}");
    let panes = env.json("edit", &["list-panes", "--json"]);
    assert_eq!(panes.as_array().unwrap().len(), 1, "the editor stands in the pane's place");

    tmux.keys("t1", &["Enter"]);
    let back = tmux.wait_for("t1", "80");
    assert!(!back.contains("EDITOR ON"), "{back}");
    let panes = env.json("edit", &["list-panes", "--json"]);
    assert_eq!(panes[0]["id"], 0, "the pane itself is back");
    wait_until("the scrollback file is gone", || !file.exists());
    tmux.keys("t1", &["echo still-$((2+3))", "Enter"]);
    tmux.wait_for("t1", "still-5");
}

#[test]
fn synchronized_typing_shows_in_the_status_bar_and_skips_excluded_panes() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let layout = env.root.path().join("sync.kdl");
    std::fs::write(
        &layout,
        "layout {\n  pane size=1 borderless=true { plugin location=\"zellij:tab-bar\"; }\n  pane split_direction=\"vertical\" {\n    pane\n    pane\n    pane exclude_from_sync=true\n  }\n  pane size=2 borderless=true { plugin location=\"zellij:status-bar\"; }\n}\n",
    )
    .unwrap();
    tmux.open(&env, "t1", &format!("-s typing --layout {}", layout.display()), true);
    tmux.wait_for("t1", "NORMAL");
    let _guard = KillOnDrop(vec![env.pid_of("typing").expect("the session runs")]);
    tmux.keys("t1", &["C-t"]);
    tmux.keys("t1", &["s"]);
    tmux.wait_for("t1", "SYNC");
    tmux.keys("t1", &["echo to-$((6*7))", "Enter"]);
    let screen = |id: &str| env.action("typing", &["dump-screen", "--pane-id", id]);
    wait_until("both synced panes ran it", || screen("0").contains("to-42") && screen("1").contains("to-42"));
    assert!(!screen("2").contains("to-"), "the excluded pane got it:\n{}", screen("2"));
    tmux.keys("t1", &["C-t"]);
    tmux.keys("t1", &["s"]);
    wait_until("sync is off", || !tmux.screen("t1").contains("SYNC"));
}

#[test]
fn switch_session_moves_the_client_to_a_tab_there() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    env.start("first", &[]);
    env.start("second", &[]);
    env.action("second", &["new-tab", "--name", "far"]);
    tmux.open(&env, "t1", "attach first", true);
    tmux.wait_for("t1", "NORMAL");
    env.action("first", &["switch-session", "second", "--tab-position", "1"]);
    tmux.wait_for("t1", "2 far");
    wait_until("the client is on tab 2 of second", || {
        let clients = env.json("second", &["list-clients", "--json"]);
        clients.as_array().unwrap().len() == 1 && clients[0]["tab"] == 1
    });
    // A session that does not exist yet is created, from --layout.
    env.action("second", &["switch-session", "third", "--layout", "compact"]);
    wait_until("third runs with the client", || {
        env.pid_of("third").is_some() && env.json("third", &["list-clients", "--json"]).as_array().unwrap().len() == 1
    });
    let _guard = KillOnDrop(vec![env.pid_of("third").unwrap()]);
    let err = env.fails(&["-s", "third", "action", "switch-session", "nobody/here"]);
    assert!(err.contains("nobody/here"), "{err}");
}

#[test]
fn completions_list_sessions_and_layouts_and_man_pages_are_written() {
    let env = Env::new();
    env.start("alpha1", &[]);
    std::fs::create_dir_all(env.config_dir().join("layouts")).unwrap();
    std::fs::write(env.config_dir().join("layouts/mine.kdl"), "layout { pane; }\n").unwrap();
    let complete = |words: &[&str]| {
        let out = env.cmd().env("COMPLETE", "fish").arg("--").args(words).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let sessions = complete(&["revenant", "attach", ""]);
    assert!(sessions.lines().any(|l| l.starts_with("alpha1")), "{sessions}");
    let layouts = complete(&["revenant", "attach", "-l", ""]);
    assert!(layouts.lines().any(|l| l.starts_with("compact")) && layouts.contains("mine"), "{layouts}");
    let verbs = complete(&["revenant", "action", "toggle-"]);
    assert!(verbs.contains("toggle-active-sync-tab") && verbs.contains("toggle-pane-frames"), "{verbs}");
    let flags = complete(&["revenant", "run", "--"]);
    assert!(flags.contains("--close-on-exit") && flags.contains("--start-suspended"), "{flags}");

    for shell in ["bash", "zsh", "fish"] {
        let script = env.ok(&["setup", "--generate-completion", shell]);
        assert!(script.contains("COMPLETE") && script.contains("revenant"), "{shell}:\n{script}");
    }
    let dir = env.root.path().join("man");
    env.ok(&["setup", "--generate-man", dir.to_str().unwrap()]);
    let page = std::fs::read_to_string(dir.join("revenant.1")).unwrap();
    assert!(page.contains(".TH revenant"), "{page}");
    let verb = std::fs::read_to_string(dir.join("revenant-action-switch-session.1")).unwrap();
    assert!(verb.contains("tab\\-position"), "{verb}");
}

#[test]
fn a_client_in_a_tiny_terminal_draws_without_failing() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    tmux.open(&env, "t1", "-s small", true);
    tmux.wait_for("t1", "NORMAL");
    let pid = env.pid_of("small").expect("the session runs");
    let _guard = KillOnDrop(vec![pid]);
    env.action("small", &["new-pane", "--direction", "right"]);
    for (cols, rows) in [("9", "4"), ("3", "2"), ("1", "1"), ("100", "30")] {
        tmux.tmux(&["resize-window", "-t", "t1", "-x", cols, "-y", rows]);
        std::thread::sleep(Duration::from_millis(400));
        tmux.keys("t1", &["echo", "Space", "alive", "Enter"]);
        assert!(common::process_alive(pid), "the server survives {cols}x{rows}");
    }
    tmux.wait_for("t1", "NORMAL");
    let clients = env.json("small", &["list-clients", "--json"]);
    assert_eq!(clients.as_array().unwrap().len(), 1, "the client is still attached");
}
