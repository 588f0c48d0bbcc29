//! Which folder is the team's decision log, from wherever a command runs:
//! the flag, the environment, then the markers the ADR tools leave
//! (`.adr-dir` of adr-tools, `adrs.toml` / `.adrs.toml` of adrs,
//! `.log4brains.yml` of log4brains) in the current directory or any folder
//! above it up to the repository root, then the usual folders at the root.
//! Each answer carries the reason, which `--verbose` prints.

use std::path::{Component, Path, PathBuf};

use crate::adapters::files;
use crate::core::error::{Error, Result};

/// Largest marker file read (`.adr-dir`, `adrs.toml`, `.log4brains.yml`):
/// each holds a path and a few settings.
pub const MAX_MARKER_BYTES: u64 = 64 * 1024;

/// Largest `.adr-dir` read: it holds one path.
pub const MAX_ADR_DIR_BYTES: u64 = 4 * 1024;

/// The folders a log usually lives in, looked for at the root in this order.
pub const USUAL_FOLDERS: [&str; 4] = [
    "docs/adr",
    "doc/adr",
    "docs/decisions",
    "docs/architecture/decisions",
];

/// The record folder and why it was chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordDir {
    /// The folder, relative to the current directory unless absolute.
    pub path: PathBuf,
    /// Why this folder: `--dir`, `STATEWISE_ADR_DIR`, a marker file, an
    /// existing folder, or the default.
    pub reason: String,
    /// The other tool's marker file that named it (`.adr-dir`,
    /// `adrs.toml`, `.log4brains.yml`, …), when one did.
    pub marker: Option<&'static str>,
}

/// Where a record folder can be named before the markers are looked at.
#[derive(Clone, Debug, Default)]
pub struct Named {
    /// `--dir`.
    pub flag: Option<PathBuf>,
    /// `STATEWISE_ADR_DIR`, when set and not empty.
    pub env: Option<PathBuf>,
    /// The folder a configuration file names, relative to the current
    /// directory, and the file it came from (shown in the reason).
    pub config: Option<(PathBuf, String)>,
}

/// The record folder for a command run in `cwd`.
///
/// `--dir`, else `STATEWISE_ADR_DIR`, else the configuration file, else the
/// nearest marker from `cwd` up to the repository root (the nearest folder
/// holding `.git`; the filesystem root outside a repository), else the
/// first of [`USUAL_FOLDERS`] that exists at the root, else `docs/adr` at
/// the root. Outside a repository the "root" of the last two steps is
/// `cwd`, so a folder is never created far above the user.
pub fn find(named: &Named, cwd: &Path) -> Result<RecordDir> {
    if let Some(dir) = &named.flag {
        return Ok(RecordDir {
            path: dir.clone(),
            reason: "given with `--dir`".into(),
            marker: None,
        });
    }
    if let Some(dir) = &named.env {
        return Ok(RecordDir {
            path: dir.clone(),
            reason: "named by `STATEWISE_ADR_DIR`".into(),
            marker: None,
        });
    }
    if let Some((dir, file)) = &named.config {
        return Ok(RecordDir {
            path: dir.clone(),
            reason: format!("named by `{file}`"),
            marker: None,
        });
    }
    let repo_root = cwd.ancestors().find(|d| d.join(".git").exists());
    let top = repo_root.unwrap_or_else(|| cwd.ancestors().last().unwrap_or(cwd));
    for (depth, level) in cwd.ancestors().enumerate() {
        let up = up_to(depth);
        if let Some((dir, marker)) = marker_at(level, &up)? {
            let shown = up.join(marker);
            return Ok(RecordDir {
                path: relative(&up, &dir),
                reason: format!("named by `{}`", shown.display()),
                marker: Some(marker),
            });
        }
        if level == top {
            break;
        }
    }
    let (root, depth, place) = match repo_root {
        Some(root) => (
            root,
            cwd.ancestors().position(|a| a == root).unwrap_or(0),
            "at the repository root",
        ),
        None => (cwd, 0, "in the current directory, outside any repository"),
    };
    let up = up_to(depth);
    for usual in USUAL_FOLDERS {
        if root.join(usual).is_dir() {
            return Ok(RecordDir {
                path: up.join(usual),
                reason: format!("the existing `{usual}` {place}"),
                marker: None,
            });
        }
    }
    Ok(RecordDir {
        path: up.join("docs/adr"),
        reason: format!("no record folder found, so the default `docs/adr` {place}"),
        marker: None,
    })
}

/// `../` `depth` times (empty for 0).
pub fn up_to(depth: usize) -> PathBuf {
    std::iter::repeat_n(Component::ParentDir, depth).collect()
}

