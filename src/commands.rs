//! The commands: each resolves its inputs, calls the pure core and returns
//! the text to print. Files are read and written here, nowhere deeper.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{Format, ListFormat, Output, RuleArgs};
use crate::error::{Error, Result};
use crate::kinds::Kinds;
use crate::output::{self, Style};
use crate::rule_set::RuleSet;
use crate::spec::Spec;
use crate::suggest::nearest;

/// The rules the flags ask for.
pub(crate) fn load_rules(args: &RuleArgs) -> Result<RuleSet> {
    if args.no_default_rules && args.rules.is_empty() {
        return Err(Error::Usage(
            "`--no-default-rules` leaves no rules at all; add `--rules PATH`".into(),
        ));
    }
    RuleSet::load(&args.rules, !args.no_default_rules)
}

/// The spec named on the command line.
pub(crate) fn load_spec(arg: &str) -> Result<Spec> {
    let (name, bytes) = crate::input::read_spec(arg)?;
    Spec::from_bytes(&bytes, &name)
}

pub(crate) fn analyze(
    spec: &str,
    format: Format,
    rules: &RuleArgs,
    style: Style,
) -> Result<Output> {
    let spec = load_spec(spec)?;
    let rules = load_rules(rules)?;
    let report = crate::analyze(&spec, &rules, Kinds::builtin());
    Output::ok(match format {
        Format::Table => output::table::render(&report, style),
        Format::Json => output::json::render(&report),
        Format::Markdown => output::markdown::render(&report),
    })
}

pub(crate) fn rules_list(args: &RuleArgs, format: ListFormat, style: Style) -> Result<Output> {
    let rules = load_rules(args)?;
    Output::ok(match format {
        ListFormat::Table => output::table::rules(rules.rules(), style),
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = rules
                .rules()
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "favors": r.favors.as_str(),
                        "weight": r.weight,
                        "title": r.title,
                        "when": r.when.to_string(),
                        "because": r.because,
                        "advice": r.advice,
                        "source": r.source,
                        "file": r.file,
                    })
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&list).unwrap_or_default();
            text.push('\n');
            text
        }
    })
}

pub(crate) fn rules_show(id: &str, args: &RuleArgs) -> Result<Output> {
    let rules = load_rules(args)?;
    let Some(rule) = rules.get(id) else {
        let ids: Vec<&str> = rules.rules().iter().map(|r| r.id.as_str()).collect();
        let hint = match nearest(id, &ids) {
            Some(n) => format!(", did you mean `{n}`?"),
            None => "; `statewise rules list` shows them all".to_owned(),
        };
        return Err(Error::Usage(format!("no rule `{id}`{hint}")));
    };
    let mut out = format!("{}\n  {}\n\n", rule.id, rule.title);
    out.push_str(&format!(
        "favors:  {}\nweight:  {}\n",
        rule.favors, rule.weight
    ));
    out.push_str(&format!("when:    {}\n", rule.when));
    out.push_str(&format!("file:    {}\n", rule.file));
    if let Some(source) = &rule.source {
        out.push_str(&format!("source:  {source}\n"));
    }
    out.push_str(&format!("\nbecause: {}\n", rule.because));
    if let Some(advice) = &rule.advice {
        out.push_str(&format!("advice:  {advice}\n"));
    }
    if !rule.examples.is_empty() {
        out.push_str("\nexamples:\n");
        for ex in &rule.examples {
            let yaml = serde_json::to_string(&ex.component).unwrap_or_default();
            out.push_str(&format!("  {} <- {yaml}\n", ex.verdict));
        }
    }
    Output::ok(out)
}

pub(crate) fn rules_lint(files: &[PathBuf], builtin: bool) -> Result<Output> {
    let (kinds_files, rule_files): (Vec<&PathBuf>, Vec<&PathBuf>) = files
        .iter()
        .partition(|p| p.is_file() && p.file_name().is_some_and(|n| n == "kinds.yaml"));
    for path in &kinds_files {
        let name = path.display().to_string();
        let bytes = crate::input::read_limited(path).map_err(|e| Error::io("read", &name, &e))?;
        let text = crate::spec::check_text(&name, &bytes).map_err(Error::Rules)?;
        Kinds::from_yaml(text, &name)?;
    }
    let rules = RuleSet::load(&rule_files, builtin)?;
    let user: Vec<_> = rules.rules().iter().filter(|r| !r.builtin).collect();
    let failures = crate::engine::check_examples(&rules, Kinds::builtin());
    if let Some(first) = failures
        .into_iter()
        .find(|f| user.iter().any(|r| r.id == f.rule))
    {
        return Err(Error::Rules(Box::new(crate::Diagnostic::new(
            first.file.clone(),
            first.to_string(),
        ))));
    }
    let mut out = String::new();
    if !rule_files.is_empty() {
        let files_word = if rule_files.len() == 1 {
            "path"
        } else {
            "paths"
        };
        out.push_str(&format!(
            "ok: {} rules in {} {files_word}; ids unique, conditions valid, examples hold\n",
            user.len(),
            rule_files.len()
        ));
    }
    for path in kinds_files {
        out.push_str(&format!("ok: `{}` is a valid kinds file\n", path.display()));
    }
    Output::ok(out)
}

pub(crate) fn init(file: &Path) -> Result<Output> {
    let shown = file.display().to_string();
    write_new(file, crate::spec_yaml::starter().as_bytes()).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Io(format!(
                "`{shown}` already exists; statewise never overwrites it (remove it or name another file)"
            ))
        } else {
            Error::io("write", &shown, &e)
        }
    })?;
    Output::ok(format!(
        "wrote `{shown}`; edit it, then run `statewise analyze {shown}`\n"
    ))
}

/// Creates `path` (never replacing a file) and writes `bytes`; on a failed
/// write the half-written file is removed.
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
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
