//! Exports of a recording for other tools: [`jsonl`] (the `docs/events.md` contract, as
//! `--headless --json` prints it), [`pcapng`] (synthesised packets for Wireshark),
//! with a TLS session's secrets or its plaintext (see [`tls`]),
//! [`hexdump`] (every chunk as hex and ASCII rows) and [`raw`] (one direction's bytes), of
//! every connection or of those a [`select::Selection`] keeps.
//!
//! Each reads events from a [`super::Reader`] until it ends and writes as it goes, so memory
//! stays flat however long the recording; the reader's ending then says whether the export
//! covers the whole recording.

pub mod hexdump;
pub mod jsonl;
pub mod pcapng;
pub mod raw;
pub mod select;
pub mod tls;
