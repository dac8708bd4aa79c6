//! Creating output files (recordings and exports) safely.
//!
//! A recording holds everything the peers said, so it is created readable by its owner only
//! (mode 0600). It never silently replaces an existing file, and never writes through a
//! symbolic link: a link planted where the output will go (in `/tmp`, say) must not make
//! sockscope overwrite the file it points to.
//!
//! `O_CREAT | O_EXCL` already refuses any existing name, symbolic links included, and
//! `O_NOFOLLOW` says the same again for the final component. With `--force` an existing
//! regular file is unlinked first (unlinking a name never follows a link) and the new file
//! is created the same exclusive way, so a link that appears in between is refused too.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Why an output file was not created.
#[derive(Debug)]
pub struct CreateError {
    pub path: PathBuf,
    pub problem: Problem,
}

#[derive(Debug)]
pub enum Problem {
    /// Something is there and `--force` was not given.
    Exists,
    /// The name is a symbolic link: never followed, even with `--force`.
    Symlink,
    /// A directory: never replaced, and `--force` would not help, so it is said first.
    Directory,
    /// A FIFO, socket or device: never replaced.
    NotRegular,
    Io(io::Error),
}

impl fmt::Display for CreateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match &self.problem {
            Problem::Exists => write!(f, "{path} already exists (use --force to replace it)"),
            Problem::Symlink => {
                write!(f, "{path} is a symbolic link: refusing to write through it")
            }
            Problem::Directory => {
                write!(f, "{path} is a directory: give the path of a file to create")
            }
            Problem::NotRegular => {
                write!(f, "{path} is not a regular file: refusing to replace it")
            }
            Problem::Io(err) => write!(f, "cannot create {path}: {err}"),
        }
    }
}

impl std::error::Error for CreateError {}

/// Creates `path` for writing, mode 0600. With `force`, an existing regular file is replaced.
pub fn create_private(path: &Path, force: bool) -> Result<File, CreateError> {
    let fail = |problem| CreateError { path: path.to_path_buf(), problem };
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => return Err(fail(Problem::Symlink)),
        Ok(meta) if meta.is_dir() => return Err(fail(Problem::Directory)),
        Ok(meta) if !meta.file_type().is_file() => return Err(fail(Problem::NotRegular)),
        Ok(_) if !force => return Err(fail(Problem::Exists)),
        Ok(_) => std::fs::remove_file(path).map_err(|e| fail(Problem::Io(e)))?,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {}
        Err(err) => return Err(fail(Problem::Io(err))),
    }
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
        .map_err(|err| {
            fail(match err.kind() {
                io::ErrorKind::AlreadyExists => Problem::Exists,
                _ if err.raw_os_error() == Some(libc::ELOOP) => Problem::Symlink,
                _ => Problem::Io(err),
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn creates_0600_and_refuses_to_overwrite_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rec");
        drop(create_private(&path, false).unwrap());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let err = create_private(&path, false).unwrap_err();
        assert!(matches!(err.problem, Problem::Exists), "{err}");
        assert!(err.to_string().contains("--force"), "{err}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(create_private(&path, true).unwrap());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a replaced file is a new 0600 file");
    }

    #[test]
    fn never_follows_a_symlink_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("precious");
        std::fs::write(&target, b"keep me").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nothing"), &dangling).unwrap();
        for force in [false, true] {
            for path in [&link, &dangling] {
                let err = create_private(path, force).unwrap_err();
                assert!(matches!(err.problem, Problem::Symlink), "{err}");
            }
        }
        assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
        assert!(!dir.path().join("nothing").exists());
    }

    #[test]
    fn a_directory_is_named_as_one_with_or_without_force() {
        let dir = tempfile::tempdir().unwrap();
        for force in [false, true] {
            let err = create_private(dir.path(), force).unwrap_err();
            assert!(matches!(err.problem, Problem::Directory), "{err}");
            let message = err.to_string();
            assert!(message.contains("is a directory"), "{message}");
            assert!(!message.contains("--force"), "--force would not help: {message}");
        }
    }
}
