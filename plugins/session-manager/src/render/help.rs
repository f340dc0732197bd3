//! The footer: a question being asked, else the last message, else the
//! keys of the screen, as many as fit, and how long ago the current session
//! was saved.

use crate::age::format_age;
use crate::state::{Mode, State};
use crate::text::{Color, Line, Style, clip};

const LIST_KEYS: &[(&str, &str)] = &[
    ("↑↓", "select"),
    ("ENTER", "switch/resurrect"),
    ("TAB", "exited"),
    ("→", "snapshots"),
    ("DEL", "kill/delete"),
    ("^R", "rename"),
    ("^A", "save"),
    ("^X", "disconnect others"),
    ("^D", "kill/delete all"),
    ("ESC", "close"),
];
const PROMPT_KEYS: &[(&str, &str)] = &[("ENTER", "rename"), ("ESC", "cancel")];

pub fn footer(state: &State, cols: usize) -> Line {
    let mut line = Line::new();
    if let Mode::Confirm { question, .. } = &state.mode {
        // However narrow the pane, the keys that answer stay in sight.
        const ANSWER: &str = " (y/n)";
        let asked = question.strip_suffix(ANSWER).unwrap_or(question);
        let text = clip(asked, cols.saturating_sub(ANSWER.len()));
        line.push(&format!("{text}{ANSWER}"), Style::PLAIN.bold().fg(Color::Yellow));
        return line;
    }
    if let Some(status) = &state.status {
        line.push(&status.text, Style::PLAIN.fg(if status.error { Color::Red } else { Color::Green }));
        return line;
    }
    let saved = state
        .current()
        .and_then(|s| s.saved_unix)
        .filter(|_| !state.welcome)
        .map(|at| format!("saved {} ago", format_age(state.now.saturating_sub(at))));
    let room = cols.saturating_sub(saved.as_ref().map_or(0, |s| s.chars().count() + 2));
    let keys = if matches!(state.mode, Mode::Rename { .. }) { PROMPT_KEYS } else { LIST_KEYS };
    let mut used = 0;
    for (i, (key, what)) in keys.iter().enumerate() {
        let sep = if i == 0 { 0 } else { 3 };
        let width = sep + key.chars().count() + 1 + what.chars().count();
        if used + width > room {
            break;
        }
        if i > 0 {
            line.push(" · ", Style::PLAIN.dim());
        }
        line.push(key, Style::PLAIN.bold());
        line.push(&format!(" {what}"), Style::PLAIN.dim());
        used += width;
    }
    if let Some(saved) = saved {
        line.push(&" ".repeat(room.saturating_sub(used) + 2), Style::PLAIN);
        line.push(&saved, Style::PLAIN.dim());
    }
    line
}
