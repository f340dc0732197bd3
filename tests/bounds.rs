//! Files a person names are read within bounds: only regular files, only
//! up to a size, never waiting on a FIFO. Each case against the real CLI and
//! a real server, as a hostile user tried them.

mod common;

use std::time::{Duration, Instant};

use common::Env;

/// A FIFO at `path` (nobody ever writes to it).
fn fifo(path: &std::path::Path) {
    rustix::fs::mkfifoat(rustix::fs::CWD, path, rustix::fs::Mode::from_raw_mode(0o600)).unwrap();
}

/// Runs the CLI, which must fail within seconds, and says what it printed.
fn fails_quickly(env: &Env, args: &[&str]) -> String {
    let (took, err) = common::timed(|| env.fails(args));
    assert!(took < Duration::from_secs(10), "{args:?} took {took:?}");
    err
}

#[test]
fn a_layout_that_is_a_device_a_fifo_or_too_large_is_refused_at_once() {
    let env = Env::new();
    let dir = env.root.path();
    let pipe = dir.join("pipe.kdl");
    fifo(&pipe);
    let big = dir.join("big.kdl");
    std::fs::File::create(&big).unwrap().set_len(64 << 20).unwrap();
    for (path, why) in [
        ("/dev/zero".into(), "a character device, not a regular file"),
        (pipe.clone(), "a FIFO, not a regular file"),
        (big.clone(), "over the limit"),
        (dir.to_path_buf(), "folder"),
    ] {
        let path = path.to_str().unwrap().to_string();
        let err = fails_quickly(&env, &["layout", "check", &path]);
        assert!(err.contains(&path) && err.contains(why), "layout check {path}: {err}");
        let err = fails_quickly(&env, &["attach", "-b", "mike", "--layout", &path]);
        assert!(err.contains(&path) && err.contains(why), "attach --layout {path}: {err}");
    }
    assert!(env.pid_of("mike").is_none(), "no session was started from a bad layout");
}

#[test]
fn a_config_or_plugin_that_is_not_a_small_regular_file_fails_the_check() {
    let env = Env::new();
    let sparse = env.root.path().join("huge.wasm");
    std::fs::File::create(&sparse).unwrap().set_len(3 << 30).unwrap();
    for (location, why) in
        [("/dev/zero".to_string(), "character device"), (sparse.display().to_string(), "over the limit")]
    {
        env.write_config(&format!("plugins {{\n    serializer location=\"file:{location}\"\n}}\n"));
        let err = fails_quickly(&env, &["setup", "--check"]);
        assert!(err.contains("config.kdl") && err.contains(&location) && err.contains(why), "{err}");
    }
    // The config itself.
    std::fs::remove_file(env.config_dir().join("config.kdl")).unwrap();
    fifo(&env.config_dir().join("config.kdl"));
    let err = fails_quickly(&env, &["setup", "--check"]);
    assert!(err.contains("config.kdl") && err.contains("FIFO"), "{err}");
}

/// The CLI as an unprivileged user: root reads any folder, so a
/// permission case needs another user (CI runs as root). The binary is
/// copied where that user can run it, and the test's dirs become theirs.
fn as_unprivileged(env: &Env) -> impl Fn(&[&str]) -> std::process::Output + '_ {
    let root = rustix::process::getuid().is_root();
    let binary = env.root.path().join("revenant");
    std::fs::copy(env!("CARGO_BIN_EXE_revenant"), &binary).unwrap();
    if root {
        let path = env.root.path().to_str().unwrap();
        assert!(std::process::Command::new("chown").args(["-R", "65534:65534", path]).status().unwrap().success());
    }
    let envs: Vec<(std::ffi::OsString, Option<std::ffi::OsString>)> =
        env.cmd().get_envs().map(|(k, v)| (k.to_owned(), v.map(|v| v.to_owned()))).collect();
    move |args: &[&str]| {
        let mut cmd = if root {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(&binary);
            c
        } else {
            std::process::Command::new(&binary)
        };
        for (k, v) in &envs {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        cmd.args(args).output().unwrap()
    }
}

#[test]
fn an_unreadable_session_is_listed_and_never_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.start("four", &[]);
    env.action("four", &["new-pane"]);
    env.action("four", &["save-session"]);
    env.ok(&["kill-session", "four"]);
    common::wait_until("the session to end", || env.pid_of("four").is_none());
    let dir = env.cache_dir().join("contract_version_1/session_info/four");
    let saved = std::fs::read_to_string(dir.join("session-layout.kdl")).unwrap();
    let run = as_unprivileged(&env);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o000)).unwrap();

    let out = run(&["ls"]);
    let listed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(listed.contains("four") && listed.contains("unreadable: permission denied"), "{listed}");
    for args in [&["attach", "-b", "four"][..], &["attach", "--create-background", "four"]] {
        let out = run(args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!out.status.success(), "{args:?} started a session over an unreadable one");
        assert!(err.contains("cannot be read") && err.contains(dir.to_str().unwrap()), "{args:?}: {err}");
    }

    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(std::fs::read_to_string(dir.join("session-layout.kdl")).unwrap(), saved, "the snapshot was replaced");
    let listed = String::from_utf8_lossy(&run(&["ls"]).stdout).into_owned();
    assert!(listed.contains("attach to resurrect"), "{listed}");
}

