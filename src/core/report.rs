//! The report: the advice for every component and for the system. One type
//! feeds every output (table, JSON, Markdown, ADRs, check findings).

use crate::core::assumptions::{Assumption, Readers, assumptions};
use crate::core::engine::{self, Scores};
use crate::core::facts::{Facts, Surroundings};
use crate::core::graph;
use crate::core::import::Deployment;
use crate::core::import::deploy;
use crate::core::plan::{self, Migration};
use crate::core::rules::rule::{Favors, Rule};
use crate::core::rules::rule_set::RuleSet;
use crate::core::spec::kinds::Kinds;
use crate::core::spec::model::{Component, Spec};
use crate::core::spec::values::{Kind, Verdict};
use crate::core::text::lower_first;

/// The advice for one component.
#[derive(Clone, Debug, PartialEq)]
pub struct ComponentReport<'a> {
    /// The component as the spec gave it.
    pub component: &'a Component,
    /// What the rest of the system makes of it, through `depends_on`.
    pub around: Surroundings,
    /// Its facts, with their origins.
    pub facts: Facts,
    /// Fired rules, heaviest first.
    pub fired: Vec<&'a Rule>,
    /// Summed weights.
    pub scores: Scores,
    /// The advice.
    pub verdict: Verdict,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Concrete next steps, most important first.
    pub advice: Vec<String>,
    /// Criteria nobody stated whose stated value would flip the verdict.
    pub assumptions: Vec<Assumption>,
    /// What has to move where, when where its state lives today
    /// (`state_location`) disagrees with the decided verdict (the team's
    /// decision, else the advice).
    pub migration: Option<Migration>,
    /// What the deployment files say of how it runs, one line each with the
    /// file and line; empty when no deployment files were given or none runs it.
    pub deployment: Vec<String>,
}

impl ComponentReport<'_> {
    /// The component's name.
    pub fn name(&self) -> &str {
        self.component.name.as_str()
    }

    /// The component's kind (`other` when the spec gives none).
    pub fn kind(&self) -> Kind {
        self.component.kind.unwrap_or(Kind::Other)
    }

    /// The fired rules that weighed most, at most `n`.
    pub fn top_rules(&self, n: usize) -> &[&Rule] {
        &self.fired[..self.fired.len().min(n)]
    }

    /// True when the team's decision differs from the advice.
    pub fn departs(&self) -> bool {
        self.component.decision.is_some_and(|d| d != self.verdict)
    }

    /// The verdict the team decided, or the advice where it decided nothing.
    pub fn decided(&self) -> Verdict {
        self.component.decision.unwrap_or(self.verdict)
    }
}

/// The split of the system: component names per verdict, in spec order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Split {
    /// Components advised stateful.
    pub stateful: Vec<String>,
    /// Components advised stateless.
    pub stateless: Vec<String>,
    /// Components advised hybrid.
    pub hybrid: Vec<String>,
}

/// The advice for a whole spec.
#[derive(Clone, Debug, PartialEq)]
pub struct Report<'a> {
    /// The spec analysed.
    pub spec: &'a Spec,
    /// Per component, in spec order.
    pub components: Vec<ComponentReport<'a>>,
    /// Which component goes where.
    pub split: Split,
    /// `stateless` or `stateful` when every component is, else `hybrid`.
    pub verdict: Verdict,
}

/// Analyses a spec with a rule set and the kinds' defaults.
///
/// ```
/// use statewise::{analyze, Kinds, RuleSet, Spec, Verdict};
///
/// let spec = Spec::from_yaml(
///     "version: 1\nsystem: {name: Chat}\ncomponents:\n  - {name: gateway, kind: chat}\n  - {name: resizer, kind: serverless-function}\n",
///     "statewise.yaml",
/// )?;
/// let rules = RuleSet::builtin();
/// let report = analyze(&spec, &rules, Kinds::builtin());
/// assert_eq!(report.components[0].verdict, Verdict::Stateful);
/// assert_eq!(report.components[1].verdict, Verdict::Stateless);
/// assert_eq!(report.verdict, Verdict::Hybrid);
/// # Ok::<(), statewise::Error>(())
/// ```
pub fn analyze<'a>(spec: &'a Spec, rules: &'a RuleSet, kinds: &Kinds) -> Report<'a> {
    analyze_deployed(spec, rules, kinds, None)
}

