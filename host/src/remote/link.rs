//! The local end of a bridge: ssh started with the bridge's words, the
//! bridge's first line checked (who it is, which protocol it speaks), and
//! what ssh said kept for the error when it does not get that far.

use std::io::{self, Read};
use std::os::unix::net::UnixStream;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::address::SshHost;
use super::ssh::Ssh;
use crate::ipc::PROTOCOL_VERSION;

/// The first line a bridge writes: `REVENANT-BRIDGE <protocol> <version> <binary>`.
pub const GREETING: &str = "REVENANT-BRIDGE";
/// A bridge's first line is short; more without a newline is not a bridge.
const MAX_LINE: usize = 4096;

/// Who answered on the other host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BridgeHello {
    pub protocol: u16,
    pub version: String,
    pub binary: String,
}

impl BridgeHello {
    pub fn ours() -> BridgeHello {
        BridgeHello {
            protocol: PROTOCOL_VERSION,
            version: env!("CARGO_PKG_VERSION").into(),
            binary: std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_else(|_| "revenant".into()),
        }
    }

    pub fn line(&self) -> String {
        format!("{GREETING} {} {} {}\n", self.protocol, self.version, self.binary)
    }

    fn parse(line: &str) -> Option<BridgeHello> {
        let rest = line.strip_prefix(GREETING)?.strip_prefix(' ')?;
        let mut words = rest.splitn(3, ' ');
        let protocol = words.next()?.parse().ok()?;
        let version = words.next()?.to_owned();
        let binary = words.next().unwrap_or("?").to_owned();
        Some(BridgeHello { protocol, version, binary })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("cannot run `{0}`: {1}")]
    Spawn(String, io::Error),
    #[error("cannot reach {host} over ssh{}", said(.stderr))]
    Unreachable { host: String, stderr: String },
    #[error(
        "{host} has no `{remote}` on the PATH its ssh commands get{}; set remote_revenant \"/path/to/revenant\" in config.kdl",
        said(.stderr)
    )]
    NoRevenant { host: String, remote: String, stderr: String },
    #[error("`{remote}` on {host} exited with {status} before it answered{}", said(.stderr))]
    Silent { host: String, remote: String, status: String, stderr: String },
    #[error("`{remote}` on {host} is not a Revenant bridge: its first line was {line:?}{}", said(.stderr))]
    NotABridge { host: String, remote: String, line: String, stderr: String },
    #[error(
        "{host}'s revenant ({}, version {}) speaks protocol {}, this revenant ({}, version {}) speaks protocol {}: \
         install the same version on both hosts",
        .theirs.binary, .theirs.version, .theirs.protocol, .ours.binary, .ours.version, .ours.protocol
    )]
    Mismatch { host: String, theirs: Box<BridgeHello>, ours: Box<BridgeHello> },
    /// The bridge answered and refused (no such session, a bad name…).
    #[error("{host}: {message}")]
    Refused { host: String, message: String },
    #[error("the link to {0} failed: {1}")]
    Io(String, io::Error),
}

impl LinkError {
    /// True when trying again later may work: the link, not the session,
    /// failed.
    pub fn is_transient(&self) -> bool {
        matches!(self, LinkError::Unreachable { .. } | LinkError::Silent { .. } | LinkError::Io(..))
    }
}

fn said(stderr: &str) -> String {
    match stderr.trim() {
        "" => String::new(),
        s => format!(" (ssh: {})", s.lines().rfind(|l| !l.trim().is_empty()).unwrap_or(s).trim()),
    }
}

/// ssh's stderr, read as it comes, the last few KiB kept.
#[derive(Clone, Default)]
pub struct StderrTail(Arc<Mutex<Vec<u8>>>);

impl StderrTail {
    const KEEP: usize = 8192;

