//! Persistence and resurrection with real servers, shells and plugins:
//! snapshots in the cache folder, EXITED sessions after `kill -9`,
//! resurrection by `attach -b`, crash consistency, plugins that rewrite or
//! fail, deleting, and the config knobs.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Env, kill9, wait_until};
use serde_json::Value;

fn session_dir(env: &Env, name: &str) -> PathBuf {
    env.cache_dir().join("contract_version_1/session_info").join(name)
}

fn state_of(env: &Env, name: &str) -> Option<String> {
    let list: Value = serde_json::from_str(&env.ok(&["ls", "--json"])).unwrap();
    list.as_array()?.iter().find(|s| s["name"] == name).map(|s| s["state"].as_str().unwrap().to_string())
}

fn panes(env: &Env, session: &str) -> Vec<Value> {
    env.json(session, &["list-panes", "--json"]).as_array().unwrap().clone()
}

/// What a resurrection must bring back, independent of pane ids.
fn shape(panes: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = panes
        .iter()
        .map(|p| {
            format!(
                "tab={} title={} at={},{} {}x{} floating={} focused={} cwd={} command={}",
                p["tab_name"],
                p["title"],
                p["x"],
                p["y"],
                p["cols"],
                p["rows"],
                p["is_floating"],
                p["is_focused"],
                p["cwd"],
                p["command"]
            )
        })
        .collect();
    out.sort();
    out
}

fn pane_id(panes: &[Value], title: &str) -> String {
    panes.iter().find(|p| p["title"] == title).unwrap_or_else(|| panic!("no {title}: {panes:#?}"))["id"].to_string()
}

fn layout_file(dir: &Path) -> PathBuf {
    for d in ["one", "two", "three"] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    std::fs::write(dir.join("log.txt"), "first line of the log\n").unwrap();
    let text = format!(
        r#"layout {{
    default_tab_template {{
        pane size=1 borderless=true {{ plugin location="zellij:tab-bar"; }}
        children
        pane size=1 borderless=true {{ plugin location="zellij:status-bar"; }}
    }}
    tab name="build" focus=true {{
        pane split_direction="vertical" {{
            pane name="editor" size="40%" cwd="{one}" focus=true
            pane split_direction="horizontal" {{
                pane name="sleeper" command="sleep" cwd="{two}" {{ args "1000"; }}
                pane name="tailer" size=9 command="tail" cwd="{three}" {{ args "-f" "{log}"; }}
            }}
        }}
        floating_panes {{
            pane name="notes" x=4 y=2 width=40 height=10 cwd="{two}"
        }}
    }}
    tab name="scratch" {{
        pane name="other" cwd="{three}"
    }}
}}
"#,
        one = dir.join("one").display(),
        two = dir.join("two").display(),
        three = dir.join("three").display(),
        log = dir.join("log.txt").display(),
    );
    let path = dir.join("session.kdl");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_killed_session_comes_back_from_its_snapshot() {
    let env = Env::new();
    env.write_config("serialize_pane_viewport true\nscrollback_lines_to_serialize 100\n");
    let work = env.root.path().join("work");
    let layout = layout_file(&work);
    let pid = env.start("phoenix", &["--layout", layout.to_str().unwrap()]);
    let before = panes(&env, "phoenix");
    let editor = pane_id(&before, "editor");
    env.action("phoenix", &["write-chars", "printf '\\033[31mred words\\033[0m and plain\\n'\n"]);
    wait_until("the text", || {
        env.action("phoenix", &["dump-screen", "--pane-id", &editor]).contains("red words and plain")
    });
    let tailer = pane_id(&before, "tailer");
    wait_until("tail", || env.action("phoenix", &["dump-screen", "--pane-id", &tailer]).contains("first line"));
    // The live marker names the session and its panes.
    let dir = session_dir(&env, "phoenix");
    wait_until("metadata", || {
        std::fs::read_to_string(dir.join("session-metadata.kdl")).is_ok_and(|m| m.contains("command=\"sleep 1000\""))
    });

    let saved = env.action("phoenix", &["save-session"]);
    assert_eq!(saved.trim(), dir.join("session-layout.kdl").display().to_string());
    let original_layout = env.action("phoenix", &["dump-layout"]);
    kill9(pid);

    assert_eq!(state_of(&env, "phoenix").as_deref(), Some("exited"));
    let listing = env.ok(&["ls", "--no-formatting"]);
    assert!(listing.contains("phoenix [Created") && listing.contains("(EXITED - attach to resurrect)"), "{listing}");
    assert!(!env.socket_dir().join("phoenix").exists(), "the stale socket was removed");

    env.start("phoenix", &[]);
    assert_eq!(state_of(&env, "phoenix").as_deref(), Some("live"));
    let after = panes(&env, "phoenix");
    assert_eq!(shape(&after), shape(&before));
    let tabs = env.json("phoenix", &["list-tabs", "--json"]);
    assert_eq!(tabs[0]["name"], "build");
    assert_eq!(tabs[1]["name"], "scratch");
    // Commands wait behind "Press ENTER to run…".
    for p in &after {
        assert_eq!(p["suspended"], p["command"].is_array(), "{p}");
    }
    assert_eq!(env.action("phoenix", &["dump-layout"]), original_layout);
    // The editor's screen is back, colours and all.
    let editor = pane_id(&after, "editor");
    wait_until("the screen to be restored", || {
        env.action("phoenix", &["dump-screen", "--pane-id", &editor]).contains("red words and plain")
    });
    let screen = env.action("phoenix", &["dump-screen", "--pane-id", &editor, "--ansi"]);
    assert!(screen.contains("31mred words"), "{screen:?}");
}

