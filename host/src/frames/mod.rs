//! What a client's terminal is sent: frames composed cell by cell from the
//! panes' terminal states and the bars, diffed against the previous frame,
//! and encoded for what that terminal supports. Nothing of a pane's cell is
//! lost on the way: colours (default, 16, 256, truecolor), every attribute,
//! the five underline styles, underline colour and hyperlinks.

mod cell;
pub mod compose;
mod context;
mod encode;
mod features;
mod grid;
mod palette;
pub mod render;
mod row_cache;
mod status_hints;
pub mod tab_bar;
pub mod terminfo;
pub mod theme;
mod widgets;

#[cfg(test)]
mod encode_tests;

pub use cell::{Pen, ScreenCell};
pub use encode::Encoder;
pub use features::Features;
pub use grid::Screen;
pub use widgets::{draw_widget, pen_from_ratatui};
