//! A file system that fills up for real: a 1 MiB tmpfs, mounted in a mount namespace of the
//! command's own (`unshare -m`, as root), so that nothing stays mounted however a test ends.
//! The recording is copied out before the namespace goes, for the test to read.
#![allow(dead_code)]

// A test that also drives tmux has the same file included by `tests/tmux` too: two copies
// of one function, harmless.
#[allow(clippy::duplicate_mod)]
#[path = "../shared/required.rs"]
mod required;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A private small disk: `script` is a shell script run with it mounted on `mount`.
pub struct SmallDisk {
    pub mount: PathBuf,
    pub script: PathBuf,
}

impl SmallDisk {
    /// Sets up, in `dir`, a script that mounts the small disk, runs `command` (which finds
    /// the mount point in `$DISK`), then copies `$DISK/session.sscope` to `kept` and writes
    /// the exit code `command` returned to `status`.
    pub fn new(dir: &Path, command: &str, kept: &Path, status: &Path) -> Self {
        let mount = dir.join("disk");
        std::fs::create_dir(&mount).expect("the mount point");
        let script = dir.join("on-a-small-disk.sh");
        let text = format!(
            "DISK='{}'\nmount -t tmpfs -o size=1m none \"$DISK\" || exit 97\n{command}\n\
             code=$?\ncp \"$DISK/session.sscope\" '{}'\necho $code > '{}'\n",
            mount.display(),
            kept.display(),
            status.display()
        );
        std::fs::write(&script, text).expect("the script");
        Self { mount, script }
    }

    /// Runs the script in a mount namespace of its own, detached from the test's output (so
    /// that nothing left behind can hold its pipes); ended with its command when dropped.
    pub fn spawn(&self) -> Script {
        let shell = Command::new("unshare")
            .arg("-m")
            .arg("sh")
            .arg(&self.script)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("unshare runs");
        Script { shell }
    }

    /// The same, as one line for a shell.
    pub fn shell_line(&self) -> String {
        format!("unshare -m sh '{}'", self.script.display())
    }
}

/// Whether a small disk can be mounted here (root, and `unshare`): skipped loudly without,
/// a failure under CI, which runs as root.
pub fn small_disk_or_skip(test: &str) -> bool {
    let dir = tempfile::tempdir().expect("temp dir");
    let mounted = Command::new("unshare")
        .args(["-m", "mount", "-t", "tmpfs", "-o", "size=1m", "none"])
        .arg(dir.path())
        .output()
        .is_ok_and(|output| output.status.success());
    required::present_or_skip(test, mounted, "mounting a tmpfs needs root and unshare")
}

/// The pid of the only child of `parent` (the shell running the script).
pub fn only_child(parent: u32) -> Option<u32> {
    let children =
        std::fs::read_to_string(format!("/proc/{parent}/task/{parent}/children")).ok()?;
    let mut pids = children.split_whitespace();
    let pid = pids.next()?.parse().ok()?;
    pids.next().is_none().then_some(pid)
}

/// The script running; dropping it kills its command and the script, should a test fail.
pub struct Script {
    pub shell: Child,
}

impl Script {
    /// The pid of the script's command (its shell's only child), once it runs.
    pub fn command_pid(&self) -> Option<u32> {
        only_child(self.shell.id())
    }
}

impl Drop for Script {
    fn drop(&mut self) {
        if let Some(pid) = self.command_pid() {
            let _ = Command::new("kill").arg("-KILL").arg(pid.to_string()).status();
        }
        let _ = self.shell.kill();
        let _ = self.shell.wait();
    }
}
