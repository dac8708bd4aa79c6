//! What was typed before, for ↑/↓ in the command line and the send prompts: each line editor
//! that remembers has its own history, which also knows which entry is on show.

/// Lines kept, oldest first, and the one ↑/↓ has put in the editor.
#[derive(Clone, Debug, Default)]
pub struct History {
    entries: Vec<String>,
    shown: Option<usize>,
}

/// Most lines a history keeps.
const LIMIT: usize = 100;

impl History {
    /// Keeps `line` as the newest entry (not an empty one, nor the newest again), and starts
    /// the next recall from the newest.
    pub fn remember(&mut self, line: &str) {
        self.shown = None;
        if line.trim().is_empty() || self.entries.last().is_some_and(|last| last == line) {
            return;
        }
        if self.entries.len() == LIMIT {
            self.entries.remove(0);
        }
        self.entries.push(line.to_string());
    }

    /// A new line is being typed: the next ↑ shows the newest entry.
    pub fn restart(&mut self) {
        self.shown = None;
    }

    /// ↑ (`step` < 0) or ↓: the entry to show, `""` past the newest; `None` when there are
    /// no entries (the line stays as it is).
    pub fn recall(&mut self, step: isize) -> Option<&str> {
        let last = self.entries.len().checked_sub(1)?;
        self.shown = match (self.shown, step < 0) {
            (None, true) => Some(last),
            (None, false) => None,
            (Some(at), true) => Some(at.saturating_sub(1)),
            (Some(at), false) => (at < last).then_some(at + 1),
        };
        Some(self.shown.map_or("", |at| self.entries[at].as_str()))
    }

    #[must_use]
    pub fn entries(&self) -> &[String] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_walk_back_and_forth_and_past_the_newest() {
        let mut history = History::default();
        assert_eq!(history.recall(-1), None);
        for line in ["a", "b", "b", " ", "c"] {
            history.remember(line);
        }
        assert_eq!(history.entries(), ["a", "b", "c"]);
        let walk: Vec<Option<String>> =
            [-1, -1, -1, -1, 1, 1, 1].map(|step| history.recall(step).map(String::from)).into();
        let expected = ["c", "b", "a", "a", "b", "c", ""].map(|s| Some(s.to_string()));
        assert_eq!(walk, expected);
        history.restart();
        assert_eq!(history.recall(-1), Some("c"));
    }
}
