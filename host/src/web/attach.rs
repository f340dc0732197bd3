//! `revenant attach https://host[:port]/NAME`: this terminal attached to
//! a session another machine's `revenant web` serves, over the same
//! socket the page uses. The server renders; this passes bytes.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

use super::pinning::{self, Pinning};
use super::routes::COOKIE;

type Socket = tokio_tungstenite::WebSocketStream<TlsStream<tokio::net::TcpStream>>;

/// What the bridge turned on in the terminal, turned off again.
const MODES_OFF: &[u8] =
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?1004l\x1b[0m\x1b[?25h\x1b[?1049l";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub session: String,
}

impl Target {
    pub fn parse(url: &str) -> Result<Target> {
        let rest = url.strip_prefix("https://").with_context(|| format!("{url} is not an https:// address"))?;
        let (authority, session) =
            rest.split_once('/').with_context(|| format!("{url} names no session: https://HOST[:PORT]/NAME"))?;
        // `[::1]` has colons of its own: a port comes after its `]`.
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !authority.ends_with(']') => {
                (h.to_string(), p.parse().with_context(|| format!("{p:?} is not a port"))?)
            }
            _ => (authority.to_string(), 443),
        };
        super::routes::check_name(session).map_err(anyhow::Error::msg)?;
        if host.is_empty() {
            bail!("{url} names no host");
        }
        Ok(Target { host, port, session: session.to_string() })
    }

    fn authority(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

pub fn run(url: &str, token_file: Option<&Path>) -> Result<()> {
    let mut target = Target::parse(url)?;
    let token = read_token(token_file)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let tls = trusted_config(&target).await?;
        let cookie = log_in(&target, &tls, &token).await?;
        if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
            bail!("attach needs a terminal");
        }
        crossterm::terminal::enable_raw_mode().context("cannot put the terminal in raw mode")?;
        let result = loop {
            match session(&target, &tls, &cookie).await {
                Ok(Next::Switch(to)) => target.session = to,
                Ok(Next::Done(reason)) => break Ok(reason),
                Err(e) => break Err(e),
            }
        };
        let mut out = std::io::stdout();
        let _ = out.write_all(MODES_OFF).and_then(|_| out.flush());
        let _ = crossterm::terminal::disable_raw_mode();
        println!("[{}]", result?);
        Ok(())
    })
}

fn read_token(file: Option<&Path>) -> Result<String> {
    let token = match file {
        Some(f) => std::fs::read_to_string(f).with_context(|| format!("cannot read the token file {}", f.display()))?,
        None => match std::env::var("REVENANT_WEB_TOKEN") {
            Ok(t) => t,
            Err(_) => {
                eprint!("token: ");
                let _ = std::io::stderr().flush();
                crossterm::terminal::enable_raw_mode().ok();
                let typed = read_hidden_line();
                crossterm::terminal::disable_raw_mode().ok();
                eprintln!();
                typed?
            }
        },
    };
    let token = token.trim().to_string();
    if token.is_empty() {
        bail!("no token: pass --token-file F, set REVENANT_WEB_TOKEN, or type it");
    }
    Ok(token)
}

/// A line from the terminal in raw mode, so it is not echoed. Unbuffered
/// on purpose: what is typed after the line belongs to the session.
#[allow(clippy::unbuffered_bytes)]
fn read_hidden_line() -> Result<String> {
    use std::io::Read;
    let mut line = Vec::new();
    for byte in std::io::stdin().bytes() {
        match byte? {
            b'\r' | b'\n' => break,
            3 => bail!("cancelled"),
            127 | 8 => {
                line.pop();
            }
            b => line.push(b),
        }
    }
    Ok(String::from_utf8_lossy(&line).into_owned())
}

/// A TLS config that trusts the server: by the usual roots, by a pinned
/// fingerprint, or by the user's yes to the fingerprint it shows.
async fn trusted_config(target: &Target) -> Result<Arc<rustls::ClientConfig>> {
    let known = pinning::known_hosts_path();
    let pinned = pinning::pinned(&known, &target.authority());
    let verifier = Pinning::new(pinned.clone());
    let config = Arc::new(pinning::client_config(verifier.clone()));
    let err = match connect(target, &config).await {
        Ok(_) => return Ok(config),
        Err(e) => e,
    };
    let seen = verifier.seen.lock().expect("seen").clone();
    match (pinned, seen) {
        (Some(p), Some(seen)) if p != seen => bail!(
            "THE CERTIFICATE OF {} CHANGED. It may be someone in between.\n  pinned:  {p}\n  offered: {seen}\n\
             If the server made a new certificate, remove its line from {} and attach again.",
            target.authority(),
            known.display()
        ),
        (None, Some(seen)) => {
            eprintln!(
                "The certificate of {} is not signed by an authority this machine trusts (a self-signed `revenant web`?).\n\
                 Its SHA-256 fingerprint is\n  {seen}\n\
                 Compare it with what `revenant web --status` prints on that machine.",
                target.authority()
            );
            if !confirm("Trust it and remember it? [y/N] ")? {
                bail!("not trusted: {err:#}");
            }
            pinning::pin(&known, &target.authority(), &seen)
                .with_context(|| format!("cannot write {}", known.display()))?;
            let config = Arc::new(pinning::client_config(Pinning::new(Some(seen))));
            connect(target, &config).await?;
            Ok(config)
        }
        _ => Err(err),
    }
}

fn confirm(question: &str) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    eprint!("{question}");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

