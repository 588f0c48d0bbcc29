//! The deployment files `import` reads: files named on the command line
//! (`-` is standard input), and every `*.yaml` / `*.yml` file under a named
//! folder, in path order, hidden folders skipped. Each is read with the
//! size bound and checked to be UTF-8 text.

use std::path::{Path, PathBuf};

use crate::adapters::files::{read_limited, read_spec};
use crate::core::error::{Error, Result};
use crate::core::import::Source;
use crate::core::spec::parse::check_text;

/// How deep `import` walks into a folder.
const MAX_DEPTH: usize = 16;

/// Reads every deployment file `paths` name.
pub(crate) fn read(paths: &[String]) -> Result<Vec<Source>> {
    let mut sources = Vec::new();
    for arg in paths {
        let path = Path::new(arg);
        if arg != "-" && path.is_dir() {
            let mut files = Vec::new();
            walk(path, 0, &mut files)?;
            if files.is_empty() {
                return Err(Error::Usage(format!(
                    "no `*.yaml` or `*.yml` files in `{arg}`"
                )));
            }
            files.sort();
            for file in files {
                let name = file.display().to_string();
                let bytes = read_limited(&file).map_err(|e| Error::io("read", &name, &e))?;
                sources.push(source(name, &bytes, true)?);
            }
        } else {
            let (name, bytes) = read_spec(arg).map_err(|e| match e {
                Error::Io(_) if !path.exists() && arg != "-" => {
                    Error::Io(format!("no such file or folder `{arg}`"))
                }
                other => other,
            })?;
            sources.push(source(name, &bytes, false)?);
        }
    }
    Ok(sources)
}

fn source(name: String, bytes: &[u8], in_folder: bool) -> Result<Source> {
    let text = check_text(&name, bytes).map_err(Error::Spec)?.to_owned();
    Ok(Source {
        name,
        text,
        in_folder,
    })
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<()> {
    let shown = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("read", &shown, &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read", &shown, &e))?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let kind = entry
            .file_type()
            .map_err(|e| Error::io("read", &path.display().to_string(), &e))?;
        if hidden {
            continue;
        }
        if kind.is_dir() && depth < MAX_DEPTH {
            walk(&path, depth + 1, out)?;
        } else if kind.is_file()
            && matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            )
        {
            out.push(path);
        }
    }
    Ok(())
}

/// The deployment files of a spec: `flag` (`--deploy PATH…`, relative to
/// the current folder) when given, else the spec's `system.deploy` entries,
/// each a path or a glob relative to the spec's folder. An entry that names
/// nothing is an error at its line in the spec.
pub(crate) fn for_spec(
    spec_file: &str,
    spec_text: &str,
    deploy: &[crate::core::spec::values::Name],
    flag: &[String],
) -> Result<Vec<Source>> {
    if !flag.is_empty() {
        return read(flag);
    }
    let base = match Path::new(spec_file).parent() {
        Some(p) if spec_file != "<stdin>" => p.to_path_buf(),
        _ => PathBuf::new(),
    };
    // A spec comes with the repository it is in, and may come from someone
    // the reader does not trust: it names files of that repository only,
    // so a pull request cannot make CI print a file from elsewhere.
    let fenced = fence(&base)?;
    let mut sources = Vec::new();
    for entry in deploy {
        let entry = entry.as_str();
        let joined = base.join(entry);
        let shown = joined.display().to_string();
        let fail = |message: String, help: &str| {
            let (line, column) = entry_place(spec_text, entry);
            Error::Spec(Box::new(
                crate::core::error::Diagnostic::new(spec_file, message)
                    .at(spec_text, line, column)
                    .with_help(help),
            ))
        };
        let inside =
            |path: &Path| std::fs::canonicalize(path).is_ok_and(|real| real.starts_with(&fenced));
        if Path::new(entry).has_root() || entry.starts_with('~') {
            return Err(fail(
                format!("`{entry}` is not a relative path"),
                "deploy paths are relative to the spec's folder and stay inside its repository; pass other files with `--deploy`",
            ));
        }
        if entry.contains(['*', '?', '[']) {
            let paths = glob::glob(&shown).map_err(|e| {
                fail(
                    format!("`{entry}` is not a glob pattern: {}", e.msg),
                    "use `*`, `**`, `?` and `[...]` as a shell would",
                )
            })?;
            let mut found: Vec<PathBuf> = Vec::new();
            for path in paths.flatten() {
                if !inside(&path) {
                    return Err(fail(
                        format!(
                            "`{entry}` matches `{}`, outside the spec's repository",
                            path.display()
                        ),
                        "deploy paths stay inside the repository the spec is in; pass other files with `--deploy`",
                    ));
                }
                if found.len() > MAX_FILES {
                    return Err(fail(
                        format!("`{entry}` matches more than {MAX_FILES} files"),
                        "name the folders of the deployment files more narrowly",
                    ));
                }
                if path.is_dir() {
                    walk(&path, 0, &mut found)?;
                } else if path.is_file() {
                    found.push(path);
                }
            }
            if found.is_empty() {
                return Err(fail(
                    format!("`{entry}` matches no file (looked for `{shown}`)"),
                    "deploy paths are relative to the spec's folder",
                ));
            }
            found.sort();
            found.dedup();
            for file in found {
                let name = file.display().to_string();
                let bytes = read_limited(&file).map_err(|e| Error::io("read", &name, &e))?;
                sources.push(source(name, &bytes, true)?);
            }
        } else if joined.exists() {
            if !inside(&joined) {
                return Err(fail(
                    format!("`{entry}` is outside the spec's repository"),
                    "deploy paths stay inside the repository the spec is in; pass other files with `--deploy`",
                ));
            }
            sources.extend(read(&[shown])?);
        } else {
            return Err(fail(
                format!("no such file or folder `{shown}`"),
                "deploy paths are relative to the spec's folder",
            ));
        }
    }
    Ok(sources)
}

/// The most files one `deploy` glob may name.
const MAX_FILES: usize = 10_000;

/// The folder a spec's deployment files must be in: the repository that
/// holds `base` (the nearest folder up with `.git`), else `base` itself.
fn fence(base: &Path) -> Result<PathBuf> {
    let from = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    let real = std::fs::canonicalize(from)
        .map_err(|e| Error::io("read", &from.display().to_string(), &e))?;
    Ok(real
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map_or_else(|| real.clone(), Path::to_path_buf))
}

/// Where `entry` is written in the spec's `deploy` list: 1-based line and
/// column, or the top of the file.
fn entry_place(text: &str, entry: &str) -> (usize, usize) {
    let mut in_deploy = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("deploy:") {
            in_deploy = true;
        }
        if in_deploy && let Some(col) = line.find(entry) {
            return (i + 1, col + 1);
        }
    }
    (1, 1)
}
