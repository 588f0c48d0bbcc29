//! Reading deployment files into the estate: each file's documents, in the
//! format its content shows (or the one forced), through the reader of
//! that format.

use crate::core::error::{Diagnostic, Error, Result};
use crate::core::import::{backstage, compose, kubernetes, model, tree};

/// The kind of file, detected from its content or forced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A Compose file (`services:`).
    Compose,
    /// Kubernetes manifests (objects with `apiVersion` and `kind`).
    Kubernetes,
    /// Backstage catalog files (`apiVersion: backstage.io/...`).
    Backstage,
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

/// What the files hold, before anything is inferred.
pub(crate) struct Read {
    pub(crate) estate: model::Estate,
    /// Notes for standard error: files skipped.
    pub(crate) notes: Vec<String>,
    /// The files read, as named.
    pub(crate) files: Vec<String>,
    /// The format each file was read as.
    pub(crate) formats: Vec<(String, Format)>,
}

/// Reads `sources`, each as `format` or as its content says.
pub(crate) fn read_estate(sources: &[Source], format: Option<Format>) -> Result<Read> {
    let mut read = Read {
        estate: model::Estate::default(),
        notes: Vec::new(),
        files: Vec::new(),
        formats: Vec::new(),
    };
    for source in sources {
        let docs = tree::parse(&source.name, &source.text)?;
        let docs: Vec<&tree::Node> = docs
            .iter()
            .map(|d| &d.root)
            .filter(|root| !root.is_null())
            .collect();
        let Some(format) = format.or_else(|| detect(&docs)) else {
            if source.in_folder {
                read.notes.push(format!(
                    "skipped `{}`: neither a Compose file, Kubernetes manifests nor a Backstage catalog file",
                    source.name
                ));
                continue;
            }
            return Err(Error::Spec(Box::new(
                Diagnostic::new(
                    &source.name,
                    "neither a Compose file (with `services:`), Kubernetes manifests (with `apiVersion` and `kind`) nor a Backstage catalog file",
                )
                .at(&source.text, 1, 1)
                .with_help("pass `--format compose`, `kubernetes` or `backstage` to read it as one"),
            )));
        };
        let helm = kubernetes::HelmSources::scan(&source.text);
        let estate = &mut read.estate;
        for root in docs {
            match format {
                Format::Compose => compose::read(&source.name, &source.text, root, estate)?,
                Format::Kubernetes => {
                    kubernetes::read(&source.name, &source.text, root, &helm, estate)?;
                }
                Format::Backstage => {
                    backstage::read(&source.name, &source.text, root, estate)?;
                }
            }
        }
        read.files.push(source.name.clone());
        read.formats.push((source.name.clone(), format));
    }
    Ok(read)
}

/// The format of a file's documents: Backstage when any is a catalog
/// entity, else Kubernetes when any is an object, else Compose when one has
/// `services:`.
fn detect(docs: &[&tree::Node]) -> Option<Format> {
    if docs.iter().any(|d| backstage::looks_like(d)) {
        Some(Format::Backstage)
    } else if docs.iter().any(|d| kubernetes::looks_like(d)) {
        Some(Format::Kubernetes)
    } else if docs.iter().any(|d| compose::looks_like(d)) {
        Some(Format::Compose)
    } else {
        None
    }
}
