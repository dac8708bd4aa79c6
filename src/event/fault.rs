//! Faults a proxy (or an echo server) injects into the bytes it forwards: the vocabulary of
//! `--fault DIR:KIND[,KIND...]`, the `:fault` command, `Command::SetFaults` and the `fault`
//! event. Modelled on toxiproxy's toxics (latency, bandwidth, slicer, `limit_data`,
//! `reset_peer`, timeout).

use crate::values::{parse_duration_us, parse_size};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// Which way the faulty bytes travel.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum FaultDir {
    /// From the client to the upstream server.
    Up,
    /// From the upstream server to the client (an echo server's replies).
    Down,
}

impl FaultDir {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Up => "up",
            Self::Down => "down",
        }
    }
}

/// One fault with its setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Forward in `send` calls of at most this many bytes (at least 1).
    Slice(usize),
    /// Wait this long before forwarding each piece.
    Delay(Duration),
    /// At most this many bytes per second (at least 1).
    Rate(usize),
    /// After this many bytes, `shutdown(write)` toward the receiver.
    ShutAfter(usize),
    /// After this many bytes, reset both sides.
    ResetAfter(usize),
    /// After this many bytes, keep reading but forward nothing more.
    DropAfter(usize),
    /// Stop reading from the sender.
    Stall,
}

/// A fault's name, without its setting: what the `fault` event's `kind` says.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    Slice,
    Delay,
    Rate,
    ShutAfter,
    ResetAfter,
    DropAfter,
    Stall,
}

/// What a `fault` event reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FaultState {
    /// The fault is now active.
    On,
    /// The fault was removed.
    Off,
    /// A one-time fault took effect (its byte count was reached).
    Tripped,
}

impl FaultKind {
    /// Every kind, in the order `--help` lists them.
    pub const ALL: [Self; 7] = [
        Self::Slice,
        Self::Delay,
        Self::Rate,
        Self::ShutAfter,
        Self::ResetAfter,
        Self::DropAfter,
        Self::Stall,
    ];

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Slice => "slice",
            Self::Delay => "delay",
            Self::Rate => "rate",
            Self::ShutAfter => "shut-after",
            Self::ResetAfter => "reset-after",
            Self::DropAfter => "drop-after",
            Self::Stall => "stall",
        }
    }
}

impl FaultState {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::On => "on",
            Self::Off => "off",
            Self::Tripped => "tripped",
        }
    }
}

impl Fault {
    #[must_use]
    pub fn kind(self) -> FaultKind {
        match self {
            Self::Slice(_) => FaultKind::Slice,
            Self::Delay(_) => FaultKind::Delay,
            Self::Rate(_) => FaultKind::Rate,
            Self::ShutAfter(_) => FaultKind::ShutAfter,
            Self::ResetAfter(_) => FaultKind::ResetAfter,
            Self::DropAfter(_) => FaultKind::DropAfter,
            Self::Stall => FaultKind::Stall,
        }
    }
}

/// The spec as it can be written again: `slice=4`, `delay=500ms`, `stall`.
impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.kind().name();
        match self {
            Self::Slice(n)
            | Self::Rate(n)
            | Self::ShutAfter(n)
            | Self::ResetAfter(n)
            | Self::DropAfter(n) => write!(f, "{name}={n}"),
            Self::Delay(d) if d.subsec_micros() % 1000 == 0 => {
                write!(f, "{name}={}ms", d.as_millis())
            }
            Self::Delay(d) => write!(f, "{name}={}us", d.as_micros()),
            Self::Stall => f.write_str(name),
        }
    }
}

/// The faults of one direction: `up:slice=4,delay=10ms`; `up:off` clears them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultSet {
    pub dir: FaultDir,
    /// At most one of each kind; empty means none.
    pub faults: Vec<Fault>,
}

impl std::str::FromStr for FaultSet {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (dir, kinds) = text.split_once(':').ok_or_else(|| {
            format!("'{text}' is not a fault: write DIR:KIND[,KIND...], e.g. up:slice=1")
        })?;
        let dir = match dir.trim() {
            "up" => FaultDir::Up,
            "down" => FaultDir::Down,
            other => return Err(format!("'{other}' is not a direction: up or down")),
        };
        if kinds.trim() == "off" {
            return Ok(Self { dir, faults: Vec::new() });
        }
        let mut faults: Vec<Fault> = Vec::new();
        for part in kinds.split(',') {
            let fault = parse_fault(part.trim())?;
            faults.retain(|f| f.kind() != fault.kind());
            faults.push(fault);
        }
        Ok(Self { dir, faults })
    }
}

