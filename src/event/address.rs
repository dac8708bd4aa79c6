//! Socket addresses as events name them: `127.0.0.1:9000`, `[::1]:9000`, `unix:/path`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

/// A concrete endpoint of a stream socket: an IP address and port, or a Unix socket path.
///
/// This is the resolved form. Parsing what a person types (`9000`, `localhost:80`) lives in
/// `engine::addr`, because it may need name resolution.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Address {
    Ip(SocketAddr),
    Unix(PathBuf),
}

impl Address {
    /// The IP socket address, if this is one.
    #[must_use]
    pub fn ip(&self) -> Option<SocketAddr> {
        match self {
            Self::Ip(addr) => Some(*addr),
            Self::Unix(_) => None,
        }
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

    /// Parses the literal forms only (`IP:PORT`, `[V6]:PORT`, `unix:/path`), as events print them.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some(path) = text.strip_prefix("unix:") {
            return Ok(Self::Unix(PathBuf::from(path)));
        }
        text.parse::<SocketAddr>().map(Self::Ip).map_err(|_| {
            AddressParseError(format!("'{text}' is not IP:PORT, [V6]:PORT or unix:PATH"))
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
            "description": "IP:PORT, [V6]:PORT or unix:PATH",
            "pattern": "^(unix:.*|\\[[0-9a-fA-F:.%a-zA-Z]+\\]:[0-9]+|[0-9.]+:[0-9]+)$"
        })
    }
}
