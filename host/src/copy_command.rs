//! `copy_command`: copied text piped into a command of the user's, on
//! whichever host the user is (the server's for a local client, the
//! client's for one attached over ssh).

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `command` with `sh -c`, `bytes` on its stdin; waits for it (call
/// it from a thread of its own).
pub fn pipe_into(command: &str, bytes: &[u8]) -> std::io::Result<()> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(bytes)?;
    }
    let status = child.wait()?;
    if !status.success() {
        return Err(std::io::Error::other(format!("exited with {status}")));
    }
    Ok(())
}
