//! `sockscope run FILE [--to ADDR]`: the lesson file is read and checked here, before any
//! socket exists, so a bad file is exit 2 and nothing runs.

use super::args::{RunArgs, ViewOpts};
use super::config::{Presentation, RunPlan, UsageError, presentation, room_options};
use crate::demo::{Lesson, LessonError, Pick, Target, lesson_file};
use crate::engine::addr;
use crate::record::RecordTarget;
use std::io::Read as _;
use std::path::Path;

/// The run `args` ask for, with the lesson read.
pub(super) fn plan(args: RunArgs) -> Result<RunPlan, UsageError> {
    let from_stdin = args.file == Path::new("-");
    let lesson = read(&args.file, from_stdin).map_err(|err| UsageError(err.to_string()))?;
    let target = match &args.to {
        None => Target::Own,
        Some(to) => Target::Remote(addr::resolve_peer(to)?),
    };
    // A check of a server prints its verdict: it runs headless, as text unless --json.
    let view = if args.to.is_some() {
        ViewOpts { headless: true, json: args.play.view.json, bytes: args.play.view.bytes }
    } else {
        args.play.view
    };
    let presentation = presentation(&view)?;
    room_options(args.play.repeat, args.play.present, presentation)?;
    if args.play.repeat && target != Target::Own {
        return Err(UsageError("--loop and --to: a check runs once".into()));
    }
    let pick = (!from_stdin).then(|| Pick::File(args.file.clone()));
    Ok(RunPlan {
        lesson,
        pick,
        target,
        repeat: args.play.repeat,
        present: args.play.present,
        presentation,
        record: RecordTarget::from_opts(&args.play.record),
    })
}

/// The lesson in `file`, or on standard input.
fn read(file: &Path, from_stdin: bool) -> Result<Lesson, LessonError> {
    if !from_stdin {
        return lesson_file::read(file);
    }
    let mut source = String::new();
    let limit = lesson_file::MAX_FILE_BYTES + 1;
    let read = std::io::stdin().lock().take(limit).read_to_string(&mut source);
    let unreadable = |message: String| LessonError { file: "-".into(), at: None, message };
    read.map_err(|e| unreadable(format!("standard input is not text: {e}")))?;
    lesson_file::from_source(&source, "-", file)
}

/// Presentation for a run: the terminal UI's tempo or a log's.
pub(super) fn tempo(presentation: Presentation) -> crate::demo::Tempo {
    match presentation {
        Presentation::Tui => crate::demo::Tempo::Room,
        Presentation::Headless(_) => crate::demo::Tempo::Log,
    }
}
