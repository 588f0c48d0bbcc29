//! Kubernetes manifests (plain, `helm template` or `kustomize build`
//! output): workloads with their pod templates, and the Services,
//! Ingresses and HorizontalPodAutoscalers around them.

use std::collections::BTreeMap;

use crate::core::error::{Diagnostic, Error, Result};
use crate::core::import::model::{
    Autoscaler, ConfigMap, Estate, Helper, Ingress, Located, Origin, Service, Storage, Workload,
};
use crate::core::import::rules::Shape;
use crate::core::import::tree::Node;

/// True when `root` looks like a Kubernetes object.
pub(crate) fn looks_like(root: &Node) -> bool {
    root.get("apiVersion").is_some() || root.get("kind").is_some()
}

/// Reads one document (an object, or a `List` of them) into `estate`.
pub(crate) fn read(
    file: &str,
    text: &str,
    root: &Node,
    helm: &HelmSources,
    estate: &mut Estate,
) -> Result<()> {
    let fail = |n: &Node, message: String, help: &str| {
        Error::Spec(Box::new(
            Diagnostic::new(file, message)
                .at(text, n.line, n.column)
                .with_help(help),
        ))
    };
    if !root.is_map() {
        return Err(fail(
            root,
            "a Kubernetes manifest holds objects (mappings with `apiVersion` and `kind`)".into(),
            "remove the stray value, or pass `--format compose` if this is a Compose file",
        ));
    }
    let Some(kind) = root.get("kind").and_then(Node::as_str) else {
        return Err(fail(
            root,
            "this Kubernetes object has no `kind`".into(),
            "add `kind: Deployment` (or the object's kind) beside `apiVersion`",
        ));
    };
    if kind == "List" || kind.ends_with("List") {
        for item in root.get("items").map(Node::items).unwrap_or_default() {
            read(file, text, item, helm, estate)?;
        }
        return Ok(());
    }
    let at = |n: &Node| Origin {
        file: file.to_owned(),
        line: n.line,
    };
    let metadata = root.get("metadata");
    let name_node = metadata.and_then(|m| m.get("name"));
    let name = name_node.and_then(Node::as_str);
    let namespace = metadata
        .and_then(|m| m.get("namespace"))
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_owned();
    let annotations = annotations(metadata, file);
    let spec = root.get("spec");
    let needs_name = |what: &str| -> Result<&str> {
        name.ok_or_else(|| {
            fail(
                metadata.unwrap_or(root),
                format!("this {what} has no `metadata.name`"),
                "give the object a name under `metadata:`",
            )
        })
    };
    match kind {
        "Service" => {
            let name = needs_name(kind)?;
            let mut sticky = None;
            if let Some(affinity) = spec.and_then(|s| s.get("sessionAffinity"))
                && affinity.as_str() == Some("ClientIP")
            {
                sticky = Some(Located {
                    value: "`sessionAffinity: ClientIP`".to_owned(),
                    at: at(affinity),
                });
            }
            sticky = sticky.or_else(|| sticky_annotation(&annotations));
            estate.services.push(Service {
                name: name.to_owned(),
                namespace,
                at: at(root),
                selector: string_map(spec.and_then(|s| s.get("selector"))),
                ports: spec
                    .and_then(|s| s.get("ports"))
                    .map(Node::items)
                    .unwrap_or_default()
                    .iter()
                    .flat_map(|p| [p.get("name"), p.get("appProtocol")])
                    .flatten()
                    .filter_map(Node::as_str)
                    .map(str::to_owned)
                    .collect(),
                sticky,
            });
        }
        "Ingress" => {
            let mut backends = Vec::new();
            if let Some(spec) = spec {
                let mut push = |b: Option<&Node>| {
                    let name = b.and_then(|b| {
                        b.at(&["service", "name"])
                            .or_else(|| b.get("serviceName"))
                            .and_then(Node::as_str)
                    });
                    if let Some(n) = name {
                        backends.push(n.to_owned());
                    }
                };
                push(spec.get("defaultBackend").or_else(|| spec.get("backend")));
                for rule in spec.get("rules").map(Node::items).unwrap_or_default() {
                    for path in rule
                        .at(&["http", "paths"])
                        .map(Node::items)
                        .unwrap_or_default()
                    {
                        push(path.get("backend"));
                    }
                }
            }
            let hash_by = annotations
                .iter()
                .find(|(k, _)| k.as_str() == "nginx.ingress.kubernetes.io/upstream-hash-by")
                .map(|(_, v)| {
                    let per_client = ["$remote_addr", "$binary_remote_addr", "$cookie_"]
                        .iter()
                        .any(|c| v.value.contains(c))
                        || v.value.contains("$http_x_forwarded_for");
                    (v.clone(), per_client)
                });
            estate.ingresses.push(Ingress {
                namespace,
                backends,
                sticky: sticky_annotation(&annotations),
                hash_by,
            });
        }
        "DestinationRule" => {
            // Istio: a consistent hash on a header, cookie or the source address.
            let host = spec.and_then(|s| s.get("host")).and_then(Node::as_str);
            let hash =
                spec.and_then(|s| s.at(&["trafficPolicy", "loadBalancer", "consistentHash"]));
            if let (Some(host), Some(hash)) = (host, hash) {
                let mut labels = host.split('.');
                let service = labels.next().unwrap_or(host).to_owned();
                let ns = labels
                    .next()
                    .filter(|n| *n != "svc")
                    .map_or(namespace.clone(), str::to_owned);
                let on = hash
                    .entries()
                    .iter()
                    .find_map(|(k, _)| k.as_str())
                    .unwrap_or("consistentHash");
                let per_client = matches!(on, "useSourceIp" | "httpCookie");
                estate.ingresses.push(Ingress {
                    namespace: ns,
                    backends: vec![service],
                    sticky: None,
                    hash_by: Some((
                        Located {
                            value: format!("{on} (DestinationRule `{}`)", name.unwrap_or("")),
                            at: at(hash),
                        },
                        per_client,
                    )),
                });
            }
        }
        "ConfigMap" => {
            if let Some(name) = name {
                let data = root
                    .get("data")
                    .map(Node::entries)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|(k, v)| {
                        Some((
                            k.as_str()?.to_owned(),
                            Located {
                                value: v.as_str()?.to_owned(),
                                at: at(v),
                            },
                        ))
                    })
                    .collect();
                estate.config_maps.push(ConfigMap {
                    name: name.to_owned(),
                    namespace,
                    data,
                });
            }
        }
        "HorizontalPodAutoscaler" | "ScaledObject" => {
            let target = spec
                .and_then(|s| s.at(&["scaleTargetRef", "name"]))
                .and_then(Node::as_str);
            let keda = kind == "ScaledObject";
            let (min, max) = if keda {
                ("minReplicaCount", "maxReplicaCount")
            } else {
                ("minReplicas", "maxReplicas")
            };
            if let Some(target) = target {
                estate.autoscalers.push(Autoscaler {
                    namespace,
                    target: target.to_owned(),
                    min: spec.and_then(|s| s.get(min)).and_then(Node::as_u64),
                    max: spec.and_then(|s| s.get(max)).and_then(Node::as_u64),
                    at: at(name_node.unwrap_or(root)),
                    object: if keda {
                        "KEDA ScaledObject"
                    } else {
                        "HorizontalPodAutoscaler"
                    },
                    never_scales_down: spec
                        .and_then(|s| {
                            if keda {
                                s.at(&[
                                    "advanced",
                                    "horizontalPodAutoscalerConfig",
                                    "behavior",
                                    "scaleDown",
                                    "selectPolicy",
                                ])
                            } else {
                                s.at(&["behavior", "scaleDown", "selectPolicy"])
                            }
                        })
                        .and_then(Node::as_str)
                        == Some("Disabled"),
                });
            }
        }
        _ => {
            let Some(shape) = Shape::parse(kind) else {
                return Ok(()); // ConfigMaps, Secrets, RBAC, ...: nothing to decide about
            };
            let name = needs_name(kind)?;
            let template = match shape {
                Shape::CronJob => spec.and_then(|s| s.at(&["jobTemplate", "spec", "template"])),
                _ => spec.and_then(|s| s.get("template")),
            };
            let mut w = Workload::new(name.to_owned(), Some(shape), at(name_node.unwrap_or(root)));
            w.namespace = namespace;
            w.template = helm.of(root.line);
            if let Some(n) = spec.and_then(|s| s.get("replicas"))
                && let Some(count) = n.as_u64()
            {
                w.replicas = Some(Located {
                    value: count,
                    at: at(n),
                });
            }
            for claim in spec
                .and_then(|s| s.get("volumeClaimTemplates"))
                .map(Node::items)
                .unwrap_or_default()
            {
                let name_at = claim.at(&["metadata", "name"]);
                let claim_name = name_at.and_then(Node::as_str);
                w.storage.push(Located {
                    value: Storage::Persistent(format!(
                        "volumeClaimTemplate `{}`",
                        claim_name.unwrap_or("")
                    )),
                    at: at(name_at.unwrap_or(claim)),
                });
            }
            if shape == Shape::Job {
                w.helper = Some(Helper::OneShot {
                    reason: "a one-shot Job".to_owned(),
                });
            }
            let sidecars = template.map(|t| pod(file, t, &mut w)).unwrap_or_default();
            estate.workloads.push(w);
            estate.workloads.extend(sidecars);
        }
    }
    Ok(())
}

