//! Verbs that answer with what the session holds: `list-panes`,
//! `list-tabs`, `list-clients`, `current-tab-info`, `query-tab-names`, and
//! the session's info line.

use serde_json::json;

use crate::ipc::Role;

use super::super::Server;
use super::super::clients::Who;

impl Server {
    pub(super) fn list_panes(&self, json: bool) -> String {
        let view = self.view(Who::Active);
        let focused = view.focused(&self.session);
        let area = self.pane_area();
        let mut rows = Vec::new();
        for (t, tab) in self.session.tabs.iter().enumerate() {
            // Hidden floating panes are listed with their geometry too.
            for p in tab.placements_with(area, true) {
                let Some(pane) = self.session.panes.get(&p.id) else { continue };
                rows.push(json!({
                    "id": pane.id,
                    "tab": t,
                    "tab_name": tab.name,
                    "title": pane.title(),
                    "is_plugin": pane.plugin_location.is_some(),
                    "plugin_location": pane.plugin_location,
                    "suspended": pane.suspended,
                    "dormant": self.is_dormant(pane.id),
                    "borderless": pane.borderless,
                    "is_floating": p.floating,
                    "is_pinned": tab.floating.iter().any(|f| f.id == p.id && f.pinned),
                    "is_stacked": tab.tiled.stack_of(p.id).is_some(),
                    "is_collapsed": p.collapsed,
                    "default_fg": pane.default_fg.as_ref().map(|c| c.text.clone()),
                    "default_bg": pane.default_bg.as_ref().map(|c| c.text.clone()),
                    "is_focused": focused == Some(pane.id),
                    "cwd": pane.cwd().map(|c| c.display().to_string()),
                    "command": pane.command(),
                    "exited": pane.exited.map(|c| json!(c)),
                    "x": p.rect.x,
                    "y": p.rect.y,
                    "cols": p.rect.w,
                    "rows": p.rect.h,
                    "scroll": pane.scroll,
                    "scrollback": pane.term.scrollback_len(),
                    "term_cols": pane.term.cols(),
                    "term_rows": pane.term.rows(),
                }));
            }
        }
        if json {
            return serde_json::Value::Array(rows).to_string() + "\n";
        }
        panes_table(&rows)
    }

    pub(super) fn list_tabs(&self, json: bool) -> String {
        let active = self.view(Who::Active).tab_index(&self.session);
        let rows: Vec<_> = self
            .session
            .tabs
            .iter()
            .enumerate()
            .map(|(i, t)| json!({"index": i, "name": t.name, "is_focused": i == active, "pane_count": t.pane_ids().len()}))
            .collect();
        if json {
            return serde_json::Value::Array(rows).to_string() + "\n";
        }
        rows.iter()
            .map(|r| {
                format!(
                    "{} {}{}\n",
                    r["index"].as_u64().unwrap_or(0) + 1,
                    r["name"].as_str().unwrap_or(""),
                    if r["is_focused"] == true { " (focused)" } else { "" }
                )
            })
            .collect()
    }

    pub(super) fn list_clients(&self, json: bool) -> String {
        let rows: Vec<_> = self
            .clients
            .values()
            .filter(|c| matches!(c.role, Some(Role::Attach | Role::Watch)))
            .map(|c| {
                let view = self.view(Who::Client(c.id));
                json!({
                    "id": c.id,
                    "tab": view.tab_index(&self.session),
                    "cols": c.cols,
                    "rows": c.rows,
                    "is_watcher": c.role == Some(Role::Watch),
                })
            })
            .collect();
        if json {
            return serde_json::Value::Array(rows).to_string() + "\n";
        }
        rows.iter()
            .map(|r| {
                format!(
                    "{} tab {} {}x{}{}\n",
                    r["id"],
                    r["tab"].as_u64().unwrap_or(0) + 1,
                    r["cols"],
                    r["rows"],
                    if r["is_watcher"] == true { " (watching)" } else { "" }
                )
            })
            .collect()
    }

    pub(super) fn info(&self) -> String {
        let clients = self.clients.values().filter(|c| matches!(c.role, Some(Role::Attach | Role::Watch))).count();
        let summary = self.summary();
        json!({
            "name": self.session.name,
            "created_unix": self.session.created_unix,
            "saved_unix": self.last_saved_unix,
            "pid": std::process::id(),
            "clients": clients,
            "tabs": summary.tabs,
            "focused_tab": summary.focused_tab,
            "panes": self.session.panes.len(),
            "pane_list": summary.panes,
            "frames": self.frame_cost.frames,
            "frame_micros": self.frame_cost.busy.as_micros() as u64,
        })
        .to_string()
    }

    pub(in crate::runtime) fn current_tab_info(&self, json: bool) -> String {
        let view = self.view(Who::Active);
        let t = view.tab_index(&self.session);
        let Some(tab) = self.session.tabs.get(t) else { return String::new() };
        // Zellij 0.45's field names (recorded from its `--json`), and the
        // focused pane.
        let area = self.pane_area();
        let collapsed = tab.tiled.collapsed();
        let info = serde_json::json!({
            "position": t,
            "name": tab.name,
            "active": true,
            "is_fullscreen_active": tab.fullscreen.is_some(),
            "is_sync_panes_active": tab.sync,
            "are_floating_panes_visible": tab.floating_visible,
            "active_swap_layout_name": self.session.swap_name(t),
            "is_swap_layout_dirty": tab.swap_dirty,
            "viewport_rows": area.h,
            "viewport_columns": area.w,
            "display_area_rows": self.size.1,
            "display_area_columns": self.size.0,
            "selectable_tiled_panes_count": tab.tiled.panes().iter().filter(|p| !collapsed.contains(p)).count(),
            "selectable_floating_panes_count": tab.floating.len(),
            "tab_id": tab.id,
            "focused_pane_id": view.focused(&self.session),
        });
        if json {
            return info.to_string() + "\n";
        }
        format!("name: {}\nid: {}\nposition: {}\n", tab.name, tab.id, t)
    }

    pub(in crate::runtime) fn query_tab_names(&self) -> String {
        self.session.tabs.iter().map(|t| format!("{}\n", t.name)).collect()
    }
}

/// `list-panes` as text: tabs counted from 1 as `list-tabs` and `go-to-tab`
/// count them, floating panes marked, columns as wide as their cells.
fn panes_table(rows: &[serde_json::Value]) -> String {
    let mark = |on: bool, text: &str| if on { text.to_owned() } else { String::new() };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r["id"].to_string(),
                (r["tab"].as_u64().unwrap_or(0) + 1).to_string(),
                mark(r["is_focused"] == true, "*"),
                mark(r["is_floating"] == true, "yes"),
                r["title"].as_str().unwrap_or("").to_owned(),
            ]
        })
        .collect();
    let header = ["ID", "TAB", "FOCUS", "FLOATING", "TITLE"];
    crate::table::render(Some(&header), &cells, &[crate::table::Align::Right, crate::table::Align::Right])
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn list_panes_lines_up_counts_tabs_from_one_and_marks_floating_panes() {
        let rows = [
            json!({"id": 0, "tab": 0, "is_focused": false, "is_floating": false, "title": "Pane #1"}),
            json!({"id": 1234, "tab": 9, "is_focused": true, "is_floating": true, "title": "htop"}),
        ];
        assert_eq!(
            super::panes_table(&rows),
            "  ID  TAB  FOCUS  FLOATING  TITLE\n   0    1                   Pane #1\n1234   10  *      yes       htop\n"
        );
    }
}
