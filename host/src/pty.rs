//! Child processes on pseudo-terminals. Each pane's PTY has one thread that
//! reads its output and, at end of file, reaps the child, so the exit status
//! always arrives after the last output.

use std::io::{self, Read};
use std::path::PathBuf;

use crate::pty_writer::{InputRefused, PtyWriter};

use portable_pty::{Child, ChildKiller, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// What to run in a pane.
#[derive(Debug, Clone, Default)]
pub struct PtySpec {
    /// Program and arguments; empty runs the shell.
    pub argv: Vec<String>,
    pub shell: String,
    pub cwd: Option<PathBuf>,
    pub env: Vec<(String, String)>,
    pub cols: u16,
    pub rows: u16,
}

/// What a PTY's reader thread reports.
pub enum PtyEvent {
    Output(Vec<u8>),
    /// The child exited: its exit code, or `None` when killed by a signal.
    Exited(Option<i32>),
}

pub struct Pty {
    master: Box<dyn MasterPty + Send>,
    writer: PtyWriter,
    killer: Box<dyn ChildKiller + Send + Sync>,
    pid: Option<u32>,
}

/// The largest single read: big enough that `cat` of a large file costs few
/// channel sends, small enough that a frame is never far behind.
const READ_CHUNK: usize = 64 * 1024;

impl Pty {
    /// Starts `spec` and a reader thread that hands its events to `sink`
    /// (which returns false once nobody listens any more).
    pub fn spawn(spec: &PtySpec, sink: impl Fn(PtyEvent) -> bool + Send + 'static) -> io::Result<Pty> {
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
        let mut child = pair
            .slave
            .spawn_command(cmd)
            .map_err(|e| io::Error::other(format!("cannot start {}: {e}", spec.argv.first().unwrap_or(&spec.shell))))?;
        // The slave end belongs to the child now; holding it open here would
        // keep the reader from ever seeing end of file.
        drop(pair.slave);
        let pid = child.process_id();
        let killer = child.clone_killer();
        let mut reader = pair.master.try_clone_reader().map_err(io::Error::other)?;
        let writer = PtyWriter::spawn(pair.master.take_writer().map_err(io::Error::other)?)?;
        std::thread::Builder::new().name("pty-reader".into()).spawn(move || {
            let mut buf = vec![0u8; READ_CHUNK];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        if !sink(PtyEvent::Output(buf[..n].to_vec())) {
                            break;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                }
            }
            let code = wait_exit_code(&mut child);
            sink(PtyEvent::Exited(code));
        })?;
        Ok(Pty { master: pair.master, writer, killer, pid })
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

fn wait_exit_code(child: &mut Box<dyn Child + Send + Sync>) -> Option<i32> {
    match child.wait() {
        Ok(status) if status.signal().is_some() => None,
        Ok(status) => Some(status.exit_code() as i32),
        Err(_) => None,
    }
}