#[test]
fn commands_run_at_once_with_force_run_commands_and_clean_exits_save_too() {
    let env = Env::new();
    let work = env.root.path().join("work");
    let layout = layout_file(&work);
    env.start("quick", &["--layout", layout.to_str().unwrap()]);
    let dir = session_dir(&env, "quick");
    // kill-session saves, then removes the live marker.
    env.ok(&["kill-session", "quick"]);
    assert!(dir.join("session-layout.kdl").exists());
    assert!(!dir.join("session-metadata.kdl").exists(), "metadata is removed on a clean exit");
    assert_eq!(state_of(&env, "quick").as_deref(), Some("exited"));

    env.start("quick", &["--force-run-commands"]);
    let list = panes(&env, "quick");
    assert!(list.iter().all(|p| p["suspended"] == false), "{list:#?}");
    let tailer = pane_id(&list, "tailer");
    wait_until("tail runs again", || {
        env.action("quick", &["dump-screen", "--pane-id", &tailer]).contains("first line")
    });

    // A new session may not take an exited session's name.
    env.ok(&["kill-session", "quick"]);
    let err = env.fails(&["-s", "quick"]);
    assert!(err.contains("exited and can be resurrected"), "{err}");
}

/// What a crash round kills the server in the middle of.
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// Heavy output with saves racing it.
    Saving,
    /// Its own resurrection: the server dies while it restores the panes.
    Resurrecting,
    /// `rename-session`: socket and saved state move.
    Renaming,
    /// A serializer swap: config.kdl changes and the plugins reload.
    SwappingPlugins,
}

