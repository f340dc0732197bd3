//! The interactive client as a person sees it, driven inside tmux:
//! start, split, type, detach with Ctrl-o d, reattach and see the same
//! screen; two clients on different tabs.

mod common;

use std::process::Command;
use std::time::Duration;

use common::tmux::Tmux;
use common::{Env, KillOnDrop, wait_until};

#[test]
fn start_split_type_detach_reattach_and_two_clients() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    tmux.open(&env, "t1", "-s hotel", true);
    tmux.wait_for("t1", "NORMAL");
    let pid = env.pid_of("hotel").expect("the session runs");
    let _guard = KillOnDrop(vec![pid]);

    tmux.keys("t1", &["echo one-$((40+2))", "Enter"]);
    tmux.wait_for("t1", "one-42");
    // Ctrl-p r: split right; the new pane gets a frame of its own.
    tmux.keys("t1", &["C-p"]);
    tmux.wait_for("t1", "PANE");
    tmux.keys("t1", &["r"]);
    wait_until("two panes", || env.json("hotel", &["list-panes", "--json"]).as_array().unwrap().len() == 2);
    tmux.keys("t1", &["echo two-$((40+3))", "Enter"]);
    let before = tmux.wait_for("t1", "two-43");
    assert!(before.contains("one-42"), "the first pane is still shown:\n{before}");

    // Ctrl-o d detaches; the session lives on.
    tmux.keys("t1", &["C-o"]);
    tmux.keys("t1", &["d"]);
    tmux.wait_for("t1", "[detached from session hotel]");
    assert!(env.ok(&["ls", "--short"]).contains("hotel"));

    // Reattach in a second window: the same screen comes back.
    tmux.open(&env, "t2", "attach hotel", false);
    let after = tmux.wait_for("t1:t2", "two-43");
    assert!(after.contains("one-42"), "{after}");

    // A third client on another tab: each keeps its own tab.
    tmux.open(&env, "t3", "attach hotel", false);
    tmux.wait_for("t1:t3", "NORMAL");
    tmux.keys("t1:t3", &["C-t"]);
    tmux.keys("t1:t3", &["n"]);
    wait_until("a second tab", || env.json("hotel", &["list-tabs", "--json"]).as_array().unwrap().len() == 2);
    wait_until("clients on different tabs", || {
        let clients = env.json("hotel", &["list-clients", "--json"]);
        let tabs: Vec<u64> = clients.as_array().unwrap().iter().map(|c| c["tab"].as_u64().unwrap()).collect();
        tabs.len() == 2 && tabs.contains(&0) && tabs.contains(&1)
    });
    let second = tmux.screen("t1:t2");
    assert!(second.contains("two-43"), "the first client stays on tab 1:\n{second}");
}

#[test]
fn the_session_manager_lists_sessions_and_switches_the_client() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let other = env.start("kilo", &[]);
    let _other = KillOnDrop(vec![other]);
    tmux.open(&env, "t1", "-s lima", true);
    tmux.wait_for("t1", "NORMAL");
    let _lima = KillOnDrop(vec![env.pid_of("lima").expect("lima runs")]);

    tmux.keys("t1", &["C-o"]);
    tmux.keys("t1", &["w"]);
    // Debug builds compile plugins slowly; the server warms its cache at start.
    let screen = tmux
        .try_wait_for("t1", "Session Manager", Duration::from_secs(60))
        .unwrap_or_else(|s| panic!("no manager:\n{s}\n{}", env.logs()));
    let screen = if screen.contains("kilo") { screen } else { tmux.wait_for("t1", "kilo") };
    assert!(screen.contains("lima (current)"), "{screen}");
    let panes = env.json("lima", &["list-panes", "--json"]);
    let manager = panes.as_array().unwrap().iter().find(|p| p["is_plugin"] == true).expect("a plugin pane");
    assert_eq!(manager["plugin_location"], "revenant:session-manager");
    assert_eq!(manager["is_floating"], true);

    // Typing filters to it (both were created within the same second, so
    // their order says nothing).
    tmux.keys("t1", &["k", "i", "l"]);
    tmux.wait_for("t1", "> kil");
    tmux.keys("t1", &["Enter"]);
    wait_until("the client to move to kilo", || {
        env.json("kilo", &["list-clients", "--json"]).as_array().is_some_and(|c| c.len() == 1)
    });
    assert_eq!(env.json("lima", &["list-clients", "--json"]).as_array().unwrap().len(), 0);
    tmux.wait_for("t1", " kilo ");
}

