//! Rule conditions: parsed and checked against the field catalogue while the
//! rule file is read (so a typo is an error with its line), then evaluated
//! against a component's facts.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::core::facts::{Facts, Origin, Value};
use crate::core::spec::field::{Field, FieldType};
use crate::core::text::nearest;

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Gt,
    Gte,
    Lt,
    Lte,
    Eq,
    Ne,
}

impl Op {
    const NAMES: [&'static str; 6] = ["gt", "gte", "lt", "lte", "eq", "ne"];

    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "gt" => Op::Gt,
            "gte" => Op::Gte,
            "lt" => Op::Lt,
            "lte" => Op::Lte,
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            _ => return None,
        })
    }

    /// The operator as a symbol, for traces.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Gte => ">=",
            Op::Lt => "<",
            Op::Lte => "<=",
            Op::Eq => "=",
            Op::Ne => "!=",
        }
    }

    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Gt => a > b,
            Op::Gte => a >= b,
            Op::Lt => a < b,
            Op::Lte => a <= b,
            Op::Eq => a == b,
            Op::Ne => a != b,
        }
    }
}

/// What a condition checks about one field.
#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// The value is one of these (one entry for `field: value`).
    OneOf(Vec<Value>),
    /// The number compares so with the bound.
    Compare(Op, f64),
    /// The field has a value from the spec or the kind.
    Set,
    /// The field has no value, or only the plain default.
    Unset,
}

/// A condition of a rule's `when`.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// Every condition holds.
    All(Vec<Condition>),
    /// At least one condition holds.
    Any(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
    /// A test on one field.
    Test(Field, Test),
}

impl Condition {
    /// Whether the condition holds for these facts. A comparison on a field
    /// without a value is false.
    pub fn holds(&self, facts: &Facts) -> bool {
        match self {
            Condition::All(cs) => cs.iter().all(|c| c.holds(facts)),
            Condition::Any(cs) => cs.iter().any(|c| c.holds(facts)),
            Condition::Not(c) => !c.holds(facts),
            Condition::Test(field, test) => test_holds(*field, test, facts),
        }
    }

    /// Every field the condition reads, in order of appearance, without repeats.
    pub fn fields(&self) -> Vec<Field> {
        let mut out = Vec::new();
        self.collect_fields(&mut out);
        out
    }

    fn collect_fields(&self, out: &mut Vec<Field>) {
        match self {
            Condition::All(cs) | Condition::Any(cs) => {
                cs.iter().for_each(|c| c.collect_fields(out));
            }
            Condition::Not(c) => c.collect_fields(out),
            Condition::Test(f, _) => {
                if !out.contains(f) {
                    out.push(*f);
                }
            }
        }
    }
}

fn test_holds(field: Field, test: &Test, facts: &Facts) -> bool {
    let value = facts.get(field);
    match test {
        // A field holding several words holds a word when it is among them.
        Test::OneOf(vs) => match value {
            Some(set @ Value::Words(..)) => {
                let words = set.words();
                vs.iter()
                    .any(|v| matches!(v, Value::Word(w) if words.contains(w)))
            }
            Some(v) => vs.contains(&v),
            None => false,
        },
        Test::Compare(op, bound) => value
            .and_then(Value::as_number)
            .is_some_and(|n| op.holds(n, *bound)),
        Test::Set => is_set(field, facts),
        Test::Unset => !is_set(field, facts),
    }
}

fn is_set(field: Field, facts: &Facts) -> bool {
    facts.origin(field).is_some_and(|o| o != Origin::Default)
}

/// One field test of a condition, as evaluated against facts.
#[derive(Clone, Debug, PartialEq)]
pub struct Leaf {
    /// The test, as text (`latency_ms < 50`).
    pub test: String,
    /// The field it reads.
    pub field: Field,
    /// The value the field had.
    pub value: Option<Value>,
    /// Whether the test held.
    pub holds: bool,
}

