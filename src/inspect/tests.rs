//! Tests for the inspector views: tables of known answers, and properties for escaping.

mod escape {
    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::select;

    use crate::inspect::escape::{
        escape_ascii_only, escape_bytes, escape_str, is_combining, is_safe_char,
    };

    /// A combining mark shows as itself on a character of the text, and escaped where it would
    /// draw on an escape's digit or on whatever is left of the text.
    #[test]
    fn combining_marks_never_draw_on_an_escape() {
        let cases: [(&str, &str); 9] = [
            ("e\u{301}", "e\u{301}"),
            // Marks of every script come from Unicode's tables: Devanagari, Arabic, a spacing
            // mark, an enclosing one.
            ("\u{941}x", "\\u{941}x"),
            ("\u{915}\u{941}", "\u{915}\u{941}"),
            ("\x1b\u{659}\u{903}", "\\x1b\\u{659}\\u{903}"),
            ("\u{20dd}", "\\u{20dd}"),
            ("\u{301}x", "\\u{301}x"),
            ("\u{1b}\u{336}", "\\x1b\\u{336}"),
            ("a\n\u{35e}", "a\\n\\u{35e}"),
            ("a\u{301}\u{302}", "a\u{301}\u{302}"),
        ];
        for (text, expected) in cases {
            assert_eq!(escape_str(text), expected, "{text:?}");
            assert_eq!(escape_bytes(text.as_bytes()), expected, "{text:?}");
        }
        assert_eq!(escape_bytes(b"\xff\xcc\x81"), "\\xff\\u{301}", "after a raw byte too");
    }

    #[test]
    fn escapes_terminal_attacks_and_invisible_text() {
        let cases: [(&[u8], &str); 26] = [
            (b"hello, world", "hello, world"),
            (b"a\\b", "a\\\\b"),
            (b"\x1b[6n", "\\x1b[6n"),
            (b"\x1b]52;c;aGVsbG8=\x07", "\\x1b]52;c;aGVsbG8=\\x07"),
            (b"\x9b6n", "\\x9b6n"),
            ("\u{9b}6n".as_bytes(), "\\u{9b}6n"),
            ("\u{202e}txt.exe".as_bytes(), "\\u{202e}txt.exe"),
            (b"\n\r\t", "\\n\\r\\t"),
            (b"\x00\x07\x08\x0b\x0c\x7f", "\\x00\\x07\\x08\\x0b\\x0c\\x7f"),
            (
                "caf\u{e9} \u{65e5}\u{672c} \u{1f600}".as_bytes(),
                "caf\u{e9} \u{65e5}\u{672c} \u{1f600}",
            ),
            ("a\u{200b}b\u{200d}c\u{2060}".as_bytes(), "a\\u{200b}b\\u{200d}c\\u{2060}"),
            ("\u{feff}\u{ad}\u{180e}\u{fff9}".as_bytes(), "\\u{feff}\\u{ad}\\u{180e}\\u{fff9}"),
            (
                "\u{61c}\u{200e}\u{200f}\u{2066}\u{2069}".as_bytes(),
                "\\u{61c}\\u{200e}\\u{200f}\\u{2066}\\u{2069}",
            ),
            ("\u{2028}\u{2029}".as_bytes(), "\\u{2028}\\u{2029}"),
            ("\u{e0041}\u{e007f}".as_bytes(), "\\u{e0041}\\u{e007f}"),
            ("\u{e000}\u{f8ff}\u{10fffd}".as_bytes(), "\\u{e000}\\u{f8ff}\\u{10fffd}"),
            (
                "\u{fdd0}\u{fffe}\u{ffff}\u{1fffe}".as_bytes(),
                "\\u{fdd0}\\u{fffe}\\u{ffff}\\u{1fffe}",
            ),
            (b"\xff\xfe", "\\xff\\xfe"),
            (b"\xe2\x82", "\\xe2\\x82"),
            (b"\xe2\x82x", "\\xe2\\x82x"),
            (b"\xc0\xaf", "\\xc0\\xaf"),
            (b"\xed\xa0\x80", "\\xed\\xa0\\x80"),
            (b"\\x41", "\\\\x41"),
            (b"\\u{41}", "\\\\u{41}"),
            (b"", ""),
            (b" ~", " ~"),
        ];
        for (bytes, expected) in cases {
            assert_eq!(escape_bytes(bytes), expected, "{bytes:?}");
        }
    }

