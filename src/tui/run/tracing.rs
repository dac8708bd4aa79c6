//! `sockscope trace` in the terminal UI: the program's own calls in the same panels as the
//! engine's. The program's output and error never reach the screen (they go to
//! `--program-output FILE`, else `/dev/null`, as the status bar says); quitting kills a
//! started program, or detaches from an attached one.

use super::recording::Recording;
use super::verdict::Verdict;
use super::{Feed, Outcome, Start, open_recording, session};
use crate::record::RecordTarget;
use crate::trace::{Settings, Stdio, Target};
use crate::tui::app::Mode;
use crate::tui::look::Look;
use crate::tui::model;

/// What `sockscope trace` in the UI starts with; the command line builds it.
#[derive(Clone, Debug)]
pub struct TraceStart {
    pub target: Target,
    pub settings: Settings,
    pub record: Option<RecordTarget>,
}

/// Traces `start.target` in the UI until the user quits.
#[must_use]
pub fn run_trace(start: &TraceStart, look: &Look) -> Outcome {
    // Before any thread starts: the tracer waits for SIGCHLD on a signalfd (`trace::waiting`).
    crate::trace::block_child_signals();
    let framing = ("raw".to_string(), crate::framing::DEFAULT_MAX_MESSAGE);
    let Some(recording): Option<(Recording, _)> = open_recording(start.record.as_ref(), framing)
    else {
        return Outcome::BadInput;
    };
    let feed = Feed::Trace { target: start.target.clone(), settings: start.settings.clone() };
    session::run(
        Start {
            mode: Mode::Auto,
            session: model::new_session(),
            feed,
            driver: None,
            pick: None,
            warnings: Vec::new(),
            recording,
            verdict: Verdict::QuitSucceeds,
        },
        look,
    )
}

/// Where the program's output goes, as the status bar says it (an attached program's is
/// wherever it was).
#[must_use]
pub fn output_text(target: &Target, stdio: &Stdio) -> String {
    if let Target::Attach(_) = target {
        return "its own (attached)".into();
    }
    match stdio {
        Stdio::Inherit => "the terminal".into(),
        Stdio::File(path) => path.display().to_string(),
        Stdio::Null => "/dev/null".into(),
    }
}
