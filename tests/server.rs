//! A real server with real PTYs and shells, driven headlessly through the CLI.

mod common;

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;

use common::{Env, process_alive, wait_until};

#[test]
fn a_headless_session_runs_a_shell_and_takes_input() {
    let env = Env::new();
    env.start("alpha", &[]);
    env.action("alpha", &["write-chars", "echo \"$REVENANT_SESSION_NAME:$REVENANT_PANE_ID:$TERM:$REVENANT\"\n"]);
    env.wait_for_screen("alpha", "alpha:0:xterm-256color:0");

    let panes = env.json("alpha", &["list-panes", "--json"]);
    let panes = panes.as_array().unwrap();
    assert_eq!(panes.len(), 1);
    let p = &panes[0];
    for key in [
        "id",
        "tab",
        "tab_name",
        "title",
        "is_plugin",
        "plugin_location",
        "is_floating",
        "is_focused",
        "cwd",
        "command",
        "x",
        "y",
        "cols",
        "rows",
    ] {
        assert!(p.get(key).is_some(), "list-panes lacks {key}: {p}");
    }
    assert_eq!(p["is_focused"], true);
    assert_eq!(p["cols"], 100);
    assert_eq!(p["rows"], 28, "the tab bar and status bar take a row each");
}

#[test]
fn sockets_are_private_and_sessions_listed() {
    let env = Env::new();
    env.start("bravo", &[]);
    let dir = std::fs::metadata(env.socket_dir()).unwrap().permissions().mode() & 0o777;
    assert_eq!(dir, 0o700);
    let sock = std::fs::metadata(env.socket_dir().join("bravo")).unwrap().permissions().mode() & 0o777;
    assert_eq!(sock, 0o600);
    let ls = env.ok(&["ls", "--no-formatting"]);
    assert!(ls.starts_with("bravo [Created "), "{ls}");
    assert_eq!(env.ok(&["ls", "--short"]), "bravo\n");
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["ls", "--json"])).unwrap();
    assert_eq!(json[0]["state"], "live");
    assert!(json[0]["created_unix"].as_u64().unwrap() > 1_600_000_000);
}

#[test]
fn splits_floating_panes_and_tabs_through_actions() {
    let env = Env::new();
    env.start("charlie", &[]);
    let right: u32 = env.action("charlie", &["new-pane", "--direction", "right"]).trim().parse().unwrap();
    let down: u32 =
        env.action("charlie", &["new-pane", "--direction", "down", "--name", "logs"]).trim().parse().unwrap();
    let panes = env.json("charlie", &["list-panes", "--json"]);
    let by_id = |id: u32| panes.as_array().unwrap().iter().find(|p| p["id"] == id).unwrap().clone();
    assert_eq!(by_id(0)["x"], 0);
    assert_eq!(by_id(right)["x"], 50);
    assert_eq!(by_id(right)["rows"], 14);
    assert_eq!(by_id(down)["y"], 15);
    assert_eq!(by_id(down)["title"], "logs");
    assert_eq!(by_id(down)["is_focused"], true);

    let float: u32 = env.action("charlie", &["new-pane", "--floating", "--", "sleep", "100"]).trim().parse().unwrap();
    let panes = env.json("charlie", &["list-panes", "--json"]);
    let f = panes.as_array().unwrap().iter().find(|p| p["id"] == float).unwrap();
    assert_eq!(f["is_floating"], true);
    assert_eq!(f["command"], serde_json::json!(["sleep", "100"]));

    assert_eq!(env.action("charlie", &["new-tab", "--name", "second"]).trim(), "2");
    let tabs = env.json("charlie", &["list-tabs", "--json"]);
    assert_eq!(tabs[1]["name"], "second");
    assert_eq!(tabs[1]["is_focused"], true);
    assert_eq!(tabs[0]["pane_count"], 4);
    env.action("charlie", &["go-to-tab", "1"]);
    assert_eq!(env.json("charlie", &["list-tabs", "--json"])[0]["is_focused"], true);

    // Closing a pane gives its space back.
    env.action("charlie", &["focus-pane-id", &down.to_string()]);
    env.action("charlie", &["close-pane"]);
    let panes = env.json("charlie", &["list-panes", "--json"]);
    let r = panes.as_array().unwrap().iter().find(|p| p["id"] == right).unwrap();
    assert_eq!(r["rows"], 28);
    assert!(env.fails(&["-s", "charlie", "action", "go-to-tab", "9"]).contains("no tab 9"));
}

#[test]
fn a_command_pane_holds_its_exit_status() {
    let env = Env::new();
    env.start("delta", &["--", "sh", "-c", "echo bye; exit 3"]);
    wait_until("the command to exit", || env.json("delta", &["list-panes", "--json"])[0]["exited"] == 3);
    assert!(env.action("delta", &["dump-screen"]).contains("bye"));
}