    #[test]
    fn ascii_only_escapes_every_non_ascii_character() {
        let cases: [(&[u8], &str); 4] = [
            ("caf\u{e9}".as_bytes(), "caf\\u{e9}"),
            ("\u{1f600}".as_bytes(), "\\u{1f600}"),
            (b"a\x1b\\\xff", "a\\x1b\\\\\\xff"),
            (b"plain", "plain"),
        ];
        for (bytes, expected) in cases {
            assert_eq!(escape_ascii_only(bytes), expected, "{bytes:?}");
        }
    }

    #[test]
    fn safe_chars_are_exactly_those_shown_as_themselves() {
        let cases = [
            ('a', true),
            (' ', true),
            ('~', true),
            ('\u{e9}', true),
            ('\u{1f600}', true),
            ('\\', false),
            ('\n', false),
            ('\u{7f}', false),
            ('\u{85}', false),
            ('\u{202a}', false),
            ('\u{fe0f}', false),
            ('\u{3164}', false),
        ];
        for (c, safe) in cases {
            assert_eq!(is_safe_char(c), safe, "{c:?}");
        }
    }

    /// Characters the brief names as never reaching the terminal raw; listed here apart from
    /// the implementation's own table.
    fn must_not_appear(c: char) -> bool {
        let code = u32::from(c);
        code < 0x20
            || (0x7f..=0x9f).contains(&code)
            || [0x61c, 0x200e, 0x200f, 0xad, 0x180e, 0xfeff, 0x2028, 0x2029].contains(&code)
            || (0x202a..=0x202e).contains(&code)
            || (0x2066..=0x2069).contains(&code)
            || (0x200b..=0x200d).contains(&code)
            || (0x2060..=0x2064).contains(&code)
            || (0xfff9..=0xfffb).contains(&code)
            || (0xe0000..=0xe007f).contains(&code)
            || (0xe000..=0xf8ff).contains(&code)
    }

