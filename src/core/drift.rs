//! The decision against the deployment: what the deployment files say of
//! each component (the facts `analyze` and `explain` show beside the
//! criteria), and where the way a component runs contradicts the verdict
//! the team decided (or the advice, where it decided nothing). Pure: the
//! files are read by the command and handed in as a [`Deployment`].

use std::collections::BTreeSet;

use crate::core::check::{Finding, Kind, Severity};
use crate::core::import::Deployment;
use crate::core::import::deploy::{DeployedWorkload, Evidence, Replicas, workload_of};
use crate::core::report::{ComponentReport, Report};
use crate::core::spec::field::Field;
use crate::core::spec::values::{Affinity, Verdict, WorkloadType};

/// The availability target at and above which one instance is not enough.
const HIGH_AVAILABILITY: f64 = 99.9;

/// What `check` compares: the report of the spec, and where its lines are.
pub struct Inputs<'a> {
    /// The analysis of the spec, with the deployment's facts.
    pub report: &'a Report<'a>,
    /// The deployment files' workloads.
    pub deployment: &'a Deployment,
    /// The spec file as named.
    pub spec_file: &'a str,
    /// The spec's text, to find a component's line.
    pub spec_text: &'a str,
}

/// The drift findings: per component in spec order, then the workloads no
/// component stands for, in file order.
pub fn findings(i: &Inputs) -> Vec<Finding> {
    let lines = crate::core::locate::component_lines(i.spec_text);
    let line_of = |name: &str| lines.iter().find(|(n, _, _)| n == name).map(|(_, l, _)| *l);
    let mut out = Vec::new();
    let mut matched: BTreeSet<&str> = BTreeSet::new();
    for c in &i.report.components {
        let Some(w) = workload_of(c.component, i.deployment) else {
            let named = c
                .component
                .deployed_as
                .as_ref()
                .map_or(c.name(), |n| n.as_str());
            out.push(Finding {
                severity: Kind::ComponentWithoutWorkload.default_severity(),
                kind: Kind::ComponentWithoutWorkload,
                component: Some(c.name().to_owned()),
                message: format!(
                    "no workload `{named}` in the deployment files ({}); name its workload with `deployed_as`, or waive this for a component that is not deployed from them",
                    files(i.deployment)
                ),
                file: i.spec_file.to_owned(),
                line: line_of(c.name()),
                record: None,
                workload: None,
            });
            continue;
        };
        matched.insert(w.name.as_str());
        for (kind, evidence, message) in drift(c, w) {
            // An error only against what the team decided: against the
            // advice alone, the same drift is a warning to review.
            let severity = match kind.default_severity() {
                Severity::Error if c.component.decision.is_none() => Severity::Warning,
                s => s,
            };
            out.push(Finding {
                severity,
                kind,
                component: Some(c.name().to_owned()),
                message,
                file: evidence.file.clone(),
                line: Some(evidence.line),
                record: None,
                workload: Some(w.name.clone()),
            });
        }
    }
    for w in i
        .deployment
        .workloads
        .iter()
        .filter(|w| !matched.contains(w.name.as_str()))
    {
        out.push(Finding {
            severity: Kind::WorkloadWithoutComponent.default_severity(),
            kind: Kind::WorkloadWithoutComponent,
            component: None,
            message: format!(
                "{} runs but no component of the spec stands for it; add it (`statewise import --merge` adds it), name it in a component's `deployed_as`, or waive it in `system.waivers` with `workload: {}`",
                w.object.what, w.name
            ),
            file: w.object.file.clone(),
            line: Some(w.object.line),
            record: None,
            workload: Some(w.name.clone()),
        });
    }
    out
}

fn files(d: &Deployment) -> String {
    match d.files.as_slice() {
        [] => "none read".to_owned(),
        [one] => format!("`{one}`"),
        many => format!("{} files", many.len()),
    }
}

