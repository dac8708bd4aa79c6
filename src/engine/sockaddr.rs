//! Converting between the event vocabulary's [`Address`] and the system's socket addresses.
//!
//! A Unix name is spelled with a leading `@` when it is abstract (see [`Address`]); the system
//! spells it with a leading NUL byte instead, which is how socket2 and rustix take it.

use crate::event::Address;
use rustix::net::{SocketAddrAny, SocketAddrUnix};
use socket2::SockAddr;
use std::ffi::OsStr;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The system address for `address` (an abstract name gets its leading NUL).
pub(super) fn sock_addr(address: &Address) -> io::Result<SockAddr> {
    match address {
        Address::Ip(ip) | Address::Udp(ip) => Ok(SockAddr::from(*ip)),
        Address::Unix(path) | Address::UnixDatagram(path) => unix_sock_addr(path),
    }
}

/// A Unix socket address; `@name` is the abstract name `name`.
pub(super) fn unix_sock_addr(path: &Path) -> io::Result<SockAddr> {
    match abstract_name(path) {
        Some(name) => {
            let mut bytes = Vec::with_capacity(name.len() + 1);
            bytes.push(0);
            bytes.extend_from_slice(name);
            SockAddr::unix(OsStr::from_bytes(&bytes))
        }
        None => SockAddr::unix(path),
    }
}

/// The name after `@`, when `path` spells an abstract name.
pub(super) fn abstract_name(path: &Path) -> Option<&[u8]> {
    path.as_os_str().as_bytes().strip_prefix(b"@")
}

/// A Unix address as std reports it (a path, an abstract name, or unnamed: an empty path).
pub(super) fn from_std_unix(addr: &std::os::unix::net::SocketAddr) -> PathBuf {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        #[cfg(target_os = "android")]
        use std::os::android::net::SocketAddrExt;
        #[cfg(target_os = "linux")]
        use std::os::linux::net::SocketAddrExt;
        if let Some(name) = addr.as_abstract_name() {
            return at_name(name);
        }
    }
    addr.as_pathname().map(Path::to_path_buf).unwrap_or_default()
}

/// The sender of a datagram, as `recvfrom` reported it, in the address kind of the socket it
/// arrived on (`datagram_kind`: `Address::Udp` or `Address::UnixDatagram`).
pub(super) fn from_any(addr: Option<SocketAddrAny>, unix: bool) -> Address {
    if unix {
        let path = addr.and_then(|a| SocketAddrUnix::try_from(a).ok()).map(|unix| {
            match (unix.abstract_name(), unix.path_bytes()) {
                (Some(name), _) => at_name(name),
                (None, Some(bytes)) => PathBuf::from(OsStr::from_bytes(bytes)),
                (None, None) => PathBuf::new(),
            }
        });
        return Address::UnixDatagram(path.unwrap_or_default());
    }
    let ip = addr.and_then(|a| std::net::SocketAddr::try_from(a).ok());
    Address::Udp(ip.unwrap_or_else(|| std::net::SocketAddr::from(([0, 0, 0, 0], 0))))
}

fn at_name(name: &[u8]) -> PathBuf {
    let mut bytes = Vec::with_capacity(name.len() + 1);
    bytes.push(b'@');
    bytes.extend_from_slice(name);
    PathBuf::from(OsStr::from_bytes(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_at_sign_spells_an_abstract_name() {
        let addr = unix_sock_addr(Path::new("@scope")).expect("abstract");
        assert_eq!(addr.as_abstract_namespace(), Some(&b"scope"[..]));
        let addr = unix_sock_addr(Path::new("/tmp/x")).expect("path");
        assert_eq!(addr.as_pathname(), Some(Path::new("/tmp/x")));
    }
}
