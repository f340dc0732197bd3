//! Another host's sessions, as its `revenant ls --json` gives them through
//! the bridge: for `ls ssh://HOST`, `ls --all` and the session manager.

use anyhow::{Result, anyhow, bail};
use serde_json::Value;

use super::address::SshHost;
use super::link;
use super::ssh::Ssh;

/// For a listing of many hosts: never a prompt, never a long wait.
pub const UNATTENDED: &[&str] = &["BatchMode=yes", "ConnectTimeout=5"];

/// One host's sessions as its `ls --json` gives them, or why not.
pub fn fetch(ssh: &Ssh, host: &SshHost, options: &[&str]) -> Result<Vec<Value>> {
    let ran = link::exec(ssh, host, options, &["ls".into(), "--json".into()], true)?;
    if ran.code != 0 {
        let last = ran.stderr.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("").trim().to_owned();
        bail!("`revenant ls` on {host} exited with status {}: {last}", ran.code);
    }
    match serde_json::from_slice(&ran.stdout) {
        Ok(Value::Array(rows)) => Ok(rows),
        _ => Err(anyhow!("`revenant ls --json` on {host} did not print a JSON array")),
    }
}
