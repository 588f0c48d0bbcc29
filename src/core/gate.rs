//! Adopting `check` gradually: every finding gets a fingerprint (its rule
//! id, component and record, never a line), then waivers in the spec and a
//! baseline of known findings set some aside, and `--fail-on` decides the
//! exit code from what is left. Pure: the baseline's text is read by the
//! command and handed in.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::core::check::{Finding, Severity};
use crate::core::error::{Diagnostic, Error, Result};
use crate::core::spec::model::Spec;

/// Version of the baseline file's shape.
pub const BASELINE_VERSION: u32 = 1;

/// Why a finding does not count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Suppression {
    /// A waiver in the spec, with its reason.
    Waived {
        /// The waiver's reason.
        reason: String,
    },
    /// An entry of the baseline file.
    Baselined,
}

/// A finding with its fingerprint and whether it is set aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gated {
    /// The finding.
    pub finding: Finding,
    /// Stable across runs and edits that move lines.
    pub fingerprint: String,
    /// Set when a waiver or the baseline sets it aside.
    pub suppressed: Option<Suppression>,
}

/// One known finding in a baseline file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The finding's fingerprint: what is compared.
    pub fingerprint: String,
    /// Its rule id, for people reading the file.
    pub rule: String,
    /// Its component, for people reading the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// Its message when the baseline was made, for people reading the file.
    #[serde(default)]
    pub message: String,
}

/// A baseline file: the findings a team accepted when it adopted `check`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Always [`BASELINE_VERSION`].
    pub statewise_baseline: u32,
    /// The findings, in the order `check` reported them.
    pub findings: Vec<BaselineEntry>,
}

impl Baseline {
    /// Parses a baseline file; errors carry the file, line and column.
    pub fn parse(text: &str, file: &str) -> Result<Baseline> {
        let baseline: Baseline = serde_json::from_str(text).map_err(|e| {
            let d = Diagnostic::new(file, e.to_string().split(" at line ").next().unwrap_or_default().to_owned())
                .with_help("a baseline is the JSON file `statewise check --create-baseline FILE` writes; write it again");
            Error::Baseline(Box::new(if e.line() > 0 {
                d.at(text, e.line(), e.column().max(1))
            } else {
                d
            }))
        })?;
        if baseline.statewise_baseline != BASELINE_VERSION {
            return Err(Error::Baseline(Box::new(
                Diagnostic::new(
                    file,
                    format!(
                        "baseline version {} is not one this statewise reads (it reads {BASELINE_VERSION})",
                        baseline.statewise_baseline
                    ),
                )
                .with_help("write the baseline again with `statewise check --create-baseline FILE`"),
            )));
        }
        Ok(baseline)
    }

    /// The baseline of these findings: every one no waiver sets aside.
    pub fn of(gated: &[Gated]) -> Baseline {
        Baseline {
            statewise_baseline: BASELINE_VERSION,
            findings: gated
                .iter()
                .filter(|g| !matches!(g.suppressed, Some(Suppression::Waived { .. })))
                .map(|g| BaselineEntry {
                    fingerprint: g.fingerprint.clone(),
                    rule: g.finding.kind.id().to_owned(),
                    component: g.finding.component.clone(),
                    message: g.finding.message.clone(),
                })
                .collect(),
        }
    }

    /// The file's text: pretty JSON with a final newline.
    pub fn render(&self) -> String {
        let mut text = crate::core::escape::json_pretty(self);
        text.push('\n');
        text
    }
}

/// A waiver that set no finding aside: a typo in its rule id, or a finding
/// long fixed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnusedWaiver {
    /// The component that holds it; `None` for a waiver of the system's.
    pub component: Option<String>,
    /// The rule id it names.
    pub rule: String,
    /// The workload a system waiver names, if it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
}

/// The least severity that fails the check, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// Findings at or above this severity fail.
    At(Severity),
    /// Nothing fails: an advisory run.
    Never,
}

