//! Revenant's `config.kdl`.
//!
//! The format is Zellij's where the two overlap (option names, `keybinds`,
//! `plugins`), read as KDL v2 or v1, so a trimmed Zellij config is a valid
//! Revenant config. Anything not understood is an error with a file, line and
//! column rather than being ignored: a silently dropped option is worse than
//! a refusal to start.

mod actions;
mod error;
mod hints;
mod hosts;
mod keybinds;
mod keys;
mod mode;
mod options;
mod plugins;
mod retention;
mod secrets;
pub mod themes;
mod values;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use miette::SourceSpan;

pub use actions::{Action, Dir4, Direction, ResizeKind, SearchDirection, SearchOption};
pub use error::{ConfigError, ErrorKind};
pub use hosts::HostEntry;
pub use keybinds::Keybinds;
pub use keys::{KeyName, KeyParseError, KeySpec};
pub use mode::Mode;
pub use plugins::{PluginEntry, Plugins};
pub use retention::{Retention, parse_size};
pub use themes::{ColourScheme, Theme, ThemeColour, Themes, dump_theme};

use error::Fault;
use revenant_kdl_file::suggest;

/// What a bell (BEL) from a program in a pane nobody has focused does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BellNotify {
    /// Its frame and its tab are marked until it is focused.
    Visual,
    /// Marked, and the bell is passed to the clients' terminals too.
    Terminal,
    /// Nothing.
    None,
}

/// Which keys move copy mode's cursor: tmux's two key sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CopyModeKeys {
    #[default]
    Vi,
    Emacs,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `None`: the user's login shell.
    pub default_shell: Option<String>,
    /// The editor for `edit=` panes when `$EDITOR` is not set (Zellij's
    /// name: it also opens scrollback); `None`: `vi`.
    pub scrollback_editor: Option<String>,
    /// A layout name or path; `None`: the built-in default layout.
    pub default_layout: Option<String>,
    pub layout_dir: Option<PathBuf>,
    /// Lines of scrollback kept per pane.
    pub scroll_buffer_size: usize,
    /// Whether clients attached to one session share one view.
    pub mirror_session: bool,
    pub pane_frames: bool,
    /// Whether sessions are saved so they can be resurrected.
    pub session_serialization: bool,
    /// Whether saved sessions include what panes showed.
    pub serialize_pane_viewport: bool,
    /// With `serialize_pane_viewport`, how much scrollback to save; 0 = all.
    pub scrollback_lines_to_serialize: usize,
    /// Seconds between saves; at least 1.
    pub serialization_interval: u64,
    /// Which old snapshots are kept, and the disk they may take.
    pub retention: Retention,
    /// Whether saved screens pass through the secret rules (on).
    pub redact_secrets: bool,
    /// Rules (name, regex) added to the built-in ones.
    pub secret_rules: Vec<(String, String)>,
    /// Which exited sessions `revenant resurrect --boot` (the login unit
    /// of `setup --systemd`) brings back.
    pub resurrect_on_boot: ResurrectOnBoot,
    /// A resurrected session starts the panes of a tab (and replays their
    /// saved screens) when the tab is first shown or an action targets
    /// them, not all at once (on).
    pub lazy_restore: bool,
    /// Variables saved with each pane's command, as name patterns
    /// (`VIRTUAL_ENV`, `CONDA_*`); empty: none (the default).
    pub serialize_env: Vec<String>,
    pub disable_session_metadata: bool,
    /// A command that receives copied text on its stdin (`wl-copy`); the
    /// terminal's clipboard (OSC 52) gets it either way.
    pub copy_command: Option<String>,
    /// Which clipboard OSC 52 writes to.
    pub copy_clipboard: Clipboard,
    /// Whether releasing the mouse after a selection copies it.
    pub copy_on_select: bool,
    /// Whether a program's OSC 52 read is answered (with the session's
    /// last copy); off, as in Zellij 0.45: any program could read it.
    pub clipboard_read: bool,
    /// What a program's bell does in a pane nobody has focused.
    pub bell_notify: BellNotify,
    pub copy_mode_keys: CopyModeKeys,
    /// Whether the mouse selects, focuses and scrolls (false: the outer
    /// terminal keeps the mouse).
    pub mouse_mode: bool,
    /// The ssh client command line for `ssh://` sessions (as git's
    /// `core.sshCommand`); `None`: `ssh`. `REVENANT_SSH_COMMAND` wins.
    pub ssh_command: Option<String>,
    /// The `revenant` to run on other hosts; `None`: the one on the remote
    /// PATH.
    pub remote_revenant: Option<String>,
    /// Other machines whose sessions `ls --all` and the manager list.
    pub hosts: Vec<HostEntry>,
    /// The theme the UI is drawn in, a name in `themes`.
    pub theme: String,
    /// With `theme_light`: the theme used while the outer terminal says
    /// its colours are dark. Zellij ignores one without the other, and so
    /// does [`Config::theme_name_for`].
    pub theme_dark: Option<String>,
    /// With `theme_dark`: the theme for a light terminal.
    pub theme_light: Option<String>,
    /// Where theme files are read from (`~/` expanded); `None`: `themes`
    /// beside config.kdl. Zellij's name; `themes_dir` is accepted too.
    pub theme_dir: Option<PathBuf>,
    /// Every theme by name: the built-in ones, then `theme_dir`'s (read by
    /// [`Config::load`], not by [`Config::parse`]), then config.kdl's, each
    /// replacing the one before it of the same name.
    pub themes: Themes,
    pub keybinds: Keybinds,
    pub plugins: Plugins,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            default_shell: None,
            scrollback_editor: None,
            default_layout: None,
            layout_dir: None,
            scroll_buffer_size: 10_000,
            mirror_session: false,
            pane_frames: true,
            session_serialization: true,
            serialize_pane_viewport: false,
            scrollback_lines_to_serialize: 0,
            serialization_interval: 60,
            retention: Retention::default(),
            resurrect_on_boot: ResurrectOnBoot::Named,
            redact_secrets: true,
            lazy_restore: true,
            serialize_env: Vec::new(),
            secret_rules: Vec::new(),
            disable_session_metadata: false,
            copy_command: None,
            copy_clipboard: Clipboard::System,
            copy_on_select: true,
            clipboard_read: false,
            bell_notify: BellNotify::Visual,
            copy_mode_keys: CopyModeKeys::Vi,
            mouse_mode: true,
            ssh_command: None,
            remote_revenant: None,
            hosts: Vec::new(),
            theme: "default".to_owned(),
            theme_dark: None,
            theme_light: None,
            theme_dir: None,
            themes: Themes::builtin(),
            keybinds: Keybinds::default(),
            plugins: Plugins::default(),
        }
    }
}

