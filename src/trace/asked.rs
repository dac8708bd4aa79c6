//! What a traced program's `select` or `poll` asked about: the sockets it would read and
//! write, its own potential readers and writers, as `interest` events (the engine's
//! vocabulary). They are read as the call begins, because `select` overwrites its sets with
//! the result, and said only when they change, as the engine says its own interest.

use super::decode::Call;
use super::fds::Sockets;
use super::memory;
use crate::event::{ConnId, EventKind};
use nix::unistd::Pid;
use std::collections::{BTreeMap, HashMap};

const POLLIN: i16 = 0x001;
const POLLOUT: i16 = 0x004;

/// One call's question: descriptor → (read, write).
type Question = BTreeMap<i32, (bool, bool)>;

/// Per thread: the question of the call in progress, and the interest last said per socket.
#[derive(Debug, Default)]
pub struct Asked {
    pending: HashMap<Pid, Question>,
    said: HashMap<Pid, BTreeMap<ConnId, (bool, bool)>>,
}

impl Asked {
    /// Reads what `call`, beginning in `pid`, asks about (nothing for other calls).
    pub fn began(&mut self, pid: Pid, call: &Call) {
        let question = match *call {
            Call::Select { nfds, sets } => select_question(pid, nfds, sets),
            Call::Poll { fds, nfds } => poll_question(pid, fds, nfds),
            _ => return,
        };
        self.pending.insert(pid, question);
    }

    /// The `interest` events of the readiness call `pid` has finished: each socket whose
    /// read or write interest differs from what this thread asked last time, and a socket it
    /// no longer asks about as interest in neither.
    /// A call that failed (`ok` false) asked nothing that counts: no round came of it.
    pub fn finished(&mut self, pid: Pid, ok: bool, sockets: &mut Sockets) -> Vec<EventKind> {
        let Some(question) = self.pending.remove(&pid).filter(|_| ok) else { return Vec::new() };
        let mut now = BTreeMap::new();
        for (fd, wants) in question {
            if let Some(inode) = sockets.inode(pid, fd) {
                let (conn, _) = sockets.id(inode);
                let was: &mut (bool, bool) = now.entry(conn).or_default();
                *was = (was.0 || wants.0, was.1 || wants.1);
            }
        }
        let before = self.said.insert(pid, now.clone()).unwrap_or_default();
        let dropped = before.keys().filter(|conn| !now.contains_key(conn));
        let mut said: Vec<(ConnId, (bool, bool))> =
            dropped.map(|&conn| (conn, (false, false))).collect();
        said.extend(now.into_iter().filter(|(conn, wants)| before.get(conn) != Some(wants)));
        said.sort_unstable();
        said.into_iter()
            .map(|(conn, (read, write))| EventKind::Interest { conn, read, write })
            .collect()
    }

    /// Thread `pid` has ended.
    pub fn thread_ended(&mut self, pid: Pid) {
        self.pending.remove(&pid);
        self.said.remove(&pid);
    }
}

/// `select`'s read and write sets as it was given them.
fn select_question(pid: Pid, nfds: i32, sets: [u64; 3]) -> Question {
    let nfds = nfds.clamp(0, 1024);
    let bytes = usize::try_from(nfds).unwrap_or(0).div_ceil(64) * 8;
    let [read, write, _] = sets.map(|set| memory::read(pid, set, bytes));
    let has = |raw: &[u8], fd: i32| {
        let bit = fd.unsigned_abs() as usize;
        raw.get(bit / 8).is_some_and(|byte| byte & (1 << (bit % 8)) != 0)
    };
    (0..nfds)
        .map(|fd| (fd, (has(&read, fd), has(&write, fd))))
        .filter(|(_, (r, w))| *r || *w)
        .collect()
}

/// `poll`'s descriptors and the events each asks for (`POLLIN`, `POLLOUT`).
fn poll_question(pid: Pid, fds: u64, nfds: u64) -> Question {
    let raw = memory::read(pid, fds, usize::try_from(nfds.min(4096)).unwrap_or(0) * 8);
    raw.chunks_exact(8)
        .filter_map(|entry| {
            let fd = i32::from_ne_bytes([entry[0], entry[1], entry[2], entry[3]]);
            let events = i16::from_ne_bytes([entry[4], entry[5]]);
            let wants = (events & POLLIN != 0, events & POLLOUT != 0);
            (fd >= 0 && (wants.0 || wants.1)).then_some((fd, wants))
        })
        .collect()
}
