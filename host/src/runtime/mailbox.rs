//! The server thread's mailbox: every other thread posts its [`Event`]s
//! here, and an eventfd in the server's poll wakes it to read them.

use std::os::fd::OwnedFd;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use rustix::event::{EventfdFlags, eventfd};

use super::Event;

/// Events from other threads wait here; an eventfd wakes the poll.
pub(crate) struct Mailbox {
    pub(super) rx: Receiver<Event>,
    pub(super) wake: Arc<OwnedFd>,
}

/// Posts to the server thread's [`Mailbox`].
#[derive(Clone)]
pub(crate) struct EventSender {
    tx: SyncSender<Event>,
    wake: Arc<OwnedFd>,
}

impl EventSender {
    /// Waits while the mailbox is full: the server thread is behind, and
    /// the sender's work (a plugin, a replay) can wait for it.
    /// `Err`: the server thread is gone (the event is dropped with it).
    pub fn send(&self, event: Event) -> Result<(), ServerGone> {
        self.tx.send(event).map_err(|_| ServerGone)?;
        // A full counter (never, in practice) already means "wake up".
        let _ = rustix::io::write(&*self.wake, &1u64.to_ne_bytes());
        Ok(())
    }
}

#[derive(Debug)]
pub(crate) struct ServerGone;

pub(crate) fn mailbox() -> std::io::Result<(EventSender, Mailbox)> {
    let wake = Arc::new(eventfd(0, EventfdFlags::NONBLOCK | EventfdFlags::CLOEXEC)?);
    let (tx, rx) = sync_channel(64);
    Ok((EventSender { tx, wake: wake.clone() }, Mailbox { rx, wake }))
}