impl fmt::Display for Leaf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = if self.holds { "holds" } else { "fails" };
        match self.value {
            Some(v) => write!(f, "{} (saw {} = {v}): {mark}", self.test, self.field.name()),
            None => write!(f, "{} ({} is unset): {mark}", self.test, self.field.name()),
        }
    }
}

impl Condition {
    /// Every field test in the condition, in order, with what it saw.
    pub fn leaves(&self, facts: &Facts) -> Vec<Leaf> {
        let mut out = Vec::new();
        self.collect_leaves(facts, &mut out);
        out
    }

    fn collect_leaves(&self, facts: &Facts, out: &mut Vec<Leaf>) {
        match self {
            Condition::All(cs) | Condition::Any(cs) => {
                cs.iter().for_each(|c| c.collect_leaves(facts, out));
            }
            Condition::Not(c) => {
                // The negation is what held or failed, so it is one test.
                let field = c.fields().first().copied().unwrap_or(Field::Kind);
                out.push(Leaf {
                    test: self.to_string(),
                    field,
                    value: facts.get(field),
                    holds: self.holds(facts),
                });
            }
            Condition::Test(field, test) => out.push(Leaf {
                test: self.to_string(),
                field: *field,
                value: facts.get(*field),
                holds: test_holds(*field, test, facts),
            }),
        }
    }

    /// The conditions that must all hold: the entries of a `when` map.
    pub fn conjuncts(&self) -> Vec<&Condition> {
        match self {
            Condition::All(cs) => cs.iter().collect(),
            other => vec![other],
        }
    }

    /// Every numeric bound the condition compares `field` with.
    pub fn bounds(&self, field: Field) -> Vec<f64> {
        let mut out = Vec::new();
        self.collect_bounds(field, &mut out);
        out
    }

    fn collect_bounds(&self, field: Field, out: &mut Vec<f64>) {
        match self {
            Condition::All(cs) | Condition::Any(cs) => {
                cs.iter().for_each(|c| c.collect_bounds(field, out));
            }
            Condition::Not(c) => c.collect_bounds(field, out),
            Condition::Test(f, Test::Compare(_, b)) if *f == field => out.push(*b),
            Condition::Test(f, Test::OneOf(vs)) if *f == field => {
                out.extend(vs.iter().filter_map(|v| v.as_number()));
            }
            Condition::Test(..) => {}
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, cs: &[Condition], sep: &str| {
            for (i, c) in cs.iter().enumerate() {
                if i > 0 {
                    f.write_str(sep)?;
                }
                match c {
                    Condition::All(_) | Condition::Any(_) => write!(f, "({c})")?,
                    _ => write!(f, "{c}")?,
                }
            }
            Ok(())
        };
        match self {
            Condition::All(cs) => join(f, cs, " and "),
            Condition::Any(cs) => join(f, cs, " or "),
            Condition::Not(c) => write!(f, "not ({c})"),
            Condition::Test(field, test) => {
                let name = field.name();
                let several = matches!(field.ty(), FieldType::Set(_));
                match test {
                    Test::OneOf(vs) if several && vs.len() == 1 => {
                        write!(f, "{name} has {}", vs[0])
                    }
                    Test::OneOf(vs) if several => {
                        let list: Vec<String> = vs.iter().map(ToString::to_string).collect();
                        write!(f, "{name} has any of [{}]", list.join(", "))
                    }
                    Test::OneOf(vs) if vs.len() == 1 => write!(f, "{name} = {}", vs[0]),
                    Test::OneOf(vs) => {
                        let list: Vec<String> = vs.iter().map(ToString::to_string).collect();
                        write!(f, "{name} in [{}]", list.join(", "))
                    }
                    Test::Compare(op, n) => {
                        write!(
                            f,
                            "{name} {} {}",
                            op.symbol(),
                            crate::core::text::show_number(*n)
                        )
                    }
                    Test::Set => write!(f, "{name} is set"),
                    Test::Unset => write!(f, "{name} is unset"),
                }
            }
        }
    }
}

/// A key of a condition map.
enum Key {
    All,
    Any,
    Not,
    Field(Field),
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name or `all`, `any`, `not`")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        match v {
            "all" => return Ok(Key::All),
            "any" => return Ok(Key::Any),
            "not" => return Ok(Key::Not),
            _ => {}
        }
        if let Some(field) = Field::from_name(v) {
            return Ok(Key::Field(field));
        }
        if matches!(v, "name" | "description" | "decision" | "decision_reason") {
            return Err(E::custom(format!(
                "`{v}` is a spec field that rules cannot test; conditions read the criteria ({})",
                crate::core::spec::field::names().join(", ")
            )));
        }
        let mut names = crate::core::spec::field::names();
        names.extend(["all", "any", "not"]);
        Err(E::custom(match nearest(v, &names) {
            Some(n) => format!(
                "unknown condition field `{v}`, did you mean `{n}`? (fields: {})",
                crate::core::spec::field::names().join(", ")
            ),
            None => format!(
                "unknown condition field `{v}`; fields: {}, and the combinators all, any, not",
                crate::core::spec::field::names().join(", ")
            ),
        }))
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Condition;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of conditions, such as `realtime: bidirectional`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Condition, A::Error> {
                let mut all = Vec::new();
                while let Some(key) = map.next_key_seed(KeySeed)? {
                    all.push(match key {
                        Key::All => Condition::All(map.next_value_seed(ListSeed)?),
                        Key::Any => Condition::Any(map.next_value_seed(ListSeed)?),
                        Key::Not => Condition::Not(Box::new(map.next_value()?)),
                        Key::Field(field) => map.next_value_seed(TestSeed(field))?,
                    });
                }
                if all.is_empty() {
                    return Err(de::Error::custom(
                        "empty condition; write at least one, such as `realtime: bidirectional`",
                    ));
                }
                Ok(if all.len() == 1 {
                    all.remove(0)
                } else {
                    Condition::All(all)
                })
            }
        }
        d.deserialize_map(V)
    }
}

