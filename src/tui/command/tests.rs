use super::*;

fn ok(line: &str) -> UiCommand {
    parse(line).unwrap_or_else(|err| panic!("{line}: {err}"))
}

#[test]
fn every_command_parses() {
    let cases: Vec<(&str, UiCommand)> = vec![
        ("listen 9000", UiCommand::Listen("9000".into())),
        (":listen 0.0.0.0:0", UiCommand::Listen("0.0.0.0:0".into())),
        ("connect localhost:80", UiCommand::Connect("localhost:80".into())),
        ("connect unix:/tmp/s", UiCommand::Connect("unix:/tmp/s".into())),
        (
            "proxy 8080 [::1]:80",
            UiCommand::Proxy { listen: "8080".into(), upstream: "[::1]:80".into() },
        ),
        ("send hello", UiCommand::Send(b"hello".to_vec())),
        ("send  two  spaces ", UiCommand::Send(b" two  spaces ".to_vec())),
        (r"send GET /\r\n", UiCommand::Send(b"GET /\r\n".to_vec())),
        (r"send \x00\x05", UiCommand::Send(vec![0, 5])),
        ("send-hex 00 05 68 65", UiCommand::Send(vec![0, 5, 0x68, 0x65])),
        ("send-hex 0005 6865", UiCommand::Send(vec![0, 5, 0x68, 0x65])),
        ("shutdown write", UiCommand::Shutdown(How::Write)),
        ("shutdown read", UiCommand::Shutdown(How::Read)),
        ("shutdown both", UiCommand::Shutdown(How::Both)),
        ("close", UiCommand::Close),
        ("reset", UiCommand::Reset),
        ("nodelay on", UiCommand::SetOption(SockOption::NoDelay(true))),
        ("nodelay off", UiCommand::SetOption(SockOption::NoDelay(false))),
        ("sndbuf 16KiB", UiCommand::SetOption(SockOption::SndBuf(16_384))),
        ("rcvbuf 4096", UiCommand::SetOption(SockOption::RcvBuf(4096))),
        ("keepalive on", UiCommand::SetOption(SockOption::KeepAlive(true))),
        ("keepalive off", UiCommand::SetOption(SockOption::KeepAlive(false))),
        ("linger 0", UiCommand::SetOption(SockOption::Linger(Some(0)))),
        ("linger 5", UiCommand::SetOption(SockOption::Linger(Some(5)))),
        ("linger off", UiCommand::SetOption(SockOption::Linger(None))),
        ("pause", UiCommand::PauseReading(true)),
        ("resume", UiCommand::PauseReading(false)),
        ("manual", UiCommand::SetManual(true)),
        ("auto", UiCommand::SetManual(false)),
        ("recv", UiCommand::Recv(DEFAULT_RECV)),
        ("recv 4", UiCommand::Recv(4)),
        ("recv 64KiB", UiCommand::Recv(65_536)),
        ("send-queued", UiCommand::SendQueued),
        ("accept", UiCommand::Accept),
        ("step", UiCommand::Step),
        ("framing line", UiCommand::Framing { spec: Spec::Line, all: false }),
        ("framing fixed:4 all", UiCommand::Framing { spec: Spec::Fixed(4), all: true }),
        ("select 3", UiCommand::Select(ConnId(3))),
        ("select #12", UiCommand::Select(ConnId(12))),
        ("sort in", UiCommand::Sort(Order::by(SortColumn::BytesIn))),
        (
            "sort PEER desc",
            UiCommand::Sort(Order {
                column: SortColumn::Peer,
                direction: SortDirection::Descending,
            }),
        ),
        (
            "sort activity asc",
            UiCommand::Sort(Order {
                column: SortColumn::Activity,
                direction: SortDirection::Ascending,
            }),
        ),
        ("filter", UiCommand::Filter(None)),
        ("filter   ", UiCommand::Filter(None)),
        ("filter :80  state:open", UiCommand::Filter(Filter::parse(":80 state:open").unwrap())),
        ("demo", UiCommand::Demo(None)),
        ("demo byte-order", UiCommand::Demo(Some("byte-order".into()))),
        ("demo nonsense", UiCommand::Demo(Some("nonsense".into()))),
        ("help", UiCommand::Help),
        ("quit", UiCommand::Quit),
        ("q", UiCommand::Quit),
        ("  quit  ", UiCommand::Quit),
    ];
    for (line, expected) in cases {
        assert_eq!(ok(line), expected, "{line}");
    }
}