/// The `# Source: chart/templates/x.yaml` comments `helm template` writes
/// above each document, and the `---` lines between them, by line.
pub(crate) struct HelmSources(Vec<(usize, Option<String>)>);

impl HelmSources {
    pub(crate) fn scan(text: &str) -> HelmSources {
        let mut marks = Vec::new();
        for (i, l) in text.lines().enumerate() {
            if l.starts_with("---") {
                marks.push((i + 1, None));
            } else if let Some(source) = l.trim_start().strip_prefix("# Source:") {
                marks.push((i + 1, Some(source.trim().to_owned())));
            }
        }
        HelmSources(marks)
    }

    /// The source of the document whose content starts at `line`.
    fn of(&self, line: usize) -> Option<String> {
        let before = self.0.partition_point(|(l, _)| *l < line);
        before
            .checked_sub(1)
            .and_then(|i| self.0[i].1.clone())
            .filter(|s| !s.is_empty())
    }
}

/// Reads a pod template into its workload: labels, the main container, the
/// volumes; returns the other containers as sidecars.
fn pod(file: &str, template: &Node, w: &mut Workload) -> Vec<Workload> {
    let at = |n: &Node| Origin {
        file: file.to_owned(),
        line: n.line,
    };
    w.labels = string_map(template.at(&["metadata", "labels"]));
    let Some(spec) = template.get("spec") else {
        return Vec::new();
    };
    let containers = spec.get("containers").map(Node::items).unwrap_or_default();
    // Init containers that keep running (`restartPolicy: Always`) are sidecars.
    let native_sidecars = spec
        .get("initContainers")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter(|c| c.get("restartPolicy").and_then(Node::as_str) == Some("Always"));
    let main = containers
        .iter()
        .position(|c| c.get("name").and_then(Node::as_str) == Some(w.name.as_str()))
        .unwrap_or(0);
    let mut sidecars = Vec::new();
    for (i, c) in containers.iter().enumerate() {
        if i == main {
            container(file, c, w);
        } else {
            sidecars.push(sidecar(file, c, w));
        }
    }
    for c in native_sidecars {
        sidecars.push(sidecar(file, c, w));
    }
    for volume in spec.get("volumes").map(Node::items).unwrap_or_default() {
        let storage = if let Some(claim) = volume.at(&["persistentVolumeClaim", "claimName"]) {
            Some(Storage::Persistent(format!(
                "PersistentVolumeClaim `{}`",
                claim.as_str().unwrap_or("")
            )))
        } else {
            volume
                .at(&["hostPath", "path"])
                .and_then(Node::as_str)
                .map(|p| Storage::Persistent(format!("hostPath `{p}`")))
                .or_else(|| {
                    volume.get("emptyDir").map(|_| {
                        Storage::Scratch(format!(
                            "emptyDir `{}`",
                            volume.get("name").and_then(Node::as_str).unwrap_or("")
                        ))
                    })
                })
        };
        if let Some(storage) = storage {
            w.storage.push(Located {
                value: storage,
                at: at(volume),
            });
        }
    }
    sidecars
}

