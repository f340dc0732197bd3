//! `revenant ls` and `revenant snapshots`: what sessions there are and
//! what each has saved.

use std::io::{IsTerminal, Write};

use anyhow::{Result, bail};

use crate::cli::commands::socket_dir;
use crate::registry::{self, Listed};
use crate::store;
use crate::store::summary::GenerationSummary;
use crate::table::{self, Align};

/// `revenant snapshots NAME [--json]`.
pub fn snapshots(name: &str, json: bool) -> Result<()> {
    let retention = crate::config_files::load_config().map(|c| c.retention).unwrap_or_default();
    let list = crate::store::summary::generations_kept(name, &retention);
    if list.is_empty() && !store::session_dir(name).exists() {
        bail!("no saved session named `{name}`");
    }
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(&list)?)?;
        return Ok(());
    }
    if list.is_empty() {
        eprintln!("`{name}` has no snapshots yet");
    }
    write!(out, "{}", snapshot_table(&list, now_unix()))?;
    Ok(())
}

/// One line a generation: id, age, size, what it holds.
fn snapshot_table(list: &[GenerationSummary], now: u64) -> String {
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|g| {
            let age = format_age(now.saturating_sub(g.saved_unix));
            let what = match &g.damaged {
                Some(why) => format!("damaged: {why}"),
                None => format!("{} tabs ({}), {} panes", g.tabs.len(), g.tabs.join(", "), g.panes.len()),
            };
            let pin = if g.pinned { "  (pinned: a much poorer save followed)" } else { "" };
            let kept = match g.kept_by {
                Some(rule) => format!("kept: {rule}"),
                None => "goes at the next save".to_string(),
            };
            vec![g.id.clone(), format!("saved {age} ago"), format_bytes(g.bytes), kept, format!("{what}{pin}")]
        })
        .collect();
    table::render(None, &rows, &[Align::Right, Align::Left, Align::Right, Align::Left])
}

