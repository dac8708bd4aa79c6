//! `sockscope replay FILE --headless [--json]`: a recording printed exactly as the live run
//! printed it: the same printer, the same derived `message` events, cut with the framing the
//! session was recorded with (or `--framing`). `export --format jsonl` writes the same lines.

use super::Outcome;
use super::Output;
use super::messages::Messages;
use super::printer::Printer;
use crate::event::{CallSite, Event};
use crate::framing::Spec;
use crate::record::export::select::Selection;
use crate::record::{Ending, ReadStatus, Reader};
use crate::record::{Replay, replay_framing};
use std::io::{self, Read, Write};
use std::path::Path;

/// Prints every event of the recording; says on stderr how reading ended.
#[must_use]
pub fn run(plan: &Replay, output: Output) -> Outcome {
    let mut reader = match Reader::open(&plan.path) {
        Ok(reader) => reader,
        Err(err) => {
            eprintln!("error: {}: {err}", plan.path.display());
            return Outcome::BadInput;
        }
    };
    let mut printer = Printer::new(output);
    let result =
        replay(&mut reader, plan.framing.as_ref(), plan.max_message, |event, site| match site {
            Some(site) => printer.print_traced(event, Some(site)),
            None => printer.print(event),
        })
        .and_then(|()| printer.flush());
    match result {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Outcome::Success,
        Err(err) => {
            eprintln!("error: writing the event log failed: {err}");
            Outcome::NetworkFailure
        }
        Ok(()) => report_ending(&plan.path, reader.ending()),
    }
}

/// `export --format jsonl`: the lines `--headless --json` printed live.
pub fn write_jsonl<R: Read>(reader: &mut Reader<R>, out: &mut impl Write) -> io::Result<()> {
    write_jsonl_selected(reader, out, &Selection::all())
}

/// [`write_jsonl`], of the events `selection` keeps.
pub fn write_jsonl_selected<R: Read>(
    reader: &mut Reader<R>,
    out: &mut impl Write,
    selection: &Selection,
) -> io::Result<()> {
    replay(reader, None, None, |event, site| {
        if !selection.keeps(event) {
            return Ok(());
        }
        event.write_traced_json_line(site, out)
    })?;
    out.flush()
}

/// Hands every recorded event to `each` (with its call site, in a traced program's
/// recording), each followed by the `message` events it completed
/// under the framing (`spec`, else the recorded one; framing problems are warned about on
/// stderr, once per stream, as live).
fn replay<R: Read>(
    reader: &mut Reader<R>,
    spec: Option<&Spec>,
    max_message: Option<usize>,
    mut each: impl FnMut(&Event, Option<&CallSite>) -> io::Result<()>,
) -> io::Result<()> {
    // The Start record, which holds the recorded framing, comes before the first event.
    let mut next = reader.next().map(|(_, event)| (event, reader.site()));
    let (spec, max_message, warning) = replay_framing(spec, max_message, reader.start());
    if let Some(warning) = warning {
        eprintln!("warning: {warning}");
    }
    let mut messages = Messages::new(&spec, max_message);
    while let Some((event, site)) = next.take() {
        each(&event, site.as_ref())?;
        if let Some(messages) = &mut messages {
            let derived = messages.derive(&event);
            for error in derived.errors {
                eprintln!("warning: {error}");
            }
            derived.messages.iter().try_for_each(|message| each(message, None))?;
        }
        next = reader.next().map(|(_, event)| (event, reader.site()));
    }
    Ok(())
}

/// Says on stderr how reading ended: nothing for a complete file; a note for skipped records
/// of a newer minor version; an error (exit 2) for a truncated or corrupt one, after
/// everything before the damage has been used.
#[must_use]
pub fn report_ending(path: &Path, ending: Option<&Ending>) -> Outcome {
    let Some(ending) = ending else { return Outcome::Success };
    if ending.skipped_unknown > 0 {
        eprintln!(
            "note: {}: skipped {} records of a newer format version",
            path.display(),
            ending.skipped_unknown
        );
    }
    match &ending.status {
        ReadStatus::Complete => Outcome::Success,
        status => {
            eprintln!("error: {}: {status} ({} events read)", path.display(), ending.events);
            Outcome::BadInput
        }
    }
}
