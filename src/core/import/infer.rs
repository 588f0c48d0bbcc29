//! From what the files say to components: which workloads become
//! components, their kind (from the table), whom they depend on, and the
//! criteria the files state (affinity, where state lives). Each value keeps
//! the place it came from; nothing the files do not say is filled in.

use std::collections::{BTreeSet, HashMap};

use crate::core::import::model::{Estate, Helper, Located, Origin, Storage, Workload};
use crate::core::import::rules::{ImportRules, Matched, Subject};
use crate::core::spec::values::{Affinity, Kind, StateLocation};

/// A value inferred for a component, why, and from where.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Inferred<T> {
    pub(crate) value: T,
    pub(crate) why: String,
    pub(crate) at: Origin,
}

/// One component of the imported spec.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Component {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) at: Origin,
    pub(crate) kind: Option<Inferred<Kind>>,
    pub(crate) depends_on: Vec<Inferred<String>>,
    pub(crate) affinity: Option<Inferred<Affinity>>,
    pub(crate) state_location: Option<Inferred<StateLocation>>,
    /// What the deployment says that the spec has no field for yet
    /// (replicas, autoscaling, published ports), one line each.
    pub(crate) deployment: Vec<String>,
    /// Its workload: an index into the estate's workloads.
    pub(crate) workload: usize,
}

/// A workload that was not made a component, and why.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Skipped {
    pub(crate) name: String,
    pub(crate) reason: String,
    pub(crate) at: Origin,
}

/// The components, and the helpers left out.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Inference {
    pub(crate) components: Vec<Component>,
    pub(crate) skipped: Vec<Skipped>,
}

fn namespace(ns: &str) -> &str {
    if ns.is_empty() { "default" } else { ns }
}

fn same_namespace(a: &str, b: &str) -> bool {
    namespace(a) == namespace(b)
}

/// Which workloads each Service selects, and Services by name: built once,
/// so a large estate is read in time linear in its size.
struct Index {
    /// Per Service (as in `estate.services`), the workloads it selects.
    selected: Vec<Vec<usize>>,
    /// Per workload, the Services that select it.
    selectors: Vec<Vec<usize>>,
    /// (namespace, name) → Services.
    by_name: HashMap<(String, String), Vec<usize>>,
}

