//! The connection manager: the only code that touches sockets.
//!
//! One thread owns a `mio::Poll`, every socket, and the session clock. Commands arrive over a
//! channel and a single [`mio::Waker`]; everything the engine does leaves as a timestamped
//! [`Event`] through an [`EventSink`]. The engine stops when told to, or when the sink reports
//! that nobody is listening any more.

pub mod addr;
mod backlog;
mod core;
mod datagrams;
mod endpoint;
mod fault;
mod intercept;
mod mode;
mod open;
mod options;
mod pool;
mod queue;
mod sockaddr;
mod socket;
mod splice_pipe;
mod tls;

pub use tls::{
    CA_CERT_FILE, CA_KEY_FILE, ClientOptions, LocalCa, ServerIdentity, TlsSettings, client_config,
    data_dir, key_log, lesson_settings as tls_lesson_settings, local_ca_config, server_config,
};

use crate::event::{Command, Event, FaultSet, Pace, SockOption};
use mio::{Poll, Token, Waker};
use std::io;
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Default largest single `recv`.
pub const DEFAULT_RECV_CHUNK: usize = 64 * 1024;
/// Default bound on bytes queued toward one side of a proxy pair before reading the other pauses.
pub const DEFAULT_RELAY_LIMIT: usize = 1024 * 1024;
/// `--idle-timeout` when none is given for a datagram session: a datagram exchange has no
/// EOF, so silence is the only sign that it is over. 30 s, as Linux's connection tracking
/// forgets an unanswered UDP flow (`nf_conntrack_udp_timeout`).
pub const DATAGRAM_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
pub use backlog::{FALLBACK_BACKLOG, default_backlog};
pub use mode::Mode;

/// How a proxy moves bytes between the two sockets of a pair (`--relay`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RelayPath {
    /// `recv` into user space, then `send`: two copies, and every call a socket call.
    #[default]
    Copy,
    /// `splice` through a kernel pipe, `tee` into a second pipe that is `read` for the
    /// events: one copy. A direction whose bytes must change in user space (a fault, an
    /// intercept, TLS) is relayed by copy, and its events say so.
    Splice,
}

impl RelayPath {
    /// Every path, in the order `--relay` lists them.
    pub const ALL: [Self; 2] = [Self::Copy, Self::Splice];

    /// The value `--relay` takes.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Copy => "copy",
            Self::Splice => "splice",
        }
    }
}

/// What the engine does with a connection whose peer sent EOF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EofPolicy {
    /// Close it once everything queued for it has been sent, as `nc` does.
    CloseWhenDone,
    /// Keep it half-open so that the user can still send (the HTTP-like exchange).
    KeepOpen,
}

/// How the engine behaves; fixed for its lifetime except where a [`Command`] changes it.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// Largest single `recv`, in bytes (at least 1).
    pub recv_chunk: usize,
    /// Start in manual mode: no call is made until a command asks for it.
    pub manual: bool,
    /// Options applied to every new stream socket (before `connect`, after `accept`).
    pub options: Vec<SockOption>,
    /// `listen()` backlog; [`default_backlog`] (SOMAXCONN) unless asked otherwise.
    pub backlog: i32,
    /// Most accepted connections open at once; more are accepted and closed at once.
    pub max_conns: Option<usize>,
    pub connect_timeout: Option<Duration>,
    pub idle_timeout: Option<Duration>,
    /// Proxy backpressure bound, in bytes.
    pub relay_limit: usize,
    pub eof_policy: EofPolicy,
    /// Accepted connections send back what they receive (an echo server, as in the HOWTO).
    pub echo: bool,
    /// How quickly automatic rounds follow each other; [`Command::SetPace`] changes it live.
    pub pace: Pace,
    /// Faults set on every new proxied pair (or echo connection), at most one set per
    /// direction; [`Command::SetFaults`] changes them per pair, live.
    pub faults: Vec<FaultSet>,
    /// Which sockets speak TLS, and how.
    pub tls: TlsSettings,
    /// How a proxy relays a pair's bytes.
    pub relay: RelayPath,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            recv_chunk: DEFAULT_RECV_CHUNK,
            manual: false,
            options: Vec::new(),
            backlog: default_backlog(),
            max_conns: None,
            connect_timeout: None,
            idle_timeout: None,
            relay_limit: DEFAULT_RELAY_LIMIT,
            eof_policy: EofPolicy::CloseWhenDone,
            echo: false,
            pace: Pace::Free,
            faults: Vec::new(),
            tls: TlsSettings::default(),
            relay: RelayPath::Copy,
        }
    }
}

/// Where the engine delivers events, in order, a batch at a time.
///
/// The engine hands over everything one poll round produced (or less, once a batch reaches
/// [`BATCH_EVENTS`] events or [`EventSink::batch_bytes`] of payload), so a consumer on another
/// thread is woken once per round rather than once per event. `deliver` returns `false` once
/// nobody is listening any more, which stops the engine.
pub trait EventSink: Send + 'static {
    fn deliver(&mut self, batch: Vec<Event>) -> bool;

    /// Most payload bytes in one batch: larger batches wake the consumer less often under a
    /// flood, smaller ones keep what it must get through before its next turn short (a key
    /// press in the UI waits behind at most a few batches).
    fn batch_bytes(&self) -> usize {
        BATCH_BYTES
    }

    /// The engine has delivered everything so far and is about to wait for its sockets again
    /// (under a flood it does not wait long): a sink that buffers output of its own makes it
    /// visible now, so a person watching sees each round as it happens. `false` stops the
    /// engine, as from `deliver`.
    fn caught_up(&mut self) -> bool {
        true
    }
}

