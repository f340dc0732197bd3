//! Terminal modes: the ones a host needs to read (how to encode keys, mouse and
//! paste for the application) and the ones that only steer this crate's own
//! behaviour, plus SM/RM and DECSET/DECRST themselves.

use crate::state::State;

/// Which mouse events the application asked for. Only one is active at a time:
/// enabling one replaces the previous, as in xterm.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Hash)]
pub enum MouseMode {
    #[default]
    None,
    /// `?9`, X10: presses only.
    Press,
    /// `?1000`: presses and releases.
    PressRelease,
    /// `?1002`: also motion while a button is held.
    ButtonMotion,
    /// `?1003`: all motion.
    AnyMotion,
}

/// What the host must know to translate user input for the application.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Hash)]
pub struct Modes {
    pub mouse: MouseMode,
    /// `?1006`: report mouse events as `CSI < … M/m` instead of raw bytes.
    pub sgr_mouse: bool,
    /// `?2004`: wrap pasted text in `CSI 200 ~` … `CSI 201 ~`.
    pub bracketed_paste: bool,
    /// DECCKM `?1`: arrow keys send `ESC O A` rather than `CSI A`.
    pub application_cursor: bool,
    /// DECKPAM (`ESC =`, or `?66`): the keypad sends application sequences.
    pub application_keypad: bool,
    pub alt_screen: bool,
    /// `?1004`: send `CSI I` / `CSI O` when the pane gains or loses focus.
    pub focus_events: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct CursorState {
    pub col: u16,
    pub row: u16,
    pub visible: bool,
}

/// Modes that change how this crate interprets output, not how the host talks
/// to the application.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct EditModes {
    /// DECAWM `?7`.
    pub(crate) autowrap: bool,
    /// DECOM `?6`: row addresses are relative to the scroll region.
    pub(crate) origin: bool,
    /// IRM `4`: printing shifts the rest of the line right.
    pub(crate) insert: bool,
    /// LNM `20`: LF also returns the carriage.
    pub(crate) newline: bool,
    /// DECTCEM `?25`.
    pub(crate) cursor_visible: bool,
}

impl Default for EditModes {
    fn default() -> EditModes {
        EditModes { autowrap: true, origin: false, insert: false, newline: false, cursor_visible: true }
    }
}

impl State {
    /// SM / RM (`CSI n h` / `CSI n l`).
    pub(crate) fn set_ansi_mode(&mut self, mode: u16, on: bool) {
        self.changed = true;
        match mode {
            4 => self.edit.insert = on,
            20 => self.edit.newline = on,
            _ => {}
        }
    }

    /// DECSET / DECRST (`CSI ? n h` / `CSI ? n l`).
    pub(crate) fn set_private_mode(&mut self, mode: u16, on: bool) {
        // Modes are part of what a renderer shows (the cursor) or what the
        // host encodes input with, so they count as a visible change.
        self.changed = true;
        let mouse = |m: MouseMode| if on { m } else { MouseMode::None };
        match mode {
            1 => self.modes.application_cursor = on,
            6 => {
                self.edit.origin = on;
                self.goto_origin(0, 0);
            }
            // DECCOLM: the pane cannot change width, but what the switch
            // does besides, xterm and tmux do: clear the screen, reset the
            // margins, home the cursor.
            3 => {
                self.erase_all_rows();
                let rows = self.rows();
                self.top = 0;
                self.bottom = rows - 1;
                self.goto_origin(0, 0);
            }
            7 => self.edit.autowrap = on,
            9 => self.modes.mouse = mouse(MouseMode::Press),
            25 => self.edit.cursor_visible = on,
            47 => {
                if on {
                    self.enter_alt_screen(false);
                } else {
                    self.leave_alt_screen();
                }
            }
            66 => self.modes.application_keypad = on,
            1000 => self.modes.mouse = mouse(MouseMode::PressRelease),
            1002 => self.modes.mouse = mouse(MouseMode::ButtonMotion),
            1003 => self.modes.mouse = mouse(MouseMode::AnyMotion),
            1004 => self.modes.focus_events = on,
            1006 => self.modes.sgr_mouse = on,
            // 1047 clears the alternate screen on the way out, so the next
            // program to enter it starts blank.
            1047 => {
                if on {
                    self.enter_alt_screen(false);
                } else {
                    if self.modes.alt_screen {
                        self.erase_all_rows();
                    }
                    self.leave_alt_screen();
                }
            }
            1048 => {
                if on {
                    self.save_cursor();
                } else {
                    self.restore_cursor();
                }
            }
            // What full-screen programs use: remember where the shell's cursor
            // was, and start from a clean screen.
            1049 => {
                if on {
                    self.save_cursor();
                    self.enter_alt_screen(true);
                } else {
                    self.leave_alt_screen();
                    self.restore_cursor();
                }
            }
            2004 => self.modes.bracketed_paste = on,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Terminal;

    fn modes(seq: &str) -> Modes {
        let mut t = Terminal::new(10, 3, 0);
        t.advance(seq.as_bytes());
        t.modes()
    }

    #[test]
    fn mouse_modes_replace_each_other_and_reset_to_none() {
        assert_eq!(modes("\x1b[?9h").mouse, MouseMode::Press);
        assert_eq!(modes("\x1b[?1000h").mouse, MouseMode::PressRelease);
        assert_eq!(modes("\x1b[?1000h\x1b[?1002h").mouse, MouseMode::ButtonMotion);
        assert_eq!(modes("\x1b[?1003h").mouse, MouseMode::AnyMotion);
        assert_eq!(modes("\x1b[?1003h\x1b[?1003l").mouse, MouseMode::None);
        assert_eq!(modes("\x1b[?1000;1006h").mouse, MouseMode::PressRelease);
        assert!(modes("\x1b[?1000;1006h").sgr_mouse);
    }

    #[test]
    fn input_modes() {
        let m = modes("\x1b[?1h\x1b[?2004h\x1b[?1004h\x1b=");
        assert!(m.application_cursor && m.bracketed_paste && m.focus_events && m.application_keypad);
        let m = modes("\x1b[?1h\x1b[?2004h\x1b[?1004h\x1b=\x1b[?1l\x1b[?2004l\x1b[?1004l\x1b>");
        assert_eq!(m, Modes::default());
        assert!(modes("\x1b[?66h").application_keypad);
    }

    #[test]
    fn cursor_visibility() {
        let mut t = Terminal::new(10, 3, 0);
        assert!(t.cursor().visible);
        t.advance(b"\x1b[?25l");
        assert!(!t.cursor().visible);
        t.advance(b"\x1b[?25h");
        assert!(t.cursor().visible);
    }

    #[test]
    fn insert_mode_shifts_text() {
        let mut t = Terminal::new(10, 1, 0);
        t.advance(b"abc\r\x1b[4hX\x1b[4lY");
        assert_eq!(t.dump_text(false), "XYbc");
        let mut t = Terminal::new(10, 1, 0);
        t.advance(b"abc\r\x1b[4hXY");
        assert_eq!(t.dump_text(false), "XYabc");
    }

    #[test]
    fn newline_mode_returns_carriage() {
        let mut t = Terminal::new(10, 3, 0);
        t.advance(b"ab\ncd\x1b[20h\nef");
        assert_eq!(t.dump_text(false), "ab\n  cd\nef");
    }
}
