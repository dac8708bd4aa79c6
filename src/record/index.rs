//! [`Index`]: where events are in a recording, for seeking along its timeline.
//!
//! Building it skims the file: it reads each record's header and the first few bytes of each
//! event (every event body starts with its time) and seeks over the rest, payloads included,
//! without checking checksums; the [`super::Reader`] that reads from a checkpoint checks them.
//! A checkpoint is kept every [`CHECKPOINT_EVENTS`] events or [`CHECKPOINT_BYTES`] bytes, so the
//! index of a large recording stays small and a seek reads at most that much to land.

use super::codec::event_time;
use super::format::{MAX_BODY, PREAMBLE_LEN, RECORD_HEADER_LEN, RECORD_TRAILER_LEN, RecordType};
use super::reader::{Clock, OpenError, Reader};
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

/// Most events between two checkpoints.
pub const CHECKPOINT_EVENTS: u64 = 1024;
/// Most bytes between two checkpoints.
pub const CHECKPOINT_BYTES: u64 = 1 << 20;
/// Small on purpose: most of a large recording is payload that skimming seeks over.
const SKIM_BUFFER: usize = 8 * 1024;

/// A place to start reading: the record of event number `ordinal` (counted from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub offset: u64,
    pub ordinal: u64,
    pub t_us: u64,
    /// The recording's clock, if it came before this point.
    pub clock: Option<Clock>,
}

/// Checkpoints along a recording and its extent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Index {
    pub checkpoints: Vec<Checkpoint>,
    /// Events found.
    pub events: u64,
    pub first_t_us: Option<u64>,
    pub last_t_us: Option<u64>,
    /// Whether the skim reached the `End` record (a file that was closed properly).
    pub closed: bool,
    /// Where the skim stopped: the end of the file, or the first record it could not place.
    pub scanned_to: u64,
}

impl Index {
    /// Skims the recording at `path`.
    pub fn build(path: &Path) -> Result<Self, OpenError> {
        Self::build_from(File::open(path).map_err(OpenError::Io)?)
    }

    /// Skims any seekable recording (checks its preamble first).
    pub fn build_from<R: Read + Seek>(input: R) -> Result<Self, OpenError> {
        let mut input = input;
        let len = input.seek(std::io::SeekFrom::End(0)).map_err(OpenError::Io)?;
        input.rewind().map_err(OpenError::Io)?;
        let buffered = BufReader::with_capacity(SKIM_BUFFER, input);
        let mut skim =
            Skim { input: Reader::new(buffered)?.into_input(), len, index: Self::default() };
        skim.run();
        Ok(skim.index)
    }

    /// The last checkpoint at or before `t_us` (the first one if `t_us` is earlier).
    #[must_use]
    pub fn at_or_before(&self, t_us: u64) -> Option<&Checkpoint> {
        let after = self.checkpoints.partition_point(|c| c.t_us <= t_us);
        self.checkpoints.get(after.saturating_sub(1))
    }

    /// The last checkpoint at or before event number `ordinal`.
    #[must_use]
    pub fn at_or_before_event(&self, ordinal: u64) -> Option<&Checkpoint> {
        let after = self.checkpoints.partition_point(|c| c.ordinal <= ordinal);
        self.checkpoints.get(after.saturating_sub(1))
    }
}

struct Skim<R> {
    input: BufReader<R>,
    len: u64,
    index: Index,
}

impl<R: Read + Seek> Skim<R> {
    fn run(&mut self) {
        let mut offset = PREAMBLE_LEN as u64;
        let mut parts_from: Option<u64> = None;
        let mut clock = None;
        let mut last_checkpoint = (0u64, 0u64);
        while let Some((code, len)) = self.header(offset) {
            let next = offset + (RECORD_HEADER_LEN + len + RECORD_TRAILER_LEN) as u64;
            let mut head = [0; 20];
            let want = len.min(head.len());
            if self.input.read_exact(&mut head[..want]).is_err() {
                break;
            }
            match RecordType::from_code(code) {
                Some(RecordType::End) => {
                    self.index.closed = true;
                    offset = next;
                    break;
                }
                Some(RecordType::Clock) => clock = clock.or_else(|| read_clock(&head[..want])),
                // An event is read from its call site and payload parts on.
                Some(RecordType::DataPart | RecordType::CallSite) => {
                    parts_from.get_or_insert(offset);
                }
                Some(RecordType::Event(_)) => {
                    let Ok(t_us) = event_time(&head[..want]) else { break };
                    let at = parts_from.take().unwrap_or(offset);
                    let ordinal = self.index.events;
                    let due = self.index.checkpoints.is_empty()
                        || ordinal - last_checkpoint.0 >= CHECKPOINT_EVENTS
                        || at - last_checkpoint.1 >= CHECKPOINT_BYTES;
                    if due {
                        self.index.checkpoints.push(Checkpoint {
                            offset: at,
                            ordinal,
                            t_us,
                            clock,
                        });
                        last_checkpoint = (ordinal, at);
                    }
                    self.index.events += 1;
                    self.index.first_t_us.get_or_insert(t_us);
                    self.index.last_t_us = Some(t_us);
                }
                Some(RecordType::Start | RecordType::TlsSecrets) | None => {}
            }
            let skip = i64::try_from(len - want + RECORD_TRAILER_LEN).unwrap_or(i64::MAX);
            if self.input.seek_relative(skip).is_err() {
                break;
            }
            offset = next;
        }
        self.index.scanned_to = offset;
    }

    /// The next record's type and length, if the whole record is in the file.
    fn header(&mut self, offset: u64) -> Option<(u8, usize)> {
        let mut header = [0; RECORD_HEADER_LEN];
        self.input.read_exact(&mut header).ok()?;
        let len = u32::from_le_bytes([header[1], header[2], header[3], header[4]]) as usize;
        let end = offset + (RECORD_HEADER_LEN + len + RECORD_TRAILER_LEN) as u64;
        (len <= MAX_BODY && end <= self.len).then_some((header[0], len))
    }
}

fn read_clock(body: &[u8]) -> Option<Clock> {
    let mut cursor = super::wire::Cursor::new(body);
    Some(Clock { unix_us: cursor.varint().ok()?, t_us: cursor.varint().ok()? })
}
