//! A connected client: its size, role and view, the screen composed for it
//! and the encoder that sends it only what changed, in the forms its
//! terminal understands, and a writer thread so that a slow client never
//! stalls the server.

use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};

use crate::ipc::{self, Role, ServerMsg};
use crate::screen::{Encoder, Features, Screen};

use super::render;
use super::view::View;

pub type ClientId = u32;

/// Frames a client may have queued before we stop drawing for it.
const MAX_IN_FLIGHT: usize = 2;

/// A message for the writer thread. Only frames are counted in flight: a
/// copy's OSC 52 also travels as `Output`, and once counted as a frame it
/// took the count below zero, so the client was never drawn again.
struct Outgoing {
    msg: ServerMsg,
    is_frame: bool,
}

pub struct Client {
    pub id: ClientId,
    /// Unknown until the client's hello.
    pub role: Option<Role>,
    pub cols: u16,
    pub rows: u16,
    pub view: View,
    out: SyncSender<Outgoing>,
    in_flight: Arc<AtomicUsize>,
    /// Composed anew for each frame (the allocation is kept).
    screen: Screen,
    encoder: Encoder,
    writer: Option<std::thread::JoinHandle<()>>,
    /// The connection, to cut it under a writer stuck on a client that
    /// stopped reading.
    control: Option<UnixStream>,
    /// Since when the client has had no room for a frame.
    pub stalled_since: Option<std::time::Instant>,
}

impl Client {
    pub fn new(id: ClientId, mut stream: UnixStream) -> Self {
        let control = stream.try_clone().ok();
        let (tx, rx) = sync_channel::<Outgoing>(64);
        let in_flight = Arc::new(AtomicUsize::new(0));
        let counter = in_flight.clone();
        let writer = std::thread::Builder::new()
            .name(format!("client-{id}-out"))
            .spawn(move || {
                for Outgoing { msg, is_frame } in rx {
                    let last = matches!(msg, ServerMsg::Exit(_));
                    let ok = ipc::write_frame(&mut stream, &msg).is_ok();
                    if is_frame {
                        counter.fetch_sub(1, Ordering::AcqRel);
                    }
                    if !ok || last {
                        break;
                    }
                }
                let _ = stream.shutdown(std::net::Shutdown::Both);
            })
            .ok();
        Client {
            id,
            role: None,
            cols: 80,
            rows: 24,
            view: View::default(),
            out: tx,
            in_flight,
            screen: Screen::new(80, 24),
            encoder: Encoder::new(Features::BASIC),
            writer,
            control,
            stalled_since: None,
        }
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
            self.screen = Screen::new(cols, rows);
            self.encoder.invalidate();
        }
    }

    /// What the client's terminal can draw (from its hello).
    pub fn set_features(&mut self, features: Features) {
        self.encoder = Encoder::new(features);
    }

    /// Queues a message that is not a frame: it does not count against
    /// [`MAX_IN_FLIGHT`], even when it carries terminal bytes (OSC 52).
    pub fn send(&self, msg: ServerMsg) {
        if self.out.try_send(Outgoing { msg, is_frame: false }).is_err() {
            tracing::debug!(client = self.id, "client queue full; message dropped");
        }
    }

    pub fn ready_for_frame(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) < MAX_IN_FLIGHT
    }

    /// Draws one frame and queues only the bytes that changed; false when
    /// nothing had.
    pub fn draw(&mut self, ctx: &render::Context) -> bool {
        self.screen.clear();
        let cursor = render::draw(&mut self.screen, ctx);
        let bytes = self.encoder.frame(&self.screen, cursor);
        if bytes.is_empty() {
            return false;
        }
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        if self.out.try_send(Outgoing { msg: ServerMsg::Output(bytes), is_frame: true }).is_err() {
            self.in_flight.fetch_sub(1, Ordering::AcqRel);
            // The frame is lost, so the client's screen no longer matches
            // what the encoder believes: draw everything next time.
            self.encoder.invalidate();
        }
        true
    }

    /// Closes the outgoing queue and waits for the writer to flush it.
    pub fn finish(mut self) {
        let writer = self.writer.take();
        drop(self);
        if let Some(w) = writer {
            let _ = w.join();
        }
    }
}
