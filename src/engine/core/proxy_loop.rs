//! A proxy whose upstream is its own listener: each client's upstream connection is accepted as
//! a new client, whose upstream connection is accepted in turn, as fast as the kernel completes
//! loopback handshakes (thousands a second from one client, until descriptors run out).
//!
//! Two guards. When the listener is bound, an upstream that is plainly its own address (the
//! same address, or the same port on loopback when the listener takes every interface) is
//! refused: the listen fails with an error that says why. A loop the addresses do not show (a
//! name or an interface address that leads back) is caught when it closes: a connection
//! accepted from the local address of one of the proxy's own upstream sockets. That connection
//! is closed at once and the upstream fails with an error, so each client costs one attempt.

use super::Core;
use crate::engine::endpoint::{Endpoint, Role};
use crate::event::{Address, ClosedBy, ConnId, ErrorKind, EventKind, Op};
use std::net::{IpAddr, SocketAddr};

impl Core {
    /// Whether a proxy listener bound at `local` must be refused because one of its upstream
    /// addresses leads back to it; the refusal is reported as a failed listen.
    pub(super) fn refuse_listen_loop(
        &mut self,
        id: ConnId,
        local: &Address,
        upstream: Option<&[Address]>,
    ) -> bool {
        let Some(up) = upstream.and_then(|all| all.iter().find(|up| leads_back(local, up))) else {
            return false;
        };
        let message = format!(
            "cannot proxy {local} to {up}: the upstream is this proxy's own listening address, \
             so every client would be relayed back to the proxy (a loop)"
        );
        self.emit(EventKind::Error { conn: id, op: Op::Listen, kind: ErrorKind::Other, message });
        true
    }

    /// Remembers the local address of a proxy's upstream socket (known as soon as `connect`
    /// starts) and the listener its client came through.
    pub(super) fn note_upstream_socket(&mut self, id: ConnId, client: ConnId, ep: &mut Endpoint) {
        let listener = match self.endpoints.get(&client).map(|c| &c.role) {
            Some(Role::Accepted { listener }) => *listener,
            Some(
                Role::Listener { .. } | Role::Outgoing | Role::Bound { .. } | Role::Flow { .. },
            )
            | None => {
                return;
            }
        };
        if let Ok(Address::Ip(local)) = ep.socket.local_address() {
            let local = canonical(local);
            ep.upstream_local = Some(local);
            self.upstream_locals.insert(local, (id, listener));
        }
    }

    /// Forgets what [`Self::note_upstream_socket`] remembered about `id`.
    pub(super) fn forget_upstream_socket(&mut self, id: ConnId, ep: &Endpoint) {
        let Some(local) = ep.upstream_local else { return };
        if self.upstream_locals.get(&local).is_some_and(|(up, _)| *up == id) {
            self.upstream_locals.remove(&local);
        }
    }

    /// The upstream socket of ours that `peer`, accepted on `listener`, is: a client of
    /// `listener` relayed back to `listener` itself.
    pub(super) fn looped_upstream(
        &self,
        listener: ConnId,
        peer: &Address,
        local: &Address,
    ) -> Option<ConnId> {
        let (upstream, via) = self.upstream_locals.get(&canonical(peer.ip()?))?;
        // Linux gives one source port to several connections with different destinations, so
        // the client's address alone proves nothing: the loop is the upstream socket whose
        // other end is this very connection (its peer is where this one was accepted).
        let upstream_peer = self.endpoints.get(upstream)?.socket.peer_address().ok()?;
        let same_ends = canonical(upstream_peer.ip()?) == canonical(local.ip()?);
        (*via == listener && same_ends).then_some(*upstream)
    }

    /// Closes `id`, accepted from our own upstream socket `upstream` (the caller has dropped
    /// it), and fails that upstream, which resets the client it served.
    pub(super) fn refuse_looped(&mut self, id: ConnId, upstream: ConnId) {
        let message = format!(
            "accepted from this proxy's own upstream socket {upstream}: the upstream leads \
             back to this listener (a loop)"
        );
        self.emit(EventKind::Error { conn: id, op: Op::Accept, kind: ErrorKind::Other, message });
        self.emit(EventKind::Close { conn: id, by: ClosedBy::Error });
        let message = "the upstream address leads back to this proxy's own listener (a loop)";
        self.emit(EventKind::Error {
            conn: upstream,
            op: Op::Connect,
            kind: ErrorKind::Other,
            message: message.to_owned(),
        });
        self.close(upstream, ClosedBy::Error);
    }
}

/// Whether connecting to `upstream` reaches a listener bound at `local`.
fn leads_back(local: &Address, upstream: &Address) -> bool {
    match (local, upstream) {
        (Address::Unix(a), Address::Unix(b))
        | (Address::UnixDatagram(a), Address::UnixDatagram(b)) => a == b,
        (Address::Ip(local), Address::Ip(up)) | (Address::Udp(local), Address::Udp(up)) => {
            let (local, up) = (canonical(*local), canonical(*up));
            if local.port() != up.port() || local.is_ipv4() != up.is_ipv4() {
                return false;
            }
            let target = reached_ip(up.ip());
            local.ip().is_unspecified() && target.is_loopback() || reached_ip(local.ip()) == target
        }
        (Address::Ip(_) | Address::Unix(_) | Address::Udp(_) | Address::UnixDatagram(_), _) => {
            false
        }
    }
}

/// Connecting to `0.0.0.0` or `::` reaches this host's loopback address.
fn reached_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        other => other,
    }
}

/// An IPv4 peer of a dual-stack listener arrives as `::ffff:a.b.c.d`; compare it as IPv4.
fn canonical(addr: SocketAddr) -> SocketAddr {
    SocketAddr::new(addr.ip().to_canonical(), addr.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(text: &str) -> Address {
        text.parse().expect("literal address")
    }

    #[test]
    fn an_upstream_that_is_the_listener_itself_leads_back() {
        let cases = [
            ("127.0.0.1:9000", "127.0.0.1:9000", true),
            ("127.0.0.1:9000", "0.0.0.0:9000", true),
            ("0.0.0.0:9000", "127.0.0.1:9000", true),
            ("0.0.0.0:9000", "127.9.9.9:9000", true),
            ("[::]:9000", "[::1]:9000", true),
            ("[::1]:9000", "[::1]:9000", true),
            ("127.0.0.1:9000", "127.0.0.1:9001", false),
            ("127.0.0.1:9000", "127.0.0.2:9000", false),
            ("127.0.0.1:9000", "[::1]:9000", false),
            ("0.0.0.0:9000", "10.0.0.1:9000", false),
            ("unix:/tmp/p.sock", "unix:/tmp/p.sock", true),
            ("unix:/tmp/p.sock", "unix:/tmp/q.sock", false),
            ("unix:/tmp/p.sock", "127.0.0.1:9000", false),
        ];
        for (local, up, expected) in cases {
            assert_eq!(leads_back(&addr(local), &addr(up)), expected, "{local} -> {up}");
        }
    }

    #[test]
    fn a_mapped_ipv4_peer_is_compared_as_ipv4() {
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:5000".parse().unwrap();
        assert_eq!(canonical(mapped), "127.0.0.1:5000".parse().unwrap());
    }
}