#[test]
fn malformed_commands_say_why() {
    let cases = [
        ("", "empty command"),
        (":", "empty command"),
        ("frobnicate", "unknown command ':frobnicate'"),
        ("listen", "usage: :listen ADDR"),
        ("listen 1 2", "usage: :listen ADDR"),
        ("connect", "usage: :connect ADDR"),
        ("proxy 8080", "usage: :proxy LISTEN UPSTREAM"),
        ("proxy a b c", "usage: :proxy LISTEN UPSTREAM"),
        ("send", "usage: :send TEXT"),
        (r"send \q", r"unknown escape \q"),
        (r"send \x4", r"\x4 needs two hex digits"),
        ("send-hex", "no bytes"),
        ("send-hex zz", "'zz' is not hex"),
        ("send-hex 0 5", "odd number of hex digits"),
        (r"send-hex \x00", "is not hex"),
        ("shutdown", "usage: :shutdown write|read|both"),
        ("shutdown sideways", "expected write, read or both"),
        ("shutdown write read", "usage: :shutdown"),
        ("close now", "':close' takes no argument"),
        ("reset 3", "':reset' takes no argument"),
        ("nodelay", "usage: :nodelay on|off"),
        ("nodelay yes", "expected on or off"),
        ("keepalive 1", "expected on or off"),
        ("linger", "usage: :linger SECS|off"),
        ("linger -1", "expected off or whole seconds"),
        ("linger 1.5", "expected off or whole seconds"),
        ("linger 4294967295", "expected off or whole seconds"),
        ("sndbuf", "usage: :sndbuf N"),
        ("sndbuf 0", "must be at least 1 byte"),
        ("rcvbuf lots", "':rcvbuf lots'"),
        ("rcvbuf 4GiB", "must be at most"),
        ("recv 0", "must be at least 1 byte"),
        ("recv 1GiB", "at most 64MiB"),
        ("recv 1 2", "usage: :recv [N]"),
        ("pause 3", "takes no argument"),
        ("manual now", "takes no argument"),
        ("step 2", "takes no argument"),
        ("framing", "usage: :framing SPEC [all]"),
        ("framing nonsense", "unknown framing 'nonsense'"),
        ("framing fixed:0", "framing fixed:0"),
        ("framing fixed:999999999", "framing fixed:999999999"),
        ("framing line some", "usage: :framing SPEC [all]"),
        ("select", "usage: :select N"),
        ("select x", "expected a connection number"),
        ("select -1", "expected a connection number"),
        ("select +1", "expected a connection number"),
        ("sort", "usage: :sort COLUMN [asc|desc]"),
        ("sort bytes", "unknown column (columns: id, state, in, out, peer, activity)"),
        ("sort in sideways", "'sideways' is not asc or desc"),
        ("sort in asc more", "usage: :sort"),
        ("filter state:nope", "unknown state 'nope'"),
        ("quit now", "takes no argument"),
        ("demo echo select", "usage: :demo [NAME|PATH]"),
        ("\u{1b}[2J", r"unknown command ':\x1b[2J'"),
    ];
    for (line, expected) in cases {
        match parse(line) {
            Err(message) => assert!(message.contains(expected), "{line:?}: {message}"),
            Ok(command) => panic!("{line:?}: accepted as {command:?}"),
        }
    }
}

#[test]
fn fault_takes_one_direction_and_its_kinds() {
    use crate::event::{Fault, FaultDir};
    let set = |dir, faults| UiCommand::Fault(FaultSet { dir, faults });
    assert_eq!(
        ok("fault up:slice=1,stall"),
        set(FaultDir::Up, vec![Fault::Slice(1), Fault::Stall])
    );
    assert_eq!(ok(":fault down:off"), set(FaultDir::Down, Vec::new()));
    assert!(parse("fault").unwrap_err().contains("usage: :fault"));
    assert!(parse("fault up:jitter=1").unwrap_err().contains("'jitter' is not a fault kind"));
    assert!(parse("fault up:slice=1 down:stall").unwrap_err().contains("usage: :fault"));
}

#[test]
fn intercept_and_inject_parse_their_direction_and_the_rest_of_the_line() {
    use crate::event::{FaultDir, MatchPattern};
    let both = || vec![FaultDir::Up, FaultDir::Down];
    let intercept =
        |dirs: Vec<FaultDir>, pattern: Option<MatchPattern>| UiCommand::Intercept { dirs, pattern };
    let cases = [
        ("intercept", intercept(both(), Some(MatchPattern::Every))),
        ("intercept up", intercept(vec![FaultDir::Up], Some(MatchPattern::Every))),
        (
            "intercept down GET /a b",
            intercept(vec![FaultDir::Down], Some(MatchPattern::Text("GET /a b".into()))),
        ),
        ("intercept hex:0d0a", intercept(both(), Some(MatchPattern::Hex(vec![13, 10])))),
        ("intercept both re:^P", intercept(both(), Some(MatchPattern::Regex("^P".into())))),
        ("intercept off", intercept(both(), None)),
        ("intercept up off", intercept(vec![FaultDir::Up], None)),
        (
            r"inject up PING\r\n",
            UiCommand::Inject { dir: FaultDir::Up, bytes: b"PING\r\n".to_vec() },
        ),
        ("inject down  x", UiCommand::Inject { dir: FaultDir::Down, bytes: b" x".to_vec() }),
    ];
    for (line, expected) in cases {
        assert_eq!(ok(line), expected, "{line}");
    }
    for (line, error) in [
        ("intercept up hex:zz", "is not hex bytes"),
        ("inject sideways x", "usage: :inject up|down TEXT"),
        ("inject up", "usage: :inject up|down TEXT"),
        (r"inject up \q", "unknown escape"),
    ] {
        let got = parse(line).unwrap_err();
        assert!(got.contains(error), "{line}: {got}");
    }
}
