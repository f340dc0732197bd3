//! The plugin platform in real sessions: a cold compile never stalls a
//! session, new builds and config changes are taken while it runs (and bad
//! ones refused), the discovery chain runs in order, `plugin list` and
//! `plugin reload` tell what serves, and `ls` lists a server that is too
//! busy to answer.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Env, fixture, timed, wait_until};
use serde_json::Value;

fn plugin_list(env: &Env, session: &str) -> Vec<Value> {
    let text = env.ok(&["-s", session, "plugin", "list", "--json"]);
    serde_json::from_str::<Value>(&text).unwrap().as_array().unwrap().clone()
}

fn row<'a>(rows: &'a [Value], location: &str) -> &'a Value {
    rows.iter().find(|r| r["location"] == location).unwrap_or_else(|| panic!("no {location}: {rows:#?}"))
}

/// The saved layout after `save-session` (whose answer is its path).
fn save(env: &Env, session: &str) -> String {
    let path = env.action(session, &["save-session"]);
    std::fs::read_to_string(path.trim()).unwrap()
}

fn copy_over(from: &Path, to: &Path) {
    // As a build tool does: write aside, rename over.
    let tmp = to.with_extension("tmp");
    std::fs::copy(from, &tmp).unwrap();
    std::fs::rename(&tmp, to).unwrap();
}

fn location(path: &Path) -> String {
    format!("file:{}", path.display())
}

#[test]
fn a_cold_compile_never_stalls_the_session() {
    let env = Env::cold();
    let slow = common::slow_discovery(&env);
    env.write_config(&format!("plugins {{\n    command-discovery location=\"{}\"\n}}\n", location(&slow)));
    let pid = env.start("cold", &["--", "timeout", "1000", "sleep", "1000"]);
    let slow_location = location(&slow);
    let mut saw_compiling = false;
    let mut worst = Duration::ZERO;
    let mut save_during_compile = None;
    let mut compiler_seen = false;
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        let (took, listed) = timed(|| env.ok(&["ls", "--short"]));
        assert!(listed.lines().any(|l| l == "cold"), "ls left the session out during the compile: {listed:?}");
        worst = worst.max(took);
        let (took, panes) = timed(|| env.json("cold", &["list-panes", "--json"]));
        assert_eq!(panes.as_array().unwrap().len(), 1);
        worst = worst.max(took);
        let rows = plugin_list(&env, "cold");
        let state = row(&rows, &slow_location)["state"].as_str().unwrap().to_string();
        if state == "compiling" {
            saw_compiling = true;
            compiler_seen |= compiler_of(pid, "").is_some();
            if save_during_compile.is_none() {
                // A save asked for now waits (off the server thread) for the
                // build, and answers when the snapshot is written.
                let mut cmd = env.cmd();
                cmd.args(["-s", "cold", "action", "save-session"]);
                save_during_compile = Some(cmd.stdout(std::process::Stdio::piped()).spawn().unwrap());
            }
        } else {
            assert_eq!(state, "ready", "{rows:#?}\n{}", env.logs());
            break;
        }
        assert!(Instant::now() < deadline, "the compile did not finish: {rows:#?}");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(saw_compiling, "the test must see the session while the plugin compiles");
    assert!(compiler_seen, "Cranelift runs in a child of the server, not in it");
    assert!(worst < Duration::from_secs(1), "the CLI waited {worst:?} on a compiling session");
    let out = save_during_compile.unwrap().wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let saved = std::fs::read_to_string(String::from_utf8(out.stdout).unwrap().trim()).unwrap();
    assert!(saved.contains("command=\"sleep\"") && !saved.contains("timeout"), "the slow plugin decided: {saved}");
    assert!(common::process_alive(pid));
}

/// The pid of the server's `revenant __compile` child for the build
/// `key` (any build if empty), if one runs.
fn compiler_of(server: u32, key: &str) -> Option<u32> {
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|entry| {
        let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let parent: u32 = stat.rsplit_once(") ")?.1.split(' ').nth(1)?.parse().ok()?;
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
        let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
        let ours = args.contains(&&b"__compile"[..]) && (key.is_empty() || args.contains(&key.as_bytes()));
        (parent == server && ours).then_some(pid)
    })
}

