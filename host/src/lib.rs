//! Revenant's host: the multiplexer server, its client and the plugin runtime.

pub mod action_commands;
pub mod cli;
pub mod client;
pub mod commands;
pub mod completions;
pub mod config_files;
pub mod input_decoder;
pub mod input_watchdog;
pub mod ipc;
pub mod layouts;
pub mod listing;
pub mod logging;
pub mod memory;
pub mod no_follow;
pub mod paths;
pub mod plugin;
pub mod plugin_commands;
pub mod proc_info;
pub mod pty;
pub mod pty_writer;
pub mod screen;
pub mod server;
pub mod session_control;
pub mod session_name;
pub mod sessions;
pub mod startup;
pub mod table;
pub mod term_size;
pub mod terminfo;

/// The cache folder's session state (grouped with the rest of the
/// resurrection path under `server::resurrection`).
pub use server::resurrection::store;
