//! Holding the messages of one direction of a proxied pair: the stage the relayed bytes pass
//! through while an intercept is on. Plain state; `core::intercept` does the socket work.
//!
//! The stage cuts the bytes into messages with the rule's framing (each chunk is one under
//! `raw`, or once the framing fails), holds those its pattern matches, and lets a message go
//! only when everything before it in the same direction has gone: order is never changed. Its
//! bytes count against the relay limit with the send queue, so a flood behind a held message
//! stops reading from the sender instead of filling memory. A message that outgrows the relay
//! limit is cut there and matched as it stands, so waiting for its end can never deadlock.

use crate::event::{FaultDir, HoldId, InterceptRule, MatchPattern, Release};
use crate::framing::{Framer, Spec};
use bytes::Bytes;
use regex::bytes::Regex;
use std::collections::VecDeque;
use std::fmt::Write;

/// The stages of both directions of one pair, kept on its accepted socket like its faults.
#[derive(Debug, Default)]
pub(super) struct PairIntercepts {
    up: Option<Box<Stage>>,
    down: Option<Box<Stage>>,
}

impl PairIntercepts {
    pub(super) fn get(&self, dir: FaultDir) -> Option<&Stage> {
        match dir {
            FaultDir::Up => self.up.as_deref(),
            FaultDir::Down => self.down.as_deref(),
        }
    }

    pub(super) fn slot(&mut self, dir: FaultDir) -> &mut Option<Box<Stage>> {
        match dir {
            FaultDir::Up => &mut self.up,
            FaultDir::Down => &mut self.down,
        }
    }
}

/// A piece of the stream on its way: a message (held or not) or bytes passed through.
#[derive(Debug)]
struct Piece {
    hold: Option<HoldId>,
    data: Bytes,
}

/// The messages one `cut` or `finish` copied out, and how many buffered bytes they took.
#[derive(Debug, Default)]
struct Cut {
    pieces: Vec<Bytes>,
    taken: usize,
}

/// One intercepted direction.
#[derive(Debug)]
pub(super) struct Stage {
    rule: InterceptRule,
    /// `None` holds every message.
    matcher: Option<Regex>,
    framer: Framer,
    /// Bytes of the message in progress (not yet cut), and the stream offset of the first.
    unframed: Vec<u8>,
    unframed_start: u64,
    /// Cut messages waiting behind the first held one.
    waiting: VecDeque<Piece>,
    waiting_len: usize,
    /// The relay limit: the most a message in progress may buffer before it is cut.
    limit: usize,
}

impl Stage {
    /// A stage for `rule`; a message in progress (and its framer) buffers at most `limit`
    /// bytes. A regex that does not
    /// compile is refused with the reason.
    pub(super) fn new(rule: InterceptRule, limit: usize) -> Result<Self, String> {
        let matcher = matcher(&rule.pattern)?;
        let framer = Framer::new(rule.framing.clone(), limit.max(1));
        Ok(Self {
            rule,
            matcher,
            framer,
            unframed: Vec::new(),
            unframed_start: 0,
            waiting: VecDeque::new(),
            waiting_len: 0,
            limit: limit.max(1),
        })
    }

    pub(super) fn rule(&self) -> &InterceptRule {
        &self.rule
    }

    /// Bytes the stage holds: they count against the relay limit.
    pub(super) fn staged_len(&self) -> usize {
        self.unframed.len() + self.waiting_len
    }

    /// Whether `id` is held here.
    pub(super) fn holds(&self, id: HoldId) -> bool {
        self.waiting.iter().any(|piece| piece.hold == Some(id))
    }

    pub(super) fn matches(&self, message: &[u8]) -> bool {
        self.matcher.as_ref().is_none_or(|re| re.is_match(message))
    }

    /// The messages `data` completes, in stream order.
    pub(super) fn cut(&mut self, data: Bytes) -> Vec<Bytes> {
        if self.unframed.is_empty() && self.cuts_chunks() {
            self.unframed_start += data.len() as u64;
            return vec![data];
        }
        self.unframed.extend_from_slice(&data);
        let mut cut = Cut::default();
        if !self.cuts_chunks() {
            for message in self.framer.push(&data) {
                self.cut_through(message.end(), &mut cut);
            }
        }
        if self.cuts_chunks() || self.unframed.len() - cut.taken >= self.limit {
            self.cut_through(u64::MAX, &mut cut);
        }
        self.compact(cut)
    }

