//! A lesson's steps: each `[[steps]]` table becomes an act, a wait or a pause, checked against
//! the clients the steps before it connected.

use super::payload;
use super::raw::{RawClients, RawStep};
use super::text::LocalText;
use super::validate::framing;
use super::{Bad, at};
use crate::demo::cast::Side;
use crate::demo::script::{Act, Call, Expected, Step, Until, Wait};
use crate::event::{ErrorKind, How};
use crate::framing::Spec;
use crate::inspect::file_error::line_column;
use crate::values::{parse_duration, parse_size};
use std::collections::BTreeMap;
use std::ops::Range;
use std::time::Duration;
use toml::Spanned;

/// How long a step waits when its file does not say.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The framing of each declared client (`None`: the lesson's).
pub(super) fn clients(raw: Option<Spanned<RawClients>>) -> Result<Vec<Option<Spec>>, Bad> {
    let Some(raw) = raw else { return Ok(Vec::new()) };
    let span = raw.span();
    match raw.into_inner() {
        RawClients::Count(n) => {
            let n = usize::try_from(n).ok().filter(|n| *n <= 1024);
            let n = n.ok_or_else(|| at(span.clone(), "clients: from 0 to 1024".into()))?;
            Ok(vec![None; n])
        }
        RawClients::Each(each) => each
            .into_iter()
            .map(|client| {
                let spanned = client.framing.map(|f| Spanned::new(span.clone(), f));
                spanned.as_ref().map(framing).transpose()
            })
            .collect(),
    }
}

/// What one step is, before steps that happen together are joined.
enum Parsed {
    Act(Act),
    Await(Wait),
    Pause,
    Nothing,
}

/// The steps, and the notes of the steps that have one (by index in the steps).
/// A server that does not accept (`accepts = false`) stops accepting before the first step.
pub(super) fn steps(
    raw: Vec<Spanned<RawStep>>,
    (clients, servers): (&[Option<Spec>], usize),
    accepts: bool,
    (lang, source): (&str, &str),
) -> Result<(Vec<Step>, BTreeMap<usize, LocalText>), Bad> {
    let mut out: Vec<Step> = Vec::new();
    if !accepts {
        out.push(Step::Do(vec![Act::On(Side::Listener, Call::PauseReading(true))]));
    }
    let mut notes = BTreeMap::new();
    let mut connected = 0;
    for (i, spanned) in raw.into_iter().enumerate() {
        let span = spanned.span();
        let step = spanned.into_inner();
        let label = format!("step {} (line {})", i + 1, line_column(source, span.start).0);
        let parsed = parse(&step, &span, (clients, servers), &mut connected, label)?;
        if step.with_previous {
            let (Parsed::Act(act), Some(Step::Do(acts))) = (&parsed, out.last_mut()) else {
                let why = "with_previous: only an act joins an act just before it";
                return Err(at(span, why.into()));
            };
            acts.push(act.clone());
        } else {
            out.push(match parsed {
                Parsed::Act(act) => Step::Do(vec![act]),
                Parsed::Await(wait) => Step::Await(wait),
                Parsed::Pause => Step::Pause,
                Parsed::Nothing => Step::Do(Vec::new()),
            });
        }
        if let Some(note) = step.note {
            let note_span = note.span();
            let note = LocalText::from_raw(note.into_inner(), lang)
                .map_err(|w| at(note_span.clone(), w))?;
            if notes.insert(out.len() - 1, note).is_some() {
                return Err(at(note_span, "one note per moment: the step before has one".into()));
            }
        }
    }
    Ok((out, notes))
}

/// The keys each `do` takes, besides `note` and `with_previous`.
fn keys_of(action: &str) -> Option<&'static [&'static str]> {
    Some(match action {
        "connect" => &["client", "server", "to"],
        "send" => &["on", "text", "hex", "parts", "size"],
        "await" => &["on", "event", "text", "hex", "regex", "timeout"],
        "pause" | "note" => &[],
        "shutdown" => &["on", "how"],
        "close" | "reset" | "pause-reading" | "resume-reading" => &["on"],
        "recv" => &["on", "max"],
        "set-option" => &["on", "option", "value"],
        _ => return None,
    })
}