/// What the gate decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Every finding, in `check`'s order, with what sets it aside.
    pub findings: Vec<Gated>,
    /// Baseline entries that match no finding any more.
    pub stale: Vec<BaselineEntry>,
    /// Waivers that set nothing aside.
    pub unused_waivers: Vec<UnusedWaiver>,
    /// 0, or 1 when a finding that counts is at or above `--fail-on`.
    pub code: i32,
}

/// The tally the outputs print.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Errors that count.
    pub errors: usize,
    /// Warnings that count.
    pub warnings: usize,
    /// Notes that count.
    pub notes: usize,
    /// Findings a waiver set aside.
    pub waived: usize,
    /// Findings the baseline set aside.
    pub baselined: usize,
}

impl Outcome {
    /// The findings that count: no waiver or baseline entry sets them aside.
    pub fn open(&self) -> impl Iterator<Item = &Gated> {
        self.findings.iter().filter(|g| g.suppressed.is_none())
    }

    /// The findings set aside.
    pub fn suppressed(&self) -> impl Iterator<Item = &Gated> {
        self.findings.iter().filter(|g| g.suppressed.is_some())
    }

    /// Whether the check passed (exit code 0).
    pub fn passed(&self) -> bool {
        self.code == 0
    }

    /// Counts by severity of the open findings, and of those set aside.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for g in &self.findings {
            match (&g.suppressed, g.finding.severity) {
                (Some(Suppression::Waived { .. }), _) => s.waived += 1,
                (Some(Suppression::Baselined), _) => s.baselined += 1,
                (None, Severity::Error) => s.errors += 1,
                (None, Severity::Warning) => s.warnings += 1,
                (None, Severity::Note) => s.notes += 1,
            }
        }
        s
    }
}

/// The fingerprint of each finding: a digest of its rule id, component and
/// record. Two findings with the same three (a caller with two dependencies
/// below its target) are told apart by their order.
pub fn fingerprints(findings: &[Finding]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let mut key = format!(
                "{}\u{0}{}\u{0}{}",
                f.kind.id(),
                f.component.as_deref().unwrap_or_default(),
                f.record.map(|n| n.to_string()).unwrap_or_default()
            );
            if let Some(w) = &f.workload {
                key.push_str(&format!("\u{0}{w}"));
            }
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            let hash = Sha256::digest(format!("statewise-check-v1\u{0}{key}\u{0}{n}").as_bytes());
            hash.iter().take(16).map(|b| format!("{b:02x}")).collect()
        })
        .collect()
}