/// `dir` as seen from the current directory, when a marker `up` from it
/// names it: absolute paths stay as they are; `./` is dropped.
pub fn relative(up: &Path, dir: &Path) -> PathBuf {
    if dir.is_absolute() {
        return dir.to_path_buf();
    }
    let mut out = up.to_path_buf();
    for c in dir.components() {
        if c != Component::CurDir {
            out.push(c);
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// The folder a marker in `level` names, and the marker's name.
/// `up` is the way from the current directory to `level`, for messages.
fn marker_at(level: &Path, up: &Path) -> Result<Option<(PathBuf, &'static str)>> {
    let at = |name: &str| (level.join(name), up.join(name).display().to_string());
    let (path, shown) = at(".adr-dir");
    if let Some(text) = read_marker(&path, &shown, MAX_ADR_DIR_BYTES)? {
        let dir = text.lines().next().unwrap_or_default().trim();
        if dir.is_empty() {
            return Err(Error::Usage(format!(
                "`{shown}` is empty; write the record folder in it (e.g. `doc/adr`) or pass `--dir`"
            )));
        }
        return Ok(Some((PathBuf::from(dir), ".adr-dir")));
    }
    for name in ["adrs.toml", ".adrs.toml"] {
        let (path, shown) = at(name);
        if let Some(text) = read_marker(&path, &shown, MAX_MARKER_BYTES)? {
            return Ok(Some((adrs_dir(&text, &shown)?, name)));
        }
    }
    for name in [".log4brains.yml", ".log4brains.yaml"] {
        let (path, shown) = at(name);
        if let Some(text) = read_marker(&path, &shown, MAX_MARKER_BYTES)?
            && let Some(dir) = log4brains_dir(&text, &shown)?
        {
            return Ok(Some((dir, name)));
        }
    }
    Ok(None)
}

/// `adr_dir` of an adrs configuration (adrs' default, `doc/adr`, when the
/// file does not set it).
fn adrs_dir(text: &str, shown: &str) -> Result<PathBuf> {
    #[derive(serde::Deserialize)]
    struct Adrs {
        adr_dir: Option<String>,
    }
    let parsed: Adrs = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| line_col(text, s.start))
            .map_or(String::new(), |(l, c)| format!(":{l}:{c}"));
        Error::Usage(format!(
            "{shown}{at}: not valid TOML ({}); fix it, or pass `--dir`",
            e.message().trim().replace('\n', ", ")
        ))
    })?;
    match parsed.adr_dir.as_deref().map(str::trim) {
        Some("") => Err(Error::Usage(format!(
            "{shown}: `adr_dir` is empty; name the record folder, or pass `--dir`"
        ))),
        Some(dir) => Ok(PathBuf::from(dir)),
        None => Ok(PathBuf::from("doc/adr")),
    }
}

/// The 1-based line and column of byte `at` in `text`.
pub(crate) fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// `project.adrFolder` of a log4brains configuration.
fn log4brains_dir(text: &str, shown: &str) -> Result<Option<PathBuf>> {
    #[derive(serde::Deserialize)]
    struct Project {
        #[serde(rename = "adrFolder")]
        adr_folder: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct Log4brains {
        project: Option<Project>,
    }
    if crate::core::locate::too_deep(text, crate::core::spec::parse::MAX_FLOW_DEPTH).is_some() {
        return Err(Error::Usage(format!(
            "{shown}: nested too deeply to read; fix it, or pass `--dir`"
        )));
    }
    let parsed: Log4brains = serde_yaml::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map_or(String::new(), |l| format!(":{}:{}", l.line(), l.column()));
        Error::Usage(format!(
            "{shown}{at}: not a log4brains configuration ({e}); fix it, or pass `--dir`"
        ))
    })?;
    Ok(parsed
        .project
        .and_then(|p| p.adr_folder)
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty())
        .map(PathBuf::from))
}