fn parse(
    step: &RawStep,
    span: &Range<usize>,
    (clients, servers): (&[Option<Spec>], usize),
    connected: &mut usize,
    label: String,
) -> Result<Parsed, Bad> {
    let action = step.action.get_ref().as_str();
    let Some(allowed) = keys_of(action) else {
        let why = format!(
            "do = '{}': connect, send, recv, await, pause, note, shutdown, close, reset, \
             pause-reading, resume-reading or set-option",
            action.escape_debug()
        );
        return Err(at(step.action.span(), why));
    };
    if let Some(key) = present(step).into_iter().find(|key| !allowed.contains(key)) {
        return Err(at(span.clone(), format!("'{key}' means nothing in a {action} step")));
    }
    let on = || side(step, span, *connected);
    let on_listener = step.on.as_ref().is_some_and(|on| on.get_ref() == "listener");
    if on_listener && !matches!(action, "pause-reading" | "resume-reading" | "await") {
        let why = "the listener only stops and resumes accepting (pause-reading, resume-reading)";
        return Err(at(span.clone(), why.into()));
    }
    let call = |call: Call| -> Result<Parsed, Bad> { Ok(Parsed::Act(Act::On(on()?, call))) };
    match action {
        "connect" => connect(step, (clients, servers), connected),
        "send" => call(Call::Send(bytes(step, span)?.into())),
        "await" => Ok(Parsed::Await(wait(step, span, on()?, label)?)),
        "pause" => Ok(Parsed::Pause),
        "note" if step.note.is_none() => Err(at(span.clone(), "a note step needs a note".into())),
        "note" => Ok(Parsed::Nothing),
        "shutdown" => call(Call::Shutdown(how(step)?)),
        "close" => call(Call::Close),
        "reset" => call(Call::Reset),
        "pause-reading" => call(Call::PauseReading(true)),
        "resume-reading" => call(Call::PauseReading(false)),
        "recv" => call(Call::Recv(recv_max(step, span)?)),
        _ => call(Call::SetOption(super::option::option(step, span)?)),
    }
}

/// The argument keys a step has.
fn present(step: &RawStep) -> Vec<&'static str> {
    let keys = [
        ("on", step.on.is_some()),
        ("client", step.client.is_some()),
        ("server", step.server.is_some()),
        ("to", step.to.is_some()),
        ("text", step.text.is_some()),
        ("hex", step.hex.is_some()),
        ("parts", step.parts.is_some()),
        ("size", step.size.is_some()),
        ("regex", step.regex.is_some()),
        ("event", step.event.is_some()),
        ("timeout", step.timeout.is_some()),
        ("how", step.how.is_some()),
        ("option", step.option.is_some()),
        ("value", step.value.is_some()),
        ("max", step.max.is_some()),
    ];
    keys.into_iter().filter(|(_, here)| *here).map(|(key, _)| key).collect()
}

/// The next client connects: `client` may say which, and must be the next one; `server`
/// which of the lesson's `servers` (0 unless it says).
fn connect(
    step: &RawStep,
    (clients, servers): (&[Option<Spec>], usize),
    connected: &mut usize,
) -> Result<Parsed, Bad> {
    if let Some(client) = &step.client
        && usize::try_from(*client.get_ref()).ok() != Some(*connected)
    {
        let why = format!(
            "client {}: clients connect in order, and the next is client {connected}",
            client.get_ref()
        );
        return Err(at(client.span(), why));
    }
    let server = match &step.server {
        None => 0,
        Some(_) if step.to.is_some() => {
            return Err(at(step.action.span(), "connect: server or to, not both".into()));
        }
        Some(n) => {
            usize::try_from(*n.get_ref()).ok().filter(|n| *n < servers).ok_or_else(|| {
                let why =
                    format!("unknown server {}: the lesson has {servers} (from 0)", n.get_ref());
                at(n.span(), why)
            })?
        }
    };
    let framing = clients.get(*connected).cloned().flatten();
    *connected += 1;
    match &step.to {
        None => Ok(Parsed::Act(Act::Connect(framing, server))),
        Some(to) => {
            let address = to.get_ref().parse().map_err(|e| at(to.span(), format!("to: {e}")))?;
            Ok(Parsed::Act(Act::ConnectTo(address)))
        }
    }
}

