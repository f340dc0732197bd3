//! `revenant web` over real TLS, with a real server and real sessions: a
//! client that trusts the test's certificate logs in, lists, opens
//! sockets, is refused where it should be, and sees its socket close when
//! its token is revoked.

mod common;

use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Env, wait_until};
use futures_util::{SinkExt, StreamExt};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

type Socket = tokio_tungstenite::WebSocketStream<TlsStream<tokio::net::TcpStream>>;

/// A `revenant web --foreground` of the test's own, on a free port.
struct Web {
    child: Child,
    port: u16,
    cert: PathBuf,
}

impl Drop for Web {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_web(env: &Env) -> Web {
    // A server killed before (-9) left its file: wait for the new one's.
    let _ = std::fs::remove_file(env.cache_dir().join("web/web.pid"));
    let child = env
        .cmd()
        .args(["web", "--bind", "127.0.0.1:0", "--foreground"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid_file = env.cache_dir().join("web/web.pid");
    let mut web = Web { child, port: 0, cert: env.cache_dir().join("web/localhost.crt") };
    wait_until("the web server to listen", || {
        let Ok(text) = std::fs::read_to_string(&pid_file) else { return false };
        let running: serde_json::Value = serde_json::from_str(&text).unwrap();
        let url = running["url"].as_str().unwrap();
        web.port = url.trim_end_matches('/').rsplit(':').next().unwrap().parse().unwrap();
        true
    });
    web
}

fn token(env: &Env, args: &[&str]) -> String {
    let mut full = vec!["web", "token", "create"];
    full.extend_from_slice(args);
    env.ok(&full).trim().to_string()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

async fn tls(web: &Web) -> TlsStream<tokio::net::TcpStream> {
    let pem = std::fs::read(&web.cert).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        roots.add(cert.unwrap()).unwrap();
    }
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", web.port)).await.unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    TlsConnector::from(Arc::new(config)).connect(name, tcp).await.unwrap()
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

/// One HTTP/1.1 request on a connection of its own.
async fn request(web: &Web, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut stream = tls(web).await;
    let mut text = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\nContent-Length: {}\r\n",
        web.port,
        body.len()
    );
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    stream.write_all(text.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out).await;
    let out = String::from_utf8_lossy(&out).to_string();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Reply { status, headers: head.to_ascii_lowercase(), body: body.to_string() }
}

async fn log_in(web: &Web, secret: &str) -> Reply {
    let body = serde_json::json!({ "token": secret }).to_string();
    request(web, "POST", "/login", &[("Content-Type", "application/json")], &body).await
}

/// The session cookie a login set, as a `Cookie` header value.
async fn cookie(web: &Web, secret: &str) -> String {
    let reply = log_in(web, secret).await;
    assert_eq!(reply.status, 204, "{}", reply.body);
    let line = reply.headers.lines().find(|l| l.starts_with("set-cookie:")).unwrap().to_string();
    for attribute in ["httponly", "secure", "samesite=strict"] {
        assert!(line.contains(attribute), "{line}");
    }
    line["set-cookie:".len()..].trim().split(';').next().unwrap().to_string()
}

async fn open(web: &Web, session: &str, cookie: Option<&str>, origin: &str) -> Result<Socket, u16> {
    let url = format!("wss://localhost:{}/ws/{session}?cols=90&rows=25", web.port);
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert("Origin", HeaderValue::from_str(origin).unwrap());
    if let Some(c) = cookie {
        request.headers_mut().insert("Cookie", HeaderValue::from_str(c).unwrap());
    }
    match tokio_tungstenite::client_async(request, tls(web).await).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => Err(response.status().as_u16()),
        Err(e) => panic!("websocket: {e}"),
    }
}

fn origin(web: &Web) -> String {
    format!("https://localhost:{}", web.port)
}

/// The next text (control) message, skipping output.
async fn next_control(socket: &mut Socket) -> serde_json::Value {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), socket.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => return serde_json::from_str(&t).unwrap(),
            Ok(Some(Ok(_))) => {}
            other => panic!("no control message: {other:?}"),
        }
    }
}

/// Output until it holds `needle`.
async fn read_until(socket: &mut Socket, needle: &str) -> String {
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(15);
    while !seen.contains(needle) {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, socket.next()).await {
            Ok(Some(Ok(Message::Binary(b)))) => seen.push_str(&String::from_utf8_lossy(&b)),
            Ok(Some(Ok(_))) => {}
            other => panic!("waiting for {needle:?}: {other:?}; seen {seen:?}"),
        }
    }
    seen
}

