//! What is wrong with a text file a person wrote (a lesson, the config file), and where: the
//! same `FILE:LINE:COLUMN: message` form for every such file.

use super::escape::escape_str;
use std::fmt;

/// One problem with a file, with its line and column when it has a place in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    /// The file as the person named it (`-` for standard input).
    pub file: String,
    /// Line and column, from 1; `None` when the problem is not in the text (it cannot be
    /// read).
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl FileError {
    /// The problem `message` at byte `offset` of `text`, the contents of `file`.
    #[must_use]
    pub fn at_offset(file: &str, text: &str, offset: usize, message: String) -> Self {
        Self { file: file.to_owned(), at: Some(line_column(text, offset)), message }
    }
}

impl fmt::Display for FileError {
    /// Escaped: a name quoted from the file (or the file's own name) may hold control
    /// characters, which must not reach the terminal as such.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (file, message) = (escape_str(&self.file), escape_str(&self.message));
        match self.at {
            Some((line, column)) => write!(f, "{file}:{line}:{column}: {message}"),
            None => write!(f, "{file}: {message}"),
        }
    }
}

impl std::error::Error for FileError {}

/// Line and column (from 1, the column in characters) of byte `offset` in `text`.
#[must_use]
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_reads_as_its_line_and_column_in_characters() {
        let text = "a = 1\nnamé = x\n";
        let at = text.find('x').unwrap();
        let error = FileError::at_offset("f.toml", text, at, "bad".into());
        assert_eq!(error.at, Some((2, 8)));
        assert_eq!(error.to_string(), "f.toml:2:8: bad");
    }
}
