//! Verbs: every request from the command line (`revenant action …`,
//! `kill-session`, listing) is dispatched here and answered with text to
//! print. What a verb does lives by what it acts on: `tabs`, `panes`,
//! `listing` (answers about the session) and `attach` (where a client is);
//! key bindings (`runtime/input.rs`) call the same methods. A rule about
//! the session's shape belongs in the model (`revenant-session`).

mod attach;
mod listing;
pub(super) mod panes;
mod tabs;

use crate::ipc::{Action, ExitReason, Role};

use super::Server;
use super::clients::ClientId;
use super::clients::Who;

impl Server {
    /// Carries out an action for client `from`. `None`: the answer comes
    /// later (it needs the plugin worker, or the session to save first).
    pub(in crate::runtime) fn action(&mut self, action: Action, from: ClientId) -> Option<Result<String, String>> {
        self.dirty = true;
        match action {
            Action::SaveSession => self.request_save("save-session", Some(from), false).err().map(Err),
            Action::DumpLayout => {
                self.request_dump(from);
                None
            }
            // Saved before answering: whoever asked may delete the session's
            // folder as soon as the server is gone.
            Action::Kill => {
                self.quit_cleanly(ExitReason::Killed, Some(from));
                None
            }
            Action::PluginReload => {
                self.reload_plugins(from);
                None
            }
            Action::RenameSession(name) => self.rename_session(&name, Some(from)).err().map(Err),
            other => Some(self.action_now(other)),
        }
    }