/// The sidecar `c` of `w`, as a workload of its own.
fn sidecar(file: &str, c: &Node, w: &Workload) -> Workload {
    let name = c.get("name").and_then(Node::as_str).unwrap_or("sidecar");
    let mut s = Workload::new(
        format!("{}-{name}", w.name),
        w.shape,
        Origin {
            file: file.to_owned(),
            line: c.line,
        },
    );
    s.namespace = w.namespace.clone();
    s.helper = Some(Helper::Sidecar { of: w.name.clone() });
    container(file, c, &mut s);
    s
}

/// A container's image, the texts that may name other Services, and its
/// port names.
fn container(file: &str, c: &Node, w: &mut Workload) {
    let at = |n: &Node| Origin {
        file: file.to_owned(),
        line: n.line,
    };
    if let Some(image) = c.get("image")
        && let Some(text) = image.as_str()
    {
        w.image = Some(Located {
            value: text.to_owned(),
            at: at(image),
        });
    }
    for env in c.get("env").map(Node::items).unwrap_or_default() {
        if let Some(value) = env.get("value")
            && let Some(text) = value.as_str()
        {
            w.mentions.push(Located {
                value: text.to_owned(),
                at: at(value),
            });
        }
        let key_ref = env.at(&["valueFrom", "configMapKeyRef"]);
        if let Some(map) = key_ref.and_then(|r| r.get("name")).and_then(Node::as_str) {
            let key = key_ref.and_then(|r| r.get("key")).and_then(Node::as_str);
            w.config_refs.push((map.to_owned(), key.map(str::to_owned)));
        }
    }
    for from in c.get("envFrom").map(Node::items).unwrap_or_default() {
        if let Some(map) = from.at(&["configMapRef", "name"]).and_then(Node::as_str) {
            w.config_refs.push((map.to_owned(), None));
        }
    }
    for key in ["args", "command"] {
        for arg in c.get(key).map(Node::items).unwrap_or_default() {
            if let Some(text) = arg.as_str() {
                w.mentions.push(Located {
                    value: text.to_owned(),
                    at: at(arg),
                });
            }
        }
    }
    for port in c.get("ports").map(Node::items).unwrap_or_default() {
        if let Some(name) = port.get("name").and_then(Node::as_str) {
            w.ports.push(name.to_owned());
        }
    }
}