/// `resurrect_on_boot`: every exited session, the ones a user named (not
/// the generated `adjective-noun` names of throwaway sessions), or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResurrectOnBoot {
    All,
    Named,
    None,
}

/// Zellij's `copy_clipboard`: the clipboard (`system`) or the primary
/// selection (`primary`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clipboard {
    #[default]
    System,
    Primary,
}

const DEFAULT_TEXT: &str = include_str!("default.kdl");

/// A loaded config with what was wrong in the theme files it read: each
/// such file is left out, and the rest of the config stands.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    /// One error per theme file (or theme directory) that could not be
    /// used, with its path and, for a mistake in it, line and column.
    pub theme_faults: Vec<ConfigError>,
}

impl Config {
    /// Parses config text. `path` only names the file in errors. No other
    /// file is read: theme names are checked against the built-in themes
    /// and the text's own `themes` block ([`Config::load`] adds
    /// `theme_dir`'s).
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let doc = revenant_kdl_file::parse_document(path, text)?;
        let located = |fault| ConfigError::located(path, text, fault);
        let parsed = from_document(&doc).map_err(located)?;
        parsed.finish(Themes::default(), false).map_err(located)
    }

    /// Reads and parses `path`, and the theme files of `theme_dir` (by
    /// default `themes` beside `path`). A missing config file is not an
    /// error: running without a config means running with the defaults.
    /// Theme files that cannot be used are left out; see
    /// [`Config::load_reporting`] for what was wrong with them.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Config::load_reporting(path).map(|loaded| loaded.config)
    }

    /// [`Config::load`], with the faults of the theme files it left out.
    pub fn load_reporting(path: &Path) -> Result<Loaded, ConfigError> {
        let text = match revenant_kdl_file::read_text_bounded(path, revenant_kdl_file::MAX_TEXT_FILE) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(ConfigError::io(path, e)),
        };
        let doc = revenant_kdl_file::parse_document(path, &text)?;
        let located = |fault| ConfigError::located(path, &text, fault);
        let parsed = from_document(&doc).map_err(located)?;
        let dir = parsed.config.theme_dir_beside(path);
        let (dir_themes, theme_faults) = themes::read_dir(&dir, parsed.config.theme_dir.is_some());
        let config = parsed.finish(dir_themes, !theme_faults.is_empty()).map_err(located)?;
        Ok(Loaded { config, theme_faults })
    }

    /// The documented default config, every option commented, for
    /// `config.kdl` scaffolding. Parsing it gives [`Config::default`].
    pub fn default_text() -> &'static str {
        default_text()
    }

    /// Where the theme files of the config at `config_path` are: `theme_dir`,
    /// or `themes` beside the config file (Zellij's default).
    pub fn theme_dir_beside(&self, config_path: &Path) -> PathBuf {
        match &self.theme_dir {
            Some(dir) => dir.clone(),
            None => config_path.parent().unwrap_or(Path::new("")).join("themes"),
        }
    }

    /// The name of the theme to draw with when the outer terminal reports
    /// `scheme` (`None`: it said nothing). As in Zellij, `theme_dark` and
    /// `theme_light` are used only when both are set; otherwise `theme`.
    pub fn theme_name_for(&self, scheme: Option<ColourScheme>) -> &str {
        match (scheme, &self.theme_dark, &self.theme_light) {
            (Some(ColourScheme::Dark), Some(dark), Some(_)) => dark,
            (Some(ColourScheme::Light), Some(_), Some(light)) => light,
            _ => &self.theme,
        }
    }

    /// The theme to draw with when the outer terminal reports `scheme`.
    /// Parsing has checked the names; one set by hand to a theme there is
    /// not gives the built-in `default`.
    pub fn theme_for(&self, scheme: Option<ColourScheme>) -> &Theme {
        self.themes.get(self.theme_name_for(scheme)).unwrap_or_else(|| themes::default_theme())
    }

    /// A theme known to this config as a Zellij-compatible
    /// `themes { NAME { ... } }` block.
    pub fn dump_theme(&self, name: &str) -> Option<String> {
        self.themes.dump(name)
    }
}

