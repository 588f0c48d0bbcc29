//! Architecture decision records: resolve the folder, number the record,
//! render it with a template, write it without ever overwriting, and mark a
//! superseded record in place.

pub mod content;
mod diagram;
pub mod discover;
pub mod log;
mod prose;
pub mod records;
pub mod render;
pub mod text;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::adapters::files;
use crate::core::error::{Error, Result};

/// The record folder, relative to `cwd` unless absolute: `--dir`, else
/// what [`discover::find`] finds from `cwd` (markers up to the repository
/// root, then the usual folders).
pub fn resolve_dir(flag: Option<&Path>, cwd: &Path) -> Result<PathBuf> {
    let named = discover::Named {
        flag: flag.map(Path::to_path_buf),
        ..discover::Named::default()
    };
    Ok(discover::find(&named, cwd)?.path)
}

/// A file-name slug: lowercase ASCII letters and digits joined by single
/// dashes, at most 60 characters, never empty, never a path separator.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out: String = out.trim_end_matches('-').chars().take(60).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "decision".to_owned()
    } else {
        out
    }
}

/// One more than the highest record number in `dir` (1 for an empty or
/// missing folder). Every name that looks like a record counts, readable or
/// not (see [`records::scan_names`]), except a log4brains name, which is a
/// date (see [`records::date_named`]).
pub fn next_number(dir: &Path) -> Result<u32> {
    let shown = dir.display().to_string();
    match records::scan_names(dir) {
        Ok(list) => Ok(list
            .iter()
            .filter(|e| {
                let name = e.path.file_name().and_then(|f| f.to_str());
                !name.is_some_and(records::date_named)
            })
            .map(|e| e.number)
            .max()
            .map_or(1, |n| n.saturating_add(1))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(1),
        Err(e) => Err(Error::io("read the record folder", &shown, &e)),
    }
}

/// Writes a new record as `dir/NNNN-slug.md`, taking the next free number.
/// `render` gets the number and returns the text.
///
/// Concurrent runs never share a number: a run first claims the number with
/// an exclusive lock file (`.NNNN.statewise-lock`, holding who claimed it),
/// then checks that no record holds it, then puts the record in place
/// (written to a temporary file and hard-linked under its final name, which
/// fails rather than replace a file or follow a link), and only then drops
/// the claim. A run that finds the number claimed or taken moves on to the
/// next. What a killed run left (its claim, its temporary files) is cleared
/// first, so it never costs a number (see [`clear_leftovers`]).
pub fn write_record(
    dir: &Path,
    slug: &str,
    mut render: impl FnMut(u32) -> Result<String>,
) -> Result<PathBuf> {
    let shown = dir.display().to_string();
    let mut number = next_number(dir)?;
    // Render once before touching the disk: a template error leaves no trace.
    let mut rendered = Some((number, render(number)?));
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create the record folder", &shown, &e))?;
    clear_leftovers(dir);
    for _ in 0..10_000 {
        let Some(_claim) = Claim::take(dir, number)? else {
            number += 1;
            continue;
        };
        if taken(dir, number)? {
            number = next_number(dir)?.max(number + 1);
            continue;
        }
        let text = match rendered.take() {
            Some((n, text)) if n == number => text,
            _ => render(number)?,
        };
        let path = dir.join(format!("{number:04}-{slug}.md"));
        match files::place(dir, &path, text.as_bytes()) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => number += 1,
            Err(e) => return Err(Error::io("write", &path.display().to_string(), &e)),
        }
    }
    Err(Error::Io(format!(
        "could not find a free record number in `{shown}`"
    )))
}

/// True when a name in `dir` already holds `number`.
fn taken(dir: &Path, number: u32) -> Result<bool> {
    let list = records::scan_names(dir)
        .map_err(|e| Error::io("read the record folder", &dir.display().to_string(), &e))?;
    Ok(list.iter().any(|e| e.number == number))
}

