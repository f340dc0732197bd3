//! Child processes on pseudo-terminals. The server thread reads each PTY
//! itself, without waiting (its descriptor is non-blocking and in the
//! server's poll set): a reader thread per pane cost a thread hop on every
//! echoed key. At end of file a thread reaps the child, so the exit status
//! always arrives after the last output.
//!
//! A flood (`cat` of a big file) is read on a thread instead, for as long as
//! it lasts: reading and parsing on one thread made `cat` wait while each
//! chunk was parsed, and halved throughput. The thread reads ahead into the
//! server's mailbox and hands reading back once the output pauses.

use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::Arc;

use rustix::event::{PollFd, PollFlags, Timespec, poll};
use rustix::io::Errno;

use revenant_session::{InputRefused, Launch};

use crate::pty_writer::PtyWriter;

use portable_pty::{Child, ChildKiller, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// What one read of a PTY's output found.
pub enum Output {
    /// This many bytes.
    Bytes(usize),
    /// Nothing yet.
    Nothing,
    /// End of file: the program and everything it started have closed the
    /// terminal. [`Pty::reap`] then reports the exit status.
    Ended,
}

pub struct Pty {
    master: Box<dyn MasterPty + Send>,
    /// A non-blocking copy of the master, for reading.
    output: Arc<OwnedFd>,
    /// A flood is being read on a thread: the server must not read too.
    on_thread: bool,
    /// Bytes read since `burst_start`, to tell a flood from a redraw.
    burst: usize,
    burst_start: std::time::Instant,
    /// Until end of file: then it goes to the thread that reaps it.
    child: Option<Box<dyn Child + Send + Sync>>,
    writer: PtyWriter,
    killer: Box<dyn ChildKiller + Send + Sync>,
    pid: Option<u32>,
}

/// What a flood thread reports, in order.
pub enum Flood {
    Output(Vec<u8>),
    /// No output for [`CALM`]: the server reads the PTY itself again.
    Calm,
    /// End of file.
    Ended,
}

/// A full-screen redraw of a big terminal is a few tens of kilobytes; a
/// flood is more, and keeps coming.
/// A read shorter than this emptied the PTY's buffer (a read returns up
/// to 4 KiB): the output of a key or a prompt takes one system call.
const DRAINED: usize = 2048;

const FLOOD_BYTES: usize = 64 * 1024;
const BURST_WINDOW: std::time::Duration = std::time::Duration::from_millis(10);

/// How long output must pause for a flood to be over.
const CALM: Timespec = Timespec { tv_sec: 0, tv_nsec: 5_000_000 };

/// The largest single read: big enough that `cat` of a large file costs few
/// reads, small enough that a frame is never far behind.
pub const READ_CHUNK: usize = 64 * 1024;

impl Pty {
    /// Starts `spec` on a new PTY.
    pub fn spawn(spec: &Launch) -> io::Result<Pty> {
        let pair = native_pty_system()
            .openpty(PtySize { rows: spec.rows.max(1), cols: spec.cols.max(1), pixel_width: 0, pixel_height: 0 })
            .map_err(io::Error::other)?;
        let mut cmd = match spec.argv.split_first() {
            Some((program, args)) => {
                let mut c = CommandBuilder::new(program);
                c.args(args);
                c
            }
            None => CommandBuilder::new(&spec.shell),
        };
        if let Some(cwd) = spec.cwd.as_ref().filter(|d| d.is_dir()) {
            cmd.cwd(cwd);
        } else if let Ok(home) = std::env::var("HOME") {
            cmd.cwd(home);
        }
        for (k, v) in &spec.env {
            cmd.env(k, v);
        }
        let child = pair
            .slave
            .spawn_command(cmd)
            .map_err(|e| io::Error::other(format!("cannot start {}: {e}", spec.argv.first().unwrap_or(&spec.shell))))?;
        // The slave end belongs to the child now; holding it open here would
        // keep the reader from ever seeing end of file.
        drop(pair.slave);
        let pid = child.process_id();
        let killer = child.clone_killer();
        let master = pair.master.as_raw_fd().ok_or_else(|| io::Error::other("the PTY has no file descriptor"))?;
        // SAFETY: `pair.master` owns the descriptor and outlives this borrow.
        let master = unsafe { BorrowedFd::borrow_raw(master) };
        // Non-blocking for every copy (they share one open file): the
        // server thread writes input straight in when there is room, and
        // must never wait for it.
        rustix::io::ioctl_fionbio(master, true)?;
        let output = Arc::new(rustix::io::fcntl_dupfd_cloexec(master, 0)?);
        let writer = PtyWriter::new(rustix::io::fcntl_dupfd_cloexec(master, 0)?);
        Ok(Pty {
            master: pair.master,
            output,
            on_thread: false,
            burst: 0,
            burst_start: std::time::Instant::now(),
            child: Some(child),
            writer,
            killer,
            pid,
        })
    }

    /// The descriptor to poll for output; `None` after end of file and
    /// while a flood is read on a thread.
    pub fn output_fd(&self) -> Option<BorrowedFd<'_>> {
        (self.child.is_some() && !self.on_thread).then(|| self.output.as_fd())
    }

    /// Whether output comes faster than a screen redraw: more than
    /// [`FLOOD_BYTES`] within [`BURST_WINDOW`]: one read cannot tell a flood
    /// from a redraw.
    pub fn is_flooding(&self) -> bool {
        self.burst >= FLOOD_BYTES
    }

    /// Output keeps coming: read it on a thread that hands `sink` each
    /// chunk (`sink` says false once nobody listens), then [`Flood::Calm`]
    /// once the output pauses, or [`Flood::Ended`] at end of file. Until
    /// [`Pty::flood_over`], [`Pty::output_fd`] is `None`.
    pub fn read_flood(&mut self, sink: impl Fn(Flood) -> bool + Send + 'static) {
        if self.on_thread || self.child.is_none() {
            return;
        }
        let fd = self.output.clone();
        let spawned = std::thread::Builder::new().name("pty-flood".into()).spawn(move || {
            let mut buf = vec![0u8; READ_CHUNK];
            // A read returns 4 KiB at most: reads are gathered until the
            // chunk is full or the PTY is empty, so the server wakes once
            // per chunk rather than once per read.
            let mut filled = 0;
            let last = loop {
                match rustix::io::read(&*fd, &mut buf[filled..]) {
                    Ok(0) => break Flood::Ended,
                    Ok(n) => {
                        filled += n;
                        if filled == buf.len() {
                            if !sink(Flood::Output(buf[..filled].to_vec())) {
                                return;
                            }
                            filled = 0;
                        }
                    }
                    Err(Errno::AGAIN) if filled > 0 => {
                        if !sink(Flood::Output(buf[..filled].to_vec())) {
                            return;
                        }
                        filled = 0;
                    }
                    Err(Errno::AGAIN) => {
                        let mut fds = [PollFd::new(&*fd, PollFlags::IN)];
                        if matches!(poll(&mut fds, Some(&CALM)), Ok(0)) {
                            break Flood::Calm;
                        }
                    }
                    Err(Errno::INTR) => {}
                    Err(_) => break Flood::Ended,
                }
            };
            if filled > 0 && !sink(Flood::Output(buf[..filled].to_vec())) {
                return;
            }
            sink(last);
        });
        match spawned {
            Ok(_) => self.on_thread = true,
            Err(e) => tracing::warn!("cannot start a thread to read a flood of output: {e}"),
        }
    }

    /// The flood thread's last report arrived: the server reads again.
    pub fn flood_over(&mut self) {
        self.on_thread = false;
        self.burst = 0;
    }

    /// Reads what output is there, without waiting (see [`DRAINED`]).
    pub fn read(&mut self, buf: &mut [u8]) -> Output {
        if self.child.is_none() {
            return Output::Ended;
        }
        if self.on_thread {
            return Output::Nothing;
        }
        // A read returns 4 KiB at most: read on while there is more, so
        // one wakeup drains what a fast writer left rather than a sliver.
        // A short read drained the buffer: asking again would only cost a
        // system call on the way of every echo (poll tells when more comes).
        let mut filled = 0;
        let end = loop {
            if filled == buf.len() {
                break None;
            }
            match rustix::io::read(&self.output, &mut buf[filled..]) {
                Ok(0) => break Some(Output::Ended),
                Ok(n) if n < DRAINED => {
                    filled += n;
                    break None;
                }
                Ok(n) => filled += n,
                Err(Errno::AGAIN) => break Some(Output::Nothing),
                Err(Errno::INTR) => continue,
                // EIO: every copy of the other end is closed.
                Err(_) => break Some(Output::Ended),
            }
        };
        if filled == 0 {
            return end.unwrap_or(Output::Nothing);
        }
        // End of file after some bytes is seen again by the next read.
        let now = std::time::Instant::now();
        if now.duration_since(self.burst_start) > BURST_WINDOW {
            (self.burst, self.burst_start) = (0, now);
        }
        self.burst += filled;
        Output::Bytes(filled)
    }

    /// After end of file: waits for the child on a thread of its own and
    /// hands `report` its exit code (`None` when a signal killed it).
    pub fn reap(&mut self, report: impl FnOnce(Option<i32>) + Send + 'static) {
        let Some(mut child) = self.child.take() else { return };
        let spawned = std::thread::Builder::new().name("pty-reaper".into()).spawn(move || {
            report(wait_exit_code(&mut child));
        });
        if let Err(e) = spawned {
            tracing::warn!("cannot start a thread to wait for a pane's program: {e}");
        }
    }

    /// Queues input for the program; never waits for it to read.
    pub fn write(&self, bytes: &[u8]) -> Result<(), InputRefused> {
        self.writer.push(bytes)
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        let _ = self.master.resize(PtySize { rows: rows.max(1), cols: cols.max(1), pixel_width: 0, pixel_height: 0 });
    }

    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// The process group in the terminal's foreground: the command the user
    /// is running, or the shell itself at its prompt.
    pub fn foreground_pid(&self) -> Option<u32> {
        self.master.process_group_leader().and_then(|p| u32::try_from(p).ok())
    }

    pub fn kill(&mut self) {
        let _ = self.killer.kill();
    }
}

