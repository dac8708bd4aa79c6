//! Lesson files: a lesson (its texts, its server, its clients and its steps) in TOML, as
//! `docs/lesson-format.md` describes. The built-in lessons are such files, compiled in; a
//! teacher's own runs with `sockscope run FILE`.
//!
//! A file is read whole before anything runs: any problem, of TOML or of meaning (a client
//! no step connected, bad hex, a regex that does not compile, an unknown option), is one
//! [`LessonError`] naming the file, line and column.

mod option;
mod payload;
mod raw;
mod steps;
mod text;
mod validate;

pub use steps::DEFAULT_TIMEOUT;
pub use text::{DEFAULT_LANG, LocalText, is_language_tag};

use super::script::Plan;
use std::ops::Range;

/// A problem and the bytes of the file it is about.
type Bad = (Range<usize>, String);

fn at(span: Range<usize>, why: String) -> Bad {
    (span, why)
}

/// A lesson read from its file.
#[derive(Clone, Debug)]
pub struct Lesson {
    /// What `demo --list`, the picker and the log call it: the file's `name`, or the file
    /// name without `.toml`.
    pub name: String,
    /// The language of its plain strings.
    pub lang: String,
    pub title: LocalText,
    /// One line for `demo --list` and the picker (the title, when the file has none).
    pub summary: LocalText,
    /// `[program]`: the file name and source of a program the lesson has the person trace.
    pub program: Option<(String, String)>,
    pub(super) plan: Plan,
}

impl Lesson {
    /// The lesson panel's text in `lang`: `# ` and the title, a blank line, then the text.
    #[must_use]
    pub fn text(&self, lang: &str) -> String {
        let (title, text) = (self.title.text(lang), self.plan.text.text(lang));
        format!("# {title}\n\n{}\n", text.trim())
    }

    /// The notes of its steps, in the order of the steps, each in every language it has.
    pub fn notes(&self) -> impl Iterator<Item = &LocalText> {
        self.plan.notes.values()
    }
}

/// Why a lesson file cannot be used.
pub type LessonError = crate::inspect::file_error::FileError;

/// Reads the lesson in `source`, from the file called `file` (for messages); it is called
/// `name` unless it names itself.
pub fn parse(source: &str, file: &str, name: &str) -> Result<Lesson, LessonError> {
    let error = |(span, message): Bad| LessonError::at_offset(file, source, span.start, message);
    let raw: raw::RawLesson = toml::from_str(source).map_err(|err| {
        let span = err.span().unwrap_or(0..0);
        error((span, err.message().trim_end().to_owned()))
    })?;
    validate::lesson(raw, name, source).map_err(error)
}

/// The most a lesson file may hold: far more than any lesson needs, little enough to read
/// at once.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Reads the lesson file at `path`; it is called after the file, without `.toml`, unless it
/// names itself.
pub fn read(path: &std::path::Path) -> Result<Lesson, LessonError> {
    use std::io::Read as _;
    let file = path.display().to_string();
    let unreadable = |message: String| LessonError { file: file.clone(), at: None, message };
    let opened = std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
    let mut source = String::new();
    let read = opened.take(MAX_FILE_BYTES + 1).read_to_string(&mut source);
    read.map_err(|e| unreadable(format!("not a text file: {e}")))?;
    from_source(&source, &file, path)
}

/// Reads a lesson from `source`, the text of the file `path` names (`file` for messages).
pub fn from_source(
    source: &str,
    file: &str,
    path: &std::path::Path,
) -> Result<Lesson, LessonError> {
    if source.len() as u64 > MAX_FILE_BYTES {
        let message = format!("more than {MAX_FILE_BYTES} bytes: not a lesson file");
        return Err(LessonError { file: file.to_owned(), at: None, message });
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    let name = stem.filter(|s| !s.is_empty() && s != "-").unwrap_or_else(|| "lesson".into());
    parse(source, file, &name)
}

#[cfg(test)]
mod tests;
