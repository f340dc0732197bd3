//! Coming back after a lost link: the screen says so, attempts back off up
//! to a bound, and keys typed meanwhile are dropped (they were meant for a
//! screen that was not there), except Ctrl-C, which gives up.

use std::io::{self, Write};
use std::os::unix::net::UnixStream;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};

use super::Signals;
use super::endpoint::Endpoint;

/// Waits before each attempt: about 30 s in all, then the client gives up.
const BACKOFF_MS: &[u64] = &[100, 250, 500, 1000, 2000, 3000, 4000, 5000, 6000, 8000];

/// A new stream to `name`, or why the client gives up.
pub(super) fn reconnect(endpoint: &mut dyn Endpoint, host: &str, name: &str, signals: &Signals) -> Result<UnixStream> {
    let started = Instant::now();
    endpoint.reconnecting();
    let mut last = String::new();
    for (attempt, wait) in BACKOFF_MS.iter().enumerate() {
        show(host, attempt + 1, &last);
        if !pause(Duration::from_millis(*wait), signals) {
            return Err(anyhow!("connection to {host} lost; gave up"));
        }
        match endpoint.connect(name) {
            Ok(stream) => return Ok(stream),
            Err(e) if endpoint.transient(&e) => last = format!("{e:#}"),
            Err(e) => return Err(e.context(format!("connection to {host} lost, and reconnecting failed"))),
        }
    }
    Err(anyhow!(
        "connection to {host} lost; gave up after {} attempts over {:.0} s: {last}",
        BACKOFF_MS.len(),
        started.elapsed().as_secs_f64()
    ))
}

fn show(host: &str, attempt: usize, last: &str) {
    let mut out = io::stdout().lock();
    let why = if last.is_empty() { String::new() } else { format!("\r\n\x1b[2m{}\x1b[0m", last.replace('\n', " ")) };
    let _ = write!(
        out,
        "\x1b[0m\x1b[H\x1b[2J\x1b[?25lconnection to {host} lost, reconnecting… \
         (attempt {attempt} of {}; Ctrl-C gives up){why}",
        BACKOFF_MS.len()
    );
    let _ = out.flush();
}

/// Sleeps `wait`, reading and dropping keys; false on Ctrl-C or a signal
/// that asks the client to leave.
fn pause(wait: Duration, signals: &Signals) -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let until = Instant::now() + wait;
    let mut buf = [0u8; 4096];
    loop {
        if signals.stop.load(Ordering::Acquire) {
            return false;
        }
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        let stdin = io::stdin();
        let mut fds = [PollFd::new(&stdin, PollFlags::IN), PollFd::new(&signals.wake, PollFlags::IN)];
        let timeout = Timespec { tv_sec: left.as_secs() as i64, tv_nsec: left.subsec_nanos() as i64 };
        if poll(&mut fds, Some(&timeout)).is_err() {
            continue;
        }
        if fds[1].revents().contains(PollFlags::IN) {
            signals.drain_wake();
        }
        if fds[0].revents().intersects(PollFlags::HUP | PollFlags::ERR) {
            return false;
        }
        if fds[0].revents().contains(PollFlags::IN) {
            match rustix::io::read(io::stdin(), &mut buf) {
                Ok(0) => return false,
                Ok(n) if buf[..n].contains(&0x03) => return false,
                _ => {}
            }
        }
    }
}
