//! The `:` command line: a pure parser from what was typed to a [`UiCommand`].
//!
//! Every command-line option that can change at run time has a command here (`--nodelay` is
//! `:nodelay on`, `--manual` is `:manual`, `--framing` is `:framing`, ...). Options that only
//! configure the engine at start (`--backlog`, `--recv-chunk`, `--relay-limit`, timeouts) have
//! no command: the engine offers no way to change them later.

use crate::event::{ConnId, FaultSet, How, SockOption};
use crate::framing::{DEFAULT_MAX_MESSAGE, Spec};
use crate::tui::conn_view::{Filter, Order, SortColumn, SortDirection};
use crate::tui::payload::{parse_escaped_text, parse_hex, shown};
use crate::tui::timeline::{SeekTarget, Speed};
use crate::values::{parse_recv_chunk, parse_socket_buffer};

/// Size of a manual `recv` when none is given.
pub const DEFAULT_RECV: usize = 4096;

/// A parsed command. Addresses stay text: resolving them may block, so the runner does it.
#[derive(Clone, Debug, PartialEq)]
pub enum UiCommand {
    Listen(String),
    Connect(String),
    Proxy {
        listen: String,
        upstream: String,
    },
    /// Bytes for the selected connection (from `:send` text or `:send-hex`).
    Send(Vec<u8>),
    Shutdown(How),
    Close,
    Reset,
    SetOption(SockOption),
    /// Stop (`true`) or resume automatic reading of the selected connection.
    PauseReading(bool),
    /// Manual (`true`) or automatic mode.
    SetManual(bool),
    /// Replace the faults of one direction of the selected connection's proxy pair (or echo
    /// connection): `:fault up:slice=1,delay=10ms`, `:fault down:off`.
    Fault(FaultSet),
    Recv(usize),
    SendQueued,
    Accept,
    Step,
    /// A framing for the selected connection, or for all of them (`all`).
    Framing {
        spec: Spec,
        all: bool,
    },
    Select(ConnId),
    /// The Connections panel's order.
    Sort(Order),
    /// The Connections panel's filter; `None` clears it.
    Filter(Option<Filter>),
    /// Copy the Data selection as `format` into the send line, or into a new file.
    Copy {
        format: crate::inspect::literal::Format,
        path: Option<String>,
    },
    /// Show (`true`) or hide the "why" notes next to surprising calls.
    WhyNotes(bool),
    /// Start recording into a file, or (`None`) stop.
    Record(Option<String>),
    /// Replay: move along the timeline.
    Seek(SeekTarget),
    /// Replay: play at this speed.
    Speed(Speed),
    /// Replay: play (`:pause` and `:resume` pause and play too).
    Play,
    /// Start the named built-in scenario instead of this session, or (no name) list them.
    /// The name is checked against the list the app was given, not here.
    Demo(Option<String>),
    Help,
    Quit,
}

/// One line of the `:help`-style summary per command, for the help overlay.
pub const SUMMARY: &[&str] = &[
    ":listen ADDR   :connect ADDR   :proxy LISTEN UPSTREAM",
    ":send TEXT   :send-hex 00 05 68 65   :recv [N]   :send-queued   :accept   :step",
    ":shutdown write|read|both   :close   :reset   :pause   :resume   :manual   :auto",
    ":nodelay on|off   :keepalive on|off   :linger SECS|off   :sndbuf N   :rcvbuf N",
    ":fault up|down:KIND,...|off   KIND: slice=N delay=TIME rate=SIZE stall",
    "      shut-after=SIZE reset-after=SIZE drop-after=SIZE",
    ":framing SPEC [all]   :select N   :copy hex|c|python|base64 [FILE]",
    ":record FILE   :record (stops)   replay: :seek 12.5s|#N|start|end   :speed 2|max   :play",
    ":sort id|state|in|out|peer|activity [asc|desc]   :filter [WORD state:NAME -WORD ...]",
    ":demo [NAME]   :why on|off   :help   :quit",
];

