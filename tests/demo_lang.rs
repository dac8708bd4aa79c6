//! The class's language: `--lang zh-TW` (or a Taiwanese locale) makes a lesson's handout
//! Traditional Chinese, its lesson text and its "why" notes alike, wrapped to the page by
//! display width; `--lang` wins over the locale; a language sockscope does not speak is bad
//! usage; JSON Lines carry no text and do not change with the language.

mod support;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::process::{Command, Stdio};
use support::{sockscope, wait_with_deadline};
use unicode_width::UnicodeWidthStr;

/// A `sockscope` whose locale is only what `locale` sets (`LC_ALL`, `LC_MESSAGES`, `LANG`).
fn with_locale(locale: &[(&str, &str)]) -> Command {
    let mut command = sockscope();
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        command.env_remove(name);
    }
    command.envs(locale.iter().copied());
    command
}

/// Runs `command` with `args` to its end and returns its standard output.
fn output(mut command: Command, args: &[&str]) -> String {
    let mut child = command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let mut out = child.stdout.take().expect("stdout piped");
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        let _ = out.read_to_string(&mut all);
        all
    });
    assert_eq!(wait_with_deadline(&mut child), 0, "{args:?} exits 0");
    reader.join().expect("reader thread")
}

fn handout(command: Command, name: &str, extra: &[&str]) -> String {
    let mut args = vec!["demo", name, "--headless"];
    args.extend(extra);
    output(command, &args)
}

/// Whether `text` holds a Chinese character.
fn has_han(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn a_zh_tw_handout_has_the_chinese_lesson_wrapped_to_the_page_and_chinese_notes() {
    let out = handout(with_locale(&[]), "partial-recv", &["--lang", "zh-TW"]);
    assert!(out.starts_with("partial-recv: 一則訊息分段抵達\n"), "{out}");
    let log = out.find("session sockscope").expect("then the log");
    let lesson = &out[..log];
    assert!(lesson.contains("請看：") && lesson.contains("按鍵："), "{lesson}");
    for row in lesson.lines() {
        assert!(row.width() <= 78, "a row wider than the page ({}): {row}", row.width());
    }
    let lines: Vec<&str> = out[log..].lines().collect();
    let full = lines.iter().position(|l| l.contains("recv(5) -> 5 ")).expect("a full recv");
    assert_eq!(
        lines[full + 1].trim(),
        "為什麼: 填滿了這次呼叫給的 5 位元組緩衝區：可能還有資料在等著"
    );
    assert!(!out.contains("why: "), "every note in Chinese:\n{out}");
}

#[test]
fn every_lesson_has_a_zh_tw_handout() {
    for entry in sockscope::demo::scenarios() {
        let out = handout(with_locale(&[]), entry.name, &["--lang", "zh-TW"]);
        let title = out.lines().next().unwrap_or_default();
        assert!(title.starts_with(&format!("{}: ", entry.name)) && has_han(title), "{title}");
        let notes = out.lines().filter(|line| line.trim_start().starts_with("為什麼: ")).count();
        assert!(notes > 0, "{}: Chinese notes in the log", entry.name);
    }
}

#[test]
fn the_locale_chooses_unless_lang_says_otherwise() {
    let chinese = |out: &str| out.starts_with("partial-recv: 一則訊息分段抵達");
    let english = |out: &str| out.starts_with("partial-recv: a message arrives in pieces");
    let taiwan = [("LANG", "zh_TW.UTF-8")];
    assert!(chinese(&handout(with_locale(&taiwan), "partial-recv", &[])));
    assert!(english(&handout(with_locale(&taiwan), "partial-recv", &["--lang", "en"])));
    let c_over_lang = [("LC_ALL", "C"), ("LANG", "zh_TW.UTF-8")];
    assert!(english(&handout(with_locale(&c_over_lang), "partial-recv", &[])));
    let messages = [("LC_MESSAGES", "zh_TW"), ("LANG", "en_US.UTF-8")];
    assert!(chinese(&handout(with_locale(&messages), "partial-recv", &[])));
    assert!(english(&handout(with_locale(&[]), "partial-recv", &[])));
}

#[test]
fn a_language_sockscope_does_not_speak_is_bad_usage() {
    let out = sockscope()
        .args(["demo", "partial-recv", "--headless", "--lang", "fr"])
        .stdin(Stdio::null())
        .output()
        .expect("binary runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("'fr'") && err.contains("en and zh-TW"), "{err}");
    assert!(out.stdout.is_empty());
}

/// Each event name's fields, as a run's JSON Lines show them.
fn fields_by_event(jsonl: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut fields: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in jsonl.lines() {
        let event: Value = serde_json::from_str(line).expect("a JSON line");
        let object = event.as_object().expect("an object");
        let name = object["ev"].as_str().expect("ev").to_string();
        fields.entry(name).or_default().extend(object.keys().cloned());
    }
    fields
}

#[test]
fn json_lines_do_not_change_with_the_language() {
    let json = ["--json", "--lang"];
    let english = handout(with_locale(&[]), "eof-and-shutdown", &[json[0], json[1], "en"]);
    let chinese = handout(with_locale(&[]), "eof-and-shutdown", &[json[0], json[1], "zh-TW"]);
    assert!(!has_han(&chinese), "no text of the language in the events:\n{chinese}");
    assert!(!chinese.contains("請看") && !chinese.contains("為什麼"));
    assert_eq!(fields_by_event(&english), fields_by_event(&chinese));
}
