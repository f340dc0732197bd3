//! Revenant's host: the command line, the attached client, the session
//! server's runtime around the session model (`revenant-session`), the
//! frames it sends, the snapshot store, and the plugin runtime. The
//! README's repository table says which room holds what.

pub mod cli;
pub mod client;
pub mod config_files;
pub mod copy_command;
pub mod frames;
pub mod input_decoder;
pub mod ipc;
pub mod layouts;
pub mod logging;
pub mod memory;
pub mod no_follow;
pub mod paths;
pub mod plugin;
pub mod proc_info;
pub mod pty;
pub mod pty_writer;
pub mod redact;
pub mod registry;
pub mod remote;
pub mod runtime;
pub mod shell_integration;
pub mod startup;
pub mod store;
pub mod table;
pub mod term_size;
pub mod web;
