//! Why a component got its verdict: every rule that fired with the values it
//! saw, the rules that nearly fired, how the scores became the verdict, and
//! the tipping points, the smallest change of each criterion that would flip
//! the verdict, found by evaluating again with one input changed at a time.
//!
//! Evaluating again means only the rules whose tests the change can flip:
//! the rules are indexed by the facts they read and, for numbers, by their
//! bounds, and a number's candidate values are tried in ascending order, so
//! that each bound is crossed about once. The whole search costs a small
//! multiple of one evaluation, however many rules there are.

use std::collections::HashSet;

use serde::Serialize;

use crate::core::engine::{self, HYBRID_MIN_BALANCE, HYBRID_MIN_SIDE, STRENGTH_HALF, Scores};
use crate::core::facts::{Facts, Origin, Surroundings, Value};
use crate::core::rules::condition::{Condition, Leaf, Test};
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
    let fired_ids: HashSet<&str> = eval.fired.iter().map(|r| r.id.as_str()).collect();
    let near = rules
        .rules()
        .iter()
        .filter(|r| !fired_ids.contains(r.id.as_str()))
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
fn numeric_candidates(field: Field, facts: &Facts, bounds: &[Vec<f64>]) -> Vec<f64> {
    let num = |f: Field| facts.get(f).and_then(Value::as_number);
    let mut anchors: Vec<f64> = Vec::new();
    let bounds = |f: Field| -> Vec<f64> { bounds[f.index()].clone() };
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

/// The tests of a condition, with the field each reads.
fn each_test(c: &Condition, visit: &mut impl FnMut(Field, &Test)) {
    match c {
        Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| each_test(c, visit)),
        Condition::Not(c) => each_test(c, visit),
        Condition::Test(f, t) => visit(*f, t),
    }
}

/// The rules by the facts they read: the ones a changed fact can flip.
struct Index<'r> {
    rules: &'r [Rule],
    /// Per fact: every rule with a test on it.
    readers: Vec<Vec<usize>>,
    /// Per fact: the numeric tests on it as (bound, rule), sorted by bound.
    numeric: Vec<Vec<(f64, usize)>>,
    /// Per fact: the rules that test whether it is set.
    set: Vec<Vec<usize>>,
    /// Per fact: every bound it is compared with, for the candidates.
    bounds: Vec<Vec<f64>>,
}

impl<'r> Index<'r> {
    fn of(rules: &'r RuleSet) -> Self {
        let mut index = Index {
            rules: rules.rules(),
            readers: vec![Vec::new(); Field::COUNT],
            numeric: vec![Vec::new(); Field::COUNT],
            set: vec![Vec::new(); Field::COUNT],
            bounds: vec![Vec::new(); Field::COUNT],
        };
        for (i, rule) in rules.rules().iter().enumerate() {
            each_test(&rule.when, &mut |field, test| {
                let f = field.index();
                if index.readers[f].last() != Some(&i) {
                    index.readers[f].push(i);
                }
                match test {
                    Test::Compare(_, b) => {
                        index.bounds[f].push(*b);
                        index.numeric[f].push((*b, i));
                    }
                    Test::OneOf(vs) => {
                        for n in vs.iter().filter_map(|v| v.as_number()) {
                            index.bounds[f].push(n);
                            index.numeric[f].push((n, i));
                        }
                    }
                    Test::Set | Test::Unset => index.set[f].push(i),
                }
            });
        }
        for n in &mut index.numeric {
            // A NaN bound never holds, so no change can flip it.
            n.retain(|(b, _)| !b.is_nan());
            n.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        index
    }
}

/// The fired rules and scores for some facts, kept up to date as the facts
/// change one input at a time.
struct Sweep<'i, 'r> {
    index: &'i Index<'r>,
    fired: Vec<bool>,
    scores: Scores,
    owners: usize,
}

impl<'i, 'r> Sweep<'i, 'r> {
    fn new(index: &'i Index<'r>, facts: &Facts) -> Self {
        let mut sweep = Sweep {
            index,
            fired: vec![false; index.rules.len()],
            scores: Scores::default(),
            owners: 0,
        };
        (0..index.rules.len()).for_each(|i| sweep.check(i, facts));
        sweep
    }

