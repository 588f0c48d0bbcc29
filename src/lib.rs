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

mod adapters;
mod cli;
mod core;

pub use crate::adapters::{adr, output};
pub use crate::cli::questionnaire;
pub use crate::core::rules::{condition, rule, rule_set};
pub use crate::core::spec::yaml as spec_yaml;
pub use crate::core::spec::{field, kinds};
pub use crate::core::{check, digest, engine, explain, facts, gate, graph, import, report};

pub use crate::core::error::{Diagnostic, Error, Result};
pub use crate::core::report::{Report, analyze};
pub use crate::core::rules::rule::{Favors, Rule};
pub use crate::core::rules::rule_set::RuleSet;
pub use crate::core::spec::kinds::Kinds;
pub use crate::core::spec::model::{Component, Spec};
pub use crate::core::spec::values::Verdict;

/// The input model: the spec, its components and their checked values.
pub mod spec {
    pub use crate::core::spec::model::*;
    pub use crate::core::spec::values::*;
}

/// Runs the command line and returns the process exit code: 0 success,
/// 1 `check` found a problem, 2 bad usage, invalid input or failed I/O.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    cli::run(args)
}
