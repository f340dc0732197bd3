//! A local client's terminal, read and written by the server itself.
//!
//! Relaying through the client process cost two process hops on every
//! echoed key (terminal → client → server, server → client → terminal).
//! tmux has its client pass its terminal to the server; so does ours, over
//! the socket with its hello, and the client then only watches for
//! signals. The server reopens the terminal as a file of its own: the
//! descriptor passed shares its non-blocking flag with the user's shell,
//! which must never find its terminal non-blocking after we are gone.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::time::Instant;

use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;

use crate::input_decoder::InputDecoder;
use crate::ipc::InputEvent;

/// Output the terminal has not taken yet, past which the client counts as
/// not reading (its frames are dropped and it is drawn whole again later).
const MAX_PENDING: usize = 4 << 20;

#[derive(Debug, thiserror::Error)]
pub enum TtyError {
    #[error("the descriptor passed is not a terminal")]
    NotATerminal,
    #[error("cannot open the terminal passed: {0}")]
    Open(#[source] std::io::Error),
}

pub struct ClientTty {
    fd: OwnedFd,
    /// What the terminal had no room for yet, in order.
    pending: Vec<u8>,
    decoder: InputDecoder,
    last_read: Instant,
}

/// What reading the terminal gave.
pub enum TtyRead {
    Open,
    /// Hung up or gone: the client is detached.
    Closed,
}

impl ClientTty {
    /// Opens the terminal `passed` refers to as a new open file.
    pub fn open(passed: OwnedFd) -> Result<ClientTty, TtyError> {
        if !rustix::termios::isatty(&passed) {
            return Err(TtyError::NotATerminal);
        }
        let path = format!("/proc/self/fd/{}", passed.as_raw_fd());
        let flags = OFlags::RDWR | OFlags::NOCTTY | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let fd = rustix::fs::open(path.as_str(), flags, Mode::empty()).map_err(|e| TtyError::Open(e.into()))?;
        let same = |a: &OwnedFd, b: &OwnedFd| matches!((rustix::fs::fstat(a), rustix::fs::fstat(b)), (Ok(x), Ok(y)) if x.st_rdev == y.st_rdev);
        if !rustix::termios::isatty(&fd) || !same(&fd, &passed) {
            return Err(TtyError::NotATerminal);
        }
        Ok(ClientTty { fd, pending: Vec::new(), decoder: InputDecoder::default(), last_read: Instant::now() })
    }

    pub fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }

