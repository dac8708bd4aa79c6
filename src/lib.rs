//! sockscope: a terminal socket inspector.
//!
//! Layers, each knowing only those below it (see `ARCHITECTURE.md`):
//! - [`event`]: the one vocabulary (`Event`, `Command`) that flows between the others;
//! - [`framing`], [`inspect`]: pure functions over bytes; [`values`]: the grammar of sizes
//!   and durations a person types; [`locale`]: the language of notes and lessons;
//! - [`engine`]: the only code that touches sockets (mio + socket2), on its own thread;
//! - [`trace`]: another program's socket calls, read through ptrace, as events;
//! - [`session`]: the model, a fold of events that the UI renders;
//! - [`record`]: recordings (writer, reader, exports) and the import of captures;
//! - [`tui`]: the terminal UI (ratatui + crossterm) over the model;
//! - [`demo`]: built-in scenarios, scripted users that drive the engine;
//! - [`headless`]: prints the event log for scripts and terminals without a UI;
//! - [`cli`]: parses and validates the command line and picks a mode.

pub mod cli;
pub mod demo;
pub mod engine;
pub mod event;
pub mod framing;
pub mod headless;
pub mod inspect;
pub mod locale;
pub mod record;
pub mod session;
pub mod trace;
pub mod tui;
pub mod values;
