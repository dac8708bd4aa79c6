//! The layout of a recording: preamble, record framing, record types and limits.
//!
//! ```text
//! preamble  magic (11)  89 53 53 43 4f 50 45 0d 0a 1a 0a   "\x89SSCOPE\r\n\x1a\n"
//!           major u16le, minor u16le
//!           crc32 u32le of the 15 bytes above
//! record    type u8 | length u32le | body (length bytes) | crc32 u32le of type, length and body
//! ```
//!
//! The preamble's layout is frozen for every version, so that any reader can say which version
//! a file is before deciding whether it can read it. The magic follows PNG's: the high-bit
//! first byte catches a 7-bit transfer, `\r\n` a line-ending conversion either way, `\x1a` a
//! DOS `type`. Every record carries its own CRC-32, so a torn or flipped record is found where
//! it is and every record before it stays readable. A length is checked against [`MAX_BODY`]
//! before anything is allocated for it.

/// The first bytes of every recording.
pub const MAGIC: [u8; 11] = *b"\x89SSCOPE\r\n\x1a\n";
/// The format this build writes. A reader refuses a newer major version. Version 2 added the
/// relayed send, which a version 1 reader could not do without: hence a new major version.
pub const MAJOR: u16 = 2;
/// The first version ever written was 1.0.
pub const FIRST_MAJOR: u16 = 1;
/// Minor versions only add record types or trailing fields, which older readers skip. 2.1
/// appended `select()`'s three lists to the `ready` record; 2.2 added the `fault` record; 2.3
/// appended the session's wall-clock start to the `session` record; 2.4 added the
/// `intercept`, `held`, `released` and `inject` records; 2.5 added the `recvfrom` and `sendto`
/// records and datagram addresses (`udp:`, `unixgram:`); 2.6 added the `tls`, `tls_read` and
/// `tls_write` records and the `tls` error kind; 2.7 added the `tls_secrets` record; 2.8 added
/// the `call_site` record (a traced program's process, system call and descriptor, before the
/// event they belong to); 2.9 added the `splice_in`, `tee`, `pipe_read` and `splice_out`
/// records of `--relay splice`, the relayed splice, and the `splice`, `tee` and `read` ops.
pub const MINOR: u16 = 9;
/// Magic, major, minor, CRC-32.
pub const PREAMBLE_LEN: usize = MAGIC.len() + 2 + 2 + 4;
/// Type and length before a record's body.
pub const RECORD_HEADER_LEN: usize = 1 + 4;
/// The CRC-32 after a record's body.
pub const RECORD_TRAILER_LEN: usize = 4;
/// Largest body a record may declare. Checked before allocating, so a damaged length costs
/// nothing; payloads larger than [`PAYLOAD_PART`] are split (see [`RecordType::DataPart`]).
pub const MAX_BODY: usize = 16 << 20;
/// Largest piece of payload one record holds.
pub const PAYLOAD_PART: usize = 8 << 20;
/// Largest payload one event may carry once its parts are joined: a reader refuses more.
pub const MAX_PAYLOAD: usize = 1 << 30;

/// What a record holds. The numbers are part of the format and never change meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordType {
    /// Right after the preamble: when and by what the file was written.
    Start,
    /// The wall-clock time at which the session clock read some `t_us`.
    Clock,
    /// The writer closed the file properly; holds the number of events written.
    End,
    /// Payload bytes that belong in front of the next payload event's own data.
    DataPart,
    /// TLS key log lines (see `super::secrets`): no event, so never counted or replayed.
    /// Since version 2.7.
    TlsSecrets,
    /// The traced call the next event came from (`sockscope trace`). Since version 2.8.
    CallSite,
    /// One event, the kind given by the type number.
    Event(EventType),
}

/// One record type per [`crate::event::EventKind`], so that a kind added in a later minor
/// version is a type an older reader skips.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventType {
    Session,
    Listen,
    Accept,
    Connect,
    Connected,
    Ready,
    Recv,
    Send,
    WouldBlock,
    Eof,
    Shutdown,
    Reset,
    Close,
    Error,
    Option,
    Interest,
    Message,
    /// A `send` whose bytes are the next ones its pair received (see `record::relay`): the
    /// counts and the pair, no payload. Since version 2.0.
    RelayedSend,
    /// A fault was set, removed or took effect. Since version 2.2.
    Fault,
    /// Holding one direction of a pair started or stopped. Since version 2.4.
    Intercept,
    /// A message was held. Since version 2.4.
    Held,
    /// A held message was forwarded, edited or dropped. Since version 2.4.
    Released,
    /// Bytes were injected toward one side of a pair. Since version 2.4.
    Inject,
    /// A datagram received with `recvfrom`, with its sender. Since version 2.5.
    RecvFrom,
    /// A datagram sent with `sendto`, with its destination. Since version 2.5.
    SendTo,
    /// A TLS stage: hello, established, alert, `close_notify`. Since version 2.6.
    Tls,
    /// Plaintext a TLS connection decrypted. Since version 2.6.
    TlsRead,
    /// Plaintext handed to a TLS connection to encrypt. Since version 2.6.
    TlsWrite,
    /// `splice` from a socket into the relay pipe: counts only. Since version 2.9.
    SpliceIn,
    /// `tee` of the relay pipe: a count only. Since version 2.9.
    Tee,
    /// `read` of the duplicate pipe: the bytes received. Since version 2.9.
    PipeRead,
    /// `splice` from the relay pipe into a socket, with its bytes. Since version 2.9.
    SpliceOut,
    /// A `splice_out` whose bytes are the next ones its pair's `pipe_read`s saw (like
    /// [`Self::RelayedSend`]): the counts and the pair, no payload. Since version 2.9.
    RelayedSpliceOut,
}

