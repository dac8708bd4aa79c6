use super::*;

fn stage(framing: &str, pattern: &str) -> Stage {
    stage_with_limit(framing, pattern, 64)
}

fn stage_with_limit(framing: &str, pattern: &str, limit: usize) -> Stage {
    let rule =
        InterceptRule { framing: framing.parse().unwrap(), pattern: pattern.parse().unwrap() };
    Stage::new(rule, limit).unwrap()
}

fn texts(pieces: &[Bytes]) -> Vec<&[u8]> {
    pieces.iter().map(|b| &b[..]).collect()
}

#[test]
fn lines_are_cut_whole_whatever_the_chunks() {
    let mut s = stage("line", "");
    assert!(s.cut(Bytes::from_static(b"GET /")).is_empty());
    assert_eq!(s.staged_len(), 5, "a partial line waits");
    let pieces = s.cut(Bytes::from_static(b" x\r\nHost: a\nHo"));
    assert_eq!(texts(&pieces), [&b"GET / x\r\n"[..], b"Host: a\n"]);
    assert_eq!(s.finish().iter().map(|b| b.to_vec()).collect::<Vec<_>>(), [b"Ho".to_vec()]);
}

#[test]
fn raw_cuts_each_chunk_and_a_long_message_is_cut_at_the_limit() {
    let mut raw = stage("raw", "");
    assert_eq!(texts(&raw.cut(Bytes::from_static(b"abc"))), [&b"abc"[..]]);
    let mut line = stage("line", "");
    assert!(line.cut(Bytes::from(vec![b'a'; 40])).is_empty());
    let cut = line.cut(Bytes::from(vec![b'a'; 40]));
    assert_eq!(cut.iter().map(Bytes::len).sum::<usize>(), 80, "nothing lost");
    assert_eq!(line.staged_len(), 0);
}

#[test]
fn patterns_pick_the_held_messages() {
    assert!(stage("raw", "").matches(b"anything"));
    assert!(stage("raw", "GET").matches(b"a GET b"));
    assert!(!stage("raw", "GET").matches(b"get"));
    assert!(stage("raw", "hex:00ff").matches(&[1, 0, 255]));
    assert!(stage("raw", "re:^P(OST|UT) ").matches(b"PUT /x"));
    assert!(!stage("raw", "re:^P(OST|UT) ").matches(b"GET /x"));
    let rule = InterceptRule { framing: Spec::Raw, pattern: "re:(".parse().unwrap() };
    assert!(Stage::new(rule, 64).unwrap_err().contains("does not compile"));
}

#[test]
fn held_messages_keep_their_place() {
    let mut s = stage("raw", "");
    s.wait(Some(HoldId(1)), Bytes::from_static(b"one"));
    s.wait(None, Bytes::from_static(b"two"));
    s.wait(Some(HoldId(2)), Bytes::from_static(b"three"));
    assert!(s.ready().is_empty(), "all wait behind the first held");
    assert_eq!(s.release(HoldId(2), Release::Drop), Some(Bytes::new()));
    assert!(s.ready().is_empty(), "a later release still waits");
    assert_eq!(s.release(HoldId(1), Release::Edit(Bytes::from_static(b"ONE!"))).unwrap(), "ONE!");
    assert_eq!(texts(&s.ready()), [&b"ONE!"[..], b"two"]);
    assert_eq!(s.staged_len(), 0);
    assert_eq!(s.release(HoldId(1), Release::Forward), None, "released only once");
}

#[test]
fn ending_gives_back_everything_in_order() {
    let mut s = stage("line", "");
    s.wait(Some(HoldId(7)), Bytes::from_static(b"held\n"));
    s.wait(None, Bytes::from_static(b"after\n"));
    assert!(s.cut(Bytes::from_static(b"part")).is_empty());
    let all = s.take_all();
    let holds: Vec<_> = all.iter().map(|(hold, _)| *hold).collect();
    assert_eq!(holds, [Some(HoldId(7)), None, None]);
    let bytes: Vec<u8> = all.iter().flat_map(|(_, b)| b.to_vec()).collect();
    assert_eq!(bytes, b"held\nafter\npart");
}

#[test]
fn each_message_holds_only_its_own_bytes() {
    let mut s = stage_with_limit("line", "", 1 << 20);
    let chunk: Vec<u8> = b"0123456789abcde\n".repeat(1000);
    let pieces = s.cut(Bytes::from(chunk));
    assert_eq!(pieces.len(), 1000);
    // A piece that kept the buffer it was cut from would hold it all, for sixteen bytes.
    let held: usize = pieces
        .into_iter()
        .map(|piece| piece.try_into_mut().map_or(usize::MAX, |bytes| bytes.capacity()))
        .sum();
    assert_eq!(held, 16_000);
}

mod chunking {
    use super::*;
    use proptest::prelude::*;

    /// The pieces of `bytes` fed in chunks cut at `cuts`, then the sender's EOF.
    fn pieces(framing: &str, bytes: &[u8], cuts: &[usize], limit: usize) -> Vec<Vec<u8>> {
        let mut s = stage_with_limit(framing, "", limit);
        let mut at = 0;
        let mut out = Vec::new();
        for end in cuts.iter().map(|c| c % (bytes.len() + 1)).chain([bytes.len()]) {
            let end = end.max(at);
            out.extend(s.cut(Bytes::copy_from_slice(&bytes[at..end])));
            at = end;
        }
        out.extend(s.finish());
        assert_eq!(s.staged_len(), 0);
        out.into_iter().map(|b| b.to_vec()).collect()
    }

    proptest! {
        /// Every byte comes out once, in order; under a limit no smaller than any line, the
        /// pieces are the lines whatever the chunking.
        #[test]
        fn any_chunking_gives_the_same_lines(
            bytes in proptest::collection::vec(prop_oneof![Just(b'\n'), any::<u8>()], 0..300),
            mut cuts in proptest::collection::vec(any::<usize>(), 0..12),
            framing in prop_oneof![Just("line"), Just("len:u8"), Just("raw")],
        ) {
            cuts.sort_unstable_by_key(|c| c % (bytes.len() + 1));
            let whole = pieces(framing, &bytes, &[], 1 << 20);
            let chunked = pieces(framing, &bytes, &cuts, 1 << 20);
            prop_assert_eq!(chunked.concat(), bytes.clone());
            if framing != "raw" {
                prop_assert_eq!(&chunked, &whole);
            }
            let small = pieces(framing, &bytes, &cuts, 7);
            prop_assert_eq!(small.concat(), bytes);
        }
    }
}
