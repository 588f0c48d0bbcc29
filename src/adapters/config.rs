//! The project's configuration file, `statewise.toml`: found from the
//! current directory up to the repository root like the record folder, read
//! strictly (an unknown key is an error at its line, with the nearest key),
//! its paths taken relative to the file's own folder.

use std::path::{Path, PathBuf};

use crate::adapters::adr::discover;
use crate::core::error::{Error, Result};

/// The file's name.
pub const FILE_NAME: &str = "statewise.toml";

/// Every key the file may hold.
pub const KEYS: [&str; 9] = [
    "spec",
    "adr-dir",
    "template",
    "rules",
    "no-default-rules",
    "format",
    "check-format",
    "fail-on",
    "baseline",
];

/// The values of `analyze --format` the file may give.
pub const FORMATS: [&str; 3] = ["table", "json", "markdown"];

/// The values of `check --format` the file may give (for standard output).
pub const CHECK_FORMATS: [&str; 7] = [
    "text", "json", "github", "sarif", "junit", "gitlab", "markdown",
];

/// The values of `check --fail-on` the file may give.
pub const FAIL_ON: [&str; 4] = ["error", "warning", "note", "never"];

/// A configuration file found, and what it sets. Paths are relative to the
/// current directory (or absolute), ready to use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigFile {
    /// The file, as seen from the current directory.
    pub shown: String,
    /// The spec file.
    pub spec: Option<String>,
    /// The record folder.
    pub adr_dir: Option<PathBuf>,
    /// `madr`, `nygard` or the path of a template.
    pub template: Option<String>,
    /// Custom rule files and folders.
    pub rules: Option<Vec<PathBuf>>,
    /// Only the custom rules.
    pub no_default_rules: Option<bool>,
    /// The default format of `analyze`.
    pub format: Option<String>,
    /// The report `check` prints on standard output.
    pub check_format: Option<String>,
    /// The least severity that fails `check`.
    pub fail_on: Option<String>,
    /// The baseline of findings the team accepted (`check --baseline`).
    pub baseline: Option<PathBuf>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    spec: Option<String>,
    adr_dir: Option<String>,
    template: Option<String>,
    rules: Option<Vec<String>>,
    no_default_rules: Option<bool>,
    format: Option<toml::Spanned<String>>,
    check_format: Option<toml::Spanned<String>>,
    fail_on: Option<toml::Spanned<String>>,
    baseline: Option<String>,
}

/// The nearest `statewise.toml` from `cwd` up to the repository root (the
/// filesystem root outside a repository), read; `None` when there is none.
pub fn find(cwd: &Path) -> Result<Option<ConfigFile>> {
    let repo_root = cwd.ancestors().find(|d| d.join(".git").exists());
    for (depth, level) in cwd.ancestors().enumerate() {
        let up = discover::up_to(depth);
        let shown = up.join(FILE_NAME).display().to_string();
        if let Some(text) =
            discover::read_marker(&level.join(FILE_NAME), &shown, discover::MAX_MARKER_BYTES)?
        {
            return parse(&text, &shown, &up).map(Some);
        }
        if Some(level) == repo_root {
            break;
        }
    }
    Ok(None)
}

