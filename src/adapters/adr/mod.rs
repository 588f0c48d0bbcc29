//! Architecture decision records: resolve the folder, number the record,
//! render it with a template, write it without ever overwriting, and mark a
//! superseded record in place.

pub mod content;
mod diagram;
mod prose;
pub mod records;
pub mod render;

use std::path::{Path, PathBuf};

use crate::adapters::files;
use crate::core::error::{Error, Result};

/// The record folder, relative to `cwd` unless absolute: `--dir`, else the
/// path in `.adr-dir` (as adr-tools keeps it), else `docs/adr`, or `doc/adr`
/// when only that exists.
pub fn resolve_dir(flag: Option<&Path>, cwd: &Path) -> Result<PathBuf> {
    if let Some(dir) = flag {
        return Ok(dir.to_path_buf());
    }
    let marker = cwd.join(".adr-dir");
    match std::fs::read_to_string(&marker) {
        Ok(text) => {
            let dir = text.lines().next().unwrap_or_default().trim();
            if dir.is_empty() {
                return Err(Error::Usage(
                    "`.adr-dir` is empty; write the record folder in it (e.g. `doc/adr`) or pass `--dir`".into(),
                ));
            }
            return Ok(PathBuf::from(dir));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io("read", ".adr-dir", &e)),
    }
    let only_doc = !cwd.join("docs/adr").exists() && cwd.join("doc/adr").is_dir();
    Ok(PathBuf::from(if only_doc { "doc/adr" } else { "docs/adr" }))
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
/// not (see [`records::scan_names`]).
pub fn next_number(dir: &Path) -> Result<u32> {
    let shown = dir.display().to_string();
    match records::scan_names(dir) {
        Ok(list) => Ok(list
            .iter()
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
/// an exclusive lock file (`.NNNN.statewise-lock`), then checks that no
/// record holds it, then puts the record in place (written to a temporary
/// file and hard-linked under its final name, which fails rather than
/// replace a file), and only then drops the claim. A run that finds the
/// number claimed or taken moves on to the next.
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

/// An exclusive claim on a record number, released on drop.
struct Claim(PathBuf);

/// A claim older than this was left by a run that died; it is cleared.
const STALE_CLAIM: std::time::Duration = std::time::Duration::from_secs(60);

impl Claim {
    fn take(dir: &Path, number: u32) -> Result<Option<Claim>> {
        let path = dir.join(format!(".{number:04}.statewise-lock"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(_) => Ok(Some(Claim(path))),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let stale = std::fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > STALE_CLAIM);
                if stale {
                    let _ = std::fs::remove_file(&path);
                    return Claim::take(dir, number);
                }
                Ok(None)
            }
            Err(e) => Err(Error::io("write", &path.display().to_string(), &e)),
        }
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
        let text = String::from_utf8_lossy(&bytes);
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
}
