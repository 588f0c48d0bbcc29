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
