//! The default `listen()` backlog: the system's ceiling, SOMAXCONN, as most servers use.
//!
//! A backlog smaller than a burst of clients overflows the kernel's accept queue: it drops the
//! clients' final ACKs (`ListenOverflows` in `nstat`) and answers further SYNs with SYN cookies.
//! The clients believe they are connected; when their ACKs or FINs come back the kernel builds
//! the sockets late, sometimes a second one for a connection that already ended (the same
//! client port accepted twice). Such a socket is ESTABLISHED in the kernel and never becomes
//! readable, since its client is gone; it holds a descriptor until it is closed by hand or by
//! `--idle-timeout`. 5 000 clients against a backlog of 128 left dozens of them here; against
//! SOMAXCONN (4 096) none. The HOWTO's 5 stays available through `--backlog`.

/// Where Linux publishes SOMAXCONN, the ceiling it applies to every backlog.
const SOMAXCONN_PATH: &str = "/proc/sys/net/core/somaxconn";

/// SOMAXCONN on Linux since 5.4, used where the value cannot be read.
pub const FALLBACK_BACKLOG: i32 = 4096;

/// The system's SOMAXCONN, or [`FALLBACK_BACKLOG`] where it cannot be read.
#[must_use]
pub fn default_backlog() -> i32 {
    std::fs::read_to_string(SOMAXCONN_PATH)
        .ok()
        .and_then(|text| parse_somaxconn(&text))
        .unwrap_or(FALLBACK_BACKLOG)
}

fn parse_somaxconn(text: &str) -> Option<i32> {
    text.trim().parse().ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn somaxconn_is_read_as_the_kernel_writes_it() {
        assert_eq!(parse_somaxconn("4096\n"), Some(4096));
        assert_eq!(parse_somaxconn("128"), Some(128));
        assert_eq!(parse_somaxconn(""), None);
        assert_eq!(parse_somaxconn("0\n"), None);
        assert_eq!(parse_somaxconn("lots"), None);
    }

    #[test]
    fn the_default_is_what_the_system_allows() {
        let expected = std::fs::read_to_string(SOMAXCONN_PATH)
            .map_or(FALLBACK_BACKLOG, |text| text.trim().parse().unwrap());
        assert_eq!(default_backlog(), expected);
    }
}
