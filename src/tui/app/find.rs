//! Go to an offset, search the cursor's stream, and copy the selection as source text: each
//! works on the bytes still in memory of the direction the Data cursor is in.

use super::{App, Cursor, Overlay, Prompt, PromptKind, find_datagrams};
use crate::inspect::literal::Format;
use crate::inspect::search::{Direction, Needle};
use crate::tui::lineedit::LineEditor;
use crate::tui::msg::Effect;
use crate::tui::payload::{parse_escaped_text, parse_hex};
use regex::bytes::RegexBuilder;
use std::path::PathBuf;

/// Most bytes copied into the send line (a longer line is no use to edit by hand).
pub const SEND_LINE_CAP: u64 = 64 << 10;
/// Most bytes copied into a file.
pub const FILE_CAP: u64 = 64 << 20;
/// Compiled size allowed for a search regex: a pattern can never exhaust memory.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// The last search, for `]` and `[`.
#[derive(Clone, Debug)]
pub struct LastSearch {
    pub text: String,
    pub needle: Needle,
}

/// Where `:copy` and the copy menu put the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopyTarget {
    /// The send line, to edit and send (hex into the hex prompt, the others as text).
    SendLine,
    /// A new file (never overwritten).
    File(PathBuf),
}

/// What a search prompt's text means: `re:REGEX`, `hex:00 0a` (or `x:`), else text with the
/// send line's escapes.
pub fn parse_needle(text: &str) -> Result<Needle, String> {
    if let Some(pattern) = text.strip_prefix("re:") {
        let regex = RegexBuilder::new(pattern)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|err| format!("search regex: {err}"))?;
        return Ok(Needle::Regex(regex));
    }
    let bytes = match text.strip_prefix("hex:").or_else(|| text.strip_prefix("x:")) {
        Some(hex) => parse_hex(hex)?,
        None => parse_escaped_text(text)?,
    };
    if bytes.is_empty() {
        return Err("nothing to search for".into());
    }
    Ok(Needle::Bytes(bytes))
}

/// An offset typed at `g`: `0x1f0` or `496`, `+16`/`-16` from the cursor, `^` (the first byte
/// kept) or `$` (the last).
pub fn parse_offset(text: &str, cursor: u64, kept: std::ops::Range<u64>) -> Result<u64, String> {
    let text = text.trim();
    let number = |digits: &str| {
        let parsed = match digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => digits.parse(),
        };
        parsed.map_err(|_| format!("offset {text:?}: write 0x1f0, 496, +16, -16, ^ or $"))
    };
    match text {
        "^" => Ok(kept.start),
        "$" => Ok(kept.end.saturating_sub(1)),
        _ if text.starts_with('+') => Ok(cursor.saturating_add(number(&text[1..])?)),
        _ if text.starts_with('-') => Ok(cursor.saturating_sub(number(&text[1..])?)),
        _ => number(text),
    }
}

impl App {
    /// Opens a prompt that works on the cursor's stream (go to, search).
    pub(super) fn open_cursor_prompt(&mut self, kind: PromptKind) {
        if let Some(cursor) = self.cursor_or_start() {
            let editor = LineEditor::default();
            self.overlay = Overlay::Prompt(Prompt { kind, conn: cursor.conn, editor });
        }
    }

    pub(super) fn go_to(&mut self, text: &str) {
        let Some(cursor) = self.cursor() else { return };
        let kept = self.kept(cursor);
        match parse_offset(text, cursor.offset, kept.clone()) {
            Ok(at) if kept.contains(&at) => self.put_cursor(Cursor { offset: at, ..cursor }),
            Ok(at) if at < kept.start => self.set_error(format!(
                "offset {at:#x} is no longer in memory (the first byte kept is {:#x})",
                kept.start
            )),
            Ok(at) => self
                .set_error(format!("offset {at:#x} is past the end ({} bytes so far)", kept.end)),
            Err(message) => self.set_error(message),
        }
    }

    /// A search typed at `/` or `\`: remembered for `]`/`[`, then run.
    pub(super) fn search_from_prompt(&mut self, text: &str, direction: Direction) {
        match parse_needle(text) {
            Ok(needle) => {
                self.last_search = Some(LastSearch { text: text.to_string(), needle });
                self.search_again(direction);
            }
            Err(message) => self.set_error(message),
        }
    }

    /// Finds the next (or previous) match from the cursor, wrapping around once, and selects
    /// it.
    pub(super) fn search_again(&mut self, direction: Direction) {
        let Some(last) = self.last_search.clone() else {
            self.set_error("no search yet: / searches forward, \\ backward");
            return;
        };
        let Some(cursor) = self.cursor_or_start() else { return };
        let Some(conn) = self.session.connection(cursor.conn) else { return };
        let stream = conn.stream(cursor.dir);
        let kept = stream.retained();
        let source = |range, out: &mut Vec<u8>| stream.read(range, out);
        let from = match direction {
            Direction::Forward => cursor.offset.saturating_add(1),
            Direction::Backward => cursor.offset,
        };
        let mut wrapped = false;
        let find = |from| {
            find_datagrams::find(stream, &last.needle, &source, kept.clone(), from, direction)
        };
        let mut found = find(from);
        if found.is_none() {
            let restart = if direction == Direction::Forward { kept.start } else { kept.end };
            found = find(restart);
            wrapped = found.is_some();
        }
        let dir = cursor.dir.name();
        let Some(found) = found else {
            self.set_error(format!("{:?} not found in the {dir} bytes kept", last.text));
            return;
        };
        let anchor = found.end.saturating_sub(1).max(found.start);
        self.put_cursor(Cursor { offset: found.start, anchor: Some(anchor), ..cursor });
        let len = found.end - found.start;
        let note = if wrapped { ", wrapped around" } else { "" };
        self.set_info(format!("{:?}: {len} B at {:#x} ({dir}){note}", last.text, found.start));
    }

