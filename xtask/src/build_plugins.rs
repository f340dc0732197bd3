//! Builds every plugin crate for wasm32-wasip2 with the size-tuned `plugin`
//! profile and puts the components where the host and the tests read them.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

const TARGET: &str = "wasm32-wasip2";

/// A plugin crate and where its component goes.
struct PluginCrate {
    package: &'static str,
    artifact: &'static str,
    dest: &'static str,
}

/// The default plugins are embedded in the host; fixtures feed the tests.
const PLUGINS: &[PluginCrate] = &[
    PluginCrate {
        package: "revenant-serializer",
        artifact: "revenant_serializer.wasm",
        dest: "host/assets/plugins/serializer.wasm",
    },
    PluginCrate {
        package: "revenant-command-discovery",
        artifact: "revenant_command_discovery.wasm",
        dest: "host/assets/plugins/command-discovery.wasm",
    },
    PluginCrate {
        package: "revenant-session-manager",
        artifact: "revenant_session_manager.wasm",
        dest: "host/assets/plugins/session-manager.wasm",
    },
    PluginCrate {
        package: "revenant-hostile-serializer",
        artifact: "revenant_hostile_serializer.wasm",
        dest: "tests/fixtures/wasm/hostile-serializer.wasm",
    },
    PluginCrate {
        package: "revenant-unwrapping-discovery",
        artifact: "revenant_unwrapping_discovery.wasm",
        dest: "tests/fixtures/wasm/unwrapping-discovery.wasm",
    },
    PluginCrate {
        package: "revenant-prying-discovery",
        artifact: "revenant_prying_discovery.wasm",
        dest: "tests/fixtures/wasm/prying-discovery.wasm",
    },
];

pub fn run(root: &Path) -> Result<()> {
    ensure_target()?;
    let mut cmd = Command::new(crate::cargo());
    cmd.current_dir(root).args(["build", "--profile", "plugin", "--target", TARGET]);
    for p in PLUGINS {
        cmd.args(["-p", p.package]);
    }
    crate::status(&mut cmd)?;
    let out_dir = target_dir(root).join(TARGET).join("plugin");
    for p in PLUGINS {
        let built = out_dir.join(p.artifact);
        let bytes = std::fs::read(&built).with_context(|| format!("reading {}", built.display()))?;
        if !is_component(&bytes) {
            bail!("{} is a core wasm module, not a component: is the target {TARGET}?", built.display());
        }
        let dest = root.join(p.dest);
        std::fs::create_dir_all(dest.parent().expect("dest has a folder"))?;
        std::fs::write(&dest, &bytes).with_context(|| format!("writing {}", dest.display()))?;
        println!("{:>8} KiB  {}", bytes.len().div_ceil(1024), p.dest);
    }
    Ok(())
}

/// A component's preamble: magic, then version 0x0d and layer 1.
fn is_component(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && bytes[..4] == *b"\0asm" && bytes[4..8] == [0x0d, 0x00, 0x01, 0x00]
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"))
}

/// Installs the wasm target with rustup when it is missing, or says what to
/// do when that is not possible.
fn ensure_target() -> Result<()> {
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).output();
    let Ok(out) = installed else {
        bail!(
            "rustup was not found. Building plugins needs the {TARGET} target: install rustup, or see \
             shared/wasm-toolchain.md (\"Fallback\") for building with Debian's rustc-web and build-std"
        );
    };
    if String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == TARGET) {
        return Ok(());
    }
    eprintln!("xtask: installing the {TARGET} target (rustup target add {TARGET}); this downloads for a minute");
    let ok = Command::new("rustup").args(["target", "add", TARGET]).status().map(|s| s.success()).unwrap_or(false);
    if !ok {
        bail!(
            "`rustup target add {TARGET}` failed. Retry it by hand (it downloads the target's std; let it \
             finish), or use the fallback route in shared/wasm-toolchain.md: Debian's rustc-web + \
             wasi-libc with -Zbuild-std for wasm32-wasip1, then componentize with wit-component"
        );
    }
    Ok(())
}
