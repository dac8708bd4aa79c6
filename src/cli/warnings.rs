//! Warnings about what the command line asked for: shown on stderr before a headless run, and
//! in the terminal UI's status bar for the whole run.
//!
//! Each check is a small pure function of the validated input, so it can be tested alone and
//! called from every place that starts a session.

use crate::engine::Mode;
use crate::engine::addr::binds_all_interfaces;
use crate::event::Address;

/// A listener on every interface (`0.0.0.0`, `[::]`) is easy to create by accident and exposes
/// whatever the session shows to other machines: the warning for `addr`, if it is one.
#[must_use]
pub fn all_interfaces_warning(addr: &Address) -> Option<String> {
    binds_all_interfaces(addr)
        .then(|| format!("listening on all interfaces ({addr}): reachable from other machines"))
}

/// Every warning about the socket `mode` starts with.
#[must_use]
pub fn mode_warnings(mode: &Mode) -> Vec<String> {
    mode.listen_address().and_then(all_interfaces_warning).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(text: &str) -> Address {
        text.parse().expect("a literal address")
    }

    #[test]
    fn only_unspecified_addresses_warn() {
        let cases = [
            (
                "0.0.0.0:9000",
                Some("listening on all interfaces (0.0.0.0:9000): reachable from other machines"),
            ),
            ("[::]:0", Some("listening on all interfaces ([::]:0): reachable from other machines")),
            ("127.0.0.1:9000", None),
            ("[::1]:9000", None),
            ("192.168.1.10:9000", None),
            ("unix:/tmp/sockscope.sock", None),
        ];
        for (text, expected) in cases {
            assert_eq!(all_interfaces_warning(&address(text)).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn listening_modes_warn_and_connecting_does_not() {
        let any = address("0.0.0.0:9000");
        let listen = Mode::Listen { addr: any.clone() };
        let proxy = Mode::Proxy { listen: any.clone(), upstream: vec![address("127.0.0.1:80")] };
        let connect = Mode::Connect { candidates: vec![any] };
        assert_eq!(mode_warnings(&listen).len(), 1);
        assert_eq!(mode_warnings(&proxy).len(), 1);
        assert!(mode_warnings(&connect).is_empty());
        assert!(mode_warnings(&Mode::Listen { addr: address("127.0.0.1:9000") }).is_empty());
    }
}