/// `on = "client N"` or `"server N"`, for a client a step before connected.
fn side(step: &RawStep, span: &Range<usize>, connected: usize) -> Result<Side, Bad> {
    let Some(on) = &step.on else {
        return Err(at(span.clone(), "which socket: on = \"client 0\" or \"server 0\"".into()));
    };
    if on.get_ref() == "listener" {
        return Ok(Side::Listener);
    }
    let (role, index) = on.get_ref().split_once(' ').unwrap_or((on.get_ref(), ""));
    let index: Option<usize> = index.trim().parse().ok();
    let side = match (role, index) {
        ("client", Some(i)) => Side::Client(i),
        ("server", Some(i)) => Side::Server(i),
        _ => {
            let why =
                format!("on = '{}': client N, server N or listener", on.get_ref().escape_debug());
            return Err(at(on.span(), why));
        }
    };
    let (Side::Client(i) | Side::Server(i)) = side else { return Ok(side) };
    if i >= connected {
        let why = format!("unknown client {i}: no step before this one connects it");
        return Err(at(on.span(), why));
    }
    Ok(side)
}

/// A send's bytes: text, hex or parts, cut to `size` if given.
fn bytes(step: &RawStep, span: &Range<usize>) -> Result<Vec<u8>, Bad> {
    let bytes = match (&step.text, &step.hex, &step.parts) {
        (Some(text), None, None) => payload::text(text)?,
        (None, Some(hex), None) => payload::hex(hex)?,
        (None, None, Some(parts)) => payload::parts(parts)?,
        _ => return Err(at(span.clone(), "the bytes: one of text, hex or parts".into())),
    };
    let size = match &step.size {
        Some(value) => Some((super::validate::size(value, parse_size)?, value.span())),
        None => None,
    };
    payload::cut(bytes, size)
}

/// A recv step's `max`, as `recv_chunk` takes it.
fn recv_max(step: &RawStep, span: &Range<usize>) -> Result<usize, Bad> {
    let Some(max) = &step.max else {
        return Err(at(span.clone(), "recv needs max: the most bytes it asks for".into()));
    };
    super::validate::size(max, crate::values::parse_recv_chunk)
}

fn wait(step: &RawStep, span: &Range<usize>, side: Side, label: String) -> Result<Wait, Bad> {
    let timeout = match &step.timeout {
        Some(t) => parse_duration(t.get_ref()).map_err(|why| at(t.span(), why))?,
        None => DEFAULT_TIMEOUT,
    };
    let expects = step.text.is_some() || step.hex.is_some() || step.regex.is_some();
    let event = step.event.as_ref().map(|e| (e.get_ref().as_str(), e.span()));
    let until = match event {
        None | Some(("bytes", _)) if expects => Until::Bytes(side, expected(step, span)?),
        Some(("readable", _)) => Until::Readable(side),
        Some(("send-blocked", _)) => Until::SendBlocked(side),
        Some(("eof", _)) => Until::Eof(side),
        Some(("reset", _)) => Until::Failed(side, ErrorKind::Reset),
        Some(("refused", _)) => Until::Failed(side, ErrorKind::Refused),
        Some(("closed", _)) => Until::Closed(side),
        None | Some(("bytes", _)) => {
            return Err(at(
                span.clone(),
                "await: an event, or the bytes (text, hex or regex)".into(),
            ));
        }
        Some((other, span)) => {
            let why = format!(
                "event '{}': readable, send-blocked, eof, reset, refused, closed or bytes",
                other.escape_debug()
            );
            return Err(at(span, why));
        }
    };
    if expects && !matches!(until, Until::Bytes(..)) {
        return Err(at(span.clone(), "text, hex and regex go with event = \"bytes\"".into()));
    }
    Ok(Wait { until, timeout, label })
}

fn expected(step: &RawStep, span: &Range<usize>) -> Result<Expected, Bad> {
    match (&step.text, &step.hex, &step.regex) {
        (Some(text), None, None) => payload::text(text).map(Expected::Exactly),
        (None, Some(hex), None) => payload::hex(hex).map(Expected::Exactly),
        (None, None, Some(regex)) => regex::bytes::RegexBuilder::new(regex.get_ref())
            .size_limit(1 << 20)
            .build()
            .map(Expected::Pattern)
            .map_err(|e| at(regex.span(), format!("regex: {e}"))),
        _ => Err(at(span.clone(), "expect one of text, hex or regex".into())),
    }
}

fn how(step: &RawStep) -> Result<How, Bad> {
    match step.how.as_ref().map(|h| (h.get_ref().as_str(), h.span())) {
        None | Some(("write", _)) => Ok(How::Write),
        Some(("read", _)) => Ok(How::Read),
        Some(("both", _)) => Ok(How::Both),
        Some((other, span)) => {
            Err(at(span, format!("how '{}': read, write or both", other.escape_debug())))
        }
    }
}
