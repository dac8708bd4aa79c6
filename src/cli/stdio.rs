//! `connect --stdio [--log FILE]`: nc's contract. Standard output carries the peer's bytes
//! alone, so the event log's form (`--json`, `--bytes`) needs a `--log` file to shape.

use super::args::ViewOpts;
use super::config::{Presentation, UsageError};
use crate::headless::{Output, Stdio};

/// `--stdio` and `--log`, checked: the log's form comes from `--json` and `--bytes`, which
/// then need a log to shape.
pub(super) fn stdio_plan(
    stdio: bool,
    log: Option<std::path::PathBuf>,
    view: &ViewOpts,
) -> Result<Option<Stdio>, UsageError> {
    match (stdio, log) {
        (false, None) => Ok(None),
        (false, Some(_)) => Err(UsageError(
            "--log writes the event log of --stdio: standard output is the log otherwise".into(),
        )),
        (true, None) if view.json || view.bytes.is_some() => Err(UsageError(
            "--json and --bytes shape the event log, which --stdio writes only with --log FILE"
                .into(),
        )),
        (true, log) => Ok(Some(Stdio { log })),
    }
}

/// `--stdio` runs without the UI; `--json` or `--bytes` shape the `--log` file.
pub(super) fn stdio_presentation(view: &ViewOpts) -> Presentation {
    if view.json {
        Presentation::Headless(Output::Json)
    } else {
        Presentation::Headless(Output::Text(view.bytes.unwrap_or_default()))
    }
}
