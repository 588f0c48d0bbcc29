//! `statewise explain`: why one component got its verdict, as text or JSON.

use crate::adapters::{files, output};
use crate::cli::args::RuleArgs;
use crate::cli::inputs::{load_deployment, load_rules};
use crate::cli::outcome::Output;
use crate::core::error::{Error, Result};
use crate::core::explain::explain;
use crate::core::import::deploy;
use crate::core::report;
use crate::core::spec::kinds::Kinds;
use crate::core::spec::model::Spec;
use crate::core::text::nearest;

pub(crate) fn run(
    spec_arg: &str,
    component: &str,
    json: bool,
    rules: &RuleArgs,
    deploy: &[String],
) -> Result<Output> {
    let (name, bytes) = files::read_spec(spec_arg)?;
    let spec = Spec::from_bytes(&bytes, &name)?;
    let text = String::from_utf8_lossy(&bytes);
    let deployment = load_deployment(&name, &text, &spec, deploy)?;
    let rules = load_rules(rules)?;
    let found = spec
        .components
        .iter()
        .position(|c| c.name.as_str() == component)
        .or_else(|| {
            spec.components
                .iter()
                .position(|c| c.name.as_str().to_lowercase() == component.to_lowercase())
        });
    let Some(i) = found else {
        let names: Vec<&str> = spec.components.iter().map(|c| c.name.as_str()).collect();
        let hint = match nearest(component, &names) {
            Some(n) => format!(", did you mean `{n}`?"),
            None => format!("; the components are: {}", names.join(", ")),
        };
        return Err(Error::Usage(format!(
            "no component `{component}` in `{name}`{hint}"
        )));
    };
    let c = &spec.components[i];
    // The same graph facts `analyze` weighs, so both give the same verdict.
    let around = report::surroundings(&spec, &rules, Kinds::builtin(), deployment.as_ref());
    let e = explain(c, &around[i], &rules, Kinds::builtin());
    let evidence = deployment
        .as_ref()
        .map(|d| deploy::shown(c, d))
        .unwrap_or_default();
    Output::ok(if json {
        output::explain::json(&e, c, &evidence)
    } else {
        output::explain::text(&e, c, &name, &evidence)
    })
}