#[test]
fn logins_need_a_valid_token_and_are_rate_limited() {
    let env = Env::new();
    let web = start_web(&env);
    let secret = token(&env, &["--name", "laptop"]);
    runtime().block_on(async {
        let page = request(&web, "GET", "/", &[], "").await;
        assert_eq!(page.status, 200);
        assert!(
            page.headers.contains("content-security-policy: default-src 'self'; script-src 'self'"),
            "{}",
            page.headers
        );
        assert_eq!(request(&web, "GET", "/api/sessions", &[], "").await.status, 401);
        assert_eq!(log_in(&web, "rvt_wrong").await.status, 401);
        let form = request(
            &web,
            "POST",
            "/login",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            &format!("token={secret}"),
        )
        .await;
        assert_eq!(form.status, 204, "a form field works too: {}", form.body);
        let cookie = cookie(&web, &secret).await;
        let list = request(&web, "GET", "/api/sessions", &[("Cookie", &cookie)], "").await;
        assert_eq!(list.status, 200);
        assert!(list.body.trim_start().starts_with('['), "{}", list.body);

        // Four more wrong ones make five: then even the right one waits.
        for _ in 0..4 {
            assert_eq!(log_in(&web, "rvt_wrong").await.status, 401);
        }
        let limited = log_in(&web, &secret).await;
        assert_eq!(limited.status, 429, "{}", limited.body);
        assert!(limited.headers.contains("retry-after:"), "{}", limited.headers);
    });
    // Nothing on disk or in the log holds the token in the clear.
    let mut files = Vec::new();
    common::files_under(&env.cache_dir(), &mut files);
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(!String::from_utf8_lossy(&bytes).contains(&secret[4..]), "{} holds the token", file.display());
    }
}

#[test]
fn sockets_check_origin_and_login_and_carry_a_session_both_ways() {
    let env = Env::new();
    env.start("web1", &[]);
    let web = start_web(&env);
    let secret = token(&env, &[]);
    runtime().block_on(async {
        let cookie = cookie(&web, &secret).await;
        assert_eq!(open(&web, "web1", None, &origin(&web)).await.err(), Some(401));
        assert_eq!(open(&web, "web1", Some(&cookie), "https://evil.example").await.err(), Some(403));
        let mut socket = open(&web, "web1", Some(&cookie), &origin(&web)).await.unwrap();
        let welcome = next_control(&mut socket).await;
        assert_eq!(welcome["type"], "welcome");
        assert_eq!(welcome["read_only"], false);
        socket.send(Message::Binary(b"echo web-$((40+2))\r".to_vec().into())).await.unwrap();
        read_until(&mut socket, "web-42").await;
        socket.send(Message::Text(r#"{"type":"resize","cols":100,"rows":30}"#.into())).await.unwrap();
        wait_until("the pane to take the page's size", || {
            let clients = env.json("web1", &["list-clients", "--json"]);
            clients.as_array().unwrap().iter().any(|c| c["cols"] == 100 && c["rows"] == 30)
        });
        let _ = socket.close(None).await;
    });
    env.wait_for_screen("web1", "web-42");
}

#[test]
fn a_read_only_login_watches_and_cannot_change_anything() {
    let env = Env::new();
    env.start("web2", &[]);
    let web = start_web(&env);
    let secret = token(&env, &["--read-only", "--name", "guest"]);
    runtime().block_on(async {
        let cookie = cookie(&web, &secret).await;
        let mut socket = open(&web, "web2", Some(&cookie), &origin(&web)).await.unwrap();
        assert_eq!(next_control(&mut socket).await["read_only"], true);
        socket.send(Message::Binary(b"echo ro-$((3+4))\r".to_vec().into())).await.unwrap();
        let create = request(
            &web,
            "POST",
            "/api/sessions",
            &[("Cookie", &cookie), ("Content-Type", "application/json")],
            r#"{"name":"sneaky"}"#,
        )
        .await;
        assert_eq!(create.status, 403, "{}", create.body);
        tokio::time::sleep(Duration::from_millis(800)).await;
    });
    let screen = env.action("web2", &["dump-screen"]);
    assert!(!screen.contains("ro-"), "typing reached the pane:\n{screen}");
    assert!(env.pid_of("sneaky").is_none());
}

#[test]
fn revoking_a_token_closes_its_sockets_and_ends_its_logins() {
    let env = Env::new();
    env.start("web3", &[]);
    let web = start_web(&env);
    let secret = token(&env, &["--name", "phone"]);
    runtime().block_on(async {
        let cookie = cookie(&web, &secret).await;
        let mut socket = open(&web, "web3", Some(&cookie), &origin(&web)).await.unwrap();
        next_control(&mut socket).await;
        env.ok(&["web", "token", "revoke", "phone"]);
        let closed = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                match socket.next().await {
                    Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                    Some(Ok(_)) => {}
                    _ => return None,
                }
            }
        })
        .await
        .expect("the socket closes");
        assert_eq!(closed, Some(4001));
        assert_eq!(request(&web, "GET", "/api/sessions", &[("Cookie", &cookie)], "").await.status, 401);
        assert_eq!(log_in(&web, &secret).await.status, 401);
    });
}

