//! Reading user files with a size bound, the spec argument (`-` is
//! standard input), and writing files whole: created new and never
//! replacing another, or replaced through a temporary file and a rename.
//! Also how a run tells that the process behind a file it finds (a claim, a
//! temporary file) is gone, so what a killed run left can be cleared.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

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
    write_temp(&tmp, bytes)?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        // A file system without hard links: create the file exclusively.
        Err(_) => write_new(path, bytes),
    }
}

/// The temporary file `place` and `replace_file` write `path` through:
/// `.NAME.PID.tmp` in `dir`. [`temp_name`] reads such a name back, so a
/// later run can clear what a killed one left.
fn temp_path(dir: &Path, path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("record");
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes `bytes` to this process's temporary file `tmp`. A file already
/// there was left by a dead process that had the same PID (this one makes
/// one temporary file at a time), or planted: it is removed first (a link
/// is removed, never followed), so it is neither mistaken for a record
/// that exists nor written through.
fn write_temp(tmp: &Path, bytes: &[u8]) -> std::io::Result<()> {
    match write_new(tmp, bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(tmp)?;
            write_new(tmp, bytes)
        }
        written => written,
    }
}

/// The (name, PID) in a temporary file's name `.NAME.PID.tmp`.
pub(crate) fn temp_name(file_name: &str) -> Option<(&str, u32)> {
    let inner = file_name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (name, pid) = inner.rsplit_once('.')?;
    if name.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((name, pid.parse().ok()?))
}

/// Replaces `path`'s content through a temporary file and a rename, so a
/// reader sees the old text or the new, never half of one. For an edit of
/// what is in the file, read it with [`read_for_rewrite`] and write it back
/// with [`Rewrite::replace`]: that read never stops short.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display().to_string();
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = temp_path(dir, path);
    write_temp(&tmp, bytes).map_err(|e| Error::io("write", &tmp.display().to_string(), &e))?;
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

/// Reads at most `limit` bytes of an open file, and whether more followed.
pub(crate) fn read_capped(reader: impl Read, limit: u64) -> std::io::Result<(Vec<u8>, bool)> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    let more = bytes.len() as u64 > limit;
    bytes.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok((bytes, more))
}

// ---------------------------------------------------------------------------
// Files other runs left: is their process gone?

/// A claim or temporary file untouched for this long belongs to a run that
/// died (writing a record takes milliseconds), whatever its PID says: the
/// fallback where a PID cannot be checked (no `/proc`, another machine or
/// container) or was reused.
pub(crate) const STALE_AFTER: Duration = Duration::from_secs(60);

/// Whether the file behind `meta` was last changed more than `age` ago.
pub(crate) fn older_than(meta: &std::fs::Metadata, age: Duration) -> bool {
    meta.modified()
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|elapsed| elapsed > age)
}

/// Whether process `pid` of this machine and PID namespace is gone, when
/// that can be told: on Linux, `/proc/PID` is missing. A file marked with
/// this very process's PID was left by a dead process that had the same
/// PID, as callers ask only about files they did not make. `false` when it
/// cannot be told (no `/proc`): the age of the file decides then.
pub(crate) fn process_gone(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return false;
    }
    pid == std::process::id() || !proc.join(pid.to_string()).exists()
}

/// This process as a claim file records it: `pid=N`, and on Linux the boot
/// (`boot=`) and PID namespace (`ns=`) its PID means something in, so that
/// [`owner_gone`] never judges a process of another machine or container
/// by a PID of this one.
pub(crate) fn owner_tag() -> String {
    let mut tag = format!("pid={}", std::process::id());
    if let Some((boot, ns)) = where_pids_live() {
        tag.push_str(&format!(" boot={boot} ns={ns}"));
    }
    tag.push('\n');
    tag
}

/// Whether the process an [`owner_tag`] names is gone: only when it ran on
/// this boot, in this PID namespace, and its PID is not running. A tag that
/// does not say (empty, written by an older statewise, or from elsewhere)
/// is never judged gone: the file's age decides.
pub(crate) fn owner_gone(tag: &str) -> bool {
    let field = |key: &str| {
        tag.split_whitespace()
            .find_map(|w| w.strip_prefix(key)?.strip_prefix('='))
    };
    let Some(pid) = field("pid").and_then(|p| p.parse::<u32>().ok()) else {
        return false;
    };
    let (Some(boot), Some(ns)) = (field("boot"), field("ns")) else {
        return false;
    };
    where_pids_live().is_some_and(|(b, n)| b == boot && n == ns) && process_gone(pid)
}

/// This machine's boot id and this process's PID namespace, on Linux.
fn where_pids_live() -> Option<(String, String)> {
    let boot = std::fs::File::open("/proc/sys/kernel/random/boot_id")
        .and_then(|f| read_capped(f, 64))
        .ok()?;
    let boot = String::from_utf8(boot.0).ok()?.trim().to_owned();
    let ns = std::fs::read_link("/proc/self/ns/pid").ok()?;
    let ns = ns.to_str()?.to_owned();
    let plain = |s: &str| !s.is_empty() && !s.contains(char::is_whitespace);
    (plain(&boot) && plain(&ns)).then_some((boot, ns))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_read_back() {
        let dir = Path::new("d");
        let tmp = temp_path(dir, Path::new("d/0003-x.md"));
        let name = tmp.file_name().unwrap().to_str().unwrap();
        assert_eq!(temp_name(name), Some(("0003-x.md", std::process::id())));
        assert_eq!(
            temp_name(".0003.statewise-lock.12.tmp"),
            Some(("0003.statewise-lock", 12))
        );
        for bad in [
            "0003-x.md",
            ".x.tmp",
            "..1.tmp",
            ".x.1a.tmp",
            ".x..tmp",
            ".x.1.tmp.bak",
        ] {
            assert_eq!(temp_name(bad), None, "{bad}");
        }
    }

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

    #[cfg(unix)]
    #[test]
    fn placing_never_writes_through_a_link() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let target = dir.join("elsewhere.md");
        let path = dir.join("0001-x.md");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        let e = place(dir, &path, b"new").unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        assert!(!target.exists(), "the link was followed");
        // Nor through a link planted at this run's temporary name.
        let path = dir.join("0002-y.md");
        let tmp_path = temp_path(dir, &path);
        std::os::unix::fs::symlink(&target, &tmp_path).unwrap();
        place(dir, &path, b"new").unwrap();
        assert!(!target.exists(), "the temporary link was followed");
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert!(!tmp_path.exists());
    }

    #[test]
    fn sizes_in_mib() {
        assert_eq!(mib(16 * 1024 * 1024), "16 MiB");
        assert_eq!(mib(3 * 512 * 1024), "1.5 MiB");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn gone_processes_are_told_apart_from_running_ones() {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        assert!(process_gone(dead));
        assert!(!process_gone(1));
        let mine = owner_tag();
        assert!(!owner_gone(
            &mine.replace(&format!("pid={}", std::process::id()), "pid=1")
        ));
        assert!(owner_gone(&mine.replace(
            &format!("pid={}", std::process::id()),
            &format!("pid={dead}")
        )));
        // Without boot and namespace (another machine, an older statewise),
        // a PID says nothing.
        assert!(!owner_gone(&format!("pid={dead}\n")));
        assert!(!owner_gone(""));
        assert!(!owner_gone(&mine.replace("boot=", "boot=other").replace(
            &format!("pid={}", std::process::id()),
            &format!("pid={dead}")
        )));
    }
}
