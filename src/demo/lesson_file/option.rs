//! A set-option step's `option` and `value`: the socket options a lesson may set while it
//! runs, with the same names and values as `[sockets]`.

use super::raw::{RawStep, Size};
use super::validate::{seconds, size};
use super::{Bad, at};
use crate::event::SockOption;
use crate::values::parse_socket_buffer;
use std::ops::Range;
use toml::Spanned;

/// `option` and `value` of a set-option step.
pub(super) fn option(step: &RawStep, span: &Range<usize>) -> Result<SockOption, Bad> {
    let (Some(name), Some(value)) = (&step.option, &step.value) else {
        return Err(at(span.clone(), "set-option needs option and value".into()));
    };
    let vspan = value.span();
    let flag = || {
        value.get_ref().as_bool().ok_or_else(|| at(vspan.clone(), "value: true or false".into()))
    };
    let bytes = || {
        let size = match value.get_ref() {
            toml::Value::Integer(n) => Size::Bytes(*n),
            toml::Value::String(text) => Size::Text(text.clone()),
            _ => return Err(at(vspan.clone(), "value: a size, such as 4096 or \"4KiB\"".into())),
        };
        size_of(&Spanned::new(vspan.clone(), size))
    };
    match name.get_ref().as_str() {
        "nodelay" => Ok(SockOption::NoDelay(flag()?)),
        "keepalive" => Ok(SockOption::KeepAlive(flag()?)),
        "sndbuf" => Ok(SockOption::SndBuf(bytes()?)),
        "rcvbuf" => Ok(SockOption::RcvBuf(bytes()?)),
        "linger" => match value.get_ref() {
            toml::Value::Boolean(false) => Ok(SockOption::Linger(None)),
            toml::Value::Integer(n) => {
                Ok(SockOption::Linger(Some(seconds(&Spanned::new(vspan, *n))?)))
            }
            _ => Err(at(vspan, "value: seconds, or false for off".into())),
        },
        other => Err(at(
            name.span(),
            format!(
                "unknown option '{}': nodelay, keepalive, sndbuf, rcvbuf or linger",
                other.escape_debug()
            ),
        )),
    }
}

fn size_of(value: &Spanned<Size>) -> Result<usize, Bad> {
    size(value, parse_socket_buffer)
}
