//! Revenant's default command-discovery plugin.
//!
//! When a session is saved, the host reads the foreground process of every
//! terminal pane and asks this plugin what to record for it. The default is
//! deliberately conservative: a saved command is run again when the session is
//! resurrected, so recording something that was never meant to be re-run is
//! worse than recording nothing. The rules, in order:
//!
//! 1. **Empty argv → drop.** There is nothing to run; the pane comes back as
//!    a plain shell.
//! 2. **A bare interactive shell → drop.** If argv\[0\]'s basename (with the
//!    leading `-` of a login shell such as `-bash` removed) is a known shell
//!    (`sh`, `bash`, `zsh`, `fish`, `dash`, `ksh`, `mksh`, `tcsh`, `csh`, `nu`,
//!    `elvish`, `xonsh`, `ion`, `pwsh`) and every further argument is an
//!    interactive or login flag (`-i`, `-l`, `--login`, `--interactive`, or a
//!    cluster of them such as `-il`), the pane is just sitting at a prompt
//!    (often a nested one). Recording it would stack a second shell on top of
//!    the pane's own shell on resurrection. A shell that runs something
//!    (`bash script.sh`, `sh -c '…'`) is kept: that is real work.
//! 3. **The pane's own shell, without arguments → drop.** Covers shells not
//!    in the list above (e.g. a custom `$SHELL`), compared by basename.
//! 4. **Everything else → keep**, exactly as discovered.
//!
//! The default never rewrites a command. Rewriting (say, turning
//! `/usr/bin/python3 -m http.server` into something portable, or replacing
//! an editor's argv with a command that restores its session) depends on the
//! user's tools and taste, so it belongs in user plugins, which can be
//! configured in place of this one.

use revenant_plugin_api::CommandDiscovery;
use revenant_plugin_api::types::{DiscoveredCommand, DiscoveryDecision};

/// Shells whose bare, interactive invocation means "a prompt", not "a job".
const KNOWN_SHELLS: &[&str] =
    &["sh", "bash", "zsh", "fish", "dash", "ksh", "mksh", "tcsh", "csh", "nu", "elvish", "xonsh", "ion", "pwsh"];

/// The default rules described in the crate documentation.
pub struct DefaultDiscovery;

impl CommandDiscovery for DefaultDiscovery {
    fn discover(command: DiscoveredCommand) -> DiscoveryDecision {
        decide(&command.argv, command.shell.as_deref())
    }
}

revenant_plugin_api::export_command_discovery!(DefaultDiscovery);

/// The decision on plain data, so it can be tested without building records.
#[must_use]
pub fn decide(argv: &[String], pane_shell: Option<&str>) -> DiscoveryDecision {
    let Some((program, rest)) = argv.split_first() else {
        return DiscoveryDecision::Drop;
    };
    let name = program_name(program);
    if KNOWN_SHELLS.contains(&name) && rest.iter().all(|arg| is_interactive_flag(arg)) {
        return DiscoveryDecision::Drop;
    }
    if rest.is_empty() && pane_shell.is_some_and(|shell| program_name(shell) == name) {
        return DiscoveryDecision::Drop;
    }
    DiscoveryDecision::Keep
}

/// The name a program is known by: the basename, without the `-` that
/// `login` and terminal emulators prepend to a login shell's argv\[0\].
fn program_name(program: &str) -> &str {
    let base = program.rsplit('/').next().unwrap_or(program);
    base.strip_prefix('-').unwrap_or(base)
}

