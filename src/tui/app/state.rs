//! The UI state types: each a mode enum, so impossible combinations cannot be written.

use crate::event::{ConnId, How};
use crate::tui::lineedit::LineEditor;

/// Who makes the socket calls, as the user last set it (`--manual`, `m`, `:manual`, `:auto`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The engine reads, writes and accepts whenever poll says it can.
    Auto,
    /// Nothing happens until the user asks: each key makes one call.
    Manual,
}

/// Where the events come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Real sockets driven by the engine.
    Live,
    /// A recording played back (commands to sockets make no sense there).
    Replay,
    /// A traced program's own sockets (`sockscope trace`): sockscope watches them and cannot
    /// act on them.
    Trace,
}

/// How the Data panel shows bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataView {
    Text,
    Hex,
}

impl DataView {
    #[must_use]
    pub fn toggled(self) -> Self {
        match self {
            Self::Text => Self::Hex,
            Self::Hex => Self::Text,
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Hex => "hex",
        }
    }
}

/// A line of the Data panel, named by a stream offset so that it survives new bytes, eviction,
/// a resize and a switch between text and hex (the row holding that byte is found again).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataLine {
    /// The separator that announces the chunk starting at this offset.
    Separator(u64),
    /// The row whose first byte is at this offset.
    Row(u64),
}

/// Where one pane (one direction) of the Data panel is scrolled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaneTop {
    /// Showing the newest bytes, moving as new ones arrive.
    Follow,
    /// From the first retained line.
    Start,
    /// From this line, fixed while new bytes arrive.
    At(DataLine),
}

/// Where a panel's view of its lines starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scroll {
    /// Show the newest lines, moving as new ones arrive (a log's `tail -f`).
    Follow,
    /// The first visible line, fixed while new lines arrive.
    At(usize),
}

impl Scroll {
    /// The first line to draw for `len` lines in `height` rows; panels call this, so an offset
    /// past the end never shows an empty panel.
    #[must_use]
    pub fn top(self, len: usize, height: usize) -> usize {
        let last_top = len.saturating_sub(height);
        match self {
            Self::Follow => last_top,
            Self::At(line) => line.min(last_top),
        }
    }
}

/// The connection the connection keys act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Nothing to select yet.
    None,
    /// Chosen automatically: moves to each new connection until the user picks one.
    Following(ConnId),
    /// Picked by the user (`j`/`k`, `:select`): stays put.
    Chosen(ConnId),
}

impl Selection {
    #[must_use]
    pub fn conn(self) -> Option<ConnId> {
        match self {
            Self::None => None,
            Self::Following(conn) | Self::Chosen(conn) => Some(conn),
        }
    }
}

/// What is drawn over the panels and receives the keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    None,
    /// The key table; `scroll` is its first visible line.
    Help {
        scroll: usize,
    },
    /// `:` and what has been typed.
    CommandLine {
        editor: LineEditor,
    },
    Prompt(Prompt),
    /// A question about the Connections panel's rows (`/` filter, `g` go to a row).
    ConnectionsPrompt {
        kind: ConnectionsQuery,
        editor: LineEditor,
    },
    Confirm(Confirm),
    /// `y`: which format to copy the selection as, into the send line.
    CopyMenu,
    /// `D`, `:demo`: the built-in scenarios; `at` is the highlighted one's index in
    /// [`crate::tui::App::scenarios`].
    ScenarioPicker {
        at: usize,
    },
    /// `H`: the messages intercepts hold; `at` is the highlighted one's index in
    /// [`crate::session::Session::held_messages`].
    HeldList {
        at: usize,
    },
}

/// A question whose answer is sent to one connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub conn: ConnId,
    pub editor: LineEditor,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// Text with escapes, sent as UTF-8.
    SendText,
    /// Bytes written in hex.
    SendHex,
    /// The size of one manual `recv` (empty means the default).
    Recv,
    /// An offset in the cursor's stream to move the cursor to.
    GoTo,
    /// Bytes or a regex to find after the cursor.
    SearchForward,
    /// Bytes or a regex to find before the cursor.
    SearchBackward,
    /// The bytes to forward instead of a held message: text with escapes, or (`hex`) hex.
    EditHeld { id: crate::event::HoldId, hex: bool },
    /// Where a bound datagram socket sends (it has no peer of its own).
    Destination,
}

impl Overlay {
    /// Whether keys are typed into it: the command line and the prompts.
    #[must_use]
    pub fn takes_text(&self) -> bool {
        matches!(self, Self::CommandLine { .. } | Self::Prompt(_) | Self::ConnectionsPrompt { .. })
    }
}

/// What a [`Overlay::ConnectionsPrompt`] asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionsQuery {
    /// The filter of the rows (every term must hold; empty clears it).
    Filter,
    /// A row to select: an id (`#12`, `12`) or text in an address.
    Jump,
}

/// A drastic action waiting for "yes".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirm {
    /// Abortive close of this connection.
    Reset(ConnId),
    /// `shutdown` of this connection: half-closing cannot be taken back either.
    Shutdown(ConnId, How),
    /// Closing this live session's sockets to start the named scenario instead.
    StartScenario(crate::demo::Pick),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// The status line's message and when (session time) it was set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub level: Level,
    pub at_us: u64,
    /// The state the message describes, if any: when that changes, the message goes.
    pub about: Option<About>,
}

/// The state a status message describes. A message about the past is not shown as news:
/// it ends when what it names is no longer so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum About {
    /// Bytes queued to send on this connection: true while some still wait.
    Queued(ConnId),
    /// One `recv` asked for on this connection when it had made `calls` calls: true until a
    /// call after that one is reported.
    Recv { conn: ConnId, calls: u64 },
    /// An event that opened or connected this socket: true while it is open, and only at
    /// the point of a replay it came from.
    Socket(ConnId),
    /// An event (an error): true at the point of a replay it came from.
    Event,
}

impl Status {
    /// How long a message stays, in session microseconds: errors longer, they matter more.
    #[must_use]
    pub fn lifetime_us(&self) -> u64 {
        match self.level {
            Level::Info => 5_000_000,
            Level::Error => 15_000_000,
        }
    }
}

/// The Data panel's byte cursor: one byte of one direction of a connection, and optionally
/// the other end of a selection. It exists only once the user moves it; until then the Data
/// panel follows new bytes and the Inspector reads the top of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub conn: ConnId,
    pub dir: crate::event::Dir,
    /// Stream offset of the byte under the cursor.
    pub offset: u64,
    /// Where the selection started (`v`); the selection runs from there to the cursor.
    pub anchor: Option<u64>,
}

impl Cursor {
    /// The selected bytes, both ends included; just the cursor's byte without a selection.
    #[must_use]
    pub fn selection(&self) -> std::ops::Range<u64> {
        let other = self.anchor.unwrap_or(self.offset);
        let (low, high) = (self.offset.min(other), self.offset.max(other));
        low..high.saturating_add(1)
    }

    /// Whether a selection (rather than a lone cursor) is active.
    #[must_use]
    pub fn has_selection(&self) -> bool {
        self.anchor.is_some()
    }
}

/// The message picked in the Messages panel, by its index among the stream's messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessagePick {
    pub conn: ConnId,
    pub dir: crate::event::Dir,
    /// [`crate::session::MessageInfo::index`]: stable while older messages are dropped.
    pub index: u64,
}
