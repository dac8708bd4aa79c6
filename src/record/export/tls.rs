//! What an export needs to know about a recording's TLS before it writes the first packet:
//! the secrets (for the pcapng Decryption Secrets Block, which must come before the packets
//! it decrypts) and which connections speak TLS (whose plaintext `--plaintext` writes in place
//! of their wire bytes, from their very first `recv`, which comes before any `tls` event).
//! Hence a first pass over the recording, with a reader of its own.
//!
//! An export of some connections (`--conn N`) carries only their keys: a key log line names
//! the handshake it belongs to by the client's random, which the first bytes of the
//! connection (its `ClientHello`) hold.

use super::select::Selection;
use crate::event::{ConnId, EventKind};
use crate::record::Reader;
use std::collections::{HashMap, HashSet};
use std::io::Read;

/// A recording's TLS, read ahead.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsFacts {
    /// Every key log line the recording holds (format 2.7 and later), in file order.
    pub secrets: String,
    /// The connections that reported TLS (`tls`, `tls_read` or `tls_write` events).
    pub conns: HashSet<ConnId>,
}

/// Reads `reader` to its end (or to the damage that ends it) for its TLS facts; the secrets
/// are those of the connections `selection` keeps (all of them when it keeps every socket).
pub fn gather<R: Read>(reader: &mut Reader<R>, selection: &Selection) -> TlsFacts {
    reader.keep_secrets();
    let mut conns = HashSet::new();
    let mut randoms: HashMap<ConnId, [u8; 32]> = HashMap::new();
    for (_, event) in reader.by_ref() {
        match &event.kind {
            EventKind::Tls { conn, .. }
            | EventKind::TlsRead { conn, .. }
            | EventKind::TlsWrite { conn, .. } => {
                conns.insert(*conn);
            }
            EventKind::Recv { conn, data, .. } | EventKind::Send { conn, data, .. } => {
                if let Some(random) = client_random(data) {
                    randoms.entry(*conn).or_insert(random);
                }
            }
            _ => {}
        }
    }
    let secrets = reader.take_secrets();
    let secrets = match selection.conns() {
        None => secrets,
        Some(kept) => {
            let wanted: HashSet<String> =
                kept.iter().filter_map(|conn| randoms.get(conn)).map(hex::encode).collect();
            lines_for(&secrets, &wanted)
        }
    };
    TlsFacts { secrets, conns }
}

/// The client's random of a `ClientHello` at the start of `data`: a handshake record
/// (`0x16`) whose first message is a client hello (`0x01`), 32 bytes after the record and
/// handshake headers and the legacy version.
fn client_random(data: &[u8]) -> Option<[u8; 32]> {
    if data.first() != Some(&0x16) || data.get(5) != Some(&0x01) {
        return None;
    }
    data.get(11..43)?.try_into().ok()
}

/// The key log lines whose client random (their second field, in hex) is one of `wanted`.
fn lines_for(secrets: &str, wanted: &HashSet<String>) -> String {
    secrets
        .lines()
        .filter(|line| {
            line.split(' ').nth(1).is_some_and(|random| wanted.contains(&random.to_lowercase()))
        })
        .map(|line| line.to_owned() + "\n")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_hello_gives_its_random_and_other_bytes_none() {
        let mut hello = vec![0x16, 0x03, 0x01, 0x00, 0xf4, 0x01, 0x00, 0x00, 0xf0, 0x03, 0x03];
        hello.extend(1..=32u8);
        hello.extend([0x20, 0xaa]);
        let random: [u8; 32] = std::array::from_fn(|i| u8::try_from(i + 1).unwrap());
        assert_eq!(client_random(&hello), Some(random));
        assert_eq!(client_random(&hello[..40]), None, "cut short");
        assert_eq!(client_random(b"GET / HTTP/1.1\r\n"), None);
        let mut server_hello = hello.clone();
        server_hello[5] = 0x02;
        assert_eq!(client_random(&server_hello), None);
    }

    #[test]
    fn only_the_lines_of_the_wanted_handshakes_are_kept() {
        let secrets = "CLIENT_RANDOM AABB 0011\nCLIENT_TRAFFIC_SECRET_0 ccdd 2233\n\
                       SERVER_TRAFFIC_SECRET_0 aabb 4455\n";
        let wanted = HashSet::from(["aabb".to_string()]);
        assert_eq!(
            lines_for(secrets, &wanted),
            "CLIENT_RANDOM AABB 0011\nSERVER_TRAFFIC_SECRET_0 aabb 4455\n"
        );
        assert_eq!(lines_for(secrets, &HashSet::new()), "");
    }
}
