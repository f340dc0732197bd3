//! The session manager as a person uses it: a real client inside tmux, real
//! servers, the built-in plugin. And the CLI beside it: `snapshots`,
//! `attach --snapshot`, `action rename-session`.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use common::tmux::Tmux;
use common::{Env, kill9, wait_until};
use serde_json::Value;

fn session_dir(env: &Env, name: &str) -> PathBuf {
    env.cache_dir().join("contract_version_1/session_info").join(name)
}

struct KillOnDrop(Vec<u32>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        for pid in &self.0 {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    }
}

fn listing(env: &Env) -> Vec<Value> {
    serde_json::from_str::<Value>(&env.ok(&["ls", "--json"])).unwrap().as_array().unwrap().clone()
}

fn state_of(env: &Env, name: &str) -> Option<String> {
    listing(env).iter().find(|s| s["name"] == name).map(|s| s["state"].as_str().unwrap().to_string())
}

fn tab_names(env: &Env, session: &str) -> Vec<String> {
    let tabs = env.json(session, &["list-tabs", "--json"]);
    tabs.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_string()).collect()
}

fn clients(env: &Env, session: &str) -> usize {
    env.json(session, &["list-clients", "--json"]).as_array().map_or(0, |c| c.len())
}

/// A layout file with these tab names, one shell pane each.
fn tabs_layout(env: &Env, file: &str, tabs: &[&str]) -> String {
    let body: String = tabs.iter().map(|t| format!("    tab name=\"{t}\" {{ pane; }}\n")).collect();
    let path = env.root.path().join(file);
    std::fs::write(&path, format!("layout {{\n{body}}}\n")).unwrap();
    path.display().to_string()
}

/// A session with these tabs, saved and then killed: EXITED.
fn exited_session(env: &Env, name: &str, tabs: &[&str]) {
    let layout = tabs_layout(env, &format!("{name}.kdl"), tabs);
    let pid = env.start(name, &["--layout", &layout]);
    env.action(name, &["save-session"]);
    kill9(pid);
    assert_eq!(state_of(env, name).as_deref(), Some("exited"));
}

/// Opens a client on a new session `name` in tmux and the manager in it.
fn open_manager(env: &Env, tmux: &Tmux, name: &str) -> u32 {
    tmux.open(env, "t1", &format!("-s {name}"), true);
    tmux.wait_for("t1", "NORMAL");
    let pid = env.pid_of(name).expect("the client's session runs");
    tmux.keys("t1", &["C-o"]);
    tmux.keys("t1", &["w"]);
    // Debug builds compile plugins slowly; the server warms its cache at start.
    tmux.try_wait_for("t1", "Sessions", Duration::from_secs(60))
        .unwrap_or_else(|s| panic!("no manager:\n{s}\n{}", env.logs()));
    pid
}

fn type_text(tmux: &Tmux, text: &str) {
    tmux.keys("t1", &["-l", text]);
}

#[test]
fn tab_shows_an_exited_session_with_its_tabs_and_enter_resurrects_it() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    exited_session(&env, "orchard", &["apples", "pears"]);
    let mut pids = KillOnDrop(vec![open_manager(&env, &tmux, "home")]);

    let screen = tmux.wait_for("t1", "exited session hidden");
    assert!(!screen.contains("orchard"), "exited sessions wait for TAB:\n{screen}");
    tmux.keys("t1", &["Tab"]);
    let screen = tmux.wait_for("t1", "orchard");
    assert!(screen.contains("EXITED"), "{screen}");
    assert!(screen.contains("apples, pears"), "the row names the snapshot's tabs:\n{screen}");
    assert!(screen.contains("home (current)"), "{screen}");
    // The open list follows a session started elsewhere.
    pids.0.push(env.start("latecomer", &[]));
    tmux.wait_for("t1", "latecomer");

    type_text(&tmux, "orch");
    let screen = tmux.wait_for("t1", "> orch");
    assert!(!screen.contains("home (current)"), "the filter hides what does not match:\n{screen}");
    tmux.keys("t1", &["Enter"]);
    wait_until("orchard to be resurrected", || state_of(&env, "orchard").as_deref() == Some("live"));
    pids.0.push(env.pid_of("orchard").unwrap());
    wait_until("the client to land in orchard", || clients(&env, "orchard") == 1);
    assert_eq!(clients(&env, "home"), 0);
    assert_eq!(tab_names(&env, "orchard"), ["apples", "pears"]);
    // Its layout has no bars: what shows is its shell, not the manager.
    wait_until("the manager to go", || !tmux.screen("t1").contains("EXITED"));
}

