//! The traced program's own readiness calls as `ready` and `interest` events: what its
//! `select`, `poll` or `epoll_wait` returned, with the descriptors as connection ids, and
//! what it asked epoll to watch (`epoll_ctl`). Only sockets are listed: a pipe or a terminal
//! in a `select` set has no connection id.

use super::decode::Call;
use super::fds::{self, Sockets};
use super::memory;
use crate::event::{ConnId, EventKind, Readiness, SelectView};
use nix::unistd::Pid;
use std::collections::HashMap;

const POLLIN: u32 = 0x001;
const POLLPRI: u32 = 0x002;
const POLLOUT: u32 = 0x004;
const POLLERR: u32 = 0x008;
const POLLHUP: u32 = 0x010;
const POLLRDHUP: u32 = 0x2000;
const EPOLL_CTL_DEL: i32 = 2;

/// Rounds counted, and what each epoll instance's user data names.
#[derive(Debug, Default)]
pub struct Rounds {
    round: u64,
    /// Per epoll instance (process, descriptor): the user data a program registered → the
    /// socket inode.
    epoll: HashMap<(i32, i32), HashMap<u64, u64>>,
}

/// Which readiness call made a `ready` event: the `call` field.
#[must_use]
pub fn call_kind(call: &Call) -> Option<&'static str> {
    match call {
        Call::Select { .. } => Some("select"),
        Call::Poll { .. } => Some("poll"),
        Call::EpollWait { .. } => Some("epoll_wait"),
        _ => None,
    }
}

impl Rounds {
    /// The events of a readiness call that returned `result` in `pid`; `None` when `call` is
    /// not one.
    pub fn events(
        &mut self,
        pid: Pid,
        call: Call,
        result: i64,
        sockets: &mut Sockets,
    ) -> Option<Vec<EventKind>> {
        if let Call::EpollCtl { epfd, op, fd, event } = call {
            return Some(self.epoll_ctl(pid, (epfd, op, fd, event), result, sockets));
        }
        call_kind(&call)?;
        if result < 0 {
            // Interrupted or failed: no round.
            return Some(Vec::new());
        }
        let edges = match call {
            Call::Select { nfds, sets } => select(pid, nfds, sets, result, sockets),
            Call::Poll { fds, nfds } => poll(pid, fds, nfds, result, sockets),
            Call::EpollWait { epfd, events } => {
                let names = fds::epoll_instance(pid, epfd).and_then(|i| self.epoll.get(&i));
                epoll_wait(pid, events, result, names, sockets)
            }
            _ => return None,
        };
        self.round += 1;
        Some(vec![EventKind::Ready(edges.into_readiness(self.round))])
    }

    fn epoll_ctl(
        &mut self,
        pid: Pid,
        (epfd, op, fd, event): (i32, i32, i32, u64),
        result: i64,
        sockets: &mut Sockets,
    ) -> Vec<EventKind> {
        let (Some(epoll), Some(inode)) = (fds::epoll_instance(pid, epfd), sockets.inode(pid, fd))
        else {
            return Vec::new();
        };
        if result != 0 {
            return Vec::new();
        }
        let conn = sockets.id(inode).0;
        if op == EPOLL_CTL_DEL {
            self.epoll.entry(epoll).or_default().retain(|_, named| *named != inode);
            return vec![EventKind::Interest { conn, read: false, write: false }];
        }
        let raw = memory::read(pid, event, 12);
        let Some((flags, data)) = epoll_event(&raw) else { return Vec::new() };
        self.epoll.entry(epoll).or_default().insert(data, inode);
        vec![EventKind::Interest { conn, read: flags & POLLIN != 0, write: flags & POLLOUT != 0 }]
    }
}

/// A round's lists, as the call reported them.
#[derive(Debug, Default)]
struct Edges {
    readable: Vec<ConnId>,
    writable: Vec<ConnId>,
    error: Vec<ConnId>,
    read_closed: Vec<ConnId>,
    write_closed: Vec<ConnId>,
    select: Option<SelectView>,
}

