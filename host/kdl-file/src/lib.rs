//! What the config and layout crates share about reading a KDL file a person
//! wrote: reading it as v1 (as Zellij does) or, when it speaks v2, as v2,
//! without crashing on hostile nesting, errors that
//! print as one `PATH:LINE:COL: message` line yet carry a miette diagnostic,
//! and "did you mean" help.

pub mod bounded;
mod error;
pub mod node;
mod read;
pub mod suggest;

pub use bounded::{MAX_TEXT_FILE, open_bounded, read_bounded, read_open, read_text_bounded};
pub use error::{Fault, FileError, Kind, line_col};
pub use read::{MAX_DEPTH, parse_document};
