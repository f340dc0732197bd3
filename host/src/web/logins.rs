//! Who is logged in: a login trades a token for a random cookie, kept in
//! memory only with the hash of the token it came from, so revoking the
//! token ends the login and every socket it opened. Failed logins are
//! counted per address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use super::tokens::{self, Token};

/// How long a login lasts when its token does not expire sooner.
pub const LOGIN_LIFETIME: u64 = 7 * 86_400;
/// Failed logins an address may make per window before it must wait.
pub const MAX_FAILURES: usize = 5;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    pub token_name: String,
    pub token_hash: String,
    pub read_only: bool,
    pub expires_unix: u64,
}

impl Login {
    /// Not expired, and its token is still there and valid.
    fn stands(&self, tokens: &[Token], now: u64) -> bool {
        now < self.expires_unix && tokens.iter().any(|t| t.hash == self.token_hash && !t.expired(now))
    }
}

#[derive(Default)]
pub struct Logins {
    by_cookie: HashMap<String, Login>,
    failures: HashMap<IpAddr, Vec<Instant>>,
}

impl Logins {
    /// A new login for `token`; returns its cookie value.
    pub fn start(&mut self, token: &Token, now: u64) -> Result<String, tokens::TokenError> {
        let cookie = tokens::random_hex()?;
        let lifetime_end = now.saturating_add(LOGIN_LIFETIME);
        let login = Login {
            token_name: token.name.clone(),
            token_hash: token.hash.clone(),
            read_only: token.read_only,
            expires_unix: token.expires_unix.map_or(lifetime_end, |t| t.min(lifetime_end)),
        };
        self.by_cookie.insert(cookie.clone(), login);
        Ok(cookie)
    }

    /// The login behind a cookie, if its token still stands.
    pub fn get(&self, cookie: &str, tokens: &[Token], now: u64) -> Option<&Login> {
        self.by_cookie.get(cookie).filter(|l| l.stands(tokens, now))
    }

    pub fn end(&mut self, cookie: &str) {
        self.by_cookie.remove(cookie);
    }

    /// Drops the logins whose token is gone or expired; true if any went.
    pub fn prune(&mut self, tokens: &[Token], now: u64) -> bool {
        let before = self.by_cookie.len();
        self.by_cookie.retain(|_, l| l.stands(tokens, now));
        before != self.by_cookie.len()
    }

    /// How long `addr` must wait before it may try again, if it must.
    pub fn locked_out(&mut self, addr: IpAddr, now: Instant) -> Option<Duration> {
        let list = self.failures.get_mut(&addr)?;
        list.retain(|t| now.duration_since(*t) < FAILURE_WINDOW);
        if list.len() < MAX_FAILURES {
            return None;
        }
        let oldest = *list.first()?;
        Some(FAILURE_WINDOW.saturating_sub(now.duration_since(oldest)).max(Duration::from_secs(1)))
    }

    pub fn failed(&mut self, addr: IpAddr, now: Instant) {
        let list = self.failures.entry(addr).or_default();
        list.retain(|t| now.duration_since(*t) < FAILURE_WINDOW);
        list.push(now);
        // Addresses that stopped trying are forgotten.
        if self.failures.len() > 10_000 {
            self.failures.retain(|_, l| l.iter().any(|t| now.duration_since(*t) < FAILURE_WINDOW));
        }
    }
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').map(str::trim).find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(name: &str, expires: Option<u64>) -> Token {
        Token { name: name.into(), hash: tokens::hash(name), read_only: false, created_unix: 0, expires_unix: expires }
    }

    #[test]
    fn a_login_ends_with_its_token() {
        let mut logins = Logins::default();
        let (a, b) = (token("a", None), token("b", Some(1_000)));
        let ca = logins.start(&a, 100).unwrap();
        let cb = logins.start(&b, 100).unwrap();
        assert_ne!(ca, cb);
        let both = [a.clone(), b.clone()];
        assert!(logins.get(&ca, &both, 100).is_some());
        assert_eq!(logins.get(&cb, &both, 100).unwrap().expires_unix, 1_000);
        assert!(logins.get(&cb, &both, 1_000).is_none(), "expired with its token");
        assert!(logins.get("nope", &both, 100).is_none());
        assert!(logins.prune(&[b], 100), "a's token was revoked");
        assert!(logins.get(&ca, &both, 100).is_none());
    }

    #[test]
    fn failures_lock_an_address_out_for_a_while() {
        let mut logins = Logins::default();
        let (addr, other) = ("127.0.0.1".parse().unwrap(), "10.0.0.1".parse().unwrap());
        let t0 = Instant::now();
        for _ in 0..MAX_FAILURES {
            assert!(logins.locked_out(addr, t0).is_none());
            logins.failed(addr, t0);
        }
        let wait = logins.locked_out(addr, t0).unwrap();
        assert!(wait > Duration::from_secs(50), "{wait:?}");
        assert!(logins.locked_out(other, t0).is_none(), "per address");
        assert!(logins.locked_out(addr, t0 + FAILURE_WINDOW).is_none());
    }

    #[test]
    fn cookies_are_found_by_name() {
        let h = "theme=dark; revenant_session=abc123; other=x";
        assert_eq!(cookie_value(h, "revenant_session"), Some("abc123"));
        assert_eq!(cookie_value(h, "revenant"), None);
        assert_eq!(cookie_value("", "revenant_session"), None);
    }
}