    /// Evaluates rule `i` again against `facts`.
    fn check(&mut self, i: usize, facts: &Facts) {
        let rule = &self.index.rules[i];
        let now = rule.when.holds(facts);
        if now == self.fired[i] {
            return;
        }
        self.fired[i] = now;
        if now {
            self.scores.add(rule);
            self.owners += usize::from(rule.owner);
        } else {
            self.scores.remove(rule);
            self.owners -= usize::from(rule.owner);
        }
    }

    /// Moves from facts `from` (the ones the state is for) to `to`,
    /// evaluating again only the rules a changed fact can flip: for a number
    /// that moved from `x` to `y`, the tests with a bound between the two.
    fn change(&mut self, from: &Facts, to: &Facts) {
        let index = self.index;
        for field in Field::ALL {
            let f = field.index();
            let (a, b) = (from.get(field), to.get(field));
            let origin_changed = from.origin(field) != to.origin(field);
            if a == b && !origin_changed {
                continue;
            }
            match (a, b) {
                (Some(Value::Number(x)), Some(Value::Number(y))) => {
                    let (lo, hi) = if x <= y { (x, y) } else { (y, x) };
                    let tests = &index.numeric[f];
                    let start = tests.partition_point(|(b, _)| *b < lo);
                    let end = tests.partition_point(|(b, _)| *b <= hi);
                    for &(_, i) in &tests[start..end.max(start)] {
                        self.check(i, to);
                    }
                    if origin_changed {
                        for &i in &index.set[f] {
                            self.check(i, to);
                        }
                    }
                }
                _ => {
                    for &i in &index.readers[f] {
                        self.check(i, to);
                    }
                }
            }
        }
    }

