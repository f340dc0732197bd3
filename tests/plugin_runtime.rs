//! The plugin runtime against real components: the default plugins and a
//! hostile fixture (tests/fixtures/hostile-serializer), built for
//! wasm32-wasip2 by `cargo xtask build-plugins`.

mod common;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use revenant::plugin::types::*;
use revenant::plugin::{
    self, CommandDiscoveryPlugin, Contract, Failure, Grants, PluginEngine, PluginError, PluginLimits, PluginSource,
    SerializerPlugin, SessionControl, SessionManagerPlugin, World, builtin,
};

fn engine() -> PluginEngine {
    common::plugin_engine()
}

fn fixture(name: &str) -> PluginSource {
    PluginSource::File(common::fixture(name))
}

fn hostile() -> PluginSource {
    fixture("hostile-serializer.wasm")
}

const CAP: usize = 64 * 1024 * 1024;

fn hostile_serializer(deadline: Duration) -> SerializerPlugin {
    let limits = PluginLimits { deadline, memory_bytes: CAP, startup: PluginLimits::DEFAULT_STARTUP };
    SerializerPlugin::load(&engine(), &hostile(), limits, Grants::none()).expect("the hostile fixture loads")
}

fn manifest(name: &str) -> SessionManifest {
    SessionManifest { name: name.into(), cwd: None, tabs: Vec::new(), swap_layouts: Vec::new() }
}

fn shell_pane(id: u32, cwd: &str) -> Pane {
    Pane {
        id,
        name: None,
        cwd: Some(cwd.into()),
        command: None,
        plugin: None,
        focused: false,
        start_suspended: false,
        contents: None,
        default_fg: None,
        default_bg: None,
        edit: None,
        expanded: false,
        env: Vec::new(),
        save_contents: true,
    }
}

/// The host still serves a normal call after a failure.
fn assert_serves_next_call(plugin: &mut SerializerPlugin) {
    let out = plugin.serialize(&manifest("fine")).expect("the call after a failure succeeds");
    assert!(out.layout.contains("tab name=\"fine\""), "{}", out.layout);
}

#[test]
fn default_serializer_round_trip() {
    let source = builtin("serializer").unwrap();
    let mut plugin =
        SerializerPlugin::load(&engine(), &source, PluginLimits::for_world(World::Serializer), Grants::none()).unwrap();
    let mut editor = shell_pane(1, "/home/u/project/src");
    editor.command = Some(vec!["less".into(), "file with \"quotes\".rs".into()]);
    editor.focused = true;
    editor.start_suspended = true;
    let mut logs = shell_pane(2, "/var/log");
    logs.name = Some("logs ✓".into());
    logs.contents = Some(PaneContents { text: "old\n\x1b[31mred\x1b[0m".into(), scrollback_rows: 1, viewport_rows: 1 });
    let floating = FloatingPane {
        x: Dimension::Fixed(2),
        y: Dimension::Fixed(3),
        width: Dimension::Percent(50),
        height: Dimension::Fixed(10),
        pinned: false,
        pane: shell_pane(3, "/tmp"),
    };
    let m = SessionManifest {
        name: "round-trip".into(),
        cwd: Some("/home/u/project".into()),
        tabs: vec![
            Tab {
                name: "code \\ \"main\"".into(),
                position: 0,
                focused: true,
                hide_floating_panes: true,
                tiled: vec![
                    TiledNode {
                        size: None,
                        borderless: false,
                        body: TiledBody::Split(Split {
                            direction: SplitDirection::Vertical,
                            children: vec![1, 2],
                            stacked: false,
                        }),
                    },
                    TiledNode { size: Some(Dimension::Percent(60)), borderless: false, body: TiledBody::Pane(editor) },
                    TiledNode { size: Some(Dimension::Percent(40)), borderless: false, body: TiledBody::Pane(logs) },
                ],
                floating: vec![floating],
            },
            Tab {
                name: "second".into(),
                position: 1,
                focused: false,
                hide_floating_panes: false,
                tiled: vec![TiledNode { size: None, borderless: false, body: TiledBody::Pane(shell_pane(4, "/")) }],
                floating: Vec::new(),
            },
        ],
        swap_layouts: Vec::new(),
    };
    let out = plugin.serialize(&m).expect("serializes");
    let doc = kdl::KdlDocument::parse_v1(&out.layout).expect("the layout is KDL v1");
    let layout = doc.get("layout").unwrap().children().unwrap();
    let tabs: Vec<_> = layout.nodes().iter().filter(|n| n.name().value() == "tab").collect();
    assert_eq!(tabs.len(), 2);
    assert_eq!(tabs[0].get("name").unwrap().as_string(), Some("code \\ \"main\""));
    assert_eq!(tabs[0].get("focus").unwrap().as_bool(), Some(true));
    assert!(out.layout.contains("command=\"less\""), "{}", out.layout);
    assert!(out.layout.contains("args \"file with \\\"quotes\\\".rs\""), "{}", out.layout);
    assert!(out.layout.contains("start_suspended true"), "{}", out.layout);
    assert!(out.layout.contains("cwd=\"src\""), "relative cwd: {}", out.layout);
    assert!(out.layout.contains("floating_panes"), "{}", out.layout);
    assert_eq!(out.sidecars.len(), 1);
    assert_eq!(out.sidecars[0].name, "initial_contents_2");
    assert_eq!(out.sidecars[0].contents, "old\n\x1b[31mred\x1b[0m");
    assert!(out.layout.contains("contents_file=\"initial_contents_2\""), "{}", out.layout);
}

