//! Session names: what makes one valid, and generated two-word names.

use std::path::Path;

/// The longest path a Unix socket address holds (`sun_path`, less its NUL).
const MAX_SOCKET_PATH: usize = 107;

/// Why a session name was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NameError {
    #[error("a session name cannot be empty")]
    Empty,
    #[error("session name `{0}` contains `/`")]
    Slash(String),
    #[error("session name `{0}` contains `..`")]
    DotDot(String),
    #[error("session name {0:?} contains a control character")]
    Control(String),
    #[error("session name `{0}` starts with `.` or `-`")]
    BadStart(String),
    #[error("session name `{name}` is too long: its socket path would be {len} bytes, the limit is {MAX_SOCKET_PATH}")]
    TooLong { name: String, len: usize },
}

/// Checks `name` for use as a session living in `socket_dir`.
pub fn validate(name: &str, socket_dir: &Path) -> Result<(), NameError> {
    validate_text(name)?;
    let len = socket_dir.as_os_str().len() + 1 + name.len();
    if len > MAX_SOCKET_PATH {
        return Err(NameError::TooLong { name: name.into(), len });
    }
    Ok(())
}

/// What a name must be wherever its session lives: also checked locally
/// for a session on another host, whose socket dir is not known here.
pub fn validate_text(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.contains("..") {
        return Err(NameError::DotDot(name.into()));
    }
    if name.contains('/') {
        return Err(NameError::Slash(name.into()));
    }
    if name.chars().any(char::is_control) {
        return Err(NameError::Control(name.into()));
    }
    // A leading `-` reads as a flag on every command line; a leading `.`
    // hides the socket.
    if name.starts_with(['.', '-']) {
        return Err(NameError::BadStart(name.into()));
    }
    Ok(())
}

const ADJECTIVES: &[&str] = &[
    "amber", "ancient", "bold", "brave", "bright", "calm", "clever", "cosmic", "crisp", "curious", "daring", "dusty",
    "eager", "early", "fancy", "fearless", "fierce", "gentle", "giant", "golden", "grand", "happy", "hidden", "humble",
    "icy", "jolly", "keen", "kind", "lively", "lucky", "merry", "mighty", "misty", "noble", "odd", "polar", "proud",
    "quick", "quiet", "rapid", "restless", "rusty", "shiny", "silent", "silver", "sleepy", "smooth", "snowy", "solar",
    "spry", "steady", "stormy", "sunny", "swift", "tidy", "tiny", "vivid", "wild", "wise", "witty", "young", "zesty",
];

const NOUNS: &[&str] = &[
    "badger", "beacon", "bison", "canyon", "cedar", "comet", "condor", "coyote", "crane", "delta", "dolphin", "falcon",
    "fern", "fjord", "fox", "galaxy", "glacier", "harbor", "hawk", "heron", "ibis", "island", "jaguar", "kestrel",
    "koala", "lagoon", "lantern", "lynx", "maple", "meadow", "meteor", "moose", "nebula", "newt", "ocean", "orchid",
    "osprey", "otter", "owl", "panda", "pebble", "pine", "planet", "puffin", "quartz", "raven", "reef", "river",
    "salmon", "sparrow", "summit", "tiger", "tundra", "valley", "walrus", "willow", "wombat", "yak", "zebra",
];

/// Whether `name` is one [`generate`] makes, not one a user chose.
pub fn is_generated(name: &str) -> bool {
    if let Some(n) = name.strip_prefix("session-") {
        return !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
    }
    name.split_once('-').is_some_and(|(a, n)| ADJECTIVES.contains(&a) && NOUNS.contains(&n))
}

/// A fresh `adjective-noun` name not among `taken`.
pub fn generate(taken: &[String]) -> String {
    let mut seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0)
            ^ (std::process::id() as u64).rotate_left(32);
    let mut next = || {
        // xorshift64: names need variety, not cryptographic randomness.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..64 {
        let name = format!(
            "{}-{}",
            ADJECTIVES[(next() % ADJECTIVES.len() as u64) as usize],
            NOUNS[(next() % NOUNS.len() as u64) as usize]
        );
        if !taken.contains(&name) {
            return name;
        }
    }
    format!("session-{}", next() % 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_cannot_be_a_socket_name() {
        let dir = Path::new("/tmp/revenant-0");
        assert!(validate("work", dir).is_ok());
        assert!(validate("my session ✓", dir).is_ok());
        assert_eq!(validate("", dir), Err(NameError::Empty));
        assert!(matches!(validate("a/b", dir), Err(NameError::Slash(_))));
        assert!(matches!(validate("a..b", dir), Err(NameError::DotDot(_))));
        assert!(matches!(validate("a\x1bb", dir), Err(NameError::Control(_))));
        assert!(matches!(validate("-x", dir), Err(NameError::BadStart(_))));
        assert!(matches!(validate(&"x".repeat(100), dir), Err(NameError::TooLong { .. })));
    }

    #[test]
    fn generated_names_are_two_words_and_avoid_taken_ones() {
        let name = generate(&[]);
        let parts: Vec<&str> = name.split('-').collect();
        assert_eq!(parts.len(), 2, "{name}");
        assert!(ADJECTIVES.contains(&parts[0]) && NOUNS.contains(&parts[1]), "{name}");
        assert!(is_generated(&name) && !is_generated("work") && !is_generated("amber-work"));
        let all: Vec<String> = ADJECTIVES.iter().flat_map(|a| NOUNS.iter().map(move |n| format!("{a}-{n}"))).collect();
        assert!(generate(&all).starts_with("session-"));
    }
}
