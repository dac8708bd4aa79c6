//! What a person types as an address, turned into the concrete addresses the engine uses.
//!
//! Accepted forms (the address forms of `docs/events.md`): `PORT` alone (loopback, so that a
//! quick test never exposes a socket to the network), `HOST:PORT`, `IP:PORT`, `[V6]:PORT`, any
//! of these after `tcp:` (the default) or `udp:` (a datagram socket), `unix:/path` and
//! `unixgram:/path` (Unix stream and datagram sockets; `@name` instead of a path is an abstract
//! name). Port 0 asks the system for a free port. Errors are one sentence that names what
//! the person typed, because they end up on a terminal as the only explanation of exit code 2.

use crate::event::Address;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV6, ToSocketAddrs};
use std::path::PathBuf;

/// Why a typed address cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddrError {
    /// The text is not in any accepted form; the message says which part is wrong.
    Syntax(String),
    /// The text is well formed but its host name does not resolve.
    Resolve(String),
}

impl fmt::Display for AddrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax(message) | Self::Resolve(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for AddrError {}

/// Every address `text` stands for, in resolver order without duplicates.
///
/// A host name may stand for several addresses (IPv6 and IPv4); a client tries them in turn, a
/// listener uses the first.
pub fn resolve(text: &str) -> Result<Vec<Address>, AddrError> {
    if let Some(path) = text.strip_prefix("unix:") {
        return unix_path(text, path).map(|path| vec![Address::Unix(path)]);
    }
    if let Some(path) = text.strip_prefix("unixgram:") {
        return unix_path(text, path).map(|path| vec![Address::UnixDatagram(path)]);
    }
    if let Some(rest) = text.strip_prefix("udp:") {
        let to_udp = |addr: Address| addr.ip().map_or(addr, Address::Udp);
        return in_context(text, resolve_ip(rest)).map(|all| all.into_iter().map(to_udp).collect());
    }
    if let Some(rest) = text.strip_prefix("tcp:") {
        return in_context(text, resolve_ip(rest));
    }
    resolve_ip(text)
}

/// The accepted forms, for an error that has to name them.
pub const ACCEPTED_FORMS: &str = "PORT, HOST:PORT, [V6]:PORT (TCP, also after tcp:), \
     udp:PORT, udp:HOST:PORT, udp:[V6]:PORT, unix:/path, unixgram:/path, unix:@name or unixgram:@name";

/// An error about the part after a scheme names the whole text the person typed.
fn in_context(
    text: &str,
    result: Result<Vec<Address>, AddrError>,
) -> Result<Vec<Address>, AddrError> {
    let rest = text.split_once(':').map_or(text, |(_, rest)| rest);
    result.map_err(|error| match error {
        AddrError::Syntax(message) if !message.contains(&format!("'{text}'")) => {
            AddrError::Syntax(message.replacen(&format!("'{rest}'"), &format!("'{text}'"), 1))
        }
        other => other,
    })
}

/// A TCP address (or the part after `udp:`): `PORT`, `HOST:PORT`, `[V6]:PORT`.
fn resolve_ip(text: &str) -> Result<Vec<Address>, AddrError> {
    if text.is_empty() {
        return Err(syntax(format!(
            "an empty string is not an address (expected {ACCEPTED_FORMS})"
        )));
    }
    if text.bytes().all(|byte| byte.is_ascii_digit()) {
        let port = port_number(text, text)?;
        return Ok(vec![Address::Ip(SocketAddr::new(Ipv4Addr::LOCALHOST.into(), port))]);
    }
    if let Some(rest) = text.strip_prefix('[') {
        return bracketed_v6(text, rest).map(|addr| vec![Address::Ip(SocketAddr::V6(addr))]);
    }
    host_and_port(text)
}

/// Every address `text` stands for, as somewhere to connect to: like [`resolve`], but port 0,
/// which only asks a listener to pick a free port, is refused (a connect to it never succeeds,
/// and a proxy whose listener also took port 0 would look like it loops).
pub fn resolve_peer(text: &str) -> Result<Vec<Address>, AddrError> {
    let addresses = resolve(text)?;
    if addresses.iter().any(|addr| addr.ip().is_some_and(|ip| ip.port() == 0)) {
        return Err(syntax(format!(
            "'{text}' has port 0, which only a listener may use (to pick a free port): \
             give the port to connect to"
        )));
    }
    Ok(addresses)
}

/// Whether a listener on `addr` is reachable from other machines (`0.0.0.0` or `[::]`).
#[must_use]
pub fn binds_all_interfaces(addr: &Address) -> bool {
    addr.is_unspecified()
}

fn syntax(message: impl Into<String>) -> AddrError {
    AddrError::Syntax(message.into())
}

/// A Unix socket path, or an abstract name (`@name`, kept with its `@`: see [`Address`]).
fn unix_path(text: &str, path: &str) -> Result<PathBuf, AddrError> {
    let scheme = text.strip_suffix(path).unwrap_or("unix:");
    if path.is_empty() {
        return Err(syntax(format!(
            "'{text}' has no path (expected {scheme}/path/to/socket or {scheme}@name)"
        )));
    }
    if path == "@" {
        return Err(syntax(format!("'{text}' has no abstract name after '@'")));
    }
    // sockaddr_un holds 108 bytes with the terminating NUL (an abstract name has a leading NUL
    // instead).
    if path.len() > 107 {
        return Err(syntax(format!(
            "'{text}' is too long for a Unix socket name ({} bytes; at most 107)",
            path.len()
        )));
    }
    Ok(PathBuf::from(path))
}

/// `NAME:…` or `NAME://…` where NAME looks like a URL scheme (`tls:`, `http://`): a form this
/// tool does not speak, rather than a host.
fn unknown_scheme(text: &str) -> Option<&str> {
    let (name, rest) = text.split_once(':')?;
    let not_host_port = rest.starts_with("//") || rest.contains(':') || rest.starts_with('/');
    (unknown_scheme_name(name) && not_host_port).then_some(name)
}

/// Letters first, then letters, digits, `+`, `.` or `-`: the shape of a URL scheme.
fn unknown_scheme_name(name: &str) -> bool {
    name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b))
}

