//! A theme's colours (`revenant_config::themes::UiColours`) as the two
//! colour types the frame is drawn with: ratatui's, for the widgets, and
//! the screen's own, for cells copied from panes.

use ratatui::style::{Color as RColor, Style as RStyle};
use revenant_config::ThemeColour;
use revenant_config::themes::{Pair, UiColours};
use revenant_terminal::Color;

pub fn rcolor(c: ThemeColour) -> RColor {
    match c {
        ThemeColour::Indexed(n) => RColor::Indexed(n),
        ThemeColour::Rgb(r, g, b) => RColor::Rgb(r, g, b),
    }
}

pub fn color(c: ThemeColour) -> Color {
    match c {
        ThemeColour::Indexed(n) => Color::Indexed(n),
        ThemeColour::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

/// Text in `pair.fg` on `pair.bg`.
pub fn style(pair: Pair) -> RStyle {
    RStyle::default().fg(rcolor(pair.fg)).bg(rcolor(pair.bg))
}

/// The theme's colour for a plugin pane's basic colour `n` (the session
/// manager writes red, green and yellow), so the manager follows the
/// theme without knowing it; other colours stay the terminal's.
pub fn plugin_colour(ui: &UiColours, n: u8) -> Option<Color> {
    match n {
        1 => Some(color(ui.exit_error)),
        2 => Some(color(ui.exit_success)),
        3 => Some(color(ui.banner_key)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_keeps_a_plugins_colours() {
        let ui = revenant_config::Theme::default().ui();
        for n in 0..16 {
            assert!(plugin_colour(&ui, n).is_none_or(|c| c == Color::Indexed(n)), "colour {n}");
        }
    }
}
