//! What a plugin's calls have cost so far, for `revenant plugin list`.

use std::time::Duration;

use super::error::PluginError;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PluginStats {
    /// Calls into the guest (successful or not), smoke calls included.
    pub calls: u64,
    pub failures: u64,
    pub total: Duration,
    pub worst: Duration,
    /// The largest linear memory any of its instances grew to, in bytes.
    pub memory_peak: usize,
    pub instantiations: u64,
    /// How long the latest instantiation took.
    pub last_instantiate: Duration,
    /// How often it woke from sleep (its code dropped while idle, mapped
    /// again from the disk cache).
    pub wakes: u64,
    /// The last failure, one line.
    pub last_error: Option<String>,
}

impl PluginStats {
    pub(crate) fn called(&mut self, took: Duration) {
        self.calls += 1;
        self.total += took;
        self.worst = self.worst.max(took);
    }

    pub(crate) fn failed(&mut self, error: &PluginError) {
        self.failures += 1;
        self.last_error = Some(error.to_string().lines().next().unwrap_or_default().to_string());
    }

    /// Adds another instance's figures (several panes running one UI plugin).
    pub fn merge(&mut self, other: &PluginStats) {
        self.calls += other.calls;
        self.failures += other.failures;
        self.total += other.total;
        self.worst = self.worst.max(other.worst);
        self.memory_peak = self.memory_peak.max(other.memory_peak);
        self.instantiations += other.instantiations;
        if other.instantiations > 0 {
            self.last_instantiate = other.last_instantiate;
        }
        if other.last_error.is_some() {
            self.last_error.clone_from(&other.last_error);
        }
    }
}
