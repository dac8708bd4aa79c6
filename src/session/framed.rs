//! One stream direction cut into messages: the framer, and the messages it found, as offsets.

use std::ops::Range;

use super::front_queue::FrontQueue;
use crate::framing::{Framer, FramingError, Message, Partial, Spec};

/// A complete message, as positions in the stream; its bytes are read through
/// [`super::Stream::read`], so the model never keeps a second copy of a body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageInfo {
    /// Position among the messages framed since [`super::Stream::framing_start`], dropped ones
    /// included: the first message is 0.
    pub index: u64,
    /// Stream offset of the first byte, header included.
    pub start: u64,
    /// Length prefix or ASCII digits before the body.
    pub header_len: usize,
    pub body_len: usize,
    /// Delimiter (or `\r\n`) after the body.
    pub trailer_len: usize,
    /// When the message's last byte arrived (or, for `eof` framing, when EOF did).
    pub t_us: u64,
}

impl MessageInfo {
    /// Bytes the message occupies in the stream.
    #[must_use]
    pub fn wire_len(&self) -> u64 {
        (self.header_len as u64) + (self.body_len as u64) + (self.trailer_len as u64)
    }

    /// Stream offset just past the message: where the next one starts.
    #[must_use]
    pub fn end(&self) -> u64 {
        self.start.saturating_add(self.wire_len())
    }

    #[must_use]
    pub fn header(&self) -> Range<u64> {
        self.start..self.start.saturating_add(self.header_len as u64)
    }

    #[must_use]
    pub fn body(&self) -> Range<u64> {
        let start = self.header().end;
        start..start.saturating_add(self.body_len as u64)
    }

    #[must_use]
    pub fn trailer(&self) -> Range<u64> {
        self.body().end..self.end()
    }
}

/// The framer of one direction and what it has produced.
///
/// The framer may have started after the beginning of the stream (when the framing was changed
/// after eviction): its own offsets then count from `base`, and everything shown is shifted
/// back to stream offsets here.
#[derive(Debug)]
pub(super) struct Framing {
    framer: Framer,
    base: u64,
    messages: FrontQueue<MessageInfo>,
    dropped: u64,
    next_index: u64,
    /// The framer's error, in stream offsets.
    error: Option<FramingError>,
}

impl Framing {
    pub(super) fn new(spec: Spec, max_message: usize, base: u64) -> Self {
        let framer = Framer::new(spec, max_message);
        let error = framer.error().map(|error| shift_error(error.clone(), base));
        Self { framer, base, messages: FrontQueue::default(), dropped: 0, next_index: 0, error }
    }

    pub(super) fn push(&mut self, bytes: &[u8], t_us: u64) {
        let found = self.framer.push(bytes);
        self.record(found, t_us);
    }

    /// The end of the stream: completes an `eof`-framed message.
    pub(super) fn finish(&mut self, t_us: u64) {
        let found = self.framer.finish();
        self.record(found, t_us);
    }

    fn record(&mut self, found: Vec<Message>, t_us: u64) {
        for message in found {
            self.messages.push_back(MessageInfo {
                index: self.next_index,
                start: self.base.saturating_add(message.start),
                header_len: message.header_len,
                body_len: message.body.len(),
                trailer_len: message.trailer_len,
                t_us,
            });
            self.next_index += 1;
        }
        if self.error.is_none() {
            self.error = self.framer.error().map(|error| shift_error(error.clone(), self.base));
        }
    }

    /// Forgets the messages that lie wholly before `offset` (the new start of retention).
    pub(super) fn drop_before(&mut self, offset: u64) {
        while self.messages.front().is_some_and(|m| m.start < offset && m.end() <= offset) {
            self.messages.pop_front();
            self.dropped += 1;
        }
    }

    /// Forgets the oldest message if it is an empty one at `offset` (an empty datagram evicted:
    /// it holds no byte, so [`Self::drop_before`] never reaches it at the retained start).
    pub(super) fn drop_empty_at(&mut self, offset: u64) {
        if self.messages.front().is_some_and(|m| m.start == offset && m.end() == offset) {
            self.messages.pop_front();
            self.dropped += 1;
        }
    }

    /// Memory held: the message list and the framer's buffer for the message in progress.
    pub(super) fn cost(&self) -> usize {
        self.messages.len() * size_of::<MessageInfo>() + self.framer.buffered_capacity()
    }

    pub(super) fn spec(&self) -> &Spec {
        self.framer.spec()
    }

    pub(super) fn base(&self) -> u64 {
        self.base
    }

    pub(super) fn messages(&self) -> &[MessageInfo] {
        self.messages.as_slice()
    }

    pub(super) fn dropped(&self) -> u64 {
        self.dropped
    }

    pub(super) fn partial(&self) -> Option<Partial> {
        let mut partial = self.framer.partial()?;
        partial.start = partial.start.saturating_add(self.base);
        Some(partial)
    }

    /// Stream offset where complete messages end.
    pub(super) fn consumed(&self) -> u64 {
        self.base.saturating_add(self.framer.consumed())
    }

    pub(super) fn error(&self) -> Option<&FramingError> {
        self.error.as_ref()
    }
}

/// The framer's error with its offset moved from framer offsets to stream offsets.
fn shift_error(error: FramingError, base: u64) -> FramingError {
    let at = |offset: u64| offset.saturating_add(base);
    match error {
        FramingError::InvalidSpec(spec) => FramingError::InvalidSpec(spec),
        FramingError::TooLong { declared, cap, offset } => {
            FramingError::TooLong { declared, cap, offset: at(offset) }
        }
        FramingError::ShorterThanPrefix { declared, prefix, offset } => {
            FramingError::ShorterThanPrefix { declared, prefix, offset: at(offset) }
        }
        FramingError::NotDigit { byte, offset } => {
            FramingError::NotDigit { byte, offset: at(offset) }
        }
        FramingError::NoDelimiter { cap, offset } => {
            FramingError::NoDelimiter { cap, offset: at(offset) }
        }
        FramingError::NoEof { cap, offset } => FramingError::NoEof { cap, offset: at(offset) },
    }
}
