//! Saving the session for resurrection. On the server thread: find what
//! each pane runs (the PTY's foreground process) and build the manifest
//! (with each pane's screen when `serialize_pane_viewport` is on). On the
//! plugin worker: the discovery chain's say on each command, the serializer
//! writing it as a layout, the check of that layout, and the atomic write
//! into the cache folder.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use revenant_terminal::HistoryMark;

use crate::plugin::types::{DiscoveredCommand, SessionManifest};
use crate::runtime::plugin_service::screens::{SavedScreen, Screen};
use crate::store;
use revenant_session::tiling::PaneId;

use crate::runtime::Server;
use crate::runtime::clients::ClientId;
use crate::runtime::plugin_service::{Job, SaveJob, SaveKind};

/// The terminal generation and line count of the screen a pane's last
/// save job carried, and which history rows the worker has since.
pub(in crate::runtime) type SentScreen = (u64, Option<usize>, HistoryMark);

/// A save the worker is doing, and who waits for it.
pub(in crate::runtime) struct InFlight {
    id: u64,
    why: String,
    replies: Vec<ClientId>,
    /// The session ends once this save is done.
    exit: bool,
    started: Instant,
    /// How long the server thread spent building the manifest (every
    /// other part of a save runs on the plugin worker).
    server_ms: f64,
}

/// A save asked for while another was running: one more follows it, with
/// whatever changed meanwhile.
#[derive(Default)]
pub(in crate::runtime) struct Queued {
    why: String,
    replies: Vec<ClientId>,
    exit: bool,
}

/// Where saving stands.
#[derive(Default)]
pub(in crate::runtime) struct Saving {
    in_flight: Option<InFlight>,
    queued: Option<Queued>,
    /// Say "Session saved" in the status bar when the next save is done
    /// (Ctrl-o s).
    pub(in crate::runtime) announce: bool,
}

impl Server {
    /// Asks for a snapshot. The server thread builds the manifest (pane
    /// screens included) and goes on; the plugin worker runs discovery and
    /// the serializer and writes the snapshot, and the answer comes back
    /// as a report (see [`Server::save_done`]): the clients in `reply` get
    /// the snapshot's path then, and with `exit` the session ends. An error
    /// here means no save was started.
    pub(in crate::runtime) fn request_save(
        &mut self,
        why: &str,
        reply: Option<ClientId>,
        exit: bool,
    ) -> Result<(), String> {
        if !self.config.session_serialization {
            return Err("session serialization is off (session_serialization false)".into());
        }
        if self.ephemeral {
            return Err("a welcome screen is not saved".into());
        }
        if self.session.tabs.is_empty() {
            return Err("the session has no tabs left to save".into());
        }
        if self.session.panes.values().any(|p| p.restoring.is_some()) {
            // Saving now would store blank screens over the ones still being
            // restored; the snapshot they come from stays in place.
            return Err("the session's saved screens are still being restored; try again in a moment".into());
        }
        if self.saving.in_flight.is_some() {
            let queued = self.saving.queued.get_or_insert_with(Queued::default);
            queued.why = why.to_string();
            queued.replies.extend(reply);
            queued.exit |= exit;
            return Ok(());
        }
        self.start_save(why.to_string(), reply.into_iter().collect(), exit);
        Ok(())
    }

    fn start_save(&mut self, why: String, replies: Vec<ClientId>, exit: bool) {
        let began = Instant::now();
        let id = self.plugins.next_id();
        let (manifest, questions) = self.manifest_and_questions();
        let screens = if self.config.serialize_pane_viewport { self.pane_screens() } else { Vec::new() };
        let kind = SaveKind::Save {
            dir: store::session_dir(&self.session.name),
            created_unix: self.session.created_unix,
            retention: self.config.retention,
        };
        let secret_rules = self.secret_rules.clone();
        self.plugins.send(Job::Save(SaveJob {
            id,
            kind,
            why: why.clone(),
            manifest,
            questions,
            screens,
            secret_rules,
        }));
        // Changes from now on are for the next save.
        self.unsaved = false;
        let server_ms = began.elapsed().as_secs_f64() * 1e3;
        self.saving.in_flight = Some(InFlight { id, why, replies, exit, started: Instant::now(), server_ms });
    }

    /// `action dump-layout`: the session as the serializer writes it,
    /// answered to `reply` when the worker is done.
    pub(in crate::runtime) fn request_dump(&mut self, reply: ClientId) {
        let id = self.plugins.next_id();
        let (manifest, questions) = self.manifest_and_questions();
        self.plugins.send(Job::Save(SaveJob {
            id,
            kind: SaveKind::Dump,
            why: "dump-layout".into(),
            manifest,
            questions,
            screens: Vec::new(),
            secret_rules: None,
        }));
        self.dumps.insert(id, reply);
    }

    /// A save or dump the worker finished.
    pub(in crate::runtime) fn job_done(&mut self, id: u64, result: Result<String, String>) {
        if let Some(client) = self.dumps.remove(&id) {
            self.answer(client, result);
            return;
        }
        if self.saving.in_flight.as_ref().is_some_and(|f| f.id == id) {
            self.save_done(result);
        }
    }

