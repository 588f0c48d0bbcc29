//! `statewise rules list|show|lint`: the rules in a table or JSON, one rule
//! in full, and custom rule files checked with their examples.

use std::path::{Path, PathBuf};

use crate::adapters::files;
use crate::adapters::output::{self, Style};
use crate::cli::args::{ListFormat, RuleArgs};
use crate::cli::inputs::load_rules;
use crate::cli::outcome::Output;
use crate::core::error::{Diagnostic, Error, Result};
use crate::core::escape;
use crate::core::rules::rule_set::RuleSet;
use crate::core::spec::kinds::Kinds;
use crate::core::text::nearest;
use crate::core::words::count;

pub(crate) fn list(args: &RuleArgs, format: ListFormat, style: Style) -> Result<Output> {
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
                        "owner": r.owner,
                        "file": r.file,
                    })
                })
                .collect();
            let mut text = escape::json_pretty(&list);
            text.push('\n');
            text
        }
    })
}

pub(crate) fn show(id: &str, args: &RuleArgs) -> Result<Output> {
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
    if rule.owner {
        out.push_str("owner:   yes; a store, stateful by nature when it fires\n");
    }
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
    Output::text(&out)
}

pub(crate) fn lint(files: &[PathBuf], builtin: bool) -> Result<Output> {
    let (import_files, others): (Vec<&PathBuf>, Vec<&PathBuf>) = files
        .iter()
        .partition(|p| p.is_file() && p.file_name().is_some_and(|n| n == "import.yaml"));
    for path in &import_files {
        let name = path.display().to_string();
        let bytes = files::read_limited(path).map_err(|e| Error::io("read", &name, &e))?;
        let text = crate::core::spec::parse::check_text(&name, &bytes).map_err(Error::Rules)?;
        crate::core::import::ImportRules::from_yaml(text, &name)?;
    }
    let (kinds_files, rule_files): (Vec<&PathBuf>, Vec<&PathBuf>) = others
        .into_iter()
        .partition(|p| p.is_file() && p.file_name().is_some_and(|n| n == "kinds.yaml"));
    for path in &kinds_files {
        let name = path.display().to_string();
        let bytes = files::read_limited(path).map_err(|e| Error::io("read", &name, &e))?;
        let text = crate::core::spec::parse::check_text(&name, &bytes).map_err(Error::Rules)?;
        Kinds::from_yaml(text, &name)?;
    }
    let rules = RuleSet::load(&rule_files, builtin)?;
    let user: Vec<_> = rules.rules().iter().filter(|r| !r.builtin).collect();
    let failures = crate::core::engine::check_examples(&rules, Kinds::builtin());
    if let Some(first) = failures
        .into_iter()
        .find(|f| user.iter().any(|r| r.id == f.rule))
    {
        let mut d = Diagnostic::new(first.file.clone(), first.to_string()).with_help(
            "fix the example's verdict or the rule's condition; `statewise analyze` on the example shows which rules fire",
        );
        // Only on this error path is the file read again, to find the example.
        let bytes = files::read_limited(Path::new(&first.file)).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        if let Some((line, col)) =
            crate::core::locate::rule_example(&text, &first.rule, first.example)
        {
            d = d.at(&text, line, col);
        }
        return Err(Error::Rules(Box::new(d)));
    }
    // Reasons that must never be given together: a user rule that excludes
    // another, or is excluded by one, must not fire beside it.
    let clash = crate::core::rules::contradictions::contradictions(&rules, Kinds::builtin())
        .into_iter()
        .find(|c| user.iter().any(|r| r.id == c.rule || r.id == c.excluded));
    if let Some(c) = clash {
        return Err(Error::Rules(Box::new(
            Diagnostic::new(
                c.file.clone(),
                format!(
                    "rules `{}` and `{}` both fire on a component with {}, though `{}` excludes `{}`",
                    c.rule,
                    c.excluded,
                    if c.witness.is_empty() { "nothing stated".to_owned() } else { c.witness.join(", ") },
                    c.rule,
                    c.excluded
                ),
            )
            .with_help("narrow one of the two conditions so they cannot hold together, or drop the exclusion"),
        )));
    }
    let mut out = String::new();
    if !rule_files.is_empty() {
        out.push_str(&format!(
            "ok: {} in {}; ids unique, conditions valid, examples hold\n",
            count(user.len(), "rule", "rules"),
            count(rule_files.len(), "path", "paths")
        ));
    }
    for path in kinds_files {
        out.push_str(&format!("ok: `{}` is a valid kinds file\n", path.display()));
    }
    for path in import_files {
        out.push_str(&format!(
            "ok: `{}` is a valid import table\n",
            path.display()
        ));
    }
    Output::text(&out)
}
