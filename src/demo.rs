//! Built-in scenarios: self-contained sessions on loopback that show socket behaviour live.
//!
//! A scenario is a scripted user: it asks the engine to open sockets and send bytes, and reacts
//! to the events that come back. It never touches a socket itself, so the same scenario drives
//! the terminal UI and `sockscope demo --headless`, and its script can be tested with hand-made
//! events. Every peer is a socket of the same engine on 127.0.0.1 (a listener on port 0 and the
//! clients the script connects to it), so a scenario needs nothing outside the process.
//!
//! `messages` is a tour of every panel; it and the lessons (`echo`, `partial-recv`, ...) are
//! lesson files (`assets/lessons/NAME.toml`, compiled in; see [`lesson_file`]) that parse into
//! a [`script::Plan`] (engine settings, framing, and a list of steps) run by one
//! [`script::Scripted`] runner. A teacher's own lesson file runs the same way.

mod cast;
pub mod lesson_file;
mod script;

use crate::engine::EngineConfig;
use crate::event::{Command, ConnId, Event};
use crate::framing::Spec;
use std::fmt::Write as _;
use std::sync::LazyLock;
use std::time::Duration;

pub use lesson_file::{Lesson, LessonError};
pub use script::{Scripted, Target};

/// A scripted session.
///
/// Whoever runs a scenario calls [`Scenario::start`] once, then [`Scenario::on_event`] for
/// every engine event and [`Scenario::on_tick`] about every [`Scenario::tick`], sends the
/// commands they return to the engine, and after each of these calls applies
/// [`Scenario::take_framings`].
pub trait Scenario: Send + std::fmt::Debug {
    /// Its name: a built-in's in [`scenarios`], or a lesson file's.
    fn name(&self) -> &str;
    /// The lesson panel's text: `# ` and a title, then paragraphs and lists (see
    /// [`Lesson::text`]); `None` for a scenario without a lesson.
    fn lesson_text(&self) -> Option<String> {
        None
    }
    /// The engine settings the scenario needs (e.g. an echo server), on top of `base`.
    fn engine_config(&self, base: EngineConfig) -> EngineConfig;
    /// The framing under which its messages make sense, for every connection that
    /// [`Scenario::take_framings`] does not name.
    fn framing(&self) -> Spec;
    /// How often [`Scenario::on_tick`] wants to be called.
    fn tick(&self) -> Duration;
    /// The commands that start it.
    fn start(&mut self) -> Vec<Command>;
    /// Reacts to one engine event.
    fn on_event(&mut self, event: &Event) -> Vec<Command>;
    /// Advances the script; `now_us` is the time since the scenario started.
    fn on_tick(&mut self, now_us: u64) -> Vec<Command>;
    /// Whether the script has run to completion (a headless run then ends).
    fn is_finished(&self) -> bool;
    /// A command the person sent the engine (`SetPace`, `SetManual`, `Step`, ...): a scenario
    /// that holds while the session is stepped or in manual mode learns of it here.
    fn on_user_command(&mut self, _command: &Command) {}
    /// Framings for particular connections, asked for since the previous call (most scenarios
    /// ask for none). Each applies to both directions of its connection from then on: the UI
    /// frames that connection's streams so (`Session::set_framing(Some(conn), spec)`), headless
    /// derives that connection's `message` events so. A scenario names a connection as soon as
    /// the event that creates it (`connect`, `accept`) has reached it, before any of its bytes.
    fn take_framings(&mut self) -> Vec<SetFraming> {
        Vec::new()
    }
    /// The notes of the steps run since the previous call, to show beside the lesson (and
    /// print in a handout) as they happen.
    fn take_notes(&mut self) -> Vec<String> {
        Vec::new()
    }
    /// Why the script stopped before its end, if it did (then [`Scenario::is_finished`]).
    fn failure(&self) -> Option<&Failure> {
        None
    }
}

/// Why a script stopped early.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// A step waited for bytes (or an event) that did not come: the report says which step,
    /// what it expected and what came (`run --to` exits 3).
    Unmet(String),
    /// A client could not reach a remote server (`run --to` exits 1).
    Network(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unmet(report) => write!(f, "expectation not met: {report}"),
            Self::Network(why) => f.write_str(why),
        }
    }
}

/// A framing a scenario asks for on one connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetFraming {
    pub conn: ConnId,
    pub spec: Spec,
}

/// A built-in lesson: its name, its file, and the lesson read from it.
#[derive(Debug)]
pub struct Entry {
    pub name: &'static str,
    /// The lesson file, as `demo NAME --dump` prints it.
    pub source: &'static str,
    pub lesson: Lesson,
}

