//! The CI gate: findings about a spec, its decisions and the decision record
//! that recorded it. Pure: the records are read by the command and handed in.

use serde::Serialize;

use crate::core::escape;
use crate::core::report::Report;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information; never fails.
    Note,
    /// Fails only with `--fail-on warning`.
    Warning,
    /// Fails the check.
    Error,
}

impl Severity {
    /// The word used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The kinds of finding, with their ids (SARIF rule ids).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Kind {
    /// A decision contradicts the advice and gives no reason.
    #[serde(rename = "decision-contradicts-advice")]
    DecisionContradictsAdvice,
    /// A decision departs from the advice with a stated reason.
    #[serde(rename = "accepted-departure")]
    AcceptedDeparture,
    /// The spec changed since the record was written.
    #[serde(rename = "spec-changed-since-adr")]
    SpecChanged,
    /// The spec is the same but the advice is not (the rules changed).
    #[serde(rename = "advice-changed-since-adr")]
    AdviceChanged,
    /// No record exists for the system.
    #[serde(rename = "no-adr")]
    NoAdr,
    /// A stateful dependency targets less availability than a caller.
    #[serde(rename = "dependency-below-target")]
    DependencyBelowTarget,
    /// State nothing recovers, under a high availability target.
    #[serde(rename = "unrecoverable-state")]
    UnrecoverableState,
    /// What moved in one component since the record (the spec changed).
    #[serde(rename = "changed-since-adr")]
    ChangedSinceAdr,
    /// Two records of the log hold one number.
    #[serde(rename = "duplicate-adr-number")]
    DuplicateAdrNumber,
    /// A record links to, or supersedes, a record the log does not hold.
    #[serde(rename = "adr-link-to-missing")]
    AdrLinkToMissing,
    /// A superseded record that no record names a successor of.
    #[serde(rename = "superseded-without-successor")]
    SupersededWithoutSuccessor,
    /// A file named like a record that cannot be read as one.
    #[serde(rename = "unreadable-adr")]
    UnreadableAdr,
    /// A component decided stateless runs as a StatefulSet.
    #[serde(rename = "stateless-on-statefulset")]
    StatelessOnStatefulset,
    /// A component decided stateless mounts a persistent volume.
    #[serde(rename = "stateless-with-persistent-volume")]
    StatelessWithPersistentVolume,
    /// A component decided stateless is pinned per client or per key by its deployment (sessionAffinity ClientIP, a sticky cookie, consistent hashing).
    #[serde(rename = "stateless-with-sticky-sessions")]
    StatelessWithStickySessions,
    /// A component decided stateless runs one fixed instance.
    #[serde(rename = "stateless-single-replica")]
    StatelessSingleReplica,
    /// A component decided stateful keeps the only copy of its state on an emptyDir or no volume, and nothing recovers it.
    #[serde(rename = "stateful-on-ephemeral-storage")]
    StatefulOnEphemeralStorage,
    /// A component decided stateful is scaled down by an autoscaler while nothing hands its state over.
    #[serde(rename = "stateful-autoscaled-without-handover")]
    StatefulAutoscaledWithoutHandover,
    /// A component decided stateful runs one instance under an availability target of 99.9% or more.
    #[serde(rename = "stateful-single-replica-at-high-availability")]
    StatefulSingleReplicaAtHighAvailability,
    /// A component of the spec has no workload in the deployment files.
    #[serde(rename = "component-without-workload")]
    ComponentWithoutWorkload,
    /// A workload of the deployment files has no component in the spec.
    #[serde(rename = "workload-without-component")]
    WorkloadWithoutComponent,
}