/// Every kind, for the messages that list them.
const KINDS: &str =
    "slice=N, delay=TIME, rate=SIZE, shut-after=SIZE, reset-after=SIZE, drop-after=SIZE, stall";

fn parse_fault(text: &str) -> Result<Fault, String> {
    let (name, value) = match text.split_once('=') {
        Some((name, value)) => (name.trim(), Some(value.trim())),
        None => (text, None),
    };
    let needs = |what: &str| format!("'{text}': {name} takes a value ({name}={what})");
    let size = |value: Option<&str>| -> Result<usize, String> {
        let value = value.ok_or_else(|| needs("SIZE"))?;
        parse_size(value).map_err(|e| format!("'{text}': {e}"))
    };
    let positive = |n: usize| {
        if n == 0 { Err(format!("'{text}': must be at least 1 byte")) } else { Ok(n) }
    };
    match name {
        "slice" => Ok(Fault::Slice(positive(size(value)?)?)),
        "rate" => Ok(Fault::Rate(positive(size(value)?)?)),
        "shut-after" => Ok(Fault::ShutAfter(size(value)?)),
        "reset-after" => Ok(Fault::ResetAfter(size(value)?)),
        "drop-after" => Ok(Fault::DropAfter(size(value)?)),
        "delay" => {
            let value = value.ok_or_else(|| needs("TIME"))?;
            let us = parse_duration_us(value).ok_or_else(|| {
                format!("'{text}': '{value}' is not a time (500ms, 2.5s, 1500us, 1:02)")
            })?;
            Ok(Fault::Delay(Duration::from_micros(us)))
        }
        "stall" if value.is_none() => Ok(Fault::Stall),
        "stall" => Err(format!("'{text}': stall takes no value")),
        _ => Err(format!("'{name}' is not a fault kind: {KINDS}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_with_the_project_units() {
        let set: FaultSet = "up:slice=1,delay=2.5s,rate=64KiB,stall".parse().unwrap();
        assert_eq!(set.dir, FaultDir::Up);
        assert_eq!(
            set.faults,
            [
                Fault::Slice(1),
                Fault::Delay(Duration::from_millis(2500)),
                Fault::Rate(65_536),
                Fault::Stall
            ]
        );
        let set: FaultSet = "down:shut-after=1KiB,reset-after=0,drop-after=10".parse().unwrap();
        assert_eq!(
            set.faults,
            [Fault::ShutAfter(1024), Fault::ResetAfter(0), Fault::DropAfter(10)]
        );
        let off: FaultSet = "down:off".parse().unwrap();
        assert!(off.faults.is_empty());
        let later_wins: FaultSet = "up:slice=1,slice=3".parse().unwrap();
        assert_eq!(later_wins.faults, [Fault::Slice(3)]);
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        let cases = [
            ("slice=1", "is not a fault: write DIR:KIND"),
            ("sideways:slice=1", "'sideways' is not a direction"),
            ("up:slice", "slice takes a value (slice=SIZE)"),
            ("up:slice=0", "must be at least 1 byte"),
            ("up:rate=1KB", "unknown unit 'KB'"),
            ("up:delay=soon", "'soon' is not a time"),
            ("up:stall=1", "stall takes no value"),
            ("up:jitter=1", "'jitter' is not a fault kind"),
            ("up:", "'' is not a fault kind"),
        ];
        for (text, expected) in cases {
            let error = text.parse::<FaultSet>().unwrap_err();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn specs_print_as_they_parse() {
        for text in ["slice=4", "delay=500ms", "delay=1500us", "rate=100", "stall"] {
            let set: FaultSet = format!("up:{text}").parse().unwrap();
            assert_eq!(set.faults[0].to_string(), text);
        }
    }

    #[test]
    fn names_match_the_json_schema() {
        let json = |v: serde_json::Value| v.as_str().unwrap_or_default().to_owned();
        for kind in FaultKind::ALL {
            assert_eq!(kind.name(), json(serde_json::to_value(kind).unwrap()));
        }
        for state in [FaultState::On, FaultState::Off, FaultState::Tripped] {
            assert_eq!(state.name(), json(serde_json::to_value(state).unwrap()));
        }
        for dir in [FaultDir::Up, FaultDir::Down] {
            assert_eq!(dir.name(), json(serde_json::to_value(dir).unwrap()));
        }
    }
}
