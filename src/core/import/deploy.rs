//! The deployment as evidence: what the files say about how each workload
//! runs (its workload object, replicas, autoscaler, storage and session
//! affinity), each with the file and line that says it. `analyze` and
//! `explain` show it beside the criteria and `check` compares it with the
//! decision. The workloads are the ones `import` would make components of,
//! under the same names; sidecars and one-shot jobs are part of no decision.

use crate::core::error::Result;
use crate::core::facts::Surroundings;
use crate::core::import::infer::{self, autoscalers_of};
use crate::core::import::model::{Origin, Storage, Workload};
use crate::core::import::read::{Format, Source, read_estate};
use crate::core::import::rules::{ImportRules, Shape};
use crate::core::spec::model::{Component, Spec};
use crate::core::spec::values::{Affinity, DeployedAffinity, StateLocation, WorkloadType};

/// A statement of the deployment files and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// What the files say, in a few words (`PersistentVolumeClaim `data``).
    pub what: String,
    /// The file, as it was named.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
}

impl Evidence {
    fn new(what: impl Into<String>, at: &Origin) -> Evidence {
        Evidence {
            what: what.into(),
            file: at.file.clone(),
            line: at.line,
        }
    }

    /// `file:line`.
    pub fn place(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// How many instances run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Replicas {
    /// A fixed count the files state.
    Stated(u64, Evidence),
    /// No count stated, no autoscaler: Kubernetes and Compose run one.
    DefaultOne,
    /// One per node (a DaemonSet), or runs to completion (a Job): no count.
    NotCounted,
}

/// An autoscaler that adds and removes instances.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Autoscaling {
    /// Its fewest instances, where stated.
    pub min: Option<u64>,
    /// Its most instances, where stated.
    pub max: Option<u64>,
    /// Scale-down is switched off, so no instance is removed under load.
    pub never_scales_down: bool,
    /// The autoscaler object.
    pub at: Evidence,
}

/// One workload of the deployment, with what its files say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeployedWorkload {
    /// The name `import` gives its component.
    pub name: String,
    /// Its namespace (empty for Compose and for objects that name none).
    pub namespace: String,
    /// The workload object or Compose service.
    pub workload: WorkloadType,
    /// Where it is defined (`StatefulSet `cart``).
    pub object: Evidence,
    /// How many run.
    pub replicas: Replicas,
    /// The autoscaler, if one scales it.
    pub autoscaling: Option<Autoscaling>,
    /// A disk that outlives the instance, if it mounts one.
    pub persistent: Option<Evidence>,
    /// Scratch space that dies with the instance, if it mounts some.
    pub scratch: Option<Evidence>,
    /// Requests pinned to one instance per client or per key, if any.
    pub affinity: Option<(Affinity, Evidence)>,
}

impl DeployedWorkload {
    /// The instances it runs with and no autoscaler: a stated count or the
    /// default of one.
    pub fn fixed_replicas(&self) -> Option<u64> {
        if self.autoscaling.is_some() {
            return None;
        }
        match &self.replicas {
            Replicas::Stated(n, _) => Some(*n),
            Replicas::DefaultOne => Some(1),
            Replicas::NotCounted => None,
        }
    }

    /// True when `name` (a component's name or its `deployed_as`) names
    /// this workload: its name, or `namespace/name`.
    pub fn is_named(&self, name: &str) -> bool {
        self.name == name
            || name
                .split_once('/')
                .is_some_and(|(ns, n)| ns == self.namespace && self.base_name() == n)
    }

    fn base_name(&self) -> &str {
        let suffix = format!(".{}", self.namespace);
        self.name
            .strip_suffix(suffix.as_str())
            .filter(|_| !self.namespace.is_empty())
            .unwrap_or(&self.name)
    }
}

/// What the deployment files say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deployment {
    /// The workloads, in the order the files define them.
    pub workloads: Vec<DeployedWorkload>,
    /// Files read, as named.
    pub files: Vec<String>,
    /// Notes for standard error: files skipped, catalog files that describe
    /// no deployment.
    pub notes: Vec<String>,
}

impl Deployment {
    /// The workload `name` names, if any.
    pub fn workload(&self, name: &str) -> Option<&DeployedWorkload> {
        self.workloads
            .iter()
            .find(|w| w.name == name)
            .or_else(|| self.workloads.iter().find(|w| w.is_named(name)))
    }
}

/// Reads what `sources` say about how the system runs. Compose files and
/// Kubernetes manifests are deployments; a Backstage catalog says what
/// exists, not how it runs, and is noted and left out.
pub fn deployment(sources: &[Source], rules: &ImportRules) -> Result<Deployment> {
    let read = read_estate(sources, None)?;
    let mut notes = read.notes;
    for (file, format) in &read.formats {
        if *format == Format::Backstage {
            notes.push(format!(
                "`{file}` is a Backstage catalog: it says what exists, not how it runs; left out of the deployment"
            ));
        }
    }
    let estate = read.estate;
    let inference = infer::infer(&estate, rules, false);
    let mut workloads = Vec::new();
    for c in &inference.components {
        let w = &estate.workloads[c.workload];
        if w.entity.is_some() {
            continue;
        }
        let workload = match w.shape {
            None => WorkloadType::ComposeService,
            Some(Shape::Deployment) => WorkloadType::Deployment,
            Some(Shape::StatefulSet) => WorkloadType::StatefulSet,
            Some(Shape::DaemonSet) => WorkloadType::DaemonSet,
            Some(Shape::Job) => WorkloadType::Job,
            Some(Shape::CronJob) => WorkloadType::CronJob,
            Some(Shape::Rollout) => WorkloadType::Rollout,
        };
        let autoscaling = autoscalers_of(w, &estate).next().map(|h| Autoscaling {
            min: h.min,
            max: h.max,
            never_scales_down: h.never_scales_down,
            at: Evidence::new(h.object, &h.at),
        });
        workloads.push(DeployedWorkload {
            name: c.name.clone(),
            namespace: w.namespace.clone(),
            workload,
            object: Evidence::new(object_name(w), &w.at),
            replicas: replicas(w, workload),
            autoscaling,
            persistent: storage(w, |s| matches!(s, Storage::Persistent(_))).or_else(|| {
                // A bind mount counts where import takes it for the data of
                // an image that keeps state.
                c.state_location
                    .as_ref()
                    .filter(|l| l.value == StateLocation::LocalDisk)
                    .map(|l| Evidence::new(l.why.clone(), &l.at))
            }),
            scratch: storage(w, |s| matches!(s, Storage::Scratch(_))),
            affinity: c
                .affinity
                .as_ref()
                .map(|a| (a.value, Evidence::new(a.why.clone(), &a.at))),
        });
    }
    Ok(Deployment {
        workloads,
        files: read.files,
        notes,
    })
}