impl Kind {
    /// Every kind, for SARIF's rule list.
    pub const ALL: [Kind; 21] = [
        Kind::DecisionContradictsAdvice,
        Kind::AcceptedDeparture,
        Kind::SpecChanged,
        Kind::AdviceChanged,
        Kind::NoAdr,
        Kind::DependencyBelowTarget,
        Kind::UnrecoverableState,
        Kind::ChangedSinceAdr,
        Kind::DuplicateAdrNumber,
        Kind::AdrLinkToMissing,
        Kind::SupersededWithoutSuccessor,
        Kind::UnreadableAdr,
        Kind::StatelessOnStatefulset,
        Kind::StatelessWithPersistentVolume,
        Kind::StatelessWithStickySessions,
        Kind::StatelessSingleReplica,
        Kind::StatefulOnEphemeralStorage,
        Kind::StatefulAutoscaledWithoutHandover,
        Kind::StatefulSingleReplicaAtHighAvailability,
        Kind::ComponentWithoutWorkload,
        Kind::WorkloadWithoutComponent,
    ];

    /// The id.
    pub fn id(self) -> &'static str {
        match self {
            Kind::DecisionContradictsAdvice => "decision-contradicts-advice",
            Kind::AcceptedDeparture => "accepted-departure",
            Kind::SpecChanged => "spec-changed-since-adr",
            Kind::AdviceChanged => "advice-changed-since-adr",
            Kind::NoAdr => "no-adr",
            Kind::DependencyBelowTarget => "dependency-below-target",
            Kind::UnrecoverableState => "unrecoverable-state",
            Kind::ChangedSinceAdr => "changed-since-adr",
            Kind::DuplicateAdrNumber => "duplicate-adr-number",
            Kind::AdrLinkToMissing => "adr-link-to-missing",
            Kind::SupersededWithoutSuccessor => "superseded-without-successor",
            Kind::UnreadableAdr => "unreadable-adr",
            Kind::StatelessOnStatefulset => "stateless-on-statefulset",
            Kind::StatelessWithPersistentVolume => "stateless-with-persistent-volume",
            Kind::StatelessWithStickySessions => "stateless-with-sticky-sessions",
            Kind::StatelessSingleReplica => "stateless-single-replica",
            Kind::StatefulOnEphemeralStorage => "stateful-on-ephemeral-storage",
            Kind::StatefulAutoscaledWithoutHandover => "stateful-autoscaled-without-handover",
            Kind::StatefulSingleReplicaAtHighAvailability => {
                "stateful-single-replica-at-high-availability"
            }
            Kind::ComponentWithoutWorkload => "component-without-workload",
            Kind::WorkloadWithoutComponent => "workload-without-component",
        }
    }

    /// How serious a finding of this kind is unless its context says
    /// otherwise (SARIF's default level): `no-adr` is an error under
    /// `--require-adr`, and a drift error stands against a decision only.
    pub fn default_severity(self) -> Severity {
        match self {
            Kind::DecisionContradictsAdvice
            | Kind::SpecChanged
            | Kind::DuplicateAdrNumber
            | Kind::AdrLinkToMissing
            | Kind::StatefulOnEphemeralStorage
            | Kind::StatefulSingleReplicaAtHighAvailability => Severity::Error,
            Kind::StatelessOnStatefulset
            | Kind::StatelessWithPersistentVolume
            | Kind::StatelessWithStickySessions
            | Kind::StatelessSingleReplica
            | Kind::StatefulAutoscaledWithoutHandover
            | Kind::ComponentWithoutWorkload
            | Kind::WorkloadWithoutComponent
            | Kind::AdviceChanged
            | Kind::DependencyBelowTarget
            | Kind::UnrecoverableState
            | Kind::SupersededWithoutSuccessor
            | Kind::UnreadableAdr => Severity::Warning,
            Kind::AcceptedDeparture | Kind::NoAdr | Kind::ChangedSinceAdr => Severity::Note,
        }
    }

    /// One line about what the kind means.
    pub fn description(self) -> &'static str {
        match self {
            Kind::DecisionContradictsAdvice => {
                "A component's decision contradicts the advice and no decision_reason says why"
            }
            Kind::AcceptedDeparture => {
                "A component's decision departs from the advice, with a stated reason"
            }
            Kind::SpecChanged => "The spec changed since the decision record was written",
            Kind::AdviceChanged => {
                "The advice changed (the rules changed) since the decision record was written"
            }
            Kind::NoAdr => "No decision record exists for this system",
            Kind::DependencyBelowTarget => {
                "A stateful component targets less availability than a component that depends on it"
            }
            Kind::UnrecoverableState => {
                "A component kept stateful says nothing recovers its state (recovery: none), yet it or its callers target 99.9% availability or more"
            }
            Kind::ChangedSinceAdr => {
                "What moved in a component since the decision record: the criteria that changed and the verdict before and after"
            }
            Kind::DuplicateAdrNumber => "Two decision records hold the same number",
            Kind::AdrLinkToMissing => {
                "A decision record links to, or supersedes, a record the log does not hold"
            }
            Kind::SupersededWithoutSuccessor => {
                "A superseded decision record names no record that supersedes it"
            }
            Kind::UnreadableAdr => "A file named like a decision record cannot be read as one",
            Kind::StatelessOnStatefulset => "A component decided stateless runs as a StatefulSet",
            Kind::StatelessWithPersistentVolume => {
                "A component decided stateless mounts a persistent volume"
            }
            Kind::StatelessWithStickySessions => {
                "A component decided stateless is pinned per client or per key by its deployment (sessionAffinity ClientIP, a sticky cookie, consistent hashing)"
            }
            Kind::StatelessSingleReplica => "A component decided stateless runs one fixed instance",
            Kind::StatefulOnEphemeralStorage => {
                "A component decided stateful keeps the only copy of its state on an emptyDir or no volume, and nothing recovers it"
            }
            Kind::StatefulAutoscaledWithoutHandover => {
                "A component decided stateful is scaled down by an autoscaler while nothing hands its state over"
            }
            Kind::StatefulSingleReplicaAtHighAvailability => {
                "A component decided stateful runs one instance under an availability target of 99.9% or more"
            }
            Kind::ComponentWithoutWorkload => {
                "A component of the spec has no workload in the deployment files"
            }
            Kind::WorkloadWithoutComponent => {
                "A workload of the deployment files has no component in the spec"
            }
        }
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// What kind of finding.
    #[serde(rename = "rule")]
    pub kind: Kind,
    /// The component it is about, if one.
    pub component: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The file it is about (the spec).
    pub file: String,
    /// The line of the spec, where there is one.
    pub line: Option<usize>,
    /// The number of the decision record it is about, where there is one:
    /// part of the finding's fingerprint, which never holds a line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u32>,
    /// The workload of the deployment files it is about, where there is
    /// one: part of the finding's fingerprint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
}

