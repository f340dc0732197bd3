//! The `revenant` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use revenant::paths;
use revenant::plugin::{self, PluginEngine, PluginSource};

#[derive(Parser)]
#[command(name = "revenant", version, about = "A terminal multiplexer whose sessions survive their server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Work with WASM component plugins.
    Plugin {
        #[command(subcommand)]
        command: PluginCommand,
    },
}

#[derive(Subcommand)]
enum PluginCommand {
    /// Print the world a component implements, or what does not match.
    Check {
        /// The component (`.wasm`) to check.
        path: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Plugin { command: PluginCommand::Check { path } } => plugin_check(path),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("revenant: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn plugin_check(path: PathBuf) -> anyhow::Result<()> {
    let engine = PluginEngine::new(Some(&paths::plugin_cache_dir()))?;
    let world = plugin::check(&engine, &PluginSource::File(path))?;
    println!("{world}");
    Ok(())
}