#[test]
fn sessions_are_created_and_resurrected_through_the_api() {
    let env = Env::new();
    env.start("gone", &[]);
    env.action("gone", &["save-session"]);
    let pid = env.pid_of("gone").unwrap();
    common::kill9(pid);
    wait_until("the server to die", || !common::process_alive(pid));
    let web = start_web(&env);
    let secret = token(&env, &[]);
    runtime().block_on(async {
        let cookie = cookie(&web, &secret).await;
        let list = request(&web, "GET", "/api/sessions", &[("Cookie", &cookie)], "").await;
        let rows: serde_json::Value = serde_json::from_str(&list.body).unwrap();
        assert!(rows.as_array().unwrap().iter().any(|r| r["name"] == "gone" && r["state"] == "exited"), "{rows}");
        let json = [("Cookie", cookie.as_str()), ("Content-Type", "application/json")];
        let made = request(&web, "POST", "/api/sessions", &json, r#"{"name":"made-on-web","layout":null}"#).await;
        assert_eq!(made.status, 201, "{}", made.body);
        let back = request(&web, "POST", "/api/sessions/gone/resurrect", &[("Cookie", &cookie)], "").await;
        assert_eq!(back.status, 200, "{}", back.body);
        let bad = request(&web, "POST", "/api/sessions", &json, r#"{"name":"../x"}"#).await;
        assert_eq!(bad.status, 400);
    });
    let _kill = common::KillOnDrop(["made-on-web", "gone"].iter().filter_map(|n| env.pid_of(n)).collect());
    assert!(env.pid_of("made-on-web").is_some() && env.pid_of("gone").is_some());
}

#[test]
fn a_self_signed_certificate_serves_loopback_only() {
    let env = Env::new();
    let err = env.fails(&["web", "--bind", "0.0.0.0:0"]);
    assert!(err.contains("loopback") && err.contains("--cert"), "{err}");
    let err = env.fails(&["web", "--status"]);
    assert!(err.contains("no web server"), "{err}");
}

/// `revenant attach https://` in a real terminal (tmux): the self-signed
/// certificate is shown and pinned on the user's yes, typing reaches the
/// pane, a resize follows, Ctrl-o d detaches and gives the terminal back;
/// a certificate that changes afterwards is refused.
#[test]
fn attach_https_pins_the_certificate_and_attaches_this_terminal() {
    let env = Env::new();
    env.start("far", &[]);
    let Some(tmux) = common::tmux::Tmux::new(&env) else { return };
    let port = {
        let web = start_web(&env);
        let port = web.port;
        let token_file = env.root.path().join("token");
        std::fs::write(&token_file, token(&env, &[])).unwrap();
        let args = format!("attach https://localhost:{port}/far --token-file {}", token_file.display());
        tmux.open(&env, "t1", &args, true);
        tmux.wait_for("t1", "Trust it and remember it? [y/N]");
        tmux.keys("t1", &["y", "Enter"]);
        tmux.wait_for("t1", "Pane #0");
        tmux.keys("t1", &["echo via-https-$((6*7))", "Enter"]);
        tmux.wait_for("t1", "via-https-42");
        env.wait_for_screen("far", "via-https-42");
        tmux.tmux(&["resize-window", "-t", "t1", "-x", "80", "-y", "24"]);
        wait_until("the client to take the new size", || {
            let clients = env.json("far", &["list-clients", "--json"]);
            clients.as_array().unwrap().iter().any(|c| c["cols"] == 80 && c["rows"] == 24)
        });
        tmux.keys("t1", &["C-o"]);
        tmux.keys("t1", &["d"]);
        tmux.wait_for("t1", "[detached]");
        let pins = std::fs::read_to_string(env.config_dir().join("web_known_hosts")).unwrap();
        assert!(pins.starts_with(&format!("localhost:{port} ")), "{pins}");
        port
    };
    // A new certificate where the pinned one was (the pin is moved to the
    // new server's port) is refused.
    std::fs::remove_file(env.cache_dir().join("web/localhost.crt")).unwrap();
    let mut web = start_web(&env);
    let pins = std::fs::read_to_string(env.config_dir().join("web_known_hosts")).unwrap();
    std::fs::write(
        env.config_dir().join("web_known_hosts"),
        pins.replace(&format!("localhost:{port} "), &format!("localhost:{} ", web.port)),
    )
    .unwrap();
    let token_file = env.root.path().join("token");
    let out = env.run(&[
        "attach",
        &format!("https://localhost:{}/far", web.port),
        "--token-file",
        &token_file.display().to_string(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("CHANGED") && err.contains("web_known_hosts"), "{err}");
    let _ = web.child.kill();
}
