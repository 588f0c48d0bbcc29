//! Dynamic completions: clap_complete's environment completer asks these
//! for the values that depend on the project (the rule ids, the components
//! of `statewise.yaml` in the current folder, the numbers of the records in
//! the record folder, the templates). Each reads what it needs
//! and completes nothing when it cannot: a completion never prints an error.

use std::ffi::OsStr;
use std::path::Path;

use clap_complete::engine::CompletionCandidate;

use crate::adapters::adr::{self, records};
use crate::adapters::files;
use crate::core::rules::rule_set::RuleSet;
use crate::core::spec::model::Spec;

/// The candidates whose value starts with what was typed.
fn starting_with(current: &OsStr, all: Vec<(String, String)>) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    all.into_iter()
        .filter(|(value, _)| value.starts_with(typed.as_ref()))
        .map(|(value, help)| {
            // Help can come from a spec or a record: one line, shown safe.
            let help =
                crate::core::escape::line(help.lines().next().unwrap_or_default()).into_owned();
            let c = CompletionCandidate::new(value);
            if help.is_empty() {
                c
            } else {
                c.help(Some(help.into()))
            }
        })
        .collect()
}

/// The built-in rule ids, with their titles.
pub(crate) fn rule_ids(current: &OsStr) -> Vec<CompletionCandidate> {
    let rules = RuleSet::builtin();
    starting_with(
        current,
        rules
            .rules()
            .iter()
            .map(|r| (r.id.to_string(), r.title.to_string()))
            .collect(),
    )
}

/// The components of `statewise.yaml` in the current folder.
pub(crate) fn components(current: &OsStr) -> Vec<CompletionCandidate> {
    components_in(Path::new("statewise.yaml"), current)
}

fn components_in(path: &Path, current: &OsStr) -> Vec<CompletionCandidate> {
    let Ok(bytes) = files::read_limited(path) else {
        return Vec::new();
    };
    let Ok(spec) = Spec::from_bytes(&bytes, &path.display().to_string()) else {
        return Vec::new();
    };
    starting_with(
        current,
        spec.components
            .iter()
            .map(|c| (c.name.as_str().to_owned(), c.description.clone()))
            .collect(),
    )
}

/// The numbers of the records in the record folder the current folder
/// resolves to (`.adr-dir`, `docs/adr`, `doc/adr`), with their titles.
pub(crate) fn record_numbers(current: &OsStr) -> Vec<CompletionCandidate> {
    let Ok(cwd) = std::env::current_dir() else {
        return Vec::new();
    };
    let Ok(dir) = adr::resolve_dir(None, &cwd) else {
        return Vec::new();
    };
    let Ok(list) = records::scan(&dir) else {
        return Vec::new();
    };
    let all = list
        .into_iter()
        .map(|(n, path)| {
            let title = files::read_limited(&path)
                .ok()
                .map(|bytes| {
                    let file = path
                        .file_name()
                        .and_then(|f| f.to_str())
                        .unwrap_or_default();
                    records::parse(n, file, &String::from_utf8_lossy(&bytes)).title
                })
                .unwrap_or_default();
            (n.to_string(), title)
        })
        .collect();
    starting_with(current, all)
}

/// The built-in templates, then the `.hbs` files of the current folder and
/// of `templates/`.
pub(crate) fn templates(current: &OsStr) -> Vec<CompletionCandidate> {
    let mut all = vec![
        ("madr".to_owned(), "MADR 4, with front matter".to_owned()),
        (
            "nygard".to_owned(),
            "Nygard, as adr-tools writes".to_owned(),
        ),
    ];
    for dir in [".", "templates"] {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut found: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "hbs"))
            .map(|p| p.strip_prefix(".").unwrap_or(&p).display().to_string())
            .collect();
        found.sort();
        all.extend(found.into_iter().map(|f| (f, String::new())));
    }
    starting_with(current, all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(c: Vec<CompletionCandidate>) -> Vec<String> {
        c.iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn rule_ids_complete_from_the_typed_prefix() {
        let ids = values(rule_ids(OsStr::new("bidirectional")));
        assert_eq!(ids, ["bidirectional-realtime"]);
        assert!(values(rule_ids(OsStr::new(""))).len() > 10);
    }

    #[test]
    fn components_come_from_the_spec_and_nothing_from_a_bad_one() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("s.yaml");
        std::fs::write(&spec, "version: 1\nsystem: {name: S}\ncomponents: [{name: gateway}, {name: api}, {name: gallery}]\n").unwrap();
        assert_eq!(
            values(components_in(&spec, OsStr::new("ga"))),
            ["gateway", "gallery"]
        );
        std::fs::write(&spec, "version: 2\n").unwrap();
        assert!(components_in(&spec, OsStr::new("")).is_empty());
    }
}
