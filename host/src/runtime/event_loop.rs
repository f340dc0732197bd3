//! The server thread's one wait: a poll over the listening socket, every
//! client's connection, every pane's PTY and the mailbox that the other
//! threads post to. Input, output and connections are read here, on the
//! thread that owns the session, and never with a read that waits.
//!
//! A key used to cross three threads before it reached the program (the
//! client's reader, the server, the PTY's writer) and its echo two more
//! (the PTY's reader, the server): each hop woke a thread, and together
//! they made typing ten times slower than tmux, whose one thread polls
//! everything. Now a key is read, written to its PTY, its echo read and
//! its frame sent by this thread, in one pass where the kernel allows.
//!
//! The threads that remain, and what each posts to the mailbox, are
//! listed in the runtime's own doc (`runtime/mod.rs`).

use std::os::fd::{AsRawFd, BorrowedFd, RawFd};
use std::os::unix::net::UnixListener;
use std::sync::mpsc::TryRecvError;
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec, poll};

use crate::ipc::{self, ClientMsg, ExitReason, FrameError, ServerMsg};
use crate::pty::{Flood, Output};
use revenant_session::tiling::PaneId;

use super::clients::{Client, ClientId};
use super::mailbox::Mailbox;
use super::{Event, Server};

/// How long output must have stopped before the memory a flood freed is
/// handed back: the chunks the flood thread read were allocated in its own
/// arena, and glibc keeps what was freed there until asked.
const QUIET_BEFORE_TRIM: Duration = Duration::from_secs(1);

/// What a polled descriptor belongs to.
#[derive(Clone, Copy)]
enum Source {
    Mail,
    Listener,
    Client(ClientId),
    /// A client's own terminal, read and written here.
    Tty(ClientId),
    Pty(PaneId),
}

/// Connections that have not said hello yet, at most.
const MAX_SILENT_CLIENTS: usize = 256;

/// How much of a client's input one wake reads at most: a paste of
/// megabytes goes through in turns with the panes' output.
const CLIENT_READ: usize = 256 * 1024;

impl Server {
    /// Waits until something is ready or `until`, and handles it.
    pub(super) fn wait_and_handle(&mut self, listener: &UnixListener, mail: &Mailbox, until: Instant) {
        let mut sources: Vec<(Source, RawFd, PollFlags)> = vec![(Source::Mail, mail.wake.as_raw_fd(), PollFlags::IN)];
        if self.accept_paused_until.is_none_or(|t| Instant::now() >= t) {
            self.accept_paused_until = None;
            sources.push((Source::Listener, listener.as_raw_fd(), PollFlags::IN));
        }
        for (id, client) in &self.clients {
            sources.extend(client.connection_fd().map(|fd| (Source::Client(*id), fd.as_raw_fd(), PollFlags::IN)));
            if let Some((fd, wants_write)) = client.tty_fd() {
                let flags = if wants_write { PollFlags::IN | PollFlags::OUT } else { PollFlags::IN };
                sources.push((Source::Tty(*id), fd.as_raw_fd(), flags));
            }
        }
        for pane in self.session.panes.values().chain(self.session.behind_editor.values()) {
            let fd = pane.io.pty.as_ref().and_then(|p| p.output_fd());
            sources.extend(fd.map(|fd| (Source::Pty(pane.id), fd.as_raw_fd(), PollFlags::IN)));
        }
        let mut ready = {
            // SAFETY: each descriptor is owned by the listener, the mailbox,
            // a client or a pane, and none of them changes during the poll.
            let borrowed: Vec<BorrowedFd> =
                sources.iter().map(|(_, fd, _)| unsafe { BorrowedFd::borrow_raw(*fd) }).collect();
            let mut fds: Vec<PollFd> =
                borrowed.iter().zip(&sources).map(|(fd, (_, _, flags))| PollFd::new(fd, *flags)).collect();
            let wait = until.saturating_duration_since(Instant::now());
            let timeout = Timespec { tv_sec: wait.as_secs() as i64, tv_nsec: wait.subsec_nanos() as i64 };
            match poll(&mut fds, Some(&timeout)) {
                Ok(0) | Err(rustix::io::Errno::INTR) => return,
                Ok(_) => {}
                Err(e) => {
                    tracing::error!("poll failed: {e}");
                    std::thread::sleep(Duration::from_millis(10));
                    return;
                }
            }
            let any = PollFlags::IN | PollFlags::OUT | PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL;
            fds.iter()
                .zip(&sources)
                .filter(|(fd, _)| fd.revents().intersects(any))
                .map(|(_, (s, _, _))| *s)
                .collect::<Vec<_>>()
        };
        // Input first: a key is written before the output that arrived
        // with it is parsed.
        ready.sort_by_key(|s| !matches!(s, Source::Client(_) | Source::Tty(_)));
        for source in ready {
            if self.quit.is_some() {
                return;
            }
            match source {
                Source::Client(id) => self.read_client(id),
                Source::Tty(id) => self.read_client_tty(id),
                Source::Pty(id) => self.read_pty(id),
                Source::Listener => self.accept_clients(listener),
                Source::Mail => self.read_mail(mail),
            }
        }
    }

