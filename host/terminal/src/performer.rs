//! The `vte::Perform` implementation: decodes what the parser hands over
//! (controls, ESC, CSI, OSC) into calls on [`State`]. Sequences this crate
//! doesn't implement are dropped silently; the application keeps running and
//! the screen stays consistent.

use std::io::Write;

use vte::{Params, Perform};

use crate::charset::Charset;
use crate::sgr;
use crate::state::State;
use crate::style::Flags;

/// Longest title kept; OSC payloads are unbounded and the title is shown in a
/// status bar, so a runaway one shouldn't cost memory.
const MAX_TITLE_CHARS: usize = 1024;

/// Our answer to DA: a VT100 with Advanced Video Option, the most widely
/// understood claim, so applications don't try VT220+ features on us.
const PRIMARY_DA: &[u8] = b"\x1b[?1;2c";
/// Secondary DA: terminal type 0 (VT100), firmware 10, no ROM cartridge.
const SECONDARY_DA: &[u8] = b"\x1b[>0;10;1c";

/// The first value of each CSI parameter (sub-parameters matter only to SGR,
/// which reads `Params` itself). Copied out once so handlers can index freely.
struct Args {
    values: [u16; 32],
    len: usize,
}

impl Args {
    fn new(params: &Params) -> Args {
        let mut args = Args { values: [0; 32], len: 0 };
        for param in params.iter().take(args.values.len()) {
            args.values[args.len] = param.first().copied().unwrap_or(0);
            args.len += 1;
        }
        args
    }

    /// Parameter `i`, with 0 or absent meaning `default` (the usual CSI rule
    /// for counts and positions).
    fn get(&self, i: usize, default: usize) -> usize {
        match self.raw(i) {
            0 => default,
            v => v as usize,
        }
    }

    /// Parameter `i` as sent, 0 when absent (for selectors like ED's mode).
    fn raw(&self, i: usize) -> u16 {
        if i < self.len { self.values[i] } else { 0 }
    }

    fn all(&self) -> &[u16] {
        &self.values[..self.len]
    }
}

impl State {
    fn respond(&mut self, bytes: &[u8]) {
        self.responses.extend_from_slice(bytes);
    }

    /// Mirrors the active keyboard flag stack into `modes`, where the host
    /// reads it to encode keys. A change counts as visible, as for the
    /// other input modes.
    fn sync_keyboard_flags(&mut self) {
        self.modes.kitty_keyboard = self.keyboard.current();
        self.changed = true;
    }

    /// What is written from an OSC 133 mark on belongs to the prompt, the
    /// command line or the output: the cells carry it.
    fn enter_zone(&mut self, mark: &crate::signals::PromptMark) {
        use crate::signals::PromptMark;
        self.saw_prompt_marks = true;
        let flags = &mut self.cursor.style.flags;
        flags.remove(Flags::ZONES);
        match mark {
            PromptMark::PromptStart => flags.insert(Flags::PROMPT),
            PromptMark::CommandStart => flags.insert(Flags::INPUT),
            PromptMark::CommandExecuted { .. } | PromptMark::CommandFinished { .. } => {}
        }
    }

    /// CPR: the cursor as the application addresses it (origin-relative under
    /// DECOM), 1-based.
    fn report_cursor(&mut self, private: bool) {
        let y = if self.edit.origin { self.cursor.y.saturating_sub(self.top) } else { self.cursor.y };
        let marker = if private { "?" } else { "" };
        // Writing to a Vec cannot fail.
        let _ = write!(self.responses, "\x1b[{marker}{};{}R", y + 1, self.cursor.x + 1);
    }

    fn set_title(&mut self, parts: &[&[u8]]) {
        // A title may itself contain ';', which split it into several parts.
        let joined = parts.join(&b';');
        let title: String = String::from_utf8_lossy(&joined).chars().take(MAX_TITLE_CHARS).collect();
        if self.title.as_deref() != Some(title.as_str()) {
            self.titles += 1;
        }
        self.title = Some(title);
        self.changed = true;
    }
}

impl Perform for State {
    #[inline(always)]
    fn print(&mut self, c: char) {
        State::print(self, c);
    }

    fn execute(&mut self, byte: u8) {
        match byte {
            0x07 => self.bells += 1,
            0x08 => self.backspace(),
            0x09 => self.tab_forward(1),
            0x0a..=0x0c => self.linefeed(),
            0x0d => self.carriage_return(),
            0x0e => self.charsets.shifted_out = true,
            0x0f => self.charsets.shifted_out = false,
            // C1 controls arrive here when sent as UTF-8 code points.
            0x84 => self.index(),
            0x85 => {
                self.carriage_return();
                self.index();
            }
            0x88 => self.tabs.set(self.cursor.x),
            0x8d => self.reverse_index(),
            _ => {}
        }
    }

    #[inline(always)]
    fn terminated(&self) -> bool {
        self.sequence_ended
    }

