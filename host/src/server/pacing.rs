//! When the next frame may go out. Heavy output is coalesced to one frame
//! per [`FRAME`], but a frame that follows a quiet spell goes at once, and
//! so do the one or two right after it: a key's own frame must not make
//! its echo wait for the next interval (that made typing 16.7 ms slow while
//! tmux echoes in a quarter of a millisecond).
//!
//! This is a token bucket kept as one instant (the generic cell rate
//! algorithm): every frame pushes `due` one interval further, and a frame
//! may go while `due` is less than [`BURST`] intervals ahead of now.

use std::time::{Duration, Instant};

/// The interval between frames while output is continuous.
pub const FRAME: Duration = Duration::from_millis(16);

/// Frames that may go back to back after a quiet spell: the key's, its
/// echo's, and one more for a program that redraws in two writes.
const BURST: u32 = 3;

pub struct FramePacer {
    /// When the frame after the last one would be due if frames went
    /// strictly one per interval.
    due: Instant,
}

impl FramePacer {
    pub fn new(now: Instant) -> Self {
        FramePacer { due: now }
    }

    /// The earliest instant the next frame may go.
    pub fn next_allowed(&self) -> Instant {
        self.due.checked_sub(FRAME * (BURST - 1)).unwrap_or(self.due)
    }

    pub fn may_draw(&self, now: Instant) -> bool {
        now >= self.next_allowed()
    }

    /// A frame went out at `now`.
    pub fn drew(&mut self, now: Instant) {
        self.due = self.due.max(now) + FRAME;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn a_frame_after_a_quiet_spell_and_the_echo_right_after_it_go_at_once() {
        let t0 = Instant::now();
        let mut p = FramePacer::new(t0);
        let key = t0 + 5000 * MS;
        assert!(p.may_draw(key));
        p.drew(key);
        let echo = key + Duration::from_micros(150);
        assert!(p.may_draw(echo), "the echo waited for the key's frame");
        p.drew(echo);
    }

    #[test]
    fn continuous_output_costs_one_frame_per_interval() {
        let t0 = Instant::now();
        let mut p = FramePacer::new(t0);
        let mut now = t0 + 1000 * MS;
        let mut frames = 0;
        let end = now + 1000 * MS;
        // Output arrives every 100 µs; a frame goes whenever allowed.
        while now < end {
            if p.may_draw(now) {
                p.drew(now);
                frames += 1;
            }
            now += Duration::from_micros(100);
        }
        // One second at 16 ms per frame is 62.5 frames, plus the burst.
        assert!((62..=66).contains(&frames), "{frames} frames in a second");
    }

    #[test]
    fn the_burst_comes_back_only_after_quiet() {
        let t0 = Instant::now();
        let mut p = FramePacer::new(t0);
        let now = t0 + 1000 * MS;
        for _ in 0..BURST {
            assert!(p.may_draw(now));
            p.drew(now);
        }
        assert!(!p.may_draw(now));
        assert_eq!(p.next_allowed(), now + FRAME);
        // After three intervals of quiet the whole burst is there again.
        let later = now + FRAME * (BURST + 1);
        for _ in 0..BURST {
            assert!(p.may_draw(later));
            p.drew(later);
        }
        assert!(!p.may_draw(later));
    }
}
