//! Compose files: one workload per service, with its image, the services it
//! waits on or links to, its volumes, published ports and replicas.

use crate::core::error::{Diagnostic, Error, Result};
use crate::core::import::model::{Estate, Helper, Located, Origin, Storage, Workload};
use crate::core::import::tree::{Node, Value};
use crate::core::text::nearest;

/// The top-level keys of the Compose specification; `x-` keys are extensions.
const TOP_LEVEL: [&str; 9] = [
    "version", "name", "services", "networks", "volumes", "configs", "secrets", "include", "models",
];

/// True when `root` looks like a Compose file.
pub(crate) fn looks_like(root: &Node) -> bool {
    root.get("services").is_some_and(Node::is_map)
}

/// Reads one Compose document into `estate`.
pub(crate) fn read(file: &str, text: &str, root: &Node, estate: &mut Estate) -> Result<()> {
    let at = |n: &Node| Origin {
        file: file.to_owned(),
        line: n.line,
    };
    let fail = |n: &Node, message: String, help: Option<String>| {
        let mut d = Diagnostic::new(file, message).at(text, n.line, n.column);
        d.help = help;
        Error::Spec(Box::new(d))
    };
    if !root.is_map() {
        return Err(fail(
            root,
            "a Compose file is a mapping with `services`".into(),
            None,
        ));
    }
    for (key, _) in root.entries() {
        let Some(k) = key.as_str() else { continue };
        if k.starts_with("x-") || TOP_LEVEL.contains(&k) {
            continue;
        }
        let message = match nearest(k, &TOP_LEVEL) {
            Some(near) => {
                format!("unknown top-level key `{k}` in a Compose file, did you mean `{near}`?")
            }
            None => format!("unknown top-level key `{k}` in a Compose file"),
        };
        return Err(fail(
            key,
            message,
            Some(format!(
                "allowed keys: {}, and extensions starting with `x-`",
                TOP_LEVEL.join(", ")
            )),
        ));
    }
    if estate.name.is_none() {
        estate.name = root.get("name").and_then(Node::as_str).map(str::to_owned);
    }
    let Some(services) = root.get("services") else {
        return Ok(());
    };
    let named_volumes: Vec<&str> = root
        .get("volumes")
        .map(|v| v.entries().iter().filter_map(|(k, _)| k.as_str()).collect())
        .unwrap_or_default();
    let mut completed: Vec<(String, String)> = Vec::new();
    for (key, service) in services.entries() {
        let Some(name) = key.as_str() else { continue };
        if !service.is_map() && !service.is_null() {
            return Err(fail(
                service,
                format!("service `{name}` is not a mapping"),
                None,
            ));
        }
        let mut w = Workload::new(name.to_owned(), None, at(key));
        if let Some(image) = service
            .get("image")
            .and_then(|n| n.as_str().map(|s| (n, s)))
        {
            w.image = Some(Located {
                value: image.1.to_owned(),
                at: at(image.0),
            });
        }
        if let Some(deps) = service.get("depends_on") {
            match &deps.value {
                Value::Seq(items) => {
                    for item in items {
                        if let Some(dep) = item.as_str() {
                            w.needs.push(Located {
                                value: dep.to_owned(),
                                at: at(item),
                            });
                        }
                    }
                }
                Value::Map(entries) => {
                    for (dep_key, options) in entries {
                        let Some(dep) = dep_key.as_str() else {
                            continue;
                        };
                        w.needs.push(Located {
                            value: dep.to_owned(),
                            at: at(dep_key),
                        });
                        let condition = options.get("condition").and_then(Node::as_str);
                        if condition == Some("service_completed_successfully") {
                            completed.push((dep.to_owned(), name.to_owned()));
                        }
                    }
                }
                Value::Scalar { .. } => {}
            }
        }
        for link in service.get("links").map(Node::items).unwrap_or_default() {
            if let Some(text) = link.as_str() {
                let target = text.split(':').next().unwrap_or(text);
                w.needs.push(Located {
                    value: target.to_owned(),
                    at: at(link),
                });
            }
        }
        for volume in service.get("volumes").map(Node::items).unwrap_or_default() {
            if let Some(storage) = volume_storage(volume, &named_volumes) {
                w.storage.push(Located {
                    value: storage,
                    at: at(volume),
                });
            }
        }
        for port in service.get("ports").map(Node::items).unwrap_or_default() {
            let text = match port.as_str() {
                Some(s) => Some(s.to_owned()),
                None => port.get("published").and_then(Node::as_str).map(|p| {
                    let target = port.get("target").and_then(Node::as_str).unwrap_or("");
                    format!("{p}:{target}")
                }),
            };
            if let Some(text) = text {
                w.published.push(Located {
                    value: text,
                    at: at(port),
                });
            }
        }
        let replicas = service
            .at(&["deploy", "replicas"])
            .or_else(|| service.get("scale"));
        if let Some(n) = replicas
            && let Some(count) = n.as_u64()
        {
            w.replicas = Some(Located {
                value: count,
                at: at(n),
            });
        }
        if let Some(mode) = service.get("network_mode").and_then(Node::as_str)
            && let Some(of) = mode.strip_prefix("service:")
        {
            w.helper = Some(Helper::Sidecar { of: of.to_owned() });
        }
        w.sticky = sticky_label(service.get("labels"), file);
        // A service a file read before also defines (`compose.yaml` and its
        // `compose.override.yaml`): one service, as Compose merges them,
        // with the later file's values winning.
        match estate
            .workloads
            .iter_mut()
            .find(|o| o.name == w.name && o.shape.is_none() && o.entity.is_none())
        {
            Some(earlier) => override_with(earlier, w),
            None => estate.workloads.push(w),
        }
    }
    for (name, waiter) in completed {
        if let Some(w) = estate
            .workloads
            .iter_mut()
            .find(|w| w.name == name && w.shape.is_none() && w.helper.is_none())
        {
            w.helper = Some(Helper::OneShot {
                reason: format!("a one-shot job `{waiter}` waits on to complete"),
            });
        }
    }
    Ok(())
}