    /// Opens the copy menu (`y`) when there is a selection to copy.
    pub(super) fn open_copy_menu(&mut self) {
        match self.cursor() {
            Some(cursor) if cursor.has_selection() => self.overlay = Overlay::CopyMenu,
            Some(_) => self.set_error("select bytes first: v starts a selection at the cursor"),
            None => self.set_error("no selection: move the cursor in the Data panel, then v"),
        }
    }

    /// Writes the selection as `format` into the send line or a new file.
    pub(super) fn copy_selection(&mut self, format: Format, target: CopyTarget) -> Vec<Effect> {
        self.overlay = Overlay::None;
        let Some(cursor) = self.cursor().filter(Cursor::has_selection) else {
            self.set_error("no selection to copy (v in the Data panel selects)");
            return Vec::new();
        };
        let cap = if target == CopyTarget::SendLine { SEND_LINE_CAP } else { FILE_CAP };
        let range = cursor.selection();
        if range.end - range.start > cap {
            self.set_error(format!("the selection is over {cap} bytes: select less to copy"));
            return Vec::new();
        }
        let Some(conn) = self.session.connection(cursor.conn) else { return Vec::new() };
        let mut bytes = Vec::new();
        if conn.stream(cursor.dir).read(range.clone(), &mut bytes) != range {
            self.set_error("part of the selection is no longer in memory");
            return Vec::new();
        }
        let text = format.render(&bytes);
        match target {
            CopyTarget::SendLine => {
                self.open_send_line(cursor.conn, format, &text);
                Vec::new()
            }
            CopyTarget::File(path) => vec![Effect::WriteFile { path, contents: text.into_bytes() }],
        }
    }

    /// The send prompt, filled in: hex goes to the hex prompt; other formats are text, their
    /// backslashes doubled so that sending sends exactly that text.
    fn open_send_line(&mut self, conn: crate::event::ConnId, format: Format, text: &str) {
        let (kind, line) = match format {
            Format::Hex => {
                let pairs: Vec<&str> =
                    text.as_bytes().chunks(2).filter_map(|p| std::str::from_utf8(p).ok()).collect();
                (PromptKind::SendHex, pairs.join(" "))
            }
            _ => (PromptKind::SendText, text.replace('\\', "\\\\")),
        };
        let mut editor = LineEditor::default();
        editor.replace(&line);
        self.overlay = Overlay::Prompt(Prompt { kind, conn, editor });
        self.set_info(format!("copied as {}: edit, then Enter sends it", format.name()));
    }

    /// A file write asked for by `:copy` has finished.
    pub(super) fn finish_writing(&mut self, path: &std::path::Path, result: Result<u64, String>) {
        match result {
            Ok(len) => self.set_info(format!("wrote {len} bytes to {}", path.display())),
            Err(message) => self.set_error(format!("{}: {message}", path.display())),
        }
    }

    fn kept(&self, cursor: Cursor) -> std::ops::Range<u64> {
        self.session.connection(cursor.conn).map_or(0..0, |conn| conn.stream(cursor.dir).retained())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needles_parse_from_text_hex_and_regex() {
        assert!(matches!(parse_needle("GET \\r\\n"), Ok(Needle::Bytes(b)) if b == b"GET \r\n"));
        assert!(matches!(parse_needle("hex:00 0a"), Ok(Needle::Bytes(b)) if b == [0, 10]));
        assert!(matches!(parse_needle("x:ff"), Ok(Needle::Bytes(b)) if b == [0xff]));
        assert!(matches!(parse_needle("re:[0-9]+"), Ok(Needle::Regex(_))));
        assert!(parse_needle("").unwrap_err().contains("nothing"));
        assert!(parse_needle("re:(").unwrap_err().contains("regex"));
        assert!(parse_needle("hex:zz").is_err());
        assert!(parse_needle("\\q").unwrap_err().contains("escape"));
        let huge = format!("re:{}", "a{1000}".repeat(50));
        assert!(parse_needle(&huge).is_err(), "a pattern too big to compile is refused");
    }

    #[test]
    fn offsets_parse_absolute_relative_and_ends() {
        let kept = 16..100;
        let table: [(&str, Result<u64, ()>); 9] = [
            ("0x20", Ok(32)),
            ("32", Ok(32)),
            ("+4", Ok(54)),
            ("-4", Ok(46)),
            ("-400", Ok(0)),
            ("^", Ok(16)),
            ("$", Ok(99)),
            ("0xzz", Err(())),
            ("", Err(())),
        ];
        for (text, expected) in table {
            assert_eq!(parse_offset(text, 50, kept.clone()).map_err(|_| ()), expected, "{text:?}");
        }
    }
}
