//! Headless `connect`: standard input goes to the peer, like `nc`, and its end becomes
//! `shutdown(write)`.
//!
//! The reading thread must not run ahead of the socket: a fast producer (`cat bigfile |`) and a
//! slow peer would otherwise pile the whole input up in the engine's queue. So it holds a credit
//! of [`IN_FLIGHT_LIMIT`] bytes, spent on each read and earned back as `send` events report bytes
//! accepted by the socket.

use crate::engine::Controller;
use crate::event::{Command, ConnId, How};
use bytes::Bytes;
use std::io::{self, Read};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;

/// Largest single read from standard input.
pub const READ_CHUNK: usize = 64 * 1024;
/// Largest read sent as one datagram: the most a UDP datagram over IPv4 can carry (65 535
/// less the IPv4 and UDP headers), so that no read of standard input is too large to send.
pub const DATAGRAM_READ: usize = 65_507;
/// Most bytes read from standard input but not yet accepted by the socket.
pub const IN_FLIGHT_LIMIT: usize = 1024 * 1024;

/// The running standard-input thread. Dropping it releases the thread if it waits for credit;
/// a thread blocked in `read` simply ends with the process.
#[derive(Debug)]
pub struct Input {
    credit: Arc<Credit>,
}

impl Input {
    /// Starts sending standard input to `conn`.
    pub fn start(controller: Controller, conn: ConnId, piece: usize) -> io::Result<Self> {
        let credit = Arc::new(Credit::default());
        let shared = Arc::clone(&credit);
        thread::Builder::new()
            .name("sockscope-stdin".into())
            .spawn(move || pump(&mut io::stdin().lock(), &controller, (conn, piece), &shared))?;
        Ok(Self { credit })
    }

    /// The socket accepted `len` more bytes.
    pub fn acknowledge(&self, len: usize) {
        self.credit.release(len);
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        self.credit.close();
    }
}

/// Copies `source` to the connection within the credit, then shuts down our sending half.
fn pump(
    source: &mut impl Read,
    controller: &Controller,
    (conn, piece): (ConnId, usize),
    credit: &Credit,
) {
    let mut buffer = vec![0; piece.clamp(1, READ_CHUNK)];
    loop {
        if !credit.reserve(buffer.len()) {
            return;
        }
        let len = match source.read(&mut buffer) {
            Ok(0) => break,
            Ok(len) => len,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => {
                eprintln!("warning: reading standard input failed: {err}; ending the input");
                break;
            }
        };
        let data = Bytes::copy_from_slice(buffer.get(..len).unwrap_or_default());
        credit.spend(len);
        if controller.send(Command::Send { conn, data }).is_err() {
            return;
        }
    }
    let _ = controller.send(Command::Shutdown { conn, how: How::Write });
}

/// Bytes handed to the engine and not yet reported sent, shared by the two threads.
#[derive(Debug, Default)]
struct Credit {
    state: Mutex<CreditState>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct CreditState {
    in_flight: usize,
    closed: bool,
}

impl CreditState {
    fn has_room(&self, len: usize) -> bool {
        self.in_flight.saturating_add(len) <= IN_FLIGHT_LIMIT
    }
}

impl Credit {
    /// Waits until `len` more bytes fit under the limit; `false` once the run is over.
    fn reserve(&self, len: usize) -> bool {
        let mut state = self.lock();
        while !state.closed && !state.has_room(len) {
            state = self.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        !state.closed
    }

    fn spend(&self, len: usize) {
        self.lock().in_flight += len;
    }

    fn release(&self, len: usize) {
        let mut state = self.lock();
        state.in_flight = state.in_flight.saturating_sub(len);
        self.changed.notify_all();
    }

    fn close(&self) {
        self.lock().closed = true;
        self.changed.notify_all();
    }

    /// Neither thread panics while holding the lock, and the state stays valid if one did.
    fn lock(&self) -> MutexGuard<'_, CreditState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_ends_at_the_limit() {
        let cases = [
            (0, READ_CHUNK, true),
            (IN_FLIGHT_LIMIT - READ_CHUNK, READ_CHUNK, true),
            (IN_FLIGHT_LIMIT - READ_CHUNK + 1, READ_CHUNK, false),
            (IN_FLIGHT_LIMIT, 1, false),
            (usize::MAX, 1, false),
        ];
        for (in_flight, len, expected) in cases {
            let state = CreditState { in_flight, closed: false };
            assert_eq!(state.has_room(len), expected, "{in_flight} + {len}");
        }
    }

    #[test]
    fn released_credit_lets_a_waiting_reader_go_on() {
        let credit = Arc::new(Credit::default());
        credit.spend(IN_FLIGHT_LIMIT);
        let waiter = {
            let credit = Arc::clone(&credit);
            thread::spawn(move || credit.reserve(READ_CHUNK))
        };
        credit.release(READ_CHUNK);
        assert!(waiter.join().expect("waiter"));
    }

    #[test]
    fn closing_releases_a_waiting_reader() {
        let credit = Arc::new(Credit::default());
        credit.spend(IN_FLIGHT_LIMIT);
        let waiter = {
            let credit = Arc::clone(&credit);
            thread::spawn(move || credit.reserve(1))
        };
        credit.close();
        assert!(!waiter.join().expect("waiter"), "a closed run stops the reader");
    }

    #[test]
    fn over_acknowledgement_does_not_underflow() {
        let credit = Credit::default();
        credit.spend(10);
        credit.release(25);
        assert_eq!(credit.lock().in_flight, 0);
    }
}
