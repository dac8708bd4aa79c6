//! What each command does, plus the interest bookkeeping that every change ends with.

use super::Core;
use crate::engine::datagrams::Outgoing;
use crate::engine::endpoint::Phase;
use crate::engine::options;
use crate::event::{
    Address, ClosedBy, Command, ConnId, ErrorKind, EventKind, How, Op, SockOption, SocketType,
};
use bytes::Bytes;
use mio::{Interest, Token};
use std::io;

impl Core {
    pub(super) fn handle_command(&mut self, command: Command) {
        match command {
            Command::Listen { addr } => self.listen(&addr, None),
            Command::Proxy { listen, upstream } => self.listen(&listen, Some(upstream)),
            Command::Connect { candidates } => {
                let id = self.allocate_id();
                self.start_connect(id, candidates, None);
            }
            Command::Send { conn, data } => {
                let kind = self.stream_mut(conn, Op::Send).map(|ep| ep.socket.socket_type());
                if let Some(kind) = kind {
                    match kind {
                        SocketType::Stream => self.enqueue(conn, data),
                        SocketType::Datagram => self.queue_for_peer(conn, data),
                    }
                    self.send_now(conn);
                }
            }
            Command::SendTo { conn, peer, data } => self.send_to(conn, peer, data),
            Command::SendQueued { conn } => {
                if self.stream_mut(conn, Op::Send).is_some() {
                    self.send_now(conn);
                }
            }
            Command::Recv { conn, max } => {
                if self.stream_mut(conn, Op::Recv).is_some() {
                    self.recv_once(conn, max);
                    self.refresh_interest(conn);
                }
            }
            Command::Accept { listener } => self.accept_on(listener),
            Command::Step if self.manual => self.step(),
            Command::Step => self.step_round(),
            Command::SetPace(pace) => self.set_pace(pace),
            Command::SetManual(manual) => self.set_manual(manual),
            Command::PauseReading { conn, paused } => self.pause_reading(conn, paused),
            Command::Shutdown { conn, how } => self.shutdown_requested(conn, how),
            Command::Close { conn } => self.close_requested(conn, false),
            Command::Reset { conn } => self.close_requested(conn, true),
            Command::SetOption { conn, option } => self.set_option(conn, option),
            Command::SetFaults { conn, dir, faults } => self.set_faults(conn, dir, faults),
            Command::Intercept { conn, dir, rule } => self.set_intercept(conn, dir, rule),
            Command::Release { conn, id, release } => self.release_held(conn, id, release),
            Command::Inject { conn, dir, data } => self.inject(conn, dir, data),
            Command::Stop => self.running = false,
        }
    }

    fn send_to(&mut self, conn: ConnId, peer: Address, data: Bytes) {
        let Some(ep) = self.stream_mut(conn, Op::Send) else { return };
        match ep.socket.socket_type() {
            SocketType::Datagram => {
                ep.datagrams.push(Outgoing { to: peer, connected: false, data });
                self.send_now(conn);
            }
            SocketType::Stream => self.not_open(conn, Op::Send, "is a stream: it has no sendto"),
        }
    }

    /// Manual mode makes exactly one `send` call; automatic mode sends all it can.
    fn send_now(&mut self, conn: ConnId) {
        if self.manual {
            self.send_once(conn);
            self.refresh_interest(conn);
        } else {
            self.flush(conn);
        }
    }

    fn accept_on(&mut self, listener: ConnId) {
        let is_listener = self
            .endpoints
            .get(&listener)
            .is_some_and(crate::engine::endpoint::Endpoint::is_listener);
        if is_listener {
            self.accept_once(listener);
        } else {
            self.not_open(listener, Op::Accept, "is not a listener");
        }
    }

    /// Leaving manual mode acts on everything that became ready meanwhile: the edges were
    /// consumed without a call, and edge-triggered polling will not repeat them.
    fn set_manual(&mut self, manual: bool) {
        self.manual = manual;
        let mut ids: Vec<ConnId> = self.endpoints.keys().copied().collect();
        ids.sort_unstable();
        for &id in &ids {
            self.refresh_interest(id);
        }
        if manual {
            return;
        }
        self.pending = super::edges::Edges::default();
        for id in ids {
            match self.endpoints.get(&id) {
                Some(ep) if ep.is_listener() => self.accept_all(id),
                Some(ep) if ep.is_open_stream() => {
                    self.flush(id);
                    self.drain_reads(id);
                    self.close_if_done(id);
                }
                _ => {}
            }
        }
    }

    /// On a stream: a slow reader on demand. On a listener: a server that does not accept,
    /// so that clients wait in the kernel's queue (their connects complete there, up to the
    /// backlog); resuming accepts them.
    fn pause_reading(&mut self, conn: ConnId, paused: bool) {
        if let Some(ep) = self.endpoints.get_mut(&conn).filter(|ep| ep.is_listener()) {
            ep.paused = paused;
            self.refresh_interest(conn);
            if !paused && !self.manual {
                self.accept_all(conn);
            }
            return;
        }
        let Some(ep) = self.stream_mut(conn, Op::Recv) else { return };
        ep.paused = paused;
        self.refresh_interest(conn);
        if !paused && !self.manual {
            self.drain_reads(conn);
        }
    }

