//! What moved between two versions of a spec: per component, the stated
//! values that changed (criteria, kind, dependencies, decision) and the
//! verdict before and after, advised and decided. Components are matched by
//! name; a renamed component is one removed and one added. Pure: two
//! reports in, a diff out.

use serde::Serialize;

use crate::core::report::{ComponentReport, Report};
use crate::core::spec::field::Field;
use crate::core::spec::model::Component;
use crate::core::spec::values::Verdict;
use crate::core::spec::yaml::criterion_value;

/// What happened to a component.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Only in the new spec.
    Added,
    /// Only in the old spec.
    Removed,
    /// In both, with a stated value or a verdict changed.
    Changed,
}

/// One stated value that changed; `None` is unset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The spec field.
    pub field: &'static str,
    /// As the old spec states it.
    pub before: Option<String>,
    /// As the new spec states it.
    pub after: Option<String>,
}

/// A verdict before and after; `None` where the component does not exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Moved {
    /// In the old spec.
    pub before: Option<Verdict>,
    /// In the new spec.
    pub after: Option<Verdict>,
}

impl Moved {
    /// Whether it differs.
    pub fn changed(self) -> bool {
        self.before != self.after
    }
}

/// One component that changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComponentDiff {
    /// Its name.
    pub name: String,
    /// Added, removed or changed.
    pub status: Status,
    /// The advice before and after.
    pub verdict: Moved,
    /// The decided verdict (the decision, else the advice) before and after.
    pub decided: Moved,
    /// The stated values that changed, in the order of the spec format.
    pub changes: Vec<Change>,
}

/// Everything that moved between two specs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpecDiff {
    /// The system verdict before and after.
    pub system: Moved,
    /// Components that changed, were added or were removed: the old spec's
    /// order first, then the new components in the new spec's order.
    pub components: Vec<ComponentDiff>,
    /// Components in both specs with nothing changed.
    pub unchanged: usize,
}