pub(crate) fn default_text() -> &'static str {
    DEFAULT_TEXT
}

/// A config as its own text gives it, before the theme files are added.
struct Parsed {
    config: Config,
    /// The themes of config.kdl's own `themes` block, which win over every
    /// other source.
    own_themes: Themes,
    /// The options naming a theme, with where their value is, to check
    /// once every theme is known.
    theme_names: Vec<(&'static str, SourceSpan)>,
}

impl Parsed {
    /// `lenient`: a theme file was left out (its fault is reported), so a
    /// theme not found may be one of its: the default stands in for it
    /// rather than the whole config being refused.
    fn finish(self, dir_themes: Themes, lenient: bool) -> Result<Config, Fault> {
        let Parsed { mut config, own_themes, theme_names } = self;
        let mut known = Themes::builtin();
        known.merge(dir_themes);
        known.merge(own_themes);
        config.themes = known;
        for (option, span) in theme_names {
            let name = match option {
                "theme" => Some(&config.theme),
                "theme_dark" => config.theme_dark.as_ref(),
                _ => config.theme_light.as_ref(),
            };
            let Some(name) = name else { continue };
            if config.themes.get(name).is_none() && lenient {
                match option {
                    "theme" => config.theme = Config::default().theme,
                    "theme_dark" => config.theme_dark = None,
                    _ => config.theme_light = None,
                }
                continue;
            }
            if config.themes.get(name).is_none() {
                let names: Vec<&str> = config.themes.names().collect();
                return Err(Fault::new(
                    ErrorKind::UnknownTheme,
                    span,
                    format!("`{option}`: there is no theme `{name}`"),
                    "unknown theme",
                )
                .help(suggest::help(name, &names, "the themes")));
            }
        }
        Ok(config)
    }
}

fn from_document(doc: &kdl::KdlDocument) -> Result<Parsed, Fault> {
    let mut config = Config::default();
    let mut own_themes = Themes::default();
    let mut theme_names = Vec::new();
    let mut seen: Vec<(&'static str, SourceSpan)> = Vec::new();
    for node in doc.nodes() {
        let written = values::name(node);
        let Some(name) = options::canonical(written) else {
            return Err(Fault::new(
                ErrorKind::UnknownOption,
                values::name_span(node),
                format!("unknown option `{written}`"),
                "unknown option",
            )
            .help(suggest::help(written, options::NAMES, "the options")));
        };
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
            return Err(Fault::new(
                ErrorKind::Duplicate,
                values::name_span(node),
                format!("`{written}` is set twice"),
                "set again here",
            )
            .also(*first, "first set here")
            .help("remove one of them"));
        }
        seen.push((name, values::name_span(node)));
        match name {
            "keybinds" => config.keybinds = keybinds::parse(node, &Keybinds::default())?,
            "plugins" => config.plugins = plugins::parse(node)?,
            "hosts" => config.hosts = hosts::parse(node)?,
            "snapshot_retention" => retention::parse_block(node, &mut config.retention)?,
            "secret_rules" => config.secret_rules = secrets::parse(node)?,
            "snapshot_disk_limit" => retention::parse_limit(node, &mut config.retention)?,
            "themes" => {
                for (theme_name, theme) in themes::parse_block(node)? {
                    own_themes.insert(theme_name, theme, themes::ThemeSource::Config);
                }
            }
            _ => options::apply(&mut config, name, node)?,
        }
        if matches!(name, "theme" | "theme_dark" | "theme_light") {
            // `apply` has checked that there is exactly one value.
            let value = values::arguments(node).first().map_or(values::name_span(node), |e| e.span());
            theme_names.push((name, value));
        }
    }
    Ok(Parsed { config, own_themes, theme_names })
}
