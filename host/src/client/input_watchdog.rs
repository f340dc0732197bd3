//! Ends a client whose input loop is stuck while it has a reason to leave.
//!
//! The loop can stick in a call that waits: a write to a server that stopped
//! reading its socket. (crossterm's reader, used before, also spun forever
//! on a terminal that hung up: a test that killed its tmux left such a
//! client spinning for two hours.) This thread watches the loop's
//! heartbeat: stuck for a while when there is a reason to leave (a SIGHUP,
//! a terminal gone, the server's goodbye), the process goes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// How long the input loop may go without a beat while it should be
/// leaving. It beats at least every 50 ms when it is not stuck.
const STUCK: Duration = Duration::from_secs(1);

/// The input loop's side: beat once a turn; dropping it stops the watch.
pub struct Heartbeat {
    beats: Arc<AtomicU64>,
    ended: Arc<AtomicBool>,
}

impl Heartbeat {
    pub fn beat(&self) {
        self.beats.fetch_add(1, Ordering::Relaxed);
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.ended.store(true, Ordering::Release);
    }
}

/// Watches the loop: when `should_leave` holds and no beat came for
/// [`STUCK`], `on_stuck` runs (once) on the watching thread.
pub fn watch(should_leave: impl Fn() -> bool + Send + 'static, on_stuck: impl FnOnce() + Send + 'static) -> Heartbeat {
    watch_every(STUCK, should_leave, on_stuck)
}

fn watch_every(
    stuck: Duration,
    should_leave: impl Fn() -> bool + Send + 'static,
    on_stuck: impl FnOnce() + Send + 'static,
) -> Heartbeat {
    let beats = Arc::new(AtomicU64::new(0));
    let ended = Arc::new(AtomicBool::new(false));
    let heartbeat = Heartbeat { beats: beats.clone(), ended: ended.clone() };
    let tick = stuck / 4;
    let spawned = std::thread::Builder::new().name("input-watchdog".into()).spawn(move || {
        let (mut last, mut still) = (beats.load(Ordering::Relaxed), Duration::ZERO);
        while !ended.load(Ordering::Acquire) {
            std::thread::sleep(tick);
            let now = beats.load(Ordering::Relaxed);
            if now != last || !should_leave() {
                (last, still) = (now, Duration::ZERO);
                continue;
            }
            still += tick;
            if still >= stuck && !ended.load(Ordering::Acquire) {
                on_stuck();
                return;
            }
        }
    });
    // Without the thread the client works as before, only unguarded.
    if let Err(e) = spawned {
        tracing::warn!("no input watchdog: {e}");
    }
    heartbeat
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Instant;

    const SHORT: Duration = Duration::from_millis(200);

    #[test]
    fn a_loop_stuck_with_a_reason_to_leave_is_ended() {
        let (tx, rx) = mpsc::channel();
        let started = Instant::now();
        let _beat = watch_every(SHORT, || true, move || tx.send(()).unwrap());
        rx.recv_timeout(Duration::from_secs(5)).expect("the watchdog fires");
        assert!(started.elapsed() >= SHORT, "not before the loop was still for the whole period");
    }

    #[test]
    fn a_beating_loop_or_one_with_no_reason_to_leave_is_left_alone() {
        let (tx, rx) = mpsc::channel();
        let tx2 = tx.clone();
        let beat = watch_every(SHORT, || true, move || tx.send("beating").unwrap());
        let _idle = watch_every(SHORT, || false, move || tx2.send("no reason").unwrap());
        let until = Instant::now() + SHORT * 5;
        while Instant::now() < until {
            beat.beat();
            std::thread::sleep(SHORT / 10);
        }
        assert_eq!(rx.try_recv().ok(), None);
    }

    #[test]
    fn a_dropped_heartbeat_stops_the_watch() {
        let (tx, rx) = mpsc::channel();
        drop(watch_every(SHORT, || true, move || tx.send(()).unwrap()));
        assert!(rx.recv_timeout(SHORT * 4).is_err());
    }
}