    fn follow(&self, mut from: impl Read + Send + 'static, echo: bool) -> JoinHandle<()> {
        let tail = self.0.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = from.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if echo {
                    use io::Write;
                    let _ = io::stderr().write_all(&buf[..n]);
                }
                let mut kept = tail.lock().unwrap_or_else(|p| p.into_inner());
                kept.extend_from_slice(&buf[..n]);
                let over = kept.len().saturating_sub(Self::KEEP);
                kept.drain(..over);
            }
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

/// One running ssh carrying a bridge.
pub struct Link {
    pub host: SshHost,
    pub hello: BridgeHello,
    child: Child,
    stderr: StderrTail,
    reader: Option<JoinHandle<()>>,
}

impl Link {
    /// Waits for ssh to end; true when the link failed (ssh's own 255, or
    /// ssh killed) rather than the bridge ending on its own.
    pub fn lost(&mut self) -> bool {
        // The stream has ended, so ssh is ending; one that lingers is
        // wedged on a dead network and counts as lost.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
        while matches!(self.child.try_wait(), Ok(None)) && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        match self.wait() {
            Ok(s) => s.code().is_none_or(|c| c == 255),
            Err(_) => true,
        }
    }

    pub fn stderr(&self) -> String {
        self.stderr.text()
    }

