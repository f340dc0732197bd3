//! The client's endpoint for sessions on another host: each connection is
//! an ssh running the bridge; a link that dies is told apart from a
//! session that ended by how ssh exited.

use std::os::unix::net::UnixStream;

use anyhow::Result;

use super::address::{SessionAddress, SshHost, is_remote};
use super::link::{self, Link, LinkError};
use super::ssh::Ssh;
use crate::client::Endpoint;

/// Keep-alives: a dead network is noticed in about 15 s, not at TCP's
/// pace of minutes.
const KEEPALIVE: &[&str] = &["ServerAliveInterval=5", "ServerAliveCountMax=3"];
/// On a reconnect the client holds the screen: ssh must not prompt.
const QUIET: &[&str] = &["BatchMode=yes", "ConnectTimeout=10"];

pub struct RemoteSessions {
    ssh: Ssh,
    host: SshHost,
    /// The bridge's words for the first connection (`attach -c NAME …`);
    /// later ones (a switch, a reconnect) attach to a running session.
    first: Option<Vec<String>>,
    link: Option<Link>,
    quiet: bool,
}

impl RemoteSessions {
    pub fn new(ssh: Ssh, host: SshHost, first: Vec<String>) -> RemoteSessions {
        RemoteSessions { ssh, host, first: Some(first), link: None, quiet: false }
    }
}

impl Endpoint for RemoteSessions {
    fn connect(&mut self, name: &str) -> Result<UnixStream> {
        // A checked name never starts with `-`: it cannot read as a flag.
        let words = self.first.take().unwrap_or_else(|| vec!["attach".into(), name.into()]);
        let options: Vec<&str> = KEEPALIVE.iter().chain(if self.quiet { QUIET } else { &[] }).copied().collect();
        // The old link's ssh, if any, is ended before a new one starts.
        self.link = None;
        let (stream, link) = link::open(&self.ssh, &self.host, &options, &words)?;
        self.link = Some(link);
        Ok(stream)
    }

    fn shares_terminal(&self) -> bool {
        false
    }

    fn lost(&mut self) -> Option<String> {
        let mut link = self.link.take()?;
        link.lost().then(|| self.host.to_string())
    }

    fn transient(&self, error: &anyhow::Error) -> bool {
        error.downcast_ref::<LinkError>().is_some_and(LinkError::is_transient)
    }

    fn reconnecting(&mut self) {
        self.quiet = true;
    }

    fn address(&self, name: &str) -> String {
        format!("{}/{name}", self.host.url())
    }
}

/// The client's way to an `ssh://` address a session manager sends it to:
/// a live session there is attached, an exited one resurrected there.
pub fn route(name: &str) -> Option<Result<(Box<dyn Endpoint>, String)>> {
    if !is_remote(name) {
        return None;
    }
    Some((|| {
        let address = SessionAddress::parse(name)?;
        let ssh = Ssh::new(&crate::config_files::load_config()?)?;
        let host = address.host.clone().expect("a remote address");
        let endpoint = RemoteSessions::new(ssh, host, vec!["attach".into(), address.name.clone()]);
        Ok((Box::new(endpoint) as Box<dyn Endpoint>, address.name))
    })())
}