async fn connect(target: &Target, config: &Arc<rustls::ClientConfig>) -> Result<TlsStream<tokio::net::TcpStream>> {
    let tcp = tokio::net::TcpStream::connect((target.host.as_str(), target.port))
        .await
        .with_context(|| format!("cannot reach {}", target.authority()))?;
    let name = rustls::pki_types::ServerName::try_from(target.host.trim_matches(['[', ']']).to_string())
        .with_context(|| format!("{} is not a host name", target.host))?;
    TlsConnector::from(config.clone())
        .connect(name, tcp)
        .await
        .with_context(|| format!("TLS with {}", target.authority()))
}

/// Trades the token for the login cookie.
async fn log_in(target: &Target, config: &Arc<rustls::ClientConfig>, token: &str) -> Result<String> {
    let mut stream = connect(target, config).await?;
    let body = serde_json::json!({ "token": token }).to_string();
    let request = format!(
        "POST /login HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        target.authority(),
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply).await;
    let reply = String::from_utf8_lossy(&reply);
    let (head, rest) = reply.split_once("\r\n\r\n").unwrap_or((&reply, ""));
    let status = head.split(' ').nth(1).unwrap_or("?");
    if status != "204" && status != "200" {
        bail!("{} refused the login ({status}): {}", target.authority(), rest.trim());
    }
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .find_map(|(_, v)| v.trim().split(';').next().filter(|c| c.starts_with(COOKIE)).map(str::to_owned))
        .context("the login set no cookie")
}

enum Next {
    Switch(String),
    Done(String),
}

async fn session(target: &Target, config: &Arc<rustls::ClientConfig>, cookie: &str) -> Result<Next> {
    let mut socket = open(target, config, cookie).await?;
    let mut winch = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::window_change())?;
    let (tx, mut keys) = tokio::sync::mpsc::channel::<Vec<u8>>(64);
    // Stdin blocks: a thread of its own, ended with the process.
    std::thread::spawn(move || {
        use std::io::Read;
        let mut buf = [0u8; 4096];
        let mut stdin = std::io::stdin();
        while let Ok(n) = stdin.read(&mut buf) {
            if n == 0 || tx.blocking_send(buf[..n].to_vec()).is_err() {
                return;
            }
        }
    });
    let mut out = std::io::stdout();
    loop {
        tokio::select! {
            message = socket.next() => match message {
                Some(Ok(Message::Binary(bytes))) => {
                    out.write_all(&bytes)?;
                    out.flush()?;
                }
                Some(Ok(Message::Text(text))) => {
                    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                    match v["type"].as_str() {
                        Some("switch") => return Ok(Next::Switch(v["session"].as_str().unwrap_or_default().to_string())),
                        Some("exit") => return Ok(Next::Done(v["reason"].as_str().unwrap_or("ended").to_string())),
                        // `copy` is for the page: this terminal already had
                        // the copy as OSC 52 in the output.
                        _ => {}
                    }
                }
                Some(Ok(Message::Close(frame))) => {
                    let why = frame.map(|f| f.reason.to_string()).unwrap_or_default();
                    return Ok(Next::Done(if why.is_empty() { "the server closed the connection".into() } else { why }));
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => bail!("the connection to {} broke: {e}", target.authority()),
                None => return Ok(Next::Done("the server closed the connection".into())),
            },
            typed = keys.recv() => match typed {
                Some(bytes) => socket.send(Message::Binary(bytes.into())).await?,
                None => return Ok(Next::Done("the terminal closed".into())),
            },
            _ = winch.recv() => {
                if let Ok((cols, rows)) = crossterm::terminal::size() {
                    let resize = serde_json::json!({"type": "resize", "cols": cols, "rows": rows}).to_string();
                    socket.send(Message::Text(resize.into())).await?;
                }
            }
        }
    }
}

async fn open(target: &Target, config: &Arc<rustls::ClientConfig>, cookie: &str) -> Result<Socket> {
    let (cols, rows) = crossterm::terminal::size().unwrap_or((80, 24));
    let url = format!("wss://{}/ws/{}?cols={cols}&rows={rows}", target.authority(), target.session);
    let mut request = url.into_client_request()?;
    let origin = format!("https://{}", if target.port == 443 { target.host.clone() } else { target.authority() });
    request.headers_mut().insert("Origin", HeaderValue::from_str(&origin)?);
    request.headers_mut().insert("Cookie", HeaderValue::from_str(cookie)?);
    let stream = connect(target, config).await?;
    match tokio_tungstenite::client_async(request, stream).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => {
            let body = r.body().as_ref().map(|b| String::from_utf8_lossy(b).trim().to_string()).unwrap_or_default();
            bail!("{} refused session {} ({}): {body}", target.authority(), target.session, r.status())
        }
        Err(e) => bail!("cannot open session {} at {}: {e}", target.session, target.authority()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_name_a_host_a_port_and_a_session() {
        let t = Target::parse("https://box.example:8082/work").unwrap();
        assert_eq!(t, Target { host: "box.example".into(), port: 8082, session: "work".into() });
        assert_eq!(Target::parse("https://box/work").unwrap().port, 443);
        assert!(Target::parse("http://box/work").is_err());
        assert!(Target::parse("https://box").is_err());
        assert!(Target::parse("https://box/../etc").is_err());
        assert!(format!("{:#}", Target::parse("https://box:http/w").unwrap_err()).contains("port"));
    }
}
