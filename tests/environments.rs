//! Environments and screens a save may and may not keep, with real
//! servers, a real venv and a real `python`:
//! - `serialize_env` carries a venv's variables into a resurrected pane,
//!   and never a variable the secret rules flag;
//! - a pane marked `save_contents false` (in the layout, or by `action
//!   set-save-contents`) has no screen in any file under the cache.

mod common;

use std::path::Path;
use std::process::Command;

use common::tmux::Tmux;
use common::{Env, kill9, wait_until};
use serde_json::Value;

fn panes(env: &Env, name: &str) -> Vec<Value> {
    env.json(name, &["list-panes", "--json"]).as_array().unwrap().clone()
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    let mut files = Vec::new();
    common::files_under(dir, &mut files);
    files
        .into_iter()
        .filter(|f| std::fs::read(f).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes())))
        .map(|f| f.display().to_string())
        .collect()
}

#[test]
fn a_venv_comes_back_with_its_python_and_its_secrets_do_not() {
    let env = Env::new();
    let venv = env.root.path().join("venv");
    let made = Command::new("python3").args(["-m", "venv", "--without-pip"]).arg(&venv).status();
    if !made.is_ok_and(|s| s.success()) {
        // CI installs python3-venv: there, a missing venv is a failure.
        assert!(std::env::var("CI").is_err(), "python3 -m venv failed");
        eprintln!("skipped: python3 -m venv is not available");
        return;
    }
    env.write_config("serialize_env \"VIRTUAL_ENV\" \"PATH\" \"GITHUB_TOKEN\" \"MY_PASSWORD\" \"PY*\"\n");
    let pid = env.start("venv", &[]);
    let token = format!("ghp_{}", "R3venantT0kenX".repeat(3).chars().take(36).collect::<String>());
    let password = "hunter2-not-on-disk";
    // The token and the password are in the process's environment: the
    // allow-list names them, and still they must not be saved.
    env.action(
        "venv",
        &[
            "write-chars",
            &format!(
                ". {}/bin/activate && export GITHUB_TOKEN={token} MY_PASSWORD={password} PYTHONDONTWRITEBYTECODE=1 \
                 && python3 -c 'import sys, os, time; print(\"prefix=\" + sys.prefix); print(\"venv=\" + os.environ[\"VIRTUAL_ENV\"]); time.sleep(1000)'\n",
                venv.display()
            ),
        ],
    );
    let prefix = format!("prefix={}", venv.display());
    env.wait_for_screen("venv", &prefix);
    wait_until("python in the foreground", || {
        panes(&env, "venv")[0]["title"].as_str().is_some_and(|t| t.contains("python3"))
    });
    // The metadata tick reads the variables; dump-layout runs the serializer.
    let mut layout = String::new();
    wait_until("the variables in the layout", || {
        layout = env.action("venv", &["dump-layout"]);
        layout.contains("VIRTUAL_ENV=")
    });
    assert!(layout.contains("command=\"env\""), "{layout}");
    assert!(layout.contains(&format!("VIRTUAL_ENV={}", venv.display())), "{layout}");
    assert!(layout.contains("PYTHONDONTWRITEBYTECODE=1"), "{layout}");
    assert!(layout.contains(&format!("PATH={}/bin:", venv.display())), "{layout}");
    assert!(!layout.contains("GITHUB_TOKEN") && !layout.contains("MY_PASSWORD"), "{layout}");
    env.action("venv", &["save-session"]);
    for secret in [token.as_str(), password] {
        assert_eq!(files_containing(&env.cache_dir(), secret), Vec::<String>::new(), "{secret} reached the disk");
    }
    kill9(pid);

    // Attached, it resurrects; the command waits behind its banner, and
    // ENTER runs it with the venv's variables, so `python3` is the venv's.
    let Some(tmux) = Tmux::new(&env) else { return };
    tmux.open(&env, "t1", "attach venv", true);
    tmux.wait_for("t1", "Press ENTER to run");
    let pid = env.pid_of("venv").expect("resurrected");
    let _guard = common::KillOnDrop(vec![pid]);
    let list = panes(&env, "venv");
    assert_eq!(list[0]["suspended"], true, "{list:#?}");
    assert_eq!(list[0]["command"][0], "python3", "the pane runs python, not env: {list:#?}");
    tmux.keys("t1", &["Enter"]);
    let screen = env.wait_for_screen("venv", &format!("venv={}", venv.display()));
    assert!(screen.contains(&prefix), "{screen}");
    // A later save writes the same variables again.
    let again = env.action("venv", &["dump-layout"]);
    assert!(again.contains(&format!("VIRTUAL_ENV={}", venv.display())), "{again}");
}

#[test]
fn panes_marked_save_contents_false_leave_no_screen_in_the_cache() {
    let env = Env::new();
    env.write_config("serialize_pane_viewport true\nscrollback_lines_to_serialize 100\n");
    let layout = env.root.path().join("private.kdl");
    std::fs::write(
        &layout,
        "layout {\n    pane split_direction=\"vertical\" {\n        pane name=\"kept\"\n        pane name=\"private\" save_contents=false\n        pane name=\"hushed\"\n    }\n}\n",
    )
    .unwrap();
    let pid = env.start("quiet", &["--layout", layout.to_str().unwrap()]);
    let list = panes(&env, "quiet");
    let id = |title: &str| {
        list.iter().find(|p| p["title"] == title).map(|p| p["id"].to_string()).unwrap_or_else(|| panic!("{list:#?}"))
    };
    let marks = [("kept", "mark-kept-7"), ("private", "mark-private-7"), ("hushed", "mark-hushed-7")];
    for (title, mark) in marks {
        let pane = id(title);
        env.action("quiet", &["focus-pane-id", &pane]);
        let (head, tail) = mark.split_at(5);
        env.action("quiet", &["write-chars", &format!("echo {head}''{tail}\n")]);
        wait_until("the marker", || env.action("quiet", &["dump-screen", "--pane-id", &pane]).contains(mark));
    }
    env.action("quiet", &["set-save-contents", "false", "--pane-id", &id("hushed")]);
    env.action("quiet", &["save-session"]);
    let cache = env.cache_dir();
    assert!(!files_containing(&cache, "mark-kept-7").is_empty(), "the control pane's screen was saved");
    for mark in ["mark-private-7", "mark-hushed-7"] {
        assert_eq!(files_containing(&cache, mark), Vec::<String>::new(), "{mark} was saved");
    }
    let saved = env.action("quiet", &["dump-layout"]);
    assert_eq!(saved.matches("save_contents=false").count(), 2, "{saved}");
    kill9(pid);

    // Resurrected, the marks stay: a save after it still leaves them out,
    // and the action turns saving back on.
    let pid = env.start("quiet", &[]);
    let _guard = common::KillOnDrop(vec![pid]);
    let list = panes(&env, "quiet");
    let hushed = list.iter().find(|p| p["title"] == "hushed").map(|p| p["id"].to_string()).unwrap();
    env.action("quiet", &["focus-pane-id", &hushed]);
    env.action("quiet", &["write-chars", "echo again-''hushed\n"]);
    wait_until("the marker", || env.action("quiet", &["dump-screen", "--pane-id", &hushed]).contains("again-hushed"));
    env.action("quiet", &["save-session"]);
    assert_eq!(files_containing(&cache, "again-hushed"), Vec::<String>::new());
    env.action("quiet", &["set-save-contents", "true", "--pane-id", &hushed]);
    env.action("quiet", &["save-session"]);
    assert!(!files_containing(&cache, "again-hushed").is_empty(), "saving is on again");
}
