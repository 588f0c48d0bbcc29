//! `--format FORMAT[=PATH]`: where each report of one run goes. Without a
//! path a format goes to standard output (one at most); with one it goes to
//! that file, written whole through a temporary file and a rename, after
//! every report is rendered, so a failed run leaves no half-written file.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::adapters::files;
use crate::cli::outcome::Output;
use crate::core::error::{Error, Result};

/// One report: a format and, unless it goes to standard output, a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target<F> {
    /// The format.
    pub format: F,
    /// The file it goes to; `None` for standard output (`FORMAT` or `FORMAT=-`).
    pub path: Option<PathBuf>,
}

/// Parses `FORMAT` or `FORMAT=PATH` (clap's value parser).
pub(crate) fn target<F: ValueEnum>(value: &str) -> std::result::Result<Target<F>, String> {
    let (name, path) = match value.split_once('=') {
        Some((name, path)) => (name, Some(path)),
        None => (value, None),
    };
    let format = F::from_str(name, true).map_err(|_| {
        let names: Vec<String> = F::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_owned()))
            .collect();
        format!(
            "unknown format `{}`; one of {} (as `FORMAT` or `FORMAT=PATH`)",
            crate::core::escape::line(name),
            names.join(", ")
        )
    })?;
    let path = match path {
        None | Some("-") => None,
        Some("") => {
            return Err(format!(
                "`{name}=` names no file; give a path after `=`, or drop `=` for standard output"
            ));
        }
        Some(p) => Some(PathBuf::from(p)),
    };
    Ok(Target { format, path })
}

/// The reports asked for, checked: at most one on standard output, no file
/// named twice, and `default` on standard output when no report goes there.
pub(crate) fn resolve<F: Clone>(targets: &[Target<F>], default: F) -> Result<Vec<Target<F>>> {
    if targets.iter().filter(|t| t.path.is_none()).count() > 1 {
        return Err(Error::Usage(
            "more than one `--format` writes to standard output; give the others a file with `--format FORMAT=PATH`".into(),
        ));
    }
    let mut seen: Vec<&Path> = Vec::new();
    for path in targets.iter().filter_map(|t| t.path.as_deref()) {
        if seen.contains(&path) {
            return Err(Error::Usage(format!(
                "`{}` is named by two `--format`s; give each report its own file",
                path.display()
            )));
        }
        seen.push(path);
    }
    let mut out = targets.to_vec();
    if out.iter().all(|t| t.path.is_some()) {
        out.push(Target {
            format: default,
            path: None,
        });
    }
    Ok(out)
}

/// The bytes an output holds, running its stream into memory.
fn bytes_of(out: Output) -> Result<Vec<u8>> {
    match out.stream {
        None => Ok(out.text.into_bytes()),
        Some(stream) => {
            let mut buf = Vec::new();
            stream(&mut buf).map_err(|e| Error::io("render", "the report", &e))?;
            buf.flush()
                .map_err(|e| Error::io("render", "the report", &e))?;
            Ok(buf)
        }
    }
}

/// Renders every target with `render` (told whether it goes to standard
/// output, which may be coloured; a file never is), writes the files, and
/// returns what goes to standard output with `code` as its exit code. A
/// report's folder is created when missing.
pub(crate) fn emit<F: Clone>(
    targets: &[Target<F>],
    code: i32,
    mut render: impl FnMut(F, bool) -> Result<Output>,
) -> Result<Output> {
    let mut stdout = None;
    let mut files_out: Vec<(&Path, Vec<u8>)> = Vec::new();
    for t in targets {
        let out = render(t.format.clone(), t.path.is_none())?;
        match &t.path {
            None => stdout = Some(out),
            Some(path) => files_out.push((path, bytes_of(out)?)),
        }
    }
    for (path, bytes) in &files_out {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io("create the folder", &parent.display().to_string(), &e))?;
        }
        files::replace_file(path, bytes)?;
    }
    let mut out = stdout.unwrap_or(Output {
        text: String::new(),
        stream: None,
        code,
    });
    out.code = code;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Formats as `check` has them (the real enum lives in `args.rs`,
    /// which imports this file).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
    enum CheckFormat {
        Text,
        Json,
        Sarif,
        Junit,
    }

    #[test]
    fn a_target_is_a_format_and_maybe_a_file() {
        assert_eq!(
            target::<CheckFormat>("sarif=out/x.sarif"),
            Ok(Target {
                format: CheckFormat::Sarif,
                path: Some(PathBuf::from("out/x.sarif"))
            })
        );
        assert_eq!(
            target::<CheckFormat>("JUnit"),
            Ok(Target {
                format: CheckFormat::Junit,
                path: None
            })
        );
        assert_eq!(target::<CheckFormat>("text=-").map(|t| t.path), Ok(None));
        assert!(
            target::<CheckFormat>("xml=a")
                .unwrap_err()
                .contains("one of text, json")
        );
        assert!(target::<CheckFormat>("json=").is_err());
    }

    #[test]
    fn one_standard_output_and_distinct_files() {
        let t = |f, p: Option<&str>| Target {
            format: f,
            path: p.map(PathBuf::from),
        };
        assert_eq!(
            resolve(&[], CheckFormat::Text).unwrap(),
            vec![t(CheckFormat::Text, None)]
        );
        assert!(
            resolve(
                &[t(CheckFormat::Text, None), t(CheckFormat::Json, None)],
                CheckFormat::Text
            )
            .is_err()
        );
        assert!(
            resolve(
                &[
                    t(CheckFormat::Json, Some("a")),
                    t(CheckFormat::Sarif, Some("a"))
                ],
                CheckFormat::Text
            )
            .is_err()
        );
        assert_eq!(
            resolve(
                &[t(CheckFormat::Json, Some("a")), t(CheckFormat::Sarif, None)],
                CheckFormat::Text
            )
            .unwrap()
            .len(),
            2
        );
        assert_eq!(
            resolve(&[t(CheckFormat::Json, Some("a"))], CheckFormat::Text).unwrap(),
            vec![t(CheckFormat::Json, Some("a")), t(CheckFormat::Text, None)]
        );
    }
}