/// Parses one command line (without the leading `:`; a leading `:` is tolerated).
pub fn parse(line: &str) -> Result<UiCommand, String> {
    let line = line.trim_start().trim_start_matches(':').trim_start();
    let (name, rest) = match line.split_once(char::is_whitespace) {
        Some((name, rest)) => (name, rest),
        None => (line, ""),
    };
    let args: Vec<&str> = rest.split_whitespace().collect();
    match name {
        "" => Err("empty command (try :help)".into()),
        "listen" => one(name, &args, "ADDR").map(|a| UiCommand::Listen(a.into())),
        "connect" => one(name, &args, "ADDR").map(|a| UiCommand::Connect(a.into())),
        "proxy" => match args.as_slice() {
            [listen, upstream] => {
                Ok(UiCommand::Proxy { listen: (*listen).into(), upstream: (*upstream).into() })
            }
            _ => Err(usage(name, "LISTEN UPSTREAM")),
        },
        // The text is everything after the space that ends the name, spaces included.
        "send" => send_text(rest),
        "send-hex" => parse_hex(rest).map(UiCommand::Send),
        "shutdown" => match one(name, &args, "write|read|both")? {
            "write" | "wr" => Ok(UiCommand::Shutdown(How::Write)),
            "read" | "rd" => Ok(UiCommand::Shutdown(How::Read)),
            "both" | "rdwr" => Ok(UiCommand::Shutdown(How::Both)),
            other => Err(format!("':shutdown {other}': expected write, read or both")),
        },
        "nodelay" => on_off(name, &args).map(|on| UiCommand::SetOption(SockOption::NoDelay(on))),
        "keepalive" => {
            on_off(name, &args).map(|on| UiCommand::SetOption(SockOption::KeepAlive(on)))
        }
        "linger" => linger(&args),
        "sndbuf" | "rcvbuf" => buffer(name, &args),
        "recv" => match args.as_slice() {
            [] => Ok(UiCommand::Recv(DEFAULT_RECV)),
            [size] => parse_recv_chunk(size)
                .map(UiCommand::Recv)
                .map_err(|err| format!("':recv {size}': {err}")),
            _ => Err(usage(name, "[N]")),
        },
        "framing" => framing(&args),
        "fault" => one(name, &args, "up|down:KIND[,KIND...]|off")?
            .parse()
            .map(UiCommand::Fault)
            .map_err(|err| format!("':fault': {err}")),
        "select" => select(&args),
        "sort" => sort(&args),
        // Terms are ANDed; no text clears the filter.
        "filter" => Filter::parse(rest).map(UiCommand::Filter),
        "copy" => copy(rest),
        "why" => on_off(name, &args).map(UiCommand::WhyNotes),
        // The file name is the rest of the line, spaces included.
        "record" => {
            Ok(UiCommand::Record(Some(rest.trim()).filter(|p| !p.is_empty()).map(Into::into)))
        }
        "seek" => rest.parse().map(UiCommand::Seek).map_err(|err| format!("':seek': {err}")),
        "speed" => one(name, &args, "0.25..16|max")?
            .parse()
            .map(UiCommand::Speed)
            .map_err(|err| format!("':speed': {err}")),
        "demo" => match args.as_slice() {
            [] => Ok(UiCommand::Demo(None)),
            [scenario] => Ok(UiCommand::Demo(Some((*scenario).to_string()))),
            _ => Err(usage(name, "[NAME]")),
        },
        _ => no_arguments(name, &args),
    }
}

/// `:copy FORMAT [FILE]`: the file name is the rest of the line, spaces included.
fn copy(rest: &str) -> Result<UiCommand, String> {
    let rest = rest.trim();
    let (format, path) = match rest.split_once(char::is_whitespace) {
        Some((format, path)) => (format, Some(path.trim().to_string())),
        None => (rest, None),
    };
    if format.is_empty() {
        return Err(usage("copy", "hex|c|python|base64 [FILE]"));
    }
    let format = format.parse().map_err(|err| format!("':copy': {err}"))?;
    Ok(UiCommand::Copy { format, path })
}