/// Where the way `w` runs contradicts `c`'s decided verdict.
fn drift<'w>(c: &ComponentReport, w: &'w DeployedWorkload) -> Vec<(Kind, &'w Evidence, String)> {
    let decided = c.decided();
    let whose = if c.component.decision.is_some() {
        "decided"
    } else {
        "advised"
    };
    let mut out = Vec::new();
    match decided {
        Verdict::Stateless => {
            if w.workload == WorkloadType::StatefulSet {
                out.push((
                    Kind::StatelessOnStatefulset,
                    &w.object,
                    format!(
                        "{whose} stateless but runs as {}: a StatefulSet gives each instance a fixed identity and its own disk, which a stateless component does not need; run it as a Deployment, or decide stateful with a `decision_reason`",
                        w.object.what
                    ),
                ));
            }
            if let Some(p) = &w.persistent {
                out.push((
                    Kind::StatelessWithPersistentVolume,
                    p,
                    format!(
                        "{whose} stateless but mounts {}, a disk that outlives the instance: whatever it writes there is state; move it to a store the component calls, or decide stateful with a `decision_reason`",
                        p.what
                    ),
                ));
            }
            if let Some((a, e)) = &w.affinity {
                out.push((
                    Kind::StatelessWithStickySessions,
                    e,
                    format!(
                        "{whose} stateless but the deployment pins requests {} ({}): a stateless component can serve any request on any instance, and pinning undoes the even spread; remove the affinity, or decide stateful with a `decision_reason`",
                        if *a == Affinity::PerClient { "per client" } else { "per key" },
                        e.what
                    ),
                ));
            }
            if w.fixed_replicas() == Some(1) {
                let (at, stated) = match &w.replicas {
                    Replicas::Stated(_, e) => (e, "`replicas: 1`"),
                    _ => (&w.object, "no `replicas` stated and no autoscaler"),
                };
                out.push((
                    Kind::StatelessSingleReplica,
                    at,
                    format!(
                        "{whose} stateless but {} runs one instance ({stated}): a stateless component is the one that can run several instances behind a load balancer and lose one safely; run two or more, or add an autoscaler",
                        w.object.what
                    ),
                ));
            }
        }
        Verdict::Stateful => {
            let recovery = c
                .facts
                .get(Field::Recovery)
                .map(|v| v.words())
                .unwrap_or_default();
            // State kept only outside the process (a store, the client) is
            // not lost with the instance.
            let held_here = c.facts.get(Field::StateLocation).is_none_or(|v| {
                v.words()
                    .iter()
                    .any(|w| *w == "memory" || *w == "local-disk")
            });
            let nothing_to_lose = recovery.contains(&"disposable") || !held_here;
            let recovery_said = if recovery.is_empty() {
                "unstated".to_owned()
            } else {
                format!("is `{}`", recovery.join(", "))
            };
            let recovers = recovery.iter().any(|w| *w != "none" && *w != "disposable");
            if w.persistent.is_none() && !recovers && !nothing_to_lose {
                let (at, on) = match &w.scratch {
                    Some(s) => (s, format!("on {}, which is lost with the instance", s.what)),
                    None => (&w.object, "with no volume at all".to_owned()),
                };
                out.push((
                    Kind::StatefulOnEphemeralStorage,
                    at,
                    format!(
                        "{whose} stateful, and {} runs {on}, while nothing recovers its state (`recovery` {}): a restart or reschedule loses it; mount {}, or state how it recovers (`recovery: [replicas]`, `checkpoint`, ...)",
                        w.object.what,
                        recovery_said,
                        if w.workload == WorkloadType::ComposeService {
                            "a named volume"
                        } else {
                            "a PersistentVolumeClaim"
                        }
                    ),
                ));
            }
            if let Some(a) = w.autoscaling.as_ref().filter(|a| !a.never_scales_down)
                && !recovers
                && !nothing_to_lose
            {
                out.push((
                    Kind::StatefulAutoscaledWithoutHandover,
                    &a.at,
                    format!(
                        "{whose} stateful, and a {} removes instances when load falls, while nothing hands their state over (`recovery` {}): each scale-down drops the state of the instances it removes; state how it moves (`recovery: [replicas]`, `journal`, `from-clients`, ...), or switch scale-down off (`behavior.scaleDown.selectPolicy: Disabled`)",
                        a.at.what,
                        recovery_said
                    ),
                ));
            }
            let target = [Field::Availability, Field::DependentsAvailability]
                .into_iter()
                .filter_map(|f| c.facts.get(f).and_then(|v| v.as_number()))
                .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
            if w.fixed_replicas() == Some(1)
                && let Some(target) = target.filter(|t| *t >= HIGH_AVAILABILITY)
            {
                let at = match &w.replicas {
                    Replicas::Stated(_, e) => e,
                    _ => &w.object,
                };
                out.push((
                    Kind::StatefulSingleReplicaAtHighAvailability,
                    at,
                    format!(
                        "{whose} stateful with a {}% availability target, but {} runs one instance: losing it stops the component until another starts and rebuilds its state; run replicas that hold a copy, or lower the target with a `decision_reason`",
                        crate::core::text::yaml_number(target),
                        w.object.what
                    ),
                ));
            }
        }
        Verdict::Hybrid => {}
    }
    out
}
