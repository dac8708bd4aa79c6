//! From what TOML read to a lesson: the texts in their languages, the server and socket
//! settings, the clients. Every problem is one message with the span it is about. The steps
//! are checked in `steps`.

use super::raw::{RawLesson, RawServer, RawSockets, Size, Timeout};
use super::text::{DEFAULT_LANG, LocalText, RawText, is_language_tag};
use super::{Bad, Lesson, at, steps};
use crate::demo::script::{Plan, Settings};
use crate::engine::EofPolicy;
use crate::event::{Address, SockOption};
use crate::framing::{DEFAULT_MAX_MESSAGE, Spec};
use crate::values::{parse_duration, parse_recv_chunk, parse_socket_buffer};
use std::time::Duration;
use toml::Spanned;

/// `raw` as a lesson called `name` unless it names itself.
pub(super) fn lesson(raw: RawLesson, name: &str, source: &str) -> Result<Lesson, Bad> {
    let lang = match raw.lang {
        Some(lang) if !is_language_tag(lang.get_ref()) => {
            return Err(at(lang.span(), "lang: a language tag such as en or zh-TW".into()));
        }
        Some(lang) => lang.into_inner(),
        None => DEFAULT_LANG.to_owned(),
    };
    let text = |raw: Spanned<RawText>| {
        let span = raw.span();
        LocalText::from_raw(raw.into_inner(), &lang).map_err(|why| at(span, why))
    };
    let name = match raw.name {
        Some(name) if name.get_ref().trim().is_empty() => {
            return Err(at(name.span(), "name: empty".into()));
        }
        Some(name) => name.into_inner(),
        None => name.to_owned(),
    };
    let title = text(raw.title)?;
    let summary = match raw.summary {
        Some(summary) => text(summary)?,
        None => title.clone(),
    };
    let body = text(raw.text)?;
    let framing = raw.framing.as_ref().map(framing).transpose()?.unwrap_or(Spec::Raw);
    let clients = steps::clients(raw.clients)?;
    let (server, also_listen) = servers(raw.server, raw.servers)?;
    let accepts = server.accepts.unwrap_or(true);
    let each = (clients.as_slice(), 1 + also_listen.len());
    let (steps, notes) = steps::steps(raw.steps, each, accepts, (&lang, source))?;
    let settings = Settings { also_listen, ..settings(&server, &raw.sockets)? };
    let plan = Plan {
        name: name.clone(),
        title: title.clone(),
        text: body,
        framing,
        settings,
        steps,
        notes,
    };
    let program = match raw.program {
        Some(program) if program.file.get_ref().trim().is_empty() => {
            return Err(at(program.file.span(), "program: file is empty".into()));
        }
        Some(program) => Some((program.file.into_inner(), program.text)),
        None => None,
    };
    Ok(Lesson { name, lang, title, summary, program, plan })
}

/// A framing spec, valid under the default message cap.
pub(super) fn framing(text: &Spanned<String>) -> Result<Spec, Bad> {
    let spec: Spec = text.get_ref().parse().map_err(|e| at(text.span(), format!("framing {e}")))?;
    spec.validate(DEFAULT_MAX_MESSAGE).map_err(|e| at(text.span(), format!("framing {e}")))?;
    Ok(spec)
}

/// The lesson's servers: `[server]`, or `[[servers]]` (the first with every setting, the
/// others with only an address, since the engine's settings are one for all), or the default
/// one. Returns the first, and where the others listen.
fn servers(
    one: Option<Spanned<RawServer>>,
    list: Option<Spanned<Vec<Spanned<RawServer>>>>,
) -> Result<(RawServer, Vec<Address>), Bad> {
    match (one, list) {
        (Some(_), Some(list)) => {
            Err(at(list.span(), "[server] and [[servers]]: one or the other".into()))
        }
        (Some(one), None) => Ok((one.into_inner(), Vec::new())),
        (None, None) => Ok((RawServer::default(), Vec::new())),
        (None, Some(list)) => {
            let span = list.span();
            let mut list = list.into_inner().into_iter();
            let first = list.next().ok_or_else(|| at(span, "[[servers]]: at least one".into()))?;
            let others = list.map(other_server).collect::<Result<_, _>>()?;
            Ok((first.into_inner(), others))
        }
    }
}

