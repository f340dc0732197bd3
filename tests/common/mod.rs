//! Shared helpers for integration tests that drive real `revenant`
//! processes: every test gets its own socket, cache and config dirs, and the
//! servers it started are killed by pid when it ends.

#![allow(dead_code)]

pub mod sshd;
pub mod tmux;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub struct Env {
    pub root: tempfile::TempDir,
    pids: std::cell::RefCell<Vec<u32>>,
    /// A plugin cache of this test's own (cold) instead of the shared one.
    own_plugin_cache: bool,
    /// Variables every command (and so every server) it starts gets.
    extra_env: std::cell::RefCell<Vec<(String, String)>>,
}

impl Env {
    pub fn new() -> Self {
        // A short path: socket paths must fit in 107 bytes.
        let root = tempfile::Builder::new().prefix("rv").tempdir_in("/tmp").expect("tempdir");
        for d in ["sock", "cache", "config"] {
            std::fs::create_dir_all(root.path().join(d)).unwrap();
        }
        Env { root, pids: Default::default(), own_plugin_cache: false, extra_env: Default::default() }
    }

    /// An environment whose plugin cache starts empty, as on a new machine.
    pub fn cold() -> Self {
        let mut env = Env::new();
        env.own_plugin_cache = true;
        env
    }

