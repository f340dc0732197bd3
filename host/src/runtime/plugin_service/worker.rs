//! The thread that calls the session's serializer and discovery chain, and
//! writes snapshots: the server thread hands it a manifest and goes on
//! drawing and reading input. It owns the builds that serve; new builds
//! arrive from the loader and replace them between jobs, never during one.

use std::collections::{HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::plugin::types::{DiscoveredCommand, DiscoveryDecision, SessionManifest, TiledBody};
use crate::plugin::{CommandDiscoveryPlugin, SerializerPlugin};
use crate::store;

use super::decided::{Decided, patch};
use super::loader::{Built, LoadJob, LoadOutcome, Loader};
use super::roles::{Role, RoleEntry, RoleSet, StatusTable};
use super::slot::{Installed, Slot, SlotView, install};
use super::{Job, Report, SaveJob, SaveKind};

/// The longest a save waits for first builds: each plugin that is not
/// built in has its own, usually shorter, load deadline
/// ([`super::slot::load_deadline`]).
pub const SAVE_WAIT: Duration = Duration::from_secs(90);

/// How long the worker keeps its plugins awake after its last job:
/// `REVENANT_PLUGIN_IDLE_SECS`, else 5 s. Saves come every
/// `serialization_interval` (by default a minute), so an idle session holds
/// no plugin, no compiled code and no engine most of the time; waking one
/// (mapping its build, a new instance) costs a few milliseconds a save.
fn idle_release() -> Duration {
    static IDLE: std::sync::OnceLock<Duration> = std::sync::OnceLock::new();
    *IDLE.get_or_init(|| {
        let secs = std::env::var("REVENANT_PLUGIN_IDLE_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(5.0);
        Duration::from_secs_f64(f64::max(secs, 0.05))
    })
}

/// A `plugin reload` waiting for its loads to finish.
struct PendingReload {
    id: u64,
    waiting: Vec<u64>,
    lines: Vec<String>,
}

pub struct Worker {
    jobs: Receiver<Job>,
    backlog: VecDeque<Job>,
    loader: Loader,
    report: Box<dyn Fn(Report) -> bool + Send>,
    status: StatusTable,
    serializer: Slot<SerializerPlugin>,
    /// The built-in serializer, loaded once the configured one failed to
    /// load: a save then goes through with it rather than not at all.
    fallback: Option<Slot<SerializerPlugin>>,
    chain: Vec<Slot<CommandDiscoveryPlugin>>,
    session_manager: Slot<()>,
    generation: u64,
    reloads: Vec<PendingReload>,
    /// Discovery plugins whose failure the status bar was told about.
    failing: HashSet<String>,
    /// Whether instances may be live (a job ran since the last release).
    holding: bool,
    screens: super::screens::Screens,
    watch: super::watch::Watch,
}

impl Worker {
    pub fn new(
        jobs: Receiver<Job>,
        loader: Loader,
        status: StatusTable,
        set: &RoleSet,
        report: Box<dyn Fn(Report) -> bool + Send>,
        watch: super::watch::Watch,
    ) -> Self {
        Worker {
            jobs,
            backlog: VecDeque::new(),
            loader,
            report,
            status,
            serializer: Slot::new(set.serializer.clone()),
            fallback: None,
            chain: set.discovery.iter().cloned().map(Slot::new).collect(),
            session_manager: Slot::new(set.session_manager.clone()),
            generation: 0,
            reloads: Vec::new(),
            failing: HashSet::new(),
            holding: true,
            screens: Default::default(),
            watch,
        }
    }

    /// Loads every role's plugin, then serves jobs until the session goes.
    pub fn run(mut self, manifest: SessionManifest) {
        let entries: Vec<RoleEntry> = std::iter::once(self.serializer.entry.clone())
            .chain(self.chain.iter().map(|s| s.entry.clone()))
            .chain(std::iter::once(self.session_manager.entry.clone()))
            .collect();
        for entry in entries {
            let generation = self.request(&entry, None, &manifest);
            self.slot_pending(&entry, generation);
        }
        self.publish();
        let mut last_job = Instant::now();
        loop {
            let job = match self.backlog.pop_front() {
                Some(job) => job,
                None => {
                    // The plugins sleep after a while without jobs; watched
                    // files are reported once quiet.
                    let idle = self.holding.then(|| last_job + idle_release());
                    let next = match idle.into_iter().chain(self.watch.deadline()).min() {
                        Some(until) => self.jobs.recv_timeout(until.saturating_duration_since(Instant::now())),
                        None => self.jobs.recv().map_err(|_| RecvTimeoutError::Disconnected),
                    };
                    match next {
                        Ok(job) => job,
                        Err(RecvTimeoutError::Timeout) => {
                            let now = Instant::now();
                            if let Some(files) = self.watch.take_due(now) {
                                (self.report)(Report::FilesChanged(files));
                            }
                            if idle.is_some_and(|idle| idle <= now) {
                                self.release();
                            }
                            continue;
                        }
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
            };
            // Watching wakes no plugin.
            match job {
                Job::Watched(event) => {
                    self.watch.note(event);
                    continue;
                }
                Job::WatchFiles(files) => {
                    self.watch.set_files(files);
                    continue;
                }
                _ => {}
            }
            self.holding = true;
            match job {
                Job::Save(job) => self.save(job),
                Job::Reconfigure { id, set, manifest, changed } => self.reconfigure(id, set, &manifest, changed),
                Job::Loaded(outcome) => self.installed(outcome),
                Job::Rename { id, from, to } => {
                    let result = store::move_session_folder(&from, &to);
                    (self.report)(Report::Renamed { id, result });
                }
                Job::Stop => return,
                Job::Watched(_) | Job::WatchFiles(_) => {}
            }
            // The plugins sleep a while after the last job ends.
            last_job = Instant::now();
        }
    }

    /// Nothing asked for a while: the plugins sleep. Their instances and
    /// linear memory go (a save after a long build of scrollback leaves the
    /// serializer's heap tens of MiB large), their compiled code, and with
    /// the last of them the engine and its ticker thread; then the heap the
    /// allocator kept. The next save wakes them from the disk cache.
    fn release(&mut self) {
        self.holding = false;
        if let Some(p) = self.serializer.current.as_mut() {
            p.release();
        }
        for p in self.chain.iter_mut().filter_map(|s| s.current.as_mut()) {
            p.release();
        }
        if let Some(p) = self.fallback.as_mut().and_then(|f| f.current.as_mut()) {
            p.release();
        }
        crate::memory::trim();
        crate::memory::release_code();
        tracing::debug!("plugin instances released after {} s idle", idle_release().as_secs());
    }

    fn request(&mut self, entry: &RoleEntry, known_hash: Option<u64>, manifest: &SessionManifest) -> u64 {
        self.generation += 1;
        let job = LoadJob { generation: self.generation, entry: entry.clone(), known_hash, manifest: manifest.clone() };
        self.loader.start(job);
        self.generation
    }

    fn slot_pending(&mut self, entry: &RoleEntry, generation: u64) {
        let slot: Option<&mut dyn SlotView> = match entry.role {
            Role::Serializer => Some(&mut self.serializer),
            Role::SessionManager => Some(&mut self.session_manager),
            Role::Discovery => self.chain.iter_mut().find(|s| s.entry.location == entry.location).map(|s| s as _),
        };
        if let Some(slot) = slot {
            slot.set_pending(generation, entry.clone());
        }
    }

    /// Writes every slot's state into the table `plugin list` reads.
    fn publish(&self) {
        let n = self.chain.len();
        let mut rows =
            vec![self.serializer.status("serializer".into(), self.serializer.current.as_ref().map(|p| p.stats()))];
        for (i, slot) in self.chain.iter().enumerate() {
            rows.push(slot.status(slot.entry.label(i, n), slot.current.as_ref().map(|p| p.stats())));
        }
        rows.push(self.session_manager.status("session-manager".into(), None));
        self.status.set_rows(rows);
    }

    /// Takes a new set of roles: entries that did not change keep their
    /// build (a file in `changed`, or every file when `None`, is looked at
    /// again); the others are loaded, and serve once they passed.
    fn reconfigure(
        &mut self,
        id: Option<u64>,
        set: RoleSet,
        manifest: &SessionManifest,
        changed: Option<Vec<PathBuf>>,
    ) {
        let recheck = |entry: &RoleEntry| match (&changed, entry.file()) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(files), Some(file)) => files.contains(&file),
        };
        let mut loads = Vec::new();
        let mut serializer = std::mem::replace(&mut self.serializer, Slot::new(set.serializer.clone()));
        loads.extend(self.adopt(&mut serializer, &set.serializer, manifest, recheck(&set.serializer)));
        self.serializer = serializer;
        let mut old = std::mem::take(&mut self.chain);
        let mut chain = Vec::new();
        for entry in &set.discovery {
            let mut slot = match old.iter().position(|s| s.entry.location == entry.location) {
                Some(i) => old.remove(i),
                None => Slot::new(entry.clone()),
            };
            // A new link, or one whose last load failed, is loaded whatever
            // changed.
            let again = recheck(entry) || (slot.current.is_none() && slot.pending.is_none());
            loads.extend(self.adopt(&mut slot, entry, manifest, again));
            chain.push(slot);
        }
        for gone in old {
            tracing::info!(location = %gone.entry.location, "command-discovery plugin removed from the chain");
        }
        self.chain = chain;
        let mut manager = std::mem::replace(&mut self.session_manager, Slot::new(set.session_manager.clone()));
        loads.extend(self.adopt(&mut manager, &set.session_manager, manifest, recheck(&set.session_manager)));
        self.session_manager = manager;
        self.publish();
        if let Some(id) = id {
            if loads.is_empty() {
                (self.report)(Report::ReloadDone {
                    id,
                    summary: "nothing changed: every plugin serves as before\n".into(),
                });
            } else {
                self.reloads.push(PendingReload { id, waiting: loads, lines: Vec::new() });
            }
        }
    }

    /// Asks for a load of `entry` into `slot` when its entry changed or its
    /// file is to be looked at again; returns the load's generation.
    fn adopt(
        &mut self,
        slot: &mut dyn SlotView,
        entry: &RoleEntry,
        manifest: &SessionManifest,
        recheck: bool,
    ) -> Option<u64> {
        let same = slot.entry() == entry;
        if same && !recheck {
            return None;
        }
        let known = if same { slot.hash() } else { None };
        let generation = self.request(entry, known, manifest);
        slot.set_pending(generation, entry.clone());
        Some(generation)
    }

    /// A load finished: a passing build replaces the one serving; a failing
    /// one never does.
    fn installed(&mut self, outcome: LoadOutcome) {
        let LoadOutcome { generation, entry, result } = outcome;
        let n = self.chain.len();
        let (label, line) = match entry.role {
            Role::Serializer => {
                let label = "serializer".to_string();
                let slot = match &mut self.fallback {
                    Some(f) if f.pending.as_ref().is_some_and(|(g, _)| *g == generation) => f,
                    _ => &mut self.serializer,
                };
                let line = install(slot, generation, &entry, result, |b| match b {
                    Built::Serializer(p) => Some(p),
                    _ => None,
                });
                (label, line)
            }
            Role::Discovery => {
                let Some(i) = self.chain.iter().position(|s| s.entry.location == entry.location) else { return };
                let label = entry.label(i, n);
                let line = install(&mut self.chain[i], generation, &entry, result, |b| match b {
                    Built::Discovery(p) => Some(p),
                    _ => None,
                });
                (label, line)
            }
            Role::SessionManager => {
                let was_serving = self.session_manager.current.is_some();
                let line = install(&mut self.session_manager, generation, &entry, result, |b| match b {
                    Built::SessionManager => Some(()),
                    _ => None,
                });
                if was_serving && matches!(line, Some(Installed::Swapped(_))) {
                    (self.report)(Report::SessionManagerSwapped(entry.clone()));
                }
                ("session-manager".to_string(), line)
            }
        };
        let Some(line) = line else { return };
        let text = match &line {
            Installed::Swapped(took) => {
                tracing::info!(location = %entry.location, "{label}: new build serving (loaded in {:.0} ms)", took.as_secs_f64() * 1e3);
                format!("{label}: {}: new build serving (loaded in {:.0} ms)", entry.location, took.as_secs_f64() * 1e3)
            }
            Installed::First(took) => {
                tracing::info!(location = %entry.location, "{label}: ready (loaded in {:.0} ms)", took.as_secs_f64() * 1e3);
                format!("{label}: {}: loaded in {:.0} ms", entry.location, took.as_secs_f64() * 1e3)
            }
            Installed::Unchanged => format!("{label}: {}: unchanged", entry.location),
            Installed::Refused(why) => {
                (self.report)(Report::Notice(format!("{label}: new build refused: {}", first_line(why))));
                format!("{label}: {}: new build refused: {why}", entry.location)
            }
            Installed::Failed(why) => {
                (self.report)(Report::Notice(format!("{label}: cannot load {}: {}", entry.location, first_line(why))));
                format!("{label}: {}: failed: {why}", entry.location)
            }
        };
        self.publish();
        let mut done = Vec::new();
        for (i, reload) in self.reloads.iter_mut().enumerate() {
            if let Some(k) = reload.waiting.iter().position(|g| *g == generation) {
                reload.waiting.remove(k);
                reload.lines.push(text.clone());
                if reload.waiting.is_empty() {
                    done.push(i);
                }
            }
        }
        for i in done.into_iter().rev() {
            let reload = self.reloads.remove(i);
            (self.report)(Report::ReloadDone { id: reload.id, summary: reload.lines.join("\n") + "\n" });
        }
    }

    /// Waits (taking in finished loads, keeping other jobs for later) until
    /// no role this save needs is still compiling its first build, each
    /// at most until its own load deadline, and all at most until `cap`.
    fn wait_for_first_builds(&mut self, cap: Instant) {
        loop {
            let now = Instant::now();
            let mut changed = self.serializer.check_deadline(now);
            for slot in &mut self.chain {
                changed |= slot.check_deadline(now);
            }
            if changed {
                self.publish();
            }
            let until = std::iter::once(self.serializer.wait_until(cap))
                .chain(self.chain.iter().map(|s| s.wait_until(cap)))
                .chain(self.fallback.iter().map(|s| s.wait_until(cap)))
                .flatten()
                .min();
            let Some(until) = until.filter(|u| *u > now) else { return };
            match self.jobs.recv_timeout(until - now) {
                Ok(Job::Loaded(outcome)) => self.installed(outcome),
                Ok(Job::Stop) => {
                    self.backlog.push_back(Job::Stop);
                    return;
                }
                Ok(other) => self.backlog.push_back(other),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    fn save(&mut self, job: SaveJob) {
        let started = Instant::now();
        self.wait_for_first_builds(started + SAVE_WAIT);
        if self.needs_fallback() {
            // The built-in one is asked for only now: its wait is its own.
            self.wait_for_first_builds(Instant::now() + SAVE_WAIT);
        }
        for slot in self.chain.iter().filter(|s| s.current.is_none()) {
            tracing::warn!(location = %slot.entry.location, "command-discovery plugin passed over in this save: {}", slot.why_not_serving());
        }
        let waited = started.elapsed();
        let mut manifest = job.manifest;
        let lost = self.screens.fill(&mut manifest, job.screens, job.secret_rules.as_ref());
        if !lost.is_empty() {
            tracing::error!(
                ?lost,
                "screen copies taken since a dump the worker does not have: these panes are saved without their screens this time"
            );
            (self.report)(Report::ScreensLost(lost));
        }
        let dumped = started.elapsed();
        // Never saved, whatever a plugin asked: variables the secret rules
        // flag (they apply with redact_secrets off too). Compiled once per
        // save, and only for a save that carries variables.
        let (mut redactor, built_in) = (None, crate::redact::SecretRules::default());
        let rules = job.secret_rules.as_ref().unwrap_or(&built_in);
        for question in &job.questions {
            let mut decided = self.decide(question);
            if !decided.env.is_empty() {
                let redactor = redactor.get_or_insert_with(|| self.screens.redactor(rules));
                decided.env.retain(|(name, value)| !redactor.flags_variable(name, value));
            }
            patch(&mut manifest, question.pane_id, decided);
        }
        let discovered = started.elapsed();
        let mut serialized = Duration::ZERO;
        let mut written = None;
        let result = self.serialize(&manifest).and_then(|session| match &job.kind {
            SaveKind::Dump => Ok(session.layout),
            SaveKind::Save { dir, created_unix, retention } => {
                serialized = started.elapsed();
                let sidecars: Vec<(String, String)> =
                    session.sidecars.into_iter().map(|s| (s.name, s.contents)).collect();
                // Panes that run something (not the bars or the manager).
                let panes = manifest
                    .tabs
                    .iter()
                    .map(|t| {
                        let tiled = t
                            .tiled
                            .iter()
                            .filter(|n| matches!(&n.body, TiledBody::Pane(p) if p.plugin.is_none()))
                            .count();
                        tiled + t.floating.iter().filter(|f| f.pane.plugin.is_none()).count()
                    })
                    .sum();
                let snap = store::Snapshot {
                    layout: &session.layout,
                    sidecars: &sidecars,
                    created_unix: *created_unix,
                    saved_unix: crate::plugin::now_unix(),
                    panes,
                };
                let w = store::write_generation(dir, &snap).map_err(|e| e.to_string())?;
                let published = w.published.display().to_string();
                written = Some((w, *retention));
                Ok(published)
            }
        });
        self.screens.take_back(&mut manifest);
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let serialized = serialized.max(discovered);
        tracing::info!(
            why = job.why,
            wait_ms = ms(waited),
            dump_ms = ms(dumped - waited),
            discover_ms = ms(discovered - dumped),
            serialize_ms = ms(serialized - discovered),
            write_ms = ms(started.elapsed() - serialized),
            "save job"
        );
        self.publish();
        (self.report)(Report::JobDone { id: job.id, result });
        if let Some((w, retention)) = written {
            w.prune(&retention);
        }
    }

    /// Whether the configured serializer failed to load and the built-in
    /// one must stand in; asks for the built-in one the first time.
    fn needs_fallback(&mut self) -> bool {
        let builtin = revenant_config::Plugins::default().serializer;
        let slot = &self.serializer;
        // Any other plugin in the role, built in or not, may fail to load.
        let failed = slot.current.is_none()
            && (slot.overdue || (slot.pending.is_none() && slot.failed.is_some()))
            && slot.loading().location != builtin.location;
        if failed && self.fallback.is_none() {
            let entry = RoleEntry::new(Role::Serializer, &builtin);
            let generation = self.request(&entry, None, &crate::plugin::sample_manifest());
            let mut slot = Slot::new(entry.clone());
            slot.set_pending(generation, entry);
            self.fallback = Some(slot);
        }
        failed
    }

    fn serialize(&mut self, manifest: &SessionManifest) -> Result<crate::plugin::types::SerializedSession, String> {
        // `save` asked for the built-in one if this one failed to load.
        if self.serializer.current.is_none()
            && let Some(plugin) = self.fallback.as_mut().and_then(|f| f.current.as_mut())
        {
            let why = self.serializer.why_not_serving();
            tracing::warn!(
                location = %self.serializer.entry.location,
                "the serializer could not be loaded ({why}): saved with the built-in one"
            );
            return plugin.serialize(manifest).map_err(|e| e.to_string());
        }
        let slot = &mut self.serializer;
        match slot.current.as_mut() {
            Some(plugin) => plugin.serialize(manifest).map_err(|e| e.to_string()),
            None => Err(match (&slot.pending, &slot.failed) {
                (Some(_), _) => format!(
                    "skipped: the serializer ({}) is still compiling after {} s",
                    slot.entry.location,
                    SAVE_WAIT.as_secs()
                ),
                (None, Some(why)) => format!("the serializer could not be loaded: {why}"),
                (None, None) => "the serializer is not loaded".into(),
            }),
        }
    }

    /// Runs the discovery chain: each plugin sees the previous one's
    /// result; `drop` ends the chain. A plugin that fails (or is not loaded)
    /// is passed over, so one broken link never loses the save.
    fn decide(&mut self, question: &DiscoveredCommand) -> Decided {
        let mut argv = question.argv.clone();
        let mut cwd = question.cwd.clone();
        let mut env = question.env.clone();
        for slot in &mut self.chain {
            let location = &slot.entry.location;
            let Some(plugin) = slot.current.as_mut() else {
                tracing::debug!(%location, "discovery plugin not loaded: passed over");
                continue;
            };
            let asked = DiscoveredCommand {
                argv: argv.clone(),
                original_argv: question.argv.clone(),
                cwd: cwd.clone(),
                pid: question.pid,
                pane_id: question.pane_id,
                shell: question.shell.clone(),
                env: env.clone(),
            };
            match plugin.discover(&asked) {
                Ok(DiscoveryDecision::Keep) => {}
                Ok(DiscoveryDecision::Drop) => return Decided { argv: None, cwd, env: Vec::new() },
                Ok(DiscoveryDecision::Rewrite(r)) => {
                    argv = r.argv;
                    if let Some(c) = r.cwd {
                        cwd = Some(c);
                    }
                    if let Some(e) = r.env {
                        env = e;
                    }
                }
                Err(e) => {
                    tracing::warn!(%location, "discovery plugin failed; its decision is skipped: {e}");
                    if self.failing.insert(location.clone()) {
                        (self.report)(Report::Notice(format!(
                            "command-discovery: {location} failed, its decision was skipped: {}",
                            first_line(&e.to_string())
                        )));
                    }
                    continue;
                }
            }
            self.failing.remove(location);
        }
        Decided { argv: Some(argv), cwd, env }
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}
