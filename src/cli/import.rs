//! `statewise import`: reads Compose files and Kubernetes manifests, and
//! writes the spec they describe, new (never over a file) or to standard
//! output. Notes about what was left out go to standard error.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::adapters::{deploy_files, files};
use crate::cli::outcome::Output;
use crate::core::error::{Error, Result};
use crate::core::escape;
use crate::core::import::{self, Format, ImportRules, Options};
use crate::core::spec::parse::check_text;

/// What `import` was asked for.
pub(crate) struct ImportRequest<'a> {
    pub(crate) paths: &'a [String],
    pub(crate) out: &'a Path,
    pub(crate) stdout: bool,
    pub(crate) format: Option<Format>,
    pub(crate) rules: &'a [PathBuf],
    pub(crate) keep_helpers: bool,
    pub(crate) name: Option<&'a str>,
    pub(crate) merge: Option<&'a str>,
}

pub(crate) fn run(req: &ImportRequest<'_>) -> Result<Output> {
    let mut table = ImportRules::builtin()?;
    for path in req.rules.iter().rev() {
        let shown = path.display().to_string();
        let bytes = files::read_limited(path).map_err(|e| Error::io("read", &shown, &e))?;
        let text = check_text(&shown, &bytes).map_err(Error::Rules)?;
        table = table.after(ImportRules::from_yaml(text, &shown)?);
    }
    let sources = deploy_files::read(req.paths)?;
    let merge = match req.merge {
        Some(spec) => {
            let (name, bytes) = files::read_spec(spec)?;
            let text = check_text(&name, &bytes).map_err(Error::Spec)?.to_owned();
            Some(import::MergeInto { file: name, text })
        }
        None => None,
    };
    let spec_folder = if req.stdout { None } else { req.out.parent() };
    let options = Options {
        deploy: req
            .paths
            .iter()
            .filter(|p| p.as_str() != "-")
            .filter_map(|p| relative_to(Path::new(p), spec_folder).map(|r| (p.clone(), r)))
            .collect(),
        merge,
        format: req.format,
        keep_helpers: req.keep_helpers,
        system_name: req
            .name
            .map_or_else(|| folder_name(req.paths), str::to_owned),
    };
    let imported = import::import(&sources, &table, &options)?;
    let mut notes = String::new();
    for note in &imported.notes {
        notes.push_str(&format!("note: {note}\n"));
    }
    let _ = std::io::stderr().write_all(escape::lines(&notes).as_bytes());
    if req.stdout {
        return Output::ok(imported.text);
    }
    let shown = req.out.display().to_string();
    files::write_new(req.out, imported.text.as_bytes()).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Io(format!(
                "`{shown}` already exists; statewise never overwrites it (name another file with `-o`, or print with `--stdout`)"
            ))
        } else {
            Error::io("write", &shown, &e)
        }
    })?;
    Output::text(&format!(
        "wrote `{shown}`; answer its questions, then run `statewise analyze {}`\n",
        escape::shell(&shown)
    ))
}

/// `path` (as named from the current folder) as the spec in `folder` names
/// it: relative to that folder where both are relative, else absolute.
fn relative_to(path: &Path, folder: Option<&Path>) -> Option<String> {
    let folder = folder.filter(|f| !f.as_os_str().is_empty());
    let Some(folder) = folder else {
        return Some(path.display().to_string());
    };
    let plain = |p: &Path| {
        p.components().all(|c| {
            matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        })
    };
    if path.is_relative() && folder.is_relative() && plain(folder) {
        let up = folder
            .components()
            .filter(|c| matches!(c, std::path::Component::Normal(_)))
            .count();
        let mut rel = PathBuf::new();
        for _ in 0..up {
            rel.push("..");
        }
        rel.push(path);
        return Some(rel.display().to_string());
    }
    std::fs::canonicalize(path)
        .ok()
        .map(|p| p.display().to_string())
}

/// The name of the folder the first path is in (or is): the system's name
/// when the files give none.
fn folder_name(paths: &[String]) -> String {
    let first = paths.first().map(String::as_str).unwrap_or(".");
    let path = if first == "-" {
        Path::new(".")
    } else {
        Path::new(first)
    };
    let dir = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    std::fs::canonicalize(&dir)
        .ok()
        .and_then(|d| {
            d.file_name().map(|n| {
                n.to_string_lossy()
                    .chars()
                    .filter(|c| !c.is_control())
                    .collect::<String>()
            })
        })
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "imported system".to_owned())
}
