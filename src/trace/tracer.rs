//! The tracer's loop: wait for any traced thread to stop, read the call it makes or the
//! result it got, turn finished socket calls into events, and let it run on.
//!
//! Every ptrace request must come from the thread that became the tracer, so the whole loop
//! runs on the caller's thread. New processes and threads (fork, vfork, clone) are traced
//! automatically; each first reports a `SIGSTOP`, which is swallowed.

use super::blocking::Pending;
use super::decode::{self, Stop};
use super::events::Calls;
use super::waiting::ChildSignals;

mod ending;
use super::{Ending, Sink, Stdio, permission, seccomp, spawn};
use nix::errno::Errno;
use nix::sys::ptrace::{self, Options};
use nix::sys::signal::Signal;
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;
use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// What a thread is doing, between two stops.
#[derive(Clone, Copy, Debug)]
enum State {
    Running,
    /// Inside a call: the socket call it is (`None` for another call).
    InCall(Option<Pending>),
}

/// The traced threads and processes, and their calls.
#[derive(Debug)]
pub struct Tracer {
    threads: HashMap<Pid, State>,
    /// Threads whose first stop (the `SIGSTOP` of a new tracee) has been seen.
    started: HashSet<Pid>,
    main: Pid,
    calls: Calls,
    ending: Option<Ending>,
    /// `--pid`: detach (rather than end) when asked to stop.
    attached: bool,
    /// The program has sockscope's seccomp filter: a thread outside a call runs on with
    /// `PTRACE_CONT` and stops only at a socket call's seccomp stop; otherwise every call's
    /// entry and exit stop it (`PTRACE_SYSCALL`).
    seccomp: bool,
    /// Wakes the wait for a stop, or lets it end at the next blocked call's deadline.
    signals: ChildSignals,
    /// The program was told to die (a started program, when asked to stop).
    killed: bool,
}

fn options() -> Options {
    Options::PTRACE_O_TRACESYSGOOD
        | Options::PTRACE_O_TRACEFORK
        | Options::PTRACE_O_TRACEVFORK
        | Options::PTRACE_O_TRACECLONE
        | Options::PTRACE_O_TRACEEXEC
}

impl Tracer {
    /// Starts `command` under ptrace, stopped before it runs; `Err` says why it cannot.
    pub fn spawn(command: &[OsString], stdio: &Stdio) -> Result<Self, Ending> {
        let pid = spawn::start(command, stdio)
            .map_err(|err| Ending::Failed(format!("cannot start: {err}")))?;
        match waitpid(pid, Some(WaitPidFlag::__WALL)) {
            Ok(WaitStatus::Stopped(_, Signal::SIGSTOP)) => {}
            // The helper said why on stderr (not permitted, not found).
            Ok(WaitStatus::Exited(_, code)) => return Err(Ending::Exited(code)),
            Ok(other) => return Err(Ending::Failed(format!("the helper stopped as {other:?}"))),
            Err(errno) => return Err(Ending::Failed(format!("waitpid: {}", errno.desc()))),
        }
        // The program dies with sockscope: never left stopped, never left running untraced.
        // (A filtered call with no tracer would fail with ENOSYS.)
        let seccomp = seccomp::installed_in(pid);
        let extra = if seccomp { Options::PTRACE_O_TRACESECCOMP } else { Options::empty() };
        ptrace::setoptions(pid, options() | Options::PTRACE_O_EXITKILL | extra)
            .map_err(|errno| Ending::Failed(permission::explain(errno)))?;
        let mut tracer = Self::new(pid, false);
        tracer.seccomp = seccomp;
        tracer.started.insert(pid);
        tracer.resume(pid, None);
        Ok(tracer)
    }

    /// Attaches to every thread of the running process `pid`.
    pub fn attach(pid: Pid) -> Result<Self, Ending> {
        let mut tracer = Self::new(pid, true);
        let mut tids = threads_of(pid);
        if tids.is_empty() {
            return Err(Ending::Failed(format!("no process {pid}")));
        }
        tids.sort_unstable_by_key(|tid| i32::from(*tid != pid));
        for tid in tids {
            match ptrace::seize(tid, options()).and_then(|()| ptrace::interrupt(tid)) {
                Ok(()) => {
                    tracer.threads.insert(tid, State::Running);
                    // A seized thread reports PTRACE_EVENT_STOP, not SIGSTOP.
                    tracer.started.insert(tid);
                }
                // A thread that ended meanwhile.
                Err(Errno::ESRCH) if tid != pid => {}
                Err(errno) if tid == pid => return Err(Ending::Failed(permission::explain(errno))),
                Err(_) => {}
            }
        }
        Ok(tracer)
    }

    fn new(main: Pid, attached: bool) -> Self {
        let threads = HashMap::from([(main, State::Running)]);
        let calls = Calls::default();
        Self {
            threads,
            started: HashSet::new(),
            main,
            calls,
            ending: None,
            attached,
            seccomp: false,
            signals: ChildSignals::new(),
            killed: false,
        }
    }

    /// Reads at most `snap` bytes of each call's data (`None`: all).
    #[must_use]
    pub fn with_snap(mut self, snap: Option<usize>) -> Self {
        self.calls.set_snap(snap);
        self
    }

    /// The traced program's main process.
    #[must_use]
    pub fn main_pid(&self) -> Pid {
        self.main
    }

