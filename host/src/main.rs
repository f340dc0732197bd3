//! The `revenant` command line.

use std::process::ExitCode;

use clap::Parser;
use revenant::cli::args::{Cli, Command, LayoutCommand, PluginCommand, ServerArgs, ServerCli, SnapshotsCommand};
use revenant::cli::{
    action, boot, bridge, commands, completions, kill, listing, plugin, remote, remote_listing, subscribe,
};
use revenant::{logging, runtime};

fn main() -> ExitCode {
    completions::answer_if_asked();
    let result = match fast_path() {
        Some(result) => result,
        None => run(Cli::parse()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`revenant ls | head -1`): nothing to report.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        // Its framed report is on stderr already (an added context is still
        // worth its line below).
        Err(e) if e.chain().next().is_some_and(|c| c.is::<commands::Reported>()) => ExitCode::FAILURE,
        Err(e) => {
            // One clear line: the chain of causes joined.
            eprintln!("revenant: {}", format!("{e:#}").replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}

/// What needs no command tree: `--version` (as clap prints it), and a
/// server's start (see [`ServerCli`]).
fn fast_path() -> Option<anyhow::Result<()>> {
    let mut args = std::env::args_os().skip(1);
    let first = args.next()?;
    if (first == "--version" || first == "-V") && args.next().is_none() {
        println!("revenant {}", env!("CARGO_PKG_VERSION"));
        return Some(Ok(()));
    }
    if first == "__server" {
        // SAFETY: nothing has started a thread yet.
        unsafe { revenant::memory::restore_user_tunables() };
        // Its own name stands where clap expects the program's.
        let ServerCli { debug, args } = ServerCli::parse_from(std::env::args_os().skip(1));
        return Some(run_server(args, debug));
    }
    if first == "__compile" {
        std::process::exit(revenant::plugin::compiler::child_main(args));
    }
    None
}

fn run_server(args: ServerArgs, debug: bool) -> anyhow::Result<()> {
    revenant::startup::begin();
    // Compiles go to a child: see `compiler`.
    if let Ok(exe) = std::env::current_exe() {
        revenant::plugin::compiler::compile_in_child(exe);
    }
    logging::init(&args.name, debug);
    revenant::startup::mark("logging");
    let config = revenant::config_files::load_config()?;
    revenant::startup::mark("config");
    let layout = commands::session_layout(args.layout.as_deref(), &config)?;
    revenant::startup::mark("layout");
    let result = runtime::run(runtime::ServerOptions {
        name: args.name,
        socket_dir: args.socket_dir,
        cols: args.size.0,
        rows: args.size.1,
        command: args.command,
        config,
        layout,
        force_run: args.force_run_commands,
    });
    if let Err(e) = &result {
        tracing::error!("server failed: {e:#}");
    }
    result
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let debug = cli.debug;
    if let Some(Command::Bridge { protocol, op }) = &cli.command {
        logging::init("bridge", debug);
        std::process::exit(bridge::run(*protocol, op));
    }
    if let Some(Command::Web { args }) = &cli.command {
        return commands::exec_web(args);
    }
    // A session another machine's `revenant web` serves.
    if let Some(Command::Attach(args)) = &cli.command
        && let Some(url) = args.name.as_deref().filter(|n| n.starts_with("https://"))
    {
        let mut web = vec!["attach".to_string(), url.to_string()];
        if let Some(f) = &args.token_file {
            web.extend(["--token-file".to_string(), f.display().to_string()]);
        }
        return commands::exec_web(&web);
    }
    if let Some(address) = remote::target(&cli)? {
        logging::init("client", debug);
        let argv = std::env::args().skip(1).collect();
        return remote::run(cli, address, argv);
    }
    match cli.command {
        None => {
            logging::init("client", debug);
            commands::new_session(cli.session, cli.layout, &[], debug)
        }
        Some(Command::Server(args)) => run_server(args, debug),
        Some(_) if cli.layout.is_some() => {
            anyhow::bail!(
                "--layout starts a new session; with a subcommand use `attach --create --layout` or `action new-tab --layout`"
            )
        }
        Some(command) => {
            logging::init("client", debug);
            match command {
                Command::ListSessions { short, no_formatting, json, reverse, all, host } => {
                    let format = remote_listing::Format { short, no_formatting, json, reverse };
                    match host {
                        Some(host) => remote_listing::list_host(&host, format),
                        None if all => remote_listing::list_all(format),
                        None => listing::list_sessions(short, no_formatting, json, reverse),
                    }
                }
                Command::Attach(args) => commands::attach(commands::with_session(args, cli.session)?, debug),
                Command::KillSession { name } => kill::kill_session(&name),
                Command::KillAllSessions { yes } => kill::kill_all(yes),
                Command::DeleteSession { name, force } => kill::delete_session(&name, force),
                Command::DeleteAllSessions { yes, force } => kill::delete_all(yes, force),
                Command::Watch { name } => commands::watch(&name),
                Command::Subscribe { json } => subscribe::subscribe(cli.session, json),
                Command::Snapshots { compare: Some(SnapshotsCommand::Diff { name, a, b, json }), .. } => {
                    listing::snapshot_diff(&name, &a, &b, json)
                }
                Command::Snapshots { name, json, .. } => listing::snapshots(name.as_deref().unwrap_or_default(), json),
                Command::Action { action } => action::action(cli.session, action),
                Command::Run(args) => action::run(cli.session, args),
                Command::Edit(args) => action::edit(cli.session, args),
                Command::Plugin { command: PluginCommand::Check { path } } => plugin::check(path),
                Command::Plugin { command: PluginCommand::List { json } } => plugin::list(cli.session, json),
                Command::Plugin { command: PluginCommand::Reload } => plugin::reload(cli.session),
                Command::Layout { command: LayoutCommand::Check { path, size, strict } } => {
                    commands::layout_check(&path, size, strict)
                }
                Command::Setup(args) if args.systemd => boot::write_unit(),
                Command::Setup(args) => commands::setup(args),
                Command::Resurrect { names, all, boot } => boot::resurrect(&names, all, boot),
                Command::Server(_) | Command::Bridge { .. } | Command::Web { .. } => unreachable!("handled above"),
            }
        }
    }
}
