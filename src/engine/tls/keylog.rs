//! The TLS session secrets in the NSS key log format, so Wireshark or tshark can decrypt a
//! capture of the same connections: to `--keylog FILE` (or `SSLKEYLOGFILE`) and to a hook
//! the caller gives (recordings keep them, see `record::secrets`). The file holds keys: it is
//! created 0600 (an existing one is narrowed to 0600), appended to, never followed through a
//! symbolic link.

use rustls::KeyLog;
use std::fs::{File, OpenOptions, Permissions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Where each key log line goes besides the file: a plain function, so the engine knows
/// nothing of who keeps them.
pub type KeyLogHook = fn(String);

struct KeyLogLines {
    file: Option<Mutex<File>>,
    hook: KeyLogHook,
}

impl std::fmt::Debug for KeyLogLines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyLogLines").field("file", &self.file.is_some()).finish_non_exhaustive()
    }
}

/// A key log that appends to `path` (when given) and hands every line to `hook`.
pub fn key_log(path: Option<&Path>, hook: KeyLogHook) -> Result<Arc<dyn KeyLog>, String> {
    let file = path.map(open).transpose()?.map(Mutex::new);
    Ok(Arc::new(KeyLogLines { file, hook }))
}

fn open(path: &Path) -> Result<File, String> {
    let failed = |e: std::io::Error| format!("{}: {e}", path.display());
    let file = OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(failed)?;
    file.set_permissions(Permissions::from_mode(0o600)).map_err(failed)?;
    Ok(file)
}

impl KeyLog for KeyLogLines {
    fn log(&self, label: &str, client_random: &[u8], secret: &[u8]) {
        let line = format!("{label} {} {}\n", hex::encode(client_random), hex::encode(secret));
        if let Some(file) = &self.file
            && let Ok(mut file) = file.lock()
        {
            // One write per line, appended: lines of both sides of a proxy never interleave.
            let _ = file.write_all(line.as_bytes());
        }
        (self.hook)(line);
    }
}