#[test]
fn an_older_generation_resurrects_with_that_generations_tabs() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let layout = tabs_layout(&env, "g.kdl", &["first"]);
    let pid = env.start("layers", &["--layout", &layout]);
    env.action("layers", &["save-session"]);
    env.action("layers", &["new-tab", "--name", "second"]);
    env.action("layers", &["save-session"]);
    kill9(pid);

    let generations: Value = serde_json::from_str(&env.ok(&["snapshots", "layers", "--json"])).unwrap();
    let generations = generations.as_array().unwrap();
    assert!(generations.len() >= 2, "{generations:#?}");
    assert_eq!(generations[0]["tabs"], serde_json::json!(["first", "second"]));
    let older = generations.iter().position(|g| g["tabs"] == serde_json::json!(["first"])).expect("the first save");
    let id = generations[older]["id"].as_str().unwrap().to_string();

    let mut pids = KillOnDrop(vec![open_manager(&env, &tmux, "desk")]);
    tmux.keys("t1", &["Tab"]);
    type_text(&tmux, "layers");
    tmux.wait_for("t1", "first, second");
    tmux.keys("t1", &["Right"]);
    tmux.wait_for("t1", &format!("#{id}"));
    // The same timeline as `revenant snapshots`, with the rule that keeps each.
    tmux.wait_for("t1", &format!("#{id} (last)  saved"));
    for _ in 0..=older {
        tmux.keys("t1", &["Down"]);
    }
    tmux.keys("t1", &["Enter"]);
    wait_until("layers to be resurrected", || state_of(&env, "layers").as_deref() == Some("live"));
    pids.0.push(env.pid_of("layers").unwrap());
    assert_eq!(tab_names(&env, "layers"), ["first"], "the older generation came back");
    wait_until("the client to land in layers", || clients(&env, "layers") == 1);
}

#[test]
fn a_new_name_goes_through_the_layout_picker_and_the_session_exists() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let layouts = env.config_dir().join("layouts");
    std::fs::create_dir_all(&layouts).unwrap();
    std::fs::write(layouts.join("mine.kdl"), "layout {\n    tab name=\"own\" { pane; }\n}\n").unwrap();
    let mut pids = KillOnDrop(vec![open_manager(&env, &tmux, "base")]);

    type_text(&tmux, "brandnew");
    tmux.wait_for("t1", "No session matches");
    tmux.keys("t1", &["Enter"]);
    let screen = tmux.wait_for("t1", "pick a layout");
    assert!(screen.contains("New session brandnew"), "{screen}");
    assert!(screen.contains("compact") && screen.contains("built-in"), "{screen}");
    assert!(screen.contains("mine") && screen.contains("layout_dir"), "{screen}");
    assert!(!screen.contains("welcome"), "the welcome screen is not a layout to work in:\n{screen}");
    // Esc goes back to the list, with the name still typed.
    tmux.keys("t1", &["Escape"]);
    tmux.wait_for("t1", "> brandnew");
    tmux.keys("t1", &["Enter"]);
    tmux.wait_for("t1", "pick a layout");
    type_text(&tmux, "min");
    tmux.wait_for("t1", "> min");
    tmux.keys("t1", &["Enter"]);
    wait_until("brandnew to run", || state_of(&env, "brandnew").as_deref() == Some("live"));
    pids.0.push(env.pid_of("brandnew").unwrap());
    assert_eq!(tab_names(&env, "brandnew"), ["own"], "made from the picked layout");
    wait_until("the client to land in brandnew", || clients(&env, "brandnew") == 1);
}

