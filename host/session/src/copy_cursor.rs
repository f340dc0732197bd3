//! Copy mode's keyboard cursor in a pane: where it is, the column it aims
//! for, and the search it is typing. The pane holds it; what moves it is
//! `copy_mode`.

use crate::selection::Point;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyCursor {
    pub at: Point,
    /// The column up and down moves aim for, kept across short lines.
    pub(crate) goal: u16,
    /// The way the last query looked: towards newer text.
    pub(crate) forward: bool,
    /// A query is being typed (the way it looks).
    pub typing: Option<bool>,
}

impl CopyCursor {
    pub fn at(at: Point) -> CopyCursor {
        CopyCursor { at, goal: at.col, forward: true, typing: None }
    }
}