#[test]
fn a_compiler_that_dies_fails_that_plugin_and_nothing_else() {
    let env = Env::cold();
    let slow = common::slow_discovery(&env);
    env.write_config(&format!("plugins {{\n    command-discovery location=\"{}\"\n}}\n", location(&slow)));
    let pid = env.start("crash", &["--", "timeout", "1000", "sleep", "1000"]);
    // Every plugin compiles cold here: the slow one is the one named by
    // the key of its bytes.
    let key = format!("{:016x}", revenant::plugin::key_of(&std::fs::read(&slow).unwrap()));
    let mut compiler = None;
    wait_until("the compiler process", || {
        compiler = compiler_of(pid, &key);
        compiler.is_some()
    });
    // As the kernel's OOM killer would.
    let killed = std::process::Command::new("kill").args(["-9", &compiler.unwrap().to_string()]).status().unwrap();
    assert!(killed.success());
    let slow_location = location(&slow);
    let failed =
        |env: &Env| row(&plugin_list(env, "crash"), &slow_location)["state"].as_str().unwrap().starts_with("failed");
    let deadline = Instant::now() + Duration::from_secs(15);
    while !failed(&env) {
        assert!(Instant::now() < deadline, "the load did not fail: {:#?}\n{}", plugin_list(&env, "crash"), env.logs());
        std::thread::sleep(Duration::from_millis(50));
    }
    let rows = plugin_list(&env, "crash");
    let error = row(&rows, &slow_location).to_string();
    assert!(error.contains("compiler process") && error.contains("signal"), "{rows:#?}");
    // The session goes on: the rest of the chain saves, and the plugin
    // loads again when asked.
    assert!(common::process_alive(pid));
    assert!(save(&env, "crash").contains("command=\"timeout\""), "saved without the dead plugin");
    env.ok(&["-s", "crash", "plugin", "reload"]);
    wait_until("the reloaded plugin to serve", || row(&plugin_list(&env, "crash"), &slow_location)["state"] == "ready");
    assert!(!save(&env, "crash").contains("timeout"), "the reloaded plugin decided");
}

#[test]
fn a_new_build_serves_the_next_save_and_a_broken_one_is_refused() {
    let env = Env::new();
    let dir = env.root.path().join("plugins");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("discovery.wasm");
    std::fs::copy(fixture("unwrapping-discovery.wasm"), &path).unwrap();
    env.write_config(&format!("plugins {{\n    command-discovery location=\"{}\"\n}}\n", location(&path)));
    let pid = env.start("swap", &["--", "timeout", "1000", "sleep", "1000"]);
    let first = save(&env, "swap");
    assert!(first.contains("command=\"sleep\"") && !first.contains("timeout"), "{first}");

    // Another build, renamed over the path: the next save shows its logic.
    let written = Instant::now();
    copy_over(&fixture("prying-discovery.wasm"), &path);
    wait_until("the new build to serve", || save(&env, "swap").contains("command=\"report\""));
    eprintln!("swap latency (file written -> new build serving): {:?}", written.elapsed());
    assert_eq!(env.pid_of("swap"), Some(pid), "the same server");

    // Garbage, truncated in place: refused, the previous build still serves.
    std::fs::write(&path, b"this is not a component").unwrap();
    let refused = |rows: &[Value]| row(rows, &location(&path))["refused"].as_str().map(str::to_string);
    wait_until("the broken build to be refused", || refused(&plugin_list(&env, "swap")).is_some());
    let rows = plugin_list(&env, "swap");
    assert!(refused(&rows).unwrap().contains("not a WebAssembly file"), "{rows:#?}");
    assert_eq!(row(&rows, &location(&path))["state"], "ready", "{rows:#?}");
    assert!(save(&env, "swap").contains("command=\"report\""), "the last good build serves");
    let text = env.ok(&["-s", "swap", "plugin", "list"]);
    assert!(text.contains("last new build refused"), "{text}");

    // Deleted and created again (as some editors do): taken.
    std::fs::remove_file(&path).unwrap();
    std::fs::copy(fixture("unwrapping-discovery.wasm"), &path).unwrap();
    wait_until("the rebuilt plugin to serve", || !save(&env, "swap").contains("command=\"report\""));
    assert_eq!(env.pid_of("swap"), Some(pid));
}

