//! The themes compiled into Revenant: `host/config/themes/*.kdl`, one
//! theme to a file named after it, each read on first use by the same
//! parser as the user's files.

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

/// The name of the one theme in each of [`FILES`]: its file's name.
fn name_of(file: &'static str) -> &'static str {
    file.strip_suffix(".kdl").unwrap_or(file)
}

/// Every built-in theme's name, in [`FILES`]' order.
pub(super) fn names() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|(file, _)| name_of(file))
}

/// Built-in theme `name`, its file read on first use: a session draws with
/// one theme, and reading all ten took most of a server's start.
pub(super) fn get(name: &str) -> Option<&'static Theme> {
    static PARSED: [OnceLock<Themes>; FILES.len()] = [const { OnceLock::new() }; FILES.len()];
    let i = FILES.iter().position(|(file, _)| name_of(file) == name)?;
    let themes = PARSED[i].get_or_init(|| {
        let (file, text) = FILES[i];
        // The tests read every file; one that stopped parsing is left out
        // rather than taking the program down.
        super::dir::parse_file(Path::new(file), text, ThemeSource::BuiltIn).unwrap_or_else(|e| {
            debug_assert!(false, "built-in theme {file}: {e}");
            Themes::default()
        })
    });
    themes.get(name)
}

/// Zellij's default stands in should `default.kdl` ever fail to parse, so
/// that there is always a theme to draw with.
pub(crate) fn default_theme() -> &'static Theme {
    static FALLBACK: Theme = super::convert::ZELLIJ_DEFAULT;
    get("default").unwrap_or(&FALLBACK)
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
