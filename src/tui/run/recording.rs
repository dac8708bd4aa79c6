//! Recording from the UI loop (`--record` in the UI, `Ctrl-R`, `:record FILE`).
//!
//! The UI records the batches in the order it applies them, on its own thread, rather than
//! tapping the engine: a recording started in the middle of a session then begins exactly
//! where the App's session stands, because the opening events it writes first are computed
//! from that session and nothing in flight between the engine and the App is missed or
//! doubled. The writing itself happens on the recorder's thread; the UI only queues batches
//! whose payloads are shared, not copied.
//!
//! A writer that fails (a full disk) posts [`RecordingNews::Failed`] into the UI loop's
//! channel at once, so the status bar says so while the session goes on unrecorded; the
//! failure is said again on the terminal after the UI exits, and makes the exit code 1.

use crate::event::{CallSite, Event};
use crate::record::file::{CreateError, Problem};
use crate::record::{RecordError, Recorder, StartInfo, Summary};
use crate::tui::msg::{Msg, RecordingNews};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

/// The recording in progress, if any.
#[derive(Debug, Default)]
pub struct Recording {
    recorder: Option<Recorder>,
    /// The UI loop's channel, where a writer's failure is told as it happens.
    news: Option<Sender<Msg>>,
    /// A recording that failed while the session ran, and why.
    failed: Option<(PathBuf, String)>,
}

impl Recording {
    /// Records from the start of the session (`--record`): the engine's first batch opens it.
    pub fn from_start(
        path: &Path,
        force: bool,
        framing: (String, usize),
    ) -> Result<Self, RecordError> {
        Ok(Self { recorder: Some(create(path, force, framing)?), ..Self::default() })
    }

    /// Tells `msgs` at once when a recording's writer fails, this one's and later ones'.
    pub fn tell(&mut self, msgs: Sender<Msg>) {
        self.news = Some(msgs);
        if let Some(recorder) = &self.recorder {
            self.arm(recorder);
        }
    }

    fn arm(&self, recorder: &Recorder) {
        let Some(msgs) = self.news.clone() else { return };
        let path = recorder.path().to_path_buf();
        recorder.on_failure(Box::new(move |why| {
            let error = format!("stopped: {why}");
            let _ = msgs.send(Msg::Recording(RecordingNews::Failed { path, error }));
        }));
    }

    /// `:record FILE`: a new file (never over an existing one, never through a link), which
    /// begins with `opening`.
    pub fn start(
        &mut self,
        path: &Path,
        opening: &[Event],
        framing: (String, usize),
    ) -> RecordingNews {
        let failed = |error: String| RecordingNews::Failed { path: path.to_path_buf(), error };
        if self.recorder.as_ref().is_some_and(Recorder::has_stopped) {
            self.reap();
        }
        if self.recorder.is_some() {
            return failed("a recording is already running".into());
        }
        let recorder = match create(path, false, framing) {
            Ok(recorder) => recorder,
            Err(err) if name_taken(&err) => {
                return RecordingNews::Exists { path: path.to_path_buf() };
            }
            Err(err) => return failed(err.to_string()),
        };
        if let Err(err) = recorder.record(opening) {
            return failed(err.to_string());
        }
        self.arm(&recorder);
        self.recorder = Some(recorder);
        RecordingNews::Started { path: path.to_path_buf() }
    }

    /// Queues a batch the App is about to apply; news only if the recording has failed and
    /// nobody was told yet.
    pub fn record(&mut self, batch: &[Event]) -> Option<RecordingNews> {
        if self.recorder.as_ref()?.record(batch).is_ok() {
            return None;
        }
        let (path, error) = self.reap()?;
        // An armed writer has already told the loop, before it stopped taking batches.
        self.news.is_none().then_some(RecordingNews::Failed { path, error })
    }

    /// Records a traced program's batch.
    pub fn record_traced(&mut self, batch: &[(Event, CallSite)]) -> Option<RecordingNews> {
        if self.recorder.as_ref()?.record_traced(batch).is_ok() {
            return None;
        }
        let (path, error) = self.reap()?;
        self.news.is_none().then_some(RecordingNews::Failed { path, error })
    }

    /// Closes a writer that has stopped and keeps why; returns it.
    fn reap(&mut self) -> Option<(PathBuf, String)> {
        let recorder = self.recorder.take()?;
        let path = recorder.path().to_path_buf();
        let error = match recorder.finish() {
            Err(err) => err.to_string(),
            Ok(_) => "the writer stopped".into(),
        };
        self.failed = Some((path.clone(), error.clone()));
        Some((path, error))
    }

    /// Closes the recording, if any.
    pub fn stop(&mut self) -> Option<RecordingNews> {
        let recorder = self.recorder.take()?;
        let path: PathBuf = recorder.path().to_path_buf();
        let result = recorder.finish().map(|summary| describe(&summary));
        Some(RecordingNews::Finished {
            path,
            result: result.map_err(|err: RecordError| err.to_string()),
        })
    }

    /// A recording that failed while the session ran (its file, why), if one did.
    pub fn failure(&mut self) -> Option<(PathBuf, String)> {
        self.failed.take()
    }
}

/// Whether creating failed only because the name is taken: something exists there (a file,
/// a link, a directory) and the UI, which never overwrites, cannot use it.
fn name_taken(err: &RecordError) -> bool {
    match err {
        RecordError::Create(CreateError { problem, .. }) => match problem {
            Problem::Exists | Problem::Symlink | Problem::NotRegular => true,
            // Its own message says what to give instead.
            Problem::Directory => false,
            Problem::Io(err) => err.kind() == std::io::ErrorKind::AlreadyExists,
        },
        RecordError::Write { .. } | RecordError::Stopped => false,
    }
}

/// A new recording file whose `Start` record holds the session's framing (text and cap), so
/// that a replay cuts the streams the same way.
fn create(path: &Path, force: bool, framing: (String, usize)) -> Result<Recorder, RecordError> {
    Recorder::create_with(path, force, &StartInfo::now(Some(framing)))
}

/// `1234 events, 5.6 MiB`.
fn describe(summary: &Summary) -> String {
    format!("{} events, {}", summary.events, crate::tui::model::compact_size(summary.bytes))
}