impl Entry {
    /// One line for `demo --list` and the picker.
    #[must_use]
    pub fn summary(&self) -> &str {
        self.lesson.summary.text(lesson_file::DEFAULT_LANG)
    }
}

/// The built-in lesson files, the default first, then the lessons in teaching order.
const FILES: [(&str, &str); 17] = [
    ("messages", include_str!("../assets/lessons/messages.toml")),
    ("echo", include_str!("../assets/lessons/echo.toml")),
    ("partial-recv", include_str!("../assets/lessons/partial-recv.toml")),
    ("partial-send", include_str!("../assets/lessons/partial-send.toml")),
    ("fixed-length", include_str!("../assets/lessons/fixed-length.toml")),
    ("framing", include_str!("../assets/lessons/framing.toml")),
    ("byte-order", include_str!("../assets/lessons/byte-order.toml")),
    ("ascii-vs-binary", include_str!("../assets/lessons/ascii-vs-binary.toml")),
    ("eof-and-shutdown", include_str!("../assets/lessons/eof-and-shutdown.toml")),
    ("select", include_str!("../assets/lessons/select.toml")),
    ("nonblocking-connect", include_str!("../assets/lessons/nonblocking-connect.toml")),
    ("dead-peer", include_str!("../assets/lessons/dead-peer.toml")),
    ("unix-ipc", include_str!("../assets/lessons/unix-ipc.toml")),
    ("backlog", include_str!("../assets/lessons/backlog.toml")),
    ("datagrams", include_str!("../assets/lessons/datagrams.toml")),
    ("tls", include_str!("../assets/lessons/tls.toml")),
    ("your-own-program", include_str!("../assets/lessons/your-own-program.toml")),
];

/// The built-in lessons, read once. A file that does not read (which a test rules out) is
/// left out rather than stopping the program.
static BUILT_IN: LazyLock<Vec<Entry>> = LazyLock::new(|| {
    let read = |(name, source): (&'static str, &'static str)| {
        let file = format!("assets/lessons/{name}.toml");
        let lesson = lesson_file::parse(source, &file, name).ok()?;
        Some(Entry { name, source, lesson })
    };
    FILES.into_iter().filter_map(read).collect()
});

/// Every built-in scenario, the default first, then the lessons in teaching order.
#[must_use]
pub fn scenarios() -> &'static [Entry] {
    &BUILT_IN
}

/// A lesson to run, as the terminal UI names it: a built-in by name, or a lesson file by
/// path (read again whenever it starts, so an edited file runs as it now is).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pick {
    BuiltIn(&'static str),
    File(std::path::PathBuf),
}

impl Pick {
    /// The lesson it names: a built-in, or the file read now.
    pub fn load(&self) -> Result<Lesson, LessonError> {
        match self {
            Self::BuiltIn(name) => entry(name).map(|entry| entry.lesson.clone()).ok_or_else(|| {
                LessonError { file: (*name).to_owned(), at: None, message: "no such lesson".into() }
            }),
            Self::File(path) => lesson_file::read(path),
        }
    }

    /// How a person would name it: the built-in's name, or the path.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::BuiltIn(name) => (*name).to_owned(),
            Self::File(path) => path.display().to_string(),
        }
    }
}

/// Whether the scenario ends once its script is done (a lesson, a headless log) or begins again
/// (`--loop`, a kiosk).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repeat {
    Forever,
    Once,
}

/// How fast a script moves: at a pace a room can follow (the UI), or quickly (a headless log).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tempo {
    Room,
    Log,
}

/// The scenario called `name` (`None`: the default), or `None` if there is no such scenario.
#[must_use]
pub fn scenario(name: Option<&str>, tempo: Tempo, repeat: Repeat) -> Option<Box<dyn Scenario>> {
    let entry = match name {
        None => scenarios().first(),
        Some(name) => entry(name),
    }?;
    Some(play(&entry.lesson, tempo, repeat, Target::Own))
}

/// `lesson` as a scenario, its clients connecting to `target`, its texts in English.
#[must_use]
pub fn play(lesson: &Lesson, tempo: Tempo, repeat: Repeat, target: Target) -> Box<dyn Scenario> {
    play_in(lesson_file::DEFAULT_LANG, lesson, tempo, repeat, target)
}

/// [`play`], its texts (lesson and notes) in `lang` where the lesson has them.
#[must_use]
pub fn play_in(
    lang: &str,
    lesson: &Lesson,
    tempo: Tempo,
    repeat: Repeat,
    target: Target,
) -> Box<dyn Scenario> {
    Box::new(Scripted::new(lesson.plan.clone(), tempo, repeat, target).in_language(lang))
}