    fn save_done(&mut self, result: Result<String, String>) {
        let Some(done) = self.saving.in_flight.take() else { return };
        let ms = done.started.elapsed().as_secs_f64() * 1e3;
        match &result {
            Ok(path) => {
                self.save_failing = false;
                self.last_saved_unix = Some(crate::plugin::now_unix());
                tracing::info!(why = done.why, ms, server_ms = done.server_ms, "saved {path}");
                self.publish(serde_json::json!({"event": "session_saved", "layout": path}));
                if std::mem::take(&mut self.saving.announce) {
                    self.post_notice("Session saved".into());
                }
            }
            Err(e) => {
                // What this save was to hold is still unsaved.
                self.unsaved = true;
                tracing::warn!(why = done.why, "saving the session failed: {e}");
                if !self.save_failing {
                    self.save_failing = true;
                    self.notice = Some((format!("Saving the session failed: {e}"), Instant::now()));
                    self.dirty = true;
                }
            }
        }
        for client in done.replies {
            self.answer(client, result.clone().map(|p| format!("{p}\n")));
        }
        if let Some(queued) = self.saving.queued.take() {
            // What changed during the save goes into one more.
            let exit = queued.exit || done.exit;
            if self.request_save(&queued.why, None, exit).is_ok() {
                if let Some(f) = self.saving.in_flight.as_mut() {
                    f.replies = queued.replies;
                }
                return;
            }
            for client in queued.replies {
                self.answer(client, result.clone().map(|p| format!("{p}\n")));
            }
        }
        if done.exit {
            self.finish_exit();
        }
    }

    /// The manifest with each pane's command and cwd as the system reports
    /// them, and the questions the discovery chain must answer.
    fn manifest_and_questions(&self) -> (SessionManifest, Vec<DiscoveredCommand>) {
        let shell = self.shell();
        let mut found = HashMap::new();
        let mut questions = Vec::new();
        for pane in self.session.panes.values().filter(|p| p.plugin_location.is_none()) {
            let (f, pid) = super::super::program::probe(pane);
            if let Some(argv) = &f.argv {
                questions.push(DiscoveredCommand {
                    argv: argv.clone(),
                    original_argv: argv.clone(),
                    cwd: f.cwd.as_ref().map(|c| c.display().to_string()),
                    pid: pid.unwrap_or(0),
                    pane_id: pane.id,
                    // A command pane has no shell of its own to be told apart from.
                    shell: (!pane.is_command).then(|| shell.clone()),
                    env: self.saved_env(pane.id, pid),
                });
            }
            found.insert(pane.id, f);
        }
        (self.manifest_with(&found), questions)
    }

    /// The manifest a new serializer build is tried on: the session as it
    /// is, without screens.
    pub(in crate::runtime) fn smoke_manifest(&self) -> SessionManifest {
        self.manifest_and_questions().0
    }

    /// Each terminal pane's screen (and the configured amount of
    /// scrollback) for the worker to dump: a copy of those whose terminal
    /// changed since the last save job, `Same` for the others. A copy
    /// shares the history rows the worker lacks (a count each), so it takes
    /// microseconds per pane.
    fn pane_screens(&mut self) -> Vec<(PaneId, Screen)> {
        let lines = match self.config.scrollback_lines_to_serialize {
            0 => None,
            n => Some(n),
        };
        let wanted: Vec<PaneId> = self
            .session
            .panes
            .values()
            .filter(|p| p.plugin_location.is_none() && !p.never_save_contents)
            .map(|p| p.id)
            .collect();
        self.sent_screens.retain(|id, _| wanted.contains(id));
        let mut screens = Vec::with_capacity(wanted.len());
        for pane in wanted.iter().filter_map(|id| self.session.panes.get(id)) {
            let generation = pane.term.generation();
            let sent = self.sent_screens.get(&pane.id).filter(|(_, l, _)| *l == lines);
            if sent.is_some_and(|(g, _, _)| *g == generation) {
                screens.push((pane.id, Screen::Same));
                continue;
            }
            // Only the history rows the worker does not have yet.
            let copy = pane.term.screen_copy_since(lines, sent.map(|(_, _, mark)| *mark));
            self.sent_screens.insert(pane.id, (generation, lines, copy.mark()));
            // A dormant pane's screen is still the saved one: the worker
            // replays it (waking forgets what was sent).
            let saved = self.dormant.get(&pane.id).and_then(|d| d.contents.clone());
            let screen = match saved {
                Some(file) => Screen::Saved(SavedScreen {
                    file,
                    cols: pane.term.cols(),
                    rows: pane.term.rows(),
                    scrollback: self.config.scroll_buffer_size,
                    lines,
                }),
                None => Screen::Fresh(Box::new(copy)),
            };
            screens.push((pane.id, screen));
        }
        screens
    }

    /// When the next interval snapshot is due, if any.
    pub(in crate::runtime) fn next_save_due(&self) -> Option<Instant> {
        if !self.config.session_serialization {
            return None;
        }
        Some(self.last_save_attempt + Duration::from_secs(self.config.serialization_interval.max(1)))
    }

    /// The interval snapshot: only when something changed since the last.
    pub(in crate::runtime) fn save_if_due(&mut self) {
        if self.next_save_due().is_some_and(|due| Instant::now() >= due) {
            self.last_save_attempt = Instant::now();
            if self.unsaved && self.saving.in_flight.is_none() {
                let _ = self.request_save("interval", None, false);
            }
        }
    }
}
