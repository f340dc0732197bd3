//! Keystroke-to-echo latency, as a person at the outer terminal feels it:
//! a key is written to the terminal the client runs in, and the clock runs
//! until that letter comes back out of it. The focused pane runs `sleep`,
//! so the kernel echoes and no program's own speed is measured. The raw
//! PTY (no multiplexer) is the floor; each multiplexer is measured idle and
//! with `yes` running in a second pane of the same tab.

use std::io::{Read, Write};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use crate::muxes::{COLS, Mux, ROWS};
use crate::table::Goal;
use crate::table::Table;

const KEYS: usize = 100;
/// Typed keys are distinct within a run of this many; the line is then
/// killed (Ctrl-u), so that a letter already on screen never stands for
/// the one just typed.
const RUN: usize = 40;
/// No 'y' or 'Y' (the load pane prints y), no digits (clocks and cursor
/// positions), nothing an escape sequence leaves behind once stripped.
const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxzABCDEFGHIJKLMNOPQRSTUVWXZ!#%&*+,-./:=@^_~";
const ECHO_TIMEOUT: Duration = Duration::from_secs(3);

pub fn rows(muxes: &[&dyn Mux], table: &mut Table) -> Result<()> {
    println!("== latency: {KEYS} keys typed one at a time into `sleep`, {COLS}x{ROWS} terminal, time to their echo");
    for load in [false, true] {
        let scenario = if load { "with `yes` in a second pane" } else { "idle" };
        println!("-- {scenario}");
        let raw = summarize("raw PTY", raw_pty(load))?;
        let mut stats = Vec::new();
        for m in muxes {
            stats.push(summarize(m.name(), through_mux(*m, load)).ok());
        }
        let ms = |s: f64| format!("{s:.2} ms");
        for (what, pick) in [("median", 0), ("p95", 1), ("max", 2)] {
            let values: Vec<Option<f64>> = stats.iter().map(|s| s.map(|s: [f64; 3]| s[pick])).collect();
            table.row_with_raw(&format!("key to echo, {scenario}, {what}"), &values, raw[pick], ms, Goal::None);
        }
    }
    Ok(())
}

/// [median, p95, max] in milliseconds, printed as they come.
fn summarize(name: &str, samples: Result<Vec<Duration>>) -> Result<[f64; 3]> {
    let mut ms: Vec<f64> = match samples {
        Ok(s) => s.iter().map(|d| d.as_secs_f64() * 1000.0).collect(),
        Err(e) => {
            println!("{name:<9} failed: {e:#}");
            return Err(e);
        }
    };
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    let out = [at(0.5), at(0.95), ms[ms.len() - 1]];
    println!("{name:<9} median {:.2} ms, p95 {:.2} ms, max {:.2} ms", out[0], out[1], out[2]);
    Ok(out)
}

fn raw_pty(load: bool) -> Result<Vec<Duration>> {
    let _load = if load { Some(crate::muxes::PtyClient::spawn(&["yes"], &[])?) } else { None };
    let mut term = Terminal::spawn(&["sleep".into(), "100000".into()], &[])?;
    term.settle(Duration::from_millis(200));
    term.type_keys()
}

fn through_mux(mux: &dyn Mux, load: bool) -> Result<Vec<Duration>> {
    let session = fresh(mux);
    mux.open_detached(&session)?;
    let _kill = KillSession(mux, &session);
    let (argv, env) = mux.client_command(&session);
    let mut term = Terminal::spawn(&argv, &env)?;
    if mux.name().starts_with("tmux")
        && let Some(socket) = argv.iter().position(|a| a == "-S").and_then(|i| argv.get(i + 1))
    {
        // tmux's status line redraws its clock on its own; a redraw
        // holding the typed letter would end a measurement early.
        let _ = std::process::Command::new("tmux").args(["-S", socket, "set", "-g", "status-interval", "0"]).output();
    }
    // The client is drawn and attached once the first screen settled;
    // keys typed before reach nobody's pane.
    term.settle(Duration::from_secs(2));
    if load {
        mux.split_running(&session, &["yes"])?;
    }
    mux.type_line(&session, "sleep 100000")?;
    crate::muxes::wait_for_screen(mux, &session, "sleep 100000", Duration::from_secs(30))?;
    // The shell needs a moment to start `sleep` after the line is echoed.
    term.settle(Duration::from_millis(500));
    term.type_keys()
}

static SESSION: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

fn fresh(mux: &dyn Mux) -> String {
    let n = SESSION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("lat{}x{n}{}", std::process::id(), &mux.name()[..1])
}

struct KillSession<'a>(&'a dyn Mux, &'a str);

impl Drop for KillSession<'_> {
    fn drop(&mut self) {
        if let Err(e) = self.0.kill(self.1) {
            println!("{}: cannot kill session {}: {e:#}", self.0.name(), self.1);
        }
    }
}