#[test]
fn kill_session_stops_the_server_and_a_killed_server_is_swept() {
    let env = Env::new();
    let pid = env.start("echo", &[]);
    env.ok(&["kill-session", "echo"]);
    wait_until("the server to exit", || !process_alive(pid));
    // Saved on the way out: listed as exited, ready to resurrect.
    let list: serde_json::Value = serde_json::from_str(&env.ok(&["ls", "--json"])).unwrap();
    assert_eq!(list[0]["name"], "echo");
    assert_eq!(list[0]["state"], "exited");
    env.ok(&["delete-session", "echo"]);

    let pid = env.start("foxtrot", &[]);
    std::process::Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap();
    wait_until("the server to die", || !process_alive(pid));
    assert!(env.socket_dir().join("foxtrot").exists(), "a crashed server leaves its socket");
    let list: serde_json::Value = serde_json::from_str(&env.ok(&["ls", "--json"])).unwrap();
    assert!(list.as_array().unwrap().iter().all(|s| s["state"] != "live"), "{list}");
    assert!(!env.socket_dir().join("foxtrot").exists(), "listing removes the stale socket");
    assert!(env.fails(&["kill-session", "foxtrot"]).contains("no live session named `foxtrot`"));
}

#[test]
fn a_server_stopped_by_a_signal_saves_and_leaves_no_socket() {
    let env = Env::new();
    // SIGHUP (the terminal went), SIGTERM (shutdown) and SIGINT each stop
    // the server as kill-session does: saved, socket removed. They arrive
    // in the server's poll, with no thread of their own.
    for (name, signal) in [("hang", "-HUP"), ("term", "-TERM"), ("intr", "-INT")] {
        let pid = env.start(name, &[]);
        env.action(name, &["write-chars", "echo before-''the-signal\n"]);
        env.wait_for_screen(name, "before-the-signal");
        std::process::Command::new("kill").args([signal, &pid.to_string()]).status().unwrap();
        wait_until("the server to exit", || !process_alive(pid));
        assert!(!env.socket_dir().join(name).exists(), "{signal} left the socket");
        let list: serde_json::Value = serde_json::from_str(&env.ok(&["ls", "--json"])).unwrap();
        let entry = list.as_array().unwrap().iter().find(|s| s["name"] == name).cloned();
        assert_eq!(entry.map(|e| e["state"].clone()), Some("exited".into()), "{signal}: {list}");
    }
    let names = |pid: u32| -> Vec<String> {
        std::fs::read_dir(format!("/proc/{pid}/task"))
            .unwrap()
            .flatten()
            .filter_map(|t| std::fs::read_to_string(t.path().join("comm")).ok())
            .map(|c| c.trim().to_owned())
            .collect()
    };
    let pid = env.start("quiet", &[]);
    let _guard = common::KillOnDrop(vec![pid]);
    wait_until("the server's threads", || !names(pid).is_empty());
    // Nor does a thread wait only to debounce file changes.
    assert!(!names(pid).iter().any(|n| n == "signals" || n == "plugin-watch"), "{:?}", names(pid));
}

#[test]
fn kill_all_sessions_gets_past_a_server_that_never_answers() {
    let env = Env::new();
    let pid = env.start("healthy", &[]);
    // Listens, so it looks alive, but never accepts or answers.
    let _stuck = std::os::unix::net::UnixListener::bind(env.socket_dir().join("stuck")).unwrap();
    let started = std::time::Instant::now();
    let mut child = env.cmd().args(["kill-all-sessions", "-y"]).stderr(std::process::Stdio::piped()).spawn().unwrap();
    // Bounded, so a hang fails the test instead of stalling the suite.
    while child.try_wait().unwrap().is_none() && started.elapsed() < std::time::Duration::from_secs(15) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?}: {stderr}", started.elapsed());
    assert!(!out.status.success(), "a session it could not end is a failure: {stderr}");
    assert!(stderr.contains("stuck") && !stderr.contains("healthy"), "{stderr}");
    wait_until("the healthy server to exit", || !process_alive(pid));
}

