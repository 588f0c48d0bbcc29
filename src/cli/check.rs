//! `statewise check`: the CI gate, reading the spec and the latest record
//! for its system, and printing the findings in the asked format.

use std::path::Path;

use crate::adapters::output;
use crate::adapters::{adr, files};
use crate::cli::args::{CheckFormat, RuleArgs};
use crate::cli::inputs::{load_rules, record_dir};
use crate::cli::outcome::Output;
use crate::core::check::{self, Severity};
use crate::core::digest;
use crate::core::error::Result;
use crate::core::log_health;
use crate::core::report::analyze;
use crate::core::spec::kinds::Kinds;
use crate::core::spec::model::Spec;

/// What `statewise check` was asked to do.
pub(crate) struct CheckRequest<'a> {
    pub spec: &'a str,
    pub dir: Option<&'a Path>,
    pub format: CheckFormat,
    pub fail_on: Severity,
    pub require_adr: bool,
    pub rules: &'a RuleArgs,
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

pub(crate) fn run(req: &CheckRequest) -> Result<Output> {
    let (name, bytes) = files::read_spec(req.spec)?;
    let spec = Spec::from_bytes(&bytes, &name)?;
    let text = String::from_utf8_lossy(&bytes);
    let rules = load_rules(req.rules)?;
    let report = analyze(&spec, &rules, Kinds::builtin());
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
    findings.extend(log_health(&dir)?);
    let code = check::exit_code(&findings, req.fail_on);
    let passed = code == 0;
    let text = match req.format {
        CheckFormat::Text => output::findings::text(&findings, passed),
        CheckFormat::Json => output::findings::json(&findings, &name, passed),
        CheckFormat::Github => output::findings::github(&findings),
        CheckFormat::Sarif => output::findings::sarif(&findings),
    };
    Ok(Output {
        text,
        stream: None,
        code,
    })
}
