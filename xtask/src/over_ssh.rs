//! A multiplexer reached the way people reach one on another machine: its
//! sessions are managed as usual, and its client runs over ssh. Revenant's
//! client stays local and speaks to the server through the ssh bridge
//! (`attach ssh://benchhost/NAME`); tmux runs on the far side under
//! `ssh -t`, inside the local terminal, as tmux users do.

use std::time::Duration;

use anyhow::Result;

use crate::harness::wait_for;
use crate::muxes::{Mux, PtyClient};
use crate::sshd::{HOST, Sshd};

pub struct OverSsh<'a> {
    pub inner: &'a dyn Mux,
    pub sshd: &'a Sshd,
}

impl Mux for OverSsh<'_> {
    fn name(&self) -> &'static str {
        match self.inner.name() {
            "revenant" => "revenant/ssh",
            "tmux" => "tmux/ssh",
            _ => "other/ssh",
        }
    }

    fn open(&self, session: &str) -> Result<PtyClient> {
        self.open_detached(session)?;
        let (argv, env) = self.client_command(session);
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        let client = PtyClient::spawn(&argv, &env)?;
        wait_for("the client over ssh", Duration::from_secs(20), || self.inner.has_client(session))?;
        Ok(client)
    }

    fn open_detached(&self, session: &str) -> Result<()> {
        self.inner.open_detached(session)
    }

    fn new_tab(&self, session: &str) -> Result<()> {
        self.inner.new_tab(session)
    }

    fn type_line(&self, session: &str, line: &str) -> Result<()> {
        self.inner.type_line(session, line)
    }

    fn screen(&self, session: &str) -> Result<String> {
        self.inner.screen(session)
    }

    fn server_pid(&self, session: &str) -> Result<u32> {
        self.inner.server_pid(session)
    }

    fn kill(&self, session: &str) -> Result<()> {
        self.inner.kill(session)
    }

    fn client_command(&self, session: &str) -> (Vec<String>, Vec<(String, String)>) {
        let (mut argv, mut env) = self.inner.client_command(session);
        if self.inner.name() == "revenant" {
            argv[2] = format!("ssh://{HOST}/{session}");
            env.push(("REVENANT_SSH_COMMAND".into(), self.sshd.ssh_command()));
            return (argv, env);
        }
        let mut over =
            vec!["ssh".to_string(), "-F".into(), self.sshd.config.display().to_string(), "-t".into(), HOST.into()];
        over.extend(argv);
        (over, env)
    }

    fn split_running(&self, session: &str, argv: &[&str]) -> Result<()> {
        self.inner.split_running(session, argv)
    }

    fn has_client(&self, session: &str) -> bool {
        self.inner.has_client(session)
    }
}
