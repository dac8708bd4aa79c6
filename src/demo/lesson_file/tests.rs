use super::*;
use crate::demo::script::{Act, Step};

const MINIMAL: &str = r#"
title = "t"
text = "x"
"#;

fn error(source: &str) -> String {
    match parse(source, "my.toml", "my") {
        Ok(lesson) => panic!("accepted: {lesson:?}"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn a_minimal_lesson_reads_with_defaults() {
    let lesson = parse(MINIMAL, "my.toml", "my").unwrap();
    assert_eq!(lesson.name, "my");
    assert_eq!(lesson.lang, "en");
    assert_eq!(lesson.summary.text("en"), "t", "the title stands in for a summary");
    assert_eq!(lesson.text("en"), "# t\n\nx\n");
    assert!(lesson.plan.settings.echo);
}

#[test]
fn toml_errors_name_the_file_line_and_column() {
    let err = error("title = \"t\"\ntext = \"x\"\nsteps = [ oops ]\n");
    assert!(err.starts_with("my.toml:3:"), "{err}");
    let err = error("title = \"t\"\ntext = \"x\"\ncolour = 1\n");
    assert!(err.starts_with("my.toml:3:1: unknown field `colour`"), "{err}");
}

#[test]
fn meaning_errors_point_at_what_is_wrong() {
    let with = |steps: &str| format!("{MINIMAL}\n[[steps]]\ndo = \"connect\"\n\n{steps}");
    let cases = [
        ("[[steps]]\ndo = \"send\"\non = \"client 1\"\ntext = \"a\"\n", 10, "unknown client 1"),
        ("[[steps]]\ndo = \"send\"\non = \"client 0\"\nhex = \"0g\"\n", 11, "is not hex"),
        ("[[steps]]\ndo = \"await\"\non = \"client 0\"\nregex = \"(\"\n", 11, "regex:"),
        (
            "[[steps]]\ndo = \"set-option\"\non = \"client 0\"\noption = \"colour\"\nvalue = 1\n",
            11,
            "unknown option 'colour'",
        ),
        (
            "[[steps]]\ndo = \"close\"\non = \"client 0\"\ntext = \"a\"\n",
            8,
            "'text' means nothing in a close step",
        ),
        ("[[steps]]\ndo = \"dance\"\n", 9, "do = 'dance'"),
        ("[[steps]]\ndo = \"send\"\non = \"client 0\"\ntext = 'a\\q'\n", 11, "unknown escape"),
        ("[[steps]]\ndo = \"pause\"\nwith_previous = true\n", 8, "with_previous"),
        ("[[steps]]\ndo = \"send\"\non = \"listener\"\ntext = \"a\"\n", 8, "the listener only"),
    ];
    for (steps, line, message) in cases {
        let err = error(&with(steps));
        assert!(err.starts_with(&format!("my.toml:{line}:")), "{steps}: {err}");
        assert!(err.contains(message), "{steps}: {err}");
    }
}

#[test]
fn texts_carry_languages() {
    let source = "lang = \"de\"\ntitle = { en = \"hello\", zh-TW = \"你好\" }\ntext = \"hallo\"\n";
    let lesson = parse(source, "my.toml", "my").unwrap();
    assert_eq!(lesson.title.text("zh-TW"), "你好");
    assert_eq!(lesson.title.text("fr"), "hello");
    assert_eq!(lesson.text("zh-TW"), "# 你好\n\nhallo\n");
    let err = error("lang = \"english\"\ntitle = \"t\"\ntext = \"x\"\n");
    assert!(err.starts_with("my.toml:1:8: lang"), "{err}");
}

#[test]
fn an_error_quoting_the_file_cannot_reach_the_terminal_raw() {
    let err = error("title = \"t\"\ntext = \"x\"\n[server]\nkind = \"\\u001b[2J\"\n");
    assert!(!err.contains('\u{1b}'), "{err}");
}

const TWO_SERVERS: &str = r#"
title = "t"
text = "x"

[[servers]]
address = "udp:127.0.0.1:0"
kind = "silent"

[[servers]]
address = "127.0.0.1:0"

[[steps]]
do = "connect"

[[steps]]
do = "connect"
server = 1
"#;

#[test]
fn a_lesson_lists_servers_and_a_connect_picks_one() {
    let lesson = parse(TWO_SERVERS, "my.toml", "my").unwrap();
    let settings = &lesson.plan.settings;
    assert_eq!(settings.listen, "udp:127.0.0.1:0".parse().unwrap());
    assert_eq!(settings.also_listen, ["127.0.0.1:0".parse().unwrap()]);
    assert!(!settings.echo, "the first server's settings are every server's");
    let connect = |server| Step::Do(vec![Act::Connect(None, server)]);
    assert_eq!(lesson.plan.steps, [connect(0), connect(1)]);
}

#[test]
fn a_connect_to_a_server_the_lesson_lacks_or_two_server_forms_are_errors() {
    let bad_index = TWO_SERVERS.replace("server = 1", "server = 2");
    let err = error(&bad_index);
    assert!(err.starts_with("my.toml:17:10: unknown server 2: the lesson has 2"), "{err}");
    let err = error(&format!("{MINIMAL}\nsteps = [{{ do = \"connect\", server = 1 }}]\n"));
    assert!(err.contains("unknown server 1: the lesson has 1"), "{err}");
    let both = TWO_SERVERS.replace("text = \"x\"\n", "text = \"x\"\n[server]\nbacklog = 1\n");
    let err = error(&both);
    assert!(err.contains("[server] and [[servers]]: one or the other"), "{err}");
    assert!(err.starts_with("my.toml:7:1:"), "at [[servers]]: {err}");
    let set_twice = TWO_SERVERS.replace("address = \"127.0.0.1:0\"", "backlog = 1");
    let err = error(&set_twice);
    assert!(err.starts_with("my.toml:9:1:"), "the second server's table: {err}");
    assert!(err.contains("'backlog': only the first of [[servers]] takes settings"), "{err}");
}