impl Index {
    fn new(estate: &Estate) -> Index {
        // Workloads by one label: (namespace, key, value) → workloads.
        let mut by_label: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
        for (i, w) in estate.workloads.iter().enumerate() {
            if w.shape.is_none() || matches!(w.helper, Some(Helper::Sidecar { .. })) {
                continue;
            }
            for (k, v) in &w.labels {
                by_label
                    .entry((namespace(&w.namespace), k, v))
                    .or_default()
                    .push(i);
            }
        }
        let mut selectors = vec![Vec::new(); estate.workloads.len()];
        let mut by_name: HashMap<(String, String), Vec<usize>> = HashMap::new();
        let selected = estate
            .services
            .iter()
            .enumerate()
            .map(|(si, s)| {
                by_name
                    .entry((namespace(&s.namespace).to_owned(), s.name.clone()))
                    .or_default()
                    .push(si);
                let Some((k, v)) = s.selector.iter().next() else {
                    return Vec::new();
                };
                let picked: Vec<usize> = by_label
                    .get(&(namespace(&s.namespace), k.as_str(), v.as_str()))
                    .map(|candidates| {
                        candidates
                            .iter()
                            .copied()
                            .filter(|&w| {
                                let labels = &estate.workloads[w].labels;
                                s.selector.iter().all(|(k, v)| labels.get(k) == Some(v))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                for &w in &picked {
                    selectors[w].push(si);
                }
                picked
            })
            .collect();
        Index {
            selected,
            selectors,
            by_name,
        }
    }

    /// The Services named `name` in namespace `ns`.
    fn named(&self, ns: &str, name: &str) -> &[usize] {
        self.by_name
            .get(&(namespace(ns).to_owned(), name.to_owned()))
            .map_or(&[], Vec::as_slice)
    }
}

/// Host names in a text that sit where an address does: after `://` or
/// `@`, or before `:PORT`.
pub(crate) fn hosts_in(text: &str) -> Vec<&str> {
    let is_host = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_';
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if is_host(c) && i < text.len() {
            continue;
        }
        if start < i {
            let token = text[start..i].trim_matches('.');
            let before = &text[..start];
            let after = &text[i..];
            let url = before.ends_with("://") || before.ends_with('@');
            let port = after
                .strip_prefix(':')
                .is_some_and(|rest| rest.starts_with(|d: char| d.is_ascii_digit()));
            let starts_ok = before.is_empty()
                || before.ends_with([',', '=', ' ', ';', '"', '\'', '(', '/', '@']);
            // `user:password@host`: the user is no host.
            let userinfo = after.split('/').next().is_some_and(|a| a.contains('@'));
            if !token.is_empty()
                && !userinfo
                && token.starts_with(|c: char| c.is_ascii_alphabetic())
                && (url || (port && starts_ok))
            {
                out.push(token);
            }
        }
        start = i + c.len_utf8();
    }
    out
}

/// The Service a host name names, as (name, namespace): `svc`, `svc.ns`,
/// `svc.ns.svc[.cluster.local]`, or a StatefulSet pod's `pod.svc[.ns...]`.
fn services_named<'a>(host: &'a str, own_namespace: &'a str) -> Vec<(&'a str, &'a str)> {
    let labels: Vec<&str> = host.split('.').collect();
    let ns_at = |i: usize| match labels.get(i) {
        Some(&"svc") | None => own_namespace,
        Some(ns) => ns,
    };
    let mut out = Vec::new();
    if labels.len() <= 2 || labels[2] == "svc" {
        out.push((labels[0], ns_at(1)));
    }
    let pod = labels[0]
        .rsplit_once('-')
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if pod && labels.len() >= 2 && (labels.len() <= 3 || labels[3] == "svc") {
        out.push((labels[1], ns_at(2)));
    }
    out
}

/// Infers the components of `estate` with `rules`. With `keep_helpers`,
/// sidecars and one-shot jobs are components too.
pub(crate) fn infer(estate: &Estate, rules: &ImportRules, keep_helpers: bool) -> Inference {
    let mut out = Inference::default();
    // Index of each workload's component in `out.components`, if it has one.
    let mut component_of: Vec<Option<usize>> = vec![None; estate.workloads.len()];
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let index = Index::new(estate);
    for (i, w) in estate.workloads.iter().enumerate() {
        let subject = subject(w, estate, &index.selectors[i]);
        let helper = w.helper.clone().or_else(|| {
            rules
                .helper(subject.as_ref())
                .map(|reason| Helper::OneShot {
                    reason: reason.to_owned(),
                })
        });
        if let Some(h) = &helper
            && !keep_helpers
        {
            out.skipped.push(Skipped {
                name: w.name.clone(),
                reason: match h {
                    Helper::Sidecar { of } => format!("a sidecar of `{of}`"),
                    Helper::OneShot { reason } => reason.clone(),
                },
                at: w.at.clone(),
            });
            continue;
        }
        let name = unique_name(w, &mut taken);
        let kind = rules.kind(subject.as_ref());
        let mut c = Component {
            description: describe(w),
            at: w.at.clone(),
            kind: kind.as_ref().map(|(rule, matched)| Inferred {
                value: rule.kind,
                why: match matched {
                    Matched::Workload(shape) => format!("a {}", shape.as_str()),
                    Matched::Image(image) => format!("image `{image}`"),
                    Matched::Port(port) => format!("port named `{port}`"),
                    Matched::Type(t) => format!("Backstage type `{t}`"),
                },
                at: match matched {
                    Matched::Image(_) => w.image.as_ref().map_or(w.at.clone(), |i| i.at.clone()),
                    Matched::Type(_) => w
                        .entity
                        .as_ref()
                        .and_then(|e| e.type_at.clone())
                        .unwrap_or_else(|| w.at.clone()),
                    _ => w.at.clone(),
                },
            }),
            state_location: state_location(w, kind.is_some_and(|(r, _)| r.keeps_state)),
            depends_on: Vec::new(),
            affinity: None,
            deployment: deployment(w, estate),
            workload: i,
            name,
        };
        if let Some(sticky) = &w.sticky {
            c.affinity = Some(per_client(sticky));
        }
        component_of[i] = Some(out.components.len());
        out.components.push(c);
    }
    // Stickiness stated on Services and Ingresses in front of a workload.
    for (si, service) in estate.services.iter().enumerate() {
        for &w in &index.selected[si] {
            if let (Some(c), Some(sticky)) = (component_of[w], &service.sticky) {
                out.components[c]
                    .affinity
                    .get_or_insert_with(|| per_client(sticky));
            }
        }
    }
    for ingress in &estate.ingresses {
        for backend in &ingress.backends {
            for &si in index.named(&ingress.namespace, backend) {
                for &w in &index.selected[si] {
                    let Some(c) = component_of[w] else { continue };
                    let affinity = &mut out.components[c].affinity;
                    if let Some(sticky) = &ingress.sticky {
                        affinity.get_or_insert_with(|| per_client(sticky));
                    } else if let Some((hash, client)) = &ingress.hash_by {
                        affinity.get_or_insert_with(|| Inferred {
                            value: if *client {
                                Affinity::PerClient
                            } else {
                                Affinity::PerKey
                            },
                            why: format!("consistent hashing on `{}`", hash.value),
                            at: hash.at.clone(),
                        });
                    }
                }
            }
        }
    }
    // Dependencies: Compose names, and Kubernetes texts naming a Service.
    for (i, w) in estate.workloads.iter().enumerate() {
        let Some(c) = component_of[i] else { continue };
        let mut deps: Vec<Inferred<String>> = Vec::new();
        let mut add = |target: usize, why: String, at: &Origin| {
            if let Some(t) = component_of[target].filter(|t| *t != c) {
                let name = out.components[t].name.clone();
                if !deps.iter().any(|d| d.value == name) {
                    deps.push(Inferred {
                        value: name,
                        why,
                        at: at.clone(),
                    });
                }
            }
        };
        for need in &w.needs {
            let target = if w.entity.is_some() {
                let (kind, name) = crate::core::import::backstage::ref_name(&need.value);
                estate.workloads.iter().position(|o| {
                    o.entity.as_ref().is_some_and(|e| {
                        o.name == name && kind.as_ref().is_none_or(|k| *k == e.kind.to_lowercase())
                    })
                })
            } else {
                estate
                    .workloads
                    .iter()
                    .position(|o| o.shape.is_none() && o.entity.is_none() && o.name == need.value)
            };
            if let Some(t) = target {
                add(t, String::new(), &need.at);
            }
        }
        for api in &w.consumes {
            let (_, name) = crate::core::import::backstage::ref_name(&api.value);
            for (t, _) in estate
                .workloads
                .iter()
                .enumerate()
                .filter(|(_, o)| o.provides.contains(&name))
            {
                add(t, format!("consumes API `{name}`"), &api.at);
            }
        }
        let from_config_maps = w.config_refs.iter().flat_map(|(map, key)| {
            estate
                .config_maps
                .iter()
                .filter(move |m| &m.name == map && same_namespace(&m.namespace, &w.namespace))
                .flat_map(|m| m.data.iter())
                .filter(move |(k, _)| key.as_ref().is_none_or(|want| want == k))
                .map(|(_, v)| v)
        });
        for mention in w.mentions.iter().chain(from_config_maps) {
            for host in hosts_in(&mention.value) {
                for (svc, ns) in services_named(host, &w.namespace) {
                    for &si in index.named(ns, svc) {
                        for &t in &index.selected[si] {
                            add(t, format!("`{host}`"), &mention.at);
                        }
                    }
                }
            }
        }
        out.components[c].depends_on = deps;
    }
    out
}

/// What the table sees of a workload: its Services' port names count as its own.
struct OwnedSubject {
    name: String,
    shape: Option<crate::core::import::rules::Shape>,
    image: Option<String>,
    ports: Vec<String>,
    entity_type: Option<String>,
}

impl OwnedSubject {
    fn as_ref(&self) -> Subject<'_> {
        Subject {
            name: &self.name,
            shape: self.shape,
            image: self.image.as_deref(),
            ports: &self.ports,
            entity_type: self.entity_type.as_deref(),
        }
    }
}

fn subject(w: &Workload, estate: &Estate, selectors: &[usize]) -> OwnedSubject {
    let mut ports = w.ports.clone();
    for &s in selectors {
        ports.extend(estate.services[s].ports.iter().cloned());
    }
    OwnedSubject {
        name: w.name.clone(),
        shape: w.shape,
        image: w.image.as_ref().map(|i| i.value.clone()),
        ports,
        entity_type: w.entity.as_ref().map(|e| e.entity_type.clone()),
    }
}

fn per_client(sticky: &Located<String>) -> Inferred<Affinity> {
    Inferred {
        value: Affinity::PerClient,
        why: sticky.value.clone(),
        at: sticky.at.clone(),
    }
}

/// Where the files say the workload keeps its data: on a persistent disk,
/// or, for an image that keeps state, in memory when it mounts none.
fn state_location(w: &Workload, keeps_state: bool) -> Option<Inferred<StateLocation>> {
    let disk = w.storage.iter().find(|s| match &s.value {
        Storage::Persistent(_) => true,
        Storage::Bind(_) => keeps_state,
        Storage::Scratch(_) => false,
    });
    if let Some(disk) = disk {
        let (Storage::Persistent(what) | Storage::Bind(what) | Storage::Scratch(what)) =
            &disk.value;
        return Some(Inferred {
            value: StateLocation::LocalDisk,
            why: what.clone(),
            at: disk.at.clone(),
        });
    }
    if keeps_state {
        let image = w.image.as_ref()?;
        return Some(Inferred {
            value: StateLocation::Memory,
            why: format!(
                "image `{}` with no persistent volume",
                crate::core::import::rules::image_name(&image.value)
            ),
            at: image.at.clone(),
        });
    }
    None
}

/// A name for the workload's component that no other component has:
/// Kubernetes namespaces tell apart workloads of one name.
fn unique_name(w: &Workload, taken: &mut BTreeSet<String>) -> String {
    let clean: String = w
        .name
        .chars()
        .filter(|c| !c.is_control())
        .take(64)
        .collect();
    let base = if clean.trim().is_empty() {
        "workload".to_owned()
    } else {
        clean
    };
    // Made one at a time: most names are free at the first try, and a
    // thousand numbered names formatted up front per workload were half
    // the time of a large import.
    let candidates = std::iter::once(base.clone())
        .chain((!w.namespace.is_empty()).then(|| format!("{base}.{}", w.namespace)))
        .chain((2..).take(1000).map(|n| format!("{base}-{n}")));
    for candidate in candidates {
        let candidate: String = candidate.chars().take(64).collect();
        if taken.insert(candidate.to_lowercase()) {
            return candidate;
        }
    }
    base
}

fn describe(w: &Workload) -> String {
    if let Some(e) = &w.entity {
        let what = if e.entity_type.is_empty() {
            format!("Backstage {}", e.kind)
        } else {
            format!("Backstage {}, type {}", e.kind, e.entity_type)
        };
        return match &e.description {
            Some(d) => format!("{} ({what})", d.trim()),
            None => what,
        };
    }
    let what = w.shape.map_or("Compose service", |s| s.as_str());
    let what = match &w.template {
        Some(t) => format!("{what} from Helm template {t}"),
        None => what.to_owned(),
    };
    match &w.image {
        Some(image) => format!("{what}, image {}", image.value),
        None => what,
    }
}

/// The autoscalers that scale `w`.
pub(crate) fn autoscalers_of<'a>(
    w: &'a Workload,
    estate: &'a Estate,
) -> impl Iterator<Item = &'a crate::core::import::model::Autoscaler> + 'a {
    estate.autoscalers.iter().filter(move |h| {
        w.shape.is_some() && h.target == w.name && same_namespace(&h.namespace, &w.namespace)
    })
}

