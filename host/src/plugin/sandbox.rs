//! The per-instance state a plugin runs against: a WASI context that grants
//! nothing beyond the plugin's grants, a memory cap that remembers when it
//! bit and how high it got, captured output, and the host functions of the
//! plugin's world in each contract version.

use std::path::Path;
use std::sync::Arc;

use wasmtime::component::{HasSelf, Linker, ResourceTable};
use wasmtime::{ResourceLimiter, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use super::bindings::{types, v1, v2, v3, v4, v5, v6};
use super::compat::{self, Convert};
use super::contract::Contract;
use super::grants::Grants;
use super::guest_output::GuestOutput;
use super::{PluginId, PluginLimits, World};

/// What a session-manager plugin may ask of the host. The multiplexer
/// implements it; tests use a fake.
pub trait SessionControl: Send {
    fn list_sessions(&mut self) -> Vec<types::SessionInfo>;
    fn switch_session(&mut self, name: &str) -> Result<(), String>;
    fn resurrect_session(&mut self, name: &str, generation: Option<&str>) -> Result<(), String>;
    fn kill_session(&mut self, name: &str) -> Result<(), String>;
    fn delete_session(&mut self, name: &str) -> Result<(), String>;
    fn create_session(&mut self, name: Option<&str>, layout: Option<&str>) -> Result<(), String>;
    fn rename_session(&mut self, name: &str) -> Result<(), String>;
    fn save_session(&mut self) -> Result<(), String>;
    fn disconnect_other_clients(&mut self) -> Result<(), String>;
    fn list_layouts(&mut self) -> Vec<types::LayoutInfo>;
    fn list_generations(&mut self, name: &str) -> Result<Vec<types::Generation>, String>;
    fn set_timeout(&mut self, millis: u32);
    fn close(&mut self);
    /// The configured other hosts (0.5.0).
    fn list_hosts(&mut self) -> Vec<types::HostInfo> {
        Vec::new()
    }
    /// Moves the client to a session on another host (0.5.0).
    fn open_remote_session(&mut self, _host: &str, _name: &str) -> Result<(), String> {
        Err("no other hosts are reachable from here".into())
    }
}

/// Controls for a session manager that is only being checked, not shown.
pub struct NoControl;

impl SessionControl for NoControl {
    fn list_sessions(&mut self) -> Vec<types::SessionInfo> {
        Vec::new()
    }
    fn switch_session(&mut self, _: &str) -> Result<(), String> {
        Err("not attached to a session".into())
    }
    fn resurrect_session(&mut self, _: &str, _: Option<&str>) -> Result<(), String> {
        Err("not attached to a session".into())
    }
    fn kill_session(&mut self, _: &str) -> Result<(), String> {
        Err("not attached to a session".into())
    }
    fn delete_session(&mut self, _: &str) -> Result<(), String> {
        Err("not attached to a session".into())
    }
    fn create_session(&mut self, _: Option<&str>, _: Option<&str>) -> Result<(), String> {
        Err("not attached to a session".into())
    }
    fn rename_session(&mut self, _: &str) -> Result<(), String> {
        Err("not attached to a session".into())
    }
    fn save_session(&mut self) -> Result<(), String> {
        Err("not attached to a session".into())
    }
    fn disconnect_other_clients(&mut self) -> Result<(), String> {
        Err("not attached to a session".into())
    }
    fn list_layouts(&mut self) -> Vec<types::LayoutInfo> {
        Vec::new()
    }
    fn list_generations(&mut self, _: &str) -> Result<Vec<types::Generation>, String> {
        Ok(Vec::new())
    }
    fn set_timeout(&mut self, _: u32) {}
    fn close(&mut self) {}
}

/// Counts memory growth against the cap, records the request that went
/// over (so a trap that follows can be reported as "out of memory" rather
/// than as whatever the guest's allocator did next) and the high-water mark.
pub(crate) struct MemoryCap {
    cap: usize,
    pub(crate) refused: Option<usize>,
    pub(crate) peak: usize,
}

impl ResourceLimiter for MemoryCap {
    fn memory_growing(&mut self, _current: usize, desired: usize, _max: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.cap {
            self.refused = Some(desired);
            return Ok(false);
        }
        self.peak = self.peak.max(desired);
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _max: Option<usize>) -> wasmtime::Result<bool> {
        // Tables hold function references; a plugin needing a million of them
        // is broken or hostile.
        Ok(desired <= 1_000_000)
    }
}

pub(crate) struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub(crate) memory: MemoryCap,
    pub(crate) output: GuestOutput,
    plugin: Arc<str>,
    control: Option<Box<dyn SessionControl>>,
}

