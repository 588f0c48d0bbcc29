//! `statewise diff OLD NEW`: per component, the stated values that changed
//! and the verdict before and after, weighed by the same rules.

use crate::adapters::output::diff as render;
use crate::cli::args::{DiffFormat, RuleArgs};
use crate::cli::inputs::{load_rules, load_spec};
use crate::cli::outcome::Output;
use crate::core::diff::diff;
use crate::core::error::{Error, Result};
use crate::core::report::analyze;
use crate::core::spec::kinds::Kinds;

pub(crate) fn run(old: &str, new: &str, format: DiffFormat, rules: &RuleArgs) -> Result<Output> {
    if old == "-" && new == "-" {
        return Err(Error::Usage(
            "standard input can be read once: give at most one of OLD and NEW as `-`, e.g. `git show main:statewise.yaml | statewise diff - statewise.yaml`".to_owned(),
        ));
    }
    let before = load_spec(old)?;
    let after = load_spec(new)?;
    let rules = load_rules(rules)?;
    let kinds = Kinds::builtin();
    let d = diff(
        &analyze(&before, &rules, kinds),
        &analyze(&after, &rules, kinds),
    );
    Output::ok(match format {
        DiffFormat::Text => render::text(&d),
        DiffFormat::Json => render::json(&d, old, new),
        DiffFormat::Markdown => render::markdown(&d, old, new),
    })
}
