//! Why a component got its verdict: every rule that fired with the values it
//! saw, the rules that nearly fired, how the scores became the verdict, and
//! the tipping points, the smallest change of each criterion that would flip
//! the verdict, found by evaluating again with one input changed at a time.

use serde::Serialize;

use crate::core::engine::{self, HYBRID_MIN_BALANCE, HYBRID_MIN_SIDE, STRENGTH_HALF, Scores};
use crate::core::facts::{Facts, Origin, Surroundings, Value};
use crate::core::rules::condition::Leaf;
use crate::core::rules::rule::Rule;
use crate::core::rules::rule_set::RuleSet;
use crate::core::spec::field::{Field, FieldType};
use crate::core::spec::kinds::Kinds;
use crate::core::spec::model::Component;
use crate::core::spec::values::Verdict;
use crate::core::spec::yaml::criterion_value;
use crate::core::text::yaml_number;

/// A rule that fired, with the tests it passed.
#[derive(Debug)]
pub struct Fired<'r> {
    /// The rule.
    pub rule: &'r Rule,
    /// Its field tests, with the values seen.
    pub leaves: Vec<Leaf>,
}

/// A rule that did not fire because exactly one of its conditions failed.
#[derive(Debug)]
pub struct NearMiss<'r> {
    /// The rule.
    pub rule: &'r Rule,
    /// The condition that failed, as text.
    pub failed: String,
    /// Its field tests, with the values seen.
    pub leaves: Vec<Leaf>,
}

/// A change of one criterion that flips the verdict.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TippingPoint {
    /// The criterion.
    #[serde(serialize_with = "field_name")]
    pub field: Field,
    /// Its value in the spec (or from the kind), as YAML text; `None` when unset.
    pub from: Option<String>,
    /// The value that flips the verdict; `None` means leaving it out.
    pub to: Option<String>,
    /// The verdict with that value.
    pub verdict: Verdict,
}

fn field_name<S: serde::Serializer>(f: &Field, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(f.name())
}

impl std::fmt::Display for TippingPoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.to {
            Some(v) => write!(
                f,
                "with `{}: {v}` it would be {}",
                self.field.name(),
                self.verdict
            ),
            None => write!(
                f,
                "without `{}` it would be {}",
                self.field.name(),
                self.verdict
            ),
        }
    }
}

/// Everything `explain` says about one component.
#[derive(Debug)]
pub struct Explanation<'r> {
    /// The component's facts.
    pub facts: Facts,
    /// Fired rules, heaviest first.
    pub fired: Vec<Fired<'r>>,
    /// Rules one condition short of firing.
    pub near: Vec<NearMiss<'r>>,
    /// Summed weights.
    pub scores: Scores,
    /// The verdict.
    pub verdict: Verdict,
    /// The confidence.
    pub confidence: f64,
    /// How the scores became the verdict, step by step.
    pub steps: Vec<String>,
    /// Changes that flip the verdict, one per criterion at most.
    pub tipping_points: Vec<TippingPoint>,
}

/// Explains the verdict of `component`.
pub fn explain<'r>(
    component: &Component,
    around: &Surroundings,
    rules: &'r RuleSet,
    kinds: &Kinds,
) -> Explanation<'r> {
    let facts = Facts::within(component, kinds, around);
    let eval = engine::evaluate(&facts, rules);
    let fired = eval
        .fired
        .iter()
        .map(|r| Fired {
            rule: r,
            leaves: r.when.leaves(&facts),
        })
        .collect();
    let near = rules
        .rules()
        .iter()
        .filter(|r| !eval.fired.iter().any(|f| f.id == r.id))
        .filter_map(|r| {
            let parts = r.when.conjuncts();
            let failing: Vec<_> = parts.iter().filter(|c| !c.holds(&facts)).collect();
            // Only a rule of several conditions can nearly fire.
            match failing.as_slice() {
                [one] if parts.len() > 1 => Some(NearMiss {
                    rule: r,
                    failed: one.to_string(),
                    leaves: one.leaves(&facts),
                }),
                _ => None,
            }
        })
        .collect();
    Explanation {
        steps: steps(
            eval.scores,
            eval.verdict,
            eval.confidence,
            eval.fired.iter().find(|r| r.owner).map(|r| r.id.as_str()),
        ),
        tipping_points: tipping_points(component, around, rules, kinds, eval.verdict),
        facts,
        fired,
        near,
        scores: eval.scores,
        verdict: eval.verdict,
        confidence: eval.confidence,
    }
}

