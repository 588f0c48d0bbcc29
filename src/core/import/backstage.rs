//! Backstage catalog files (`catalog-info.yaml`): a Component or Resource
//! is a component of the system, `dependsOn` and `consumesApis` are its
//! dependencies, and a System names the system.

use crate::core::error::{Diagnostic, Error, Result};
use crate::core::import::model::{Entity, Estate, Helper, Located, Origin, Workload};
use crate::core::import::tree::Node;

/// True when `root` is a Backstage entity.
pub(crate) fn looks_like(root: &Node) -> bool {
    root.get("apiVersion")
        .and_then(Node::as_str)
        .is_some_and(|v| v.starts_with("backstage.io/"))
}

/// The name an entity reference points at: `[kind:][namespace/]name`.
pub(crate) fn ref_name(reference: &str) -> (Option<String>, String) {
    let (kind, rest) = match reference.split_once(':') {
        Some((k, r)) => (Some(k.to_lowercase()), r),
        None => (None, reference),
    };
    let name = rest.rsplit('/').next().unwrap_or(rest);
    (kind, name.to_owned())
}

/// Reads one entity into `estate`.
pub(crate) fn read(file: &str, text: &str, root: &Node, estate: &mut Estate) -> Result<()> {
    let fail = |n: &Node, message: &str, help: &str| {
        Error::Spec(Box::new(
            Diagnostic::new(file, message)
                .at(text, n.line, n.column)
                .with_help(help),
        ))
    };
    if !root.is_map() {
        return Err(fail(
            root,
            "a Backstage catalog file holds entities (mappings with `apiVersion` and `kind`)",
            "remove the stray value",
        ));
    }
    let Some(kind) = root.get("kind").and_then(Node::as_str) else {
        return Err(fail(
            root,
            "this Backstage entity has no `kind`",
            "add `kind: Component` (or Resource, System, API) beside `apiVersion`",
        ));
    };
    let at = |n: &Node| Origin {
        file: file.to_owned(),
        line: n.line,
    };
    let name_node = root.at(&["metadata", "name"]);
    let Some(name) = name_node.and_then(Node::as_str) else {
        return Err(fail(
            root.get("metadata").unwrap_or(root),
            &format!("this {kind} has no `metadata.name`"),
            "give the entity a name under `metadata:`",
        ));
    };
    let spec = root.get("spec");
    match kind {
        "System" if estate.name.is_none() => {
            estate.name = Some(
                root.at(&["metadata", "title"])
                    .and_then(Node::as_str)
                    .unwrap_or(name)
                    .to_owned(),
            );
        }
        "Component" | "Resource" => {
            let type_node = spec.and_then(|s| s.get("type"));
            let entity_type = type_node.and_then(Node::as_str).unwrap_or("").to_owned();
            let mut w = Workload::new(name.to_owned(), None, at(name_node.unwrap_or(root)));
            w.entity = Some(Entity {
                kind: kind.to_owned(),
                entity_type: entity_type.clone(),
                type_at: type_node.map(at),
                description: root
                    .at(&["metadata", "description"])
                    .and_then(Node::as_str)
                    .map(str::to_owned),
            });
            let list = |key: &str| -> Vec<Located<String>> {
                spec.and_then(|s| s.get(key))
                    .map(Node::items)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|n| {
                        n.as_str().map(|v| Located {
                            value: v.to_owned(),
                            at: at(n),
                        })
                    })
                    .collect()
            };
            w.needs = list("dependsOn");
            w.consumes = list("consumesApis");
            w.provides = list("providesApis")
                .into_iter()
                .map(|l| ref_name(&l.value).1)
                .collect();
            if kind == "Component" && matches!(entity_type.as_str(), "library" | "documentation") {
                w.helper = Some(Helper::OneShot {
                    reason: format!("a {entity_type}, which does not run on its own"),
                });
            }
            estate.workloads.push(w);
        }
        _ => {} // APIs, Groups, Users, Domains, Locations: nothing runs
    }
    Ok(())
}
