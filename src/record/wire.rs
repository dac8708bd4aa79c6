//! The primitives record bodies are made of: LEB128 varints, length-prefixed strings and bytes,
//! addresses.
//!
//! Varints keep the common small numbers (connection ids, lengths, times) to one to five bytes.
//! Decoding never trusts a count: every length is checked against what is left of the body
//! before anything is sliced or allocated, so a damaged body is an error, not a panic.

use crate::event::{Address, ConnId};
use std::net::{SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

/// Why a body could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError(pub &'static str);

pub type Decoded<T> = Result<T, DecodeError>;

const ADDR_UNIX: u8 = 1;
const ADDR_V4: u8 = 4;
const ADDR_V6: u8 = 6;
/// Datagram addresses (format 2.4): the same bodies as their stream counterparts.
const ADDR_UNIX_DATAGRAM: u8 = 0x11;
const ADDR_UDP_V4: u8 = 0x14;
const ADDR_UDP_V6: u8 = 0x16;

/// Appends a LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

pub fn put_usize(out: &mut Vec<u8>, value: usize) {
    put_varint(out, value as u64);
}

pub fn put_conn(out: &mut Vec<u8>, conn: ConnId) {
    put_varint(out, conn.0);
}

pub fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_usize(out, bytes.len());
    out.extend_from_slice(bytes);
}

pub fn put_str(out: &mut Vec<u8>, text: &str) {
    put_bytes(out, text.as_bytes());
}

/// Addresses keep everything `SocketAddr` holds (IPv6 flow info and scope id too), so a
/// recording gives back exactly the address the engine reported.
pub fn put_address(out: &mut Vec<u8>, address: &Address) {
    match address {
        Address::Ip(ip) => put_ip(out, (ADDR_V4, ADDR_V6), ip),
        Address::Udp(ip) => put_ip(out, (ADDR_UDP_V4, ADDR_UDP_V6), ip),
        Address::Unix(path) => {
            out.push(ADDR_UNIX);
            put_bytes(out, path.as_os_str().as_bytes());
        }
        Address::UnixDatagram(path) => {
            out.push(ADDR_UNIX_DATAGRAM);
            put_bytes(out, path.as_os_str().as_bytes());
        }
    }
}

/// An IP address after its code (`codes`: for IPv4, for IPv6).
fn put_ip(out: &mut Vec<u8>, codes: (u8, u8), address: &SocketAddr) {
    match address {
        SocketAddr::V4(v4) => {
            out.push(codes.0);
            out.extend_from_slice(&v4.ip().octets());
            out.extend_from_slice(&v4.port().to_le_bytes());
        }
        SocketAddr::V6(v6) => {
            out.push(codes.1);
            out.extend_from_slice(&v6.ip().octets());
            out.extend_from_slice(&v6.port().to_le_bytes());
            out.extend_from_slice(&v6.flowinfo().to_le_bytes());
            out.extend_from_slice(&v6.scope_id().to_le_bytes());
        }
    }
}

