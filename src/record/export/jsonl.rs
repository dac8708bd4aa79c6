//! `export --format jsonl` without derived messages: one JSON object per recorded event, the
//! line `--headless --json` prints for it. (The command line adds the `message` events the
//! recorded framing derives, through the headless replay, so that its output is exactly what
//! was printed live.)

use crate::record::Reader;
use std::io::{self, Read, Write};

pub fn write<R: Read>(reader: &mut Reader<R>, out: &mut impl Write) -> io::Result<()> {
    for (_, event) in reader.by_ref() {
        event.write_json_line(out)?;
    }
    out.flush()
}