    /// What other threads posted, in order. Draining stops when a frame is
    /// due, as a flood of output must not hold frames back.
    fn read_mail(&mut self, mail: &Mailbox) {
        let mut counter = [0u8; 8];
        let _ = rustix::io::read(&*mail.wake, &mut counter);
        if let Some(stop) = mail.take_signal() {
            self.handle(stop);
        }
        loop {
            match mail.rx.try_recv() {
                Ok(event) => self.handle(event),
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    self.quit.get_or_insert(ExitReason::SessionEnded);
                    return;
                }
            }
            if self.quit.is_some() || (self.dirty && self.pacer.may_draw(Instant::now())) {
                // The rest is still queued: wake again at once.
                let _ = rustix::io::write(&*mail.wake, &1u64.to_ne_bytes());
                return;
            }
        }
    }

    fn read_pty(&mut self, id: PaneId) {
        let mut buf = std::mem::take(&mut self.read_buf);
        buf.resize(crate::pty::READ_CHUNK, 0);
        let read = self.session.pane_mut_any(id).and_then(|p| p.io.pty.as_mut()).map(|pty| pty.read(&mut buf));
        match read {
            Some(Output::Bytes(n)) => {
                self.pty_output(id, &buf[..n]);
                // Read a flood on a thread, so the program writes while
                // we parse.
                let events = self.events.clone();
                if let Some(pty) = self.session.pane_mut_any(id).and_then(|p| p.io.pty.as_mut())
                    && pty.is_flooding()
                {
                    pty.read_flood(move |f| events.send(Event::Flood(id, f)).is_ok());
                    self.trim_after = None;
                }
            }
            Some(Output::Ended) => self.pty_ended(id),
            Some(Output::Nothing) | None => {}
        }
        self.read_buf = buf;
    }

    /// What a flood thread read, in order.
    pub(super) fn flood(&mut self, id: PaneId, flood: Flood) {
        match flood {
            Flood::Output(bytes) => self.pty_output(id, &bytes),
            Flood::Calm | Flood::Ended => {
                if let Some(pty) = self.session.pane_mut_any(id).and_then(|p| p.io.pty.as_mut()) {
                    pty.flood_over();
                }
                self.trim_after = Some(std::time::Instant::now() + QUIET_BEFORE_TRIM);
                if matches!(flood, Flood::Ended) {
                    self.pty_ended(id);
                }
            }
        }
    }

    /// End of file on pane `id`'s PTY: its exit status follows.
    fn pty_ended(&mut self, id: PaneId) {
        let events = self.events.clone();
        if let Some(pty) = self.session.pane_mut_any(id).and_then(|p| p.io.pty.as_mut()) {
            pty.reap(move |code| {
                let _ = events.send(Event::Exited(id, code));
            });
        }
    }

    fn accept_clients(&mut self, listener: &UnixListener) {
        loop {
            let stream = match listener.accept() {
                Ok((stream, _)) => stream,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
                Err(e) => {
                    // Out of descriptors (EMFILE, ENFILE) the connection
                    // stays queued and the listener readable: free one
                    // held by a connection that never said hello, else
                    // pause the listener.
                    if self.close_oldest_silent() {
                        continue;
                    }
                    tracing::warn!("accept failed: {e}; taking no connection for a second");
                    self.accept_paused_until = Some(Instant::now() + Duration::from_secs(1));
                    return;
                }
            };
            if !ipc::peer_is_same_user(&stream) {
                tracing::warn!("refused a connection from another user");
                continue;
            }
            // Connections that never say hello cost a little each: past a
            // bound the oldest silent one is closed, so that a flood of
            // them neither grows without end nor locks the CLI out.
            if self.clients.values().filter(|c| c.role.is_none()).count() >= MAX_SILENT_CLIENTS {
                tracing::debug!("{MAX_SILENT_CLIENTS} connections have not said hello: closing the oldest");
                self.close_oldest_silent();
            }
            let id = self.next_client;
            self.next_client += 1;
            self.clients.insert(id, Client::new(id, stream));
        }
    }

    /// Closes the oldest connection that has not said hello, if any.
    fn close_oldest_silent(&mut self) -> bool {
        let oldest = self.clients.values().filter(|c| c.role.is_none()).map(|c| c.id).min();
        let closed = oldest.and_then(|id| self.clients.remove(&id));
        closed.map(|c| c.cut()).is_some()
    }

    /// Reads what was typed in a client's own terminal (and writes what
    /// waited for room in it); a terminal that hung up detaches its client.
    fn read_client_tty(&mut self, id: ClientId) {
        let mut events = Vec::new();
        let Some(client) = self.clients.get_mut(&id) else { return };
        let open = client.read_tty(&mut events);
        self.typed(id, events);
        if !open && self.clients.contains_key(&id) {
            tracing::info!(client = id, "the client's terminal went away: detached");
            self.detach(id);
        }
    }

    /// Input held back in clients' terminals whose wait is over.
    pub(super) fn flush_tty_input(&mut self, now: Instant) {
        let due: Vec<ClientId> =
            self.clients.values().filter(|c| c.tty_deadline().is_some_and(|d| now >= d)).map(|c| c.id).collect();
        for id in due {
            let mut events = Vec::new();
            if let Some(client) = self.clients.get_mut(&id) {
                client.flush_tty_input(now, &mut events);
            }
            self.typed(id, events);
        }
    }

    /// The earliest time held-back terminal input is due.
    pub(super) fn tty_input_due(&self) -> Option<Instant> {
        self.clients.values().filter_map(Client::tty_deadline).min()
    }

    fn typed(&mut self, id: ClientId, events: Vec<ipc::InputEvent>) {
        for event in events {
            if !self.clients.contains_key(&id) {
                return;
            }
            self.changed();
            self.client_message(id, ClientMsg::Input(event));
        }
    }

    /// Reads what the client sent and handles each whole message; a client
    /// that hung up or sent garbage is let go.
    fn read_client(&mut self, id: ClientId) {
        let Some(client) = self.clients.get_mut(&id) else { return };
        let (gone, messages) = match client.receive(CLIENT_READ) {
            Ok(0) => (true, Vec::new()),
            Ok(_) => decode_all(client),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => (false, Vec::new()),
            Err(_) => (true, Vec::new()),
        };
        for msg in messages {
            self.changed();
            if !self.clients.contains_key(&id) {
                return;
            }
            self.client_message(id, msg);
        }
        if gone {
            self.handle(Event::Disconnected(id));
        }
    }
}

/// Takes every whole message out of the client's inbox; `true` when the
/// rest cannot be understood and the client must go.
fn decode_all(client: &mut Client) -> (bool, Vec<ClientMsg>) {
    let mut messages = Vec::new();
    let mut at = 0;
    let gone = loop {
        match ipc::decode_frame::<ClientMsg>(&client.inbox[at..]) {
            Ok(Some((msg, used))) => {
                messages.push(msg);
                at += used;
            }
            Ok(None) => break false,
            Err(FrameError::Version { ours, theirs }) => {
                // Answer in our framing; the client checks the version
                // field first, so it reports the mismatch, not garbage.
                let err = FrameError::Version { ours: theirs, theirs: ours };
                client.send(ServerMsg::Exit(ExitReason::Error(err.to_string())));
                break true;
            }
            Err(e) => {
                tracing::debug!(client = client.id, "bad frame: {e}");
                break true;
            }
        }
    };
    client.inbox.drain(..at);
    (gone, messages)
}