impl Drop for Pty {
    /// A pane closed before its program closed the terminal: the child is
    /// still waited for, so it does not stay a zombie.
    fn drop(&mut self) {
        self.reap(|_| {});
    }
}

fn wait_exit_code(child: &mut Box<dyn Child + Send + Sync>) -> Option<i32> {
    match child.wait() {
        Ok(status) if status.signal().is_some() => None,
        Ok(status) => Some(status.exit_code() as i32),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;
    use std::time::{Duration, Instant};

    /// The server's side of a flood: direct reads until it floods, the
    /// thread until it calms, direct reads again. Every byte arrives once,
    /// in order, and the exit status after the last of them.
    #[test]
    fn a_flood_handed_to_a_thread_and_back_loses_and_reorders_nothing() {
        let spec = Launch {
            argv: vec!["sh".into(), "-c".into(), "seq 1 200000; sleep 0.2; seq 200001 200100".into()],
            shell: "/bin/sh".into(),
            cols: 80,
            rows: 24,
            ..Launch::default()
        };
        let mut pty = Pty::spawn(&spec).unwrap();
        let (tx, rx) = channel();
        let mut got = Vec::new();
        let mut buf = vec![0u8; READ_CHUNK];
        let mut floods = 0;
        let deadline = Instant::now() + Duration::from_secs(30);
        'outer: while Instant::now() < deadline {
            match pty.read(&mut buf) {
                Output::Bytes(n) => got.extend_from_slice(&buf[..n]),
                Output::Ended => break,
                Output::Nothing if pty.on_thread => {}
                Output::Nothing => std::thread::sleep(Duration::from_micros(200)),
            }
            if pty.is_flooding() && !pty.on_thread {
                floods += 1;
                let tx = tx.clone();
                pty.read_flood(move |f| tx.send(f).is_ok());
            }
            while pty.on_thread {
                match rx.recv_timeout(Duration::from_secs(10)).expect("the flood thread went quiet") {
                    Flood::Output(bytes) => got.extend_from_slice(&bytes),
                    Flood::Calm => pty.flood_over(),
                    Flood::Ended => break 'outer,
                }
            }
        }
        assert!(floods >= 1, "200 000 lines never counted as a flood");
        let text = String::from_utf8(got).unwrap().replace("\r\n", "\n");
        let expected: String = (1..=200_100).map(|i| format!("{i}\n")).collect();
        assert!(text == expected, "output lost or reordered ({} bytes, {} expected)", text.len(), expected.len());
    }
}