fn steps(scores: Scores, verdict: Verdict, confidence: f64, owner: Option<&str>) -> Vec<String> {
    let (s, l) = (scores.stateful, scores.stateless);
    let total = s + l;
    let mut out = vec![format!(
        "stateful S = {s}, stateless L = {l}, total T = {total}"
    )];
    if let Some(id) = owner {
        let strength = f64::from(total) / (f64::from(total) + STRENGTH_HALF);
        out.push(format!(
            "`{id}` marks a store: stateful by nature, whatever the other side weighs"
        ));
        out.push(format!(
            "stateful; confidence = agreement {s}/{total} = {:.2} x strength T/(T+{STRENGTH_HALF}) {strength:.2} = {confidence:.2}",
            f64::from(s) / f64::from(total)
        ));
        return out;
    }
    if total == 0 {
        out.push("no rule fired: stateless by default, confidence 0".into());
        return out;
    }
    let (lo, hi) = (s.min(l), s.max(l));
    let balance = f64::from(lo) / f64::from(hi);
    let both = s >= HYBRID_MIN_SIDE && l >= HYBRID_MIN_SIDE;
    out.push(format!(
        "hybrid needs both sides >= {HYBRID_MIN_SIDE} and min/max >= {HYBRID_MIN_BALANCE}: sides {}, min/max = {lo}/{hi} = {balance:.2}",
        if both { "yes" } else { "no" }
    ));
    let strength = f64::from(total) / (f64::from(total) + STRENGTH_HALF);
    match verdict {
        Verdict::Hybrid => out.push(format!(
            "hybrid; confidence = balance {balance:.2} x strength T/(T+{STRENGTH_HALF}) {strength:.2} = {confidence:.2}"
        )),
        v => {
            let won = if v == Verdict::Stateful { s } else { l };
            let rule = if s == l { " (a tie goes to stateless)" } else { "" };
            out.push(format!(
                "{v}{rule}; confidence = agreement {won}/{total} = {:.2} x strength T/(T+{STRENGTH_HALF}) {strength:.2} = {confidence:.2}",
                f64::from(won) / f64::from(total)
            ));
        }
    }
    out
}

fn verdict_with(
    c: &Component,
    around: &Surroundings,
    field: Field,
    value: Option<&str>,
    rules: &RuleSet,
    kinds: &Kinds,
) -> Option<Verdict> {
    let mut changed = c.clone();
    changed.set_criterion(field, value);
    if value.is_some() && criterion_value(&changed, field).is_none() {
        return None; // out of range for the field
    }
    Some(engine::evaluate(&Facts::within(&changed, kinds, around), rules).verdict)
}

/// The step by which a number is nudged past a bound.
fn step(field: Field) -> f64 {
    match field {
        Field::Availability => 0.01,
        Field::StateKbPerClient | Field::RequestContextKb | Field::MemoryBudgetMb => 0.5,
        _ => 1.0,
    }
}

fn round_to(v: f64, step: f64) -> f64 {
    (v / step).round() * step
}

