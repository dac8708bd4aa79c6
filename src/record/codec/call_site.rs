//! The `call_site` record (format 2.8): which process, system call and descriptor the next
//! event came from, for a traced program's recording. The names are text (`sendto`); a name
//! sockscope does not trace reads as damage.

use crate::event::CallSite;
use crate::record::wire::{Cursor, DecodeError, Decoded, put_str, put_varint};

/// `pid` (varint), `syscall` (str), `fd + 1` (varint, 0: none), `call` (str, empty: none).
pub fn put(out: &mut Vec<u8>, site: &CallSite) {
    put_varint(out, u64::from(site.pid.cast_unsigned()));
    put_str(out, site.syscall);
    put_varint(out, site.fd.map_or(0, |fd| u64::from(fd.cast_unsigned()) + 1));
    put_str(out, site.call.unwrap_or_default());
}

pub fn decode(body: &[u8]) -> Decoded<CallSite> {
    let mut c = Cursor::new(body);
    let pid = i32::try_from(c.varint()?).map_err(|_| DecodeError("a pid out of range"))?;
    let syscall = name(&c.string()?)?;
    let fd = match c.varint()? {
        0 => None,
        fd => Some(i32::try_from(fd - 1).map_err(|_| DecodeError("an fd out of range"))?),
    };
    let call = match c.string()? {
        kind if kind.is_empty() => None,
        kind => Some(name(&kind)?),
    };
    Ok(CallSite { pid, syscall, fd, call })
}

fn name(text: &str) -> Decoded<&'static str> {
    CallSite::known_name(text)
        .ok_or(DecodeError("a call site names a call sockscope does not trace"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_site_reads_back_as_written() {
        for site in [
            CallSite { pid: 42, syscall: "recvfrom", fd: Some(3), call: None },
            CallSite { pid: 7, syscall: "pselect6", fd: None, call: Some("select") },
            CallSite { pid: 1, syscall: "accept4", fd: Some(0), call: None },
        ] {
            let mut body = Vec::new();
            put(&mut body, &site);
            assert_eq!(decode(&body), Ok(site));
        }
        let mut bad = Vec::new();
        put(&mut bad, &CallSite { pid: 1, syscall: "read", fd: None, call: None });
        bad[2] = b'x';
        assert!(decode(&bad).is_err(), "an unknown name is damage");
    }
}
