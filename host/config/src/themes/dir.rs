//! Theme files: one file's text, and every `*.kdl` file in `theme_dir`.
//!
//! A broken theme file costs only its own themes: it is reported with its
//! position and the others are read, since refusing the whole config for a
//! theme someone dropped in a folder would leave the user with nothing.

use std::path::{Path, PathBuf};

use kdl::KdlDocument;
use miette::SourceSpan;

use super::{Theme, ThemeSource, Themes, parse_block};
use crate::ConfigError;
use crate::error::{ErrorKind, Fault};
use crate::values;

/// The themes of one theme file's text.
pub(super) fn parse_file(path: &Path, text: &str, source: ThemeSource) -> Result<Themes, ConfigError> {
    let doc = revenant_kdl_file::parse_document(path, text)?;
    let parsed = file_themes(&doc).map_err(|fault| ConfigError::located(path, text, fault))?;
    let mut themes = Themes::default();
    for (name, theme) in parsed {
        themes.insert(name, theme, source.clone());
    }
    Ok(themes)
}

/// Zellij reads the first `themes` node of a theme file and ignores the
/// rest; here anything else is refused, as in `config.kdl`.
fn file_themes(doc: &KdlDocument) -> Result<Vec<(String, Theme)>, Fault> {
    let mut block = None;
    for node in doc.nodes() {
        let name = values::name(node);
        if name != "themes" {
            return Err(Fault::new(
                ErrorKind::UnknownOption,
                values::name_span(node),
                format!("a theme file holds a `themes {{ ... }}` block, found `{name}`"),
                "not `themes`",
            )
            .help("options such as `theme` belong in config.kdl"));
        }
        if let Some(first) = block {
            return Err(Fault::new(
                ErrorKind::Duplicate,
                values::name_span(node),
                "`themes` is given twice",
                "given again here",
            )
            .also(values::name_span(first), "first given here")
            .help("put every theme in one `themes { ... }` block"));
        }
        block = Some(node);
    }
    match block {
        Some(node) => parse_block(node),
        None => Err(Fault::new(
            ErrorKind::MissingChildren,
            SourceSpan::from(0..0),
            "the theme file has no `themes { ... }` block",
            "no themes",
        )
        .help("themes { my-theme { ... } }")),
    }
}

/// Every `*.kdl` file in `dir`, in name order (so that of two files naming
/// one theme, the later name wins, the same on every machine), and what was
/// wrong with the files that could not be used. A missing `dir` is no
/// fault unless the user named it.
pub(crate) fn read_dir(dir: &Path, named_by_user: bool) -> (Themes, Vec<ConfigError>) {
    let mut themes = Themes::default();
    let mut faults = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named_by_user => return (themes, faults),
        Err(e) => {
            faults.push(io_fault(dir, "cannot read the theme directory", &e));
            return (themes, faults);
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "kdl") && path.is_file())
        .collect();
    paths.sort();
    for path in paths {
        match revenant_kdl_file::read_text_bounded(&path, revenant_kdl_file::MAX_TEXT_FILE) {
            Ok(text) => match parse_file(&path, &text, ThemeSource::File(path.clone())) {
                Ok(parsed) => themes.merge(parsed),
                Err(e) => faults.push(e),
            },
            Err(e) => faults.push(io_fault(&path, "cannot read the theme file", &e)),
        }
    }
    (themes, faults)
}

fn io_fault(path: &Path, what: &str, e: &std::io::Error) -> ConfigError {
    let message = if e.kind() == std::io::ErrorKind::InvalidData {
        format!("{what}: it is not valid UTF-8")
    } else {
        format!("{what}: {e}")
    };
    ConfigError::unlocated(path, Fault::new(ErrorKind::Io, SourceSpan::from(0..0), message, ""))
}
