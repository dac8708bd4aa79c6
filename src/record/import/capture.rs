//! Reading a pcap or pcapng capture as a stream of frames, with `pcap-parser`.
//!
//! The reader starts with a 64 KiB buffer and grows it (doubling) only while a block that the
//! file really holds does not fit, up to [`MAX_BLOCK`]: a damaged length in a small file ends
//! as a truncation once the file is read, never as an allocation of what the length claims.
//! Timestamps become microseconds since the Unix epoch: classic pcap in micro- or nanoseconds
//! (by its magic), pcapng by each interface's `if_tsresol` and `if_tsoffset`.

use pcap_parser::pcapng::Block;
use pcap_parser::traits::{PcapNGPacketBlock, PcapReaderIterator};
use pcap_parser::{PcapBlockOwned, PcapError, create_reader};
use std::fmt;
use std::io::Read;

/// First size of the read buffer.
const INITIAL_BUFFER: usize = 64 * 1024;
/// Largest block (packet record) accepted: far above any snapshot length tools use (256 KiB).
pub const MAX_BLOCK: usize = 16 << 20;

/// One captured frame: when, on what kind of link, and the bytes captured.
#[derive(Debug)]
pub struct Frame<'a> {
    pub unix_us: u64,
    /// The link type (`LINKTYPE_*` number) of the interface it was captured on.
    pub link: i32,
    pub data: &'a [u8],
}

/// Why reading stopped before the end of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The file ends inside a block (a capture cut short, or still being written).
    Truncated { at: usize },
    /// A block could not be parsed; nothing after it is read.
    Corrupt { at: usize, why: String },
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Truncated { at } => write!(f, "the capture is truncated at byte {at}"),
            Self::Corrupt { at, why } => write!(f, "the capture is damaged at byte {at} ({why})"),
        }
    }
}

/// Why the file is not a capture at all.
#[derive(Debug)]
pub enum OpenError {
    Empty,
    NotACapture,
    Read,
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("the file is empty"),
            Self::NotACapture => f.write_str("not a pcap or pcapng capture"),
            Self::Read => f.write_str("reading it failed"),
        }
    }
}

/// A pcapng interface: its link type and how its timestamps count.
#[derive(Clone, Copy, Debug)]
struct Interface {
    link: i32,
    /// Units per second; `None`: an `if_tsresol` no clock has (packets are skipped).
    units: Option<u64>,
    offset_s: i64,
}

/// What the blocks read so far say about the packets that follow.
#[derive(Debug, Default)]
struct Context {
    /// Classic pcap: the link type and whether timestamps are in nanoseconds.
    legacy: Option<(i32, bool)>,
    /// pcapng: the current section's interfaces.
    interfaces: Vec<Interface>,
    /// pcapng simple packets carry no time: they take the previous packet's.
    last_us: u64,
    /// Packets that cannot be placed (unknown interface, impossible resolution).
    unusable: u64,
}

