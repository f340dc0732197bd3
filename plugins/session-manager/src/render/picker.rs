//! The layout picker a new session's name leads to: the built-in layouts
//! and the user's, fuzzy-filtered.

use crate::actions::picked;
use crate::state::{Mode, State};
use crate::text::{Color, Line, Style};

pub fn render(state: &State, rows: usize, cols: usize) -> Vec<String> {
    let Mode::Picker { name, layouts, filter, selected } = &state.mode else { return Vec::new() };
    let mut lines = Vec::new();
    let mut title = Line::new();
    title.push("New session ", Style::PLAIN.bold());
    title.push(name, Style::PLAIN.bold().fg(Color::Yellow));
    title.push(" · pick a layout", Style::PLAIN.dim());
    lines.push(title.finish(cols));
    let mut prompt = Line::new();
    prompt.push("> ", Style::PLAIN.fg(Color::Green).bold());
    prompt.push(filter, Style::PLAIN.fg(Color::Yellow));
    prompt.push("▏", Style::PLAIN.fg(Color::Yellow));
    lines.push(prompt.finish(cols));
    let shown = picked(layouts, filter);
    let room = rows.saturating_sub(3);
    let first = selected.saturating_sub(room.saturating_sub(1));
    if shown.is_empty() && room > 0 {
        let mut line = Line::new();
        line.push("  No layout matches", Style::PLAIN.dim());
        lines.push(line.finish(cols));
    }
    for (row, (i, matched)) in shown.iter().enumerate().skip(first).take(room) {
        let is_selected = row == *selected;
        let mut line = if is_selected { Line::bar(Style::PLAIN.reverse()) } else { Line::new() };
        let layout = &layouts[*i];
        line.push(if is_selected { "> " } else { "  " }, Style::PLAIN);
        line.push_marked(&layout.name, matched, Style::PLAIN, Style::PLAIN.bold().fg(Color::Yellow));
        line.push(if layout.builtin { "  built-in" } else { "  layout_dir" }, Style::PLAIN.dim());
        lines.push(line.finish(cols));
    }
    lines.truncate(rows.saturating_sub(1));
    while lines.len() + 1 < rows {
        lines.push(String::new());
    }
    let mut footer = Line::new();
    match &state.status {
        Some(s) => {
            footer.push(&s.text, Style::PLAIN.fg(if s.error { Color::Red } else { Color::Green }));
        }
        None => {
            footer.push("ENTER", Style::PLAIN.bold());
            footer.push(" create · ", Style::PLAIN.dim());
            footer.push("↑↓", Style::PLAIN.bold());
            footer.push(" select · ", Style::PLAIN.dim());
            footer.push("ESC", Style::PLAIN.bold());
            footer.push(" back", Style::PLAIN.dim());
        }
    }
    if rows >= 1 {
        lines.push(footer.finish(cols));
    }
    lines
}
