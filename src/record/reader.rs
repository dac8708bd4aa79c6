//! [`Reader`]: the events of a recording, streamed, with an honest account of how it ended.
//!
//! A recording may end early (the writer was killed, the copy was cut short) or be damaged.
//! The reader gives back every event before the problem and then says where it stopped:
//! [`ReadStatus::Truncated`] or [`ReadStatus::Corrupt`]. It never panics on bad input and never
//! allocates for a length before checking it: a body larger than [`MAX_BODY`] is refused
//! outright, and a smaller one grows its buffer only as its bytes actually arrive, so a
//! damaged length in a short file costs no more memory than the file.

use super::format::{self, MAX_BODY, PREAMBLE_LEN, RECORD_HEADER_LEN, StartInfo, Version};
use super::index::Checkpoint;
use super::relay::RelayQueues;
use crate::event::{CallSite, Event};
pub use ending::{Clock, Ending, OpenError, ReadStatus};
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

mod consistency;
mod ending;
mod interpret;

/// Buffer of a reader over a file.
const READ_BUFFER: usize = 256 * 1024;
/// Largest buffer reserved up front for one body; more only as bytes arrive.
const INITIAL_BODY_CAPACITY: usize = 64 * 1024;

/// Streams `(offset, event)` pairs; `offset` is where reading must start to get that event
/// (see [`Reader::open_at`]). When the iterator ends, [`Reader::ending`] says why.
#[derive(Debug)]
pub struct Reader<R> {
    input: R,
    version: Version,
    offset: u64,
    ending: Option<Ending>,
    /// Payload from `DataPart` records, and the offset of the first of them.
    pending: Option<(Vec<u8>, u64)>,
    /// A `call_site` record waiting for its event, and where it begins.
    pending_site: Option<(CallSite, u64)>,
    /// The call site of the event returned last (format 2.8, a traced program's recording).
    site: Option<CallSite>,
    skipped_unknown: u64,
    events: u64,
    /// Events a checkpoint skipped, so that the `End` record's count can still be checked.
    ordinal_base: u64,
    start: Option<StartInfo>,
    clock: Option<Clock>,
    largest_buffer: usize,
    /// What a proxy received and has not relayed yet: where relayed sends take their bytes.
    relay: RelayQueues,
    /// The TLS key log text read so far, when asked for ([`Self::keep_secrets`]).
    secrets: Option<String>,
}

impl Reader<BufReader<File>> {
    /// Opens a recording file and checks its preamble.
    pub fn open(path: &Path) -> Result<Self, OpenError> {
        Self::new(BufReader::with_capacity(READ_BUFFER, File::open(path).map_err(OpenError::Io)?))
    }

    /// The file being read.
    #[must_use]
    pub fn file(&self) -> &File {
        self.input.get_ref()
    }

    /// Opens a recording and continues from a checkpoint of its [`super::Index`].
    pub fn open_at(path: &Path, checkpoint: &Checkpoint) -> Result<Self, OpenError> {
        let mut reader = Self::open(path)?;
        let file = reader.input.get_mut();
        file.seek(SeekFrom::Start(checkpoint.offset)).map_err(OpenError::Io)?;
        reader.input = BufReader::with_capacity(READ_BUFFER, reader.input.into_inner());
        reader.offset = checkpoint.offset;
        reader.ordinal_base = checkpoint.ordinal;
        reader.clock = checkpoint.clock;
        Ok(reader)
    }
}

impl<R: Read> Reader<R> {
    /// Reads and checks the preamble; the records follow as the iterator is advanced.
    pub fn new(mut input: R) -> Result<Self, OpenError> {
        let mut preamble = [0; PREAMBLE_LEN];
        let got = read_full(&mut input, &mut preamble).map_err(OpenError::Io)?;
        let version = format::check_preamble(&preamble[..got]).map_err(OpenError::Preamble)?;
        Ok(Self {
            input,
            version,
            offset: PREAMBLE_LEN as u64,
            ending: None,
            pending: None,
            pending_site: None,
            site: None,
            skipped_unknown: 0,
            events: 0,
            ordinal_base: 0,
            start: None,
            clock: None,
            largest_buffer: 0,
            relay: RelayQueues::default(),
            secrets: None,
        })
    }

    /// The input, positioned after what has been read.
    pub fn into_input(self) -> R {
        self.input
    }

    #[must_use]
    pub fn version(&self) -> Version {
        self.version
    }

    /// How reading ended; `None` while events remain.
    #[must_use]
    pub fn ending(&self) -> Option<&Ending> {
        self.ending.as_ref()
    }

