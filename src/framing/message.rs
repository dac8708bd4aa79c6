//! What framing produces: complete messages, and the state of the one in progress.

/// A complete message and where its bytes sit in the stream, so a view can mark the header
/// (length prefix), body and trailer (delimiter) bytes of each chunk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Stream offset of the first byte, header included.
    pub start: u64,
    /// Length prefix or ASCII digits before the body.
    pub header_len: usize,
    /// The payload, without header or trailer.
    pub body: Vec<u8>,
    /// Bytes after the body that belong to the message: the delimiter, or `\r\n` for `line`.
    pub trailer_len: usize,
}

impl Message {
    /// Bytes the message occupies in the stream: header, body and trailer.
    #[must_use]
    pub fn wire_len(&self) -> usize {
        self.header_len.saturating_add(self.body.len()).saturating_add(self.trailer_len)
    }

    /// Stream offset of the first body byte.
    #[must_use]
    pub fn body_start(&self) -> u64 {
        self.start.saturating_add(self.header_len as u64)
    }

    /// Stream offset just past the message: where the next one starts.
    #[must_use]
    pub fn end(&self) -> u64 {
        self.start.saturating_add(self.wire_len() as u64)
    }
}

/// The message in progress: "7 of 12 bytes".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partial {
    /// Stream offset of its first byte.
    pub start: u64,
    /// Bytes received so far, header included.
    pub have: usize,
    /// Total size, header included, once known; `None` while the header is incomplete or when
    /// only a delimiter or EOF will tell.
    pub need: Option<usize>,
    /// Header size of this framing (0 when it has none), so a view can mark the first
    /// `have.min(header_len)` bytes as header.
    pub header_len: usize,
    /// Whether the whole header has arrived (always true for framings without one).
    pub header_known: bool,
}

/// Hands out complete messages with their stream offsets.
#[derive(Debug, Default)]
pub(super) struct Emitter {
    /// Stream offset of the message in progress.
    start: u64,
    messages: Vec<Message>,
}

impl Emitter {
    pub(super) fn new(start: u64) -> Self {
        Self { start, messages: Vec::new() }
    }

    /// Stream offset of the message in progress.
    pub(super) fn start(&self) -> u64 {
        self.start
    }

    pub(super) fn emit(&mut self, header_len: usize, body: Vec<u8>, trailer_len: usize) {
        let message = Message { start: self.start, header_len, body, trailer_len };
        self.start = message.end();
        self.messages.push(message);
    }

    pub(super) fn into_messages(self) -> Vec<Message> {
        self.messages
    }
}
