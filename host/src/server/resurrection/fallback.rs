//! Choosing what an exited session comes back from: its newest snapshot
//! when that is whole, else the newest generation that is. A damaged one
//! (empty, not parsing, a sidecar gone) is set aside under another name,
//! never deleted, and the whole one is published in its place.

use std::fs;
use std::path::{Path, PathBuf};

use super::{store, summary};

/// What resurrection will use, and what it set aside on the way.
#[derive(Debug)]
pub struct Choice {
    /// The layout to start from (the published `session-layout.kdl`).
    pub layout: PathBuf,
    /// The generation it came from, when the newest snapshot was damaged.
    pub fallback: Option<String>,
    /// What was damaged and why, newest first.
    pub damaged: Vec<String>,
    /// No generation was whole: the newest comes back without the screens
    /// its missing sidecars held.
    pub without_screens: bool,
}

/// Why the snapshot at `layout` cannot be resurrected from, if it cannot:
/// it is empty, does not parse (with the line), or refers to a sidecar
/// that is not there.
pub fn check(layout: &Path) -> Result<(), String> {
    let text = parses(layout)?;
    let dir = layout.parent().unwrap_or(Path::new("."));
    for name in sidecars(&text) {
        let path = dir.join(name);
        if !path.is_file() {
            return Err(format!("its sidecar {} is missing", path.display()));
        }
    }
    Ok(())
}

/// The text of the snapshot at `layout` if it is there and parses, its
/// sidecars aside.
fn parses(layout: &Path) -> Result<String, String> {
    let text = fs::read_to_string(layout).map_err(|e| format!("cannot read {}: {e}", layout.display()))?;
    if text.trim().is_empty() {
        return Err(format!("{} is empty ({} bytes)", layout.display(), text.len()));
    }
    summary::of_layout(layout)?;
    Ok(text)
}

/// The `contents_file` names a snapshot refers to, as the serializer
/// writes them (`contents_file="…"`).
fn sidecars(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for form in store::CONTENTS_FILE_FORMS {
        let mut rest = text;
        while let Some(i) = rest.find(form) {
            rest = &rest[i + form.len()..];
            let Some(quoted) = rest.strip_prefix('"') else { continue };
            rest = quoted;
            if let Some(end) = rest.find('"') {
                out.push(&rest[..end]);
                rest = &rest[end..];
            }
        }
    }
    out
}

/// The snapshot session `name` should be resurrected from. Damaged ones
/// on the way are set aside (`snapshots/damaged-N`,
/// `session-layout.kdl.damaged`), and the first whole generation is
/// published as the session's layout.
pub fn choose(name: &str) -> Result<Choice, String> {
    let dir = store::session_dir(name);
    let published = dir.join(store::LAYOUT);
    let why = match check(&published) {
        Ok(()) => return Ok(Choice { layout: published, fallback: None, damaged: Vec::new(), without_screens: false }),
        Err(why) => why,
    };
    let mut damaged = vec![format!("the newest snapshot: {why}")];
    for generation in store::generation_list(name) {
        match check(&generation.layout) {
            Ok(()) => {
                store::set_aside(&published).map_err(|e| e.to_string())?;
                store::publish_generation(&dir, &generation).map_err(|e| e.to_string())?;
                return Ok(Choice {
                    layout: published,
                    fallback: Some(generation.id),
                    damaged,
                    without_screens: false,
                });
            }
            Err(why) => {
                damaged.push(format!("snapshot {}: {why}", generation.id));
                if let Err(e) = store::set_aside_generation(&dir, &generation.id) {
                    tracing::warn!("setting snapshot {} aside: {e}", generation.id);
                }
            }
        }
    }
    // No whole snapshot: a newest one that parses still has the tabs, the
    // panes and their commands; only the screens its sidecars held are
    // lost, and saying so beats losing the rest with them.
    if parses(&published).is_ok() {
        return Ok(Choice { layout: published, fallback: None, damaged, without_screens: true });
    }
    Err(format!("no whole snapshot of `{name}` is left ({})", damaged.join("; ")))
}

/// Whether session `name` can come back at all (whole, from an older
/// generation, or without its screens), touching nothing; why not if not.
pub fn resurrectable(name: &str) -> Result<(), String> {
    let published = store::session_dir(name).join(store::LAYOUT);
    let Err(why) = check(&published) else { return Ok(()) };
    let mut damaged = vec![format!("the newest snapshot: {why}")];
    for generation in store::generation_list(name) {
        match check(&generation.layout) {
            Ok(()) => return Ok(()),
            Err(why) => damaged.push(format!("snapshot {}: {why}", generation.id)),
        }
    }
    if parses(&published).is_ok() {
        return Ok(());
    }
    Err(format!("no whole snapshot of `{name}` is left ({})", damaged.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecar_names_are_read_in_both_spellings() {
        let text = "pane contents_file=\"a/initial_1\"\npane name=\"x\" {\n contents_file \"b\"\n}\n";
        assert_eq!(sidecars(text), ["a/initial_1", "b"]);
    }

    #[test]
    fn empty_unparsable_and_sidecar_less_snapshots_are_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let layout = dir.path().join("session-layout.kdl");
        fs::write(&layout, "").unwrap();
        assert!(check(&layout).unwrap_err().contains("is empty (0 bytes)"));
        fs::write(&layout, "layout {\n  pane split_direction=\"sideways\"\n}\n").unwrap();
        assert!(check(&layout).unwrap_err().contains("sideways"), "{}", check(&layout).unwrap_err());
        fs::write(&layout, "layout {\n  pane contents_file=\"gone\"\n}\n").unwrap();
        assert!(check(&layout).unwrap_err().contains("sidecar"));
        fs::write(dir.path().join("gone"), "back").unwrap();
        assert_eq!(check(&layout), Ok(()));
    }
}