    pub fn plugin_cache_dir(&self) -> PathBuf {
        if self.own_plugin_cache { self.root.path().join("plugin-cache") } else { shared_plugin_cache() }
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

    pub fn set_env(&self, key: &str, value: &str) {
        self.extra_env.borrow_mut().push((key.into(), value.into()));
    }

    pub fn write_config(&self, text: &str) {
        std::fs::write(self.config_dir().join("config.kdl"), text).unwrap();
    }

    pub fn cmd(&self) -> Command {
        // `REVENANT_TEST_EXE`: measure a release build with a test's
        // harness (the browser test's echo timings).
        let exe = std::env::var_os("REVENANT_TEST_EXE").unwrap_or_else(|| env!("CARGO_BIN_EXE_revenant").into());
        let mut c = Command::new(exe);
        c.env("REVENANT_SOCKET_DIR", self.socket_dir())
            .env("REVENANT_CACHE_DIR", self.cache_dir())
            .env("REVENANT_CONFIG_DIR", self.config_dir())
            // Compiled plugins are shared by all tests: a debug build's
            // Cranelift takes seconds per component.
            .env("REVENANT_PLUGIN_CACHE_DIR", self.plugin_cache_dir())
            .env_remove("REVENANT_SESSION_NAME")
            // `edit=` panes open $EDITOR: the user's must not leak in.
            .env_remove("EDITOR")
            .env("SHELL", "/bin/sh")
            .env("PS1", "$ ");
        c.envs(self.extra_env.borrow().iter().map(|(k, v)| (k, v)));
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

    /// Runs `revenant ARGS` `times` times on a thread of its own (to race
    /// with something else), whatever each run ends with.
    pub fn cmd_with(&self, args: &[&str], times: usize) -> std::thread::JoinHandle<()> {
        let mut c = self.cmd();
        c.args(args);
        std::thread::spawn(move || {
            for _ in 0..times {
                let _ = c.output();
            }
        })
    }

    /// Starts a headless session and remembers its server's pid.
    pub fn start(&self, name: &str, extra: &[&str]) -> u32 {
        self.start_sized(name, "100x30", extra)
    }

    pub fn start_sized(&self, name: &str, size: &str, extra: &[&str]) -> u32 {
        let mut args = vec!["attach", "-b", name, "--size", size];
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

pub fn wait_until(what: &str, f: impl FnMut() -> bool) {
    wait_up_to(what, Duration::from_secs(15), f);
}

/// As [`wait_until`], for work whose test states a longer bound of its own.
pub fn wait_up_to(what: &str, limit: Duration, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub fn process_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat")).map(|s| s.contains(") Z ")).unwrap_or(true)
}

/// Kills `pid` as a crash would (SIGKILL) and waits until it is gone.
pub fn kill9(pid: u32) {
    Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap();
    wait_until("the server to die", || !process_alive(pid));
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// A built fixture component (tests/fixtures/wasm/NAME).
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/wasm").join(name)
}

/// Kills these servers (by pid) when the test ends, passed or not.
pub struct KillOnDrop(pub Vec<u32>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        for pid in &self.0 {
            let _ = std::process::Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    }
}

/// A file under `tests/fixtures/`.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(name)
}

/// `component` with an unused core module of `functions` functions appended:
/// the same plugin, but slow to compile (Cranelift compiles every function
/// of every module), as a big CPython or JavaScript component is.
pub fn padded(component: &[u8], functions: usize, ops: usize) -> Vec<u8> {
    fn leb(mut n: usize, out: &mut Vec<u8>) {
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }
    fn section(id: u8, payload: &[u8], out: &mut Vec<u8>) {
        out.push(id);
        leb(payload.len(), out);
        out.extend_from_slice(payload);
    }
    let mut module = b"\0asm\x01\0\0\0".to_vec();
    // One type, (i32) -> i32.
    section(1, &[1, 0x60, 1, 0x7f, 1, 0x7f], &mut module);
    let mut funcs = Vec::new();
    leb(functions, &mut funcs);
    funcs.extend(std::iter::repeat_n(0u8, functions));
    section(3, &funcs, &mut module);
    let mut code = Vec::new();
    leb(functions, &mut code);
    for f in 0..functions {
        // local.get 0, then `ops` of i32.const k; add/xor/mul: nothing to fold.
        let mut body = vec![0u8, 0x20, 0x00];
        for k in 0..ops {
            body.push(0x41);
            // A small positive constant in signed LEB128 (two bytes).
            let c = ((f * 7919 + k * 104_729) % 8000) as u16;
            body.extend_from_slice(&[(c & 0x7f) as u8 | 0x80, (c >> 7) as u8 & 0x3f]);
            body.push([0x6a, 0x73, 0x6c][k % 3]);
        }
        body.push(0x0b);
        leb(body.len(), &mut code);
        code.extend_from_slice(&body);
    }
    section(10, &code, &mut module);
    let mut out = component.to_vec();
    // A core module section at the end of the component: valid, never
    // instantiated, still compiled.
    section(1, &module, &mut out);
    out
}

/// How long `f` took, and what it returned.
pub fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let out = f();
    (started.elapsed(), out)
}

/// xorshift64*: deterministic randomness for loops that must replay.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A client's first message, as a 100x30 terminal of the basic kind says it.
pub fn hello(role: revenant::ipc::Role) -> revenant::ipc::ClientMsg {
    revenant::ipc::ClientMsg::Hello(revenant::ipc::Hello {
        role,
        cols: 100,
        rows: 30,
        features: revenant::frames::Features::BASIC,
        start: Default::default(),
        tty: false,
        copy_here: false,
    })
}

/// One plugin engine per test binary, with its compile cache shared under
/// target/, so that the (slow, debug-build) Cranelift compile of each
/// component happens once.
pub fn plugin_engine() -> revenant::plugin::PluginEngine {
    static ENGINE: std::sync::Mutex<Option<revenant::plugin::PluginEngine>> = std::sync::Mutex::new(None);
    let mut slot = ENGINE.lock().unwrap_or_else(|e| e.into_inner());
    slot.get_or_insert_with(|| revenant::plugin::PluginEngine::new(Some(&shared_plugin_cache())).expect("engine"))
        .clone()
}

/// A `/proc/PID/status` figure in KiB (`VmRSS`, `VmHWM`, `RssAnon`, …).
pub fn status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find_map(|l| l.strip_prefix(field)?.strip_prefix(':')).unwrap();
    line.split_whitespace().next().unwrap().parse().unwrap()
}

/// The unwrapping discovery fixture padded to take seconds of Cranelift on
/// a cold cache, as a CPython component's first compile does; written into
/// the test's own folder.
pub fn slow_discovery(env: &Env) -> PathBuf {
    let slow = env.root.path().join("slow-discovery.wasm");
    std::fs::write(&slow, padded(&std::fs::read(fixture("unwrapping-discovery.wasm")).unwrap(), 1200, 1000)).unwrap();
    slow
}
