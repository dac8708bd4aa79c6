//! The one table of `:` commands. It drives the parser ([`super::parse`]), the help overlay's
//! summary ([`summary`]), Tab completion ([`super::complete`]) and the README's list of commands
//! (`tests/tui_keymap_readme.rs` fails when the README misses one).

use super::{
    DEFAULT_RECV, Typed, UiCommand, buffer, copy, framing, inject, intercept, linger, on_off,
    select, send_text, sort, usage,
};
use crate::event::{How, SockOption};
use crate::inspect::prose;
use crate::session::Layer;
use crate::tui::conn_view::Filter;
use crate::tui::payload::parse_hex;
use crate::values::parse_recv_chunk;

/// What Tab offers for a command's first argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choices {
    /// Free text (an address, a file name, bytes): nothing to offer.
    Free,
    /// One of these words.
    Words(&'static [&'static str]),
    /// The name of a built-in scenario (the App knows the list).
    Scenarios,
}

/// One `:` command.
#[derive(Debug)]
pub struct CommandSpec {
    pub name: &'static str,
    /// Other names it answers to (`q` for `quit`).
    pub aliases: &'static [&'static str],
    /// What follows the name, as the help shows it (`ADDR`, `on|off`, `[N]`).
    pub args: &'static str,
    pub choices: Choices,
    pub(super) parse: fn(&Typed<'_>) -> Result<UiCommand, String>,
}

const ON_OFF: Choices = Choices::Words(&["on", "off"]);