/// What a decision record says about the spec it was made from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recorded {
    /// The record's file name.
    pub file: String,
    /// Its number.
    pub number: u32,
    /// Digest of the parsed spec it was made from.
    pub spec_digest: String,
    /// The verdict it recorded per component.
    pub verdicts: Vec<(String, String)>,
    /// The decided verdict it recorded per component; empty in records
    /// that do not say.
    pub decisions: Vec<(String, String)>,
    /// The stated values that fed each verdict; empty in records that do
    /// not keep them.
    pub facts: Vec<(String, Vec<(String, String)>)>,
}

/// What `check` compares.
pub struct Inputs<'a> {
    /// The analysis of the spec.
    pub report: &'a Report<'a>,
    /// The spec file as named.
    pub spec_file: &'a str,
    /// The spec's text, to find lines.
    pub spec_text: &'a str,
    /// The digest of the spec as it is now.
    pub spec_digest: &'a str,
    /// The latest record for this system, if any.
    pub record: Option<&'a Recorded>,
    /// The record folder, for messages.
    pub dir: &'a str,
    /// Whether a missing record is an error.
    pub require_adr: bool,
}

/// The findings, in spec order, then about the record.
pub fn findings(i: &Inputs) -> Vec<Finding> {
    let lines = crate::core::locate::component_lines(i.spec_text);
    let line_of = |name: &str, decision: bool| {
        lines
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, item, d)| if decision { d.unwrap_or(*item) } else { *item })
    };
    let finding = |severity, kind, component: Option<&str>, message: String, line| Finding {
        severity,
        kind,
        component: component.map(str::to_owned),
        message,
        file: i.spec_file.to_owned(),
        line,
        record: None,
        workload: None,
    };
    // The spec as a command line would name it again (`-` for stdin).
    let again = if i.spec_file == "<stdin>" {
        "-"
    } else {
        i.spec_file
    };
    let mut out = Vec::new();
    for c in &i.report.components {
        let Some(decided) = c.component.decision.filter(|d| *d != c.verdict) else {
            continue;
        };
        let line = line_of(c.name(), true);
        out.push(match &c.component.decision_reason {
            Some(reason) => finding(
                Severity::Note,
                Kind::AcceptedDeparture,
                Some(c.name()),
                format!(
                    "decided {decided} where the advice is {}, for a stated reason: {}",
                    c.verdict,
                    reason.trim()
                ),
                line,
            ),
            None => finding(
                Severity::Error,
                Kind::DecisionContradictsAdvice,
                Some(c.name()),
                format!(
                    "decided {decided} but the advice is {} (confidence {:.2}); follow the advice or add `decision_reason` saying why (`statewise explain {} {}` shows the reasons)",
                    c.verdict,
                    c.confidence,
                    escape::shell(again),
                    escape::shell(c.name())
                ),
                line,
            ),
        });
    }
    out.extend(dependencies_below_target(i.report, i.spec_file, &line_of));
    out.extend(unrecoverable_state(i.report, i.spec_file, &line_of));
    let system = i.report.spec.system.name.as_str();
    match i.record {
        None => out.push(finding(
            if i.require_adr {
                Severity::Error
            } else {
                Severity::Note
            },
            Kind::NoAdr,
            None,
            format!(
                "no decision record for `{system}` in `{}`; `statewise adr {}` writes one",
                i.dir,
                escape::shell(again)
            ),
            None,
        )),
        Some(r) if r.spec_digest != i.spec_digest => {
            out.push(Finding {
                record: Some(r.number),
                ..finding(
                    Severity::Error,
                    Kind::SpecChanged,
                    None,
                    format!(
                        "the spec changed since `{}/{}` recorded the decision; record the new one with `statewise adr {} --supersedes {}`",
                        i.dir,
                        r.file,
                        escape::shell(again),
                        r.number
                    ),
                    Some(1),
                )
            });
            let since = format!("{}/{}", i.dir, r.file);
            for (name, message) in moved_since(i.report, r, &since) {
                let line = name.as_deref().and_then(|n| line_of(n, false));
                out.push(Finding {
                    record: Some(r.number),
                    ..finding(
                        Severity::Note,
                        Kind::ChangedSinceAdr,
                        name.as_deref(),
                        message,
                        line,
                    )
                });
            }
        }
        Some(r) => {
            for c in &i.report.components {
                let recorded = r
                    .verdicts
                    .iter()
                    .find(|(n, _)| n == c.name())
                    .map(|(_, v)| v.as_str());
                if recorded.is_some_and(|v| v != c.verdict.as_str()) {
                    out.push(Finding {
                        record: Some(r.number),
                        ..finding(
                        Severity::Warning,
                        Kind::AdviceChanged,
                        Some(c.name()),
                        format!(
                            "the advice is now {} but `{}/{}` recorded {} for the same spec: the rules changed; review and record it with `statewise adr {} --supersedes {}`",
                            c.verdict,
                            i.dir,
                            r.file,
                            recorded.unwrap_or_default(),
                            escape::shell(again),
                            r.number
                        ),
                        line_of(c.name(), false),
                    )
                    });
                }
            }
        }
    }
    out
}

