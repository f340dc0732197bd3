//! The plugin roles of a session as config.kdl fills them, and what each
//! one is doing: the table `revenant plugin list` prints.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use revenant_config::{PluginEntry, Plugins};
use serde_json::json;

use crate::plugin::{Contract, Grants, PluginLimits, PluginSource, PluginStats, World};

/// How long a plugin may take to be read, compiled and checked before a
/// save passes it over: `REVENANT_PLUGIN_LOAD_DEADLINE_SECS`, else 90 s (a
/// first compile of a CPython component in a debug build takes tens of
/// seconds). A built-in plugin has none: it is what stands in.
pub fn load_deadline() -> Duration {
    static DEADLINE: std::sync::OnceLock<Duration> = std::sync::OnceLock::new();
    *DEADLINE.get_or_init(|| {
        let secs = std::env::var("REVENANT_PLUGIN_LOAD_DEADLINE_SECS").ok().and_then(|s| s.parse().ok());
        Duration::from_secs_f64(f64::max(secs.unwrap_or(90.0), 0.001))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Serializer,
    Discovery,
    SessionManager,
}

impl Role {
    pub fn world(self) -> World {
        match self {
            Role::Serializer => World::Serializer,
            Role::Discovery => World::CommandDiscovery,
            Role::SessionManager => World::SessionManager,
        }
    }

    pub fn name(self) -> &'static str {
        self.world().name()
    }
}

/// One plugin of a role, resolved from its config entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleEntry {
    pub role: Role,
    pub location: String,
    pub limits: PluginLimits,
    pub grants: Grants,
    pub configuration: Vec<(String, String)>,
}

impl RoleEntry {
    pub fn new(role: Role, entry: &PluginEntry) -> Self {
        let mut limits = PluginLimits::for_world(role.world());
        if let Some(ms) = entry.deadline_ms {
            limits.deadline = Duration::from_millis(ms);
        }
        if let Some(mb) = entry.memory_mb {
            limits.memory_bytes = (mb as usize).saturating_mul(1024 * 1024);
        }
        if let Some(ms) = entry.startup_ms {
            limits.startup = Duration::from_millis(ms);
        }
        RoleEntry {
            role,
            location: entry.location.clone(),
            limits,
            grants: Grants { cwd: entry.grants.cwd, env: entry.grants.env.clone() },
            configuration: entry.configuration.clone(),
        }
    }

    pub fn source(&self) -> Result<PluginSource, String> {
        PluginSource::from_location(&self.location)
    }

    /// Compiled into the host: always there, and what stands in.
    pub fn is_builtin(&self) -> bool {
        matches!(self.source(), Ok(PluginSource::Embedded { .. }))
    }

    /// The file a `file:` plugin is read from.
    pub fn file(&self) -> Option<PathBuf> {
        match self.source() {
            Ok(PluginSource::File(path)) => Some(path),
            _ => None,
        }
    }

    /// How `plugin list` names the entry: `command-discovery[2]` for the
    /// second plugin of the chain.
    pub fn label(&self, position: usize, chain_len: usize) -> String {
        if self.role == Role::Discovery && chain_len > 1 {
            format!("{}[{}]", self.role.name(), position + 1)
        } else {
            self.role.name().to_string()
        }
    }
}

/// Every role's entries, in order (the discovery chain in the order its
/// plugins run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSet {
    pub serializer: RoleEntry,
    pub discovery: Vec<RoleEntry>,
    pub session_manager: RoleEntry,
}

impl RoleSet {
    pub fn from_config(p: &Plugins) -> Self {
        RoleSet {
            serializer: RoleEntry::new(Role::Serializer, &p.serializer),
            discovery: p.command_discovery.iter().map(|e| RoleEntry::new(Role::Discovery, e)).collect(),
            session_manager: RoleEntry::new(Role::SessionManager, &p.session_manager),
        }
    }

    pub fn all(&self) -> impl Iterator<Item = &RoleEntry> {
        std::iter::once(&self.serializer).chain(&self.discovery).chain(std::iter::once(&self.session_manager))
    }

