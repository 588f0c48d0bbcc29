//! Reading user files with a size bound, the spec argument (`-` is
//! standard input), and writing files whole: created new and never
//! replacing another, or replaced through a temporary file and a rename.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::core::error::{Error, Result};
use crate::core::spec::parse::MAX_INPUT_BYTES;

/// Reads at most one byte more than [`MAX_INPUT_BYTES`], so an oversized
/// file is detected without reading it all.
pub(crate) fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a directory, not a file",
        ));
    }
    read_all(file)
}

fn read_all(reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The spec named on the command line: its display name and bytes.
pub(crate) fn read_spec(arg: &str) -> Result<(String, Vec<u8>)> {
    if arg == "-" {
        let bytes =
            read_all(std::io::stdin().lock()).map_err(|e| Error::io("read", "<stdin>", &e))?;
        return Ok(("<stdin>".to_owned(), bytes));
    }
    let path = Path::new(arg);
    match read_limited(path) {
        Ok(bytes) => Ok((arg.to_owned(), bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::Io(format!(
            "no spec at `{arg}`; run `statewise init {arg}` to write one, or name another file"
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => Err(Error::Io(format!(
            "`{arg}` is a directory; name a spec file such as `{}`",
            path.join("statewise.yaml").display()
        ))),
        Err(e) => Err(Error::io("read", arg, &e)),
    }
}

/// Creates `path` (never replacing a file) and writes `bytes`; on a failed
/// write the half-written file is removed.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    Ok(())
}

/// Puts `bytes` at `path` whole, failing with `AlreadyExists` rather than
/// replacing a file.
pub fn place(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_path(dir, path);
    write_new(&tmp, bytes)?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        // A file system without hard links: create the file exclusively.
        Err(_) => write_new(path, bytes),
    }
}

fn temp_path(dir: &Path, path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("record");
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// Replaces `path`'s content through a temporary file and a rename, so a
/// reader sees the old text or the new, never half of one. For an edit of
/// what is in the file, read it with [`read_for_rewrite`] and write it back
/// with [`Rewrite::replace`]: that read never stops short.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display().to_string();
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = temp_path(dir, path);
    write_new(&tmp, bytes).map_err(|e| Error::io("write", &tmp.display().to_string(), &e))?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io("replace", &shown, &e)
    })
}

/// A file read whole to be edited in place. [`read_for_rewrite`] is the only
/// way to get one, and it refuses a file it cannot read to the end, so an
/// edit written back with [`Rewrite::replace`] never cuts a file short.
#[derive(Debug)]
pub struct Rewrite {
    path: PathBuf,
    bytes: Vec<u8>,
}

impl Rewrite {
    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Takes every byte of the file, as it was read, leaving none.
    pub fn take_bytes(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }

    /// Replaces the file with `bytes`, through a temporary file and a rename.
    pub fn replace(&self, bytes: &[u8]) -> Result<()> {
        replace_file(&self.path, bytes)
    }
}

/// Reads all of `path` to edit it in place, or refuses before anything is
/// written: when it is larger than `limit` bytes (never a partial read that
/// a rewrite would then cut short), a symbolic link (a rewrite would
/// replace the link with a file, or write outside the folder), or not a
/// regular file.
pub fn read_for_rewrite(path: &Path, limit: u64) -> Result<Rewrite> {
    let shown = path.display().to_string();
    let link = std::fs::symlink_metadata(path).map_err(|e| Error::io("read", &shown, &e))?;
    if link.file_type().is_symlink() {
        return Err(Error::Usage(format!(
            "`{shown}` is a symbolic link; statewise edits only regular files in place, so it was left unchanged: edit the file it points to by hand, or replace the link with a copy of the file"
        )));
    }
    if !link.is_file() {
        return Err(Error::Usage(format!(
            "`{shown}` is {}, not a regular file; statewise left it unchanged",
            describe(link.file_type())
        )));
    }
    let too_large = |size: u64| {
        Error::Usage(format!(
            "`{shown}` is {size} bytes, more than the {limit} bytes ({}) statewise reads whole to edit a file in place; it was left unchanged: edit it by hand, or make it smaller and run again",
            mib(limit)
        ))
    };
    if link.len() > limit {
        return Err(too_large(link.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io("read", &shown, &e))?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", &shown, &e))?;
    // The file grew after it was measured: still never a partial read.
    if bytes.len() as u64 > limit {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(too_large(size));
    }
    Ok(Rewrite {
        path: path.to_path_buf(),
        bytes,
    })
}

/// `n` bytes in MiB for a message: `16 MiB`, `1.5 MiB`.
fn mib(n: u64) -> String {
    let whole = n / (1024 * 1024);
    let tenths = (n % (1024 * 1024)) * 10 / (1024 * 1024);
    if tenths == 0 {
        format!("{whole} MiB")
    } else {
        format!("{whole}.{tenths} MiB")
    }
}

/// What a file type is, for messages: `a directory`, `a FIFO`, ...
pub(crate) fn describe(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_file() {
        "a file"
    } else {
        "not a regular file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rewrite_reads_all_or_refuses() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("r.md");
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(
            read_for_rewrite(&path, 10).unwrap().take_bytes(),
            b"0123456789"
        );
        let e = read_for_rewrite(&path, 9).unwrap_err().to_string();
        assert!(e.contains("is 10 bytes, more than the 9 bytes"), "{e}");
        assert!(
            read_for_rewrite(tmp.path(), 100)
                .unwrap_err()
                .to_string()
                .contains("a directory")
        );
        assert!(read_for_rewrite(&tmp.path().join("missing"), 100).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_rewrite_never_goes_through_a_link() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("target.md");
        std::fs::write(&target, b"status: accepted\n").unwrap();
        let link = tmp.path().join("0001-l.md");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = read_for_rewrite(&link, 100).unwrap_err().to_string();
        assert!(e.contains("is a symbolic link"), "{e}");
    }

    #[test]
    fn sizes_in_mib() {
        assert_eq!(mib(16 * 1024 * 1024), "16 MiB");
        assert_eq!(mib(3 * 512 * 1024), "1.5 MiB");
    }
}
