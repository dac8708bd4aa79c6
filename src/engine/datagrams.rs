//! Datagrams waiting to be sent on one datagram socket, each whole and with its destination.

use crate::event::Address;
use bytes::Bytes;
use std::collections::VecDeque;

/// One datagram to send: a datagram is sent whole or not at all, so unlike a stream's queue
/// nothing is ever split or merged here.
#[derive(Clone, Debug)]
pub(super) struct Outgoing {
    /// Where it goes: the connected peer, or the `sendto` destination.
    pub(super) to: Address,
    /// Sent with `send` on a connected socket (its peer is `to`), not with `sendto`.
    pub(super) connected: bool,
    pub(super) data: Bytes,
}

/// A FIFO of datagrams and the payload bytes they hold (what backpressure counts).
#[derive(Debug, Default)]
pub(super) struct DatagramQueue {
    items: VecDeque<Outgoing>,
    bytes: usize,
}

impl DatagramQueue {
    pub(super) fn push(&mut self, datagram: Outgoing) {
        self.bytes += datagram.data.len();
        self.items.push_back(datagram);
    }

    pub(super) fn front(&self) -> Option<&Outgoing> {
        self.items.front()
    }

    pub(super) fn pop_front(&mut self) {
        if let Some(gone) = self.items.pop_front() {
            self.bytes -= gone.data.len();
        }
    }

    /// Payload bytes queued.
    pub(super) fn bytes(&self) -> usize {
        self.bytes
    }

    /// Datagrams queued (an empty datagram counts).
    pub(super) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(super) fn clear(&mut self) {
        self.items.clear();
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_datagrams_are_queued_and_counted_as_datagrams() {
        let to: Address = "udp:127.0.0.1:9".parse().expect("address");
        let mut queue = DatagramQueue::default();
        for data in [Bytes::new(), Bytes::from_static(b"abc")] {
            queue.push(Outgoing { to: to.clone(), connected: false, data });
        }
        assert_eq!(queue.bytes(), 3);
        queue.pop_front();
        assert!(!queue.is_empty(), "the empty datagram was one item");
        queue.pop_front();
        assert!(queue.is_empty());
        assert_eq!(queue.bytes(), 0);
    }
}
