//! `statewise import`: a commented spec from the files a team already
//! keeps — Compose files and Kubernetes manifests. Pure: the files come in
//! as text, the spec goes out as text; the CLI reads and writes.

mod compose;
mod infer;
mod kubernetes;
mod model;
mod render;
pub mod rules;
mod tree;

use crate::core::error::{Diagnostic, Error, Result};
use crate::core::spec::model::Spec;

pub use self::rules::ImportRules;

/// The kind of file, detected from its content or forced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A Compose file (`services:`).
    Compose,
    /// Kubernetes manifests (objects with `apiVersion` and `kind`).
    Kubernetes,
}

/// One file to import.
#[derive(Clone, Debug)]
pub struct Source {
    /// The file as the user named it; comments in the spec cite it.
    pub name: String,
    /// Its text.
    pub text: String,
    /// Found inside a folder: a file that is no deployment file is skipped
    /// with a note instead of failing the import.
    pub in_folder: bool,
}

/// How to import.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Read every file as this format instead of detecting it.
    pub format: Option<Format>,
    /// Make components of sidecars and one-shot jobs too.
    pub keep_helpers: bool,
    /// The system's name when the files give none (Compose `name:` wins).
    pub system_name: String,
}

/// The imported spec and what the user should know about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The commented spec, ready to write.
    pub text: String,
    /// Notes for standard error: helpers left out, files skipped.
    pub notes: Vec<String>,
}

/// Reads `sources` and writes the spec they describe.
pub fn import(sources: &[Source], rules: &ImportRules, options: &Options) -> Result<Imported> {
    let mut estate = model::Estate::default();
    let mut notes = Vec::new();
    let mut read_from = Vec::new();
    for source in sources {
        let docs = tree::parse(&source.name, &source.text)?;
        let docs: Vec<&tree::Node> = docs
            .iter()
            .map(|d| &d.root)
            .filter(|root| !root.is_null())
            .collect();
        let format = match options.format {
            Some(f) => Some(f),
            None => detect(&docs),
        };
        let Some(format) = format else {
            if source.in_folder {
                notes.push(format!(
                    "skipped `{}`: neither a Compose file nor Kubernetes manifests",
                    source.name
                ));
                continue;
            }
            return Err(Error::Spec(Box::new(
                Diagnostic::new(
                    &source.name,
                    "neither a Compose file (with `services:`) nor Kubernetes manifests (with `apiVersion` and `kind`)",
                )
                .at(&source.text, 1, 1)
                .with_help("pass `--format compose` or `--format kubernetes` to read it as one"),
            )));
        };
        let helm = kubernetes::HelmSources::scan(&source.text);
        for root in docs {
            match format {
                Format::Compose => compose::read(&source.name, &source.text, root, &mut estate)?,
                Format::Kubernetes => {
                    kubernetes::read(&source.name, &source.text, root, &helm, &mut estate)?;
                }
            }
        }
        read_from.push(source.name.as_str());
    }
    let inference = infer::infer(&estate, rules, options.keep_helpers);
    if inference.components.is_empty() {
        return Err(Error::Usage(format!(
            "found no services or workloads in {}; nothing to import",
            if read_from.is_empty() {
                "the files given".to_owned()
            } else {
                read_from
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        )));
    }
    for s in &inference.skipped {
        notes.push(format!(
            "not a component: `{}` ({}) at {}; `--keep-helpers` keeps it",
            s.name, s.reason, s.at
        ));
    }
    let name = estate
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| options.system_name.clone());
    let text = render::spec(&name, &read_from, &inference);
    // What is written must be a spec statewise reads.
    Spec::from_yaml(&text, "the imported spec").map_err(|e| {
        Error::Usage(format!(
            "the imported spec would not be valid ({e}); rename the workloads it names or import fewer files"
        ))
    })?;
    Ok(Imported { text, notes })
}

/// The format of a file's documents: Kubernetes when any is an object,
/// else Compose when one has `services:`.
fn detect(docs: &[&tree::Node]) -> Option<Format> {
    if docs.iter().any(|d| kubernetes::looks_like(d)) {
        Some(Format::Kubernetes)
    } else if docs.iter().any(|d| compose::looks_like(d)) {
        Some(Format::Compose)
    } else {
        None
    }
}