/// Values of a numeric field worth trying: each bound the rules compare it
/// with, nudged both ways, and the values that put a derived fact on its
/// bounds given the other inputs.
fn numeric_candidates(field: Field, facts: &Facts, rules: &RuleSet) -> Vec<f64> {
    let num = |f: Field| facts.get(f).and_then(Value::as_number);
    let mut anchors: Vec<f64> = Vec::new();
    let bounds = |f: Field| -> Vec<f64> {
        rules
            .rules()
            .iter()
            .flat_map(|r| r.when.bounds(f))
            .collect()
    };
    anchors.extend(bounds(field));
    let (rebuild, latency) = (num(Field::ContextRebuildMs), num(Field::LatencyMs));
    let (clients, kb, budget) = (
        num(Field::ConcurrentClients),
        num(Field::StateKbPerClient),
        num(Field::MemoryBudgetMb),
    );
    for share in bounds(Field::RebuildShare) {
        match field {
            Field::LatencyMs if share > 0.0 => anchors.extend(rebuild.map(|r| r / share)),
            Field::ContextRebuildMs => anchors.extend(latency.map(|l| l * share)),
            _ => {}
        }
    }
    let state_mb = |c: Option<f64>, k: Option<f64>| Some(c? * k? / 1024.0);
    for mb in bounds(Field::StateMemoryMb) {
        match field {
            Field::ConcurrentClients => {
                anchors.extend(kb.filter(|k| *k > 0.0).map(|k| mb * 1024.0 / k))
            }
            Field::StateKbPerClient => anchors.extend(clients.map(|c| mb * 1024.0 / c)),
            _ => {}
        }
    }
    for h in bounds(Field::MemoryHeadroom)
        .into_iter()
        .filter(|h| *h > 0.0)
    {
        match field {
            Field::MemoryBudgetMb => anchors.extend(state_mb(clients, kb).map(|mb| h * mb)),
            Field::ConcurrentClients => {
                anchors.extend(
                    budget
                        .zip(kb)
                        .filter(|(_, k)| *k > 0.0)
                        .map(|(b, k)| b * 1024.0 / (h * k)),
                );
            }
            Field::StateKbPerClient => {
                anchors.extend(budget.zip(clients).map(|(b, c)| b * 1024.0 / (h * c)))
            }
            _ => {}
        }
    }
    let d = step(field);
    let mut out: Vec<f64> = anchors
        .into_iter()
        .filter(|a| a.is_finite())
        .flat_map(|a| {
            [
                round_to(a, d),
                round_to(a, d) - d,
                round_to(a, d) + d,
                (a / d).floor() * d,
                (a / d).ceil() * d,
            ]
        })
        .map(|v| (v * 1e6).round() / 1e6)
        .collect();
    out.sort_by(f64::total_cmp);
    out.dedup();
    out
}

