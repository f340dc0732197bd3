//! What a session holds, in brief, for the session manager and
//! `revenant snapshots`: tab names and panes (title, command, cwd, where it
//! sits). A live session describes itself; a saved one is read from a
//! snapshot's layout.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::store;

/// Snapshots are laid out at this size to place their panes (they do not
/// record the size they were saved at).
const PREVIEW_SIZE: (u16, u16) = (120, 40);

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaneSummary {
    pub tab: u32,
    pub title: String,
    pub command: Option<String>,
    pub cwd: Option<String>,
    pub x: u32,
    pub y: u32,
    pub cols: u32,
    pub rows: u32,
    pub focused: bool,
    pub floating: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub tabs: Vec<String>,
    pub focused_tab: u32,
    pub panes: Vec<PaneSummary>,
}

/// A snapshot layout's tabs and panes (the bars it carries are left out).
pub fn of_layout(path: &Path) -> Result<SessionSummary, String> {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    let layout = revenant_layout::Layout::load(path, home.as_deref()).map_err(|e| first_line(&e.to_string()))?;
    let (cols, rows) = PREVIEW_SIZE;
    let tabs = layout
        .normalize(cols, rows)
        .or_else(|_| layout.normalize(cols * 3, rows * 3))
        .map_err(|e| first_line(&e.to_string()))?;
    let mut out = SessionSummary::default();
    for (t, tab) in tabs.iter().enumerate() {
        out.tabs.push(tab.name.clone());
        if tab.focus {
            out.focused_tab = t as u32;
        }
        for pane in &tab.panes {
            let spec = &pane.spec;
            if spec.plugin.as_ref().is_some_and(|p| is_bar(&p.location)) {
                continue;
            }
            let command = spec.command.as_ref().map(|argv| argv.join(" "));
            let title = spec
                .name
                .clone()
                .or_else(|| spec.plugin.as_ref().map(|p| p.location.clone()))
                .or_else(|| command.clone())
                .unwrap_or_else(|| "shell".into());
            out.panes.push(PaneSummary {
                tab: t as u32,
                title,
                command,
                cwd: spec.cwd.as_ref().map(|c| c.display().to_string()),
                x: pane.x.into(),
                y: pane.y.into(),
                cols: pane.cols.into(),
                rows: pane.rows.into(),
                focused: spec.focus,
                floating: pane.floating,
            });
        }
    }
    Ok(out)
}

fn is_bar(location: &str) -> bool {
    let bare = location.split_once(':').map_or(location, |(_, name)| name);
    matches!(bare, "tab-bar" | "status-bar" | "compact-bar")
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}

/// A generation as `revenant snapshots` and the session manager show it.
#[derive(Debug, Clone, Serialize)]
pub struct GenerationSummary {
    pub id: String,
    pub saved_unix: u64,
    pub bytes: u64,
    pub tabs: Vec<String>,
    pub panes: Vec<PaneSummary>,
    /// Why its layout cannot be read, if it cannot.
    pub damaged: Option<String>,
    /// Kept whatever the retention policy says: a much poorer save
    /// followed it.
    pub pinned: bool,
    /// The retention rule that keeps it (`last`, `hourly`, `daily`,
    /// `pinned`); `None` when not asked, or when the next save thins it.
    pub kept_by: Option<&'static str>,
}

/// The session's generations, newest first, each read.
pub fn generations(name: &str) -> Vec<GenerationSummary> {
    store::generation_list(name)
        .into_iter()
        .map(|g| {
            let read = of_layout(&g.layout);
            let (summary, damaged) = match read {
                Ok(s) => (s, None),
                Err(e) => (SessionSummary::default(), Some(e)),
            };
            GenerationSummary {
                id: g.id,
                saved_unix: g.saved_unix,
                bytes: g.bytes,
                tabs: summary.tabs,
                panes: summary.panes,
                damaged,
                pinned: g.pinned,
                kept_by: None,
            }
        })
        .collect()
}

/// The same, each with the rule of `policy` that keeps it.
pub fn generations_kept(name: &str, policy: &revenant_config::Retention) -> Vec<GenerationSummary> {
    let kept = store::kept_because(name, policy);
    let mut list = generations(name);
    for g in &mut list {
        g.kept_by = kept.iter().find(|(id, _)| *id == g.id).map(|(_, why)| why.name());
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_layout_is_summarised_without_its_bars() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.kdl");
        std::fs::write(
            &path,
            r#"layout {
    tab name="code" {
        pane size=1 borderless=true { plugin location="zellij:tab-bar"; }
        pane split_direction="vertical" {
            pane command="vim" cwd="/src" focus=true { args "main.rs"; }
            pane name="logs"
        }
    }
    tab name="second" focus=true {
        pane
    }
}
"#,
        )
        .unwrap();
        let s = of_layout(&path).unwrap();
        assert_eq!(s.tabs, ["code", "second"]);
        assert_eq!(s.focused_tab, 1);
        assert_eq!(s.panes.len(), 3, "{s:?}");
        let vim = &s.panes[0];
        assert_eq!(
            (vim.command.as_deref(), vim.cwd.as_deref(), vim.title.as_str()),
            (Some("vim main.rs"), Some("/src"), "vim main.rs")
        );
        assert!(vim.focused && vim.y == 1 && vim.cols == 60, "{vim:?}");
        assert_eq!(s.panes[1].title, "logs");
        std::fs::write(&path, "layout { pane size=").unwrap();
        assert!(of_layout(&path).unwrap_err().contains("l.kdl"));
    }
}
