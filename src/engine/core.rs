//! The engine thread: one `mio::Poll`, every socket, the session clock.
//!
//! Each pass of the loop is one poll. In automatic mode the poll's edges make a round: they are
//! reported as a `ready` event and then acted on (accept, recv until `WouldBlock`, send what is
//! queued), as soon as the [`Pace`] allows (see `pace.rs`); until then they are held. In manual
//! mode edges only accumulate, and nothing is called until a command asks.

mod accept;
mod commands;
mod connect;
mod datagram;
mod edges;
mod faults;
mod flows;
mod intercept;
mod io;
mod lifecycle;
mod pace;
mod proxy_loop;
mod select;
mod splice;
mod tls;

use super::endpoint::{Endpoint, Phase};
use super::pool::BufferPool;
use super::{BATCH_EVENTS, EngineConfig, EventSink, WAKER_TOKEN};
use crate::event::{Command, ConnId, Event, EventKind, Pace};
use edges::Edges;
use mio::{Events, Poll};
use std::collections::{BTreeSet, HashMap};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

/// Most `recv` calls on one socket per round before the others get their turn; what is left
/// is read in the next round, which polls without waiting.
const READ_CALLS_PER_ROUND: usize = 16;

/// Which deadline of a socket passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Expiry {
    Connect,
    Idle,
    AcceptRetry,
    /// A `send` held by a `delay` or `rate` fault may go.
    SendHold,
}

pub(super) struct Core {
    config: EngineConfig,
    poll: Poll,
    inbox: Receiver<Vec<Command>>,
    sink: Box<dyn EventSink>,
    started: Instant,
    endpoints: HashMap<ConnId, Endpoint>,
    next_id: u64,
    round: u64,
    manual: bool,
    pace: Pace,
    /// When the latest round that reported something ran (slow motion counts from there).
    last_round_at: Option<Instant>,
    /// Edges not yet reported: in manual mode until a step, in automatic mode until the pace
    /// lets the next round run.
    pending: Edges,
    /// Level state derived from edges: ready until a call returns `WouldBlock`.
    level_readable: BTreeSet<ConnId>,
    level_writable: BTreeSet<ConnId>,
    accepted_open: usize,
    /// Local addresses of proxies' upstream sockets: (the upstream, the listener its client
    /// came through). Accepting from one of them on that listener is a loop.
    upstream_locals: HashMap<std::net::SocketAddr, (ConnId, ConnId)>,
    /// A datagram proxy's flows: (bound socket, client address) to the flow's socket.
    flows: HashMap<(ConnId, crate::event::Address), ConnId>,
    /// Buffers for automatic reads (`recv_chunk` bytes each).
    pool: BufferPool,
    /// Buffer for manual reads, whose size the user picks per call.
    manual_buf: Vec<u8>,
    /// Cleared by `Stop`, a closed command channel, or a closed sink: ends the loop.
    running: bool,
    /// Cleared when the sink refuses events: nothing more is emitted.
    sink_open: bool,
    /// Events not yet delivered, and the payload bytes they hold.
    outbox: Vec<Event>,
    outbox_bytes: usize,
    /// The sink's [`EventSink::batch_bytes`].
    batch_bytes: usize,
    /// The latest held message's number (see `intercept.rs`).
    next_hold: u64,
    /// `--relay splice`: empty pipe pairs ready for the next chunk (see `splice.rs`).
    spare_pipes: Vec<super::splice_pipe::SplicePipe>,
}

impl Core {
    pub(super) fn new(
        config: EngineConfig,
        poll: Poll,
        inbox: Receiver<Vec<Command>>,
        sink: Box<dyn EventSink>,
    ) -> Self {
        let (manual, chunk, pace) = (config.manual, config.recv_chunk, config.pace);
        let batch_bytes = sink.batch_bytes();
        Self {
            config,
            poll,
            inbox,
            sink,
            started: Instant::now(),
            endpoints: HashMap::new(),
            next_id: 1,
            round: 0,
            manual,
            pace,
            last_round_at: None,
            pending: Edges::default(),
            level_readable: BTreeSet::new(),
            level_writable: BTreeSet::new(),
            accepted_open: 0,
            upstream_locals: HashMap::new(),
            flows: HashMap::new(),
            pool: BufferPool::new(chunk),
            manual_buf: Vec::new(),
            running: true,
            sink_open: true,
            outbox: Vec::new(),
            outbox_bytes: 0,
            batch_bytes,
            next_hold: 0,
            spare_pipes: Vec::new(),
        }
    }

    /// Runs until a `Stop` command, the command channel closing, or the sink refusing events.
    pub(super) fn run(mut self) {
        self.emit_event(Event::session_started_at(Some(crate::event::now_unix_us())));
        let mut events = Events::with_capacity(1024);
        while self.running {
            self.deliver();
            self.catch_up();
            if !self.running {
                break;
            }
            let timeout = self.poll_timeout();
            if let Err(error) = self.poll.poll(&mut events, timeout) {
                if error.kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                break;
            }
            let edges = Edges::collect(&events, WAKER_TOKEN, |id| self.endpoints.contains_key(&id));
            self.on_edges(edges);
            self.drain_commands();
            self.fire_timers(Instant::now());
        }
        self.close_all();
        self.deliver();
        self.catch_up();
    }