impl HostState {
    /// A store for one instance. `cwd` is the directory a cwd grant exposes
    /// to this instance (discovery calls only).
    pub(crate) fn new_store(
        engine: &wasmtime::Engine,
        id: &PluginId,
        limits: &PluginLimits,
        grants: &Grants,
        cwd: Option<&Path>,
        control: Option<Box<dyn SessionControl>>,
    ) -> Store<HostState> {
        let output = GuestOutput::new(id.name.clone(), "stderr");
        // No preopened directories, no environment, no arguments, no sockets:
        // a plugin sees only what the host passes to its functions and what
        // its grants allow.
        let mut builder = WasiCtx::builder();
        builder
            .stdout(output.clone())
            .stderr(output.clone())
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .allow_blocking_current_thread(true);
        grants.apply(&mut builder, cwd);
        let state = HostState {
            wasi: builder.build(),
            table: ResourceTable::new(),
            memory: MemoryCap { cap: limits.memory_bytes, refused: None, peak: 0 },
            output,
            plugin: id.name.clone(),
            control,
        };
        let mut store = Store::new(engine, state);
        store.limiter(|s| &mut s.memory);
        store
    }

    pub(crate) fn take_control(&mut self) -> Option<Box<dyn SessionControl>> {
        self.control.take()
    }

    fn control(&mut self) -> Result<&mut Box<dyn SessionControl>, String> {
        self.control.as_mut().ok_or_else(|| "session control is not available here".to_string())
    }

    /// The session list as a plugin of `contract` may see it: before
    /// 0.5.0, this host's sessions only (it would act on another host's
    /// session as if it were here).
    fn sessions_for(&mut self, contract: Contract) -> Vec<types::SessionInfo> {
        let mut list = self.control().map(|c| c.list_sessions()).unwrap_or_default();
        if contract < Contract::V0_5 {
            list.retain(|s| s.host.is_none());
        }
        list
    }

