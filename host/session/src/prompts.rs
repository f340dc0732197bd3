//! Where a shell's prompts and commands' outputs are in a pane's text, from
//! the zones its cells carry (OSC 133, `revenant_terminal::Flags::PROMPT`
//! and `INPUT`). Cells carry them, so they stay right through scrolling,
//! reflow and a resurrection.

use revenant_terminal::{Cell, Flags, Terminal};

use crate::selection::{line, runs_on};

fn has(row: &[Cell], zone: Flags) -> bool {
    row.iter().any(|c| c.style.flags.contains(zone))
}

/// Whether a prompt starts on `l`: it has prompt text that is not the
/// end of a prompt wrapped from the line above.
fn prompt_starts(term: &Terminal, l: usize) -> bool {
    let row = line(term, l);
    if !has(&row, Flags::PROMPT) {
        return false;
    }
    let continued = l > 0
        && runs_on(term, l - 1)
        && line(term, l - 1).last().is_some_and(|c| c.style.flags.contains(Flags::PROMPT));
    !continued
}

fn line_count(term: &Terminal) -> usize {
    term.scrollback_len() + usize::from(term.rows())
}

/// The nearest line above (`up`) or below `from` where a prompt starts.
pub fn next_prompt(term: &Terminal, from: usize, up: bool) -> Option<usize> {
    if !term.saw_prompt_marks() {
        return None;
    }
    if up {
        (0..from).rev().find(|l| prompt_starts(term, *l))
    } else {
        (from + 1..line_count(term)).find(|l| prompt_starts(term, *l))
    }
}

/// Whether the pane's text has prompt marks at all (the shell integration
/// is on).
pub fn has_prompts(term: &Terminal) -> bool {
    term.saw_prompt_marks() && (0..line_count(term)).rev().any(|l| has(&line(term, l), Flags::PROMPT))
}

/// The first and last line of the output of the command at or above
/// `at`: the lines after its command line, up to the next prompt, without
/// blank lines at the end. `None` when no prompt is above, or it printed
/// nothing.
pub fn output_around(term: &Terminal, at: usize) -> Option<(usize, usize)> {
    if !term.saw_prompt_marks() {
        return None;
    }
    let count = line_count(term);
    let prompt = if prompt_starts(term, at) { at } else { next_prompt(term, at, true)? };
    // The command line may wrap or follow a prompt of several lines.
    let mut first = prompt;
    while first < count {
        let row = line(term, first);
        let command = has(&row, Flags::PROMPT) || has(&row, Flags::INPUT);
        let wrapped_on = first > prompt && runs_on(term, first - 1);
        if !command && !wrapped_on {
            break;
        }
        first += 1;
    }
    let end = next_prompt(term, prompt, false).unwrap_or(count);
    let last = (first..end).rev().find(|l| line(term, *l).iter().any(|c| *c != Cell::BLANK))?;
    Some((first, last))
}

/// A line of the command last run: the one still running, else the one
/// before the prompt that waits.
pub fn last_command(term: &Terminal) -> Option<usize> {
    let last = next_prompt(term, line_count(term), true)?;
    Some(if output_around(term, last).is_none() { last.saturating_sub(1) } else { last })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(rows: u16) -> Terminal {
        let (a, b, c, d) = ("\x1b]133;A\x07", "\x1b]133;B\x07", "\x1b]133;C\x07", "\x1b]133;D;0\x07");
        let mut t = Terminal::new(20, rows, 100);
        let cmd = |cmd: &str, out: &str| format!("{a}$ {b}{cmd}\r\n{c}{out}{d}");
        t.advance(cmd("ls", "a\r\nb\r\n\r\n").as_bytes());
        t.advance(cmd("true", "").as_bytes());
        t.advance(cmd("echo hi", "hi\r\n").as_bytes());
        t.advance(format!("{a}$ {b}").as_bytes());
        t
    }

    #[test]
    fn prompts_are_found_up_and_down() {
        let t = shell(4);
        // Lines: 0 "$ ls", 1 a, 2 b, 3 "", 4 "$ true", 5 "$ echo hi", 6 hi, 7 "$ ".
        assert_eq!(next_prompt(&t, 7, true), Some(5));
        assert_eq!(next_prompt(&t, 5, true), Some(4));
        assert_eq!(next_prompt(&t, 4, true), Some(0));
        assert_eq!(next_prompt(&t, 0, true), None);
        assert_eq!(next_prompt(&t, 1, false), Some(4));
        assert!(has_prompts(&t));
        assert!(!has_prompts(&Terminal::new(20, 4, 10)));
    }

    #[test]
    fn a_commands_output_is_the_lines_between_its_command_and_the_next_prompt() {
        let t = shell(4);
        assert_eq!(output_around(&t, 2), Some((1, 2)), "the blank line after b is left out");
        assert_eq!(output_around(&t, 0), Some((1, 2)));
        assert_eq!(output_around(&t, 4), None, "true printed nothing");
        assert_eq!(output_around(&t, 6), Some((6, 6)));
    }

    #[test]
    fn the_last_command_is_the_one_before_the_waiting_prompt() {
        let t = shell(4);
        assert_eq!(output_around(&t, last_command(&t).unwrap()), Some((6, 6)));
    }

    #[test]
    fn a_wrapped_command_line_is_not_output() {
        let (a, b, c) = ("\x1b]133;A\x07", "\x1b]133;B\x07", "\x1b]133;C\x07");
        let mut t = Terminal::new(8, 6, 10);
        t.advance(format!("{a}$ {b}echo abcdefgh\r\n{c}abcdefgh\r\n{a}$ ").as_bytes());
        // "$ echo a" wraps into "bcdefgh"; the output starts after it.
        assert_eq!(output_around(&t, 2), Some((2, 2)));
        assert_eq!(next_prompt(&t, 3, true), Some(0), "the wrapped line is not a prompt");
    }
}
