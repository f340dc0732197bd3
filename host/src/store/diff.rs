//! What differs between two snapshots of a session (`revenant snapshots
//! diff`): tabs added, removed or moved, and in the tabs both hold, panes
//! added or removed and the commands and folders that changed. Panes are
//! matched by title within their tab, then by order among those of one
//! title: a layout has no pane ids that last across saves.

use super::summary::{PaneSummary, SessionSummary};

/// One difference, as a line a person reads; `from` is the older side.
pub fn diff(from: &SessionSummary, to: &SessionSummary) -> Vec<String> {
    let mut out = Vec::new();
    for (i, name) in from.tabs.iter().enumerate() {
        match to.tabs.iter().position(|t| t == name) {
            None => out.push(format!("tab {name:?}: removed")),
            Some(j) if j != i => out.push(format!("tab {name:?}: moved from position {} to {}", i + 1, j + 1)),
            Some(_) => {}
        }
    }
    for name in to.tabs.iter().filter(|t| !from.tabs.contains(t)) {
        out.push(format!("tab {name:?}: added"));
    }
    for (i, name) in from.tabs.iter().enumerate() {
        let Some(j) = to.tabs.iter().position(|t| t == name) else { continue };
        let old: Vec<&PaneSummary> = from.panes.iter().filter(|p| p.tab as usize == i).collect();
        let new: Vec<&PaneSummary> = to.panes.iter().filter(|p| p.tab as usize == j).collect();
        panes(name, &old, &new, &mut out);
    }
    out
}

fn panes(tab: &str, old: &[&PaneSummary], new: &[&PaneSummary], out: &mut Vec<String>) {
    let mut taken = vec![false; new.len()];
    for pane in old {
        let partner = new.iter().enumerate().position(|(k, p)| !taken[k] && p.title == pane.title);
        let Some(k) = partner else {
            out.push(format!("tab {tab:?}, pane {:?}: removed{}", pane.title, running(pane)));
            continue;
        };
        taken[k] = true;
        let now = new[k];
        if pane.command != now.command {
            out.push(format!(
                "tab {tab:?}, pane {:?}: command {} -> {}",
                pane.title,
                shown(&pane.command),
                shown(&now.command)
            ));
        }
        if pane.cwd != now.cwd {
            out.push(format!("tab {tab:?}, pane {:?}: cwd {} -> {}", pane.title, shown(&pane.cwd), shown(&now.cwd)));
        }
    }
    for pane in new.iter().zip(&taken).filter(|(_, t)| !**t).map(|(p, _)| p) {
        out.push(format!("tab {tab:?}, pane {:?}: added{}", pane.title, running(pane)));
    }
}

fn shown(value: &Option<String>) -> String {
    value.as_deref().map_or_else(|| "(none)".to_string(), |v| format!("`{v}`"))
}

fn running(pane: &PaneSummary) -> String {
    pane.command.as_deref().map(|c| format!(" (running `{c}`)")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pane(tab: u32, title: &str, command: Option<&str>, cwd: Option<&str>) -> PaneSummary {
        PaneSummary {
            tab,
            title: title.into(),
            command: command.map(Into::into),
            cwd: cwd.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn tabs_panes_commands_and_cwds_that_changed_are_named() {
        let from = SessionSummary {
            tabs: vec!["code".into(), "logs".into(), "old".into()],
            focused_tab: 0,
            panes: vec![
                pane(0, "editor", Some("vim a.rs"), Some("/src")),
                pane(0, "shell", None, Some("/src")),
                pane(1, "tail", Some("tail -f x"), None),
                pane(2, "gone", None, None),
            ],
        };
        let to = SessionSummary {
            tabs: vec!["logs".into(), "code".into(), "new".into()],
            focused_tab: 0,
            panes: vec![
                pane(0, "tail", Some("tail -f x"), None),
                pane(1, "editor", Some("vim b.rs"), Some("/src")),
                pane(1, "shell", None, Some("/tmp")),
                pane(1, "build", Some("cargo watch"), None),
            ],
        };
        assert_eq!(
            diff(&from, &to),
            [
                "tab \"code\": moved from position 1 to 2",
                "tab \"logs\": moved from position 2 to 1",
                "tab \"old\": removed",
                "tab \"new\": added",
                "tab \"code\", pane \"editor\": command `vim a.rs` -> `vim b.rs`",
                "tab \"code\", pane \"shell\": cwd `/src` -> `/tmp`",
                "tab \"code\", pane \"build\": added (running `cargo watch`)",
            ]
        );
        assert!(diff(&from, &from).is_empty());
    }
}
