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
fn max_idle(size: usize) -> usize {
    (MAX_IDLE_BYTES / size.max(1)).max(2)
}

/// Reads shorter than this fraction of a buffer are copied out instead, so that a small
/// message never pins a whole chunk-sized buffer while it waits in a queue.
const COPY_BELOW_DIVISOR: usize = 4;

type Idle = Arc<Mutex<Vec<Vec<u8>>>>;

#[derive(Debug)]
pub(super) struct BufferPool {
    size: usize,
    idle: Idle,
}

impl BufferPool {
    pub(super) fn new(size: usize) -> Self {
        Self { size: size.max(1), idle: Arc::default() }
    }

    /// A buffer of exactly `size` initialised bytes, ready to `recv` into.
    pub(super) fn take(&self) -> Vec<u8> {
        let reused = self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        reused.unwrap_or_else(|| vec![0; self.size])
    }

    /// Turns the first `len` bytes of `buf` into `Bytes`: the buffer itself when the read was
    /// large (it returns here once dropped), a right-sized copy when it was small.
    pub(super) fn freeze(&self, buf: Vec<u8>, len: usize) -> Bytes {
        if len < self.size / COPY_BELOW_DIVISOR {
            let small = Bytes::copy_from_slice(&buf[..len]);
            self.give_back(buf);
            return small;
        }
        Bytes::from_owner(Pooled { buf, len, home: Arc::clone(&self.idle) })
    }

    /// Returns an unused buffer (a read that returned nothing).
    pub(super) fn give_back(&self, buf: Vec<u8>) {
        recycle(&self.idle, buf, self.size);
    }
}

fn recycle(idle: &Idle, buf: Vec<u8>, size: usize) {
    if buf.len() != size {
        return;
    }
    let mut idle = idle.lock().unwrap_or_else(PoisonError::into_inner);
    if idle.len() < max_idle(size) {
        idle.push(buf);
    }
}

/// The owner behind a pooled `Bytes`: shows `len` bytes, and goes home when dropped.
struct Pooled {
    buf: Vec<u8>,
    len: usize,
    home: Idle,
}

impl AsRef<[u8]> for Pooled {
    fn as_ref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        let size = self.buf.len();
        recycle(&self.home, std::mem::take(&mut self.buf), size);
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
    fn idle_buffers_are_bounded_by_bytes() {
        let pool = BufferPool::new(8);
        let held: Vec<Bytes> = (0..max_idle(8) + 10).map(|_| pool.freeze(pool.take(), 8)).collect();
        drop(held);
        assert_eq!(pool.idle.lock().unwrap().len(), max_idle(8));
        assert_eq!(max_idle(4 << 20), 4, "16 MiB of 4 MiB buffers");
        assert_eq!(max_idle(64 << 20), 2);
    }
}
