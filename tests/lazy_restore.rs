//! Lazy restore with real servers and shells: a resurrected session starts
//! the processes of its focused tab only (counted in `/proc`, as `ps`
//! would); another tab's shells start, and their saved screens come back,
//! when the tab is shown or an action names a pane of it; a save made
//! while tabs are still dormant keeps their screens; `lazy_restore false`
//! and `--force-run-commands` start everything at once.

mod common;

use common::{Env, kill9, wait_until};
use serde_json::Value;

/// Processes whose parent is `pid` (a session server's pane processes).
fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(child) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // The fields after the command's closing parenthesis: state, ppid.
        let Some((_, rest)) = stat.rsplit_once(')') else { continue };
        if rest.split_whitespace().nth(1).and_then(|p| p.parse::<u32>().ok()) == Some(pid) {
            out.push(child);
        }
    }
    out
}

fn panes(env: &Env, name: &str) -> Vec<Value> {
    env.json(name, &["list-panes", "--json"]).as_array().unwrap().clone()
}

/// The ids of the panes of tab `tab` (from 0).
fn tab_panes(env: &Env, name: &str, tab: u64) -> Vec<String> {
    panes(env, name).iter().filter(|p| p["tab"] == tab).map(|p| p["id"].to_string()).collect()
}

fn dormant(env: &Env, name: &str) -> usize {
    panes(env, name).iter().filter(|p| p["dormant"] == true).count()
}

/// Three tabs of two shells each; every shell prints a marker naming its
/// tab and pane, and the first tab is focused when saved.
fn saved_session(env: &Env, name: &str) -> u32 {
    let layout = env.root.path().join("three.kdl");
    let tab = |name: &str, focus: &str| {
        format!(
            "    tab name=\"{name}\"{focus} {{\n        pane split_direction=\"vertical\" {{\n            pane\n            pane\n        }}\n    }}\n"
        )
    };
    let text = format!("layout {{\n{}{}{}}}\n", tab("one", " focus=true"), tab("two", ""), tab("three", ""));
    std::fs::write(&layout, text).unwrap();
    let pid = env.start(name, &["--layout", layout.to_str().unwrap()]);
    for (t, tab) in ["one", "two", "three"].iter().enumerate() {
        for id in tab_panes(env, name, t as u64) {
            env.action(name, &["focus-pane-id", &id]);
            env.action(name, &["write-chars", &format!("echo mark-{tab}-''{id}\n")]);
            wait_until("the marker", || {
                env.action(name, &["dump-screen", "--pane-id", &id]).contains(&format!("mark-{tab}-{id}"))
            });
        }
    }
    env.action(name, &["go-to-tab-name", "one"]);
    env.action(name, &["save-session"]);
    pid
}

fn resurrect(env: &Env, name: &str) -> u32 {
    env.ok(&["attach", "-b", name, "--size", "120x40"]);
    env.pid_of(name).expect("resurrected")
}

#[test]
fn only_the_shown_tab_starts_and_the_others_wake_when_shown_or_named() {
    let env = Env::new();
    env.write_config("serialize_pane_viewport true\n");
    let pid = saved_session(&env, "lazy");
    assert_eq!(children(pid).len(), 6, "a live session runs every shell");
    kill9(pid);

    let pid = resurrect(&env, "lazy");
    let _guard = common::KillOnDrop(vec![pid]);
    // The layout is all there at once; only tab one's shells run.
    assert_eq!(panes(&env, "lazy").len(), 6);
    wait_until("tab one's shells", || children(pid).len() == 2);
    assert_eq!(dormant(&env, "lazy"), 4, "{:#?}", panes(&env, "lazy"));
    for id in tab_panes(&env, "lazy", 0) {
        wait_until("tab one's screens", || env.action("lazy", &["dump-screen", "--pane-id", &id]).contains("mark-one"));
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(children(pid).len(), 2, "nothing else started by itself");

    // A save now keeps the dormant tabs' screens (the worker replays them).
    env.action("lazy", &["save-session"]);
    assert_eq!(children(pid).len(), 2, "saving woke nothing");
    let layout = env.action("lazy", &["dump-layout"]);
    assert!(layout.contains("tab name=\"three\""), "{layout}");
    kill9(pid);

    let pid = resurrect(&env, "lazy");
    let _guard = common::KillOnDrop(vec![pid]);
    wait_until("tab one's shells", || children(pid).len() == 2);
    // An action naming a pane wakes that pane alone.
    let two = tab_panes(&env, "lazy", 1);
    wait_until("the named pane's screen", || {
        env.action("lazy", &["dump-screen", "--pane-id", &two[0]]).contains("mark-two-")
    });
    wait_until("the named pane's shell", || children(pid).len() == 3);
    assert_eq!(dormant(&env, "lazy"), 3);
    // Showing a tab wakes all of it.
    env.action("lazy", &["go-to-tab-name", "three"]);
    wait_until("tab three's shells", || children(pid).len() == 5);
    for id in tab_panes(&env, "lazy", 2) {
        wait_until("tab three's screens, saved while dormant", || {
            env.action("lazy", &["dump-screen", "--pane-id", &id]).contains("mark-three-")
        });
    }
    // Typing reaches the woken shell.
    env.action("lazy", &["write-chars", "echo typed-''here\n"]);
    wait_until("the echo", || env.action("lazy", &["dump-screen"]).contains("typed-here"));
    env.action("lazy", &["go-to-tab-name", "two"]);
    wait_until("every shell", || children(pid).len() == 6);
    assert_eq!(dormant(&env, "lazy"), 0);
}

#[test]
fn lazy_restore_false_and_force_run_commands_start_every_pane_at_once() {
    let env = Env::new();
    let pid = saved_session(&env, "eager");
    kill9(pid);
    env.write_config("lazy_restore false\n");
    let pid = resurrect(&env, "eager");
    let guard = common::KillOnDrop(vec![pid]);
    wait_until("every shell", || children(pid).len() == 6);
    assert_eq!(dormant(&env, "eager"), 0);
    drop(guard);
    wait_until("the server to end", || !common::process_alive(pid));

    env.write_config("lazy_restore true\n");
    env.ok(&["attach", "-b", "eager", "--size", "120x40", "--force-run-commands"]);
    let pid = env.pid_of("eager").expect("resurrected");
    let _guard = common::KillOnDrop(vec![pid]);
    wait_until("every shell", || children(pid).len() == 6);
    assert_eq!(dormant(&env, "eager"), 0);
}

#[test]
fn the_tab_focused_when_saved_is_the_one_that_starts() {
    let env = Env::new();
    let pid = saved_session(&env, "later");
    env.action("later", &["go-to-tab-name", "three"]);
    env.action("later", &["save-session"]);
    kill9(pid);
    let pid = resurrect(&env, "later");
    let _guard = common::KillOnDrop(vec![pid]);
    wait_until("tab three's shells", || children(pid).len() == 2);
    let three = tab_panes(&env, "later", 2);
    let awake: Vec<String> =
        panes(&env, "later").iter().filter(|p| p["dormant"] == false).map(|p| p["id"].to_string()).collect();
    assert_eq!(awake, three, "{:#?}", panes(&env, "later"));
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(children(pid).len(), 2, "the first tab did not start too");
}
