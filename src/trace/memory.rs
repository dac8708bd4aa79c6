//! Reading a traced process's memory: the bytes a call moved, its iovecs, its sockaddr.
//!
//! `process_vm_readv` copies from the other address space without stopping it further. A
//! read that fails (the buffer was unmapped meanwhile) gives fewer bytes, never a panic.

use nix::sys::uio::{RemoteIoVec, process_vm_readv};
use nix::unistd::Pid;
use std::io::IoSliceMut;

/// Up to `len` bytes at `addr` in `pid`; fewer if part of the range cannot be read.
pub fn read(pid: Pid, addr: u64, len: usize) -> Vec<u8> {
    if addr == 0 || len == 0 {
        return Vec::new();
    }
    let mut buf = vec![0; len];
    let remote = [RemoteIoVec { base: addr as usize, len }];
    let got = process_vm_readv(pid, &mut [IoSliceMut::new(&mut buf)], &remote).unwrap_or(0);
    buf.truncate(got);
    buf
}

/// The `(base, len)` pairs of an array of `count` iovecs at `addr`.
pub fn iovecs(pid: Pid, addr: u64, count: u64) -> Vec<(u64, u64)> {
    // IOV_MAX is 1024: a larger count fails the call anyway.
    let count = count.min(1024) as usize;
    let raw = read(pid, addr, count * 16);
    raw.chunks_exact(16).map(|pair| (word(&pair[..8]), word(&pair[8..]))).collect()
}

/// The iovecs of the `struct msghdr` at `addr` (`msg_iov` at offset 16, `msg_iovlen` at 24).
pub fn msghdr_iovecs(pid: Pid, addr: u64) -> Vec<(u64, u64)> {
    let raw = read(pid, addr, 32);
    if raw.len() < 32 {
        return Vec::new();
    }
    iovecs(pid, word(&raw[16..24]), word(&raw[24..32]))
}

/// The first `limit` bytes the iovecs hold, in order.
pub fn gather(pid: Pid, iovecs: &[(u64, u64)], limit: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(limit.min(1 << 20));
    for &(base, len) in iovecs {
        let want = (len as usize).min(limit - out.len());
        if want == 0 {
            break;
        }
        let piece = read(pid, base, want);
        let short = piece.len() < want;
        out.extend_from_slice(&piece);
        if short {
            break;
        }
    }
    out
}

/// A native-endian 64-bit word of the traced process.
fn word(bytes: &[u8]) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(bytes);
    u64::from_ne_bytes(word)
}
