//! [`RecordFile`]: the recording's file, written past the page cache (`O_DIRECT`) where the
//! file system allows it.
//!
//! A proxy records every byte twice, so a fast session asks the writer for gigabytes per
//! second. Through the page cache each byte is copied by the kernel into a freshly allocated
//! page, which costs the writer thread a whole core: on the machine of `BENCHMARKS.md`, 1.5 GB
//! written by `dd` took 3.5 s of system time buffered and 0.13 s with `O_DIRECT`. With
//! `O_DIRECT` the device reads the bytes straight from the writer's buffer.
//!
//! `O_DIRECT` wants the buffer's address, each write's length and its file offset aligned to
//! the device's block, so the data is gathered in an aligned 1 MiB buffer and written in whole
//! blocks with `pwrite`. A flush (every 100 ms) writes the partial last block padded with
//! zeros, then cuts the file back to its real length: what a crash leaves is always a valid
//! prefix of the recording. The partial block stays in the buffer and is written again, in
//! place, once more data has come.
//!
//! Where `O_DIRECT` is refused (tmpfs, some network and FUSE file systems), when setting it or
//! at the first write, the same buffer is written through the page cache instead.

use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;

/// Alignment of the buffer, of each write's length and of its offset: the largest logical
/// block size of common devices (a multiple of the 512-byte ones).
const ALIGN: usize = 4096;
/// Bytes gathered before a write: large enough that a write costs little per byte.
const CHUNK: usize = 4 << 20;

/// A recording file being written from its start, sequentially.
#[derive(Debug)]
pub struct RecordFile {
    file: File,
    direct: bool,
    /// `CHUNK + ALIGN` bytes, so that an aligned `CHUNK` fits whatever the allocation's address.
    buf: Vec<u8>,
    /// Where the aligned chunk starts in `buf`.
    start: usize,
    /// Bytes of data in the chunk.
    filled: usize,
    /// File offset of the chunk's first byte (a multiple of `ALIGN`).
    offset: u64,
}

impl RecordFile {
    /// Writes into `file` (empty, open for writing), past the page cache if it can.
    #[must_use]
    pub fn new(file: File) -> Self {
        let direct = set_direct(&file, true).is_ok();
        Self::with_mode(file, direct)
    }

    /// Writes through the page cache whatever the file system allows.
    #[must_use]
    pub fn buffered(file: File) -> Self {
        Self::with_mode(file, false)
    }

    fn with_mode(file: File, direct: bool) -> Self {
        let buf = vec![0; CHUNK + ALIGN];
        let start = (ALIGN - buf.as_ptr().addr() % ALIGN) % ALIGN;
        Self { file, direct, buf, start, filled: 0, offset: 0 }
    }

    /// Whether writes bypass the page cache.
    #[must_use]
    pub fn is_direct(&self) -> bool {
        self.direct
    }

    /// Writes everything out, cuts the file to its length and returns it.
    pub fn into_file(mut self) -> io::Result<File> {
        self.flush()?;
        Ok(self.file)
    }

    /// Writes the chunk's first `len` bytes (whole blocks in direct mode) at its offset; if
    /// the file system refuses `O_DIRECT` only now, turns it off and writes through the cache.
    fn write_chunk(&mut self, len: usize) -> io::Result<()> {
        let chunk = &self.buf[self.start..self.start + len];
        match self.file.write_all_at(chunk, self.offset) {
            Err(err) if self.direct && err.raw_os_error() == Some(libc::EINVAL) => {
                set_direct(&self.file, false)?;
                self.direct = false;
                self.file.write_all_at(chunk, self.offset)
            }
            result => result,
        }
    }
}

impl Write for RecordFile {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let room = CHUNK - self.filled;
        let take = data.len().min(room);
        let at = self.start + self.filled;
        self.buf[at..at + take].copy_from_slice(&data[..take]);
        self.filled += take;
        if self.filled == CHUNK {
            self.write_chunk(CHUNK)?;
            self.offset += CHUNK as u64;
            self.filled = 0;
        }
        Ok(take)
    }

    /// Hands the partial chunk to the OS: padded to whole blocks in direct mode, then the file
    /// is cut back to the bytes really written.
    fn flush(&mut self) -> io::Result<()> {
        if self.filled == 0 {
            return Ok(());
        }
        let len = if self.direct { self.filled.next_multiple_of(ALIGN) } else { self.filled };
        let data_end = self.start + self.filled;
        self.buf[data_end..self.start + len].fill(0);
        self.write_chunk(len)?;
        if len > self.filled {
            self.file.set_len(self.offset + self.filled as u64)?;
        }
        Ok(())
    }
}

/// Turns `O_DIRECT` on or off for `file`.
fn set_direct(file: &File, on: bool) -> io::Result<()> {
    let flags = fcntl_getfl(file)?;
    let flags = if on { flags | OFlags::DIRECT } else { flags - OFlags::DIRECT };
    fcntl_setfl(file, flags).map_err(io::Error::from)
}

#[cfg(test)]
mod tests;
