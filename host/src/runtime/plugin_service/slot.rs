//! One plugin of a role as the worker holds it: the build serving, the
//! load that may replace it, and how a finished load is installed.

use std::time::{Duration, Instant};

use super::loader::{Built, LoadResult};
use super::roles::{LoadState, RoleEntry, RoleStatus, load_deadline};

/// One plugin of a role: the build serving, and the load that may replace it.
pub(in crate::runtime) struct Slot<P> {
    /// The entry the serving build was loaded with.
    pub(in crate::runtime) entry: RoleEntry,
    pub(in crate::runtime) current: Option<P>,
    pub(in crate::runtime) hash: Option<u64>,
    /// A load in flight, and the entry it loads.
    pub(in crate::runtime) pending: Option<(u64, RoleEntry)>,
    /// When the pending load was asked for.
    since: Option<Instant>,
    /// The pending load is past its deadline: saves go on without it (it
    /// still serves once it is ready).
    pub(in crate::runtime) overdue: bool,
    pub(in crate::runtime) failed: Option<String>,
    pub(in crate::runtime) refused: Option<String>,
    pub(in crate::runtime) load_time: Option<Duration>,
    pub(in crate::runtime) contract: Option<crate::plugin::Contract>,
}

impl<P> Slot<P> {
    pub(in crate::runtime) fn new(entry: RoleEntry) -> Self {
        Slot {
            entry,
            current: None,
            hash: None,
            pending: None,
            since: None,
            overdue: false,
            failed: None,
            refused: None,
            load_time: None,
            contract: None,
        }
    }

    /// A first build is on its way and a save may still wait for it.
    pub(in crate::runtime) fn waiting(&self) -> bool {
        self.current.is_none() && self.pending.is_some() && !self.overdue
    }

    /// When a save stops waiting for the pending first build.
    pub(in crate::runtime) fn due(&self) -> Option<Instant> {
        let (_, entry) = self.pending.as_ref().filter(|_| self.waiting())?;
        if entry.is_builtin() {
            return None;
        }
        self.since.map(|since| since + load_deadline())
    }

    /// Until when a save waits for this slot: its deadline, at most `cap`
    /// (`None`: it is not waited for).
    pub(in crate::runtime) fn wait_until(&self, cap: Instant) -> Option<Instant> {
        self.waiting().then(|| self.due().map_or(cap, |due| due.min(cap)))
    }

    /// Marks the pending first build overdue once its deadline passed;
    /// says whether it just became so.
    pub(in crate::runtime) fn check_deadline(&mut self, now: Instant) -> bool {
        if self.due().is_some_and(|due| now >= due) {
            self.overdue = true;
            let location = &self.loading().location;
            tracing::warn!(%location, "still loading after {} s: passed over until it is ready", load_deadline().as_secs_f64());
            return true;
        }
        false
    }

    /// The entry being loaded, else the one serving.
    pub(in crate::runtime) fn loading(&self) -> &RoleEntry {
        self.pending.as_ref().map_or(&self.entry, |(_, e)| e)
    }

    /// Why no build of this slot serves.
    pub(in crate::runtime) fn why_not_serving(&self) -> String {
        match (&self.failed, self.overdue) {
            (_, true) => format!("still loading after {} s", load_deadline().as_secs_f64()),
            (Some(why), false) => why.lines().next().unwrap_or_default().to_string(),
            (None, false) => "not loaded yet".into(),
        }
    }

    pub(in crate::runtime) fn status(&self, label: String, stats: Option<&crate::plugin::PluginStats>) -> RoleStatus {
        let entry = self.pending.as_ref().filter(|_| self.current.is_none()).map_or(&self.entry, |(_, e)| e);
        let mut row = RoleStatus::compiling(label, entry.clone());
        row.state = match (&self.current, &self.pending, &self.failed) {
            (Some(_), _, _) => LoadState::Ready,
            (None, Some(_), _) if self.overdue => {
                LoadState::Failed(format!("{}: passed over until it is ready", self.why_not_serving()))
            }
            (None, Some(_), _) => LoadState::Compiling,
            (None, None, Some(why)) => LoadState::Failed(why.clone()),
            (None, None, None) => LoadState::Compiling,
        };
        row.swapping = self.current.is_some() && self.pending.is_some();
        row.contract = self.contract;
        row.refused.clone_from(&self.refused);
        row.load_time = self.load_time;
        if let Some(stats) = stats {
            row.stats = stats.clone();
        }
        row
    }
}

/// The parts of a slot `reconfigure` needs, whatever its plugin type.
pub(in crate::runtime) trait SlotView {
    fn entry(&self) -> &RoleEntry;
    fn hash(&self) -> Option<u64>;
    fn set_pending(&mut self, generation: u64, entry: RoleEntry);
}

impl<P> SlotView for Slot<P> {
    fn entry(&self) -> &RoleEntry {
        &self.entry
    }
    fn hash(&self) -> Option<u64> {
        self.hash
    }
    fn set_pending(&mut self, generation: u64, entry: RoleEntry) {
        self.pending = Some((generation, entry));
        self.since = Some(Instant::now());
        self.overdue = false;
    }
}

pub(in crate::runtime) enum Installed {
    First(Duration),
    Swapped(Duration),
    Unchanged,
    Refused(String),
    Failed(String),
}

/// Applies a finished load to its slot, if it is the load the slot waits
/// for (a newer one may have been asked for since).
pub(in crate::runtime) fn install<P>(
    slot: &mut Slot<P>,
    generation: u64,
    entry: &RoleEntry,
    result: LoadResult,
    take: impl FnOnce(Built) -> Option<P>,
) -> Option<Installed> {
    if slot.pending.as_ref().map(|(g, _)| *g) != Some(generation) {
        return None;
    }
    slot.pending = None;
    slot.since = None;
    slot.overdue = false;
    Some(match result {
        LoadResult::Built { plugin, hash, contract, took, .. } => {
            let Some(plugin) = take(plugin) else { return Some(Installed::Failed("built for another role".into())) };
            let first = slot.current.is_none();
            slot.current = Some(plugin);
            slot.entry = entry.clone();
            slot.hash = Some(hash);
            slot.contract = Some(contract);
            slot.failed = None;
            slot.refused = None;
            slot.load_time = Some(took);
            if first { Installed::First(took) } else { Installed::Swapped(took) }
        }
        LoadResult::Unchanged => {
            slot.entry = entry.clone();
            Installed::Unchanged
        }
        LoadResult::Failed(why) if slot.current.is_some() => {
            slot.refused = Some(why.clone());
            Installed::Refused(why)
        }
        LoadResult::Failed(why) => {
            slot.failed = Some(why.clone());
            slot.entry = entry.clone();
            Installed::Failed(why)
        }
    })
}