/// `[V6]:PORT`; `rest` is `text` without its leading `[`.
fn bracketed_v6(text: &str, rest: &str) -> Result<SocketAddrV6, AddrError> {
    let Some((host, after)) = rest.split_once(']') else {
        return Err(syntax(format!("'{text}' is not an address: missing ']'")));
    };
    let Some(port_text) = after.strip_prefix(':') else {
        return Err(if after.is_empty() {
            syntax(format!("'{text}' has no port (expected [V6]:PORT)"))
        } else {
            syntax(format!("'{text}' is not an address: expected ':' and a port after ']'"))
        });
    };
    let port = port_number(text, port_text)?;
    // The standard parser also understands a numeric scope id such as `[fe80::1%2]:80`.
    format!("[{host}]:{port}")
        .parse()
        .map_err(|_| syntax(format!("'{text}' is not an address: '{host}' is not an IPv6 address")))
}

/// `HOST:PORT` or `IP:PORT`, resolving names.
fn host_and_port(text: &str) -> Result<Vec<Address>, AddrError> {
    let Some((host, port_text)) = text.rsplit_once(':') else {
        return Err(syntax(format!("'{text}' has no port (expected {ACCEPTED_FORMS})")));
    };
    if host.parse::<std::net::Ipv6Addr>().is_ok() || host.starts_with(':') {
        return Err(syntax(format!(
            "'{text}' is not an address: write an IPv6 address in brackets, as in [::1]:80"
        )));
    }
    if let Some(scheme) = unknown_scheme(text) {
        return Err(syntax(format!(
            "'{text}' is not an address: sockscope does not speak '{scheme}:' \
             (accepted forms: {ACCEPTED_FORMS})"
        )));
    }
    if host.contains(':') {
        return Err(syntax(format!(
            "'{text}' is not an address: write an IPv6 address in brackets, as in [::1]:80"
        )));
    }
    if host.is_empty() {
        return Err(syntax(format!(
            "'{text}' has no host (write 127.0.0.1{text}, or the port alone for loopback)"
        )));
    }
    // The resolver would read a bare number as an IPv4 address (22100 is 0.0.86.84), which
    // is never what `PORT:PORT` meant.
    if host.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(syntax(format!(
            "'{text}' is not an address: '{host}' is a number, not a host \
             (expected {ACCEPTED_FORMS})"
        )));
    }
    if !port_text.bytes().all(|byte| byte.is_ascii_digit()) && unknown_scheme_name(host) {
        return Err(syntax(format!(
            "'{text}' is not an address: '{port_text}' is not a port number, and \
             sockscope does not speak '{host}:' (accepted forms: {ACCEPTED_FORMS})"
        )));
    }
    let port = port_number(text, port_text)?;
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![Address::Ip(SocketAddr::new(ip, port))]);
    }
    lookup(host, port)
}

