//! The server thread's mailbox: every other thread posts its [`Event`]s
//! here, and an eventfd in the server's poll wakes it to read them. A
//! stopping signal wakes it the same way, from its handler, so no thread
//! waits for signals alone.

use std::os::fd::OwnedFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use rustix::event::{EventfdFlags, eventfd};

use super::Event;

/// Events from other threads wait here; an eventfd wakes the poll.
pub(crate) struct Mailbox {
    pub(super) rx: Receiver<Event>,
    pub(super) wake: Arc<OwnedFd>,
    /// The last stopping signal received, 0 for none.
    signal: Arc<AtomicI32>,
}

impl Mailbox {
    /// Makes `signals` wake the poll: the handler notes the signal and
    /// writes the eventfd, both of which are safe in a signal handler.
    pub(super) fn watch_signals(&self, signals: &[i32]) -> std::io::Result<()> {
        for &sig in signals {
            let (flag, wake) = (self.signal.clone(), self.wake.clone());
            // SAFETY: the handler only stores to an atomic and makes one
            // write(2), both async-signal-safe; it allocates and locks
            // nothing.
            unsafe {
                signal_hook::low_level::register(sig, move || {
                    flag.store(sig, Ordering::SeqCst);
                    let _ = rustix::io::write(&*wake, &1u64.to_ne_bytes());
                })
            }?;
        }
        Ok(())
    }

    /// A stopping signal received since the last call, as an event.
    pub(super) fn take_signal(&self) -> Option<Event> {
        match self.signal.swap(0, Ordering::SeqCst) {
            0 => None,
            sig => Some(Event::Terminate(sig)),
        }
    }
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
    Ok((EventSender { tx, wake: wake.clone() }, Mailbox { rx, wake, signal: Arc::new(AtomicI32::new(0)) }))
}