    fn verdict(&self) -> Verdict {
        if self.owners > 0 {
            engine::stateful_by_nature(self.scores).0
        } else {
            engine::verdict_of(self.scores).0
        }
    }
}

/// The smallest change of each criterion that flips the verdict.
pub fn tipping_points(
    c: &Component,
    around: &Surroundings,
    rules: &RuleSet,
    kinds: &Kinds,
    verdict: Verdict,
) -> Vec<TippingPoint> {
    let index = Index::of(rules);
    let facts = Facts::within(c, kinds, around);
    let mut sweep = Sweep::new(&index, &facts);
    let mut out = Vec::new();
    for field in Field::ALL.into_iter().filter(|f| f.is_criterion()) {
        let current = criterion_value(c, field).or_else(|| {
            (facts.origin(field) == Some(Origin::Kind))
                .then(|| facts.get(field).map(|v| v.to_string()))
                .flatten()
        });
        // The facts with `field` set to `value` (`None`: left out), or
        // `None` when the value is out of range for the field.
        let facts_with = |value: Option<&str>| {
            let mut changed = c.clone();
            changed.set_criterion(field, value);
            if value.is_some() && criterion_value(&changed, field).is_none() {
                return None;
            }
            Some(Facts::within(&changed, kinds, around))
        };
        let flips = |sweep: &mut Sweep, value: Option<&str>| {
            let to = facts_with(value)?;
            sweep.change(&facts, &to);
            let v = sweep.verdict();
            sweep.change(&to, &facts);
            (v != verdict).then_some(v)
        };
        let found = match field.ty() {
            // A field of several words: each word alone.
            FieldType::Enum(values) | FieldType::Set(values) => values
                .iter()
                .filter(|v| facts.get(field).map(Value::words) != Some(vec![**v]))
                .find_map(|v| flips(&mut sweep, Some(v)).map(|w| (Some((*v).to_owned()), w))),
            FieldType::Bool => ["true", "false"]
                .into_iter()
                .filter(|v| facts.get(field).map(|x| x.to_string()).as_deref() != Some(*v))
                .find_map(|v| flips(&mut sweep, Some(v)).map(|w| (Some(v.to_owned()), w))),
            FieldType::Number => {
                let now = facts.get(field).and_then(Value::as_number);
                // Every candidate in ascending order, each evaluated from
                // the one before; then the nearest that flips.
                let mut tried: Vec<(f64, String, Verdict)> = Vec::new();
                let mut last: Option<Facts> = None;
                for v in numeric_candidates(field, &facts, &index.bounds) {
                    let text = yaml_number(v);
                    let Some(to) = facts_with(Some(&text)) else {
                        continue;
                    };
                    sweep.change(last.as_ref().unwrap_or(&facts), &to);
                    tried.push((v, text, sweep.verdict()));
                    last = Some(to);
                }
                if let Some(last) = last {
                    sweep.change(&last, &facts);
                }
                let distance = |v: f64| now.map_or(0.0, |n| (v - n).abs());
                tried
                    .into_iter()
                    .filter(|(v, _, w)| Some(*v) != now && *w != verdict)
                    .min_by(|(a, ..), (b, ..)| {
                        distance(*a).total_cmp(&distance(*b)).then(a.total_cmp(b))
                    })
                    .map(|(_, text, w)| (Some(text), w))
                    .or_else(|| now.and_then(|_| flips(&mut sweep, None).map(|w| (None, w))))
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

    /// The search as it was before the index: every candidate evaluated
    /// with every rule, the nearest first. The oracle for the sweep.
    fn naive_tipping_points(
        c: &Component,
        around: &Surroundings,
        rules: &RuleSet,
        kinds: &Kinds,
        verdict: Verdict,
    ) -> Vec<TippingPoint> {
        let facts = Facts::within(c, kinds, around);
        let bounds: Vec<Vec<f64>> = Field::ALL
            .into_iter()
            .map(|f| {
                rules
                    .rules()
                    .iter()
                    .flat_map(|r| r.when.bounds(f))
                    .collect()
            })
            .collect();
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
                FieldType::Enum(values) | FieldType::Set(values) => values
                    .iter()
                    .filter(|v| facts.get(field).map(Value::words) != Some(vec![**v]))
                    .find_map(|v| flips(Some(v)).map(|w| (Some((*v).to_owned()), w))),
                FieldType::Bool => ["true", "false"]
                    .into_iter()
                    .filter(|v| facts.get(field).map(|x| x.to_string()).as_deref() != Some(*v))
                    .find_map(|v| flips(Some(v)).map(|w| (Some(v.to_owned()), w))),
                FieldType::Number => {
                    let now = facts.get(field).and_then(Value::as_number);
                    let mut candidates = numeric_candidates(field, &facts, &bounds);
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

    /// A small deterministic generator (an LCG), for random rule sets.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n
        }
        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[self.next(xs.len())]
        }
    }

    const NUMBERS: [(&str, [&str; 6]); 12] = [
        ("latency_ms", ["20", "50", "100", "150", "180.5", "300"]),
        ("context_rebuild_ms", ["0", "10", "50", "90", "100", "200"]),
        (
            "concurrent_clients",
            ["1", "100", "1000", "10000", "250000", "1000000"],
        ),
        ("state_kb_per_client", ["0", "1", "8", "24", "64", "512"]),
        (
            "memory_budget_mb",
            ["64", "512", "1024", "4096", "24576", "65536"],
        ),
        (
            "availability",
            ["90", "99", "99.9", "99.95", "99.99", "99.999"],
        ),
        (
            "state_memory_mb",
            ["1", "100", "1024", "5000", "10000", "100000"],
        ),
        ("memory_headroom", ["0.5", "1", "2", "4", "10", "100"]),
        ("rebuild_share", ["0.1", "0.25", "0.5", "0.6", "1", "2"]),
        ("instances_needed", ["1", "2", "10", "50", "100", "1000"]),
        (
            "writes_per_client_per_s",
            ["0.01", "0.1", "1", "5", "10", "100"],
        ),
        (
            "dependents_availability",
            ["90", "99", "99.9", "99.95", "99.99", "99.999"],
        ),
    ];
    const WORDS: [(&str, &str); 7] = [
        ("realtime", "[none, bidirectional]"),
        ("traffic", "unpredictable"),
        ("traffic", "[steady, predictable-peaks]"),
        ("session", "per-user"),
        ("shared_state", "true"),
        ("transactions", "false"),
        ("depends_on_stateful", "true"),
    ];

    fn random_test(g: &mut Lcg) -> String {
        if g.next(3) == 0 {
            let (f, v) = WORDS[g.next(WORDS.len())];
            format!("{{{f}: {v}}}")
        } else {
            let (f, bounds) = NUMBERS[g.next(NUMBERS.len())];
            let op = g.pick(&["gt", "gte", "lt", "lte", "eq", "ne"]);
            format!("{{{f}: {{{op}: {}}}}}", g.pick(&bounds))
        }
    }

    fn random_rules(g: &mut Lcg, n: usize) -> String {
        let mut out = String::new();
        for i in 0..n {
            let when = match g.next(4) {
                0 => format!("{{any: [{}, {}]}}", random_test(g), random_test(g)),
                1 => format!("{{not: {}}}", random_test(g)),
                2 => format!("{{all: [{}, {}]}}", random_test(g), random_test(g)),
                _ => random_test(g),
            };
            out.push_str(&format!(
                "- id: r{i}\n  title: R\n  when: {when}\n  favors: {}\n  weight: {}\n  because: b\n  owner: {}\n",
                g.pick(&["stateful", "stateless"]),
                1 + g.next(10),
                g.next(40) == 0,
            ));
        }
        out
    }

    fn random_component(g: &mut Lcg) -> String {
        let mut parts = vec![format!(
            "name: c, kind: {}",
            g.pick(&["rest-api", "chat", "database", "cart", "worker", "other"])
        )];
        for (f, v) in [
            ("latency_ms", "150"),
            ("context_rebuild_ms", "90"),
            ("concurrent_clients", "250000"),
            ("state_kb_per_client", "24"),
            ("memory_budget_mb", "24576"),
            ("availability", "99.95"),
            ("connections_per_instance", "5000"),
            ("state_writes_per_s", "100"),
            ("traffic", "unpredictable"),
            ("realtime", "bidirectional"),
        ] {
            if g.next(2) == 0 {
                parts.push(format!("{f}: {v}"));
            }
        }
        format!("{{{}}}", parts.join(", "))
    }

    #[test]
    fn the_indexed_search_finds_what_the_naive_one_finds() {
        let kinds = Kinds::builtin();
        let mut g = Lcg(7);
        let mut compared = 0;
        for round in 0..30 {
            let text = random_rules(&mut g, 40);
            let source = crate::core::rules::rule_set::Source {
                name: format!("random-{round}.yaml"),
                bytes: text.clone().into_bytes(),
                builtin: false,
            };
            let rules = if round % 2 == 0 {
                RuleSet::from_sources(&[source])
            } else {
                RuleSet::builtin().extended(&[source])
            }
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
            for _ in 0..4 {
                let yaml = random_component(&mut g);
                let c = component(&yaml);
                let around = Surroundings {
                    dependents_availability: (g.next(2) == 0)
                        .then(|| [99.0, 99.9, 99.99][g.next(3)]),
                    depends_on_stateful: (g.next(2) == 0).then(|| g.next(2) == 0),
                    ..Surroundings::default()
                };
                let v = engine::evaluate(&Facts::within(&c, kinds, &around), &rules).verdict;
                let fast = tipping_points(&c, &around, &rules, kinds, v);
                assert_eq!(
                    fast,
                    naive_tipping_points(&c, &around, &rules, kinds, v),
                    "{yaml}\n{around:?}\n{text}"
                );
                compared += fast.len();
            }
        }
        assert!(compared > 50, "only {compared} tipping points compared");
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