impl Edges {
    fn into_readiness(mut self, round: u64) -> Readiness {
        for list in [&mut self.readable, &mut self.writable, &mut self.error] {
            list.sort_unstable();
            list.dedup();
        }
        Readiness {
            round,
            readable: self.readable,
            writable: self.writable,
            error: self.error,
            read_closed: self.read_closed,
            write_closed: self.write_closed,
            still_readable: Vec::new(),
            still_writable: Vec::new(),
            select: self.select.map(Box::new),
        }
    }

    /// Files `conn` under the poll flags it got.
    fn add(&mut self, conn: ConnId, flags: u32) {
        let lists = [
            (POLLIN | POLLPRI, &mut self.readable),
            (POLLOUT, &mut self.writable),
            (POLLERR, &mut self.error),
            (POLLRDHUP, &mut self.read_closed),
            (POLLHUP, &mut self.write_closed),
        ];
        for (flag, list) in lists {
            if flags & flag != 0 {
                list.push(conn);
            }
        }
    }
}

/// The sockets among descriptors `fds` of `pid`, as connection ids in ascending order.
fn conns(pid: Pid, fds: impl IntoIterator<Item = i32>, sockets: &mut Sockets) -> Vec<ConnId> {
    let inodes: Vec<u64> = fds.into_iter().filter_map(|fd| sockets.inode(pid, fd)).collect();
    let mut ids: Vec<ConnId> = inodes.into_iter().map(|inode| sockets.id(inode).0).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// `select`'s three lists: the bits left set in its `fd_set`s after the call.
fn select(pid: Pid, nfds: i32, sets: [u64; 3], result: i64, sockets: &mut Sockets) -> Edges {
    let nfds = nfds.clamp(0, 1024);
    let count = usize::try_from(nfds).unwrap_or(0);
    let bytes = count.div_ceil(64) * 8;
    let mut lists = sets.map(|set| {
        if result <= 0 || set == 0 {
            return Vec::new();
        }
        let raw = memory::read(pid, set, bytes);
        let set_in = |fd: &i32| {
            let bit = fd.unsigned_abs() as usize;
            raw.get(bit / 8).is_some_and(|byte| byte & (1 << (bit % 8)) != 0)
        };
        conns(pid, (0..nfds).filter(set_in), sockets)
    });
    let [readable, writable, exceptional] = std::array::from_fn(|i| std::mem::take(&mut lists[i]));
    Edges { select: Some(SelectView { readable, writable, exceptional }), ..Edges::default() }
}

/// `poll`'s `revents`, per socket.
fn poll(pid: Pid, fds: u64, nfds: u64, result: i64, sockets: &mut Sockets) -> Edges {
    let mut edges = Edges::default();
    if result <= 0 {
        return edges;
    }
    let raw = memory::read(pid, fds, nfds.min(4096) as usize * 8);
    for entry in raw.chunks_exact(8) {
        let fd = i32::from_ne_bytes([entry[0], entry[1], entry[2], entry[3]]);
        let revents = u32::from(u16::from_ne_bytes([entry[6], entry[7]]));
        if revents == 0 {
            continue;
        }
        if let Some(inode) = sockets.inode(pid, fd) {
            edges.add(sockets.id(inode).0, revents);
        }
    }
    edges
}

/// `epoll_wait`'s events; each names its socket through the data given to `epoll_ctl`.
fn epoll_wait(
    pid: Pid,
    events: u64,
    result: i64,
    names: Option<&HashMap<u64, u64>>,
    sockets: &mut Sockets,
) -> Edges {
    let mut edges = Edges::default();
    let count = usize::try_from(result).unwrap_or(0).min(4096);
    let raw = memory::read(pid, events, count * 12);
    for entry in raw.chunks_exact(12) {
        let Some((flags, data)) = epoll_event(entry) else { continue };
        if let Some(&inode) = names.and_then(|names| names.get(&data)) {
            edges.add(sockets.id(inode).0, flags);
        }
    }
    edges
}

/// A `struct epoll_event` (packed on `x86_64`: a 32-bit mask, then 64 bits of user data).
fn epoll_event(raw: &[u8]) -> Option<(u32, u64)> {
    let flags = u32::from_ne_bytes(raw.get(..4)?.try_into().ok()?);
    let data = u64::from_ne_bytes(raw.get(4..12)?.try_into().ok()?);
    Some((flags, data))
}
