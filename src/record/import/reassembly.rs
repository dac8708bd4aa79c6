//! One direction of a TCP connection put back in order.
//!
//! Sequence numbers are `u32` and wrap; each is turned into an offset in the direction's
//! stream (64-bit, from the first byte after the SYN, or the first byte seen). Bytes already
//! delivered are never delivered again, and where two captured segments overlap the copy that
//! arrived first wins (Wireshark's default). Segments ahead of a hole wait, up to
//! [`MAX_PENDING`] bytes; past that, or when the other side acknowledges bytes the capture
//! does not hold, or when the capture ends, the hole is declared a [`Piece::Gap`] and the
//! stream goes on after it. Nothing is ever filled in.

use bytes::Bytes;
use std::collections::BTreeMap;

/// Bytes one direction may hold ahead of a hole before the hole is declared a gap.
pub const MAX_PENDING: usize = 16 << 20;

/// Largest TCP window (scale 14): an acknowledgement further ahead than this is not believed.
const MAX_WINDOW: u64 = 1 << 30;

/// What a direction delivers, in stream order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Contiguous bytes, as one captured segment (or the new part of one) carried them.
    Data(Bytes),
    /// `len` bytes at stream offset `at` that the capture does not hold.
    Gap { at: u64, len: u64 },
}

/// The reassembly state of one direction.
#[derive(Debug, Default)]
pub struct Direction {
    /// The sequence number of the byte at offset `delivered`; `None` until known.
    next_seq: Option<u32>,
    /// Bytes delivered so far (gaps included: it is the stream offset).
    delivered: u64,
    /// Segments ahead of a hole, by offset; they never overlap each other.
    pending: BTreeMap<u64, Bytes>,
    pending_bytes: usize,
    /// Ranges the capture announced but cut (snapshot length), by offset: gaps once reached.
    cut: BTreeMap<u64, u64>,
    /// The offset of the FIN, once seen.
    fin_at: Option<u64>,
}

impl Direction {
    /// Sets where the stream starts (the SYN's sequence number + 1), if not known yet.
    pub fn start(&mut self, seq: u32) {
        self.next_seq.get_or_insert(seq);
    }

    #[must_use]
    pub fn is_started(&self) -> bool {
        self.next_seq.is_some()
    }

    /// The stream offset of sequence number `seq` (negative: before the stream's start).
    fn offset(&mut self, seq: u32) -> i64 {
        let next = *self.next_seq.get_or_insert(seq);
        self.delivered.cast_signed() + i64::from(seq.wrapping_sub(next).cast_signed())
    }

    /// A captured segment: `data` at `seq`, followed by `missing` bytes the capture cut.
    pub fn segment(&mut self, seq: u32, data: &[u8], missing: u32, out: &mut Vec<Piece>) {
        let at = self.offset(seq);
        if missing > 0 {
            let cut_at = at + len_i64(data);
            if let Ok(cut_at) = u64::try_from(cut_at) {
                self.cut.entry(cut_at).or_insert(u64::from(missing));
            }
        }
        self.insert(at, data);
        self.deliver(out);
        while self.pending_bytes > MAX_PENDING {
            self.skip_hole(out);
        }
    }

    /// A FIN at `seq`: the stream ends there.
    pub fn fin(&mut self, seq: u32) {
        let at = self.offset(seq);
        if self.fin_at.is_none() {
            self.fin_at = u64::try_from(at).ok();
        }
    }

    /// Whether every byte before the FIN has been delivered (or declared missing).
    #[must_use]
    pub fn fin_reached(&self) -> bool {
        self.fin_at.is_some_and(|fin| self.delivered >= fin)
    }

