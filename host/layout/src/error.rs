//! One error type for everything that can go wrong with a layout file.
//!
//! Like the config crate's error, it keeps the source text and the span so a
//! UI can render the full miette report, while `Display` stays a single
//! `PATH:LINE:COL: message` line for a CLI or an editor's quickfix list.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode, SourceSpan};

/// What went wrong, for callers (and tests) that must not match on text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be read.
    Io,
    /// The text is not KDL (neither v2 nor v1).
    Syntax,
    /// There is no `layout { ... }` node.
    MissingLayout,
    /// A node that is neither a known keyword nor a template name.
    UnknownNode,
    /// A `name=value` property the node does not take.
    UnknownProperty,
    /// A value of the wrong KDL type (`size=true`, `borderless="yes"`).
    WrongType,
    /// A value of the right type outside the allowed set or range.
    InvalidValue,
    /// A node that needs a value has none.
    MissingValue,
    /// A node got more values than it takes.
    TooManyValues,
    /// A `{ ... }` block where none is accepted.
    UnexpectedChildren,
    /// The same thing given twice (a property, a template name, ...).
    Duplicate,
    /// A template without `name="..."`.
    MissingName,
    /// `children` outside a template, or a template with nowhere to put them.
    MisplacedChildren,
    /// Two settings that cannot go together (`command` and `plugin`, ...).
    Conflict,
    /// More than one tab has `focus=true`.
    MultipleFocus,
    /// Percent sizes in one split add up to more than 100%.
    PercentOverflow,
    /// The panes do not fit the area given to [`crate::Layout::normalize`].
    NoRoom,
    /// A template that (directly or not) uses itself.
    TemplateCycle,
}

impl ErrorKind {
    fn code(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Syntax => "syntax",
            ErrorKind::MissingLayout => "missing_layout",
            ErrorKind::UnknownNode => "unknown_node",
            ErrorKind::UnknownProperty => "unknown_property",
            ErrorKind::WrongType => "wrong_type",
            ErrorKind::InvalidValue => "invalid_value",
            ErrorKind::MissingValue => "missing_value",
            ErrorKind::TooManyValues => "too_many_values",
            ErrorKind::UnexpectedChildren => "unexpected_children",
            ErrorKind::Duplicate => "duplicate",
            ErrorKind::MissingName => "missing_name",
            ErrorKind::MisplacedChildren => "misplaced_children",
            ErrorKind::Conflict => "conflict",
            ErrorKind::MultipleFocus => "multiple_focus",
            ErrorKind::PercentOverflow => "percent_overflow",
            ErrorKind::NoRoom => "no_room",
            ErrorKind::TemplateCycle => "template_cycle",
        }
    }
}

/// A problem found while walking the document; [`LayoutError::located`]
/// adds the file name and text at the top.
#[derive(Debug, Clone)]
pub(crate) struct Fault {
    pub(crate) kind: ErrorKind,
    pub(crate) span: SourceSpan,
    pub(crate) message: String,
    pub(crate) label: String,
    pub(crate) help: Option<String>,
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

/// A layout that could not be used, with where and why.
#[derive(Debug, thiserror::Error)]
#[error("{}: {}", .detail.location, .detail.message)]
pub struct LayoutError {
    detail: Box<Detail>,
    #[source]
    io: Option<std::io::Error>,
}

#[derive(Debug)]
struct Detail {
    kind: ErrorKind,
    path: PathBuf,
    location: String,
    message: String,
    line_col: Option<(usize, usize)>,
    label: Option<String>,
    help: Option<String>,
    span: Option<SourceSpan>,
    also: Option<(SourceSpan, String)>,
    source_code: Option<NamedSource<Arc<str>>>,
}

impl LayoutError {
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
        LayoutError { detail: Box::new(detail), io: None }
    }

    /// An error with no source position (a layout built in code).
    pub(crate) fn unlocated(path: &Path, fault: Fault) -> Self {
        let detail = Detail {
            kind: fault.kind,
            path: path.to_owned(),
            location: path.display().to_string(),
            message: one_line(&fault.message),
            line_col: None,
            label: None,
            help: fault.help,
            span: None,
            also: None,
            source_code: None,
        };
        LayoutError { detail: Box::new(detail), io: None }
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
            "cannot read the layout: it is not valid UTF-8".to_owned()
        } else {
            format!("cannot read the layout: {err}")
        };
        let fault = Fault::new(ErrorKind::Io, SourceSpan::from(0..0), message, "");
        let mut e = Self::unlocated(path, fault);
        e.io = Some(err);
        e
    }

    pub fn kind(&self) -> ErrorKind {
        self.detail.kind
    }

    pub fn path(&self) -> &Path {
        &self.detail.path
    }

    /// 1-based line and column (in characters); `None` without a position.
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

impl Diagnostic for LayoutError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("revenant::layout::{}", self.detail.kind.code())))
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

/// 1-based line and column of a byte offset; columns count characters.
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
        assert_eq!(line_col(text, 8), (2, 4));
        assert_eq!(line_col(text, 4), (2, 1));
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn display_is_one_line() {
        let fault = Fault::new(ErrorKind::InvalidValue, SourceSpan::from(2..3), "bad\nthing", "here");
        let err = LayoutError::located(Path::new("l.kdl"), "a b c", fault);
        assert_eq!(err.to_string(), "l.kdl:1:3: bad thing");
    }
}
