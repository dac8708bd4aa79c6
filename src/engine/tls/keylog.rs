//! `--keylog FILE` (or `SSLKEYLOGFILE`): the session secrets in the NSS key log format, so
//! Wireshark or tshark can decrypt a capture of the same connections. The file holds keys: it
//! is created 0600 (an existing one is narrowed to 0600), appended to, never followed
//! through a symbolic link.

use rustls::KeyLog;
use std::fs::{File, OpenOptions, Permissions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::sync::{Arc, Mutex};

#[derive(Debug)]
struct KeyLogFile(Mutex<File>);

/// Opens `path` for the key log.
pub fn key_log(path: &Path) -> Result<Arc<dyn KeyLog>, String> {
    let failed = |e: std::io::Error| format!("{}: {e}", path.display());
    let file = OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(failed)?;
    file.set_permissions(Permissions::from_mode(0o600)).map_err(failed)?;
    Ok(Arc::new(KeyLogFile(Mutex::new(file))))
}

impl KeyLog for KeyLogFile {
    fn log(&self, label: &str, client_random: &[u8], secret: &[u8]) {
        let line = format!("{label} {} {}\n", hex::encode(client_random), hex::encode(secret));
        if let Ok(mut file) = self.0.lock() {
            // One write per line, appended: lines of both sides of a proxy never interleave.
            let _ = file.write_all(line.as_bytes());
        }
    }
}
