//! `--fault DIR:KIND[,KIND...]`: one set per direction, for the engine's new pairs.

use super::config::UsageError;
use crate::event::{FaultDir, FaultSet};

/// The `--fault` options in order, one set per direction: a later option adds its kinds to
/// the earlier ones of its direction (replacing a kind given twice); `DIR:off` clears them.
#[must_use]
pub fn merged(options: Vec<FaultSet>) -> Vec<FaultSet> {
    let mut sets: Vec<FaultSet> = Vec::new();
    for option in options {
        let Some(set) = sets.iter_mut().find(|s| s.dir == option.dir) else {
            sets.push(option);
            continue;
        };
        if option.faults.is_empty() {
            set.faults.clear();
        }
        for fault in option.faults {
            set.faults.retain(|f| f.kind() != fault.kind());
            set.faults.push(fault);
        }
    }
    sets.retain(|s| !s.faults.is_empty());
    sets
}

/// `listen` forwards nothing but an echo server's replies, which travel down.
pub fn for_listen(echo: bool, options: Vec<FaultSet>) -> Result<Vec<FaultSet>, UsageError> {
    if options.is_empty() {
        return Ok(options);
    }
    if !echo {
        return Err(UsageError(
            "--fault needs bytes to forward: use it with proxy, or with listen --echo".into(),
        ));
    }
    if options.iter().any(|s| s.dir == FaultDir::Up) {
        return Err(UsageError(
            "--fault up: an echo server forwards only its replies, which go down".into(),
        ));
    }
    Ok(merged(options))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Fault;

    fn sets(texts: &[&str]) -> Vec<FaultSet> {
        texts.iter().map(|t| t.parse().unwrap()).collect()
    }

    #[test]
    fn options_of_one_direction_add_up() {
        let merged = merged(sets(&["up:slice=1", "down:stall", "up:slice=2,rate=10", "down:off"]));
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].faults, [Fault::Slice(2), Fault::Rate(10)]);
    }

    #[test]
    fn listen_takes_faults_only_on_echo_replies() {
        assert!(for_listen(false, sets(&["down:stall"])).unwrap_err().0.contains("--echo"));
        assert!(for_listen(true, sets(&["up:stall"])).unwrap_err().0.contains("go down"));
        assert_eq!(for_listen(true, sets(&["down:stall"])).unwrap().len(), 1);
        assert!(for_listen(false, Vec::new()).unwrap().is_empty());
    }
}