/// Clears what runs killed in the middle of writing left in `dir`:
///
/// - claims (`.NNNN.statewise-lock`) of a process that is gone or older
///   than [`files::STALE_AFTER`];
/// - temporary files of a new record or of a rewritten one
///   (`.NNNN-slug.md.PID.tmp`, see `files::place` and
///   `files::replace_file`), and claims set aside to be cleared
///   (`.NNNN.statewise-lock.PID.tmp`), whose process is gone or which are
///   older than that. A record is only ever put in place from a complete
///   temporary file, and a rewrite is a rename, so such a file is never the
///   only copy of anything: the record it was for is whole, or absent.
///
/// Nothing else is touched, and a file that cannot be removed is left: the
/// run goes on, and only a claim costs a number.
fn clear_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(number) = claim_number(name) {
            Claim::clear_if_stale(dir, number);
            continue;
        }
        let Some((inner, pid)) = files::temp_name(name) else {
            continue;
        };
        let ours =
            records::number_of(inner).is_some() || claim_number(&format!(".{inner}")).is_some();
        if !ours {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if (meta.is_file() || meta.file_type().is_symlink())
            && (files::process_gone(pid) || files::older_than(&meta, files::STALE_AFTER))
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The number of a claim file name `.NNNN.statewise-lock`.
fn claim_number(file_name: &str) -> Option<u32> {
    let digits = file_name
        .strip_prefix('.')?
        .strip_suffix(".statewise-lock")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// An exclusive claim on a record number, released on drop.
struct Claim(PathBuf);

impl Claim {
    fn path(dir: &Path, number: u32) -> PathBuf {
        dir.join(format!(".{number:04}.statewise-lock"))
    }

    /// Claims `number`: `None` when another live run holds it.
    fn take(dir: &Path, number: u32) -> Result<Option<Claim>> {
        let path = Claim::path(dir, number);
        let shown = path.display().to_string();
        // A second try only after a stale claim was cleared; never a loop.
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    let tag = files::owner_tag();
                    if let Err(e) = file.write_all(tag.as_bytes()) {
                        drop(file);
                        let _ = std::fs::remove_file(&path);
                        return Err(Error::io("write", &shown, &e));
                    }
                    return Ok(Some(Claim(path)));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if !Claim::clear_if_stale(dir, number) {
                        return Ok(None);
                    }
                }
                Err(e) => return Err(Error::io("write", &shown, &e)),
            }
        }
        Ok(None)
    }

    /// Whether the claim file at `path` was left by a run that is gone:
    /// its process (named inside) is not running, or it is older than
    /// [`files::STALE_AFTER`]. Only a regular file can be stale; anything
    /// else under a claim's name is left alone (the number is skipped).
    fn is_stale(path: &Path) -> bool {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return false;
        };
        if !meta.is_file() {
            return false;
        }
        if files::older_than(&meta, files::STALE_AFTER) {
            return true;
        }
        let tag = std::fs::File::open(path)
            .and_then(|f| files::read_capped(f, 256))
            .map(|(bytes, _)| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default();
        files::owner_gone(&tag)
    }

    /// Removes the claim on `number` when it is stale; true when it did.
    ///
    /// Two runs may judge the same claim stale at once, and one of them may
    /// already have cleared it and claimed the number afresh: so the claim
    /// is first renamed aside (one rename wins), judged again there, and
    /// put back if what was set aside turns out to be live.
    fn clear_if_stale(dir: &Path, number: u32) -> bool {
        let path = Claim::path(dir, number);
        if !Claim::is_stale(&path) {
            return false;
        }
        let aside = dir.join(format!(
            ".{number:04}.statewise-lock.{}.tmp",
            std::process::id()
        ));
        if std::fs::rename(&path, &aside).is_err() {
            return false;
        }
        if Claim::is_stale(&aside) {
            let _ = std::fs::remove_file(&aside);
            return true;
        }
        // A live claim: back in place, unless a newer one took its name.
        let _ = std::fs::hard_link(&aside, &path);
        let _ = std::fs::remove_file(&aside);
        false
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The latest record in `dir` made for `system` and not superseded.
pub fn latest_record(dir: &Path, system: &str) -> Result<Option<crate::core::check::Recorded>> {
    let shown = dir.display().to_string();
    let list = match records::scan(dir) {
        Ok(list) => list,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read the record folder", &shown, &e)),
    };
    for (number, path) in list.into_iter().rev() {
        let name = path.display().to_string();
        let bytes = files::read_limited(&path).map_err(|e| Error::io("read", &name, &e))?;
        let text = text::decode_lossy(&bytes);
        let Some(meta) = records::meta(&text) else {
            continue;
        };
        if meta.system != system {
            continue;
        }
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default()
            .to_owned();
        if records::parse(number, &file, &text).status.as_deref() == Some("superseded") {
            continue;
        }
        return Ok(Some(crate::core::check::Recorded {
            file,
            number,
            spec_digest: meta.spec_digest,
            verdicts: meta.verdicts.0,
            decisions: meta.decisions.0,
            facts: meta.facts.0,
        }));
    }
    Ok(None)
}

/// Today's date as `YYYY-MM-DD`: from `SOURCE_DATE_EPOCH` when set (for
/// reproducible builds), else the clock.
pub fn today(source_date_epoch: Option<&str>) -> Result<String> {
    let secs = match source_date_epoch {
        Some(v) => v.trim().parse::<i64>().map_err(|_| {
            Error::Usage(format!(
                "`SOURCE_DATE_EPOCH` must be whole seconds since 1970, not `{v}`"
            ))
        })?,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0)),
    };
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Checks a `--date` value: a real calendar date written `YYYY-MM-DD`.
pub fn check_date(date: &str) -> Result<()> {
    let bad = || {
        Error::Usage(format!(
            "`--date {date}` is not a date; write it as YYYY-MM-DD, e.g. 2026-01-31"
        ))
    };
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (y, m, d): (i64, u32, u32) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days {
        return Err(bad());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe() {
        assert_eq!(
            slug("State management for Acme Shop"),
            "state-management-for-acme-shop"
        );
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("a|b\nc <b>"), "a-b-c-b");
        assert_eq!(slug("Ünïcödé"), "n-c-d");
        assert_eq!(slug("!!!"), "decision");
        assert!(slug(&"x".repeat(100)).len() <= 60);
    }

    #[test]
    fn dates_from_epoch_seconds() {
        assert_eq!(today(Some("0")).unwrap(), "1970-01-01");
        assert_eq!(today(Some("1709251200")).unwrap(), "2024-03-01");
        assert_eq!(today(Some("951782400")).unwrap(), "2000-02-29");
        assert!(today(Some("soon")).is_err());
    }

    #[test]
    fn dates_are_checked() {
        assert!(check_date("2024-02-29").is_ok());
        assert!(check_date("2023-02-29").is_err());
        assert!(check_date("2024-13-01").is_err());
        assert!(check_date("24-1-1").is_err());
    }

    #[test]
    fn folder_resolution_follows_adr_tools() {
        let tmp = tempfile::tempdir().unwrap();
        let cwd = tmp.path();
        assert_eq!(resolve_dir(None, cwd).unwrap(), PathBuf::from("docs/adr"));
        std::fs::create_dir_all(cwd.join("doc/adr")).unwrap();
        assert_eq!(resolve_dir(None, cwd).unwrap(), PathBuf::from("doc/adr"));
        std::fs::write(cwd.join(".adr-dir"), "decisions\n").unwrap();
        assert_eq!(resolve_dir(None, cwd).unwrap(), PathBuf::from("decisions"));
        assert_eq!(
            resolve_dir(Some(Path::new("x")), cwd).unwrap(),
            PathBuf::from("x")
        );
    }

    #[test]
    fn numbers_skip_gaps_and_foreign_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        assert_eq!(next_number(&dir.join("missing")).unwrap(), 1);
        for f in ["0001-a.md", "0007-b.md", "README.md", "template.md"] {
            std::fs::write(dir.join(f), "# x\n").unwrap();
        }
        assert_eq!(next_number(dir).unwrap(), 8);
        let p = write_record(dir, "c", |n| Ok(format!("# {n}. C\n"))).unwrap();
        assert_eq!(p.file_name().unwrap(), "0008-c.md");
        let p = write_record(dir, "c", |n| Ok(format!("# {n}. C\n"))).unwrap();
        assert_eq!(p.file_name().unwrap(), "0009-c.md");
        assert_eq!(std::fs::read_to_string(p).unwrap(), "# 9. C\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_link_holds_its_number() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("0001-a.md"), "# A\n").unwrap();
        std::os::unix::fs::symlink("nowhere.md", dir.join("0002-gone.md")).unwrap();
        assert_eq!(next_number(dir).unwrap(), 3);
        assert!(taken(dir, 2).unwrap());
        let p = write_record(dir, "c", |n| Ok(format!("# {n}. C\n"))).unwrap();
        assert_eq!(p.file_name().unwrap(), "0003-c.md");
        assert!(!dir.join("nowhere.md").exists(), "the link was followed");
    }

    #[test]
    fn claim_names_read_back() {
        assert_eq!(claim_number(".0003.statewise-lock"), Some(3));
        assert_eq!(claim_number(".12345.statewise-lock"), Some(12345));
        for bad in [
            ".statewise-lock",
            "0003.statewise-lock",
            ".0x3.statewise-lock",
            ".3.lock",
        ] {
            assert_eq!(claim_number(bad), None, "{bad}");
        }
    }

    /// A PID no process has: one of a child that has been waited for.
    #[cfg(target_os = "linux")]
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_dead_run_costs_no_number_and_leaves_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("0001-a.md"), "# A\n").unwrap();
        let dead = dead_pid();
        let tag = files::owner_tag().replace(
            &format!("pid={}", std::process::id()),
            &format!("pid={dead}"),
        );
        let leftovers = [
            (".0002.statewise-lock".to_owned(), tag.clone()),
            (format!(".0002-b.md.{dead}.tmp"), "# 2. half".to_owned()),
            (format!(".0001-a.md.{dead}.tmp"), "# A, edited\n".to_owned()),
            (format!(".0002.statewise-lock.{dead}.tmp"), tag),
        ];
        for (name, text) in &leftovers {
            std::fs::write(dir.join(name), text).unwrap();
        }
        // Not ours: left alone, whatever their PID.
        std::fs::write(dir.join(format!(".notes.md.{dead}.tmp")), "x").unwrap();
        std::fs::write(dir.join(format!(".{dead}.tmp")), "x").unwrap();
        let p = write_record(dir, "b", |n| Ok(format!("# {n}. B\n"))).unwrap();
        assert_eq!(p.file_name().unwrap(), "0002-b.md");
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let mut expected = vec![
            format!(".notes.md.{dead}.tmp"),
            format!(".{dead}.tmp"),
            "0001-a.md".to_owned(),
            "0002-b.md".to_owned(),
        ];
        expected.sort();
        assert_eq!(names, expected);
        assert_eq!(
            std::fs::read_to_string(dir.join("0001-a.md")).unwrap(),
            "# A\n"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_live_claim_is_respected_and_an_old_one_cleared() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        // Held by a running process (pid 1 of this namespace).
        let live = files::owner_tag().replace(&format!("pid={}", std::process::id()), "pid=1");
        std::fs::write(dir.join(".0001.statewise-lock"), &live).unwrap();
        // Written by an older statewise (no owner): only its age tells.
        std::fs::write(dir.join(".0002.statewise-lock"), "").unwrap();
        let p = write_record(dir, "a", |n| Ok(format!("# {n}\n"))).unwrap();
        assert_eq!(p.file_name().unwrap(), "0003-a.md");
        assert!(dir.join(".0001.statewise-lock").exists());
        assert!(dir.join(".0002.statewise-lock").exists());
        // Untouched for longer than a write takes: cleared, whoever held it.
        let old = std::time::SystemTime::now() - files::STALE_AFTER * 2;
        for n in [1, 2] {
            let f = std::fs::File::options()
                .write(true)
                .open(dir.join(format!(".000{n}.statewise-lock")))
                .unwrap();
            f.set_modified(old).unwrap();
        }
        std::fs::remove_file(&p).unwrap();
        let p = write_record(dir, "a", |n| Ok(format!("# {n}\n"))).unwrap();
        assert_eq!(p.file_name().unwrap(), "0001-a.md");
        assert!(!dir.join(".0002.statewise-lock").exists());
    }

    #[test]
    fn adr_dir_must_be_a_small_file() {
        let tmp = tempfile::tempdir().unwrap();
        let cwd = tmp.path();
        std::fs::create_dir(cwd.join(".adr-dir")).unwrap();
        let e = resolve_dir(None, cwd).unwrap_err().to_string();
        assert!(e.contains("`.adr-dir` is a directory, not a file"), "{e}");
        std::fs::remove_dir(cwd.join(".adr-dir")).unwrap();
        std::fs::write(cwd.join(".adr-dir"), "x".repeat(5000)).unwrap();
        let e = resolve_dir(None, cwd).unwrap_err().to_string();
        assert!(e.contains("is 5000 bytes, more than the 4096"), "{e}");
        std::fs::write(cwd.join(".adr-dir"), b"\xff\n").unwrap();
        let e = resolve_dir(None, cwd).unwrap_err().to_string();
        assert!(e.contains("not UTF-8"), "{e}");
        std::fs::write(cwd.join(".adr-dir"), "  decisions  \r\nmore\n").unwrap();
        assert_eq!(resolve_dir(None, cwd).unwrap(), PathBuf::from("decisions"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn adr_dir_links_are_followed_only_to_a_file() {
        let tmp = tempfile::tempdir().unwrap();
        let cwd = tmp.path();
        let marker = cwd.join(".adr-dir");
        std::os::unix::fs::symlink("/dev/zero", &marker).unwrap();
        let e = resolve_dir(None, cwd).unwrap_err().to_string();
        assert!(e.contains("`.adr-dir` is a device, not a file"), "{e}");
        std::fs::remove_file(&marker).unwrap();
        std::os::unix::fs::symlink("nowhere", &marker).unwrap();
        let e = resolve_dir(None, cwd).unwrap_err().to_string();
        assert!(e.contains("a symbolic link to nothing"), "{e}");
        std::fs::remove_file(&marker).unwrap();
        std::fs::write(cwd.join("real"), "decisions\n").unwrap();
        std::os::unix::fs::symlink("real", &marker).unwrap();
        assert_eq!(resolve_dir(None, cwd).unwrap(), PathBuf::from("decisions"));
    }
}