    /// Reads to the end and returns every event with the ending.
    pub fn read_all(mut self) -> (Vec<Event>, Ending) {
        let events = self.by_ref().map(|(_, event)| event).collect();
        let ending = self.ending.unwrap_or_else(|| unreachable_ending(self.offset));
        (events, ending)
    }

    /// The traced call the event returned last came from (its process, system call and
    /// descriptor); `None` for sockscope's own events and before format 2.8.
    #[must_use]
    pub fn site(&self) -> Option<CallSite> {
        self.site
    }

    /// The wall-clock time of the session clock, once the `Clock` record has been read
    /// (it comes before the first event).
    #[must_use]
    pub fn clock(&self) -> Option<Clock> {
        self.clock
    }

    /// What the `Start` record says (creation time, tool, framing), once it has been read
    /// (it is the first record, so after the first event at the latest).
    #[must_use]
    pub fn start(&self) -> Option<&StartInfo> {
        self.start.as_ref()
    }

    /// Keeps the TLS secrets read from now on (see [`super::secrets`]), for
    /// [`Self::take_secrets`]. Readers that do not ask only check them.
    pub fn keep_secrets(&mut self) {
        self.secrets.get_or_insert_with(String::new);
    }

    /// The key log text kept so far (NSS key log lines), emptied.
    pub fn take_secrets(&mut self) -> String {
        self.secrets.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// The largest buffer allocated for one record so far (never above [`MAX_BODY`]).
    #[must_use]
    pub fn largest_buffer(&self) -> usize {
        self.largest_buffer
    }

    fn stop(&mut self, status: ReadStatus) {
        let events = self.events;
        self.ending = Some(Ending { status, skipped_unknown: self.skipped_unknown, events });
    }

    /// Where the last complete event ends: before any payload parts still waiting.
    fn complete_to(&self) -> u64 {
        self.pending.as_ref().map_or(self.offset, |(_, start)| *start)
    }

    fn truncated(&mut self, at: u64) {
        let complete_to = self.complete_to();
        self.stop(ReadStatus::Truncated { at, complete_to });
    }

    fn corrupt(&mut self, at: u64, why: impl Into<String>) {
        self.stop(ReadStatus::Corrupt { at, why: why.into() });
    }

    /// Reads one record; `Some` with an event, or `None` after setting the ending or after a
    /// record that holds no event.
    fn next_record(&mut self) -> Result<Option<(u64, Event)>, ()> {
        let start = self.offset;
        let mut header = [0; RECORD_HEADER_LEN];
        let got = self.read(&mut header, start)?;
        if got < header.len() {
            self.truncated(start + got as u64);
            return Err(());
        }
        let code = header[0];
        let len = u32::from_le_bytes([header[1], header[2], header[3], header[4]]);
        let len_usize = len as usize;
        if len_usize > MAX_BODY {
            self.corrupt(
                start,
                format!("it declares {len} bytes, more than the {MAX_BODY} a record may hold"),
            );
            return Err(());
        }
        let body_at = start + RECORD_HEADER_LEN as u64;
        let mut body = Vec::with_capacity(len_usize.min(INITIAL_BODY_CAPACITY));
        let got = (&mut self.input).take(u64::from(len)).read_to_end(&mut body);
        self.largest_buffer = self.largest_buffer.max(body.capacity());
        let got = got.map_err(|err| self.corrupt(start, format!("reading failed: {err}")))?;
        if got < len_usize {
            self.truncated(body_at + got as u64);
            return Err(());
        }
        let mut crc = [0; 4];
        let crc_at = body_at + u64::from(len);
        let got = self.read(&mut crc, start)?;
        if got < crc.len() {
            self.truncated(crc_at + got as u64);
            return Err(());
        }
        if format::record_crc(code, len, &[&body]) != u32::from_le_bytes(crc) {
            self.corrupt(start, "its checksum does not match its contents");
            return Err(());
        }
        self.offset = crc_at + 4;
        self.interpret(start, code, body)
    }

    fn read(&mut self, buf: &mut [u8], record: u64) -> Result<usize, ()> {
        read_full(&mut self.input, buf)
            .map_err(|err| self.corrupt(record, format!("reading failed: {err}")))
    }
}

impl<R: Read> Iterator for Reader<R> {
    type Item = (u64, Event);

    fn next(&mut self) -> Option<Self::Item> {
        while self.ending.is_none() {
            if let Ok(Some(event)) = self.next_record() {
                return Some(event);
            }
        }
        None
    }
}

fn unreachable_ending(offset: u64) -> Ending {
    Ending {
        status: ReadStatus::Truncated { at: offset, complete_to: offset },
        skipped_unknown: 0,
        events: 0,
    }
}

/// Reads until `buf` is full or the input ends; returns how many bytes were read.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}
