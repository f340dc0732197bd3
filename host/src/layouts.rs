//! The built-in layouts (`layouts/*.kdl`), compiled into the binary so that
//! `--layout default` works without any files installed.

/// Name and KDL text of every built-in layout.
pub static BUILTIN_LAYOUTS: &[(&str, &str)] = &[
    ("default", include_str!("../../layouts/default.kdl")),
    ("compact", include_str!("../../layouts/compact.kdl")),
    ("classic", include_str!("../../layouts/classic.kdl")),
    ("splits", include_str!("../../layouts/splits.kdl")),
    ("welcome", include_str!("../../layouts/welcome.kdl")),
];

use std::path::{Path, PathBuf};

use revenant_layout::{Layout, LayoutError};

/// Why `--layout` could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Invalid(#[from] LayoutError),
    #[error("no layout named `{name}`: not a file, not in {dir}, not built in (built-in layouts: {builtins})")]
    NotFound { name: String, dir: String, builtins: String },
}

/// Finds and parses the layout `spec` names: a path to a file (anything
/// with a `/` or a `.kdl` ending, or an existing file), else `NAME.kdl` in
/// `layout_dir`, else a built-in layout.
pub fn load(spec: &str, layout_dir: &Path) -> Result<Layout, LoadError> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let as_path = Path::new(spec);
    if spec.contains('/') || spec.ends_with(".kdl") || as_path.is_file() {
        return Ok(Layout::load(&std::path::absolute(as_path).unwrap_or(as_path.into()), home.as_deref())?);
    }
    let in_dir = layout_dir.join(format!("{spec}.kdl"));
    if in_dir.is_file() {
        return Ok(Layout::load(&in_dir, home.as_deref())?);
    }
    match builtin(spec) {
        Some(text) => Ok(Layout::parse(Path::new(&format!("{spec} (built-in)")), text, home.as_deref())?),
        None => Err(LoadError::NotFound {
            name: spec.to_string(),
            dir: layout_dir.display().to_string(),
            builtins: BUILTIN_LAYOUTS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "),
        }),
    }
}

/// The built-in layout called `name`.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTIN_LAYOUTS.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_layout_is_kdl_v1_with_a_layout_root() {
        for (name, text) in BUILTIN_LAYOUTS {
            let doc = kdl::KdlDocument::parse_v1(text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert!(doc.get("layout").is_some(), "{name} has no layout node");
        }
        assert!(builtin("compact").unwrap().contains("zellij:compact-bar"));
        assert!(builtin("nope").is_none());
    }

    #[test]
    fn names_are_looked_up_in_the_layout_dir_before_the_builtins() {
        let dir = std::env::temp_dir().join(format!("revenant-layouts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("compact.kdl"), "layout { pane name=\"mine\"; }").unwrap();
        let mine = load("compact", &dir).unwrap();
        assert_eq!(mine.tabs[0].root.children[0].pane.as_ref().unwrap().name.as_deref(), Some("mine"));
        assert!(load("classic", &dir).is_ok());
        let err = load("nope", &dir).unwrap_err().to_string();
        assert!(err.contains("no layout named `nope`") && err.contains("default, compact"), "{err}");
        let err = load(&dir.join("missing.kdl").display().to_string(), &dir).unwrap_err().to_string();
        assert!(err.contains("missing.kdl"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
