//! Rule files on disk: a file, or a folder of `*.yaml` files, read with the
//! size bound and handed to the core's [`RuleSet`] as sources.

use std::path::Path;

use crate::adapters::files::read_limited;
use crate::core::error::{Error, Result};
use crate::core::rules::rule_set::{RuleSet, Source};

impl RuleSet {
    /// The built-in rules (unless `builtin` is false) and the rules in
    /// `paths`, each a file or a folder of `*.yaml` / `*.yml` files.
    pub fn load(paths: &[impl AsRef<Path>], builtin: bool) -> Result<RuleSet> {
        let mut sources = Vec::new();
        for path in paths {
            sources.extend(read_path(path.as_ref())?);
        }
        let base = if builtin {
            RuleSet::builtin()
        } else {
            RuleSet::default()
        };
        base.extended(&sources)
    }
}

/// Reads a rule file, or every `*.yaml` / `*.yml` file of a folder in name
/// order (a `kinds.yaml` or `import.yaml` there is not a rule file and is
/// skipped).
fn read_path(path: &Path) -> Result<Vec<Source>> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Error::io("read rules from", &shown, &e))?;
    if !meta.is_dir() {
        return Ok(vec![read_source(path)?]);
    }
    let entries = std::fs::read_dir(path).map_err(|e| Error::io("read rules from", &shown, &e))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read rules from", &shown, &e))?;
        let p = entry.path();
        let is_yaml = matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"));
        let is_kinds = p
            .file_name()
            .is_some_and(|n| n == "kinds.yaml" || n == "import.yaml");
        if is_yaml && !is_kinds && p.is_file() {
            files.push(p);
        }
    }
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "no rule files (`*.yaml`) in `{shown}`"
        )));
    }
    files.sort();
    files.iter().map(|p| read_source(p)).collect()
}

fn read_source(path: &Path) -> Result<Source> {
    let name = path.display().to_string();
    let bytes = read_limited(path).map_err(|e| Error::io("read", &name, &e))?;
    Ok(Source {
        name,
        bytes,
        builtin: false,
    })
}
