//! The open-file limit: every socket is a descriptor, and the usual soft limit (1024) would make
//! `accept` fail with EMFILE long before `--max-conns 10000` is reached.
//!
//! At start the soft limit is raised to the hard limit, which any process may do. When even the
//! hard limit is too low for `--max-conns`, the person is told how far it will get, since only
//! they (or their administrator) can raise it.

use crate::engine::Mode;
use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};

/// Descriptors the process needs besides its connections: standard streams, the poll and its
/// waker, the listener, a recording, the terminal, pipes of the threads.
pub const HEADROOM: u64 = 64;

/// The soft limit on open files before and after [`raise`], and the hard limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FdLimit {
    pub before: Option<u64>,
    pub soft: Option<u64>,
    pub hard: Option<u64>,
}

/// Raises the soft `RLIMIT_NOFILE` to the hard limit (left alone when the hard limit is
/// unlimited: the kernel's own ceiling then applies and is not known here). Returns the limits,
/// or a warning when the change was refused.
pub fn raise() -> Result<FdLimit, String> {
    let Rlimit { current, maximum } = getrlimit(Resource::Nofile);
    let mut limit = FdLimit { before: current, soft: current, hard: maximum };
    if let Some(hard) = maximum.filter(|hard| current.is_some_and(|soft| soft < *hard)) {
        let wanted = Rlimit { current: Some(hard), maximum: Some(hard) };
        setrlimit(Resource::Nofile, wanted).map_err(|err| {
            format!("cannot raise the open-file limit from {current:?} to {hard}: {err}")
        })?;
        limit.soft = Some(hard);
    }
    Ok(limit)
}

/// Descriptors `max_conns` connections of `mode` hold: a proxy holds two per client (the
/// client and its upstream).
#[must_use]
pub fn needed(mode: &Mode, max_conns: usize) -> u64 {
    let per_conn = if matches!(mode, Mode::Proxy { .. }) { 2 } else { 1 };
    (max_conns as u64).saturating_mul(per_conn).saturating_add(HEADROOM)
}

/// A warning when the open-file limit cannot hold `--max-conns` connections.
#[must_use]
pub fn warning(mode: &Mode, max_conns: Option<usize>, limit: FdLimit) -> Option<String> {
    let max_conns = max_conns?;
    let soft = limit.soft?;
    let need = needed(mode, max_conns);
    if soft >= need {
        return None;
    }
    let hard = limit.hard.map_or_else(|| "unlimited".to_owned(), |hard| hard.to_string());
    Some(format!(
        "the open-file limit is {soft} (hard limit {hard}), below the {need} descriptors \
         --max-conns {max_conns} needs: accepting pauses whenever they run out; raise the hard \
         limit (as root: ulimit -Hn, or LimitNOFILE= for a service)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Address;

    fn listen() -> Mode {
        Mode::Listen { addr: Address::Ip("127.0.0.1:1".parse().unwrap()) }
    }

    fn proxy() -> Mode {
        let addr = Address::Ip("127.0.0.1:1".parse().unwrap());
        Mode::Proxy { listen: addr.clone(), upstream: vec![addr] }
    }

    fn limit(soft: u64, hard: u64) -> FdLimit {
        FdLimit { before: Some(1024), soft: Some(soft), hard: Some(hard) }
    }

    #[test]
    fn a_limit_that_holds_max_conns_says_nothing() {
        assert_eq!(warning(&listen(), Some(10_000), limit(20_000, 20_000)), None);
        assert_eq!(warning(&listen(), None, limit(64, 64)), None, "no --max-conns, no promise");
        assert_eq!(needed(&listen(), 100), 164);
        assert_eq!(needed(&proxy(), 100), 264);
    }

    #[test]
    fn a_low_limit_names_the_numbers() {
        let text = warning(&listen(), Some(10_000), limit(4096, 4096)).expect("a warning");
        assert!(text.contains("open-file limit is 4096 (hard limit 4096)"), "{text}");
        assert!(text.contains("below the 10064 descriptors --max-conns 10000 needs"), "{text}");
        let text = warning(&proxy(), Some(10_000), limit(10_064, 10_064)).expect("a warning");
        assert!(text.contains("below the 20064 descriptors"), "{text}");
        let unlimited = FdLimit { hard: None, ..limit(1024, 0) };
        let text = warning(&listen(), Some(2000), unlimited).expect("a warning");
        assert!(text.contains("(hard limit unlimited)"), "{text}");
    }

    #[test]
    fn raising_reaches_the_hard_limit() {
        let limit = raise().expect("raising the soft limit to the hard one is always allowed");
        assert_eq!(limit.soft, limit.hard.or(limit.before));
        let now = getrlimit(Resource::Nofile);
        assert_eq!(now.current, limit.soft);
    }
}
