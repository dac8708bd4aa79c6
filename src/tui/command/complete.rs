//! Tab in the command line: the word before the cursor completed from the command table, a
//! command's name or its first argument, as far as the candidates agree (a shell's way).

use super::table::{COMMANDS, Choices, find};

/// What Tab does to the text before the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// The new text before the cursor.
    pub before: String,
    /// Every candidate when more than one remains (to show them), else nothing.
    pub candidates: Vec<String>,
}

/// Completes the last word of `before` (the command line's text before the cursor); `None`
/// when nothing matches. `scenarios` are the names `:demo` takes.
#[must_use]
pub fn complete(before: &str, scenarios: &[&str]) -> Option<Completion> {
    let body = before.trim_start().trim_start_matches(':');
    let name_end = body.find(char::is_whitespace);
    let (candidates, word): (Vec<&str>, &str) = match name_end {
        None => (COMMANDS.iter().map(|spec| spec.name).collect(), body),
        Some(end) => {
            let (name, rest) = body.split_at(end);
            let rest = rest.trim_start();
            // Only the first argument has choices; a second word is free text.
            if rest.contains(char::is_whitespace) {
                return None;
            }
            let choices = match find(name)?.choices {
                Choices::Free => return None,
                Choices::Words(words) => words.to_vec(),
                Choices::Scenarios => scenarios.to_vec(),
            };
            (choices, rest)
        }
    };
    let matching: Vec<&str> = candidates.into_iter().filter(|c| c.starts_with(word)).collect();
    let common = common_prefix(&matching)?;
    let kept = &before[..before.len() - word.len()];
    let mut completed = format!("{kept}{common}");
    if matching.len() == 1 && takes_more(name_end.is_none(), &common) {
        completed.push(' ');
    }
    let candidates = if matching.len() > 1 {
        matching.iter().map(ToString::to_string).collect()
    } else {
        Vec::new()
    };
    Some(Completion { before: completed, candidates })
}

/// Whether a completed word is followed by more: a command that takes arguments, or an
/// argument word that is complete (a framing such as `len:` goes on without a space).
fn takes_more(is_name: bool, word: &str) -> bool {
    if is_name {
        find(word).is_some_and(|spec| !spec.args.is_empty())
    } else {
        !word.ends_with(':')
    }
}

/// The longest prefix all of `words` share (`None` for no words).
fn common_prefix(words: &[&str]) -> Option<String> {
    let (first, rest) = words.split_first()?;
    let mut prefix: &str = first;
    for word in rest {
        let shared = prefix.chars().zip(word.chars()).take_while(|(a, b)| a == b).count();
        prefix = &prefix[..prefix.char_indices().nth(shared).map_or(prefix.len(), |(at, _)| at)];
    }
    Some(prefix.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tab(before: &str) -> Option<(String, usize)> {
        complete(before, &["echo", "eof-and-shutdown", "select"])
            .map(|done| (done.before, done.candidates.len()))
    }

    #[test]
    fn names_complete_as_far_as_they_agree() {
        assert_eq!(tab("lis"), Some(("listen ".into(), 0)));
        assert_eq!(tab(":lis"), Some((":listen ".into(), 0)));
        assert_eq!(
            tab("se"),
            Some(("se".into(), 6)),
            "send sendto send-hex send-queued seek select"
        );
        assert_eq!(tab("send-q"), Some(("send-queued".into(), 0)), "no arguments: no space");
        assert_eq!(tab("zz"), None);
    }

    #[test]
    fn first_arguments_complete_from_their_choices() {
        assert_eq!(tab("shutdown w"), Some(("shutdown write ".into(), 0)));
        assert_eq!(tab("nodelay o"), Some(("nodelay o".into(), 2)));
        assert_eq!(tab("framing le"), Some(("framing len:".into(), 0)));
        assert_eq!(tab("demo e"), Some(("demo e".into(), 2)));
        assert_eq!(tab("demo se"), Some(("demo select ".into(), 0)));
        assert_eq!(tab("listen 90"), None, "an address is free text");
        assert_eq!(tab("copy hex fi"), None, "a second word is free text");
    }
}