#[test]
fn an_infinite_loop_is_stopped_at_the_deadline() {
    let mut plugin = hostile_serializer(Duration::from_millis(300));
    let started = Instant::now();
    let err = plugin.serialize(&manifest("loop")).unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err.cause, Failure::Timeout(d) if d == Duration::from_millis(300)), "{err}");
    assert!(took >= Duration::from_millis(290), "stopped too early: {took:?}");
    assert!(took < Duration::from_secs(5), "stopped too late: {took:?}");
    assert!(err.to_string().contains("300ms deadline"), "{err}");
    assert!(err.to_string().contains("raise `deadline_ms`"), "names the limit to raise: {err}");
    assert_serves_next_call(&mut plugin);
}

#[test]
fn a_huge_allocation_hits_the_memory_cap() {
    let mut plugin = hostile_serializer(Duration::from_secs(5));
    let err = plugin.serialize(&manifest("oom")).unwrap_err();
    match err.cause {
        Failure::OutOfMemory { cap, requested } => {
            assert_eq!(cap, CAP);
            assert!(requested > cap, "requested {requested}");
        }
        ref other => panic!("expected out of memory, got {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("memory cap of 64 MiB"), "{text}");
    assert!(
        text.contains("raise `memory_mb`") && text.contains("memory_mb=2048"),
        "names the limit to raise and to what: {text}"
    );
    assert!(text.contains("hostile-serializer.wasm"), "names the plugin: {text}");
    assert!(text.contains("(serializer world)"), "names the world: {text}");
    assert_serves_next_call(&mut plugin);
}

#[test]
fn a_panic_is_reported_with_its_message() {
    let mut plugin = hostile_serializer(Duration::from_secs(5));
    let err = plugin.serialize(&manifest("panic")).unwrap_err();
    match &err.cause {
        Failure::Panic(msg) => assert!(msg.contains("hostile serializer was asked to panic"), "{msg}"),
        other => panic!("expected a panic, got {other:?}"),
    }
    assert!(err.stderr_tail.contains("asked to panic"), "the tail of guest stderr is kept: {err:?}");
    assert_serves_next_call(&mut plugin);
}

#[test]
fn output_that_is_not_kdl_is_refused_with_its_position() {
    let mut plugin = hostile_serializer(Duration::from_secs(5));
    let err = plugin.serialize(&manifest("not-kdl")).unwrap_err();
    match &err.cause {
        Failure::InvalidOutput(why) => {
            assert!(why.contains("not valid KDL v1"), "{why}");
            assert!(why.contains("line 1"), "{why}");
        }
        other => panic!("expected invalid output, got {other:?}"),
    }
    assert_serves_next_call(&mut plugin);
}

#[test]
fn an_error_return_and_a_bad_sidecar_are_typed() {
    let mut plugin = hostile_serializer(Duration::from_secs(5));
    let err = plugin.serialize(&manifest("error")).unwrap_err();
    assert!(matches!(&err.cause, Failure::Returned(m) if m == "refusing on purpose"), "{err}");
    let err = plugin.serialize(&manifest("bad-sidecar")).unwrap_err();
    assert!(matches!(&err.cause, Failure::InvalidOutput(m) if m.contains("../escape")), "{err}");
    assert_serves_next_call(&mut plugin);
}

#[test]
fn a_chatty_plugin_does_not_trap_on_full_output() {
    let mut plugin = hostile_serializer(Duration::from_secs(10));
    let out = plugin.serialize(&manifest("noisy")).expect("10 000 stderr lines are absorbed");
    assert!(out.layout.contains("noisy"));
}

#[test]
fn a_component_of_the_wrong_world_is_refused_at_load() {
    let discovery = builtin("command-discovery").unwrap();
    let err = SerializerPlugin::load(&engine(), &discovery, PluginLimits::for_world(World::Serializer), Grants::none())
        .err()
        .expect("a discovery plugin is not a serializer");
    assert!(matches!(err.cause, Failure::WorldMismatch(_)), "{err}");
    let text = err.to_string();
    assert!(text.contains("revenant:plugin/discover@0.6.0"), "names what it has: {text}");
    assert!(text.contains("the command-discovery world"), "{text}");
    assert!(text.contains("revenant:plugin/serialize@0.6.0"), "names what is missing: {text}");

    let ui = builtin("session-manager").unwrap();
    let err =
        CommandDiscoveryPlugin::load(&engine(), &ui, PluginLimits::for_world(World::CommandDiscovery), Grants::none())
            .err()
            .expect("a UI plugin is not a discovery plugin");
    assert!(err.to_string().contains("revenant:plugin/ui@0.6.0"), "{err}");
}

#[test]
fn check_names_the_world_and_contract_of_each_plugin_and_times_it() {
    for (name, world, _) in plugin::BUILTIN_PLUGINS {
        let got = plugin::check(&engine(), &builtin(name).unwrap()).unwrap();
        assert_eq!((got.world, got.contract), (*world, Contract::CURRENT), "{name}");
        assert!(got.instantiate > Duration::ZERO && got.smoke > Duration::ZERO, "{name}: {got:?}");
        assert!(got.memory_peak > 0, "{name}: {got:?}");
    }
    assert_eq!(plugin::check(&engine(), &hostile()).unwrap().world, World::Serializer);
    let old = plugin::check(&engine(), &fixture("contract-0.1.0/unwrapping-discovery.wasm")).unwrap();
    assert_eq!((old.world, old.contract), (World::CommandDiscovery, Contract::V0_1));
}

#[test]
fn default_discovery_drops_shells_and_keeps_programs() {
    let source = builtin("command-discovery").unwrap();
    let mut plugin = CommandDiscoveryPlugin::load(
        &engine(),
        &source,
        PluginLimits::for_world(World::CommandDiscovery),
        Grants::none(),
    )
    .unwrap();
    let cmd = |argv: &[&str]| DiscoveredCommand {
        argv: argv.iter().map(|s| s.to_string()).collect(),
        original_argv: argv.iter().map(|s| s.to_string()).collect(),
        cwd: Some("/tmp".into()),
        pid: 42,
        pane_id: 1,
        shell: Some("/bin/bash".into()),
        env: Vec::new(),
    };
    assert!(matches!(plugin.discover(&cmd(&["-bash"])).unwrap(), DiscoveryDecision::Drop));
    assert!(matches!(plugin.discover(&cmd(&["/usr/bin/zsh", "-l"])).unwrap(), DiscoveryDecision::Drop));
    assert!(matches!(plugin.discover(&cmd(&["htop"])).unwrap(), DiscoveryDecision::Keep));
    assert!(matches!(plugin.discover(&cmd(&["bash", "build.sh"])).unwrap(), DiscoveryDecision::Keep));
}

#[derive(Clone, Default)]
struct FakeControl {
    calls: Arc<Mutex<Vec<String>>>,
}

impl SessionControl for FakeControl {
    fn list_sessions(&mut self) -> Vec<SessionInfo> {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        let session = |name: &str, state, age: u64| SessionInfo {
            name: name.into(),
            state,
            created_unix: now - age,
            saved_unix: Some(now - age),
            focused_tab: 0,
            panes: Vec::new(),
            damaged: None,
            host: None,
            tabs: vec!["one".into()],
            pane_count: 2,
            connected_clients: 1,
            is_current: false,
        };
        vec![session("alpha", SessionState::Live, 10), session("bravo", SessionState::Exited, 7200)]
    }
    fn switch_session(&mut self, name: &str) -> Result<(), String> {
        self.calls.lock().unwrap().push(format!("switch {name}"));
        Ok(())
    }
    fn resurrect_session(&mut self, name: &str, _: Option<&str>) -> Result<(), String> {
        self.calls.lock().unwrap().push(format!("resurrect {name}"));
        Ok(())
    }
    fn kill_session(&mut self, name: &str) -> Result<(), String> {
        self.calls.lock().unwrap().push(format!("kill {name}"));
        Ok(())
    }
    fn delete_session(&mut self, name: &str) -> Result<(), String> {
        self.calls.lock().unwrap().push(format!("delete {name}"));
        Ok(())
    }
    fn create_session(&mut self, _: Option<&str>, _: Option<&str>) -> Result<(), String> {
        Ok(())
    }
    fn rename_session(&mut self, _: &str) -> Result<(), String> {
        Ok(())
    }
    fn save_session(&mut self) -> Result<(), String> {
        Ok(())
    }
    fn disconnect_other_clients(&mut self) -> Result<(), String> {
        Ok(())
    }
    fn list_layouts(&mut self) -> Vec<LayoutInfo> {
        Vec::new()
    }
    fn list_generations(&mut self, _: &str) -> Result<Vec<Generation>, String> {
        Ok(Vec::new())
    }
    fn set_timeout(&mut self, _: u32) {}
    fn close(&mut self) {
        self.calls.lock().unwrap().push("close".into());
    }
}

fn key(k: Key) -> Event {
    Event::Key(KeyEvent { key: k, modifiers: Modifiers::empty() })
}

#[test]
fn session_manager_lists_toggles_and_resurrects_through_the_host() {
    for source in [
        builtin("session-manager").unwrap(),
        fixture("contract-0.5.0/session-manager.wasm"),
        fixture("contract-0.4.0/session-manager.wasm"),
        fixture("contract-0.3.0/session-manager.wasm"),
        fixture("contract-0.2.0/session-manager.wasm"),
        fixture("contract-0.1.0/session-manager.wasm"),
    ] {
        session_manager_through_the_host(source);
    }
}

fn session_manager_through_the_host(source: PluginSource) {
    let control = FakeControl::default();
    let mut ui = SessionManagerPlugin::load(
        &engine(),
        &source,
        PluginLimits::for_world(World::SessionManager),
        Grants::none(),
        Box::new(control.clone()),
        Vec::new(),
    )
    .unwrap();
    let screen = ui.render(10, 80).unwrap().join("\n");
    assert!(screen.contains("alpha"), "{screen}");
    assert!(!screen.contains("bravo"), "exited sessions are hidden until TAB: {screen}");
    assert!(ui.update(&key(Key::Tab)).unwrap());
    let screen = ui.render(10, 80).unwrap().join("\n");
    assert!(screen.contains("bravo") && screen.contains("EXITED"), "{screen}");
    // Ages come from the timestamps (0.2.0) or the age 0.1.0 is given.
    assert!(screen.contains("2h") && screen.contains("10s"), "{:?}: {screen}", ui.contract());
    assert!(ui.render(3, 80).unwrap().len() <= 3);
    ui.update(&key(Key::Down)).unwrap();
    ui.update(&key(Key::Enter)).unwrap();
    assert_eq!(control.calls.lock().unwrap().as_slice(), ["resurrect bravo"]);
}

#[test]
fn the_cli_check_prints_the_world_or_fails() {
    let bin = env!("CARGO_BIN_EXE_revenant");
    let cache = tempfile::tempdir().unwrap();
    let run = |path: &std::path::Path| {
        std::process::Command::new(bin)
            .args(["plugin", "check"])
            .arg(path)
            .env("REVENANT_CACHE_DIR", cache.path())
            .output()
            .unwrap()
    };
    let out = run(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/plugins/command-discovery.wasm"));
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().next(), Some("command-discovery"), "{stdout}");
    assert!(stdout.contains("contract     revenant:plugin@0.6.0"), "{stdout}");
    for step in ["compile", "instantiate", "smoke call", "memory"] {
        assert!(stdout.contains(step), "times {step}: {stdout}");
    }

    let junk = cache.path().join("junk.wasm");
    std::fs::write(&junk, b"not wasm at all").unwrap();
    let out = run(&junk);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a WebAssembly file") && err.contains("junk.wasm"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one clear line: {err}");
}

#[test]
fn errors_render_as_one_report() {
    let e = PluginError {
        plugin: "p".into(),
        world: World::CommandDiscovery,
        cause: Failure::Timeout(Duration::from_millis(200)),
        stderr_tail: "a\nb".into(),
    };
    let text = e.to_string();
    assert!(text.starts_with("plugin `p` (command-discovery world): ran past its 200ms deadline"), "{text}");
    assert!(text.ends_with("    a\n    b"), "{text}");
}

/// What the prying fixture reports, as `key=value` pairs.
fn pry(grants: Grants, cwd: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    let mut plugin = CommandDiscoveryPlugin::load(
        &engine(),
        &fixture("prying-discovery.wasm"),
        PluginLimits::for_world(World::CommandDiscovery),
        grants,
    )
    .unwrap();
    let argv = vec!["vim".to_string()];
    let question = DiscoveredCommand {
        argv: argv.clone(),
        original_argv: argv,
        cwd: Some(cwd.display().to_string()),
        pid: 1,
        pane_id: 1,
        shell: None,
        env: Vec::new(),
    };
    match plugin.discover(&question).unwrap() {
        DiscoveryDecision::Rewrite(r) => {
            assert_eq!(r.argv[0], "report");
            r.argv[1..]
                .iter()
                .map(|kv| kv.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())).unwrap())
                .collect()
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn grants_open_the_pane_s_cwd_read_only_and_named_variables_and_nothing_else() {
    let root = tempfile::tempdir().unwrap();
    let outside = root.path().join("outside");
    let cwd = root.path().join("project");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(&cwd).unwrap();
    std::fs::write(outside.join("secret"), "outside secret").unwrap();
    std::fs::write(root.path().join("secret"), "parent secret").unwrap();
    std::fs::write(cwd.join("Session.vim"), "session file").unwrap();
    std::os::unix::fs::symlink(&outside, cwd.join("escape")).unwrap();
    // SAFETY: set before any plugin instance reads the environment; tests in
    // this binary read no other variable of this name.
    unsafe { std::env::set_var("REVENANT_PRY_SECRET", "the secret") };

    let none = pry(Grants::none(), &cwd);
    for key in ["read", "write", "mkdir", "remove", "parent", "absolute", "symlink", "root"] {
        assert!(none[key].starts_with("denied"), "without grants, {key} is {}: {none:?}", none[key]);
    }
    assert_eq!((none["env"].as_str(), none["env_home"].as_str()), ("unset", "unset"), "{none:?}");

    let granted = pry(Grants { cwd: true, env: vec!["REVENANT_PRY_SECRET".into()] }, &cwd);
    assert_eq!(granted["read"], "session file", "{granted:?}");
    assert_eq!(granted["env"], "the secret", "{granted:?}");
    assert_eq!(granted["env_home"], "unset", "only the named variables: {granted:?}");
    for key in ["write", "mkdir", "remove", "parent", "absolute", "symlink"] {
        assert!(granted[key].starts_with("denied"), "with the cwd grant, {key} is {}: {granted:?}", granted[key]);
    }
    assert!(!cwd.join("written-by-plugin").exists() && !cwd.join("made-by-plugin").exists());
    assert!(cwd.join("Session.vim").exists(), "nothing was removed");
}

#[test]
fn calls_are_counted_timed_and_their_memory_tracked() {
    let mut plugin = CommandDiscoveryPlugin::load(
        &engine(),
        &builtin("command-discovery").unwrap(),
        PluginLimits::for_world(World::CommandDiscovery),
        Grants::none(),
    )
    .unwrap();
    for _ in 0..3 {
        plugin.smoke().unwrap();
    }
    let stats = plugin.stats();
    assert_eq!((stats.calls, stats.failures, stats.instantiations), (3, 0, 1), "{stats:?}");
    assert!(stats.worst > Duration::ZERO && stats.total >= stats.worst, "{stats:?}");
    assert!(stats.memory_peak >= 64 * 1024, "{stats:?}");
    let mut hostile = hostile_serializer(Duration::from_millis(200));
    let _ = hostile.serialize(&manifest("loop"));
    assert_eq!(hostile.stats().failures, 1);
    assert!(hostile.stats().last_error.as_deref().unwrap_or("").contains("deadline"), "{:?}", hostile.stats());
}

/// An idle session's plugins sleep: they let go of their instance, their
/// compiled code and (with the last one) the engine and its ticker thread,
/// and wake on the next call from the build kept on disk, even after the
/// file they came from changed; once that build is gone too, a changed
/// file is refused, never taken unchecked.
#[test]
fn a_sleeping_plugin_lets_go_of_the_engine_and_wakes_from_the_disk_cache() {
    let cache = tempfile::tempdir().unwrap();
    let cell = plugin::EngineCell::new(Some(cache.path()));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("serializer.wasm");
    let PluginSource::Embedded { bytes, .. } = builtin("serializer").unwrap() else { panic!("embedded") };
    std::fs::write(&file, bytes).unwrap();
    let limits = PluginLimits::for_world(World::Serializer);
    let mut plugin = {
        let engine = cell.get().unwrap();
        SerializerPlugin::load(&engine, &PluginSource::File(file.clone()), limits, Grants::none()).unwrap()
    };
    serves(&mut plugin);
    assert!(cell.is_live() && plugin.is_awake());

    plugin.release();
    assert!(!plugin.is_awake());
    assert!(!cell.is_live(), "the engine outlived its last plugin");
    serves(&mut plugin);
    assert_eq!(plugin.stats().wakes, 1);

    // The file changed (a new build not yet checked): the checked build
    // wakes from the disk cache.
    plugin.release();
    std::fs::write(&file, b"\0asm not the build that was checked").unwrap();
    serves(&mut plugin);

    // And with the disk cache emptied, the changed file is refused.
    plugin.release();
    for entry in std::fs::read_dir(cache.path()).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    let err = plugin.serialize(&one_tab()).unwrap_err();
    assert!(err.to_string().contains("changed since it was checked"), "{err}");
}

fn one_tab() -> SessionManifest {
    let mut m = manifest("sleeper");
    m.tabs.push(Tab {
        name: "only".into(),
        position: 0,
        focused: true,
        hide_floating_panes: false,
        tiled: vec![TiledNode { size: None, borderless: false, body: TiledBody::Pane(shell_pane(1, "/tmp")) }],
        floating: Vec::new(),
    });
    m
}

fn serves(plugin: &mut SerializerPlugin) {
    let out = plugin.serialize(&one_tab()).expect("the plugin serves");
    assert!(out.layout.contains("tab name=\"only\""), "{}", out.layout);
}
