//! The framing a replay cuts its streams with: the one asked for, else the one recorded.

use super::StartInfo;
use crate::framing::{DEFAULT_MAX_MESSAGE, Spec};
use std::path::PathBuf;

/// A recording to show again, as asked (`replay FILE [--framing SPEC] [--retain SIZE]`): what
/// both runners, the terminal UI and the printed log, start a replay with.
#[derive(Clone, Debug)]
pub struct Replay {
    pub path: PathBuf,
    /// `--framing`, validated; `None`: the framing recorded in the file (raw if none).
    pub framing: Option<Spec>,
    /// `--max-message`; `None`: the recorded cap (16 MiB if none).
    pub max_message: Option<usize>,
    /// `--retain`: the memory the terminal UI keeps for its views.
    pub retain: usize,
}

impl Replay {
    /// The framing to replay with; see [`replay_framing`].
    #[must_use]
    pub fn framing_for(&self, start: Option<&StartInfo>) -> (Spec, usize, Option<String>) {
        replay_framing(self.framing.as_ref(), self.max_message, start)
    }
}

/// The framing to replay with: `framing` (`--framing`) if given, else the one recorded, else
/// raw; with a warning when the recorded one cannot be used.
#[must_use]
pub fn replay_framing(
    framing: Option<&Spec>,
    max_message: Option<usize>,
    start: Option<&StartInfo>,
) -> (Spec, usize, Option<String>) {
    {
        let recorded = start.and_then(|s| s.framing.as_ref());
        let max_message =
            max_message.or(recorded.map(|(_, max)| *max)).unwrap_or(DEFAULT_MAX_MESSAGE);
        if let Some(spec) = framing {
            return (spec.clone(), max_message, None);
        }
        let Some((text, _)) = recorded else { return (Spec::Raw, max_message, None) };
        let usable = text
            .parse::<Spec>()
            .map_err(|e| e.to_string())
            .and_then(|spec| spec.validate(max_message).map_err(|e| e.to_string()).map(|()| spec));
        match usable {
            Ok(spec) => (spec, max_message, None),
            Err(err) => {
                let text = crate::inspect::escape::escape_str(text);
                let warning =
                    format!("the recorded framing '{text}' is not usable ({err}); using raw");
                (Spec::Raw, max_message, Some(warning))
            }
        }
    }
}
