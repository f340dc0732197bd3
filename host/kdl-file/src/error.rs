//! One error type for a user-written KDL file, generic over what kinds of
//! mistake that file can have.
//!
//! It keeps the source text and the span so a UI can render the full miette
//! report, while `Display` stays a single `PATH:LINE:COL: message` line that a
//! CLI (or an editor's quickfix list) can consume.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode, SourceSpan};

/// The kinds of mistake one sort of file can have.
pub trait Kind: Copy + fmt::Debug + Send + Sync + 'static {
    /// Prefix of diagnostic codes, e.g. `revenant::config`.
    const DOMAIN: &'static str;
    /// What the file is, for messages: "config", "layout".
    const WHAT: &'static str;
    /// The file could not be read.
    const IO: Self;
    /// The text is not KDL (neither v2 nor v1), or nested too deep.
    const SYNTAX: Self;
    /// The last segment of the diagnostic code.
    fn code(self) -> &'static str;
}

/// A problem found while walking the document. The walkers do not know the
/// file name or text; [`FileError::located`] adds them at the top.
#[derive(Debug, Clone)]
pub struct Fault<K> {
    pub kind: K,
    pub span: SourceSpan,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    /// A second place worth pointing at, e.g. the first of two duplicates.
    /// Boxed because it is rare and every walker returns `Result<_, Fault>`.
    pub also: Option<Box<(SourceSpan, String)>>,
}

impl<K> Fault<K> {
    pub fn new(kind: K, span: SourceSpan, message: impl Into<String>, label: impl Into<String>) -> Self {
        Fault { kind, span, message: message.into(), label: label.into(), help: None, also: None }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn also(mut self, span: SourceSpan, label: impl Into<String>) -> Self {
        self.also = Some(Box::new((span, label.into())));
        self
    }
}

/// A file that could not be used, with where and why.
#[derive(Debug)]
pub struct FileError<K> {
    /// Boxed so `Result<_, FileError>` stays small to move around.
    detail: Box<Detail<K>>,
    io: Option<std::io::Error>,
}

#[derive(Debug)]
struct Detail<K> {
    kind: K,
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

impl<K: Kind> FileError<K> {
    pub fn located(path: &Path, text: &str, fault: Fault<K>) -> Self {
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
        FileError { detail: Box::new(detail), io: None }
    }

    /// An error with no source position (e.g. about something built in code).
    pub fn unlocated(path: &Path, fault: Fault<K>) -> Self {
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
        FileError { detail: Box::new(detail), io: None }
    }

    /// The kdl crate may report several diagnostics; the first is the one
    /// nearest the start and the rest are usually its echoes.
    pub fn syntax(path: &Path, text: &str, err: kdl::KdlError) -> Self {
        let first = err.diagnostics.into_iter().next();
        let (span, message, label, help) = match first {
            Some(d) => {
                let message = d.message.clone().or_else(|| d.label.clone()).unwrap_or_else(|| "syntax error".into());
                (d.span, message, d.label.unwrap_or_else(|| "here".into()), d.help)
            }
            None => (SourceSpan::from(0..0), "syntax error".to_owned(), "here".to_owned(), None),
        };
        let fault = Fault::new(K::SYNTAX, span, format!("invalid KDL: {}", message.trim_end_matches('.')), label)
            .maybe_help(help);
        Self::located(path, text, fault)
    }

    pub fn io(path: &Path, err: std::io::Error) -> Self {
        let message = if err.kind() == std::io::ErrorKind::InvalidData {
            format!("cannot read the {}: it is not valid UTF-8", K::WHAT)
        } else {
            format!("cannot read the {}: {err}", K::WHAT)
        };
        let mut e = Self::unlocated(path, Fault::new(K::IO, SourceSpan::from(0..0), message, ""));
        e.io = Some(err);
        e
    }

    pub fn kind(&self) -> K {
        self.detail.kind
    }

    pub fn path(&self) -> &Path {
        &self.detail.path
    }

    /// 1-based line and column (in characters) of the offending text; `None`
    /// without a position (I/O errors).
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

impl<K> fmt::Display for FileError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.detail.location, self.detail.message)
    }
}

impl<K: fmt::Debug> std::error::Error for FileError<K> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.io.as_ref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl<K: Kind> Diagnostic for FileError<K> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("{}::{}", K::DOMAIN, self.detail.kind.code())))
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
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
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
pub(crate) mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy)]
    pub(crate) enum TestKind {
        Io,
        Syntax,
        Bad,
    }

    impl Kind for TestKind {
        const DOMAIN: &'static str = "revenant::test";
        const WHAT: &'static str = "test file";
        const IO: Self = TestKind::Io;
        const SYNTAX: Self = TestKind::Syntax;
        fn code(self) -> &'static str {
            match self {
                TestKind::Io => "io",
                TestKind::Syntax => "syntax",
                TestKind::Bad => "bad",
            }
        }
    }

    #[test]
    fn line_col_counts_characters_and_lines() {
        let text = "ab\néé x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // "éé " is 5 bytes but 3 characters.
        assert_eq!(line_col(text, 8), (2, 4));
        assert_eq!(line_col(text, text.len()), (3, 1));
        // An offset inside a character, or past the end, does not panic.
        assert_eq!(line_col(text, 4), (2, 1));
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn display_is_one_line_and_the_code_names_the_domain() {
        let fault = Fault::new(TestKind::Bad, SourceSpan::from(2..3), "bad\nthing", "here");
        let err = FileError::located(Path::new("c.kdl"), "a b c", fault);
        assert_eq!(err.to_string(), "c.kdl:1:3: bad thing");
        assert_eq!(err.line_col(), Some((1, 3)));
        assert_eq!(err.code().unwrap().to_string(), "revenant::test::bad");
        let io = FileError::<TestKind>::io(Path::new("x.kdl"), std::io::Error::other("denied"));
        assert_eq!(io.to_string(), "x.kdl: cannot read the test file: denied");
        assert!(std::error::Error::source(&io).is_some());
    }
}