    /// Inverts the escaping, to show it loses nothing: every escape names exactly one thing.
    fn unescape(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            rest = &rest[c.len_utf8()..];
            if c != '\\' {
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                continue;
            }
            let (kind, tail) = rest.split_at(1);
            rest = tail;
            match kind {
                "\\" => out.push(b'\\'),
                "n" => out.push(b'\n'),
                "r" => out.push(b'\r'),
                "t" => out.push(b'\t'),
                "x" => {
                    out.push(u8::from_str_radix(&rest[..2], 16).expect("two hex digits"));
                    rest = &rest[2..];
                }
                "u" => {
                    let end = rest.find('}').expect("closing brace");
                    let code = u32::from_str_radix(&rest[1..end], 16).expect("hex code point");
                    let c = char::from_u32(code).expect("a char");
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                    rest = &rest[end + 1..];
                }
                other => panic!("unknown escape \\{other}"),
            }
        }
        out
    }

    /// Bytes mixing raw garbage, arbitrary characters and the known troublemakers.
    fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
        let troublemakers =
            select(vec!['\u{1b}', '\u{9b}', '\u{202e}', '\u{200b}', '\u{feff}', '\\', '\u{e0041}']);
        let piece = prop_oneof![
            any::<u8>().prop_map(|byte| vec![byte]),
            any::<char>().prop_map(|c| c.to_string().into_bytes()),
            troublemakers.prop_map(|c| c.to_string().into_bytes()),
        ];
        vec(piece, 0..24).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn escaped_output_is_inert_and_reversible(bytes in hostile_bytes()) {
            let escaped = escape_bytes(&bytes);
            prop_assert!(!escaped.chars().any(must_not_appear), "{escaped:?}");
            prop_assert_eq!(unescape(&escaped), bytes.clone());
            let ascii = escape_ascii_only(&bytes);
            prop_assert!(ascii.bytes().all(|byte| (b' '..=b'~').contains(&byte)), "{ascii:?}");
            prop_assert_eq!(unescape(&ascii), bytes);
        }

        #[test]
        fn escaping_does_not_depend_on_chunking(
            text in any::<String>(),
            cuts in vec(any::<proptest::sample::Index>(), 0..6),
        ) {
            let mut boundaries: Vec<usize> = cuts
                .iter()
                .map(|cut| cut.index(text.len() + 1))
                .filter(|&at| text.is_char_boundary(at))
                // A piece that starts with a combining mark escapes it (it has no base there).
                .filter(|&at| !text[at..].chars().next().is_some_and(is_combining))
                .collect();
            boundaries.sort_unstable();
            boundaries.push(text.len());
            let mut from = 0;
            let mut joined = String::new();
            for to in boundaries {
                joined.push_str(&escape_bytes(&text.as_bytes()[from..to]));
                from = to;
            }
            prop_assert_eq!(&joined, &escape_bytes(text.as_bytes()));
            prop_assert_eq!(escape_str(&text), joined);
        }
    }
}

mod hexdump {
    use proptest::prelude::*;

    use crate::inspect::hexdump::{
        ByteClass, HexRow, byte_range, classify, format_row, last_page_start, rows, visible_rows,
    };

    /// Expected lines are the output of `hexdump -C` (util-linux) for the same bytes.
    #[test]
    fn formats_rows_like_hexdump_c() {
        let cases: [(u64, &[u8], &str); 5] = [
            (
                0,
                b"hello\n\x00\x01abcdefgh",
                "00000000  68 65 6c 6c 6f 0a 00 01  61 62 63 64 65 66 67 68  |hello...abcdefgh|",
            ),
            (0x20, b"yz", "00000020  79 7a                                             |yz|"),
            (0, b"hello\n", "00000000  68 65 6c 6c 6f 0a                                 |hello.|"),
            (
                0x10,
                b"0123456789abcdef",
                "00000010  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|",
            ),
            (
                0x1_0000_0000,
                b"\x7f \xff~",
                "100000000  7f 20 ff 7e                                       |. .~|",
            ),
        ];
        for (offset, bytes, expected) in cases {
            assert_eq!(format_row(&HexRow { offset, bytes }), expected);
        }
    }

    #[test]
    fn rows_cut_sixteen_bytes_at_a_time() {
        let data: Vec<u8> = (0..35).collect();
        let cut: Vec<(u64, usize)> =
            rows(&data, 0x10).map(|row| (row.offset, row.bytes.len())).collect();
        assert_eq!(cut, [(0x10, 16), (0x20, 16), (0x30, 3)]);
        assert_eq!(rows(&[], 0).count(), 0);
        let last: Vec<u64> = rows(&data, u64::MAX - 1).map(|row| row.offset).collect();
        assert_eq!(last, [u64::MAX - 1, u64::MAX, u64::MAX], "offsets saturate");
    }

    #[test]
    fn classifies_bytes_for_colour() {
        let cases = [
            (0x00, ByteClass::Nul),
            (b'a', ByteClass::Printable),
            (b'~', ByteClass::Printable),
            (b' ', ByteClass::Whitespace),
            (b'\t', ByteClass::Whitespace),
            (b'\n', ByteClass::Whitespace),
            (b'\r', ByteClass::Whitespace),
            (0x0b, ByteClass::Control),
            (0x1b, ByteClass::Control),
            (0x7f, ByteClass::Control),
            (0x80, ByteClass::NonAscii),
            (0xff, ByteClass::NonAscii),
        ];
        for (byte, class) in cases {
            assert_eq!(classify(byte), class, "{byte:#04x}");
        }
    }

