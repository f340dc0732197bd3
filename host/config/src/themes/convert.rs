//! From Zellij's palette form to its component form, and Zellij's default
//! styles. Both are Zellij 0.45's (`impl From<Palette> for Styling` and
//! `DEFAULT_STYLES` in zellij-utils/src/data.rs), value for value, so that
//! a theme looks the same here as there.

use super::{Palette, StyleDeclaration, Theme, ThemeColour};

/// The colours Zellij's palette has but its palette form cannot set (gray,
/// purple, gold, silver, pink, brown): Zellij leaves them at their default,
/// palette index 0, and so they come out in the converted theme.
const UNSET: ThemeColour = ThemeColour::Indexed(0);

pub(super) fn from_palette(p: &Palette) -> Theme {
    // Zellij reads every palette-form theme as dark (its `theme_hue`
    // defaults to Dark and the parser never sets it), which puts `white`
    // on `black` for text.
    let (fg, bg) = (p.white, p.black);
    let text = |base, background| StyleDeclaration {
        base,
        background,
        emphasis_0: p.orange,
        emphasis_1: p.cyan,
        emphasis_2: p.green,
        emphasis_3: p.magenta,
    };
    let style = |base, emphasis_0, emphasis_1, emphasis_2, emphasis_3, background| StyleDeclaration {
        base,
        background,
        emphasis_0,
        emphasis_1,
        emphasis_2,
        emphasis_3,
    };
    Theme {
        text_unselected: text(fg, bg),
        text_selected: text(fg, p.bg),
        ribbon_unselected: style(p.black, p.red, p.white, p.blue, p.magenta, p.fg),
        ribbon_selected: style(p.black, p.red, p.orange, p.magenta, p.blue, p.green),
        exit_code_success: style(p.green, p.cyan, p.black, p.magenta, p.blue, UNSET),
        exit_code_error: style(p.red, p.yellow, UNSET, UNSET, UNSET, UNSET),
        frame_unselected: None,
        frame_selected: style(p.green, p.orange, p.cyan, p.magenta, UNSET, UNSET),
        frame_highlight: style(p.orange, p.magenta, UNSET, p.orange, p.orange, UNSET),
        table_title: style(p.green, p.orange, p.cyan, p.green, p.magenta, UNSET),
        table_cell_unselected: text(fg, p.black),
        table_cell_selected: text(fg, p.bg),
        list_unselected: text(p.white, p.black),
        list_selected: text(p.white, p.bg),
        multiplayer_user_colors: [p.magenta, p.blue, UNSET, p.yellow, p.cyan, UNSET, p.red, UNSET, UNSET, UNSET],
    }
}

/// Zellij's `shared::colors`, the 256-colour indices of its default look.
mod zellij {
    pub const WHITE: u8 = 255;
    pub const GREEN: u8 = 154;
    pub const GRAY: u8 = 238;
    pub const BRIGHT_GRAY: u8 = 245;
    pub const RED: u8 = 124;
    pub const ORANGE: u8 = 166;
    pub const BLACK: u8 = 16;
    pub const MAGENTA: u8 = 201;
    pub const CYAN: u8 = 51;
    pub const YELLOW: u8 = 226;
    pub const BLUE: u8 = 45;
    pub const PURPLE: u8 = 99;
    pub const GOLD: u8 = 136;
    pub const SILVER: u8 = 245;
    pub const PINK: u8 = 207;
    pub const BROWN: u8 = 215;
}

const fn decl(base: u8, e0: u8, e1: u8, e2: u8, e3: u8, background: u8) -> StyleDeclaration {
    StyleDeclaration {
        base: ThemeColour::Indexed(base),
        background: ThemeColour::Indexed(background),
        emphasis_0: ThemeColour::Indexed(e0),
        emphasis_1: ThemeColour::Indexed(e1),
        emphasis_2: ThemeColour::Indexed(e2),
        emphasis_3: ThemeColour::Indexed(e3),
    }
}

const fn indexed<const N: usize>(indices: [u8; N]) -> [ThemeColour; N] {
    let mut out = [ThemeColour::Indexed(0); N];
    let mut i = 0;
    while i < N {
        out[i] = ThemeColour::Indexed(indices[i]);
        i += 1;
    }
    out
}

/// Zellij's `DEFAULT_STYLES`. Arguments of `decl` are in the order Zellij
/// writes them: base, the four emphases, background.
pub(super) const ZELLIJ_DEFAULT: Theme = {
    use zellij::*;
    Theme {
        text_unselected: decl(BRIGHT_GRAY, ORANGE, CYAN, GREEN, MAGENTA, GRAY),
        text_selected: decl(BRIGHT_GRAY, ORANGE, CYAN, GREEN, MAGENTA, GRAY),
        ribbon_unselected: decl(BLACK, RED, WHITE, BLUE, MAGENTA, GRAY),
        ribbon_selected: decl(BLACK, RED, ORANGE, MAGENTA, BLUE, GREEN),
        exit_code_success: decl(GREEN, CYAN, BLACK, MAGENTA, BLUE, GRAY),
        exit_code_error: decl(RED, YELLOW, GOLD, SILVER, PURPLE, GRAY),
        frame_unselected: None,
        frame_selected: decl(GREEN, ORANGE, CYAN, MAGENTA, BROWN, GRAY),
        frame_highlight: decl(ORANGE, MAGENTA, PURPLE, GREEN, GREEN, GREEN),
        table_title: decl(GREEN, ORANGE, CYAN, GREEN, MAGENTA, GRAY),
        table_cell_unselected: decl(BRIGHT_GRAY, ORANGE, CYAN, GREEN, MAGENTA, GRAY),
        table_cell_selected: decl(GREEN, ORANGE, CYAN, RED, MAGENTA, GRAY),
        list_unselected: decl(BRIGHT_GRAY, ORANGE, CYAN, GREEN, MAGENTA, GRAY),
        list_selected: decl(GREEN, ORANGE, CYAN, RED, MAGENTA, GRAY),
        multiplayer_user_colors: indexed([MAGENTA, BLUE, PURPLE, YELLOW, CYAN, GOLD, RED, SILVER, PINK, BROWN]),
    }
};
