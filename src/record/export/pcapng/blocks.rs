//! The three pcapng blocks an export needs: Section Header, Interface Description, and
//! Enhanced Packet, little-endian, each with an optional comment.
//!
//! Small enough to write by hand (pcapng is a sequence of length-framed blocks); see the
//! pcapng specification, sections 4.1, 4.2 and 4.3.

use std::io::{self, Write};

const SECTION_HEADER: u32 = 0x0A0D_0D0A;
const INTERFACE_DESCRIPTION: u32 = 0x0000_0001;
const ENHANCED_PACKET: u32 = 0x0000_0006;
/// Decryption Secrets Block (section 4.7) and its TLS key log secrets type, "TLSK".
const DECRYPTION_SECRETS: u32 = 0x0000_000A;
const SECRETS_TLS_KEY_LOG: u32 = 0x544c_534b;
const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;
/// `LINKTYPE_ETHERNET`.
const LINKTYPE_ETHERNET: u16 = 1;
/// Large enough for any packet an export makes (at most 65 000 bytes of payload).
const SNAPLEN: u32 = 262_144;

const OPT_END: u16 = 0;
const OPT_COMMENT: u16 = 1;
const SHB_USERAPPL: u16 = 4;

/// Writes the section header (naming the tool, with a comment) and one Ethernet interface
/// with microsecond timestamps (the pcapng default resolution).
pub fn write_header(out: &mut impl Write, tool: &str, comment: &str) -> io::Result<()> {
    let mut body = Vec::new();
    body.extend_from_slice(&BYTE_ORDER_MAGIC.to_le_bytes());
    body.extend_from_slice(&1u16.to_le_bytes());
    body.extend_from_slice(&0u16.to_le_bytes());
    body.extend_from_slice(&(-1i64).to_le_bytes());
    put_option(&mut body, OPT_COMMENT, comment.as_bytes());
    put_option(&mut body, SHB_USERAPPL, tool.as_bytes());
    end_options(&mut body);
    write_block(out, SECTION_HEADER, &body)?;

    let mut body = Vec::new();
    body.extend_from_slice(&LINKTYPE_ETHERNET.to_le_bytes());
    body.extend_from_slice(&0u16.to_le_bytes());
    body.extend_from_slice(&SNAPLEN.to_le_bytes());
    write_block(out, INTERFACE_DESCRIPTION, &body)
}

/// Writes one packet captured at `unix_us` on interface 0.
pub fn write_packet(
    out: &mut impl Write,
    unix_us: u64,
    packet: &[u8],
    comment: Option<&str>,
) -> io::Result<()> {
    let len = u32::try_from(packet.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "packet too large"))?;
    let mut body = Vec::with_capacity(packet.len() + 64);
    body.extend_from_slice(&0u32.to_le_bytes());
    body.extend_from_slice(&((unix_us >> 32) as u32).to_le_bytes());
    body.extend_from_slice(&(unix_us as u32).to_le_bytes());
    body.extend_from_slice(&len.to_le_bytes());
    body.extend_from_slice(&len.to_le_bytes());
    body.extend_from_slice(packet);
    pad(&mut body);
    if let Some(comment) = comment {
        put_option(&mut body, OPT_COMMENT, comment.as_bytes());
        end_options(&mut body);
    }
    write_block(out, ENHANCED_PACKET, &body)
}

/// Writes TLS key log text (NSS format) as a Decryption Secrets Block: Wireshark and tshark
/// use it to decrypt the TLS records of the packets after it, with no key file given.
pub fn write_tls_secrets(out: &mut impl Write, key_log: &str) -> io::Result<()> {
    let len = u32::try_from(key_log.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "secrets too large"))?;
    let mut body = Vec::with_capacity(key_log.len() + 12);
    body.extend_from_slice(&SECRETS_TLS_KEY_LOG.to_le_bytes());
    body.extend_from_slice(&len.to_le_bytes());
    body.extend_from_slice(key_log.as_bytes());
    pad(&mut body);
    write_block(out, DECRYPTION_SECRETS, &body)
}

/// Block type, total length, body (already padded to 32 bits), total length again.
fn write_block(out: &mut impl Write, kind: u32, body: &[u8]) -> io::Result<()> {
    let total = u32::try_from(body.len() + 12)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "block too large"))?;
    out.write_all(&kind.to_le_bytes())?;
    out.write_all(&total.to_le_bytes())?;
    out.write_all(body)?;
    out.write_all(&total.to_le_bytes())
}

/// An option: code, length, value padded to 32 bits. Values longer than an option can hold
/// are cut (they are comments and names).
fn put_option(body: &mut Vec<u8>, code: u16, value: &[u8]) {
    let value = &value[..value.len().min(usize::from(u16::MAX) - 3)];
    body.extend_from_slice(&code.to_le_bytes());
    body.extend_from_slice(&(value.len() as u16).to_le_bytes());
    body.extend_from_slice(value);
    pad(body);
}

fn end_options(body: &mut Vec<u8>) {
    body.extend_from_slice(&OPT_END.to_le_bytes());
    body.extend_from_slice(&0u16.to_le_bytes());
}

fn pad(body: &mut Vec<u8>) {
    while !body.len().is_multiple_of(4) {
        body.push(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_framed_and_padded() {
        let mut out = Vec::new();
        write_header(&mut out, "t", "c").unwrap();
        write_tls_secrets(&mut out, "CLIENT_RANDOM 01 02\n").unwrap();
        write_packet(&mut out, (5 << 32) | 7, b"abcde", Some("x")).unwrap();
        assert_eq!(out.len() % 4, 0);
        assert_eq!(&out[..4], &[0x0a, 0x0d, 0x0d, 0x0a]);
        let mut at = 0;
        let mut kinds = Vec::new();
        while at < out.len() {
            let kind = u32::from_le_bytes(out[at..at + 4].try_into().unwrap());
            let len = u32::from_le_bytes(out[at + 4..at + 8].try_into().unwrap()) as usize;
            let trailer = u32::from_le_bytes(out[at + len - 4..at + len].try_into().unwrap());
            assert_eq!(trailer as usize, len);
            kinds.push(kind);
            if kind == DECRYPTION_SECRETS {
                // Type "TLSK" little-endian, the text's length, the text padded to 32 bits.
                assert_eq!(&out[at + 8..at + 12], b"KSLT");
                assert_eq!(u32::from_le_bytes(out[at + 12..at + 16].try_into().unwrap()), 20);
                assert_eq!(&out[at + 16..at + 36], b"CLIENT_RANDOM 01 02\n");
                assert_eq!(len, 12 + 8 + 20);
            }
            at += len;
        }
        assert_eq!(
            kinds,
            vec![SECTION_HEADER, INTERFACE_DESCRIPTION, DECRYPTION_SECRETS, ENHANCED_PACKET]
        );
    }
}