/// `revenant snapshots diff NAME A B`.
pub fn snapshot_diff(name: &str, a: &str, b: &str, json: bool) -> Result<()> {
    let read = |id: &str| -> Result<store::summary::SessionSummary> {
        let Some(generation) = store::generation(name, id) else {
            let ids: Vec<String> = store::generation_list(name).into_iter().map(|g| g.id).collect();
            if ids.is_empty() {
                bail!("`{name}` has no saved generations");
            }
            bail!("`{name}` has no generation {id} (it has {})", ids.join(", "));
        };
        store::summary::of_layout(&generation.layout).map_err(|e| anyhow::anyhow!("generation {id}: {e}"))
    };
    let lines = store::diff::diff(&read(a)?, &read(b)?);
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(&lines)?)?;
    } else if lines.is_empty() {
        writeln!(out, "generations {a} and {b} hold the same tabs, panes, commands and folders")?;
    } else {
        for line in lines {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

fn format_bytes(n: u64) -> String {
    match n {
        0..1024 => format!("{n} B"),
        1024..1_048_576 => format!("{:.1} KiB", n as f64 / 1024.0),
        _ => format!("{:.1} MiB", n as f64 / 1_048_576.0),
    }
}

/// This host's sessions, newest first (oldest with `reverse`).
fn listed(reverse: bool) -> Result<Vec<Listed>> {
    let mut all = registry::all_sessions(&socket_dir()?, None);
    if reverse {
        all.reverse();
    }
    Ok(all)
}

/// The session `ls` runs in, if any.
fn current_session() -> Option<String> {
    std::env::var("REVENANT_SESSION_NAME").ok()
}

/// This host's sessions as `ls --json` writes them, newest first.
pub fn local_rows(reverse: bool) -> Result<Vec<serde_json::Value>> {
    let all = listed(reverse)?;
    let current = current_session();
    let is_current = |name: &str| current.as_deref() == Some(name);
    Ok(all
        .iter()
        .map(|s| match s {
            Listed::Exited(s) => {
                // What its newest snapshot brings back, as a live row says
                // what it holds (a manager on another host shows it).
                let newest = crate::store::summary::generations(&s.name).into_iter().next();
                let (tabs, panes) = newest.map(|g| (g.tabs, g.panes.len())).unwrap_or_default();
                serde_json::json!({
                    "name": s.name,
                    "state": "exited",
                    "created_unix": s.created_unix,
                    "saved_unix": s.saved_unix,
                    "layout": s.layout,
                    "tabs": tabs,
                    "panes": panes,
                    "damaged": crate::store::fallback::check(&s.layout).err(),
                    "pinned": store::generation_list(&s.name)
                        .into_iter()
                        .filter(|g| g.pinned)
                        .map(|g| g.id)
                        .collect::<Vec<_>>(),
                    "is_current": false,
                })
            }
            Listed::Live(s) => serde_json::json!({
                "name": s.name,
                "state": "live",
                "pid": s.pid,
                "created_unix": s.created_unix,
                "clients": s.clients,
                "tabs": s.tabs,
                "panes": s.panes,
                "responding": s.responding,
                "is_current": is_current(&s.name),
                "frames": s.frames,
                "frame_micros": s.frame_micros,
            }),
        })
        .collect())
}

pub fn list_sessions(short: bool, no_formatting: bool, json: bool, reverse: bool) -> Result<()> {
    if json {
        writeln!(std::io::stdout().lock(), "{}", serde_json::Value::Array(local_rows(reverse)?))?;
        return Ok(());
    }
    let all = listed(reverse)?;
    let current = current_session();
    let is_current = |name: &str| current.as_deref() == Some(name);
    let mut out = std::io::stdout().lock();
    if all.is_empty() {
        if !short {
            eprintln!("no sessions");
        }
        return Ok(());
    }
    let colour = !no_formatting && std::io::stdout().is_terminal();
    for s in &all {
        if short {
            writeln!(out, "{}", s.name())?;
            continue;
        }
        let age = format_age(now_unix().saturating_sub(s.created_unix()));
        let (name, suffix) = match s {
            Listed::Live(s) => (
                if colour { format!("\x1b[32;1m{}\x1b[0m", s.name) } else { s.name.clone() },
                live_suffix(is_current(&s.name), s.clients > 0, s.responding),
            ),
            Listed::Exited(s) => {
                (if colour { format!("\x1b[2m{}\x1b[0m", s.name) } else { s.name.clone() }, exited_suffix(s))
            }
        };
        writeln!(out, "{name} [Created {age} ago]{suffix}")?;
    }
    Ok(())
}

/// What `ls` says of a live session, as tmux marks one a client is
/// attached to.
pub(crate) fn live_suffix(current: bool, attached: bool, responding: bool) -> String {
    let notes: Vec<&str> = [(current, "current"), (attached, "attached"), (!responding, "not responding")]
        .into_iter()
        .filter_map(|(on, note)| on.then_some(note))
        .collect();
    if notes.is_empty() { String::new() } else { format!(" ({})", notes.join(", ")) }
}

/// What `ls` says of an exited session: damaged, and pinned snapshots.
fn exited_suffix(s: &store::Saved) -> String {
    if let Some(why) = &s.unreadable {
        return format!(" (EXITED - unreadable: {why})");
    }
    let mut notes = vec!["attach to resurrect".to_string()];
    if crate::store::fallback::check(&s.layout).is_err() {
        if crate::store::fallback::resurrectable(&s.name).is_err() {
            return format!(" (EXITED - damaged: no whole snapshot; `revenant delete-session {}` forgets it)", s.name);
        }
        notes.push("last save damaged".into());
    }
    for g in store::generation_list(&s.name).into_iter().filter(|g| g.pinned) {
        notes.push(format!("snapshot {} pinned", g.id));
    }
    format!(" (EXITED - {})", notes.join("; "))
}

fn now_unix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// "2h 5m", "3d 4h", "15s": two units at most.
pub fn format_age(secs: u64) -> String {
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_like_zellij() {
        assert_eq!(format_age(15), "15s");
        assert_eq!(format_age(125), "2m 5s");
        assert_eq!(format_age(7500), "2h 5m");
        assert_eq!(format_age(3 * 86_400 + 4 * 3600), "3d 4h");
    }

    #[test]
    fn snapshot_columns_line_up() {
        let g = |id: &str, ago: u64, bytes: u64| GenerationSummary {
            id: id.into(),
            saved_unix: 1000 - ago,
            bytes,
            tabs: vec!["Tab #1".into()],
            panes: Vec::new(),
            damaged: None,
            pinned: false,
            kept_by: Some("last"),
        };
        let text = snapshot_table(&[g("12", 10, 7066), g("9", 63, 6656)], 1000);
        assert_eq!(
            text,
            "12  saved 10s ago    6.9 KiB  kept: last  1 tabs (Tab #1), 0 panes\n 9  saved 1m 3s ago  6.5 KiB  kept: last  1 tabs (Tab #1), 0 panes\n"
        );
    }

    #[test]
    fn live_sessions_are_marked_attached_current_or_not_responding() {
        assert_eq!(live_suffix(false, false, true), "");
        assert_eq!(live_suffix(false, true, true), " (attached)");
        assert_eq!(live_suffix(true, true, false), " (current, attached, not responding)");
    }
}
