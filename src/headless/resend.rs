//! `sockscope replay FILE --to ADDR`: one side of a recorded connection re-sent to a real
//! server through the engine, and the server's replies compared with the recorded ones.
//!
//! Exit codes: 0 the replies are identical; 1 a network failure (refused, reset, timed out);
//! 2 bad input (an unreadable recording, no such connection); 3 the replies differ. The last
//! line on standard output says which, and where the first difference is; a connection that
//! could not be made compares nothing and says so (exit 1).

use crate::engine::{Engine, EngineConfig, EofPolicy};
use crate::event::Address;
use crate::event::{Command, ConnId, Event, EventKind, How};
use crate::record::resend::{
    Action, Conversation, Side, Step, Verdict, compare, conversation, datagrams, hex_window,
};
use crate::record::{ReadStatus, Reader};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

#[path = "resend/report_datagrams.rs"]
mod report_datagrams;

/// Exit code when the replies differ from the recorded ones.
pub const EXIT_DIFFER: u8 = 3;

#[must_use]
/// `replay FILE --to ADDR`: one side of a recorded connection re-sent to a real server, as the
/// command line asked.
#[derive(Clone, Debug)]
pub struct Plan {
    pub path: std::path::PathBuf,
    /// Candidate addresses of the server, tried in turn.
    pub to: Vec<Address>,
    pub conn: Option<ConnId>,
    pub side: Side,
    pub timing: Timing,
    pub reply_timeout: Duration,
}

/// When each recorded chunk is sent again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timing {
    /// At the recorded times, relative to the connection's start.
    Original,
    /// As soon as the replies recorded before each chunk have arrived.
    WaitReply,
}

#[must_use]
pub fn run(plan: &Plan) -> ExitCode {
    let (talk, damaged) = match load(plan) {
        Ok(loaded) => loaded,
        Err(message) => {
            eprintln!("error: {}: {message}", plan.path.display());
            return ExitCode::from(2);
        }
    };
    let side = match plan.side {
        Side::Client => "client",
        Side::Server => "server",
    };
    if let Some(message) = report_datagrams::kind_mismatch(&talk, &plan.to) {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    eprintln!("re-sending the {side} side of connection {} to {}", talk.conn, list(&plan.to));
    let exchange = match Exchange::start(plan) {
        Ok(exchange) => exchange,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(1);
        }
    };
    let result = exchange.run(&talk, plan);
    report(&talk, &result, damaged)
}

fn load(plan: &Plan) -> Result<(Conversation, bool), String> {
    let mut reader = Reader::open(&plan.path).map_err(|e| e.to_string())?;
    let side = plan.side;
    let talk = conversation(reader.by_ref().map(|(_, event)| event), plan.conn, side)?;
    let damaged = reader.ending().filter(|e| e.status != ReadStatus::Complete);
    if let Some(ending) = damaged {
        eprintln!("warning: {}: {}; re-sending what was read", plan.path.display(), ending.status);
    }
    Ok((talk, damaged.is_some()))
}

fn list(addresses: &[crate::event::Address]) -> String {
    addresses.iter().map(ToString::to_string).collect::<Vec<_>>().join(" or ")
}

/// What came back, and how the connection ended.
#[derive(Debug, Default)]
struct Outcome {
    /// The connection was made: without it nothing was sent, so nothing can be compared.
    connected: bool,
    got: Vec<u8>,
    /// What came as datagrams, each whole (a datagram conversation only).
    got_datagrams: Vec<bytes::Bytes>,
    sent: usize,
    eof: bool,
    /// A network failure, in words.
    failure: Option<String>,
    /// Waited longer than the reply timeout without a byte.
    gave_up: bool,
}

struct Exchange {
    engine: Engine,
    batches: Receiver<Vec<Event>>,
    conn: Option<ConnId>,
    connected: bool,
    closed: bool,
    out: Outcome,
    last_progress: Instant,
    reply_timeout: Duration,
}

impl Exchange {
    fn start(plan: &Plan) -> Result<Self, String> {
        let config = EngineConfig {
            eof_policy: EofPolicy::KeepOpen,
            connect_timeout: Some(plan.reply_timeout),
            ..EngineConfig::default()
        };
        let (sink, batches) = mpsc::sync_channel(8);
        let engine = Engine::start(config, sink)
            .map_err(|e| format!("cannot start the socket engine: {e}"))?;
        engine.send(Command::Connect { candidates: plan.to.clone() }).map_err(|e| e.to_string())?;
        Ok(Self {
            engine,
            batches,
            conn: None,
            connected: false,
            closed: false,
            out: Outcome::default(),
            last_progress: Instant::now(),
            reply_timeout: plan.reply_timeout,
        })
    }