    fn log(&self, level: types::LogLevel, message: &str) {
        let plugin = &*self.plugin;
        match level {
            types::LogLevel::Trace => tracing::trace!(target: "plugin", plugin, "{message}"),
            types::LogLevel::Debug => tracing::debug!(target: "plugin", plugin, "{message}"),
            types::LogLevel::Info => tracing::info!(target: "plugin", plugin, "{message}"),
            types::LogLevel::Warn => tracing::warn!(target: "plugin", plugin, "{message}"),
            types::LogLevel::Error => tracing::error!(target: "plugin", plugin, "{message}"),
        }
    }
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

/// The host side of one contract version's `types` and `log` interfaces;
/// `$level` turns its log level into the current one.
macro_rules! common_interfaces {
    ($v:ident, $level:expr) => {
        impl $v::serializer::revenant::plugin::types::Host for HostState {}

        impl $v::serializer::revenant::plugin::log::Host for HostState {
            fn log(&mut self, level: $v::types::LogLevel, message: String) {
                HostState::log(self, $level(level), &message)
            }
        }
    };
}

common_interfaces!(v6, |l| l);
common_interfaces!(v5, |l: v5::types::LogLevel| l.convert());
common_interfaces!(v4, |l: v4::types::LogLevel| l.convert());
common_interfaces!(v3, |l: v3::types::LogLevel| l.convert());
common_interfaces!(v2, |l: v2::types::LogLevel| compat::via::<v3::types::LogLevel, _>(&l));
common_interfaces!(v1, |l| compat::via::<v3::types::LogLevel, _>(&compat::v1::log_level(l)));

fn keep<T>(x: T) -> T {
    x
}

fn down<A: Convert<B>, B>(x: A) -> B {
    x.convert()
}

/// The controls every contract version has, with the same signatures.
macro_rules! shared_controls {
    () => {
        fn switch_session(&mut self, name: String) -> Result<(), String> {
            self.control()?.switch_session(&name)
        }
        fn kill_session(&mut self, name: String) -> Result<(), String> {
            self.control()?.kill_session(&name)
        }
        fn delete_session(&mut self, name: String) -> Result<(), String> {
            self.control()?.delete_session(&name)
        }
        fn create_session(&mut self, name: Option<String>, layout: Option<String>) -> Result<(), String> {
            self.control()?.create_session(name.as_deref(), layout.as_deref())
        }
        fn set_timeout(&mut self, millis: u32) {
            if let Ok(c) = self.control() {
                c.set_timeout(millis);
            }
        }
        fn close(&mut self) {
            if let Ok(c) = self.control() {
                c.close();
            }
        }
    };
}

/// Session control in a version whose calls are today's: `$to` turns what
/// the host answers into that version's types, after a step through the
/// version `$m` between them, if any.
macro_rules! session_control {
    ($v:ident, $c:ident, $to:ident $(, via $m:ident)? $(; $($more:tt)*)?) => {
        impl $v::session_manager::revenant::plugin::session_control::Host for HostState {
            $($($more)*)?
            fn list_sessions(&mut self) -> Vec<$v::types::SessionInfo> {
                let list = self.sessions_for(Contract::$c);
                $(let list: Vec<$m::types::SessionInfo> = down(list);)?
                $to(list)
            }
            shared_controls!();
            fn resurrect_session(&mut self, name: String, generation: Option<String>) -> Result<(), String> {
                self.control()?.resurrect_session(&name, generation.as_deref())
            }
            fn rename_session(&mut self, name: String) -> Result<(), String> {
                self.control()?.rename_session(&name)
            }
            fn save_session(&mut self) -> Result<(), String> {
                self.control()?.save_session()
            }
            fn disconnect_other_clients(&mut self) -> Result<(), String> {
                self.control()?.disconnect_other_clients()
            }
            fn list_layouts(&mut self) -> Vec<$v::types::LayoutInfo> {
                let list = self.control().map(|c| c.list_layouts()).unwrap_or_default();
                $(let list: Vec<$m::types::LayoutInfo> = down(list);)?
                $to(list)
            }
            fn list_generations(&mut self, name: String) -> Result<Vec<$v::types::Generation>, String> {
                let list = self.control()?.list_generations(&name)?;
                $(let list: Vec<$m::types::Generation> = down(list);)?
                Ok($to(list))
            }
        }
    };
}

session_control!(v6, V0_6, keep;
    fn list_hosts(&mut self) -> Vec<types::HostInfo> {
        self.control().map(|c| c.list_hosts()).unwrap_or_default()
    }
    fn open_remote_session(&mut self, host: String, name: String) -> Result<(), String> {
        self.control()?.open_remote_session(&host, &name)
    }
);
session_control!(v5, V0_5, down;
    fn list_hosts(&mut self) -> Vec<v5::types::HostInfo> {
        down(self.control().map(|c| c.list_hosts()).unwrap_or_default())
    }
    fn open_remote_session(&mut self, host: String, name: String) -> Result<(), String> {
        self.control()?.open_remote_session(&host, &name)
    }
);
session_control!(v4, V0_4, down);
session_control!(v3, V0_3, down);
session_control!(v2, V0_2, down, via v3);

/// 0.1.0 has the first six controls: its session list is converted, and
/// it resurrects only the latest snapshot.
impl v1::session_manager::revenant::plugin::session_control::Host for HostState {
    fn list_sessions(&mut self) -> Vec<v1::types::SessionInfo> {
        let list: Vec<v3::types::SessionInfo> = down(self.sessions_for(Contract::V0_1));
        let list: Vec<v2::types::SessionInfo> = down(list);
        let now = super::now_unix();
        list.iter().map(|s| compat::v1::session_info(s, now)).collect()
    }
    shared_controls!();
    fn resurrect_session(&mut self, name: String) -> Result<(), String> {
        self.control()?.resurrect_session(&name, None)
    }
}

/// A linker with WASI and the host side of `world` in `contract`.
pub(crate) fn linker(
    engine: &wasmtime::Engine,
    world: World,
    contract: Contract,
) -> wasmtime::Result<Linker<HostState>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    let l = &mut linker;
    match (contract, world) {
        (Contract::V0_6, World::Serializer) => {
            v6::serializer::Serializer::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_6, World::CommandDiscovery) => {
            v6::command_discovery::CommandDiscovery::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_6, World::SessionManager) => {
            v6::session_manager::SessionManager::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_5, World::Serializer) => {
            v5::serializer::Serializer::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_5, World::CommandDiscovery) => {
            v5::command_discovery::CommandDiscovery::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_5, World::SessionManager) => {
            v5::session_manager::SessionManager::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_4, World::Serializer) => {
            v4::serializer::Serializer::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_4, World::CommandDiscovery) => {
            v4::command_discovery::CommandDiscovery::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_4, World::SessionManager) => {
            v4::session_manager::SessionManager::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_3, World::Serializer) => {
            v3::serializer::Serializer::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_3, World::CommandDiscovery) => {
            v3::command_discovery::CommandDiscovery::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_3, World::SessionManager) => {
            v3::session_manager::SessionManager::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_2, World::Serializer) => {
            v2::serializer::Serializer::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_2, World::CommandDiscovery) => {
            v2::command_discovery::CommandDiscovery::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_2, World::SessionManager) => {
            v2::session_manager::SessionManager::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_1, World::Serializer) => {
            v1::serializer::Serializer::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_1, World::CommandDiscovery) => {
            v1::command_discovery::CommandDiscovery::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
        (Contract::V0_1, World::SessionManager) => {
            v1::session_manager::SessionManager::add_to_linker::<_, HasSelf<HostState>>(l, |s| s)?
        }
    }
    Ok(linker)
}
