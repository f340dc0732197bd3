//! A connected client: its size, role and view, the screen composed for it
//! and the encoder that sends it only what changed, in the forms its
//! terminal understands, and a writer thread so that a slow client never
//! stalls the server.
//!
//! A message goes straight into the socket when nothing is queued before it
//! and the socket has room (a send that never waits); only what does not
//! fit goes to the writer thread. Waking that thread for every frame cost
//! a thread hop on each echoed key.

use std::io::Write;
use std::os::fd::{BorrowedFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};

use crate::frames::{Encoder, Features};
use crate::ipc::{self, Role, ServerMsg};

use super::client_tty::{ClientTty, TtyRead};
use crate::frames::compose::Composer;
use crate::frames::render;
use revenant_session::View;

pub type ClientId = u32;

/// Which view an operation acts through.
#[derive(Debug, Clone, Copy)]
pub enum Who {
    Client(ClientId),
    /// The last active client's, or the base view (CLI actions).
    Active,
}

/// Frames a client may have queued before we stop drawing for it.
const MAX_IN_FLIGHT: usize = 2;

/// Framed bytes for the writer thread. Only frames are counted in flight:
/// a copy's OSC 52 also travels as `Output`, and once counted as a frame it
/// took the count below zero, so the client was never drawn again.
struct Outgoing {
    bytes: Vec<u8>,
    is_frame: bool,
    /// The goodbye: the writer closes the connection after it.
    last: bool,
}

pub struct Client {
    pub id: ClientId,
    /// Unknown until the client's hello.
    pub role: Option<Role>,
    /// It runs `copy_command` itself (it is on another host).
    pub copy_here: bool,
    /// Events a subscriber could not be sent (its queue was full) since it
    /// was last told.
    pub events_lost: u64,
    /// Its terminal's colour scheme, as it last reported (CSI 2031).
    pub scheme: Option<revenant_config::ColourScheme>,
    pub cols: u16,
    pub rows: u16,
    pub view: View,
    /// The writer thread's queue, once something had to wait for it: a
    /// client that keeps up (and a connection that never says hello)
    /// costs no thread.
    out: std::cell::OnceCell<SyncSender<Outgoing>>,
    in_flight: Arc<AtomicUsize>,
    /// Messages handed to the writer and not yet written: while any are,
    /// a new one must queue behind them.
    queued: Arc<AtomicUsize>,
    /// The screen composed for it, kept from frame to frame.
    composer: Composer,
    encoder: Encoder,
    writer: std::cell::RefCell<Option<std::thread::JoinHandle<()>>>,
    /// The connection: the server thread reads it and sends on it without
    /// waiting, and cuts it under a writer stuck on a client that stopped
    /// reading.
    control: Option<UnixStream>,
    /// Bytes received and not yet a whole message.
    pub inbox: Vec<u8>,
    /// Since when the client has had no room for a frame.
    pub stalled_since: Option<std::time::Instant>,
    /// A terminal passed with the hello, not yet taken.
    passed: Option<OwnedFd>,
    /// The client's terminal, when the server reads and writes it itself.
    tty: Option<ClientTty>,
}

impl Client {
    pub fn new(id: ClientId, stream: UnixStream) -> Self {
        Client {
            id,
            role: None,
            copy_here: false,
            events_lost: 0,
            scheme: None,
            // Sized by the hello: nothing is allocated for a connection
            // that never says one.
            cols: 0,
            rows: 0,
            view: View::default(),
            out: std::cell::OnceCell::new(),
            in_flight: Arc::new(AtomicUsize::new(0)),
            queued: Arc::new(AtomicUsize::new(0)),
            composer: Composer::new(1, 1),
            encoder: Encoder::new(Features::BASIC),
            writer: std::cell::RefCell::new(None),
            control: Some(stream),
            inbox: Vec::new(),
            stalled_since: None,
            passed: None,
            tty: None,
        }
    }

