//! Sessions on another host, through a real OpenSSH server on 127.0.0.1:
//! the CLI verbs, the attached client typing over ssh, a link cut and
//! coming back, a remote server killed and resurrected, and the ways a
//! link is refused (a wrong host key, a wrong protocol, no host at all).

mod common;

use common::sshd::Sshd;
use common::tmux::Tmux;
use common::wait_until;

const HOST: &str = "ssh://revhost";

fn addr(name: &str) -> String {
    format!("{HOST}/{name}")
}

#[test]
fn verbs_reach_a_session_on_another_host() {
    let Some(sshd) = Sshd::start() else { return };
    let local = sshd.client_env();
    local.ok(&["attach", "-b", &addr("far"), "--size", "90x20"]);
    // It runs over there, under the remote dirs, and not here.
    assert!(sshd.remote.pid_of("far").is_some(), "{}", sshd.log());
    assert!(local.pid_of("far").is_none());

    let listed = local.ok(&["ls", HOST, "--no-formatting"]);
    assert!(listed.contains("ssh://revhost/far [Created"), "{listed}");
    let json: serde_json::Value = serde_json::from_str(&local.ok(&["ls", HOST, "--json"])).unwrap();
    assert_eq!(json[0]["host"], "ssh://revhost");
    assert_eq!(json[0]["address"], "ssh://revhost/far");
    assert_eq!(json[0]["state"], "live");
    assert_eq!(local.ok(&["ls", HOST, "--short"]).trim(), "ssh://revhost/far");

    local.ok(&["-s", &addr("far"), "action", "write-chars", "echo over-the-wire\n"]);
    sshd.remote.wait_for_screen("far", "over-the-wire");
    let screen = local.ok(&["-s", &addr("far"), "action", "dump-screen"]);
    assert!(screen.contains("over-the-wire"), "{screen}");
    // A failing verb over there fails here, with its own message.
    let err = local.fails(&["-s", &addr("nosuch"), "action", "new-tab"]);
    assert!(err.contains("nosuch"), "{err}");

    local.ok(&["-s", &addr("far"), "action", "save-session"]);
    let snapshots = local.ok(&["snapshots", &addr("far")]);
    assert!(snapshots.contains("saved") && snapshots.contains("1 tabs"), "{snapshots}");
    local.ok(&["kill-session", &addr("far")]);
    wait_until("the remote session ends", || sshd.remote.pid_of("far").is_none());
    let listed = local.ok(&["ls", HOST, "--no-formatting"]);
    assert!(listed.contains("ssh://revhost/far") && listed.contains("EXITED"), "{listed}");
    local.ok(&["delete-session", &addr("far")]);
    assert!(!local.ok(&["ls", HOST, "--no-formatting"]).contains("far"));
}

#[test]
fn crafted_addresses_and_refused_links_say_why() {
    let Some(sshd) = Sshd::start() else { return };
    let local = sshd.client_env();
    // Refused here, before ssh runs.
    let err = local.fails(&["kill-session", "ssh://revhost/../x"]);
    assert!(err.contains("`..`"), "{err}");
    let err = local.fails(&["attach", "-b", "ssh://-oProxyCommand=touch%20x/w"]);
    assert!(err.contains("starts with `-`"), "{err}");

    // ssh checks the host key, and we say what it said.
    let err = local.fails(&["ls", "ssh://badhost"]);
    assert!(err.contains("cannot reach badhost over ssh") && err.contains("Host key verification failed"), "{err}");
    let err = local.fails(&["ls", "ssh://deadhost"]);
    assert!(err.contains("cannot reach deadhost over ssh"), "{err}");

    // A revenant of another protocol is named with both versions.
    sshd.put_on_remote_path("#!/bin/sh\necho 'REVENANT-BRIDGE 3 0.0.1 /opt/old/revenant'\nexit 3\n");
    local.write_config("");
    let err = local.fails(&["attach", "-b", &addr("w")]);
    assert!(err.contains("/opt/old/revenant, version 0.0.1) speaks protocol 3"), "{err}");
    assert!(err.contains(&format!("speaks protocol {}", revenant::ipc::PROTOCOL_VERSION)), "{err}");
    // Something that is not a bridge at all.
    sshd.put_on_remote_path("#!/bin/sh\necho 'Welcome to the box'\n");
    let err = local.fails(&["ls", HOST]);
    assert!(err.contains("is not a Revenant bridge") && err.contains("Welcome to the box"), "{err}");
    // No revenant over there.
    std::fs::remove_file(sshd.dir.join("bin/revenant")).unwrap();
    let err = local.fails(&["ls", HOST]);
    assert!(err.contains("has no `revenant` on the PATH") && err.contains("remote_revenant"), "{err}");
}

