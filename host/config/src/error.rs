//! One error type for everything that can go wrong with a config file.
//!
//! It keeps the source text and the span so a UI can render the full miette
//! report, while `Display` stays a single `PATH:LINE:COL: message` line that a
//! CLI (or an editor's quickfix list) can consume.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode, SourceSpan};

/// What went wrong, for callers that react differently to different mistakes
/// (and for tests that must not match on message text alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file exists but could not be read (permissions, not UTF-8, ...).
    Io,
    /// The text is not KDL (neither v2 nor v1).
    Syntax,
    /// A node name that is not an option (or not a known child of a block).
    UnknownOption,
    /// A keybinds block naming a mode Revenant does not have.
    UnknownMode,
    /// A node inside a `bind` block that is not an action.
    UnknownAction,
    /// A key spec such as `"Ctrl Foo"` that does not name a key.
    BadKey,
    /// A value of the wrong KDL type (string where a boolean belongs, ...).
    WrongType,
    /// A value of the right type outside the allowed range or set.
    InvalidValue,
    /// A node that needs a value has none.
    MissingValue,
    /// A node got more values than it takes.
    TooManyValues,
    /// A `name=value` property where none is accepted.
    UnexpectedProperty,
    /// A `{ ... }` block where none is accepted.
    UnexpectedChildren,
    /// A `{ ... }` block is required but missing.
    MissingChildren,
    /// The same option given twice.
    Duplicate,
    /// A plugin entry that cannot be used (bad location, unknown slot).
    BadPlugin,
}

impl ErrorKind {
    fn code(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Syntax => "syntax",
            ErrorKind::UnknownOption => "unknown_option",
            ErrorKind::UnknownMode => "unknown_mode",
            ErrorKind::UnknownAction => "unknown_action",
            ErrorKind::BadKey => "bad_key",
            ErrorKind::WrongType => "wrong_type",
            ErrorKind::InvalidValue => "invalid_value",
            ErrorKind::MissingValue => "missing_value",
            ErrorKind::TooManyValues => "too_many_values",
            ErrorKind::UnexpectedProperty => "unexpected_property",
            ErrorKind::UnexpectedChildren => "unexpected_children",
            ErrorKind::MissingChildren => "missing_children",
            ErrorKind::Duplicate => "duplicate",
            ErrorKind::BadPlugin => "bad_plugin",
        }
    }
}

/// A problem found while walking the document. The walkers do not know the
/// file name or text; [`ConfigError::located`] adds them at the top.
#[derive(Debug, Clone)]
pub(crate) struct Fault {
    pub(crate) kind: ErrorKind,
    pub(crate) span: SourceSpan,
    pub(crate) message: String,
    pub(crate) label: String,
    pub(crate) help: Option<String>,
    /// A second place worth pointing at, e.g. the first of two duplicates.
    /// Boxed because it is rare and every walker returns `Result<_, Fault>`.
    pub(crate) also: Option<Box<(SourceSpan, String)>>,
}

impl Fault {
    pub(crate) fn new(kind: ErrorKind, span: SourceSpan, message: impl Into<String>, label: impl Into<String>) -> Self {
        Fault { kind, span, message: message.into(), label: label.into(), help: None, also: None }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub(crate) fn also(mut self, span: SourceSpan, label: impl Into<String>) -> Self {
        self.also = Some(Box::new((span, label.into())));
        self
    }
}

/// A config file that could not be used, with where and why.
#[derive(Debug, thiserror::Error)]
#[error("{}: {}", .detail.location, .detail.message)]
pub struct ConfigError {
    /// Boxed so `Result<Config, ConfigError>` stays small to move around.
    detail: Box<Detail>,
    #[source]
    io: Option<std::io::Error>,
}

#[derive(Debug)]
struct Detail {
    kind: ErrorKind,
    path: PathBuf,
    /// `PATH:LINE:COL`, or just `PATH` when there is no position (I/O).
    location: String,
    message: String,
    line_col: Option<(usize, usize)>,
    label: Option<String>,
    help: Option<String>,
    span: Option<SourceSpan>,
    also: Option<(SourceSpan, String)>,
    source_code: Option<NamedSource<Arc<str>>>,
}

impl ConfigError {
    pub(crate) fn located(path: &Path, text: &str, fault: Fault) -> Self {
        let (line, col) = line_col(text, fault.span.offset());
        let detail = Detail {
            kind: fault.kind,
            path: path.to_owned(),
            location: format!("{}:{line}:{col}", path.display()),
            message: one_line(&fault.message),
            line_col: Some((line, col)),
            label: Some(fault.label),
            help: fault.help,
            span: Some(fault.span),
            also: fault.also.map(|b| *b),
            source_code: Some(NamedSource::new(path.display().to_string(), Arc::from(text)).with_language("kdl")),
        };
        ConfigError { detail: Box::new(detail), io: None }
    }

