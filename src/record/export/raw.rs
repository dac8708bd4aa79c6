//! `export --format raw --conn N --dir in|out`: the bytes socket N received (`in`) or sent
//! (`out`), exactly, in order and nothing else, for `diff`, `cmp` and other tools. Whatever
//! relay path moved them: under `--relay splice` they are `pipe_read` and `splice_out` bytes.

use crate::event::{ConnId, Dir};
use crate::record::Reader;
use std::io::{self, Read, Write};

pub fn write<R: Read>(
    reader: &mut Reader<R>,
    out: &mut impl Write,
    conn: ConnId,
    dir: Dir,
) -> io::Result<()> {
    for (_, event) in reader.by_ref() {
        if let Some((c, d, data)) = event.kind.bytes_moved()
            && (c, d) == (conn, dir)
        {
            out.write_all(data)?;
        }
    }
    out.flush()
}
