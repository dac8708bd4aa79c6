//! `sockscope export`: open the recording and the output, convert, report how reading ended.

use super::{EXIT_USAGE, ExportFormat, ExportPlan};
use crate::headless::{self, report_ending};
use crate::record::export::pcapng::Payload;
use crate::record::export::select::Selection;
use crate::record::{Reader, create_private, export, names_file};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

/// Output buffer: exports write many small pieces.
const OUTPUT_BUFFER: usize = 256 * 1024;

#[must_use]
pub fn run_export(plan: &ExportPlan) -> ExitCode {
    if plan.output.is_none() && plan.format.carries_raw_bytes() && io::stdout().is_terminal() {
        eprintln!(
            "error: a {} export holds the recorded bytes raw, and standard output is a \
             terminal: write it to a file with -o FILE",
            plan.format.name()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let selection = match selection(plan) {
        Ok(selection) => selection,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let payload = match pcapng_payload(plan, &selection) {
        Ok(payload) => payload,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let mut reader = match Reader::open(&plan.path) {
        Ok(reader) => reader,
        Err(err) => {
            eprintln!("error: {}: {err}", plan.path.display());
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let mut out: BufWriter<Box<dyn Write>> = match &plan.output {
        None => BufWriter::with_capacity(OUTPUT_BUFFER, Box::new(io::stdout().lock())),
        Some(path) if names_file(path, reader.file()) => {
            eprintln!(
                "error: {} is the recording being read: refusing to write over it",
                path.display()
            );
            return ExitCode::from(EXIT_USAGE);
        }
        Some(path) => match create_private(path, plan.force) {
            Ok(file) => BufWriter::with_capacity(OUTPUT_BUFFER, Box::new(file) as Box<dyn Write>),
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::from(EXIT_USAGE);
            }
        },
    };
    let written = match (plan.format, plan.conn, plan.dir) {
        (ExportFormat::Raw, Some(conn), Some(dir)) => {
            export::raw::write(&mut reader, &mut out, conn, dir)
        }
        (ExportFormat::Raw, ..) => {
            Err(io::Error::new(io::ErrorKind::InvalidInput, "raw needs --conn and --dir"))
        }
        (ExportFormat::Jsonl, ..) => {
            headless::replay::write_jsonl_selected(&mut reader, &mut out, &selection)
        }
        (ExportFormat::Pcapng, ..) => {
            export::pcapng::write_with(&mut reader, &mut out, &selection, &payload)
        }
        (ExportFormat::Hexdump, ..) => {
            export::hexdump::write_selected(&mut reader, &mut out, &selection)
        }
    };
    match written.and_then(|()| out.flush()) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: writing the export failed: {err}");
            ExitCode::from(1)
        }
        Ok(()) => report_ending(&plan.path, reader.ending()).exit_code(),
    }
}

/// What a capture's TLS connections carry: for pcapng, the recording is read ahead for its
/// TLS secrets and connections. `--plaintext` of a recording without TLS is refused: the
/// plain export already holds its bytes as they were sent. Only the secrets of the
/// connections `selection` keeps go into the capture.
fn pcapng_payload(plan: &ExportPlan, selection: &Selection) -> Result<Payload, String> {
    let nothing = Payload::Wire { secrets: String::new() };
    if plan.format != ExportFormat::Pcapng {
        return Ok(nothing);
    }
    let mut reader =
        Reader::open(&plan.path).map_err(|err| format!("{}: {err}", plan.path.display()))?;
    let facts = export::tls::gather(&mut reader, selection);
    match (plan.plaintext, facts.conns.is_empty()) {
        (true, true) => Err(format!(
            "--plaintext: {} holds no TLS connection, so there is no plaintext apart from the \
             bytes sent; export it without --plaintext",
            plan.path.display()
        )),
        (true, false) => Ok(Payload::Plaintext { tls: facts.conns }),
        (false, _) => Ok(Payload::Wire { secrets: facts.secrets }),
    }
}

/// What `--conn` and `--dir` keep. `--conn N` reads the recording ahead (until N's pair is
/// known, or N is closed) to find its proxy pair; a connection the file never names is an
/// error.
fn selection(plan: &ExportPlan) -> Result<Selection, String> {
    let Some(conn) = plan.conn else { return Ok(Selection::direction(plan.dir)) };
    let mut reader =
        Reader::open(&plan.path).map_err(|err| format!("{}: {err}", plan.path.display()))?;
    Selection::conn(&mut reader, conn, plan.dir)
        .ok_or_else(|| format!("{}: no connection {conn} in this recording", plan.path.display()))
}