/// The text of a marker file, `None` when there is none. Read only when it
/// is a regular file (a link to one is followed) of at most `limit` bytes:
/// a link to `/dev/zero`, a FIFO or a folder is refused, never read.
/// `shown` names it in messages.
pub(crate) fn read_marker(marker: &Path, shown: &str, limit: u64) -> Result<Option<String>> {
    let fix = if shown.ends_with(".adr-dir") {
        "it should be a small text file holding the record folder on one line (e.g. `doc/adr`): fix or remove it, or pass `--dir`"
    } else {
        "it should be a small configuration file naming the record folder: fix or remove it, or pass `--dir`"
    };
    match std::fs::symlink_metadata(marker) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        // A level above that cannot be looked into holds no marker we can use.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => return Ok(None),
        Err(e) => return Err(Error::io("read", shown, &e)),
        Ok(_) => {}
    }
    let meta = match std::fs::metadata(marker) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Usage(format!(
                "`{shown}` is a symbolic link to nothing; {fix}"
            )));
        }
        Err(e) => return Err(Error::io("read", shown, &e)),
    };
    if !meta.is_file() {
        return Err(Error::Usage(format!(
            "`{shown}` is {}, not a file; {fix}",
            files::describe(meta.file_type())
        )));
    }
    let too_large = |size: u64| {
        Error::Usage(format!(
            "`{shown}` is {size} bytes, more than the {limit} bytes statewise reads; {fix}"
        ))
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let (bytes, more) = std::fs::File::open(marker)
        .and_then(|f| files::read_capped(f, limit))
        .map_err(|e| Error::io("read", shown, &e))?;
    if more {
        return Err(too_large(limit + 1));
    }
    let text = crate::adapters::adr::text::decode(&bytes)
        .ok_or_else(|| Error::Usage(format!("`{shown}` is not UTF-8 text; {fix}")))?;
    Ok(Some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(cwd: &Path) -> (String, String) {
        let d = find(&Named::default(), cwd).unwrap();
        (d.path.display().to_string(), d.reason)
    }

    #[test]
    fn walks_up_to_the_repository_root() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        let deep = root.join("services/cart");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::create_dir(root.join(".git")).unwrap();
        // Nothing yet: docs/adr at the root.
        let (path, why) = found(&deep);
        assert_eq!(path, "../../docs/adr");
        assert_eq!(
            why,
            "no record folder found, so the default `docs/adr` at the repository root"
        );
        // An existing usual folder at the root.
        std::fs::create_dir_all(root.join("docs/decisions")).unwrap();
        assert_eq!(found(&deep).0, "../../docs/decisions");
        std::fs::create_dir_all(root.join("doc/adr")).unwrap();
        assert_eq!(found(&deep).0, "../../doc/adr");
        // A usual folder below the root is not the log.
        std::fs::create_dir_all(deep.join("docs/adr")).unwrap();
        assert_eq!(found(&deep).0, "../../doc/adr");
        // A log4brains file, then adrs, then .adr-dir: the nearest wins,
        // and in one folder `.adr-dir` first.
        std::fs::write(
            root.join(".log4brains.yml"),
            "project:\n  name: x\n  adrFolder: ./docs/l4b\n",
        )
        .unwrap();
        assert_eq!(
            found(&deep),
            (
                "../../docs/l4b".into(),
                "named by `../../.log4brains.yml`".into()
            )
        );
        std::fs::write(root.join("adrs.toml"), "adr_dir = \"records\"\n").unwrap();
        assert_eq!(found(&deep).0, "../../records");
        std::fs::write(root.join(".adr-dir"), "decisions\n").unwrap();
        assert_eq!(found(&deep).0, "../../decisions");
        std::fs::write(deep.join(".adrs.toml"), "mode = \"nextgen\"\n").unwrap();
        assert_eq!(
            found(&deep),
            ("doc/adr".into(), "named by `.adrs.toml`".into())
        );
        // Above the repository root nothing counts.
        std::fs::remove_file(deep.join(".adrs.toml")).unwrap();
        std::fs::remove_file(root.join(".adr-dir")).unwrap();
        std::fs::remove_file(root.join("adrs.toml")).unwrap();
        std::fs::remove_file(root.join(".log4brains.yml")).unwrap();
        std::fs::write(tmp.path().join(".adr-dir"), "outside\n").unwrap();
        assert_eq!(found(&deep).0, "../../doc/adr");
    }

    #[test]
    fn outside_a_repository_the_current_directory_is_the_root() {
        let tmp = tempfile::tempdir().unwrap();
        let cwd = tmp.path().join("a/b");
        std::fs::create_dir_all(&cwd).unwrap();
        std::fs::create_dir_all(tmp.path().join("docs/adr")).unwrap();
        assert_eq!(found(&cwd).0, "docs/adr");
        std::fs::write(tmp.path().join("a/.adr-dir"), "/abs/records\n").unwrap();
        assert_eq!(found(&cwd).0, "/abs/records");
    }

    #[test]
    fn the_flag_then_the_environment_then_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(".adr-dir"), "marker\n").unwrap();
        let mut named = Named {
            flag: Some("flag".into()),
            env: Some("env".into()),
            config: Some(("conf".into(), "statewise.toml".into())),
        };
        let path = |n: &Named| find(n, tmp.path()).unwrap().path;
        assert_eq!(path(&named), PathBuf::from("flag"));
        named.flag = None;
        assert_eq!(path(&named), PathBuf::from("env"));
        named.env = None;
        assert_eq!(path(&named), PathBuf::from("conf"));
        named.config = None;
        assert_eq!(path(&named), PathBuf::from("marker"));
    }

    #[test]
    fn broken_markers_are_errors_at_their_place() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("adrs.toml"), "adr_dir = [\n").unwrap();
        let e = find(&Named::default(), tmp.path()).unwrap_err().to_string();
        assert!(
            e.starts_with("adrs.toml:2:1: not valid TOML (invalid array, expected `]`)"),
            "{e}"
        );
        std::fs::write(tmp.path().join("adrs.toml"), "adr_dir = \"\"\n").unwrap();
        let e = find(&Named::default(), tmp.path()).unwrap_err().to_string();
        assert!(e.contains("`adr_dir` is empty"), "{e}");
        std::fs::remove_file(tmp.path().join("adrs.toml")).unwrap();
        std::fs::write(tmp.path().join(".log4brains.yml"), "project: [\n").unwrap();
        let e = find(&Named::default(), tmp.path()).unwrap_err().to_string();
        assert!(e.contains(".log4brains.yml:"), "{e}");
    }
}