impl EventType {
    /// Whether the event carries payload bytes (which `DataPart` records may precede).
    #[must_use]
    pub fn has_payload(self) -> bool {
        matches!(
            self,
            Self::Recv
                | Self::Send
                | Self::Message
                | Self::Held
                | Self::Released
                | Self::Inject
                | Self::RecvFrom
                | Self::SendTo
                | Self::TlsRead
                | Self::TlsWrite
                | Self::PipeRead
                | Self::SpliceOut
        )
    }
}

impl RecordType {
    #[must_use]
    pub fn code(self) -> u8 {
        match self {
            Self::Start => 0x01,
            Self::Clock => 0x02,
            Self::End => 0x03,
            Self::DataPart => 0x04,
            Self::TlsSecrets => super::codes::TLS_SECRETS,
            Self::CallSite => super::codes::CALL_SITE,
            Self::Event(kind) => super::codes::event_types::code(kind),
        }
    }

    /// The type a code stands for in this version; `None` for a code this build does not know.
    #[must_use]
    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            0x01 => Some(Self::Start),
            0x02 => Some(Self::Clock),
            0x03 => Some(Self::End),
            0x04 => Some(Self::DataPart),
            super::codes::TLS_SECRETS => Some(Self::TlsSecrets),
            super::codes::CALL_SITE => Some(Self::CallSite),
            _ => super::codes::event_types::from_code(code).map(Self::Event),
        }
    }
}

/// What the `Start` record says about a recording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartInfo {
    /// When the file was created, in microseconds since the Unix epoch.
    pub created_unix_us: u64,
    /// `sockscope X.Y.Z`.
    pub tool: String,
    /// The `--framing` spec the session was shown with (as text, e.g. `len:u16be`) and its
    /// message cap, so a replay can cut the streams the same way; `None` if not known.
    pub framing: Option<(String, usize)>,
}

impl StartInfo {
    /// A recording created now by this build.
    #[must_use]
    pub fn now(framing: Option<(String, usize)>) -> Self {
        Self {
            created_unix_us: super::encoder::unix_micros(),
            tool: crate::event::tool_name(),
            framing,
        }
    }
}

/// The preamble this build writes.
#[must_use]
pub fn preamble() -> [u8; PREAMBLE_LEN] {
    preamble_for(MAJOR, MINOR)
}

/// A preamble for any version (tests write files of other versions with it).
#[must_use]
pub fn preamble_for(major: u16, minor: u16) -> [u8; PREAMBLE_LEN] {
    let mut out = [0; PREAMBLE_LEN];
    out[..11].copy_from_slice(&MAGIC);
    out[11..13].copy_from_slice(&major.to_le_bytes());
    out[13..15].copy_from_slice(&minor.to_le_bytes());
    let crc = crc32fast::hash(&out[..15]);
    out[15..].copy_from_slice(&crc.to_le_bytes());
    out
}

