use super::*;
use crate::engine::{DEFAULT_RECV_CHUNK, DEFAULT_RELAY_LIMIT, EofPolicy, Mode};
use crate::event::{Address, SockOption};
use crate::headless::Output;
use clap::Parser;
use std::time::Duration;

/// Parses and validates like `main`, with clap's and our errors as text.
fn parse(args: &[&str]) -> Result<Plan, String> {
    let cli = Cli::try_parse_from(std::iter::once("sockscope").chain(args.iter().copied()))
        .map_err(|err| err.to_string())?;
    plan(cli).map_err(|err| err.to_string())
}

fn session(args: &[&str]) -> Config {
    match parse(args) {
        Ok(Plan::Session(config)) => *config,
        other => panic!("{args:?}: expected a session, got {other:?}"),
    }
}

fn ip(text: &str) -> Address {
    Address::Ip(text.parse().expect("test address"))
}

#[test]
fn modes_resolve_their_addresses() {
    let cases = [
        (vec!["listen", "9000", "--headless"], Mode::Listen { addr: ip("127.0.0.1:9000") }),
        (vec!["listen", "[::]:0", "--headless"], Mode::Listen { addr: ip("[::]:0") }),
        (
            vec!["connect", "10.0.0.1:80", "--headless"],
            Mode::Connect { candidates: vec![ip("10.0.0.1:80")] },
        ),
        (
            vec!["proxy", "8080", "unix:/tmp/up.sock", "--headless"],
            Mode::Proxy {
                listen: ip("127.0.0.1:8080"),
                upstream: vec![Address::Unix("/tmp/up.sock".into())],
            },
        ),
    ];
    for (args, expected) in cases {
        assert_eq!(session(&args).mode, expected, "{args:?}");
    }
}

#[test]
fn presentation_follows_headless_and_json() {
    let cases = [
        (vec!["listen", "1"], Presentation::Tui, EofPolicy::KeepOpen),
        (
            vec!["listen", "1", "--headless"],
            Presentation::Headless(Output::Text(crate::headless::format::Preview::default())),
            EofPolicy::CloseWhenDone,
        ),
        (
            vec!["listen", "1", "--headless", "--json"],
            Presentation::Headless(Output::Json),
            EofPolicy::CloseWhenDone,
        ),
    ];
    for (args, presentation, eof_policy) in cases {
        let config = session(&args);
        assert_eq!(
            (config.presentation, config.engine.eof_policy),
            (presentation, eof_policy),
            "{args:?}"
        );
    }
    assert!(matches!(parse(&[]), Ok(Plan::Tui)));
    let demo = parse(&["demo", "partial-recv", "--headless", "--json"]);
    assert!(
        matches!(&demo, Ok(Plan::Demo { scenario: Some(name), list: false, dump: false, program: false, repeat: false, present: false, presentation: Presentation::Headless(Output::Json), record: None }) if name == "partial-recv"),
        "{demo:?}"
    );
}

#[test]
fn defaults_leave_the_engine_at_its_defaults() {
    let engine = session(&["connect", "9", "--headless"]).engine;
    assert_eq!(engine.recv_chunk, DEFAULT_RECV_CHUNK);
    assert_eq!(engine.relay_limit, DEFAULT_RELAY_LIMIT);
    assert_eq!(engine.backlog, crate::engine::default_backlog());
    assert!(engine.options.is_empty() && !engine.manual && !engine.echo);
    assert_eq!((engine.max_conns, engine.connect_timeout, engine.idle_timeout), (None, None, None));
}

#[test]
fn echo_is_for_listeners() {
    assert!(session(&["listen", "0", "--headless", "--echo"]).engine.echo);
    assert!(!session(&["listen", "0", "--headless"]).engine.echo);
}