#[test]
fn the_discovery_chain_runs_in_order_drop_ends_it_and_0_1_plugins_take_part() {
    let env = Env::new();
    let old = fixture("contract-0.1.0/unwrapping-discovery.wasm");
    let pry = fixture("prying-discovery.wasm");
    // Unwrap, then the built-in (drops bare shells), then the prying plugin
    // (rewrites everything it sees to a report).
    env.write_config(&format!(
        "plugins {{\n    command-discovery \"{}\"\n    command-discovery location=\"revenant:command-discovery\"\n    command-discovery location=\"{}\"\n}}\n",
        location(&old),
        location(&pry)
    ));
    env.start("chain", &["--", "timeout", "1000", "sh"]);
    env.action("chain", &["new-pane", "--", "sleep", "1000"]);
    let layout = save(&env, "chain");
    // `timeout 1000 sh` was unwrapped to `sh`, which the built-in dropped:
    // the prying plugin never saw it, so exactly one pane is a report.
    assert!(!layout.contains("timeout") && !layout.contains("command=\"sh\""), "{layout}");
    assert_eq!(layout.matches("command=\"report\"").count(), 1, "{layout}");
    let rows = plugin_list(&env, "chain");
    let chain: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r["role"] == "command-discovery")
        .map(|r| (r["label"].as_str().unwrap(), r["contract"].as_str().unwrap()))
        .collect();
    assert_eq!(
        chain,
        [("command-discovery[1]", "0.1.0"), ("command-discovery[2]", "0.6.0"), ("command-discovery[3]", "0.6.0")],
        "{rows:#?}"
    );
    // Its smoke call and the `sleep` pane; never the dropped shell.
    assert_eq!(row(&rows, &location(&pry))["calls"], 2, "{rows:#?}");
    assert_eq!(row(&rows, &location(&old))["calls"], 3, "{rows:#?}");
}

#[test]
fn config_changes_take_effect_in_a_running_session_and_reload_reports() {
    let env = Env::new();
    let pid = env.start("conf", &["--", "timeout", "1000", "sleep", "1000"]);
    assert!(save(&env, "conf").contains("command=\"timeout\""), "the built-in keeps the wrapper");
    let rows = plugin_list(&env, "conf");
    assert_eq!(rows.iter().filter(|r| r["role"] == "command-discovery").count(), 1, "{rows:#?}");

    // Extend the chain by editing config.kdl: every running session takes it.
    let unwrap = fixture("unwrapping-discovery.wasm");
    env.write_config(&format!("plugins {{\n    command-discovery location=\"{}\"\n}}\n", location(&unwrap)));
    wait_until("the new chain to serve", || !save(&env, "conf").contains("timeout"));
    let rows = plugin_list(&env, "conf");
    let chain: Vec<&str> =
        rows.iter().filter(|r| r["role"] == "command-discovery").map(|r| r["location"].as_str().unwrap()).collect();
    assert_eq!(chain, [location(&unwrap).as_str(), "revenant:command-discovery"], "{rows:#?}");

    // A config that does not parse changes nothing.
    env.write_config("plugins {\n    command-discovery location=\"nowhere:x\"\n}\n");
    let answer = env.ok(&["-s", "conf", "plugin", "reload"]);
    assert!(answer.contains("config.kdl:2:") && answer.contains("nowhere:x"), "{answer}");
    assert!(!save(&env, "conf").contains("timeout"), "the previous chain still serves");

    std::fs::remove_file(env.config_dir().join("config.kdl")).unwrap();
    let answer = env.ok(&["plugin", "reload"]);
    assert!(answer.contains("command-discovery") || answer.contains("nothing changed"), "{answer}");
    wait_until("the default chain", || save(&env, "conf").contains("command=\"timeout\""));
    assert_eq!(env.pid_of("conf"), Some(pid));
}

