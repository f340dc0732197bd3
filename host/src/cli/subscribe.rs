//! `revenant subscribe`: the session's events as they happen, one a line,
//! for scripts and tools that watch panes (as tmux's control mode and
//! Zellij's `subscribe`). It ends when the session does.

use std::io::Write;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::cli::action::session_name;
use crate::cli::commands::{live_socket, socket_dir};
use crate::ipc::{self, ClientMsg, FrameError, Hello, Role, ServerMsg};

pub fn subscribe(session: Option<String>, json: bool) -> Result<()> {
    let name = session_name(session)?;
    let socket = live_socket(&socket_dir()?, &name)?;
    let mut stream = ipc::connect(&socket).with_context(|| format!("cannot connect to {}", socket.display()))?;
    ipc::write_frame(&mut stream, &ClientMsg::Hello(Hello::headless(Role::Subscribe)))?;
    let mut reader = std::io::BufReader::new(stream);
    let mut out = std::io::stdout();
    loop {
        match ipc::read_frame::<_, ServerMsg>(&mut reader) {
            Ok(ServerMsg::Event(line)) => {
                let text = if json { line } else { describe(&line) };
                writeln!(out, "{text}")?;
                out.flush()?;
            }
            Ok(ServerMsg::Exit(reason)) => {
                if !json {
                    writeln!(out, "[{reason}]")?;
                }
                return Ok(());
            }
            Ok(_) => {}
            Err(FrameError::Closed) => return Ok(()),
            Err(e) => bail!("{e}"),
        }
    }
}

/// An event as a line for people: `pane 3 "vim" exited (code 1)`.
fn describe(line: &str) -> String {
    let Ok(e) = serde_json::from_str::<Value>(line) else { return line.to_owned() };
    let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let pane = match e.get("pane").and_then(Value::as_u64) {
        Some(id) => format!("pane {id} {:?} ", s("title")),
        None => String::new(),
    };
    let what = match s("event").as_str() {
        "pane_opened" => "opened".to_owned(),
        "pane_closed" => "closed".to_owned(),
        "pane_exited" => match e.get("code").and_then(Value::as_i64) {
            Some(code) => format!("exited (code {code})"),
            None => "exited (killed by a signal)".to_owned(),
        },
        "pane_retitled" => "retitled".to_owned(),
        "bell" => "rang the bell".to_owned(),
        "notification" => format!("notified: {} {}", s("title"), s("body")).trim_end().to_owned(),
        "session_saved" => format!("session saved ({})", s("layout")),
        "prompt_started" => "shows a prompt".to_owned(),
        "command_started" => match e.get("cmdline").and_then(Value::as_str) {
            Some(cmdline) => format!("runs {cmdline:?}"),
            None => "runs a command".to_owned(),
        },
        "command_finished" => match e.get("status").and_then(Value::as_i64) {
            Some(status) => format!("finished a command (status {status})"),
            None => "finished a command".to_owned(),
        },
        "lost" => {
            format!("{} events lost (this reader fell behind)", e.get("count").and_then(Value::as_u64).unwrap_or(0))
        }
        other => other.to_owned(),
    };
    format!("{pane}{what}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_read_as_sentences() {
        assert_eq!(
            describe(r#"{"event":"pane_exited","pane":3,"title":"make","code":2}"#),
            "pane 3 \"make\" exited (code 2)"
        );
        assert_eq!(describe(r#"{"event":"lost","count":12}"#), "12 events lost (this reader fell behind)");
        assert_eq!(describe("not json"), "not json");
    }
}
