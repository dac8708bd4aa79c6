//! Receive buffers that go back to a pool when the last event or queue entry holding them is
//! dropped, on whichever thread that happens.
//!
//! A relay at gigabytes per second would otherwise allocate and free a chunk-sized buffer per
//! `recv`; the allocator hands large freed blocks back to the kernel and every new one costs page
//! faults and zeroing (a quarter of the relay's time, measured). With the pool a large `recv`
//! lands directly in a reused buffer and its bytes are never copied in user space.

use bytes::Bytes;
use std::sync::{Arc, Mutex, PoisonError};

/// Most bytes kept in idle buffers; buffers returned beyond this are freed, so a pool of large
/// chunks (`--recv-chunk 4MiB`) stays as small as one of small chunks.
const MAX_IDLE_BYTES: usize = 16 << 20;

/// Idle buffers kept for a given buffer size: at least two, so that a relay alternating between
/// two buffers never allocates.
fn max_idle(size: usize, max_idle_bytes: usize) -> usize {
    (max_idle_bytes / size.max(1)).max(2)
}

/// Reads shorter than this fraction of a buffer are copied out instead, so that a small
/// message never pins a whole chunk-sized buffer while it waits in a queue.
const COPY_BELOW_DIVISOR: usize = 4;

/// The smallest quarter-sized buffers worth pooling: a shorter read is copied into an
/// allocation of its own size, which the allocator serves from its heap without a system call.
const MIN_QUARTER: usize = 64 << 10;

type Idle = Arc<Mutex<Vec<Vec<u8>>>>;

#[derive(Debug)]
pub(super) struct BufferPool {
    size: usize,
    idle: Idle,
    /// Most idle buffers kept (see [`max_idle`]).
    max_idle: usize,
    /// Buffers a quarter of `size` that a small read is copied into (`None` when a quarter is
    /// below [`MIN_QUARTER`]). A loopback flood reads 64–256 KiB at a time as often as 1 MiB;
    /// copying each into a fresh allocation of its size made the allocator hand freed memory
    /// back to the kernel and fault it in again (`BENCHMARKS.md`, "Fewer hand-offs").
    quarter: Option<Box<BufferPool>>,
}

impl BufferPool {
    pub(super) fn new(size: usize) -> Self {
        let size = size.max(1);
        let quarter_size = size / COPY_BELOW_DIVISOR;
        let quarter = (quarter_size >= MIN_QUARTER)
            .then(|| Box::new(Self::single(quarter_size, MAX_IDLE_BYTES / COPY_BELOW_DIVISOR)));
        Self { quarter, ..Self::single(size, MAX_IDLE_BYTES) }
    }

    fn single(size: usize, max_idle_bytes: usize) -> Self {
        Self { size, idle: Arc::default(), max_idle: max_idle(size, max_idle_bytes), quarter: None }
    }

    /// A buffer of exactly `size` initialised bytes, ready to `recv` into.
    pub(super) fn take(&self) -> Vec<u8> {
        let reused = self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        reused.unwrap_or_else(|| vec![0; self.size])
    }

    /// Turns the first `len` bytes of `buf` into `Bytes`: the buffer itself when the read was
    /// large (it returns here once dropped), a copy when it was small (into a pooled quarter
    /// buffer, or an allocation of its own size).
    pub(super) fn freeze(&self, buf: Vec<u8>, len: usize) -> Bytes {
        if len < self.size / COPY_BELOW_DIVISOR {
            let small = match &self.quarter {
                Some(quarter) => quarter.copy_in(&buf[..len]),
                None => Bytes::copy_from_slice(&buf[..len]),
            };
            self.give_back(buf);
            return small;
        }
        Bytes::from_owner(Pooled {
            buf,
            len,
            home: Arc::clone(&self.idle),
            max_idle: self.max_idle,
        })
    }

    /// `bytes`, copied into a buffer of this pool (or on their own when they are small for it).
    fn copy_in(&self, bytes: &[u8]) -> Bytes {
        let mut buf = self.take();
        buf[..bytes.len()].copy_from_slice(bytes);
        self.freeze(buf, bytes.len())
    }