const fn spec(
    name: &'static str,
    args: &'static str,
    choices: Choices,
    parse: fn(&Typed<'_>) -> Result<UiCommand, String>,
) -> CommandSpec {
    CommandSpec { name, aliases: &[], args, choices, parse }
}

/// Every `:` command, in the order the help lists them.
pub static COMMANDS: &[CommandSpec] = &[
    spec("listen", "ADDR", Choices::Free, |t| t.one("ADDR").map(|a| UiCommand::Listen(a.into()))),
    spec("connect", "ADDR", Choices::Free, |t| t.one("ADDR").map(|a| UiCommand::Connect(a.into()))),
    spec("proxy", "LISTEN UPSTREAM", Choices::Free, |t| match t.args.as_slice() {
        [listen, upstream] => {
            Ok(UiCommand::Proxy { listen: (*listen).into(), upstream: (*upstream).into() })
        }
        _ => Err(usage(t.name, "LISTEN UPSTREAM")),
    }),
    spec("send", "TEXT", Choices::Free, |t| send_text(t.rest)),
    spec("sendto", "ADDR", Choices::Free, |t| t.one("ADDR").map(|a| UiCommand::SendTo(a.into()))),
    spec("send-hex", "00 05 68 65", Choices::Free, |t| parse_hex(t.rest).map(UiCommand::Send)),
    spec("recv", "[N]", Choices::Free, |t| match t.args.as_slice() {
        [] => Ok(UiCommand::Recv(DEFAULT_RECV)),
        [size] => parse_recv_chunk(size)
            .map(UiCommand::Recv)
            .map_err(|err| format!("':recv {size}': {err}")),
        _ => Err(usage(t.name, "[N]")),
    }),
    spec("send-queued", "", Choices::Free, |t| t.bare(UiCommand::SendQueued)),
    spec("accept", "", Choices::Free, |t| t.bare(UiCommand::Accept)),
    spec("step", "", Choices::Free, |t| t.bare(UiCommand::Step)),
    spec("shutdown", "write|read|both", Choices::Words(&["write", "read", "both"]), |t| {
        match t.one("write|read|both")? {
            "write" | "wr" => Ok(UiCommand::Shutdown(How::Write)),
            "read" | "rd" => Ok(UiCommand::Shutdown(How::Read)),
            "both" | "rdwr" => Ok(UiCommand::Shutdown(How::Both)),
            other => Err(format!(
                "':shutdown {}': expected write, read or both",
                crate::tui::payload::shown(other)
            )),
        }
    }),
    spec("close", "", Choices::Free, |t| t.bare(UiCommand::Close)),
    spec("reset", "", Choices::Free, |t| t.bare(UiCommand::Reset)),
    spec("pause", "", Choices::Free, |t| t.bare(UiCommand::PauseReading(true))),
    spec("resume", "", Choices::Free, |t| t.bare(UiCommand::PauseReading(false))),
    spec("manual", "", Choices::Free, |t| t.bare(UiCommand::SetManual(true))),
    spec("auto", "", Choices::Free, |t| t.bare(UiCommand::SetManual(false))),
    spec("nodelay", "on|off", ON_OFF, |t| {
        on_off(t.name, &t.args).map(|on| UiCommand::SetOption(SockOption::NoDelay(on)))
    }),
    spec("keepalive", "on|off", ON_OFF, |t| {
        on_off(t.name, &t.args).map(|on| UiCommand::SetOption(SockOption::KeepAlive(on)))
    }),
    spec("linger", "SECS|off", Choices::Words(&["off", "0"]), |t| linger(&t.args)),
    spec("sndbuf", "N", Choices::Free, |t| buffer(t.name, &t.args)),
    spec("rcvbuf", "N", Choices::Free, |t| buffer(t.name, &t.args)),
    spec(
        "framing",
        "SPEC [all]",
        Choices::Words(&["raw", "line", "delim:", "fixed:", "len:", "ascii:", "eof"]),
        |t| framing(&t.args),
    ),
    spec("fault", "up|down:KIND[,KIND...]|off", Choices::Words(&["up:", "down:"]), |t| {
        t.one("up|down:KIND[,KIND...]|off")?
            .parse()
            .map(UiCommand::Fault)
            .map_err(|err| format!("':fault': {err}"))
    }),
    spec(
        "intercept",
        "[up|down|both] [TEXT|hex:0d0a|re:REGEX|off]",
        Choices::Words(&["up", "down", "both", "off"]),
        |t| intercept(t.rest),
    ),
    spec("inject", "up|down TEXT", Choices::Words(&["up", "down"]), |t| inject(t.rest)),
    spec("select", "N", Choices::Free, |t| select(&t.args)),
    spec(
        "sort",
        "id|state|in|out|peer|activity [asc|desc]",
        Choices::Words(&["id", "state", "in", "out", "peer", "activity"]),
        |t| sort(&t.args),
    ),
    // Terms are ANDed; no text clears the filter.
    spec("filter", "[WORD state:NAME -WORD ...]", Choices::Free, |t| {
        Filter::parse(t.rest).map(UiCommand::Filter)
    }),
    spec(
        "copy",
        "hex|c|python|base64 [FILE]",
        Choices::Words(&["hex", "c", "python", "base64"]),
        |t| copy(t.rest),
    ),
    spec("why", "on|off", ON_OFF, |t| on_off(t.name, &t.args).map(UiCommand::WhyNotes)),
    // The file name is the rest of the line, spaces included; none stops recording.
    spec("record", "[FILE]", Choices::Free, |t| {
        Ok(UiCommand::Record(Some(t.rest.trim()).filter(|p| !p.is_empty()).map(Into::into)))
    }),
    spec("seek", "12.5s|#N|start|end", Choices::Words(&["start", "end"]), |t| {
        t.rest.parse().map(UiCommand::Seek).map_err(|err| format!("':seek': {err}"))
    }),
    spec("speed", "0.25..16|max", Choices::Words(&["0.5", "1", "2", "4", "max"]), |t| {
        t.one("0.25..16|max")?
            .parse()
            .map(UiCommand::Speed)
            .map_err(|err| format!("':speed': {err}"))
    }),
    spec("play", "", Choices::Free, |t| t.bare(UiCommand::Play)),
    spec("demo", "[NAME|PATH]", Choices::Scenarios, |t| match t.args.as_slice() {
        [] => Ok(UiCommand::Demo(None)),
        [scenario] => Ok(UiCommand::Demo(Some((*scenario).to_string()))),
        _ => Err(usage(t.name, "[NAME|PATH]")),
    }),
    spec("follow", "", Choices::Free, |t| t.bare(UiCommand::Follow)),
    spec("layer", "[plaintext|wire]", Choices::Words(&["plaintext", "wire"]), |t| layer(&t.args)),
    spec("help", "", Choices::Free, |t| t.bare(UiCommand::Help)),
    CommandSpec {
        name: "quit",
        aliases: &["q"],
        args: "",
        choices: Choices::Free,
        parse: |t| t.bare(UiCommand::Quit),
    },
];

/// `:layer [plaintext|wire]`: no word switches to the other layer.
fn layer(args: &[&str]) -> Result<UiCommand, String> {
    match args {
        [] => Ok(UiCommand::Layer(None)),
        ["plaintext" | "plain"] => Ok(UiCommand::Layer(Some(Layer::Plaintext))),
        ["wire"] => Ok(UiCommand::Layer(Some(Layer::Wire))),
        _ => Err(usage("layer", "[plaintext|wire]")),
    }
}

/// The command called `name` (or one of its aliases).
pub(super) fn find(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|spec| spec.name == name || spec.aliases.contains(&name))
}

/// The commands as the help shows them, `:name ARGS` in rows at most `width` cells wide.
#[must_use]
pub fn summary(width: usize) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    for spec in COMMANDS {
        let entry = if spec.args.is_empty() {
            format!(":{}", spec.name)
        } else {
            format!(":{} {}", spec.name, spec.args)
        };
        match rows.last_mut() {
            Some(row) if prose::width(row) + 3 + prose::width(&entry) <= width => {
                row.push_str("   ");
                row.push_str(&entry);
            }
            _ => rows.push(entry),
        }
    }
    rows
}
