//! The life of one plugin: compile and check once, instantiate lazily, run
//! every call under a deadline, count what the calls cost, and throw the
//! instance away after a trap so the next call starts clean. A plugin can
//! also sleep: it lets go of its instance, its compiled code and the
//! engine, and wakes on its next call from the build on disk.

use std::path::Path;
use std::time::{Duration, Instant};

use wasmtime::component::{Component, InstancePre};
use wasmtime::{Store, Trap};

use super::contract::Contract;
use super::engine::EPOCH_TICK;
use super::error::{Failure, PluginError};
use super::grants::Grants;
use super::sandbox::{self, HostState, SessionControl};
use super::world_check;
use super::{PluginEngine, PluginId, PluginLimits, PluginSource, PluginStats, World};

/// Glue between the generic lifecycle and one world's generated bindings in
/// one contract version.
pub(crate) trait WorldBindings {
    const WORLD: World;
    const CONTRACT: Contract;
    type Pre;
    type Instance;
    fn pre(instance_pre: InstancePre<HostState>) -> wasmtime::Result<Self::Pre>;
    fn instantiate(pre: &Self::Pre, store: &mut Store<HostState>) -> wasmtime::Result<Self::Instance>;
}

/// A component compiled and checked against a world: the contract version
/// it was built for decides which bindings instantiate it.
pub(crate) struct Prepared {
    pub(crate) name: String,
    pub(crate) component: Component,
    pub(crate) contract: Contract,
    pub(crate) world: World,
    origin: Origin,
}

/// Where a checked build can be found again after its plugin slept.
#[derive(Clone)]
struct Origin {
    /// Without the bytes: a file is read again only if the disk cache lost
    /// the build.
    source: PluginSource,
    key: u64,
}

impl Prepared {
    pub(crate) fn new(engine: &PluginEngine, source: &PluginSource, world: World) -> Result<Prepared, PluginError> {
        let name = source.name();
        let fail = |cause| PluginError::new(&name, world, cause);
        let (component, key) = engine.compile_keyed(source).map_err(fail)?;
        let contract = world_check::check_world(engine.engine(), &component, world)
            .map_err(|d| PluginError::new(&name, world, Failure::WorldMismatch(d)))?;
        let source = match source {
            PluginSource::Read { path, .. } => PluginSource::File(path.clone()),
            other => other.clone(),
        };
        Ok(Prepared { name, component, contract, world, origin: Origin { source, key } })
    }
}

/// What a plugin holds while awake.
struct Awake<B: WorldBindings> {
    engine: PluginEngine,
    pre: B::Pre,
    live: Option<(Store<HostState>, B::Instance)>,
}

pub(crate) struct Loaded<B: WorldBindings> {
    pub(crate) id: PluginId,
    cell: crate::plugin::EngineCell,
    origin: Origin,
    awake: Option<Awake<B>>,
    pub(crate) limits: PluginLimits,
    pub(crate) grants: Grants,
    pub(crate) stats: PluginStats,
    /// Handed to each new instance; recovered from a dead one.
    control: Option<Box<dyn SessionControl>>,
}

/// Links `component` against the world's host functions, once per build.
fn prepare<B: WorldBindings>(
    engine: &PluginEngine,
    component: &Component,
    fail: impl Fn(Failure) -> PluginError,
) -> Result<B::Pre, PluginError> {
    let linker = sandbox::linker(engine.engine(), B::WORLD, B::CONTRACT)
        .map_err(|e| fail(Failure::Instantiate(format!("{e:#}"))))?;
    let instance_pre = linker.instantiate_pre(component).map_err(|e| fail(Failure::WorldMismatch(format!("{e:#}"))))?;
    B::pre(instance_pre).map_err(|e| fail(Failure::WorldMismatch(format!("{e:#}"))))
}

