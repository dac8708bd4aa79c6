use super::*;
use proptest::prelude::*;

#[test]
fn speeds_step_through_the_table_and_past_it_to_max() {
    let mut speed = Speed::Times(1.0);
    let mut seen = vec![speed.to_string()];
    for _ in 0..6 {
        speed = speed.faster();
        seen.push(speed.to_string());
    }
    assert_eq!(seen, ["1×", "2×", "4×", "8×", "16×", "max", "max"]);
    let mut down = Vec::new();
    for _ in 0..8 {
        speed = speed.slower();
        down.push(speed.to_string());
    }
    assert_eq!(down, ["16×", "8×", "4×", "2×", "1×", "0.5×", "0.25×", "0.25×"]);
    // A speed typed between two steps moves to the neighbouring step.
    assert_eq!(Speed::Times(3.0).faster(), Speed::Times(4.0));
    assert_eq!(Speed::Times(3.0).slower(), Speed::Times(2.0));
}

#[test]
fn speeds_parse_in_range_only() {
    assert_eq!("2".parse(), Ok(Speed::Times(2.0)));
    assert_eq!("0.25x".parse(), Ok(Speed::Times(0.25)));
    assert_eq!("16×".parse(), Ok(Speed::Times(16.0)));
    assert_eq!("MAX".parse(), Ok(Speed::Max));
    for bad in ["0.1", "17", "fast", "", "-1", "NaN", "inf"] {
        assert!(bad.parse::<Speed>().is_err(), "{bad:?} accepted");
    }
}

#[test]
fn wall_time_scales_recorded_time() {
    assert_eq!(Speed::Times(2.0).wall_time(1_000_000), Some(Duration::from_millis(500)));
    assert_eq!(Speed::Times(0.25).wall_time(1_000_000), Some(Duration::from_secs(4)));
    assert_eq!(Speed::Max.wall_time(1_000_000), None);
}

#[test]
fn seek_targets_parse() {
    let cases: [(&str, SeekTarget); 12] = [
        ("start", SeekTarget::Start),
        ("^", SeekTarget::Start),
        ("$", SeekTarget::End),
        ("end", SeekTarget::End),
        ("#42", SeekTarget::Event(42)),
        ("12.5", SeekTarget::Time(12_500_000)),
        ("12.5s", SeekTarget::Time(12_500_000)),
        ("250ms", SeekTarget::Time(250_000)),
        ("1500us", SeekTarget::Time(1_500)),
        ("1:02.5", SeekTarget::Time(62_500_000)),
        ("+5s", SeekTarget::Relative(5_000_000)),
        ("-0.5", SeekTarget::Relative(-500_000)),
    ];
    for (text, want) in cases {
        assert_eq!(text.parse::<SeekTarget>(), Ok(want), "{text}");
    }
    for bad in ["", "#", "#x", "soon", "1:xx", "1.2.3", "12h", "+", "--1", "99999999999999999999"] {
        let err = bad.parse::<SeekTarget>().expect_err(bad);
        assert!(err.contains("is not a place"), "{bad}: {err}");
    }
}

#[test]
fn times_are_written_for_people() {
    assert_eq!(time_text(0), "0.000 s");
    assert_eq!(time_text(12_345_678), "12.345 s");
    assert_eq!(time_text(62_500_000), "1:02.500");
}

proptest! {
    /// Whatever is typed, parsing answers (never panics), and a time written in
    /// microseconds comes back exactly.
    #[test]
    fn seek_parsing_never_panics(text in "\\PC{0,12}") {
        let _ = text.parse::<SeekTarget>();
        let _ = text.parse::<Speed>();
    }

    #[test]
    fn microsecond_times_round_trip(us in 0u64..u64::MAX / 2) {
        prop_assert_eq!(format!("{us}us").parse::<SeekTarget>(), Ok(SeekTarget::Time(us)));
    }
}
