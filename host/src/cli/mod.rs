//! The command line: its arguments (`args`, parsed with clap, with
//! Zellij's verbs and flags) and what each command does, one file per
//! family of commands. Each runs in the `revenant` process the user
//! started and talks to servers over their sockets.

pub mod action;
pub mod args;
pub mod boot;
pub mod bridge;
pub mod commands;
pub mod completions;
pub mod kill;
pub mod listing;
pub mod plugin;
pub mod remote;
pub mod remote_listing;
pub mod restore_tab;
pub mod subscribe;
