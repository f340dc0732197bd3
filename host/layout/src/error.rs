//! The kinds of mistake a layout file can have. The error type itself, and
//! how it locates and renders a mistake, is shared with the other
//! user-written KDL files (`revenant-kdl-file`).

use revenant_kdl_file::Kind;

/// A layout file that could not be used, with where and why: `Display` is one
/// `PATH:LINE:COL: message` line, and it is a miette diagnostic.
pub type LayoutError = revenant_kdl_file::FileError<ErrorKind>;

/// A problem found while walking the document, located at the top.
pub(crate) type Fault = revenant_kdl_file::Fault<ErrorKind>;

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

impl Kind for ErrorKind {
    const DOMAIN: &'static str = "revenant::layout";
    const WHAT: &'static str = "layout";
    const IO: Self = ErrorKind::Io;
    const SYNTAX: Self = ErrorKind::Syntax;

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