/// What moved in each component since record `r`: the stated values that
/// changed (when the record keeps them) and the advice and decided verdict
/// before and after; components added and removed. `(component, message)`
/// in spec order, removed components last.
fn moved_since(report: &Report, r: &Recorded, since: &str) -> Vec<(Option<String>, String)> {
    use crate::core::diff::{changes_between, facts};
    let recorded = |pairs: &[(String, String)], name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut out = Vec::new();
    for c in &report.components {
        let name = c.name();
        let Some(advised) = recorded(&r.verdicts, name) else {
            out.push((
                Some(name.to_owned()),
                format!("new since `{since}`: advised {}", c.verdict),
            ));
            continue;
        };
        let mut parts: Vec<String> = Vec::new();
        let kept = r.facts.iter().find(|(n, _)| n == name);
        if let Some((_, before)) = kept {
            let before: Vec<(&str, Option<String>)> = before
                .iter()
                .map(|(f, v)| (f.as_str(), Some(v.clone())))
                .collect();
            for ch in changes_between(&before, &facts(c.component)) {
                parts.push(format!(
                    "{} {} -> {}",
                    ch.field,
                    ch.before.as_deref().unwrap_or("(unset)"),
                    ch.after.as_deref().unwrap_or("(unset)")
                ));
            }
        }
        if advised != c.verdict.as_str() {
            parts.push(format!("advice {advised} -> {}", c.verdict));
        }
        if let Some(decided) = recorded(&r.decisions, name)
            && decided != c.decided().as_str()
        {
            parts.push(format!("decided {decided} -> {}", c.decided()));
        }
        if parts.is_empty() {
            continue;
        }
        let unknown = if kept.is_none() && !r.facts.is_empty() {
            ""
        } else if kept.is_none() {
            " (the record keeps no criteria, so only the verdicts are compared)"
        } else {
            ""
        };
        out.push((
            Some(name.to_owned()),
            format!("since `{since}`: {}{unknown}", parts.join(", ")),
        ));
    }
    for (name, advised) in &r.verdicts {
        if !report.components.iter().any(|c| c.name() == name) {
            out.push((
                None,
                format!("`{name}` is gone since `{since}`, where it was advised {advised}"),
            ));
        }
    }
    out
}

