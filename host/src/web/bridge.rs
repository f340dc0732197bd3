//! One browser tab attached to one session: a client of the session's
//! socket like the terminal client in relay mode. The server renders
//! frames for xterm.js's features; the page's keys and mouse arrive as the
//! bytes a terminal would send and are decoded here as the terminal
//! client decodes its own.
//!
//! On the socket, binary messages are terminal bytes both ways; text
//! messages are JSON controls (`resize` from the page; `welcome`, `exit`,
//! `switch`, `copy` to it).

use std::path::PathBuf;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;
use tokio::net::unix::OwnedReadHalf;
use tokio::sync::{mpsc, watch};

use crate::frames::Features;
use crate::input_decoder::InputDecoder;
use crate::ipc::{self, ClientMsg, ExitReason, FrameError, Hello, Role, ServerMsg, StartAt};

/// The page's terminal is put as the terminal client puts its own: the
/// alternate screen (xterm.js keeps no scrollback of its own), and the
/// mouse, bracketed paste and focus reports on.
const MODES_ON: &[u8] = b"\x1b[?1049h\x1b[?2004h\x1b[?1004h\x1b[H\x1b[2J";
const MOUSE_ON: &[u8] = b"\x1b[?1000h\x1b[?1002h\x1b[?1003h\x1b[?1006h";

/// A close code the page reads as "log in again".
pub const CLOSE_LOGGED_OUT: u16 = 4001;

pub struct Attach {
    pub socket: PathBuf,
    pub session: String,
    pub cols: u16,
    pub rows: u16,
    pub read_only: bool,
    pub mouse: bool,
}

/// Checks that the login still stands whenever the logins change.
pub struct Standing {
    pub changes: watch::Receiver<u64>,
    pub check: Box<dyn Fn() -> bool + Send>,
}

pub async fn run(mut ws: WebSocket, attach: Attach, mut standing: Standing) {
    let reason = match attach_to(&attach).await {
        Ok((stream, ended)) => {
            if let Some(reason) = ended {
                reason
            } else {
                let _ = ws
                    .send(control(json!({"type": "welcome", "session": attach.session, "read_only": attach.read_only})))
                    .await;
                let mut modes = MODES_ON.to_vec();
                if attach.mouse {
                    modes.extend_from_slice(MOUSE_ON);
                }
                let _ = ws.send(Message::Binary(modes.into())).await;
                match pump(&mut ws, stream, &attach, &mut standing).await {
                    Some(reason) => reason,
                    None => return,
                }
            }
        }
        Err(e) => Ended::Final(e),
    };
    let message = match &reason {
        Ended::Final(why) => json!({"type": "exit", "reason": why, "final": true}),
        Ended::Again(why) => json!({"type": "exit", "reason": why, "final": false}),
        Ended::Switch(to) => json!({"type": "switch", "session": to}),
    };
    let _ = ws.send(control(message)).await;
    let _ = ws.send(Message::Close(None)).await;
}

enum Ended {
    /// The page should not come back (detached, ended, killed, refused).
    Final(String),
    /// A lost server: the page may try again.
    Again(String),
    Switch(String),
}

impl From<ExitReason> for Ended {
    fn from(reason: ExitReason) -> Ended {
        match reason {
            ExitReason::Switch(to, _) => Ended::Switch(to),
            ExitReason::Error(e) => Ended::Again(e),
            other => Ended::Final(other.to_string()),
        }
    }
}

fn control(value: serde_json::Value) -> Message {
    Message::Text(value.to_string().into())
}

/// Connects and says hello; the session's answer when it refused.
async fn attach_to(attach: &Attach) -> Result<(UnixStream, Option<Ended>), String> {
    let mut stream = UnixStream::connect(&attach.socket)
        .await
        .map_err(|e| format!("session {} is not running ({e})", attach.session))?;
    let hello = ClientMsg::Hello(Hello {
        role: if attach.read_only { Role::Watch } else { Role::Attach },
        cols: attach.cols,
        rows: attach.rows,
        // xterm.js draws truecolor, styled and coloured underlines and
        // OSC 8 links.
        features: Features::ALL,
        start: StartAt::default(),
        tty: false,
        // Copies go to the page (as `copy`), for the browser's clipboard.
        copy_here: true,
    });
    send(&mut stream, &hello).await.map_err(|e| format!("cannot greet session {}: {e}", attach.session))?;
    match read_frame(&mut stream).await {
        Ok(ServerMsg::Welcome { .. }) => Ok((stream, None)),
        Ok(ServerMsg::Exit(reason)) => Ok((stream, Some(reason.into()))),
        Ok(other) => Err(format!("unexpected first message from session {}: {other:?}", attach.session)),
        Err(e) => Err(format!("session {}: {e}", attach.session)),
    }
}

async fn send<W: AsyncWriteExt + Unpin>(w: &mut W, msg: &ClientMsg) -> Result<(), FrameError> {
    let mut bytes = Vec::new();
    ipc::write_frame(&mut bytes, msg)?;
    w.write_all(&bytes).await?;
    Ok(())
}

