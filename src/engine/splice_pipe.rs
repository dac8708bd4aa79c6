//! The kernel pipes of `--relay splice`: bytes go from one socket into a relay pipe and from
//! there into the other socket without being copied to user space, and `tee` duplicates them
//! into a second pipe that sockscope reads, so that every byte is still seen (one copy to
//! user space instead of the two of `recv` and `send`). This is `HAProxy`'s splice forwarding
//! with a `tee` added for the events.
//!
//! A relay pipe holds one chunk at a time: the next `splice` from the socket waits until the
//! pipe is empty. `tee` copies from the start of a pipe without consuming it, so a pipe that
//! still held earlier bytes would duplicate them again. Both pipes are non-blocking, and a
//! pair goes back to a small pool once empty, so idle connections hold no pipes.

use bytes::Bytes;
use rustix::pipe::{PipeFlags, SpliceFlags, fcntl_getpipe_size, fcntl_setpipe_size, pipe_with};
use std::io::{self, Read};
use std::os::fd::{AsFd, OwnedFd};

/// `splice` and `tee` never wait, and move page references rather than copying.
const FLAGS: SpliceFlags = SpliceFlags::NONBLOCK.union(SpliceFlags::MOVE);

/// A relay pipe and its duplicate. `held` bytes wait in the relay pipe for the socket they go
/// to; `seen` holds the same bytes as read through the duplicate, for the events.
#[derive(Debug)]
pub(super) struct SplicePipe {
    relay_out: OwnedFd,
    relay_in: OwnedFd,
    view_out: std::fs::File,
    view_in: OwnedFd,
    capacity: usize,
    seen: Bytes,
}

impl SplicePipe {
    /// Two non-blocking pipes of (at least) `size` bytes each, or of the system's default size
    /// where `F_SETPIPE_SZ` refuses (an unprivileged user past `pipe-user-pages-soft`).
    pub(super) fn open(size: usize) -> io::Result<Self> {
        let flags = PipeFlags::NONBLOCK | PipeFlags::CLOEXEC;
        let (relay_out, relay_in) = pipe_with(flags)?;
        let (view_out, view_in) = pipe_with(flags)?;
        let _ = fcntl_setpipe_size(&relay_in, size);
        let _ = fcntl_setpipe_size(&view_in, size);
        let capacity = fcntl_getpipe_size(&relay_in)?.min(fcntl_getpipe_size(&view_in)?);
        Ok(Self {
            relay_out,
            relay_in,
            view_out: std::fs::File::from(view_out),
            view_in,
            capacity,
            seen: Bytes::new(),
        })
    }

    /// Most bytes one `splice` into the relay pipe may move.
    pub(super) fn capacity(&self) -> usize {
        self.capacity
    }

    /// Bytes in the relay pipe, not yet spliced into the socket they go to.
    pub(super) fn held(&self) -> usize {
        self.seen.len()
    }

    /// One `splice` of at most `max` bytes from `socket` into the (empty) relay pipe.
    pub(super) fn fill_from(&self, socket: impl AsFd, max: usize) -> io::Result<usize> {
        debug_assert_eq!(self.held(), 0, "a relay pipe is filled only when empty");
        Ok(rustix::pipe::splice(socket, None, &self.relay_in, None, max, FLAGS)?)
    }

    /// One `tee` of the `len` bytes just spliced into the duplicate pipe: how many it copied.
    pub(super) fn tee(&self, len: usize) -> io::Result<usize> {
        Ok(rustix::pipe::tee(&self.relay_out, &self.view_in, len, SpliceFlags::NONBLOCK)?)
    }

    /// One `read` of the duplicate pipe into `buf`, whose bytes are then the ones the relay
    /// pipe holds for the other socket.
    pub(super) fn read_view(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.view_out.read(buf)
    }

    /// Records that the relay pipe holds `seen`, as read through the duplicate.
    pub(super) fn hold(&mut self, seen: Bytes) {
        self.seen = seen;
    }

    /// One `splice` of what the relay pipe holds into `socket`: the bytes it moved.
    pub(super) fn drain_into(&mut self, socket: impl AsFd) -> io::Result<Bytes> {
        let len = rustix::pipe::splice(&self.relay_out, None, socket, None, self.held(), FLAGS)?;
        Ok(self.seen.split_to(len.min(self.seen.len())))
    }

    /// The relay pipe's reading end, to read what it holds into user space.
    pub(super) fn into_relay_pipe(self) -> std::fs::File {
        std::fs::File::from(self.relay_out)
    }

    /// The bytes still held, for the copy relay to send instead; the pipe is dropped with
    /// them (closing it discards its contents).
    pub(super) fn into_held(self) -> Bytes {
        self.seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::unix::net::UnixStream;

    /// Bytes written into one socket come out of the other through the relay pipe, and the
    /// duplicate shows the same bytes while the relay pipe still holds them.
    #[test]
    fn a_chunk_goes_through_the_relay_pipe_and_is_seen_through_the_duplicate() {
        let (mut client, from) = UnixStream::pair().expect("pair");
        let (to, mut server) = UnixStream::pair().expect("pair");
        server.set_nonblocking(true).expect("non-blocking");
        let mut pipe = SplicePipe::open(1 << 16).expect("pipes");
        assert!(pipe.capacity() >= 1 << 16, "{}", pipe.capacity());
        client.write_all(b"hello, pipe").expect("write");
        let moved = pipe.fill_from(&from, pipe.capacity()).expect("splice in");
        assert_eq!(moved, 11);
        assert_eq!(pipe.tee(moved).expect("tee"), 11);
        let mut buf = [0; 64];
        let len = pipe.read_view(&mut buf).expect("read");
        pipe.hold(Bytes::copy_from_slice(&buf[..len]));
        assert_eq!(pipe.held(), 11);
        let sent = pipe.drain_into(&to).expect("splice out");
        assert_eq!(&sent[..], b"hello, pipe");
        assert_eq!(pipe.held(), 0);
        let mut got = [0; 64];
        let n = server.read(&mut got).expect("the bytes arrived");
        assert_eq!(&got[..n], b"hello, pipe");
    }

    /// Nothing to read is `WouldBlock`, not a wait.
    #[test]
    fn an_empty_socket_would_block() {
        let (_client, from) = UnixStream::pair().expect("pair");
        let pipe = SplicePipe::open(1 << 16).expect("pipes");
        let error = pipe.fill_from(&from, 1024).expect_err("nothing to move");
        assert_eq!(error.kind(), io::ErrorKind::WouldBlock);
    }

    /// What the relay pipe holds can be taken back for a copy relay.
    #[test]
    fn held_bytes_come_back_for_the_copy_relay() {
        let mut pipe = SplicePipe::open(1 << 16).expect("pipes");
        pipe.hold(Bytes::from_static(b"abc"));
        assert_eq!(pipe.into_held(), Bytes::from_static(b"abc"));
    }
}
