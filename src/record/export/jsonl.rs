//! `export --format jsonl` without derived messages: one JSON object per recorded event, the
//! line `--headless --json` prints for it (with a traced call's `pid`, `syscall` and `fd`). (The command line adds the `message` events the
//! recorded framing derives, through the headless replay, so that its output is exactly what
//! was printed live.)

use crate::record::Reader;
use std::io::{self, Read, Write};

pub fn write<R: Read>(reader: &mut Reader<R>, out: &mut impl Write) -> io::Result<()> {
    while let Some((_, event)) = reader.next() {
        event.write_traced_json_line(reader.site().as_ref(), out)?;
    }
    out.flush()
}
