//! The web server's endpoints, a small API scripts can use too:
//! `GET /` the page, `POST /login` a token for a cookie, `GET
//! /api/sessions` the sessions as `ls --json` gives them, `POST
//! /api/sessions` a new one, `POST /api/sessions/NAME/resurrect`, and `GET
//! /ws/NAME` a session's socket.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::assets;
use super::bridge::{self, Attach, Standing};
use super::logins::{Login, cookie_value};
use super::shared::Shared;

pub const COOKIE: &str = "revenant_session";

/// No inline script anywhere: the page's code is its own files. xterm.js
/// sets styles on its elements, hence inline styles.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                       connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; \
                       form-action 'self'";

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/assets/{name}", get(asset))
        .route("/login", post(login))
        .route("/logout", post(logout))
        .route("/api/sessions", get(sessions).post(create))
        .route("/api/sessions/{name}/resurrect", post(resurrect))
        .route("/ws/{name}", get(socket))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(shared)
}

async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    response
}

fn refuse(status: StatusCode, why: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], format!("{why}\n")).into_response()
}

async fn page() -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], assets::INDEX).into_response()
}

async fn asset(Path(name): Path<String>) -> Response {
    match assets::find(&name) {
        Some(a) => ([(header::CONTENT_TYPE, a.mime), (header::CACHE_CONTROL, "no-cache")], a.bytes).into_response(),
        None => refuse(StatusCode::NOT_FOUND, "no such file"),
    }
}

/// A request from another site's page is refused: browsers always say
/// where a WebSocket or a POST comes from.
fn same_origin(headers: &HeaderMap, required: bool) -> Result<(), Response> {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match (headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()), host) {
        (Some(origin), Some(host)) if origin == format!("https://{host}") => Ok(()),
        (None, _) if !required => Ok(()),
        (origin, _) => {
            Err(refuse(StatusCode::FORBIDDEN, &format!("origin {} is not this server's", origin.unwrap_or("(none)"))))
        }
    }
}

/// The request's session cookie, if it sent one.
fn cookie_of(headers: &HeaderMap) -> Option<&str> {
    headers.get_all(header::COOKIE).iter().filter_map(|h| h.to_str().ok()).find_map(|h| cookie_value(h, COOKIE))
}

/// The request's login, or 401.
fn login_of(shared: &Shared, headers: &HeaderMap) -> Result<Login, Response> {
    cookie_of(headers)
        .and_then(|c| shared.login(c))
        .ok_or_else(|| refuse(StatusCode::UNAUTHORIZED, "log in first: POST /login with a token"))
}

#[derive(Deserialize)]
struct TokenForm {
    token: String,
}