/// The built-in lesson called `name`.
#[must_use]
pub fn entry(name: &str) -> Option<&'static Entry> {
    scenarios().iter().find(|entry| entry.name == name)
}

/// `demo --list`: one line per scenario.
#[must_use]
pub fn listing() -> String {
    let width = scenarios().iter().map(|e| e.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for entry in scenarios() {
        let _ = writeln!(out, "{:width$}  {}", entry.name, entry.summary());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_file_reads_and_is_a_scenario_with_its_own_name_and_a_lesson() {
        for (name, source) in FILES {
            let file = format!("{name}.toml");
            if let Err(err) = lesson_file::parse(source, &file, name) {
                panic!("{err}");
            }
        }
        assert_eq!(scenarios().len(), FILES.len());
        for entry in scenarios() {
            let demo = scenario(Some(entry.name), Tempo::Log, Repeat::Once).expect(entry.name);
            assert_eq!(demo.name(), entry.name);
            let lesson = demo.lesson_text().unwrap_or_default();
            assert!(lesson.starts_with("# "), "{}: a title line first", entry.name);
            assert!(lesson.contains("Look at"), "{}: what to look at", entry.name);
            assert!(lesson.contains("Press"), "{}: which keys to press", entry.name);
        }
        assert!(scenario(Some("nonsense"), Tempo::Log, Repeat::Once).is_none());
        let default = scenario(None, Tempo::Log, Repeat::Once);
        assert_eq!(default.as_ref().map(|s| s.name()), Some(scenarios()[0].name));
    }

    /// An error is epoll's edge and makes a socket readable to `select()`; the lesson must not
    /// call `select()`'s third list an error list.
    #[test]
    fn the_select_lesson_keeps_errors_out_of_the_exceptional_list() {
        let lesson = entry("select").expect("select").lesson.text("en");
        assert!(!lesson.contains("error list"), "{lesson}");
        assert!(lesson.contains("out-of-band"), "{lesson}");
        assert!(lesson.contains("X stays empty"), "{lesson}");
    }

    #[test]
    fn a_lesson_plays_in_the_language_asked_for_and_english_otherwise() {
        let source = "title = { en = \"hello\", zh-TW = \"你好\" }\ntext = \"x\"\n";
        let lesson = lesson_file::parse(source, "t.toml", "t").expect("a lesson");
        let text =
            |lang| play_in(lang, &lesson, Tempo::Log, Repeat::Once, Target::Own).lesson_text();
        assert_eq!(text("zh-TW").as_deref(), Some("# 你好\n\nx\n"));
        assert_eq!(text("fr").as_deref(), Some("# hello\n\nx\n"));
    }

    /// Whether `text` holds a Chinese character.
    fn has_han(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// The `- ` list items of a lesson text.
    fn list_items(text: &str) -> usize {
        text.lines().filter(|line| line.starts_with("- ")).count()
    }

    #[test]
    fn every_built_in_lesson_and_every_step_note_is_in_traditional_chinese() {
        for entry in scenarios() {
            let (name, lesson) = (entry.name, &entry.lesson);
            let title = lesson.title.text("zh-TW");
            assert!(title.starts_with(&format!("{name}: ")) && has_han(title), "{name}: {title}");
            let (english, chinese) = (lesson.text("en"), lesson.text("zh-TW"));
            assert!(chinese.contains("\n請看：\n"), "{name}: 請看：\n{chinese}");
            assert!(chinese.contains("\n按鍵：\n"), "{name}: 按鍵：\n{chinese}");
            assert_eq!(list_items(&chinese), list_items(&english), "{name}: the same list items");
            for note in lesson.notes() {
                assert!(note.languages().any(|tag| tag == "zh-TW"), "{name}: {note:?}");
                assert!(has_han(note.text("zh-TW")), "{name}: {note:?}");
                assert!(!has_han(note.text("en")), "{name}: {note:?}");
            }
        }
        let notes: usize = scenarios().iter().map(|entry| entry.lesson.notes().count()).sum();
        assert!(notes >= 18, "the built-in lessons' step notes: {notes}");
    }

    #[test]
    fn the_listing_names_every_scenario_once() {
        let listing = listing();
        assert_eq!(listing.lines().count(), scenarios().len());
        for entry in scenarios() {
            assert!(listing.lines().any(|l| l.starts_with(entry.name)), "{}", entry.name);
        }
    }
}