#[test]
fn ctrl_r_renames_and_ls_and_the_cache_folder_follow() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let other = env.start("taken", &[]);
    let _pids = KillOnDrop(vec![open_manager(&env, &tmux, "before"), other]);
    env.action("before", &["save-session"]);
    assert!(session_dir(&env, "before").exists());

    tmux.keys("t1", &["C-r"]);
    tmux.wait_for("t1", "Rename this session to: before");
    for _ in 0.."before".len() {
        tmux.keys("t1", &["BSpace"]);
    }
    // A taken name is refused in one line, and the prompt stays.
    type_text(&tmux, "taken");
    tmux.keys("t1", &["Enter"]);
    tmux.wait_for("t1", "Cannot rename to taken");
    tmux.wait_for("t1", "Rename this session to: taken");
    for _ in 0.."taken".len() {
        tmux.keys("t1", &["BSpace"]);
    }
    type_text(&tmux, "after");
    tmux.keys("t1", &["Enter"]);
    tmux.wait_for("t1", "Renamed to after");
    wait_until("ls to show the new name", || state_of(&env, "after").as_deref() == Some("live"));
    assert_eq!(state_of(&env, "before"), None, "{:#?}", listing(&env));
    wait_until("the cache folder to move", || session_dir(&env, "after").exists());
    assert!(!session_dir(&env, "before").exists());
    assert!(env.socket_dir().join("after").exists() && !env.socket_dir().join("before").exists());
    // The session is reached by its new name, and saves land there.
    assert_eq!(clients(&env, "after"), 1);
    let saved = env.action("after", &["save-session"]);
    assert!(saved.contains("/after/"), "{saved}");
}

#[test]
fn del_asks_before_deleting_an_exited_session() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    exited_session(&env, "doomed", &["only"]);
    let _pids = KillOnDrop(vec![open_manager(&env, &tmux, "keeper")]);
    tmux.keys("t1", &["Tab"]);
    type_text(&tmux, "doo");
    tmux.wait_for("t1", "EXITED");

    tmux.keys("t1", &["DC"]);
    tmux.wait_for("t1", "Delete doomed and its snapshots? (y/n)");
    tmux.keys("t1", &["n"]);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(state_of(&env, "doomed").as_deref(), Some("exited"), "n keeps it");
    tmux.wait_for("t1", "doomed");

    tmux.keys("t1", &["DC"]);
    tmux.wait_for("t1", "(y/n)");
    tmux.keys("t1", &["y"]);
    wait_until("doomed to be deleted", || state_of(&env, "doomed").is_none());
    assert!(!session_dir(&env, "doomed").exists());
    tmux.wait_for("t1", "No session matches");
}

