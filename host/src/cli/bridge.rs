//! `revenant __bridge`: the far end of an ssh link. It says who it is
//! first, then connects ssh's stdin and stdout to a session's socket (or
//! runs one command), so the client on the other host speaks to the
//! server as if it were local. It runs as the ssh user and reaches only
//! that user's socket directory.

use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;

use anyhow::{Context, Result, anyhow, bail};
use clap::Parser;

use crate::cli::args::{Cli, Command};
use crate::cli::commands;
use crate::ipc;
use crate::remote::link::BridgeHello;

/// Exit status of a bridge refused for its protocol: not ssh's 255, so the
/// client does not take it for a lost link.
const REFUSED: i32 = 3;

/// `revenant __bridge --protocol N <op> [words…]`; the exit status.
pub fn run(protocol: u16, op: &[String]) -> i32 {
    let mut out = io::stdout().lock();
    let ours = BridgeHello::ours();
    if out.write_all(ours.line().as_bytes()).and_then(|_| out.flush()).is_err() {
        return 1;
    }
    drop(out);
    if protocol != ours.protocol {
        // The client names both sides from our first line; this is for a
        // person reading the remote's stderr.
        eprintln!(
            "revenant: the client speaks protocol {protocol}, this revenant ({}, version {}) speaks {}",
            ours.binary, ours.version, ours.protocol
        );
        return REFUSED;
    }
    let (verb, words) = op.split_first().map(|(v, w)| (v.as_str(), w)).unwrap_or(("", &[]));
    match verb {
        "attach" | "watch" => match connect(verb, words) {
            Ok(socket) => {
                say("ok");
                relay(socket)
            }
            Err(e) => {
                say(&format!("error: {}", format!("{e:#}").replace('\n', " ")));
                1
            }
        },
        "exec" => exec(words.strip_prefix(&["--".to_string()][..]).unwrap_or(words)),
        other => {
            eprintln!("revenant: unknown bridge operation `{other}`");
            REFUSED
        }
    }
}

fn say(line: &str) {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|_| out.flush());
}

/// The session's socket, once the session runs: `attach` creates or
/// resurrects it as `attach -b` would (with the words `attach` takes);
/// `watch` finds a live one.
fn connect(verb: &str, words: &[String]) -> Result<UnixStream> {
    let argv = ["revenant", verb].into_iter().map(String::from).chain(words.iter().cloned());
    let cli = Cli::try_parse_from(argv).map_err(|e| anyhow!("{}", e.to_string().trim()))?;
    let (dir, name) = match cli.command {
        Some(Command::Attach(args)) => commands::prepare_attach(args, cli.debug)?,
        Some(Command::Watch { name }) => {
            let dir = commands::socket_dir()?;
            commands::live_socket(&dir, &name)?;
            (dir, name)
        }
        _ => bail!("the bridge attaches or watches"),
    };
    let path = crate::registry::socket_path(&dir, &name);
    ipc::connect(&path).with_context(|| format!("cannot connect to {}", path.display()))
}

/// Bytes both ways until the server hangs up. Our stdin's end (ssh gone)
/// shuts the socket for writing, which the server takes as a detach.
fn relay(socket: UnixStream) -> i32 {
    let Ok(mut to_server) = socket.try_clone() else { return 1 };
    std::thread::spawn(move || {
        let mut stdin = io::stdin().lock();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match stdin.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if to_server.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = to_server.shutdown(std::net::Shutdown::Write);
    });
    let mut from_server = socket;
    let mut out = io::stdout().lock();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        match from_server.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if out.write_all(&buf[..n]).and_then(|_| out.flush()).is_err() {
                    break;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    0
}

/// One command of this host's `revenant`, its output and status passed
/// through as they are.
fn exec(words: &[String]) -> i32 {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            eprintln!("revenant: cannot find this binary: {e}");
            return 1;
        }
    };
    if words.first().is_some_and(|w| w == "__bridge") {
        eprintln!("revenant: a bridge does not run a bridge");
        return REFUSED;
    }
    match std::process::Command::new(exe).args(words).status() {
        Ok(status) => status.code().map(|c| c.clamp(0, 254)).unwrap_or(1),
        Err(e) => {
            eprintln!("revenant: cannot run {}: {e}", words.join(" "));
            1
        }
    }
}
