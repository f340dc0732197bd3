//! Top-level `name value` options, written Zellij's way (`pane_frames false`).

use std::path::{Path, PathBuf};

use kdl::KdlNode;

use crate::Config;
use crate::error::Fault;
use crate::values;

/// Every name accepted at the top level, aliases included.
pub(crate) const NAMES: &[&str] = &[
    "default_shell",
    "scrollback_editor",
    "default_layout",
    "layout_dir",
    "scroll_buffer_size",
    "mirror_session",
    "pane_frames",
    "session_serialization",
    "serialize_pane_viewport",
    "pane_viewport_serialization",
    "scrollback_lines_to_serialize",
    "serialization_interval",
    "snapshot_retention",
    "snapshot_disk_limit",
    "resurrect_on_boot",
    "redact_secrets",
    "lazy_restore",
    "serialize_env",
    "secret_rules",
    "disable_session_metadata",
    "copy_command",
    "copy_clipboard",
    "copy_on_select",
    "clipboard_read",
    "bell_notify",
    "copy_mode_keys",
    "mouse_mode",
    "ssh_command",
    "remote_revenant",
    "theme",
    "theme_dark",
    "theme_light",
    "theme_dir",
    "themes_dir",
    "themes",
    "hosts",
    "keybinds",
    "plugins",
];

/// Aliases map to one name so that setting both counts as a duplicate.
pub(crate) fn canonical(name: &str) -> Option<&'static str> {
    match name {
        "pane_viewport_serialization" => Some("serialize_pane_viewport"),
        // Zellij's name is `theme_dir`; `themes_dir` is what a reader of
        // `layout_dir` and `themes { }` would guess.
        "themes_dir" => Some("theme_dir"),
        _ => NAMES.iter().copied().find(|n| *n == name),
    }
}

/// Applies one scalar option. `name` is canonical; the messages quote the
/// spelling the user wrote.
pub(crate) fn apply(config: &mut Config, name: &str, node: &KdlNode) -> Result<(), Fault> {
    let written = values::name(node);
    let string = |example: &str| -> Result<String, Fault> {
        let entry = values::single(node, "a string", &format!("{written} {example}"))?;
        values::non_empty_string(entry, written).map(str::to_owned)
    };
    let boolean = || -> Result<bool, Fault> {
        let entry = values::single(node, "a boolean", &format!("{written} true"))?;
        values::boolean(entry, written)
    };
    let count = |example: &str| -> Result<usize, Fault> {
        let entry = values::single(node, "a non-negative integer", &format!("{written} {example}"))?;
        values::unsigned(entry, written)
    };
    match name {
        "default_shell" => config.default_shell = Some(string("\"fish\"")?),
        "scrollback_editor" => config.scrollback_editor = Some(string("\"/usr/bin/vim\"")?),
        "default_layout" => config.default_layout = Some(string("\"compact\"")?),
        "layout_dir" => config.layout_dir = Some(string("\"/path/to/layouts\"")?.into()),
        "scroll_buffer_size" => config.scroll_buffer_size = count("10000")?,
        "mirror_session" => config.mirror_session = boolean()?,
        "pane_frames" => config.pane_frames = boolean()?,
        "session_serialization" => config.session_serialization = boolean()?,
        "serialize_pane_viewport" => config.serialize_pane_viewport = boolean()?,
        "scrollback_lines_to_serialize" => config.scrollback_lines_to_serialize = count("1000")?,
        "serialization_interval" => {
            let entry = values::single(node, "a positive integer", &format!("{written} 60"))?;
            config.serialization_interval = values::positive(entry, written)?;
        }
        "disable_session_metadata" => config.disable_session_metadata = boolean()?,
        "redact_secrets" => config.redact_secrets = boolean()?,
        "lazy_restore" => config.lazy_restore = boolean()?,
        "serialize_env" => config.serialize_env = env_patterns(node, written)?,
        "resurrect_on_boot" => {
            let choices = [
                ("all", crate::ResurrectOnBoot::All),
                ("named", crate::ResurrectOnBoot::Named),
                ("none", crate::ResurrectOnBoot::None),
            ];
            config.resurrect_on_boot = values::choice(node, written, "choice", &choices)?;
        }
        "copy_command" => config.copy_command = Some(string("\"wl-copy\"")?),
        "copy_clipboard" => {
            let choices = [("system", crate::Clipboard::System), ("primary", crate::Clipboard::Primary)];
            config.copy_clipboard = values::choice(node, written, "clipboard", &choices)?;
        }
        "copy_on_select" => config.copy_on_select = boolean()?,
        "clipboard_read" => config.clipboard_read = boolean()?,
        "copy_mode_keys" => {
            let choices = [("vi", crate::CopyModeKeys::Vi), ("emacs", crate::CopyModeKeys::Emacs)];
            config.copy_mode_keys = values::choice(node, written, "key set", &choices)?;
        }
        "bell_notify" => {
            let choices = [
                ("visual", crate::BellNotify::Visual),
                ("terminal", crate::BellNotify::Terminal),
                ("none", crate::BellNotify::None),
            ];
            config.bell_notify = values::choice(node, written, "bell mode", &choices)?;
        }
        "mouse_mode" => config.mouse_mode = boolean()?,
        "ssh_command" => config.ssh_command = Some(string("\"ssh -F ~/.ssh/work_config\"")?),
        "remote_revenant" => config.remote_revenant = Some(string("\"~/.cargo/bin/revenant\"")?),
        "theme" => config.theme = string("\"dracula\"")?,
        "theme_dark" => config.theme_dark = Some(string("\"dracula\"")?),
        "theme_light" => config.theme_light = Some(string("\"solarized-light\"")?),
        "theme_dir" => {
            let home = std::env::var_os("HOME").map(PathBuf::from);
            config.theme_dir = Some(expand_home(&string("\"~/.config/revenant/themes\"")?, home.as_deref()));
        }
        other => unreachable!("`{other}` is not a scalar option"),
    }
    Ok(())
}

/// `serialize_env "VIRTUAL_ENV" "CONDA_*"`: names of variables, where `*`
/// stands for any run of characters and `?` for one.
fn env_patterns(node: &KdlNode, written: &str) -> Result<Vec<String>, Fault> {
    values::reject_properties(node, &[], written)?;
    values::reject_children(node, written)?;
    let mut patterns = Vec::new();
    for entry in values::arguments(node) {
        let pattern = values::non_empty_string(entry, written)?;
        if let Some(bad) = pattern.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '*' | '?'))) {
            return Err(Fault::new(
                crate::error::ErrorKind::InvalidValue,
                entry.span(),
                format!("`{written}` takes names of variables (letters, digits, `_`, with `*` and `?`): {bad:?} is none of these"),
                "not a variable name",
            )
            .help(format!("for example: {written} \"VIRTUAL_ENV\" \"CONDA_*\" \"NIX_*\"")));
        }
        patterns.push(pattern.to_owned());
    }
    Ok(patterns)
}

/// `~/` at the start is the home directory, as in a shell; without a known
/// home the path stays as written.
pub(crate) fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    match (path, path.strip_prefix("~/"), home) {
        ("~", _, Some(home)) => home.to_owned(),
        (_, Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}