#[test]
fn options_reach_the_engine_config() {
    let engine = session(&[
        "proxy",
        "0",
        "9",
        "--headless",
        "--nodelay",
        "--sndbuf",
        "16KiB",
        "--rcvbuf",
        "4096",
        "--keepalive",
        "--linger",
        "0",
        "--recv-chunk",
        "1MiB",
        "--backlog",
        "5",
        "--max-conns",
        "3",
        "--connect-timeout",
        "2.5",
        "--idle-timeout",
        "30",
        "--relay-limit",
        "256KiB",
    ])
    .engine;
    assert_eq!(
        engine.options,
        vec![
            SockOption::NoDelay(true),
            SockOption::SndBuf(16_384),
            SockOption::RcvBuf(4096),
            SockOption::KeepAlive(true),
            SockOption::Linger(Some(0)),
        ]
    );
    assert_eq!(engine.recv_chunk, 1 << 20);
    assert_eq!(engine.backlog, 5);
    assert_eq!(engine.max_conns, Some(3));
    assert_eq!(engine.connect_timeout, Some(Duration::from_millis(2500)));
    assert_eq!(engine.idle_timeout, Some(Duration::from_secs(30)));
    assert_eq!(engine.relay_limit, 256 * 1024);
}

#[test]
fn bad_input_is_refused_with_a_clear_message() {
    let cases: [(&[&str], &str); 28] = [
        (&["listen", "9000", "--retain", "0"], "--retain <SIZE>': must be at least 1 byte"),
        (&["listen", "9000", "--retain", "lots"], "--retain <SIZE>': expected a number of bytes"),
        (&["listen", "9000", "--retain", "1GB"], "--retain <SIZE>': unknown unit 'GB'"),
        (&["listen", "99999", "--headless"], "'99999' is not a valid port (0-65535)"),
        (&["connect", "localhost:", "--headless"], "'localhost:' has no port"),
        (&["connect", "[::1:80", "--headless"], "missing ']'"),
        (&["proxy", "9000", "up:stream:1", "--headless"], "sockscope does not speak 'up:'"),
        (&["proxy", "9000", "::1:80", "--headless"], "IPv6 address in brackets"),
        (&["proxy", "udp:0", "9000", "--headless"], "datagrams to datagrams"),
        (&["connect", "tls:example.com:443", "--headless"], "accepted forms: PORT"),
        (&["listen", "9000", "--json"], "--json needs --headless"),
        (&["demo", "--json"], "--json needs --headless"),
        (&["demo", "echo", "--headless", "--loop"], "--loop runs a scenario over and over"),
        (&["demo", "echo", "--headless", "--present"], "--present is a layout of the terminal UI"),
        (&["listen", "9000", "--headless", "--recv-chunk", "0"], "must be at least 1 byte"),
        (&["listen", "9000", "--headless", "--recv-chunk", "64KB"], "unknown unit 'KB'"),
        (&["listen", "9000", "--headless", "--recv-chunk", "1GiB"], "at most 64MiB"),
        (&["listen", "9000", "--headless", "--sndbuf", "lots"], "--sndbuf"),
        (&["listen", "9000", "--headless", "--max-conns", "0"], "must be at least 1"),
        (&["listen", "9000", "--headless", "--backlog", "-1"], "--backlog"),
        (&["listen", "9000", "--headless", "--linger", "soon"], "--linger"),
        (&["connect", "9", "--headless", "--connect-timeout", "0"], "must be longer than 0"),
        (
            &["connect", "9", "--headless", "--connect-timeout", "-1"],
            "expected a duration: 500ms, 2.5s, 1:02",
        ),
        (&["connect", "9", "--headless", "--echo"], "--echo"),
        (&["connect", "9", "--headless", "--idle-timeout", "x"], "expected a duration"),
        (&["connect", "9", "--headless", "--manual"], "--manual needs the terminal UI"),
        (&["listen", "9000", "--frobnicate"], "--frobnicate"),
        (&["listen"], "ADDR"),
    ];
    for (args, expected) in cases {
        match parse(args) {
            Err(message) => assert!(message.contains(expected), "{args:?}: {message}"),
            Ok(plan) => panic!("{args:?}: accepted as {plan:?}"),
        }
    }
}

