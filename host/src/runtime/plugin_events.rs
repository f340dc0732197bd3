//! What the server thread does with the plugin threads' reports, and how a
//! session takes a new plugin set: config.kdl or a plugin's file changed,
//! or `revenant plugin reload` asked.

use std::path::PathBuf;

use super::Server;
use super::clients::ClientId;
use super::plugin_service::{Job, Report, RoleSet};

impl Server {
    pub(super) fn plugins_report(&mut self, report: Report) {
        match report {
            Report::JobDone { id, result } => self.job_done(id, result),
            Report::ReloadDone { id, summary } => {
                if let Some((client, note)) = self.reloads.remove(&id) {
                    let note = note.map(|n| format!("config.kdl was not read again: {n}\n")).unwrap_or_default();
                    self.answer(client, Ok(note + &summary));
                }
            }
            Report::Notice(text) => self.post_notice(text),
            Report::ScreensLost(panes) => {
                for id in panes {
                    self.sent_screens.remove(&id);
                }
            }
            Report::Renamed { id, result } => self.renamed(id, result),
            Report::SessionManagerSwapped(entry) => self.session_manager_swapped(entry),
            Report::FilesChanged(files) => {
                let config = absolute(crate::config_files::config_path());
                tracing::info!(?files, "plugin files changed");
                // A theme file is config too.
                let themes = absolute(self.config.theme_dir_beside(&config));
                let read_config = files.iter().any(|f| *f == config || f.parent() == Some(themes.as_path()));
                self.reconfigure(read_config, Some(files), None);
            }
        }
    }

    /// `revenant plugin reload`: read config.kdl again and look at every
    /// plugin file; the answer lists what changed.
    pub(super) fn reload_plugins(&mut self, reply: ClientId) {
        self.reconfigure(true, None, Some(reply));
    }

    /// Takes the plugin set config.kdl describes now (when `read_config`)
    /// and has the worker load what changed: entries that differ, and the
    /// files in `changed` (every file when `None`).
    fn reconfigure(&mut self, read_config: bool, changed: Option<Vec<PathBuf>>, reply: Option<ClientId>) {
        let mut config_error = None;
        if read_config {
            let path = crate::config_files::config_path();
            match revenant_config::Config::load_reporting(&path) {
                Ok(revenant_config::Loaded { config, theme_faults }) => {
                    self.take_saving_options(&config);
                    if config.plugins != self.config.plugins {
                        tracing::info!("config.kdl changed the plugins");
                        self.config.plugins = config.plugins.clone();
                    }
                    self.apply_live_config(config);
                    // After "applied": the fault is what should stay in sight.
                    self.theme_faults(&theme_faults);
                }
                Err(e) => {
                    let text = e.to_string();
                    tracing::warn!("config.kdl does not parse; nothing changed: {text}");
                    // The file's name, not its folder: the status bar is short.
                    let first = text.lines().next().unwrap_or_default();
                    let dir = path.parent().map(|d| format!("{}/", d.display())).unwrap_or_default();
                    self.post_notice(format!("nothing changed: {}", first.replace(&dir, "")));
                    config_error = Some(text);
                }
            }
        }
        let set = RoleSet::from_config(&self.config.plugins);
        self.plugins.watch(self.watched_files(&set));
        let id = reply.map(|client| {
            let id = self.plugins.next_id();
            // The reload goes on with the old config; its answer says why.
            self.reloads.insert(id, (client, config_error));
            id
        });
        let manifest = self.smoke_manifest();
        self.plugins.send(Job::Reconfigure { id, set, manifest, changed: changed.clone() });
        match changed {
            Some(files) => self.reload_ui_files(&files),
            None => {
                let all: Vec<PathBuf> = self.ui_files();
                self.reload_ui_files(&all);
            }
        }
    }

    /// What the next save keeps of each pane's screen follows config.kdl as
    /// it is now, not as it was when the server started.
    fn take_saving_options(&mut self, config: &revenant_config::Config) {
        self.config.retention = config.retention;
        let (viewport, lines) = (config.serialize_pane_viewport, config.scrollback_lines_to_serialize);
        let rules = super::secret_rules(config);
        if (viewport, lines) == (self.config.serialize_pane_viewport, self.config.scrollback_lines_to_serialize)
            && rules == self.secret_rules
        {
            return;
        }
        self.secret_rules = rules;
        tracing::info!(viewport, lines, "config.kdl changed what a save keeps of the screens");
        self.config.serialize_pane_viewport = viewport;
        self.config.scrollback_lines_to_serialize = lines;
        // The worker's copies were taken under the old setting: the next
        // save sends every screen whole.
        self.sent_screens.clear();
        self.changed();
    }

    /// Watches what the session's plugins come from now (after panes with
    /// `file:` UI plugins were opened).
    pub(super) fn refresh_watch(&self) {
        let set = RoleSet::from_config(&self.config.plugins);
        self.plugins.watch(self.watched_files(&set));
    }

    /// A theme file that could not be used is named in the status bar
    /// (the first of them) and the log (all of them).
    fn theme_faults(&mut self, faults: &[revenant_config::ConfigError]) {
        for fault in faults {
            tracing::warn!("theme left out: {fault}");
        }
        if let Some(first) = faults.first() {
            let text = first.to_string();
            // The file's name, not its folder: the status bar is short.
            let dir = self.config.theme_dir_beside(&crate::config_files::config_path());
            let first = text.lines().next().unwrap_or_default().replace(&format!("{}/", dir.display()), "");
            self.post_notice(format!("theme left out: {first}"));
        }
    }

    /// config.kdl and its theme files, the plugin set's files and those of
    /// `file:` UI panes.
    fn watched_files(&self, set: &RoleSet) -> Vec<PathBuf> {
        let mut files = set.files();
        let config = crate::config_files::config_path();
        // Theme files there now; one added later is read with the next
        // change of config.kdl.
        if let Ok(entries) = std::fs::read_dir(self.config.theme_dir_beside(&config)) {
            files.extend(
                entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "kdl")),
            );
        }
        files.push(config);
        files.extend(self.ui_files());
        files
    }

    fn ui_files(&self) -> Vec<PathBuf> {
        self.session
            .panes
            .values()
            .filter_map(|p| p.io.plugin.as_ref())
            .filter_map(|p| p.location.strip_prefix("file:"))
            .map(|f| absolute(PathBuf::from(f)))
            .collect()
    }
}

fn absolute(p: PathBuf) -> PathBuf {
    std::path::absolute(&p).unwrap_or(p)
}
