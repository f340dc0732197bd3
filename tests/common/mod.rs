//! Shared helpers for integration tests that drive real `revenant`
//! processes: every test gets its own socket, cache and config dirs, and the
//! servers it started are killed by pid when it ends.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub struct Env {
    pub root: tempfile::TempDir,
    pids: std::cell::RefCell<Vec<u32>>,
}

impl Env {
    pub fn new() -> Self {
        // A short path: socket paths must fit in 107 bytes.
        let root = tempfile::Builder::new().prefix("rv").tempdir_in("/tmp").expect("tempdir");
        for d in ["sock", "cache", "config"] {
            std::fs::create_dir_all(root.path().join(d)).unwrap();
        }
        Env { root, pids: Default::default() }
    }

    pub fn socket_dir(&self) -> PathBuf {
        self.root.path().join("sock")
    }
    pub fn cache_dir(&self) -> PathBuf {
        self.root.path().join("cache")
    }
    pub fn config_dir(&self) -> PathBuf {
        self.root.path().join("config")
    }

    pub fn write_config(&self, text: &str) {
        std::fs::write(self.config_dir().join("config.kdl"), text).unwrap();
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_revenant"));
        c.env("REVENANT_SOCKET_DIR", self.socket_dir())
            .env("REVENANT_CACHE_DIR", self.cache_dir())
            .env("REVENANT_CONFIG_DIR", self.config_dir())
            // Compiled plugins are shared by all tests: a debug build's
            // Cranelift takes seconds per component.
            .env("REVENANT_PLUGIN_CACHE_DIR", shared_plugin_cache())
            .env_remove("REVENANT_SESSION_NAME")
            .env("SHELL", "/bin/sh")
            .env("PS1", "$ ");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("running revenant")
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "revenant {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// Runs and expects failure; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "revenant {args:?} should have failed");
        String::from_utf8(out.stderr).expect("utf-8 output")
    }

    /// Starts a headless session and remembers its server's pid.
    pub fn start(&self, name: &str, extra: &[&str]) -> u32 {
        let mut args = vec!["attach", "-b", name, "--size", "100x30"];
        args.extend_from_slice(extra);
        self.ok(&args);
        let pid = self.pid_of(name).expect("the new session is listed");
        self.pids.borrow_mut().push(pid);
        pid
    }

    pub fn pid_of(&self, name: &str) -> Option<u32> {
        let list: serde_json::Value = serde_json::from_str(&self.ok(&["ls", "--json"])).unwrap();
        list.as_array()?.iter().find(|s| s["name"] == name).and_then(|s| s["pid"].as_u64()).map(|p| p as u32)
    }

    pub fn action(&self, session: &str, args: &[&str]) -> String {
        let mut full = vec!["-s", session, "action"];
        full.extend_from_slice(args);
        self.ok(&full)
    }

    pub fn json(&self, session: &str, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.action(session, args)).expect("json")
    }

    /// Polls the pane's screen until it contains `needle`.
    pub fn wait_for_screen(&self, session: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let screen = self.action(session, &["dump-screen"]);
            if screen.contains(needle) {
                return screen;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {needle:?}; screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Env {
    /// Every log the test's servers and clients wrote, for failure reports.
    pub fn logs(&self) -> String {
        let mut out = String::new();
        if let Ok(entries) = std::fs::read_dir(self.cache_dir().join("logs")) {
            for e in entries.flatten() {
                let text = std::fs::read_to_string(e.path()).unwrap_or_default();
                out.push_str(&format!("--- {}\n{}\n", e.path().display(), text));
            }
        }
        out
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        for pid in self.pids.borrow().iter() {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
        }
    }
}

pub fn shared_plugin_cache() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("plugin-cache")
}

pub fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub fn process_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat")).map(|s| s.contains(") Z ")).unwrap_or(true)
}
