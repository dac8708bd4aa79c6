//! `export --format raw --conn N --dir in|out`: the bytes socket N received (`in`) or sent
//! (`out`), exactly, in order and nothing else, for `diff`, `cmp` and other tools.

use crate::event::{ConnId, Dir, EventKind};
use crate::record::Reader;
use std::io::{self, Read, Write};

pub fn write<R: Read>(
    reader: &mut Reader<R>,
    out: &mut impl Write,
    conn: ConnId,
    dir: Dir,
) -> io::Result<()> {
    for (_, event) in reader.by_ref() {
        let data = match (&event.kind, dir) {
            (
                EventKind::Recv { conn: c, data, .. } | EventKind::RecvFrom { conn: c, data, .. },
                Dir::In,
            )
            | (
                EventKind::Send { conn: c, data, .. } | EventKind::SendTo { conn: c, data, .. },
                Dir::Out,
            ) if *c == conn => data,
            _ => continue,
        };
        out.write_all(data)?;
    }
    out.flush()
}
