//! The panels' colours and emphasis, beside `theme` (which the shell owns): the same 16 basic
//! colours, and meaning never rests on colour alone (directions also have a marker, edges
//! and still-ready sockets differ by `~`, calls say what they returned in words).

use crate::event::{Dir, Op, SocketType};
use crate::inspect::hexdump::ByteClass;
use crate::session::{CallKind, ConnState, SpliceCall, Stream, TlsCall};
use crate::tui::theme::Theme;
use ratatui::style::{Color, Modifier, Style};

/// Received bytes and `recv` calls.
const IN: Color = Color::Cyan;
/// Sent bytes and `send` calls.
const OUT: Color = Color::Green;

#[must_use]
pub(super) fn dir(dir: Dir) -> Style {
    match dir {
        Dir::In => Style::new().fg(IN),
        Dir::Out => Style::new().fg(OUT),
    }
}

/// The marker that starts every Data line, so direction reads without colour.
#[must_use]
pub(super) fn dir_marker(dir: Dir) -> &'static str {
    match dir {
        Dir::In => "<",
        Dir::Out => ">",
    }
}

/// What made the stream's chunk at `offset`: socket calls (`recvfrom`/`sendto` on a datagram
/// socket), the splice relay, or for a TLS connection's plaintext what TLS gave and was given.
#[must_use]
pub(super) fn call_name(dir: Dir, stream: &Stream, offset: u64) -> &'static str {
    if stream.spliced_at(offset) {
        return "splice";
    }
    if stream.is_plaintext() {
        return match dir {
            Dir::In => "tls_read",
            Dir::Out => "tls_write",
        };
    }
    let socket = if stream.holds_datagrams() { SocketType::Datagram } else { SocketType::Stream };
    let op = match dir {
        Dir::In => Op::Recv,
        Dir::Out => Op::Send,
    };
    op.call_on(socket)
}

/// A hex cell or ASCII cell: printable bytes in the direction's colour, the others by class so
/// NULs, whitespace, controls and non-ASCII stand out.
#[must_use]
pub(super) fn byte(class: ByteClass, direction: Dir, theme: &Theme) -> Style {
    match class {
        ByteClass::Printable => dir(direction),
        ByteClass::Nul => theme.dim(),
        ByteClass::Whitespace => Style::new().fg(Color::Yellow),
        ByteClass::Control => Style::new().fg(Color::Red),
        ByteClass::NonAscii => Style::new().fg(Color::Magenta),
    }
}

/// Bytes of the message in progress (or past a framing error): underlined.
#[must_use]
pub(super) fn leftover(style: Style) -> Style {
    style.add_modifier(Modifier::UNDERLINED)
}

/// The `|` before the first byte of a `recv`/`send` chunk.
/// The byte under the Data cursor: reversed, so it shows in any colour scheme.
#[must_use]
pub(super) fn cursor(style: Style) -> Style {
    style.add_modifier(Modifier::REVERSED | Modifier::BOLD)
}

/// Selected bytes: a background that keeps the byte's class colour readable.
#[must_use]
pub(super) fn selected(style: Style) -> Style {
    style.bg(Color::DarkGray)
}

/// The "why" notes: quiet, so they never compete with the calls themselves.
#[must_use]
pub(super) fn why() -> Style {
    Style::new().fg(Color::Magenta).add_modifier(Modifier::ITALIC)
}

#[must_use]
pub(super) fn chunk_mark() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

#[must_use]
pub(super) fn header() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

#[must_use]
pub(super) fn selected_row() -> Style {
    Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
}

#[must_use]
pub(super) fn warning_text() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

#[must_use]
pub(super) fn error_text() -> Style {
    Style::new().fg(Color::Red)
}

/// Events that end or half-close a connection: they deserve the eye.
#[must_use]
pub(super) fn notable() -> Style {
    Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD)
}

/// A socket that became ready this round (an edge).
#[must_use]
pub(super) fn edge() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// A socket still ready from an earlier round (level, not drained yet).
#[must_use]
pub(super) fn still(theme: &Theme) -> Style {
    theme.dim()
}

#[must_use]
pub(super) fn state(state: ConnState, theme: &Theme) -> Style {
    match state {
        ConnState::Listening => Style::new().fg(Color::Blue),
        ConnState::Connecting => Style::new().fg(Color::Yellow),
        ConnState::Open => Style::new().fg(Color::Green),
        ConnState::ReadClosed | ConnState::WriteClosed => Style::new().fg(Color::Magenta),
        ConnState::Closed => theme.dim(),
        ConnState::Reset | ConnState::Error => error_text().add_modifier(Modifier::BOLD),
    }
}

/// A Calls line: would-block dim, errors red, partial sends yellow, endings highlighted.
#[must_use]
pub(super) fn call(kind: &CallKind, theme: &Theme) -> Style {
    match kind {
        CallKind::WouldBlock(..) => theme.dim(),
        CallKind::Error { .. } => error_text().add_modifier(Modifier::BOLD),
        CallKind::Send { requested, len } if len < requested => Style::new().fg(Color::Yellow),
        CallKind::Recv { .. } => dir(Dir::In),
        CallKind::Send { .. } => dir(Dir::Out),
        CallKind::Eof { .. } | CallKind::Shutdown(_) | CallKind::Reset | CallKind::Close(_) => {
            notable()
        }
        CallKind::Tls(step) => tls_call(step, theme),
        CallKind::Splice(call) => splice_call(call, theme),
        _ => Style::new(),
    }
}

/// A splice relay's line: the calls that move bytes in their direction's colour, a partial
/// splice yellow like a partial send, the `tee` and the splice into the pipe dim (the bytes
/// show in the `read` after them).
fn splice_call(call: &SpliceCall, theme: &Theme) -> Style {
    match call {
        SpliceCall::Out { requested, len } if len < requested => Style::new().fg(Color::Yellow),
        SpliceCall::Read { .. } => dir(Dir::In),
        SpliceCall::Out { .. } => dir(Dir::Out),
        SpliceCall::In { .. } | SpliceCall::Tee { .. } => theme.dim(),
    }
}

/// A TLS line among the calls: alerts red, its endings highlighted, plaintext in its
/// direction's colour, a `recv` that gave no plaintext yellow.
fn tls_call(step: &TlsCall, theme: &Theme) -> Style {
    match step {
        TlsCall::Alert { .. } => error_text().add_modifier(Modifier::BOLD),
        TlsCall::CloseNotify { .. } | TlsCall::FinWithoutCloseNotify => notable(),
        TlsCall::NoPlaintext { .. } => Style::new().fg(Color::Yellow),
        TlsCall::Read { .. } => dir(Dir::In).add_modifier(Modifier::ITALIC),
        TlsCall::Write { .. } => dir(Dir::Out).add_modifier(Modifier::ITALIC),
        TlsCall::Handshake(_) => theme.dim(),
    }
}