    /// `shutdown(write)` with bytes still queued waits for them in automatic mode, so that
    /// nothing the user asked to send is lost; manual mode does exactly what was asked.
    fn shutdown_requested(&mut self, conn: ConnId, how: How) {
        let manual = self.manual;
        let Some(ep) = self.stream_mut(conn, Op::Shutdown) else { return };
        if how == How::Write && !manual && !ep.nothing_queued() {
            ep.shutdown_when_flushed = true;
            return;
        }
        if how != How::Read && !manual && self.tls_close_notify_first(conn) {
            self.flush(conn);
            return;
        }
        self.shutdown(conn, how);
    }

    fn close_requested(&mut self, conn: ConnId, abortive: bool) {
        if !self.endpoints.contains_key(&conn) {
            self.not_open(conn, Op::Close, "is not open");
        } else if abortive {
            self.reset(conn);
        } else {
            self.close(conn, ClosedBy::Local);
        }
    }

    fn set_option(&mut self, conn: ConnId, option: SockOption) {
        let Some(ep) = self.endpoints.get(&conn) else {
            return self.not_open(conn, Op::Option, "is not open");
        };
        let result = options::apply(&ep.socket, option);
        self.report_option(conn, result);
    }

    /// Applies the command line's options to a new socket, skipping those that do not apply.
    pub(super) fn apply_configured_options(&mut self, conn: ConnId) {
        let Some(ep) = self.endpoints.get(&conn) else { return };
        let results: Vec<_> = (self.config.options.iter())
            .filter(|o| options::applies_to(&ep.socket, **o))
            .map(|o| options::apply(&ep.socket, *o))
            .collect();
        for result in results {
            self.report_option(conn, result);
        }
    }

    pub(super) fn report_option(&mut self, conn: ConnId, result: io::Result<SockOption>) {
        match result {
            Ok(option) => self.emit(EventKind::Option { conn, option }),
            Err(e) => self.report_error(conn, Op::Option, &e),
        }
    }

    /// The open stream `conn`, or an `error` event saying why the command cannot apply.
    fn stream_mut(
        &mut self,
        conn: ConnId,
        op: Op,
    ) -> Option<&mut crate::engine::endpoint::Endpoint> {
        let why = match self.endpoints.get(&conn) {
            None => "is not open",
            Some(ep) if ep.is_listener() => "is a listener",
            Some(ep) if !ep.is_open_stream() => "is still connecting",
            Some(_) => return self.endpoints.get_mut(&conn),
        };
        self.not_open(conn, op, why);
        None
    }

    fn not_open(&mut self, conn: ConnId, op: Op, why: &str) {
        let message = format!("{conn} {why}");
        self.emit(EventKind::Error { conn, op, kind: ErrorKind::Other, message });
    }

    /// What the engine wants to hear about this socket: the HOWTO's potential readers and
    /// writers. Manual mode watches everything; automatic mode asks only for what it will act on.
    fn desired_interest(&self, conn: ConnId) -> (bool, bool) {
        let Some(ep) = self.endpoints.get(&conn) else { return (false, false) };
        if ep.is_listener() {
            return (ep.accept_paused_until.is_none() && !ep.paused, false);
        }
        if let Phase::Connecting { .. } = ep.phase {
            return (false, true);
        }
        let read = !ep.read_closed && (self.manual || (!ep.paused && !self.backpressured(conn)));
        let write = !ep.write_shut && (self.manual || !ep.nothing_queued());
        (read, write)
    }

    /// Brings the poll registration in line with [`Self::desired_interest`] and reports changes.
    pub(super) fn refresh_interest(&mut self, conn: ConnId) {
        let (read, write) = self.desired_interest(conn);
        let Some(ep) = self.endpoints.get_mut(&conn) else { return };
        let wanted = (read || write).then_some((read, write));
        if ep.registered == wanted {
            return;
        }
        let registry = self.poll.registry();
        let token = Token(usize::try_from(conn.0).unwrap_or(usize::MAX - 1));
        let result = match (ep.registered, to_interest(read, write)) {
            (None, Some(interest)) => registry.register(&mut ep.socket, token, interest),
            (Some(_), Some(interest)) => registry.reregister(&mut ep.socket, token, interest),
            (Some(_), None) => registry.deregister(&mut ep.socket),
            (None, None) => Ok(()),
        };
        if let Err(e) = result {
            return self.report_error(conn, Op::Option, &e);
        }
        let before = ep.registered.unwrap_or((false, false));
        ep.registered = wanted;
        if before != (read, write) {
            self.emit(EventKind::Interest { conn, read, write });
        }
    }
}

fn to_interest(read: bool, write: bool) -> Option<Interest> {
    match (read, write) {
        (true, true) => Some(Interest::READABLE | Interest::WRITABLE),
        (true, false) => Some(Interest::READABLE),
        (false, true) => Some(Interest::WRITABLE),
        (false, false) => None,
    }
}