#[test]
fn a_session_whose_snapshots_folder_is_gone_comes_back_without_its_screens() {
    let env = Env::new();
    // Screens are saved as sidecar files beside the layout.
    env.write_config("serialize_pane_viewport true\n");
    env.start("papa", &[]);
    env.action("papa", &["write-chars", "echo screen-of-papa\n"]);
    env.wait_for_screen("papa", "screen-of-papa");
    env.action("papa", &["new-tab", "--name", "second"]);
    env.action("papa", &["save-session"]);
    let pid = env.pid_of("papa").expect("papa runs");
    env.ok(&["kill-session", "papa"]);
    assert!(!common::process_alive(pid), "kill-session returned while the server still ran");
    let dir = env.cache_dir().join("contract_version_1/session_info/papa");
    let layout = std::fs::read_to_string(dir.join("session-layout.kdl")).unwrap();
    assert!(layout.contains("contents_file"), "no screen was saved:\n{layout}");
    std::fs::remove_dir_all(dir.join("snapshots")).unwrap();

    let out = env.run(&["attach", "-b", "papa"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "resurrection refused: {err}");
    assert!(err.contains("without the screens"), "it does not say what was lost: {err}");
    let _server = common::KillOnDrop(vec![env.pid_of("papa").expect("papa runs again")]);
    let tabs = env.json("papa", &["list-tabs", "--json"]);
    assert_eq!(tabs.as_array().unwrap().len(), 2, "the tabs came back: {tabs}");
}

#[test]
fn a_session_damaged_beyond_repair_says_so_and_where_and_its_name_can_be_freed() {
    let env = Env::new();
    env.start("quebec", &[]);
    env.action("quebec", &["save-session"]);
    env.ok(&["kill-session", "quebec"]);
    let dir = env.cache_dir().join("contract_version_1/session_info/quebec");
    let mut layouts = vec![dir.join("session-layout.kdl")];
    for g in std::fs::read_dir(dir.join("snapshots")).unwrap().flatten() {
        layouts.push(g.path().join("session-layout.kdl"));
    }
    for layout in &layouts {
        std::fs::write(layout, "layout {\n    pane {\n").unwrap();
    }
    let listed = env.ok(&["ls"]);
    assert!(listed.contains("damaged: no whole snapshot") && listed.contains("delete-session quebec"), "{listed}");
    // A command cannot apply to a session that is resurrected, and this one
    // cannot be: the error says why, with the file and line.
    let err = fails_quickly(&env, &["attach", "-b", "quebec", "--", "sleep", "100"]);
    assert!(err.contains("cannot be resurrected") && err.contains("session-layout.kdl:"), "{err}");
    assert!(err.contains("delete-session quebec"), "{err}");
    env.ok(&["delete-session", "quebec"]);
    env.start("quebec", &["--", "sleep", "100"]);
    let panes = env.json("quebec", &["list-panes", "--json"]);
    assert_eq!(panes.as_array().unwrap().len(), 1, "{panes}");
}

#[test]
fn symlinks_planted_in_the_cache_are_refused_not_written_through() {
    let env = Env::new();
    let elsewhere = env.root.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let victim = elsewhere.join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let logs = env.cache_dir().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    std::os::unix::fs::symlink(&victim, logs.join("quebec.log")).unwrap();
    let info = env.cache_dir().join("contract_version_1/session_info");
    std::fs::create_dir_all(&info).unwrap();
    std::os::unix::fs::symlink(&elsewhere, info.join("quebec")).unwrap();

    env.start("quebec", &[]);
    let err = env.fails(&["-s", "quebec", "action", "save-session"]);
    assert!(err.contains("symlink"), "the save did not say why it failed: {err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me", "a log was written through a symlink");
    let planted: Vec<_> = std::fs::read_dir(&elsewhere).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(planted, ["victim.txt"], "a snapshot was written through a symlink");
}

#[test]
fn six_hundred_silent_connections_cost_no_threads_and_lock_nobody_out() {
    let env = Env::new();
    let pid = env.start("romeo", &[]);
    let threads = || std::fs::read_dir(format!("/proc/{pid}/task")).unwrap().count();
    let before = threads();
    let socket = env.socket_dir().join("romeo");
    let silent: Vec<_> = (0..600).map(|_| std::os::unix::net::UnixStream::connect(&socket).unwrap()).collect();
    // The server has taken them in once it answers a verb.
    let panes = env.json("romeo", &["list-panes", "--json"]);
    assert_eq!(panes.as_array().unwrap().len(), 1);
    assert!(threads() <= before + 4, "{} threads for 600 silent connections (were {before})", threads());
    drop(silent);
    env.action("romeo", &["write-chars", "echo still-$((40+2))\n"]);
    env.wait_for_screen("romeo", "still-42");
}

#[test]
fn a_serializer_that_cannot_be_read_is_stood_in_for_by_the_built_in_one() {
    let env = Env::new();
    let pipe = env.root.path().join("serializer.wasm");
    fifo(&pipe);
    env.write_config(&format!("plugins {{\n    serializer location=\"file:{}\"\n}}\n", pipe.display()));
    env.start("sierra", &[]);
    env.action("sierra", &["new-tab", "--name", "kept"]);
    let started = Instant::now();
    env.action("sierra", &["save-session"]);
    assert!(started.elapsed() < Duration::from_secs(30), "the save waited {:?}", started.elapsed());
    let layout =
        std::fs::read_to_string(env.cache_dir().join("contract_version_1/session_info/sierra/session-layout.kdl"))
            .expect("the save went through");
    assert!(layout.contains("kept"), "{layout}");
    let logs = env.logs();
    assert!(logs.contains("saved with the built-in one") && logs.contains("FIFO"), "the log does not say why:\n{logs}");
}

#[test]
fn a_pane_of_the_largest_size_costs_what_is_written_not_its_size() {
    let env = Env::new();
    env.start_sized("small", "100x30", &[]);
    env.start_sized("wide", "10000x100", &[]);
    env.start_sized("tall", "1000x1000", &[]);
    for name in ["small", "wide", "tall"] {
        env.action(name, &["write-chars", "echo ready-$((40+2))\n"]);
        env.wait_for_screen(name, "ready-42");
    }
    let small = common::status_kib(env.pid_of("small").unwrap(), "VmRSS") / 1024;
    // A million cells are 27 MiB for each screen written whole.
    for name in ["wide", "tall"] {
        let big = common::status_kib(env.pid_of(name).unwrap(), "VmRSS") / 1024;
        assert!(big < small + 12, "{name}: {big} MiB against {small} MiB at 100x30");
    }
}

#[test]
fn a_plugin_past_its_load_deadline_is_passed_over_until_it_is_ready() {
    let env = Env::cold();
    env.set_env("REVENANT_PLUGIN_LOAD_DEADLINE_SECS", "0.5");
    let slow = common::slow_discovery(&env);
    let location = format!("file:{}", slow.display());
    env.write_config(&format!("plugins {{\n    command-discovery location=\"{location}\"\n}}\n"));
    env.start("tango", &["--", "timeout", "1000", "sleep", "1000"]);
    let save = || std::fs::read_to_string(env.action("tango", &["save-session"]).trim()).unwrap();
    let (took, saved) = common::timed(save);
    assert!(took < Duration::from_secs(30), "the save waited {took:?}");
    assert!(saved.contains("command=\"timeout\""), "the slow plugin was waited for: {saved}");
    let logs = env.logs();
    assert!(logs.contains("passed over"), "the log does not name the link passed over:\n{logs}");
    let state = || {
        let rows: serde_json::Value =
            serde_json::from_str(&env.ok(&["-s", "tango", "plugin", "list", "--json"])).unwrap();
        let row = rows.as_array().unwrap().iter().find(|r| r["location"] == location.as_str()).cloned().unwrap();
        row["state"].as_str().unwrap().to_string()
    };
    // Once it is ready it serves: the next save unwraps `timeout`.
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        let now = state();
        if now == "ready" {
            break;
        }
        assert!(now.contains("still loading after 0.5 s"), "{now}");
        assert!(Instant::now() < deadline, "the slow plugin never became ready");
        std::thread::sleep(Duration::from_millis(200));
    }
    let saved = save();
    assert!(saved.contains("command=\"sleep\"") && !saved.contains("timeout"), "{saved}");
}

#[test]
fn plugin_list_without_a_session_names_a_plugin_past_its_deadline() {
    let env = Env::cold();
    env.set_env("REVENANT_PLUGIN_LOAD_DEADLINE_SECS", "0.5");
    let slow = common::slow_discovery(&env);
    env.write_config(&format!("plugins {{\n    command-discovery location=\"file:{}\"\n}}\n", slow.display()));
    let (took, text) = common::timed(|| env.ok(&["plugin", "list"]));
    assert!(text.contains("still loading after 0.5 s"), "{text}");
    // The built-in ones are waited for and checked.
    assert!(text.contains("ready"), "{text}");
    assert!(took < Duration::from_secs(60), "plugin list took {took:?}");
}
