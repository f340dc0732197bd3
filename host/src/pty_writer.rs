//! Input on its way to a pane's program. A write to a PTY blocks while the
//! program does not read (a build, `sleep`, a stopped job, `cat` stuck on
//! its own echo), so the server thread only queues bytes here and a thread
//! of the pane's own writes them as the PTY drains. The queue is bounded:
//! a pane that does not read refuses more input instead of growing without
//! end. Keys and short input go straight in, so that thread only exists
//! while something waits: it starts with the first bytes that do not fit
//! and ends a moment after the queue empties.

use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use revenant_session::InputRefused;
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use rustix::io::Errno;

/// Input a pane may have waiting before it refuses more. tmux takes a 1 MB
/// paste into `sleep` at once; this leaves room for several.
pub const MAX_QUEUED: usize = 8 * 1024 * 1024;

/// One write to the PTY at most this big, so the count of waiting bytes
/// follows the program's reading closely, and the echo of one piece fits
/// in what the PTY buffers towards us.
const PIECE: usize = 4 * 1024;

/// Unread output (the master's read buffer holds 4 KiB) past which the
/// server is behind the PTY and its echo could be held back.
const BEHIND: u64 = 2048;

/// Input this short (a key, a short sequence) goes straight in.
const SMALL: usize = 256;

/// How long one piece waits for the server to catch up with the echo:
/// a pane that floods output all the time still takes input, just slower.
const ECHO_WAIT: std::time::Duration = std::time::Duration::from_millis(20);

/// How often a writer waiting for room looks whether its pane is gone.
const STOP_CHECK: Timespec = Timespec { tv_sec: 0, tv_nsec: 100_000_000 };

/// How long the writer thread waits for more once its queue is empty.
const LINGER: Duration = Duration::from_secs(1);

pub struct PtyWriter {
    shared: Arc<Shared>,
    limit: usize,
}

/// What the pane and its writer thread share.
struct Shared {
    /// For writes that fit at once, straight from the caller: a key then
    /// reaches the program without waking the writer thread.
    fd: OwnedFd,
    /// The running writer thread's queue; `None` while there is none.
    tx: Mutex<Option<Sender<Vec<u8>>>>,
    queued: AtomicUsize,
    broken: Mutex<Option<String>>,
    stop: AtomicBool,
}

impl PtyWriter {
    /// `fd` must be non-blocking: the caller writes through it directly.
    pub fn new(fd: OwnedFd) -> Self {
        Self::with_limit(fd, MAX_QUEUED)
    }

    fn with_limit(fd: OwnedFd, limit: usize) -> Self {
        let shared = Shared {
            fd,
            tx: Mutex::new(None),
            queued: AtomicUsize::new(0),
            broken: Mutex::new(None),
            stop: AtomicBool::new(false),
        };
        PtyWriter { shared: Arc::new(shared), limit }
    }

    /// Hands `bytes` to the writer thread, starting one if none runs.
    fn enqueue(&self, bytes: Vec<u8>) -> std::io::Result<()> {
        let mut tx = self.shared.tx.lock().unwrap_or_else(|p| p.into_inner());
        let bytes = match tx.as_ref() {
            Some(t) => match t.send(bytes) {
                Ok(()) => return Ok(()),
                Err(back) => back.0,
            },
            None => bytes,
        };
        let (new_tx, rx) = channel::<Vec<u8>>();
        let shared = self.shared.clone();
        std::thread::Builder::new().name("pty-writer".into()).spawn(move || write_queue(&shared, &rx))?;
        let _ = new_tx.send(bytes);
        *tx = Some(new_tx);
        Ok(())
    }

    /// Takes `bytes` whole, or refuses them whole: half a key sequence or
    /// half a bracketed paste would be worse than none. What the PTY has
    /// room for is written at once; the rest waits its turn in the queue.
    pub fn push(&self, bytes: &[u8]) -> Result<(), InputRefused> {
        if bytes.is_empty() {
            return Ok(());
        }
        let shared = &*self.shared;
        if let Some(why) = shared.broken.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            return Err(InputRefused::Closed(why));
        }
        let queued = shared.queued.load(Ordering::Acquire);
        if queued + bytes.len() > self.limit {
            return Err(InputRefused::Full { queued, len: bytes.len() });
        }
        let mut rest = bytes;
        // Only with nothing queued: the queue's bytes go first. And not
        // while the echo is behind (the writer thread waits for it); a
        // key's echo cannot fill the buffer, so keys skip the check.
        if queued == 0 && (bytes.len() <= SMALL || !echo_behind(&shared.fd)) {
            match write_some(&shared.fd, bytes) {
                Ok(n) => rest = &bytes[n..],
                Err(e) => {
                    let why = std::io::Error::from(e).to_string();
                    *shared.broken.lock().unwrap_or_else(|p| p.into_inner()) = Some(why.clone());
                    return Err(InputRefused::Closed(why));
                }
            }
            if rest.is_empty() {
                return Ok(());
            }
        }
        shared.queued.fetch_add(rest.len(), Ordering::AcqRel);
        if let Err(e) = self.enqueue(rest.to_vec()) {
            shared.queued.fetch_sub(rest.len(), Ordering::AcqRel);
            return Err(InputRefused::Closed(format!("cannot start the pane's writer: {e}")));
        }
        Ok(())
    }

    /// Bytes accepted but not yet taken by the PTY.
    pub fn queued(&self) -> usize {
        self.shared.queued.load(Ordering::Acquire)
    }

    #[cfg(test)]
    fn is_broken(&self) -> bool {
        self.shared.broken.lock().unwrap().is_some()
    }

    #[cfg(test)]
    fn has_thread(&self) -> bool {
        self.shared.tx.lock().unwrap().is_some()
    }
}

