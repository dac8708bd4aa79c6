//! The incremental framer: one per stream direction, fed chunk by chunk as `recv`/`send` move
//! bytes, answering which messages are complete and how far the next one has come.

use std::mem;

use super::delimited::DelimitedFramer;
use super::error::FramingError;
use super::length::{Header, LengthFramer};
use super::message::{Emitter, Message, Partial};
use super::spec::Spec;

/// The spec-specific state machine.
#[derive(Debug)]
enum Machine {
    /// `raw`, and every framer after an error: bytes are counted, never framed.
    Counting,
    Length(LengthFramer),
    Delimited(DelimitedFramer),
    /// `eof`: the body so far.
    UntilEof(Vec<u8>),
    /// `datagram`: every chunk is a message.
    Whole,
}

/// Cuts one direction of a stream into messages, incrementally.
///
/// The result never depends on how the stream was chunked. Memory held is at most the cap
/// (`max_message`) plus a header, a delimiter and one chunk; a declared length is checked
/// against the cap before anything is allocated for it. After an error, the stream cannot be
/// framed any more: pushes are only counted.
#[derive(Debug)]
pub struct Framer {
    spec: Spec,
    max_message: usize,
    machine: Machine,
    /// Stream offset of the message in progress: every byte before it is in a complete message.
    consumed: u64,
    stream_len: u64,
    error: Option<FramingError>,
    finished: bool,
}

impl Framer {
    /// A framer for `spec` with a cap of `max_message` bytes per message. A spec that
    /// [`Spec::validate`] rejects gives a framer already in the error state.
    #[must_use]
    pub fn new(spec: Spec, max_message: usize) -> Self {
        let error = spec.validate(max_message).err().map(FramingError::InvalidSpec);
        let machine = if error.is_some() { Machine::Counting } else { machine_for(&spec) };
        Self { spec, max_message, machine, consumed: 0, stream_len: 0, error, finished: false }
    }