/// A read position in a body.
#[derive(Debug)]
pub struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    #[must_use]
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    /// Whether every byte of the body has been read: a field a later minor version appended
    /// is absent from an older file.
    #[must_use]
    pub fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    pub fn u8(&mut self) -> Decoded<u8> {
        let byte = *self.bytes.get(self.pos).ok_or(DecodeError("the body ends early"))?;
        self.pos += 1;
        Ok(byte)
    }

    pub fn take(&mut self, len: usize) -> Decoded<&'a [u8]> {
        let end = self.pos.checked_add(len).ok_or(DecodeError("a length overflows"))?;
        let slice =
            self.bytes.get(self.pos..end).ok_or(DecodeError("a length runs past the body"))?;
        self.pos = end;
        Ok(slice)
    }

    pub fn array<const N: usize>(&mut self) -> Decoded<[u8; N]> {
        let slice = self.take(N)?;
        let mut out = [0; N];
        out.copy_from_slice(slice);
        Ok(out)
    }

    /// A LEB128 varint of at most ten bytes; overlong or overflowing encodings are refused.
    pub fn varint(&mut self) -> Decoded<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(DecodeError("a number overflows 64 bits"));
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(DecodeError("a number is longer than ten bytes"))
    }

    pub fn usize(&mut self) -> Decoded<usize> {
        usize::try_from(self.varint()?).map_err(|_| DecodeError("a size does not fit in memory"))
    }

    pub fn u32(&mut self) -> Decoded<u32> {
        u32::try_from(self.varint()?).map_err(|_| DecodeError("a number exceeds 32 bits"))
    }

    pub fn conn(&mut self) -> Decoded<ConnId> {
        self.varint().map(ConnId)
    }

    pub fn bool(&mut self) -> Decoded<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(DecodeError("a flag is neither 0 nor 1")),
        }
    }

    /// A length-prefixed byte string, as a range of the body.
    pub fn bytes_range(&mut self) -> Decoded<std::ops::Range<usize>> {
        let len = self.usize()?;
        let start = self.pos;
        self.take(len)?;
        Ok(start..self.pos)
    }

    pub fn string(&mut self) -> Decoded<String> {
        let range = self.bytes_range()?;
        let bytes = self.bytes.get(range).unwrap_or_default();
        String::from_utf8(bytes.to_vec()).map_err(|_| DecodeError("a text is not UTF-8"))
    }

    pub fn address(&mut self) -> Decoded<Address> {
        match self.u8()? {
            ADDR_V4 => self.ipv4().map(Address::Ip),
            ADDR_V6 => self.ipv6().map(Address::Ip),
            ADDR_UDP_V4 => self.ipv4().map(Address::Udp),
            ADDR_UDP_V6 => self.ipv6().map(Address::Udp),
            ADDR_UNIX => self.path().map(Address::Unix),
            ADDR_UNIX_DATAGRAM => self.path().map(Address::UnixDatagram),
            _ => Err(DecodeError("unknown address family")),
        }
    }

    fn ipv4(&mut self) -> Decoded<SocketAddr> {
        let ip = self.array::<4>()?;
        let port = u16::from_le_bytes(self.array()?);
        Ok(SocketAddr::V4(SocketAddrV4::new(ip.into(), port)))
    }

    fn ipv6(&mut self) -> Decoded<SocketAddr> {
        let ip = self.array::<16>()?;
        let port = u16::from_le_bytes(self.array()?);
        let flow = u32::from_le_bytes(self.array()?);
        let scope = u32::from_le_bytes(self.array()?);
        Ok(SocketAddr::V6(SocketAddrV6::new(ip.into(), port, flow, scope)))
    }

    fn path(&mut self) -> Decoded<PathBuf> {
        let range = self.bytes_range()?;
        let bytes = self.bytes.get(range).unwrap_or_default().to_vec();
        Ok(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }

    /// A list of connection ids. The count is checked against the bytes left (each id takes at
    /// least one) before the list is allocated.
    pub fn conn_list(&mut self) -> Decoded<Vec<ConnId>> {
        let count = self.usize()?;
        if count > self.bytes.len().saturating_sub(self.pos) {
            return Err(DecodeError("a list is longer than its body"));
        }
        (0..count).map(|_| self.conn()).collect()
    }
}

pub fn put_conn_list(out: &mut Vec<u8>, ids: &[ConnId]) {
    put_usize(out, ids.len());
    for id in ids {
        put_conn(out, *id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_at_the_edges() {
        for value in [0, 1, 127, 128, 16_383, 16_384, u64::from(u32::MAX), u64::MAX - 1, u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, value);
            assert!(out.len() <= 10);
            assert_eq!(Cursor::new(&out).varint(), Ok(value), "{value}");
        }
    }

    #[test]
    fn bad_varints_are_errors() {
        assert!(Cursor::new(&[0x80; 11]).varint().is_err(), "too long");
        let overflow = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
        assert!(Cursor::new(&overflow).varint().is_err(), "overflow");
        assert!(Cursor::new(&[0x80]).varint().is_err(), "cut short");
    }

    #[test]
    fn lengths_past_the_body_are_errors() {
        let mut out = Vec::new();
        put_varint(&mut out, u64::MAX);
        assert!(Cursor::new(&out).bytes_range().is_err());
        assert!(Cursor::new(&out).conn_list().is_err());
    }
}
