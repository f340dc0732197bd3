//! Files a person names are read within bounds: only regular files, only
//! up to a size, never waiting on a FIFO. Each case against the real CLI and
//! a real server, as a hostile user tried them.

mod common;

use std::time::{Duration, Instant};

use common::Env;

/// A FIFO at `path` (nobody ever writes to it).
fn fifo(path: &std::path::Path) {
    rustix::fs::mkfifoat(rustix::fs::CWD, path, rustix::fs::Mode::from_raw_mode(0o600)).unwrap();
}

/// Runs the CLI and says how long it took and what it printed on failure.
fn fails_quickly(env: &Env, args: &[&str]) -> String {
    let started = Instant::now();
    let err = env.fails(args);
    assert!(started.elapsed() < Duration::from_secs(10), "{args:?} took {:?}", started.elapsed());
    err
}

#[test]
fn a_layout_that_is_a_device_a_fifo_or_too_large_is_refused_at_once() {
    let env = Env::new();
    let dir = env.root.path();
    let pipe = dir.join("pipe.kdl");
    fifo(&pipe);
    let big = dir.join("big.kdl");
    std::fs::File::create(&big).unwrap().set_len(64 << 20).unwrap();
    for (path, why) in [
        ("/dev/zero".into(), "a character device, not a regular file"),
        (pipe.clone(), "a FIFO, not a regular file"),
        (big.clone(), "over the limit"),
        (dir.to_path_buf(), "folder"),
    ] {
        let path = path.to_str().unwrap().to_string();
        let err = fails_quickly(&env, &["layout", "check", &path]);
        assert!(err.contains(&path) && err.contains(why), "layout check {path}: {err}");
        let err = fails_quickly(&env, &["attach", "-b", "mike", "--layout", &path]);
        assert!(err.contains(&path) && err.contains(why), "attach --layout {path}: {err}");
    }
    assert!(env.pid_of("mike").is_none(), "no session was started from a bad layout");
}

#[test]
fn a_config_or_plugin_that_is_not_a_small_regular_file_fails_the_check() {
    let env = Env::new();
    let sparse = env.root.path().join("huge.wasm");
    std::fs::File::create(&sparse).unwrap().set_len(3 << 30).unwrap();
    for (location, why) in
        [("/dev/zero".to_string(), "character device"), (sparse.display().to_string(), "over the limit")]
    {
        env.write_config(&format!("plugins {{\n    serializer location=\"file:{location}\"\n}}\n"));
        let err = fails_quickly(&env, &["setup", "--check"]);
        assert!(err.contains("config.kdl") && err.contains(&location) && err.contains(why), "{err}");
    }
    // The config itself.
    std::fs::remove_file(env.config_dir().join("config.kdl")).unwrap();
    fifo(&env.config_dir().join("config.kdl"));
    let err = fails_quickly(&env, &["setup", "--check"]);
    assert!(err.contains("config.kdl") && err.contains("FIFO"), "{err}");
}
