//! Table tests: spec parsing and display, framing of hand-written streams, error states.

use super::*;

const KIB: usize = 1 << 10;
const MIB: usize = 1 << 20;

fn spec(text: &str) -> Spec {
    text.parse().unwrap_or_else(|error| panic!("{text}: {error}"))
}

fn message(start: u64, header_len: usize, body: &[u8], trailer_len: usize) -> Message {
    Message { start, header_len, body: body.to_vec(), trailer_len }
}

fn partial(start: u64, have: usize, need: Option<usize>, header_len: usize) -> Partial {
    let header_known = need.is_some() || header_len == 0;
    Partial { start, have, need, header_len, header_known }
}

#[test]
fn parses_every_valid_spec_to_its_canonical_form() {
    let len = |width, inclusive| Spec::Len { width, inclusive };
    let cases = [
        ("raw", Spec::Raw, "raw"),
        ("line", Spec::Line, "line"),
        ("eof", Spec::Eof, "eof"),
        ("delim:00", Spec::Delim(vec![0]), "delim:00"),
        ("delim:0D0a", Spec::Delim(vec![0x0d, 0x0a]), "delim:0d0a"),
        ("fixed:1", Spec::Fixed(1), "fixed:1"),
        ("fixed:0016", Spec::Fixed(16), "fixed:16"),
        ("len:u8", len(LenWidth::U8, false), "len:u8"),
        ("len:u16be", len(LenWidth::U16Be, false), "len:u16be"),
        ("len:u16le:incl", len(LenWidth::U16Le, true), "len:u16le:incl"),
        ("len:u32be", len(LenWidth::U32Be, false), "len:u32be"),
        ("len:u32le:incl", len(LenWidth::U32Le, true), "len:u32le:incl"),
        ("len:u64be:incl", len(LenWidth::U64Be, true), "len:u64be:incl"),
        ("len:u64le", len(LenWidth::U64Le, false), "len:u64le"),
        ("ascii:1", Spec::Ascii(1), "ascii:1"),
        ("ascii:20", Spec::Ascii(20), "ascii:20"),
    ];
    for (text, expected, canonical) in cases {
        let parsed = spec(text);
        assert_eq!(parsed, expected, "{text}");
        assert_eq!(parsed.to_string(), canonical, "{text}");
        assert_eq!(spec(canonical), expected, "{canonical} must round-trip");
    }
}

#[test]
fn rejects_bad_specs_with_a_message_naming_the_problem() {
    let long_delimiter = format!("delim:{}", "ab".repeat(MAX_DELIMITER_LEN + 1));
    let expected_kinds =
        "expected raw, line, delim:HEX, fixed:N, len:W[:incl], ascii:N, eof or datagram";
    let cases = [
        ("len:u24", "unknown width 'u24' (expected u8, u16be, u16le, u32be, u32le, u64be, u64le)"),
        ("fixed:0", "size must be at least 1"),
        ("delim:zz", "'zz' is not hex"),
        ("ascii:0", "needs at least 1 digit"),
        ("ascii:21", "21 digits is more than the 20 allowed"),
        ("delim:", "the delimiter must not be empty"),
        ("delim:abc", "'abc' has an odd number of hex digits (two per byte)"),
        ("delim:0x0a", "'0x0a' is not hex"),
        ("fixed:+5", "'+5' is not a decimal number"),
        ("fixed:-1", "'-1' is not a decimal number"),
        ("fixed: 5", "' 5' is not a decimal number"),
        ("fixed:1_0", "'1_0' is not a decimal number"),
        ("fixed:", "'' is not a decimal number"),
        ("fixed:99999999999999999999999", "'99999999999999999999999' is too large"),
        ("fixed", "fixed needs an argument, e.g. fixed:16"),
        ("len", "len needs an argument, e.g. len:u32be"),
        ("len:u16be:excl", "unknown option 'excl' (expected incl)"),
        ("line:x", "line takes no argument"),
        ("LINE", &format!("unknown framing 'LINE' ({expected_kinds})")),
        ("", &format!("unknown framing '' ({expected_kinds})")),
        (&long_delimiter, "a 65-byte delimiter is longer than the 64-byte limit"),
    ];
    for (text, problem) in cases {
        let error = text.parse::<Spec>().expect_err(text).to_string();
        assert_eq!(error, format!("{text}: {problem}"));
    }
    let error = "len:u24".parse::<Spec>().map_err(|error| error.to_string());
    let expected =
        "len:u24: unknown width 'u24' (expected u8, u16be, u16le, u32be, u32le, u64be, u64le)";
    assert_eq!(error, Err(expected.to_owned()));
}