/// Folds a later file's definition of a service into the earlier one:
/// single values replace, lists add up.
fn override_with(earlier: &mut Workload, later: Workload) {
    earlier.image = later.image.or(earlier.image.take());
    earlier.replicas = later.replicas.or(earlier.replicas.take());
    earlier.sticky = later.sticky.or(earlier.sticky.take());
    earlier.helper = later.helper.or(earlier.helper.take());
    for need in later.needs {
        if !earlier.needs.iter().any(|n| n.value == need.value) {
            earlier.needs.push(need);
        }
    }
    earlier.storage.extend(later.storage);
    earlier.published.extend(later.published);
    earlier.mentions.extend(later.mentions);
}

/// What a service's volume entry keeps, if it is storage: a named volume,
/// or a writable bind mount. Read-only mounts and tmpfs hold no state.
fn volume_storage(volume: &Node, named: &[&str]) -> Option<Storage> {
    let (kind, source, read_only) = match volume.as_str() {
        Some(short) => {
            let parts: Vec<&str> = short.split(':').collect();
            if parts.len() < 2 {
                return None; // an anonymous volume lives and dies with the container
            }
            let ro = parts
                .get(2)
                .is_some_and(|m| m.split(',').any(|o| o == "ro"));
            let source = parts[0];
            let kind = if is_path(source) { "bind" } else { "volume" };
            (kind.to_owned(), source.to_owned(), ro)
        }
        None => {
            let kind = volume
                .get("type")
                .and_then(Node::as_str)
                .unwrap_or("volume");
            let source = volume.get("source").and_then(Node::as_str)?;
            let ro = volume.get("read_only").and_then(Node::as_str) == Some("true");
            (kind.to_owned(), source.to_owned(), ro)
        }
    };
    if read_only {
        return None;
    }
    match kind.as_str() {
        "volume" if named.contains(&source.as_str()) || !is_path(&source) => {
            Some(Storage::Persistent(format!("volume `{source}`")))
        }
        "bind" => Some(Storage::Bind(format!("bind mount `{source}`"))),
        "tmpfs" => Some(Storage::Scratch(format!("tmpfs `{source}`"))),
        _ => None,
    }
}

fn is_path(source: &str) -> bool {
    source.starts_with(['.', '/', '~', '$'])
}

/// A Traefik sticky-cookie label (`traefik.http.services.NAME.loadbalancer.sticky.cookie`).
fn sticky_label(labels: Option<&Node>, file: &str) -> Option<Located<String>> {
    let labels = labels?;
    let mut pairs: Vec<(String, String, usize)> = Vec::new();
    match &labels.value {
        Value::Map(entries) => {
            for (k, v) in entries {
                if let Some(key) = k.as_str() {
                    pairs.push((key.to_owned(), v.as_str().unwrap_or("").to_owned(), k.line));
                }
            }
        }
        Value::Seq(items) => {
            for item in items {
                if let Some((k, v)) = item.as_str().and_then(|s| s.split_once('=')) {
                    pairs.push((k.to_owned(), v.to_owned(), item.line));
                }
            }
        }
        Value::Scalar { .. } => {}
    }
    pairs
        .into_iter()
        .find(|(k, v, _)| {
            k.starts_with("traefik.")
                && (k.ends_with(".sticky.cookie") || k.ends_with(".sticky.cookie.name"))
                && v != "false"
        })
        .map(|(k, _, line)| Located {
            value: format!("Traefik label `{k}`"),
            at: Origin {
                file: file.to_owned(),
                line,
            },
        })
}