/// Flags that only make a shell interactive or a login shell, without giving
/// it anything to run. Short flags may be clustered (`-il`, `-li`).
fn is_interactive_flag(arg: &str) -> bool {
    match arg {
        "--login" | "--interactive" => true,
        _ => arg
            .strip_prefix('-')
            .is_some_and(|cluster| !cluster.is_empty() && cluster.chars().all(|c| c == 'i' || c == 'l')),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| (*s).to_owned()).collect()
    }

    fn is_drop(args: &[&str], shell: Option<&str>) -> bool {
        matches!(decide(&argv(args), shell), DiscoveryDecision::Drop)
    }

    fn is_keep(args: &[&str], shell: Option<&str>) -> bool {
        matches!(decide(&argv(args), shell), DiscoveryDecision::Keep)
    }

    #[test]
    fn empty_argv_is_dropped() {
        assert!(is_drop(&[], None));
        assert!(is_drop(&[], Some("/bin/bash")));
    }

    #[test]
    fn bare_known_shells_are_dropped() {
        for shell in KNOWN_SHELLS {
            assert!(is_drop(&[shell], None), "{shell}");
        }
    }

    #[test]
    fn login_shell_dash_prefix_is_stripped() {
        assert!(is_drop(&["-zsh"], None));
        assert!(is_drop(&["-bash"], Some("/bin/zsh")));
    }

    #[test]
    fn absolute_shell_paths_are_recognised() {
        assert!(is_drop(&["/usr/bin/fish"], None));
        assert!(is_drop(&["/usr/local/bin/nu"], None));
    }

    #[test]
    fn interactive_and_login_flags_are_still_a_bare_shell() {
        assert!(is_drop(&["bash", "-l"], None));
        assert!(is_drop(&["bash", "-i"], None));
        assert!(is_drop(&["zsh", "--login"], None));
        assert!(is_drop(&["bash", "--interactive", "-l"], None));
        assert!(is_drop(&["bash", "-il"], None));
        assert!(is_drop(&["/bin/sh", "-li"], None));
    }

    #[test]
    fn shells_running_something_are_kept() {
        assert!(is_keep(&["bash", "-c", "x"], None));
        assert!(is_keep(&["sh", "-c", "make && make test"], None));
        assert!(is_keep(&["bash", "script.sh"], None));
        assert!(is_keep(&["bash", "-l", "script.sh"], None));
        assert!(is_keep(&["zsh", "-ic", "echo"], None));
        assert!(is_keep(&["bash", "-"], None));
    }

    #[test]
    fn interactive_non_shells_are_kept() {
        assert!(is_keep(&["python3", "-i"], None));
        assert!(is_keep(&["python3"], None));
        assert!(is_keep(&["vim", "notes.md"], Some("/bin/bash")));
        assert!(is_keep(&["bashtop"], None));
    }

    #[test]
    fn the_panes_own_shell_without_args_is_dropped() {
        assert!(is_drop(&["myshell"], Some("/opt/bin/myshell")));
        assert!(is_drop(&["/opt/bin/myshell"], Some("-myshell")));
    }

    #[test]
    fn the_panes_own_shell_with_args_is_kept() {
        assert!(is_keep(&["myshell", "-l"], Some("/opt/bin/myshell")));
        assert!(is_keep(&["myshell", "run.ms"], Some("myshell")));
    }

    #[test]
    fn a_different_unknown_program_is_kept_whatever_the_shell() {
        assert!(is_keep(&["htop"], Some("/bin/bash")));
        assert!(is_keep(&["htop"], None));
    }

    #[test]
    fn discover_reads_argv_and_shell_from_the_record() {
        let command = DiscoveredCommand {
            argv: argv(&["/usr/bin/-zsh"]),
            original_argv: argv(&["/usr/bin/-zsh"]),
            cwd: Some("/tmp".into()),
            pid: 42,
            pane_id: 1,
            shell: None,
            env: Vec::new(),
        };
        assert!(matches!(DefaultDiscovery::discover(command), DiscoveryDecision::Drop));
        let command = DiscoveredCommand {
            argv: argv(&["cargo", "watch"]),
            original_argv: argv(&["cargo", "watch"]),
            cwd: None,
            pid: 43,
            pane_id: 2,
            shell: Some("/bin/zsh".into()),
            env: Vec::new(),
        };
        assert!(matches!(DefaultDiscovery::discover(command), DiscoveryDecision::Keep));
    }
}
