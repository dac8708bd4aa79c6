//! A one-line text editor for the command line and the prompts.
//!
//! Its text never holds a control character: a pasted newline becomes the two characters `\n`
//! (which the send-text prompt turns back into a newline), any other control or invisible
//! character its escape (`\x1b`, `\u{202e}`). So the line can be drawn as it is, and what is
//! drawn is what will be parsed.

use crate::inspect::escape::{escape_str, is_safe_char};

/// Text plus a cursor (a char index, `0..=len`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineEditor {
    text: String,
    cursor: usize,
}

impl LineEditor {
    /// An editor holding `text`, cursor at its end.
    #[must_use]
    pub fn with_text(text: &str) -> Self {
        let mut editor = Self::default();
        editor.insert_str(text);
        editor
    }

    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor as a char index.
    #[must_use]
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The text before the cursor (for placing the terminal cursor).
    #[must_use]
    pub fn before_cursor(&self) -> &str {
        &self.text[..self.byte_index(self.cursor)]
    }

    /// Inserts typed or pasted text at the cursor, control characters as escapes.
    pub fn insert_str(&mut self, text: &str) {
        for c in text.chars() {
            self.insert(c);
        }
    }

    /// Inserts one character at the cursor, a control or invisible character as its escape.
    pub fn insert(&mut self, c: char) {
        let piece = if c == '\\' || is_safe_char(c) {
            c.to_string()
        } else {
            escape_str(c.encode_utf8(&mut [0; 4]))
        };
        let at = self.byte_index(self.cursor);
        self.text.insert_str(at, &piece);
        self.cursor += piece.chars().count();
    }

    pub fn delete_backward(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = self.byte_index(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn delete_forward(&mut self) {
        if self.cursor < self.len() {
            let at = self.byte_index(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn move_left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn move_right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.len());
    }

    pub fn move_to_start(&mut self) {
        self.cursor = 0;
    }

    pub fn move_to_end(&mut self) {
        self.cursor = self.len();
    }

    /// Ctrl-W: deletes the word before the cursor and the spaces after it (readline's
    /// `unix-word-rubout`: words end at whitespace).
    pub fn delete_word_backward(&mut self) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut from = self.cursor;
        while from > 0 && chars[from - 1].is_whitespace() {
            from -= 1;
        }
        while from > 0 && !chars[from - 1].is_whitespace() {
            from -= 1;
        }
        self.delete_chars(from, self.cursor);
        self.cursor = from;
    }

    /// Ctrl-U: deletes from the start of the line to the cursor.
    pub fn delete_to_start(&mut self) {
        self.delete_chars(0, self.cursor);
        self.cursor = 0;
    }

    /// Ctrl-K: deletes from the cursor to the end of the line.
    pub fn delete_to_end(&mut self) {
        self.delete_chars(self.cursor, self.len());
    }

    /// Alt-b: to the start of the word before the cursor (words are letters and digits).
    pub fn move_word_left(&mut self) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut at = self.cursor;
        while at > 0 && !chars[at - 1].is_alphanumeric() {
            at -= 1;
        }
        while at > 0 && chars[at - 1].is_alphanumeric() {
            at -= 1;
        }
        self.cursor = at;
    }

    /// Alt-f: to the end of the word after the cursor.
    pub fn move_word_right(&mut self) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut at = self.cursor;
        while at < chars.len() && !chars[at].is_alphanumeric() {
            at += 1;
        }
        while at < chars.len() && chars[at].is_alphanumeric() {
            at += 1;
        }
        self.cursor = at;
    }

    /// Replaces the text before the cursor (Tab completion), keeping what follows it.
    pub fn replace_before_cursor(&mut self, text: &str) {
        let after = self.text[self.byte_index(self.cursor)..].to_string();
        self.replace(text);
        let cursor = self.cursor;
        self.insert_str(&after);
        self.cursor = cursor;
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    /// Replaces the whole text (history recall), cursor at the end.
    pub fn replace(&mut self, text: &str) {
        self.clear();
        self.insert_str(text);
    }

    /// Removes the characters `from..to` (char indices).
    fn delete_chars(&mut self, from: usize, to: usize) {
        let (from, to) = (self.byte_index(from), self.byte_index(to));
        self.text.replace_range(from..to, "");
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    fn byte_index(&self, char_index: usize) -> usize {
        self.text.char_indices().nth(char_index).map_or(self.text.len(), |(at, _)| at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readline_kills_and_word_moves() {
        let mut editor = LineEditor::with_text("send GET /x  ");
        editor.delete_word_backward();
        assert_eq!(editor.text(), "send GET ");
        editor.move_word_left();
        assert_eq!(editor.before_cursor(), "send ");
        editor.move_word_left();
        assert_eq!(editor.cursor(), 0);
        editor.move_word_right();
        assert_eq!(editor.before_cursor(), "send");
        editor.delete_to_end();
        assert_eq!(editor.text(), "send");
        editor.move_left();
        editor.delete_to_start();
        assert_eq!((editor.text(), editor.cursor()), ("d", 0));
        let mut editor = LineEditor::with_text("lis 9000");
        editor.move_to_start();
        editor.move_word_right();
        editor.replace_before_cursor("listen");
        assert_eq!((editor.text(), editor.before_cursor()), ("listen 9000", "listen"));
    }

    #[test]
    fn edits_at_the_cursor() {
        let mut editor = LineEditor::with_text("héllo");
        editor.move_left();
        editor.move_left();
        editor.insert('X');
        assert_eq!(editor.text(), "hélXlo");
        assert_eq!(editor.before_cursor(), "hélX");
        editor.delete_backward();
        editor.delete_forward();
        assert_eq!(editor.text(), "hélo");
        editor.move_to_start();
        editor.delete_backward();
        editor.move_left();
        assert_eq!(editor.cursor(), 0);
        editor.move_to_end();
        editor.delete_forward();
        editor.move_right();
        assert_eq!((editor.text(), editor.cursor()), ("hélo", 4));
        editor.clear();
        assert_eq!((editor.text(), editor.cursor()), ("", 0));
    }

    #[test]
    fn control_characters_become_escapes() {
        let editor = LineEditor::with_text("a\nb\r\t\u{1b}[2J\u{9b}\u{202e}\\");
        assert_eq!(editor.text(), r"a\nb\r\t\x1b[2J\u{9b}\u{202e}\");
        assert!(!editor.text().chars().any(char::is_control));
    }
}
