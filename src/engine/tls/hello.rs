//! The protocol versions a `ClientHello` offers, read from its bytes: rustls's `ClientHello`
//! gives the server name and ALPN but not the `supported_versions` extension.
//!
//! Bounded and panic-free on any input: every length is checked against what is there.

/// The versions offered by the `ClientHello` at the start of `wire` (TLS records as received),
/// newest first as the client listed them; empty when the bytes are not a whole `ClientHello`
/// in its first record.
pub(in crate::engine) fn offered_versions(wire: &[u8]) -> Vec<String> {
    parse(wire).unwrap_or_default()
}

fn parse(wire: &[u8]) -> Option<Vec<String>> {
    let mut r = Reader(wire);
    if r.u8()? != 0x16 {
        return None; // not a handshake record
    }
    r.take(2)?;
    let record = r.vec(2)?;
    let mut h = Reader(record);
    if h.u8()? != 1 {
        return None; // not a ClientHello
    }
    let mut b = Reader(h.vec(3)?);
    let legacy = b.take(2)?;
    b.take(32)?; // random
    b.vec(1)?; // session id
    b.vec(2)?; // cipher suites
    b.vec(1)?; // compression methods
    let mut exts = Reader(b.vec(2).unwrap_or_default());
    while let (Some(kind), Some(data)) = (exts.take(2), exts.vec(2)) {
        if kind == [0x00, 0x2b] {
            let mut list = Reader(Reader(data).vec(1)?);
            let mut versions = Vec::new();
            while let Some(v) = list.take(2) {
                versions.push(name(v));
            }
            return Some(versions);
        }
    }
    // No supported_versions extension: the client offers only its legacy version.
    Some(vec![name(legacy)])
}

fn name(version: &[u8]) -> String {
    match version {
        [3, 4] => "TLSv1.3".to_owned(),
        [3, 3] => "TLSv1.2".to_owned(),
        [3, 2] => "TLSv1.1".to_owned(),
        [3, 1] => "TLSv1.0".to_owned(),
        other => format!("0x{}", hex::encode(other)),
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    /// A vector with a `width`-byte big-endian length.
    fn vec(&mut self, width: usize) -> Option<&'a [u8]> {
        let len = self.take(width)?.iter().fold(0usize, |n, b| (n << 8) | usize::from(*b));
        self.take(len)
    }
}

#[cfg(test)]
mod tests {
    use super::offered_versions;

    #[test]
    fn garbage_and_truncation_give_no_versions() {
        assert!(offered_versions(b"GET / HTTP/1.1\r\n").is_empty());
        assert!(offered_versions(&[0x16, 3, 1, 0xff, 0xff, 1]).is_empty());
        assert!(offered_versions(&[]).is_empty());
    }
}
