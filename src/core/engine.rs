//! The engine: which rules fire for a component's facts, and how their
//! weights become a verdict and a confidence. Pure: values in, values out.
//!
//! Scoring, in full (the README says the same):
//! - `S` is the sum of the weights of the fired rules that favor stateful,
//!   `L` the same for stateless, `T = S + L`.
//! - **hybrid** when both sides carry strong evidence: `S >= 6`, `L >= 6`,
//!   and the weaker side is at least half the stronger (`min/max >= 0.5`).
//! - otherwise the heavier side wins; a tie, or no rule at all, is
//!   **stateless** (the cheaper default to scale and operate).
//! - confidence = `agreement × strength`, where strength is `T / (T + 5)`
//!   (more evidence, more certainty) and agreement is `max/T` for a one-sided
//!   verdict or `min/max` for hybrid (how balanced the two sides are).

use crate::core::facts::Facts;
use crate::core::rules::rule::{Favors, Rule};
use crate::core::rules::rule_set::RuleSet;
use crate::core::spec::kinds::Kinds;
use crate::core::spec::values::Verdict;

/// The least weight each side needs for a hybrid verdict.
pub const HYBRID_MIN_SIDE: u32 = 6;
/// The least ratio of the weaker side to the stronger for a hybrid verdict.
pub const HYBRID_MIN_BALANCE: f64 = 0.5;
/// Evidence weight at which strength reaches one half.
pub const STRENGTH_HALF: f64 = 5.0;

/// Summed weights per side.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scores {
    /// Sum of weights of fired rules favoring stateful.
    pub stateful: u32,
    /// Sum of weights of fired rules favoring stateless.
    pub stateless: u32,
}

impl Scores {
    pub(crate) fn add(&mut self, rule: &Rule) {
        match rule.favors {
            Favors::Stateful => self.stateful += u32::from(rule.weight),
            Favors::Stateless => self.stateless += u32::from(rule.weight),
        }
    }

    /// Takes a rule that no longer fires out of the sums.
    pub(crate) fn remove(&mut self, rule: &Rule) {
        match rule.favors {
            Favors::Stateful => self.stateful -= u32::from(rule.weight),
            Favors::Stateless => self.stateless -= u32::from(rule.weight),
        }
    }
}

/// The outcome of evaluating one component.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation<'r> {
    /// Fired rules, heaviest first (load order among equals).
    pub fired: Vec<&'r Rule>,
    /// Summed weights.
    pub scores: Scores,
    /// The verdict.
    pub verdict: Verdict,
    /// Confidence in [0, 1], two decimals.
    pub confidence: f64,
}

/// Evaluates every rule against `facts`.
pub fn evaluate<'r>(facts: &Facts, rules: &'r RuleSet) -> Evaluation<'r> {
    let mut fired: Vec<&Rule> = rules
        .rules()
        .iter()
        .filter(|r| r.when.holds(facts))
        .collect();
    fired.sort_by_key(|r| std::cmp::Reverse(r.weight));
    let mut scores = Scores::default();
    fired.iter().for_each(|r| scores.add(r));
    let owner = fired.iter().any(|r| r.owner);
    let (verdict, confidence) = if owner {
        stateful_by_nature(scores)
    } else {
        verdict_of(scores)
    };
    Evaluation {
        fired,
        scores,
        verdict,
        confidence,
    }
}

/// The verdict of a store (a fired rule marked `owner`): stateful whatever
/// the other side weighs, since holding state is its job; the confidence is
/// the stateful share of the evidence times its strength, as for any
/// one-sided verdict.
pub fn stateful_by_nature(scores: Scores) -> (Verdict, f64) {
    let (s, l) = (scores.stateful, scores.stateless);
    let total = f64::from(s + l);
    if total == 0.0 {
        return (Verdict::Stateful, 0.0);
    }
    let strength = total / (total + STRENGTH_HALF);
    (Verdict::Stateful, round2(f64::from(s) / total * strength))
}

