//! A connected client: its size, role and view, a ratatui terminal that
//! renders into bytes for it, and a writer thread so that a slow client
//! never stalls the server.

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use ratatui::backend::CrosstermBackend;
use ratatui::{Terminal, TerminalOptions, Viewport};

use crate::ipc::{self, Role, ServerMsg};

use super::render;
use super::view::View;

pub type ClientId = u32;

/// Frames a client may have queued before we stop drawing for it.
const MAX_IN_FLIGHT: usize = 2;

pub struct Client {
    pub id: ClientId,
    /// Unknown until the client's hello.
    pub role: Option<Role>,
    pub cols: u16,
    pub rows: u16,
    pub view: View,
    out: SyncSender<ServerMsg>,
    in_flight: Arc<AtomicUsize>,
    screen: Terminal<CrosstermBackend<FrameBuf>>,
    frame: FrameBuf,
    writer: Option<std::thread::JoinHandle<()>>,
}

impl Client {
    pub fn new(id: ClientId, mut stream: UnixStream) -> Self {
        let (tx, rx) = sync_channel::<ServerMsg>(64);
        let in_flight = Arc::new(AtomicUsize::new(0));
        let frame = FrameBuf::default();
        let counter = in_flight.clone();
        let writer = std::thread::Builder::new()
            .name(format!("client-{id}-out"))
            .spawn(move || {
                for msg in rx {
                    let is_frame = matches!(msg, ServerMsg::Output(_));
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
            screen: new_screen(80, 24, &frame),
            frame,
            writer,
        }
    }

    pub fn set_size(&mut self, cols: u16, rows: u16) {
        let (cols, rows) = (cols.max(1), rows.max(1));
        if (cols, rows) != (self.cols, self.rows) {
            self.cols = cols;
            self.rows = rows;
            // A fresh terminal: the next frame is drawn whole.
            self.screen = new_screen(cols, rows, &self.frame);
        }
    }

    pub fn send(&self, msg: ServerMsg) {
        if self.out.try_send(msg).is_err() {
            tracing::debug!(client = self.id, "client queue full; message dropped");
        }
    }

    pub fn ready_for_frame(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) < MAX_IN_FLIGHT
    }

    /// Draws one frame and queues only the bytes that changed.
    pub fn draw(&mut self, ctx: &render::Context) {
        let drawn = self.screen.draw(|frame| render::draw(frame, ctx));
        if let Err(e) = drawn {
            tracing::warn!(client = self.id, "render failed: {e}");
            return;
        }
        let bytes = self.frame.take();
        if bytes.is_empty() {
            return;
        }
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        if self.out.try_send(ServerMsg::Output(bytes)).is_err() {
            self.in_flight.fetch_sub(1, Ordering::AcqRel);
            // The frame is lost, so the client's screen no longer matches
            // what ratatui believes: redraw everything next time.
            self.screen = new_screen(self.cols, self.rows, &self.frame);
        }
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

/// Where the backend writes a frame's bytes; the client takes them after
/// each draw.
#[derive(Clone, Default)]
pub struct FrameBuf(Arc<Mutex<Vec<u8>>>);

impl FrameBuf {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Write for FrameBuf {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn new_screen(cols: u16, rows: u16, frame: &FrameBuf) -> Terminal<CrosstermBackend<FrameBuf>> {
    let area = ratatui::layout::Rect::new(0, 0, cols, rows);
    let mut t = Terminal::with_options(
        CrosstermBackend::new(frame.clone()),
        TerminalOptions { viewport: Viewport::Fixed(area) },
    )
    .expect("a terminal over a buffer cannot fail to start");
    // The client's screen is in an unknown state: clear it so the first
    // diff is against a known, empty screen.
    let _ = t.clear();
    t
}