/// A caller can be no more available than the stateful components it
/// depends on: when a dependency the team keeps stateful (decided, or
/// advised) targets less availability than a caller, or states none while
/// the caller states one, the caller's target is out of reach.
fn dependencies_below_target(
    report: &Report,
    spec_file: &str,
    line_of: &dyn Fn(&str, bool) -> Option<usize>,
) -> Vec<Finding> {
    let target =
        |c: &crate::core::report::ComponentReport| c.component.availability.map(|a| a.get());
    let mut out = Vec::new();
    for caller in &report.components {
        let Some(wanted) = target(caller) else {
            continue;
        };
        for dep in &caller.component.depends_on {
            let Some(d) = report.components.iter().find(|c| c.name() == dep.as_str()) else {
                continue;
            };
            if d.decided() == crate::core::spec::values::Verdict::Stateless {
                continue;
            }
            let message = match target(d) {
                Some(has) if has < wanted => format!(
                    "`{}` targets {}% availability but depends on `{}`, which keeps state and targets {}%: raise `{}`'s target (replicas, failover) or lower `{}`'s",
                    caller.name(),
                    crate::core::text::yaml_number(wanted),
                    d.name(),
                    crate::core::text::yaml_number(has),
                    d.name(),
                    caller.name()
                ),
                Some(_) => continue,
                None => format!(
                    "`{}` targets {}% availability but depends on `{}`, which keeps state and states no target: give `{}` an `availability` at least as high",
                    caller.name(),
                    crate::core::text::yaml_number(wanted),
                    d.name(),
                    d.name()
                ),
            };
            out.push(Finding {
                severity: Severity::Warning,
                kind: Kind::DependencyBelowTarget,
                component: Some(caller.name().to_owned()),
                message,
                file: spec_file.to_owned(),
                line: line_of(caller.name(), false),
                record: None,
                workload: None,
            });
        }
    }
    out
}

