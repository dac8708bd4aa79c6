//! A finished socket call as events: its real result (a byte count, `would_block` for
//! EAGAIN, `eof` for 0, `error` with the errno's kind), in the vocabulary of `docs/events.md`.

use super::decode::{Buffer, Call, Entry};

mod descriptors;
use super::asked::Asked;
use super::fds::{self, Sockets};
use super::readiness::{self, Rounds};
use super::{memory, options};
use crate::event::{Address, CallSite, ClosedBy, ConnId, ErrorKind, EventKind, How, Op};
use bytes::Bytes;
use nix::errno::Errno;
use nix::unistd::Pid;
use std::collections::HashSet;

/// The traced program's sockets, and what their calls become.
#[derive(Debug, Default)]
pub struct Calls {
    sockets: Sockets,
    /// Sockets whose connect is in progress (EINPROGRESS): `connected` is said at the first
    /// call on them after the kernel shows them established.
    connecting: HashSet<u64>,
    rounds: Rounds,
    /// What the program's `select` and `poll` calls ask about: its interest.
    asked: Asked,
    /// `--snap`: the most bytes of a call's data read from the program.
    snap: Option<usize>,
}

/// One event and the call it came from.
pub type Traced = (EventKind, CallSite);

impl Calls {
    pub fn set_snap(&mut self, snap: Option<usize>) {
        self.snap = snap;
    }

    /// The events of `entry`, which returned `result` in `pid`. `closing` is what
    /// [`Calls::before_call`] found; `live` are the traced processes, which may still hold
    /// a closed descriptor's socket (a `fork`, a `dup`).
    pub fn finish(
        &mut self,
        pid: Pid,
        entry: Entry,
        closing: Option<u64>,
        result: i64,
        live: &[Pid],
    ) -> Vec<Traced> {
        // An interrupted call the kernel restarts (ERESTARTSYS and kin) is not a result.
        if (-516..=-512).contains(&result) {
            return Vec::new();
        }
        self.forget_changed(entry.call, result);
        let call = readiness::call_kind(&entry.call);
        let site =
            CallSite { pid: pid.as_raw(), syscall: entry.syscall, fd: entry.call.fd(), call };
        if let Some(kinds) = self.rounds.events(pid, entry.call, result, &mut self.sockets) {
            // What the call asked comes before what it got.
            let asked = self.asked.finished(pid, result >= 0, &mut self.sockets);
            return asked.into_iter().chain(kinds).map(|kind| (kind, site)).collect();
        }
        let inode = match entry.call {
            Call::Socket => return self.opened(pid, result),
            Call::Close { .. } => return self.closed(closing, result, live, site),
            _ => entry.call.fd().and_then(|fd| self.sockets.inode(pid, fd)),
        };
        let Some(inode) = inode else { return Vec::new() };
        let (conn, _) = self.sockets.id(inode);
        let mut out: Vec<EventKind> =
            self.connected_meanwhile(pid, inode, conn).into_iter().collect();
        let at = Context { pid, conn, inode, result, snap: self.snap };
        out.extend(self.kinds(&at, entry.call));
        out.into_iter().map(|kind| (kind, site)).collect()
    }

    /// The `blocked` event of `entry`, in progress in `pid` for `waited`; `None` for a call
    /// on a descriptor that is not a socket (a `read` of a terminal).
    pub fn blocked(
        &mut self,
        pid: Pid,
        entry: &Entry,
        waited: std::time::Duration,
    ) -> Option<Traced> {
        let call = readiness::call_kind(&entry.call);
        let site =
            CallSite { pid: pid.as_raw(), syscall: entry.syscall, fd: entry.call.fd(), call };
        let conn = if call.is_some() {
            None
        } else {
            let inode = self.sockets.inode(pid, site.fd?)?;
            Some(self.sockets.id(inode).0)
        };
        let waited_us = u64::try_from(waited.as_micros()).unwrap_or(u64::MAX);
        Some((EventKind::Blocked { conn, waited_us }, site))
    }

