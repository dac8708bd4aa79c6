//! What a live session opens first: a listener, a client connection, or a proxy's listener.
//! The command line decides it; the engine's first command and the runners' rules about how a
//! session ends come from it.

use crate::event::{Address, Command, SocketType};

/// The socket a session starts with, with its addresses resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    Listen {
        addr: Address,
    },
    /// `candidates` are tried in turn (a name may resolve to IPv6 and IPv4).
    Connect {
        candidates: Vec<Address>,
    },
    Proxy {
        listen: Address,
        upstream: Vec<Address>,
    },
}

impl Mode {
    /// The engine command that opens this mode's first socket.
    #[must_use]
    pub fn command(&self) -> Command {
        match self {
            Self::Listen { addr } => Command::Listen { addr: addr.clone() },
            Self::Connect { candidates } => Command::Connect { candidates: candidates.clone() },
            Self::Proxy { listen, upstream } => {
                Command::Proxy { listen: listen.clone(), upstream: upstream.clone() }
            }
        }
    }

    /// Whether this session's first socket is a stream or a datagram socket.
    #[must_use]
    pub fn socket_type(&self) -> SocketType {
        match self {
            Self::Listen { addr } | Self::Proxy { listen: addr, .. } => addr.socket_type(),
            Self::Connect { candidates } => {
                candidates.first().map_or(SocketType::Stream, Address::socket_type)
            }
        }
    }

    /// The address this mode listens on, if it listens.
    #[must_use]
    pub fn listen_address(&self) -> Option<&Address> {
        match self {
            Self::Listen { addr } | Self::Proxy { listen: addr, .. } => Some(addr),
            Self::Connect { .. } => None,
        }
    }
}
