//! Environments saved with commands (`serialize_env`): a `poetry run`, a
//! venv's `python` or a `nix develop` shell fails when it comes back
//! without its variables. The metadata tick reads, once per new foreground
//! process, the variables it was started with whose names config.kdl's
//! patterns allow; a save hands them to the discovery chain with the
//! command. Values the secret rules flag never leave the plugin worker
//! (see `plugin_service::worker`). A saved layout carries them as
//! `env NAME=VALUE command`, which Zellij runs too, and a layout read back
//! turns that into the pane's command and its variables again.

use std::collections::HashMap;

use revenant_session::tiling::PaneId;

use super::Server;

/// Per pane: the foreground process last read and its allowed variables.
pub(super) type EnvCache = HashMap<PaneId, (u32, Vec<(String, String)>)>;

/// Whether `name` matches `pattern`: `*` any run of characters, `?` one.
fn matches(pattern: &str, name: &str) -> bool {
    fn go(p: &[u8], n: &[u8]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), name.as_bytes())
}

/// The variables of `env` whose names match one of `patterns`, sorted by
/// name (so two reads of the same process save the same text).
pub(super) fn allowed(patterns: &[String], env: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut kept: Vec<(String, String)> =
        env.into_iter().filter(|(name, _)| patterns.iter().any(|p| matches(p, name))).collect();
    kept.sort();
    kept
}

/// `env NAME=VALUE… command…` as the variables and the command; any
/// other argv as it is.
pub(super) fn unwrap_env(argv: Vec<String>) -> (Vec<(String, String)>, Vec<String>) {
    if argv.first().map(String::as_str) != Some("env") {
        return (Vec::new(), argv);
    }
    fn assignment(word: &str) -> Option<(&str, &str)> {
        word.split_once('=').filter(|(name, _)| {
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
    }
    let count = argv[1..].iter().take_while(|w| assignment(w).is_some()).count();
    // Nothing to run after them, or an option of env's own: left whole.
    if count == 0 || argv.len() == 1 + count || argv[1 + count].starts_with('-') {
        return (Vec::new(), argv);
    }
    let env = argv[1..=count].iter().filter_map(|w| assignment(w).map(|(n, v)| (n.to_owned(), v.to_owned()))).collect();
    (env, argv[1 + count..].to_vec())
}

impl Server {
    /// Reads the allowed variables of each pane's foreground process, once
    /// per process (what a process was started with does not change).
    pub(super) fn refresh_command_env(&mut self) {
        if self.config.serialize_env.is_empty() {
            self.command_env.clear();
            return;
        }
        let panes = &self.session.panes;
        self.command_env.retain(|id, _| panes.contains_key(id));
        for pane in panes.values() {
            let Some(pty) = &pane.io.pty else { continue };
            let Some(shell) = pty.pid() else { continue };
            let fg = pty.foreground_pid().unwrap_or(shell);
            // A shell at its prompt runs no command to save variables for.
            if fg == shell && !pane.is_command {
                self.command_env.remove(&pane.id);
                continue;
            }
            if self.command_env.get(&pane.id).is_some_and(|(pid, _)| *pid == fg) {
                continue;
            }
            let env = crate::proc_info::environ(fg).unwrap_or_default();
            self.command_env.insert(pane.id, (fg, allowed(&self.config.serialize_env, env)));
        }
    }

    /// The variables to save with the command of pane `id`: its running
    /// process's (`pid`), else those it was given (a command still held
    /// behind ENTER, or one that exited).
    pub(super) fn saved_env(&self, id: PaneId, pid: Option<u32>) -> Vec<(String, String)> {
        if self.config.serialize_env.is_empty() {
            return Vec::new();
        }
        let Some(pid) = pid else {
            return self.session.panes.get(&id).map(|p| p.env.clone()).unwrap_or_default();
        };
        match self.command_env.get(&id) {
            Some((read, env)) if *read == pid => env.clone(),
            // Started since the last tick.
            _ => allowed(&self.config.serialize_env, crate::proc_info::environ(pid).unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn patterns_take_stars_and_question_marks() {
        assert!(matches("VIRTUAL_ENV", "VIRTUAL_ENV"));
        assert!(!matches("VIRTUAL_ENV", "VIRTUAL_ENVS"));
        assert!(matches("CONDA_*", "CONDA_PREFIX"));
        assert!(matches("CONDA_*", "CONDA_"));
        assert!(!matches("CONDA_*", "XCONDA_PREFIX"));
        assert!(matches("*_HOME", "JAVA_HOME"));
        assert!(matches("NIX_?", "NIX_X"));
        assert!(!matches("NIX_?", "NIX_XY"));
        let env = vec![("PATH".into(), "/bin".into()), ("CONDA_B".into(), "b".into()), ("CONDA_A".into(), "a".into())];
        assert_eq!(
            allowed(&["CONDA_*".into()], env),
            [("CONDA_A".to_string(), "a".to_string()), ("CONDA_B".into(), "b".into())]
        );
    }

    #[test]
    fn an_env_wrapper_becomes_variables_and_a_command() {
        let (env, argv) = unwrap_env(words("env VIRTUAL_ENV=/v A=x=y python3 -q"));
        assert_eq!(env, [("VIRTUAL_ENV".to_string(), "/v".to_string()), ("A".into(), "x=y".into())]);
        assert_eq!(argv, words("python3 -q"));
        // Anything else is left as written.
        for kept in ["env", "env A=1", "env -i A=1 sh", "env sh", "python3 A=1", "env 1A=2 sh"] {
            assert_eq!(unwrap_env(words(kept)), (Vec::new(), words(kept)), "{kept}");
        }
    }
}