    fn opened(&mut self, pid: Pid, result: i64) -> Vec<Traced> {
        if let Some(inode) = i32::try_from(result).ok().and_then(|fd| self.sockets.inode(pid, fd)) {
            // Ids follow the order sockets are created in.
            self.sockets.id(inode);
        }
        Vec::new()
    }

    fn closed(
        &mut self,
        closing: Option<u64>,
        result: i64,
        live: &[Pid],
        site: CallSite,
    ) -> Vec<Traced> {
        let Some(inode) = closing.filter(|_| result == 0) else { return Vec::new() };
        if fds::held_by_any(live.iter().copied(), inode) {
            return Vec::new();
        }
        let Some(conn) = self.sockets.known(inode) else { return Vec::new() };
        self.sockets.forget(inode);
        self.connecting.remove(&inode);
        vec![(EventKind::Close { conn, by: ClosedBy::Local }, site)]
    }

    /// `connected`, when a connect in progress has completed since the last call.
    fn connected_meanwhile(&mut self, pid: Pid, inode: u64, conn: ConnId) -> Option<EventKind> {
        if !self.connecting.contains(&inode) {
            return None;
        }
        let entry = fds::tcp_entry(pid, inode).filter(|e| e.state == fds::ESTABLISHED)?;
        self.connecting.remove(&inode);
        Some(EventKind::Connected { conn, local: entry.local, peer: entry.peer })
    }

    fn kinds(&mut self, at: &Context, call: Call) -> Vec<EventKind> {
        let conn = at.conn;
        match call {
            Call::Socket
            | Call::Close { .. }
            | Call::Select { .. }
            | Call::Poll { .. }
            | Call::EpollWait { .. }
            | Call::Renames { .. }
            | Call::EpollCtl { .. } => Vec::new(),
            Call::Bind { addr, len, .. } => {
                if let (0, Some(address)) = (at.result, read_sockaddr(at.pid, addr, len)) {
                    self.sockets.bind(at.inode, address);
                }
                Vec::new()
            }
            Call::Listen { .. } => match at.failure(Op::Listen) {
                Some(failed) => vec![failed],
                None => vec![EventKind::Listen { conn, local: self.local_of(at.pid, at.inode) }],
            },
            Call::Accept { .. } => self.accepted(at),
            Call::Connect { addr, len, .. } => self.connect(at, read_sockaddr(at.pid, addr, len)),
            Call::Send { buf, .. } => vec![send(at, buf)],
            Call::Recv { buf, .. } => recv(at, buf).into_iter().collect(),
            Call::Shutdown { how, .. } => {
                let how = match how {
                    0 => How::Read,
                    1 => How::Write,
                    _ => How::Both,
                };
                let done = at.failure(Op::Shutdown).unwrap_or(EventKind::Shutdown { conn, how });
                vec![done]
            }
            Call::SetSockOpt { level, name, value, len, .. } => {
                let set = (at.result == 0).then(|| options::read(at.pid, level, name, value, len));
                set.flatten().map(|option| EventKind::Option { conn, option }).into_iter().collect()
            }
        }
    }

    fn local_of(&self, pid: Pid, inode: u64) -> Address {
        fds::tcp_entry(pid, inode)
            .map(|entry| entry.local)
            .or_else(|| self.sockets.bound(inode).cloned())
            .unwrap_or_else(unnamed)
    }

    fn accepted(&mut self, at: &Context) -> Vec<EventKind> {
        if let Some(failed) = at.failure(Op::Accept) {
            return vec![failed];
        }
        let new = i32::try_from(at.result).ok().and_then(|fd| self.sockets.inode(at.pid, fd));
        let Some(new) = new else { return Vec::new() };
        let (conn, _) = self.sockets.id(new);
        let (local, peer) = match fds::tcp_entry(at.pid, new) {
            Some(entry) => (entry.local, entry.peer),
            None => (self.local_of(at.pid, at.inode), unnamed()),
        };
        vec![EventKind::Accept { conn, listener: at.conn, local, peer }]
    }

