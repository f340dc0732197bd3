//! Where a session lives: a bare `NAME` is local, `ssh://[user@]host[:port]/NAME`
//! is on another host. Checked here, before anything runs: a crafted name
//! such as `ssh://host/../x` never reaches ssh or the remote shell.

use crate::registry::names::{self, NameError};

/// A host reached over the system's ssh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshHost {
    pub user: Option<String>,
    /// A name, an address, or an alias from `~/.ssh/config`.
    pub host: String,
    pub port: Option<u16>,
}

impl SshHost {
    /// `ssh://[user@]host[:port]`, with nothing after it.
    pub fn parse(text: &str) -> Result<SshHost, AddressError> {
        let (host, rest) = split(text)?;
        if !rest.is_empty() {
            return Err(AddressError::Shape(text.into(), "a host without a session (no `/NAME`)"));
        }
        Ok(host)
    }

    /// The user's own spelling back: `ssh://me@devbox:2222`.
    pub fn url(&self) -> String {
        let user = self.user.as_ref().map(|u| format!("{u}@")).unwrap_or_default();
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        format!("ssh://{user}{}{port}", self.host)
    }
}

impl std::fmt::Display for SshHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.user {
            Some(user) => write!(f, "{user}@{}", self.host),
            None => f.write_str(&self.host),
        }
    }
}

/// A session's name and the host it lives on (`None`: this one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionAddress {
    pub host: Option<SshHost>,
    pub name: String,
}

impl SessionAddress {
    /// A bare name is local and left for the local checks (which know the
    /// socket dir); an `ssh://` one is checked whole here.
    pub fn parse(text: &str) -> Result<SessionAddress, AddressError> {
        if !is_remote(text) {
            return Ok(SessionAddress { host: None, name: text.into() });
        }
        let (host, rest) = split(text)?;
        let name = rest
            .strip_prefix('/')
            .filter(|n| !n.is_empty())
            .ok_or_else(|| AddressError::Shape(text.into(), "ssh://[user@]host[:port]/NAME"))?;
        names::validate_text(name).map_err(|e| AddressError::Name(text.into(), e))?;
        Ok(SessionAddress { host: Some(host), name: name.into() })
    }

    /// The same session on `host`: a name a remote server hands back (a
    /// session switch) lives where that server does.
    pub fn on(host: Option<&SshHost>, name: &str) -> Result<SessionAddress, AddressError> {
        match host {
            Some(_) if is_remote(name) => SessionAddress::parse(name),
            Some(h) => {
                names::validate_text(name).map_err(|e| AddressError::Name(name.into(), e))?;
                Ok(SessionAddress { host: Some(h.clone()), name: name.into() })
            }
            None => SessionAddress::parse(name),
        }
    }
}

impl std::fmt::Display for SessionAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.host {
            Some(h) => write!(f, "{}/{}", h.url(), self.name),
            None => f.write_str(&self.name),
        }
    }
}

