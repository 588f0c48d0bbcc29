//! `statewise check`: the CI gate, reading the spec and the latest record
//! for its system, setting aside what the spec's waivers and a baseline
//! accept, and writing every report asked for.

use std::path::Path;

use crate::adapters::output::findings::Checked;
use crate::adapters::output::{self};
use crate::adapters::{adr, files};
use crate::cli::args::{CheckFormat, RuleArgs};
use crate::cli::inputs::{load_deployment, load_rules, record_dir};
use crate::cli::outcome::Output;
use crate::cli::targets::{self, Target};
use crate::core::check;
use crate::core::digest;
use crate::core::drift;
use crate::core::error::{Diagnostic, Error, Result};
use crate::core::gate::{self, Baseline, FailOn};
use crate::core::log_health;
use crate::core::report::analyze_deployed;
use crate::core::spec::kinds::Kinds;
use crate::core::spec::model::Spec;
use crate::core::spec::parse::MAX_INPUT_BYTES;

/// What `statewise check` was asked to do.
pub(crate) struct CheckRequest<'a> {
    pub spec: &'a str,
    pub dir: Option<&'a Path>,
    pub formats: &'a [Target<CheckFormat>],
    /// The report on standard output when `formats` names none.
    pub default_format: CheckFormat,
    pub fail_on: FailOn,
    pub require_adr: bool,
    pub baseline: Option<&'a Path>,
    pub create_baseline: Option<&'a Path>,
    pub use_waivers: bool,
    pub color: bool,
    pub rules: &'a RuleArgs,
    /// `--deploy`: deployment files instead of the spec's `system.deploy`.
    pub deploy: &'a [String],
}

/// The findings about the record folder as a whole (none when there is no
/// folder yet).
fn log_health(dir: &Path) -> Result<Vec<check::Finding>> {
    let log = match adr::log::load(dir) {
        Ok(log) => log,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(crate::core::error::Error::io(
                "read the record folder",
                &dir.display().to_string(),
                &e,
            ));
        }
    };
    Ok(log_health::findings(
        &adr::log::health(&log, dir),
        &dir.display().to_string(),
    ))
}

/// Reads and parses a baseline file.
fn read_baseline(path: &Path) -> Result<Baseline> {
    let shown = path.display().to_string();
    let bytes = files::read_limited(path).map_err(|e| Error::io("read", &shown, &e))?;
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Error::Baseline(Box::new(Diagnostic::new(
            &shown,
            format!(
                "file is larger than {} MiB, the most statewise reads",
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
        ))));
    }
    let text = String::from_utf8_lossy(&bytes);
    Baseline::parse(&text, &shown)
}

pub(crate) fn run(req: &CheckRequest) -> Result<Output> {
    let targets = targets::resolve(req.formats, req.default_format)?;
    let (name, bytes) = files::read_spec(req.spec)?;
    let spec = Spec::from_bytes(&bytes, &name)?;
    let text = String::from_utf8_lossy(&bytes);
    let rules = load_rules(req.rules)?;
    let baseline = req.baseline.map(read_baseline).transpose()?;
    let deployment = load_deployment(&name, &text, &spec, req.deploy)?;
    let report = analyze_deployed(&spec, &rules, Kinds::builtin(), deployment.as_ref());
    let dir = record_dir(req.dir)?.path;
    let record = adr::latest_record(&dir, spec.system.name.as_str())?;
    let digest = digest::spec(&spec);
    let mut findings = check::findings(&check::Inputs {
        report: &report,
        spec_file: &name,
        spec_text: &text,
        spec_digest: &digest,
        record: record.as_ref(),
        dir: &dir.display().to_string(),
        require_adr: req.require_adr,
    });
    if let Some(deployment) = &deployment {
        findings.extend(drift::findings(&drift::Inputs {
            report: &report,
            deployment,
            spec_file: &name,
            spec_text: &text,
        }));
    }
    findings.extend(log_health(&dir)?);
    let (outcome, baseline_file) = match req.create_baseline {
        Some(path) => {
            let first = gate::apply(findings.clone(), &spec, req.use_waivers, None, req.fail_on);
            let made = Baseline::of(&first.findings);
            // Like the reports: a missing folder is made.
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| {
                    Error::io("create the folder", &parent.display().to_string(), &e)
                })?;
            }
            files::replace_file(path, made.render().as_bytes())?;
            let outcome = gate::apply(findings, &spec, req.use_waivers, Some(&made), req.fail_on);
            (outcome, Some(path.display().to_string()))
        }
        None => (
            gate::apply(
                findings,
                &spec,
                req.use_waivers,
                baseline.as_ref(),
                req.fail_on,
            ),
            req.baseline.map(|p| p.display().to_string()),
        ),
    };
    let checked = Checked {
        outcome: &outcome,
        spec_file: &name,
        system: spec.system.name.as_str(),
        components: spec.components.iter().map(|c| c.name.as_str()).collect(),
        baseline_file: baseline_file.as_deref(),
        fail_on: req.fail_on,
    };
    targets::emit(&targets, outcome.code, |format, to_stdout| {
        let color = req.color && to_stdout;
        Ok(Output::from_text(match format {
            CheckFormat::Text => output::findings::text(&checked, color),
            CheckFormat::Json => output::findings::json(&checked),
            CheckFormat::Github => output::findings::github(&checked),
            CheckFormat::Sarif => output::findings::sarif(&checked),
            CheckFormat::Junit => output::junit::render(&checked),
            CheckFormat::Gitlab => output::gitlab::render(&checked),
            CheckFormat::Markdown => output::check_markdown::render(&checked),
        }))
    })
}