    /// ssh's exit, once all it wrote on stderr was read.
    fn wait(&mut self) -> io::Result<std::process::ExitStatus> {
        let status = self.child.wait();
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        status
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        // Never leaves an ssh behind: once the stream is closed ssh ends
        // by itself; a wedged one is killed.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// Starts `ssh host revenant __bridge <op…>` with its stdin and stdout on
/// one socket, and reads the bridge's two lines: who it is, then `ok` or
/// the error it refused with. The stream then carries framed messages.
pub fn open(ssh: &Ssh, host: &SshHost, options: &[&str], op: &[String]) -> Result<(UnixStream, Link), LinkError> {
    let (ours, theirs) = UnixStream::pair().map_err(|e| LinkError::Io(host.to_string(), e))?;
    let mut cmd = ssh.command(host, options, op);
    let theirs_out = theirs.try_clone().map_err(|e| LinkError::Io(host.to_string(), e))?;
    cmd.stdin(Stdio::from(std::os::fd::OwnedFd::from(theirs)))
        .stdout(Stdio::from(std::os::fd::OwnedFd::from(theirs_out)))
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| LinkError::Spawn(ssh.program(), e))?;
    // Only the child holds its end now: its exit is our EOF.
    drop(cmd);
    let stderr = StderrTail::default();
    let reader = child.stderr.take().map(|e| stderr.follow(e, false));
    let mut link = Link { host: host.clone(), hello: BridgeHello::ours(), child, stderr, reader };
    let mut stream = &ours;
    let hello = greeting(&mut stream, ssh, &mut link)?;
    link.hello = hello;
    match read_line(&mut stream).map_err(|e| LinkError::Io(host.to_string(), e))? {
        Some(line) if line == "ok" => Ok((ours, link)),
        Some(line) if line.starts_with("error: ") => {
            Err(LinkError::Refused { host: host.to_string(), message: line["error: ".len()..].into() })
        }
        other => Err(early_end(ssh, &mut link, other)),
    }
}

/// What a command run on another host did.
pub struct Ran {
    pub code: i32,
    /// What it printed, when captured (else it went to our stdout).
    pub stdout: Vec<u8>,
    pub stderr: String,
}

/// Runs `revenant ARGS` on `host` through the bridge's `exec`. With
/// `capture`, its output is collected and stdin is empty (for listing many
/// hosts at once); without, it reads our stdin and prints as it goes.
pub fn exec(ssh: &Ssh, host: &SshHost, options: &[&str], args: &[String], capture: bool) -> Result<Ran, LinkError> {
    let mut op = vec!["exec".to_string(), "--".into()];
    op.extend(args.iter().cloned());
    let mut cmd = ssh.command(host, options, &op);
    cmd.stdin(if capture { Stdio::null() } else { Stdio::inherit() }).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| LinkError::Spawn(ssh.program(), e))?;
    let stderr = StderrTail::default();
    let reader = child.stderr.take().map(|e| stderr.follow(e, !capture));
    let mut out = child.stdout.take().expect("piped");
    let mut link = Link { host: host.clone(), hello: BridgeHello::ours(), child, stderr, reader };
    greeting(&mut out, ssh, &mut link)?;
    let mut stdout = Vec::new();
    let copied = if capture { out.read_to_end(&mut stdout).map(|_| ()) } else { copy_out(&mut out) };
    copied.map_err(|e| LinkError::Io(host.to_string(), e))?;
    let status = link.wait().map_err(|e| LinkError::Io(host.to_string(), e))?;
    let stderr = link.stderr();
    match status.code() {
        Some(255) | None => Err(LinkError::Unreachable { host: host.to_string(), stderr }),
        Some(code) => Ok(Ran { code, stdout, stderr }),
    }
}

/// Output as it comes (a `watch`-like command prints for long), flushed
/// each time.
fn copy_out(from: &mut impl Read) -> io::Result<()> {
    use io::Write;
    let mut buf = vec![0u8; 64 * 1024];
    let mut out = io::stdout().lock();
    loop {
        match from.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => {
                out.write_all(&buf[..n])?;
                out.flush()?;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The bridge's first line, checked.
fn greeting(stream: &mut impl Read, ssh: &Ssh, link: &mut Link) -> Result<BridgeHello, LinkError> {
    let host = link.host.to_string();
    let line = read_line(stream).map_err(|e| LinkError::Io(host.clone(), e))?;
    let Some(hello) = line.as_deref().and_then(BridgeHello::parse) else {
        return Err(early_end(ssh, link, line));
    };
    if hello.protocol != PROTOCOL_VERSION {
        return Err(LinkError::Mismatch { host, theirs: Box::new(hello), ours: Box::new(BridgeHello::ours()) });
    }
    Ok(hello)
}

/// Why the bridge did not answer as one: ssh's exit says which.
fn early_end(ssh: &Ssh, link: &mut Link, line: Option<String>) -> LinkError {
    let host = link.host.to_string();
    let remote = ssh.remote_revenant().to_owned();
    if let Some(line) = line {
        let _ = link.child.kill();
        link.lost();
        return LinkError::NotABridge { host, remote, line, stderr: link.stderr() };
    }
    let status = link.wait();
    let stderr = link.stderr();
    match status.ok().and_then(|s| s.code()) {
        Some(255) | None => LinkError::Unreachable { host, stderr },
        Some(127) => LinkError::NoRevenant { host, remote, stderr },
        Some(code) => LinkError::Silent { host, remote, status: format!("status {code}"), stderr },
    }
}

/// One line, without waiting for more than it holds; `None` at EOF.
pub(crate) fn read_line(r: &mut impl Read) -> io::Result<Option<String>> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match r.read(&mut byte) {
            Ok(0) if line.is_empty() => return Ok(None),
            Ok(0) => break,
            Ok(_) if byte[0] == b'\n' => break,
            Ok(_) => line.push(byte[0]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        if line.len() > MAX_LINE {
            break;
        }
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_greeting_round_trips_and_strangers_are_not_bridges() {
        let ours = BridgeHello::ours();
        let line = ours.line();
        assert_eq!(BridgeHello::parse(line.trim_end()), Some(ours));
        let with_spaces = BridgeHello::parse("REVENANT-BRIDGE 3 0.1.0 /opt/my tools/revenant").unwrap();
        assert_eq!((with_spaces.protocol, with_spaces.binary.as_str()), (3, "/opt/my tools/revenant"));
        assert_eq!(BridgeHello::parse("Welcome to Ubuntu"), None);
        assert_eq!(BridgeHello::parse("REVENANT-BRIDGE x 1 /r"), None);
    }

    #[test]
    fn a_line_ends_at_its_newline_and_a_stream_without_one_is_cut() {
        let mut r = &b"first\nsecond"[..];
        assert_eq!(read_line(&mut r).unwrap().as_deref(), Some("first"));
        assert_eq!(read_line(&mut r).unwrap().as_deref(), Some("second"));
        assert_eq!(read_line(&mut r).unwrap(), None);
        let long = vec![b'x'; MAX_LINE * 2];
        assert_eq!(read_line(&mut &long[..]).unwrap().unwrap().len(), MAX_LINE + 1);
    }

    #[test]
    fn errors_quote_ssh_last_word() {
        let e = LinkError::Unreachable { host: "box".into(), stderr: "warn\nHost key verification failed.\n".into() };
        assert_eq!(e.to_string(), "cannot reach box over ssh (ssh: Host key verification failed.)");
    }
}
