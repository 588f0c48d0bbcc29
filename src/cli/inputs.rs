//! What every command reads first: the spec named on the command line, the
//! rules the flags ask for, and the current directory.

use std::path::PathBuf;

use crate::adapters::files;
use crate::cli::args::RuleArgs;
use crate::core::error::{Error, Result};
use crate::core::rules::rule_set::RuleSet;
use crate::core::spec::model::Spec;

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
    let (name, bytes) = files::read_spec(arg)?;
    Spec::from_bytes(&bytes, &name)
}

/// The current directory, for the record folder.
pub(crate) fn current_dir() -> Result<PathBuf> {
    std::env::current_dir().map_err(|e| Error::io("read", "the current directory", &e))
}