    /// The connection, for the server's poll.
    pub fn connection_fd(&self) -> Option<std::os::fd::BorrowedFd<'_>> {
        use std::os::fd::AsFd;
        self.control.as_ref().map(|s| s.as_fd())
    }

    /// Moves what the client sent into [`Client::inbox`] without waiting,
    /// up to about `max` bytes. `Ok(0)`: the client hung up.
    pub fn receive(&mut self, max: usize) -> std::io::Result<usize> {
        let Some(stream) = &self.control else { return Ok(0) };
        let mut total = 0;
        let mut chunk = [0u8; 64 * 1024];
        while total < max {
            match ipc::recv_with_fd(stream, &mut chunk) {
                Ok((0, _)) => break,
                Ok((n, fd)) => {
                    // Only a hello brings a terminal; one coming later is
                    // dropped (closed).
                    if self.role.is_none() && self.passed.is_none() {
                        self.passed = fd;
                    }
                    self.inbox.extend_from_slice(&chunk[..n]);
                    total += n;
                }
                Err(rustix::io::Errno::INTR) => continue,
                Err(rustix::io::Errno::AGAIN) if total > 0 => break,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(total)
    }

    /// Cuts the connection of a client that stopped reading: its writer's
    /// blocked write fails, so [`Client::finish`] does not wait on it.
    pub fn cut(&self) {
        if let Some(s) = &self.control {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
    }

    pub fn set_size(&mut self, cols: u16, rows: u16) {
        let (cols, rows) = (cols.max(1), rows.max(1));
        if (cols, rows) != (self.cols, self.rows) {
            self.cols = cols;
            self.rows = rows;
            // The next frame is drawn whole, on a cleared screen.
            self.composer.resize(cols, rows);
            self.encoder.invalidate();
        }
    }

    /// What the client's terminal can draw (from its hello).
    pub fn set_features(&mut self, features: Features) {
        self.encoder = Encoder::new(features);
    }

    /// Takes the terminal passed with the hello, if `wanted`, to read and
    /// write it from here on; false (and frames go over the socket) when
    /// there was none or it cannot be opened.
    pub fn take_tty(&mut self, wanted: bool) -> bool {
        let Some(passed) = self.passed.take().filter(|_| wanted) else { return false };
        match ClientTty::open(passed) {
            Ok(tty) => self.tty = Some(tty),
            Err(e) => tracing::warn!(client = self.id, "frames go through the client: {e}"),
        }
        self.tty.is_some()
    }

    /// The client's terminal, for the server's poll, and whether output
    /// waits for room in it.
    pub fn tty_fd(&self) -> Option<(BorrowedFd<'_>, bool)> {
        self.tty.as_ref().map(|t| (t.fd(), t.wants_write()))
    }

    /// Reads what was typed in the client's terminal (false: it is gone)
    /// and writes what waited for room.
    pub fn read_tty(&mut self, out: &mut Vec<crate::ipc::InputEvent>) -> bool {
        let Some(tty) = &mut self.tty else { return false };
        tty.flush();
        matches!(tty.read(out), TtyRead::Open)
    }

    /// When held-back input is due (see [`ClientTty::deadline`]).
    pub fn tty_deadline(&self) -> Option<std::time::Instant> {
        self.tty.as_ref().and_then(ClientTty::deadline)
    }

    pub fn flush_tty_input(&mut self, now: std::time::Instant, out: &mut Vec<crate::ipc::InputEvent>) {
        if let Some(tty) = &mut self.tty {
            tty.flush_input_if_due(now, out);
        }
    }

    /// Bytes for the client's terminal that are not a frame (OSC 52).
    pub fn send_terminal(&mut self, bytes: Vec<u8>) {
        match &mut self.tty {
            Some(tty) => {
                tty.write(&bytes);
            }
            None => self.send(ServerMsg::Output(bytes)),
        }
    }

    /// Says goodbye: the terminal is let go first, so that nothing of ours
    /// reaches it after the client has restored it.
    pub fn send_exit(&mut self, reason: crate::ipc::ExitReason) {
        self.tty = None;
        self.send(ServerMsg::Exit(reason));
    }

    /// Sends `msg` if there is room, now or in the queue; false when there
    /// is none (it is dropped).
    pub fn try_send(&self, msg: &ServerMsg) -> bool {
        self.deliver(msg, false)
    }

    /// Queues a message that is not a frame: it does not count against
    /// [`MAX_IN_FLIGHT`], even when it carries terminal bytes (OSC 52).
    pub fn send(&self, msg: ServerMsg) {
        if !self.deliver(&msg, false) {
            tracing::debug!(client = self.id, "client queue full; message dropped");
        }
    }

    /// Sends `msg` now if it fits without waiting, else queues what is left
    /// of it for the writer; false when the queue is full too.
    fn deliver(&self, msg: &ServerMsg, is_frame: bool) -> bool {
        let mut bytes = Vec::new();
        if let Err(e) = ipc::write_frame(&mut bytes, msg) {
            tracing::warn!(client = self.id, "cannot frame a message: {e}");
            return false;
        }
        let last = matches!(msg, ServerMsg::Exit(_));
        if self.queued.load(Ordering::Acquire) == 0 {
            let sent = self.control.as_ref().map_or(0, |s| send_now(s, &bytes));
            if sent == bytes.len() {
                if last {
                    self.cut();
                }
                return true;
            }
            bytes.drain(..sent);
        }
        let Some(out) = self.writer_queue() else { return false };
        if is_frame {
            self.in_flight.fetch_add(1, Ordering::AcqRel);
        }
        self.queued.fetch_add(1, Ordering::AcqRel);
        if out.try_send(Outgoing { bytes, is_frame, last }).is_err() {
            self.queued.fetch_sub(1, Ordering::AcqRel);
            if is_frame {
                self.in_flight.fetch_sub(1, Ordering::AcqRel);
            }
            return false;
        }
        true
    }

    /// The writer thread's queue, the thread started on first use.
    fn writer_queue(&self) -> Option<&SyncSender<Outgoing>> {
        if let Some(out) = self.out.get() {
            return Some(out);
        }
        let mut stream = self.control.as_ref()?.try_clone().ok()?;
        let (tx, rx) = sync_channel::<Outgoing>(64);
        let (frames, messages) = (self.in_flight.clone(), self.queued.clone());
        let writer = std::thread::Builder::new().name(format!("client-{}-out", self.id)).spawn(move || {
            for Outgoing { bytes, is_frame, last } in rx {
                let ok = stream.write_all(&bytes).is_ok();
                if is_frame {
                    frames.fetch_sub(1, Ordering::AcqRel);
                }
                messages.fetch_sub(1, Ordering::AcqRel);
                if !ok || last {
                    break;
                }
            }
            let _ = stream.shutdown(std::net::Shutdown::Both);
        });
        match writer {
            Ok(handle) => *self.writer.borrow_mut() = Some(handle),
            Err(e) => {
                tracing::warn!(client = self.id, "no writer thread: {e}");
                return None;
            }
        }
        let _ = self.out.set(tx);
        self.out.get()
    }

    pub fn ready_for_frame(&self) -> bool {
        match &self.tty {
            Some(tty) => !tty.wants_write(),
            None => self.in_flight.load(Ordering::Acquire) < MAX_IN_FLIGHT,
        }
    }

    /// Draws one frame and queues only the bytes that changed; false when
    /// nothing had.
    pub fn draw<Io>(&mut self, ctx: &render::Context<Io>) -> bool {
        let cursor = self.composer.compose(ctx);
        let bytes = self.encoder.frame_touched(self.composer.screen_mut(), cursor);
        if bytes.is_empty() {
            return false;
        }
        let delivered = match &mut self.tty {
            Some(tty) => tty.write(&bytes),
            None => self.deliver(&ServerMsg::Output(bytes), true),
        };
        if !delivered {
            // The frame is lost, so the client's screen no longer matches
            // what the encoder believes: draw everything next time.
            self.encoder.invalidate();
        }
        true
    }

    /// Closes the outgoing queue and waits for the writer to flush it.
    pub fn finish(self) {
        let writer = self.writer.borrow_mut().take();
        drop(self);
        if let Some(w) = writer {
            let _ = w.join();
        }
    }
}

/// As many of `bytes` as the socket takes without waiting (none on an
/// error: the writer thread then meets it and ends the connection).
fn send_now(stream: &UnixStream, bytes: &[u8]) -> usize {
    use rustix::net::{SendFlags, send};
    send(stream, bytes, SendFlags::DONTWAIT | SendFlags::NOSIGNAL).unwrap_or(0)
}
