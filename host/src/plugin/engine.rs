//! The wasmtime engine: compiled components are kept on disk
//! ([`super::artifacts`]), and a ticker thread advances the epoch that call
//! deadlines are counted in — only while a call is running, so an idle
//! server does not wake up 200 times a second for nothing. An engine lives
//! while something holds it: an idle session drops its plugins, and with
//! them the engine, its code and its ticker, and [`EngineCell`] makes a
//! new one when a plugin is next needed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::Duration;

use wasmtime::component::Component;
use wasmtime::{Engine, EngineWeak};

use super::PluginSource;
use super::artifacts::{Artifacts, key_of};
use super::compiler::{self, ChildError};
use super::error::Failure;

/// Deadlines are counted in ticks of this length, so a deadline is precise to
/// about one tick.
pub(crate) const EPOCH_TICK: Duration = Duration::from_millis(5);

/// The shared compilation engine. Cheap to clone.
#[derive(Clone)]
pub struct PluginEngine {
    engine: Engine,
    ticker: Arc<Ticker>,
    artifacts: Option<Arc<Artifacts>>,
    cell: EngineCell,
}

/// Where a process's engine comes from: made on first use, held only by
/// its users, and made again after the last one let go. Cheap to clone.
#[derive(Clone)]
pub struct EngineCell(Arc<CellInner>);

struct CellInner {
    cache_dir: Option<PathBuf>,
    current: Mutex<Option<WeakEngine>>,
}

struct WeakEngine {
    engine: EngineWeak,
    ticker: Weak<Ticker>,
    artifacts: Option<Weak<Artifacts>>,
}

impl EngineCell {
    /// With `cache_dir`, compiled components are kept there, so loading an
    /// unchanged plugin again skips Cranelift.
    pub fn new(cache_dir: Option<&Path>) -> EngineCell {
        EngineCell(Arc::new(CellInner { cache_dir: cache_dir.map(Path::to_path_buf), current: Mutex::new(None) }))
    }

    /// The live engine, or a new one; threads asking at once get the same.
    pub fn get(&self) -> Result<PluginEngine, String> {
        let mut current = self.0.current.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(weak) = current.as_ref()
            && let (Some(engine), Some(ticker)) = (weak.engine.upgrade(), weak.ticker.upgrade())
        {
            let artifacts = weak.artifacts.as_ref().and_then(Weak::upgrade);
            return Ok(PluginEngine { engine, ticker, artifacts, cell: self.clone() });
        }
        let made = PluginEngine::make(self.clone()).map_err(|e| format!("{e:#}"))?;
        *current = Some(WeakEngine {
            engine: made.engine.weak(),
            ticker: Arc::downgrade(&made.ticker),
            artifacts: made.artifacts.as_ref().map(Arc::downgrade),
        });
        Ok(made)
    }

    /// Whether an engine is alive now (for tests and memory reports).
    pub fn is_live(&self) -> bool {
        let current = self.0.current.lock().unwrap_or_else(|e| e.into_inner());
        current.as_ref().is_some_and(|w| w.ticker.strong_count() > 0)
    }
}

/// How many calls are running, and whether the ticker should end.
#[derive(Default)]
struct TickerState {
    busy: usize,
    stop: bool,
}

#[derive(Default)]
struct TickerShared {
    state: Mutex<TickerState>,
    wake: Condvar,
}

struct Ticker {
    shared: Arc<TickerShared>,
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner()).stop = true;
        self.shared.wake.notify_all();
    }
}

/// Keeps the epoch ticking while it lives (one per running call).
pub(crate) struct Busy {
    shared: Arc<TickerShared>,
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner()).busy -= 1;
    }
}

fn tick(shared: &TickerShared, weak: &wasmtime::EngineWeak) {
    loop {
        {
            let mut state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
            while state.busy == 0 && !state.stop {
                state = shared.wake.wait(state).unwrap_or_else(|e| e.into_inner());
            }
            if state.stop {
                return;
            }
        }
        std::thread::sleep(EPOCH_TICK);
        match weak.upgrade() {
            Some(engine) => engine.increment_epoch(),
            None => return,
        }
    }
}

impl PluginEngine {
    /// Builds the engine. With `cache_dir`, compiled components are kept
    /// there, so loading an unchanged plugin again skips Cranelift.
    pub fn new(cache_dir: Option<&Path>) -> wasmtime::Result<Self> {
        EngineCell::new(cache_dir).get().map_err(wasmtime::Error::msg)
    }

    fn make(cell: EngineCell) -> wasmtime::Result<Self> {
        let engine = Engine::new(&super::settings::config())?;
        let artifacts = cell.0.cache_dir.as_deref().map(|dir| Arc::new(Artifacts::new(dir, &engine)));
        let shared = Arc::new(TickerShared::default());
        let weak = engine.weak();
        let theirs = shared.clone();
        std::thread::Builder::new().name("plugin-epoch".into()).spawn(move || tick(&theirs, &weak))?;
        Ok(PluginEngine { engine, ticker: Arc::new(Ticker { shared }), artifacts, cell })
    }

