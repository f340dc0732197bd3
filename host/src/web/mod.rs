//! `revenant web`: sessions in the browser, over HTTPS and WebSockets.
//!
//! All network code lives in the `revenant-web` binary, which `revenant
//! web` runs: the multiplexer itself stays small and starts fast.

/// `println!` that does not panic when stdout is gone (`revenant web |
/// head -1`).
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

pub mod assets;
pub mod attach;
pub mod bridge;
pub mod daemon;
pub mod logins;
pub mod pinning;
pub mod routes;
pub mod serve;
pub mod shared;
pub mod tls;
pub mod tokens;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(name = "revenant web", bin_name = "revenant web", version, about = "Serve sessions to a browser, over HTTPS")]
pub struct WebCli {
    #[command(subcommand)]
    pub command: Option<WebCommand>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Args)]
pub struct ServeArgs {
    /// Where to listen. Anything but loopback needs --cert and --key.
    #[arg(long, default_value = "127.0.0.1:8082")]
    pub bind: SocketAddr,
    /// A PEM certificate (chain) to serve; else a self-signed one for
    /// loopback, made once and kept in the cache dir.
    #[arg(long, requires = "key")]
    pub cert: Option<PathBuf>,
    /// The PEM private key of --cert.
    #[arg(long, requires = "cert")]
    pub key: Option<PathBuf>,
    /// Run here instead of in the background.
    #[arg(long)]
    pub foreground: bool,
    /// Say whether a server runs, where, and its certificate's fingerprint.
    #[arg(long, conflicts_with_all = ["stop", "foreground"])]
    pub status: bool,
    /// Stop the running server.
    #[arg(long, conflicts_with = "foreground")]
    pub stop: bool,
}