    /// The kdl crate may report several diagnostics; the first is the one
    /// nearest the start and the rest are usually its echoes.
    pub(crate) fn syntax(path: &Path, text: &str, err: kdl::KdlError) -> Self {
        let first = err.diagnostics.into_iter().next();
        let (span, message, label, help) = match first {
            Some(d) => {
                let message = d.message.clone().or_else(|| d.label.clone()).unwrap_or_else(|| "syntax error".into());
                (d.span, message, d.label.unwrap_or_else(|| "here".into()), d.help)
            }
            None => (SourceSpan::from(0..0), "syntax error".to_owned(), "here".to_owned(), None),
        };
        let fault =
            Fault::new(ErrorKind::Syntax, span, format!("invalid KDL: {}", message.trim_end_matches('.')), label)
                .maybe_help(help);
        Self::located(path, text, fault)
    }

    pub(crate) fn io(path: &Path, err: std::io::Error) -> Self {
        let message = if err.kind() == std::io::ErrorKind::InvalidData {
            "cannot read the config: it is not valid UTF-8".to_owned()
        } else {
            format!("cannot read the config: {err}")
        };
        let detail = Detail {
            kind: ErrorKind::Io,
            path: path.to_owned(),
            location: path.display().to_string(),
            message,
            line_col: None,
            label: None,
            help: None,
            span: None,
            also: None,
            source_code: None,
        };
        ConfigError { detail: Box::new(detail), io: Some(err) }
    }

    pub fn kind(&self) -> ErrorKind {
        self.detail.kind
    }

    pub fn path(&self) -> &Path {
        &self.detail.path
    }

    /// 1-based line and column (in characters) of the offending text; `None`
    /// for I/O errors, which have no position.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        self.detail.line_col
    }

    /// The message without the location prefix.
    pub fn message(&self) -> &str {
        &self.detail.message
    }

    pub fn help_text(&self) -> Option<&str> {
        self.detail.help.as_deref()
    }
}

impl Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("revenant::config::{}", self.detail.kind.code())))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.detail.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.detail.source_code.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.detail.span?;
        let primary = LabeledSpan::new_primary_with_span(self.detail.label.clone(), span);
        let also =
            self.detail.also.as_ref().map(|(span, label)| LabeledSpan::new_with_span(Some(label.clone()), *span));
        Some(Box::new(std::iter::once(primary).chain(also)))
    }
}

/// 1-based line and column of a byte offset; columns count characters so
/// they match what an editor shows.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// `Display` promises one line; messages quoting user text must not break it.
fn one_line(message: &str) -> String {
    message.split(['\n', '\r']).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_and_lines() {
        let text = "ab\néé x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // "éé " is 5 bytes but 3 characters.
        assert_eq!(line_col(text, 8), (2, 4));
        assert_eq!(line_col(text, text.len()), (3, 1));
        // An offset inside a character does not panic.
        assert_eq!(line_col(text, 4), (2, 1));
    }

    #[test]
    fn display_is_one_line() {
        let fault = Fault::new(ErrorKind::InvalidValue, SourceSpan::from(2..3), "bad\nthing", "here");
        let err = ConfigError::located(Path::new("c.kdl"), "a b c", fault);
        assert_eq!(err.to_string(), "c.kdl:1:3: bad thing");
        assert_eq!(err.line_col(), Some((1, 3)));
    }
}
