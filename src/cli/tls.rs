//! The TLS flags (`--tls`, `--upstream-tls`, `--sni`, `--alpn`, `--ca-cert`, `--insecure`,
//! `--cert`, `--key`) and the engine's `TlsSettings` they make.

use super::config::UsageError;
use crate::engine::{
    ClientOptions, LocalCa, ServerIdentity, TlsSettings, client_config, data_dir, key_log,
    local_ca_config, server_config,
};
use clap::Args;
use rustls::pki_types::ServerName;
use std::path::PathBuf;

#[derive(Args, Debug, Clone, Default)]
pub struct TlsOpts {
    /// Speak TLS: connect as a TLS client; listen (and proxy) as a TLS server (--cert, --key).
    #[arg(long)]
    pub tls: bool,
    /// proxy: speak TLS to the upstream, verified against the system's roots or --ca-cert.
    #[arg(long)]
    pub upstream_tls: bool,
    /// The server name a TLS client asks for (SNI) and verifies; default: the host of ADDR.
    #[arg(long, value_name = "NAME")]
    pub sni: Option<String>,
    /// Application protocols to offer (a client) or accept (a server), e.g. h2,http/1.1.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub alpn: Vec<String>,
    /// Trust only the CA certificates in FILE (PEM) when verifying a TLS server.
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Do not verify the TLS server's certificate (never implied; a warning stays visible).
    #[arg(long)]
    pub insecure: bool,
    /// A TLS server's certificate chain (PEM); without it, sockscope's local CA signs one for
    /// the name the client asks for (see `sockscope ca`).
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,
    /// Log the TLS session secrets to FILE (NSS key log format, created 0600) so a capture can
    /// be decrypted; default: the file SSLKEYLOGFILE names, if set.
    #[arg(long, value_name = "FILE")]
    pub keylog: Option<PathBuf>,
    /// A TLS server's private key (PEM).
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,
}

/// Which side of the mode speaks TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Listen,
    Connect,
    Proxy,
}

/// The engine's TLS settings; `host` is the name or address the client side connects to.
pub fn settings(side: Side, opts: &TlsOpts, host: &str) -> Result<TlsSettings, UsageError> {
    let (serve, dial) = match side {
        Side::Listen => (opts.tls, false),
        Side::Connect => (false, opts.tls),
        Side::Proxy => (opts.tls, opts.upstream_tls),
    };
    if opts.upstream_tls && side != Side::Proxy {
        return Err(UsageError(
            "--upstream-tls is for proxy; connect speaks TLS with --tls".into(),
        ));
    }
    if !serve
        && !dial
        && (opts.sni.is_some()
            || opts.ca_cert.is_some()
            || opts.insecure
            || opts.cert.is_some()
            || opts.keylog.is_some()
            || !opts.alpn.is_empty())
    {
        return Err(UsageError("TLS options need --tls (or --upstream-tls for a proxy)".into()));
    }
    let mut settings = TlsSettings::default();
    // Always logged, so that a recording holds the secrets; to a file only when asked.
    let file = opts
        .keylog
        .clone()
        .or_else(|| std::env::var_os("SSLKEYLOGFILE").filter(|f| !f.is_empty()).map(PathBuf::from));
    let key_log = if serve || dial {
        Some(key_log(file.as_deref(), crate::record::secrets::remember).map_err(UsageError)?)
    } else {
        None
    };
    if serve {
        let config = match (opts.cert.clone(), opts.key.clone()) {
            (Some(cert), Some(key)) => {
                server_config(&ServerIdentity { cert, key }, &opts.alpn, key_log.as_ref())
            }
            _ => local_ca_config(local_ca()?, &opts.alpn, key_log.as_ref()),
        };
        settings.server = Some(config.map_err(UsageError)?);
    }
    if dial {
        let client = ClientOptions {
            ca_cert: opts.ca_cert.clone(),
            insecure: opts.insecure,
            alpn: if serve { Vec::new() } else { opts.alpn.clone() },
            key_log: key_log.clone(),
        };
        let config = client_config(&client).map_err(UsageError)?;
        let name = opts.sni.clone().unwrap_or_else(|| host_of(host));
        let name = ServerName::try_from(name.clone()).map_err(|_| {
            UsageError(format!(
                "'{name}' is not a server name TLS can ask for; give one with --sni NAME"
            ))
        })?;
        settings.client = Some((config, name));
    }
    Ok(settings)
}

/// sockscope's local CA, created on first use.
pub fn local_ca() -> Result<LocalCa, UsageError> {
    let dir = data_dir().ok_or_else(|| {
        UsageError(
            "no data directory for the local CA: set XDG_DATA_HOME or HOME, or give --cert and --key"
                .into(),
        )
    })?;
    LocalCa::open_or_create(&dir).map_err(|e| UsageError(format!("the local CA: {e}")))
}

/// `sockscope ca`: the CA certificate's path, then its PEM (never the key).
pub fn print_ca() -> std::process::ExitCode {
    match local_ca() {
        Ok(ca) => {
            println!("{}", ca.cert_path.display());
            print!("{}", ca.cert_pem);
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

/// The host part of `HOST:PORT`, `[V6]:PORT` or a bare port (loopback).
fn host_of(addr: &str) -> String {
    if let Some(rest) = addr.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default().to_owned();
    }
    match addr.rsplit_once(':') {
        Some((host, _)) if !host.is_empty() => host.to_owned(),
        _ => "127.0.0.1".to_owned(),
    }
}

/// The warning that stays visible for the whole run under `--insecure`.
#[must_use]
pub fn insecure_warning(opts: &TlsOpts) -> Option<String> {
    opts.insecure.then(|| {
        "--insecure: the TLS server's certificate is not verified; anyone on the path can read and change this connection".to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn the_host_of_an_address() {
        assert_eq!(host_of("example.com:443"), "example.com");
        assert_eq!(host_of("[::1]:443"), "::1");
        assert_eq!(host_of("8443"), "127.0.0.1");
    }
}