/// The stated values of a component that feed its verdict (kind,
/// criteria, `depends_on`), as the spec writes them: what a record keeps
/// to say later what moved.
pub fn facts(c: &Component) -> Vec<(&'static str, Option<String>)> {
    let mut out: Vec<(&'static str, Option<String>)> = Field::ALL
        .into_iter()
        .filter(|f| *f == Field::Kind || f.is_criterion())
        .map(|f| (f.name(), criterion_value(c, f)))
        .collect();
    let deps: Vec<&str> = c.depends_on.iter().map(|d| d.as_str()).collect();
    out.push((
        "depends_on",
        (!deps.is_empty()).then(|| format!("[{}]", deps.join(", "))),
    ));
    out
}

/// The stated values of a component, as the spec writes them: its facts,
/// then the decision and its reason.
fn stated(c: &Component) -> Vec<(&'static str, Option<String>)> {
    let mut out = facts(c);
    out.push(("decision", c.decision.map(|d| d.as_str().to_owned())));
    out.push(("decision_reason", c.decision_reason.clone()));
    out
}

/// The values that differ between two lists of stated values of the same
/// fields, in the order of `after`; a field only one side names counts as
/// unset on the other.
pub fn changes_between(
    before: &[(&str, Option<String>)],
    after: &[(&'static str, Option<String>)],
) -> Vec<Change> {
    after
        .iter()
        .filter_map(|(field, now)| {
            let was = before
                .iter()
                .find(|(f, _)| f == field)
                .and_then(|(_, v)| v.clone());
            (was != *now).then(|| Change {
                field,
                before: was,
                after: now.clone(),
            })
        })
        .collect()
}

fn changes(before: &Component, after: &Component) -> Vec<Change> {
    let before = stated(before);
    let before: Vec<(&str, Option<String>)> = before.into_iter().collect();
    changes_between(&before, &stated(after))
}

/// The diff between the reports of two specs.
pub fn diff(before: &Report, after: &Report) -> SpecDiff {
    let find = |r: &'_ Report, name: &str| -> Option<usize> {
        r.components.iter().position(|c| c.name() == name)
    };
    let moved = |b: Option<&ComponentReport>, a: Option<&ComponentReport>, decided: bool| Moved {
        before: b.map(|c| if decided { c.decided() } else { c.verdict }),
        after: a.map(|c| if decided { c.decided() } else { c.verdict }),
    };
    let mut components = Vec::new();
    let mut unchanged = 0;
    for b in &before.components {
        let a = find(after, b.name()).map(|i| &after.components[i]);
        let entry = ComponentDiff {
            name: b.name().to_owned(),
            status: if a.is_some() {
                Status::Changed
            } else {
                Status::Removed
            },
            verdict: moved(Some(b), a, false),
            decided: moved(Some(b), a, true),
            changes: a.map_or_else(Vec::new, |a| changes(b.component, a.component)),
        };
        if entry.status == Status::Changed
            && entry.changes.is_empty()
            && !entry.verdict.changed()
            && !entry.decided.changed()
        {
            unchanged += 1;
        } else {
            components.push(entry);
        }
    }
    for a in &after.components {
        if find(before, a.name()).is_none() {
            components.push(ComponentDiff {
                name: a.name().to_owned(),
                status: Status::Added,
                verdict: moved(None, Some(a), false),
                decided: moved(None, Some(a), true),
                changes: Vec::new(),
            });
        }
    }
    SpecDiff {
        system: Moved {
            before: Some(before.verdict),
            after: Some(after.verdict),
        },
        components,
        unchanged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::report::analyze;
    use crate::core::rules::rule_set::RuleSet;
    use crate::core::spec::kinds::Kinds;
    use crate::core::spec::model::Spec;

    fn spec(components: &str) -> Spec {
        Spec::from_yaml(
            &format!("version: 1\nsystem: {{name: S}}\ncomponents:\n{components}"),
            "s.yaml",
        )
        .expect("valid spec")
    }

    #[test]
    fn changed_values_and_verdicts_added_and_removed_components() {
        let rules = RuleSet::builtin();
        let kinds = Kinds::builtin();
        let old = spec(
            "  - {name: api, kind: rest-api, session: per-user}\n  - {name: feed, realtime: server-push}\n  - {name: db, kind: database}\n  - {name: gone, kind: worker}\n",
        );
        let new = spec(
            "  - {name: api, kind: rest-api, session: per-user, state_location: memory, affinity: per-client, latency_ms: 20, context_rebuild_ms: 15}\n  - {name: feed, realtime: server-push, decision: stateful}\n  - {name: db, kind: database}\n  - {name: fresh, kind: chat}\n",
        );
        let (before, after) = (analyze(&old, &rules, kinds), analyze(&new, &rules, kinds));
        let d = diff(&before, &after);
        let names: Vec<(&str, Status)> = d
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.status))
            .collect();
        assert_eq!(
            names,
            [
                ("api", Status::Changed),
                ("feed", Status::Changed),
                ("gone", Status::Removed),
                ("fresh", Status::Added),
            ]
        );
        assert_eq!(d.unchanged, 1, "db");
        let api = &d.components[0];
        let fields: Vec<&str> = api.changes.iter().map(|c| c.field).collect();
        assert_eq!(
            fields,
            [
                "latency_ms",
                "context_rebuild_ms",
                "state_location",
                "affinity"
            ]
        );
        assert_eq!(api.changes[2].before, None);
        assert_eq!(api.changes[2].after.as_deref(), Some("memory"));
        assert_eq!(api.verdict.before, Some(Verdict::Stateless));
        assert_ne!(
            api.verdict.after,
            Some(Verdict::Stateless),
            "{:?}",
            api.verdict
        );
        // A decision moves the decided verdict, not the advice.
        let feed = &d.components[1];
        assert_eq!(feed.changes[0].field, "decision");
        assert!(!feed.verdict.changed());
        assert_eq!(feed.decided.after, Some(Verdict::Stateful));
        let gone = &d.components[2];
        assert_eq!(gone.verdict.after, None);
        assert_eq!(d.components[3].verdict.before, None);
        // The same spec twice: nothing moved.
        let same = diff(&before, &before);
        assert!(same.components.is_empty());
        assert_eq!(same.unchanged, 4);
    }
}
