//! What the user's terminal can draw, told by the client to the server in
//! its hello (only the client sees the terminal's environment). Decided the
//! way tmux does: terminfo first (`colors`, `Tc`/`RGB`, `Smulx`/`Setulc`),
//! then what terminals say about themselves in the environment;
//! `REVENANT_TERMINAL_FEATURES` (like tmux's `terminal-features`) overrides.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Features {
    /// 256 colours (else 16: indexed colours above 15 are mapped down).
    pub colors_256: bool,
    /// 24-bit colour (else mapped to the nearest of the 256).
    pub truecolor: bool,
    /// Underline styles (`4:3`…) and underline colours (`58:…`); else a
    /// plain underline.
    pub styled_underlines: bool,
    /// OSC 8 hyperlinks; else the text alone.
    pub hyperlinks: bool,
}

impl Features {
    /// Everything: what the tests' outer terminal (tmux) is told to accept.
    pub const ALL: Features = Features { colors_256: true, truecolor: true, styled_underlines: true, hyperlinks: true };
    /// What any ANSI terminal (the Linux console) draws.
    pub const BASIC: Features =
        Features { colors_256: false, truecolor: false, styled_underlines: false, hyperlinks: false };

    /// The features of the terminal this process runs in.
    pub fn detect() -> Features {
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        if let Ok(list) = std::env::var("REVENANT_TERMINAL_FEATURES") {
            return Features::from_list(&list);
        }
        let term = var("TERM");
        let entry = crate::frames::terminfo::load(&term);
        Features::decide(&Facts {
            term: &term,
            colorterm: &var("COLORTERM"),
            term_program: &var("TERM_PROGRAM"),
            vte_version: var("VTE_VERSION").parse().unwrap_or(0),
            konsole: !var("KONSOLE_VERSION").is_empty(),
            windows_terminal: !var("WT_SESSION").is_empty(),
            colors: entry.as_ref().and_then(|e| e.colors),
            has: &|cap| entry.as_ref().is_some_and(|e| e.has(cap)),
        })
    }

    /// `truecolor,usstyle,hyperlinks` (tmux's names; `RGB` and `256` too).
    pub fn from_list(list: &str) -> Features {
        let mut f = Features::BASIC;
        for name in list.split(',').map(str::trim) {
            match name {
                "256" => f.colors_256 = true,
                "RGB" | "truecolor" => (f.truecolor, f.colors_256) = (true, true),
                "usstyle" => f.styled_underlines = true,
                "hyperlinks" => f.hyperlinks = true,
                _ => {}
            }
        }
        f
    }

    fn decide(facts: &Facts) -> Features {
        let term = facts.term;
        if term.is_empty() || term == "dumb" {
            return Features::BASIC;
        }
        let known = |names: &[&str]| names.iter().any(|n| term.contains(n));
        let modern = known(&["kitty", "wezterm", "foot", "ghostty", "alacritty", "contour"])
            || matches!(facts.term_program, "iTerm.app" | "WezTerm" | "vscode" | "ghostty")
            || facts.vte_version >= 5102
            || facts.konsole
            || facts.windows_terminal;
        let truecolor = matches!(facts.colorterm, "truecolor" | "24bit") || (facts.has)("Tc") || (facts.has)("RGB");
        let colors_256 = truecolor || facts.colors.map_or(term.contains("256color"), |c| c >= 256);
        Features {
            colors_256,
            truecolor,
            styled_underlines: (facts.has)("Smulx") || (facts.has)("Setulc") || modern,
            hyperlinks: modern && term != "linux",
        }
    }
}

/// What `decide` reads, gathered apart so it is testable.
struct Facts<'a> {
    term: &'a str,
    colorterm: &'a str,
    term_program: &'a str,
    vte_version: u32,
    konsole: bool,
    windows_terminal: bool,
    colors: Option<i32>,
    has: &'a dyn Fn(&str) -> bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(term: &'a str, colorterm: &'a str, colors: Option<i32>, has: &'a dyn Fn(&str) -> bool) -> Facts<'a> {
        Facts {
            term,
            colorterm,
            term_program: "",
            vte_version: 0,
            konsole: false,
            windows_terminal: false,
            colors,
            has,
        }
    }

    #[test]
    fn the_linux_console_gets_sixteen_colours() {
        let none = |_: &str| false;
        let f = Features::decide(&facts("linux", "", Some(8), &none));
        assert_eq!(f, Features::BASIC);
    }

    #[test]
    fn terminfo_and_colorterm_decide() {
        let none = |_: &str| false;
        let f = Features::decide(&facts("xterm-256color", "truecolor", Some(256), &none));
        assert!(f.truecolor && f.colors_256 && !f.styled_underlines && !f.hyperlinks, "{f:?}");
        let smulx = |c: &str| c == "Smulx";
        let f = Features::decide(&facts("tmux-256color", "", Some(256), &smulx));
        assert!(!f.truecolor && f.colors_256 && f.styled_underlines, "{f:?}");
        let f = Features::decide(&facts("xterm-kitty", "truecolor", Some(256), &none));
        assert_eq!(f, Features::ALL);
    }

    #[test]
    fn the_override_is_a_list() {
        assert_eq!(Features::from_list("truecolor,usstyle,hyperlinks"), Features::ALL);
        assert_eq!(Features::from_list(""), Features::BASIC);
        assert!(Features::from_list("256").colors_256);
    }
}