    #[test]
    fn only_visible_rows_are_computed() {
        const GIB: u64 = 1 << 30;
        let cases = [
            ((0, 0, 10), 0..0),
            ((35, 0, 10), 0..3),
            ((35, 1, 1), 1..2),
            ((35, 5, 10), 3..3),
            ((32, 1, 10), 1..2),
            ((GIB, 100, 40), 100..140),
            ((GIB, GIB, 40), GIB / 16..GIB / 16),
            ((u64::MAX, u64::MAX - 1, usize::MAX), u64::MAX / 16 + 1..u64::MAX / 16 + 1),
        ];
        for ((total, first, height), expected) in cases {
            assert_eq!(visible_rows(total, first, height), expected, "{total} {first} {height}");
        }
        assert_eq!(byte_range(&(1..3), 35), 16..35);
        assert_eq!(byte_range(&(3..5), 35), 35..35);
        assert_eq!(byte_range(&(100..140), GIB), 1600..2240);
        assert_eq!((last_page_start(35, 2), last_page_start(35, 10)), (1, 0));
    }

    proptest! {
        #[test]
        fn the_ascii_column_always_lines_up(
            bytes in proptest::collection::vec(any::<u8>(), 0..=16),
            offset in 0u64..1 << 32,
        ) {
            let line = format_row(&HexRow { offset, bytes: &bytes });
            prop_assert_eq!(line.find('|'), Some(60));
            prop_assert_eq!(line.len(), 62 + bytes.len());
            prop_assert!(line.bytes().all(|byte| (b' '..=b'~').contains(&byte)));
        }
    }
}

mod numbers {
    use std::net::Ipv4Addr;

    use crate::inspect::numbers::{
        Endian, ascii_decimal, bits, format_float, integer_views, ipv4, port, read_f32, read_f64,
        read_i8, read_i16, read_i32, read_i64, read_u8, read_u16, read_u32, read_u64, uleb128,
        utf8_char,
    };

    /// A decoded value and the bytes it used.
    type Decoded<T> = Option<(T, usize)>;

