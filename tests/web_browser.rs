//! The web client in a real browser: Debian's headless Chromium, driven
//! through chromedriver over WebDriver, against a real `revenant web` and
//! real sessions. It logs in, opens a session and types into xterm.js,
//! pastes, comes back after its socket drops, resizes the window, resurrects an EXITED session from the list, and
//! watches with a read-only token. A screenshot is kept.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Env, wait_until};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Browsers the test started under `profile`: chromedriver's own child
/// outlives a killed chromedriver, so a test that fails before it closes
/// its browsers ends them here, by the profile dir only they use.
struct Browsers(std::path::PathBuf);

impl Drop for Browsers {
    fn drop(&mut self) {
        let _ = Command::new("pkill").args(["-9", "-f", &format!("user-data-dir={}", self.0.display())]).status();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// chromedriver, or None where it is not installed (CI installs it and
/// must run this).
fn chromedriver() -> Option<(Killed, u16)> {
    if Command::new("chromedriver").arg("--version").output().is_err() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI must install chromium and chromium-driver");
        eprintln!("skipped: no chromedriver (apt install chromium chromium-driver)");
        return None;
    }
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until("chromedriver to listen", || std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
    Some((Killed(child), port))
}

fn start_web(env: &Env) -> (Killed, u16) {
    let port = free_port();
    let child = env
        .cmd()
        .args(["web", "--bind", &format!("127.0.0.1:{port}"), "--foreground"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until("the web server to listen", || std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
    (Killed(child), port)
}

async fn browser(driver: u16, profile: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    let args = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--no-first-run",
        "--window-size=1000,700",
        &format!("--user-data-dir={}", profile.display()),
    ];
    caps.insert("goog:chromeOptions".into(), json!({ "args": args }));
    // The server's certificate is the self-signed loopback one.
    caps.insert("acceptInsecureCerts".into(), json!(true));
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver}"))
        .await
        .expect("a browser session")
}

async fn js(client: &Client, script: &str) -> Value {
    client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Polls a script until it returns true.
async fn until(client: &Client, what: &str, script: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if js(client, script).await == json!(true) {
            return;
        }
        if Instant::now() > deadline {
            let seen = js(client, PAGE_STATE).await;
            panic!("timed out waiting for {what} ({script}); the page: {seen}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What the page shows, for failure reports: the status line and xterm.js's
/// buffer.
const PAGE_STATE: &str = "const lines = []; const t = window.revenant && window.revenant.term; \
    if (t) { const b = t.buffer.active; for (let i = 0; i < b.length; i++) { const l = b.getLine(i); \
    if (l) lines.push(l.translateToString(true)); } } \
    return { status: (document.getElementById('status') || {}).textContent, hash: location.hash, \
    buffer: lines.join('\\n').trim() };";

/// A script: whether a line of xterm.js's buffer, as the page holds it,
/// reads `text` inside the pane's borders.
fn buffer_has_line(text: &str) -> String {
    format!(
        "const b = window.revenant.term.buffer.active; \
         for (let i = 0; i < b.length; i++) {{ const l = b.getLine(i); \
         if (l && l.translateToString(true).replace(/[┃│]/g, '').trim() === '{text}') return true; }} return false;"
    )
}

async fn log_in(client: &Client, port: u16, secret: &str) {
    client.goto(&format!("https://localhost:{port}/")).await.unwrap();
    let field = client.wait().for_element(Locator::Css("#token")).await.unwrap();
    field.send_keys(secret).await.unwrap();
    client.find(Locator::Css("#login-form button")).await.unwrap().click().await.unwrap();
}

async fn open_session(client: &Client, name: &str) {
    click(client, &format!("li.session[data-name='{name}'] .open")).await;
    until(client, "the socket's welcome", &format!("return !!window.revenant && window.revenant.session() === '{name}' && document.getElementById('status').textContent.length > 0")).await;
}

/// Clicks what `css` finds, again if the list was drawn anew under it (it
/// refreshes every few seconds).
async fn click(client: &Client, css: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let found = client.wait().for_element(Locator::Css(css)).await;
        match found {
            Ok(element) => match element.click().await {
                Ok(()) => return,
                Err(e) if Instant::now() < deadline => eprintln!("clicking {css} again: {e}"),
                Err(e) => panic!("cannot click {css}: {e}"),
            },
            Err(e) => panic!("no {css}: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn type_line(client: &Client, text: &str) {
    let input = client.find(Locator::Css(".xterm-helper-textarea")).await.unwrap();
    input.send_keys(&format!("{text}\u{E007}")).await.unwrap();
}

fn pane_size(env: &Env, session: &str) -> (u64, u64) {
    let panes = env.json(session, &["list-panes", "--json"]);
    let pane = &panes.as_array().unwrap()[0];
    (pane["cols"].as_u64().unwrap_or(0), pane["rows"].as_u64().unwrap_or(0))
}

#[test]
fn the_browser_logs_in_types_resizes_resurrects_and_watches() {
    let Some((_driver, driver_port)) = chromedriver() else { return };
    let env = Env::new();
    env.start("e2e", &[]);
    env.start("sleeper", &[]);
    env.action("sleeper", &["save-session"]);
    let sleeper = env.pid_of("sleeper").unwrap();
    common::kill9(sleeper);
    wait_until("the server to die", || !common::process_alive(sleeper));
    let (_web, port) = start_web(&env);
    let secret = env.ok(&["web", "token", "create", "--name", "browser"]).trim().to_string();
    let watcher = env.ok(&["web", "token", "create", "--read-only", "--name", "watcher"]).trim().to_string();
    let profile = env.root.path().join("chromium");
    let _browsers = Browsers(profile.clone());

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let client = browser(driver_port, &profile.join("a")).await;
        log_in(&client, port, &secret).await;
        client.wait().for_element(Locator::Css("li.session[data-name='sleeper'][data-state='exited']")).await.unwrap();
        open_session(&client, "e2e").await;
        let before = pane_size(&env, "e2e");

        type_line(&client, "echo web-$((40+2))").await;
        until(&client, "web-42 in xterm.js's buffer", &buffer_has_line("web-42")).await;
        env.wait_for_screen("e2e", "web-42");

        // A paste, as the browser hands one to xterm.js (bracketed).
        js(&client, "window.revenant.term.paste('echo pasted-$((5*5))\\r'); return true;").await;
        until(&client, "the pasted line's output", &buffer_has_line("pasted-25")).await;

        // The network drops: the page comes back by itself, redrawn.
        js(&client, "window.revenant.socket().close(); return true;").await;
        until(
            &client,
            "a new socket",
            "const s = window.revenant.socket(); return !!s && s.readyState === 1 && \
             document.getElementById('status').textContent.includes('connected');",
        )
        .await;
        type_line(&client, "echo again-$((2+3))").await;
        until(&client, "typing after the reconnect", &buffer_has_line("again-5")).await;

        // Keystroke to echo, timed in the page.
        let mut times = Vec::new();
        for ch in ["a", "b", "c", "d", "e"] {
            let ms = client
                .execute_async("const done = arguments[arguments.length - 1]; window.revenant.echoProbe(arguments[0]).then(done, e => done(-1));", vec![json!(ch)])
                .await
                .unwrap();
            times.push(ms.as_f64().unwrap_or(-1.0));
        }
        println!("keystroke to echo in the browser (ms): {times:?}");
        assert!(times.iter().all(|t| *t >= 0.0), "every probe echoed: {times:?}");

        client.set_window_size(700, 450).await.unwrap();
        wait_until("the pane to follow the window", || pane_size(&env, "e2e") != before);
        let after = pane_size(&env, "e2e");
        assert!(after.0 < before.0 && after.1 < before.1, "{before:?} -> {after:?}");

        let shot = client.screenshot().await.unwrap();
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("web-e2e.png");
        std::fs::write(&path, &shot).unwrap();
        println!("screenshot: {}", path.display());
        assert!(shot.starts_with(b"\x89PNG"));

        // Back to the list: the EXITED session comes back from it.
        client.goto(&format!("https://localhost:{port}/#/")).await.unwrap();
        click(&client, "li.session[data-name='sleeper'] .resurrect").await;
        wait_until("sleeper to be live again", || env.pid_of("sleeper").is_some());
        client.close().await.unwrap();

        // A read-only token watches: typing changes nothing.
        let guest = browser(driver_port, &profile.join("b")).await;
        log_in(&guest, port, &watcher).await;
        open_session(&guest, "e2e").await;
        until(&guest, "the read-only note", "return document.getElementById('status').textContent.includes('read-only')").await;
        type_line(&guest, "echo ro-$((3+4))").await;
        tokio::time::sleep(Duration::from_millis(1000)).await;
        guest.close().await.unwrap();
    });
    let _kill = common::KillOnDrop(["e2e", "sleeper"].iter().filter_map(|n| env.pid_of(n)).collect());
    let screen = env.action("e2e", &["dump-screen"]);
    assert!(!screen.contains("ro-"), "a read-only login typed:\n{screen}");
}
