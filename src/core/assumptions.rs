//! Assumptions: the criteria a verdict rests on that nobody stated. A
//! criterion filled in by the contract default (traffic `steady`, no
//! session, ...) — not by the spec, not by the kind — is an assumption when
//! stating another value for it would change the verdict. Each is listed
//! with what was assumed, the value that would flip the verdict, and the
//! verdict it would flip to, so a reader sees what to state in the spec.

use serde::Serialize;

use crate::core::engine::{self, Evaluation};
use crate::core::facts::{Facts, Origin, Value};
use crate::core::rules::rule::Rule;
use crate::core::rules::rule_set::RuleSet;
use crate::core::spec::field::{Field, FieldType};
use crate::core::spec::values::Verdict;

/// One criterion the verdict assumed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assumption {
    /// The criterion.
    #[serde(serialize_with = "field_name")]
    pub field: Field,
    /// The default the verdict rests on, as a spec would write it.
    pub assumed: String,
    /// The verdict a stated `when` would give.
    pub would_flip_to: Verdict,
    /// The first value (in the field's order) that flips the verdict.
    pub when: String,
}

fn field_name<S: serde::Serializer>(f: &Field, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(f.name())
}

/// For each criterion that can be assumed, the rules whose condition reads
/// it: the only ones whose firing a stated value can change. Built once per
/// analysis.
pub struct Readers<'r> {
    by_field: Vec<(Field, Vec<&'r Rule>)>,
}

impl<'r> Readers<'r> {
    /// The index for `rules`.
    pub fn of(rules: &'r RuleSet) -> Self {
        let by_field = Field::ALL
            .into_iter()
            .filter(|f| matches!(f.ty(), FieldType::Enum(_) | FieldType::Bool) && *f != Field::Kind)
            .map(|f| {
                let readers = rules
                    .rules()
                    .iter()
                    .filter(|r| r.when.fields().contains(&f))
                    .collect();
                (f, readers)
            })
            .collect();
        Readers { by_field }
    }

    fn of_field(&self, field: Field) -> &[&'r Rule] {
        self.by_field
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(&[], |(_, r)| r.as_slice())
    }
}

/// The assumptions behind `eval`'s verdict for the component whose facts
/// are `facts`, in field order. A stated value changes only the rules that
/// read its field, so only those are evaluated again (a dozen values at
/// most, each against a handful of rules).
pub fn assumptions(facts: &Facts, eval: &Evaluation<'_>, readers: &Readers<'_>) -> Vec<Assumption> {
    let mut out = Vec::new();
    // A few rules fire and a few read each field: a look along the list is
    // cheaper than hashing the ids.
    let same = |a: &Rule, b: &Rule| std::ptr::eq(a, b) || a.id == b.id;
    let fired = |r: &Rule| eval.fired.iter().any(|f| same(f, r));
    for (field, value, origin) in facts.iter() {
        if origin != Origin::Default {
            continue;
        }
        let (assumed, others): (String, Vec<Value>) = match (value, field.ty()) {
            (Value::Word(w), FieldType::Enum(words)) => (
                w.to_owned(),
                words
                    .iter()
                    .filter(|o| **o != w)
                    .map(|o| Value::Word(o))
                    .collect(),
            ),
            (Value::Bool(b), FieldType::Bool) => (b.to_string(), vec![Value::Bool(!b)]),
            _ => continue,
        };
        let readers = readers.of_field(field);
        // A store among the fired rules that no stated value can unfire.
        let other_owner = eval
            .fired
            .iter()
            .any(|r| r.owner && !readers.iter().any(|x| same(x, r)));
        for other in others {
            let changed = facts.with(field, Some(other));
            let mut scores = eval.scores;
            let mut owner = other_owner;
            for r in readers {
                let was = fired(r);
                let now = r.when.holds(&changed);
                match (was, now) {
                    (true, false) => scores.remove(r),
                    (false, true) => scores.add(r),
                    _ => {}
                }
                owner |= now && r.owner;
            }
            let (flipped, _) = if owner {
                engine::stateful_by_nature(scores)
            } else {
                engine::verdict_of(scores)
            };
            if flipped != eval.verdict {
                out.push(Assumption {
                    field,
                    assumed: assumed.clone(),
                    would_flip_to: flipped,
                    when: other.to_string(),
                });
                break;
            }
        }
    }
    out
}
