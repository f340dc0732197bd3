//! The session list a session-manager pane shows, read on its own thread:
//! this session as the server described it, live ones by asking their
//! servers, exited ones from their latest snapshot (read once per change of
//! its file, so refreshing every second stays cheap with many sessions).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::plugin::types::{Generation, SessionInfo, SessionState};
use crate::registry;
use crate::store::summary::{self, PaneSummary, SessionSummary};

/// This session as the pane's thread needs to know it: its own row of the
/// list (the server knows it; asking our own socket would wait on us) and
/// its size, for sessions started from the manager.
#[derive(Debug, Clone)]
pub struct OwnSession {
    pub info: SessionInfo,
    pub cols: u16,
    pub rows: u16,
    /// Where the user's layouts are (for the layout picker).
    pub layout_dir: PathBuf,
    /// What keeps each snapshot (the generation list says which rule).
    pub retention: revenant_config::Retention,
}

/// Snapshot summaries by layout file, with the file's modification time.
#[derive(Default)]
pub struct Lister {
    cache: HashMap<PathBuf, (Option<SystemTime>, Result<SessionSummary, String>)>,
}

impl Lister {
    pub fn list(&mut self, own: &OwnSession, socket_dir: &Path) -> Vec<SessionInfo> {
        let mut list = vec![own.info.clone()];
        for s in registry::all_sessions(socket_dir, Some(&own.info.name)) {
            list.push(match s {
                registry::Listed::Live(s) => SessionInfo {
                    name: s.name,
                    state: SessionState::Live,
                    created_unix: s.created_unix,
                    saved_unix: s.saved_unix,
                    tabs: s.tabs,
                    focused_tab: s.focused_tab,
                    pane_count: s.panes as u32,
                    panes: s.pane_list.into_iter().map(wit_pane).collect(),
                    connected_clients: s.clients as u32,
                    is_current: false,
                    damaged: (!s.responding).then(|| "not responding".to_string()),
                    host: None,
                },
                registry::Listed::Exited(s) => {
                    let read = self.summary(&s.layout);
                    let (summary, damaged) = match read {
                        Ok(summary) => (summary, None),
                        Err(why) => (SessionSummary::default(), Some(why)),
                    };
                    SessionInfo {
                        name: s.name,
                        state: SessionState::Exited,
                        created_unix: s.created_unix,
                        saved_unix: Some(s.saved_unix),
                        pane_count: summary.panes.len() as u32,
                        tabs: summary.tabs,
                        focused_tab: summary.focused_tab,
                        panes: summary.panes.into_iter().map(wit_pane).collect(),
                        connected_clients: 0,
                        is_current: false,
                        damaged,
                        host: None,
                    }
                }
            });
        }
        list
    }

    fn summary(&mut self, layout: &Path) -> Result<SessionSummary, String> {
        let mtime = std::fs::metadata(layout).and_then(|m| m.modified()).ok();
        if let Some((seen, summary)) = self.cache.get(layout)
            && *seen == mtime
        {
            return summary.clone();
        }
        let summary = summary::of_layout(layout);
        self.cache.insert(layout.to_path_buf(), (mtime, summary.clone()));
        summary
    }
}

/// A session's generations as the contract carries them, newest first.
pub fn generations(name: &str, retention: &revenant_config::Retention) -> Vec<Generation> {
    summary::generations_kept(name, retention)
        .into_iter()
        .map(|g| Generation {
            id: g.id,
            saved_unix: g.saved_unix,
            tabs: g.tabs,
            panes: g.panes.into_iter().map(wit_pane).collect(),
            bytes: g.bytes,
            damaged: g.damaged,
            kept_by: g.kept_by.map(str::to_owned),
        })
        .collect()
}

/// A pane summary as the WIT contract carries it.
pub(in crate::runtime) fn wit_pane(p: PaneSummary) -> crate::plugin::types::PaneSummary {
    crate::plugin::types::PaneSummary {
        tab: p.tab,
        title: p.title,
        command: p.command,
        cwd: p.cwd,
        x: p.x,
        y: p.y,
        cols: p.cols,
        rows: p.rows,
        focused: p.focused,
        floating: p.floating,
    }
}