/// The port in `text`: decimal digits only (no sign, no service names), 0 to 65535.
fn port_number(text: &str, port: &str) -> Result<u16, AddrError> {
    if port.is_empty() {
        return Err(syntax(format!("'{text}' has no port")));
    }
    if !port.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(syntax(format!("'{text}' is not an address: '{port}' is not a port number")));
    }
    port.parse().map_err(|_| {
        if text == port {
            syntax(format!("'{port}' is not a valid port (0-65535)"))
        } else {
            syntax(format!("'{text}' is not an address: '{port}' is not a valid port (0-65535)"))
        }
    })
}

/// Resolves a host name with the system resolver, keeping its order and dropping repeats.
fn lookup(host: &str, port: u16) -> Result<Vec<Address>, AddrError> {
    let found = (host, port)
        .to_socket_addrs()
        .map_err(|err| AddrError::Resolve(format!("cannot resolve '{host}': {err}")))?;
    let mut addresses: Vec<Address> = Vec::new();
    for addr in found.map(Address::Ip) {
        if !addresses.contains(&addr) {
            addresses.push(addr);
        }
    }
    if addresses.is_empty() {
        return Err(AddrError::Resolve(format!("cannot resolve '{host}': no addresses found")));
    }
    Ok(addresses)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Address {
        Address::Ip(text.parse().expect("test address"))
    }

    #[test]
    fn literal_forms_resolve_without_a_lookup() {
        let cases = [
            ("9000", ip("127.0.0.1:9000")),
            ("0", ip("127.0.0.1:0")),
            ("65535", ip("127.0.0.1:65535")),
            ("10.1.2.3:80", ip("10.1.2.3:80")),
            ("0.0.0.0:9000", ip("0.0.0.0:9000")),
            ("[::1]:8080", ip("[::1]:8080")),
            ("[::]:1", ip("[::]:1")),
            ("[fe80::1%2]:80", ip("[fe80::1%2]:80")),
            ("unix:/tmp/s.sock", Address::Unix("/tmp/s.sock".into())),
            ("unix:relative.sock", Address::Unix("relative.sock".into())),
            ("unix:@name", Address::Unix("@name".into())),
            ("unixgram:/tmp/d.sock", Address::UnixDatagram("/tmp/d.sock".into())),
            ("unixgram:@name", Address::UnixDatagram("@name".into())),
            ("tcp:9000", ip("127.0.0.1:9000")),
            ("tcp:10.1.2.3:80", ip("10.1.2.3:80")),
            ("udp:9000", Address::Udp("127.0.0.1:9000".parse().expect("udp"))),
            ("udp:10.1.2.3:53", Address::Udp("10.1.2.3:53".parse().expect("udp"))),
            ("udp:[::1]:53", Address::Udp("[::1]:53".parse().expect("udp"))),
        ];
        for (text, expected) in cases {
            assert_eq!(resolve(text), Ok(vec![expected]), "{text}");
        }
    }

    #[test]
    fn malformed_input_is_a_syntax_error_naming_the_input() {
        let cases = [
            ("99999", "'99999' is not a valid port (0-65535)"),
            ("65536", "'65536' is not a valid port (0-65535)"),
            ("123456789012345678901234567890", "is not a valid port (0-65535)"),
            ("localhost:", "'localhost:' has no port"),
            ("localhost", "'localhost' has no port"),
            ("[::1:80", "'[::1:80' is not an address: missing ']'"),
            ("[::1]", "'[::1]' has no port"),
            ("[::1]80", "expected ':' and a port after ']'"),
            ("[nope]:80", "'nope' is not an IPv6 address"),
            ("[::1]:70000", "'70000' is not a valid port (0-65535)"),
            ("::1:80", "write an IPv6 address in brackets"),
            ("127.0.0.1:http", "'http' is not a port number"),
            ("127.0.0.1:+80", "'+80' is not a port number"),
            ("127.0.0.1:-1", "'-1' is not a port number"),
            (":80", "':80' has no host"),
            ("22100:22100", "'22100' is a number, not a host (expected PORT, HOST:PORT"),
            ("0:80", "'0' is a number, not a host"),
            ("unix:", "'unix:' has no path"),
            ("unixgram:", "'unixgram:' has no path (expected unixgram:/path/to/socket"),
            ("unix:@", "'unix:@' has no abstract name"),
            ("", "an empty string is not an address"),
            ("udp:", "an empty string is not an address"),
            ("udp:99999", "'udp:99999' is not a valid port"),
            ("udp:::1:53", "write an IPv6 address in brackets"),
            ("udp:[::1]", "'udp:[::1]' has no port"),
            ("tls:example.com:443", "sockscope does not speak 'tls:' (accepted forms: PORT"),
            ("http://localhost:80", "sockscope does not speak 'http:'"),
            ("tls:example.com", "sockscope does not speak 'tls:'"),
            ("fe80::1:80", "write an IPv6 address in brackets"),
        ];
        for (text, expected) in cases {
            match resolve(text) {
                Err(AddrError::Syntax(message)) => {
                    assert!(message.contains(expected), "{text}: {message}");
                }
                other => panic!("{text}: expected a syntax error, got {other:?}"),
            }
        }
    }

    #[test]
    fn port_zero_is_no_place_to_connect_to() {
        for text in ["0", "127.0.0.1:0", "[::1]:0", "udp:0"] {
            let message = resolve_peer(text).expect_err(text).to_string();
            assert!(message.contains("port 0, which only a listener may use"), "{text}: {message}");
        }
        assert_eq!(resolve_peer("9000"), resolve("9000"));
    }

    #[test]
    fn localhost_resolves_to_loopback_only() {
        let addresses = resolve("localhost:7").expect("localhost resolves");
        assert!(!addresses.is_empty());
        for addr in &addresses {
            let ip = addr.ip().expect("an IP address");
            assert!(ip.ip().is_loopback() && ip.port() == 7, "{addr}");
        }
        let mut unique = addresses.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), addresses.len(), "duplicates in {addresses:?}");
    }

    #[test]
    fn all_interfaces_is_detected() {
        let cases = [
            ("0.0.0.0:1", true),
            ("[::]:1", true),
            ("127.0.0.1:1", false),
            ("9000", false),
            ("unix:/x", false),
            ("udp:0.0.0.0:1", true),
            ("udp:9000", false),
        ];
        for (text, expected) in cases {
            let addresses = resolve(text).expect("literal");
            assert_eq!(binds_all_interfaces(&addresses[0]), expected, "{text}");
        }
    }
}
