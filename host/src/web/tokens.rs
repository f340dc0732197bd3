//! Login tokens for `revenant web`: made and printed once, stored only as
//! their SHA-256, in one private file that the CLI edits and the server
//! reads again when it changes.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::plugin::now_unix;

/// What a token string starts with, so one found in a file or a paste is
/// recognisable (and the secret rules flag it).
pub const PREFIX: &str = "rvt_";

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is damaged ({source}): fix or remove it, then create the tokens again")]
    Damaged { path: PathBuf, source: serde_json::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("a token named {0:?} exists already: revoke it first or pick another --name")]
    Exists(String),
    #[error("no token is named {0:?} (see `revenant web token list`)")]
    Unknown(String),
    #[error("a token name is 1 to 64 letters, digits, '-', '_' or '.', not {0:?}")]
    BadName(String),
    #[error("cannot make a random token: {0}")]
    Random(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub name: String,
    /// SHA-256 of the token, in hex: the token itself is never stored.
    pub hash: String,
    pub read_only: bool,
    pub created_unix: u64,
    pub expires_unix: Option<u64>,
}

impl Token {
    pub fn expired(&self, now: u64) -> bool {
        self.expires_unix.is_some_and(|t| now >= t)
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    tokens: Vec<Token>,
}

/// The token file: `<cache>/web/tokens.json`.
pub fn default_path() -> PathBuf {
    crate::paths::cache_dir().join("web").join("tokens.json")
}

pub fn hash(token: &str) -> String {
    crate::store::blobs::hash(token.as_bytes())
}

/// 32 random bytes, in hex.
pub fn random_hex() -> Result<String, TokenError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| TokenError::Random(e.to_string()))?;
    Ok(crate::store::blobs::hex(&bytes))
}

pub fn load(path: &Path) -> Result<Vec<Token>, TokenError> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice::<File>(&bytes)
            .map(|f| f.tokens)
            .map_err(|source| TokenError::Damaged { path: path.into(), source }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(TokenError::Read { path: path.into(), source }),
    }
}

fn save(path: &Path, tokens: Vec<Token>) -> Result<(), TokenError> {
    let err = |source| TokenError::Write { path: path.into(), source };
    if let Some(dir) = path.parent() {
        crate::paths::ensure_private_dir(dir).map_err(err)?;
    }
    let text = serde_json::to_vec_pretty(&File { tokens }).expect("tokens serialize");
    let temp = path.with_extension("json.new");
    let _ = std::fs::remove_file(&temp);
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&temp).map_err(err)?;
    file.write_all(&text).and_then(|_| file.sync_all()).map_err(err)?;
    std::fs::rename(&temp, path).map_err(err)
}

/// Makes a token, stores its hash and returns the token (shown once).
pub fn create(
    path: &Path,
    name: Option<&str>,
    read_only: bool,
    lifetime: Option<u64>,
) -> Result<(Token, String), TokenError> {
    let mut tokens = load(path)?;
    let name = match name {
        Some(n) => {
            let ok = !n.is_empty()
                && n.len() <= 64
                && n.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !ok {
                return Err(TokenError::BadName(n.into()));
            }
            if tokens.iter().any(|t| t.name == n) {
                return Err(TokenError::Exists(n.into()));
            }
            n.to_string()
        }
        None => (1..).map(|i| format!("token-{i}")).find(|n| tokens.iter().all(|t| &t.name != n)).expect("a free name"),
    };
    let secret = format!("{PREFIX}{}", random_hex()?);
    let now = now_unix();
    let token = Token {
        name,
        hash: hash(&secret),
        read_only,
        created_unix: now,
        expires_unix: lifetime.map(|s| now.saturating_add(s)),
    };
    tokens.push(token.clone());
    save(path, tokens)?;
    Ok((token, secret))
}

pub fn revoke(path: &Path, name: &str) -> Result<Token, TokenError> {
    let mut tokens = load(path)?;
    let at = tokens.iter().position(|t| t.name == name).ok_or_else(|| TokenError::Unknown(name.into()))?;
    let gone = tokens.remove(at);
    save(path, tokens)?;
    Ok(gone)
}

/// The stored token `secret` is, if it is valid now. The hashes are
/// compared in constant time.
pub fn check<'a>(tokens: &'a [Token], secret: &str, now: u64) -> Option<&'a Token> {
    let wanted = hash(secret.trim());
    tokens.iter().find(|t| !t.expired(now) && same(t.hash.as_bytes(), wanted.as_bytes()))
}

fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `30m`, `12h`, `7d`, `2w`, or seconds.
pub fn parse_lifetime(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let n: u64 = digits.parse().map_err(|_| format!("{text:?} is not a duration like 30m, 12h, 7d or 2w"))?;
    let scale = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(format!("{text:?}: the unit is s, m, h, d or w")),
    };
    if n == 0 {
        return Err("a token that expires at once is no token".into());
    }
    Ok(n.saturating_mul(scale))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn tokens_are_stored_as_hashes_checked_and_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("web/tokens.json");
        let (made, secret) = create(&path, Some("laptop"), false, None).unwrap();
        assert!(secret.starts_with(PREFIX) && secret.len() == PREFIX.len() + 64);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains(&secret[PREFIX.len()..]), "the token is not stored");
        assert!(text.contains(&made.hash));
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);

        let tokens = load(&path).unwrap();
        assert_eq!(check(&tokens, &secret, now_unix()).map(|t| t.name.as_str()), Some("laptop"));
        assert!(check(&tokens, "rvt_wrong", now_unix()).is_none());
        assert!(matches!(create(&path, Some("laptop"), true, None), Err(TokenError::Exists(_))));
        assert!(matches!(create(&path, Some("a b"), true, None), Err(TokenError::BadName(_))));
        let (second, _) = create(&path, None, true, Some(60)).unwrap();
        assert_eq!(second.name, "token-1");
        assert!(second.read_only);

        revoke(&path, "laptop").unwrap();
        assert!(check(&load(&path).unwrap(), &secret, now_unix()).is_none());
        assert!(matches!(revoke(&path, "laptop"), Err(TokenError::Unknown(_))));
    }

    #[test]
    fn expired_tokens_do_not_log_in() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.json");
        let (_, secret) = create(&path, None, false, Some(60)).unwrap();
        let tokens = load(&path).unwrap();
        assert!(check(&tokens, &secret, now_unix()).is_some());
        assert!(check(&tokens, &secret, now_unix() + 61).is_none());
    }

    #[test]
    fn lifetimes_and_damaged_files_are_explained() {
        assert_eq!(parse_lifetime("7d"), Ok(7 * 86_400));
        assert_eq!(parse_lifetime("90"), Ok(90));
        assert!(parse_lifetime("7y").unwrap_err().contains("unit"));
        assert!(parse_lifetime("0d").is_err());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.json");
        std::fs::write(&path, "{ not json").unwrap();
        let err = load(&path).unwrap_err().to_string();
        assert!(err.contains("tokens.json") && err.contains("damaged"), "{err}");
    }
}