/// Analyses a spec with what its deployment files say of each component:
/// the facts rules may test, and the evidence shown beside the criteria.
pub fn analyze_deployed<'a>(
    spec: &'a Spec,
    rules: &'a RuleSet,
    kinds: &Kinds,
    deployment: Option<&Deployment>,
) -> Report<'a> {
    let readers = Readers::of(rules);
    let around = surroundings(spec, rules, kinds, deployment);
    let components: Vec<ComponentReport<'a>> = spec
        .components
        .iter()
        .zip(around)
        .map(|(c, around)| {
            let mut report = component_report(c, around, kinds, rules, &readers);
            if let Some(d) = deployment {
                report.deployment = deploy::shown(c, d);
            }
            report
        })
        .collect();
    let mut split = Split::default();
    for c in &components {
        let list = match c.verdict {
            Verdict::Stateful => &mut split.stateful,
            Verdict::Stateless => &mut split.stateless,
            Verdict::Hybrid => &mut split.hybrid,
        };
        list.push(c.name().to_owned());
    }
    let verdict = system_verdict(components.iter().map(|c| c.verdict));
    Report {
        spec,
        components,
        split,
        verdict,
    }
}

/// What the rest of the system says of each component of `spec`, in spec
/// order: its deployment's facts, then the `depends_on` graph's.
pub fn surroundings(
    spec: &Spec,
    rules: &RuleSet,
    kinds: &Kinds,
    deployment: Option<&Deployment>,
) -> Vec<Surroundings> {
    let deployed = deployment
        .map(|d| deploy::surroundings(spec, d))
        .unwrap_or_default();
    graph::surroundings_from(&spec.components, rules, kinds, deployed)
}

/// The system verdict for the components' verdicts.
pub fn system_verdict(mut verdicts: impl Iterator<Item = Verdict>) -> Verdict {
    let Some(first) = verdicts.next() else {
        return Verdict::Stateless;
    };
    if first != Verdict::Hybrid && verdicts.all(|v| v == first) {
        first
    } else {
        Verdict::Hybrid
    }
}

fn component_report<'a>(
    component: &'a Component,
    around: Surroundings,
    kinds: &Kinds,
    rules: &'a RuleSet,
    readers: &Readers<'_>,
) -> ComponentReport<'a> {
    let facts = Facts::within(component, kinds, &around);
    let eval = engine::evaluate(&facts, rules);
    // The advice is for the advised verdict: what moves first, then the
    // rules' advice, then how the state survives and what the peak takes.
    // The migration kept beside it is for the decided verdict, which the
    // record states.
    let mut advice: Vec<String> = plan::migration(&facts, eval.verdict)
        .map(|m| m.advice)
        .into_iter()
        .collect();
    advice.extend(advice_for(eval.verdict, &eval.fired));
    advice.extend(plan::recovery_advice(&facts, eval.verdict));
    advice.extend(plan::capacity(&facts));
    let migration = plan::migration(&facts, component.decision.unwrap_or(eval.verdict));
    let assumptions = assumptions(&facts, &eval, readers);
    ComponentReport {
        component,
        around,
        facts,
        fired: eval.fired,
        scores: eval.scores,
        verdict: eval.verdict,
        confidence: eval.confidence,
        advice,
        assumptions,
        migration,
        deployment: Vec::new(),
    }
}

/// The advice of the rules that back the verdict, heaviest first; for a
/// hybrid, how to split the component, then the heaviest advice of each side.
fn advice_for(verdict: Verdict, fired: &[&Rule]) -> Vec<String> {
    let side = |favors: Favors| fired.iter().filter(move |r| r.favors == favors);
    let mut out: Vec<String> = Vec::new();
    let mut push = |text: &str| {
        if !out.iter().any(|a| a == text) {
            out.push(text.to_owned());
        }
    };
    match verdict {
        Verdict::Hybrid => {
            let titles = |favors| {
                side(favors)
                    .take(2)
                    .map(|r| lower_first(&r.title))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            push(&format!(
                "Split it: a stateless front that scales out freely ({}) before a stateful core that holds only what must stay in memory ({}); keep state that must outlive an instance in an external store.",
                titles(Favors::Stateless),
                titles(Favors::Stateful)
            ));
            for favors in [Favors::Stateful, Favors::Stateless] {
                for r in side(favors).filter(|r| r.advice.is_some()).take(1) {
                    push(r.advice.as_deref().unwrap_or_default());
                }
            }
        }
        Verdict::Stateful | Verdict::Stateless => {
            let favors = if verdict == Verdict::Stateful {
                Favors::Stateful
            } else {
                Favors::Stateless
            };
            for advice in side(favors).filter_map(|r| r.advice.as_deref()).take(3) {
                push(advice);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_verdict_is_uniform_or_hybrid() {
        use Verdict::*;
        assert_eq!(
            system_verdict([Stateless, Stateless].into_iter()),
            Stateless
        );
        assert_eq!(system_verdict([Stateful].into_iter()), Stateful);
        assert_eq!(system_verdict([Stateful, Stateless].into_iter()), Hybrid);
        assert_eq!(system_verdict([Hybrid].into_iter()), Hybrid);
    }
}
