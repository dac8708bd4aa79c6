//! sockscope's own local CA (mitmproxy's model): created on first use in the user's data
//! directory, its key readable only by the user, and a leaf certificate signed on the fly for
//! whatever name a client asks for (SNI), or `localhost`. A person who trusts the CA once
//! (`sockscope ca` prints it) can point any client at `listen --tls` or `proxy --tls`.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::crypto::ring::sign::any_supported_type;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use std::collections::HashMap;
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The CA certificate's file in the data directory.
pub const CA_CERT_FILE: &str = "ca.pem";
/// The CA key's file (mode 0600).
pub const CA_KEY_FILE: &str = "ca-key.pem";
const CA_NAME: &str = "sockscope local CA";

/// The directory the CA lives in: `$XDG_DATA_HOME/sockscope`, else
/// `~/.local/share/sockscope`.
#[must_use]
pub fn data_dir() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()).map(PathBuf::from);
    let base = xdg.or_else(|| {
        std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share"))
    })?;
    Some(base.join("sockscope"))
}

/// The CA: its certificate (path and PEM) and what signs the leaves.
pub struct LocalCa {
    pub cert_path: PathBuf,
    pub cert_pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl std::fmt::Debug for LocalCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalCa").field("cert_path", &self.cert_path).finish_non_exhaustive()
    }
}

impl LocalCa {
    /// The CA in `dir`, created there (directory 0700, key 0600) if it is not yet.
    pub fn open_or_create(dir: &Path) -> Result<Self, String> {
        let cert_path = dir.join(CA_CERT_FILE);
        let key_path = dir.join(CA_KEY_FILE);
        let failed = |what: &Path, e: &dyn std::fmt::Display| format!("{}: {e}", what.display());
        if !key_path.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|e| failed(dir, &e))?;
            let key = KeyPair::generate().map_err(|e| failed(&key_path, &e))?;
            let cert = ca_params().self_signed(&key).map_err(|e| failed(&cert_path, &e))?;
            write_new(&key_path, &key.serialize_pem(), 0o600)?;
            write_new(&cert_path, &cert.pem(), 0o644)?;
        }
        let key_pem = std::fs::read_to_string(&key_path).map_err(|e| failed(&key_path, &e))?;
        let key = KeyPair::from_pem(&key_pem).map_err(|e| failed(&key_path, &e))?;
        let cert_pem = std::fs::read_to_string(&cert_path).map_err(|e| failed(&cert_path, &e))?;
        // The same name and key make the same issuer: a leaf chains to the stored certificate.
        Ok(Self { cert_path, cert_pem, issuer: Issuer::new(ca_params(), key) })
    }

    /// A leaf certificate for `name`, with its key, and the CA's certificate behind it.
    fn leaf(&self, name: &str) -> Option<CertifiedKey> {
        let key = KeyPair::generate().ok()?;
        let mut params = CertificateParams::new(vec![name.to_owned()]).ok()?;
        params.distinguished_name.push(DnType::CommonName, name);
        let cert = params.signed_by(&key, &self.issuer).ok()?;
        let ca = CertificateDer::from_pem_slice(self.cert_pem.as_bytes()).ok()?;
        let der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let signer = any_supported_type(&der).ok()?;
        Some(CertifiedKey::new(vec![cert.der().clone(), ca], signer))
    }
}

use rustls::pki_types::pem::PemObject;

fn ca_params() -> CertificateParams {
    let mut params = CertificateParams::default();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, CA_NAME);
    params.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign, rcgen::KeyUsagePurpose::CrlSign];
    params
}

/// Creates `path` with `mode`, never over an existing file nor through a link.
fn write_new(path: &Path, text: &str, mode: u32) -> Result<(), String> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    file.write_all(text.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))
}

/// Signs a certificate for each name a client asks for, once per name.
#[derive(Debug)]
pub(super) struct SignForSni {
    ca: LocalCa,
    signed: Mutex<HashMap<String, Arc<CertifiedKey>>>,
}

impl SignForSni {
    pub(super) fn new(ca: LocalCa) -> Self {
        Self { ca, signed: Mutex::new(HashMap::new()) }
    }
}

impl ResolvesServerCert for SignForSni {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let name = hello.server_name().unwrap_or("localhost").to_owned();
        let mut signed = self.signed.lock().ok()?;
        if let Some(found) = signed.get(&name) {
            return Some(found.clone());
        }
        let leaf = Arc::new(self.ca.leaf(&name)?);
        signed.insert(name, leaf.clone());
        Some(leaf)
    }
}
