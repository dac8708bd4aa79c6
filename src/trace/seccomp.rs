//! A seccomp-bpf filter that makes only the socket calls stop the traced program: each
//! returns `SECCOMP_RET_TRACE`, which the tracer sees as a `PTRACE_EVENT_SECCOMP` stop; every
//! other call is allowed without a stop. A program that reads files, allocates and computes
//! runs at full speed under the tracer.
//!
//! The helper installs it before `exec` (a filter is inherited by the program and everything
//! it starts). `seccompiler::apply_filter` sets `PR_SET_NO_NEW_PRIVS` first, as the kernel
//! requires: a set-user-ID program run under the trace gains no privileges.

use super::decode::TRACED;
use seccompiler::{BpfProgram, SeccompAction, SeccompFilter, TargetArch};
use std::collections::BTreeMap;

/// Installs the filter in this process (the helper, about to exec the program).
pub fn install() -> Result<(), String> {
    let arch = TargetArch::try_from(std::env::consts::ARCH).map_err(|err| err.to_string())?;
    let rules = TRACED.iter().map(|&nr| (nr, Vec::new())).collect::<BTreeMap<_, _>>();
    let filter = SeccompFilter::new(rules, SeccompAction::Allow, SeccompAction::Trace(0), arch)
        .map_err(|err| err.to_string())?;
    let program: BpfProgram =
        filter.try_into().map_err(|err: seccompiler::BackendError| err.to_string())?;
    seccompiler::apply_filter(&program).map_err(|err| err.to_string())
}

/// Whether `pid` has a seccomp filter that sockscope itself has not: the helper's, installed.
pub fn installed_in(pid: nix::unistd::Pid) -> bool {
    let ours = filters("/proc/self/status");
    let theirs = filters(&format!("/proc/{pid}/status"));
    theirs.zip(ours).is_some_and(|(theirs, ours)| theirs > ours)
}

/// `Seccomp_filters:` of a status file.
fn filters(status: &str) -> Option<u32> {
    let text = std::fs::read_to_string(status).ok()?;
    text.lines().find_map(|line| line.strip_prefix("Seccomp_filters:")?.trim().parse().ok())
}
