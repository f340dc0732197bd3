//! The few lines a shell needs to mark its prompts and commands (OSC 133),
//! printed by `revenant setup --shell-integration SHELL` for the user's rc
//! file: with them, `revenant subscribe` reports every command with its
//! command line and exit status.

/// The script for `shell` (`bash`, `zsh` or `fish`).
pub fn script(shell: &str) -> Option<&'static str> {
    match shell {
        "bash" => Some(include_str!("bash.sh")),
        "zsh" => Some(include_str!("zsh.zsh")),
        "fish" => Some(include_str!("fish.fish")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_marks_all_four_points_and_only_inside_a_session() {
        for shell in ["bash", "zsh", "fish"] {
            let s = script(shell).unwrap();
            for mark in ["133;A", "133;B", "133;C;cmdline_url=", "133;D;"] {
                assert!(s.contains(mark) || (shell == "fish" && mark == "133;B"), "{shell} lacks {mark}");
            }
            assert!(s.contains("REVENANT_SESSION_NAME"), "{shell}");
        }
        assert!(script("tcsh").is_none());
    }
}