/// Turns summed weights into a verdict and a confidence.
pub fn verdict_of(scores: Scores) -> (Verdict, f64) {
    let (s, l) = (scores.stateful, scores.stateless);
    let total = f64::from(s + l);
    if total == 0.0 {
        return (Verdict::Stateless, 0.0);
    }
    let (lo, hi) = (f64::from(s.min(l)), f64::from(s.max(l)));
    let strength = total / (total + STRENGTH_HALF);
    let hybrid = s >= HYBRID_MIN_SIDE && l >= HYBRID_MIN_SIDE && lo / hi >= HYBRID_MIN_BALANCE;
    let (verdict, agreement) = if hybrid {
        (Verdict::Hybrid, lo / hi)
    } else if s > l {
        (Verdict::Stateful, hi / total)
    } else {
        (Verdict::Stateless, f64::from(l) / total)
    };
    (verdict, round2(agreement * strength))
}

/// A rule example that does not hold.
#[derive(Clone, Debug, PartialEq)]
pub struct ExampleFailure {
    /// The rule's id.
    pub rule: String,
    /// The rule's file.
    pub file: String,
    /// The example's position among the rule's examples, from 1.
    pub example: usize,
    /// The example's component name.
    pub component: String,
    /// The verdict the example expects.
    pub expected: Verdict,
    /// The verdict the rule set gives.
    pub got: Verdict,
    /// Whether the rule fired on the example.
    pub fired: bool,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "rule `{}` example {} (`{}`): ",
            self.rule, self.example, self.component
        )?;
        if !self.fired {
            write!(f, "the rule does not fire on it")?;
            if self.expected != self.got {
                write!(f, ", and ")?;
            }
        }
        if self.expected != self.got {
            write!(f, "expected {}, the rules give {}", self.expected, self.got)?;
        }
        Ok(())
    }
}

/// Walks every rule's examples: each must fire its rule and get its verdict
/// from the whole rule set.
pub fn check_examples(rules: &RuleSet, kinds: &Kinds) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for rule in rules.rules() {
        for (i, ex) in rule.examples.iter().enumerate() {
            let facts = Facts::within(&ex.component, kinds, &ex.given);
            let eval = evaluate(&facts, rules);
            let fired = eval.fired.iter().any(|r| r.id == rule.id);
            if !fired || eval.verdict != ex.verdict {
                failures.push(ExampleFailure {
                    rule: rule.id.clone(),
                    file: rule.file.clone(),
                    example: i + 1,
                    component: ex.component.name.to_string(),
                    expected: ex.verdict,
                    got: eval.verdict,
                    fired,
                });
            }
        }
    }
    failures
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: u32, l: u32) -> (Verdict, f64) {
        verdict_of(Scores {
            stateful: s,
            stateless: l,
        })
    }

    #[test]
    fn every_builtin_rule_example_holds() {
        let failures = check_examples(&RuleSet::builtin(), Kinds::builtin());
        let text: Vec<String> = failures.iter().map(ToString::to_string).collect();
        assert!(failures.is_empty(), "{}", text.join("\n"));
    }

    #[test]
    fn no_evidence_is_stateless_with_no_confidence() {
        assert_eq!(v(0, 0), (Verdict::Stateless, 0.0));
    }

    #[test]
    fn one_sided_evidence_wins() {
        assert_eq!(v(15, 0), (Verdict::Stateful, 0.75));
        assert_eq!(v(0, 15), (Verdict::Stateless, 0.75));
        assert_eq!(v(4, 4).0, Verdict::Stateless);
    }

    #[test]
    fn strong_evidence_on_both_sides_is_hybrid() {
        assert_eq!(v(10, 10), (Verdict::Hybrid, 0.8));
        assert_eq!(v(12, 6).0, Verdict::Hybrid);
        assert_eq!(v(13, 6).0, Verdict::Stateful, "weaker side below half");
        assert_eq!(v(5, 5).0, Verdict::Stateless, "both sides too weak");
    }

    #[test]
    fn confidence_grows_with_evidence() {
        assert!(v(30, 0).1 > v(10, 0).1);
        assert!(v(10, 0).1 > v(10, 4).1);
        for s in 0..40 {
            for l in 0..40 {
                let c = v(s, l).1;
                assert!((0.0..=1.0).contains(&c));
            }
        }
    }
}
