//! `statewise analyze`: the advice for every component, as a table, JSON or
//! Markdown, streamed to standard output.

use crate::adapters::files;
use crate::adapters::output::{self, Style};
use crate::cli::args::{Format, RuleArgs};
use crate::cli::inputs::{load_deployment, load_rules};
use crate::cli::outcome::Output;
use crate::core::error::Result;
use crate::core::import::Deployment;
use crate::core::report::analyze_deployed;
use crate::core::spec::kinds::Kinds;
use crate::core::spec::model::Spec;

/// The spec and its deployment, read once for every report asked for.
pub(crate) struct Loaded {
    spec: Spec,
    deployment: Option<Deployment>,
}

/// Reads the spec and, where it or `--deploy` names them, its deployment files.
pub(crate) fn load(spec: &str, deploy: &[String]) -> Result<Loaded> {
    let (name, bytes) = files::read_spec(spec)?;
    let parsed = Spec::from_bytes(&bytes, &name)?;
    let deployment = load_deployment(&name, &String::from_utf8_lossy(&bytes), &parsed, deploy)?;
    Ok(Loaded {
        spec: parsed,
        deployment,
    })
}

pub(crate) fn run(
    loaded: &Loaded,
    format: Format,
    rules: &RuleArgs,
    style: Style,
) -> Result<Output> {
    let rules = load_rules(rules)?;
    let spec = loaded.spec.clone();
    let deployment = loaded.deployment.clone();
    Output::stream(move |w| {
        let report = analyze_deployed(&spec, &rules, Kinds::builtin(), deployment.as_ref());
        match format {
            Format::Table => output::table::write(&report, style, w),
            Format::Json => output::json::write(&report, w),
            Format::Markdown => output::markdown::write(&report, w),
        }
    })
}
