//! The kitty keyboard protocol, both ways. A program in a pane that pushes
//! flags gets its keys encoded by them, per screen, and legacy bytes again
//! once it pops; its query is answered. The client asks its own terminal
//! for "disambiguate" while attached and gives it back on detach.

mod common;

use std::path::Path;
use std::time::Duration;

use common::tmux::Tmux;
use common::{Env, KillOnDrop, wait_until};

fn script(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
}

/// Waits for `file` to hold `want` (what the program read, as bytes).
fn read(dir: &Path, file: &str, want: &[u8]) {
    let path = dir.join(file);
    wait_until(&format!("{file} holds {:?}", String::from_utf8_lossy(want)), || {
        std::fs::read(&path).is_ok_and(|b| b == want)
    });
}

#[test]
fn a_program_that_pushes_flags_gets_kitty_keys_per_screen() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let dir = env.root.path();
    env.write_config("pane_frames false\n");
    // Each `head` takes one key's bytes; the flags change between them.
    let program = dir.join("keys.sh");
    script(
        &program,
        &format!(
            "#!/bin/sh\ncd '{}'\nstty raw -echo\nprintf 'ready\\r\\n\\033[>1u\\033[?u'\n\
             head -c 5 > reply\nhead -c 5 > esc\nhead -c 7 > alt\nhead -c 2 > ctrl_i\n\
             printf '\\033[?1049h\\033[>9u'\nhead -c 5 > alt_a\n\
             printf '\\033[?1049l'\nhead -c 1 > main_b\n\
             printf '\\033[<u'\nhead -c 1 > legacy_esc\nprintf 'done\\r\\n'\nexec sleep 100\n",
            dir.display()
        ),
    );
    let layout = dir.join("keys.kdl");
    std::fs::write(&layout, format!("layout {{\n  pane command=\"{}\"\n}}\n", program.display())).unwrap();
    tmux.open(&env, "t1", &format!("-s kitty --layout {}", layout.display()), true);
    tmux.wait_for("t1", "ready");
    let _guard = KillOnDrop(vec![env.pid_of("kitty").expect("the session runs")]);

    // The query is answered with the flags pushed.
    read(dir, "reply", b"\x1b[?1u");
    tmux.keys("t1", &["Escape"]);
    read(dir, "esc", b"\x1b[27u");
    tmux.keys("t1", &["M-a"]);
    read(dir, "alt", b"\x1b[97;3u");
    // tmux sends Ctrl-i as a tab; a tab stays a tab under "disambiguate".
    tmux.keys("t1", &["C-i", "Enter"]);
    read(dir, "ctrl_i", b"\t\r");
    // The alternate screen has its own stack: 9 reports every key.
    tmux.keys("t1", &["a"]);
    read(dir, "alt_a", b"\x1b[97u");
    // Back on the main screen its flags (1) are back: b is text.
    tmux.keys("t1", &["b"]);
    read(dir, "main_b", b"b");
    // Popped: legacy Esc.
    tmux.keys("t1", &["Escape"]);
    read(dir, "legacy_esc", b"\x1b");
    tmux.wait_for("t1", "done");
}

#[test]
fn the_client_asks_its_terminal_for_disambiguated_keys_and_gives_them_back() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    if std::process::Command::new("script").arg("--version").output().is_err() {
        assert!(std::env::var("CI").is_err(), "script (util-linux) is required in CI");
        return;
    }
    let log = env.root.path().join("outer.log");
    let client = format!(
        "env REVENANT_SOCKET_DIR={} REVENANT_CACHE_DIR={} REVENANT_CONFIG_DIR={} REVENANT_PLUGIN_CACHE_DIR={} SHELL=/bin/sh {} -s outer",
        env.socket_dir().display(),
        env.cache_dir().display(),
        env.config_dir().display(),
        env.plugin_cache_dir().display(),
        env!("CARGO_BIN_EXE_revenant"),
    );
    // `script` keeps everything the client writes to its terminal.
    let cmd = format!("script -qfc '{client}' {}; sleep 100", log.display());
    tmux.tmux(&["new-session", "-d", "-s", "t1", "-x", "100", "-y", "30", &cmd]);
    wait_until("the session runs", || env.pid_of("outer").is_some());
    let _guard = KillOnDrop(vec![env.pid_of("outer").unwrap()]);
    let logged = || std::fs::read(&log).unwrap_or_default();
    let has = |bytes: &[u8], needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    wait_until("the client pushed flags 1 and 4", || has(&logged(), b"\x1b[>5u"));
    assert!(!has(&logged(), b"\x1b[<u"), "not popped while attached");
    // Detach (Ctrl-o d): popped, before the alternate screen is left.
    tmux.keys("t1", &["C-o", "d"]);
    wait_until("the client popped its flags", || has(&logged(), b"\x1b[<u"));
    let out = logged();
    let pop = out.windows(4).position(|w| w == b"\x1b[<u").unwrap();
    let leave = out.windows(8).rposition(|w| w == b"\x1b[?1049l").expect("the alternate screen is left");
    assert!(pop < leave);
    std::thread::sleep(Duration::from_millis(100));
}
