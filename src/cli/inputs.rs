//! What every command reads first: the spec named on the command line, the
//! rules the flags ask for, and the current directory.

use std::path::{Path, PathBuf};

use crate::adapters::adr::discover::{self, RecordDir};
use crate::adapters::files;
use crate::cli::args::RuleArgs;
use crate::cli::terminal::note;
use crate::core::error::{Error, Result};
use crate::core::rules::rule_set::RuleSet;
use crate::core::spec::model::Spec;

/// The rules the flags ask for.
pub(crate) fn load_rules(args: &RuleArgs) -> Result<RuleSet> {
    let args = &crate::cli::config::Settings::load()?.rules(args).value;
    if args.no_default_rules && args.rules.is_empty() {
        return Err(Error::Usage(
            "`--no-default-rules` leaves no rules at all; add `--rules PATH`".into(),
        ));
    }
    RuleSet::load(&args.rules, !args.no_default_rules)
}

/// The spec named on the command line.
pub(crate) fn load_spec(arg: &str) -> Result<Spec> {
    let (name, bytes) = files::read_spec(arg)?;
    Spec::from_bytes(&bytes, &name)
}

/// What the deployment files of `spec` say: those `--deploy` names, else
/// its `system.deploy`; `None` when neither names any. Notes about skipped
/// files go to standard error.
pub(crate) fn load_deployment(
    spec_file: &str,
    spec_text: &str,
    spec: &Spec,
    flag: &[String],
) -> Result<Option<crate::core::import::Deployment>> {
    if flag.is_empty() && spec.system.deploy.is_empty() {
        return Ok(None);
    }
    let sources =
        crate::adapters::deploy_files::for_spec(spec_file, spec_text, &spec.system.deploy, flag)?;
    let deployment =
        crate::core::import::deployment(&sources, &crate::core::import::ImportRules::builtin()?)?;
    let mut notes = String::new();
    for n in &deployment.notes {
        notes.push_str(&format!("note: {n}\n"));
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        crate::core::escape::lines(&notes).as_bytes(),
    );
    Ok(Some(deployment))
}

/// The current directory, for the record folder.
pub(crate) fn current_dir() -> Result<PathBuf> {
    std::env::current_dir().map_err(|e| Error::io("read", "the current directory", &e))
}

/// The record folder: `--dir`, else `STATEWISE_ADR_DIR`, else what
/// [`discover::find`] finds from the current directory. Says which and why
/// under `--verbose`.
pub(crate) fn record_dir(flag: Option<&Path>) -> Result<RecordDir> {
    let named = crate::cli::config::Settings::load()?.named_dir(flag);
    let found = discover::find(&named, &current_dir()?)?;
    note(&format!(
        "record folder `{}`: {}",
        found.path.display(),
        found.reason
    ));
    Ok(found)
}
