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
            keybinds: Keybinds::default(),
            plugins: Plugins::default(),
        }
    }
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

impl Config {
    /// Parses config text. `path` only names the file in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let doc = revenant_kdl_file::parse_document(path, text)?;
        from_document(&doc).map_err(|fault| ConfigError::located(path, text, fault))
    }

    /// Reads and parses `path`. A missing file is not an error: running
    /// without a config means running with the defaults.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        match revenant_kdl_file::read_text_bounded(path, revenant_kdl_file::MAX_TEXT_FILE) {
            Ok(text) => Config::parse(path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(ConfigError::io(path, e)),
        }
    }

    /// The documented default config, every option commented, for
    /// `config.kdl` scaffolding. Parsing it gives [`Config::default`].
    pub fn default_text() -> &'static str {
        default_text()
    }
}

pub(crate) fn default_text() -> &'static str {
    DEFAULT_TEXT
}

fn from_document(doc: &kdl::KdlDocument) -> Result<Config, Fault> {
    let mut config = Config::default();
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
            _ => options::apply(&mut config, name, node)?,
        }
    }
    Ok(config)
}
