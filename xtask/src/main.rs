//! Project chores that need more than cargo: building the wasm plugins,
//! scaffolding new ones, running the benchmarks.
//!
//! `cargo xtask build-plugins | new-plugin NAME --world W [--path DIR] | bench | bench-mux | bench-persist |
//! bench-plugins | bench-remote`

mod bench_latency;
mod bench_lazy;
mod bench_mux;
mod bench_panes;
mod bench_persist;
mod bench_plugins;
mod bench_remote;
mod bench_scale;
mod bench_vtebench;
mod build_plugins;
mod harness;
mod muxes;
mod new_plugin;
mod over_ssh;
mod resurrect_bench;
mod sshd;
mod table;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("build-plugins") => build_plugins::run(&workspace_root()),
        Some("new-plugin") => new_plugin::run(&workspace_root(), &args[1..]),
        Some("bench-mux") => bench_mux::run(&workspace_root(), &args[1..]),
        Some("bench-remote") => bench_remote::run(&workspace_root(), &args[1..]),
        Some("bench-persist") => bench_persist::run(&workspace_root()),
        Some("bench-plugins") => bench_plugins::run(&workspace_root(), &args[1..]),
        Some("bench") => {
            let mut cmd = Command::new(cargo());
            cmd.current_dir(workspace_root()).args(["bench", "-p", "revenant"]).args(&args[1..]);
            status(&mut cmd)
        }
        _ => bail!(
            "usage:\n  cargo xtask build-plugins\n  cargo xtask new-plugin NAME --world serializer|command-discovery|session-manager [--path DIR]\n  cargo xtask bench [-- criterion args]\n  cargo xtask bench-mux [--size-mb N] [--idle-secs N] [--only memory,idle,throughput,vtebench,latency] [--exe PATH]\n  cargo xtask bench-persist\n  cargo xtask bench-plugins [--python PATH]"
        ),
    }
}

pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

pub(crate) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

pub(crate) fn status(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let st = cmd.status().with_context(|| format!("cannot run {shown}"))?;
    if !st.success() {
        bail!("{shown} failed with {st}");
    }
    Ok(())
}