/// The smallest change of each criterion that flips the verdict.
pub fn tipping_points(
    c: &Component,
    around: &Surroundings,
    rules: &RuleSet,
    kinds: &Kinds,
    verdict: Verdict,
) -> Vec<TippingPoint> {
    let facts = Facts::within(c, kinds, around);
    let mut out = Vec::new();
    for field in Field::ALL.into_iter().filter(|f| f.is_criterion()) {
        let current = criterion_value(c, field).or_else(|| {
            (facts.origin(field) == Some(Origin::Kind))
                .then(|| facts.get(field).map(|v| v.to_string()))
                .flatten()
        });
        let flips = |value: Option<&str>| {
            verdict_with(c, around, field, value, rules, kinds).filter(|v| *v != verdict)
        };
        let found = match field.ty() {
            FieldType::Enum(values) => values
                .iter()
                .filter(|v| facts.get(field) != Some(Value::Word(v)))
                .find_map(|v| flips(Some(v)).map(|w| (Some((*v).to_owned()), w))),
            FieldType::Bool => ["true", "false"]
                .into_iter()
                .filter(|v| facts.get(field).map(|x| x.to_string()).as_deref() != Some(*v))
                .find_map(|v| flips(Some(v)).map(|w| (Some(v.to_owned()), w))),
            FieldType::Number => {
                let now = facts.get(field).and_then(Value::as_number);
                let mut candidates = numeric_candidates(field, &facts, rules);
                match now {
                    Some(n) => candidates.sort_by(|a, b| {
                        (a - n).abs().total_cmp(&(b - n).abs()).then(a.total_cmp(b))
                    }),
                    None => candidates.sort_by(f64::total_cmp),
                }
                candidates
                    .into_iter()
                    .filter(|v| Some(*v) != now)
                    .find_map(|v| {
                        let text = yaml_number(v);
                        flips(Some(&text)).map(|w| (Some(text), w))
                    })
                    .or_else(|| now.and_then(|_| flips(None).map(|w| (None, w))))
            }
        };
        if let Some((to, verdict)) = found {
            out.push(TippingPoint {
                field,
                from: current,
                to,
                verdict,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec::model::Spec;

    fn component(yaml: &str) -> Component {
        Spec::from_yaml(
            &format!("version: 1\nsystem: {{name: S}}\ncomponents:\n  - {yaml}\n"),
            "s",
        )
        .unwrap()
        .components
        .remove(0)
    }

    #[test]
    fn every_tipping_point_flips_when_applied() {
        let rules = RuleSet::builtin();
        let kinds = Kinds::builtin();
        let mut checked = 0;
        for yaml in [
            "{name: feed, realtime: bidirectional, traffic: unpredictable}",
            "{name: chat, kind: chat, latency_ms: 150, context_rebuild_ms: 90, concurrent_clients: 250000, state_kb_per_client: 24, memory_budget_mb: 24576}",
            "{name: api, kind: rest-api, traffic: unpredictable, availability: 99.99}",
            "{name: db, kind: database}",
        ] {
            let c = component(yaml);
            let e = explain(&c, &Surroundings::default(), &rules, kinds);
            checked += e.tipping_points.len();
            for tp in &e.tipping_points {
                let mut changed = c.clone();
                changed.set_criterion(tp.field, tp.to.as_deref());
                let v = engine::evaluate(&Facts::of(&changed, kinds), &rules).verdict;
                assert_eq!(v, tp.verdict, "{yaml}: {tp}");
                assert_ne!(v, e.verdict, "{yaml}: {tp} does not flip");
            }
        }
        assert!(checked >= 4, "only {checked} tipping points found");
    }

    #[test]
    fn the_two_way_feed_tips_on_traffic_and_realtime() {
        let rules = RuleSet::builtin();
        let c = component("{name: feed, realtime: bidirectional, traffic: unpredictable}");
        let e = explain(&c, &Surroundings::default(), &rules, Kinds::builtin());
        assert_eq!(e.verdict, Verdict::Hybrid);
        let shown: Vec<String> = e.tipping_points.iter().map(ToString::to_string).collect();
        assert!(
            shown.contains(&"with `traffic: steady` it would be stateful".to_owned()),
            "{shown:?}"
        );
        assert!(
            shown.iter().any(|s| s.starts_with("with `realtime: none`")),
            "{shown:?}"
        );
    }

    #[test]
    fn numbers_tip_at_the_nearest_bound() {
        let rules = RuleSet::builtin();
        // rebuild_share 0.6 >= 0.5 keeps the chat gateway stateful; the
        // nearest latency that drops the share below 0.5 is just above 180.
        let c = component(
            "{name: gw, realtime: bidirectional, traffic: unpredictable, latency_ms: 150, context_rebuild_ms: 90}",
        );
        let e = explain(&c, &Surroundings::default(), &rules, Kinds::builtin());
        let latency = e
            .tipping_points
            .iter()
            .find(|t| t.field == Field::LatencyMs);
        assert!(latency.is_some(), "{:?}", e.tipping_points);
        let to: f64 = latency.unwrap().to.as_deref().unwrap().parse().unwrap();
        assert!((150.0..=300.0).contains(&to), "{to}");
    }

    #[test]
    fn fired_and_near_rules_carry_what_they_saw() {
        let rules = RuleSet::builtin();
        let c = component("{name: gw, kind: chat, latency_ms: 40}");
        let e = explain(&c, &Surroundings::default(), &rules, Kinds::builtin());
        let bidi = e
            .fired
            .iter()
            .find(|f| f.rule.id == "bidirectional-realtime")
            .unwrap();
        assert_eq!(
            bidi.leaves[0].to_string(),
            "realtime = bidirectional (saw realtime = bidirectional): holds"
        );
        assert!(!e.near.is_empty());
        assert!(e.steps.last().unwrap().contains("confidence"));
    }
}
