//! [`Recorder`]: writes a recording on its own thread while the session runs.
//!
//! Encoding and writing never happen on the thread that hands the events over (the engine's, or
//! the UI loop's): batches go over a bounded channel to a writer thread. The bound keeps memory
//! flat if the disk ever falls behind the network; the sender then waits, as it does for a slow
//! terminal, and nothing is dropped. The writer hands its buffer to the OS whenever data has
//! waited [`FLUSH_INTERVAL`], so a crash or `kill -9` of sockscope loses at most about that
//! much of the session (the OS keeps what it was given; only a power loss can take more).

use super::direct::RecordFile;
use super::encoder::{Encoder, unix_micros};
use super::file::{CreateError, create_private};
use super::format::StartInfo;
use super::secrets::SecretsCursor;
use crate::event::{CallSite, Event};
pub use bell::Alarm;
use bell::{SharedBell, ring};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Longest time recorded data waits in sockscope's buffer before the OS has it.
pub const FLUSH_INTERVAL: Duration = Duration::from_millis(100);
/// Batches that may wait for the writer before a sender waits too.
pub const RECORD_BACKLOG: usize = 64;

/// What went wrong with a recording.
#[derive(Debug)]
pub enum RecordError {
    /// The file could not be created (exists, symbolic link, permissions...).
    Create(CreateError),
    /// Writing failed (disk full...); events after that point are not in the file.
    Write { path: PathBuf, source: io::Error },
    /// The writer thread is gone (it failed, or the recording was finished).
    Stopped,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Create(err) => err.fmt(f),
            Self::Write { path, source } => {
                write!(f, "writing the recording {} failed: {source}", path.display())
            }
            Self::Stopped => f.write_str("the recording has stopped"),
        }
    }
}

impl std::error::Error for RecordError {}

/// What a finished recording holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub path: PathBuf,
    pub events: u64,
    /// File size in bytes.
    pub bytes: u64,
}

enum Job {
    Batch(Vec<Event>),
    /// A traced program's events, each after its call site.
    Traced(Vec<(Event, CallSite)>),
    Finish,
}

/// A cheap, clonable handle that feeds a [`Recorder`] from any thread (the engine's sink holds
/// one, see [`super::RecordingSink`]).
#[derive(Clone, Debug)]
pub struct Tap {
    jobs: SyncSender<Job>,
}

impl fmt::Debug for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Batch(batch) => write!(f, "Batch({} events)", batch.len()),
            Self::Traced(batch) => write!(f, "Traced({} events)", batch.len()),
            Self::Finish => f.write_str("Finish"),
        }
    }
}

impl Tap {
    /// Hands a batch to the writer; `false` once the recording has stopped.
    #[must_use]
    pub fn send(&self, batch: Vec<Event>) -> bool {
        batch.is_empty() || self.jobs.send(Job::Batch(batch)).is_ok()
    }
}

/// A recording in progress: a file and the thread that writes it.
///
/// ```no_run
/// # use sockscope::record::Recorder;
/// # fn demo(batch: &[sockscope::event::Event]) -> Result<(), sockscope::record::RecordError> {
/// let recorder = Recorder::create("session.sscope".as_ref(), false)?;
/// recorder.record(batch)?;              // from the UI loop, per applied batch
/// let summary = recorder.finish()?;     // End record written, file closed
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Recorder {
    tap: Tap,
    path: PathBuf,
    thread: Option<JoinHandle<Result<Summary, RecordError>>>,
    bell: SharedBell,
}

impl Recorder {
    /// Creates `path` (mode 0600; never through a symbolic link; an existing file only with
    /// `force`), writes its preamble and starts the writer thread.
    pub fn create(path: &Path, force: bool) -> Result<Self, RecordError> {
        Self::create_with(path, force, &StartInfo::now(None))
    }

    /// Like [`Self::create`], with the `Start` record given: use
    /// `StartInfo::now(Some((spec.to_string(), max_message)))` so that a replay frames the
    /// streams as the session did.
    pub fn create_with(path: &Path, force: bool, start: &StartInfo) -> Result<Self, RecordError> {
        let file = create_private(path, force).map_err(RecordError::Create)?;
        let write_failed = |source| RecordError::Write { path: path.to_path_buf(), source };
        let out = RecordFile::new(file).map_err(write_failed)?;
        // The preamble goes to the OS at once: from now on the file is a valid recording.
        let mut encoder = Encoder::with_start(out, start).map_err(write_failed)?;
        encoder.flush().map_err(write_failed)?;
        let (jobs, inbox) = mpsc::sync_channel(RECORD_BACKLOG);
        let owned = path.to_path_buf();
        let bell = SharedBell::default();
        let rings = Arc::clone(&bell);
        let thread = std::thread::Builder::new()
            .name("sockscope-record".into())
            .spawn(move || write_until_finished(&inbox, encoder, owned, &rings))
            .map_err(write_failed)?;
        Ok(Self { tap: Tap { jobs }, path: path.to_path_buf(), thread: Some(thread), bell })
    }