/// The non-empty list under `all` or `any`.
struct ListSeed;

impl<'de> DeserializeSeed<'de> for ListSeed {
    type Value = Vec<Condition>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ListSeed {
    type Value = Vec<Condition>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of conditions")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(c) = seq.next_element()? {
            out.push(c);
        }
        if out.is_empty() {
            return Err(de::Error::custom(
                "`all` and `any` need at least one condition",
            ));
        }
        Ok(out)
    }
}

fn allowed_values(field: Field) -> String {
    match field.ty() {
        FieldType::Enum(values) => format!("{}, set, unset", values.join(", ")),
        FieldType::Set(values) => {
            format!("{} (a list: any of them), set, unset", values.join(", "))
        }
        FieldType::Bool => "true, false, set, unset".to_owned(),
        FieldType::Number => "a number, {gt|gte|lt|lte|eq|ne: number}, set, unset".to_owned(),
    }
}

/// Reads one value of `field` (a word, a bool or a number) and checks it.
struct ScalarSeed(Field);

impl<'de> DeserializeSeed<'de> for ScalarSeed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl ScalarSeed {
    fn wrong<E: de::Error>(&self, got: &str) -> E {
        E::custom(format!(
            "`{}` cannot be {got}; allowed: {}",
            self.0.name(),
            allowed_values(self.0)
        ))
    }
}