#[test]
fn a_session_manager_pane_takes_new_builds_and_keeps_working_through_a_bad_one() {
    let env = Env::new();
    let ui = env.root.path().join("ui.wasm");
    std::fs::copy(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/plugins/session-manager.wasm"), &ui).unwrap();
    let layout = env.root.path().join("ui.kdl");
    std::fs::write(
        &layout,
        format!("layout {{\n    pane {{ plugin location=\"{}\"; }}\n    pane\n}}\n", location(&ui)),
    )
    .unwrap();
    env.start("ui", &["--layout", layout.to_str().unwrap()]);
    let plugin_pane = || {
        let panes = env.json("ui", &["list-panes", "--json"]);
        panes.as_array().unwrap().iter().find(|p| p["is_plugin"] == true).unwrap()["id"].to_string()
    };
    let id = plugin_pane();
    let screen = || env.action("ui", &["dump-screen", "--pane-id", &id]);
    wait_until("the manager to draw", || screen().contains("ui (current)"));
    let contract = || {
        let rows = plugin_list(&env, "ui");
        rows.iter().find(|r| r["location"] == location(&ui)).and_then(|r| r["contract"].as_str().map(str::to_string))
    };
    assert_eq!(contract().as_deref(), Some("0.6.0"));

    std::fs::write(&ui, b"\0asm garbage").unwrap();
    std::thread::sleep(Duration::from_secs(2));
    assert!(screen().contains("ui (current)"), "the old build still draws: {}", screen());

    copy_over(&fixture("contract-0.1.0/session-manager.wasm"), &ui);
    wait_until("the 0.1.0 build to serve the pane", || contract().as_deref() == Some("0.1.0"));
    wait_until("it to draw", || screen().contains("ui (current)"));
}

#[test]
fn plugin_list_without_a_session_checks_what_config_kdl_configures() {
    let env = Env::new();
    let text = env.ok(&["plugin", "list"]);
    for role in ["serializer:", "command-discovery:", "session-manager:"] {
        assert!(text.contains(role), "{text}");
    }
    assert!(text.contains("contract 0.6.0 · ready"), "{text}");
    env.write_config(&format!(
        "plugins {{\n    command-discovery location=\"file:{}\" {{\n        grants {{ cwd; env \"HOME\"; }}\n    }}\n}}\n",
        env.root.path().join("missing.wasm").display()
    ));
    let rows: Value = serde_json::from_str(&env.ok(&["plugin", "list", "--json"])).unwrap();
    let rows = rows.as_array().unwrap();
    let missing = rows.iter().find(|r| r["location"].as_str().unwrap().ends_with("missing.wasm")).unwrap();
    assert!(missing["state"].as_str().unwrap().starts_with("failed: "), "{missing:#?}");
    assert!(missing["state"].as_str().unwrap().contains("missing.wasm"), "{missing:#?}");
    let grants: Vec<&str> = missing["grants"].as_array().unwrap().iter().map(|g| g.as_str().unwrap()).collect();
    assert_eq!(grants, ["cwd (read-only, during discovery calls)", "env HOME"]);
    assert_eq!(rows.iter().filter(|r| r["role"] == "command-discovery").count(), 2, "the built-in stays last");
}

#[test]
fn ls_lists_a_server_that_is_too_busy_to_answer_and_sweeps_only_dead_sockets() {
    let env = Env::new();
    std::fs::create_dir_all(env.socket_dir()).unwrap();
    // A server that accepts connections and never answers.
    let busy = std::os::unix::net::UnixListener::bind(env.socket_dir().join("busy")).unwrap();
    let meta_dir = env.cache_dir().join("contract_version_1/session_info/busy");
    std::fs::create_dir_all(&meta_dir).unwrap();
    std::fs::write(
        meta_dir.join("session-metadata.kdl"),
        format!(
            "session name=\"busy\" created=1700000000 pid={} clients=0\ntab position=0 name=\"work\" focused=true {{\n    pane id=1 title=\"sh\" focused=true floating=false\n}}\n",
            std::process::id()
        ),
    )
    .unwrap();
    // A socket nobody listens on any more.
    drop(std::os::unix::net::UnixListener::bind(env.socket_dir().join("dead")).unwrap());
    let (took, out) = timed(|| env.ok(&["ls", "-n"]));
    assert!(out.contains("busy [Created") && out.contains("(not responding)"), "{out}");
    assert!(!out.contains("dead"), "{out}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert!(env.socket_dir().join("busy").exists(), "a socket someone listens on is kept");
    assert!(!env.socket_dir().join("dead").exists(), "a dead socket is swept");
    let list: Value = serde_json::from_str(&env.ok(&["ls", "--json"])).unwrap();
    let busy_row = list.as_array().unwrap().iter().find(|s| s["name"] == "busy").unwrap();
    assert_eq!(busy_row["responding"], false);
    assert_eq!(busy_row["tabs"][0], "work");
    drop(busy);
}

#[test]
fn an_idle_session_lets_go_of_its_plugin_instances_and_takes_them_again() {
    let env = Env::new();
    env.set_env("REVENANT_PLUGIN_IDLE_SECS", "3");
    env.write_config("serialize_pane_viewport true\nscrollback_lines_to_serialize 0\nscroll_buffer_size 30000\n");
    let pid = env.start("idle", &[]);
    env.action(
        "idle",
        &[
            "write-chars",
            "seq -f 'line %g of a long history, padded out to a few dozen columns' 1 30000; echo fill-''done\n",
        ],
    );
    env.wait_for_screen("idle", "fill-done");
    // Asleep, the plugins hold no engine: its ticker thread is gone too.
    let threads = || -> Vec<String> {
        std::fs::read_dir(format!("/proc/{pid}/task"))
            .unwrap()
            .flatten()
            .map(|t| std::fs::read_to_string(t.path().join("comm")).unwrap_or_default().trim().to_string())
            .collect()
    };
    let awake = || threads().iter().any(|t| t == "plugin-epoch");
    // The serializer's instance now holds the manifest's 30 000 lines in
    // its linear memory. The memory counts as held only if the engine was
    // still awake after it was read: on a loaded machine the idle release
    // can come first, and then the save is tried again.
    let (mut first, mut held) = (String::new(), 0);
    for _ in 0..5 {
        first = save(&env, "idle");
        held = common::status_kib(pid, "RssAnon");
        if awake() {
            break;
        }
        held = 0;
    }
    assert!(held > 0, "five saves in a row were released before their memory could be read");
    let serializer = |env: &Env| row(&plugin_list(env, "idle"), "revenant:serializer").clone();
    let made = serializer(&env)["instantiations"].as_u64().unwrap();
    // Not all of the serializer's linear memory need be resident, and the
    // server's own heap moves a little: half of its peak must come back.
    let linear_kib = serializer(&env)["memory_peak_bytes"].as_u64().unwrap() / 1024;
    assert!(linear_kib > 2048, "the save grew the serializer's memory past 2 MiB: {linear_kib} KiB");
    wait_until("the engine's ticker to end", || !awake());
    let mut released = held;
    wait_until("the instances' memory to be given back", || {
        released = common::status_kib(pid, "RssAnon");
        held - released.min(held) > linear_kib / 2
    });
    // The same layout, but for the generation its sidecars are in.
    fn unnumbered(layout: &str) -> Vec<&str> {
        layout.split("snapshots/").map(|part| part.trim_start_matches(|c: char| c.is_ascii_digit())).collect()
    }
    let again = save(&env, "idle");
    assert_eq!(unnumbered(&again), unnumbered(&first), "a save after the release writes the same layout");
    assert_eq!(serializer(&env)["instantiations"].as_u64().unwrap(), made + 1, "the next save made a new instance");
    assert!(serializer(&env)["wakes"].as_u64().unwrap() >= 1, "the serializer slept and woke");
    eprintln!(
        "anonymous memory: {held} KiB after the save, {released} KiB after the release ({linear_kib} KiB linear)"
    );
}

#[test]
fn turning_on_serialize_pane_viewport_takes_effect_in_a_running_session() {
    let env = Env::new();
    env.start("view", &[]);
    assert!(!save(&env, "view").contains("contents_file"), "off by default");
    env.write_config("serialize_pane_viewport true\n");
    wait_until("a save with the pane's screen", || save(&env, "view").contains("contents_file"));
}
