//! The file always holds exactly what was written and flushed, in either mode, whatever the
//! sizes of the writes and wherever the flushes fall.

use super::*;
use proptest::prelude::*;
use std::io::Read as _;

fn new_file(dir: &tempfile::TempDir) -> (std::path::PathBuf, File) {
    let path = dir.path().join("rec");
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).unwrap();
    (path, file)
}

fn contents(path: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    File::open(path).unwrap().read_to_end(&mut out).unwrap();
    out
}

/// Bytes that differ from one position to the next, so a misplaced block shows.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

#[test]
fn a_flush_leaves_exactly_the_bytes_written_and_writing_goes_on_in_place() {
    for direct in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let (path, file) = new_file(&dir);
        let mut out =
            if direct { RecordFile::new(file) } else { RecordFile::buffered(file) }.unwrap();
        let first = pattern(CHUNK + 5000, 1);
        out.write_all(&first).unwrap();
        out.flush().unwrap();
        assert_eq!(contents(&path), first, "after a flush (direct: {})", out.is_direct());
        let second = pattern(3 * ALIGN + 17, 2);
        out.write_all(&second).unwrap();
        out.flush().unwrap();
        let both = [first, second].concat();
        assert_eq!(contents(&path), both);
        out.into_file().unwrap();
        assert_eq!(contents(&path), both);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_writes_and_flushes_give_back_the_same_bytes(
        steps in proptest::collection::vec((1usize..1_500_000, any::<bool>()), 1..12),
        direct in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (path, file) = new_file(&dir);
        let mut out = if direct { RecordFile::new(file) } else { RecordFile::buffered(file) }.unwrap();
        let mut expected = Vec::new();
        for (n, (len, flush)) in steps.into_iter().enumerate() {
            let data = pattern(len, n as u8);
            out.write_all(&data).unwrap();
            expected.extend_from_slice(&data);
            if flush {
                out.flush().unwrap();
                prop_assert_eq!(contents(&path), expected.clone());
            }
        }
        out.into_file().unwrap();
        prop_assert_eq!(contents(&path), expected);
    }
}

/// tmpfs may refuse `O_DIRECT` (then the page cache is used) or take it: either way the file
/// holds exactly what was written.
#[test]
fn a_file_system_that_may_refuse_direct_writes_still_gets_every_byte() {
    let shm = std::path::Path::new("/dev/shm");
    if !shm.is_dir() {
        eprintln!("skipping: no /dev/shm");
        return;
    }
    let dir = tempfile::tempdir_in(shm).unwrap();
    let (path, file) = new_file(&dir);
    let mut out = RecordFile::new(file).unwrap();
    let data = pattern(CHUNK * 2 + 12_345, 9);
    out.write_all(&data).unwrap();
    out.flush().unwrap();
    assert_eq!(contents(&path), data, "direct: {}", out.is_direct());
    out.into_file().unwrap();
    assert_eq!(contents(&path), data);
}
