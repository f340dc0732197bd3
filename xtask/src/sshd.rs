//! An OpenSSH server on 127.0.0.1 for the remote benchmarks: a throwaway
//! host key and client key, a free port, a client config naming it
//! `benchhost`, stopped by pid. The far side's `revenant` runs with
//! `env`'s directories (set by the server's `SetEnv`), so a session opened
//! locally is the same one reached over ssh.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::harness::wait_for;

pub const HOST: &str = "benchhost";

pub struct Sshd {
    pub config: PathBuf,
    child: Child,
}

impl Sshd {
    pub fn start(dir: &Path, env: &[(&str, String)]) -> Result<Sshd> {
        let sshd = Path::new("/usr/sbin/sshd");
        if !sshd.exists() {
            bail!("no /usr/sbin/sshd: install openssh-server");
        }
        std::fs::create_dir_all(dir)?;
        for key in ["host_key", "id"] {
            let _ = std::fs::remove_file(dir.join(key));
            let ok =
                Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-f"]).arg(dir.join(key)).status()?;
            if !ok.success() {
                bail!("ssh-keygen failed");
            }
        }
        std::fs::copy(dir.join("id.pub"), dir.join("authorized_keys"))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let user = String::from_utf8(Command::new("id").arg("-un").output()?.stdout)?.trim().to_owned();
        let d = dir.display();
        let set_env: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        std::fs::write(
            dir.join("sshd_config"),
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\nPidFile {d}/sshd.pid\n\
                 AuthorizedKeysFile {d}/authorized_keys\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n\
                 PermitRootLogin yes\nAllowUsers {user}\nPrintMotd no\nSetEnv {}\n",
                set_env.join(" ")
            ),
        )?;
        let host_key = std::fs::read_to_string(dir.join("host_key.pub"))?;
        std::fs::write(dir.join("known_hosts"), format!("{HOST} {host_key}"))?;
        std::fs::write(
            dir.join("ssh_config"),
            format!(
                "Host {HOST}\n  HostName 127.0.0.1\n  Port {port}\n  User {user}\n  HostKeyAlias {HOST}\n  \
                 IdentityFile {d}/id\n  IdentitiesOnly yes\n  UserKnownHostsFile {d}/known_hosts\n  \
                 GlobalKnownHostsFile /dev/null\n  BatchMode yes\n  LogLevel ERROR\n"
            ),
        )?;
        let _ = std::fs::create_dir_all("/run/sshd");
        let child = Command::new(sshd)
            .args(["-D", "-e", "-f"])
            .arg(dir.join("sshd_config"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("sshd.log"))?)
            .spawn()
            .context("starting sshd")?;
        wait_for("sshd", Duration::from_secs(10), || std::net::TcpStream::connect(("127.0.0.1", port)).is_ok())?;
        Ok(Sshd { config: dir.join("ssh_config"), child })
    }

    /// `ssh -F CONFIG`, as REVENANT_SSH_COMMAND takes it.
    pub fn ssh_command(&self) -> String {
        format!("ssh -F {}", self.config.display())
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
