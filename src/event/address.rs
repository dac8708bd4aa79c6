//! Socket addresses as events name them: `127.0.0.1:9000`, `[::1]:9000`, `unix:/path`,
//! `unix:@name` (an abstract name), and for datagram sockets `udp:127.0.0.1:9000` and
//! `unixgram:/path`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

/// A concrete endpoint of a socket: an IP address and port or a Unix socket name, for a stream
/// socket (TCP, Unix stream) or a datagram socket (UDP, Unix datagram). The socket type is part
/// of the address because it is part of what a person types (`udp:9000`) and of what a peer is.
///
/// A Unix name whose path starts with `@` is an abstract name (Linux: no file, gone with its
/// last socket), spelled as `ss` and the command line spell it; a file whose name starts with
/// `@` is written `unix:./@name`. This is the resolved form. Parsing what a person types (`9000`, `localhost:80`) lives in
/// `engine::addr`, because it may need name resolution.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Address {
    /// TCP.
    Ip(SocketAddr),
    /// Unix stream socket.
    Unix(PathBuf),
    /// UDP.
    Udp(SocketAddr),
    /// Unix datagram socket.
    UnixDatagram(PathBuf),
}

/// Whether a socket keeps a byte stream or message boundaries: which calls it takes, and how
/// its bytes are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SocketType {
    /// `SOCK_STREAM`: bytes in order, no boundaries (TCP, Unix stream).
    Stream,
    /// `SOCK_DGRAM`: each `sendto` is one datagram, delivered whole or not at all.
    Datagram,
}

impl Address {
    /// The IP socket address, if this is one.
    #[must_use]
    pub fn ip(&self) -> Option<SocketAddr> {
        match self {
            Self::Ip(addr) | Self::Udp(addr) => Some(*addr),
            Self::Unix(_) | Self::UnixDatagram(_) => None,
        }
    }

    /// The Unix socket name, if this is one (an abstract name starts with `@`).
    #[must_use]
    pub fn unix_path(&self) -> Option<&std::path::Path> {
        match self {
            Self::Unix(path) | Self::UnixDatagram(path) => Some(path),
            Self::Ip(_) | Self::Udp(_) => None,
        }
    }

    #[must_use]
    pub fn socket_type(&self) -> SocketType {
        match self {
            Self::Ip(_) | Self::Unix(_) => SocketType::Stream,
            Self::Udp(_) | Self::UnixDatagram(_) => SocketType::Datagram,
        }
    }

    /// Whether this is a Unix abstract name (`unix:@name`), which has no file to remove.
    #[must_use]
    pub fn is_abstract(&self) -> bool {
        self.unix_path().is_some_and(|path| path.as_os_str().as_encoded_bytes().starts_with(b"@"))
    }

    /// Whether this binds every interface (`0.0.0.0` or `[::]`) rather than one.
    #[must_use]
    pub fn is_unspecified(&self) -> bool {
        self.ip().is_some_and(|addr| addr.ip().is_unspecified())
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ip(addr) => write!(f, "{addr}"),
            Self::Unix(path) if path.as_os_str().is_empty() => f.write_str("unix:(unnamed)"),
            Self::Unix(path) => write!(f, "unix:{}", path.display()),
            Self::Udp(addr) => write!(f, "udp:{addr}"),
            Self::UnixDatagram(path) if path.as_os_str().is_empty() => {
                f.write_str("unixgram:(unnamed)")
            }
            Self::UnixDatagram(path) => write!(f, "unixgram:{}", path.display()),
        }
    }
}

/// Why a string is not a literal [`Address`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressParseError(pub String);

impl fmt::Display for AddressParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AddressParseError {}

impl FromStr for Address {
    type Err = AddressParseError;

    /// Parses the literal forms only (`IP:PORT`, `[V6]:PORT`, `unix:/path`, `udp:IP:PORT`,
    /// `unixgram:/path`), as events print them.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some(path) = text.strip_prefix("unix:") {
            return Ok(Self::Unix(PathBuf::from(path)));
        }
        if let Some(path) = text.strip_prefix("unixgram:") {
            return Ok(Self::UnixDatagram(PathBuf::from(path)));
        }
        let (ip, make): (&str, fn(SocketAddr) -> Self) = match text.strip_prefix("udp:") {
            Some(rest) => (rest, Self::Udp),
            None => (text, Self::Ip),
        };
        ip.parse::<SocketAddr>().map(make).map_err(|_| {
            AddressParseError(format!(
                "'{text}' is not IP:PORT, [V6]:PORT, unix:PATH, udp:IP:PORT or unixgram:PATH"
            ))
        })
    }
}

impl Serialize for Address {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Address {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Address".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "IP:PORT, [V6]:PORT or unix:PATH (TCP, Unix stream); udp:IP:PORT, \
                            udp:[V6]:PORT or unixgram:PATH (UDP, Unix datagram); a Unix PATH \
                            starting with @ is an abstract name",
            "pattern": "^(unix:.*|unixgram:.*|(udp:)?(\\[[0-9a-fA-F:.%a-zA-Z]+\\]:[0-9]+|[0-9.]+:[0-9]+))$"
        })
    }
}
