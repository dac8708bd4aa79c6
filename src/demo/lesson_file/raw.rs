//! A lesson file as TOML reads it: every table and key of `docs/lesson-format.md`, with the
//! span of everything a later check may have to point at. Meaning is given in `validate`.

use super::text::RawText;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLesson {
    pub name: Option<Spanned<String>>,
    pub lang: Option<Spanned<String>>,
    pub title: Spanned<RawText>,
    pub summary: Option<Spanned<RawText>>,
    pub text: Spanned<RawText>,
    pub framing: Option<Spanned<String>>,
    pub server: Option<Spanned<RawServer>>,
    /// `[[servers]]`: several servers, in place of `[server]`.
    pub servers: Option<Spanned<Vec<Spanned<RawServer>>>>,
    #[serde(default)]
    pub sockets: RawSockets,
    pub clients: Option<Spanned<RawClients>>,
    #[serde(default)]
    pub steps: Vec<Spanned<RawStep>>,
    /// `[program]`: a program of the person's own the lesson traces (`sockscope trace`).
    pub program: Option<RawProgram>,
}

/// `[program]`: the program's file name and source, which `demo NAME --program` prints.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProgram {
    pub file: Spanned<String>,
    pub text: String,
}

/// `[server]`: the listener the clients connect to.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawServer {
    /// `echo` (the default) or `silent`.
    pub kind: Option<Spanned<String>>,
    pub address: Option<Spanned<String>>,
    pub backlog: Option<Spanned<i64>>,
    /// `false`: it does not accept until a step resumes it (`resume-reading` on the listener).
    pub accepts: Option<bool>,
    /// `close` or `keep-open`.
    pub on_eof: Option<Spanned<String>>,
    /// `true`: the server and the clients speak TLS to each other.
    pub tls: Option<bool>,
}

/// `[sockets]`: settings of every socket of the lesson, clients and server alike.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSockets {
    pub recv_chunk: Option<Spanned<Size>>,
    pub sndbuf: Option<Spanned<Size>>,
    pub rcvbuf: Option<Spanned<Size>>,
    pub nodelay: Option<bool>,
    pub keepalive: Option<bool>,
    pub linger: Option<Spanned<i64>>,
    pub idle_timeout: Option<Spanned<Timeout>>,
}

/// A size: a number of bytes, or text such as `4KiB`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum Size {
    Bytes(i64),
    Text(String),
}

/// A duration, or one for the terminal UI and one for a headless log.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum Timeout {
    Same(String),
    ByRunner { ui: String, headless: String },
}

/// `clients = N`, or `[[clients]]` tables: the n-th table is `client n`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawClients {
    Count(i64),
    Each(Vec<RawClient>),
}

/// One client: the framing of its connection (both ends), if not the lesson's.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClient {
    pub framing: Option<String>,
}

/// `[[steps]]`: one step; `do` says which, the other keys are its arguments.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStep {
    #[serde(rename = "do")]
    pub action: Spanned<String>,
    /// `client N` or `server N`.
    pub on: Option<Spanned<String>>,
    /// `connect`: which client, which of the lesson's servers, and where to if not to one.
    pub client: Option<Spanned<i64>>,
    pub server: Option<Spanned<i64>>,
    pub to: Option<Spanned<String>>,
    /// `send`: the bytes; `await`: the bytes expected.
    pub text: Option<Spanned<String>>,
    pub hex: Option<Spanned<String>>,
    pub parts: Option<Vec<Spanned<RawPart>>>,
    pub size: Option<Spanned<Size>>,
    pub regex: Option<Spanned<String>>,
    /// `await`: what for.
    pub event: Option<Spanned<String>>,
    pub timeout: Option<Spanned<String>>,
    /// `recv`: the most bytes the call asks for.
    pub max: Option<Spanned<Size>>,
    /// `shutdown`: `read`, `write` (the default) or `both`.
    pub how: Option<Spanned<String>>,
    /// `set-option`.
    pub option: Option<Spanned<String>>,
    pub value: Option<Spanned<toml::Value>>,
    pub note: Option<Spanned<RawText>>,
    /// Happens at the same moment as the step before it.
    #[serde(default)]
    pub with_previous: bool,
}

/// One piece of a send's bytes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPart {
    pub text: Option<String>,
    pub hex: Option<String>,
    pub repeat: Option<i64>,
}
