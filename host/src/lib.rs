//! Revenant's host: the multiplexer server, its client and the plugin runtime.

pub mod paths;
pub mod plugin;
