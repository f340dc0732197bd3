//! Command lines that name a session on another host: `attach` and
//! `watch` run the client over a bridge; every other verb runs on that
//! host through the bridge's `exec`, with the address replaced by the
//! bare name, its output and exit status passed through.

use anyhow::{Result, bail};

use crate::cli::args::{AttachArgs, Cli, Command, SnapshotsCommand};
use crate::cli::commands;
use crate::config_files::load_config;
use crate::ipc::Role;
use crate::remote::address::{SessionAddress, is_remote};
use crate::remote::link;
use crate::remote::sessions::RemoteSessions;
use crate::remote::ssh::Ssh;

/// The session a command line names, when it is an `ssh://` address.
pub fn target(cli: &Cli) -> Result<Option<SessionAddress>> {
    let named = match &cli.command {
        Some(Command::Attach(args)) => args.name.as_deref().or(cli.session.as_deref()),
        Some(Command::KillSession { name })
        | Some(Command::DeleteSession { name, .. })
        | Some(Command::Watch { name })
        | Some(Command::Snapshots { name: Some(name), .. })
        | Some(Command::Snapshots { compare: Some(SnapshotsCommand::Diff { name, .. }), .. }) => Some(name.as_str()),
        _ => cli.session.as_deref(),
    };
    match named.filter(|n| is_remote(n)) {
        Some(text) => Ok(Some(SessionAddress::parse(text)?)),
        None => Ok(None),
    }
}

/// Runs `cli` against the session at `address`; `argv` is the command
/// line as typed (without the program), for the verbs passed on whole.
pub fn run(cli: Cli, address: SessionAddress, argv: Vec<String>) -> Result<()> {
    let host = address.host.clone().expect("a remote address");
    let ssh = Ssh::new(&load_config()?)?;
    match cli.command {
        None => {
            let args = AttachArgs {
                name: Some(address.name.clone()),
                index: None,
                create: true,
                create_background: false,
                size: (120, 40),
                layout: cli.layout,
                force_run_commands: false,
                snapshot: None,
                token_file: None,
                command: Vec::new(),
            };
            attach(ssh, &address, args)
        }
        Some(Command::Attach(args)) if !args.create_background => {
            let args = commands::with_session(args, cli.session)?;
            attach(ssh, &address, args)
        }
        Some(Command::Watch { .. }) => {
            let endpoint = RemoteSessions::new(ssh, host, vec!["watch".into(), address.name.clone()]);
            commands::run_client_at(Box::new(endpoint), &address.name, Role::Watch)
        }
        Some(
            Command::ListSessions { .. }
            | Command::KillAllSessions { .. }
            | Command::DeleteAllSessions { .. }
            | Command::Layout { .. }
            | Command::Setup(_)
            | Command::Server(_)
            | Command::Plugin { command: crate::cli::args::PluginCommand::Check { .. } },
        ) => bail!("-s {address}: this command does not act on one session"),
        Some(_) => {
            let words = argv.into_iter().map(|w| replace_address(w, &address)).collect::<Vec<_>>();
            let ran = link::exec(&ssh, &host, &[], &words, false)?;
            if ran.code != 0 {
                // Its own message is on stderr already.
                std::process::exit(ran.code);
            }
            Ok(())
        }
    }
}

/// The attached client over a bridge, which creates or resurrects the
/// session there as asked, sized to this terminal.
fn attach(ssh: Ssh, address: &SessionAddress, args: AttachArgs) -> Result<()> {
    if args.index.is_some() {
        bail!("--index counts this host's sessions; name the session on the other host instead");
    }
    let size = crossterm::terminal::size().unwrap_or(args.size);
    let mut words = vec!["attach".to_string(), address.name.clone(), "--size".into(), format!("{}x{}", size.0, size.1)];
    if args.create {
        words.push("--create".into());
    }
    if args.force_run_commands {
        words.push("--force-run-commands".into());
    }
    if let Some(layout) = &args.layout {
        // Read over there: a name from that host's layout_dir, or its path.
        words.extend(["--layout".into(), layout.clone()]);
    }
    if let Some(id) = &args.snapshot {
        words.extend(["--snapshot".into(), id.clone()]);
    }
    if !args.command.is_empty() {
        words.push("--".into());
        words.extend(args.command.iter().cloned());
    }
    let host = address.host.clone().expect("a remote address");
    let endpoint = RemoteSessions::new(ssh, host, words);
    commands::run_client_at(Box::new(endpoint), &address.name, Role::Attach)
}

/// `ssh://box/work` → `work`, also inside `--session=ssh://box/work`.
fn replace_address(word: String, address: &SessionAddress) -> String {
    let text = address.to_string();
    match word.strip_suffix(text.as_str()) {
        Some("") => address.name.clone(),
        Some(prefix) if prefix.starts_with('-') => format!("{prefix}{}", address.name),
        _ => word,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn target_of(words: &[&str]) -> Option<String> {
        let cli = Cli::try_parse_from(std::iter::once("revenant").chain(words.iter().copied())).unwrap();
        target(&cli).unwrap().map(|a| a.to_string())
    }

    #[test]
    fn every_place_a_session_is_named_takes_an_address() {
        assert_eq!(target_of(&["attach", "ssh://box/w"]).as_deref(), Some("ssh://box/w"));
        assert_eq!(target_of(&["-s", "ssh://box/w", "attach"]).as_deref(), Some("ssh://box/w"));
        assert_eq!(target_of(&["-s", "ssh://box/w", "action", "new-tab"]).as_deref(), Some("ssh://box/w"));
        assert_eq!(target_of(&["kill-session", "ssh://me@box:22/w"]).as_deref(), Some("ssh://me@box:22/w"));
        assert_eq!(target_of(&["delete-session", "ssh://box/w"]).as_deref(), Some("ssh://box/w"));
        assert_eq!(target_of(&["snapshots", "ssh://box/w"]).as_deref(), Some("ssh://box/w"));
        assert_eq!(target_of(&["watch", "ssh://box/w"]).as_deref(), Some("ssh://box/w"));
        assert_eq!(target_of(&["attach", "w"]), None);
        let cli = Cli::try_parse_from(["revenant", "kill-session", "ssh://box/../etc"]).unwrap();
        assert!(target(&cli).is_err());
    }

    #[test]
    fn the_address_becomes_the_bare_name_wherever_it_was_written() {
        let a = SessionAddress::parse("ssh://box/w").unwrap();
        assert_eq!(replace_address("ssh://box/w".into(), &a), "w");
        assert_eq!(replace_address("--session=ssh://box/w".into(), &a), "--session=w");
        assert_eq!(replace_address("echo ssh://box/w".into(), &a), "echo ssh://box/w");
        assert_eq!(replace_address("new-tab".into(), &a), "new-tab");
    }
}
