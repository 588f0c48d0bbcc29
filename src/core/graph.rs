//! What the `depends_on` graph says about each component: the facts a
//! component cannot state about itself ([`Surroundings`]).
//!
//! - `dependents_availability`: the highest availability target among the
//!   components that list it in `depends_on` (unset when none states one).
//! - `depends_on_stateful`: whether one of its dependencies keeps state, that
//!   is, is decided (or, where the team decided nothing, advised) stateful or
//!   hybrid. Unset for a component that depends on nothing.
//!
//! The second fact depends on other components' verdicts, which may in turn
//! weigh the fact: it is computed in rounds, each from the verdicts of the
//! round before, until no fact changes (a dependency graph settles in as
//! many rounds as its longest chain of such changes; [`MAX_ROUNDS`] bounds a
//! cycle that would not). Components that depend on nothing cost nothing.

use std::collections::HashMap;

use crate::core::engine;
use crate::core::facts::{Facts, Surroundings};
use crate::core::rules::rule_set::RuleSet;
use crate::core::spec::field::Field;
use crate::core::spec::kinds::Kinds;
use crate::core::spec::model::{Component, Spec};
use crate::core::spec::values::Verdict;

/// Rounds after which `depends_on_stateful` stops being recomputed.
pub const MAX_ROUNDS: usize = 16;

/// The surroundings of every component of `spec`, in spec order.
pub fn surroundings(spec: &Spec, rules: &RuleSet, kinds: &Kinds) -> Vec<Surroundings> {
    surroundings_of(&spec.components, rules, kinds)
}

/// The surroundings of every one of `components`, in order.
pub fn surroundings_of(
    components: &[Component],
    rules: &RuleSet,
    kinds: &Kinds,
) -> Vec<Surroundings> {
    surroundings_from(
        components,
        rules,
        kinds,
        vec![Surroundings::default(); components.len()],
    )
}

/// The surroundings of every one of `components`, starting from `around`
/// (what the deployment says of each; the graph's facts are added to it).
pub fn surroundings_from(
    components: &[Component],
    rules: &RuleSet,
    kinds: &Kinds,
    mut around: Vec<Surroundings>,
) -> Vec<Surroundings> {
    let n = components.len();
    around.resize(n, Surroundings::default());
    if components.iter().all(|c| c.depends_on.is_empty()) {
        return around;
    }
    let index: HashMap<&str, usize> = components
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.as_str(), i))
        .collect();
    let deps: Vec<Vec<usize>> = components
        .iter()
        .map(|c| {
            c.depends_on
                .iter()
                .filter_map(|d| index.get(d.as_str()).copied())
                .collect()
        })
        .collect();

    // Availability flows from callers to what they call.
    let mut depended_on = vec![false; n];
    for (caller, ds) in deps.iter().enumerate() {
        let wanted = Facts::of(&components[caller], kinds)
            .get(Field::Availability)
            .and_then(|v| v.as_number());
        for &d in ds {
            depended_on[d] = true;
            if let Some(w) = wanted {
                let slot = &mut around[d].dependents_availability;
                *slot = Some(slot.map_or(w, |s: f64| s.max(w)));
            }
        }
    }

    // Whether each dependency keeps state, round by round.
    let keeps_state = |i: usize, around: &[Surroundings]| -> bool {
        let c = &components[i];
        let verdict = c.decision.unwrap_or_else(|| {
            engine::evaluate(&Facts::within(c, kinds, &around[i]), rules).verdict
        });
        verdict != Verdict::Stateless
    };
    let mut kept: Vec<Option<bool>> = vec![None; n];
    for _ in 0..MAX_ROUNDS {
        for i in (0..n).filter(|&i| depended_on[i]) {
            kept[i] = Some(keeps_state(i, &around));
        }
        let mut changed = false;
        for (i, ds) in deps.iter().enumerate() {
            if ds.is_empty() {
                continue;
            }
            let fact = Some(ds.iter().any(|&d| kept[d] == Some(true)));
            if around[i].depends_on_stateful != fact {
                around[i].depends_on_stateful = fact;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    around
}

#[cfg(test)]
mod tests {
    use super::*;

    fn around(yaml: &str) -> Vec<Surroundings> {
        let spec = Spec::from_yaml(
            &format!("version: 1\nsystem: {{name: S}}\ncomponents:\n{yaml}"),
            "s.yaml",
        )
        .unwrap();
        surroundings(&spec, &RuleSet::builtin(), Kinds::builtin())
    }

    #[test]
    fn no_dependencies_no_graph_facts() {
        let a = around("  - {name: api, kind: rest-api}\n  - {name: db, kind: database}\n");
        assert_eq!(a, vec![Surroundings::default(); 2]);
    }

    #[test]
    fn the_strictest_caller_sets_the_dependents_availability() {
        let a = around(
            "  - {name: web, kind: rest-api, availability: 99.9, depends_on: [store]}\n  - {name: api, kind: rest-api, availability: 99.99, depends_on: [store]}\n  - {name: admin, kind: rest-api, depends_on: [store]}\n  - {name: store, kind: session-store}\n",
        );
        assert_eq!(a[3].dependents_availability, Some(99.99));
        assert_eq!(a[0].dependents_availability, None);
    }

    #[test]
    fn depending_on_a_store_is_depending_on_state() {
        let a = around(
            "  - {name: api, kind: rest-api, depends_on: [store, resizer]}\n  - {name: store, kind: session-store}\n  - {name: resizer, kind: serverless-function}\n  - {name: edge, kind: rest-api, depends_on: [resizer]}\n",
        );
        assert_eq!(a[0].depends_on_stateful, Some(true));
        assert_eq!(a[3].depends_on_stateful, Some(false));
        assert_eq!(a[1].depends_on_stateful, None, "depends on nothing");
    }

    #[test]
    fn the_decision_counts_over_the_advice() {
        let a = around(
            "  - {name: api, kind: rest-api, depends_on: [store]}\n  - {name: store, kind: session-store, decision: stateless, decision_reason: it is a managed service we treat as stateless}\n",
        );
        assert_eq!(a[0].depends_on_stateful, Some(false));
    }

    #[test]
    fn cycles_settle() {
        let a = around(
            "  - {name: a, kind: chat, depends_on: [b]}\n  - {name: b, kind: rest-api, depends_on: [a]}\n",
        );
        assert_eq!(a[0].depends_on_stateful, Some(false));
        assert_eq!(a[1].depends_on_stateful, Some(true));
    }
}
