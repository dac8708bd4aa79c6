//! A lesson's handout: `sockscope demo NAME --headless` prints the lesson's text first, then
//! the log with each "why" note under the call it explains, so a teacher can print what the
//! class saw. The notes are the Calls panel's (`event::why`).

use crate::event::why::{self, Surprise};
use crate::event::{ConnId, Event, EventKind, How};
use crate::inspect::prose;
use crate::locale::Lang;
use std::collections::HashSet;
use std::fmt::Write as _;

/// Width the lesson's paragraphs are wrapped to: a printed page.
const PAGE_WIDTH: usize = 78;

/// Where a note starts: under the event text, past the time column (`  0.000377 `).
const NOTE_INDENT: &str = "           ";

/// What the notes need to know: their language, and the sockets that shut their writing (an
/// EOF after that means neither side sends any more).
#[derive(Debug)]
pub struct Handout {
    lang: Lang,
    label: String,
    write_shut: HashSet<ConnId>,
}

impl Handout {
    /// A handout whose notes are in `lang`.
    #[must_use]
    pub fn new(lang: Lang) -> Self {
        Self { lang, label: why::label(lang), write_shut: HashSet::new() }
    }

    /// The note for `event`, as a line to print under it.
    pub fn note(&mut self, event: &Event) -> Option<String> {
        let conn = event.conn();
        let write_shut = conn.is_some_and(|conn| self.write_shut.contains(&conn));
        if let (EventKind::Shutdown { how: How::Write | How::Both, .. }, Some(conn)) =
            (&event.kind, conn)
        {
            self.write_shut.insert(conn);
        }
        let note = Surprise::of_event(&event.kind, write_shut)?.note(self.lang)?;
        Some(format!("{NOTE_INDENT}{}: {note}", self.label))
    }
}

/// The lesson's text for a page: the title without its `# `, every paragraph and list item
/// wrapped to [`PAGE_WIDTH`] cells (list items with a hanging indent; Chinese text two cells
/// a character, broken between characters). A lesson file is anyone's text: a control
/// character in it is printed as an escape, never sent to the terminal.
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
        if text.trim().is_empty() {
            out.push('\n');
            continue;
        }
        for row in prose::wrap(text, PAGE_WIDTH, first, rest) {
            let _ = writeln!(out, "{row}");
        }
    }
    out
}

/// A step's note for the page: marked, wrapped by display width, and indented like the log's
/// own notes.
#[must_use]
pub fn note_text(note: &str) -> String {
    let mut out = String::new();
    let width = PAGE_WIDTH - NOTE_INDENT.len();
    for row in prose::wrap(&printable(note), width, "note: ", "      ") {
        let _ = writeln!(out, "{NOTE_INDENT}{row}");
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
        assert!(rows.iter().all(|row| prose::width(row) <= PAGE_WIDTH), "{text}");
        let item = rows.iter().position(|row| row.starts_with("- an item")).expect("{text}");
        assert!(rows[item + 1].starts_with("  "), "hanging indent: {text}");
    }

    #[test]
    fn a_note_follows_a_surprising_call_and_knows_our_own_shutdown() {
        let mut handout = Handout::new(Lang::En);
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

    #[test]
    fn a_chinese_lesson_is_wrapped_by_display_width_and_its_notes_are_chinese() {
        let paragraph = "recv 回傳目前已經抵達的資料，最多到你給它的大小。它不知道你的訊息從哪裡開始、\
                         在哪裡結束，也從不等待「整則訊息」。這裡每次 recv 最多只要求 5 個位元組。";
        let text = lesson_text(&format!("# partial-recv: 一則訊息分段抵達\n\n{paragraph}\n"));
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows[0], "partial-recv: 一則訊息分段抵達");
        assert!(rows.iter().all(|row| prose::width(row) <= PAGE_WIDTH), "{text}");
        assert!(rows.len() >= 4, "the paragraph takes rows: {text}");
        assert_eq!(rows[2..].concat().replace(' ', ""), paragraph.replace(' ', ""));
        let mut handout = Handout::new(Lang::ZhTw);
        let conn = ConnId(2);
        let note = handout.note(&event(EventKind::WouldBlock { conn, op: Op::Recv }));
        assert_eq!(
            note.as_deref().map(str::trim),
            Some("為什麼: 現在沒有資料可讀：等 poll 回報可讀再讀")
        );
    }
}
