//! Framings that end each message with a delimiter: `line` and `delim:HEX`.
//!
//! Each byte is searched once: the framer remembers how much of the buffered body is known not
//! to start a delimiter (`scanned`). Only a buffered tail that is a proper prefix of the
//! delimiter (so shorter than it) can begin a delimiter that a later chunk completes; it is
//! checked against the start of the next chunk before that chunk is searched on its own.

use std::mem;

use super::error::FramingError;
use super::message::{Emitter, Partial};

#[derive(Debug)]
pub(super) struct DelimitedFramer {
    delimiter: Vec<u8>,
    /// `line`: a `\r` before the `\n` belongs to the trailer, not the body.
    strip_cr: bool,
    body: Vec<u8>,
    /// Leading bytes of `body` known not to start a delimiter, so certainly part of the body.
    scanned: usize,
}

impl DelimitedFramer {
    pub(super) fn new(delimiter: Vec<u8>, strip_cr: bool) -> Self {
        Self { delimiter, strip_cr, body: Vec::new(), scanned: 0 }
    }

    /// Bytes at the end of the buffer that may be the start of a split delimiter.
    fn overlap(&self) -> usize {
        self.delimiter.len().saturating_sub(1)
    }

    pub(super) fn push(
        &mut self,
        mut input: &[u8],
        cap: usize,
        out: &mut Emitter,
    ) -> Result<(), FramingError> {
        if self.body.len() > self.scanned && !input.is_empty() {
            input = self.resolve_split_delimiter(input, cap, out)?;
        }
        while !input.is_empty() {
            if let Some(at) = find(input, &self.delimiter) {
                check_cap(self.body.len().saturating_add(at), cap, out)?;
                self.body.extend_from_slice(&input[..at]);
                self.complete(out);
                input = input.get(at + self.delimiter.len()..).unwrap_or_default();
            } else {
                let pending = pending_prefix_len(input, &self.delimiter);
                let scanned = self.body.len() + input.len() - pending;
                // Checked before buffering, so the body never outgrows the cap by more than
                // a delimiter prefix.
                check_cap(scanned, cap, out)?;
                self.body.extend_from_slice(input);
                self.scanned = scanned;
                input = &[];
            }
        }
        Ok(())
    }

    /// Decides whether the unscanned tail of the body starts a delimiter that `input`
    /// completes. Returns the input still to frame.
    fn resolve_split_delimiter<'a>(
        &mut self,
        input: &'a [u8],
        cap: usize,
        out: &mut Emitter,
    ) -> Result<&'a [u8], FramingError> {
        let buffered = self.body.len();
        // Every tail position needs at most `overlap` more bytes to be decided.
        let bridge = &input[..input.len().min(self.overlap())];
        self.body.extend_from_slice(bridge);
        let found = find(&self.body[self.scanned..], &self.delimiter);
        if let Some(at) = found.map(|at| self.scanned + at) {
            let used = (at + self.delimiter.len()).saturating_sub(buffered);
            self.body.truncate(at);
            check_cap(at, cap, out)?;
            self.complete(out);
            return Ok(input.get(used..).unwrap_or_default());
        }
        if bridge.len() == self.overlap() {
            // Every tail position is decided; `input` is searched from its start as usual.
            self.body.truncate(buffered);
            self.scanned = buffered;
            return Ok(input);
        }
        // `input` was too short to decide every tail position; all of it is now buffered.
        self.scanned =
            self.body.len() - pending_prefix_len(&self.body[self.scanned..], &self.delimiter);
        check_cap(self.scanned, cap, out)?;
        Ok(&[])
    }

    fn complete(&mut self, out: &mut Emitter) {
        let mut body = mem::take(&mut self.body);
        let mut trailer_len = self.delimiter.len();
        if self.strip_cr && body.last() == Some(&b'\r') {
            body.pop();
            trailer_len += 1;
        }
        self.scanned = 0;
        out.emit(0, body, trailer_len);
    }

    pub(super) fn partial(&self, start: u64) -> Option<Partial> {
        let have = self.body.len();
        (have > 0).then_some(Partial { start, have, need: None, header_len: 0, header_known: true })
    }

    pub(super) fn buffered_len(&self) -> usize {
        self.body.len()
    }

    pub(super) fn buffered_capacity(&self) -> usize {
        self.body.capacity()
    }
}

/// How many trailing bytes of `bytes` may start a delimiter that the next chunk completes: the
/// longest proper prefix of `delimiter` that `bytes` ends with.
fn pending_prefix_len(bytes: &[u8], delimiter: &[u8]) -> usize {
    let longest = delimiter.len().saturating_sub(1).min(bytes.len());
    (1..=longest).rev().find(|&len| bytes.ends_with(&delimiter[..len])).unwrap_or(0)
}

/// Fails once the body is known to exceed the cap without a delimiter in sight.
fn check_cap(body_len: usize, cap: usize, out: &Emitter) -> Result<(), FramingError> {
    if body_len > cap {
        return Err(FramingError::NoDelimiter { cap, offset: out.start() });
    }
    Ok(())
}

/// First position of `needle` in `haystack`: a fast scan for the first byte, then a compare.
/// An empty needle is never found, so a malformed spec cannot loop forever.
#[must_use]
pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut from = 0;
    while let Some(skip) = haystack.get(from..)?.iter().position(|&byte| byte == first) {
        let at = from + skip;
        // Too few bytes left for a whole needle here means too few further on as well.
        if haystack.get(at + 1..at + needle.len())? == rest {
            return Some(at);
        }
        from = at + 1;
    }
    None
}
