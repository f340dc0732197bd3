//! Input modes: which table of bindings a key is looked up in.

use std::fmt;
use std::str::FromStr;

use miette::SourceSpan;

use crate::error::{ErrorKind, Fault};
use revenant_kdl_file::suggest;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize)]
pub enum Mode {
    #[default]
    Normal,
    Pane,
    Tab,
    Resize,
    Session,
    Scroll,
    RenameTab,
    Locked,
    /// Typing the text to look for in the scrollback (Zellij's
    /// `entersearch`).
    EnterSearch,
    /// Moving between the matches of what was typed.
    Search,
    /// A keyboard cursor selects text (tmux's copy mode).
    Copy,
}

impl Mode {
    pub const ALL: [Mode; 11] = [
        Mode::Normal,
        Mode::Pane,
        Mode::Tab,
        Mode::Resize,
        Mode::Session,
        Mode::Scroll,
        Mode::RenameTab,
        Mode::Locked,
        Mode::EnterSearch,
        Mode::Search,
        Mode::Copy,
    ];

    pub(crate) const NAMES: [&'static str; 11] = [
        "normal",
        "pane",
        "tab",
        "resize",
        "session",
        "scroll",
        "renametab",
        "locked",
        "entersearch",
        "search",
        "copy",
    ];

    /// The name used in KDL (`SwitchToMode "pane"`, `pane { ... }`).
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// Zellij modes with no Revenant counterpart. Naming them in an error is
/// kinder than suggesting whichever Revenant mode is spelt nearest.
pub(crate) const ZELLIJ_ONLY: &[&str] = &["renamepane", "move", "prompt", "tmux"];

pub(crate) fn unknown(span: SourceSpan, name: &str) -> Fault {
    let fault = Fault::new(ErrorKind::UnknownMode, span, format!("unknown mode `{name}`"), "unknown mode");
    if ZELLIJ_ONLY.contains(&name.to_ascii_lowercase().as_str()) {
        fault.help(format!("Revenant has no `{name}` mode; its modes are: {}", Mode::NAMES.join(", ")))
    } else {
        fault.help(suggest::help(name, &Mode::NAMES, "modes"))
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Case-insensitive because Zellij configs write `"Normal"` as often as
/// `"normal"`.
impl FromStr for Mode {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Mode::ALL.into_iter().find(|m| m.name().eq_ignore_ascii_case(s)).ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_ignore_case() {
        for mode in Mode::ALL {
            assert_eq!(mode.name().parse::<Mode>(), Ok(mode));
        }
        assert_eq!("RenameTab".parse::<Mode>(), Ok(Mode::RenameTab));
        assert_eq!("Locked".parse::<Mode>(), Ok(Mode::Locked));
        assert_eq!("EnterSearch".parse::<Mode>(), Ok(Mode::EnterSearch));
        assert!("move".parse::<Mode>().is_err());
    }
}