fn string_map(node: Option<&Node>) -> BTreeMap<String, String> {
    node.map(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), v.as_str()?.to_owned())))
        .collect()
}

/// The annotations of an object, each with its line.
fn annotations(metadata: Option<&Node>, file: &str) -> Vec<(String, Located<String>)> {
    metadata
        .and_then(|m| m.get("annotations"))
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter_map(|(k, v)| {
            Some((
                k.as_str()?.to_owned(),
                Located {
                    value: v.as_str()?.to_owned(),
                    at: Origin {
                        file: file.to_owned(),
                        line: k.line,
                    },
                },
            ))
        })
        .collect()
}

/// A sticky-session annotation: nginx's cookie affinity, or Traefik's
/// sticky cookie (v1 on the Ingress, v2 on the Service).
fn sticky_annotation(annotations: &[(String, Located<String>)]) -> Option<Located<String>> {
    annotations.iter().find_map(|(k, v)| {
        let sticky = match k.as_str() {
            "nginx.ingress.kubernetes.io/affinity" => v.value == "cookie",
            "traefik.ingress.kubernetes.io/affinity"
            | "traefik.ingress.kubernetes.io/service.sticky.cookie" => v.value == "true",
            // ingress-nginx's older prefix, and the HAProxy ingress controllers.
            "ingress.kubernetes.io/affinity" => v.value == "cookie",
            "haproxy.org/cookie-persistence" | "haproxy-ingress.github.io/affinity" => {
                !v.value.trim().is_empty()
            }
            // AWS Load Balancer Controller: target-group stickiness.
            "alb.ingress.kubernetes.io/target-group-attributes" => v
                .value
                .split(',')
                .any(|a| a.trim().replace(' ', "") == "stickiness.enabled=true"),
            _ => false,
        };
        sticky.then(|| Located {
            value: format!("annotation `{k}: {}`", v.value),
            at: v.at.clone(),
        })
    })
}
