//! The ssh command line that reaches another host's `revenant`: the
//! user's own ssh (their config, agent, ProxyJump, keys and known_hosts).
//! Host keys are ssh's to check; nothing here loosens that.

use std::ffi::OsString;
use std::process::Command;

use revenant_config::Config;

use super::address::SshHost;
use crate::ipc::PROTOCOL_VERSION;

/// How to reach other hosts: which ssh, and which `revenant` over there.
#[derive(Debug, Clone)]
pub struct Ssh {
    /// The program and its own arguments (`ssh -F ~/my_config`).
    program: Vec<String>,
    /// As the remote shell should run it (`~/` is the remote home).
    remote_revenant: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SshError {
    #[error("REVENANT_SSH_COMMAND `{0}` does not parse as a command line: {1}")]
    EnvLine(String, shell_words::ParseError),
    #[error("ssh_command `{0}` in config.kdl does not parse as a command line: {1}")]
    ConfigLine(String, shell_words::ParseError),
    #[error("the ssh command line is empty")]
    Empty,
}

impl Ssh {
    /// `REVENANT_SSH_COMMAND` if set (as git's `GIT_SSH_COMMAND`), else the
    /// config's `ssh_command`, else `ssh`.
    pub fn new(config: &Config) -> Result<Ssh, SshError> {
        let env = std::env::var("REVENANT_SSH_COMMAND").ok().filter(|s| !s.trim().is_empty());
        let program = match (env, &config.ssh_command) {
            (Some(line), _) => shell_words::split(&line).map_err(|e| SshError::EnvLine(line.clone(), e))?,
            (None, Some(line)) => shell_words::split(line).map_err(|e| SshError::ConfigLine(line.clone(), e))?,
            (None, None) => vec!["ssh".into()],
        };
        if program.is_empty() {
            return Err(SshError::Empty);
        }
        let remote_revenant = config.remote_revenant.clone().unwrap_or_else(|| "revenant".into());
        Ok(Ssh { program, remote_revenant })
    }

    /// The remote `revenant` as configured, for messages.
    pub fn remote_revenant(&self) -> &str {
        &self.remote_revenant
    }

    /// The ssh program as written, for messages.
    pub fn program(&self) -> String {
        shell_words::join(&self.program)
    }

    /// `ssh -T [options] [-p port] [-l user] -- host 'revenant __bridge …'`.
    /// `options` are ssh's `-o` settings for this use (keep-alives, no
    /// prompts on a reconnect).
    pub fn command(&self, host: &SshHost, options: &[&str], bridge: &[String]) -> Command {
        let mut cmd = Command::new(&self.program[0]);
        cmd.args(&self.program[1..]).arg("-T");
        for option in options {
            cmd.arg("-o").arg(option);
        }
        if let Some(port) = host.port {
            cmd.arg("-p").arg(port.to_string());
        }
        if let Some(user) = &host.user {
            cmd.arg("-l").arg(user);
        }
        cmd.arg("--").arg(&host.host).arg(self.remote_line(bridge));
        cmd
    }

    /// The one line the remote shell runs: ssh joins its words with spaces,
    /// so every word is quoted here.
    pub fn remote_line(&self, bridge: &[String]) -> OsString {
        let mut line = quote_path(&self.remote_revenant);
        line.push_str(&format!(" __bridge --protocol {PROTOCOL_VERSION}"));
        for word in bridge {
            line.push(' ');
            line.push_str(&shell_words::quote(word));
        }
        line.into()
    }
}

/// Quoted for a POSIX shell, with a leading `~/` left to mean the remote
/// home (quoting would make it literal).
fn quote_path(path: &str) -> String {
    match path.strip_prefix("~/") {
        Some(rest) => format!("\"$HOME\"/{}", shell_words::quote(rest)),
        None => shell_words::quote(path).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ssh(program: &[&str], remote: &str) -> Ssh {
        Ssh { program: program.iter().map(|s| s.to_string()).collect(), remote_revenant: remote.into() }
    }

    fn words(cmd: &Command) -> Vec<String> {
        std::iter::once(cmd.get_program()).chain(cmd.get_args()).map(|a| a.to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn the_host_comes_after_a_double_dash_and_the_remote_words_are_quoted() {
        let host = SshHost { user: Some("me".into()), host: "devbox".into(), port: Some(2222) };
        let cmd = ssh(&["ssh", "-F", "/tmp/cfg"], "~/bin/rev enant").command(
            &host,
            &["BatchMode=yes"],
            &["attach".into(), "it's".into()],
        );
        assert_eq!(
            words(&cmd),
            [
                "ssh",
                "-F",
                "/tmp/cfg",
                "-T",
                "-o",
                "BatchMode=yes",
                "-p",
                "2222",
                "-l",
                "me",
                "--",
                "devbox",
                &format!("\"$HOME\"/'bin/rev enant' __bridge --protocol {PROTOCOL_VERSION} attach 'it'\\''s'"),
            ]
        );
        let line = words(&cmd).pop().unwrap();
        assert!(!line.contains("StrictHostKeyChecking"));
    }

    #[test]
    fn the_environment_wins_over_the_config() {
        let config = Config { ssh_command: Some("ssh -F 'my config'".into()), ..Config::default() };
        assert_eq!(Ssh::new(&config).unwrap().program, ["ssh", "-F", "my config"]);
        let config = Config { ssh_command: Some("ssh 'unclosed".into()), ..Config::default() };
        assert!(Ssh::new(&config).unwrap_err().to_string().contains("config.kdl"));
        assert_eq!(Ssh::new(&Config::default()).unwrap().program, ["ssh"]);
    }
}