    /// The sender's EOF: the last message (`eof` framing) and any incomplete rest.
    pub(super) fn finish(&mut self) -> Vec<Bytes> {
        let mut cut = Cut::default();
        for message in self.framer.finish() {
            self.cut_through(message.end(), &mut cut);
        }
        self.cut_through(u64::MAX, &mut cut);
        self.compact(cut)
    }

    /// Under `raw`, or once the framing failed, each chunk is a message.
    fn cuts_chunks(&self) -> bool {
        self.rule.framing == Spec::Raw || self.framer.error().is_some()
    }

    /// Copies the bytes up to stream offset `end` out as one message: a copy, so that a held
    /// message keeps only its own bytes, not the buffer it was cut from.
    fn cut_through(&mut self, end: u64, cut: &mut Cut) {
        let upto = usize::try_from(end.saturating_sub(self.unframed_start)).unwrap_or(usize::MAX);
        let upto = upto.min(self.unframed.len());
        if upto > cut.taken {
            cut.pieces.push(Bytes::copy_from_slice(&self.unframed[cut.taken..upto]));
            cut.taken = upto;
        }
    }

    /// Drops the bytes cut out (one move of the rest, however many messages were cut).
    fn compact(&mut self, cut: Cut) -> Vec<Bytes> {
        self.unframed.drain(..cut.taken);
        self.unframed_start += cut.taken as u64;
        cut.pieces
    }

    /// Queues a cut message behind those waiting, held (`Some`) or not.
    pub(super) fn wait(&mut self, hold: Option<HoldId>, data: Bytes) {
        self.waiting_len += data.len();
        self.waiting.push_back(Piece { hold, data });
    }

    /// The messages that may go now: those in front of the first held one.
    pub(super) fn ready(&mut self) -> Vec<Bytes> {
        let mut out = Vec::new();
        while self.waiting.front().is_some_and(|piece| piece.hold.is_none()) {
            if let Some(piece) = self.waiting.pop_front() {
                self.waiting_len -= piece.data.len();
                out.push(piece.data);
            }
        }
        out
    }

    /// Lets held message `id` go (it still waits for those before it); returns the bytes that
    /// take its place, or `None` when it is not held here.
    pub(super) fn release(&mut self, id: HoldId, release: Release) -> Option<Bytes> {
        let at = self.waiting.iter().position(|piece| piece.hold == Some(id))?;
        let piece = &mut self.waiting[at];
        self.waiting_len -= piece.data.len();
        piece.hold = None;
        piece.data = match release {
            Release::Forward => piece.data.clone(),
            Release::Edit(bytes) => bytes,
            Release::Drop => Bytes::new(),
        };
        let forwarded = piece.data.clone();
        self.waiting_len += forwarded.len();
        if forwarded.is_empty() {
            self.waiting.remove(at);
        }
        Some(forwarded)
    }

    /// Everything the stage holds, in stream order, for forwarding as the intercept ends:
    /// each piece with its hold, if it was held.
    pub(super) fn take_all(mut self) -> Vec<(Option<HoldId>, Bytes)> {
        let rest = std::mem::take(&mut self.unframed);
        let mut out: Vec<_> =
            self.waiting.drain(..).map(|piece| (piece.hold, piece.data)).collect();
        if !rest.is_empty() {
            out.push((None, Bytes::from(rest)));
        }
        out
    }
}

/// The regex that finds `pattern` (a literal as its escaped bytes), `None` for every message.
fn matcher(pattern: &MatchPattern) -> Result<Option<Regex>, String> {
    let source = match pattern {
        MatchPattern::Every => return Ok(None),
        MatchPattern::Text(_) | MatchPattern::Hex(_) => {
            let bytes = pattern.literal().unwrap_or_default();
            bytes.iter().fold(String::from("(?-u)"), |mut re, byte| {
                let _ = write!(re, "\\x{byte:02x}");
                re
            })
        }
        MatchPattern::Regex(expression) => expression.clone(),
    };
    Regex::new(&source).map(Some).map_err(|e| format!("'{pattern}' does not compile: {e}"))
}

#[cfg(test)]
mod tests;