    /// Runs until every traced process has ended, handing each event to `sink`. When `stop`
    /// is set, an attached program is detached and runs on; a started one is killed
    /// (`SIGKILL`, every traced process), so it is never left stopped or running untraced.
    pub fn run(mut self, stop: &AtomicBool, sink: &mut dyn Sink) -> Ending {
        loop {
            if stop.load(Ordering::SeqCst) {
                if self.attached {
                    self.detach_all();
                    return Ending::Detached;
                }
                self.kill_all();
            }
            match waitpid(None::<Pid>, Some(WaitPidFlag::__WALL | WaitPidFlag::WNOHANG)) {
                Ok(WaitStatus::StillAlive) => {
                    let next = self.tell_blocked(sink);
                    sink.idle();
                    self.signals
                        .wait(next.map(|due| due.saturating_duration_since(Instant::now())));
                }
                Ok(status) => self.on_status(status, stop, sink),
                Err(Errno::EINTR) => {}
                Err(_) => break,
            }
        }
        self.ending.unwrap_or(Ending::Exited(0))
    }

    /// Reports the calls that have blocked for long enough; the next such deadline.
    fn tell_blocked(&mut self, sink: &mut dyn Sink) -> Option<Instant> {
        let now = Instant::now();
        let mut next: Option<Instant> = None;
        for (&pid, state) in &mut self.threads {
            let State::InCall(Some(pending)) = state else { continue };
            let Some(due) = pending.due() else { continue };
            if due > now {
                next = Some(next.map_or(due, |n| n.min(due)));
                continue;
            }
            pending.told = true;
            if let Some(blocked) = self.calls.blocked(pid, &pending.entry, now - pending.began) {
                sink.event(blocked);
            }
        }
        next
    }

    fn on_status(&mut self, status: WaitStatus, stop: &AtomicBool, sink: &mut dyn Sink) {
        match status {
            WaitStatus::PtraceSyscall(pid) => {
                self.on_syscall(pid, sink);
                self.resume(pid, None);
            }
            WaitStatus::PtraceEvent(pid, _, event) => {
                if event == libc::PTRACE_EVENT_SECCOMP {
                    self.on_syscall(pid, sink);
                }
                if event == libc::PTRACE_EVENT_EXEC {
                    self.forget_exec_thread(pid);
                    self.calls.exec_happened();
                }
                self.resume(pid, None);
            }
            WaitStatus::Stopped(pid, signal) => {
                let first = self.started.insert(pid);
                self.threads.entry(pid).or_insert(State::Running);
                let swallowed = (first && signal == Signal::SIGSTOP)
                    || (self.attached && signal == super::WAKE && stop.load(Ordering::SeqCst));
                self.resume(pid, (!swallowed).then_some(signal));
            }
            WaitStatus::Exited(pid, code) => self.ended(pid, Ending::Exited(code)),
            WaitStatus::Signaled(pid, signal, _) => {
                self.ended(pid, Ending::Signaled(signal as i32));
            }
            WaitStatus::Continued(_) | WaitStatus::StillAlive => {}
        }
    }

    /// After a thread other than the leader called `execve`, it carries on as the leader's
    /// pid and its own id is gone without an exit report: forget it.
    fn forget_exec_thread(&mut self, pid: Pid) {
        let former = ptrace::getevent(pid).ok().and_then(|id| i32::try_from(id).ok());
        if let Some(former) = former.map(Pid::from_raw).filter(|&former| former != pid) {
            self.threads.remove(&former);
            self.started.remove(&former);
        }
    }

    fn ended(&mut self, pid: Pid, how: Ending) {
        self.threads.remove(&pid);
        self.calls.thread_ended(pid);
        self.started.remove(&pid);
        if pid == self.main {
            self.ending = Some(how);
        }
    }

    fn on_syscall(&mut self, pid: Pid, sink: &mut dyn Sink) {
        let state = self.threads.get(&pid).copied().unwrap_or(State::Running);
        match (state, decode::stop(pid)) {
            // With the filter, a call whose result cannot make an event (a `read` of a file)
            // runs to its end without another stop.
            (_, Some(Stop::Entering(Some(entry))))
                if self.seccomp && !self.calls.wants_result(pid, &entry) =>
            {
                self.threads.insert(pid, State::Running);
            }
            (_, Some(Stop::Entering(entry))) => {
                let call =
                    entry.map(|entry| Pending::new(entry, self.calls.before_call(pid, &entry)));
                self.threads.insert(pid, State::InCall(call));
            }
            (State::InCall(Some(pending)), Some(Stop::Leaving(result))) => {
                self.threads.insert(pid, State::Running);
                let live: Vec<Pid> = self.threads.keys().copied().collect();
                let (entry, closing) = (pending.entry, pending.closing);
                for traced in self.calls.finish(pid, entry, closing, result, &live) {
                    sink.event(traced);
                }
            }
            // A call sockscope does not show, or one that began before it attached.
            (State::InCall(None) | State::Running, Some(Stop::Leaving(_))) | (_, None) => {
                self.threads.insert(pid, State::Running);
            }
        }
    }

    /// Lets `pid` run to its next stop, delivering `signal` if any: the exit of the call it is
    /// in, else (with the filter) the next socket call, else the next call of any kind. A
    /// thread that died meanwhile (ESRCH) reports its exit through waitpid.
    fn resume(&self, pid: Pid, signal: Option<Signal>) {
        let in_call = matches!(self.threads.get(&pid), Some(State::InCall(_)));
        let _ = if self.seccomp && !in_call {
            ptrace::cont(pid, signal)
        } else {
            ptrace::syscall(pid, signal)
        };
    }
}

/// The threads of `pid` (`/proc/PID/task`).
fn threads_of(pid: Pid) -> Vec<Pid> {
    let Ok(entries) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse().ok())
        .map(Pid::from_raw)
        .collect()
}