    /// Frames the next chunk; returns the messages it completed, in stream order.
    ///
    /// Ignored after [`Self::finish`]: nothing follows EOF.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<Message> {
        if self.finished {
            return Vec::new();
        }
        self.stream_len = self.stream_len.saturating_add(chunk.len() as u64);
        let cap = self.max_message;
        let mut out = Emitter::new(self.consumed);
        let result = match &mut self.machine {
            Machine::Counting => Ok(()),
            Machine::Length(framer) => framer.push(chunk, cap, &mut out),
            Machine::Delimited(framer) => framer.push(chunk, cap, &mut out),
            Machine::UntilEof(body) => push_until_eof(body, chunk, cap, &out),
            Machine::Whole => {
                out.emit(0, chunk.to_vec(), 0);
                Ok(())
            }
        };
        self.consumed = out.start();
        if let Err(error) = result {
            self.fail(error);
        }
        out.into_messages()
    }

    /// Ends the stream (the peer's EOF). For `eof` framing this completes the one message, even
    /// an empty one; for the others an incomplete message stays reported by [`Self::partial`].
    pub fn finish(&mut self) -> Vec<Message> {
        if mem::replace(&mut self.finished, true) {
            return Vec::new();
        }
        let Machine::UntilEof(body) = &mut self.machine else { return Vec::new() };
        let mut out = Emitter::new(self.consumed);
        out.emit(0, mem::take(body), 0);
        self.consumed = out.start();
        out.into_messages()
    }

    fn fail(&mut self, error: FramingError) {
        self.error = Some(error);
        // Frees the buffered partial: nothing after this point will be framed.
        self.machine = Machine::Counting;
    }

    #[must_use]
    pub fn spec(&self) -> &Spec {
        &self.spec
    }

    #[must_use]
    pub fn max_message(&self) -> usize {
        self.max_message
    }

    /// Why the stream cannot be framed from [`Self::consumed`] on, if it cannot.
    #[must_use]
    pub fn error(&self) -> Option<&FramingError> {
        self.error.as_ref()
    }

    /// Whether [`Self::finish`] was called.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The message in progress, if any of its bytes arrived; `None` after an error.
    #[must_use]
    pub fn partial(&self) -> Option<Partial> {
        let start = self.consumed;
        match &self.machine {
            // A datagram is complete when it arrives: nothing is ever in progress.
            Machine::Counting | Machine::Whole => None,
            Machine::Length(framer) => framer.partial(start),
            Machine::Delimited(framer) => framer.partial(start),
            Machine::UntilEof(body) => (!body.is_empty()).then_some(Partial {
                start,
                have: body.len(),
                need: None,
                header_len: 0,
                header_known: true,
            }),
        }
    }

    /// Stream offset where complete messages end: bytes from here on belong to the message in
    /// progress (or, after an error, to the unframeable rest). For `raw`, every byte.
    #[must_use]
    pub fn consumed(&self) -> u64 {
        match (&self.spec, &self.error) {
            (Spec::Raw, None) => self.stream_len,
            _ => self.consumed,
        }
    }

    /// Bytes pushed so far.
    #[must_use]
    pub fn stream_len(&self) -> u64 {
        self.stream_len
    }

    /// Bytes after the last complete message: those that already belong to the next one.
    #[must_use]
    pub fn leftover_len(&self) -> u64 {
        self.stream_len.saturating_sub(self.consumed())
    }

    /// Bytes the framer holds for the message in progress.
    #[must_use]
    pub fn buffered_len(&self) -> usize {
        match &self.machine {
            Machine::Counting | Machine::Whole => 0,
            Machine::Length(framer) => framer.buffered_len(),
            Machine::Delimited(framer) => framer.buffered_len(),
            Machine::UntilEof(body) => body.len(),
        }
    }

    /// Memory the framer has allocated for the message in progress, for memory accounting.
    #[must_use]
    pub fn buffered_capacity(&self) -> usize {
        match &self.machine {
            Machine::Counting | Machine::Whole => 0,
            Machine::Length(framer) => framer.buffered_capacity(),
            Machine::Delimited(framer) => framer.buffered_capacity(),
            Machine::UntilEof(body) => body.capacity(),
        }
    }
}

fn machine_for(spec: &Spec) -> Machine {
    match spec {
        Spec::Raw => Machine::Counting,
        Spec::Line => Machine::Delimited(DelimitedFramer::new(b"\n".to_vec(), true)),
        Spec::Delim(delimiter) => {
            Machine::Delimited(DelimitedFramer::new(delimiter.clone(), false))
        }
        Spec::Fixed(size) => Machine::Length(LengthFramer::new(Header::Fixed(*size))),
        Spec::Len { width, inclusive } => Machine::Length(LengthFramer::new(Header::Binary {
            width: *width,
            inclusive: *inclusive,
        })),
        Spec::Ascii(digits) => {
            Machine::Length(LengthFramer::new(Header::Ascii { digits: *digits }))
        }
        Spec::Eof => Machine::UntilEof(Vec::new()),
        Spec::Datagram => Machine::Whole,
    }
}

fn push_until_eof(
    body: &mut Vec<u8>,
    chunk: &[u8],
    cap: usize,
    out: &Emitter,
) -> Result<(), FramingError> {
    if body.len().saturating_add(chunk.len()) > cap {
        return Err(FramingError::NoEof { cap, offset: out.start() });
    }
    body.extend_from_slice(chunk);
    Ok(())
}

/// Frames a whole byte string at once: its complete messages and the message left incomplete.
/// EOF is not implied: for `eof` framing everything is still the partial message. Use a
/// [`Framer`] to also see errors.
#[must_use]
pub fn frame_all(spec: &Spec, bytes: &[u8], max_message: usize) -> (Vec<Message>, Option<Partial>) {
    let mut framer = Framer::new(spec.clone(), max_message);
    let messages = framer.push(bytes);
    (messages, framer.partial())
}
