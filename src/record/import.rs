//! `sockscope import`: a pcap or pcapng capture made into a recording.
//!
//! Each TCP connection in the capture becomes one socket seen from its client (see
//! [`connection`] for the events and `docs/import.md` for the whole contract), its streams
//! reassembled ([`reassembly`]): the UI, framing, exports and `replay --to` then work on a
//! capture as on a session sockscope recorded itself. Times are the capture's, relative to its
//! first packet; a `Clock` record dates them, so an export keeps the capture's timestamps.
//!
//! The capture is read twice: once to check that it is one and holds TCP (so a bad input
//! leaves no output file behind), then to write. Memory stays flat however long the capture:
//! only segments waiting behind a hole are held, at most
//! [`reassembly::MAX_PENDING`] bytes per direction.

pub mod capture;
mod connection;
mod importer;
pub mod reassembly;
pub mod tcp;

use super::encoder::{Encoder, unix_micros};
use super::file::{CreateError, create_private};
use super::format::StartInfo;
use crate::event::Event;
use capture::{OpenError, Stop};
use importer::Importer;
use std::collections::BTreeSet;
use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Read};
use std::path::{Path, PathBuf};

/// What an import found and wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Frames read from the capture.
    pub packets: u64,
    /// Of those, TCP segments.
    pub tcp_packets: u64,
    /// Frames that are not TCP over IP, or could not be placed (unknown interface).
    pub skipped: u64,
    pub connections: u64,
    /// Payload bytes delivered, both directions.
    pub bytes: u64,
    /// Holes marked in the streams.
    pub gaps: u64,
    /// Link types met that the importer does not read.
    pub unknown_links: BTreeSet<i32>,
    /// The capture's first timestamp (microseconds since the Unix epoch).
    pub first_unix_us: Option<u64>,
    /// Where reading stopped, when it did not reach the end of the file.
    pub stop: Option<Stop>,
}

/// Why nothing (or not everything) was imported.
#[derive(Debug)]
pub enum ImportError {
    /// The capture file cannot be opened or read.
    Input { path: PathBuf, source: io::Error },
    /// A pipe or a device: the capture is read twice, so it must be a regular file.
    NotRegular { path: PathBuf },
    /// The file is not a capture.
    NotACapture { path: PathBuf, why: OpenError },
    /// The capture holds no TCP segment.
    NoTcp { path: PathBuf, summary: Box<Summary> },
    /// The output file could not be created.
    Create(CreateError),
    /// Writing the recording failed.
    Write { path: PathBuf, source: io::Error },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Input { path, source } => write!(f, "{}: {source}", path.display()),
            Self::NotRegular { path } => write!(
                f,
                "{}: not a regular file (a capture is read twice: save it to a file first)",
                path.display()
            ),
            Self::NotACapture { path, why } => write!(f, "{}: {why}", path.display()),
            Self::NoTcp { path, summary } => {
                write!(
                    f,
                    "{}: no TCP packets in the capture ({} packets",
                    path.display(),
                    summary.packets
                )?;
                if !summary.unknown_links.is_empty() {
                    let links: Vec<String> =
                        summary.unknown_links.iter().map(i32::to_string).collect();
                    write!(f, "; link type {} is not supported", links.join(", "))?;
                }
                if let Some(stop) = &summary.stop {
                    write!(f, "; {stop}")?;
                }
                f.write_str(")")
            }
            Self::Create(err) => err.fmt(f),
            Self::Write { path, source } => {
                write!(f, "writing the recording {} failed: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for ImportError {}

/// Imports the capture at `capture` into a new recording at `output` (created 0600; an
/// existing file replaced only with `force`; never through a symbolic link).
pub fn write_recording(capture: &Path, output: &Path, force: bool) -> Result<Summary, ImportError> {
    let open = || {
        File::open(capture).map_err(|source| ImportError::Input { path: capture.into(), source })
    };
    let first = open()?;
    if !first.metadata().is_ok_and(|meta| meta.is_file()) {
        return Err(ImportError::NotRegular { path: capture.into() });
    }
    let checked = convert(first, |_| Ok(())).map_err(|err| match err {
        Converted::Open(why) => ImportError::NotACapture { path: capture.into(), why },
        Converted::Sink(source) => ImportError::Input { path: capture.into(), source },
    })?;
    if checked.tcp_packets == 0 {
        return Err(ImportError::NoTcp { path: capture.into(), summary: Box::new(checked) });
    }
    let write_failed = |source| ImportError::Write { path: output.into(), source };
    let file = create_private(output, force).map_err(ImportError::Create)?;
    let mut encoder =
        Encoder::with_start(BufWriter::new(file), &StartInfo::now(None)).map_err(write_failed)?;
    let first = checked.first_unix_us.unwrap_or_else(unix_micros);
    encoder.write_clock(first, 0).map_err(write_failed)?;
    let summary =
        convert(open()?, |event| encoder.write_event(&event)).map_err(|err| match err {
            Converted::Open(why) => ImportError::NotACapture { path: capture.into(), why },
            Converted::Sink(source) => write_failed(source),
        })?;
    encoder.finish().map_err(write_failed)?;
    Ok(summary)
}

/// Why [`convert`] stopped early.
#[derive(Debug)]
pub enum Converted {
    Open(OpenError),
    /// The sink failed; nothing more was given to it.
    Sink(io::Error),
}

/// Reads the capture in `input` and gives `sink` the recording's events in order: the
/// `session` event first, then each connection's as the capture shows them.
pub fn convert(
    input: impl Read + Send,
    mut sink: impl FnMut(Event) -> io::Result<()>,
) -> Result<Summary, Converted> {
    let mut state = Importer::default();
    let mut failed = sink(Event::session_start()).err();
    let mut events = Vec::new();
    let (stop, unusable) = capture::read_frames(input, |frame| {
        state.frame(frame, &mut events);
        for event in events.drain(..) {
            if failed.is_none() {
                failed = sink(event).err();
            }
        }
    })
    .map_err(Converted::Open)?;
    state.finish(&mut events);
    for event in events {
        if failed.is_none() {
            failed = sink(event).err();
        }
    }
    if let Some(err) = failed {
        return Err(Converted::Sink(err));
    }
    let mut summary = state.into_summary();
    summary.skipped += unusable;
    summary.packets += unusable;
    summary.stop = stop;
    Ok(summary)
}

#[cfg(test)]
mod tests;
