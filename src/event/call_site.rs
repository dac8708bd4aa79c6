//! Where a traced program's event came from: which process, which real system call, which
//! descriptor. `sockscope trace` adds these as the optional fields `pid`, `syscall` and `fd`
//! of an event's JSON line; events of sockscope's own sockets have none of them.

use super::Event;
use std::io::{self, Write};

/// The process, the system call (`sendto`, `write`, `recvmsg`, ...) and the descriptor a
/// traced event was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallSite {
    pub pid: i32,
    pub syscall: &'static str,
    pub fd: Option<i32>,
    /// On a `ready` event: the kind of readiness call (`select`, `poll`, `epoll_wait`) whose
    /// result it is, written as the field `call`.
    pub call: Option<&'static str>,
}

/// Every system call and readiness kind a call site may name: a recording names them as
/// text, and a site read back takes its name from this list.
const NAMES: &[&str] = &[
    "read",
    "write",
    "close",
    "readv",
    "writev",
    "socket",
    "connect",
    "accept",
    "accept4",
    "sendto",
    "recvfrom",
    "sendmsg",
    "recvmsg",
    "shutdown",
    "bind",
    "listen",
    "setsockopt",
    "select",
    "pselect6",
    "poll",
    "ppoll",
    "epoll_wait",
    "epoll_pwait",
    "epoll_pwait2",
    "epoll_ctl",
];

impl CallSite {
    /// `name` as one of the names a call site may hold; `None` for a name sockscope does not
    /// trace (a damaged or foreign recording).
    #[must_use]
    pub fn known_name(name: &str) -> Option<&'static str> {
        NAMES.iter().copied().find(|known| *known == name)
    }

    /// The fields as a text log line's suffix: `[pid 42 sendto fd 3]`.
    #[must_use]
    pub fn suffix(&self) -> String {
        match self.fd {
            Some(fd) => format!("[pid {} {} fd {fd}]", self.pid, self.syscall),
            None => format!("[pid {} {}]", self.pid, self.syscall),
        }
    }
}

impl Event {
    /// Whether a traced `send` or `recv` carries fewer bytes of `data` than it moved
    /// (`--snap`): its JSON line says `"snapped":true`.
    #[must_use]
    pub fn snapped(&self) -> bool {
        if let super::EventKind::Send { len, data, .. } | super::EventKind::Recv { len, data, .. } =
            &self.kind
        {
            return data.len() < *len;
        }
        false
    }

    /// The JSON line of [`Event::write_json_line`] with `call`'s fields added before its end.
    ///
    /// # Errors
    /// Whatever writing to `out` returns.
    pub fn write_traced_json_line(
        &self,
        call: Option<&CallSite>,
        out: &mut impl Write,
    ) -> io::Result<()> {
        let Some(call) = call else { return self.write_json_line(out) };
        let mut line = Vec::with_capacity(256);
        self.write_json_line(&mut line)?;
        // Every line ends with `}` and a newline; the fields go before the brace.
        line.truncate(line.len().saturating_sub(2));
        write!(line, r#","pid":{},"syscall":"{}""#, call.pid, call.syscall)?;
        if let Some(fd) = call.fd {
            write!(line, r#","fd":{fd}"#)?;
        }
        if let Some(kind) = call.call {
            write!(line, r#","call":"{kind}""#)?;
        }
        if self.snapped() {
            line.extend_from_slice(br#","snapped":true"#);
        }
        line.extend_from_slice(b"}\n");
        out.write_all(&line)
    }
}

#[cfg(test)]
mod tests {
    use super::CallSite;
    use crate::event::{ConnId, Event, EventKind};

    #[test]
    fn a_traced_line_carries_pid_syscall_and_fd_and_an_untraced_one_does_not() {
        let event = Event { kind: EventKind::Eof { conn: ConnId(3) }, t_us: 9 };
        let call = CallSite { pid: 42, syscall: "recvfrom", fd: Some(5), call: None };
        let mut traced = Vec::new();
        event.write_traced_json_line(Some(&call), &mut traced).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&traced).unwrap();
        assert_eq!(value["ev"], "eof");
        assert_eq!(value["pid"], 42);
        assert_eq!(value["syscall"], "recvfrom");
        assert_eq!(value["fd"], 5);
        assert_eq!(value["t_us"], 9);
        let mut plain = Vec::new();
        event.write_traced_json_line(None, &mut plain).unwrap();
        assert_eq!(String::from_utf8(plain).unwrap(), event.to_json_line() + "\n");
    }
}
