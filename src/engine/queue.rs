//! Bytes waiting to be sent on one socket.

use bytes::{Buf, Bytes};
use std::collections::VecDeque;

/// A FIFO of payload chunks. Chunks are `Bytes`, so the same allocation backs the queue and the
/// `recv` event that produced it: relaying and reporting a byte costs one copy, not three.
#[derive(Debug, Default)]
pub(super) struct SendQueue {
    chunks: VecDeque<Bytes>,
    len: usize,
}

impl SendQueue {
    pub(super) fn push(&mut self, data: Bytes) {
        if !data.is_empty() {
            self.len += data.len();
            self.chunks.push_back(data);
        }
    }

    /// Puts `data` before everything queued (bytes that were waiting elsewhere, read earlier).
    pub(super) fn push_front(&mut self, data: Bytes) {
        if !data.is_empty() {
            self.len += data.len();
            self.chunks.push_front(data);
        }
    }

    /// Total queued bytes.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes the next `send` call should offer.
    pub(super) fn front(&self) -> Option<&Bytes> {
        self.chunks.front()
    }

    /// Drops the first `n` bytes of the front chunk (what one `send` accepted).
    pub(super) fn consume_front(&mut self, n: usize) {
        let Some(front) = self.chunks.front_mut() else { return };
        let n = n.min(front.len());
        front.advance(n);
        self.len -= n;
        if front.is_empty() {
            self.chunks.pop_front();
        }
    }

    pub(super) fn clear(&mut self) {
        self.chunks.clear();
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_sends_consume_in_order() {
        let mut queue = SendQueue::default();
        queue.push(Bytes::from_static(b"hello"));
        queue.push(Bytes::new());
        queue.push(Bytes::from_static(b"world"));
        assert_eq!(queue.len(), 10);
        queue.consume_front(3);
        assert_eq!(queue.front().map(|b| &b[..]), Some(&b"lo"[..]));
        queue.consume_front(2);
        assert_eq!(queue.front().map(|b| &b[..]), Some(&b"world"[..]));
        queue.consume_front(99);
        assert!(queue.is_empty());
        assert_eq!(queue.front(), None);
    }
}
