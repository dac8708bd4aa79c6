//! TLS session secrets in recordings (format 2.7, record type 0x2c): the NSS key log lines of
//! every TLS connection this process made, so that a recording of a TLS session can be
//! decrypted later (`export --format pcapng` puts them in a Decryption Secrets Block).
//!
//! The secrets are gathered process-wide, in [`remember`], rather than carried with the
//! events: a rustls key log is set once, when the TLS configuration is built, while a
//! recording may begin at any time (the UI starts and stops them) and is fed by whichever
//! layer runs the session. Every [`super::Recorder`] writes, before each batch, the lines it
//! has not written yet, starting from the first one kept; so a recording begun in the middle
//! of a session still holds the keys of the connections already open. What is kept is bounded
//! ([`KEEP_BYTES`]): the oldest lines go first, which only a recording begun after that many
//! handshakes could miss.
//!
//! A record's body is key log text: whole lines `LABEL HEX HEX\n`, checked when read.

use std::collections::VecDeque;
use std::sync::Mutex;

/// Most key log text kept for recordings begun later (about ten thousand proxied handshakes).
pub const KEEP_BYTES: usize = 16 << 20;
/// Largest body of one secrets record; longer text is split at a line end.
pub const RECORD_TEXT: usize = 64 << 10;
/// Most secrets text a reader gathers from one recording.
pub const MAX_GATHERED: usize = 64 << 20;

/// The lines kept, numbered from `first`.
#[derive(Debug)]
struct Log {
    lines: VecDeque<String>,
    first: u64,
    bytes: usize,
}

static LOG: Mutex<Log> = Mutex::new(Log { lines: VecDeque::new(), first: 0, bytes: 0 });

/// Keeps one key log line (with its `\n`) for the recordings of this process.
pub fn remember(line: String) {
    let Ok(mut log) = LOG.lock() else { return };
    log.bytes += line.len();
    log.lines.push_back(line);
    while log.bytes > KEEP_BYTES
        && let Some(old) = log.lines.pop_front()
    {
        log.bytes -= old.len();
        log.first += 1;
    }
}

/// Where one recording is in the process's key log.
#[derive(Debug, Default)]
pub struct SecretsCursor {
    next: u64,
}

impl SecretsCursor {
    /// The lines kept since the last call (all of them the first time), as pieces of at most
    /// [`RECORD_TEXT`] bytes that end at a line end; empty when there is nothing new.
    pub fn take_new(&mut self) -> Vec<String> {
        let Ok(log) = LOG.lock() else { return Vec::new() };
        let skip = usize::try_from(self.next.saturating_sub(log.first)).unwrap_or(usize::MAX);
        let mut pieces: Vec<String> = Vec::new();
        for line in log.lines.iter().skip(skip) {
            match pieces.last_mut() {
                Some(piece) if piece.len() + line.len() <= RECORD_TEXT => piece.push_str(line),
                _ => pieces.push(line.clone()),
            }
        }
        self.next = log.first + log.lines.len() as u64;
        pieces
    }
}

/// Checks that `body` is key log text: whole lines of a label (capitals, digits, `_`) and two
/// runs of hex digits. Says what is wrong otherwise.
pub fn check_text(body: &[u8]) -> Result<&str, &'static str> {
    let text = std::str::from_utf8(body).map_err(|_| "the TLS secrets are not text")?;
    if !text.ends_with('\n') {
        return Err("the TLS secrets do not end with a whole line");
    }
    for line in text.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let well_formed = match fields.as_slice() {
            [label, random, secret] => {
                !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                    && is_hex(random)
                    && is_hex(secret)
            }
            _ => false,
        };
        if !well_formed {
            return Err("the TLS secrets hold a line that is not in the key log format");
        }
    }
    Ok(text)
}

fn is_hex(field: &str) -> bool {
    !field.is_empty()
        && field.len().is_multiple_of(2)
        && field.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_log_text_is_checked() {
        let good = b"CLIENT_RANDOM 0a0b 0c0d\nEXPORTER_SECRET 01 ff\n";
        assert_eq!(check_text(good), Ok(std::str::from_utf8(good).unwrap()));
        for bad in [
            &b"CLIENT_RANDOM 0a0b 0c0d"[..],
            b"CLIENT_RANDOM 0a0b\n",
            b"client_random 0a 0c\n",
            b"CLIENT_RANDOM 0a0 0c\n",
            b"CLIENT_RANDOM 0a 0c extra\n",
            b"\xff\n",
            b"\n",
        ] {
            assert!(check_text(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_cursor_takes_each_line_once_in_pieces_of_whole_lines() {
        let mut cursor = SecretsCursor::default();
        drop(cursor.take_new());
        let line = format!("CLIENT_RANDOM {} {}\n", "ab".repeat(32), "cd".repeat(48));
        for _ in 0..1000 {
            remember(line.clone());
        }
        let pieces = cursor.take_new();
        // Other tests of this process may remember lines too: at least ours are there.
        let text: String = pieces.concat();
        assert!(text.matches(&line).count() >= 1000);
        assert!(pieces.iter().all(|p| p.len() <= RECORD_TEXT && p.ends_with('\n')));
        assert!(pieces.iter().all(|p| check_text(p.as_bytes()).is_ok()));
        assert!(!cursor.take_new().concat().contains(&line), "each line is taken once");
    }
}
