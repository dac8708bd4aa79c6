//! Intercepting a proxied pair: the vocabulary of `:intercept`, `Command::Intercept`,
//! `Command::Release`, `Command::Inject` and the `intercept`, `held`, `released` and `inject`
//! events. Held messages are numbered once per session ([`HoldId`]), so a release names one
//! whatever connection it belongs to.

use crate::framing::Spec;
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A held message's number, unique in the session.
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
#[serde(transparent)]
pub struct HoldId(pub u64);

impl fmt::Display for HoldId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "h{}", self.0)
    }
}

/// Which messages are held: every one, those containing some bytes, or those a regular
/// expression (over bytes, not text) finds something in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatchPattern {
    Every,
    /// Written as plain text.
    Text(String),
    /// Written as `hex:0d0a`.
    Hex(Vec<u8>),
    /// Written as `re:^GET `; compiled by the engine, which reports a bad one as an `error`.
    Regex(String),
}

impl MatchPattern {
    /// The bytes a literal pattern looks for (`None` for [`Self::Every`] and regexes).
    #[must_use]
    pub fn literal(&self) -> Option<&[u8]> {
        match self {
            Self::Text(text) => Some(text.as_bytes()),
            Self::Hex(bytes) => Some(bytes),
            Self::Every | Self::Regex(_) => None,
        }
    }
}

/// As `:intercept` takes it: empty for every message, `hex:…`, `re:…`, else text.
impl std::str::FromStr for MatchPattern {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Ok(Self::Every);
        }
        if let Some(digits) = text.strip_prefix("hex:") {
            let digits: String = digits.split_whitespace().collect();
            let bytes = hex::decode(&digits)
                .map_err(|e| format!("'{digits}' is not hex bytes ({e}): write hex:0d0a"))?;
            if bytes.is_empty() {
                return Err("hex: needs at least one byte, e.g. hex:0d0a".to_owned());
            }
            return Ok(Self::Hex(bytes));
        }
        if let Some(expression) = text.strip_prefix("re:") {
            if expression.is_empty() {
                return Err("re: needs an expression, e.g. re:^GET ".to_owned());
            }
            return Ok(Self::Regex(expression.to_owned()));
        }
        Ok(Self::Text(text.to_owned()))
    }
}

impl fmt::Display for MatchPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Every => Ok(()),
            Self::Text(text) => f.write_str(text),
            Self::Hex(bytes) => write!(f, "hex:{}", hex::encode(bytes)),
            Self::Regex(expression) => write!(f, "re:{expression}"),
        }
    }
}

/// What an intercept holds: the messages `framing` cuts (each chunk under `raw`) that
/// `pattern` matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterceptRule {
    pub framing: Spec,
    pub pattern: MatchPattern,
}

/// What becomes of a held message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Release {
    /// Forwarded as it arrived.
    Forward,
    /// Replaced by these bytes, which are forwarded.
    Edit(Bytes),
    /// Never forwarded.
    Drop,
}

impl Release {
    #[must_use]
    pub fn action(&self) -> ReleaseAction {
        match self {
            Self::Forward => ReleaseAction::Forward,
            Self::Edit(_) => ReleaseAction::Edit,
            Self::Drop => ReleaseAction::Drop,
        }
    }
}

/// The `released` event's `action`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReleaseAction {
    Forward,
    Edit,
    Drop,
}

impl ReleaseAction {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Forward => "forward",
            Self::Edit => "edit",
            Self::Drop => "drop",
        }
    }
}

/// The `intercept` event's `state`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum InterceptState {
    /// Matching messages are held from now on.
    On,
    /// Nothing more is held; what was held has been forwarded.
    Off,
}

impl InterceptState {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::On => "on",
            Self::Off => "off",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_parse_and_print_as_written() {
        for text in ["", "GET", "hex:0d0a", "re:^GET /"] {
            let pattern: MatchPattern = text.parse().unwrap();
            assert_eq!(pattern.to_string(), text);
        }
        assert_eq!("hex:0d 0a".parse::<MatchPattern>(), Ok(MatchPattern::Hex(vec![13, 10])));
        assert_eq!("".parse::<MatchPattern>(), Ok(MatchPattern::Every));
        assert_eq!("re:x".parse::<MatchPattern>().unwrap().literal(), None);
        assert_eq!("ab".parse::<MatchPattern>().unwrap().literal(), Some(&b"ab"[..]));
    }

    #[test]
    fn bad_patterns_say_what_is_wrong() {
        for (text, expected) in [
            ("hex:0g", "is not hex bytes"),
            ("hex:", "needs at least one byte"),
            ("re:", "needs an expression"),
        ] {
            let error = text.parse::<MatchPattern>().unwrap_err();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn names_match_the_json_schema() {
        let json = |v: serde_json::Value| v.as_str().unwrap_or_default().to_owned();
        for action in [ReleaseAction::Forward, ReleaseAction::Edit, ReleaseAction::Drop] {
            assert_eq!(action.name(), json(serde_json::to_value(action).unwrap()));
        }
        for state in [InterceptState::On, InterceptState::Off] {
            assert_eq!(state.name(), json(serde_json::to_value(state).unwrap()));
        }
    }
}
