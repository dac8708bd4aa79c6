//! `export --format hexdump`: every chunk received or sent, as a header line and rows of hex
//! and ASCII, in the order the calls were made.
//!
//! ```text
//! #2 connected 127.0.0.1:41234 -> 127.0.0.1:9000
//! #2 -> send 0.000731 11 bytes, offsets 0..11
//!   00000000  68 65 6c 6c 6f 20 77 6f  72 6c 64              |hello world|
//! ```
//!
//! `->` is sent, `<-` received (`send` and `recv` name the direction, whichever call moved the
//! bytes: a `sendto`, a splice relay's `splice_out`); the time is seconds since the session
//! started; the offsets are positions in that connection's stream in that direction (end
//! exclusive), so the rows of one direction read as one continuous dump. Only printable ASCII
//! reaches the output: other bytes are `.` in the ASCII column and `\xNN` in addresses.

use super::select::Selection;
use crate::event::{Address, ConnId, Dir, EventKind};
use crate::record::Reader;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Read, Write};

const ROW: usize = 16;

pub fn write<R: Read>(reader: &mut Reader<R>, out: &mut impl Write) -> io::Result<()> {
    write_selected(reader, out, &Selection::all())
}

/// [`write`], of the events `selection` keeps.
pub fn write_selected<R: Read>(
    reader: &mut Reader<R>,
    out: &mut impl Write,
    selection: &Selection,
) -> io::Result<()> {
    let mut offsets: HashMap<(ConnId, Dir), u64> = HashMap::new();
    let mut text = String::new();
    for (_, event) in reader.by_ref().filter(|(_, event)| selection.keeps(event)) {
        text.clear();
        let time = format!("{}.{:06}", event.t_us / 1_000_000, event.t_us % 1_000_000);
        match &event.kind {
            EventKind::Accept { conn, local, peer, .. } => {
                let _ = writeln!(text, "{conn} accepted {} <- {}", safe(local), safe(peer));
            }
            EventKind::Connected { conn, local, peer } => {
                let _ = writeln!(text, "{conn} connected {} -> {}", safe(local), safe(peer));
            }
            kind => {
                let Some((conn, dir, data)) = kind.bytes_moved() else { continue };
                chunk(&mut text, &mut offsets, conn, dir, &time, data);
            }
        }
        out.write_all(text.as_bytes())?;
    }
    out.flush()
}

fn chunk(
    text: &mut String,
    offsets: &mut HashMap<(ConnId, Dir), u64>,
    conn: ConnId,
    dir: Dir,
    time: &str,
    data: &[u8],
) {
    if data.is_empty() {
        return;
    }
    let start = offsets.entry((conn, dir)).or_default();
    let from = *start;
    let to = from + data.len() as u64;
    *start = to;
    let (arrow, call) = match dir {
        Dir::In => ("<-", "recv"),
        Dir::Out => ("->", "send"),
    };
    let _ =
        writeln!(text, "{conn} {arrow} {call} {time} {} bytes, offsets {from}..{to}", data.len());
    for (row, offset) in data.chunks(ROW).zip((from..).step_by(ROW)) {
        let _ = write!(text, "  {offset:08x}  ");
        for column in 0..ROW {
            match row.get(column) {
                Some(byte) => {
                    let _ = write!(text, "{byte:02x} ");
                }
                None => text.push_str("   "),
            }
            if column == ROW / 2 - 1 {
                text.push(' ');
            }
        }
        text.push_str(" |");
        text.extend(
            row.iter()
                .map(|&b| if b == b' ' || b.is_ascii_graphic() { char::from(b) } else { '.' }),
        );
        text.push_str("|\n");
    }
}

/// An address as text with anything but printable ASCII as `\xNN` (a peer can choose the
/// path of its Unix socket).
fn safe(address: &Address) -> String {
    address.to_string().bytes().fold(String::new(), |mut s, b| {
        if b == b' ' || b.is_ascii_graphic() && b != b'\\' {
            s.push(char::from(b));
        } else {
            let _ = write!(s, "\\x{b:02x}");
        }
        s
    })
}
