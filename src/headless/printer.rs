//! Writes the event log to standard output, one line per event.

use super::format::human_line;
use crate::cli::Output;
use crate::event::Event;
use std::io::{self, BufWriter, StdoutLock, Write};

/// Buffered standard output in the chosen form. Buffering matters at high event rates; the run
/// loop flushes whenever it has caught up, so an interactive reader still sees lines at once.
#[derive(Debug)]
pub struct Printer {
    out: BufWriter<StdoutLock<'static>>,
    output: Output,
}

impl Printer {
    #[must_use]
    pub fn new(output: Output) -> Self {
        Self { out: BufWriter::new(io::stdout().lock()), output }
    }

    pub fn print(&mut self, event: &Event) -> io::Result<()> {
        match self.output {
            Output::Text => writeln!(self.out, "{}", human_line(event)),
            Output::Json => writeln!(self.out, "{}", event.to_json_line()),
        }
    }

    /// Whether lines are for people (`Output::Text`), not JSON Lines.
    #[must_use]
    pub fn for_people(&self) -> bool {
        self.output == Output::Text
    }

    /// A line of text as it is (a lesson's handout: its text, a note).
    pub fn text(&mut self, text: &str) -> io::Result<()> {
        writeln!(self.out, "{text}")
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
