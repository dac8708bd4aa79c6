//! Writes the event log, one line per event: to standard output, or (`connect --stdio`) to the
//! `--log` file or nowhere, while standard output carries the peer's bytes raw.

use super::Output;
use super::format::{Preview, human_line_on, human_line_showing, traced_ready_line};
use crate::event::{CallSite, ConnId, Event, EventKind, SocketType};
use crate::inspect::escape::escape_str;
use std::collections::BTreeSet;
use std::io::{self, BufWriter, Stdout, Write};

/// Buffered output in the chosen form. Buffering matters at high event rates; the run loop
/// flushes whenever it has caught up, so an interactive reader still sees lines (and bytes) at
/// once. It can move to the thread that makes the events (see `log_sink`).
pub struct Printer {
    log: Option<BufWriter<Box<dyn Write + Send>>>,
    output: Output,
    /// `--stdio`: every received byte, raw, and nothing else.
    raw: Option<BufWriter<Stdout>>,
    /// Datagram sockets seen (bound or connected), so their lines name `recvfrom`/`sendto`.
    datagram: BTreeSet<ConnId>,
}

impl Printer {
    /// The log on standard output.
    #[must_use]
    pub fn new(output: Output) -> Self {
        let stdout: Box<dyn Write + Send> = Box::new(io::stdout());
        Self { log: Some(BufWriter::new(stdout)), output, raw: None, datagram: BTreeSet::new() }
    }

    /// `--stdio`: the peer's bytes on standard output, the log in `log` if given.
    #[must_use]
    pub fn stdio(output: Output, log: Option<Box<dyn Write + Send>>) -> Self {
        let raw = Some(BufWriter::new(io::stdout()));
        Self { log: log.map(BufWriter::new), output, raw, datagram: BTreeSet::new() }
    }

    pub fn print(&mut self, event: &Event) -> io::Result<()> {
        if let (Some(raw), EventKind::Recv { data, .. } | EventKind::RecvFrom { data, .. }) =
            (&mut self.raw, &event.kind)
        {
            raw.write_all(data)?;
        }
        // Standard output is the peer's alone: failures are said on stderr, as nc says them.
        if let (Some(_), EventKind::Error { op, message, .. }) = (&self.raw, &event.kind) {
            eprintln!("error: {}: {}", op.name(), escape_str(message));
        }
        let socket = self.socket_type(event);
        let Some(log) = &mut self.log else { return Ok(()) };
        match self.output {
            Output::Text(shown) => writeln!(log, "{}", human_line_on(event, shown, socket)),
            Output::Json => event.write_json_line(log),
        }
    }

    /// The type of the socket `event` is about, learnt from the event that opened it (a
    /// listen's or a connect's address); a stream socket if not known to be a datagram one.
    fn socket_type(&mut self, event: &Event) -> SocketType {
        if let EventKind::Listen { conn, local: addr } | EventKind::Connect { conn, peer: addr, .. } =
            &event.kind
            && addr.socket_type() == SocketType::Datagram
        {
            self.datagram.insert(*conn);
        }
        let datagram = event.conn().is_some_and(|conn| self.datagram.contains(&conn));
        // A closed socket's id is never used again: forget it, so the set stays small.
        if let EventKind::Close { conn, .. } = &event.kind {
            self.datagram.remove(conn);
        }
        if datagram { SocketType::Datagram } else { SocketType::Stream }
    }

    /// A traced program's event, with the call it came from (`sockscope trace`).
    pub fn print_traced(&mut self, event: &Event, site: Option<&CallSite>) -> io::Result<()> {
        let Some(log) = &mut self.log else { return Ok(()) };
        match (self.output, site) {
            (Output::Text(_), Some(site @ CallSite { call: Some(call), .. })) => {
                let EventKind::Ready(readiness) = &event.kind else {
                    return writeln!(
                        log,
                        "{} {}",
                        human_line_showing(event, Preview::default()),
                        site.suffix()
                    );
                };
                writeln!(
                    log,
                    "{} {}",
                    traced_ready_line(event.t_us, readiness, call),
                    site.suffix()
                )
            }
            (Output::Text(shown), Some(site)) => {
                writeln!(log, "{} {}", human_line_showing(event, shown), site.suffix())
            }
            (Output::Text(shown), None) => writeln!(log, "{}", human_line_showing(event, shown)),
            (Output::Json, site) => event.write_traced_json_line(site, log),
        }
    }

    /// Whether lines are for people (`Output::Text`), not JSON Lines.
    #[must_use]
    pub fn for_people(&self) -> bool {
        matches!(self.output, Output::Text(_))
    }

    /// A line of text as it is (a lesson's handout: its text, a note), in the log.
    pub fn text(&mut self, text: &str) -> io::Result<()> {
        match &mut self.log {
            Some(log) => writeln!(log, "{text}"),
            None => Ok(()),
        }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        if let Some(raw) = &mut self.raw {
            raw.flush()?;
        }
        self.log.as_mut().map_or(Ok(()), Write::flush)
    }
}

/// The `--log` file: created 0600 (or emptied), as a shell's `>` would.
pub fn open_log(path: &std::path::Path) -> io::Result<Box<dyn io::Write + Send>> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|err| io::Error::new(err.kind(), format!("--log {}: {err}", path.display())))?;
    Ok(Box::new(file))
}