#[test]
fn crash_consistency_under_output_saves_resurrection_renames_and_plugin_swaps() {
    let env = Env::new();
    let slow = std::env::var("REVENANT_SLOW").is_ok_and(|v| v == "1");
    let rounds: usize =
        std::env::var("REVENANT_CRASH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(if slow { 200 } else { 50 });
    let dir = env.root.path().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    let layout = dir.join("noisy.kdl");
    std::fs::write(
        &layout,
        r#"layout {
    tab name="noise" {
        pane split_direction="vertical" {
            pane name="a" command="sh" { args "-c" "while :; do seq 1 200; done"; }
            pane name="b" command="sh" { args "-c" "while :; do printf '\\033[3%dmcolour\\033[0m\\n' 1 2 3; done"; }
        }
    }
    tab name="quiet" { pane name="c"; }
}
"#,
    )
    .unwrap();
    let base = "serialize_pane_viewport true\nscrollback_lines_to_serialize 200\n";
    let old_serializer = common::fixture_path("wasm/contract-0.2.0/serializer.wasm");
    let serializer = |builtin: bool| {
        let location =
            if builtin { "revenant:serializer".to_string() } else { format!("file:{}", old_serializer.display()) };
        format!("{base}plugins {{\n    serializer location=\"{location}\"\n}}\n")
    };
    env.write_config(&serializer(true));
    let mut name = "crashy".to_string();
    let mut pid = env.start(&name, &["--layout", layout.to_str().unwrap()]);
    env.action(&name, &["save-session"]);
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut builtin = true;
    let mut seen = std::collections::HashMap::new();
    for round in 0..rounds {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let moment =
            [Moment::Saving, Moment::Resurrecting, Moment::Renaming, Moment::SwappingPlugins][(rng % 4) as usize];
        *seen.entry(format!("{moment:?}")).or_insert(0) += 1;
        let delay = Duration::from_millis((rng >> 8) % 150);
        let racer = match moment {
            // Saves race with output; the kill lands at a random moment.
            Moment::Saving => Some(env.cmd_with(&["-s", &name, "action", "save-session"], 3)),
            Moment::Resurrecting => None,
            Moment::Renaming => {
                let to = if name == "crashy" { "crashy2" } else { "crashy" };
                Some(env.cmd_with(&["-s", &name, "action", "rename-session", to], 1))
            }
            Moment::SwappingPlugins => {
                builtin = !builtin;
                env.write_config(&serializer(builtin));
                Some(env.cmd_with(&["-s", &name, "plugin", "reload"], 1))
            }
        };
        std::thread::sleep(delay);
        kill9(pid);
        if let Some(racer) = racer {
            let _ = racer.join();
        }

        // The session is there under exactly one name, exited, whole.
        let states: Vec<(String, Option<String>)> =
            ["crashy", "crashy2"].iter().map(|n| (n.to_string(), state_of(&env, n))).collect();
        let listed: Vec<&(String, Option<String>)> = states.iter().filter(|(_, s)| s.is_some()).collect();
        assert_eq!(listed.len(), 1, "round {round} ({moment:?}): {states:?}");
        name = listed[0].0.clone();
        assert_eq!(listed[0].1.as_deref(), Some("exited"), "round {round} ({moment:?})");
        let snapshot = session_dir(&env, &name).join("session-layout.kdl");
        let check = env.run(&["layout", "check", snapshot.to_str().unwrap(), "--size", "100x30"]);
        assert!(check.status.success(), "round {round} ({moment:?}): {}", String::from_utf8_lossy(&check.stderr));
        pid = env.start(&name, &["--force-run-commands"]);
        if matches!(moment, Moment::Resurrecting) {
            // Killed while it replays the panes' screens.
            std::thread::sleep(delay / 3);
            kill9(pid);
            assert_eq!(state_of(&env, &name).as_deref(), Some("exited"), "round {round} (resurrecting)");
            pid = env.start(&name, &["--force-run-commands"]);
        }
        let list = panes(&env, &name);
        let titles: Vec<&str> = list.iter().map(|p| p["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["a", "b", "c"], "round {round} ({moment:?})");
    }
    eprintln!("{rounds} crash rounds: {seen:?}");
}

#[test]
fn a_rewriting_discovery_plugin_changes_what_is_saved() {
    let env = Env::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/wasm/unwrapping-discovery.wasm");
    env.write_config(&format!("plugins {{\n    command-discovery location=\"file:{}\"\n}}\n", fixture.display()));
    env.start("wrapped", &["--", "timeout", "1000", "sleep", "999"]);
    let layout = env.action("wrapped", &["dump-layout"]);
    assert!(layout.contains("command=\"sleep\"") && layout.contains("\"999\""), "{layout}");
    assert!(!layout.contains("timeout"), "{layout}");
    // And the built-in plugin keeps the wrapper.
    let env2 = Env::new();
    env2.start("plain", &["--", "timeout", "1000", "sleep", "999"]);
    assert!(env2.action("plain", &["dump-layout"]).contains("command=\"timeout\""));
}

#[test]
fn a_serializer_that_fails_to_load_is_stood_in_for_by_the_built_in_one() {
    let env = Env::new();
    // The hostile fixture fails for a session named "error": already in
    // the trial run its load makes, so it never serves.
    env.start("error", &[]);
    env.action("error", &["save-session"]);
    let layout = session_dir(&env, "error").join("session-layout.kdl");
    assert!(std::fs::read_to_string(&layout).unwrap().contains("layout"));
    env.ok(&["kill-session", "error"]);

    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/wasm/hostile-serializer.wasm");
    env.write_config(&format!("plugins {{\n    serializer location=\"file:{}\"\n}}\n", fixture.display()));
    let pid = env.start("error", &[]);
    env.action("error", &["new-tab", "--name", "after"]);
    // The save goes through, and says with what.
    env.action("error", &["save-session"]);
    let text = std::fs::read_to_string(&layout).unwrap();
    assert!(text.contains("after"), "the new tab was not saved:\n{text}");
    kill9(pid);
    assert_eq!(state_of(&env, "error").as_deref(), Some("exited"));
    let logs = env.logs();
    assert!(logs.contains("refusing on purpose") && logs.contains("saved with the built-in one"), "{logs}");
}

#[test]
fn deleting_sessions_and_the_config_knobs() {
    let env = Env::new();
    env.start("keep", &[]);
    env.ok(&["kill-session", "keep"]);
    env.start("live", &[]);
    let err = env.fails(&["delete-session", "live"]);
    assert!(err.contains("running"), "{err}");
    env.ok(&["delete-session", "live", "--force"]);
    assert!(state_of(&env, "live").is_none());
    assert!(!session_dir(&env, "live").exists());
    let logs = env.cache_dir().join("logs");
    assert!(logs.join("keep.log").exists() && logs.join("keep.stderr").exists());
    env.ok(&["delete-session", "keep"]);
    assert!(state_of(&env, "keep").is_none());
    assert!(!logs.join("keep.log").exists() && !logs.join("keep.stderr").exists(), "its logs go with it");
    assert!(!logs.join("live.log").exists());
    assert!(env.fails(&["delete-session", "keep"]).contains("no session named"));

    // The interval snapshot, and no metadata when it is turned off.
    env.write_config("serialization_interval 1\ndisable_session_metadata true\n");
    env.start("ticking", &[]);
    let dir = session_dir(&env, "ticking");
    wait_until("an interval snapshot", || dir.join("session-layout.kdl").exists());
    assert!(!dir.join("session-metadata.kdl").exists());

    env.write_config("session_serialization false\n");
    env.start("unsaved", &[]);
    let err = env.fails(&["-s", "unsaved", "action", "save-session"]);
    assert!(err.contains("session_serialization false"), "{err}");
    env.ok(&["kill-session", "unsaved"]);
    assert!(!session_dir(&env, "unsaved").join("session-layout.kdl").exists());
    assert!(state_of(&env, "unsaved").is_none());

    let started = Instant::now();
    env.ok(&["delete-all-sessions", "-y", "--force"]);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(env.ok(&["ls", "--short"]), "");
    assert!(!logs.join("ticking.log").exists() && !logs.join("unsaved.stderr").exists());
}

#[test]
fn a_resurrected_session_keeps_the_time_it_was_created() {
    let env = Env::new();
    let created = || {
        let list: Value = serde_json::from_str(&env.ok(&["ls", "--json"])).unwrap();
        list.as_array().unwrap().iter().find(|s| s["name"] == "old").map(|s| s["created_unix"].as_u64().unwrap())
    };
    env.start("old", &[]);
    let first = created().unwrap();
    env.ok(&["kill-session", "old"]);
    // Past the next second, so a new creation time would differ.
    std::thread::sleep(Duration::from_millis(1100));
    env.start("old", &[]);
    assert_eq!(state_of(&env, "old").as_deref(), Some("live"));
    assert_eq!(created(), Some(first));
}

/// The newest generation's folder and the files in it.
fn newest_generation(env: &Env, name: &str) -> PathBuf {
    let snapshots = session_dir(env, name).join("snapshots");
    let mut numbered: Vec<PathBuf> = std::fs::read_dir(&snapshots)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_str().unwrap().parse::<u64>().is_ok())
        .collect();
    numbered.sort();
    numbered.pop().expect("a generation")
}

#[test]
fn a_damaged_newest_snapshot_falls_back_to_the_newest_whole_one() {
    let env = Env::new();
    env.write_config("serialize_pane_viewport true\n");
    // Each way of damaging the newest save: which file, what is done to it,
    // and whether the generation before it must be used.
    type Damage = fn(&Path, &Path);
    let cases: [(&str, Damage, bool); 5] = [
        // What a generation's info.kdl says is not needed to resurrect:
        // nothing is damaged.
        ("its info.kdl lost", |_, generation| std::fs::remove_file(generation.join("info.kdl")).unwrap(), false),
        ("the published layout emptied", |top, _| std::fs::write(top, "").unwrap(), false),
        (
            "the published layout torn",
            |top, _| std::fs::write(top, "layout {\n  pane split_direction=\"").unwrap(),
            false,
        ),
        (
            "a sidecar lost",
            |_, generation| {
                let sidecar = std::fs::read_dir(generation)
                    .unwrap()
                    .flatten()
                    .map(|e| e.path())
                    .find(|p| !p.ends_with("session-layout.kdl") && !p.ends_with("info.kdl"))
                    .expect("a sidecar");
                std::fs::remove_file(sidecar).unwrap();
            },
            true,
        ),
        (
            "both layouts emptied",
            |top, generation| {
                std::fs::write(top, "").unwrap();
                std::fs::write(generation.join("session-layout.kdl"), "").unwrap();
            },
            true,
        ),
    ];
    for (i, (what, damage, older)) in cases.into_iter().enumerate() {
        let name = format!("dmg{i}");
        let pid = env.start(&name, &[]);
        env.action(&name, &["new-pane", "--direction", "right"]);
        env.action(&name, &["write-chars", "echo first-save\n"]);
        env.wait_for_screen(&name, "\nfirst-save");
        env.action(&name, &["save-session"]);
        env.action(&name, &["write-chars", "echo second-save\n"]);
        env.wait_for_screen(&name, "\nsecond-save");
        env.action(&name, &["save-session"]);
        kill9(pid);
        let generation = newest_generation(&env, &name);
        let id: u64 = generation.file_name().unwrap().to_str().unwrap().parse().unwrap();
        damage(&session_dir(&env, &name).join("session-layout.kdl"), &generation);

        let whole = i == 0;
        let listing = env.ok(&["ls", "--no-formatting"]);
        assert!(listing.contains(&format!("{name} [Created")), "{what}: {listing}");
        assert_eq!(listing.contains("last save damaged"), !whole, "{what}: {listing}");
        let out = env.run(&["attach", "-b", &name, "--size", "100x30"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{what}: {stderr}");
        let _guard = common::KillOnDrop(vec![env.pid_of(&name).expect("resurrected")]);
        if whole {
            assert!(!stderr.contains("set aside"), "{what}: {stderr}");
            assert_eq!(panes(&env, &name).len(), 2, "{what}: every pane is back");
            continue;
        }
        let used = if older { id - 1 } else { id };
        assert!(stderr.contains("set aside") && stderr.contains(&format!("from snapshot {used}")), "{what}: {stderr}");
        assert_eq!(panes(&env, &name).len(), 2, "{what}: every pane is back");
        let dir = session_dir(&env, &name);
        assert!(dir.join("session-layout.kdl.damaged").exists(), "{what}: the damaged layout is kept");
        assert_eq!(
            dir.join(format!("snapshots/damaged-{id}")).exists(),
            older,
            "{what}: the damaged generation is kept"
        );
    }
}

#[test]
fn a_much_poorer_save_pins_the_rich_snapshot_before_it() {
    let env = Env::new();
    let pid = env.start("rich", &[]);
    for _ in 0..3 {
        env.action("rich", &["new-pane"]);
    }
    env.action("rich", &["save-session"]);
    // Three of the four panes die at once; the saves that follow hold one.
    for _ in 0..3 {
        env.action("rich", &["close-pane"]);
    }
    for _ in 0..6 {
        env.action("rich", &["save-session"]);
    }
    kill9(pid);
    let snapshots = env.ok(&["snapshots", "rich"]);
    let pinned: Vec<&str> = snapshots.lines().filter(|l| l.contains("(pinned")).collect();
    assert_eq!(pinned.len(), 1, "{snapshots}");
    assert!(pinned[0].contains("4 panes"), "the rich one is kept: {snapshots}");
    assert_eq!(snapshots.lines().count(), 6, "five and the pinned one: {snapshots}");
    let id = pinned[0].split_whitespace().next().unwrap();
    let listing = env.ok(&["ls", "--no-formatting"]);
    assert!(listing.contains(&format!("snapshot {id} pinned")), "{listing}");
    let json: Value = serde_json::from_str(&env.ok(&["snapshots", "rich", "--json"])).unwrap();
    assert_eq!(json.as_array().unwrap().iter().filter(|g| g["pinned"] == true).count(), 1);
    // It can be resurrected from.
    env.ok(&["attach", "-b", "rich", "--snapshot", id]);
    let _guard = common::KillOnDrop(vec![env.pid_of("rich").unwrap()]);
    assert_eq!(panes(&env, "rich").len(), 4);
}

/// A save of a busy pane carries only its new history rows to the worker:
/// what each generation holds must still be the pane's whole history and
/// screen, through history that ages out, is cleared, and is pulled back
/// into a taller screen.
#[test]
fn every_save_of_a_busy_pane_holds_its_whole_history() {
    let env = Env::new();
    env.write_config("serialize_pane_viewport true\nscrollback_lines_to_serialize 0\nscroll_buffer_size 60\n");
    env.start("busy", &[]);
    let id = panes(&env, "busy")[0]["id"].to_string();
    let saved_text = || {
        env.action("busy", &["save-session"]);
        let file = newest_generation(&env, "busy").join(format!("initial_contents_{id}"));
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    };
    // The pane as it is, less the blank rows under its text.
    let live_text = || {
        let dump = env.action("busy", &["dump-screen", "--full", "--ansi", "--pane-id", &id]);
        let mut lines: Vec<&str> = dump.lines().collect();
        while lines.last().is_some_and(|l| l.replace("\x1b[0m", "").trim().is_empty()) {
            lines.pop();
        }
        lines.join("\n")
    };
    let mut round = 0;
    let mut step = |input: &str| {
        round += 1;
        let marker = format!("step{round}done");
        env.action("busy", &["focus-pane-id", &id]);
        env.action("busy", &["write-chars", &format!("{input}; echo step{round}''done\n")]);
        wait_until("the output", || env.action("busy", &["dump-screen", "--pane-id", &id]).contains(&marker));
        // The shell's prompt may still land between the save and the look
        // at the pane: then the next save sees it too.
        let mut tries = 0;
        loop {
            let (saved, live) = (saved_text(), live_text());
            tries += 1;
            if saved == live || tries == 3 {
                assert_eq!(saved, live, "after {input:?}");
                break saved;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    step("seq 1 20");
    // History fills and ages out at 60 rows, between saves and across them.
    let saved = step("seq 21 130");
    assert!(saved.contains("\n130\n") && !saved.contains("\n21\n"), "{saved}");
    step("printf '\\033[33mcolour\\033[0m\\n'; seq 131 150");
    // Cleared history.
    let saved = step("printf '\\033[3J'; seq 151 155");
    assert!(!saved.contains("\n130\n"), "{saved}");
    step("seq 156 240");
    // A split shortens the pane (rows go into history) and a save sees
    // that; closing the new pane makes it tall again (those rows come back
    // out, and new ones take their numbers).
    env.action("busy", &["new-pane", "--direction", "down"]);
    step("seq 241 245");
    env.action("busy", &["focus-next-pane"]);
    env.action("busy", &["close-pane"]);
    wait_until("one pane", || panes(&env, "busy").len() == 1);
    // The rows that came back are written over before they scroll away.
    step("printf '\\033[H\\033[2J'; seq 246 300");
    step("seq 301 320");
}