    fn action_now(&mut self, action: Action) -> Result<String, String> {
        let who = Who::Active;
        self.dirty = true;
        // An action on a dormant pane wakes it, as showing its tab would.
        self.wake_shown_tabs();
        if let Action::DumpScreen { pane_id: Some(id), .. }
        | Action::PaneOp { pane_id: Some(id), .. }
        | Action::FocusPaneId(id) = &action
        {
            self.wake(&[*id]);
        }
        match action {
            Action::DumpScreen { full, pane_id, ansi } => {
                let id = pane_id.or_else(|| self.focused(who)).ok_or("the session has no panes")?;
                let pane = self.session.panes.get(&id).ok_or_else(|| format!("no pane with id {id}"))?;
                if ansi {
                    let (scrollback, viewport) = pane.term.dump_ansi(if full { None } else { Some(0) });
                    return Ok(scrollback.into_iter().chain(viewport).collect::<Vec<_>>().join("\n") + "\n");
                }
                Ok(pane.term.dump_text(full))
            }
            Action::WriteChars(text) => {
                self.focused(who).ok_or("the session has no panes")?;
                self.type_bytes(who, text.as_bytes())?;
                Ok(String::new())
            }
            Action::Write(bytes) => {
                self.focused(who).ok_or("the session has no panes")?;
                self.type_bytes(who, &bytes)?;
                Ok(String::new())
            }
            Action::NewPane { floating, direction, cwd, name, command, close_on_exit, start_suspended, edit } => {
                let command = match edit {
                    Some((file, line)) => self.editor_argv(&file, line),
                    None => command,
                };
                let req = panes::PaneRequest {
                    direction,
                    floating,
                    argv: command,
                    cwd: cwd.map(Into::into),
                    name,
                    close_on_exit,
                    start_suspended,
                };
                let id = self.new_pane(who, req).map_err(|e| format!("{e:#}"))?;
                Ok(format!("{id}\n"))
            }
            Action::Bound(bound) => self.run_bound(who, bound).map(|()| String::new()),
            Action::RenameTab(name) => self.rename_tab(who, name),
            Action::RenamePane(name) => self.rename_pane(who, name),
            Action::GoToTabName { name, create } => self.go_to_tab_name(who, &name, create),
            Action::CurrentTabInfo { json } => Ok(self.current_tab_info(json)),
            Action::QueryTabNames => Ok(self.query_tab_names()),
            Action::SendKeys(keys) => {
                self.focused(who).ok_or("the session has no panes")?;
                for k in keys {
                    self.type_key(who, k)?;
                }
                Ok(String::new())
            }
            Action::Paste(text) => {
                self.focused(who).ok_or("the session has no panes")?;
                self.paste(who, &text)?;
                Ok(String::new())
            }
            Action::SwitchSession { name, start } => self.switch_session(name, start),
            Action::FloatingVisible { tab_id } => {
                let t = match tab_id {
                    Some(id) => self.tab_by_id(id)?,
                    None => self.view(who).tab_index(&self.session),
                };
                Ok(format!("{}\n", self.session.tabs.get(t).is_some_and(|t| t.floating_visible)))
            }
            Action::TabById { id, op } => self.tab_op(id, op),
            Action::FocusLastPane => {
                let last = self.view(who).last_focus.filter(|id| self.session.panes.contains_key(id));
                if let Some(id) = last {
                    self.with_view(who, |view, session| view.focus(session, id));
                }
                Ok(String::new())
            }
            Action::SwitchMode(mode) => {
                for id in self.clients.keys().copied().collect::<Vec<_>>() {
                    self.run_bound(Who::Client(id), revenant_config::Action::SwitchToMode(mode))?;
                }
                Ok(String::new())
            }
            Action::PaneOp { pane_id, op } => self.pane_op(who, pane_id, op),
            Action::StackPanes(ids) => self.stack_panes(&ids),
            Action::SwapLayout { step } => self.step_swap_layout(who, isize::from(step)),
            Action::ClosePane => {
                let id = self.focused(who).ok_or("the session has no panes")?;
                self.close_pane(id);
                Ok(String::new())
            }
            Action::FocusPaneId(id) => {
                if !self.session.panes.contains_key(&id) {
                    return Err(format!("no pane with id {id}"));
                }
                self.with_view(who, |view, session| view.focus(session, id));
                Ok(String::new())
            }
            Action::NewTab { name, layout: Some(layout) } => {
                let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
                let path = std::path::Path::new(&layout.path);
                let parsed =
                    revenant_layout::Layout::parse(path, &layout.text, home.as_deref()).map_err(|e| e.to_string())?;
                let opts = super::apply::ApplyOptions { force_run: false, take_bars: false, lazy: false };
                let base_dir = parsed.source_dir();
                let mut first = None;
                for (i, tab) in parsed.tabs.iter().enumerate() {
                    // The name given on the command line names the first tab.
                    let name = if i == 0 { name.clone() } else { None };
                    let index =
                        self.apply_tab(who, tab, base_dir.as_deref(), &opts, name).map_err(|e| format!("{e:#}"))?;
                    first.get_or_insert(index);
                }
                let first = first.unwrap_or(0);
                self.with_view(who, |view, _| view.tab = first);
                self.relayout();
                self.refresh_watch();
                Ok(format!("{}\n", first + 1))
            }
            Action::NewTab { name, layout: None } => {
                self.new_tab(who, name).map(|i| format!("{}\n", i + 1)).map_err(|e| format!("{e:#}"))
            }
            Action::GoToTab(n) => {
                if n == 0 || n as usize > self.session.tabs.len() {
                    return Err(format!("no tab {n}: the session has {} tabs", self.session.tabs.len()));
                }
                self.go_to_tab(who, n);
                Ok(String::new())
            }
            Action::ListPanes { json } => Ok(self.list_panes(json)),
            Action::ListTabs { json } => Ok(self.list_tabs(json)),
            Action::ListClients { json } => Ok(self.list_clients(json)),
            Action::PluginList { json } => {
                let rows = self.plugins.status.snapshot();
                Ok(if json {
                    serde_json::Value::Array(rows.iter().map(|r| r.to_json()).collect()).to_string() + "\n"
                } else {
                    super::plugin_service::roles::describe(&rows)
                })
            }
            Action::Detach => {
                let ids: Vec<u32> =
                    self.clients.iter().filter(|(_, c)| c.role != Some(Role::Command)).map(|(id, _)| *id).collect();
                for id in ids {
                    self.detach(id);
                }
                Ok(String::new())
            }
            Action::Info => Ok(self.info()),
            Action::SaveSession
            | Action::DumpLayout
            | Action::Kill
            | Action::PluginReload
            | Action::RenameSession(_) => {
                unreachable!("answered later, by `action`")
            }
        }
    }
}