/// Reads the text of a configuration file named `shown`, in the folder
/// `base` (relative to the current directory).
pub fn parse(text: &str, shown: &str, base: &Path) -> Result<ConfigFile> {
    let at = |start: usize| {
        let (line, col) = discover::line_col(text, start);
        format!("{shown}:{line}:{col}")
    };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let place = e.span().map_or_else(|| shown.to_owned(), |s| at(s.start));
        let message = e.message().trim().replace('\n', ", ");
        let unknown = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(key, _)| key.to_owned());
        Error::Usage(match unknown {
            Some(key) => match crate::core::text::nearest(&key, &KEYS) {
                Some(near) => format!("{place}: unknown key `{key}`, did you mean `{near}`?"),
                None => format!(
                    "{place}: unknown key `{key}`; the keys are {}",
                    KEYS.map(|k| format!("`{k}`")).join(", ")
                ),
            },
            None => format!("{place}: {message}"),
        })
    })?;
    let one_of = |value: &toml::Spanned<String>, key: &str, allowed: &[&str]| {
        let v = value.get_ref();
        if allowed.contains(&v.as_str()) {
            Ok(v.clone())
        } else {
            Err(Error::Usage(format!(
                "{}: `{key} = \"{v}\"` is not one of {}",
                at(value.span().start),
                allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    };
    let path = |p: &str| discover::relative(base, Path::new(p));
    Ok(ConfigFile {
        shown: shown.to_owned(),
        spec: raw.spec.as_deref().map(|s| {
            if s == "-" {
                s.to_owned()
            } else {
                path(s).display().to_string()
            }
        }),
        adr_dir: raw.adr_dir.as_deref().map(path),
        template: raw.template.as_deref().map(|t| match t {
            "madr" | "nygard" => t.to_owned(),
            file => path(file).display().to_string(),
        }),
        rules: raw.rules.map(|list| list.iter().map(|r| path(r)).collect()),
        no_default_rules: raw.no_default_rules,
        format: raw
            .format
            .as_ref()
            .map(|f| one_of(f, "format", &FORMATS))
            .transpose()?,
        check_format: raw
            .check_format
            .as_ref()
            .map(|f| one_of(f, "check-format", &CHECK_FORMATS))
            .transpose()?,
        fail_on: raw
            .fail_on
            .as_ref()
            .map(|f| one_of(f, "fail-on", &FAIL_ON))
            .transpose()?,
        baseline: raw.baseline.as_deref().map(path),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_file() {
        let c = parse(
            "spec = \"services/cart.yaml\"\nadr-dir = \"./docs/adr\"\ntemplate = \"t/my.hbs\"\n\
             rules = [\"rules\", \"/abs/r.yaml\"]\nformat = \"json\"\nfail-on = \"warning\"\n",
            "../statewise.toml",
            Path::new(".."),
        )
        .unwrap();
        assert_eq!(c.spec.as_deref(), Some("../services/cart.yaml"));
        assert_eq!(c.adr_dir, Some(PathBuf::from("../docs/adr")));
        assert_eq!(c.template.as_deref(), Some("../t/my.hbs"));
        assert_eq!(
            c.rules,
            Some(vec![
                PathBuf::from("../rules"),
                PathBuf::from("/abs/r.yaml")
            ])
        );
        assert_eq!(c.format.as_deref(), Some("json"));
        assert_eq!(c.fail_on.as_deref(), Some("warning"));
        let c = parse("template = \"nygard\"\n", "statewise.toml", Path::new("")).unwrap();
        assert_eq!(c.template.as_deref(), Some("nygard"));
    }

    #[test]
    fn unknown_keys_and_values_are_errors_at_their_line() {
        let e = parse(
            "spec = \"a.yaml\"\nadr_dir = \"x\"\n",
            "statewise.toml",
            Path::new(""),
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "statewise.toml:2:1: unknown key `adr_dir`, did you mean `adr-dir`?"
        );
        let e = parse("\n\nformat = \"yaml\"\n", "statewise.toml", Path::new(""))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "statewise.toml:3:10: `format = \"yaml\"` is not one of `table`, `json`, `markdown`"
        );
        let e = parse("colour = 1\n", "statewise.toml", Path::new(""))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("statewise.toml:1:1: unknown key `colour`; the keys are `spec`"),
            "{e}"
        );
        let e = parse("rules = \"one\"\n", "statewise.toml", Path::new(""))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("statewise.toml:1:9: "), "{e}");
    }

    #[test]
    fn found_upward_but_not_past_the_repository() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        let deep = root.join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::create_dir(root.join(".git")).unwrap();
        std::fs::write(tmp.path().join(FILE_NAME), "spec = \"outside.yaml\"\n").unwrap();
        assert_eq!(find(&deep).unwrap(), None);
        std::fs::write(root.join(FILE_NAME), "spec = \"s.yaml\"\n").unwrap();
        let c = find(&deep).unwrap().unwrap();
        assert_eq!(c.shown, "../../statewise.toml");
        assert_eq!(c.spec.as_deref(), Some("../../s.yaml"));
    }
}
