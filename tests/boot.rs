//! Sessions back after a reboot, with real servers: `resurrect --all`,
//! `resurrect --boot` by config.kdl's `resurrect_on_boot`, and the
//! systemd user unit `setup --systemd` writes, checked by
//! `systemd-analyze verify` where it is installed.

mod common;

use std::process::Command;

use common::{Env, wait_until};
use serde_json::Value;

fn live(env: &Env) -> Vec<String> {
    let list: Value = serde_json::from_str(&env.ok(&["ls", "--json"])).unwrap();
    let mut names: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["state"] != "exited")
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

/// Saves every live session and kills its server as a crash would.
fn crash_all(env: &Env) {
    for name in live(env) {
        env.action(&name, &["save-session"]);
        let pid = env.pid_of(&name).unwrap();
        Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap();
        wait_until("the server to die", || !common::process_alive(pid));
    }
}

fn remember_pids(env: &Env) -> common::KillOnDrop {
    common::KillOnDrop(live(env).iter().filter_map(|n| env.pid_of(n)).collect())
}

#[test]
fn resurrect_brings_back_all_or_the_named_sessions_as_config_says() {
    let env = Env::new();
    for name in ["work", "notes", "amber-fox"] {
        env.start(name, &[]);
    }
    crash_all(&env);
    assert!(live(&env).is_empty());

    // The default: the sessions a user named, not generated names.
    let out = env.ok(&["resurrect", "--boot"]);
    let _first = remember_pids(&env);
    assert_eq!(live(&env), ["notes", "work"], "{out}");
    assert!(out.contains("work: resurrected"), "{out}");

    crash_all(&env);
    env.ok(&["resurrect", "--all"]);
    let _second = remember_pids(&env);
    assert_eq!(live(&env), ["amber-fox", "notes", "work"]);

    crash_all(&env);
    env.write_config("resurrect_on_boot \"none\"\n");
    env.ok(&["resurrect", "--boot"]);
    assert!(live(&env).is_empty());
    env.write_config("resurrect_on_boot \"all\"\n");
    env.ok(&["resurrect", "--boot"]);
    let _third = remember_pids(&env);
    assert_eq!(live(&env).len(), 3);

    let out = env.run(&["resurrect", "no-such"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no exited session named `no-such`"));
    let out = env.ok(&["resurrect", "work"]);
    assert!(out.contains("work: already running"), "{out}");
}

#[test]
fn setup_systemd_writes_a_unit_that_verifies() {
    let env = Env::new();
    let config_home = env.root.path().join("xdg");
    let mut cmd = env.cmd();
    let out = cmd.args(["setup", "--systemd"]).env("XDG_CONFIG_HOME", &config_home).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let unit = config_home.join("systemd/user/revenant-resurrect.service");
    let text = std::fs::read_to_string(&unit).unwrap();
    assert!(text.contains(&format!("ExecStart={} resurrect --boot", env!("CARGO_BIN_EXE_revenant"))), "{text}");
    assert!(text.contains("REVENANT_CACHE_DIR="), "the unit's servers use this cache: {text}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("systemctl --user enable revenant-resurrect.service"));
    if Command::new("systemd-analyze").arg("--version").output().is_err() {
        eprintln!("systemd-analyze is not installed: the unit is not verified");
        return;
    }
    let verified = Command::new("systemd-analyze").arg("verify").arg(&unit).output().unwrap();
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));
    assert!(verified.stderr.is_empty(), "{}", String::from_utf8_lossy(&verified.stderr));
}