/// A version found in a file's preamble.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version {
    pub major: u16,
    pub minor: u16,
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Why the first bytes of a file are not a preamble this build can read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreambleError {
    /// Fewer bytes than a preamble.
    Short(usize),
    /// Not a recording at all; says what it looks like instead.
    NotARecording(&'static str),
    /// A recording damaged on the way (text-mode transfer, 7-bit channel, flipped bits).
    Damaged(&'static str),
    /// A newer major version than this build reads.
    Newer(Version),
    /// A version no sockscope ever wrote (major 0): the preamble's checksum matches, so the
    /// file was made that way, not damaged on the way; it is refused all the same.
    NeverWritten(Version),
}

/// Checks a preamble and returns the file's version.
pub fn check_preamble(bytes: &[u8]) -> Result<Version, PreambleError> {
    if let Some(damage) = text_mode_damage(bytes) {
        return Err(PreambleError::Damaged(damage));
    }
    if bytes.len() < PREAMBLE_LEN {
        return Err(if MAGIC.starts_with(bytes) || bytes.starts_with(&MAGIC) {
            PreambleError::Short(bytes.len())
        } else {
            PreambleError::NotARecording(looks_like(bytes))
        });
    }
    if bytes[..11] != MAGIC {
        return Err(PreambleError::NotARecording(looks_like(bytes)));
    }
    let stored = u32::from_le_bytes([bytes[15], bytes[16], bytes[17], bytes[18]]);
    if crc32fast::hash(&bytes[..15]) != stored {
        return Err(PreambleError::Damaged("the version bytes fail their checksum"));
    }
    let version = Version {
        major: u16::from_le_bytes([bytes[11], bytes[12]]),
        minor: u16::from_le_bytes([bytes[13], bytes[14]]),
    };
    if version.major > MAJOR {
        return Err(PreambleError::Newer(version));
    }
    if version.major < FIRST_MAJOR {
        return Err(PreambleError::NeverWritten(version));
    }
    Ok(version)
}

/// Recognises the usual ways a transfer in text mode mangles the magic.
fn text_mode_damage(bytes: &[u8]) -> Option<&'static str> {
    let damaged = |tail: &[u8]| bytes.starts_with(&[&MAGIC[..7], tail].concat());
    if damaged(b"\n\x1a\n") {
        Some("its \\r\\n became \\n: it was copied as text (CRLF to LF)")
    } else if damaged(b"\r\r\n\x1a\r\n") || damaged(b"\r\n\x1a\r\n") {
        Some("its \\n became \\r\\n: it was copied as text (LF to CRLF)")
    } else if bytes.starts_with(b"\x09SSCOPE") {
        Some("its first byte lost the high bit: it went through a 7-bit channel")
    } else if bytes.starts_with(b"\xef\xbf\xbdSSCOPE") || bytes.starts_with(b"\xc2\x89SSCOPE") {
        Some("it was re-encoded as text (UTF-8)")
    } else {
        None
    }
}

fn looks_like(bytes: &[u8]) -> &'static str {
    if bytes.is_empty() {
        "the file is empty"
    } else if bytes.starts_with(b"{\"ev\"") {
        "it looks like a JSON Lines event log (export or --json output), not a recording"
    } else if bytes.starts_with(&[0x0a, 0x0d, 0x0d, 0x0a]) {
        "it looks like a pcapng capture, not a recording"
    } else {
        "it does not start with the sockscope recording magic"
    }
}

/// CRC-32 of a record: its type, length and body.
#[must_use]
pub fn record_crc(code: u8, length: u32, parts: &[&[u8]]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&[code]);
    hasher.update(&length.to_le_bytes());
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_stable() {
        assert_eq!(RecordType::Event(EventType::Session).code(), 0x10);
        assert_eq!(RecordType::Event(EventType::Message).code(), 0x20);
        for code in 0..=u8::MAX {
            if let Some(kind) = RecordType::from_code(code) {
                assert_eq!(kind.code(), code);
            }
        }
        assert_eq!(RecordType::from_code(0x21), Some(RecordType::Event(EventType::RelayedSend)));
        assert_eq!(RecordType::from_code(0x22), Some(RecordType::Event(EventType::Fault)));
        assert_eq!(RecordType::from_code(0x26), Some(RecordType::Event(EventType::Inject)));
        assert_eq!(RecordType::from_code(0x27), Some(RecordType::Event(EventType::RecvFrom)));
        assert_eq!(RecordType::from_code(0x28), Some(RecordType::Event(EventType::SendTo)));
        assert_eq!(RecordType::from_code(0x29), Some(RecordType::Event(EventType::Tls)));
        assert_eq!(RecordType::from_code(0x2b), Some(RecordType::Event(EventType::TlsWrite)));
        assert_eq!(RecordType::from_code(0x2c), Some(RecordType::TlsSecrets));
        assert_eq!(RecordType::from_code(0x2d), Some(RecordType::CallSite));
        assert_eq!(RecordType::from_code(0x2e), Some(RecordType::Event(EventType::SpliceIn)));
        let relayed = Some(RecordType::Event(EventType::RelayedSpliceOut));
        assert_eq!(RecordType::from_code(0x32), relayed);
        assert_eq!(RecordType::from_code(0x33), None);
        assert_eq!(RecordType::from_code(0), None);
    }

    #[test]
    fn preamble_checks_version_and_damage() {
        assert_eq!(check_preamble(&preamble()), Ok(Version { major: MAJOR, minor: MINOR }));
        assert_eq!(
            check_preamble(&preamble_for(3, 1)),
            Err(PreambleError::Newer(Version { major: 3, minor: 1 }))
        );
        let crlf_to_lf: Vec<u8> = [&MAGIC[..7], b"\n\x1a\n", &preamble()[11..]].concat();
        assert!(matches!(check_preamble(&crlf_to_lf), Err(PreambleError::Damaged(_))));
        let mut flipped = preamble();
        flipped[12] ^= 1;
        assert!(matches!(check_preamble(&flipped), Err(PreambleError::Damaged(_))));
        assert!(matches!(
            check_preamble(b"{\"ev\":\"session\"}"),
            Err(PreambleError::NotARecording(_))
        ));
        assert_eq!(check_preamble(&preamble()[..5]), Err(PreambleError::Short(5)));
    }
}