#[derive(Subcommand)]
pub enum WebCommand {
    /// Login tokens: made and shown once, stored as hashes.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Attach this terminal to a session another machine's `revenant web`
    /// serves (what `revenant attach https://…` runs).
    Attach {
        /// `https://HOST[:PORT]/NAME`
        url: String,
        /// A file holding the token (else $REVENANT_WEB_TOKEN, else asked).
        #[arg(long, value_name = "FILE")]
        token_file: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Make a token and print it (the only time it is shown).
    Create {
        /// Its logins watch: their keys and mouse never reach a pane.
        #[arg(long)]
        read_only: bool,
        #[arg(long)]
        name: Option<String>,
        /// How long it lasts: 30m, 12h, 7d, 2w (default: until revoked).
        #[arg(long, value_parser = tokens::parse_lifetime)]
        expires: Option<u64>,
    },
    /// The tokens, without their secrets.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token: its logins end and their sockets close.
    Revoke { name: String },
}

pub fn main() -> Result<()> {
    let cli = WebCli::parse();
    match cli.command {
        Some(WebCommand::Token(t)) => token_command(t),
        Some(WebCommand::Attach { url, token_file }) => attach::run(&url, token_file.as_deref()),
        None if cli.serve.status => daemon::status(),
        None if cli.serve.stop => daemon::stop(),
        None if cli.serve.foreground => run_foreground(&cli.serve),
        None => {
            // Checked here too, so a refusal is said on this terminal.
            tls::identity(cli.serve.bind, cli.serve.cert.as_deref(), cli.serve.key.as_deref())?;
            let args: Vec<String> = std::env::args().skip(1).collect();
            let exe = std::env::current_exe().context("cannot find this program")?;
            let r = daemon::start(&exe, &args)?;
            say!("revenant web: serving {} (pid {})", r.url, r.pid);
            say!("certificate: {}", r.certificate);
            say!("SHA-256 fingerprint: {}", r.fingerprint);
            say!("log: {}", daemon::log_file().display());
            if tokens::load(&tokens::default_path()).map(|t| t.is_empty()).unwrap_or(false) {
                say!("no login tokens yet: `revenant web token create` makes one");
            }
            Ok(())
        }
    }
}

fn token_command(command: TokenCommand) -> Result<()> {
    let path = tokens::default_path();
    match command {
        TokenCommand::Create { read_only, name, expires } => {
            let (token, secret) = tokens::create(&path, name.as_deref(), read_only, expires)?;
            eprintln!(
                "token {}{}{}: shown once, keep it safe",
                token.name,
                if read_only { " (read-only)" } else { "" },
                expires.map(|s| format!(", expires in {}", crate::cli::listing::format_age(s))).unwrap_or_default()
            );
            say!("{secret}");
        }
        TokenCommand::List { json } => {
            let list = tokens::load(&path)?;
            if json {
                let rows: Vec<_> = list
                    .iter()
                    .map(|t| {
                        serde_json::json!({"name": t.name, "read_only": t.read_only, "created_unix": t.created_unix,
                            "expires_unix": t.expires_unix, "expired": t.expired(crate::plugin::now_unix())})
                    })
                    .collect();
                say!("{}", serde_json::to_string_pretty(&rows)?);
            } else if list.is_empty() {
                say!("no tokens (`revenant web token create` makes one)");
            } else {
                let now = crate::plugin::now_unix();
                for t in list {
                    let age = crate::cli::listing::format_age(now.saturating_sub(t.created_unix));
                    let expiry = match t.expires_unix {
                        Some(e) if e <= now => " expired".to_string(),
                        Some(e) => format!(" expires in {}", crate::cli::listing::format_age(e - now)),
                        None => String::new(),
                    };
                    say!("{}{} made {age} ago{expiry}", t.name, if t.read_only { " read-only" } else { "" });
                }
            }
        }
        TokenCommand::Revoke { name } => {
            tokens::revoke(&path, &name)?;
            say!("revoked {name}: its logins end and their sockets close");
        }
    }
    Ok(())
}

fn run_foreground(args: &ServeArgs) -> Result<()> {
    init_logging();
    let identity = tls::identity(args.bind, args.cert.as_deref(), args.key.as_deref())?;
    let (fingerprint, certificate) = (identity.fingerprint(), identity.origin.clone());
    let tls = Arc::new(tls::server_config(identity)?);
    let exe = std::env::current_exe().context("cannot find this program")?;
    let revenant =
        std::env::var_os("REVENANT_BIN").map(PathBuf::from).unwrap_or_else(|| exe.with_file_name("revenant"));
    let mouse = crate::config_files::load_config().map(|c| c.mouse_mode).unwrap_or(true);
    let shared = Arc::new(shared::Shared::new(tokens::default_path(), revenant, mouse)?);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.bind)
            .await
            .with_context(|| format!("cannot listen on {}", args.bind))?;
        let bound = listener.local_addr()?;
        let url = format!("https://{bound}/");
        let running = daemon::Running {
            pid: std::process::id(),
            url: url.clone(),
            fingerprint: fingerprint.clone(),
            certificate,
            started_unix: crate::plugin::now_unix(),
        };
        crate::paths::ensure_private_dir(&daemon::dir())?;
        daemon::write_pid_file(&running)?;
        tracing::info!("serving {url}, certificate SHA-256 {fingerprint}");
        if args.foreground && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            say!("revenant web: serving {url}\nSHA-256 fingerprint: {fingerprint}");
        }
        // Token files change under us (`token create`, `revoke`).
        let watcher = shared.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                if let Err(e) = watcher.reload_tokens() {
                    tracing::warn!("{e}");
                }
            }
        });
        let app = routes::router(shared);
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            _ = serve::serve(listener, tls, app) => {}
            _ = term.recv() => tracing::info!("stopping on SIGTERM"),
            _ = tokio::signal::ctrl_c() => tracing::info!("stopping on SIGINT"),
        }
        if daemon::running().is_some_and(|r| r.pid == std::process::id()) {
            let _ = std::fs::remove_file(daemon::pid_file());
        }
        Ok(())
    })
}

/// Logs go to stderr, which the daemon points at its log file. No
/// request's body or cookie is logged: nothing there holds a token.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("REVENANT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,hyper=warn,rustls=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(false).with_writer(std::io::stderr).try_init();
}
