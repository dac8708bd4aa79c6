//! A port that is surely closed when a lesson's step runs. A fixed "nobody listens here" port
//! (the discard port 9, say) is a guess that a machine running that service proves wrong: a
//! lesson writes port 0 in `connect`'s `to` instead, and the step binds an ephemeral port of
//! the same kind on the same address, notes its number and closes it, then connects there.
//! The kernel hands ephemeral ports out in turn, so the one just closed is not given again at
//! once; nothing else on loopback can take it between the close and the connect but another
//! program binding that very port on purpose.

use crate::event::Address;
use std::net::{SocketAddr, TcpListener, UdpSocket};

/// `address` itself, unless its port is 0: then the same address with a port that was just
/// bound and closed (or still 0 if binding failed, so the connect fails and says why).
pub(super) fn resolve(address: Address) -> Address {
    match address {
        Address::Udp(at) if at.port() == 0 => Address::Udp(closed(at, |at| {
            UdpSocket::bind(at).and_then(|socket| socket.local_addr())
        })),
        Address::Ip(at) if at.port() == 0 => Address::Ip(closed(at, |at| {
            TcpListener::bind(at).and_then(|listener| listener.local_addr())
        })),
        Address::Udp(_) | Address::Ip(_) | Address::Unix(_) | Address::UnixDatagram(_) => address,
    }
}

/// `at` with the port `bind` got; the socket is closed when `bind` returns.
fn closed(at: SocketAddr, bind: impl Fn(SocketAddr) -> std::io::Result<SocketAddr>) -> SocketAddr {
    bind(at).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::script::plan::{Act, Step};
    use std::time::Duration;

    #[test]
    fn port_zero_becomes_a_closed_port_that_refuses() {
        let Address::Udp(at) = resolve("udp:127.0.0.1:0".parse().expect("address")) else {
            panic!("still a UDP address");
        };
        assert_ne!(at.port(), 0);
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
        socket.connect(at).expect("connect");
        socket.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
        socket.send(b"anyone there?").expect("send");
        let err = socket.recv(&mut [0; 16]).expect_err("nobody answers");
        assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused, "{err}");
        let Address::Ip(tcp) = resolve("127.0.0.1:0".parse().expect("address")) else {
            panic!("still a TCP address");
        };
        let refused = std::net::TcpStream::connect(tcp).expect_err("closed");
        assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
    }

    #[test]
    fn other_addresses_are_left_alone() {
        for text in ["udp:127.0.0.1:9", "127.0.0.1:80", "unix:/tmp/x.sock"] {
            let address: Address = text.parse().expect("address");
            assert_eq!(resolve(address.clone()), address);
        }
    }

    /// The `datagrams` lesson names no fixed port for its closed one.
    #[test]
    fn the_datagrams_lesson_picks_its_closed_port_at_run_time() {
        let plan = crate::demo::entry("datagrams").expect("a built-in lesson").lesson.plan.clone();
        let targets: Vec<Address> = (plan.steps.iter())
            .filter_map(|step| if let Step::Do(acts) = step { Some(acts) } else { None })
            .flatten()
            .filter_map(|act| if let Act::ConnectTo(to) = act { Some(to.clone()) } else { None })
            .collect();
        assert_eq!(targets, ["udp:127.0.0.1:0".parse::<Address>().expect("address")]);
    }
}