    /// Manual mode completes connects at once; automatic mode makes a round of the edges when
    /// the pace allows.
    fn on_edges(&mut self, edges: Edges) {
        if self.manual {
            self.note_level(&edges);
            self.complete_connects(&edges);
            self.pending.merge(edges);
        } else {
            self.on_auto_poll(edges);
        }
    }

    /// Applies every command waiting; a group sent together is applied whole (up to a `Stop`).
    fn drain_commands(&mut self) {
        while self.running {
            match self.inbox.try_recv() {
                Ok(group) => {
                    for command in group {
                        if !self.running {
                            break;
                        }
                        self.handle_command(command);
                    }
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => self.running = false,
            }
        }
    }

    /// Until the next round the pace allows (at once while reads are left over from a round's
    /// budget) or the next connect or idle deadline, whichever comes first; without either, until
    /// a socket or a command wakes the poll.
    fn poll_timeout(&self) -> Option<Duration> {
        let now = Instant::now();
        let next = [self.next_round_at(now), self.next_deadline()].into_iter().flatten().min();
        next.map(|at| at.saturating_duration_since(now))
    }

    /// The nearest instant at which [`Self::fire_timers`] will find something due. Each
    /// deadline is computed as `fire_timers` computes it: one that came earlier (a proxy side's
    /// own activity instead of the pair's) would make every poll return at once until then.
    fn next_deadline(&self) -> Option<Instant> {
        let idle = self.config.idle_timeout;
        let (_, hold) = self.fault_holds(Instant::now());
        let sockets = self
            .endpoints
            .values()
            .filter_map(|ep| match &ep.phase {
                Phase::Connecting { deadline, .. } => *deadline,
                Phase::Open if ep.idles() => idle.map(|t| self.idle_since(ep) + t),
                Phase::Open => ep.accept_paused_until,
            })
            .min();
        sockets.into_iter().chain(hold).min()
    }

    fn fire_timers(&mut self, now: Instant) {
        let mut expired: Vec<(ConnId, Expiry)> = Vec::new();
        for (id, ep) in &self.endpoints {
            let expiry = match &ep.phase {
                Phase::Connecting { deadline: Some(at), .. } if *at <= now => Some(Expiry::Connect),
                Phase::Open if ep.idles() => {
                    let limit = self.config.idle_timeout;
                    limit.filter(|t| self.idle_since(ep) + *t <= now).map(|_| Expiry::Idle)
                }
                Phase::Open => {
                    ep.accept_paused_until.filter(|at| *at <= now).map(|_| Expiry::AcceptRetry)
                }
                Phase::Connecting { .. } => None,
            };
            expired.extend(expiry.map(|e| (*id, e)));
        }
        expired.extend(self.fault_holds(now).0.into_iter().map(|id| (id, Expiry::SendHold)));
        expired.sort_unstable();
        for (id, expiry) in expired {
            match expiry {
                Expiry::Connect => self.connect_timed_out(id),
                Expiry::Idle => self.idle_timed_out(id),
                Expiry::AcceptRetry => self.retry_accept(id),
                Expiry::SendHold => self.flush(id),
            }
        }
    }

    /// A proxy pair is idle only when neither side has moved a byte; a datagram flow when its
    /// own socket has not (its bound socket serves every client).
    fn idle_since(&self, ep: &Endpoint) -> Instant {
        if let super::endpoint::Role::Flow { .. } = ep.role {
            return ep.last_activity;
        }
        let pair = ep.pair.and_then(|p| self.endpoints.get(&p)).map(|p| p.last_activity);
        pair.map_or(ep.last_activity, |other| other.max(ep.last_activity))
    }

    fn allocate_id(&mut self) -> ConnId {
        let id = ConnId(self.next_id);
        self.next_id += 1;
        id
    }

    fn now_us(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX)
    }

    fn emit(&mut self, kind: EventKind) {
        let event = Event { kind, t_us: self.now_us() };
        self.emit_event(event);
    }

    fn emit_event(&mut self, event: Event) {
        if !self.sink_open {
            return;
        }
        self.outbox_bytes += event.kind.bytes_moved().map_or(0, |(_, _, data)| data.len());
        self.outbox.push(event);
        if self.outbox.len() >= BATCH_EVENTS || self.outbox_bytes >= self.batch_bytes {
            self.deliver();
        }
    }

    /// Tells the sink that everything so far is delivered (see [`EventSink::caught_up`]).
    fn catch_up(&mut self) {
        if self.sink_open && !self.sink.caught_up() {
            self.sink_open = false;
            self.running = false;
        }
    }

    /// Hands the outbox to the sink; blocks while a bounded sink is full.
    fn deliver(&mut self) {
        if self.outbox.is_empty() || !self.sink_open {
            return;
        }
        let batch = std::mem::replace(&mut self.outbox, Vec::with_capacity(BATCH_EVENTS));
        self.outbox_bytes = 0;
        if !self.sink.deliver(batch) {
            self.sink_open = false;
            self.running = false;
        }
    }
}