/// The writer thread: writes what is queued as the PTY drains, and ends
/// once nothing came for [`LINGER`] (or the pane is gone, or its PTY).
fn write_queue(shared: &Shared, rx: &Receiver<Vec<u8>>) {
    loop {
        let bytes = match rx.recv_timeout(LINGER) {
            Ok(bytes) => bytes,
            Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {
                // Under the lock no push can be sending to this queue: if
                // it is still empty, the next push starts a new thread.
                let mut tx = shared.tx.lock().unwrap_or_else(|p| p.into_inner());
                match rx.try_recv() {
                    Ok(bytes) => bytes,
                    Err(_) => {
                        *tx = None;
                        return;
                    }
                }
            }
        };
        for piece in bytes.chunks(PIECE) {
            if let Err(e) = write_all(&shared.fd, piece, &shared.stop) {
                *shared.broken.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
                shared.queued.store(0, Ordering::Release);
                return;
            }
            shared.queued.fetch_sub(piece.len(), Ordering::AcqRel);
        }
    }
}

/// What the PTY takes without waiting (nothing when it is full).
fn write_some(fd: &OwnedFd, bytes: &[u8]) -> Result<usize, Errno> {
    loop {
        match rustix::io::write(fd, bytes) {
            Ok(n) => return Ok(n),
            Err(Errno::AGAIN) => return Ok(0),
            Err(Errno::INTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Whether the terminal echoes input and its output is not being read as
/// fast as it comes. Linux echoes into what is left of the PTY's output
/// buffer and holds the rest of the echo back until the next input
/// arrives: a 300 KB paste into `cat` written faster than the server
/// read its echo showed the last few KB only after the next key.
fn echo_behind(fd: &OwnedFd) -> bool {
    // On a PTY master, the terminal modes asked for are the program's side.
    rustix::io::ioctl_fionread(fd).is_ok_and(|n| n >= BEHIND)
        && rustix::termios::tcgetattr(fd).is_ok_and(|t| t.local_modes.contains(rustix::termios::LocalModes::ECHO))
}

/// Waits (a while at most) until the server has read the echo so far.
fn wait_for_echo(fd: &OwnedFd, stop: &AtomicBool) {
    let deadline = std::time::Instant::now() + ECHO_WAIT;
    while echo_behind(fd) && std::time::Instant::now() < deadline && !stop.load(Ordering::Acquire) {
        std::thread::sleep(std::time::Duration::from_micros(500));
    }
}

/// Writes `bytes` as the PTY drains; gives up quietly once `stop` is set
/// (the pane is gone) while the program still does not read.
fn write_all(fd: &OwnedFd, mut bytes: &[u8], stop: &AtomicBool) -> std::io::Result<()> {
    wait_for_echo(fd, stop);
    while !bytes.is_empty() {
        let n = write_some(fd, bytes)?;
        bytes = &bytes[n..];
        if n == 0 {
            if stop.load(Ordering::Acquire) {
                return Ok(());
            }
            let mut fds = [PollFd::new(fd, PollFlags::OUT)];
            match poll(&mut fds, Some(&STOP_CHECK)) {
                Ok(_) | Err(Errno::INTR) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}

impl Drop for PtyWriter {
    /// The thread ends once what is queued is written, or soon after when
    /// the program does not read it (or at once when the PTY is gone).
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        self.shared.tx.lock().unwrap_or_else(|p| p.into_inner()).take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::os::unix::net::UnixStream;
    use std::time::{Duration, Instant};

    fn fd(s: UnixStream) -> OwnedFd {
        s.set_nonblocking(true).unwrap();
        OwnedFd::from(s)
    }

    fn wait_until(what: impl Fn() -> bool) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if what() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        false
    }

    #[test]
    fn push_never_blocks_on_a_reader_that_does_not_read_and_refuses_past_the_limit() {
        // A socket pair stands in for a PTY whose program does not read.
        let (ours, mut theirs) = UnixStream::pair().unwrap();
        let writer = PtyWriter::with_limit(fd(ours), 4 * 1024 * 1024);
        let started = Instant::now();
        let mut accepted = 0;
        let refused = loop {
            match writer.push(&[b'x'; 64 * 1024]) {
                Ok(()) => accepted += 64 * 1024,
                Err(e) => break e,
            }
            assert!(accepted <= 8 * 1024 * 1024, "the queue is not bounded");
        };
        assert!(started.elapsed() < Duration::from_secs(2), "push waited on the reader");
        assert!(matches!(refused, InputRefused::Full { len: 65536, .. }), "{refused:?}");
        // Once the program reads, everything accepted arrives, in order and
        // whole, and the queue empties.
        let mut got = vec![0u8; accepted];
        theirs.read_exact(&mut got).unwrap();
        assert!(got.iter().all(|b| *b == b'x'));
        assert!(wait_until(|| writer.queued() == 0));
        writer.push(b"after").unwrap();
    }

    #[test]
    fn order_is_kept_across_pushes() {
        let (ours, mut theirs) = UnixStream::pair().unwrap();
        let writer = PtyWriter::new(fd(ours));
        let mut expected = Vec::new();
        for i in 0..200u32 {
            let piece = format!("{i},").repeat((i as usize % 7) * 1000 + 1);
            writer.push(piece.as_bytes()).unwrap();
            expected.extend_from_slice(piece.as_bytes());
        }
        let mut got = vec![0u8; expected.len()];
        theirs.read_exact(&mut got).unwrap();
        assert_eq!(got, expected);
    }

    #[test]
    fn a_paste_into_cat_arrives_whole_and_echoes_to_a_reader_slower_than_cat() {
        use portable_pty::{CommandBuilder, PtySize, native_pty_system};
        use std::os::fd::BorrowedFd;
        let pair = native_pty_system().openpty(PtySize::default()).unwrap();
        // `cat` reads its input as fast as it comes (the terminal is in its
        // default mode: lines, echo) and keeps it, to check it came whole.
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("pasted");
        let mut cat = CommandBuilder::new("sh");
        cat.args(["-c", &format!("exec cat >'{}'", kept.display())]);
        let mut child = pair.slave.spawn_command(cat).unwrap();
        drop(pair.slave);
        let master = pair.master.as_raw_fd().unwrap();
        // SAFETY: `pair.master` owns the descriptor for the whole test.
        let master = unsafe { BorrowedFd::borrow_raw(master) };
        rustix::io::ioctl_fionbio(master, true).unwrap();
        let writer = PtyWriter::new(rustix::io::fcntl_dupfd_cloexec(master, 0).unwrap());
        let line = format!("{}\n", "a".repeat(99));
        let paste = line.repeat(3000);
        for piece in paste.as_bytes().chunks(32 * 1024) {
            writer.push(piece).unwrap();
        }
        // The server, reading a little at a time: the echo (each newline
        // comes back as CR LF) must all arrive without another key.
        let expected = paste.len() + 3000;
        let (mut got, mut buf) = (0, [0u8; 1500]);
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut quiet_since = Instant::now();
        while got < expected && Instant::now() < deadline && quiet_since.elapsed() < Duration::from_secs(2) {
            match rustix::io::read(master, &mut buf) {
                Ok(n) if n > 0 => {
                    got += n;
                    quiet_since = Instant::now();
                }
                _ => {}
            }
            std::thread::sleep(Duration::from_micros(300));
        }
        // Every byte reached the program...
        let delivered = || std::fs::metadata(&kept).map(|m| m.len() as usize).unwrap_or(0);
        while delivered() < paste.len() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = child.kill();
        assert_eq!(delivered(), paste.len(), "the paste stopped short");
        // ...and the echo went on to the end, not waiting for another key.
        // Not every byte of it: the kernel keeps echoes that do not fit the
        // reader's side in a 4 KiB ring (n_tty's echo buffer) and overwrites
        // the oldest while the reader lags, so under load some are lost
        // (3 734 bytes in one CI run). A paste that stalled would leave most
        // of it behind.
        assert!(got >= expected * 9 / 10, "the echo stopped short: {got} of {expected}");
    }

    #[test]
    fn the_thread_comes_with_a_queue_and_goes_after_it() {
        let (ours, mut theirs) = UnixStream::pair().unwrap();
        let writer = PtyWriter::new(fd(ours));
        writer.push(b"key").unwrap();
        assert!(!writer.has_thread(), "a key that fits needs no thread");
        let big = vec![b'y'; 1 << 20];
        writer.push(&big).unwrap();
        assert!(writer.has_thread());
        let mut got = vec![0u8; big.len() + 3];
        theirs.read_exact(&mut got).unwrap();
        assert!(wait_until(|| !writer.has_thread()), "the thread stayed after its queue emptied");
        // A new queue starts a new thread, after the old one's bytes.
        writer.push(&big).unwrap();
        writer.push(b"end").unwrap();
        let mut again = vec![0u8; big.len() + 3];
        theirs.read_exact(&mut again).unwrap();
        assert_eq!(&again[big.len()..], b"end");
    }

    #[test]
    fn a_closed_pty_is_reported_not_queued_forever() {
        let (ours, theirs) = UnixStream::pair().unwrap();
        let writer = PtyWriter::new(fd(ours));
        drop(theirs);
        let _ = writer.push(b"lost");
        assert!(wait_until(|| writer.is_broken()));
        assert!(matches!(writer.push(b"more"), Err(InputRefused::Closed(_))));
        assert_eq!(writer.queued(), 0);
    }
}
