//! Drawing the state into a pane of any size.
//!
//! The title is on the first row and the status/help line on the last, so
//! the keys (or the last error) stay in the same place however long the list
//! is; the rows in between belong to the list. Panes too small for all of it
//! lose the hint first, then the list, then the status line.

use revenant_plugin_api::types::SessionInfo;

use crate::age::format_age;
use crate::state::{State, is_live};
use crate::text::{Color, Line, Style};

const HELP_SHOW: &str = "↑↓ select · ENTER switch/resurrect · TAB show exited · DEL delete/kill · ESC close";
const HELP_HIDE: &str = "↑↓ select · ENTER switch/resurrect · TAB hide exited · DEL delete/kill · ESC close";

pub fn render(state: &mut State, rows: u32, cols: u32) -> Vec<String> {
    let rows = usize::try_from(rows).unwrap_or(usize::MAX);
    let cols = usize::try_from(cols).unwrap_or(usize::MAX);
    if rows == 0 {
        return Vec::new();
    }
    if rows == 1 {
        // One row: an error beats the title, since the user must see why their
        // key press did nothing.
        let line = if state.status.is_some() { footer(state) } else { title(state) };
        return vec![line.finish(cols)];
    }

    let hidden = state.hidden_exited();
    let show_hint = hidden > 0 && rows >= 4;
    let list_rows = rows - 2 - usize::from(show_hint);

    let mut lines = Vec::with_capacity(rows);
    lines.push(title(state).finish(cols));
    let first = state.scroll_into_view(list_rows);
    let visible = state.visible();
    if visible.is_empty() && list_rows > 0 {
        lines.push(empty_message(state).finish(cols));
    }
    for (index, session) in visible.iter().enumerate().skip(first).take(list_rows) {
        lines.push(session_row(session, index == state.selected()).finish(cols));
    }
    while lines.len() < 1 + list_rows {
        lines.push(String::new());
    }
    if show_hint {
        lines.push(hint(hidden).finish(cols));
    }
    lines.push(footer(state).finish(cols));
    lines
}

fn title(state: &State) -> Line {
    let mut line = Line::new();
    line.push("Sessions", Style::PLAIN.bold());
    if state.filter().is_empty() {
        line.push("  type to filter", Style::PLAIN.dim());
    } else {
        line.push("  filter: ", Style::PLAIN.dim());
        line.push(state.filter(), Style::PLAIN.fg(Color::Yellow));
    }
    line
}

fn empty_message(state: &State) -> Line {
    let text = if state.total() == 0 {
        "  No sessions".to_owned()
    } else if !state.filter().is_empty() {
        format!("  No session matches \"{}\"", state.filter())
    } else {
        "  No live sessions".to_owned()
    };
    let mut line = Line::new();
    line.push(&text, Style::PLAIN.dim());
    line
}

fn session_row(session: &SessionInfo, selected: bool) -> Line {
    let (mut line, marker, name_style) = if selected {
        (Line::bar(Style::PLAIN.reverse()), "> ", Style::PLAIN.bold())
    } else {
        (Line::new(), "  ", Style::PLAIN)
    };
    line.push(marker, Style::PLAIN);
    line.push(&session.name, name_style);
    if session.is_current {
        line.push(" (current)", Style::PLAIN.fg(Color::Green));
    }
    let details = Style::PLAIN.dim();
    line.push("  ", details);
    if !is_live(session) {
        line.push("EXITED", Style::PLAIN.dim().fg(Color::Red));
        line.push(" · ", details);
    }
    let mut facts = vec![count(session.tabs.len(), "tab", "tabs"), count(session.pane_count as usize, "pane", "panes")];
    if is_live(session) {
        facts.push(count(session.connected_clients as usize, "client", "clients"));
    }
    facts.push(format_age(crate::state::now_unix().saturating_sub(crate::state::since(session))));
    line.push(&facts.join(" · "), details);
    line
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn hint(hidden: usize) -> Line {
    let what = if hidden == 1 { "exited session" } else { "exited sessions" };
    let mut line = Line::new();
    line.push(&format!("{hidden} {what} hidden · TAB shows them"), Style::PLAIN.dim());
    line
}

fn footer(state: &State) -> Line {
    let mut line = Line::new();
    match &state.status {
        Some(error) => line.push(error, Style::PLAIN.fg(Color::Red)),
        None if state.show_exited() => line.push(HELP_HIDE, Style::PLAIN.dim()),
        None => line.push(HELP_SHOW, Style::PLAIN.dim()),
    };
    line
}
