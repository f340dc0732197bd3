//! The wasmtime engine's settings, in one place: the server's engine and a
//! compiler process's (see `compiler`) are made from the same, so the
//! child's builds load in the server.

use wasmtime::Config;

/// The settings every engine of ours is made with.
pub(crate) fn config() -> Config {
    let mut config = Config::new();
    config.wasm_component_model(true);
    config.epoch_interruption(true);
    // Plugins run synchronously on the caller's thread; wasmtime-wasi's p2
    // feature turns on async support, which we do not use.
    config
}
