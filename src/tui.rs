//! The terminal UI: one loop that folds messages into an [`App`] and draws it.
//!
//! Data flow (`ARCHITECTURE.md`):
//!
//! ```text
//!  input thread ──► Msg::Key/Paste/Resize ─┐
//!  signal thread ─► Msg::Signal ───────────┤
//!  engine sink ───► Msg::Engine(batch) ────┼─► one mpsc channel ─► run loop ─► App::update
//!  DNS threads ───► Msg::Resolved ─────────┘                          │            │
//!                                                               draw (≤ 60/s)   Vec<Effect>
//!                                                                                  │
//!                                         engine Controller ◄── Effect::Engine ────┘
//! ```
//!
//! [`App::update`] does no I/O and reads no clock, so a test (or a replay) drives it with
//! plain messages and renders it on ratatui's `TestBackend`. Everything that touches the
//! terminal, threads or the clock lives in [`run`] and the private lifecycle modules.

mod app;
pub mod command;
pub mod conn_view;
pub mod glyphs;
pub mod history;
mod input;
pub mod keymap;
mod layout;
mod lineedit;
mod look;
mod model;
mod msg;
pub mod panels;
/// What the person types to send (`:send`, the prompts): the same parsers lesson files use.
pub use crate::inspect::typed as payload;
pub mod render_context;
pub mod run;
mod signals;
mod terminal;
pub mod text;
pub mod theme;
pub mod timeline;
pub mod view;

pub use app::{
    App, Confirm, ConnectionsQuery, Cursor, DataLine, DataView, FollowLayout, FollowLine,
    FollowTop, FollowView, Level, Mode, Overlay, PaneTop, Prompt, PromptKind, RoomSettings, Scroll,
    Selection, Side, Source, Status,
};
pub use keymap::{Action, Binding, Context, FollowAction, Key};
pub use lineedit::LineEditor;
pub use look::Look;
pub use msg::{Effect, Msg, Purpose, Signal};
pub use panels::Panel;
pub use run::tracing::{TraceStart, run_trace};
pub use run::{LiveStart, Outcome, run, run_demo, run_empty, run_replay};
