//! Reasons that must never be given together. A rule may list the rules it
//! `excludes` (`nothing-to-remember` excludes the rules about a costly
//! context); this module searches for a component on which both fire, over
//! a grid of the values that matter to the two conditions: every word of an
//! enum field, both booleans, each numeric bound and its neighbours, unset,
//! and the inputs that put a derived fact at its bounds. `rules lint` and a
//! unit test over the built-in rules report any pair found firing together.

use std::collections::BTreeSet;

use crate::core::facts::{Facts, Surroundings};
use crate::core::rules::rule::Rule;
use crate::core::rules::rule_set::RuleSet;
use crate::core::spec::field::{Field, FieldType};
use crate::core::spec::kinds::Kinds;
use crate::core::spec::model::Component;
use crate::core::spec::values::ComponentName;
use crate::core::text::yaml_number;

/// Probes tried for one pair at most; past it the grid is walked in even
/// steps, so a wide pair is still sampled across all its fields.
const MAX_PROBES: usize = 20_000;

/// Two rules that fired together on a probe, though one excludes the other.
#[derive(Clone, Debug, PartialEq)]
pub struct Contradiction {
    /// The rule that declares the exclusion.
    pub rule: String,
    /// The rule it excludes.
    pub excluded: String,
    /// The file of `rule`.
    pub file: String,
    /// The criteria of a component on which both fire, as `field: value`.
    pub witness: Vec<String>,
}

/// Every declared exclusion that a probe shows firing together.
pub fn contradictions(rules: &RuleSet, kinds: &Kinds) -> Vec<Contradiction> {
    let mut out = Vec::new();
    for a in rules.rules() {
        for id in &a.excludes {
            let Some(b) = rules.get(id) else { continue };
            if let Some(witness) = together(a, b, kinds) {
                out.push(Contradiction {
                    rule: a.id.clone(),
                    excluded: b.id.clone(),
                    file: a.file.clone(),
                    witness,
                });
            }
        }
    }
    out
}

/// The values worth trying for each spec field the two rules read.
fn axes(a: &Rule, b: &Rule) -> Vec<(Field, Vec<Option<String>>)> {
    let read: BTreeSet<Field> = a.when.fields().into_iter().chain(b.when.fields()).collect();
    let bounds = |f: Field| -> Vec<f64> {
        let mut v = a.when.bounds(f);
        v.extend(b.when.bounds(f));
        v
    };
    let around = |bs: &[f64], scale: f64| -> Vec<Option<String>> {
        let mut vals: Vec<Option<String>> = vec![None];
        for x in bs {
            for d in [-1.0, 0.0, 1.0] {
                let v = x * scale + d;
                if v >= 0.0 {
                    vals.push(Some(yaml_number(v)));
                }
            }
        }
        vals.dedup();
        vals
    };
    let mut out: Vec<(Field, Vec<Option<String>>)> = Vec::new();
    let mut push = |f: Field, vals: Vec<Option<String>>| {
        if let Some((_, existing)) = out.iter_mut().find(|(g, _)| *g == f) {
            existing.extend(vals);
            existing.dedup();
        } else {
            out.push((f, vals));
        }
    };
    for f in read {
        match (f, f.ty()) {
            (_, FieldType::Enum(words)) => {
                push(
                    f,
                    std::iter::once(None)
                        .chain(words.iter().map(|w| Some((*w).to_owned())))
                        .collect(),
                );
            }
            // Each word alone, and every two words together (a component
            // may keep state in memory and in a store at once).
            (_, FieldType::Set(words)) => {
                let mut vals: Vec<Option<String>> = vec![None];
                vals.extend(words.iter().map(|w| Some((*w).to_owned())));
                for (i, a) in words.iter().enumerate() {
                    for b in &words[i + 1..] {
                        if *a != "none" && *b != "none" {
                            vals.push(Some(format!("[{a}, {b}]")));
                        }
                    }
                }
                push(f, vals);
            }
            (_, FieldType::Bool) => push(f, vec![None, Some("false".into()), Some("true".into())]),
            (Field::RebuildShare, _) => {
                push(Field::LatencyMs, vec![Some("1000".into())]);
                push(Field::ContextRebuildMs, around(&bounds(f), 1000.0));
            }
            (Field::MemoryHeadroom, _) => {
                push(Field::ConcurrentClients, vec![Some("1024".into())]);
                push(Field::StateKbPerClient, vec![Some("1024".into())]);
                push(Field::MemoryBudgetMb, around(&bounds(f), 1024.0));
            }
            (Field::StateMemoryMb, _) => {
                push(Field::ConcurrentClients, vec![Some("1024".into())]);
                push(Field::StateKbPerClient, around(&bounds(f), 1.0));
            }
            _ => push(f, around(&bounds(f), 1.0)),
        }
    }
    out
}

/// A component on which both rules fire, if the grid holds one.
fn together(a: &Rule, b: &Rule, kinds: &Kinds) -> Option<Vec<String>> {
    let axes = axes(a, b);
    let total: usize = axes.iter().map(|(_, v)| v.len().max(1)).product();
    let step = total.div_ceil(MAX_PROBES).max(1);
    let name = ComponentName::new("probe")?;
    let mut i = 0;
    while i < total {
        let mut c = Component::named(name.clone());
        let mut around = Surroundings::default();
        let mut rest = i;
        let mut witness = Vec::new();
        for (field, values) in &axes {
            let v = &values[rest % values.len()];
            rest /= values.len();
            match field {
                Field::DependentsAvailability => {
                    around.dependents_availability = v.as_deref().and_then(|t| t.parse().ok());
                }
                Field::DependsOnStateful => {
                    around.depends_on_stateful = v.as_deref().map(|t| t == "true");
                }
                Field::DeployedWorkload => {
                    around.deployed_workload = v
                        .as_deref()
                        .and_then(crate::core::spec::values::WorkloadType::parse);
                }
                Field::DeployedReplicas => {
                    around.deployed_replicas = v.as_deref().and_then(|t| t.parse().ok());
                }
                Field::DeployedAutoscaled => {
                    around.deployed_autoscaled = v.as_deref().map(|t| t == "true");
                }
                Field::DeployedPersistentStorage => {
                    around.deployed_persistent_storage = v.as_deref().map(|t| t == "true");
                }
                Field::DeployedAffinity => {
                    around.deployed_affinity = v
                        .as_deref()
                        .and_then(crate::core::spec::values::DeployedAffinity::parse);
                }
                _ => c.set_criterion(*field, v.as_deref()),
            }
            if let Some(v) = v {
                witness.push(format!("{}: {v}", field.name()));
            }
        }
        let facts = Facts::within(&c, kinds, &around);
        if a.when.holds(&facts) && b.when.holds(&facts) {
            return Some(witness);
        }
        i += step;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_built_in_reasons_contradict_each_other() {
        let found = contradictions(&RuleSet::builtin(), Kinds::builtin());
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn a_pair_that_can_fire_together_is_found_with_a_witness() {
        let rules = RuleSet::from_sources(&[crate::core::rules::rule_set::Source {
            name: "r.yaml".into(),
            bytes: b"- id: a\n  title: t\n  when: {traffic: unpredictable}\n  favors: stateless\n  weight: 3\n  because: b\n  excludes: [b]\n- id: b\n  title: t\n  when: {rebuild_share: {gte: 0.5}}\n  favors: stateful\n  weight: 3\n  because: b\n".to_vec(),
            builtin: false,
        }])
        .expect("valid rules");
        let found = contradictions(&rules, Kinds::builtin());
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0]
                .witness
                .contains(&"traffic: unpredictable".to_owned())
        );
    }
}