/// Deployment facts the spec has no field for, one line each.
fn deployment(w: &Workload, estate: &Estate) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(r) = &w.replicas {
        let s = if r.value == 1 { "" } else { "s" };
        lines.push(format!("{} replica{s} (from {})", r.value, r.at));
    }
    if w.shape.is_some() {
        for hpa in autoscalers_of(w, estate) {
            let range = crate::core::import::model::replica_range(hpa.min, hpa.max)
                .map(|r| format!(" {r}"))
                .unwrap_or_default();
            lines.push(format!(
                "autoscaled{range} by a {} (from {})",
                hpa.object, hpa.at
            ));
        }
    }
    for p in &w.published {
        lines.push(format!("publishes port {} (from {})", p.value, p.at));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_hosts_in_addresses_and_urls_only() {
        assert_eq!(hosts_in("redis-cart:6379"), vec!["redis-cart"]);
        assert_eq!(
            hosts_in("postgres://app:secret@db.shop.svc.cluster.local:5432/app"),
            vec!["db.shop.svc.cluster.local"]
        );
        assert_eq!(hosts_in("http://cart/api"), vec!["cart"]);
        assert_eq!(
            hosts_in("--brokers=kafka-0.kafka:9092,kafka-1.kafka:9092"),
            vec!["kafka-0.kafka", "kafka-1.kafka"]
        );
        assert!(hosts_in("info").is_empty());
        assert!(hosts_in("ratio 3:4").is_empty());
        assert!(hosts_in("cart").is_empty());
    }

    #[test]
    fn host_names_resolve_to_services() {
        assert_eq!(services_named("cart", "shop"), vec![("cart", "shop")]);
        assert_eq!(
            services_named("db.data.svc.cluster.local", "shop"),
            vec![("db", "data")]
        );
        assert!(services_named("kafka-0.kafka", "").contains(&("kafka", "")));
        assert!(services_named("www.example.com", "").is_empty());
    }
}