    /// Sign edges, all-ones, NaN and infinity bit patterns (as f32 and as f64), -0.0, and
    /// bytes that differ in each position so the two byte orders disagree.
    const PATTERNS: [[u8; 8]; 12] = [
        [0x00; 8],
        [0xff; 8],
        [0x80, 0, 0, 0, 0, 0, 0, 0],
        [0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        [0, 0, 0, 0, 0, 0, 0, 0x80],
        [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08],
        [0x7f, 0xc0, 0x00, 0x00, 0x7f, 0xf8, 0x00, 0x01],
        [0xff, 0xc0, 0x00, 0x01, 0xff, 0xf8, 0x00, 0x00],
        [0x7f, 0x80, 0x00, 0x00, 0x7f, 0xf0, 0x00, 0x00],
        [0x7f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
        [0xff, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
        [0x00, 0x00, 0x80, 0xff, 0x00, 0x00, 0x80, 0x7f],
    ];

    fn array<const N: usize>(bytes: &[u8]) -> [u8; N] {
        bytes[..N].try_into().expect("pattern is 8 bytes")
    }

    #[test]
    fn readers_agree_with_std_in_both_byte_orders() {
        use Endian::{Big, Little};
        for bytes in &PATTERNS {
            let b = bytes.as_slice();
            assert_eq!(read_u8(b), Some(bytes[0]));
            assert_eq!(read_i8(b), Some(i8::from_be_bytes(array(b))));
            assert_eq!(read_u16(b, Big), Some(u16::from_be_bytes(array(b))));
            assert_eq!(read_u16(b, Little), Some(u16::from_le_bytes(array(b))));
            assert_eq!(read_i16(b, Big), Some(i16::from_be_bytes(array(b))));
            assert_eq!(read_i16(b, Little), Some(i16::from_le_bytes(array(b))));
            assert_eq!(read_u32(b, Big), Some(u32::from_be_bytes(array(b))));
            assert_eq!(read_u32(b, Little), Some(u32::from_le_bytes(array(b))));
            assert_eq!(read_i32(b, Big), Some(i32::from_be_bytes(array(b))));
            assert_eq!(read_i32(b, Little), Some(i32::from_le_bytes(array(b))));
            assert_eq!(read_u64(b, Big), Some(u64::from_be_bytes(array(b))));
            assert_eq!(read_u64(b, Little), Some(u64::from_le_bytes(array(b))));
            assert_eq!(read_i64(b, Big), Some(i64::from_be_bytes(array(b))));
            assert_eq!(read_i64(b, Little), Some(i64::from_le_bytes(array(b))));
            // Floats compare by bits, so NaN payloads and -0.0 count.
            assert_eq!(read_f32(b, Big).map(f32::to_bits), Some(u32::from_be_bytes(array(b))));
            assert_eq!(read_f32(b, Little).map(f32::to_bits), Some(u32::from_le_bytes(array(b))));
            assert_eq!(read_f64(b, Big).map(f64::to_bits), Some(u64::from_be_bytes(array(b))));
            assert_eq!(read_f64(b, Little).map(f64::to_bits), Some(u64::from_le_bytes(array(b))));
        }
    }

    #[test]
    fn readers_know_well_known_values() {
        use Endian::{Big, Little};
        assert_eq!(read_u16(&[0x01, 0x02], Big), Some(258));
        assert_eq!(read_u16(&[0x01, 0x02], Little), Some(513));
        assert_eq!(read_i16(&[0x80, 0x00], Big), Some(i16::MIN));
        assert_eq!(read_i16(&[0x80, 0x00], Little), Some(128));
        assert_eq!(read_i8(&[0xff]), Some(-1));
        assert_eq!(read_i32(&[0xff, 0xff, 0xff, 0xfe], Big), Some(-2));
        assert_eq!(read_f32(&[0x3f, 0x80, 0, 0], Big), Some(1.0));
        assert_eq!(read_f64(&[0, 0, 0, 0, 0, 0, 0xf0, 0x3f], Little), Some(1.0));
        assert!(read_f32(&[0x7f, 0xc0, 0, 0], Big).is_some_and(f32::is_nan));
        assert_eq!(read_f64(&[0xff, 0xf0, 0, 0, 0, 0, 0, 0], Big), Some(f64::NEG_INFINITY));
    }

    #[test]
    fn readers_refuse_short_input() {
        let cases: [(&[u8], usize); 5] =
            [(&[], 0), (&[1], 1), (&[1, 2, 3], 3), (&[1; 7], 7), (&[1; 8], 8)];
        for (bytes, len) in cases {
            assert_eq!(read_u8(bytes).is_some(), len >= 1, "{len}");
            assert_eq!(read_i16(bytes, Endian::Big).is_some(), len >= 2, "{len}");
            assert_eq!(read_f32(bytes, Endian::Little).is_some(), len >= 4, "{len}");
            assert_eq!(read_u64(bytes, Endian::Big).is_some(), len >= 8, "{len}");
        }
    }

    #[test]
    fn views_offer_exactly_the_widths_that_fit() {
        let all = ["u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "f32", "f64"];
        let cases: [(usize, &[&str]); 6] = [
            (0, &[]),
            (1, &all[..2]),
            (3, &all[..4]),
            (4, &["u8", "i8", "u16", "i16", "u32", "i32", "f32"]),
            (7, &["u8", "i8", "u16", "i16", "u32", "i32", "f32"]),
            (9, &all),
        ];
        for (len, labels) in cases {
            let views = integer_views(&vec![0x80; len]);
            let got: Vec<&str> = views.iter().map(|view| view.label).collect();
            assert_eq!(got, labels, "{len} bytes");
        }
        let views = integer_views(&[0x01, 0x02, 0x80, 0xff]);
        let u16_view = views.iter().find(|view| view.label == "u16").expect("u16 fits");
        assert_eq!((u16_view.big.as_str(), u16_view.little.as_str()), ("258", "513"));
        let i8_view = views.iter().find(|view| view.label == "i8").expect("i8 fits");
        assert_eq!((i8_view.big.as_str(), i8_view.little.as_str()), ("1", "1"));
    }

    #[test]
    fn floats_keep_special_values_apart() {
        let cases: [(f64, &str); 11] = [
            (f64::NAN, "NaN"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (-0.0, "-0"),
            (0.0, "0"),
            (1.5, "1.5"),
            (-2.25, "-2.25"),
            (1e300, "1e300"),
            (1e-7, "1e-7"),
            (1e16, "1e16"),
            (9_999_999_999_999_998.0, "9999999999999998"),
        ];
        for (value, expected) in cases {
            assert_eq!(format_float(value), expected, "{value:?}");
        }
        assert_eq!(format_float(0.1f32), "0.1", "f32 keeps its own shortest form");
        assert_eq!(format_float(f32::from_bits(0xffc0_0001)), "NaN");
        assert_eq!(format_float(f32::MIN_POSITIVE), "1.1754944e-38");
    }

    #[test]
    fn decodes_addresses_ports_and_text_numbers() {
        assert_eq!(ipv4(&[192, 168, 1, 2, 99]), Some(Ipv4Addr::new(192, 168, 1, 2)));
        assert_eq!(ipv4(&[192, 168, 1]), None);
        assert_eq!(port(&[0x1f, 0x90]), Some(8080));
        assert_eq!(port(&[0x1f]), None);
        let decimals: [(&[u8], Option<u64>); 7] = [
            (b"123abc", Some(123)),
            (b"007", Some(7)),
            (b"abc", None),
            (b"", None),
            (b"-5", None),
            (b"18446744073709551615", Some(u64::MAX)),
            (b"18446744073709551616", None),
        ];
        for (bytes, expected) in decimals {
            assert_eq!(ascii_decimal(bytes), expected, "{bytes:?}");
        }
    }

    #[test]
    fn decodes_uleb128() {
        let max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        let overflow = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
        let cases: [(&[u8], Decoded<u64>); 9] = [
            (&[0x00], Some((0, 1))),
            (&[0x7f], Some((127, 1))),
            (&[0x80, 0x01], Some((128, 2))),
            (&[0xe5, 0x8e, 0x26, 0xff], Some((624_485, 3))),
            (&max, Some((u64::MAX, 10))),
            (&overflow, None),
            (&[0x80; 11], None),
            (&[0x80], None),
            (&[], None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(uleb128(bytes), expected, "{bytes:02x?}");
        }
    }

    #[test]
    fn decodes_the_first_utf8_character() {
        let cases: [(&[u8], Decoded<char>); 7] = [
            (b"abc", Some(('a', 1))),
            ("\u{e9}x".as_bytes(), Some(('\u{e9}', 2))),
            ("\u{20ac}".as_bytes(), Some(('\u{20ac}', 3))),
            ("\u{1f600}!".as_bytes(), Some(('\u{1f600}', 4))),
            (b"\xe2\x82", None),
            (b"\xff", None),
            (b"", None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(utf8_char(bytes), expected, "{bytes:?}");
        }
    }

    #[test]
    fn shows_bits_in_nibbles() {
        let cases =
            [(0x68, "0110 1000"), (0x00, "0000 0000"), (0xff, "1111 1111"), (0x81, "1000 0001")];
        for (byte, expected) in cases {
            assert_eq!(bits(byte), expected);
        }
    }
}