/// The benchmark's own outer terminal: a PTY whose output a thread hands
/// over as it is read, so that the main thread sees when each byte came.
pub(crate) struct Terminal {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    output: Receiver<Vec<u8>>,
    text: Printable,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Terminal {
    pub(crate) fn spawn(argv: &[String], env: &[(String, String)]) -> Result<Terminal> {
        let pair = native_pty_system().openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 })?;
        let mut cmd = CommandBuilder::new(&argv[0]);
        cmd.args(&argv[1..]);
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).with_context(|| format!("cannot run {argv:?}"))?;
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader()?;
        let writer = pair.master.take_writer()?;
        let (tx, output) = channel();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 1 << 16];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Ok(Terminal { child, writer, output, text: Printable::default(), _master: pair.master })
    }

    pub(crate) fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// Reads (and drops) what comes until the output has been quiet for
    /// 100 ms, or `at_most` passed: a program that keeps drawing (a `yes`
    /// pane) never goes quiet.
    pub(crate) fn settle(&mut self, at_most: Duration) {
        let deadline = Instant::now() + at_most;
        while Instant::now() < deadline {
            match self.output.recv_timeout(Duration::from_millis(100)) {
                Ok(chunk) => {
                    self.text.feed(&chunk);
                }
                Err(_) => break,
            }
        }
    }

    /// How long until the drawn text holds `needle` (a line shown whole,
    /// even across reads).
    pub(crate) fn wait_text(&mut self, needle: &str, timeout: Duration) -> Result<Duration> {
        let started = Instant::now();
        let mut seen = Vec::new();
        loop {
            let left = timeout.saturating_sub(started.elapsed());
            match self.output.recv_timeout(left) {
                Ok(chunk) => {
                    seen.extend(self.text.feed(&chunk));
                    if seen.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                        return Ok(started.elapsed());
                    }
                }
                Err(RecvTimeoutError::Timeout) => bail!("{needle:?} not drawn within {timeout:?}"),
                Err(RecvTimeoutError::Disconnected) => bail!("the terminal's program exited"),
            }
        }
    }

    /// Drops what is already waiting, without waiting for more.
    fn drain(&mut self) {
        while let Ok(chunk) = self.output.try_recv() {
            self.text.feed(&chunk);
        }
    }

    fn type_keys(&mut self) -> Result<Vec<Duration>> {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        let mut rng = Rng(now.as_nanos() as u64 | 1);
        let mut samples = Vec::with_capacity(KEYS);
        for i in 0..KEYS {
            if i > 0 && i % RUN == 0 {
                self.writer.write_all(b"\x15")?;
                self.writer.flush()?;
                self.settle(Duration::from_millis(300));
            }
            let key = ALPHABET[(i / RUN * 7 + i % RUN) % ALPHABET.len()];
            std::thread::sleep(Duration::from_millis(10 + rng.below(21)));
            self.drain();
            let started = Instant::now();
            self.writer.write_all(&[key])?;
            self.writer.flush()?;
            samples.push(self.echo_of(key, started)?);
        }
        Ok(samples)
    }

    /// Waits for `key` among the printable output; how long since `started`.
    fn echo_of(&mut self, key: u8, started: Instant) -> Result<Duration> {
        loop {
            let left = ECHO_TIMEOUT.saturating_sub(started.elapsed());
            match self.output.recv_timeout(left) {
                Ok(chunk) => {
                    if self.text.feed(&chunk).contains(&key) {
                        return Ok(started.elapsed());
                    }
                }
                Err(RecvTimeoutError::Timeout) => bail!("no echo of {:?} within {ECHO_TIMEOUT:?}", key as char),
                Err(RecvTimeoutError::Disconnected) => bail!("the terminal's program exited"),
            }
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The text an output stream draws, its escape sequences and control bytes
/// left out; the state carries over chunk boundaries.
#[derive(Default)]
struct Printable {
    state: Esc,
}

#[derive(Default, Clone, Copy, PartialEq)]
enum Esc {
    #[default]
    Ground,
    Escape,
    /// `ESC (` and its kin: one more byte names a character set.
    Charset,
    Csi,
    /// OSC, DCS, APC, PM, SOS: until BEL or ST.
    String,
    StringEscape,
}

impl Printable {
    fn feed(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut text = Vec::new();
        for &b in bytes {
            self.state = match (self.state, b) {
                (_, 0x1b) if self.state != Esc::String => Esc::Escape,
                (Esc::Ground, 0x20..) => {
                    text.push(b);
                    Esc::Ground
                }
                (Esc::Ground, _) => Esc::Ground,
                (Esc::Escape, b'[') => Esc::Csi,
                (Esc::Escape, b']' | b'P' | b'_' | b'^' | b'X') => Esc::String,
                (Esc::Escape, b'(' | b')' | b'*' | b'+' | b'-' | b'.' | b'/' | b'#' | b'%') => Esc::Charset,
                (Esc::Escape | Esc::Charset, _) => Esc::Ground,
                (Esc::Csi, 0x40..=0x7e) => Esc::Ground,
                (Esc::Csi, _) => Esc::Csi,
                (Esc::String, 0x07) => Esc::Ground,
                (Esc::String, 0x1b) => Esc::StringEscape,
                (Esc::String, _) => Esc::String,
                (Esc::StringEscape, b'\\') => Esc::Ground,
                (Esc::StringEscape, _) => Esc::String,
            };
        }
        text
    }
}

/// xorshift64*: the pauses between keys need no better randomness.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}