    fn csi_dispatch(&mut self, params: &Params, intermediates: &[u8], ignore: bool, action: char) {
        self.sequence_ended = true;
        // Too many parameters or intermediates: acting on a truncated
        // sequence would do the wrong thing, so do nothing.
        if ignore {
            return;
        }
        let args = Args::new(params);
        let (x, y) = (self.cursor.x, self.cursor.y);
        match (intermediates, action) {
            ([], '@') => self.insert_chars(args.get(0, 1)),
            ([], 'A') => self.move_up(args.get(0, 1)),
            ([], 'B') | ([], 'e') => self.move_down(args.get(0, 1)),
            ([], 'C') | ([], 'a') => self.goto(x.saturating_add(args.get(0, 1)), y),
            ([], 'D') => self.goto(x.saturating_sub(args.get(0, 1)), y),
            ([], 'E') => {
                self.move_down(args.get(0, 1));
                self.carriage_return();
            }
            ([], 'F') => {
                self.move_up(args.get(0, 1));
                self.carriage_return();
            }
            ([], 'G') | ([], '`') => self.goto(args.get(0, 1) - 1, y),
            ([], 'H') | ([], 'f') => self.goto_origin(args.get(1, 1) - 1, args.get(0, 1) - 1),
            ([], 'I') => self.tab_forward(args.get(0, 1)),
            ([], 'J') => self.erase_display(args.raw(0)),
            ([], 'K') => self.erase_line(args.raw(0)),
            ([b'?'], 'J') => self.selective_erase_display(args.raw(0)),
            ([b'?'], 'K') => self.selective_erase_line(args.raw(0)),
            ([b'"'], 'q') => self.set_protection(args.raw(0)),
            ([], 'L') => self.insert_lines(args.get(0, 1)),
            ([], 'M') => self.delete_lines(args.get(0, 1)),
            ([], 'P') => self.delete_chars(args.get(0, 1)),
            ([], 'S') => self.scroll_up(args.get(0, 1)),
            // With more parameters this is xterm's mouse highlight tracking.
            ([], 'T') if args.len <= 1 => self.scroll_down(args.get(0, 1)),
            ([], 'X') => self.erase_chars(args.get(0, 1)),
            ([], 'Z') => self.tab_backward(args.get(0, 1)),
            ([], 'b') => self.repeat_last(args.get(0, 1)),
            ([], 'c') if args.raw(0) == 0 => self.respond(PRIMARY_DA),
            ([b'>'], 'c') if args.raw(0) == 0 => self.respond(SECONDARY_DA),
            ([], 'd') => self.goto_origin(x, args.get(0, 1) - 1),
            ([], 'g') => match args.raw(0) {
                0 => self.tabs.clear(x),
                3 => self.tabs.clear_all(),
                _ => {}
            },
            ([], 'h') | ([], 'l') => {
                for &mode in args.all() {
                    self.set_ansi_mode(mode, action == 'h');
                }
            }
            ([b'?'], 'h') | ([b'?'], 'l') => {
                for &mode in args.all() {
                    self.set_private_mode(mode, action == 'h');
                }
            }
            ([], 'm') => {
                sgr::apply(&mut self.cursor.style, params, &mut self.extras);
            }
            ([], 'n') => match args.raw(0) {
                5 => self.respond(b"\x1b[0n"),
                6 => self.report_cursor(false),
                _ => {}
            },
            ([b'?'], 'n') if args.raw(0) == 6 => self.report_cursor(true),
            ([], 'r') => {
                let rows = self.rows();
                self.set_scroll_region(args.get(0, 1) - 1, args.get(1, rows) - 1);
            }
            // Without parameters; with them it would be DECSLRM (left/right
            // margins), which this crate doesn't implement.
            ([], 's') if args.len <= 1 && args.raw(0) == 0 => self.save_cursor(),
            // Only without a private marker: `CSI > … u`, `CSI ? u` and friends
            // are the kitty keyboard protocol and must not move the cursor.
            ([], 'u') => self.restore_cursor(),
            ([b'>'], 'u') => {
                self.keyboard.push(args.raw(0));
                self.sync_keyboard_flags();
            }
            ([b'<'], 'u') => {
                self.keyboard.pop(args.get(0, 1));
                self.sync_keyboard_flags();
            }
            ([b'='], 'u') => {
                self.keyboard.set(args.raw(0), args.raw(1));
                self.sync_keyboard_flags();
            }
            ([b'?'], 'u') if args.raw(0) == 0 => {
                // Writing to a Vec cannot fail.
                let _ = write!(self.responses, "\x1b[?{}u", self.keyboard.current());
            }
            ([b'!'], 'p') => self.soft_reset(),
            // DECSCUSR (cursor shape) and everything else: ignored.
            _ => {}
        }
    }

    fn esc_dispatch(&mut self, intermediates: &[u8], ignore: bool, byte: u8) {
        self.sequence_ended = true;
        if ignore {
            return;
        }
        match (intermediates, byte) {
            ([], b'7') => self.save_cursor(),
            ([], b'8') => self.restore_cursor(),
            ([], b'D') => self.index(),
            ([], b'E') => {
                self.carriage_return();
                self.index();
            }
            ([], b'H') => self.tabs.set(self.cursor.x),
            ([], b'M') => self.reverse_index(),
            ([], b'Z') => self.respond(PRIMARY_DA),
            ([], b'c') => self.full_reset(),
            ([], b'=' | b'>') => {
                self.modes.application_keypad = byte == b'=';
                self.changed = true;
            }
            ([b'('], f) => self.charsets.g0 = Charset::from_final(f),
            ([b')'], f) => self.charsets.g1 = Charset::from_final(f),
            ([b'#'], b'8') => self.alignment_test(),
            _ => {}
        }
    }

