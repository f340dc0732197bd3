//! Where the client's sessions are reached: this host's socket directory,
//! or another host's over an ssh link (`remote::RemoteSessions`). The
//! client draws the same way through either; only a link can be lost and
//! come back.

use std::os::unix::net::UnixStream;
use std::path::PathBuf;

use anyhow::{Context, Result};

/// Where a session named by a switch lives when it is not beside the
/// current one: `Some` with the endpoint that reaches it and its bare name
/// (an `ssh://` address), `None` to stay with the current endpoint.
pub type Route<'a> = &'a dyn Fn(&str) -> Option<Result<(Box<dyn Endpoint>, String)>>;

pub trait Endpoint {
    /// A stream to session `name`'s server, before the hello.
    fn connect(&mut self, name: &str) -> Result<UnixStream>;
    /// Whether the server may take our terminal: only one on this host can.
    fn shares_terminal(&self) -> bool;
    /// Asked when a stream ended without a goodbye: the host whose link
    /// failed, when it was the link and not the session that went away.
    fn lost(&mut self) -> Option<String>;
    /// Whether a failed `connect` is worth trying again (a link still
    /// down), not final (the session is gone).
    fn transient(&self, error: &anyhow::Error) -> bool;
    /// Called before connecting again after `lost`: no prompts while the
    /// client holds the screen.
    fn reconnecting(&mut self) {}
    /// How the user names session `name` here (for messages).
    fn address(&self, name: &str) -> String {
        name.to_owned()
    }
}

/// Sessions of this host, behind their sockets.
pub struct LocalSessions(pub PathBuf);

impl Endpoint for LocalSessions {
    fn connect(&mut self, name: &str) -> Result<UnixStream> {
        let socket = self.0.join(name);
        crate::ipc::connect(&socket).with_context(|| format!("cannot connect to {}", socket.display()))
    }

    fn shares_terminal(&self) -> bool {
        true
    }

    fn lost(&mut self) -> Option<String> {
        None
    }

    fn transient(&self, _: &anyhow::Error) -> bool {
        false
    }
}