impl<B: WorldBindings> Loaded<B> {
    pub(crate) fn new(
        engine: &PluginEngine,
        prepared: &Prepared,
        limits: PluginLimits,
        grants: Grants,
        control: Option<Box<dyn SessionControl>>,
    ) -> Result<Self, PluginError> {
        debug_assert_eq!((prepared.world, prepared.contract), (B::WORLD, B::CONTRACT));
        let fail = |cause| PluginError::new(&prepared.name, B::WORLD, cause);
        let pre = prepare::<B>(engine, &prepared.component, fail)?;
        Ok(Loaded {
            id: PluginId { name: prepared.name.as_str().into(), world: B::WORLD, contract: B::CONTRACT },
            cell: engine.cell().clone(),
            origin: prepared.origin.clone(),
            awake: Some(Awake { engine: engine.clone(), pre, live: None }),
            limits,
            grants,
            stats: PluginStats::default(),
            control,
        })
    }

    /// Lets go of the instance, the compiled code and (with the last
    /// plugin) the engine; the next call wakes the plugin again.
    pub(crate) fn sleep(&mut self) {
        self.discard();
        self.awake = None;
    }

    /// Whether the plugin holds its code now.
    pub(crate) fn is_awake(&self) -> bool {
        self.awake.is_some()
    }

    fn wake(&mut self) -> Result<&mut Awake<B>, PluginError> {
        if self.awake.is_none() {
            let fail = |cause| PluginError::new(&self.id.name, B::WORLD, cause);
            let engine = self
                .cell
                .get()
                .map_err(|e| fail(Failure::Instantiate(format!("the plugin engine could not start: {e}"))))?;
            let component = engine.recompile(&self.origin.source, self.origin.key).map_err(fail)?;
            let pre = prepare::<B>(&engine, &component, fail)?;
            self.stats.wakes += 1;
            self.awake = Some(Awake { engine, pre, live: None });
        }
        Ok(self.awake.as_mut().expect("just woken"))
    }

    /// Makes sure an instance exists; returns true when it was just created
    /// (so a stateful world can initialise it). A plugin granted the pane's
    /// cwd gets a fresh instance for every call that names one, so that it
    /// sees that directory and no other pane's.
    pub(crate) fn ensure_instance(&mut self, cwd: Option<&Path>) -> Result<bool, PluginError> {
        let per_call = self.grants.cwd && cwd.is_some();
        if per_call {
            self.discard();
        }
        if let Err(e) = self.wake() {
            self.stats.failed(&e);
            return Err(e);
        }
        let awake = self.awake.as_mut().expect("just woken");
        if awake.live.is_some() {
            return Ok(false);
        }
        let _busy = awake.engine.busy();
        let started = Instant::now();
        let mut store = HostState::new_store(
            awake.engine.engine(),
            &self.id,
            &self.limits,
            &self.grants,
            cwd.filter(|_| per_call),
            self.control.take(),
        );
        store.set_epoch_deadline(deadline_ticks(self.limits.startup));
        match B::instantiate(&awake.pre, &mut store) {
            Ok(instance) => {
                self.stats.instantiations += 1;
                self.stats.last_instantiate = started.elapsed();
                awake.live = Some((store, instance));
                Ok(true)
            }
            Err(e) => {
                let err = classify(e, &store, &self.id, &self.limits, Phase::Startup);
                self.stats.failed(&err);
                self.control = store.data_mut().take_control();
                Err(err)
            }
        }
    }

    /// Runs one call into the guest under the deadline. On any failure the
    /// instance is dropped.
    pub(crate) fn call<R>(
        &mut self,
        f: impl FnOnce(&B::Instance, &mut Store<HostState>) -> wasmtime::Result<R>,
    ) -> Result<R, PluginError> {
        self.call_in(None, f)
    }

    /// Like [`Loaded::call`], for a call about a pane in `cwd` (which a cwd
    /// grant exposes).
    pub(crate) fn call_in<R>(
        &mut self,
        cwd: Option<&Path>,
        f: impl FnOnce(&B::Instance, &mut Store<HostState>) -> wasmtime::Result<R>,
    ) -> Result<R, PluginError> {
        self.ensure_instance(cwd)?;
        let awake = self.awake.as_mut().expect("instance was just ensured");
        let _busy = awake.engine.busy();
        let (store, instance) = awake.live.as_mut().expect("instance was just ensured");
        store.data().output.clear_tail();
        store.set_epoch_deadline(deadline_ticks(self.limits.deadline));
        let started = Instant::now();
        let result = f(instance, store);
        let took = started.elapsed();
        self.stats.memory_peak = self.stats.memory_peak.max(store.data().memory.peak);
        match result {
            Ok(value) => {
                self.stats.called(took);
                Ok(value)
            }
            Err(e) => {
                let err = classify(e, store, &self.id, &self.limits, Phase::Call);
                self.stats.called(took);
                self.stats.failed(&err);
                self.discard();
                Err(err)
            }
        }
    }

