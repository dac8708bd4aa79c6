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
//! the device's block, so the data is gathered in aligned 4 MiB chunks and written whole with
//! `pwrite`, by a thread of its own: a write with `O_DIRECT` returns only when the device has
//! the bytes, and meanwhile the writer fills the other chunk. A flush (every 100 ms) writes the partial last block padded with
//! zeros, then cuts the file back to its real length: what a crash leaves is always a valid
//! prefix of the recording. The partial block stays in the buffer and is written again, in
//! place, once more data has come.
//!
//! Where `O_DIRECT` is refused (tmpfs, some network and FUSE file systems), when setting it or
//! at the first write, the same buffer is written through the page cache instead.

use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

/// Alignment of the buffers, of each write's length and of its offset: the largest logical
/// block size of common devices (a multiple of the 512-byte ones).
const ALIGN: usize = 4096;
/// Bytes gathered before a write: large enough that the device streams, small enough that a
/// write does not keep the writer waiting long (measured: 1 MiB and 16 MiB chunks were slower).
const CHUNK: usize = 4 << 20;

/// A chunk-sized buffer whose usable part starts on an `ALIGN` boundary. The heap allocation
/// never moves, so the boundary holds wherever the chunk is passed.
#[derive(Debug)]
struct Chunk {
    buf: Vec<u8>,
    start: usize,
}

impl Chunk {
    fn new() -> Self {
        let buf = vec![0; CHUNK + ALIGN];
        let start = (ALIGN - buf.as_ptr().addr() % ALIGN) % ALIGN;
        Self { buf, start }
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[self.start..self.start + CHUNK]
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.buf[self.start..self.start + CHUNK]
    }
}

/// What the writing thread is asked to do, in order.
enum Job {
    /// Write a whole chunk at `offset`, then hand the chunk back.
    Full { chunk: Chunk, offset: u64 },
    /// Write these bytes at `offset` (a partial chunk, padded to whole blocks in direct mode)
    /// and cut the file to end after them.
    Tail { bytes: Vec<u8>, offset: u64 },
}

/// A recording file being written from its start, sequentially. `write` copies into the
/// current chunk and waits only when both chunks are full; `flush` waits until the OS has
/// everything written so far.
#[derive(Debug)]
pub struct RecordFile {
    current: Chunk,
    /// Bytes of data in `current`.
    filled: usize,
    /// File offset of `current`'s first byte (a multiple of `CHUNK`).
    offset: u64,
    jobs: Option<SyncSender<Job>>,
    /// Chunks the writing thread has written and hands back for reuse.
    written: Receiver<Chunk>,
    /// One message per tail written: a flush returns once the OS has its bytes.
    tails_written: Receiver<()>,
    thread: Option<JoinHandle<io::Result<File>>>,
    direct: Arc<AtomicBool>,
}

impl RecordFile {
    /// Writes into `file` (empty, open for writing), past the page cache if it can.
    pub fn new(file: File) -> io::Result<Self> {
        let direct = set_direct(&file, true).is_ok();
        Self::with_mode(file, direct)
    }

    /// Writes through the page cache whatever the file system allows.
    pub fn buffered(file: File) -> io::Result<Self> {
        Self::with_mode(file, false)
    }

    fn with_mode(file: File, direct: bool) -> io::Result<Self> {
        let (jobs, inbox) = mpsc::sync_channel(1);
        let (give_back, written) = mpsc::channel();
        let (tail_done, tails_written) = mpsc::channel();
        // The second chunk: filled while the first is being written.
        let _ = give_back.send(Chunk::new());
        let direct = Arc::new(AtomicBool::new(direct));
        let writer = Writer { file, direct: Arc::clone(&direct), tail: Chunk::new() };
        let thread = std::thread::Builder::new()
            .name("sockscope-record-io".into())
            .spawn(move || writer.run(&inbox, &give_back, &tail_done))?;
        Ok(Self {
            current: Chunk::new(),
            filled: 0,
            offset: 0,
            jobs: Some(jobs),
            written,
            tails_written,
            thread: Some(thread),
            direct,
        })
    }

    /// Whether writes bypass the page cache.
    #[must_use]
    pub fn is_direct(&self) -> bool {
        self.direct.load(Ordering::Relaxed)
    }

    /// Writes everything out, cuts the file to its length and returns it.
    pub fn into_file(mut self) -> io::Result<File> {
        self.flush()?;
        self.stop()
    }

    /// Ends the writing thread after the jobs queued, with its first error if any.
    fn stop(&mut self) -> io::Result<File> {
        self.jobs = None;
        let thread = self.thread.take().ok_or_else(stopped)?;
        thread.join().map_err(|_| stopped())?
    }

