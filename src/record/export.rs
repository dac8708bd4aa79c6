//! Exports of a recording for other tools: [`jsonl`] (the `DESIGN.md` schema, as
//! `--headless --json` prints it), [`pcapng`] (synthesised packets for Wireshark), and
//! [`hexdump`] (every chunk as hex and ASCII rows).
//!
//! Each reads events from a [`super::Reader`] until it ends and writes as it goes, so memory
//! stays flat however long the recording; the reader's ending then says whether the export
//! covers the whole recording.

pub mod hexdump;
pub mod jsonl;
pub mod pcapng;
