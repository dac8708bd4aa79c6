//! A lesson's handout: `sockscope demo NAME --headless` prints the lesson's text first, then
//! the log with each "why" note under the call it explains, so a teacher can print what the
//! class saw. The notes are the Calls panel's (`event::why`).

use crate::event::why::Surprise;
use crate::event::{ConnId, Event, EventKind, How};
use std::collections::HashSet;
use std::fmt::Write as _;

/// Width the lesson's paragraphs are wrapped to: a printed page.
const PAGE_WIDTH: usize = 78;

/// Where a note starts: under the event text, past the time column (`  0.000377 `).
const NOTE_INDENT: &str = "           ";

/// What the notes need to remember: the sockets that shut their writing (an EOF after that
/// means neither side sends any more).
#[derive(Debug, Default)]
pub struct Handout {
    write_shut: HashSet<ConnId>,
}

impl Handout {
    /// The note for `event`, as a line to print under it.
    pub fn note(&mut self, event: &Event) -> Option<String> {
        let conn = event.conn();
        let write_shut = conn.is_some_and(|conn| self.write_shut.contains(&conn));
        if let (EventKind::Shutdown { how: How::Write | How::Both, .. }, Some(conn)) =
            (&event.kind, conn)
        {
            self.write_shut.insert(conn);
        }
        let note = Surprise::of_event(&event.kind, write_shut)?.note()?;
        Some(format!("{NOTE_INDENT}why: {note}"))
    }
}

/// The lesson's text for a page: the title without its `# `, every paragraph and list item
/// wrapped to [`PAGE_WIDTH`] (list items with a hanging indent). A lesson file is anyone's
/// text: a control character in it is printed as an escape, never sent to the terminal.
#[must_use]
pub fn lesson_text(lesson: &str) -> String {
    let mut out = String::new();
    for line in lesson.lines() {
        let printable = printable(line);
        let line = printable.as_str();
        let (first, rest, text) = if let Some(title) = line.strip_prefix("# ") {
            ("", "", title)
        } else if let Some(item) = line.strip_prefix("- ") {
            ("- ", "  ", item)
        } else {
            ("", "", line)
        };
        for (i, row) in wrap(text, PAGE_WIDTH - first.len()).iter().enumerate() {
            let lead = if i == 0 { first } else { rest };
            let _ = writeln!(out, "{lead}{row}");
        }
        if text.is_empty() {
            out.push('\n');
        }
    }
    out
}

/// A step's note for the page: marked, wrapped, and indented like the log's own notes.
#[must_use]
pub fn note_text(note: &str) -> String {
    let mut out = String::new();
    for (i, row) in wrap(&printable(note), PAGE_WIDTH - NOTE_INDENT.len() - 6).iter().enumerate() {
        let lead = if i == 0 { "note: " } else { "      " };
        let _ = writeln!(out, "{NOTE_INDENT}{lead}{row}");
    }
    out.truncate(out.trim_end().len());
    out
}

/// `text` with every character a terminal would act on (controls, bidi overrides) escaped.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut utf8 = [0; 4];
            let alone = c.encode_utf8(&mut utf8);
            if c == '\\' { alone.to_owned() } else { crate::inspect::escape::escape_str(alone) }
        })
        .collect()
}

/// Words of `text` in rows of at most `width` columns (a longer word has a row of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    let mut row = String::new();
    for word in text.split_whitespace() {
        if !row.is_empty() && row.chars().count() + 1 + word.chars().count() > width {
            rows.push(std::mem::take(&mut row));
        }
        if !row.is_empty() {
            row.push(' ');
        }
        row.push_str(word);
    }
    if !row.is_empty() {
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Op;

    fn event(kind: EventKind) -> Event {
        Event { kind, t_us: 1 }
    }

    #[test]
    fn the_lesson_comes_wrapped_with_its_title_and_hanging_list_items() {
        let text = lesson_text(
            "# title: what\n\nA paragraph long enough to be wrapped: words words words words \
             words words words words words words.\n\nLook at:\n- an item that is long enough \
             to need a second row of its own, with more words after it.\n",
        );
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows[0], "title: what");
        assert!(rows.iter().all(|row| row.chars().count() <= PAGE_WIDTH), "{text}");
        let item = rows.iter().position(|row| row.starts_with("- an item")).expect("{text}");
        assert!(rows[item + 1].starts_with("  "), "hanging indent: {text}");
    }

    #[test]
    fn a_note_follows_a_surprising_call_and_knows_our_own_shutdown() {
        let mut handout = Handout::default();
        let conn = ConnId(2);
        let blocked = handout.note(&event(EventKind::WouldBlock { conn, op: Op::Recv }));
        assert!(blocked.is_some_and(|n| n.contains("why: nothing to read now")));
        let eof = handout.note(&event(EventKind::Eof { conn })).expect("a note");
        assert!(eof.contains("you may still send"), "{eof}");
        handout.note(&event(EventKind::Shutdown { conn, how: How::Write }));
        let eof = handout.note(&event(EventKind::Eof { conn })).expect("a note");
        assert!(eof.contains("neither side sends"), "{eof}");
        let ordinary = EventKind::Interest { conn, read: true, write: false };
        assert_eq!(handout.note(&event(ordinary)), None);
    }
}
