//! Prompt zones (OSC 133) travel with their cells: through scrolling into
//! history, through reflow, and through a saved and replayed dump.

use crate::{Flags, Terminal};

const A: &str = "\x1b]133;A\x07";
const B: &str = "\x1b]133;B\x07";
const C: &str = "\x1b]133;C\x07";
const D: &str = "\x1b]133;D;0\x07";

/// A shell session: two prompts, each with a command and its output.
fn session(t: &mut Terminal) {
    let line = |cmd: &str, out: &str| format!("{A}\x1b[1;32m$\x1b[0m {B}{cmd}\r\n{C}{out}{D}");
    t.advance(line("ls", "a b c\r\n").as_bytes());
    t.advance(line("echo hi", "hi\r\n").as_bytes());
    t.advance(format!("{A}$ {B}").as_bytes());
}

/// Each text row's zones as letters: p prompt, i input, o output, - blank.
fn zones(t: &Terminal) -> Vec<String> {
    let mut rows: Vec<Vec<crate::Cell>> = (0..t.scrollback_len()).map(|i| t.scrollback_row(i)).collect();
    rows.extend((0..t.rows()).map(|y| t.row(y).to_vec()));
    let letters = rows.iter().map(|row| {
        let s: String = row
            .iter()
            .map(|c| match () {
                _ if c.style.flags.contains(Flags::PROMPT) => 'p',
                _ if c.style.flags.contains(Flags::INPUT) => 'i',
                _ if *c == crate::Cell::BLANK => '-',
                _ => 'o',
            })
            .collect();
        s.trim_end_matches('-').to_string()
    });
    letters.filter(|s| !s.is_empty()).collect()
}

#[test]
fn marks_set_the_zone_of_what_is_written_and_sgr_reset_keeps_it() {
    let mut t = Terminal::new(20, 10, 100);
    session(&mut t);
    assert_eq!(zones(&t), ["ppii", "o-o-o", "ppiiiiiii", "oo", "pp"]);
}

#[test]
fn zones_go_into_history_and_through_reflow() {
    let mut t = Terminal::new(20, 3, 100);
    session(&mut t);
    assert!(t.scrollback_len() >= 2, "the first command scrolled off");
    assert_eq!(zones(&t), ["ppii", "o-o-o", "ppiiiiiii", "oo", "pp"]);
    // Narrower: "$ echo hi" wraps; its zones wrap with it.
    t.resize(5, 3);
    assert_eq!(zones(&t), ["ppii", "o-o-o", "ppiii", "iiii", "oo", "pp"]);
    t.resize(20, 3);
    assert_eq!(zones(&t), ["ppii", "o-o-o", "ppiiiiiii", "oo", "pp"]);
}

#[test]
fn a_dump_carries_the_zones_and_its_replay_raises_no_signals() {
    let mut t = Terminal::new(20, 4, 100);
    session(&mut t);
    drop(t.take_signals());
    let (history, screen) = t.dump_ansi(None);
    let mut back = Terminal::new(20, 4, 100);
    back.replay(history.into_iter().chain(screen).collect::<Vec<_>>().join("\n").as_bytes());
    assert_eq!(zones(&back), zones(&t));
    assert!(back.take_signals().is_empty(), "replayed marks are history");
}