    fn connect(&mut self, at: &Context, peer: Option<Address>) -> Vec<EventKind> {
        let conn = at.conn;
        let already = self.connecting.contains(&at.inode);
        let mut out = Vec::new();
        if !already {
            let peer = peer.clone().unwrap_or_else(unnamed);
            out.push(EventKind::Connect { conn, peer, pair: None, client: None });
        }
        match at.result {
            0 => {
                self.connecting.remove(&at.inode);
                let entry = fds::tcp_entry(at.pid, at.inode);
                let local = entry.as_ref().map_or_else(unnamed, |e| e.local.clone());
                let peer = entry.map(|e| e.peer).or(peer).unwrap_or_else(unnamed);
                out.push(EventKind::Connected { conn, local, peer });
            }
            result if result == -i64::from(Errno::EINPROGRESS as i32) => {
                self.connecting.insert(at.inode);
            }
            // Asked again while in progress: still no answer.
            result if already && result == -i64::from(Errno::EALREADY as i32) => {}
            _ => out.extend(at.failure(Op::Connect)),
        }
        out
    }
}

/// What a call's events need to know about it.
struct Context {
    pid: Pid,
    conn: ConnId,
    inode: u64,
    result: i64,
    snap: Option<usize>,
}

impl Context {
    /// A successful call's byte count.
    fn count(&self) -> usize {
        usize::try_from(self.result).unwrap_or(0)
    }

    /// How many of `len` moved bytes are read from the program (`--snap`).
    fn captured(&self, len: usize) -> usize {
        self.snap.map_or(len, |snap| len.min(snap))
    }

    /// `would_block` or `error` when the call failed.
    fn failure(&self, op: Op) -> Option<EventKind> {
        let errno = Errno::from_raw(i32::try_from(-self.result).ok().filter(|_| self.result < 0)?);
        let conn = self.conn;
        if errno == Errno::EAGAIN {
            return Some(EventKind::WouldBlock { conn, op });
        }
        let kind = match errno {
            Errno::ECONNREFUSED => ErrorKind::Refused,
            Errno::ECONNRESET => ErrorKind::Reset,
            Errno::ETIMEDOUT => ErrorKind::TimedOut,
            Errno::EPIPE => ErrorKind::BrokenPipe,
            _ => ErrorKind::Other,
        };
        Some(EventKind::Error { conn, op, kind, message: errno.desc().to_owned() })
    }
}

fn send(at: &Context, buf: Buffer) -> EventKind {
    if let Some(failed) = at.failure(Op::Send) {
        return failed;
    }
    let iovecs = iovecs_of(at.pid, buf);
    let requested = iovecs.iter().map(|&(_, len)| len as usize).sum();
    let len = at.count();
    let data = Bytes::from(memory::gather(at.pid, &iovecs, at.captured(len)));
    EventKind::Send { conn: at.conn, requested, len, data }
}

fn recv(at: &Context, buf: Buffer) -> Option<EventKind> {
    if let Some(failed) = at.failure(Op::Recv) {
        return Some(failed);
    }
    let iovecs = iovecs_of(at.pid, buf);
    let max = iovecs.iter().map(|&(_, len)| len as usize).sum();
    let conn = at.conn;
    match at.count() {
        0 if max > 0 => Some(EventKind::Eof { conn }),
        0 => None,
        len => {
            let data = Bytes::from(memory::gather(at.pid, &iovecs, at.captured(len)));
            Some(EventKind::Recv { conn, max, len, data })
        }
    }
}

fn iovecs_of(pid: Pid, buf: Buffer) -> Vec<(u64, u64)> {
    match buf {
        Buffer::Flat { addr, len } => vec![(addr, len)],
        Buffer::Vector { iov, count } => memory::iovecs(pid, iov, count),
        Buffer::Message { msghdr } => memory::msghdr_iovecs(pid, msghdr),
    }
}

fn read_sockaddr(pid: Pid, addr: u64, len: u64) -> Option<Address> {
    fds::sockaddr(&memory::read(pid, addr, (len as usize).min(128)))
}

/// An address the kernel did not tell (an unnamed Unix socket).
fn unnamed() -> Address {
    Address::Unix(std::path::PathBuf::new())
}