pub fn is_remote(text: &str) -> bool {
    text.starts_with("ssh://")
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AddressError {
    #[error("`{0}` is not a session address: expected {1}")]
    Shape(String, &'static str),
    #[error("`{0}`: {1}")]
    Part(String, String),
    #[error("`{0}`: {1}")]
    Name(String, NameError),
}

/// The host part of an `ssh://` text, and what follows it (`/NAME` or "").
fn split(text: &str) -> Result<(SshHost, &str), AddressError> {
    let rest = text.strip_prefix("ssh://").ok_or(AddressError::Shape(text.into(), "ssh://[user@]host[:port]"))?;
    let (authority, tail) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let part = |why: String| AddressError::Part(text.into(), why);
    let (user, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    // `[::1]:22` as in URLs; a bare `::1` has too many colons for a port.
    let (host, port) = if let Some(bracketed) = hostport.strip_prefix('[') {
        let (h, after) = bracketed.split_once(']').ok_or_else(|| part("an unclosed `[`".into()))?;
        match after {
            "" => (h, None),
            p => (h, Some(p.strip_prefix(':').ok_or_else(|| part(format!("`{p}` after the host")))?)),
        }
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') => (h, Some(p)),
            _ => (hostport, None),
        }
    };
    let port = match port {
        None => None,
        Some(p) => {
            Some(p.parse::<u16>().ok().filter(|&p| p > 0).ok_or_else(|| part(format!("port `{p}` is not 1-65535")))?)
        }
    };
    check_word("host", host).map_err(part)?;
    if let Some(u) = user {
        check_word("user", u).map_err(part)?;
    }
    Ok((SshHost { user: user.map(str::to_owned), host: host.into(), port }, tail))
}

/// A host or user goes on ssh's command line: it must not read as an
/// option, nor hide a second word or an escape.
fn check_word(what: &str, word: &str) -> Result<(), String> {
    if word.is_empty() {
        return Err(format!("the {what} is empty"));
    }
    if word.starts_with('-') {
        return Err(format!("the {what} `{word}` starts with `-`"));
    }
    if word.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("the {what} {word:?} holds a space or a control character"));
    }
    if word.contains(['@', '/', '?', '#']) {
        return Err(format!("the {what} `{word}` holds `@`, `/`, `?` or `#`"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(user: Option<&str>, host: &str, port: Option<u16>) -> Option<SshHost> {
        Some(SshHost { user: user.map(Into::into), host: host.into(), port })
    }

    #[test]
    fn bare_names_stay_local_and_urls_name_user_host_and_port() {
        assert_eq!(SessionAddress::parse("work").unwrap(), SessionAddress { host: None, name: "work".into() });
        let a = SessionAddress::parse("ssh://me@devbox:2222/work").unwrap();
        assert_eq!(a, SessionAddress { host: host(Some("me"), "devbox", Some(2222)), name: "work".into() });
        assert_eq!(a.to_string(), "ssh://me@devbox:2222/work");
        assert_eq!(SessionAddress::parse("ssh://devbox/w").unwrap().host, host(None, "devbox", None));
        assert_eq!(SessionAddress::parse("ssh://[::1]:22/w").unwrap().host, host(None, "::1", Some(22)));
        assert_eq!(SessionAddress::parse("ssh://fe80::1/w").unwrap().host, host(None, "fe80::1", None));
        assert_eq!(SshHost::parse("ssh://me@box").unwrap().url(), "ssh://me@box");
    }

    #[test]
    fn crafted_addresses_are_refused_before_anything_runs() {
        for bad in [
            "ssh://host/../x",
            "ssh://host/a/b",
            "ssh://host/",
            "ssh://host",
            "ssh://host/-rf",
            "ssh://host/.hidden",
            "ssh://host/a\x1bb",
            "ssh://-oProxyCommand=x/w",
            "ssh://-l@host/w",
            "ssh://a b/w",
            "ssh://host:0/w",
            "ssh://host:99999/w",
            "ssh://host:x/w",
            "ssh:///w",
            "ssh://@host/w",
            "ssh://[::1/w",
        ] {
            assert!(SessionAddress::parse(bad).is_err(), "{bad} was taken");
        }
        let err = SessionAddress::parse("ssh://host/../x").unwrap_err().to_string();
        assert!(err.contains("`..`"), "{err}");
        assert!(SshHost::parse("ssh://host/w").is_err());
    }

    #[test]
    fn a_name_handed_back_by_a_remote_server_stays_on_its_host() {
        let h = SshHost::parse("ssh://box").unwrap();
        assert_eq!(SessionAddress::on(Some(&h), "other").unwrap().host, Some(h.clone()));
        assert_eq!(SessionAddress::on(Some(&h), "ssh://elsewhere/x").unwrap().host, host(None, "elsewhere", None));
        assert!(SessionAddress::on(Some(&h), "../x").is_err());
        assert_eq!(SessionAddress::on(None, "x").unwrap().host, None);
    }
}