#[test]
fn retain_takes_sizes_and_reaches_the_session_model() {
    let cases = [
        (vec![], crate::session::DEFAULT_RETAIN),
        (vec!["--retain", "64MiB"], 64 << 20),
        (vec!["--retain", "1GiB"], 1 << 30),
        (vec!["--retain", "512KiB"], 512 << 10),
        (vec!["--retain", "1000000"], 1_000_000),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["listen", "9000", "--framing", "line", "--max-message", "4KiB"];
        args.extend(extra.iter().copied());
        let config = session(&args);
        assert_eq!(config.retain, expected, "{args:?}");
        let model = config.session_config();
        assert_eq!(model.retain, expected, "{args:?}");
        assert_eq!((model.framing, model.max_message), (crate::framing::Spec::Line, 4096));
    }
}

#[test]
fn a_bare_port_is_loopback_and_all_interfaces_is_a_lasting_warning() {
    let config = session(&["listen", "7000"]);
    assert_eq!(config.mode, Mode::Listen { addr: ip("127.0.0.1:7000") });
    assert!(config.warnings.is_empty(), "{:?}", config.warnings);
    assert!(session(&["proxy", "7000", "9", "--headless"]).warnings.is_empty());
    assert!(session(&["connect", "0.0.0.0:7000", "--headless"]).warnings.is_empty());
    for (args, addr) in [
        (vec!["listen", "0.0.0.0:7000"], "0.0.0.0:7000"),
        (vec!["proxy", "[::]:7000", "9", "--headless"], "[::]:7000"),
    ] {
        assert_eq!(
            session(&args).warnings,
            vec![format!("listening on all interfaces ({addr}): reachable from other machines")],
            "{args:?}"
        );
    }
}

#[test]
fn help_and_version_are_not_errors() {
    for flag in ["--help", "--version"] {
        let err =
            Cli::try_parse_from(["sockscope", flag]).expect_err("clap reports these as errors");
        assert_eq!(err.exit_code(), 0, "{flag}");
    }
    let err = Cli::try_parse_from(["sockscope", "listen"]).expect_err("missing ADDR");
    assert_eq!(err.exit_code(), i32::from(EXIT_USAGE));
}

#[test]
fn clap_definition_is_consistent() {
    use clap::CommandFactory;
    Cli::command().debug_assert();
}

#[test]
fn replay_takes_retain_for_its_views() {
    for (extra, expected) in
        [(vec![], crate::session::DEFAULT_RETAIN), (vec!["--retain", "8MiB"], 8 << 20)]
    {
        let mut args = vec!["replay", "session.sscope"];
        args.extend(extra.iter().copied());
        match parse(&args) {
            Ok(Plan::Replay(plan)) => assert_eq!(plan.replay.retain, expected, "{args:?}"),
            other => panic!("{args:?}: expected a replay, got {other:?}"),
        }
    }
    let err = parse(&["replay", "a.sscope", "--retain", "0"]).expect_err("refused");
    assert!(err.contains("--retain <SIZE>': must be at least 1 byte"), "{err}");
}

#[test]
fn durations_take_the_seek_prompts_grammar() {
    let cases = [("500ms", 500), ("2.5s", 2500), ("1:02", 62_000), ("3", 3000)];
    for (text, ms) in cases {
        let config = session(&["connect", "9", "--headless", "--connect-timeout", text]);
        assert_eq!(config.engine.connect_timeout, Some(Duration::from_millis(ms)), "{text}");
        let config = session(&["listen", "9", "--headless", "--idle-timeout", text]);
        assert_eq!(config.engine.idle_timeout, Some(Duration::from_millis(ms)), "{text}");
    }
}

#[test]
fn tls_flags_need_their_mode_and_insecure_is_never_implied() {
    let refused = [
        vec!["connect", "127.0.0.1:1", "--headless", "--upstream-tls"],
        vec!["listen", "0", "--headless", "--insecure"],
        vec!["connect", "127.0.0.1:1", "--headless", "--sni", "x.example"],
    ];
    for args in refused {
        assert!(parse(&args).is_err(), "{args:?} is refused");
    }
    let verified = session(&["connect", "127.0.0.1:1", "--headless", "--tls"]);
    assert!(verified.engine.tls.client.is_some() && verified.warnings.is_empty());
    let insecure = session(&["connect", "127.0.0.1:1", "--headless", "--tls", "--insecure"]);
    assert!(
        insecure.warnings.iter().any(|w| w.contains("--insecure")),
        "an unverified connection is warned about for the whole run"
    );
}
