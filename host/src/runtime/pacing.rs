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

/// How long a key's frame waits for its echo. The kernel echoes in a tenth
/// of a millisecond and a shell's line editor in about one; a program that
/// does not echo at all costs the key this much.
const ECHO_HOLD: Duration = Duration::from_millis(2);

/// How long after a key its pane's output still counts as the echo.
pub const ECHO_WINDOW: Duration = Duration::from_millis(100);

/// Frames that may go back to back after a quiet spell: the key's, its
/// echo's, and one more for a program that redraws in two writes.
const BURST: u32 = 3;

/// What the frames sent so far cost the server thread, for `ls --json`
/// and the benchmarks (frame time against panes).
#[derive(Debug, Default, Clone, Copy)]
pub struct FrameCost {
    pub frames: u64,
    pub busy: Duration,
}

impl FrameCost {
    pub fn add(&mut self, took: Duration) {
        self.frames += 1;
        self.busy += took;
    }
}

pub struct FramePacer {
    /// When the frame after the last one would be due if frames went
    /// strictly one per interval.
    due: Instant,
    /// A typed key's echo arrived: its frame goes at once, even while
    /// another pane's output keeps the bucket empty.
    echo: bool,
    /// A key was just typed: no frame until its echo arrives or this
    /// instant passes, so the key and its echo cost one frame, not two.
    hold_until: Option<Instant>,
}

impl FramePacer {
    pub fn new(now: Instant) -> Self {
        FramePacer { due: now, echo: false, hold_until: None }
    }

    /// The earliest instant the next frame may go.
    pub fn next_allowed(&self) -> Instant {
        if self.echo {
            return Instant::now();
        }
        let allowed = self.due.checked_sub(FRAME * (BURST - 1)).unwrap_or(self.due);
        self.hold_until.map_or(allowed, |hold| allowed.max(hold))
    }

    pub fn may_draw(&self, now: Instant) -> bool {
        self.echo || now >= self.next_allowed()
    }

    /// A key went to a pane at `now`: hold the frame for its echo a moment.
    pub fn expect_echo(&mut self, now: Instant) {
        self.hold_until = Some(now + ECHO_HOLD);
    }

    /// The pane a key was typed into answered: one frame may go now. Keys
    /// come at a person's pace, so this never becomes a frame per read.
    pub fn grant_echo(&mut self) {
        self.echo = true;
        self.hold_until = None;
    }

    /// A frame went out at `now`.
    pub fn drew(&mut self, now: Instant) {
        self.echo = false;
        self.hold_until = None;
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
    fn an_echo_goes_at_once_under_continuous_output_but_only_once() {
        let t0 = Instant::now();
        let mut p = FramePacer::new(t0);
        let mut now = t0;
        for _ in 0..10 {
            p.drew(now);
            now += Duration::from_micros(100);
        }
        assert!(!p.may_draw(now), "the bucket should be empty");
        p.grant_echo();
        assert!(p.may_draw(now));
        p.drew(now);
        assert!(!p.may_draw(now + Duration::from_micros(100)), "one echo bought more than one frame");
    }

    #[test]
    fn a_key_holds_its_frame_for_the_echo_but_not_for_long() {
        let t0 = Instant::now() + 5000 * MS;
        let mut p = FramePacer::new(t0);
        p.expect_echo(t0);
        assert!(!p.may_draw(t0 + Duration::from_micros(100)), "the key's frame went before its echo");
        p.grant_echo();
        assert!(p.may_draw(t0 + Duration::from_micros(150)));
        let mut p = FramePacer::new(t0);
        p.expect_echo(t0);
        assert!(p.may_draw(t0 + ECHO_HOLD), "no echo came, and the key's frame waits on");
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