#[test]
fn the_welcome_layout_shows_the_list_and_leaves_no_session_behind() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let kilo = env.start("kilo", &[]);
    exited_session(&env, "ghost", &["old"]);
    let mut pids = KillOnDrop(vec![kilo]);

    tmux.open(&env, "t1", "--layout welcome", true);
    let screen = tmux
        .try_wait_for("t1", "Welcome to Revenant", Duration::from_secs(60))
        .unwrap_or_else(|s| panic!("no welcome screen:\n{s}\n{}", env.logs()));
    let screen = if screen.contains("kilo") { screen } else { tmux.wait_for("t1", "kilo") };
    assert!(!screen.contains("NORMAL"), "full screen, no bars:\n{screen}");
    let welcome: Vec<String> = listing(&env)
        .iter()
        .filter(|s| s["name"] != "kilo" && s["name"] != "ghost")
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(welcome.len(), 1, "the welcome session itself: {welcome:?}");
    let welcome = &welcome[0];
    pids.0.push(env.pid_of(welcome).unwrap());
    assert!(!screen.contains(welcome.as_str()), "the welcome session does not list itself:\n{screen}");

    type_text(&tmux, "kil");
    tmux.wait_for("t1", "> kil");
    tmux.keys("t1", &["Enter"]);
    wait_until("the client to land in kilo", || clients(&env, "kilo") == 1);
    wait_until("the welcome session to end", || state_of(&env, welcome).is_none());
    assert!(!session_dir(&env, welcome).exists(), "a welcome session is never saved");
    let names: Vec<Value> = listing(&env).iter().map(|s| s["name"].clone()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn snapshots_attach_snapshot_and_rename_session_from_the_cli() {
    let env = Env::new();
    let layout = tabs_layout(&env, "c.kdl", &["one"]);
    let pid = env.start("cli", &["--layout", &layout]);
    env.action("cli", &["save-session"]);
    env.action("cli", &["new-tab", "--name", "two"]);
    env.action("cli", &["save-session"]);

    // rename-session refuses a taken name, and a name that is no name.
    let other = env.start("busy", &[]);
    let refused = env.fails(&["-s", "cli", "action", "rename-session", "busy"]);
    assert!(refused.contains("busy") && refused.contains("running"), "{refused}");
    let refused = env.fails(&["-s", "cli", "action", "rename-session", "a/b"]);
    assert!(refused.contains('/'), "{refused}");
    kill9(other);

    // Renamed, then killed at once: one session under the new name.
    env.action("cli", &["rename-session", "moved"]);
    kill9(pid);
    let names: Vec<String> =
        listing(&env).iter().map(|s| s["name"].as_str().unwrap().to_string()).filter(|n| n != "busy").collect();
    assert_eq!(names, ["moved"]);
    assert_eq!(state_of(&env, "moved").as_deref(), Some("exited"));
    assert!(!session_dir(&env, "cli").exists());

    let list: Value = serde_json::from_str(&env.ok(&["snapshots", "moved", "--json"])).unwrap();
    let list = list.as_array().unwrap();
    assert!(list.len() >= 2, "{list:#?}");
    for g in list {
        assert!(g["id"].is_string() && g["saved_unix"].as_u64().unwrap() > 1_700_000_000, "{g}");
        assert!(g["bytes"].as_u64().unwrap() > 0 && g["panes"].as_array().is_some_and(|p| !p.is_empty()), "{g}");
    }
    let newest: Vec<u64> = list.iter().map(|g| g["saved_unix"].as_u64().unwrap()).collect();
    assert!(newest.windows(2).all(|w| w[0] >= w[1]), "newest first: {newest:?}");
    let text = env.ok(&["snapshots", "moved"]);
    assert!(text.contains("one, two") && text.contains("saved"), "{text}");
    let older = list.iter().find(|g| g["tabs"] == serde_json::json!(["one"])).expect("the first save");
    let id = older["id"].as_str().unwrap();

    let missing = env.fails(&["attach", "-b", "moved", "--snapshot", "999999"]);
    assert!(missing.contains("no snapshot 999999"), "{missing}");
    assert_eq!(state_of(&env, "moved").as_deref(), Some("exited"), "nothing started");
    let wrong = env.fails(&["snapshots", "nosuch"]);
    assert!(wrong.contains("nosuch"), "{wrong}");

    env.start("moved", &["--snapshot", id]);
    assert_eq!(tab_names(&env, "moved"), ["one"]);
}

#[test]
fn default_layout_welcome_is_what_a_bare_revenant_shows() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    env.write_config("default_layout \"welcome\"\n");
    tmux.open(&env, "t1", "", true);
    tmux.try_wait_for("t1", "No sessions yet", Duration::from_secs(60))
        .unwrap_or_else(|s| panic!("no welcome screen:\n{s}\n{}", env.logs()));
    let welcome = listing(&env)[0]["name"].as_str().unwrap().to_string();
    let _pids = KillOnDrop(vec![env.pid_of(&welcome).unwrap()]);

    type_text(&tmux, "first");
    tmux.wait_for("t1", "No session matches");
    tmux.keys("t1", &["Enter"]);
    tmux.wait_for("t1", "pick a layout");
    tmux.keys("t1", &["Enter"]);
    wait_until("first to run", || state_of(&env, "first").as_deref() == Some("live"));
    let _first = KillOnDrop(vec![env.pid_of("first").unwrap()]);
    wait_until("the client to land in first", || clients(&env, "first") == 1);
    wait_until("the welcome session to end", || state_of(&env, &welcome).is_none());
    // A session made from the welcome screen is an ordinary one: it has bars.
    tmux.wait_for("t1", "NORMAL");
}

#[test]
fn closing_the_manager_leaves_hidden_floating_panes_hidden_and_the_focus_where_it_was() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    tmux.open(&env, "t1", "-s calm", true);
    tmux.wait_for("t1", "NORMAL");
    let _pids = KillOnDrop(vec![env.pid_of("calm").unwrap()]);
    let panes = || env.json("calm", &["list-panes", "--json"]).as_array().unwrap().clone();
    let focused = || panes().iter().find(|p| p["is_focused"] == true).map(|p| p["id"].clone());
    let visible = || env.json("calm", &["current-tab-info", "--json"])["are_floating_panes_visible"].clone();
    env.action("calm", &["new-pane", "--floating"]);
    env.action("calm", &["hide-floating-panes"]);
    let tiled = focused();
    assert_eq!(visible(), false);

    tmux.keys("t1", &["C-o"]);
    tmux.keys("t1", &["w"]);
    tmux.try_wait_for("t1", "Sessions", Duration::from_secs(60))
        .unwrap_or_else(|s| panic!("no manager:\n{s}\n{}", env.logs()));
    tmux.keys("t1", &["Escape"]);
    wait_until("the manager to close", || !panes().iter().any(|p| p["is_plugin"] == true));
    assert_eq!(visible(), false, "the floating pane stays hidden");
    assert_eq!(focused(), tiled, "the keys go where they went before");
}