/// Applies the spec's waivers (unless `use_waivers` is false) and the
/// baseline to `findings`, then `fail_on`.
pub fn apply(
    findings: Vec<Finding>,
    spec: &Spec,
    use_waivers: bool,
    baseline: Option<&Baseline>,
    fail_on: FailOn,
) -> Outcome {
    let prints = fingerprints(&findings);
    let known: BTreeSet<&str> = baseline
        .map(|b| b.findings.iter().map(|e| e.fingerprint.as_str()).collect())
        .unwrap_or_default();
    let mut used_waivers: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut matched: BTreeSet<&str> = BTreeSet::new();
    let mut gated = Vec::with_capacity(findings.len());
    for (finding, fingerprint) in findings.into_iter().zip(prints) {
        // The system's waivers: findings about no one component, each
        // narrowed to one workload when it names one.
        let system = spec.components.len();
        let waiver = if use_waivers && finding.component.is_none() {
            spec.system
                .waivers
                .iter()
                .enumerate()
                .find(|(_, w)| {
                    w.rule.as_str() == finding.kind.id()
                        && w.workload
                            .as_ref()
                            .is_none_or(|name| finding.workload.as_deref() == Some(name.as_str()))
                })
                .map(|(wi, w)| {
                    used_waivers.insert((system, wi));
                    w.reason.as_str().to_owned()
                })
        } else if use_waivers {
            finding.component.as_deref().and_then(|name| {
                let (ci, c) = spec
                    .components
                    .iter()
                    .enumerate()
                    .find(|(_, c)| c.name.as_str() == name)?;
                let (wi, w) = c
                    .waivers
                    .iter()
                    .enumerate()
                    .find(|(_, w)| w.rule.as_str() == finding.kind.id())?;
                used_waivers.insert((ci, wi));
                Some(w.reason.as_str().to_owned())
            })
        } else {
            None
        };
        let suppressed = match waiver {
            Some(reason) => Some(Suppression::Waived { reason }),
            None => match known.get(fingerprint.as_str()) {
                Some(k) => {
                    matched.insert(k);
                    Some(Suppression::Baselined)
                }
                None => None,
            },
        };
        gated.push(Gated {
            finding,
            fingerprint,
            suppressed,
        });
    }
    let stale = baseline
        .map(|b| {
            b.findings
                .iter()
                .filter(|e| !matched.contains(e.fingerprint.as_str()))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let unused_waivers = if use_waivers {
        spec.components
            .iter()
            .enumerate()
            .flat_map(|(ci, c)| {
                let used = &used_waivers;
                c.waivers
                    .iter()
                    .enumerate()
                    .filter(move |(wi, _)| !used.contains(&(ci, *wi)))
                    .map(move |(_, w)| UnusedWaiver {
                        component: Some(c.name.as_str().to_owned()),
                        rule: w.rule.as_str().to_owned(),
                        workload: None,
                    })
            })
            .chain(
                spec.system
                    .waivers
                    .iter()
                    .enumerate()
                    .filter(|(wi, _)| !used_waivers.contains(&(spec.components.len(), *wi)))
                    .map(|(_, w)| UnusedWaiver {
                        component: None,
                        rule: w.rule.as_str().to_owned(),
                        workload: w.workload.as_ref().map(|n| n.as_str().to_owned()),
                    }),
            )
            .collect()
    } else {
        Vec::new()
    };
    let code = match fail_on {
        FailOn::Never => 0,
        FailOn::At(least) => i32::from(
            gated
                .iter()
                .any(|g| g.suppressed.is_none() && g.finding.severity >= least),
        ),
    };
    Outcome {
        findings: gated,
        stale,
        unused_waivers,
        code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::check::Kind;

    const SPEC: &str = "version: 1\nsystem: {name: S}\ncomponents:\n  - name: gw\n    waivers:\n      - {rule: decision-contradicts-advice, reason: moving in Q3}\n      - {rule: no-such-rule, reason: typo}\n  - name: api\n";

    fn finding(kind: Kind, severity: Severity, component: Option<&str>, line: usize) -> Finding {
        Finding {
            severity,
            kind,
            component: component.map(str::to_owned),
            message: format!("{} at {line}", kind.id()),
            file: "s.yaml".into(),
            line: Some(line),
            record: None,
            workload: None,
        }
    }

    fn spec() -> Spec {
        Spec::from_yaml(SPEC, "s.yaml").unwrap()
    }

    #[test]
    fn fingerprints_ignore_lines_and_messages_but_not_rule_component_or_record() {
        let a = finding(
            Kind::DecisionContradictsAdvice,
            Severity::Error,
            Some("gw"),
            3,
        );
        let moved = finding(
            Kind::DecisionContradictsAdvice,
            Severity::Error,
            Some("gw"),
            30,
        );
        assert_eq!(
            fingerprints(std::slice::from_ref(&a)),
            fingerprints(&[moved])
        );
        let other = finding(
            Kind::DecisionContradictsAdvice,
            Severity::Error,
            Some("api"),
            3,
        );
        assert_ne!(
            fingerprints(std::slice::from_ref(&a)),
            fingerprints(&[other])
        );
        let recorded = Finding {
            record: Some(2),
            ..a.clone()
        };
        assert_ne!(
            fingerprints(std::slice::from_ref(&a)),
            fingerprints(&[recorded])
        );
        let twice = fingerprints(&[a.clone(), a.clone()]);
        assert_ne!(twice[0], twice[1]);
        assert_eq!(twice[0].len(), 32);
    }

    #[test]
    fn a_waiver_sets_its_finding_aside_and_an_unused_one_is_reported() {
        let findings = vec![
            finding(
                Kind::DecisionContradictsAdvice,
                Severity::Error,
                Some("gw"),
                3,
            ),
            finding(
                Kind::DecisionContradictsAdvice,
                Severity::Error,
                Some("api"),
                9,
            ),
        ];
        let out = apply(
            findings.clone(),
            &spec(),
            true,
            None,
            FailOn::At(Severity::Error),
        );
        assert_eq!(
            out.findings[0].suppressed,
            Some(Suppression::Waived {
                reason: "moving in Q3".into()
            })
        );
        assert_eq!(out.findings[1].suppressed, None);
        assert_eq!(out.code, 1);
        assert_eq!(
            out.unused_waivers,
            vec![UnusedWaiver {
                component: Some("gw".into()),
                rule: "no-such-rule".into(),
                workload: None
            }]
        );
        let s = out.summary();
        assert_eq!((s.errors, s.waived), (1, 1));
        let off = apply(findings, &spec(), false, None, FailOn::At(Severity::Error));
        assert!(off.findings.iter().all(|g| g.suppressed.is_none()));
        assert!(off.unused_waivers.is_empty());
    }

    #[test]
    fn a_baseline_sets_known_findings_aside_and_flags_stale_entries() {
        let old = vec![
            finding(
                Kind::DecisionContradictsAdvice,
                Severity::Error,
                Some("api"),
                9,
            ),
            finding(Kind::NoAdr, Severity::Note, None, 1),
        ];
        let made = apply(old, &spec(), true, None, FailOn::At(Severity::Error));
        let baseline = Baseline::of(&made.findings);
        let text = baseline.render();
        let back = Baseline::parse(&text, "b.json").unwrap();
        assert_eq!(back, baseline);
        let now = vec![
            finding(
                Kind::DecisionContradictsAdvice,
                Severity::Error,
                Some("api"),
                12,
            ),
            finding(
                Kind::DependencyBelowTarget,
                Severity::Warning,
                Some("api"),
                12,
            ),
        ];
        let out = apply(now, &spec(), true, Some(&back), FailOn::At(Severity::Error));
        assert_eq!(out.findings[0].suppressed, Some(Suppression::Baselined));
        assert_eq!(out.findings[1].suppressed, None);
        assert_eq!(out.code, 0);
        assert_eq!(out.stale.len(), 1);
        assert_eq!(out.stale[0].rule, "no-adr");
        let s = out.summary();
        assert_eq!((s.baselined, s.warnings), (1, 1));
        let strict = apply(
            out.findings.into_iter().map(|g| g.finding).collect(),
            &spec(),
            true,
            Some(&back),
            FailOn::At(Severity::Warning),
        );
        assert_eq!(strict.code, 1);
    }

    #[test]
    fn fail_on_never_and_note() {
        let f = vec![finding(Kind::NoAdr, Severity::Note, None, 1)];
        assert_eq!(
            apply(f.clone(), &spec(), true, None, FailOn::At(Severity::Error)).code,
            0
        );
        assert_eq!(
            apply(f.clone(), &spec(), true, None, FailOn::At(Severity::Note)).code,
            1
        );
        let e = vec![finding(Kind::SpecChanged, Severity::Error, None, 1)];
        assert_eq!(apply(e, &spec(), true, None, FailOn::Never).code, 0);
    }

    #[test]
    fn bad_baselines_are_located() {
        let Err(Error::Baseline(d)) = Baseline::parse(
            "{\n  \"statewise_baseline\": 1,\n  \"findings\": 3\n}",
            "b.json",
        ) else {
            panic!("not a baseline error");
        };
        assert_eq!((d.file.as_str(), d.line), ("b.json", Some(3)));
        assert!(
            Baseline::parse("{\"statewise_baseline\": 9, \"findings\": []}", "b.json").is_err()
        );
    }
}
