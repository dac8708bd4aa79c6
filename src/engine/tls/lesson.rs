//! The TLS a lesson speaks (`tls = true` in its `[server]`): a CA and a certificate for
//! `localhost` it signs, made in memory when the lesson is read, so a lesson writes nothing
//! to disk (the local CA stays untouched) and its client trusts exactly its server.
//!
//! Both keys are Ed25519 and the serial numbers fixed, so every certificate, signature and
//! therefore every handshake record has the same size on every run: a lesson makes the same
//! calls at any pace, and ECDSA's signatures, whose DER length varies, would not.

use super::TlsSettings;
use super::config::provider;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, PKCS_ED25519, SerialNumber,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use rustls::{ClientConfig, RootCertStore, ServerConfig};
use std::sync::Arc;

/// The name the lesson's client asks for and its certificate carries.
const NAME: &str = "localhost";

/// Client and server settings for a lesson's sockets; an error says what could not be made.
pub fn lesson_settings() -> Result<TlsSettings, String> {
    let failed = |e: &dyn std::fmt::Display| format!("the lesson's certificate: {e}");
    let ca_key = KeyPair::generate_for(&PKCS_ED25519).map_err(|e| failed(&e))?;
    let mut ca_params = CertificateParams::new(Vec::new()).map_err(|e| failed(&e))?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "sockscope lesson CA");
    ca_params.serial_number = Some(SerialNumber::from(1_u64));
    let ca = ca_params.self_signed(&ca_key).map_err(|e| failed(&e))?;
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate_for(&PKCS_ED25519).map_err(|e| failed(&e))?;
    let mut leaf_params = CertificateParams::new(vec![NAME.to_owned()]).map_err(|e| failed(&e))?;
    leaf_params.distinguished_name.push(DnType::CommonName, NAME);
    leaf_params.serial_number = Some(SerialNumber::from(2_u64));
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).map_err(|e| failed(&e))?;

    let mut roots = RootCertStore::empty();
    roots.add(ca.der().clone()).map_err(|e| failed(&e))?;
    let mut client = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| failed(&e))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    // Every connection a full handshake: a lesson run again (or a second client) makes the
    // same calls as the first, not a shorter resumption.
    client.resumption = rustls::client::Resumption::disabled();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let server = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| failed(&e))?
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone()], key)
        .map_err(|e| failed(&e))?;
    let name = ServerName::try_from(NAME).map_err(|e| failed(&e))?;
    Ok(TlsSettings { client: Some((Arc::new(client), name)), server: Some(Arc::new(server)) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::{ClientConnection, Connection, ServerConnection};

    /// The sizes of the flights of one handshake between fresh settings, in memory.
    fn flight_sizes() -> Vec<usize> {
        let settings = lesson_settings().expect("settings");
        let (config, name) = settings.client.expect("a client config");
        let client = ClientConnection::new(config, name).expect("a client");
        let server = ServerConnection::new(settings.server.expect("a server config"));
        let mut ends = [Connection::from(client), Connection::from(server.expect("a server"))];
        let mut sizes = Vec::new();
        for turn in 0..8 {
            let (from, to) = if turn % 2 == 0 { (0, 1) } else { (1, 0) };
            let mut wire = Vec::new();
            while ends[from].wants_write() {
                ends[from].write_tls(&mut wire).expect("written");
            }
            sizes.push(wire.len());
            let mut rest = wire.as_slice();
            while !rest.is_empty() {
                ends[to].read_tls(&mut rest).expect("read");
                ends[to].process_new_packets().expect("a good record");
            }
        }
        assert!(!ends[0].is_handshaking() && !ends[1].is_handshaking(), "{sizes:?}");
        sizes
    }

    /// Two runs make certificates and signatures of the same sizes, so their handshakes
    /// move the same numbers of bytes.
    #[test]
    fn every_run_moves_the_same_handshake_sizes() {
        let first = flight_sizes();
        assert!(first.iter().filter(|&&n| n > 0).count() >= 3, "{first:?}");
        for _ in 0..3 {
            assert_eq!(flight_sizes(), first);
        }
    }
}