    /// Returns an unused buffer (a read that returned nothing).
    pub(super) fn give_back(&self, buf: Vec<u8>) {
        recycle(&self.idle, buf, self.size, self.max_idle);
    }
}

fn recycle(idle: &Idle, buf: Vec<u8>, size: usize, max_idle: usize) {
    if buf.len() != size {
        return;
    }
    let mut idle = idle.lock().unwrap_or_else(PoisonError::into_inner);
    if idle.len() < max_idle {
        idle.push(buf);
    }
}

/// The owner behind a pooled `Bytes`: shows `len` bytes, and goes home when dropped.
struct Pooled {
    buf: Vec<u8>,
    len: usize,
    home: Idle,
    max_idle: usize,
}

impl AsRef<[u8]> for Pooled {
    fn as_ref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        let size = self.buf.len();
        recycle(&self.home, std::mem::take(&mut self.buf), size, self.max_idle);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_reads_are_shared_and_come_back_when_dropped() {
        let pool = BufferPool::new(16);
        let mut buf = pool.take();
        buf[..12].copy_from_slice(b"hello, world");
        let ptr = buf.as_ptr();
        let bytes = pool.freeze(buf, 12);
        assert_eq!(&bytes[..], b"hello, world");
        assert_eq!(bytes.as_ptr(), ptr, "no copy for a large read");
        let slice = bytes.slice(7..);
        drop(bytes);
        assert!(pool.idle.lock().unwrap().is_empty(), "a slice still holds the buffer");
        drop(slice);
        let again = pool.take();
        assert_eq!(again.as_ptr(), ptr, "the buffer is reused");
    }

    #[test]
    fn small_reads_are_copied_and_free_the_buffer_at_once() {
        let pool = BufferPool::new(64);
        let mut buf = pool.take();
        buf[..3].copy_from_slice(b"abc");
        let ptr = buf.as_ptr();
        let bytes = pool.freeze(buf, 3);
        assert_eq!(&bytes[..], b"abc");
        assert_ne!(bytes.as_ptr(), ptr);
        let again = pool.take();
        assert_eq!(again.as_ptr(), ptr, "returned without waiting for the bytes");
    }

    #[test]
    fn a_quarter_read_of_a_large_chunk_is_copied_into_a_reused_quarter_buffer() {
        let pool = BufferPool::new(1 << 20);
        let mut buf = pool.take();
        let big = buf.as_ptr();
        buf[..100_000].fill(7);
        let bytes = pool.freeze(buf, 100_000);
        assert!(bytes.iter().all(|&b| b == 7) && bytes.len() == 100_000);
        let reused = pool.take();
        assert_eq!(reused.as_ptr(), big, "the large buffer is free at once");
        pool.give_back(reused);
        let quarter = bytes.as_ptr();
        drop(bytes);
        let again = pool.freeze(pool.take(), 70_000);
        assert_eq!(again.as_ptr(), quarter, "the quarter buffer is reused, not allocated");
        let tiny = pool.freeze(pool.take(), 1_000);
        assert_ne!(tiny.as_ptr(), quarter, "a read too small for a quarter is copied alone");
        assert_eq!(tiny.len(), 1_000);
    }

    #[test]
    fn a_pool_of_small_chunks_has_no_quarter_buffers() {
        assert!(BufferPool::new(64 << 10).quarter.is_none());
        assert!(BufferPool::new(256 << 10).quarter.is_some());
    }

    #[test]
    fn idle_buffers_are_bounded_by_bytes() {
        let pool = BufferPool::new(8);
        let held: Vec<Bytes> =
            (0..max_idle(8, MAX_IDLE_BYTES) + 10).map(|_| pool.freeze(pool.take(), 8)).collect();
        drop(held);
        assert_eq!(pool.idle.lock().unwrap().len(), max_idle(8, MAX_IDLE_BYTES));
        assert_eq!(max_idle(4 << 20, MAX_IDLE_BYTES), 4, "16 MiB of 4 MiB buffers");
        assert_eq!(max_idle(64 << 20, MAX_IDLE_BYTES), 2);
    }
}
