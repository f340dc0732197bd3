//! A tmux server of a test's own, to drive the interactive client as a
//! person would and read back what their terminal shows.

use std::process::Command;
use std::time::{Duration, Instant};

use super::Env;

/// A tmux server of its own (its own socket), killed on drop.
pub struct Tmux {
    pub socket: String,
    /// `NAME=value` words put before the command in every window.
    pub extra_env: String,
}

impl Tmux {
    pub fn new(env: &Env) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(std::env::var("CI").is_err(), "tmux is required in CI (.ci/run installs it)");
            eprintln!("tmux is not installed: skipping the interactive test");
            return None;
        }
        Some(Tmux { socket: env.root.path().join("tmux").display().to_string(), extra_env: String::new() })
    }

    pub fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").arg("-S").arg(&self.socket).args(args).output().expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Opens a tmux window running `revenant ARGS` with the test's dirs.
    pub fn open(&self, env: &Env, window: &str, args: &str, first: bool) {
        self.open_sized(env, window, args, first, (100, 30));
    }

    /// As `open`, the first window `cols`x`rows` from the start (later
    /// windows take tmux's `default-size`).
    pub fn open_sized(&self, env: &Env, window: &str, args: &str, first: bool, (cols, rows): (u16, u16)) {
        let cmd = format!(
            "env REVENANT_SOCKET_DIR={} REVENANT_CACHE_DIR={} REVENANT_CONFIG_DIR={} REVENANT_PLUGIN_CACHE_DIR={} SHELL=/bin/sh PS1='$ ' {} {} {args}; sleep 100",
            env.socket_dir().display(),
            env.cache_dir().display(),
            env.config_dir().display(),
            env.plugin_cache_dir().display(),
            self.extra_env,
            env!("CARGO_BIN_EXE_revenant"),
        );
        if first {
            self.tmux(&["new-session", "-d", "-s", window, "-x", &cols.to_string(), "-y", &rows.to_string(), &cmd]);
        } else {
            self.tmux(&["new-window", "-t", "t1", "-n", window, &cmd]);
        }
    }

    pub fn screen(&self, target: &str) -> String {
        self.tmux(&["capture-pane", "-p", "-t", target])
    }

    pub fn try_wait_for(&self, target: &str, needle: &str, within: Duration) -> Result<String, String> {
        let deadline = Instant::now() + within;
        loop {
            let s = self.screen(target);
            if s.contains(needle) {
                return Ok(s);
            }
            if Instant::now() > deadline {
                return Err(s);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn wait_for(&self, target: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let s = self.screen(target);
            if s.contains(needle) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {needle:?} in {target}:\n{s}{}",
                self.server_logs()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The ends of the test's server logs, for a failure's message.
    fn server_logs(&self) -> String {
        let logs = std::path::Path::new(&self.socket).with_file_name("cache").join("logs");
        let mut out = String::new();
        for entry in std::fs::read_dir(&logs).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let tail: Vec<&str> = text.lines().rev().take(15).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            out.push_str(&format!("\n--- {} ---\n{}", entry.path().display(), tail.join("\n")));
        }
        out
    }

    pub fn keys(&self, target: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", target];
        args.extend_from_slice(keys);
        self.tmux(&args);
        std::thread::sleep(Duration::from_millis(150));
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").arg("-S").arg(&self.socket).arg("kill-server").output();
    }
}