/// Commands that take no argument.
fn no_arguments(name: &str, args: &[&str]) -> Result<UiCommand, String> {
    let command = match name {
        "close" => UiCommand::Close,
        "reset" => UiCommand::Reset,
        "pause" => UiCommand::PauseReading(true),
        "resume" => UiCommand::PauseReading(false),
        "manual" => UiCommand::SetManual(true),
        "auto" => UiCommand::SetManual(false),
        "send-queued" => UiCommand::SendQueued,
        "accept" => UiCommand::Accept,
        "step" => UiCommand::Step,
        "play" => UiCommand::Play,
        "help" => UiCommand::Help,
        "quit" | "q" => UiCommand::Quit,
        _ => return Err(format!("unknown command ':{}' (try :help)", shown(name))),
    };
    if args.is_empty() { Ok(command) } else { Err(format!("':{name}' takes no argument")) }
}

fn usage(name: &str, form: &str) -> String {
    format!("usage: :{name} {form}")
}

fn one<'a>(name: &str, args: &[&'a str], form: &str) -> Result<&'a str, String> {
    match args {
        [arg] => Ok(arg),
        _ => Err(usage(name, form)),
    }
}

fn send_text(text: &str) -> Result<UiCommand, String> {
    if text.is_empty() {
        return Err("usage: :send TEXT (escapes: \\n \\r \\t \\\\ \\xNN)".into());
    }
    parse_escaped_text(text).map(UiCommand::Send)
}

fn on_off(name: &str, args: &[&str]) -> Result<bool, String> {
    match one(name, args, "on|off")? {
        "on" => Ok(true),
        "off" => Ok(false),
        other => Err(format!("':{name} {}': expected on or off", shown(other))),
    }
}

fn linger(args: &[&str]) -> Result<UiCommand, String> {
    let seconds = match one("linger", args, "SECS|off")? {
        "off" => None,
        text => match text.parse::<u32>() {
            Ok(secs) if i32::try_from(secs).is_ok() => Some(secs),
            _ => {
                return Err(format!(
                    "':linger {}': expected off or whole seconds (0 makes close send RST)",
                    shown(text)
                ));
            }
        },
    };
    Ok(UiCommand::SetOption(SockOption::Linger(seconds)))
}

fn buffer(name: &str, args: &[&str]) -> Result<UiCommand, String> {
    let text = one(name, args, "N")?;
    let size =
        parse_socket_buffer(text).map_err(|err| format!("':{name} {}': {err}", shown(text)))?;
    Ok(UiCommand::SetOption(if name == "sndbuf" {
        SockOption::SndBuf(size)
    } else {
        SockOption::RcvBuf(size)
    }))
}

fn framing(args: &[&str]) -> Result<UiCommand, String> {
    let (text, all) = match args {
        [text] => (*text, false),
        [text, "all"] => (*text, true),
        _ => return Err(usage("framing", "SPEC [all]")),
    };
    let spec: Spec = text.parse().map_err(|err| format!("framing {err}"))?;
    spec.validate(DEFAULT_MAX_MESSAGE).map_err(|err| format!("framing {err}"))?;
    Ok(UiCommand::Framing { spec, all })
}

fn select(args: &[&str]) -> Result<UiCommand, String> {
    let text = one("select", args, "N")?;
    let digits = text.strip_prefix('#').unwrap_or(text);
    match digits.parse::<u64>() {
        Ok(id) if digits.bytes().all(|b| b.is_ascii_digit()) => Ok(UiCommand::Select(ConnId(id))),
        _ => {
            Err(format!("':select {}': expected a connection number such as 3 or #3", shown(text)))
        }
    }
}

/// `:sort COLUMN [asc|desc]`; without a direction, the column's natural one.
fn sort(args: &[&str]) -> Result<UiCommand, String> {
    let columns = || SortColumn::ALL.map(SortColumn::name).join(", ");
    let (column, direction) = match args {
        [column] => (*column, None),
        [column, direction] => (*column, Some(*direction)),
        _ => return Err(format!("usage: :sort COLUMN [asc|desc] (columns: {})", columns())),
    };
    let Some(column) = SortColumn::from_name(column) else {
        return Err(format!("':sort {}': unknown column (columns: {})", shown(column), columns()));
    };
    let direction = match direction.map(|text| (text, SortDirection::from_name(text))) {
        None => column.natural_direction(),
        Some((_, Some(direction))) => direction,
        Some((text, None)) => {
            return Err(format!("':sort': '{}' is not asc or desc", shown(text)));
        }
    };
    Ok(UiCommand::Sort(Order { column, direction }))
}

#[cfg(test)]
mod tests;
