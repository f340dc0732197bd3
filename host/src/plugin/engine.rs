//! One wasmtime engine per process: compiled components are cached on disk,
//! and a ticker thread advances the epoch that call deadlines are counted in
//! — only while a call is running, so an idle server does not wake up 200
//! times a second for nothing.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use wasmtime::component::Component;
use wasmtime::{Cache, CacheConfig, Config, Engine};

use super::PluginSource;
use super::error::Failure;

/// Deadlines are counted in ticks of this length, so a deadline is precise to
/// about one tick.
pub(crate) const EPOCH_TICK: Duration = Duration::from_millis(5);

/// The shared compilation engine. Cheap to clone.
#[derive(Clone)]
pub struct PluginEngine {
    engine: Engine,
    ticker: Arc<Ticker>,
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
        let mut config = Config::new();
        config.wasm_component_model(true);
        config.epoch_interruption(true);
        // Plugins run synchronously on the caller's thread; wasmtime-wasi's
        // p2 feature turns on async support, which we do not use.
        if let Some(dir) = cache_dir {
            let mut cache = CacheConfig::new();
            cache.with_directory(dir);
            config.cache(Some(Cache::new(cache)?));
        }
        let engine = Engine::new(&config)?;
        let shared = Arc::new(TickerShared::default());
        let weak = engine.weak();
        let theirs = shared.clone();
        std::thread::Builder::new().name("plugin-epoch".into()).spawn(move || tick(&theirs, &weak))?;
        Ok(PluginEngine { engine, ticker: Arc::new(Ticker { shared }) })
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

    /// Reads (if needed) and compiles a component, or fetches it from the
    /// on-disk cache.
    pub(crate) fn compile(&self, source: &PluginSource) -> Result<Component, Failure> {
        let read;
        let bytes = match source.bytes() {
            Some(bytes) => bytes,
            None => {
                read = source.clone().read()?;
                read.bytes().expect("a read source holds its bytes")
            }
        };
        check_preamble(bytes)?;
        Component::new(&self.engine, bytes).map_err(|e| Failure::Compile(format!("{e:#}")))
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
