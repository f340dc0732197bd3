//! Reading a file a person named, within bounds: only a regular file, only
//! up to a size, and never waiting. `layout check /dev/zero` read until
//! memory ran out, and a FIFO named as a layout hung the CLI and the server.

use std::fs::File;
use std::io;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// The largest config or layout read: thousands of panes' worth of KDL.
pub const MAX_TEXT_FILE: u64 = 4 * 1024 * 1024;

/// The bytes of `path`, if it is a regular file of at most `max` bytes.
/// The errors say which of these it is not.
pub fn read_bounded(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    read_open(&open_bounded(path, max)?, max)
}

/// `path` opened, if it is a regular file of at most `max` bytes: held
/// open, its bytes stay readable after the file is deleted.
pub fn open_bounded(path: &Path, max: u64) -> io::Result<File> {
    // O_NONBLOCK: a FIFO put there after the check still opens at once,
    // and the check on the open file then refuses it.
    let file =
        std::fs::OpenOptions::new().read(true).custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32).open(path)?;
    check(&file, max)?;
    Ok(file)
}

/// The bytes of a file [`open_bounded`] opened, from its start whatever
/// was read of it before (so it can be read again).
pub fn read_open(file: &File, max: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut at = 0u64;
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match std::os::unix::fs::FileExt::read_at(file, &mut chunk, at) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            read => read?,
        };
        if n == 0 {
            return Ok(bytes);
        }
        bytes.extend_from_slice(&chunk[..n]);
        at += n as u64;
        if at > max {
            return Err(too_large(at, max));
        }
    }
}

/// As [`read_bounded`], as UTF-8 text.
pub fn read_text_bounded(path: &Path, max: u64) -> io::Result<String> {
    String::from_utf8(read_bounded(path, max)?)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("not UTF-8 text: {e}")))
}

/// Whether `path` could be read by [`read_bounded`], without opening it.
pub fn check_path(path: &Path, max: u64) -> io::Result<()> {
    check_meta(&std::fs::metadata(path)?, max)
}

fn check(file: &File, max: u64) -> io::Result<()> {
    check_meta(&file.metadata()?, max)
}

fn check_meta(meta: &std::fs::Metadata, max: u64) -> io::Result<()> {
    let kind = meta.file_type();
    let what = if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_dir() {
        "a folder"
    } else {
        ""
    };
    if !what.is_empty() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{what}, not a regular file")));
    }
    if meta.len() > max {
        return Err(too_large(meta.len(), max));
    }
    Ok(())
}

fn too_large(len: u64, max: u64) -> io::Error {
    io::Error::new(io::ErrorKind::FileTooLarge, format!("{len} bytes, over the limit of {max}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_within_the_limit_is_read() {
        let dir = std::env::temp_dir().join(format!("rv-bounded-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("ok.kdl");
        std::fs::write(&f, "layout {}\n").unwrap();
        assert_eq!(read_text_bounded(&f, 100).unwrap(), "layout {}\n");
        let err = read_bounded(&f, 5).unwrap_err().to_string();
        assert!(err.contains("over the limit of 5"), "{err}");
        let fifo = dir.join("fifo");
        let _ = std::fs::remove_file(&fifo);
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::from_raw_mode(0o600)).unwrap();
        let err = read_bounded(&fifo, 100).unwrap_err().to_string();
        assert!(err.contains("a FIFO"), "{err}");
        let err = read_bounded(Path::new("/dev/zero"), MAX_TEXT_FILE).unwrap_err().to_string();
        assert!(err.contains("character device"), "{err}");
        let err = read_bounded(&dir, 100).unwrap_err().to_string();
        assert!(err.contains("folder") || err.contains("directory"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_open_file_is_read_whole_again_after_it_is_deleted() {
        let dir = std::env::temp_dir().join(format!("rv-bounded-open-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("contents");
        let text: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        std::fs::write(&f, &text).unwrap();
        let open = open_bounded(&f, 1 << 20).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(read_open(&open, 1 << 20).unwrap(), text);
        assert_eq!(read_open(&open, 1 << 20).unwrap(), text, "read from its start again");
        assert!(read_open(&open, 1000).unwrap_err().to_string().contains("over the limit"));
    }
}
