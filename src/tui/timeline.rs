//! The replay timeline as plain data: how fast it plays, where to seek, what the player
//! reports back. The player thread (`tui::run::player`) acts on [`PlayerCommand`]s and
//! reports [`Timeline`]s; the App only turns keys and `:` commands into commands and shows
//! what comes back, so both sides stay testable without a terminal or a file.

use std::fmt;
use std::time::Duration;

/// How fast a replay plays, relative to the recorded timing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// Recorded time divided by the factor (0.25× to 16×).
    Times(f64),
    /// As fast as the UI applies the events: no waiting between them.
    Max,
}

/// The speeds `<` and `>` step through.
pub const SPEED_STEPS: [f64; 7] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0];
/// Slowest and fastest timed speed.
pub const SLOWEST: f64 = SPEED_STEPS[0];
pub const FASTEST: f64 = SPEED_STEPS[SPEED_STEPS.len() - 1];

impl Speed {
    /// The next step up; past 16× comes "as fast as possible".
    #[must_use]
    pub fn faster(self) -> Self {
        match self {
            Self::Times(factor) => SPEED_STEPS
                .iter()
                .find(|step| **step > factor)
                .map_or(Self::Max, |s| Self::Times(*s)),
            Self::Max => Self::Max,
        }
    }

    /// The next step down; below "as fast as possible" comes 16×.
    #[must_use]
    pub fn slower(self) -> Self {
        match self {
            Self::Times(factor) => {
                let step = SPEED_STEPS.iter().rev().find(|step| **step < factor);
                Self::Times(step.copied().unwrap_or(SLOWEST))
            }
            Self::Max => Self::Times(FASTEST),
        }
    }

    /// How long to wait in real time for `recorded` of recorded time; `None` at [`Speed::Max`].
    #[must_use]
    pub fn wall_time(self, recorded_us: u64) -> Option<Duration> {
        match self {
            // Microsecond counts below 2^53 convert exactly; longer recordings lose nothing
            // that a person could see.
            #[allow(clippy::cast_precision_loss)]
            Self::Times(factor) => Some(Duration::from_secs_f64(recorded_us as f64 / 1e6 / factor)),
            Self::Max => None,
        }
    }
}

impl fmt::Display for Speed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Times(factor) => write!(f, "{factor}×"),
            Self::Max => f.write_str("max"),
        }
    }
}

impl std::str::FromStr for Speed {
    type Err = String;

    /// `0.25` to `16` (a trailing `x` or `×` is allowed), or `max`.
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("max") {
            return Ok(Self::Max);
        }
        let number = text.trim_end_matches(['x', 'X', '×']);
        let factor: f64 =
            number.parse().map_err(|_| format!("'{text}' is not a speed (0.25 to 16, or max)"))?;
        if !(SLOWEST..=FASTEST).contains(&factor) {
            return Err(format!("speed {factor} is out of range: 0.25 to 16, or max"));
        }
        Ok(Self::Times(factor))
    }
}

/// Where to move the replay to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeekTarget {
    /// Before the first event: the empty session.
    Start,
    /// After the last event.
    End,
    /// After every event stamped at or before this session time (microseconds).
    Time(u64),
    /// After this many events (event number N is the N-th, counted from 1).
    Event(u64),
    /// Forward (positive) or back from the current time, in microseconds.
    Relative(i64),
}

impl std::str::FromStr for SeekTarget {
    type Err = String;

    /// `start`/`^`, `end`/`$`, `#N` (an event number), `+5s`/`-500ms` (relative), or a time:
    /// `12.5` or `12.5s`, `250ms`, `1500us`, `1:02.5` (minutes and seconds).
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let bad = || {
            format!(
                "'{text}' is not a place: start, end, #EVENT, a time (12.5s, 250ms, 1:02) or +/-TIME"
            )
        };
        match text {
            "start" | "^" => return Ok(Self::Start),
            "end" | "$" => return Ok(Self::End),
            _ => {}
        }
        if let Some(number) = text.strip_prefix('#') {
            return number.trim().parse().map(Self::Event).map_err(|_| bad());
        }
        if let Some(rest) = text.strip_prefix('+') {
            let us = crate::values::parse_duration_us(rest).ok_or_else(bad)?;
            return i64::try_from(us).map(Self::Relative).map_err(|_| bad());
        }
        if let Some(rest) = text.strip_prefix('-') {
            let us = crate::values::parse_duration_us(rest).ok_or_else(bad)?;
            return i64::try_from(us).map(|us| Self::Relative(-us)).map_err(|_| bad());
        }
        crate::values::parse_duration_us(text).map(Self::Time).ok_or_else(bad)
    }
}

/// What the App asks the player to do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PlayerCommand {
    TogglePlay,
    Play,
    Pause,
    /// Apply exactly one more event, then pause.
    StepForward,
    /// Go back one event (the session is rebuilt from the start), then pause.
    StepBack,
    Seek(SeekTarget),
    SetSpeed(Speed),
}

/// Where the replay is, as the player last reported it.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// Events applied to the session so far.
    pub applied: u64,
    /// Events in the file, once the player has indexed it.
    pub total: Option<u64>,
    /// Session time of the last event applied (of the first one, before any).
    pub t_us: u64,
    /// Session time of the recording's last event, once indexed.
    pub end_us: Option<u64>,
    pub playing: bool,
    pub speed: Speed,
    /// A seek is under way: events are being applied as fast as possible.
    pub seeking: bool,
    /// Why the file ended early (truncated or corrupt), once the player reached that point.
    pub damage: Option<String>,
}

impl Timeline {
    /// Whether every event has been applied.
    #[must_use]
    pub fn at_end(&self) -> bool {
        self.total.is_some_and(|total| self.applied >= total)
    }
}

/// `12.345 s` or `1:02.345`: a session time as the status bar writes it.
#[must_use]
pub fn time_text(us: u64) -> String {
    let millis = us / 1_000;
    let (minutes, seconds, ms) = (millis / 60_000, millis / 1_000 % 60, millis % 1_000);
    if minutes == 0 {
        format!("{seconds}.{ms:03} s")
    } else {
        format!("{minutes}:{seconds:02}.{ms:03}")
    }
}

#[cfg(test)]
mod tests;
