//! `statewise analyze`: the advice for every component, as a table, JSON or
//! Markdown, streamed to standard output.

use crate::adapters::output::{self, Style};
use crate::cli::args::{Format, RuleArgs};
use crate::cli::inputs::{load_rules, load_spec};
use crate::cli::outcome::Output;
use crate::core::error::Result;
use crate::core::report::analyze;
use crate::core::spec::kinds::Kinds;

pub(crate) fn run(spec: &str, format: Format, rules: &RuleArgs, style: Style) -> Result<Output> {
    let spec = load_spec(spec)?;
    let rules = load_rules(rules)?;
    Output::stream(move |w| {
        let report = analyze(&spec, &rules, Kinds::builtin());
        match format {
            Format::Table => output::table::write(&report, style, w),
            Format::Json => output::json::write(&report, w),
            Format::Markdown => output::markdown::write(&report, w),
        }
    })
}
