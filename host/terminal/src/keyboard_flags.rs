//! The kitty keyboard protocol's enhancement flags, as a program in the pane
//! sets them: `CSI > flags u` pushes, `CSI < n u` pops, `CSI = flags ; mode u`
//! changes the flags in force, `CSI ? u` asks for them. Each screen has its
//! own stack (the spec requires it, so an editor on the alternate screen can
//! change the mode without knowing the shell's); `State` swaps them with the
//! grids.

/// The flags the spec defines (disambiguate, event types, alternate keys,
/// all keys as escape codes, associated text). Other bits are dropped so a
/// query never reports something we would not honour.
pub(crate) const DEFINED: u8 = 0b1_1111;

/// Deep enough for nested programs, small enough that a program pushing in a
/// loop cannot grow the terminal.
const DEPTH: usize = 16;

/// The stack holds the flags in force on top, as kitty keeps it: `CSI =`
/// changes the top entry, so a later pop returns to what was set, not to
/// what was pushed.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct KeyboardFlags {
    entries: [u8; DEPTH],
    len: usize,
}

impl KeyboardFlags {
    /// The flags in force: the top entry, none on an empty stack.
    pub(crate) fn current(&self) -> u8 {
        match self.len {
            0 => 0,
            n => self.entries[n - 1],
        }
    }

    pub(crate) fn push(&mut self, flags: u16) {
        if self.len == DEPTH {
            // The spec evicts the oldest entry rather than refusing the push:
            // the newest program's mode is the one that matters.
            self.entries.copy_within(1.., 0);
            self.len -= 1;
        }
        self.entries[self.len] = mask(flags);
        self.len += 1;
    }

    /// Popping more than there is empties the stack, which resets the flags.
    pub(crate) fn pop(&mut self, n: usize) {
        self.len = self.len.saturating_sub(n);
    }

    /// `mode` 1 (or absent) replaces the flags, 2 adds the given bits, 3
    /// removes them; anything else is not a mode the spec knows and changes
    /// nothing.
    pub(crate) fn set(&mut self, flags: u16, mode: u16) {
        let flags = mask(flags);
        let now = self.current();
        let new = match mode {
            0 | 1 => flags,
            2 => now | flags,
            3 => now & !flags,
            _ => return,
        };
        if self.len == 0 {
            self.len = 1;
        }
        self.entries[self.len - 1] = new;
    }
}

fn mask(flags: u16) -> u8 {
    (flags & DEFINED as u16) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Terminal;

    fn term(input: &[u8]) -> Terminal {
        let mut t = Terminal::new(20, 5, 10);
        t.advance(input);
        t
    }

    fn flags(t: &Terminal) -> u8 {
        t.modes().kitty_keyboard
    }

    #[test]
    fn push_and_pop() {
        let mut t = term(b"");
        assert_eq!(flags(&t), 0);
        t.advance(b"\x1b[>1u");
        assert_eq!(flags(&t), 1);
        t.advance(b"\x1b[>31u");
        assert_eq!(flags(&t), 31);
        t.advance(b"\x1b[<u");
        assert_eq!(flags(&t), 1);
        t.advance(b"\x1b[<1u");
        assert_eq!(flags(&t), 0);
        // A push without flags pushes none.
        t.advance(b"\x1b[>5u\x1b[>u");
        assert_eq!(flags(&t), 0);
        t.advance(b"\x1b[<u");
        assert_eq!(flags(&t), 5);
    }

    #[test]
    fn popping_more_than_was_pushed_resets() {
        let t = term(b"\x1b[>1u\x1b[>3u\x1b[<10u");
        assert_eq!(flags(&t), 0);
        let t = term(b"\x1b[<u\x1b[<5u");
        assert_eq!(flags(&t), 0);
        // And the stack works afterwards.
        let t = term(b"\x1b[>1u\x1b[<9u\x1b[>2u");
        assert_eq!(flags(&t), 2);
    }

    #[test]
    fn a_full_stack_drops_its_oldest_entry() {
        let mut t = term(b"");
        for n in 1..=DEPTH + 1 {
            t.advance(format!("\x1b[>{}u", n % 32).as_bytes());
        }
        assert_eq!(flags(&t), ((DEPTH + 1) % 32) as u8);
        // DEPTH entries survive; the first push (1) was evicted, so the
        // bottom entry is 2 and one more pop leaves nothing.
        t.advance(format!("\x1b[<{}u", DEPTH - 1).as_bytes());
        assert_eq!(flags(&t), 2);
        t.advance(b"\x1b[<u");
        assert_eq!(flags(&t), 0);
    }

    #[test]
    fn set_replaces_adds_or_removes() {
        assert_eq!(flags(&term(b"\x1b[=5u")), 5);
        assert_eq!(flags(&term(b"\x1b[=5;1u")), 5);
        assert_eq!(flags(&term(b"\x1b[=5u\x1b[=2;2u")), 7);
        assert_eq!(flags(&term(b"\x1b[=7u\x1b[=6;3u")), 1);
        assert_eq!(flags(&term(b"\x1b[=7u\x1b[=1;4u")), 7, "an unknown mode changes nothing");
        assert_eq!(flags(&term(b"\x1b[=255u")), 31, "undefined bits are dropped");
        // Set changes the top entry: popping it returns to what was below.
        let t = term(b"\x1b[>1u\x1b[>2u\x1b[=8u\x1b[<u");
        assert_eq!(flags(&t), 1);
        let t = term(b"\x1b[=4u\x1b[>1u\x1b[<u");
        assert_eq!(flags(&t), 4);
    }

    #[test]
    fn query_answers_the_flags_in_force() {
        let mut t = term(b"\x1b[?u");
        assert_eq!(t.take_responses(), b"\x1b[?0u");
        t.advance(b"\x1b[>13u\x1b[?u");
        assert_eq!(t.take_responses(), b"\x1b[?13u");
    }

    #[test]
    fn each_screen_has_its_own_stack() {
        let mut t = term(b"\x1b[>1u");
        t.advance(b"\x1b[?1049h");
        assert_eq!(flags(&t), 0, "the alternate screen starts with its own, empty stack");
        t.advance(b"\x1b[>11u\x1b[>15u");
        assert_eq!(flags(&t), 15);
        t.advance(b"\x1b[?1049l");
        assert_eq!(flags(&t), 1, "leaving it restores the main screen's");
        t.advance(b"\x1b[<u");
        assert_eq!(flags(&t), 0);
        t.advance(b"\x1b[?47h");
        assert_eq!(flags(&t), 15, "the alternate stack is as it was left");
        t.advance(b"\x1b[?u");
        assert_eq!(t.take_responses(), b"\x1b[?15u");
        t.advance(b"\x1b[<u");
        assert_eq!(flags(&t), 11);
    }

    #[test]
    fn full_reset_clears_both_stacks() {
        let mut t = term(b"\x1b[>1u\x1b[?1049h\x1b[>3u\x1b[?1049l");
        t.advance(b"\x1bc");
        assert_eq!(flags(&t), 0);
        t.advance(b"\x1b[<u");
        assert_eq!(flags(&t), 0);
        t.advance(b"\x1b[?1049h");
        assert_eq!(flags(&t), 0);
    }

    #[test]
    fn plain_csi_u_still_restores_the_cursor() {
        let t = term(b"\x1b[2;3H\x1b[s\x1b[5;5H\x1b[u");
        assert_eq!((t.cursor().col, t.cursor().row), (2, 1));
        assert_eq!(flags(&t), 0);
    }
}
