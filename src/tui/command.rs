//! The `:` command line: a pure parser from what was typed to a [`UiCommand`].
//!
//! Every command-line option that can change at run time has a command here (`--nodelay` is
//! `:nodelay on`, `--manual` is `:manual`, `--framing` is `:framing`, ...). Options that only
//! configure the engine at start (`--backlog`, `--recv-chunk`, `--relay-limit`, timeouts) have
//! no command: the engine offers no way to change them later.

use crate::event::{ConnId, FaultDir, FaultSet, How, MatchPattern, SockOption};
use crate::framing::{DEFAULT_MAX_MESSAGE, Spec};
use crate::tui::conn_view::{Filter, Order, SortColumn, SortDirection};
use crate::tui::payload::{parse_escaped_text, shown};
use crate::tui::timeline::{SeekTarget, Speed};
use crate::values::parse_socket_buffer;

mod complete;
mod table;

pub use complete::{Completion, complete};
pub use table::{COMMANDS, Choices, CommandSpec, summary};

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
    /// Where the selected unconnected datagram socket's sends go from now on: `:sendto ADDR`.
    SendTo(String),
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
    /// Hold the selected pair's messages in these directions that `pattern` matches (with the
    /// connection's framing), or (`None`) stop, forwarding everything held.
    Intercept {
        dirs: Vec<FaultDir>,
        pattern: Option<MatchPattern>,
    },
    /// Bytes toward one side of the selected pair: `:inject up TEXT`.
    Inject {
        dir: FaultDir,
        bytes: Vec<u8>,
    },
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
    /// Open the follow view on the selected connection, or close it.
    Follow,
    /// Show TLS connections' plaintext or wire bytes; `None` switches to the other.
    Layer(Option<crate::session::Layer>),
    Help,
    Quit,
}

/// Parses one command line (without the leading `:`; a leading `:` is tolerated).
pub fn parse(line: &str) -> Result<UiCommand, String> {
    let typed = Typed::split(line);
    if typed.name.is_empty() {
        return Err("empty command (try :help)".into());
    }
    match table::find(typed.name) {
        Some(spec) => (spec.parse)(&typed),
        None => Err(format!("unknown command ':{}' (try :help)", shown(typed.name))),
    }
}

/// A command line cut into its name, the text after the name, and that text's words.
#[derive(Debug)]
pub(crate) struct Typed<'a> {
    pub name: &'a str,
    /// Everything after the space that ends the name, spaces included.
    pub rest: &'a str,
    pub args: Vec<&'a str>,
}

impl<'a> Typed<'a> {
    fn split(line: &'a str) -> Self {
        let line = line.trim_start().trim_start_matches(':').trim_start();
        let (name, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        Self { name, rest, args: rest.split_whitespace().collect() }
    }

    /// The one argument a command takes, or its usage.
    fn one(&self, form: &str) -> Result<&'a str, String> {
        one(self.name, &self.args, form)
    }

    /// No argument at all: `command`.
    fn bare(&self, command: UiCommand) -> Result<UiCommand, String> {
        if self.args.is_empty() {
            Ok(command)
        } else {
            Err(format!("':{}' takes no argument", self.name))
        }
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

/// `:intercept [up|down|both] [PATTERN|off]`: both directions unless one is named; the
/// pattern is the rest of the line, spaces included; none holds every message.
fn intercept(rest: &str) -> Result<UiCommand, String> {
    let rest = rest.trim_start();
    let (first, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let (dirs, pattern) = match first {
        "up" => (vec![FaultDir::Up], after),
        "down" => (vec![FaultDir::Down], after),
        "both" => (vec![FaultDir::Up, FaultDir::Down], after),
        _ => (vec![FaultDir::Up, FaultDir::Down], rest),
    };
    let pattern = pattern.trim_start();
    if pattern.trim_end() == "off" {
        return Ok(UiCommand::Intercept { dirs, pattern: None });
    }
    let pattern = pattern.parse().map_err(|err| format!("':intercept': {err}"))?;
    Ok(UiCommand::Intercept { dirs, pattern: Some(pattern) })
}

/// `:inject up|down TEXT`: the text with escapes, as for `:send`.
fn inject(rest: &str) -> Result<UiCommand, String> {
    const FORM: &str = "up|down TEXT (escapes: \\n \\r \\t \\\\ \\xNN)";
    let rest = rest.trim_start();
    let (dir, text) = rest.split_once(' ').unwrap_or((rest, ""));
    let dir = match dir {
        "up" => FaultDir::Up,
        "down" => FaultDir::Down,
        _ => return Err(usage("inject", FORM)),
    };
    if text.is_empty() {
        return Err(usage("inject", FORM));
    }
    parse_escaped_text(text).map(|bytes| UiCommand::Inject { dir, bytes })
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