    /// Every file a `file:` plugin of the set is read from.
    pub fn files(&self) -> Vec<PathBuf> {
        self.all().filter_map(RoleEntry::file).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadState {
    Compiling,
    Ready,
    Failed(String),
}

/// What one plugin of a role is and has done.
#[derive(Debug, Clone)]
pub struct RoleStatus {
    pub label: String,
    pub entry: RoleEntry,
    pub contract: Option<Contract>,
    pub state: LoadState,
    /// A new build is being loaded while the current one serves.
    pub swapping: bool,
    pub stats: PluginStats,
    /// Why the last new build was refused (the one before it kept serving).
    pub refused: Option<String>,
    /// Compile, check, instantiate and smoke call of the build serving now.
    pub load_time: Option<Duration>,
}

impl RoleStatus {
    pub fn compiling(label: String, entry: RoleEntry) -> Self {
        RoleStatus {
            label,
            entry,
            contract: None,
            state: LoadState::Compiling,
            swapping: false,
            stats: PluginStats::default(),
            refused: None,
            load_time: None,
        }
    }

    pub fn state_text(&self) -> String {
        match &self.state {
            LoadState::Compiling => "compiling".into(),
            LoadState::Ready if self.swapping => "ready (a new build is compiling)".into(),
            LoadState::Ready => "ready".into(),
            LoadState::Failed(cause) => format!("failed: {cause}"),
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        let ms = |d: Duration| (d.as_secs_f64() * 1e6).round() / 1e3;
        json!({
            "role": self.entry.role.name(),
            "label": self.label,
            "location": self.entry.location,
            "world": self.entry.role.world().name(),
            "contract": self.contract.map(|c| c.version()),
            "state": self.state_text(),
            "calls": self.stats.calls,
            "failures": self.stats.failures,
            "total_ms": ms(self.stats.total),
            "worst_ms": ms(self.stats.worst),
            "memory_peak_bytes": self.stats.memory_peak,
            "instantiations": self.stats.instantiations,
            "wakes": self.stats.wakes,
            "last_error": self.stats.last_error,
            "refused": self.refused,
            "load_ms": self.load_time.map(ms),
            "grants": self.entry.grants.describe(),
            "limits": {
                "deadline_ms": self.entry.limits.deadline.as_millis() as u64,
                "startup_ms": self.entry.limits.startup.as_millis() as u64,
                "memory_mb": self.entry.limits.memory_bytes / (1024 * 1024),
            },
        })
    }
}

#[derive(Default)]
struct Tables {
    rows: Vec<RoleStatus>,
    /// Each session-manager pane runs its own instance: (location,
    /// contract, stats).
    panes: std::collections::BTreeMap<u32, (String, Option<Contract>, PluginStats)>,
}

/// Shared between the plugin threads, which update it, and the server
/// thread, which only reads it (a short lock, never held across a call).
#[derive(Clone, Default)]
pub struct StatusTable(Arc<Mutex<Tables>>);

impl StatusTable {
    fn lock(&self) -> MutexGuard<'_, Tables> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_rows(&self, rows: Vec<RoleStatus>) {
        self.lock().rows = rows;
    }

    pub fn set_pane(&self, pane: u32, location: &str, contract: Option<Contract>, stats: &PluginStats) {
        self.lock().panes.insert(pane, (location.to_string(), contract, stats.clone()));
    }

    pub fn remove_pane(&self, pane: u32) {
        self.lock().panes.remove(&pane);
    }

    /// Every role's row; the session manager's counts the calls of every
    /// pane running it, and a pane running another UI plugin gets its own.
    pub fn snapshot(&self) -> Vec<RoleStatus> {
        let tables = self.lock();
        let mut rows = tables.rows.clone();
        for (pane, (location, contract, stats)) in &tables.panes {
            match rows.iter_mut().find(|r| r.entry.role == Role::SessionManager && &r.entry.location == location) {
                Some(row) => row.stats.merge(stats),
                None => {
                    let entry = RoleEntry {
                        role: Role::SessionManager,
                        location: location.clone(),
                        limits: PluginLimits::for_world(World::SessionManager),
                        grants: Grants::none(),
                        configuration: Vec::new(),
                    };
                    let mut row = RoleStatus::compiling(format!("pane {pane}"), entry);
                    row.state = LoadState::Ready;
                    row.contract = *contract;
                    row.stats = stats.clone();
                    rows.push(row);
                }
            }
        }
        rows
    }
}

/// `plugin list` as text: one block per role.
pub fn describe(rows: &[RoleStatus]) -> String {
    let mut out = String::new();
    for r in rows {
        out.push_str(&format!("{}: {}\n", r.label, r.entry.location));
        let contract = r.contract.map_or("?".to_string(), |c| c.version().to_string());
        out.push_str(&format!("  world {} · contract {} · {}\n", r.entry.role.world(), contract, r.state_text()));
        let s = &r.stats;
        if s.calls > 0 || s.instantiations > 0 {
            out.push_str(&format!(
                "  {} calls ({} failed) · total {:.1} ms · worst {:.1} ms · memory peak {:.1} MiB\n",
                s.calls,
                s.failures,
                s.total.as_secs_f64() * 1e3,
                s.worst.as_secs_f64() * 1e3,
                s.memory_peak as f64 / (1024.0 * 1024.0)
            ));
        }
        if let Some(t) = r.load_time {
            out.push_str(&format!("  loaded in {:.0} ms\n", t.as_secs_f64() * 1e3));
        }
        let grants = r.entry.grants.describe();
        out.push_str(&format!("  grants: {}\n", if grants.is_empty() { "none".into() } else { grants.join(", ") }));
        if let Some(e) = &s.last_error {
            out.push_str(&format!("  last error: {e}\n"));
        }
        if let Some(e) = &r.refused {
            out.push_str(&format!("  last new build refused: {e}\n"));
        }
    }
    out
}
