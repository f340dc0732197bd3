//! What a client's frame is drawn from: the session, the client's view,
//! and the passing state of the bars. Shared by the frame (`render`) and
//! the tab bar (`tab_bar`), which also finds a tab under the mouse.

use revenant_config::Mode;
use revenant_session::tiling::Rect;
use revenant_session::{Session, View};

pub struct Context<'a, Io> {
    pub session: &'a Session<Io>,
    pub view: &'a View,
    /// Where the panes go (between the bars).
    pub area: Rect,
    pub frames: bool,
    /// The status bar's `(keys, label)` hints for the view's mode.
    pub hints: &'a [(String, String)],
    pub watcher: bool,
    /// A passing message (a failed save), shown in the status bar.
    pub notice: Option<&'a str>,
    /// The active tab's swap layout and whether it was changed by hand
    /// since, for the tab bar's right end.
    pub swap: Option<(&'a str, bool)>,
    /// The colours of the client's theme (`theme`, or `theme_dark` /
    /// `theme_light` as its terminal's colour scheme is).
    pub ui: revenant_config::themes::UiColours,
}

/// The mode as the bars name it.
pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Normal => "NORMAL",
        Mode::Locked => "LOCKED",
        Mode::Pane => "PANE",
        Mode::Tab => "TAB",
        Mode::Resize => "RESIZE",
        Mode::Session => "SESSION",
        Mode::Scroll => "SCROLL",
        Mode::RenameTab => "RENAME TAB",
        Mode::EnterSearch => "SEARCH",
        Mode::Search => "SEARCH",
        Mode::Copy => "COPY",
    }
}
