//! Why the kernel refused tracing, and what would allow it: Yama's `ptrace_scope`, the
//! capability `CAP_SYS_PTRACE`, or a seccomp filter (containers) that forbids ptrace.

use nix::errno::Errno;

const YAMA: &str = "/proc/sys/kernel/yama/ptrace_scope";

/// A sentence for a refused `ptrace` call.
#[must_use]
pub fn explain(errno: Errno) -> String {
    if errno != Errno::EPERM {
        return format!("tracing failed: {}", errno.desc());
    }
    let scope = std::fs::read_to_string(YAMA).ok().and_then(|text| text.trim().parse().ok());
    let seccomp = seccomp_mode();
    let why = match (scope, seccomp) {
        (Some(3_u8), _) => format!("{YAMA} is 3: no process may trace another until the next boot"),
        (Some(2), _) => format!(
            "{YAMA} is 2: only a process with CAP_SYS_PTRACE may trace; run sockscope as \
             root or give it the capability (setcap cap_sys_ptrace+ep)"
        ),
        (Some(1), _) => format!(
            "{YAMA} is 1: a process may trace only its own children; `sockscope trace -- CMD` \
             starts CMD as its child, or set it to 0 (sysctl kernel.yama.ptrace_scope=0), or \
             give sockscope CAP_SYS_PTRACE"
        ),
        (_, Some(mode)) if mode > 0 => format!(
            "a seccomp filter (Seccomp: {mode} in /proc/self/status) forbids ptrace, as a \
             container's default profile does; run the container with ptrace allowed \
             (e.g. --cap-add SYS_PTRACE or a seccomp profile that permits it)"
        ),
        _ => "the process belongs to another user or is not traceable; run sockscope as the \
              same user, or with CAP_SYS_PTRACE"
            .to_owned(),
    };
    format!("tracing is not permitted: {why}")
}

/// `Seccomp:` of `/proc/self/status`: 0 none, 1 strict, 2 filter.
fn seccomp_mode() -> Option<u8> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| line.strip_prefix("Seccomp:")?.trim().parse().ok())
}