#[test]
fn validate_rejects_what_only_the_cap_or_code_can_get_wrong() {
    let cases = [
        (
            Spec::Fixed(11),
            10,
            Some("fixed:11: size 11 exceeds the message cap of 10 bytes (see --max-message)"),
        ),
        (Spec::Fixed(10), 10, None),
        (Spec::Fixed(0), 10, Some("fixed:0: size must be at least 1")),
        (Spec::Delim(Vec::new()), 10, Some("delim:: the delimiter must not be empty")),
        (Spec::Ascii(0), 10, Some("ascii:0: needs at least 1 digit")),
        (Spec::Ascii(40), 10, Some("ascii:40: 40 digits is more than the 20 allowed")),
        (Spec::Line, 0, None),
    ];
    for (spec, cap, expected) in cases {
        let error = spec.validate(cap).err().map(|error| error.to_string());
        assert_eq!(error.as_deref(), expected, "{spec:?}");
    }
}

#[test]
fn human_size_prefers_round_units() {
    let cases = [
        (DEFAULT_MAX_MESSAGE, "16 MiB"),
        (MIB, "1 MiB"),
        (64 * KIB, "64 KiB"),
        (3 << 30, "3 GiB"),
        (MIB + 1, "1048577 bytes"),
        (1, "1 byte"),
        (0, "0 bytes"),
    ];
    for (bytes, expected) in cases {
        assert_eq!(human_size(bytes), expected);
    }
}

#[test]
fn find_locates_the_first_whole_needle() {
    let cases: [(&[u8], &[u8], Option<usize>); 8] = [
        (b"abc\r\n", b"\r\n", Some(3)),
        (b"aaab", b"aab", Some(1)),
        (b"abab", b"bab", Some(1)),
        (b"aa", b"aab", None),
        (b"", b"a", None),
        (b"abc", b"", None),
        (b"\0", b"\0", Some(0)),
        (b"x\rx\r\n", b"\r\n", Some(3)),
    ];
    for (haystack, needle, expected) in cases {
        assert_eq!(find(haystack, needle), expected, "{haystack:?} {needle:?}");
    }
}

/// Feeds `chunks` and collects every message.
fn feed(framer: &mut Framer, chunks: &[&[u8]]) -> Vec<Message> {
    chunks.iter().flat_map(|chunk| framer.push(chunk)).collect()
}

#[test]
fn frames_hand_written_streams() {
    struct Case {
        spec: &'static str,
        chunks: &'static [&'static [u8]],
        messages: Vec<Message>,
        partial: Option<Partial>,
    }
    let cases = [
        Case {
            spec: "line",
            chunks: &[b"hello\r\nwor", b"ld\n\npart"],
            messages: vec![
                message(0, 0, b"hello", 2),
                message(7, 0, b"world", 1),
                message(13, 0, b"", 1),
            ],
            partial: Some(partial(14, 4, None, 0)),
        },
        Case {
            spec: "line",
            chunks: &[b"a\r", b"\rb\r", b"\n"],
            messages: vec![message(0, 0, b"a\r\rb", 2)],
            partial: None,
        },
        Case {
            spec: "delim:0d0a",
            chunks: &[b"ab\r", b"\ncd\r", b"\r", b"\n", b"\r"],
            messages: vec![message(0, 0, b"ab", 2), message(4, 0, b"cd\r", 2)],
            partial: Some(partial(9, 1, None, 0)),
        },
        Case {
            spec: "delim:616162",
            chunks: &[b"xa", b"a", b"aab", b"aa"],
            messages: vec![message(0, 0, b"xaa", 3)],
            partial: Some(partial(6, 2, None, 0)),
        },
        Case {
            spec: "fixed:4",
            chunks: &[b"abcdefghij"],
            messages: vec![message(0, 0, b"abcd", 0), message(4, 0, b"efgh", 0)],
            partial: Some(partial(8, 2, Some(4), 0)),
        },
        Case {
            spec: "len:u16be",
            chunks: &[b"\x00", b"\x03abc\x00\x00\x00\x05x", b"y"],
            messages: vec![message(0, 2, b"abc", 0), message(5, 2, b"", 0)],
            partial: Some(partial(7, 4, Some(7), 2)),
        },
        Case {
            spec: "len:u32le:incl",
            chunks: &[b"\x06\x00\x00\x00hi\x04\x00\x00\x00\x07\x00"],
            messages: vec![message(0, 4, b"hi", 0), message(6, 4, b"", 0)],
            partial: Some(partial(10, 2, None, 4)),
        },
        Case {
            spec: "ascii:3",
            chunks: &[b"005hel", b"lo000", b"003ab"],
            messages: vec![message(0, 3, b"hello", 0), message(8, 3, b"", 0)],
            partial: Some(partial(11, 5, Some(6), 3)),
        },
        Case { spec: "raw", chunks: &[b"abc", b"\n"], messages: vec![], partial: None },
        Case {
            spec: "eof",
            chunks: &[b"abc", b"\n"],
            messages: vec![],
            partial: Some(partial(0, 4, None, 0)),
        },
    ];
    for case in cases {
        let mut framer = Framer::new(spec(case.spec), DEFAULT_MAX_MESSAGE);
        assert_eq!(feed(&mut framer, case.chunks), case.messages, "{}", case.spec);
        assert_eq!(framer.partial(), case.partial, "{}", case.spec);
        let stream_len: usize = case.chunks.iter().map(|chunk| chunk.len()).sum();
        let have = case.partial.map_or(0, |partial| partial.have as u64);
        assert_eq!(framer.stream_len(), stream_len as u64, "{}", case.spec);
        assert_eq!(framer.leftover_len(), have, "{}", case.spec);
        assert_eq!(framer.consumed(), stream_len as u64 - have, "{}", case.spec);
        assert_eq!(framer.error(), None, "{}", case.spec);
    }
}