    /// An error about this plugin that the host found in its output.
    pub(crate) fn invalid_output(&mut self, why: String) -> PluginError {
        let err = PluginError::new(&self.id.name, self.id.world, Failure::InvalidOutput(why));
        self.stats.failed(&err);
        err
    }

    /// Drops the current instance; the next call creates a fresh one.
    pub(crate) fn discard(&mut self) {
        if let Some((mut store, _)) = self.awake.as_mut().and_then(|a| a.live.take()) {
            self.control = store.data_mut().take_control();
        }
    }
}

fn deadline_ticks(deadline: Duration) -> u64 {
    // One extra tick: the current tick may be about to end.
    (deadline.as_nanos().div_ceil(EPOCH_TICK.as_nanos()) as u64).max(1) + 1
}

#[derive(Clone, Copy)]
enum Phase {
    Startup,
    Call,
}

/// Names the cause of a failed call as precisely as the evidence allows.
fn classify(
    error: wasmtime::Error,
    store: &Store<HostState>,
    id: &PluginId,
    limits: &PluginLimits,
    phase: Phase,
) -> PluginError {
    let state = store.data();
    let tail = state.output.tail();
    let cause = if let Some(requested) = state.memory.refused {
        // Whatever trap followed (an allocator abort, usually), the root cause
        // is the refused growth.
        Failure::OutOfMemory { cap: limits.memory_bytes, requested }
    } else {
        match error.downcast_ref::<Trap>() {
            Some(Trap::Interrupt) => match phase {
                Phase::Startup => Failure::StartupTimeout(limits.startup),
                Phase::Call => Failure::Timeout(limits.deadline),
            },
            Some(Trap::UnreachableCodeReached) => match panic_message(&tail) {
                Some(message) => Failure::Panic(message),
                None => Failure::Trap("the plugin aborted (unreachable code reached)".into()),
            },
            Some(trap) => Failure::Trap(trap.to_string()),
            None => match phase {
                Phase::Startup => Failure::Instantiate(format!("{error:#}")),
                Phase::Call => Failure::Trap(format!("{error:#}")),
            },
        }
    };
    tracing::warn!(plugin = %id.name, world = %id.world, "plugin call failed: {cause}");
    PluginError::new(&id.name, id.world, cause).with_tail(tail)
}

/// The last panic report in the guest's output, folded onto one line: Rust's
/// default hook puts the message on the line after "panicked at …".
fn panic_message(tail: &str) -> Option<String> {
    let start = tail.rfind("panicked")?;
    let folded: Vec<&str> = tail[start..].lines().map(str::trim).filter(|l| !l.is_empty()).take(4).collect();
    let mut message = folded.join(" ");
    if message.len() > 500 {
        let cut = (0..=500).rev().find(|&i| message.is_char_boundary(i)).unwrap_or(0);
        message.truncate(cut);
        message.push('…');
    }
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_messages_are_folded_from_either_hook() {
        let sdk = "plugin panicked at src/lib.rs:3: boom";
        assert_eq!(panic_message(sdk).unwrap(), "panicked at src/lib.rs:3: boom");
        let std_hook = "noise\nthread '<unnamed>' panicked at src/lib.rs:5:5:\nindex out of bounds\nnote: run with RUST_BACKTRACE=1";
        assert_eq!(
            panic_message(std_hook).unwrap(),
            "panicked at src/lib.rs:5:5: index out of bounds note: run with RUST_BACKTRACE=1"
        );
        assert!(panic_message("no panic here").is_none());
    }
}
