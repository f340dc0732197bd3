//! What can go wrong with a plugin, named precisely enough that a user can
//! tell which plugin failed, in which world, and why.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use super::World;

/// A plugin failed. The host stays up; the next call gets a fresh instance.
#[derive(Debug, thiserror::Error)]
#[error("plugin `{plugin}` ({world} world): {cause}{}", StderrTail(.stderr_tail))]
pub struct PluginError {
    /// The plugin's name (its file stem or built-in name).
    pub plugin: String,
    /// The world the host used it as.
    pub world: World,
    /// What happened.
    pub cause: Failure,
    /// The last lines the guest wrote to stderr/stdout before failing.
    pub stderr_tail: String,
}

impl PluginError {
    pub(crate) fn new(plugin: &str, world: World, cause: Failure) -> Self {
        PluginError { plugin: plugin.to_string(), world, cause, stderr_tail: String::new() }
    }

    pub(crate) fn with_tail(mut self, tail: String) -> Self {
        self.stderr_tail = tail;
        self
    }
}

/// The cause of a [`PluginError`].
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("not a valid WebAssembly component: {0}")]
    Compile(String),
    #[error("could not be compiled: {0}")]
    CompilerFailed(String),
    #[error("does not implement the world: {0}")]
    WorldMismatch(String),
    #[error("could not be instantiated: {0}")]
    Instantiate(String),
    #[error(
        "ran past its {}ms deadline and was stopped (if it is only slow, raise `deadline_ms` in its entry of \
         config.kdl's `plugins` block, e.g. deadline_ms={})",
        .0.as_millis(),
        (.0.as_millis() * 4).max(1000)
    )]
    Timeout(Duration),
    #[error(
        "did not finish starting (instantiation) within {}ms (if it is only slow, raise `startup_ms` in its entry \
         of config.kdl's `plugins` block, e.g. startup_ms={})",
        .0.as_millis(),
        .0.as_millis() * 3
    )]
    StartupTimeout(Duration),
    #[error(
        "went over its memory cap of {} (it asked for {}); if it needs that much, raise `memory_mb` in its entry of \
         config.kdl's `plugins` block, e.g. memory_mb={}",
        Bytes(*cap),
        Bytes(*requested),
        requested.div_ceil(1024 * 1024).next_power_of_two().max(cap / (1024 * 1024) * 2)
    )]
    OutOfMemory { cap: usize, requested: usize },
    #[error("panicked: {0}")]
    Panic(String),
    #[error("trapped: {0}")]
    Trap(String),
    #[error("returned an error: {0}")]
    Returned(String),
    #[error("returned output the host cannot use: {0}")]
    InvalidOutput(String),
}

struct StderrTail<'a>(&'a str);

impl fmt::Display for StderrTail<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return Ok(());
        }
        // A report is read on one screen: quote only the last few lines.
        let lines: Vec<&str> = self.0.lines().collect();
        let start = lines.len().saturating_sub(8);
        write!(f, "\n  plugin output (last lines):")?;
        for line in &lines[start..] {
            write!(f, "\n    {line}")?;
        }
        Ok(())
    }
}

struct Bytes(usize);

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MIB: usize = 1024 * 1024;
        if self.0 >= MIB && self.0.is_multiple_of(MIB) {
            write!(f, "{} MiB", self.0 / MIB)
        } else if self.0 >= MIB {
            write!(f, "{:.1} MiB", self.0 as f64 / MIB as f64)
        } else {
            write!(f, "{} bytes", self.0)
        }
    }
}
