//! What `import` reads out of deployment files before it infers anything:
//! workloads, the Services in front of them, Ingresses and autoscalers,
//! each value with the file and line it came from.

use std::collections::BTreeMap;
use std::fmt;

use crate::core::import::rules::Shape;

/// Where a value was read: the file as the user named it and a 1-based line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Origin {
    pub(crate) file: String,
    pub(crate) line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A value and where it was read.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Located<T> {
    pub(crate) value: T,
    pub(crate) at: Origin,
}

/// Storage a workload mounts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Storage {
    /// A disk that outlives the container: a PersistentVolumeClaim, a
    /// `volumeClaimTemplates` entry, a Compose named volume, a host path.
    Persistent(String),
    /// A writable bind mount of a host folder (Compose); state only for an
    /// image that keeps state.
    Bind(String),
    /// Scratch space that goes with the pod or container: an `emptyDir`, a
    /// Compose `tmpfs`. Never where state survives.
    Scratch(String),
}

/// Why a workload is not a component unless `--keep-helpers` says so.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Helper {
    /// A second container of a pod, or a Compose service that shares
    /// another's network: part of that workload.
    Sidecar { of: String },
    /// Runs once and stops: a Kubernetes Job, a Compose service others wait
    /// on to complete, or a helper of the table.
    OneShot { reason: String },
}

/// One service or workload.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Workload {
    pub(crate) name: String,
    pub(crate) namespace: String,
    /// The Kubernetes object, or `None` for a Compose service.
    pub(crate) shape: Option<Shape>,
    pub(crate) at: Origin,
    pub(crate) image: Option<Located<String>>,
    pub(crate) replicas: Option<Located<u64>>,
    pub(crate) storage: Vec<Located<Storage>>,
    /// Names of other services it says it needs (Compose `depends_on`, `links`).
    pub(crate) needs: Vec<Located<String>>,
    /// Texts that may name another Service (env values, args, commands).
    pub(crate) mentions: Vec<Located<String>>,
    /// ConfigMaps its environment comes from: (name, the one key or all).
    pub(crate) config_refs: Vec<(String, Option<String>)>,
    /// Labels of its pods, which Services select on.
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) ports: Vec<String>,
    /// Published ports (Compose), as written.
    pub(crate) published: Vec<Located<String>>,
    /// Sticky sessions stated on the workload itself (Compose labels).
    pub(crate) sticky: Option<Located<String>>,
    pub(crate) helper: Option<Helper>,
    /// The chart template it was rendered from (`# Source:` of `helm template`).
    pub(crate) template: Option<String>,
    /// The Backstage entity it is, for one read from a catalog file.
    pub(crate) entity: Option<Entity>,
    /// APIs it consumes (Backstage `consumesApis`), as entity references.
    pub(crate) consumes: Vec<Located<String>>,
    /// Names of the APIs it provides (Backstage `providesApis`).
    pub(crate) provides: Vec<String>,
}

/// A Backstage Component or Resource.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entity {
    /// `Component` or `Resource`.
    pub(crate) kind: String,
    /// Its `spec.type` (`service`, `website`, `database`, ...).
    pub(crate) entity_type: String,
    /// Where `spec.type` is written.
    pub(crate) type_at: Option<Origin>,
    /// Its `metadata.description`.
    pub(crate) description: Option<String>,
}

impl Workload {
    pub(crate) fn new(name: String, shape: Option<Shape>, at: Origin) -> Workload {
        Workload {
            name,
            namespace: String::new(),
            shape,
            at,
            image: None,
            replicas: None,
            storage: Vec::new(),
            needs: Vec::new(),
            mentions: Vec::new(),
            config_refs: Vec::new(),
            labels: BTreeMap::new(),
            ports: Vec::new(),
            published: Vec::new(),
            sticky: None,
            helper: None,
            template: None,
            entity: None,
            consumes: Vec::new(),
            provides: Vec::new(),
        }
    }
}

/// A Kubernetes Service.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Service {
    pub(crate) name: String,
    pub(crate) namespace: String,
    pub(crate) at: Origin,
    pub(crate) selector: BTreeMap<String, String>,
    pub(crate) ports: Vec<String>,
    /// `sessionAffinity: ClientIP`, or a sticky-cookie annotation.
    pub(crate) sticky: Option<Located<String>>,
}

/// A Kubernetes Ingress: the Services it routes to, and its stickiness.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Ingress {
    pub(crate) namespace: String,
    pub(crate) backends: Vec<String>,
    pub(crate) sticky: Option<Located<String>>,
    /// A consistent-hash key (`upstream-hash-by`) and whether it hashes on the client.
    pub(crate) hash_by: Option<(Located<String>, bool)>,
}

/// A HorizontalPodAutoscaler.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Autoscaler {
    pub(crate) namespace: String,
    pub(crate) target: String,
    pub(crate) min: Option<u64>,
    pub(crate) max: Option<u64>,
    pub(crate) at: Origin,
    /// What the object is (`HorizontalPodAutoscaler`, KEDA `ScaledObject`).
    pub(crate) object: &'static str,
    /// Scale-down is switched off (`behavior.scaleDown.selectPolicy: Disabled`):
    /// no instance is ever removed, so none has state to hand over.
    pub(crate) never_scales_down: bool,
}

/// The replicas an autoscaler may run, in words (`2 to 10 replicas`,
/// `up to 10 replicas`), or nothing when it states no maximum.
pub(crate) fn replica_range(min: Option<u64>, max: Option<u64>) -> Option<String> {
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("{min} to {max} replicas")),
        (None, Some(max)) => Some(format!("up to {max} replicas")),
        _ => None,
    }
}

/// A Kubernetes ConfigMap: its data values may name Services.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ConfigMap {
    pub(crate) name: String,
    pub(crate) namespace: String,
    pub(crate) data: Vec<(String, Located<String>)>,
}

/// Everything read from the files, in the order it was read.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Estate {
    /// A name the files give the system (Compose `name:`).
    pub(crate) name: Option<String>,
    pub(crate) workloads: Vec<Workload>,
    pub(crate) services: Vec<Service>,
    pub(crate) ingresses: Vec<Ingress>,
    pub(crate) autoscalers: Vec<Autoscaler>,
    pub(crate) config_maps: Vec<ConfigMap>,
}