    /// The receiver acknowledged every byte before `ack`: what the capture lacks of them is
    /// a gap. Acknowledgements from before the capture began are ignored.
    pub fn acked(&mut self, ack: u32, out: &mut Vec<Piece>) {
        if self.next_seq.is_none() {
            self.start(ack);
            return;
        }
        let Ok(upto) = u64::try_from(self.offset(ack)) else { return };
        if upto.saturating_sub(self.delivered) > MAX_WINDOW {
            return;
        }
        // A FIN takes a sequence number but is not a byte.
        let upto = self.fin_at.map_or(upto, |fin| upto.min(fin));
        while self.delivered < upto {
            let hole_end = self.hole_end().map_or(upto, |end| end.min(upto));
            self.declare_gap(hole_end, out);
            self.deliver(out);
        }
    }

    /// The capture ended (or the connection was reset): every hole before data that waits,
    /// or before the FIN, is a gap; everything that waits is delivered.
    pub fn flush(&mut self, out: &mut Vec<Piece>) {
        while !self.pending.is_empty() || !self.cut.is_empty() {
            self.skip_hole(out);
        }
        if let Some(fin) = self.fin_at.filter(|fin| *fin > self.delivered) {
            self.declare_gap(fin, out);
        }
    }

    /// Stores the new bytes of a segment at offset `at`, around those already held.
    fn insert(&mut self, at: i64, data: &[u8]) {
        let start = u64::try_from(at).unwrap_or(0).max(self.delivered);
        let end = at + len_i64(data);
        let Ok(end) = u64::try_from(end) else { return };
        let mut from = start;
        let mut holes = Vec::new();
        for (&held_at, held) in self.pending.range(..end) {
            let held_end = held_at + held.len() as u64;
            if held_end <= from {
                continue;
            }
            if held_at > from {
                holes.push((from, held_at));
            }
            from = from.max(held_end);
        }
        if from < end {
            holes.push((from, end));
        }
        let index = |offset: u64| usize::try_from(i128::from(offset) - i128::from(at)).unwrap_or(0);
        for (lo, hi) in holes {
            let piece = &data[index(lo)..index(hi)];
            self.pending_bytes += piece.len();
            self.pending.insert(lo, Bytes::copy_from_slice(piece));
        }
    }

    /// Delivers whatever now continues the stream, and cut ranges that are reached.
    fn deliver(&mut self, out: &mut Vec<Piece>) {
        loop {
            if let Some(entry) = self.pending.first_entry()
                && *entry.key() <= self.delivered
            {
                let (at, bytes) = entry.remove_entry();
                self.pending_bytes -= bytes.len();
                let skip = (self.delivered - at) as usize;
                if skip < bytes.len() {
                    self.advance(bytes.len() - skip);
                    out.push(Piece::Data(bytes.slice(skip..)));
                }
                continue;
            }
            if let Some(entry) = self.cut.first_entry()
                && *entry.key() <= self.delivered
            {
                let (at, len) = entry.remove_entry();
                let end = at + len;
                if end > self.delivered {
                    self.declare_gap(end, out);
                }
                continue;
            }
            return;
        }
    }

    /// Where the hole at `delivered` ends: the first byte the capture holds after it.
    fn hole_end(&self) -> Option<u64> {
        let pending = self.pending.keys().next().copied();
        let cut = self.cut.keys().next().copied();
        match (pending, cut) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Declares the hole at `delivered` a gap and delivers what follows it.
    fn skip_hole(&mut self, out: &mut Vec<Piece>) {
        if let Some(end) = self.hole_end().filter(|end| *end > self.delivered) {
            self.declare_gap(end, out);
        }
        self.deliver(out);
    }

    fn declare_gap(&mut self, end: u64, out: &mut Vec<Piece>) {
        let len = end.saturating_sub(self.delivered);
        if len == 0 {
            return;
        }
        out.push(Piece::Gap { at: self.delivered, len });
        self.advance_by(len);
    }

    fn advance(&mut self, len: usize) {
        self.advance_by(len as u64);
    }

    fn advance_by(&mut self, len: u64) {
        self.delivered += len;
        if let Some(next) = &mut self.next_seq {
            *next = next.wrapping_add(len as u32);
        }
    }
}

/// A segment's length as an offset difference (segments are at most 64 KiB).
fn len_i64(data: &[u8]) -> i64 {
    i64::try_from(data.len()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests;