fn object_name(w: &Workload) -> String {
    match w.shape {
        Some(shape) => format!("{} `{}`", shape.as_str(), w.name),
        None => format!("Compose service `{}`", w.name),
    }
}

fn replicas(w: &Workload, workload: WorkloadType) -> Replicas {
    match (&w.replicas, workload) {
        (_, WorkloadType::DaemonSet | WorkloadType::Job | WorkloadType::CronJob) => {
            Replicas::NotCounted
        }
        (Some(r), _) => Replicas::Stated(
            r.value,
            Evidence::new(format!("replicas: {}", r.value), &r.at),
        ),
        (None, _) => Replicas::DefaultOne,
    }
}

fn storage(w: &Workload, wanted: impl Fn(&Storage) -> bool) -> Option<Evidence> {
    w.storage.iter().find(|s| wanted(&s.value)).map(|s| {
        let (Storage::Persistent(what) | Storage::Bind(what) | Storage::Scratch(what)) = &s.value;
        Evidence::new(what.clone(), &s.at)
    })
}

/// The workload that runs `component`: the one its `deployed_as` names,
/// else the one of its name.
pub fn workload_of<'d>(
    component: &Component,
    deployment: &'d Deployment,
) -> Option<&'d DeployedWorkload> {
    let name = component
        .deployed_as
        .as_ref()
        .map_or(component.name.as_str(), |n| n.as_str());
    deployment.workload(name)
}

/// What the deployment says of each component of `spec`, in spec order.
pub fn surroundings(spec: &Spec, deployment: &Deployment) -> Vec<Surroundings> {
    spec.components
        .iter()
        .map(|c| workload_of(c, deployment).map_or_else(Surroundings::default, facts))
        .collect()
}

fn facts(w: &DeployedWorkload) -> Surroundings {
    Surroundings {
        deployed_workload: Some(w.workload),
        deployed_replicas: w.fixed_replicas().map(|n| n as f64),
        deployed_autoscaled: Some(w.autoscaling.is_some()),
        deployed_persistent_storage: Some(w.persistent.is_some()),
        deployed_affinity: Some(match w.affinity.as_ref().map(|(a, _)| *a) {
            Some(Affinity::PerClient) => DeployedAffinity::PerClient,
            Some(Affinity::PerKey | Affinity::SingleWriter) => DeployedAffinity::PerKey,
            Some(Affinity::None) | None => DeployedAffinity::None,
        }),
        ..Surroundings::default()
    }
}

/// What `analyze` and `explain` show of how `component` runs: the
/// evidence of its workload, or that none runs it.
pub fn shown(component: &Component, deployment: &Deployment) -> Vec<String> {
    match workload_of(component, deployment) {
        Some(w) => evidence(w),
        None => {
            let name = component
                .deployed_as
                .as_ref()
                .map_or(component.name.as_str(), |n| n.as_str());
            vec![format!("no workload `{name}` in the deployment files")]
        }
    }
}

/// One line per deployment fact of a component, with the place that says
/// it: what `analyze` prints under a component.
pub fn evidence(w: &DeployedWorkload) -> Vec<String> {
    let mut lines = vec![format!("runs as {} ({})", w.object.what, w.object.place())];
    match (&w.autoscaling, &w.replicas) {
        (Some(a), _) => {
            let range = crate::core::import::model::replica_range(a.min, a.max)
                .map(|r| format!(", {r}"))
                .unwrap_or_default();
            lines.push(format!(
                "autoscaled by a {}{range} ({})",
                a.at.what,
                a.at.place()
            ));
        }
        (None, Replicas::Stated(n, e)) => {
            lines.push(format!("{} ({})", plural_replicas(*n), e.place()))
        }
        (None, Replicas::DefaultOne) => {
            lines.push("1 replica: no `replicas` stated, no autoscaler".to_owned());
        }
        (None, Replicas::NotCounted) => {}
    }
    match (&w.persistent, &w.scratch) {
        (Some(p), _) => lines.push(format!("persistent storage: {} ({})", p.what, p.place())),
        (None, Some(s)) => lines.push(format!(
            "no persistent storage; scratch space {} ({})",
            s.what,
            s.place()
        )),
        (None, None) => lines.push("no persistent storage".to_owned()),
    }
    if let Some((a, e)) = &w.affinity {
        lines.push(format!("session affinity {a}: {} ({})", e.what, e.place()));
    }
    lines
}

fn plural_replicas(n: u64) -> String {
    if n == 1 {
        "1 replica".to_owned()
    } else {
        format!("{n} replicas")
    }
}
