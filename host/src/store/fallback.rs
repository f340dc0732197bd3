//! Choosing what an exited session comes back from: its newest snapshot
//! when that is whole, else the newest generation that is. A damaged one
//! (empty, not parsing, a sidecar gone) is set aside under another name,
//! never deleted, and the whole one is published in its place.

use std::fs;
use std::path::{Path, PathBuf};

use super::summary;
use crate::store;

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
/// that is not there or whose bytes are not those its generation recorded
/// (truncated, changed).
pub fn check(layout: &Path) -> Result<(), String> {
    let text = parses(layout)?;
    let dir = layout.parent().unwrap_or(Path::new("."));
    // The sidecars share one generation folder: its info.kdl is read once.
    let mut info: Option<(PathBuf, String)> = None;
    for name in sidecars(&text) {
        let path = dir.join(name);
        if !path.is_file() {
            return Err(format!("its sidecar {} is missing", path.display()));
        }
        let folder = path.parent().unwrap_or(dir);
        if info.as_ref().is_none_or(|(read, _)| read != folder) {
            let text = fs::read_to_string(folder.join(store::INFO)).unwrap_or_default();
            info = Some((folder.to_path_buf(), text));
        }
        if let Some(recorded) = info.as_ref().and_then(|(_, text)| recorded_hash(text, &path))
            && store::blobs::hash_file(&path).ok().as_deref() != Some(recorded.as_str())
        {
            return Err(format!("its sidecar {} is damaged: its bytes are not those that were saved", path.display()));
        }
    }
    Ok(())
}

/// The hash `info` (the `info.kdl` of the generation holding `sidecar`)
/// recorded for it (`None` for a generation written before hashes were).
fn recorded_hash(info: &str, sidecar: &Path) -> Option<String> {
    let name = sidecar.file_name()?.to_str()?;
    info.lines().find_map(|l| {
        let (hash, file) = l.strip_prefix("sidecar ")?.split_once(' ')?;
        (file == name).then(|| hash.to_string())
    })
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

/// What a session's snapshots are worth, read without touching them.
struct Survey {
    published: PathBuf,
    /// Why the newest (published) snapshot is damaged; `None`: it is whole.
    newest: Option<String>,
    /// Generations found damaged, newest first, up to the first whole one.
    damaged: Vec<(String, String)>,
    whole: Option<store::Generation>,
    /// With no whole snapshot: the newest still parses (its screens aside).
    parses: bool,
}

impl Survey {
    fn of(name: &str) -> Survey {
        let published = store::session_dir(name).join(store::LAYOUT);
        let mut survey =
            Survey { newest: check(&published).err(), published, damaged: Vec::new(), whole: None, parses: false };
        if survey.newest.is_none() {
            return survey;
        }
        for generation in store::generation_list(name) {
            match check(&generation.layout) {
                Ok(()) => {
                    survey.whole = Some(generation);
                    return survey;
                }
                Err(why) => survey.damaged.push((generation.id, why)),
            }
        }
        survey.parses = parses(&survey.published).is_ok();
        survey
    }

    /// What was damaged and why, newest first.
    fn reasons(&self) -> Vec<String> {
        let newest = self.newest.iter().map(|why| format!("the newest snapshot: {why}"));
        newest.chain(self.damaged.iter().map(|(id, why)| format!("snapshot {id}: {why}"))).collect()
    }

    fn comes_back(&self) -> bool {
        self.newest.is_none() || self.whole.is_some() || self.parses
    }
}

fn nothing_whole(name: &str, survey: &Survey) -> String {
    format!("no whole snapshot of `{name}` is left ({})", survey.reasons().join("; "))
}

/// The snapshot session `name` should be resurrected from. Damaged ones
/// on the way are set aside (`snapshots/damaged-N`,
/// `session-layout.kdl.damaged`), and the first whole generation is
/// published as the session's layout.
pub fn choose(name: &str) -> Result<Choice, String> {
    let survey = Survey::of(name);
    let dir = store::session_dir(name);
    for (id, _) in &survey.damaged {
        if let Err(e) = store::set_aside_generation(&dir, id) {
            tracing::warn!("setting snapshot {id} aside: {e}");
        }
    }
    let damaged = survey.reasons();
    let layout = survey.published.clone();
    if let Some(generation) = &survey.whole {
        store::set_aside(&layout).map_err(|e| e.to_string())?;
        store::publish_generation(&dir, generation).map_err(|e| e.to_string())?;
        return Ok(Choice { layout, fallback: Some(generation.id.clone()), damaged, without_screens: false });
    }
    // No whole snapshot: a newest one that parses still has the tabs, the
    // panes and their commands; only the screens its sidecars held are
    // lost, and saying so beats losing the rest with them.
    if survey.comes_back() {
        let without_screens = survey.newest.is_some();
        return Ok(Choice { layout, fallback: None, damaged, without_screens });
    }
    Err(nothing_whole(name, &survey))
}

/// Whether session `name` can come back at all (whole, from an older
/// generation, or without its screens), touching nothing; why not if not.
pub fn resurrectable(name: &str) -> Result<(), String> {
    let survey = Survey::of(name);
    if survey.comes_back() { Ok(()) } else { Err(nothing_whole(name, &survey)) }
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