/// A component kept stateful (decided, or advised) whose spec says nothing
/// recovers its state, under a target of 99.9% or more (its own, else its
/// callers'): losing an instance is an outage the target does not allow.
fn unrecoverable_state(
    report: &Report,
    spec_file: &str,
    line_of: &dyn Fn(&str, bool) -> Option<usize>,
) -> Vec<Finding> {
    report
        .components
        .iter()
        .filter_map(|c| {
            let u = crate::core::plan::unrecovered(&c.facts, c.decided())?;
            Some(Finding {
                severity: Severity::Warning,
                kind: Kind::UnrecoverableState,
                component: Some(c.name().to_owned()),
                message: crate::core::text::upper_first(&u.risk()),
                file: spec_file.to_owned(),
                line: line_of(c.name(), false),
                record: None,
                workload: None,
            })
        })
        .collect()
}

/// The exit code for these findings: 1 when one is at or above `fail_on`.
pub fn exit_code(findings: &[Finding], fail_on: Severity) -> i32 {
    i32::from(findings.iter().any(|f| f.severity >= fail_on))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::report::analyze;
    use crate::core::rules::rule_set::RuleSet;
    use crate::core::spec::kinds::Kinds;
    use crate::core::spec::model::Spec;

    const SPEC: &str = "version: 1\nsystem: {name: S}\ncomponents:\n  - name: gw\n    kind: chat\n    decision: stateless\n  - name: api\n    kind: rest-api\n    decision: stateful\n    decision_reason: legacy sessions, until Q3\n";

    fn run(record: Option<&Recorded>, require: bool) -> Vec<Finding> {
        let spec = Spec::from_yaml(SPEC, "s.yaml").unwrap();
        let rules = RuleSet::builtin();
        let report = analyze(&spec, &rules, Kinds::builtin());
        let digest = crate::core::digest::spec(&spec);
        findings(&Inputs {
            report: &report,
            spec_file: "s.yaml",
            spec_text: SPEC,
            spec_digest: &digest,
            record,
            dir: "docs/adr",
            require_adr: require,
        })
    }

    #[test]
    fn contradicting_decisions_fail_and_reasoned_ones_pass() {
        let f = run(None, false);
        assert_eq!(f[0].kind, Kind::DecisionContradictsAdvice);
        assert_eq!(
            (f[0].severity, f[0].line, f[0].component.as_deref()),
            (Severity::Error, Some(6), Some("gw"))
        );
        assert_eq!(f[1].kind, Kind::AcceptedDeparture);
        assert_eq!((f[1].severity, f[1].line), (Severity::Note, Some(9)));
        assert_eq!(f[2].kind, Kind::NoAdr);
        assert_eq!(f[2].severity, Severity::Note);
        assert_eq!(exit_code(&f, Severity::Error), 1);
        assert_eq!(run(None, true)[2].severity, Severity::Error);
    }

    #[test]
    fn a_record_of_another_spec_is_drift_and_changed_advice_a_warning() {
        let old = Recorded {
            file: "0002-x.md".into(),
            number: 2,
            spec_digest: "sha256:old".into(),
            verdicts: vec![],
            decisions: vec![],
            facts: vec![],
        };
        let f = run(Some(&old), false);
        let drift = f.iter().find(|f| f.kind == Kind::SpecChanged).unwrap();
        assert!(
            drift.message.contains("docs/adr/0002-x.md"),
            "{}",
            drift.message
        );
        assert!(
            drift.message.contains("--supersedes 2"),
            "{}",
            drift.message
        );
        let spec = Spec::from_yaml(SPEC, "s").unwrap();
        let same = Recorded {
            spec_digest: crate::core::digest::spec(&spec),
            verdicts: vec![
                ("gw".into(), "stateless".into()),
                ("api".into(), "stateless".into()),
            ],
            ..old
        };
        let f = run(Some(&same), false);
        let changed: Vec<_> = f.iter().filter(|f| f.kind == Kind::AdviceChanged).collect();
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].component.as_deref(), Some("gw"));
        assert_eq!(exit_code(&[changed[0].clone()], Severity::Error), 0);
        assert_eq!(exit_code(&[changed[0].clone()], Severity::Warning), 1);
    }
}