#[test]
fn a_client_killed_by_sigterm_restores_the_terminal_and_detaches() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    tmux.open(&env, "t1", "-s mike", true);
    tmux.wait_for("t1", "NORMAL");
    let _server = KillOnDrop(vec![env.pid_of("mike").expect("mike runs")]);
    let client = tmux.tmux(&["display-message", "-p", "-t", "t1", "#{pane_pid}"]);
    // The pane runs `env … revenant …; sleep`: the client is the shell's child.
    let shell: u32 = client.trim().parse().expect("a pid");
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).unwrap_or_default();
    let client_pid = children.split_whitespace().next().expect("the client process").to_string();
    Command::new("kill").args(["-TERM", &client_pid]).status().unwrap();
    let client_pid: u32 = client_pid.parse().unwrap();
    let screen = tmux.wait_for("t1", "[detached from session mike]");
    assert!(!screen.contains("NORMAL"), "the alternate screen is gone:\n{screen}");
    assert!(env.ok(&["ls", "--short"]).contains("mike"), "the session lives on");
    wait_until("the client to exit", || !common::process_alive(client_pid));

    // A client whose terminal disappears (tmux goes away) exits too, instead
    // of spinning on a dead terminal.
    tmux.open(&env, "t2", "attach mike", false);
    tmux.wait_for("t1:t2", "NORMAL");
    let shell: u32 = tmux.tmux(&["display-message", "-p", "-t", "t1:t2", "#{pane_pid}"]).trim().parse().unwrap();
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).unwrap_or_default();
    let client: u32 = children.split_whitespace().next().expect("the client").parse().unwrap();
    tmux.tmux(&["kill-server"]);
    wait_until("the orphaned client to exit", || !common::process_alive(client));
}

#[test]
fn a_held_back_command_runs_on_enter_and_closes_on_ctrl_c() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let layout = env.root.path().join("held.kdl");
    std::fs::write(
        &layout,
        r#"layout {
    pane size=1 borderless=true { plugin location="zellij:tab-bar"; }
    pane split_direction="vertical" {
        pane name="first" command="sh" start_suspended=true focus=true {
            args "-c" "echo ran-$((6*7)); sleep 100"
        }
        pane name="second" command="sleep" start_suspended=true { args "100"; }
    }
    pane size=1 borderless=true { plugin location="zellij:status-bar"; }
}
"#,
    )
    .unwrap();
    tmux.open(&env, "t1", &format!("-s mike --layout {}", layout.display()), true);
    let screen = tmux.wait_for("t1", "Press ENTER to run");
    let screen = if screen.contains("run… sleep 100") { screen } else { tmux.wait_for("t1", "run… sleep 100") };
    assert!(screen.contains("run… sh -c echo ran-"), "the command lines are shown:\n{screen}");
    let _guard = KillOnDrop(vec![env.pid_of("mike").expect("mike runs")]);
    assert!(!screen.contains("ran-42"), "nothing ran yet:\n{screen}");

    tmux.keys("t1", &["Enter"]);
    tmux.wait_for("t1", "ran-42");
    let panes = env.json("mike", &["list-panes", "--json"]);
    let suspended: Vec<bool> = panes.as_array().unwrap().iter().map(|p| p["suspended"].as_bool().unwrap()).collect();
    assert_eq!(suspended, [false, true]);

    // Ctrl-c on the other, still held, pane closes it without running it.
    tmux.keys("t1", &["C-p"]);
    tmux.keys("t1", &["l"]);
    tmux.keys("t1", &["Escape"]);
    tmux.keys("t1", &["C-c"]);
    wait_until("the held pane to close", || env.json("mike", &["list-panes", "--json"]).as_array().unwrap().len() == 1);
}