    fn send(&mut self, job: Job) -> io::Result<()> {
        let sent = self.jobs.as_ref().is_some_and(|jobs| jobs.send(job).is_ok());
        if sent {
            return Ok(());
        }
        // The thread has stopped: it says why.
        Err(self.stop().err().unwrap_or_else(stopped))
    }
}

impl Write for RecordFile {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let take = data.len().min(CHUNK - self.filled);
        self.current.bytes_mut()[self.filled..self.filled + take].copy_from_slice(&data[..take]);
        self.filled += take;
        if self.filled == CHUNK {
            let Ok(next) = self.written.recv() else {
                return Err(self.stop().err().unwrap_or_else(stopped));
            };
            let chunk = std::mem::replace(&mut self.current, next);
            self.send(Job::Full { chunk, offset: self.offset })?;
            self.offset += CHUNK as u64;
            self.filled = 0;
        }
        Ok(take)
    }

    /// Hands the partial chunk to the writing thread and waits until it has written it out
    /// and cut the file after it; the bytes stay in the chunk and are written again, in place,
    /// once more data has come.
    fn flush(&mut self) -> io::Result<()> {
        if self.filled == 0 {
            return Ok(());
        }
        let bytes = self.current.bytes()[..self.filled].to_vec();
        self.send(Job::Tail { bytes, offset: self.offset })?;
        if self.tails_written.recv().is_err() {
            return Err(self.stop().err().unwrap_or_else(stopped));
        }
        Ok(())
    }
}

impl Drop for RecordFile {
    fn drop(&mut self) {
        if self.thread.is_some() {
            let _ = self.stop();
        }
    }
}

/// The writing thread's side.
struct Writer {
    file: File,
    direct: Arc<AtomicBool>,
    /// Where a partial chunk is copied to be padded and written aligned.
    tail: Chunk,
}

impl Writer {
    /// Writes each job in turn; stops at the first error, which `into_file` then reports.
    fn run(
        mut self,
        inbox: &Receiver<Job>,
        give_back: &mpsc::Sender<Chunk>,
        tail_done: &mpsc::Sender<()>,
    ) -> io::Result<File> {
        while let Ok(job) = inbox.recv() {
            match job {
                Job::Full { chunk, offset } => {
                    write_at(&self.file, &self.direct, chunk.bytes(), offset)?;
                    let _ = give_back.send(chunk);
                }
                Job::Tail { bytes, offset } => {
                    self.write_tail(&bytes, offset)?;
                    let _ = tail_done.send(());
                }
            }
        }
        Ok(self.file)
    }

    /// Pads `bytes` to whole blocks in direct mode, writes them, and cuts the file after them:
    /// what a crash leaves is always a valid prefix of the recording.
    fn write_tail(&mut self, bytes: &[u8], offset: u64) -> io::Result<()> {
        let direct = self.direct.load(Ordering::Relaxed);
        let len = if direct { bytes.len().next_multiple_of(ALIGN) } else { bytes.len() };
        let tail = self.tail.bytes_mut();
        tail[..bytes.len()].copy_from_slice(bytes);
        tail[bytes.len()..len].fill(0);
        write_at(&self.file, &self.direct, &self.tail.bytes()[..len], offset)?;
        if len > bytes.len() {
            self.file.set_len(offset + bytes.len() as u64)?;
        }
        Ok(())
    }
}

/// Writes at `offset`; if the file system refuses `O_DIRECT` only now, turns it off (for this
/// and every later write) and writes through the page cache.
fn write_at(file: &File, direct: &AtomicBool, bytes: &[u8], offset: u64) -> io::Result<()> {
    match file.write_all_at(bytes, offset) {
        Err(err) if direct.load(Ordering::Relaxed) && err.raw_os_error() == Some(libc::EINVAL) => {
            set_direct(file, false)?;
            direct.store(false, Ordering::Relaxed);
            file.write_all_at(bytes, offset)
        }
        result => result,
    }
}

fn stopped() -> io::Error {
    io::Error::other("the recording's writing thread has stopped")
}

/// Turns `O_DIRECT` on or off for `file`.
#[cfg(target_os = "linux")]
fn set_direct(file: &File, on: bool) -> io::Result<()> {
    use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
    let flags = fcntl_getfl(file)?;
    let flags = if on { flags | OFlags::DIRECT } else { flags - OFlags::DIRECT };
    fcntl_setfl(file, flags).map_err(io::Error::from)
}

/// `O_DIRECT` is Linux's: elsewhere turning it on fails, so recordings are written through
/// the page cache (correct, only slower).
#[cfg(not(target_os = "linux"))]
fn set_direct(_file: &File, on: bool) -> io::Result<()> {
    if on { Err(io::ErrorKind::Unsupported.into()) } else { Ok(()) }
}

#[cfg(test)]
mod tests;
