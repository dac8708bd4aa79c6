//! Building rustls configurations from what the command line names: trusted roots, a
//! certificate and key, ALPN, `--insecure`.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime, pem::PemObject};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, ServerConfig, SignatureScheme};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a TLS client trusts and offers.
#[derive(Clone, Default)]
pub struct ClientOptions {
    /// Trust only these CA certificates (PEM) instead of the system's roots.
    pub ca_cert: Option<PathBuf>,
    /// Accept any certificate: only when the user asked (`--insecure`).
    pub insecure: bool,
    /// Application protocols to offer, in order (`--alpn`).
    pub alpn: Vec<String>,
    /// Where the session secrets are logged (`--keylog`, `SSLKEYLOGFILE`).
    pub key_log: Option<Arc<dyn rustls::KeyLog>>,
}

impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("ca_cert", &self.ca_cert)
            .field("insecure", &self.insecure)
            .field("alpn", &self.alpn)
            .field("key_log", &self.key_log.is_some())
            .finish()
    }
}

/// A server's certificate chain and private key, both PEM files.
#[derive(Clone, Debug)]
pub struct ServerIdentity {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// The process-wide crypto provider: `ring` (see Cargo.toml). rustls marks its default
/// deprecated only because it lacks the post-quantum key exchange aws-lc-rs has; ring is
/// chosen so that the build needs only a C compiler.
#[allow(deprecated)]
pub(super) fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A client configuration; an error names the file or setting at fault.
pub fn client_config(options: &ClientOptions) -> Result<Arc<ClientConfig>, String> {
    let builder = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    let mut config = if options.insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnything(provider())))
            .with_no_client_auth()
    } else {
        builder.with_root_certificates(roots(options.ca_cert.as_deref())?).with_no_client_auth()
    };
    config.alpn_protocols = options.alpn.iter().map(|p| p.as_bytes().to_vec()).collect();
    if let Some(key_log) = &options.key_log {
        config.key_log = key_log.clone();
    }
    Ok(Arc::new(config))
}

/// A server configuration presenting `identity`.
pub fn server_config(
    identity: &ServerIdentity,
    alpn: &[String],
    key_log: Option<&Arc<dyn rustls::KeyLog>>,
) -> Result<Arc<ServerConfig>, String> {
    let chain = read_certs(&identity.cert)?;
    let key = PrivateKeyDer::from_pem_file(&identity.key)
        .map_err(|e| format!("{}: no usable private key: {e}", identity.key.display()))?;
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| format!("{}: {e}", identity.cert.display()))?;
    config.alpn_protocols = alpn.iter().map(|p| p.as_bytes().to_vec()).collect();
    if let Some(key_log) = key_log {
        config.key_log = key_log.clone();
    }
    Ok(Arc::new(config))
}

/// A server configuration presenting certificates the local CA signs for each name asked.
pub fn local_ca_config(
    ca: super::LocalCa,
    alpn: &[String],
    key_log: Option<&Arc<dyn rustls::KeyLog>>,
) -> Result<Arc<ServerConfig>, String> {
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(super::ca::SignForSni::new(ca)));
    config.alpn_protocols = alpn.iter().map(|p| p.as_bytes().to_vec()).collect();
    if let Some(key_log) = key_log {
        config.key_log = key_log.clone();
    }
    Ok(Arc::new(config))
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs: Vec<_> = CertificateDer::pem_file_iter(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(format!("{}: no PEM certificate in the file", path.display()));
    }
    Ok(certs)
}

/// `--ca-cert`'s certificates, else the system's trusted roots.
fn roots(ca_cert: Option<&Path>) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    let Some(path) = ca_cert else {
        let found = rustls_native_certs::load_native_certs();
        store.add_parsable_certificates(found.certs);
        if store.is_empty() {
            return Err("no trusted root certificates found on this system; name one with \
                        --ca-cert FILE"
                .to_owned());
        }
        return Ok(store);
    };
    for cert in read_certs(path)? {
        store.add(cert).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(store)
}

/// `--insecure`: every certificate is accepted, signatures are still checked so the handshake
/// is a real one.
#[derive(Debug)]
struct AcceptAnything(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for AcceptAnything {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
