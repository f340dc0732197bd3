//! What every request of one web server shares: the tokens (read again
//! when their file changes), the logins, and how to run `revenant`.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::logins::{Login, Logins};
use super::tokens::{self, Token, TokenError};
use crate::plugin::now_unix;

pub struct Shared {
    pub tokens_path: PathBuf,
    tokens: RwLock<Vec<Token>>,
    /// The file's (modified, length, inode) when last read.
    tokens_seen: Mutex<Option<(std::time::SystemTime, u64, u64)>>,
    logins: Mutex<Logins>,
    /// Bumped when logins may have ended: each socket checks its own.
    pub changes: watch::Sender<u64>,
    /// The `revenant` binary that creates and resurrects sessions.
    pub revenant: PathBuf,
    pub mouse: bool,
}

impl Shared {
    pub fn new(tokens_path: PathBuf, revenant: PathBuf, mouse: bool) -> Result<Shared, TokenError> {
        let shared = Shared {
            tokens: RwLock::new(Vec::new()),
            tokens_seen: Mutex::new(None),
            tokens_path,
            logins: Mutex::new(Logins::default()),
            changes: watch::channel(0).0,
            revenant,
            mouse,
        };
        shared.reload_tokens()?;
        Ok(shared)
    }

    /// Reads the token file again if it changed (a `token create` or
    /// `revoke`), and ends the logins whose token went or expired.
    pub fn reload_tokens(&self) -> Result<(), TokenError> {
        use std::os::unix::fs::MetadataExt;
        let seen = std::fs::metadata(&self.tokens_path).ok().map(|m| (m.modified().ok(), m.len(), m.ino()));
        let seen = seen.map(|(t, len, ino)| (t.unwrap_or(std::time::UNIX_EPOCH), len, ino));
        let changed = *self.tokens_seen.lock().expect("tokens_seen") != seen;
        if changed {
            let fresh = tokens::load(&self.tokens_path)?;
            *self.tokens.write().expect("tokens") = fresh;
            *self.tokens_seen.lock().expect("tokens_seen") = seen;
        }
        let tokens = self.tokens.read().expect("tokens");
        if self.logins.lock().expect("logins").prune(&tokens, now_unix()) {
            self.changes.send_modify(|n| *n += 1);
        }
        Ok(())
    }

    pub fn login(&self, cookie: &str) -> Option<Login> {
        let tokens = self.tokens.read().expect("tokens");
        self.logins.lock().expect("logins").get(cookie, &tokens, now_unix()).cloned()
    }

    pub fn locked_out(&self, addr: IpAddr) -> Option<Duration> {
        self.logins.lock().expect("logins").locked_out(addr, Instant::now())
    }

    /// A cookie and its lifetime in seconds for a valid token; None (and
    /// one more failure for `addr`) for a wrong one.
    pub fn log_in(&self, secret: &str, addr: IpAddr) -> Result<Option<(String, u64)>, TokenError> {
        // A token made a moment ago counts at once.
        if let Err(e) = self.reload_tokens() {
            tracing::warn!("{e}");
        }
        let tokens = self.tokens.read().expect("tokens");
        let now = now_unix();
        let mut logins = self.logins.lock().expect("logins");
        match tokens::check(&tokens, secret, now) {
            Some(token) => {
                let cookie = logins.start(token, now)?;
                let lifetime = logins.get(&cookie, &tokens, now).map_or(0, |l| l.expires_unix.saturating_sub(now));
                Ok(Some((cookie, lifetime)))
            }
            None => {
                logins.failed(addr, Instant::now());
                Ok(None)
            }
        }
    }

    pub fn log_out(&self, cookie: &str) {
        self.logins.lock().expect("logins").end(cookie);
        self.changes.send_modify(|n| *n += 1);
    }

    /// Runs `revenant ARGS…`; its error output when it fails.
    pub async fn run_revenant(&self, args: &[String]) -> Result<(), String> {
        let run = tokio::process::Command::new(&self.revenant)
            .args(args)
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true)
            .output();
        match tokio::time::timeout(Duration::from_secs(60), run).await {
            Ok(Ok(out)) if out.status.success() => Ok(()),
            Ok(Ok(out)) => {
                let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
                Err(if err.is_empty() { format!("revenant {} failed ({})", args.join(" "), out.status) } else { err })
            }
            Ok(Err(e)) => Err(format!("cannot run {}: {e}", self.revenant.display())),
            Err(_) => Err(format!("revenant {} took over a minute", args.join(" "))),
        }
    }
}
