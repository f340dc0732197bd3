//! What setting and resetting a mode does to the terminal: SM/RM and
//! DECSET/DECRST. The modes themselves are `modes`.

use crate::modes::MouseMode;
use crate::state::State;

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
    use crate::modes::Modes;

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