    /// Where this engine came from, to get one again after it is dropped.
    pub(crate) fn cell(&self) -> &EngineCell {
        &self.cell
    }

    /// Marks a call into a guest as running until the guard is dropped:
    /// deadlines only advance while one is.
    pub(crate) fn busy(&self) -> Busy {
        let shared = self.ticker.shared.clone();
        shared.state.lock().unwrap_or_else(|e| e.into_inner()).busy += 1;
        shared.wake.notify_all();
        Busy { shared }
    }

    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Compiles a component into the on-disk cache without keeping it.
    pub fn precompile(&self, source: &PluginSource) -> Result<(), Failure> {
        self.compile(source).map(drop)
    }

    /// Reads (if needed) and compiles a component, or maps it from the
    /// on-disk cache.
    pub(crate) fn compile(&self, source: &PluginSource) -> Result<Component, Failure> {
        self.compile_keyed(source).map(|(component, _)| component)
    }

    /// Like [`PluginEngine::compile`], also naming the build (see
    /// [`key_of`]) so that [`PluginEngine::recompile`] can find it again.
    pub(crate) fn compile_keyed(&self, source: &PluginSource) -> Result<(Component, u64), Failure> {
        let read;
        let bytes = match source.bytes() {
            Some(bytes) => bytes,
            None => {
                read = source.clone().read()?;
                read.bytes().expect("a read source holds its bytes")
            }
        };
        let key = key_of(bytes);
        if let Some(component) = self.cached(key) {
            return Ok((component, key));
        }
        check_preamble(bytes)?;
        Ok((self.compile_bytes(bytes, key)?, key))
    }

    /// Build `key` of `source` again, for a plugin that slept: from the
    /// disk cache, else from the source if it still holds that build. A
    /// source changed since is not taken (it has not passed the checks):
    /// the watcher's reload deals with it.
    pub(crate) fn recompile(&self, source: &PluginSource, key: u64) -> Result<Component, Failure> {
        if let Some(component) = self.cached(key) {
            return Ok(component);
        }
        let read = source.clone().read()?;
        let bytes = read.bytes().expect("a read source holds its bytes");
        if key_of(bytes) != key {
            return Err(Failure::Compile(format!(
                "{} changed since it was checked, and its checked build is no longer in the plugin cache; \
                 `revenant plugin reload` loads the new one",
                source.name()
            )));
        }
        self.compile_bytes(bytes, key)
    }

    fn cached(&self, key: u64) -> Option<Component> {
        self.artifacts.as_ref().and_then(|a| a.load(&self.engine, key))
    }

    /// Cranelift, in a child process where this process has one (see
    /// [`super::compiler`]), else here.
    fn compile_bytes(&self, bytes: &[u8], key: u64) -> Result<Component, Failure> {
        if let (Some(exe), Some(artifacts)) = (compiler::helper(), &self.artifacts) {
            match compiler::compile(exe, artifacts.dir(), bytes, key) {
                Ok(()) => match self.cached(key) {
                    Some(component) => return Ok(component),
                    None => tracing::warn!("the compiler process's build of a plugin did not load; compiling here"),
                },
                Err(ChildError::Invalid(failure) | ChildError::Broke(failure)) => return Err(failure),
                Err(ChildError::Unavailable(why)) => tracing::warn!("compiling a plugin here: {why}"),
            }
        }
        self.compile_here(bytes, key)
    }

    /// Cranelift, on a thread pool that lives as long as the compile:
    /// wasmtime compiles functions in parallel on the current rayon pool,
    /// and rayon's global pool would keep its threads, idle, for the life
    /// of the server. The build is kept as `key`, and the megabytes of
    /// Cranelift's code the compile ran are let go: a server compiles
    /// rarely, and a build it knows never again.
    fn compile_here(&self, bytes: &[u8], key: u64) -> Result<Component, Failure> {
        let compile = || Component::new(&self.engine, bytes).map_err(|e| Failure::Compile(format!("{e:#}")));
        let component = match rayon::ThreadPoolBuilder::new().thread_name(|i| format!("compile-{i}")).build() {
            Ok(pool) => pool.install(compile),
            Err(_) => compile(),
        }?;
        if let Some(artifacts) = &self.artifacts {
            artifacts.store(&component, key);
        }
        crate::memory::release_code();
        Ok(component)
    }
}

/// Names the two common mistakes (not wasm at all; a core module where a
/// component is needed) before the parser reports them less readably.
fn check_preamble(bytes: &[u8]) -> Result<(), Failure> {
    if bytes.len() < 8 || bytes[..4] != *b"\0asm" {
        return Err(Failure::Compile("this is not a WebAssembly file (it does not start with `\\0asm`)".into()));
    }
    if bytes[4..8] == [1, 0, 0, 0] {
        return Err(Failure::Compile(
            "this is a core WebAssembly module, not a component: build the plugin for wasm32-wasip2 \
             (or wrap the module with `wasm-tools component new`)"
                .into(),
        ));
    }
    Ok(())
}