/// A config naming two hosts: one that answers, one where nothing listens.
fn with_hosts() -> String {
    format!(
        "remote_revenant \"{}\"\nhosts {{\n    host \"box\" \"ssh://revhost\"\n    host \"gone\" \"ssh://deadhost\"\n}}\n",
        env!("CARGO_BIN_EXE_revenant")
    )
}

/// The ssh processes carrying attached clients' links.
fn attach_links(sshd: &Sshd) -> Vec<u32> {
    let cfg = sshd.client_config.display().to_string();
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
        let words: Vec<String> = cmdline
            .split(|b| *b == 0)
            .filter(|w| !w.is_empty())
            .map(|w| String::from_utf8_lossy(w).into_owned())
            .collect();
        if words.first().is_some_and(|w| w == "ssh")
            && words.contains(&cfg)
            && words.last().is_some_and(|w| w.contains("__bridge") && w.contains(" attach "))
        {
            pids.push(pid);
        }
    }
    pids
}

#[test]
fn a_client_types_over_ssh_survives_a_cut_link_and_resurrects_a_killed_server() {
    let Some(sshd) = Sshd::start() else { return };
    let local = sshd.client_env();
    let Some(mut tmux) = Tmux::new(&local) else { return };
    tmux.extra_env = format!("REVENANT_SSH_COMMAND='{}'", sshd.ssh_command());
    tmux.open(&local, "t1", &format!("attach --create {}", addr("typed")), true);
    tmux.wait_for("t1", "Pane #0");
    tmux.keys("t1", &["echo hi-$((6*7))", "Enter"]);
    tmux.wait_for("t1", "hi-42");
    // Drawn by the client here; the server runs over there.
    assert!(sshd.remote.pid_of("typed").is_some());
    // A watcher over ssh sees the same screen and types nothing.
    tmux.open(&local, "w", &format!("watch {}", addr("typed")), false);
    tmux.wait_for("w", "hi-42");
    tmux.keys("w", &["echo from-watcher", "Enter"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(!tmux.screen("t1").contains("from-watcher"), "a watcher's keys reached the pane");
    tmux.tmux(&["kill-window", "-t", "w"]);

    // The link dies: the session goes on, and the client comes back.
    let links = attach_links(&sshd);
    assert_eq!(links.len(), 1, "one ssh carries the client: {links:?}");
    std::process::Command::new("kill").args(["-9", &links[0].to_string()]).status().unwrap();
    wait_until("a new link", || attach_links(&sshd).iter().any(|p| !links.contains(p)));
    let screen = tmux.wait_for("t1", "hi-42");
    assert!(!screen.contains("reconnecting"), "{screen}");
    tmux.keys("t1", &["echo back-$((2+3))", "Enter"]);
    let screen = tmux.wait_for("t1", "back-5");
    // Typed once, run once.
    assert_eq!((screen.matches("echo back-").count(), screen.matches("back-5").count()), (1, 1), "{screen}");

    // The server over there is killed: no reconnecting to nothing.
    local.ok(&["-s", &addr("typed"), "action", "rename-tab", "far-tab"]);
    local.ok(&["-s", &addr("typed"), "action", "save-session"]);
    let pid = sshd.remote.pid_of("typed").unwrap();
    std::process::Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap();
    let screen = tmux.wait_for("t1", "revenant:");
    assert!(screen.contains("the server went away; `revenant attach ssh://revhost/typed` resurrects it"), "{screen}");
    assert!(attach_links(&sshd).is_empty());
    let listed = local.ok(&["ls", HOST, "--no-formatting"]);
    assert!(listed.contains("ssh://revhost/typed") && listed.contains("EXITED"), "{listed}");

    // Attaching through ssh:// resurrects it over there.
    tmux.open(&local, "t2", &format!("attach {}", addr("typed")), false);
    tmux.wait_for("t2", "far-tab");
    assert!(sshd.remote.pid_of("typed").is_some());
    tmux.keys("t2", &["echo again-$((3*3))", "Enter"]);
    tmux.wait_for("t2", "again-9");
    // Detaching leaves it running there.
    local.ok(&["-s", &addr("typed"), "action", "detach"]);
    tmux.wait_for("t2", "[detached from session ssh://revhost/typed]");
    assert!(sshd.remote.pid_of("typed").is_some());
}

#[test]
fn a_link_that_stays_down_is_retried_and_ctrl_c_gives_up() {
    let Some(mut sshd) = Sshd::start() else { return };
    let local = sshd.client_env();
    let Some(mut tmux) = Tmux::new(&local) else { return };
    tmux.extra_env = format!("REVENANT_SSH_COMMAND='{}'", sshd.ssh_command());
    tmux.open(&local, "t1", &format!("attach --create {}; echo exit=$?", addr("down")), true);
    tmux.wait_for("t1", "Pane #0");
    tmux.keys("t1", &["echo before-$((1+1))", "Enter"]);
    tmux.wait_for("t1", "before-2");

    // The host stops taking connections and the link dies: the client
    // says so and keeps trying.
    sshd.stop_listening();
    let links = attach_links(&sshd);
    std::process::Command::new("kill").args(["-9", &links[0].to_string()]).status().unwrap();
    tmux.wait_for("t1", "connection to revhost lost, reconnecting");
    // Keys typed while it is down go nowhere.
    tmux.keys("t1", &["echo lost-keys", "Enter"]);
    sshd.listen_again();
    let screen = tmux.wait_for("t1", "before-2");
    assert!(!screen.contains("lost-keys"), "{screen}");
    tmux.keys("t1", &["echo after-$((2+2))", "Enter"]);
    tmux.wait_for("t1", "after-4");

    // Down again; Ctrl-C gives up, and the client says it did.
    sshd.stop_listening();
    let links = attach_links(&sshd);
    std::process::Command::new("kill").args(["-9", &links[0].to_string()]).status().unwrap();
    tmux.wait_for("t1", "reconnecting");
    tmux.keys("t1", &["C-c"]);
    let screen = tmux.wait_for("t1", "exit=1");
    assert!(screen.contains("connection to revhost lost; gave up"), "{screen}");
    // The session itself never noticed.
    assert!(sshd.remote.pid_of("down").is_some());
}

#[test]
fn ls_all_lists_every_configured_host_and_says_which_cannot_be_reached() {
    let Some(sshd) = Sshd::start() else { return };
    let local = sshd.client_env();
    local.write_config(&with_hosts());
    local.start("here", &[]);
    local.ok(&["attach", "-b", &addr("there")]);
    let text = local.ok(&["ls", "--all", "--no-formatting"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("here [Created"), "{text}");
    assert!(lines.iter().any(|l| l.starts_with("ssh://revhost/there [Created")), "{text}");
    assert!(lines.iter().any(|l| l.starts_with("gone: unreachable: cannot reach deadhost over ssh")), "{text}");
    let short = local.ok(&["ls", "--all", "--short"]);
    assert!(short.lines().any(|l| l == "here") && short.lines().any(|l| l == "ssh://revhost/there"), "{short}");
    let json: serde_json::Value = serde_json::from_str(&local.ok(&["ls", "--all", "--json"])).unwrap();
    let rows = json.as_array().unwrap();
    let find = |name: &str| rows.iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("{name}: {json}"));
    assert_eq!(find("here")["host"], serde_json::Value::Null);
    assert_eq!(
        (find("there")["host"].as_str(), find("there")["address"].as_str()),
        (Some("box"), Some("ssh://revhost/there"))
    );
    assert!(rows.iter().any(|r| r["host"] == "gone" && r["state"] == "unreachable"), "{json}");
}

#[test]
fn the_manager_lists_configured_hosts_and_resurrects_a_session_on_one() {
    let Some(sshd) = Sshd::start() else { return };
    let local = sshd.client_env();
    local.write_config(&with_hosts());
    // An exited session over there, with a tab name to know it by.
    local.ok(&["attach", "-b", &addr("far")]);
    local.ok(&["-s", &addr("far"), "action", "rename-tab", "far-tab"]);
    local.ok(&["kill-session", &addr("far")]);
    assert!(sshd.remote.pid_of("far").is_none());

    local.start("here", &[]);
    let Some(mut tmux) = Tmux::new(&local) else { return };
    tmux.extra_env = format!("REVENANT_SSH_COMMAND='{}'", sshd.ssh_command());
    tmux.open(&local, "t1", "attach here", true);
    tmux.wait_for("t1", "Pane #0");
    tmux.keys("t1", &["C-o", "w"]);
    tmux.wait_for("t1", "── box ssh://revhost");
    // The host that cannot be reached says so on its line; the rest is
    // listed all the same.
    tmux.wait_for("t1", "── gone ssh://deadhost · unreachable");
    tmux.keys("t1", &["Tab"]);
    tmux.wait_for("t1", "far  EXITED");
    tmux.keys("t1", &["f", "a", "r", "Enter"]);
    // Resurrected over there, and the client moved to it.
    tmux.wait_for("t1", "far-tab");
    wait_until("the session runs over there", || sshd.remote.pid_of("far").is_some());
    assert!(local.pid_of("far").is_none());
    tmux.keys("t1", &["echo moved-$((5*5))", "Enter"]);
    tmux.wait_for("t1", "moved-25");
}
