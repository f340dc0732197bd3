//! The web server's certificate: the user's own (`--cert`/`--key`), or one
//! made for loopback once and kept, so its fingerprint (which clients pin)
//! stays the same from run to run.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};

pub struct Identity {
    pub certs: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
    /// Where it came from, for messages.
    pub origin: String,
}

impl Identity {
    /// SHA-256 of the leaf certificate, as `AB:CD:…`.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.certs[0])
    }
}

pub fn fingerprint(cert: &CertificateDer<'_>) -> String {
    Sha256::digest(cert.as_ref()).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// The crypto provider of every TLS config here: ring, which builds
/// without cmake (aws-lc-rs needs it). rustls deprecates it for lacking
/// post-quantum key exchange, which browsers offer but do not require.
#[allow(deprecated)]
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The user's certificate, or the kept self-signed one; a self-signed one
/// serves loopback only.
pub fn identity(bind: SocketAddr, cert: Option<&Path>, key: Option<&Path>) -> Result<Identity> {
    match (cert, key) {
        (Some(cert), Some(key)) => load(cert, key),
        (None, None) if bind.ip().is_loopback() => self_signed(&self_signed_dir()),
        (None, None) => bail!(
            "--bind {bind} is not a loopback address, and the self-signed certificate is for loopback only: \
             pass --cert and --key (a certificate browsers on other machines can verify)"
        ),
        _ => bail!("--cert and --key go together"),
    }
}

fn load(cert: &Path, key: &Path) -> Result<Identity> {
    let certs = CertificateDer::pem_file_iter(cert)
        .and_then(|i| i.collect::<Result<Vec<_>, _>>())
        .with_context(|| format!("cannot read the certificate {}", cert.display()))?;
    if certs.is_empty() {
        bail!("{} holds no PEM certificate", cert.display());
    }
    let key =
        PrivateKeyDer::from_pem_file(key).with_context(|| format!("cannot read the private key {}", key.display()))?;
    Ok(Identity { certs, key, origin: cert.display().to_string() })
}

pub fn self_signed_dir() -> PathBuf {
    crate::paths::cache_dir().join("web")
}

/// The loopback certificate in `dir`, made on first use.
pub fn self_signed(dir: &Path) -> Result<Identity> {
    let (cert, key) = (dir.join("localhost.crt"), dir.join("localhost.key"));
    if !cert.exists() || !key.exists() {
        crate::paths::ensure_private_dir(dir).with_context(|| format!("cannot make {}", dir.display()))?;
        let names = vec!["localhost".to_string(), "127.0.0.1".to_string(), "::1".to_string()];
        let made = rcgen::generate_simple_self_signed(names).context("cannot make a self-signed certificate")?;
        write_private(&key, made.key_pair.serialize_pem().as_bytes())?;
        write_private(&cert, made.cert.pem().as_bytes())?;
    }
    let mut identity = load(&cert, &key)?;
    identity.origin = format!("self-signed for loopback ({})", cert.display());
    Ok(identity)
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    crate::no_follow::create_file(path)
        .and_then(|mut file| file.write_all(bytes))
        .with_context(|| format!("cannot write {}", path.display()))
}

pub fn server_config(identity: Identity) -> Result<rustls::ServerConfig> {
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(identity.certs, identity.key)
        .context("the certificate and key do not make a TLS identity")?;
    // WebSockets go over HTTP/1.1 upgrades.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_self_signed_certificate_is_kept_and_loopback_only() {
        let dir = tempfile::tempdir().unwrap();
        let first = self_signed(dir.path()).unwrap();
        let again = self_signed(dir.path()).unwrap();
        assert_eq!(first.fingerprint(), again.fingerprint(), "made once");
        assert_eq!(first.fingerprint().len(), 32 * 3 - 1);
        server_config(first).unwrap();
        let err = identity("0.0.0.0:8082".parse().unwrap(), None, None).err().unwrap().to_string();
        assert!(err.contains("loopback") && err.contains("--cert"), "{err}");
        let err = identity("127.0.0.1:1".parse().unwrap(), Some(Path::new("/nonexistent.pem")), Some(Path::new("k")))
            .err()
            .unwrap();
        assert!(format!("{err:#}").contains("/nonexistent.pem"), "{err:#}");
    }
}