/// Calls `each` for every frame in `input`; the result says whether the whole file was read
/// (`None`) or where it stopped, and how many packets could not be used.
pub fn read_frames(
    input: impl Read + Send,
    mut each: impl FnMut(&Frame<'_>),
) -> Result<(Option<Stop>, u64), OpenError> {
    let mut reader = create_reader(INITIAL_BUFFER, input).map_err(|err| match err {
        PcapError::Eof => OpenError::Empty,
        PcapError::ReadError => OpenError::Read,
        _ => OpenError::NotACapture,
    })?;
    let mut capacity = INITIAL_BUFFER;
    let mut context = Context::default();
    let stop = loop {
        match reader.next() {
            Ok((length, block)) => {
                context.take(&block, &mut each);
                reader.consume(length);
            }
            Err(PcapError::Eof) => break None,
            Err(PcapError::UnexpectedEof) => break Some(Stop::Truncated { at: reader.consumed() }),
            Err(PcapError::Incomplete(_) | PcapError::BufferTooSmall) => {
                if let Err(stop) = read_more(&mut *reader, &mut capacity) {
                    break Some(stop);
                }
            }
            Err(err) => {
                let why = match err {
                    PcapError::HeaderNotRecognized => "an unknown header".to_owned(),
                    PcapError::ReadError => "reading failed".to_owned(),
                    PcapError::NomError(_, kind) | PcapError::OwnedNomError(_, kind) => {
                        format!("a malformed block ({kind:?})")
                    }
                    _ => "an unreadable block".to_owned(),
                };
                break Some(Stop::Corrupt { at: reader.consumed(), why });
            }
        }
    };
    Ok((stop, context.unusable))
}

/// Reads more of the file into the buffer, growing it when it is full. Fails when the file
/// cannot be read, or when a block would need more than [`MAX_BLOCK`].
fn read_more(reader: &mut dyn PcapReaderIterator, capacity: &mut usize) -> Result<(), Stop> {
    let before = reader.data().len();
    let at = reader.consumed();
    if reader.refill().is_err() {
        return Err(Stop::Corrupt { at, why: "reading failed".into() });
    }
    if reader.data().len() > before || reader.reader_exhausted() {
        return Ok(());
    }
    if *capacity >= MAX_BLOCK {
        let why = format!("a block longer than {} MiB", MAX_BLOCK >> 20);
        return Err(Stop::Corrupt { at, why });
    }
    *capacity = (*capacity * 2).min(MAX_BLOCK);
    reader.grow(*capacity);
    Ok(())
}

impl Context {
    fn take(&mut self, block: &PcapBlockOwned<'_>, each: &mut impl FnMut(&Frame<'_>)) {
        match block {
            PcapBlockOwned::LegacyHeader(header) => {
                self.legacy = Some((header.network.0, header.is_nanosecond_precision()));
            }
            PcapBlockOwned::Legacy(packet) => {
                let Some((link, nanos)) = self.legacy else { return };
                let fraction = u64::from(packet.ts_usec);
                let fraction = if nanos { fraction / 1000 } else { fraction };
                let unix_us = u64::from(packet.ts_sec) * 1_000_000 + fraction;
                self.emit(&Frame { unix_us, link, data: packet.data }, each);
            }
            PcapBlockOwned::NG(block) => self.take_ng(block, each),
        }
    }

    fn take_ng(&mut self, block: &Block<'_>, each: &mut impl FnMut(&Frame<'_>)) {
        match block {
            Block::SectionHeader(_) => self.interfaces.clear(),
            Block::InterfaceDescription(idb) => self.interfaces.push(Interface {
                link: idb.linktype.0,
                units: idb.ts_resolution(),
                offset_s: idb.ts_offset(),
            }),
            Block::EnhancedPacket(epb) => {
                let interface =
                    usize::try_from(epb.if_id).ok().and_then(|i| self.interfaces.get(i));
                let Some(&Interface { link, units: Some(units), offset_s }) = interface else {
                    self.unusable += 1;
                    return;
                };
                let ticks = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                let unix_us = micros(ticks, units, offset_s);
                self.emit(&Frame { unix_us, link, data: epb.packet_data() }, each);
            }
            Block::SimplePacket(spb) => {
                let Some(&Interface { link, .. }) = self.interfaces.first() else {
                    self.unusable += 1;
                    return;
                };
                let frame = Frame { unix_us: self.last_us, link, data: spb.packet_data() };
                self.emit(&frame, each);
            }
            Block::NameResolution(_)
            | Block::InterfaceStatistics(_)
            | Block::SystemdJournalExport(_)
            | Block::DecryptionSecrets(_)
            | Block::ProcessInformation(_)
            | Block::Custom(_)
            | Block::Unknown(_) => {}
        }
    }

    fn emit(&mut self, frame: &Frame<'_>, each: &mut impl FnMut(&Frame<'_>)) {
        self.last_us = frame.unix_us;
        each(frame);
    }
}

/// `ticks` at `units` per second, plus `offset_s` seconds, in microseconds since the epoch
/// (0 before it, `u64::MAX` past what a `u64` holds).
fn micros(ticks: u64, units: u64, offset_s: i64) -> u64 {
    let us =
        i128::from(ticks) * 1_000_000 / i128::from(units.max(1)) + i128::from(offset_s) * 1_000_000;
    u64::try_from(us.max(0)).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::micros;

    #[test]
    fn timestamps_honour_the_resolution_and_offset() {
        assert_eq!(micros(1_500_000, 1_000_000, 0), 1_500_000);
        assert_eq!(micros(1_500_000_123, 1_000_000_000, 0), 1_500_000);
        assert_eq!(micros(3, 2, 10), 11_500_000, "binary resolution 2^1");
        assert_eq!(micros(5, 1, -10), 0, "before the epoch");
    }
}
