//! How many snapshots a session keeps, as restic's `forget --keep-*` and
//! borg's `prune` put it, and how much disk all of them may take:
//!
//! ```kdl
//! snapshot_retention { last 5; hourly 24; daily 30; }
//! snapshot_disk_limit "256MiB"
//! ```

use kdl::{KdlEntry, KdlNode};

use crate::error::{ErrorKind, Fault};
use crate::values;

/// Which generations thinning keeps: the newest `last`, and the newest of
/// each of the last `hourly` hours and `daily` days that have one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub last: usize,
    pub hourly: usize,
    pub daily: usize,
    /// Bytes all sessions' snapshots may take in the cache; past it the
    /// oldest generations go first. `None`: no limit.
    pub disk_limit: Option<u64>,
}

impl Default for Retention {
    fn default() -> Self {
        Retention { last: 5, hourly: 24, daily: 30, disk_limit: Some(256 << 20) }
    }
}

const EXAMPLE: &str = "snapshot_retention { last 5; hourly 24; daily 30; }";

/// `snapshot_retention { … }`: the keys it sets replace the defaults.
pub(crate) fn parse_block(node: &KdlNode, into: &mut Retention) -> Result<(), Fault> {
    values::reject_properties(node, &[], "snapshot_retention")?;
    values::reject_arguments(node, "snapshot_retention")?;
    let Some(children) = node.children() else {
        return Err(Fault::new(
            ErrorKind::MissingValue,
            values::name_span(node),
            "`snapshot_retention` is a block of `last`, `hourly` and `daily`",
            "needs a block",
        )
        .help(EXAMPLE));
    };
    let mut seen: Vec<&str> = Vec::new();
    for child in children.nodes() {
        let written = values::name(child);
        let slot = match written {
            "last" => &mut into.last,
            "hourly" => &mut into.hourly,
            "daily" => &mut into.daily,
            other => {
                return Err(Fault::new(
                    ErrorKind::UnknownOption,
                    values::name_span(child),
                    format!("`snapshot_retention` takes `last`, `hourly` and `daily`, not `{other}`"),
                    "unknown",
                )
                .help(EXAMPLE));
            }
        };
        if seen.contains(&written) {
            return Err(Fault::new(
                ErrorKind::Duplicate,
                values::name_span(child),
                format!("`{written}` is set twice in `snapshot_retention`"),
                "set again here",
            ));
        }
        seen.push(written);
        values::reject_properties(child, &[], written)?;
        values::reject_children(child, written)?;
        let entry = values::single(child, "a non-negative integer", &format!("{written} 5"))?;
        *slot = values::unsigned(entry, written)?;
    }
    if into.last == 0 {
        // The newest whole generation is always kept; saying 0 would read
        // as "keep nothing", which never happens.
        into.last = 1;
    }
    Ok(())
}

/// `snapshot_disk_limit "256MiB"` (or `"none"`).
pub(crate) fn parse_limit(node: &KdlNode, into: &mut Retention) -> Result<(), Fault> {
    let written = values::name(node);
    let entry = values::single(node, "a size", &format!("{written} \"256MiB\""))?;
    into.disk_limit = size(entry, written)?;
    Ok(())
}

fn size(entry: &KdlEntry, owner: &str) -> Result<Option<u64>, Fault> {
    let bad = |why: String| {
        Fault::new(ErrorKind::InvalidValue, entry.span(), why, "not a size")
            .help("write a size such as \"256MiB\", \"2GiB\" or \"500MB\", or \"none\"")
    };
    let text = values::string(entry, owner)?.trim();
    if text.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    parse_size(text).map(Some).ok_or_else(|| bad(format!("`{owner}`: {text:?} is not a size")))
}

/// Bytes in `256MiB`, `2 GiB`, `500MB`, `1g`, `4096`.
pub fn parse_size(text: &str) -> Option<u64> {
    let split = text.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "kb" => 1000,
        "m" | "mib" => 1 << 20,
        "mb" => 1_000_000,
        "g" | "gib" => 1 << 30,
        "gb" => 1_000_000_000,
        "t" | "tib" => 1 << 40,
        "tb" => 1_000_000_000_000,
        _ => return None,
    };
    let bytes = number * scale as f64;
    (bytes.is_finite() && bytes >= 1.0 && bytes < u64::MAX as f64).then_some(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(parse_size("256MiB"), Some(256 << 20));
        assert_eq!(parse_size("2 GiB"), Some(2 << 30));
        assert_eq!(parse_size("500MB"), Some(500_000_000));
        assert_eq!(parse_size("1.5g"), Some(3 << 29));
        assert_eq!(parse_size("4096"), Some(4096));
        assert_eq!(parse_size("0"), None);
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("12 parsecs"), None);
    }
}
