//! The example plugins of plugins/examples/ (Python with componentize-py,
//! JavaScript with componentize-js) in a real session: configured as a
//! discovery chain, they rewrite what real interpreter-launched processes
//! look like, and the snapshot holds their answers.
//!
//! The components are built by `.ci/run` (they need PyPI and npm), which
//! points `REVENANT_EXAMPLE_PLUGINS` at them; without it the test says it
//! was skipped, except under CI, where it fails.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::{Env, wait_until};
use serde_json::Value;

fn examples() -> Option<PathBuf> {
    match std::env::var_os("REVENANT_EXAMPLE_PLUGINS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI must build the example plugins and set REVENANT_EXAMPLE_PLUGINS (see .ci/run)")
        }
        None => {
            eprintln!("skipped: REVENANT_EXAMPLE_PLUGINS is not set (.ci/run builds the examples and sets it)");
            None
        }
    }
}

fn script(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn the_python_and_javascript_examples_discover_and_rewrite_in_a_real_session() {
    let Some(dir) = examples() else { return };
    let python = dir.join("python-discovery.wasm");
    let js = dir.join("js-discovery.wasm");
    assert!(python.is_file() && js.is_file(), "built examples in {}", dir.display());
    let env = Env::new();
    let tools = env.root.path().join("tools");
    // A console script, run through its shebang: /proc shows the interpreter
    // (named in full, as a venv's scripts do, so no shim runs first).
    let out = std::process::Command::new("python3").args(["-c", "import sys; print(sys.executable)"]).output().unwrap();
    let interpreter = String::from_utf8(out.stdout).unwrap().trim().to_string();
    script(&tools.join("venv/bin/poetry"), &format!("#!{interpreter}\nimport time\ntime.sleep(1000)\n"));
    // npm's npx launcher, run by node.
    let npx = tools.join("lib/node_modules/npm/bin/npx-cli.js");
    script(&npx, "setInterval(() => {}, 1000000);\n");
    // A `vim` that waits, in a folder holding a vim session file.
    let project = env.root.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("Session.vim"), "\" a vim session\n").unwrap();
    std::fs::create_dir_all(tools.join("editor")).unwrap();
    std::os::unix::fs::symlink("/bin/cat", tools.join("editor/vim")).unwrap();

    env.write_config(&format!(
        "plugins {{\n    command-discovery location=\"file:{}\" {{\n        grants {{ cwd; }}\n    }}\n    command-discovery location=\"file:{}\"\n}}\n",
        python.display(),
        js.display()
    ));
    env.start("examples", &["--", tools.join("venv/bin/poetry").to_str().unwrap(), "run", "pytest"]);
    env.action("examples", &["new-pane", "--", "node", npx.to_str().unwrap(), "jest", "--watch"]);
    env.action(
        "examples",
        &["new-pane", "--cwd", project.to_str().unwrap(), "--", tools.join("editor/vim").to_str().unwrap()],
    );
    let rows = || -> Vec<Value> {
        serde_json::from_str::<Value>(&env.ok(&["-s", "examples", "plugin", "list", "--json"]))
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    // The first compile of these components takes seconds; the save waits
    // for it off the server thread.
    let saved = env.action("examples", &["save-session"]);
    let layout = std::fs::read_to_string(saved.trim()).unwrap();
    assert!(layout.contains("command=\"poetry\"") && layout.contains("args \"run\" \"pytest\""), "{layout}");
    assert!(layout.contains("command=\"npx\"") && layout.contains("args \"jest\" \"--watch\""), "{layout}");
    assert!(layout.contains("command=\"vim\"") && layout.contains("args \"-S\" \"Session.vim\""), "{layout}");
    assert!(!layout.contains("python3") && !layout.contains("npx-cli.js"), "{layout}");

    wait_until("both examples to be listed ready", || {
        rows().iter().filter(|r| r["state"] == "ready" && r["contract"] == "0.6.0").count() >= 3
    });
    for r in rows().iter().filter(|r| r["location"].as_str().unwrap().ends_with("-discovery.wasm")) {
        eprintln!(
            "{}: {} calls, worst {} ms, total {} ms, memory peak {:.1} MiB, loaded in {} ms",
            r["location"],
            r["calls"],
            r["worst_ms"],
            r["total_ms"],
            r["memory_peak_bytes"].as_f64().unwrap() / 1048576.0,
            r["load_ms"]
        );
        assert_eq!(r["failures"], 0, "{r:#?}");
    }
}
