//! Drawing the state into a pane of any size.
//!
//! The top rows hold the title and the filter prompt, the last row the
//! footer (help, or the last message, or a question), so the keys stay in
//! the same place however long the list is. A pane at least 100 columns
//! wide also shows a preview of the selected session on the right. Panes too
//! small for everything lose the title first, then the hint, then the list.

mod help;
mod picker;
mod preview;
mod rows;

use crate::state::{Mode, State};
use crate::text::{Color, Line, Style};

/// Wide enough for a preview beside the list.
const PREVIEW_FROM: usize = 100;

pub fn render(state: &mut State, rows: u32, cols: u32) -> Vec<String> {
    let rows = usize::try_from(rows).unwrap_or(usize::MAX);
    let cols = usize::try_from(cols).unwrap_or(usize::MAX);
    if rows == 0 || cols == 0 {
        return Vec::new();
    }
    if let Mode::Picker { .. } = state.mode {
        return picker::render(state, rows, cols);
    }
    if rows == 1 {
        return vec![help::footer(state, cols).finish(cols)];
    }
    let (list_cols, preview_cols) = if cols >= PREVIEW_FROM { (cols - cols * 2 / 5, cols * 2 / 5) } else { (cols, 0) };
    let show_title = rows >= 4;
    let hidden = state.hidden_exited();
    let show_hint = hidden > 0 && rows >= 6;
    let list_rows = rows - 2 - usize::from(show_title) - usize::from(show_hint);

    let mut left = Vec::with_capacity(rows);
    if show_title {
        left.push(title(state));
    }
    left.push(prompt(state));
    let first = state.scroll_into_view(list_rows);
    let all = state.rows();
    let selected = state.selected_index(&all);
    if all.is_empty() {
        left.push(empty_message(state));
    }
    for (index, row) in all.iter().enumerate().skip(first).take(list_rows) {
        left.push(rows::line(state, row, Some(index) == selected));
    }
    let top = usize::from(show_title) + 1;
    while left.len() < top + list_rows {
        left.push(Line::new());
    }
    if show_hint {
        left.push(hint(hidden));
    }
    let footer = help::footer(state, cols);
    let mut out: Vec<String> = left.iter().map(|l| l.finish(list_cols)).collect();
    if preview_cols > 0 {
        let panel = preview::render(state, rows - 1, preview_cols - 1);
        for (line, right) in out.iter_mut().zip(panel) {
            let pad = list_cols.saturating_sub(crate::text::str_width(&crate::text::strip_sgr(line)));
            line.push_str(&" ".repeat(pad));
            line.push_str("\x1b[2m│\x1b[0m");
            line.push_str(&right);
        }
    }
    out.push(footer.finish(cols));
    out
}

fn title(state: &State) -> Line {
    let mut line = Line::new();
    if state.welcome {
        line.push("Welcome to Revenant", Style::PLAIN.bold().fg(Color::Green));
        line.push("  pick a session, or type a new name", Style::PLAIN.dim());
        return line;
    }
    let live = state.sessions().iter().filter(|s| crate::state::is_live(s)).count();
    let exited = state.sessions().len() - live;
    line.push("Sessions", Style::PLAIN.bold());
    line.push(&format!("  {live} live · {exited} exited"), Style::PLAIN.dim());
    line
}

fn prompt(state: &State) -> Line {
    let mut line = Line::new();
    if let Mode::Rename { text } = &state.mode {
        line.push("Rename this session to: ", Style::PLAIN.bold().fg(Color::Yellow));
        line.push(text, Style::PLAIN);
        line.push("▏", Style::PLAIN.fg(Color::Yellow));
        return line;
    }
    line.push("> ", Style::PLAIN.fg(Color::Green).bold());
    if state.filter.is_empty() {
        line.push("type to filter · a new name + ENTER creates it", Style::PLAIN.dim());
    } else {
        line.push(&state.filter, Style::PLAIN.fg(Color::Yellow));
        line.push("▏", Style::PLAIN.fg(Color::Yellow));
    }
    line
}

fn empty_message(state: &State) -> Line {
    let text = if !state.filter.is_empty() {
        format!("  No session matches \"{}\" · ENTER creates it", state.filter)
    } else if state.sessions().iter().all(|s| s.is_current && state.welcome) {
        "  No sessions yet · type a name and press ENTER".to_owned()
    } else {
        "  No live sessions · TAB shows the exited ones".to_owned()
    };
    let mut line = Line::new();
    line.push(&text, Style::PLAIN.dim());
    line
}

fn hint(hidden: usize) -> Line {
    let what = if hidden == 1 { "exited session" } else { "exited sessions" };
    let mut line = Line::new();
    line.push(&format!("{hidden} {what} hidden · TAB shows them"), Style::PLAIN.dim());
    line
}
