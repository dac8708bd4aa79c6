//! What flows into the UI loop ([`Msg`]) and what the loop is asked to do ([`Effect`]).
//!
//! Every input of [`crate::tui::App::update`] is a `Msg`, time included (engine events carry
//! `t_us`, ticks carry the session clock), and every output is an `Effect` the runner performs.
//! That is what keeps `update` free of I/O and clocks.

use crate::event::{Address, CallSite, Command, ConnId, Event};
use crate::framing::Spec;
use crate::tui::timeline::{PlayerCommand, Timeline};
use crossterm::event::KeyEvent;
use std::path::PathBuf;

/// One message into the UI loop.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// Everything one engine poll round produced, in order.
    Engine(Vec<Event>),
    /// A traced program's events, in order, each with the call it came from.
    Traced(Vec<(Event, CallSite)>),
    /// The trace is over: how it ended (the program's exit status, a detach, a failure).
    TraceEnded(String),
    /// A key press (or auto-repeat) from the terminal.
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste), as one piece.
    Paste(String),
    /// The terminal's new size in cells.
    Resize { width: u16, height: u16 },
    /// Time passes without events: the session clock (microseconds since the engine started),
    /// so status messages can expire in an idle session.
    Tick { now_us: u64 },
    /// The process received a signal that asks it to end.
    Signal(Signal),
    /// An address typed by the user, resolved off the UI thread (DNS may block).
    Resolved { purpose: Purpose, result: Result<Vec<Address>, String> },
    /// The engine thread is gone; commands can no longer be delivered.
    EngineStopped,
    /// The scenario asks for `spec` framing on `conn` (both directions).
    Framing { conn: ConnId, spec: Spec },
    /// The scenario asked the engine to send `len` bytes on `conn`: they wait in its queue
    /// until `send` events report them, as the user's do.
    ScenarioQueued { conn: ConnId, len: usize },
    /// The scenario's script has run to its end; its sockets stay on screen as they ended.
    LessonOver,
    /// A step of the lesson ran with this note: the lesson panel shows it.
    LessonNote(String),
    /// The lesson file picked (`:demo PATH`) cannot be used: why, with file, line and column.
    LessonUnreadable(String),
    /// The lesson stopped before its end: a step waited for what did not come (the report).
    LessonStopped(String),
    /// A file asked for by [`Effect::WriteFile`] was not written: the name is taken (by a file
    /// or a link), and the UI never overwrites.
    FileExists { path: PathBuf },
    /// A file asked for by [`Effect::WriteFile`] was written (its size) or not (why).
    Wrote { path: PathBuf, result: Result<u64, String> },
    /// Recorded events, in order, and where the replay stands after them. `sites`: the call
    /// site of each event of a traced program's recording (empty when none has one).
    Replay { events: Vec<Event>, sites: Vec<Option<CallSite>>, timeline: Timeline },
    /// Where the replay stands, changed without events (paused, sped up, indexed).
    Timeline(Timeline),
    /// The replay starts again from its first event: the session so far is dropped.
    Rewind,
    /// What became of a recording the UI started, stopped or had from the command line.
    Recording(RecordingNews),
}

/// News of the session's recording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordingNews {
    /// Recording into `path` has begun.
    Started { path: PathBuf },
    /// The recording could not be started, or stopped early (its writer failed).
    Failed { path: PathBuf, error: String },
    /// The recording could not be started: the name is taken, and the UI never overwrites.
    Exists { path: PathBuf },
    /// The recording was closed: what it holds, or why closing failed.
    Finished { path: PathBuf, result: Result<String, String> },
}

/// Signals that end the UI cleanly (the terminal is restored, exit code 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT (`kill -INT`; Ctrl-C in raw mode arrives as a key instead).
    Interrupt,
    /// SIGTERM.
    Terminate,
    /// SIGHUP: the terminal went away.
    Hangup,
    /// SIGQUIT (`kill -QUIT`; Ctrl-\ in raw mode arrives as a key instead).
    Quit,
}

/// Why an address is being resolved, so the answer can finish the job that asked for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// `:listen ADDR`: listen on the first address.
    Listen,
    /// `:connect ADDR`: try every address in turn.
    Connect,
    /// `:proxy LISTEN UPSTREAM`, first step: the listening address; `upstream` is resolved next.
    ProxyListen { upstream: String },
    /// `:proxy`, second step: the upstream addresses, for a listener on `listen`.
    ProxyUpstream { listen: Address },
    /// Where datagrams sent on bound socket `conn` go (the destination prompt).
    Destination { conn: crate::event::ConnId },
}

/// Something only the runner can do: talk to the engine, resolve names, end the loop.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Deliver a command to the engine.
    Engine(Command),
    /// Resolve `text` with `engine::addr::resolve` off the UI thread, then send back
    /// [`Msg::Resolved`] with the same `purpose`.
    Resolve { purpose: Purpose, text: String },
    /// Leave the UI: restore the terminal, stop the engine, exit 0.
    Quit,
    /// Replace the session with the named scenario: the engine stops (closing every socket)
    /// and a new engine, session and app start on the same terminal.
    StartScenario(crate::demo::Pick),
    /// Create `path` (0600, never replacing a file or following a link) holding `contents`,
    /// then send back [`Msg::Wrote`].
    WriteFile { path: PathBuf, contents: Vec<u8> },
    /// Pass a command to the replay player.
    Player(PlayerCommand),
    /// Start recording into `path` (a new 0600 file): first `opening`, events that recreate
    /// the sockets already open, then every batch from the engine; `framing` is the session's
    /// framing and message cap, for a replay to cut the streams the same way.
    StartRecording { path: PathBuf, opening: Vec<Event>, framing: (String, usize) },
    /// Close the recording.
    StopRecording,
}
