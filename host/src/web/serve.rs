//! TLS in front of the router: each connection is a TLS handshake, then
//! HTTP/1.1 with upgrades (WebSockets), told the peer's address for the
//! login rate limit.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// A handshake that takes longer is a client that is not coming.
const HANDSHAKE: Duration = Duration::from_secs(10);

pub async fn serve(listener: TcpListener, tls: Arc<rustls::ServerConfig>, app: Router) {
    let acceptor = TlsAcceptor::from(tls);
    loop {
        let (tcp, addr) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                // Out of descriptors, say: wait rather than spin.
                tracing::warn!("accept: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = tcp.set_nodelay(true);
        let (acceptor, app) = (acceptor.clone(), app.clone());
        tokio::spawn(async move {
            let stream = match tokio::time::timeout(HANDSHAKE, acceptor.accept(tcp)).await {
                Ok(Ok(s)) => s,
                Ok(Err(e)) => {
                    tracing::debug!("TLS handshake with {addr}: {e}");
                    return;
                }
                Err(_) => return,
            };
            let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(addr));
                let mut app = app.clone();
                async move { tower::Service::call(&mut app, request).await }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            if let Err(e) = connection.await {
                tracing::debug!("connection from {addr}: {e}");
            }
        });
    }
}
