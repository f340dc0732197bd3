//! One row of the list: a session (name with the filter's letters marked,
//! state, what it holds, its age), one of its generations, or a note under
//! an expanded session.

use revenant_plugin_api::types::{Generation, SessionInfo};

use crate::age::format_age;
use crate::state::{Row, State, is_live};
use crate::text::{Color, Line, Style};

pub fn line(state: &State, row: &Row, selected: bool) -> Line {
    let mut line = if selected { Line::bar(Style::PLAIN.reverse()) } else { Line::new() };
    match row {
        Row::Session { info, matched, expanded } => session(&mut line, state, info, matched, *expanded, selected),
        Row::Generation { generation, .. } => generation_row(&mut line, state, generation, selected),
        Row::Note { text } => {
            line.push("      ", Style::PLAIN);
            line.push(text, Style::PLAIN.dim());
        }
        Row::Host { info } => {
            line.push("── ", Style::PLAIN.dim());
            line.push(&info.label, Style::PLAIN.bold().fg(Color::Cyan));
            line.push(&format!(" {}", info.address), Style::PLAIN.dim());
            match (&info.error, info.fetching) {
                (Some(why), _) => {
                    line.push(&format!(" · unreachable: {why}"), Style::PLAIN.fg(Color::Red));
                }
                (None, true) => {
                    line.push(" · asking…", Style::PLAIN.dim());
                }
                (None, false) => {}
            }
        }
    }
    line
}

fn session(line: &mut Line, state: &State, s: &SessionInfo, matched: &[usize], expanded: bool, selected: bool) {
    line.push(if selected { "> " } else { "  " }, Style::PLAIN);
    let name_style = if selected { Style::PLAIN.bold() } else { Style::PLAIN };
    line.push_marked(&s.name, matched, name_style, name_style.fg(Color::Yellow).bold());
    if s.is_current {
        line.push(" (current)", Style::PLAIN.fg(Color::Green));
    }
    line.push(if expanded { " ▾ " } else { "  " }, Style::PLAIN.dim());
    let details = Style::PLAIN.dim();
    let now = state.now;
    if is_live(s) {
        line.push("LIVE", Style::PLAIN.fg(Color::Green));
        line.push(" · ", details);
        let mut facts = vec![
            count(s.tabs.len(), "tab", "tabs"),
            count(s.pane_count as usize, "pane", "panes"),
            count(s.connected_clients as usize, "client", "clients"),
            format!("created {} ago", format_age(now.saturating_sub(s.created_unix))),
        ];
        if let Some(why) = &s.damaged {
            facts.insert(0, why.clone());
        }
        line.push(&facts.join(" · "), details);
        return;
    }
    line.push("EXITED", Style::PLAIN.fg(Color::Red));
    line.push(" · ", details);
    let saved = format!("saved {} ago", format_age(now.saturating_sub(s.saved_unix.unwrap_or(s.created_unix))));
    if let Some(why) = &s.damaged {
        line.push("last save damaged", Style::PLAIN.fg(Color::Red));
        line.push(&format!(" ({why}) · → older snapshots · {saved}"), details);
        return;
    }
    let mut facts = Vec::new();
    if !s.tabs.is_empty() {
        facts.push(s.tabs.join(", "));
    }
    facts.push(count(s.pane_count as usize, "pane", "panes"));
    let commands: Vec<&str> = s.panes.iter().filter_map(|p| p.command.as_deref()).collect();
    if !commands.is_empty() {
        facts.push(format!("waiting: {}", commands.join(", ")));
    }
    facts.push(saved);
    line.push(&facts.join(" · "), details);
}

fn generation_row(line: &mut Line, state: &State, g: &Generation, selected: bool) {
    line.push(if selected { "    > " } else { "      " }, Style::PLAIN);
    line.push(&format!("#{}", g.id), Style::PLAIN.fg(Color::Cyan));
    // Which retention rule keeps it, as `revenant snapshots` says; first,
    // as a floating manager cuts the end of a row.
    match g.kept_by.as_deref() {
        Some("pinned") => line.push(" (pinned)", Style::PLAIN.fg(Color::Yellow)),
        Some(rule) => line.push(&format!(" ({rule})"), Style::PLAIN.dim()),
        None => line.push(" (goes next save)", Style::PLAIN.dim()),
    };
    let saved = format!("saved {} ago", format_age(state.now.saturating_sub(g.saved_unix)));
    let details = Style::PLAIN.dim();
    match &g.damaged {
        Some(why) => {
            line.push("  damaged", Style::PLAIN.fg(Color::Red));
            line.push(&format!(": {why} · {saved}"), details);
        }
        None => {
            let tabs = if g.tabs.is_empty() { String::new() } else { format!(" ({})", g.tabs.join(", ")) };
            line.push(
                &format!(
                    "  {saved} · {}{tabs} · {} · {}",
                    count(g.tabs.len(), "tab", "tabs"),
                    count(g.panes.len(), "pane", "panes"),
                    size(g.bytes)
                ),
                details,
            );
        }
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn size(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}
