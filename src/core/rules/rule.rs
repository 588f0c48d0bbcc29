//! One rule: when it fires, which way it pushes, how hard, and what it says.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::core::rules::condition::Condition;
use crate::core::spec::model::Component;
use crate::core::spec::values::Verdict;

/// The side a rule pushes a component toward.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Favors {
    /// Keep state in the component's memory.
    Stateful,
    /// Keep the component free of client state.
    Stateless,
}

impl Favors {
    /// The word used in YAML and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Favors::Stateful => "stateful",
            Favors::Stateless => "stateless",
        }
    }
}

impl fmt::Display for Favors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An example component a rule must fire on, with the verdict the whole rule
/// set must give it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleExample {
    /// The verdict the rule set must give.
    pub verdict: Verdict,
    /// The component.
    pub component: Component,
    /// What the rest of the system makes of it (the facts that come from
    /// `depends_on`), for rules that read them.
    #[serde(default)]
    pub given: crate::core::facts::Surroundings,
}

/// A rule, as loaded and checked.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Unique kebab-case id.
    #[serde(deserialize_with = "deserialize_id")]
    pub id: String,
    /// One-line title.
    pub title: String,
    /// When it fires.
    pub when: Condition,
    /// The side it favors.
    pub favors: Favors,
    /// How much it weighs, 1 to 10.
    #[serde(deserialize_with = "deserialize_weight")]
    pub weight: u8,
    /// Why, in a sentence or two.
    pub because: String,
    /// The concrete next step.
    #[serde(default)]
    pub advice: Option<String>,
    /// The part of the source material it comes from.
    #[serde(default)]
    pub source: Option<String>,
    /// Marks a component whose job is holding state for others (a store):
    /// when such a rule fires, the verdict is stateful whatever else fires.
    #[serde(default)]
    pub owner: bool,
    /// Rules whose reasons contradict this one's: they must never fire
    /// together (`rules lint` searches for a component where they do).
    #[serde(default)]
    pub excludes: Vec<String>,
    /// Components it must fire on, with their expected verdicts.
    #[serde(default)]
    pub examples: Vec<RuleExample>,
    /// The file it was loaded from.
    #[serde(skip)]
    pub file: String,
    /// True for the rules embedded in the binary.
    #[serde(skip)]
    pub builtin: bool,
}

thread_local! {
    /// Rule ids seen while one rule set is loading, with the file of each,
    /// and the file being read now; `None` outside a load.
    pub(crate) static IDS: RefCell<Option<(HashMap<String, String>, String)>> =
        const { RefCell::new(None) };
}

fn deserialize_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a kebab-case rule id")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            if !crate::core::text::is_kebab_case(v) {
                return Err(E::custom(format!(
                    "rule id `{v}` is not kebab-case (lowercase letters, digits and single dashes, such as `bidirectional-realtime`)"
                )));
            }
            IDS.with(|ids| {
                if let Some((seen, file)) = ids.borrow_mut().as_mut() {
                    if let Some(first) = seen.get(v) {
                        return Err(E::custom(format!(
                            "duplicate rule id `{v}`, already defined in `{first}`; give this rule another id (`rules lint --no-default-rules` checks files apart from the built-in rules)"
                        )));
                    }
                    seen.insert(v.to_owned(), file.clone());
                }
                Ok(v.to_owned())
            })
        }
    }
    d.deserialize_str(V)
}

fn deserialize_weight<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
    struct V;
    impl Visitor<'_> for V {
        type Value = u8;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a whole weight from 1 to 10")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u8, E> {
            match u8::try_from(v) {
                Ok(w @ 1..=10) => Ok(w),
                _ => Err(E::custom(format!(
                    "weight {v} is out of range; use a whole number from 1 to 10"
                ))),
            }
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u8, E> {
            Err(E::custom(format!(
                "weight {v} is out of range; use a whole number from 1 to 10"
            )))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<u8, E> {
            Err(E::custom(format!(
                "weight {v} is not a whole number; use a whole number from 1 to 10"
            )))
        }
    }
    d.deserialize_any(V)
}

#[cfg(test)]
mod tests {
    use crate::core::text::is_kebab_case;

    #[test]
    fn kebab_case_ids() {
        assert!(is_kebab_case("bidirectional-realtime"));
        assert!(is_kebab_case("p99-under-50ms"));
        assert!(!is_kebab_case("Bad_Id"));
        assert!(!is_kebab_case("a--b"));
        assert!(!is_kebab_case("-a"));
        assert!(!is_kebab_case(""));
    }
}
