//! The themes compiled into Revenant: `host/config/themes/*.kdl`, read
//! once, on first use, by the same parser as the user's files.

use std::path::Path;
use std::sync::OnceLock;

use super::{Theme, ThemeSource, Themes};

/// File name and text of each built-in theme file.
pub(super) const FILES: &[(&str, &str)] = &[
    ("default.kdl", include_str!("../../themes/default.kdl")),
    ("catppuccin-latte.kdl", include_str!("../../themes/catppuccin-latte.kdl")),
    ("catppuccin-mocha.kdl", include_str!("../../themes/catppuccin-mocha.kdl")),
    ("dracula.kdl", include_str!("../../themes/dracula.kdl")),
    ("gruvbox-dark.kdl", include_str!("../../themes/gruvbox-dark.kdl")),
    ("gruvbox-light.kdl", include_str!("../../themes/gruvbox-light.kdl")),
    ("nord.kdl", include_str!("../../themes/nord.kdl")),
    ("solarized-dark.kdl", include_str!("../../themes/solarized-dark.kdl")),
    ("solarized-light.kdl", include_str!("../../themes/solarized-light.kdl")),
    ("tokyo-night.kdl", include_str!("../../themes/tokyo-night.kdl")),
];

pub(super) fn themes() -> &'static Themes {
    static THEMES: OnceLock<Themes> = OnceLock::new();
    THEMES.get_or_init(|| {
        let mut themes = Themes::default();
        for (file, text) in FILES {
            // The tests read every file; one that stopped parsing is left
            // out rather than taking the program down.
            match super::dir::parse_file(Path::new(file), text, ThemeSource::BuiltIn) {
                Ok(parsed) => themes.merge(parsed),
                Err(e) => debug_assert!(false, "built-in theme {file}: {e}"),
            }
        }
        themes
    })
}

/// Zellij's default stands in should `default.kdl` ever fail to parse, so
/// that there is always a theme to draw with.
pub(crate) fn default_theme() -> &'static Theme {
    static FALLBACK: Theme = super::convert::ZELLIJ_DEFAULT;
    themes().get("default").unwrap_or(&FALLBACK)
}

/// The text of the built-in file that holds theme `name`.
#[cfg(test)]
pub(crate) fn file(name: &str) -> Option<&'static str> {
    FILES.iter().find(|(file, _)| file.strip_suffix(".kdl") == Some(name)).map(|(_, text)| *text)
}

#[cfg(test)]
pub(crate) fn file_count() -> usize {
    FILES.len()
}
