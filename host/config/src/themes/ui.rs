//! Which of a theme's colours Revenant draws each part of its UI with.
//!
//! Zellij's meaning is kept wherever Zellij draws the same thing (the bars'
//! `text_unselected`, the active tab's `ribbon_selected`, key hints on
//! `ribbon_unselected`, frames, exit codes, search matches on
//! `text_unselected`'s emphases), so that a Zellij theme looks here as it
//! does there. Revenant's own badges (mode, SYNC, notices) take emphases of
//! the ribbons whose colours Zellij derives from the same palette colour
//! (yellow-orange, magenta, red and white), and the built-in `default`
//! theme puts Revenant's old colours in exactly these slots: with it, the
//! screen is as it was before themes.

use super::{Theme, ThemeColour};

/// A foreground on a background.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pair {
    pub fg: ThemeColour,
    pub bg: ThemeColour,
}

/// The colours of Revenant's UI under one theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UiColours {
    /// The tab, status and compact bars, their session name and the tabs
    /// that are neither active nor ringing: `text_unselected` (`base` on
    /// `background`).
    pub bar: Pair,
    /// A key in the status bar's hints (`<p>`): `ribbon_unselected`.
    pub key_hint: Pair,
    /// The mode badge: `ribbon_selected`'s `base` on its `emphasis_1`
    /// (Zellij's palette conversion puts orange there).
    pub mode: Pair,
    /// The SYNC badge: `ribbon_selected`'s `base` on its `emphasis_2`
    /// (magenta).
    pub sync: Pair,
    /// Notices, `WATCHING (read-only)`, and a tab whose pane rang unseen:
    /// `ribbon_unselected`'s `emphasis_1` on its `emphasis_0` (white on red).
    pub notice: Pair,
    /// The active tab, and a swap layout's name while the panes are as it
    /// placed them: `ribbon_selected`.
    pub active_tab: Pair,
    /// The focused pane's frame: `frame_selected.base`.
    pub frame_focused: ThemeColour,
    /// Other frames and a stack's closed members: `frame_unselected.base`;
    /// `None` (a theme without `frame_unselected`): the terminal's
    /// foreground, as in Zellij.
    pub frame_unfocused: Option<ThemeColour>,
    /// The frame of an unfocused pane that rang its bell:
    /// `exit_code_error.base`.
    pub frame_bell: ThemeColour,
    /// A search match: on `text_unselected.emphasis_2`, as Zellij.
    pub search_match: Pair,
    /// The current search match: on `text_unselected.emphasis_0`, as Zellij.
    /// The text of both is `exit_code_success.emphasis_1`, the palette's
    /// black; Zellij writes it with `text_unselected.background`, which its
    /// palette conversion fills with the same black (in every built-in
    /// theme but `default` the two are equal), and `default` needs the two
    /// apart to keep its black text on a grey bar.
    pub search_current: Pair,
    /// "Exited with code 0", "Press ENTER to run": `exit_code_success.base`.
    pub exit_success: ThemeColour,
    /// A failed command's exit code: `exit_code_error.base`.
    pub exit_error: ThemeColour,
    /// The keys in a command pane's banner (`<ENTER>`, `<ESC>`):
    /// `exit_code_error.emphasis_0` (yellow).
    pub banner_key: ThemeColour,
    /// Selected text in a pane: `text_selected`; `None` (the `default`
    /// theme) draws it in reverse video, as before themes.
    pub selection: Option<Pair>,
}

impl Theme {
    /// The colours of Revenant's UI under this theme. Attributes (bold) are
    /// not the theme's.
    pub fn ui(&self) -> UiColours {
        let search_text = self.exit_code_success.emphasis_1;
        UiColours {
            bar: Pair { fg: self.text_unselected.base, bg: self.text_unselected.background },
            key_hint: Pair { fg: self.ribbon_unselected.base, bg: self.ribbon_unselected.background },
            mode: Pair { fg: self.ribbon_selected.base, bg: self.ribbon_selected.emphasis_1 },
            sync: Pair { fg: self.ribbon_selected.base, bg: self.ribbon_selected.emphasis_2 },
            notice: Pair { fg: self.ribbon_unselected.emphasis_1, bg: self.ribbon_unselected.emphasis_0 },
            active_tab: Pair { fg: self.ribbon_selected.base, bg: self.ribbon_selected.background },
            frame_focused: self.frame_selected.base,
            frame_unfocused: self.frame_unselected.map(|d| d.base),
            frame_bell: self.exit_code_error.base,
            search_match: Pair { fg: search_text, bg: self.text_unselected.emphasis_2 },
            search_current: Pair { fg: search_text, bg: self.text_unselected.emphasis_0 },
            exit_success: self.exit_code_success.base,
            exit_error: self.exit_code_error.base,
            banner_key: self.exit_code_error.emphasis_0,
            selection: (self != super::builtin::default_theme())
                .then_some(Pair { fg: self.text_selected.base, bg: self.text_selected.background }),
        }
    }
}