#[test]
fn bad_names_and_missing_sessions_are_clear_errors() {
    let env = Env::new();
    for (name, expect) in [("a/b", "contains `/`"), ("..x", "`..`"), ("bell\u{7}", "control character")] {
        let err = env.fails(&["attach", "-b", name]);
        assert!(err.contains(expect), "{name}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    }
    let err = env.fails(&["attach", "nobody"]);
    assert!(err.contains("no session named `nobody`"), "{err}");
    let err = env.fails(&["action", "list-panes"]);
    assert!(err.contains("which session?"), "{err}");
}

#[test]
fn a_client_of_another_protocol_version_is_told_so() {
    let env = Env::new();
    env.start("golf", &[]);
    let mut s = UnixStream::connect(env.socket_dir().join("golf")).unwrap();
    let mut frame = b"RVNT".to_vec();
    frame.extend_from_slice(&99u16.to_le_bytes());
    frame.extend_from_slice(&0u32.to_le_bytes());
    s.write_all(&frame).unwrap();
    let mut reply = Vec::new();
    s.read_to_end(&mut reply).unwrap();
    let msg: revenant::ipc::ServerMsg = revenant::ipc::read_frame(&mut reply.as_slice()).unwrap();
    let text = format!("{msg:?}");
    let ours = format!("version {}", revenant::ipc::PROTOCOL_VERSION);
    assert!(text.contains("version 99") && text.contains(&ours), "{text}");
}

#[test]
fn a_bad_config_is_reported_with_file_line_and_column() {
    let env = Env::new();
    env.write_config("pane_frames true\nscroll_bufer_size 10\n");
    let err = env.fails(&["setup", "--check"]);
    assert!(err.contains("config.kdl:2:1"), "{err}");
    assert!(err.contains("scroll_buffer_size"), "did you mean: {err}");
    assert!(!err.contains("revenant: "), "the framed report only, not a plain line after it: {err}");
    let err = env.fails(&["attach", "-b", "india"]);
    assert!(err.contains("config.kdl:2:1"), "the server refuses to start and says why: {err}");
    env.write_config("mirror_session true\n");
    assert!(env.ok(&["setup", "--check"]).contains("is valid"));
    assert!(env.ok(&["setup", "--dump-config"]).contains("scroll_buffer_size 10000"));
}

#[test]
fn without_frames_panes_fill_their_rectangles() {
    let env = Env::new();
    env.write_config("pane_frames false\n");
    env.start("juliet", &[]);
    let panes = env.json("juliet", &["list-panes", "--json"]);
    assert_eq!(panes[0]["term_cols"], 100);
    assert_eq!(panes[0]["term_rows"], 28);
}

#[test]
fn dump_layout_goes_through_the_serializer_plugin() {
    let env = Env::new();
    env.start("lima", &[]);
    env.action("lima", &["new-pane", "--direction", "right", "--", "sleep", "300"]);
    env.action("lima", &["new-tab", "--name", "two \"quoted\""]);
    let kdl = env.action("lima", &["dump-layout"]);
    assert!(kdl.starts_with("layout {"), "{kdl}");
    assert!(kdl.contains("split_direction=\"vertical\""), "{kdl}");
    assert!(kdl.contains("command=\"sleep\""), "{kdl}");
    assert!(kdl.contains("args \"300\""), "{kdl}");
    assert!(kdl.contains("start_suspended true"), "{kdl}");
    assert!(kdl.contains("tab name=\"two \\\"quoted\\\"\" focus=true"), "{kdl}");
    assert_eq!(kdl.matches("focus=true").count(), 3, "one focused tab and one focused pane per tab: {kdl}");
}

#[test]
fn setup_prints_built_in_layouts() {
    let env = Env::new();
    assert!(env.ok(&["setup", "--dump-layout", "default"]).contains("zellij:tab-bar"));
    let err = env.fails(&["setup", "--dump-layout", "nope"]);
    assert!(err.contains("no built-in layout `nope`") && err.contains("compact"), "{err}");
}

#[test]
fn layout_check_prints_the_tree_or_the_error_with_its_position() {
    let env = Env::new();
    let tree = env.ok(&["layout", "check", "splits", "--size", "100x30"]);
    assert!(tree.contains("tiled 0,1 60x27 focus name \"main\""), "{tree}");
    // Between the bars, where a session puts it.
    assert!(tree.contains("floating 10,2 50x13 name \"scratch\""), "{tree}");
    let bad = env.root.path().join("bad.kdl");
    std::fs::write(&bad, "layout {\n    pane split_direction=\"diagonal\"\n}\n").unwrap();
    let err = env.fails(&["layout", "check", bad.to_str().unwrap()]);
    assert!(err.contains("bad.kdl:2:"), "{err}");
    assert!(err.contains("split_direction"), "{err}");
    assert!(!err.contains("revenant: "), "the framed report only, not a plain line after it: {err}");
    assert!(env.fails(&["layout", "check", bad.to_str().unwrap(), "--strict"]).contains("bad.kdl:2:"));

    // Valid but too big for the size: a warning, unless --strict.
    let big = env.root.path().join("big.kdl");
    std::fs::write(&big, "layout {\n    pane size=30\n    pane size=30\n}\n").unwrap();
    let out = env.run(&["layout", "check", big.to_str().unwrap(), "--size", "80x40"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("big.kdl:3:") && stderr.contains("warning: the layout does not fit 80x40"), "{stderr}");
    let err = env.fails(&["layout", "check", big.to_str().unwrap(), "--size", "80x40", "--strict"]);
    assert!(err.contains("big.kdl:3:") && !err.contains("warning: the layout"), "{err}");
    assert!(env.run(&["layout", "check", big.to_str().unwrap(), "--size", "80x60", "--strict"]).status.success());
}

#[test]
fn a_shell_panes_title_follows_what_it_runs() {
    let env = Env::new();
    env.start("titles", &["--layout", "compact"]);
    let title = || env.json("titles", &["list-panes", "--json"])[0]["title"].as_str().unwrap_or_default().to_owned();
    let idle = title();
    env.action("titles", &["write-chars", "sleep 300 && echo done\n"]);
    wait_until("the frame to name the running program", || title() == "sleep 300");
    // Ctrl-c: the shell is in the foreground again, and so is its title.
    env.action("titles", &["write", "3"]);
    wait_until("the title to come back", || title() == idle);
}

/// A hello as a terminal of `cols`x`rows` would send it.
fn attach_hello(cols: u16, rows: u16) -> revenant::ipc::ClientMsg {
    match common::hello(revenant::ipc::Role::Attach) {
        revenant::ipc::ClientMsg::Hello(h) => revenant::ipc::ClientMsg::Hello(revenant::ipc::Hello { cols, rows, ..h }),
        _ => unreachable!(),
    }
}

#[test]
fn huge_and_empty_terminals_are_bounded_at_the_socket() {
    use revenant::ipc::{ServerMsg, read_frame, write_frame};
    use revenant::term_size::{MAX_CELLS, MAX_SIDE};
    let env = Env::new();
    env.start("kilo", &[]);
    let pid = env.pid_of("kilo").expect("kilo runs");
    let socket = env.socket_dir().join("kilo");

    // A terminal of 30000x30000 cells would need 25 GB for its screen.
    let mut big = UnixStream::connect(&socket).unwrap();
    write_frame(&mut big, &attach_hello(30_000, 30_000)).unwrap();
    assert!(matches!(read_frame::<_, ServerMsg>(&mut big).unwrap(), ServerMsg::Welcome { .. }));
    let clients = env.json("kilo", &["list-clients", "--json"]);
    let client = &clients.as_array().unwrap()[0];
    let (cols, rows) = (client["cols"].as_u64().unwrap(), client["rows"].as_u64().unwrap());
    assert!(cols <= u64::from(MAX_SIDE) && rows <= u64::from(MAX_SIDE) && cols * rows <= u64::from(MAX_CELLS));
    assert!(cols > 500 && rows > 500, "{cols}x{rows}: shrunk too far");
    write_frame(&mut big, &revenant::ipc::ClientMsg::Resize { cols: 65_535, rows: 65_535 }).unwrap();
    write_frame(&mut big, &revenant::ipc::ClientMsg::Resize { cols: 0, rows: 0 }).unwrap();
    assert!(env.ok(&["ls"]).contains("kilo"));
    assert!(process_alive(pid));
    drop(big);

    // Sixteen zero bytes after the header: a 0x0 attach, refused.
    let mut empty = UnixStream::connect(&socket).unwrap();
    write_frame(&mut empty, &attach_hello(0, 0)).unwrap();
    match read_frame::<_, ServerMsg>(&mut empty).unwrap() {
        ServerMsg::Exit(reason) => assert!(reason.to_string().contains("at least 1x1"), "{reason}"),
        other => panic!("a 0x0 terminal was let in: {other:?}"),
    }
    let panes = env.json("kilo", &["list-panes", "--json"]);
    assert!(panes[0]["cols"].as_u64().unwrap() > 1, "a 0x0 client shrank the panes: {panes}");

    let err = env.fails(&["attach", "-b", "lima", "--size", "65535x65535"]);
    assert!(err.contains("too large"), "{err}");
}

#[test]
fn the_servers_allocator_settings_stay_out_of_the_panes() {
    let env = Env::new();
    for (name, users) in [("theirs", Some("glibc.malloc.perturb=0")), ("none", None)] {
        let mut cmd = env.cmd();
        cmd.args(["attach", "-b", name, "--size", "80x24"]);
        match users {
            Some(value) => cmd.env("GLIBC_TUNABLES", value),
            None => cmd.env_remove("GLIBC_TUNABLES"),
        };
        assert!(cmd.status().unwrap().success());
        let pid = env.pid_of(name).unwrap();
        let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
        assert!(
            String::from_utf8_lossy(&environ).contains("glibc.malloc.tcache_count=0"),
            "the server starts without per-thread malloc caches"
        );
        env.action(
            name,
            &["write-chars", "echo \"T=[${GLIBC_TUNABLES-none}] U=[${REVENANT_USER_GLIBC_TUNABLES-none}]\"\n"],
        );
        env.wait_for_screen(name, &format!("T=[{}] U=[none]", users.unwrap_or("none")));
        env.ok(&["kill-session", name]);
    }
}