impl Visitor<'_> for ScalarSeed {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a value of `{}`", self.0.name())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        let (FieldType::Enum(values) | FieldType::Set(values)) = self.0.ty() else {
            return Err(self.wrong(&format!("`{v}`")));
        };
        if let Some(w) = values.iter().find(|w| **w == v) {
            return Ok(Value::Word(w));
        }
        let mut message = format!("`{v}` is not a value of `{}`", self.0.name());
        if let Some(n) = nearest(v, values) {
            message.push_str(&format!(", did you mean `{n}`?"));
        }
        message.push_str(&format!(" (allowed: {})", values.join(", ")));
        Err(E::custom(message))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        match self.0.ty() {
            FieldType::Bool => Ok(Value::Bool(v)),
            _ => Err(self.wrong(&format!("`{v}`"))),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        match self.0.ty() {
            FieldType::Number if v.is_finite() => Ok(Value::Number(v)),
            FieldType::Number => Err(E::custom(format!(
                "`{}` must be compared with a finite number",
                self.0.name()
            ))),
            _ => Err(self.wrong(&format!("the number {v}"))),
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.visit_f64(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.visit_f64(v as f64)
    }
}

/// Reads the test on `field`: a value, a list of values, a comparison map,
/// or `set` / `unset`.
struct TestSeed(Field);

impl<'de> DeserializeSeed<'de> for TestSeed {
    type Value = Condition;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Condition, D::Error> {
        d.deserialize_any(self)
    }
}

impl TestSeed {
    fn test(&self, test: Test) -> Condition {
        Condition::Test(self.0, test)
    }
}

impl<'de> Visitor<'de> for TestSeed {
    type Value = Condition;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a test of `{}`: {}",
            self.0.name(),
            allowed_values(self.0)
        )
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Condition, E> {
        match v {
            "set" => Ok(self.test(Test::Set)),
            "unset" => Ok(self.test(Test::Unset)),
            _ => Ok(self.test(Test::OneOf(vec![ScalarSeed(self.0).visit_str(v)?]))),
        }
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Condition, E> {
        Ok(self.test(Test::OneOf(vec![ScalarSeed(self.0).visit_bool(v)?])))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Condition, E> {
        let Value::Number(n) = ScalarSeed(self.0).visit_f64(v)? else {
            return Err(E::custom("expected a number"));
        };
        Ok(self.test(Test::Compare(Op::Eq, n)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Condition, E> {
        self.visit_f64(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Condition, E> {
        self.visit_f64(v as f64)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Condition, A::Error> {
        let mut values = Vec::new();
        while let Some(v) = seq.next_element_seed(ScalarSeed(self.0))? {
            values.push(v);
        }
        if values.is_empty() {
            return Err(de::Error::custom(format!(
                "empty list of values for `{}`",
                self.0.name()
            )));
        }
        Ok(self.test(Test::OneOf(values)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Condition, A::Error> {
        if self.0.ty() != FieldType::Number {
            return Err(de::Error::custom(format!(
                "`{}` is not a number, so it cannot be compared with gt/lt; allowed: {}",
                self.0.name(),
                allowed_values(self.0)
            )));
        }
        let mut tests = Vec::new();
        while let Some(op) = map.next_key_seed(OpSeed)? {
            let Value::Number(n) = map.next_value_seed(ScalarSeed(self.0))? else {
                return Err(de::Error::custom("expected a number"));
            };
            tests.push(self.test(Test::Compare(op, n)));
        }
        match tests.len() {
            0 => Err(de::Error::custom(
                "empty comparison; write one such as `{gte: 100}`",
            )),
            1 => Ok(tests.remove(0)),
            _ => Ok(Condition::All(tests)),
        }
    }
}

struct OpSeed;

impl<'de> DeserializeSeed<'de> for OpSeed {
    type Value = Op;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Op, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for OpSeed {
    type Value = Op;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an operator: gt, gte, lt, lte, eq or ne")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Op, E> {
        Op::parse(v).ok_or_else(|| {
            let hint = nearest(v, &Op::NAMES)
                .map(|n| format!(", did you mean `{n}`?"))
                .unwrap_or_default();
            E::custom(format!(
                "unknown operator `{v}`{hint} (operators: gt, gte, lt, lte, eq, ne)"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec::model::Criteria;
    use crate::core::spec::values::{Kind, Positive, Realtime};

    fn cond(yaml: &str) -> Result<Condition, String> {
        serde_yaml::from_str(yaml).map_err(|e| e.to_string())
    }

    fn facts() -> Facts {
        Facts::from_criteria(
            Kind::Chat,
            &Criteria {
                realtime: Some(Realtime::Bidirectional),
                latency_ms: Positive::new(40.0),
                ..Criteria::default()
            },
        )
    }

    #[test]
    fn a_field_of_several_words_holds_each_of_them() {
        use crate::core::spec::values::{Recovery, StateLocation, WordSet};
        let f = Facts::from_criteria(
            Kind::Other,
            &Criteria {
                state_location: WordSet::of(&[StateLocation::Memory, StateLocation::ExternalStore]),
                recovery: WordSet::of(&[Recovery::Replicas]),
                ..Criteria::default()
            },
        );
        let holds = |y: &str| cond(y).unwrap().holds(&f);
        assert!(holds("state_location: memory"));
        assert!(holds("state_location: external-store"));
        assert!(!holds("state_location: local-disk"));
        assert!(holds("state_location: [local-disk, memory]"));
        assert!(!holds("state_location: [client, none]"));
        assert!(holds("{not: {state_location: [local-disk, client]}}"));
        assert!(holds("recovery: replicas"));
        assert!(!holds("recovery: none"));
        assert!(holds("state_location: set"));
        assert!(!holds("state_location: unset"));
        assert_eq!(
            cond("state_location: memory").unwrap().to_string(),
            "state_location has memory"
        );
        assert_eq!(
            cond("state_location: [memory, local-disk]")
                .unwrap()
                .to_string(),
            "state_location has any of [memory, local-disk]"
        );
        let leaf = &cond("state_location: memory").unwrap().leaves(&f)[0];
        assert_eq!(
            leaf.to_string(),
            "state_location has memory (saw state_location = [memory, external-store]): holds"
        );
        // An unset set holds nothing.
        assert!(!cond("state_location: memory").unwrap().holds(&facts()));
        let err = cond("state_location: memroy").unwrap_err();
        assert!(err.contains("did you mean `memory`?"), "{err}");
        let err = cond("recovery: {gt: 1}").unwrap_err();
        assert!(err.contains("not a number"), "{err}");
    }

    #[test]
    fn every_form_parses_and_evaluates() {
        let f = facts();
        let holds = |y: &str| cond(y).unwrap().holds(&f);
        assert!(holds("realtime: bidirectional"));
        assert!(holds("realtime: [server-push, bidirectional]"));
        assert!(holds("latency_ms: {lt: 50}"));
        assert!(holds("latency_ms: {gte: 10, lt: 50}"));
        assert!(!holds("latency_ms: {gt: 50}"));
        assert!(holds("latency_ms: 40"));
        assert!(holds("latency_ms: set"));
        assert!(holds("availability: unset"));
        assert!(holds("traffic: unset"));
        assert!(holds("shared_state: false"));
        assert!(holds("any: [{kind: cart}, {kind: chat}]"));
        assert!(holds("not: {kind: cart}"));
        assert!(!holds("all: [{kind: chat}, {availability: {gt: 99}}]"));
        assert!(
            !holds("rebuild_share: {ne: 1}"),
            "a comparison on an unset fact is false"
        );
    }

    #[test]
    fn typos_are_rejected_with_suggestions() {
        let e = cond("\nrealtim: bidirectional").unwrap_err();
        assert!(e.contains("did you mean `realtime`?"), "{e}");
        assert!(e.contains("line 2 column 1"), "{e}");
        let e = cond("realtime: bidirectionl").unwrap_err();
        assert!(e.contains("did you mean `bidirectional`?"), "{e}");
        assert!(e.contains("column 11"), "{e}");
        let e = cond("latency_ms: {lts: 5}").unwrap_err();
        assert!(e.contains("did you mean `lt`?"), "{e}");
        let e = cond("shared_state: {gt: 5}").unwrap_err();
        assert!(e.contains("not a number"), "{e}");
        let e = cond("decision: stateful").unwrap_err();
        assert!(e.contains("cannot test"), "{e}");
    }

    #[test]
    fn displays_readably() {
        let c = cond("{realtime: bidirectional, latency_ms: {lt: 50}}").unwrap();
        assert_eq!(
            c.to_string(),
            "realtime = bidirectional and latency_ms < 50"
        );
        assert_eq!(c.fields(), vec![Field::Realtime, Field::LatencyMs]);
    }
}