#[test]
fn eof_framing_completes_at_finish_only_once() {
    let mut framer = Framer::new(Spec::Eof, DEFAULT_MAX_MESSAGE);
    assert_eq!(feed(&mut framer, &[b"ab", b"", b"c"]), []);
    assert_eq!(framer.finish(), [message(0, 0, b"abc", 0)]);
    assert_eq!(framer.partial(), None);
    assert_eq!(framer.consumed(), 3);
    assert_eq!(framer.finish(), []);
    assert_eq!(framer.push(b"late"), [], "nothing follows EOF");
    assert_eq!(framer.stream_len(), 3);

    let mut silent = Framer::new(Spec::Eof, DEFAULT_MAX_MESSAGE);
    assert_eq!(silent.finish(), [message(0, 0, b"", 0)], "an empty direction is one empty message");
}

#[test]
fn finish_leaves_an_incomplete_message_reported_as_partial() {
    let mut framer = Framer::new(spec("len:u8"), DEFAULT_MAX_MESSAGE);
    assert_eq!(framer.push(b"\x05abc"), []);
    assert_eq!(framer.finish(), []);
    assert!(framer.is_finished());
    assert_eq!(framer.partial(), Some(partial(0, 4, Some(6), 1)));
}

#[test]
fn unframeable_streams_stop_with_an_error_at_the_message_start() {
    let cases: [(&str, usize, &[u8], usize, &str); 8] = [
        (
            "len:u32be",
            MIB,
            b"\x00\x00\x00\x01a\xff\xff\xff\xff",
            1,
            "declared length 4294967295 exceeds the 1 MiB cap at offset 5",
        ),
        (
            "len:u64le",
            DEFAULT_MAX_MESSAGE,
            &[0xff; 8],
            0,
            "declared length 18446744073709551615 exceeds the 16 MiB cap at offset 0",
        ),
        (
            "len:u8:incl",
            100,
            b"\x01\x00",
            1,
            "declared length 0 is shorter than its own 1-byte prefix at offset 1",
        ),
        (
            "ascii:20",
            100,
            b"99999999999999999999",
            0,
            "declared length 99999999999999999999 exceeds the 100 bytes cap at offset 0",
        ),
        (
            "ascii:4",
            100,
            b"0000001x",
            1,
            "byte 0x78 in the ASCII length at offset 7 is not a digit",
        ),
        (
            "line",
            4,
            b"abcd\nabcde",
            1,
            "no delimiter within the 4 bytes cap for the message at offset 5",
        ),
        (
            "delim:0d0a",
            4,
            b"abcde\r",
            0,
            "no delimiter within the 4 bytes cap for the message at offset 0",
        ),
        ("eof", 4, b"abcde", 0, "the message at offset 0 exceeds the 4 bytes cap before EOF"),
    ];
    for (text, cap, stream, complete, expected) in cases {
        let mut framer = Framer::new(spec(text), cap);
        let messages = framer.push(stream);
        assert_eq!(messages.len(), complete, "{text}");
        let error = framer.error().map(ToString::to_string);
        assert_eq!(error.as_deref(), Some(expected), "{text}");
        assert_eq!(framer.partial(), None, "{text}");
        assert_eq!(framer.buffered_capacity(), 0, "{text}: the partial is freed");
        assert_eq!(
            framer.push(b"\x00\x00\x00\x00\n\r\n"),
            [],
            "{text}: no messages after an error"
        );
        assert_eq!(framer.finish(), [], "{text}");
        let offset = messages.last().map_or(0, Message::end);
        assert_eq!(framer.consumed(), offset, "{text}");
        assert_eq!(framer.leftover_len(), stream.len() as u64 + 7 - offset, "{text}");
    }
}