async fn read_frame<R: AsyncReadExt + Unpin>(r: &mut R) -> Result<ServerMsg, FrameError> {
    let mut header = [0u8; 10];
    r.read_exact(&mut header).await?;
    let len = ipc::frame_len(&header)?;
    let mut payload = Vec::new();
    (&mut *r).take(u64::from(len)).read_to_end(&mut payload).await?;
    if payload.len() < len as usize {
        return Err(FrameError::Closed);
    }
    Ok(postcard::from_bytes(&payload)?)
}

/// Frames from the server, read by a task of their own (a read cut off
/// halfway would lose the frame). A slow page makes this wait, and the
/// session then treats this client as any slow one.
fn server_frames(mut read: OwnedReadHalf) -> mpsc::Receiver<Result<ServerMsg, FrameError>> {
    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(async move {
        loop {
            let frame = read_frame(&mut read).await;
            let last = frame.is_err();
            if tx.send(frame).await.is_err() || last {
                return;
            }
        }
    });
    rx
}

enum Event {
    Server(Option<Result<ServerMsg, FrameError>>),
    Page(Option<Result<Message, axum::Error>>),
    Idle,
    LoginsChanged,
}

/// Until one side ends: the reason to tell the page, or None when the
/// page left.
async fn pump(ws: &mut WebSocket, stream: UnixStream, attach: &Attach, standing: &mut Standing) -> Option<Ended> {
    let (read, mut write) = stream.into_split();
    let mut frames = server_frames(read);
    let mut decoder = InputDecoder::default();
    let mut events = Vec::new();
    loop {
        // A lone ESC waits a moment to tell itself from a sequence's start.
        let idle = decoder.wait().unwrap_or(Duration::from_secs(3600));
        let event = tokio::select! {
            f = frames.recv() => Event::Server(f),
            m = ws.recv() => Event::Page(m),
            _ = tokio::time::sleep(idle) => Event::Idle,
            _ = standing.changes.changed() => Event::LoginsChanged,
        };
        match event {
            Event::Server(Some(Ok(msg))) => match msg {
                ServerMsg::Output(bytes) => {
                    let sent = ws.send(Message::Binary(bytes.into())).await;
                    if sent.is_err() {
                        let _ = send(&mut write, &ClientMsg::Detach).await;
                        return None;
                    }
                }
                ServerMsg::Copied(text) => {
                    let _ = ws.send(control(json!({"type": "copy", "text": text}))).await;
                }
                ServerMsg::Exit(reason) => return Some(reason.into()),
                _ => {}
            },
            Event::Server(Some(Err(FrameError::Closed)) | None) => {
                return Some(Ended::Again("the session's server went away".into()));
            }
            Event::Server(Some(Err(e))) => return Some(Ended::Again(e.to_string())),
            Event::Page(Some(Ok(Message::Binary(bytes)))) => {
                // A watcher's keys and mouse never reach a pane.
                if !attach.read_only {
                    decoder.feed(&bytes, &mut events);
                }
            }
            Event::Page(Some(Ok(Message::Text(text)))) => {
                if let Some((cols, rows)) = resize(&text) {
                    let _ = send(&mut write, &ClientMsg::Resize { cols, rows }).await;
                }
            }
            Event::Page(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => {}
            Event::Page(_) => {
                let _ = send(&mut write, &ClientMsg::Detach).await;
                return None;
            }
            Event::Idle => decoder.flush(&mut events),
            Event::LoginsChanged => {
                if !(standing.check)() {
                    let _ = send(&mut write, &ClientMsg::Detach).await;
                    let frame = CloseFrame {
                        code: CLOSE_LOGGED_OUT,
                        reason: "the login ended (token revoked or expired)".into(),
                    };
                    let _ = ws.send(Message::Close(Some(frame))).await;
                    return None;
                }
            }
        }
        for event in events.drain(..) {
            if send(&mut write, &ClientMsg::Input(event)).await.is_err() {
                return Some(Ended::Again("the session's server went away".into()));
            }
        }
    }
}

/// `{"type":"resize","cols":C,"rows":R}`, within what a terminal can be.
fn resize(text: &str) -> Option<(u16, u16)> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    if v.get("type")?.as_str()? != "resize" {
        return None;
    }
    let dim = |k: &str| v.get(k)?.as_u64().filter(|n| (1..=1000).contains(n)).map(|n| n as u16);
    Some((dim("cols")?, dim("rows")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resizes_are_read_within_bounds() {
        assert_eq!(resize(r#"{"type":"resize","cols":120,"rows":40}"#), Some((120, 40)));
        assert_eq!(resize(r#"{"type":"resize","cols":0,"rows":40}"#), None);
        assert_eq!(resize(r#"{"type":"resize","cols":99999,"rows":40}"#), None);
        assert_eq!(resize(r#"{"type":"other"}"#), None);
        assert_eq!(resize("not json"), None);
    }
}
