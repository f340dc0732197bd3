//! A Revenant command-discovery plugin: decides what to save for the command
//! found running in each pane.

use revenant_plugin_api::types::{DiscoveredCommand, DiscoveryDecision, RewrittenCommand};
use revenant_plugin_api::{CommandDiscovery, export_command_discovery};

pub struct Plugin;

impl CommandDiscovery for Plugin {
    fn discover(command: DiscoveredCommand) -> DiscoveryDecision {
        // Example rule: save `nix develop -c CMD` as plain `CMD`.
        match command.argv.as_slice() {
            [nix, develop, dash_c, rest @ ..] if nix == "nix" && develop == "develop" && dash_c == "-c" && !rest.is_empty() => {
                DiscoveryDecision::Rewrite(RewrittenCommand { argv: rest.to_vec(), cwd: None, env: None })
            }
            _ => DiscoveryDecision::Keep,
        }
    }
}

export_command_discovery!(Plugin);

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(argv: &[&str]) -> DiscoveredCommand {
        let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
        DiscoveredCommand {
            original_argv: argv.clone(),
            argv,
            cwd: None,
            pid: 1,
            pane_id: 0,
            shell: None,
            env: Vec::new(),
        }
    }

    #[test]
    fn strips_the_wrapper() {
        match Plugin::discover(cmd(&["nix", "develop", "-c", "cargo", "test"])) {
            DiscoveryDecision::Rewrite(r) => assert_eq!(r.argv, ["cargo", "test"]),
            other => panic!("expected a rewrite, got {other:?}"),
        }
        assert!(matches!(Plugin::discover(cmd(&["htop"])), DiscoveryDecision::Keep));
    }
}
