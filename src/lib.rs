//! statewise: an architecture decision advisor. It weighs each component of
//! a system against the criteria of stateful and stateless design and
//! recommends **stateful**, **stateless** or **hybrid**, with reasons, a
//! confidence and concrete advice.
//!
//! The library is the whole tool; the binary is a thin shell around [`run`].
//!
//! ```
//! use statewise::{analyze, Kinds, RuleSet, Spec};
//!
//! let spec = Spec::from_yaml(
//!     "version: 1\nsystem: {name: Payments}\ncomponents:\n  - {name: api, kind: rest-api, traffic: unpredictable}\n",
//!     "statewise.yaml",
//! )?;
//! let rules = RuleSet::builtin();
//! let report = analyze(&spec, &rules, Kinds::builtin());
//! println!("{}", statewise::output::json::render(&report));
//! # Ok::<(), statewise::Error>(())
//! ```

pub mod adr;
pub mod check;
mod cli;
mod commands;
pub mod condition;
pub mod digest;
pub mod engine;
mod error;
pub mod explain;
pub mod facts;
pub mod field;
mod input;
pub mod kinds;
mod locate;
pub mod output;
pub mod questionnaire;
pub mod report;
pub mod rule;
pub mod rule_set;
mod schema;
pub mod spec;
pub mod spec_yaml;
mod suggest;
mod terminal;

pub use error::{Diagnostic, Error, Result};
pub use kinds::Kinds;
pub use report::{Report, analyze};
pub use rule::{Favors, Rule};
pub use rule_set::RuleSet;
pub use spec::{Component, Spec, Verdict};

/// Runs the command line and returns the process exit code: 0 success,
/// 1 `check` found a problem, 2 bad usage, invalid input or failed I/O.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    cli::run(args)
}
