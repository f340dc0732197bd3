//! How `attach https://` trusts a server: a certificate the usual roots
//! vouch for, or one the user pinned by its SHA-256 fingerprint on first
//! use (a self-signed `revenant web`), kept in `<config>/web_known_hosts`
//! as ssh keeps host keys. A pinned fingerprint that changes is refused.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, Error, SignatureScheme};

use super::tls::{fingerprint, provider};

pub fn known_hosts_path() -> PathBuf {
    crate::paths::config_dir().join("web_known_hosts")
}

/// The fingerprint pinned for `host:port`, if any.
pub fn pinned(path: &Path, authority: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().find_map(|l| {
        let (who, fp) = l.split_once(' ')?;
        (who == authority).then(|| fp.trim().to_string())
    })
}

pub fn pin(path: &Path, authority: &str, fp: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let kept: Vec<String> = std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.split(' ').next() != Some(authority))
        .map(str::to_owned)
        .collect();
    let mut file = std::fs::File::create(path)?;
    for line in kept {
        writeln!(file, "{line}")?;
    }
    writeln!(file, "{authority} {fp}")
}

#[derive(Debug)]
pub struct Pinning {
    roots: Arc<WebPkiServerVerifier>,
    pinned: Option<String>,
    /// The fingerprint the server showed, for the prompt.
    pub seen: Mutex<Option<String>>,
}

impl Pinning {
    pub fn new(pinned: Option<String>) -> Arc<Pinning> {
        let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        let roots =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider()).build().expect("the web roots");
        Arc::new(Pinning { roots, pinned, seen: Mutex::new(None) })
    }
}

impl ServerCertVerifier for Pinning {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let fp = fingerprint(end_entity);
        *self.seen.lock().expect("seen") = Some(fp.clone());
        match &self.pinned {
            Some(p) if *p == fp => Ok(ServerCertVerified::assertion()),
            Some(_) => Err(Error::General("the certificate's fingerprint is not the one pinned".into())),
            None => self.roots.verify_server_cert(end_entity, intermediates, server_name, ocsp, now),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &provider().signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &provider().signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        provider().signature_verification_algorithms.supported_schemes()
    }
}

pub fn client_config(verifier: Arc<Pinning>) -> rustls::ClientConfig {
    let mut config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    config
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_kept_per_host_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("web_known_hosts");
        assert_eq!(pinned(&path, "a:1"), None);
        pin(&path, "a:1", "AA").unwrap();
        pin(&path, "b:2", "BB").unwrap();
        pin(&path, "a:1", "CC").unwrap();
        assert_eq!(pinned(&path, "a:1").as_deref(), Some("CC"));
        assert_eq!(pinned(&path, "b:2").as_deref(), Some("BB"));
    }
}