#[test]
fn a_framer_given_an_invalid_spec_starts_in_error() {
    let mut framer = Framer::new(Spec::Fixed(0), 10);
    assert_eq!(framer.push(b"abc"), []);
    let error = framer.error().map(ToString::to_string);
    assert_eq!(error.as_deref(), Some("invalid framing fixed:0: size must be at least 1"));
    let over_cap = Framer::new(Spec::Fixed(11), 10);
    assert!(matches!(over_cap.error(), Some(FramingError::InvalidSpec(_))));
}

#[test]
fn a_huge_declared_length_allocates_nothing() {
    for text in ["len:u32be", "len:u64be", "ascii:20", "len:u32le:incl"] {
        let mut framer = Framer::new(spec(text), MIB);
        let header = if text.starts_with("ascii") { vec![b'9'; 20] } else { vec![0xff; 8] };
        assert_eq!(framer.push(&header), []);
        assert!(matches!(framer.error(), Some(FramingError::TooLong { .. })), "{text}");
        assert_eq!(framer.buffered_capacity(), 0, "{text}");
    }
    // A length under the cap reserves room only for the bytes that arrived.
    let mut framer = Framer::new(spec("len:u32be"), MIB);
    assert_eq!(framer.push(b"\x00\x0f\xff\xffab"), []);
    assert_eq!(framer.buffered_len(), 6);
    assert!(framer.buffered_capacity() < 64, "capacity {}", framer.buffered_capacity());
}

#[test]
fn frame_all_frames_a_whole_string_without_implying_eof() {
    let (messages, rest) = frame_all(&spec("line"), b"a\nb\nc", DEFAULT_MAX_MESSAGE);
    assert_eq!(messages, [message(0, 0, b"a", 1), message(2, 0, b"b", 1)]);
    assert_eq!(rest, Some(partial(4, 1, None, 0)));
    let (messages, rest) = frame_all(&Spec::Eof, b"abc", DEFAULT_MAX_MESSAGE);
    assert_eq!((messages, rest), (vec![], Some(partial(0, 3, None, 0))));
}

#[test]
fn message_offsets_mark_header_body_and_trailer() {
    let message = message(10, 2, b"abc", 2);
    assert_eq!((message.body_start(), message.wire_len(), message.end()), (12, 7, 17));
}

#[test]
fn a_message_of_exactly_the_cap_frames_and_one_byte_more_fails() {
    let cases: [(&str, &[&[u8]], usize, bool); 14] = [
        ("len:u8", &[b"\x03abc"], 1, false),
        ("len:u8", &[b"\x04"], 0, true),
        ("len:u16le:incl", &[b"\x03\x00a"], 1, false),
        ("len:u16le:incl", &[b"\x04\x00"], 0, true),
        ("ascii:1", &[b"3abc"], 1, false),
        ("ascii:1", &[b"4"], 0, true),
        ("line", &[b"abc\n"], 1, false),
        ("line", &[b"abcd"], 0, true),
        ("line", &[b"ab\r", b"\n"], 1, false),
        ("delim:0d0a", &[b"abc\r", b"\n"], 1, false),
        ("delim:0d0a", &[b"abc", b"d"], 0, true),
        ("delim:0d0a", &[b"abcd\r\n"], 0, true),
        ("eof", &[b"ab", b"c"], 0, false),
        ("eof", &[b"ab", b"cd"], 0, true),
    ];
    for (text, chunks, complete, fails) in cases {
        let mut framer = Framer::new(spec(text), 3);
        assert_eq!(feed(&mut framer, chunks).len(), complete, "{text} {chunks:?}");
        assert_eq!(framer.error().is_some(), fails, "{text} {chunks:?}");
    }
}