async fn login(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = same_origin(&headers, false) {
        return r;
    }
    if let Some(wait) = shared.locked_out(addr.ip()) {
        let mut r =
            refuse(StatusCode::TOO_MANY_REQUESTS, "too many failed logins from this address: wait and try again");
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait.as_secs()));
        return r;
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|c| c.to_str().ok())
        .is_some_and(|c| c.starts_with("application/json"));
    let form: Option<TokenForm> =
        if json { serde_json::from_slice(&body).ok() } else { serde_urlencoded::from_bytes(&body).ok() };
    let Some(form) = form else {
        return refuse(StatusCode::BAD_REQUEST, "send {\"token\": \"…\"} as JSON, or a form field `token`");
    };
    match shared.log_in(&form.token, addr.ip()) {
        Ok(Some((cookie, lifetime))) => {
            tracing::info!("login from {addr}");
            let set = format!("{COOKIE}={cookie}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age={lifetime}");
            (StatusCode::NO_CONTENT, [(header::SET_COOKIE, set)]).into_response()
        }
        Ok(None) => {
            tracing::warn!("failed login from {addr}");
            refuse(StatusCode::UNAUTHORIZED, "wrong or expired token")
        }
        Err(e) => refuse(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

async fn logout(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Some(c) = cookie_of(&headers) {
        shared.log_out(c);
    }
    let clear = format!("{COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0");
    (StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response()
}

async fn sessions(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Err(r) = login_of(&shared, &headers) {
        return r;
    }
    match tokio::task::spawn_blocking(|| crate::cli::listing::local_rows(false)).await {
        Ok(Ok(rows)) => axum::Json(rows).into_response(),
        Ok(Err(e)) => refuse(StatusCode::INTERNAL_SERVER_ERROR, &format!("{e:#}")),
        Err(e) => refuse(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// A login that may change things: not a read-only one.
fn writer(shared: &Shared, headers: &HeaderMap) -> Result<Login, Response> {
    same_origin(headers, false)?;
    let login = login_of(shared, headers)?;
    if login.read_only {
        return Err(refuse(StatusCode::FORBIDDEN, "this login is read-only"));
    }
    Ok(login)
}

#[derive(Deserialize)]
struct NewSession {
    name: String,
    #[serde(default)]
    layout: Option<String>,
}

async fn create(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(r) = writer(&shared, &headers) {
        return r;
    }
    let Ok(new) = serde_json::from_slice::<NewSession>(&body) else {
        return refuse(StatusCode::BAD_REQUEST, "send {\"name\": \"…\", \"layout\": \"…\" or null} as JSON");
    };
    if let Err(why) = check_name(&new.name) {
        return refuse(StatusCode::BAD_REQUEST, &why);
    }
    let mut args = vec!["attach".to_string(), "-b".into(), new.name.clone()];
    if let Some(layout) = new.layout.filter(|l| !l.trim().is_empty()) {
        args.extend(["--layout".into(), layout]);
    }
    match shared.run_revenant(&args).await {
        Ok(()) => (StatusCode::CREATED, axum::Json(serde_json::json!({"name": new.name}))).into_response(),
        Err(why) => refuse(StatusCode::BAD_REQUEST, &why),
    }
}

async fn resurrect(State(shared): State<Arc<Shared>>, headers: HeaderMap, Path(name): Path<String>) -> Response {
    if let Err(r) = writer(&shared, &headers) {
        return r;
    }
    if let Err(why) = check_name(&name) {
        return refuse(StatusCode::BAD_REQUEST, &why);
    }
    match shared.run_revenant(&["attach".into(), "-b".into(), name.clone()]).await {
        Ok(()) => axum::Json(serde_json::json!({"name": name})).into_response(),
        Err(why) => refuse(StatusCode::BAD_REQUEST, &why),
    }
}

pub fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && !name.contains(['/', '\0'])
        && !name.chars().any(char::is_control);
    if ok { Ok(()) } else { Err(format!("{name:?} is not a session name")) }
}

#[derive(Deserialize)]
struct Size {
    cols: Option<u16>,
    rows: Option<u16>,
}

async fn socket(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    Query(size): Query<Size>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    if let Err(r) = same_origin(&headers, true) {
        return r;
    }
    let login = match login_of(&shared, &headers) {
        Ok(l) => l,
        Err(r) => return r,
    };
    if let Err(why) = check_name(&name) {
        return refuse(StatusCode::BAD_REQUEST, &why);
    }
    let cookie = cookie_of(&headers).unwrap_or_default().to_string();
    let attach = Attach {
        socket: crate::paths::socket_dir().join(&name),
        session: name,
        cols: size.cols.unwrap_or(80).clamp(1, 1000),
        rows: size.rows.unwrap_or(24).clamp(1, 1000),
        read_only: login.read_only,
        mouse: shared.mouse,
    };
    let standing = {
        let shared = shared.clone();
        Standing { changes: shared.changes.subscribe(), check: Box::new(move || shared.login(&cookie).is_some()) }
    };
    tracing::info!(
        "{} opens session {}{}",
        login.token_name,
        attach.session,
        if login.read_only { " (read-only)" } else { "" }
    );
    upgrade.on_upgrade(move |ws| bridge::run(ws, attach, standing))
}