    fn osc_dispatch(&mut self, params: &[&[u8]], _bell_terminated: bool) {
        // OSC 1 (icon name) and the rest (colours) are not state this crate
        // keeps; clipboard and notifications are kept for the runner.
        match params {
            [b"0" | b"2", rest @ ..] => self.set_title(rest),
            [b"8", link_params, uri @ ..] => self.set_hyperlink(link_params, uri),
            [b"52" | b"9" | b"777" | b"99" | b"133", ..] => {
                if let Some(signal) = crate::signals::parse(params) {
                    if let crate::signals::Signal::Prompt(mark) = &signal {
                        self.enter_zone(mark);
                    }
                    if self.signals.len() >= crate::signals::MAX_PENDING {
                        self.signals.remove(0);
                    }
                    self.signals.push(signal);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Terminal;

    fn term(input: &[u8]) -> Terminal {
        let mut t = Terminal::new(20, 5, 10);
        t.advance(input);
        t
    }

    #[test]
    fn status_and_position_reports() {
        let mut t = term(b"\x1b[5n");
        assert_eq!(t.take_responses(), b"\x1b[0n");
        assert!(t.take_responses().is_empty(), "responses are drained");
        let mut t = term(b"\x1b[3;7H\x1b[6n");
        assert_eq!(t.take_responses(), b"\x1b[3;7R");
        let mut t = term(b"\x1b[2;2H\x1b[?6n");
        assert_eq!(t.take_responses(), b"\x1b[?2;2R");
        // Several queries queue up in order.
        let mut t = term(b"\x1b[6n\x1b[5n");
        assert_eq!(t.take_responses(), b"\x1b[1;1R\x1b[0n");
    }

    #[test]
    fn device_attributes() {
        let mut t = term(b"\x1b[c");
        assert_eq!(t.take_responses(), b"\x1b[?1;2c");
        let mut t = term(b"\x1b[0c");
        assert_eq!(t.take_responses(), b"\x1b[?1;2c");
        let mut t = term(b"\x1b[>c");
        assert_eq!(t.take_responses(), b"\x1b[>0;10;1c");
        let mut t = term(b"\x1b[=c\x1b[?6c");
        assert!(t.take_responses().is_empty());
    }

    #[test]
    fn the_title_counts_its_changes_not_its_repeats() {
        let mut t = term(b"\x1b]2;a\x07");
        assert_eq!(t.title_changes(), 1);
        t.advance(b"\x1b]2;a\x07");
        assert_eq!(t.title_changes(), 1);
        t.advance(b"\x1b]0;b\x07");
        assert_eq!(t.title_changes(), 2);
    }

    #[test]
    fn osc_title_with_bel_and_st() {
        assert_eq!(term(b"\x1b]0;hello\x07").title(), Some("hello"));
        assert_eq!(term(b"\x1b]2;world\x1b\\").title(), Some("world"));
        assert_eq!(term(b"\x1b]2;a;b\x07").title(), Some("a;b"));
        assert_eq!(term(b"\x1b]2;caf\xc3\xa9\x07").title(), Some("caf\u{e9}"));
        assert_eq!(term(b"\x1b]1;icon\x07").title(), None);
        assert_eq!(term(b"\x1b]8;;http://x\x07link\x1b]8;;\x07").title(), None);
        // A title's BEL terminator is not a bell.
        assert_eq!(term(b"\x1b]0;x\x07").bell_count(), 0);
    }

    #[test]
    fn dec_line_drawing() {
        let t = term(b"\x1b(0lqqk\r\nx  x\r\nmqqj\x1b(Bqx");
        assert_eq!(t.dump_text(false), "┌──┐\n│  │\n└──┘qx");
        // Through G1 with SO/SI.
        let t = term(b"\x1b)0a\x0eq\x0fq");
        assert_eq!(t.dump_text(false), "a─q");
        // DECSC/DECRC save the charset.
        let t = term(b"\x1b(0\x1b7\x1b(B\x1b8q");
        assert_eq!(t.dump_text(false), "─");
    }

    #[test]
    fn kitty_keyboard_queries_do_not_restore_the_cursor() {
        let t = term(b"\x1b[2;2H\x1b[s\x1b[4;4H\x1b[?u\x1b[>1u");
        assert_eq!((t.cursor().col, t.cursor().row), (3, 3));
    }

    #[test]
    fn cursor_shape_is_ignored() {
        let t = term(b"ab\x1b[2 qc");
        assert_eq!(t.dump_text(false), "abc");
    }

    #[test]
    fn c1_controls_as_code_points() {
        let t = term("a\u{85}b".as_bytes());
        assert_eq!(t.dump_text(false), "a\nb");
    }
}