    /// Whether output waits for room (poll for it).
    pub fn wants_write(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Writes what the terminal takes now and keeps the rest; false (and
    /// nothing kept) when too much is waiting already.
    pub fn write(&mut self, bytes: &[u8]) -> bool {
        if self.pending.is_empty() {
            let n = write_some(&self.fd, bytes);
            if n < bytes.len() {
                self.pending.extend_from_slice(&bytes[n..]);
            }
            return true;
        }
        if self.pending.len() + bytes.len() > MAX_PENDING {
            return false;
        }
        self.pending.extend_from_slice(bytes);
        self.flush();
        true
    }

    /// Writes what is waiting, as far as there is room.
    pub fn flush(&mut self) {
        let n = write_some(&self.fd, &self.pending);
        self.pending.drain(..n);
    }

    /// Reads what was typed and decodes it into `out`.
    pub fn read(&mut self, out: &mut Vec<InputEvent>) -> TtyRead {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match rustix::io::read(&self.fd, &mut buf) {
                Ok(0) => return TtyRead::Closed,
                Ok(n) => {
                    self.last_read = Instant::now();
                    self.decoder.feed(&buf[..n], out);
                    if n < buf.len() {
                        return TtyRead::Open;
                    }
                }
                Err(Errno::INTR) => {}
                Err(Errno::AGAIN) => return TtyRead::Open,
                Err(_) => return TtyRead::Closed,
            }
        }
    }

    /// When bytes held back (a cut-off sequence, an unended paste) are to
    /// be taken as they are.
    pub fn deadline(&self) -> Option<Instant> {
        self.decoder.wait().map(|wait| self.last_read + wait)
    }

    /// Takes held-back bytes as they are once their wait is over.
    pub fn flush_input_if_due(&mut self, now: Instant, out: &mut Vec<InputEvent>) {
        if self.deadline().is_some_and(|due| now >= due) {
            self.decoder.flush(out);
        }
    }
}

impl Drop for ClientTty {
    /// A last try at what is waiting; cut short, it would leave an escape
    /// sequence open, so CAN ends whatever sequence the terminal is in.
    fn drop(&mut self) {
        if !self.pending.is_empty() {
            self.flush();
            if !self.pending.is_empty() {
                let _ = write_some(&self.fd, b"\x18");
            }
        }
    }
}

/// As much of `bytes` as the terminal takes without waiting.
fn write_some(fd: &OwnedFd, bytes: &[u8]) -> usize {
    let mut done = 0;
    while done < bytes.len() {
        match rustix::io::write(fd, &bytes[done..]) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(Errno::INTR) => {}
            Err(_) => break,
        }
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;
    use portable_pty::{PtySize, native_pty_system};

    fn pty() -> (Box<dyn portable_pty::MasterPty + Send>, OwnedFd) {
        let pair = native_pty_system().openpty(PtySize::default()).unwrap();
        let slave = pair.slave;
        // The slave's descriptor, as a client would pass its stdin.
        let name = pair.master.tty_name().expect("a named terminal");
        drop(slave);
        let fd = rustix::fs::open(&name, OFlags::RDWR | OFlags::NOCTTY, Mode::empty()).unwrap();
        // Raw, as the client leaves its terminal: keys come one by one.
        let mut modes = rustix::termios::tcgetattr(&fd).unwrap();
        modes.make_raw();
        rustix::termios::tcsetattr(&fd, rustix::termios::OptionalActions::Now, &modes).unwrap();
        (pair.master, fd)
    }

    #[test]
    fn keys_typed_arrive_decoded_and_frames_reach_the_terminal() {
        let (master, passed) = pty();
        let mut tty = ClientTty::open(passed).unwrap();
        let mut to_tty = master.take_writer().unwrap();
        std::io::Write::write_all(&mut to_tty, b"a\x1b[A").unwrap();
        let mut events = Vec::new();
        let deadline = Instant::now() + std::time::Duration::from_secs(5);
        while events.len() < 2 && Instant::now() < deadline {
            assert!(matches!(tty.read(&mut events), TtyRead::Open));
        }
        assert_eq!(events.len(), 2, "{events:?}");
        assert!(tty.write(b"frame"));
        let mut from_tty = master.try_clone_reader().unwrap();
        let mut got = [0u8; 5];
        std::io::Read::read_exact(&mut from_tty, &mut got).unwrap();
        assert_eq!(&got, b"frame");
    }

    #[test]
    fn the_passed_descriptor_keeps_its_blocking_mode() {
        let (_master, passed) = pty();
        let copy = rustix::io::fcntl_dupfd_cloexec(&passed, 0).unwrap();
        let _tty = ClientTty::open(passed).unwrap();
        let flags = rustix::fs::fcntl_getfl(&copy).unwrap();
        assert!(!flags.contains(OFlags::NONBLOCK), "the user's terminal was made non-blocking");
    }

    #[test]
    fn a_descriptor_that_is_not_a_terminal_is_refused() {
        let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
        assert!(matches!(ClientTty::open(OwnedFd::from(a)), Err(TtyError::NotATerminal)));
    }

    #[test]
    fn an_escape_alone_in_a_sequence_waits_then_is_taken_as_typed() {
        let (master, passed) = pty();
        let mut tty = ClientTty::open(passed).unwrap();
        let mut to_tty = master.take_writer().unwrap();
        std::io::Write::write_all(&mut to_tty, b"\x1b[1;").unwrap();
        let mut events = Vec::new();
        let deadline = Instant::now() + std::time::Duration::from_secs(5);
        while tty.deadline().is_none() && Instant::now() < deadline {
            tty.read(&mut events);
        }
        let due = tty.deadline().expect("held back");
        tty.flush_input_if_due(due - std::time::Duration::from_millis(5), &mut events);
        assert!(events.is_empty());
        tty.flush_input_if_due(due, &mut events);
        assert!(!events.is_empty());
    }
}