/// Most events in one batch.
pub const BATCH_EVENTS: usize = 256;
/// Most payload bytes in one batch, unless the sink asks for other.
pub const BATCH_BYTES: usize = 1 << 20;
/// Most payload bytes in one batch for a consumer that takes whole batches on a thread of its
/// own (the headless printer). A relay reads up to 1 MiB per call and its `send` shares the
/// `recv`'s buffer, so this is a few calls' worth: under a flood the consumer is woken a few
/// hundred times a second instead of once per call (`BENCHMARKS.md`, "Fewer hand-offs":
/// 1 MiB batches cost the headless proxy about a fifth more CPU per GB).
pub const BULK_BATCH_BYTES: usize = 8 << 20;

/// A bounded channel of batches makes a slow consumer slow the engine down (and, through TCP
/// flow control, the peers) instead of letting events pile up in memory.
impl EventSink for mpsc::SyncSender<Vec<Event>> {
    fn deliver(&mut self, batch: Vec<Event>) -> bool {
        self.send(batch).is_ok()
    }

    fn batch_bytes(&self) -> usize {
        BULK_BATCH_BYTES
    }
}

impl EventSink for mpsc::Sender<Vec<Event>> {
    fn deliver(&mut self, batch: Vec<Event>) -> bool {
        self.send(batch).is_ok()
    }
}

/// One event per message, for consumers that want them singly (tests, simple tools).
impl EventSink for mpsc::Sender<Event> {
    fn deliver(&mut self, batch: Vec<Event>) -> bool {
        batch.into_iter().all(|event| self.send(event).is_ok())
    }
}

/// Adapts a closure called once per event, e.g. one that wraps events into the UI's message type.
#[derive(Debug)]
pub struct FnSink<F>(pub F);

impl<F: FnMut(Event) -> bool + Send + 'static> EventSink for FnSink<F> {
    fn deliver(&mut self, batch: Vec<Event>) -> bool {
        batch.into_iter().all(&mut self.0)
    }
}

/// The engine thread has ended; commands can no longer be delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EngineStopped;

impl std::fmt::Display for EngineStopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the engine has stopped")
    }
}

impl std::error::Error for EngineStopped {}

/// Sends commands to a running engine; cheap to clone and usable from any thread.
#[derive(Clone, Debug)]
pub struct Controller {
    /// Each message is a group of commands applied together (see [`Controller::send_all`]).
    commands: mpsc::Sender<Vec<Command>>,
    waker: Arc<Waker>,
}

impl Controller {
    /// Delivers a command and wakes the engine's poll.
    pub fn send(&self, command: Command) -> Result<(), EngineStopped> {
        self.send_all(vec![command])
    }

    /// Delivers commands that the engine applies together, in order, with no poll round
    /// between them: a script that closes all its sockets at once must not see one of them
    /// hear the others' FIN first. An empty list sends nothing.
    pub fn send_all(&self, commands: Vec<Command>) -> Result<(), EngineStopped> {
        if commands.is_empty() {
            return Ok(());
        }
        self.commands.send(commands).map_err(|_| EngineStopped)?;
        self.waker.wake().map_err(|_| EngineStopped)
    }
}

/// A running engine thread. Dropping it stops the engine and waits for the thread.
#[derive(Debug)]
pub struct Engine {
    controller: Controller,
    thread: Option<JoinHandle<()>>,
}

/// Token reserved for the waker; connection ids never reach it.
const WAKER_TOKEN: Token = Token(usize::MAX);

impl Engine {
    /// Starts the engine thread. Events begin with the `session` event.
    pub fn start(config: EngineConfig, sink: impl EventSink) -> io::Result<Self> {
        let poll = Poll::new()?;
        let waker = Arc::new(Waker::new(poll.registry(), WAKER_TOKEN)?);
        let (commands, inbox) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("sockscope-engine".into())
            .spawn(move || core::Core::new(config, poll, inbox, Box::new(sink)).run())?;
        Ok(Self { controller: Controller { commands, waker }, thread: Some(thread) })
    }

    /// A handle for sending commands from other threads.
    #[must_use]
    pub fn controller(&self) -> Controller {
        self.controller.clone()
    }

    /// Delivers a command to the engine.
    pub fn send(&self, command: Command) -> Result<(), EngineStopped> {
        self.controller.send(command)
    }

    /// Delivers commands that the engine applies together (see [`Controller::send_all`]).
    pub fn send_all(&self, commands: Vec<Command>) -> Result<(), EngineStopped> {
        self.controller.send_all(commands)
    }

    /// Closes every socket, ends the thread and waits for it.
    pub fn stop(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        let _ = self.controller.send(Command::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}