    /// Has `alarm` told, once, if writing fails before [`Self::finish`] (at once if it already
    /// has); the error is also what `finish` returns. Replaces an alarm set before.
    pub fn on_failure(&self, alarm: Alarm) {
        bell::set(&self.bell, alarm);
    }

    /// Queues a copy of `events` for writing (payloads are shared, not copied).
    pub fn record(&self, events: &[Event]) -> Result<(), RecordError> {
        self.send(events.to_vec())
    }

    /// Queues a traced program's events, each with the call it came from (format 2.8 keeps
    /// the process, system call and descriptor).
    pub fn record_traced(&self, batch: &[(Event, CallSite)]) -> Result<(), RecordError> {
        let sent = batch.is_empty() || self.tap.jobs.send(Job::Traced(batch.to_vec())).is_ok();
        if sent { Ok(()) } else { Err(RecordError::Stopped) }
    }

    /// Queues `batch` for writing.
    pub fn send(&self, batch: Vec<Event>) -> Result<(), RecordError> {
        if self.tap.send(batch) { Ok(()) } else { Err(RecordError::Stopped) }
    }

    /// A handle for another thread, e.g. for [`super::RecordingSink`].
    #[must_use]
    pub fn tap(&self) -> Tap {
        self.tap.clone()
    }

    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the writer has stopped before being asked to finish (it failed): [`Self::finish`]
    /// then says why at once.
    #[must_use]
    pub fn has_stopped(&self) -> bool {
        self.thread.as_ref().is_some_and(JoinHandle::is_finished)
    }

    /// Writes what is queued and the `End` record, closes the file, and says what it holds.
    /// Batches sent through a [`Tap`] afterwards are refused.
    pub fn finish(mut self) -> Result<Summary, RecordError> {
        self.stop()
    }

    fn stop(&mut self) -> Result<Summary, RecordError> {
        let _ = self.tap.jobs.send(Job::Finish);
        let thread = self.thread.take().ok_or(RecordError::Stopped)?;
        thread.join().unwrap_or(Err(RecordError::Stopped))
    }
}

impl Drop for Recorder {
    /// A recorder dropped without [`Recorder::finish`] still closes its file properly.
    fn drop(&mut self) {
        if self.thread.is_some() {
            let _ = self.stop();
        }
    }
}

/// The writer thread: write each batch, flush whenever data has waited [`FLUSH_INTERVAL`],
/// end at `Finish` (or when every sender is gone); a failure before then rings the bell.
fn write_until_finished(
    inbox: &Receiver<Job>,
    mut encoder: Encoder<RecordFile>,
    path: PathBuf,
    bell: &SharedBell,
) -> Result<Summary, RecordError> {
    let failed = |source| RecordError::Write { path: path.clone(), source };
    if let Err(source) = write_batches(inbox, &mut encoder) {
        ring(bell, source.to_string());
        return Err(failed(source));
    }
    let events = encoder.events();
    let writer = encoder.finish().map_err(failed)?;
    let file = writer.into_file().map_err(failed)?;
    let bytes = file.metadata().map_err(failed)?.len();
    Ok(Summary { path, events, bytes })
}

/// Writes each batch until `Finish`, handing the data to the OS once it has waited
/// [`FLUSH_INTERVAL`].
fn write_batches(inbox: &Receiver<Job>, encoder: &mut Encoder<RecordFile>) -> io::Result<()> {
    let mut unflushed_since: Option<Instant> = None;
    let mut clock_written = false;
    let mut secrets = SecretsCursor::default();
    loop {
        let wait = unflushed_since.map_or(Duration::from_secs(3600), |since| {
            FLUSH_INTERVAL.saturating_sub(since.elapsed())
        });
        match inbox.recv_timeout(wait) {
            Ok(Job::Batch(batch)) => {
                // Before the events: the handshakes they report logged their keys already.
                for text in secrets.take_new() {
                    encoder.write_tls_secrets(&text)?;
                }
                if !clock_written && let Some(last) = batch.last() {
                    encoder.write_clock(unix_micros(), last.t_us)?;
                    clock_written = true;
                }
                for event in &batch {
                    encoder.write_event(event)?;
                }
                unflushed_since.get_or_insert_with(Instant::now);
            }
            Ok(Job::Traced(batch)) => {
                if !clock_written && let Some((last, _)) = batch.last() {
                    encoder.write_clock(unix_micros(), last.t_us)?;
                    clock_written = true;
                }
                for (event, site) in &batch {
                    encoder.write_call_site(site, event)?;
                    encoder.write_event(event)?;
                }
                unflushed_since.get_or_insert_with(Instant::now);
            }
            Ok(Job::Finish) | Err(RecvTimeoutError::Disconnected) => {
                for text in secrets.take_new() {
                    encoder.write_tls_secrets(&text)?;
                }
                break;
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        if unflushed_since.is_some_and(|since| since.elapsed() >= FLUSH_INTERVAL) {
            encoder.flush()?;
            unflushed_since = None;
        }
    }
    Ok(())
}

mod bell;
