//! Revenant's session model: tabs, panes, their tiling and stacks, swap
//! layouts, the views clients look through, selection and search over a
//! pane's text, and what typing sends to a pane's program.
//!
//! It does no I/O and starts no thread: no sockets, PTYs, plugins or
//! clocks of its own. A pane reaches its program through [`PaneIo`], which
//! the runtime implements (a process on a PTY, or a plugin's UI); `()` is a
//! pane with nothing behind it. This is to Revenant what `Term<T:
//! EventListener>` is to alacritty: the rules, testable without a server.

pub mod bars;
pub mod border_drag;
pub mod copy_cursor;
pub mod copy_keys;
pub mod copy_mode;
pub mod focus;
pub mod input;
pub mod kitty_keys;
pub mod legacy_keys;
pub mod pane;
pub mod pane_input;
pub mod pane_search;
pub mod prompts;
pub mod search;
pub mod selection;
pub mod session;
pub mod swap;
pub mod tab;
pub mod tab_order;
pub mod tiling;
pub mod typing;
pub mod view;

#[cfg(test)]
mod fake;

pub use pane::{InputRefused, Launch, Pane, PaneIo};
pub use session::Session;
pub use tab::{Floating, Placement, Tab};
pub use tiling::{PaneId, Rect};
pub use view::View;
