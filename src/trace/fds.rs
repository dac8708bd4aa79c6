//! Descriptors to sockets: a connection is its socket's inode, so `dup` and `fork` (two
//! descriptors, or two processes, for one socket) do not split it.

use crate::event::{Address, ConnId};
use nix::unistd::Pid;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;

/// What a descriptor names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Named {
    /// The socket with this inode.
    Socket(u64),
    /// Another file (a regular file, a pipe, a terminal).
    Other,
}

impl Named {
    fn inode(self) -> Option<u64> {
        match self {
            Self::Socket(inode) => Some(inode),
            Self::Other => None,
        }
    }
}

/// What `fd` names in `pid`; `None` when it names nothing (or `pid` is gone), which is not
/// remembered.
fn socket_target(pid: Pid, fd: i32) -> Option<Named> {
    let target = std::fs::read_link(format!("/proc/{pid}/fd/{fd}")).ok()?;
    let inode = target
        .to_str()
        .and_then(|text| text.strip_prefix("socket:[")?.strip_suffix(']')?.parse().ok());
    Some(inode.map_or(Named::Other, Named::Socket))
}

/// Which epoll instance `fd` is in `pid`: its process (thread group) and the descriptor,
/// since every epoll instance links to the one `anon_inode:[eventpoll]`; `None` when `fd` is
/// not an epoll descriptor.
pub fn epoll_instance(pid: Pid, fd: i32) -> Option<(i32, i32)> {
    let target = std::fs::read_link(format!("/proc/{pid}/fd/{fd}")).ok()?;
    if target.as_os_str() != "anon_inode:[eventpoll]" {
        return None;
    }
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let tgid = status.lines().find_map(|line| line.strip_prefix("Tgid:")?.trim().parse().ok())?;
    Some((tgid, fd))
}

/// Whether any of `pids` still has a descriptor for the socket `inode`.
pub fn held_by_any(pids: impl IntoIterator<Item = Pid>, inode: u64) -> bool {
    let wanted = format!("socket:[{inode}]");
    pids.into_iter().any(|pid| {
        let Ok(entries) = std::fs::read_dir(format!("/proc/{pid}/fd")) else { return false };
        entries.flatten().any(|entry| {
            std::fs::read_link(entry.path()).is_ok_and(|target| target.as_os_str() == &*wanted)
        })
    })
}

/// A TCP socket's state and addresses, as `/proc/PID/net/tcp{,6}` show them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TcpEntry {
    pub local: Address,
    pub peer: Address,
    /// The kernel's state number: 1 established, 2 SYN sent, 10 listening, ...
    pub state: u8,
}

pub const ESTABLISHED: u8 = 1;

/// The TCP entry of the socket `inode` as `pid` sees it (its network namespace).
pub fn tcp_entry(pid: Pid, inode: u64) -> Option<TcpEntry> {
    ["tcp", "tcp6"].iter().find_map(|table| {
        let text = std::fs::read_to_string(format!("/proc/{pid}/net/{table}")).ok()?;
        text.lines().skip(1).find_map(|line| parse_tcp_line(line, inode))
    })
}

fn parse_tcp_line(line: &str, inode: u64) -> Option<TcpEntry> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    if fields.get(9)?.parse::<u64>().ok()? != inode {
        return None;
    }
    Some(TcpEntry {
        local: Address::Ip(proc_address(fields[1])?),
        peer: Address::Ip(proc_address(fields[2])?),
        state: u8::from_str_radix(fields[3], 16).ok()?,
    })
}

