//! Search on a datagram socket's stream: its bytes are datagrams laid end to end, so a match
//! that runs from the end of one datagram into the next is bytes nobody sent together. Such
//! matches are passed over; the search goes on to the next one that lies within one datagram.

use crate::framing::Spec;
use crate::inspect::search::{self, ByteSource, Direction, Needle};
use crate::session::Stream;
use std::ops::Range;

/// Most matches across a boundary passed over in one search: a needle that matches at every
/// boundary of a huge stream gives up rather than freeze the UI.
const MAX_PASSED_OVER: usize = 100_000;

/// [`search::find`], and on a datagram-framed stream the first match within one datagram.
pub(super) fn find(
    stream: &Stream,
    needle: &Needle,
    source: &impl ByteSource,
    bounds: Range<u64>,
    from: u64,
    direction: Direction,
) -> Option<Range<u64>> {
    if !matches!(stream.spec(), Spec::Datagram) {
        return search::find(needle, source, bounds, from, direction);
    }
    let mut at = from;
    for _ in 0..MAX_PASSED_OVER {
        let found = search::find(needle, source, bounds.clone(), at, direction)?;
        if within_one_datagram(stream, &found) {
            return Some(found);
        }
        at = match direction {
            Direction::Forward => found.start.saturating_add(1),
            Direction::Backward => found.start,
        };
    }
    None
}

fn within_one_datagram(stream: &Stream, found: &Range<u64>) -> bool {
    let last = found.end.saturating_sub(1).max(found.start);
    stream.chunk_index_at(found.start) == stream.chunk_index_at(last)
}
