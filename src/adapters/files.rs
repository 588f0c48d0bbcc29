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
            "no spec at `{arg}`; run `statewise init {}` to write one, or name another file",
            crate::core::escape::shell(arg)
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
/// reader sees the old text or the new, never half of one.
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
