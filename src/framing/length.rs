//! Framings whose size is known before the body: `fixed:N`, `len:W[:incl]` and `ascii:N`.

use std::mem;

use super::error::FramingError;
use super::message::{Emitter, Partial};
use super::spec::LenWidth;

/// How the body size of each message is learnt.
#[derive(Clone, Copy, Debug)]
pub(super) enum Header {
    /// No header: every body has this size.
    Fixed(usize),
    Binary {
        width: LenWidth,
        inclusive: bool,
    },
    Ascii {
        digits: usize,
    },
}

impl Header {
    fn len(self) -> usize {
        match self {
            Header::Fixed(_) => 0,
            Header::Binary { width, .. } => width.size(),
            Header::Ascii { digits } => digits,
        }
    }

    /// The body size a complete header declares, checked against the cap before anything is
    /// allocated for it. `start` is the stream offset of the header.
    fn body_len(self, header: &[u8], cap: usize, start: u64) -> Result<usize, FramingError> {
        let (declared, prefix) = match self {
            Header::Fixed(size) => (size as u128, 0),
            Header::Binary { width, inclusive } => {
                let declared = width.decode(header).unwrap_or(0);
                let prefix = if inclusive { width.size() } else { 0 };
                if declared < prefix as u64 {
                    return Err(FramingError::ShorterThanPrefix {
                        declared,
                        prefix,
                        offset: start,
                    });
                }
                (u128::from(declared), prefix)
            }
            Header::Ascii { .. } => (ascii_value(header), 0),
        };
        if declared > cap as u128 {
            return Err(FramingError::TooLong { declared, cap, offset: start });
        }
        // `declared <= cap`, so it fits `usize`.
        Ok((declared as usize).saturating_sub(prefix))
    }

    /// Rejects an ASCII header at its first non-digit, as soon as that byte arrives.
    fn check_digits(self, header: &[u8], start: u64) -> Result<(), FramingError> {
        let Header::Ascii { .. } = self else { return Ok(()) };
        match header.iter().zip(0u64..).find(|(byte, _)| !byte.is_ascii_digit()) {
            Some((&byte, index)) => {
                Err(FramingError::NotDigit { byte, offset: start.saturating_add(index) })
            }
            None => Ok(()),
        }
    }
}

/// Decimal value of ASCII digits; at most 20 digits (checked by the spec), so `u128` holds it.
/// Saturates rather than wraps if a longer header ever slips through.
fn ascii_value(digits: &[u8]) -> u128 {
    digits.iter().fold(0u128, |value, &digit| {
        value.saturating_mul(10).saturating_add(u128::from(digit.wrapping_sub(b'0')))
    })
}

/// Makes room for `extra` more bytes. Capacity doubles (amortised O(1) per byte) but never
/// exceeds the declared size or twice what arrived: a declared length is not a promise, so a
/// peer cannot make the framer allocate by announcing a large message.
fn grow(body: &mut Vec<u8>, extra: usize, limit: usize) {
    let needed = body.len().saturating_add(extra);
    if needed > body.capacity() {
        let target = body.capacity().saturating_mul(2).min(limit).max(needed);
        body.reserve_exact(target - body.len());
    }
}

/// Incremental state: the header so far, then the body so far.
#[derive(Debug)]
pub(super) struct LengthFramer {
    kind: Header,
    header: Vec<u8>,
    /// Body size, once the header is complete and accepted.
    body_len: Option<usize>,
    body: Vec<u8>,
}

impl LengthFramer {
    pub(super) fn new(kind: Header) -> Self {
        Self { kind, header: Vec::new(), body_len: None, body: Vec::new() }
    }

    pub(super) fn push(
        &mut self,
        mut input: &[u8],
        cap: usize,
        out: &mut Emitter,
    ) -> Result<(), FramingError> {
        while !input.is_empty() {
            let Some(body_len) = self.read_header(&mut input, cap, out.start())? else {
                return Ok(());
            };
            let (taken, rest) = input.split_at(input.len().min(body_len - self.body.len()));
            grow(&mut self.body, taken.len(), body_len);
            self.body.extend_from_slice(taken);
            input = rest;
            if self.body.len() == body_len {
                out.emit(self.header.len(), mem::take(&mut self.body), 0);
                self.header.clear();
                self.body_len = None;
            }
        }
        Ok(())
    }

    /// Moves header bytes from `input` and returns the body size once the header is complete.
    fn read_header(
        &mut self,
        input: &mut &[u8],
        cap: usize,
        start: u64,
    ) -> Result<Option<usize>, FramingError> {
        if let Some(body_len) = self.body_len {
            return Ok(Some(body_len));
        }
        let missing = self.kind.len() - self.header.len();
        let (taken, rest) = input.split_at(input.len().min(missing));
        self.header.extend_from_slice(taken);
        *input = rest;
        self.kind.check_digits(&self.header, start)?;
        if self.header.len() < self.kind.len() {
            return Ok(None);
        }
        let body_len = self.kind.body_len(&self.header, cap, start)?;
        self.body_len = Some(body_len);
        Ok(Some(body_len))
    }

    pub(super) fn partial(&self, start: u64) -> Option<Partial> {
        let have = self.header.len() + self.body.len();
        let header_len = self.kind.len();
        (have > 0).then(|| Partial {
            start,
            have,
            need: self.body_len.map(|body| header_len.saturating_add(body)),
            header_len,
            header_known: self.body_len.is_some(),
        })
    }

    pub(super) fn buffered_len(&self) -> usize {
        self.header.len() + self.body.len()
    }

    pub(super) fn buffered_capacity(&self) -> usize {
        self.header.capacity() + self.body.capacity()
    }
}
