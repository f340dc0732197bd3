//! A real OpenSSH server of a test's own on 127.0.0.1: a throwaway host
//! key, its own authorized_keys and known_hosts, a free port, stopped by
//! pid. The "remote" host's revenant runs with directories of its own
//! (`remote`, set by the server's `SetEnv`), so a test sees both sides.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::Env;

pub struct Sshd {
    pub port: u16,
    pub dir: PathBuf,
    /// The other host's own dirs (it runs the same binary).
    pub remote: Env,
    /// `ssh -F` file with hosts `revhost` (good key), `badhost` (a wrong
    /// known host key) and `deadhost` (nothing listening).
    pub client_config: PathBuf,
    child: Child,
    /// Holds the keys and configs (a temp dir removed on drop).
    _home: Env,
}

const SSHD: &str = "/usr/sbin/sshd";

impl Sshd {
    /// `None` (skipping) only outside CI when OpenSSH's server is missing.
    pub fn start() -> Option<Sshd> {
        if !Path::new(SSHD).exists() || Command::new("ssh").arg("-V").output().is_err() {
            assert!(std::env::var("CI").is_err(), "sshd and ssh are required in CI (.ci/run installs openssh-server)");
            eprintln!("openssh-server is not installed: skipping");
            return None;
        }
        let env = Env::new();
        let dir = env.root.path().join("ssh");
        std::fs::create_dir_all(&dir).unwrap();
        for key in ["host_key", "other_host_key", "id"] {
            let ok = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-C", key, "-f"])
                .arg(dir.join(key))
                .status()
                .unwrap();
            assert!(ok.success(), "ssh-keygen");
        }
        std::fs::copy(dir.join("id.pub"), dir.join("authorized_keys")).unwrap();
        let (port, closed) = free_ports();
        let remote = Env::new();
        let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout).unwrap();
        let user = user.trim();
        let d = dir.display();
        let config = format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\nPidFile {d}/sshd.pid\n\
             AuthorizedKeysFile {d}/authorized_keys\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n\
             KbdInteractiveAuthentication no\nPubkeyAuthentication yes\nPermitRootLogin yes\nAllowUsers {user}\n\
             LogLevel VERBOSE\nPrintMotd no\n\
             SetEnv REVENANT_SOCKET_DIR={} REVENANT_CACHE_DIR={} REVENANT_CONFIG_DIR={} REVENANT_PLUGIN_CACHE_DIR={} SHELL=/bin/sh PATH={d}/bin:/usr/local/bin:/usr/bin:/bin\n",
            remote.socket_dir().display(),
            remote.cache_dir().display(),
            remote.config_dir().display(),
            remote.plugin_cache_dir().display(),
        );
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        std::fs::write(dir.join("sshd_config"), config).unwrap();
        let key = |name: &str| std::fs::read_to_string(dir.join(format!("{name}.pub"))).unwrap();
        std::fs::write(dir.join("known_hosts"), format!("revhost {}", key("host_key"))).unwrap();
        std::fs::write(dir.join("wrong_known_hosts"), format!("badhost {}", key("other_host_key"))).unwrap();
        let common = format!(
            "  HostName 127.0.0.1\n  User {user}\n  IdentityFile {d}/id\n  IdentitiesOnly yes\n  \
             GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  BatchMode yes\n  LogLevel ERROR\n"
        );
        let client = format!(
            "Host revhost\n  Port {port}\n  HostKeyAlias revhost\n  UserKnownHostsFile {d}/known_hosts\n{common}\
             Host badhost\n  Port {port}\n  HostKeyAlias badhost\n  UserKnownHostsFile {d}/wrong_known_hosts\n{common}\
             Host deadhost\n  Port {closed}\n  ConnectTimeout 3\n  UserKnownHostsFile {d}/known_hosts\n{common}"
        );
        std::fs::write(dir.join("ssh_config"), client).unwrap();
        if rustix_is_root() {
            // sshd's privilege separation wants this directory to exist.
            let _ = std::fs::create_dir_all("/run/sshd");
        }
        let child = spawn(&dir);
        let sshd = Sshd { port, client_config: dir.join("ssh_config"), dir, remote, child, _home: env };
        sshd.wait_listening();
        Some(sshd)
    }

    fn wait_listening(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "sshd did not listen:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops listening (links already made stay up, as when a host's
    /// network goes away for new connections).
    pub fn stop_listening(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Listens again on the same port.
    pub fn listen_again(&mut self) {
        self.child = spawn(&self.dir);
        self.wait_listening();
    }

    /// What to put in REVENANT_SSH_COMMAND.
    pub fn ssh_command(&self) -> String {
        format!("ssh -F {}", self.client_config.display())
    }

    /// A local env that reaches this server: its ssh command, and the
    /// remote revenant (the binary under test) in its config.
    pub fn client_env(&self) -> Env {
        let env = Env::new();
        env.set_env("REVENANT_SSH_COMMAND", &self.ssh_command());
        env.write_config(&format!("remote_revenant \"{}\"\n", env!("CARGO_BIN_EXE_revenant")));
        env
    }

    pub fn log(&self) -> String {
        let mut s = String::new();
        let _ = std::fs::File::open(self.dir.join("sshd.log")).and_then(|mut f| f.read_to_string(&mut s));
        s
    }

    /// A program named `revenant` on the remote PATH.
    pub fn put_on_remote_path(&self, script: &str) {
        use std::os::unix::fs::PermissionsExt;
        let path = self.dir.join("bin/revenant");
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        // The remote sessions outlive their ssh links, as they should: the
        // test ends them.
        let _ = self.remote.cmd().args(["kill-all-sessions", "--yes"]).output();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(dir: &Path) -> Child {
    let log = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("sshd.log")).unwrap();
    Command::new(SSHD)
        .args(["-D", "-e", "-f"])
        .arg(dir.join("sshd_config"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("sshd starts")
}

/// Two ports nothing listens on (held together, so they differ).
fn free_ports() -> (u16, u16) {
    let a = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let b = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    (a.local_addr().unwrap().port(), b.local_addr().unwrap().port())
}

fn rustix_is_root() -> bool {
    String::from_utf8(Command::new("id").arg("-u").output().unwrap().stdout).unwrap().trim() == "0"
}