/// Where a server after the first listens: it takes no setting of its own.
fn other_server(server: Spanned<RawServer>) -> Result<Address, Bad> {
    let span = server.span();
    let server = server.into_inner();
    let settings = [
        ("kind", server.kind.is_some()),
        ("backlog", server.backlog.is_some()),
        ("accepts", server.accepts.is_some()),
        ("on_eof", server.on_eof.is_some()),
        ("tls", server.tls.is_some()),
    ];
    if let Some((key, _)) = settings.into_iter().find(|(_, here)| *here) {
        let why = format!("'{key}': only the first of [[servers]] takes settings, for all");
        return Err(at(span, why));
    }
    address(server.address.as_ref())
}

/// Where a server listens: `address`, or 127.0.0.1 on a free port.
fn address(address: Option<&Spanned<String>>) -> Result<Address, Bad> {
    match address {
        None => Ok(Address::Ip(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))),
        Some(addr) => addr.get_ref().parse().map_err(|e| at(addr.span(), format!("address: {e}"))),
    }
}

fn settings(server: &RawServer, sockets: &RawSockets) -> Result<Settings, Bad> {
    let echo = match server.kind.as_ref().map(|k| (k.get_ref().as_str(), k.span())) {
        None | Some(("echo", _)) => true,
        Some(("silent", _)) => false,
        Some((other, span)) => {
            return Err(at(span, format!("kind '{}': echo or silent", other.escape_debug())));
        }
    };
    let listen = address(server.address.as_ref())?;
    let backlog = match &server.backlog {
        None => None,
        Some(n) => Some(
            i32::try_from(*n.get_ref())
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| at(n.span(), "backlog: 0 or more".into()))?,
        ),
    };
    let eof_policy = match server.on_eof.as_ref().map(|e| (e.get_ref().as_str(), e.span())) {
        None => None,
        Some(("close", _)) => Some(EofPolicy::CloseWhenDone),
        Some(("keep-open", _)) => Some(EofPolicy::KeepOpen),
        Some((other, span)) => {
            return Err(at(span, format!("on_eof '{}': close or keep-open", other.escape_debug())));
        }
    };
    let recv_chunk = sockets.recv_chunk.as_ref().map(|s| size(s, parse_recv_chunk)).transpose()?;
    let mut options = Vec::new();
    options.extend(sockets.nodelay.map(SockOption::NoDelay));
    if let Some(sndbuf) = &sockets.sndbuf {
        options.push(SockOption::SndBuf(size(sndbuf, parse_socket_buffer)?));
    }
    if let Some(rcvbuf) = &sockets.rcvbuf {
        options.push(SockOption::RcvBuf(size(rcvbuf, parse_socket_buffer)?));
    }
    options.extend(sockets.keepalive.map(SockOption::KeepAlive));
    if let Some(linger) = &sockets.linger {
        options.push(SockOption::Linger(Some(seconds(linger)?)));
    }
    let idle_timeout = sockets.idle_timeout.as_ref().map(idle_timeout).transpose()?;
    let tls = match server.tls {
        Some(true) => {
            let settings = crate::engine::tls_lesson_settings().map_err(|e| at(0..0, e))?;
            Some(crate::demo::script::LessonTls(settings))
        }
        Some(false) | None => None,
    };
    let also_listen = Vec::new();
    Ok(Settings {
        echo,
        listen,
        also_listen,
        backlog,
        eof_policy,
        recv_chunk,
        options,
        idle_timeout,
        tls,
    })
}

/// A size as a number of bytes or as text (`4KiB`), checked by the command line's parser.
pub(super) fn size(
    value: &Spanned<Size>,
    parse: fn(&str) -> Result<usize, String>,
) -> Result<usize, Bad> {
    let text = match value.get_ref() {
        Size::Bytes(n) => n.to_string(),
        Size::Text(text) => text.clone(),
    };
    parse(&text).map_err(|why| at(value.span(), why))
}

/// Whole seconds, as `SO_LINGER` takes them.
pub(super) fn seconds(value: &Spanned<i64>) -> Result<u32, Bad> {
    u32::try_from(*value.get_ref())
        .ok()
        .filter(|s| i32::try_from(*s).is_ok())
        .ok_or_else(|| at(value.span(), "linger: whole seconds, 0 or more".into()))
}

fn idle_timeout(value: &Spanned<Timeout>) -> Result<(Duration, Duration), Bad> {
    let parse = |text: &str| parse_duration(text).map_err(|why| at(value.span(), why));
    match value.get_ref() {
        Timeout::Same(text) => parse(text).map(|d| (d, d)),
        Timeout::ByRunner { ui, headless } => Ok((parse(ui)?, parse(headless)?)),
    }
}