/// `0100007F:1F90` (IPv4) or 32 hex digits and a port (IPv6): 32-bit words in host order.
fn proc_address(text: &str) -> Option<SocketAddr> {
    let (ip, port) = text.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let mut bytes = Vec::with_capacity(16);
    for at in (0..ip.len()).step_by(8) {
        let word = u32::from_str_radix(ip.get(at..at + 8)?, 16).ok()?;
        bytes.extend_from_slice(&word.to_ne_bytes());
    }
    let ip = match bytes.len() {
        4 => IpAddr::V4(Ipv4Addr::from(<[u8; 4]>::try_from(bytes).ok()?)),
        16 => IpAddr::V6(Ipv6Addr::from(<[u8; 16]>::try_from(bytes).ok()?)),
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

/// A `struct sockaddr` as the program passed it (`bind`, `connect`).
pub fn sockaddr(raw: &[u8]) -> Option<Address> {
    let family = u16::from_ne_bytes([*raw.first()?, *raw.get(1)?]);
    let port = || u16::from_be_bytes([raw[2], raw[3]]);
    match i32::from(family) {
        libc::AF_INET if raw.len() >= 8 => {
            let ip = Ipv4Addr::new(raw[4], raw[5], raw[6], raw[7]);
            Some(Address::Ip(SocketAddr::new(IpAddr::V4(ip), port())))
        }
        libc::AF_INET6 if raw.len() >= 24 => {
            let ip = Ipv6Addr::from(<[u8; 16]>::try_from(&raw[8..24]).ok()?);
            Some(Address::Ip(SocketAddr::new(IpAddr::V6(ip), port())))
        }
        libc::AF_UNIX => {
            let path = &raw[2..];
            let end = path.iter().position(|&b| b == 0).unwrap_or(path.len());
            let path = String::from_utf8_lossy(&path[..end]).into_owned();
            Some(Address::Unix(PathBuf::from(path)))
        }
        _ => None,
    }
}

/// Socket inodes and the connection ids they were given, in order of first sight.
#[derive(Debug, Default)]
pub struct Sockets {
    /// What each descriptor of each thread names (a socket's inode, or `None` for another
    /// file), so a call costs no `/proc/PID/fd/N` lookup once its descriptor is known. A
    /// descriptor is forgotten (in every thread, since threads share descriptors) when a
    /// traced call may change what it names: `close`, `dup2`, `dup3`, `close_range`, the
    /// descriptor a `socket` or `accept` returns; all are forgotten at an `exec`.
    names: HashMap<(Pid, i32), Named>,
    ids: HashMap<u64, ConnId>,
    /// Ids given so far: an id is never reused, even for a later socket on the same inode.
    issued: u64,
    /// What `bind` named, for a listener's or a Unix socket's address.
    bound: HashMap<u64, Address>,
}

impl Sockets {
    /// The inode of the socket `fd` names in `pid`, or `None` when it is not a socket
    /// (`/proc/PID/fd/N` is `socket:[INODE]`), remembered.
    pub fn inode(&mut self, pid: Pid, fd: i32) -> Option<u64> {
        if let Some(&known) = self.names.get(&(pid, fd)) {
            return known.inode();
        }
        let found = socket_target(pid, fd)?;
        self.names.insert((pid, fd), found);
        found.inode()
    }

    /// Forgets what descriptors `first..=last` name, in every thread.
    pub fn forget_fds(&mut self, first: i32, last: i32) {
        self.names.retain(|&(_, fd), _| fd < first || fd > last);
    }

    /// Forgets the descriptors of a thread that has ended (its id may be given again).
    pub fn forget_thread(&mut self, pid: Pid) {
        self.names.retain(|&(thread, _), _| thread != pid);
    }

    /// Forgets what every descriptor names (an `exec` closed some and kept others).
    pub fn forget_all_fds(&mut self) {
        self.names.clear();
    }

    /// The id of `inode`, and whether this is the first time it is seen.
    pub fn id(&mut self, inode: u64) -> (ConnId, bool) {
        if let Some(&id) = self.ids.get(&inode) {
            return (id, false);
        }
        self.issued += 1;
        let id = ConnId(self.issued);
        self.ids.insert(inode, id);
        (id, true)
    }

    pub fn known(&self, inode: u64) -> Option<ConnId> {
        self.ids.get(&inode).copied()
    }

    pub fn bind(&mut self, inode: u64, address: Address) {
        self.bound.insert(inode, address);
    }

    pub fn bound(&self, inode: u64) -> Option<&Address> {
        self.bound.get(&inode)
    }

    /// Forgets a closed socket: the kernel may give its inode to a later one.
    pub fn forget(&mut self, inode: u64) {
        self.ids.remove(&inode);
        self.bound.remove(&inode);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_net_tcp_lines_read_as_addresses_and_state() {
        let line = "   0: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 \
                    00000000  1000        0 4242 1 0000000000000000 20 4 30 10 -1";
        let entry = parse_tcp_line(line, 4242).unwrap();
        assert_eq!(entry.local, Address::Ip("127.0.0.1:8080".parse().unwrap()));
        assert_eq!(entry.peer, Address::Ip("127.0.0.1:54321".parse().unwrap()));
        assert_eq!(entry.state, ESTABLISHED);
        assert_eq!(parse_tcp_line(line, 4243), None);
    }

    #[test]
    fn a_sockaddr_in_reads_as_its_address() {
        let raw = [2, 0, 0x1f, 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(sockaddr(&raw), Some(Address::Ip("127.0.0.1:8080".parse().unwrap())));
    }

    #[test]
    fn a_dup_or_a_fork_keeps_one_id_per_inode() {
        let mut sockets = Sockets::default();
        assert_eq!(sockets.id(77), (ConnId(1), true));
        assert_eq!(sockets.id(88), (ConnId(2), true));
        assert_eq!(sockets.id(77), (ConnId(1), false));
    }
}
