//! The kinds of mistake a config file can have. The error type itself, and
//! how it locates and renders a mistake, is shared with the other
//! user-written KDL files (`revenant-kdl-file`).

use revenant_kdl_file::Kind;

/// A config file that could not be used, with where and why: `Display` is one
/// `PATH:LINE:COL: message` line, and it is a miette diagnostic.
pub type ConfigError = revenant_kdl_file::FileError<ErrorKind>;

/// A problem found while walking the document, located at the top.
pub(crate) type Fault = revenant_kdl_file::Fault<ErrorKind>;

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
    /// `theme`, `theme_dark` or `theme_light` naming a theme there is not.
    UnknownTheme,
}

impl Kind for ErrorKind {
    const DOMAIN: &'static str = "revenant::config";
    const WHAT: &'static str = "config";
    const IO: Self = ErrorKind::Io;
    const SYNTAX: Self = ErrorKind::Syntax;

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
            ErrorKind::UnknownTheme => "unknown_theme",
        }
    }
}