    fn run(mut self, talk: &Conversation, plan: &Plan) -> Outcome {
        self.wait(None, |x| x.connected || x.closed);
        let Some(conn) = self.conn.filter(|_| self.connected) else {
            let why = self.out.failure.take().unwrap_or_else(|| "no connection".into());
            self.out.failure = Some(format!("cannot connect to {}: {why}", list(&plan.to)));
            return self.finish();
        };
        self.out.connected = true;
        let started = Instant::now();
        for step in &talk.steps {
            let ready = match plan.timing {
                Timing::Original => {
                    self.wait(Some(started + Duration::from_micros(step.after_us)), |_| false)
                }
                Timing::WaitReply => self.wait(None, |x| x.replied(talk, step)),
            };
            if !ready || self.closed || self.out.diverged(talk) {
                break;
            }
            let command = match &step.action {
                Action::Send(data) => {
                    self.out.sent += data.len();
                    Command::Send { conn, data: data.clone() }
                }
                Action::Shutdown => Command::Shutdown { conn, how: How::Write },
            };
            let _ = self.engine.send(command);
        }
        self.wait(None, |x| {
            x.closed
                || x.out.eof
                || x.out.diverged(talk)
                || (!talk.expected_eof && x.out.all_came(talk))
        });
        self.finish()
    }

    fn replied(&self, talk: &Conversation, step: &Step) -> bool {
        self.out.replies(talk) >= step.replies_before
            || self.out.eof
            || self.closed
            || self.out.diverged(talk)
    }

    fn finish(self) -> Outcome {
        let Self { engine, batches, out, .. } = self;
        drop(batches);
        engine.stop();
        out
    }

    /// Takes events until `done`, until `deadline` (returns `true` there), or until the reply
    /// timeout passes without progress (returns `false`, and notes it).
    fn wait(&mut self, deadline: Option<Instant>, done: impl Fn(&Self) -> bool) -> bool {
        loop {
            if done(self) {
                return true;
            }
            let now = Instant::now();
            if deadline.is_some_and(|d| now >= d) {
                return true;
            }
            let idle_end = self.last_progress + self.reply_timeout;
            if deadline.is_none() && now >= idle_end {
                self.out.gave_up = true;
                return false;
            }
            let until = deadline.unwrap_or(idle_end);
            match self.batches.recv_timeout(until.saturating_duration_since(now)) {
                Ok(batch) => batch.iter().for_each(|event| self.observe(event)),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    self.closed = true;
                    return true;
                }
            }
        }
    }

    fn observe(&mut self, event: &Event) {
        if self.conn.is_none() {
            self.conn = event.conn();
        }
        if event.conn() != self.conn {
            return;
        }
        match &event.kind {
            EventKind::Connected { .. } => {
                self.connected = true;
                self.last_progress = Instant::now();
            }
            EventKind::Recv { data, .. } => {
                self.out.got.extend_from_slice(data);
                self.last_progress = Instant::now();
            }
            EventKind::RecvFrom { data, .. } => {
                self.out.got.extend_from_slice(data);
                self.out.got_datagrams.push(data.clone());
                self.last_progress = Instant::now();
            }
            EventKind::Eof { .. } => self.out.eof = true,
            EventKind::Error { kind, message, .. } if kind.is_network_failure() => {
                self.out.failure = Some(format!("{}: {message}", kind.name()));
            }
            EventKind::Close { .. } => self.closed = true,
            _ => {}
        }
    }
}

impl Outcome {
    /// Replies so far, in the unit of a step's `replies_before`: bytes, or datagrams.
    fn replies(&self, talk: &Conversation) -> usize {
        if talk.datagrams.is_some() { self.got_datagrams.len() } else { self.got.len() }
    }

    /// Every recorded reply came.
    fn all_came(&self, talk: &Conversation) -> bool {
        match &talk.datagrams {
            Some(expected) => self.got_datagrams.len() >= expected.len(),
            None => self.got.len() >= talk.expected.len(),
        }
    }

    /// What came can no longer end as recorded.
    fn diverged(&self, talk: &Conversation) -> bool {
        match &talk.datagrams {
            Some(expected) => datagrams::diverged(expected, &self.got_datagrams),
            None => self.got.len() > talk.expected.len() || !talk.expected.starts_with(&self.got),
        }
    }
}

fn report(talk: &Conversation, out: &Outcome, damaged: bool) -> ExitCode {
    if !out.connected {
        println!("connection failed: nothing was sent, so no reply was compared");
        if let Some(failure) = &out.failure {
            eprintln!("error: {failure}");
        }
        return ExitCode::from(1);
    }
    if let Some(expected) = &talk.datagrams {
        let code = report_datagrams::verdict(expected, out, damaged);
        return finish_report(out, code);
    }
    let verdict = compare(&talk.expected, &out.got);
    let code = match &verdict {
        Verdict::Identical => {
            println!(
                "identical: sent {} bytes, received the {} recorded bytes",
                out.sent,
                out.got.len()
            );
            if talk.expected_eof && !out.eof {
                println!("note: the server did not end its side as it did in the recording");
            }
            if damaged { 2 } else { 0 }
        }
        Verdict::Differ { at, expected, got } => {
            println!(
                "replies differ at byte {at} (received {}, recorded {}): expected {}, got {}",
                out.got.len(),
                talk.expected.len(),
                hex_window(expected),
                hex_window(got)
            );
            EXIT_DIFFER
        }
    };
    if out.gave_up && verdict != Verdict::Identical {
        eprintln!("note: no reply came for the reply timeout; stopped waiting");
    }
    finish_report(out, code)
}

/// A network failure outranks the comparison's exit code.
fn finish_report(out: &Outcome, code: u8) -> ExitCode {
    match &out.failure {
        Some(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(1)
        }
        None => ExitCode::from(code),
    }
}
