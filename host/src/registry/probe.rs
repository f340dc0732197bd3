//! Asking every server in the socket folder what it holds, all at once and
//! on the calling thread: each is connected to and asked without waiting,
//! then one poll gathers the answers. `ls` over a hundred sessions costs a
//! hundred small exchanges, not a hundred threads, and one slow server
//! costs it at most one timeout.

use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec, poll};
use rustix::io::Errno;
use rustix::net::{AddressFamily, SocketAddrUnix, SocketFlags, SocketType};

use crate::ipc::{self, Action, ClientMsg, Hello, Role, ServerMsg};

use super::LiveSession;

pub(super) enum Probe {
    /// It answered, or it listens but is too busy to answer (listed as not
    /// responding).
    Live(LiveSession),
    /// Nothing listens on the socket: a server that died without cleaning
    /// up.
    Dead,
    /// The socket went away while we looked.
    Gone,
}

enum State {
    Asked {
        fd: OwnedFd,
        got: Vec<u8>,
    },
    /// Connected, but the answer did not come (or made no sense).
    NoAnswer,
    Done(Probe),
}

/// What each of `sockets` is, in the same order.
pub(super) fn probe_all(sockets: &[PathBuf], timeout: Duration) -> Vec<Probe> {
    let request = request_bytes();
    let mut states: Vec<State> = sockets.iter().map(|path| ask(path, &request)).collect();
    gather(&mut states, Instant::now() + timeout);
    let unanswered = states.iter().any(|s| matches!(s, State::NoAnswer | State::Asked { .. }));
    if unanswered {
        // A server killed mid-exit can still hold its listening socket for
        // a moment (its other threads are still going): look again.
        std::thread::sleep(Duration::from_millis(50));
    }
    states
        .into_iter()
        .zip(sockets)
        .map(|(state, path)| match state {
            State::Done(probe) => probe,
            State::Asked { .. } | State::NoAnswer => match connect(path) {
                Err(Errno::CONNREFUSED) => Probe::Dead,
                Err(Errno::NOENT) => Probe::Gone,
                _ => unresponsive(path),
            },
        })
        .collect()
}

fn request_bytes() -> Vec<u8> {
    let mut bytes = Vec::new();
    let hello = ipc::write_frame(&mut bytes, &ClientMsg::Hello(Hello::headless(Role::Command)));
    let action = ipc::write_frame(&mut bytes, &ClientMsg::Action(Action::Info));
    debug_assert!(hello.is_ok() && action.is_ok());
    bytes
}

fn connect(path: &Path) -> Result<OwnedFd, Errno> {
    let fd = rustix::net::socket_with(
        AddressFamily::UNIX,
        SocketType::STREAM,
        SocketFlags::NONBLOCK | SocketFlags::CLOEXEC,
        None,
    )?;
    let addr = SocketAddrUnix::new(path)?;
    loop {
        match rustix::net::connect(&fd, &addr) {
            Ok(()) => return Ok(fd),
            Err(Errno::INTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

fn ask(path: &Path, request: &[u8]) -> State {
    let fd = match connect(path) {
        Ok(fd) => fd,
        Err(Errno::CONNREFUSED) => return State::Done(Probe::Dead),
        Err(Errno::NOENT) => return State::Done(Probe::Gone),
        // Its backlog is full (EAGAIN) or something else is wrong: it is
        // there but cannot be asked now.
        Err(_) => return State::Done(unresponsive(path)),
    };
    // A fresh connection's buffer takes these few bytes whole.
    match rustix::net::send(&fd, request, rustix::net::SendFlags::NOSIGNAL) {
        Ok(n) if n == request.len() => State::Asked { fd, got: Vec::new() },
        _ => State::NoAnswer,
    }
}

/// Reads answers until each asked server answered or `deadline`.
fn gather(states: &mut [State], deadline: Instant) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let waiting: Vec<usize> =
            states.iter().enumerate().filter(|(_, s)| matches!(s, State::Asked { .. })).map(|(i, _)| i).collect();
        let now = Instant::now();
        if waiting.is_empty() || now >= deadline {
            return;
        }
        let ready: Vec<usize> = {
            let mut fds: Vec<PollFd> = waiting
                .iter()
                .map(|&i| match &states[i] {
                    State::Asked { fd, .. } => PollFd::new(fd, PollFlags::IN),
                    _ => unreachable!("only asked ones wait"),
                })
                .collect();
            let left = deadline - now;
            let timeout = Timespec { tv_sec: left.as_secs() as i64, tv_nsec: left.subsec_nanos() as i64 };
            match poll(&mut fds, Some(&timeout)) {
                Ok(_) | Err(Errno::INTR) => {}
                Err(_) => return,
            }
            waiting.iter().zip(&fds).filter(|(_, fd)| !fd.revents().is_empty()).map(|(&i, _)| i).collect()
        };
        for i in ready {
            if let State::Asked { fd, got } = &mut states[i] {
                let next = read_answer(fd.as_fd(), got, &mut buf);
                if let Some(next) = next {
                    states[i] = next;
                }
            }
        }
    }
}

/// Reads what arrived; the state that follows once the answer is whole.
fn read_answer(fd: std::os::fd::BorrowedFd, got: &mut Vec<u8>, buf: &mut [u8]) -> Option<State> {
    loop {
        match rustix::io::read(fd, &mut *buf) {
            Ok(0) => return Some(State::NoAnswer),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(Errno::AGAIN) => break,
            Err(Errno::INTR) => continue,
            Err(_) => return Some(State::NoAnswer),
        }
    }
    loop {
        match ipc::decode_frame::<ServerMsg>(got) {
            Ok(None) => return None,
            Ok(Some((ServerMsg::ActionResult(Ok(text)), _))) => {
                return Some(match serde_json::from_str::<LiveSession>(&text) {
                    Ok(info) => State::Done(Probe::Live(info)),
                    Err(_) => State::NoAnswer,
                });
            }
            Ok(Some((ServerMsg::ActionResult(Err(_)) | ServerMsg::Exit(_), _))) | Err(_) => {
                return Some(State::NoAnswer);
            }
            Ok(Some((_, used))) => {
                got.drain(..used);
            }
        }
    }
}

/// Something listens but does not answer: list it from its metadata, unless
/// the metadata names a server process that no longer exists.
fn unresponsive(socket: &Path) -> Probe {
    let name = socket.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let meta = crate::store::metadata::read(&name);
    if let Some((_, pid, ..)) = &meta
        && *pid != 0
        && !Path::new(&format!("/proc/{pid}")).exists()
        && connect(socket).is_err()
    {
        return Probe::Dead;
    }
    let (created_unix, pid, clients, tabs, panes) = meta.unwrap_or_default();
    Probe::Live(LiveSession {
        name,
        created_unix,
        pid,
        clients,
        tabs,
        panes,
        responding: false,
        saved_unix: None,
        focused_tab: 0,
        pane_list: Vec::new(),
        frames: 0,
        frame_micros: 0,
    })
}
