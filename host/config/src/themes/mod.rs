//! Themes, as Zellij 0.45 writes them: `themes { NAME { ... } }`, in either
//! of Zellij's two forms.
//!
//! The *palette* form names eleven colours (`fg`, `bg`, `black`, `red`, ...)
//! and is turned into the other on reading, the way Zellij does
//! ([`Theme::from_palette`]); the *component* form gives six colours to each
//! part of the UI (`text_unselected { base ...; background ...; emphasis_0
//! ...; }`). Everything past the parser sees only the component form,
//! [`Theme`].
//!
//! Themes come from three places, later ones replacing earlier ones of the
//! same name: the built-in files (`host/config/themes/`), every `*.kdl` file
//! in `theme_dir`, and the `themes` block of `config.kdl`.

mod builtin;
mod convert;
mod dir;
mod dump;
mod parse;
mod ui;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use ui::{Pair, UiColours};

pub(crate) use builtin::default_theme;
#[cfg(test)]
pub(crate) use builtin::{file as builtin_file, file_count as builtin_file_count};
pub(crate) use dir::read_dir;
pub(crate) use parse::parse_block;

use crate::ConfigError;

/// One colour of a theme, as Zellij's `PaletteColor`: an RGB colour or an
/// index into the terminal's 256-colour palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThemeColour {
    Rgb(u8, u8, u8),
    Indexed(u8),
}

/// Zellij's default for a colour a theme leaves out (a component's
/// `background`, the colours the palette form has no name for).
impl Default for ThemeColour {
    fn default() -> Self {
        ThemeColour::Indexed(0)
    }
}

/// What the outer terminal says its colours are (a reply to `CSI ? 996 n`,
/// or its unsolicited report after `CSI ? 2031 h`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColourScheme {
    Dark,
    Light,
}

/// The colours of one part of the UI; Zellij calls it a `StyleDeclaration`.
/// `base` is its text, `background` what is behind it, and the emphases are
/// for text that stands out (Zellij's defaults make them orange, cyan,
/// green and magenta, in that order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct StyleDeclaration {
    pub base: ThemeColour,
    pub background: ThemeColour,
    pub emphasis_0: ThemeColour,
    pub emphasis_1: ThemeColour,
    pub emphasis_2: ThemeColour,
    pub emphasis_3: ThemeColour,
}

/// A theme in Zellij 0.45's component form, which is also how the palette
/// form is held once read. The fields are Zellij's names; [`Theme::ui`] says
/// which of them Revenant draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Theme {
    pub text_unselected: StyleDeclaration,
    pub text_selected: StyleDeclaration,
    pub ribbon_selected: StyleDeclaration,
    pub ribbon_unselected: StyleDeclaration,
    pub table_title: StyleDeclaration,
    pub table_cell_selected: StyleDeclaration,
    pub table_cell_unselected: StyleDeclaration,
    pub list_selected: StyleDeclaration,
    pub list_unselected: StyleDeclaration,
    pub frame_selected: StyleDeclaration,
    /// `None`, as in most of Zellij's themes: unfocused frames are drawn in
    /// the terminal's own foreground colour.
    pub frame_unselected: Option<StyleDeclaration>,
    pub frame_highlight: StyleDeclaration,
    pub exit_code_success: StyleDeclaration,
    pub exit_code_error: StyleDeclaration,
    /// `player_1` to `player_10`: the colours of other clients' cursors and
    /// focus marks.
    pub multiplayer_user_colors: [ThemeColour; 10],
}

/// Revenant's built-in `default` theme: what leaving `theme` unset draws.
impl Default for Theme {
    fn default() -> Self {
        *builtin::default_theme()
    }
}

/// A theme in Zellij's older palette form, before it is converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Palette {
    pub fg: ThemeColour,
    pub bg: ThemeColour,
    pub black: ThemeColour,
    pub red: ThemeColour,
    pub green: ThemeColour,
    pub yellow: ThemeColour,
    pub blue: ThemeColour,
    pub magenta: ThemeColour,
    pub cyan: ThemeColour,
    pub white: ThemeColour,
    pub orange: ThemeColour,
}

impl Theme {
    /// Zellij 0.45's own default (`DEFAULT_STYLES`): what a component-form
    /// theme gets for the components it leaves out.
    pub fn zellij_default() -> Theme {
        convert::ZELLIJ_DEFAULT
    }

    /// The component form of a palette-form theme, colour for colour as
    /// Zellij 0.45 makes it.
    pub fn from_palette(palette: &Palette) -> Theme {
        convert::from_palette(palette)
    }
}

/// Where a theme was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThemeSource {
    /// Compiled into Revenant.
    BuiltIn,
    /// A file in `theme_dir`.
    File(PathBuf),
    /// The `themes` block of `config.kdl`.
    Config,
}

/// Themes by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Themes {
    by_name: BTreeMap<String, (Theme, ThemeSource)>,
    /// Whether the built-in themes stand behind `by_name` (each read when
    /// it is first asked for).
    builtin: bool,
}

impl Themes {
    /// The themes compiled into Revenant.
    pub fn builtin() -> Themes {
        Themes { by_name: BTreeMap::new(), builtin: true }
    }

    /// The themes of one theme file's text (a `themes { ... }` block), as
    /// `theme_dir`'s files are read. `path` names the file in errors.
    pub fn parse_file(path: &Path, text: &str) -> Result<Themes, ConfigError> {
        dir::parse_file(path, text, ThemeSource::File(path.to_owned()))
    }

    pub fn get(&self, name: &str) -> Option<&Theme> {
        match self.by_name.get(name) {
            Some((theme, _)) => Some(theme),
            None if self.builtin => builtin::get(name),
            None => None,
        }
    }

    pub fn source(&self, name: &str) -> Option<&ThemeSource> {
        static BUILT_IN: ThemeSource = ThemeSource::BuiltIn;
        match self.by_name.get(name) {
            Some((_, source)) => Some(source),
            None if self.builtin && builtin::get(name).is_some() => Some(&BUILT_IN),
            None => None,
        }
    }

    /// Every name, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        let mut names: Vec<&str> = self.by_name.keys().map(String::as_str).collect();
        if self.builtin {
            for name in builtin::names() {
                names.push(name);
            }
            names.sort_unstable();
            names.dedup();
        }
        names.into_iter()
    }

    pub fn len(&self) -> usize {
        self.names().count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds a theme, replacing one of the same name.
    pub fn insert(&mut self, name: impl Into<String>, theme: Theme, source: ThemeSource) {
        self.by_name.insert(name.into(), (theme, source));
    }

    /// Adds `other`'s themes; where both have a name, `other`'s wins.
    pub fn merge(&mut self, other: Themes) {
        self.by_name.extend(other.by_name);
        self.builtin |= other.builtin;
    }

    /// One theme as a `themes { NAME { ... } }` block in the component form,
    /// as Zellij writes it (and reads it back): for a file in `theme_dir`,
    /// or Zellij's.
    pub fn dump(&self, name: &str) -> Option<String> {
        self.get(name).map(|theme| dump::themes_block(name, theme))
    }
}

/// A built-in theme as a Zellij-compatible `themes { NAME { ... } }` block,
/// for `revenant setup --dump-theme NAME`; `None` for a name that is not
/// built in. ([`Themes::dump`] does the same for the user's themes.)
pub fn dump_theme(name: &str) -> Option<String> {
    builtin::get(name).map(|theme| dump::themes_block(name, theme))
}

/// The names of the built-in themes, sorted.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    let mut names: Vec<&'static str> = builtin::names().collect();
    names.sort_unstable();
    names.into_iter()
}
