//! Properties over generated specs (proptest), with a bounded case count.
//!
//! Each property runs a fixed number of cases (a few dozen for those that
//! parse YAML, more for the cheap rule-engine ones) so the whole file stays
//! well under ten seconds in a debug build; `PROPTEST_CASES=N` raises every
//! property to N cases for a deeper local run. Failures are not persisted to
//! disk: proptest prints the minimal input, which a regression test should
//! then pin.
//!
//! The generated specs are valid by construction: 1 to 8 components whose
//! names are unique ignoring case (and include spaces, unicode, quotes, `#`,
//! `:`, `|`, a leading `-`, digits only, YAML words such as `yes`/`null`),
//! every optional field sometimes set, numbers anywhere in their valid range,
//! extremes included.

use std::collections::HashSet;
use std::sync::OnceLock;

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use statewise::engine::{self, Scores};
use statewise::facts::Facts;
use statewise::field::Field;
use statewise::output::json;
use statewise::spec::{
    Availability, Component, ComponentName, Count, Kind, Name, NonNegative, Positive, Realtime,
    Session, System, Traffic, Version,
};
use statewise::spec_yaml::to_commented_yaml;
use statewise::{Kinds, RuleSet, Spec, Verdict, analyze};

use crate::util::HEAD;

// ---------------------------------------------------------------------------
// Configuration

/// `cases` cases, or `PROPTEST_CASES` when set; nothing written to disk.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Properties that parse and render YAML or JSON: a few ms a case in debug.
const SLOW_CASES: u32 = 64;
/// Properties over the rule engine alone: a few µs a case.
const FAST_CASES: u32 = 2048;

// ---------------------------------------------------------------------------
// Text

/// Strings a YAML writer or reader is likely to get wrong.
fn tricky_texts() -> Vec<String> {
    let fixed = [
        "api",
        "storefront-api",
        "12",
        "012",
        "0x1F",
        "1e5",
        "1_000",
        "-1",
        "+1",
        ".inf",
        ".nan",
        "yes",
        "No",
        "null",
        "Null",
        "~",
        "true",
        "FALSE",
        "on",
        "y",
        "n",
        "- lead",
        "-x",
        "--",
        "---",
        "...",
        "a: b",
        "a:b",
        "key:",
        "a|b",
        "|",
        ">",
        "#hash",
        "x # y",
        "x#y",
        "it's",
        "'single'",
        "say \"hi\"",
        "\"",
        "back\\slash",
        "? q",
        ",comma",
        "a, b",
        "[x]",
        "{y: z}",
        "&anchor",
        "*alias",
        "!tag",
        "!!str",
        "%pct",
        "@at",
        "`tick`",
        "x-->y",
        "<b>",
        "spaced name",
        "two  spaces",
        " leading",
        "trailing ",
        "tab\there",
        "line\nbreak",
        "crlf\r\nend",
        "café",
        "Ωmega",
        "日本語",
        "emoji 🚀",
        "ǅ title",
        "a\u{7f}b",
        "a\u{85}b",
        "a\u{a0}b",
        "a\u{2028}b",
        "\u{feff}bom",
        "nul\u{0}",
        "bell\u{7}",
    ];
    let mut out: Vec<String> = fixed.iter().map(|s| (*s).to_owned()).collect();
    out.push("x".repeat(64));
    out.push("é".repeat(64));
    out.push("🚀".repeat(64));
    out
}

/// Any text: tricky words, YAML-ish punctuation, arbitrary characters.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(tricky_texts()),
        3 => r##"[a-zA-Z0-9 _#:|"'\-.,!?&*%@`~()\[\]{}<>/\\éüßΩ日本🚀\n\t]{0,24}"##,
        2 => vec(any::<char>(), 0..16).prop_map(String::from_iter),
        1 => "[a-z]{1,8}( [a-z]{1,8}){0,3}",
    ]
    .boxed()
}

fn component_name() -> impl Strategy<Value = ComponentName> {
    text().prop_filter_map("a component name is 1-64 chars, not blank", |s| {
        ComponentName::new(&s)
    })
}

fn system_name() -> impl Strategy<Value = Name> {
    text().prop_filter_map("a name is not blank", |s| Name::new(&s))
}

/// 1 to 8 names, unique ignoring case (as the parser compares them).
fn component_names() -> impl Strategy<Value = Vec<ComponentName>> {
    vec(component_name(), 1..=8).prop_map(|names| {
        let mut seen = HashSet::new();
        names
            .into_iter()
            .filter(|n| seen.insert(n.as_str().to_lowercase()))
            .collect()
    })
}

// ---------------------------------------------------------------------------
// Numbers

/// Which numbers to generate.
#[derive(Clone, Copy, Debug)]
enum Numbers {
    /// Round numbers: whole numbers, thousandths, and anything below 0.001
    /// or from 10^15 up (written with an exponent), as people type them.
    Kept,
    /// Any number in range, extremes included.
    Any,
    /// Values near the thresholds of the built-in rules.
    Rules,
}

fn pick(values: &[f64]) -> BoxedStrategy<f64> {
    select(values.to_vec()).boxed()
}

/// A number > 0.
fn positive(n: Numbers) -> BoxedStrategy<f64> {
    match n {
        Numbers::Kept => prop_oneof![
            pick(&[1e-6, 0.001, 0.5, 1.0, 200.0, 1e12, 1e15, 9e15, 1e300]),
            (1u64..=1_000_000_000_000).prop_map(|v| v as f64),
            (1u64..=100_000_000).prop_map(|k| k as f64 / 1000.0),
            1e-12f64..1e-3,
            1e15f64..1e18,
        ]
        .boxed(),
        Numbers::Any => prop_oneof![
            pick(&[
                f64::MIN_POSITIVE,
                1e-300,
                1e-9,
                1e-6,
                0.0015,
                0.1,
                1.0 / 3.0,
                12.3456,
                1e12,
                1e15,
                9e15,
                1e20,
                1e300,
            ]),
            (1u64..=1_000_000).prop_map(|v| v as f64),
            (-6.0f64..12.0).prop_map(|e| 10f64.powf(e)),
            (0.0f64..1000.0).prop_filter("positive", |v| *v > 0.0),
        ]
        .boxed(),
        Numbers::Rules => prop_oneof![
            3 => pick(&[
                0.5, 1.0, 2.0, 5.0, 9.9, 10.0, 10.5, 20.0, 32.0, 50.0, 60.0, 100.0, 200.0, 512.0,
                1024.0, 1e6,
            ]),
            1 => positive(Numbers::Kept),
        ]
        .boxed(),
    }
}

/// A number >= 0.
fn non_negative(n: Numbers) -> BoxedStrategy<f64> {
    match n {
        Numbers::Rules => prop_oneof![
            3 => pick(&[
                0.0, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 16.0, 20.0, 30.0, 31.9, 32.0, 50.0, 60.0, 120.0,
                512.0,
            ]),
            1 => positive(Numbers::Kept),
        ]
        .boxed(),
        _ => prop_oneof![1 => Just(0.0), 5 => positive(n)].boxed(),
    }
}

/// A whole number >= 1 (up to 9e15, the contract's limit).
fn count(n: Numbers) -> BoxedStrategy<f64> {
    match n {
        Numbers::Rules => pick(&[1.0, 10.0, 100.0, 1000.0, 2048.0, 20000.0, 1e6]),
        _ => prop_oneof![
            pick(&[1.0, 2.0, 1e12, 1e15, 4_503_599_627_370_497.0, 9e15]),
            (1u64..=1_000_000).prop_map(|v| v as f64),
            (1u64..=9_000_000_000_000_000).prop_map(|v| v as f64),
        ]
        .boxed(),
    }
}

/// A percentage from 90 up to, not including, 100.
fn availability(n: Numbers) -> BoxedStrategy<f64> {
    match n {
        Numbers::Kept => prop_oneof![
            pick(&[90.0, 99.0, 99.9, 99.95, 99.99, 99.999]),
            (90_000u32..100_000).prop_map(|k| f64::from(k) / 1000.0),
        ]
        .boxed(),
        Numbers::Any => prop_oneof![
            pick(&[90.0, 99.9, 99.9999, 99.99999999, 100.0 - 1e-13]),
            90.0f64..100.0,
        ]
        .boxed(),
        Numbers::Rules => pick(&[90.0, 99.0, 99.89, 99.9, 99.95, 99.99]),
    }
}

// ---------------------------------------------------------------------------
// Specs

/// A component's fields but its name.
fn component(n: Numbers) -> impl Strategy<Value = Component> {
    let words = (
        option::of(select(Kind::ALL)),
        option::of(select(Realtime::ALL)),
        option::of(select(Traffic::ALL)),
        option::of(select(Session::ALL)),
        option::of(any::<bool>()),
        option::of(any::<bool>()),
        option::of(select(Verdict::ALL)),
    );
    let numbers = (
        option::of(positive(n).prop_map(|v| Positive::new(v).expect("> 0"))),
        option::of(non_negative(n).prop_map(|v| NonNegative::new(v).expect(">= 0"))),
        option::of(count(n).prop_map(|v| Count::new(v).expect("whole >= 1"))),
        option::of(non_negative(n).prop_map(|v| NonNegative::new(v).expect(">= 0"))),
        option::of(positive(n).prop_map(|v| Positive::new(v).expect("> 0"))),
        option::of(availability(n).prop_map(|v| Availability::new(v).expect("in range"))),
        option::of(non_negative(n).prop_map(|v| NonNegative::new(v).expect(">= 0"))),
    );
    let texts = (prop_oneof![Just(String::new()), text()], option::of(text()));
    (words, numbers, texts).prop_map(
        |(
            (kind, realtime, traffic, session, shared_state, transactions, decision),
            (latency, rebuild, clients, state_kb, budget, availability, request_kb),
            (description, decision_reason),
        )| Component {
            description,
            kind,
            realtime,
            traffic,
            latency_ms: latency,
            context_rebuild_ms: rebuild,
            concurrent_clients: clients,
            state_kb_per_client: state_kb,
            memory_budget_mb: budget,
            session,
            shared_state,
            transactions,
            availability,
            request_context_kb: request_kb,
            decision,
            decision_reason,
            ..Component::named(ComponentName::new("c").expect("a valid name"))
        },
    )
}

fn system() -> impl Strategy<Value = System> {
    (
        system_name(),
        prop_oneof![Just(String::new()), text()],
        vec(text(), 0..4),
        vec(text(), 0..3),
        vec(text(), 0..3),
    )
        .prop_map(
            |(name, description, decision_makers, consulted, informed)| System {
                name,
                description,
                decision_makers,
                consulted,
                informed,
                deploy: Vec::new(),
                waivers: Vec::new(),
            },
        )
}

/// A valid spec: 1 to 8 components with unique names.
fn spec(n: Numbers) -> impl Strategy<Value = Spec> {
    (system(), component_names(), vec(component(n), 8)).prop_map(|(system, names, bodies)| {
        let components = names
            .into_iter()
            .zip(bodies)
            .map(|(name, body)| Component { name, ..body })
            .collect();
        Spec {
            version: Version,
            system,
            components,
        }
    })
}

// ---------------------------------------------------------------------------
// YAML written by hand, in the styles a person might use

/// A string as a YAML scalar: single-quoted when that is safe, else
/// double-quoted with every unusual character escaped.
fn yaml_string(s: &str, single: bool) -> String {
    let printable = |c: char| {
        matches!(u32::from(c), 0x20..=0x7e | 0xa0..=0xd7ff | 0xe000..=0xfffd | 0x10000..)
            && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
    };
    if single && s.chars().all(printable) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if printable(c) => out.push(c),
            c if u32::from(c) <= 0xffff => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push_str(&format!("\\U{:08x}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// A number as a person might write it: plain digits, with an exponent, or
/// Rust's shortest form; all exact. (`huge_whole_numbers_are_numbers`
/// covers plain digits of 10^18 and more.)
fn yaml_number(v: f64, style: u8) -> String {
    match style % 3 {
        0 if v < 1e18 => format!("{v}"),
        1 => format!("{v:e}"),
        _ => format!("{v:?}"),
    }
}

/// Picks styles from a list of choices, in turn.
struct Pen<'a> {
    style: &'a [u8],
    turn: usize,
}

impl Pen<'_> {
    fn next(&mut self) -> u8 {
        self.turn += 1;
        self.style[self.turn % self.style.len()]
    }

    fn quote(&mut self, s: &str) -> String {
        let single = self.next().is_multiple_of(2);
        yaml_string(s, single)
    }

    fn list(&mut self, items: &[String]) -> String {
        let items: Vec<String> = items.iter().map(|s| self.quote(s)).collect();
        format!("[{}]", items.join(", "))
    }
}

/// A spec as hand-written YAML, with the keys of each mapping in the order
/// `order` gives and `style` choosing quoting, number notation and
/// block or flow layout.
fn hand_written_yaml(spec: &Spec, order: &[usize], style: &[u8]) -> String {
    let mut pen = Pen { style, turn: 0 };
    let sys = &spec.system;
    let mut system_lines = vec![format!("name: {}", pen.quote(sys.name.as_str()))];
    if !sys.description.is_empty() {
        system_lines.push(format!("description: {}", pen.quote(&sys.description)));
    }
    for (key, items) in [
        ("decision_makers", &sys.decision_makers),
        ("consulted", &sys.consulted),
        ("informed", &sys.informed),
    ] {
        if !items.is_empty() || pen.next().is_multiple_of(3) {
            system_lines.push(format!("{key}: {}", pen.list(items)));
        }
    }
    let mut components = String::new();
    for (i, c) in spec.components.iter().enumerate() {
        // The fields in an order derived from `order`.
        let mut keyed: Vec<(usize, String)> = component_fields(c, &mut pen, i)
            .into_iter()
            .enumerate()
            .map(|(j, f)| (order[(i * 17 + j) % order.len()], f))
            .collect();
        keyed.sort_by_key(|(k, _)| *k);
        let fields: Vec<String> = keyed.into_iter().map(|(_, f)| f).collect();
        if pen.next().is_multiple_of(4) {
            components.push_str(&format!("  - {{{}}}\n", fields.join(", ")));
        } else {
            for (j, f) in fields.iter().enumerate() {
                let lead = if j == 0 { "  - " } else { "    " };
                components.push_str(&format!("{lead}{f}\n"));
            }
        }
    }
    let system_block: String = system_lines.iter().map(|l| format!("  {l}\n")).collect();
    let mut top = [
        "version: 1\n".to_owned(),
        format!("system:\n{system_block}"),
        format!("components:\n{components}"),
    ];
    top.rotate_left(usize::from(style[0]) % 3);
    format!("# written by hand\n{}", top.concat())
}

/// A component's fields as `key: value` texts.
fn component_fields(c: &Component, pen: &mut Pen<'_>, seed: usize) -> Vec<String> {
    let num = |v: f64, k: usize| yaml_number(v, ((seed + k) % 3) as u8);
    let bool_word = |b: bool, k: usize| {
        let words = if b {
            ["true", "True", "TRUE"]
        } else {
            ["false", "False", "FALSE"]
        };
        words[(seed + k) % 3]
    };
    let mut out = vec![format!("name: {}", pen.quote(c.name.as_str()))];
    if !c.description.is_empty() {
        out.push(format!("description: {}", pen.quote(&c.description)));
    }
    let words = [
        ("kind", c.kind.map(Kind::as_str)),
        ("realtime", c.realtime.map(Realtime::as_str)),
        ("traffic", c.traffic.map(Traffic::as_str)),
        ("session", c.session.map(Session::as_str)),
        ("decision", c.decision.map(Verdict::as_str)),
    ];
    out.extend(
        words
            .iter()
            .filter_map(|(k, v)| v.map(|v| format!("{k}: {v}"))),
    );
    let bools = [
        ("shared_state", c.shared_state),
        ("transactions", c.transactions),
    ];
    for (k, (key, v)) in bools.iter().enumerate() {
        if let Some(b) = v {
            out.push(format!("{key}: {}", bool_word(*b, k)));
        }
    }
    let numbers = [
        ("latency_ms", c.latency_ms.map(Positive::get)),
        (
            "context_rebuild_ms",
            c.context_rebuild_ms.map(NonNegative::get),
        ),
        ("concurrent_clients", c.concurrent_clients.map(Count::get)),
        (
            "state_kb_per_client",
            c.state_kb_per_client.map(NonNegative::get),
        ),
        ("memory_budget_mb", c.memory_budget_mb.map(Positive::get)),
        ("availability", c.availability.map(Availability::get)),
        (
            "request_context_kb",
            c.request_context_kb.map(NonNegative::get),
        ),
    ];
    for (k, (key, v)) in numbers.iter().enumerate() {
        if let Some(v) = v {
            out.push(format!("{key}: {}", num(*v, k)));
        }
    }
    if let Some(r) = &c.decision_reason {
        out.push(format!("decision_reason: {}", pen.quote(r)));
    }
    out
}

// ---------------------------------------------------------------------------
// JSON kept in key order, to compare re-serialised text with the original

/// A JSON value whose objects keep their keys in document order.
#[derive(Debug, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Reads JSON text exactly: numbers with a fraction or exponent go through
/// Rust's correctly rounded `f64` parser, not serde_json's default fast one
/// (which can be one unit in the last place off without its
/// `float_roundtrip` feature, and would make the comparison lie).
struct JsonReader<'a> {
    text: &'a str,
    at: usize,
}

impl JsonReader<'_> {
    fn parse(text: &str) -> Result<Json, String> {
        let mut r = JsonReader { text, at: 0 };
        let v = r.value()?;
        r.space();
        if r.at == text.len() {
            Ok(v)
        } else {
            Err(format!("trailing text at byte {}", r.at))
        }
    }

    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start_matches([' ', '\n', '\r', '\t']).len();
    }

    fn eat(&mut self, token: &str) -> bool {
        self.space();
        let found = self.rest().starts_with(token);
        if found {
            self.at += token.len();
        }
        found
    }

    fn expect(&mut self, token: &str) -> Result<(), String> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(format!("expected `{token}` at byte {}", self.at))
        }
    }

    fn value(&mut self) -> Result<Json, String> {
        self.space();
        if self.eat("null") {
            Ok(Json::Null)
        } else if self.eat("true") {
            Ok(Json::Bool(true))
        } else if self.eat("false") {
            Ok(Json::Bool(false))
        } else if self.rest().starts_with('"') {
            self.string().map(Json::String)
        } else if self.eat("[") {
            let mut items = Vec::new();
            if !self.eat("]") {
                loop {
                    items.push(self.value()?);
                    if self.eat("]") {
                        break;
                    }
                    self.expect(",")?;
                }
            }
            Ok(Json::Array(items))
        } else if self.eat("{") {
            let mut entries = Vec::new();
            if !self.eat("}") {
                loop {
                    self.space();
                    let key = self.string()?;
                    self.expect(":")?;
                    entries.push((key, self.value()?));
                    if self.eat("}") {
                        break;
                    }
                    self.expect(",")?;
                }
            }
            Ok(Json::Object(entries))
        } else {
            self.number()
        }
    }

    fn number(&mut self) -> Result<Json, String> {
        let len = self
            .rest()
            .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
            .unwrap_or(self.rest().len());
        let text = &self.text[self.at..self.at + len];
        self.at += len;
        let bad = || format!("bad number `{text}`");
        if text.contains(['.', 'e', 'E']) {
            let v: f64 = text.parse().map_err(|_| bad())?;
            serde_json::Number::from_f64(v)
                .map(Json::Number)
                .ok_or_else(bad)
        } else if let Ok(v) = text.parse::<u64>() {
            Ok(Json::Number(v.into()))
        } else {
            text.parse::<i64>()
                .map(|v| Json::Number(v.into()))
                .map_err(|_| bad())
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.expect("\"")?;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.at += i + 1;
                    return Ok(out);
                }
                '\\' => {
                    let (_, e) = chars.next().ok_or("unfinished escape")?;
                    match e {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'u' => {
                            let hex = |chars: &mut std::str::CharIndices<'_>| {
                                let digits: String =
                                    chars.by_ref().take(4).map(|(_, c)| c).collect();
                                u32::from_str_radix(&digits, 16).map_err(|_| "bad \\u escape")
                            };
                            let mut code = hex(&mut chars)?;
                            if (0xd800..0xdc00).contains(&code) {
                                let pair: String = chars.by_ref().take(2).map(|(_, c)| c).collect();
                                if pair != "\\u" {
                                    return Err("lone surrogate".into());
                                }
                                let low = hex(&mut chars)?;
                                code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                            }
                            out.push(char::from_u32(code).ok_or("bad code point")?);
                        }
                        other => out.push(other),
                    }
                }
                c => out.push(c),
            }
        }
        Err("unfinished string".into())
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Number(n) => n.serialize(s),
            Json::String(t) => s.serialize_str(t),
            Json::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Helpers

/// The built-in rules, loaded once: loading them is most of a case's time.
fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(RuleSet::builtin)
}

fn rank(v: Verdict) -> u8 {
    match v {
        Verdict::Stateless => 0,
        Verdict::Hybrid => 1,
        Verdict::Stateful => 2,
    }
}

fn scores(c: &Component, rules: &RuleSet) -> (Verdict, Scores) {
    let eval = engine::evaluate(&Facts::of(c, Kinds::builtin()), rules);
    (eval.verdict, eval.scores)
}

/// The component as one YAML flow mapping, for failure messages.
fn show(c: &Component) -> String {
    serde_yaml::to_string(c).unwrap_or_else(|e| format!("{c:?} ({e})"))
}

/// The name fields and ranges every spec that parses must keep.
fn assert_valid(spec: &Spec) -> Result<(), TestCaseError> {
    prop_assert!(!spec.components.is_empty());
    prop_assert!(!spec.system.name.as_str().trim().is_empty());
    let mut seen = HashSet::new();
    for c in &spec.components {
        let name = c.name.as_str();
        prop_assert!(!name.trim().is_empty() && name.chars().count() <= 64);
        prop_assert!(
            seen.insert(name.to_lowercase()),
            "duplicate name {name:?} accepted"
        );
        let finite = |v: Option<f64>| v.is_none_or(f64::is_finite);
        prop_assert!(c.latency_ms.is_none_or(|v| v.get() > 0.0));
        prop_assert!(c.memory_budget_mb.is_none_or(|v| v.get() > 0.0));
        prop_assert!(
            c.availability
                .is_none_or(|v| (90.0..100.0).contains(&v.get()))
        );
        prop_assert!(
            c.concurrent_clients
                .is_none_or(|v| v.get() >= 1.0 && v.get().fract() == 0.0)
        );
        for v in [
            c.context_rebuild_ms,
            c.state_kb_per_client,
            c.request_context_kb,
        ] {
            prop_assert!(v.is_none_or(|v| v.get() >= 0.0 && v.get().is_finite()));
        }
        prop_assert!(finite(c.latency_ms.map(Positive::get)));
        prop_assert!(finite(c.memory_budget_mb.map(Positive::get)));
    }
    Ok(())
}

/// Parses `text` (which must not panic); when it parses, the spec is valid
/// and analyses and renders without panicking.
fn parse_never_panics(text: &str) -> Result<(), TestCaseError> {
    if let Ok(spec) = Spec::from_yaml(text, "fuzz.yaml") {
        assert_valid(&spec)?;
        let rules = rules();
        let report = analyze(&spec, rules, Kinds::builtin());
        let _ = json::render(&report);
    }
    Ok(())
}

/// One edit of a spec's text, by line or by character.
#[derive(Clone, Debug)]
enum Mutation {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    IndentLine(Index, u8),
    DedentLine(Index),
    InsertChar(Index, char),
    ReplaceChar(Index, char),
    DeleteChar(Index),
    Truncate(Index),
    InsertText(Index, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let yaml_char = select(vec![
        ':', '-', ' ', '\n', '\t', '#', '"', '\'', '[', ']', '{', '}', ',', '&', '*', '!', '|',
        '>', '?', '%', '@', '`', '0', '1', 'a', '.', '\u{feff}', '\u{85}', 'é',
    ]);
    let char_ = || prop_oneof![yaml_char.clone(), any::<char>()];
    let snippet = select(vec![
        "version: 2\n",
        "version: 1\n",
        "components: []\n",
        "  - name: api\n",
        "  - name: API\n",
        "    latency_ms: 0\n",
        "    availability: 100\n",
        "    concurrent_clients: 1.5\n",
        "    kind: spaceship\n",
        "    latncy_ms: 5\n",
        "<<: *a\n",
        "&a x: 1\n",
        "*a\n",
        "!!binary aGk=\n",
        "--- \n",
        "...\n",
        "%YAML 1.2\n",
        "? [a, b]\n: c\n",
        "[[[[[[[[[[[[[[[[[[[[",
        "{a: {b: {c: {d: ",
        "name: !!int 12\n",
        "    latency_ms: 1e400\n",
        "    latency_ms: .nan\n",
        "    latency_ms: 100000000000000000000\n",
        "    latency_ms: -0\n",
    ])
    .prop_map(str::to_owned);
    prop_oneof![
        any::<Index>().prop_map(Mutation::DeleteLine),
        any::<Index>().prop_map(Mutation::DuplicateLine),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<Index>(), 1u8..5).prop_map(|(a, n)| Mutation::IndentLine(a, n)),
        any::<Index>().prop_map(Mutation::DedentLine),
        (any::<Index>(), char_()).prop_map(|(a, c)| Mutation::InsertChar(a, c)),
        (any::<Index>(), char_()).prop_map(|(a, c)| Mutation::ReplaceChar(a, c)),
        any::<Index>().prop_map(Mutation::DeleteChar),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), snippet).prop_map(|(a, s)| Mutation::InsertText(a, s)),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    let mut chars: Vec<char> = text.chars().collect();
    let line_edit = |lines: &mut Vec<String>, f: &dyn Fn(&mut Vec<String>)| {
        if !lines.is_empty() {
            f(lines);
        }
        lines.concat()
    };
    match m {
        Mutation::DeleteLine(i) => line_edit(&mut lines, &|l| {
            l.remove(i.index(l.len()));
        }),
        Mutation::DuplicateLine(i) => line_edit(&mut lines, &|l| {
            let at = i.index(l.len());
            let dup = l[at].clone();
            l.insert(at, dup);
        }),
        Mutation::SwapLines(a, b) => line_edit(&mut lines, &|l| {
            let (a, b) = (a.index(l.len()), b.index(l.len()));
            l.swap(a, b);
        }),
        Mutation::IndentLine(i, n) => line_edit(&mut lines, &|l| {
            let at = i.index(l.len());
            l[at] = format!("{}{}", " ".repeat(usize::from(*n)), l[at]);
        }),
        Mutation::DedentLine(i) => line_edit(&mut lines, &|l| {
            let at = i.index(l.len());
            l[at] = l[at].trim_start().to_owned();
        }),
        Mutation::InsertChar(i, c) => {
            chars.insert(i.index(chars.len() + 1), *c);
            chars.into_iter().collect()
        }
        Mutation::ReplaceChar(i, c) => {
            if !chars.is_empty() {
                let at = i.index(chars.len());
                chars[at] = *c;
            }
            chars.into_iter().collect()
        }
        Mutation::DeleteChar(i) => {
            if !chars.is_empty() {
                chars.remove(i.index(chars.len()));
            }
            chars.into_iter().collect()
        }
        Mutation::Truncate(i) => chars[..i.index(chars.len() + 1)].iter().collect(),
        Mutation::InsertText(i, s) => line_edit(&mut lines, &|l| {
            let at = i.index(l.len() + 1);
            l.insert(at, s.clone());
        }),
    }
}

/// Text built from YAML's punctuation and a spec's words.
fn yaml_soup() -> impl Strategy<Value = String> {
    let token = select(vec![
        "[",
        "]",
        "{",
        "}",
        "- ",
        ": ",
        ":",
        ",",
        "\n",
        "  ",
        " ",
        "\t",
        "#",
        "&a ",
        "*a ",
        "!!str ",
        "!x ",
        "? ",
        "|",
        "|-\n",
        ">",
        "\"",
        "'",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "<<: ",
        "version",
        "1",
        "2",
        "system",
        "name",
        "components",
        "latency_ms",
        "availability",
        "concurrent_clients",
        "kind",
        "chat",
        "decision",
        "stateful",
        "x",
        "X",
        "99.9",
        "1e9",
        "-0",
        ".inf",
        "null",
        "~",
        "true",
        "yes",
        "\u{feff}",
        "\\u0000",
        "é",
    ]);
    vec(token, 0..80).prop_map(|t| t.concat())
}

// ---------------------------------------------------------------------------
// 1. Analysis: no panic, deterministic, consistent

proptest! {
    #![proptest_config(config(SLOW_CASES))]

    /// Any valid spec analyses without panic and deterministically; every
    /// confidence is in [0, 1]; components come out in spec order; a
    /// component's verdict and confidence follow from its scores; the system
    /// verdict is stateless or stateful only when every component is.
    #[test]
    fn any_valid_spec_analyses_deterministically(spec in spec(Numbers::Any)) {
        let rules = rules();
        let kinds = Kinds::builtin();
        let report = analyze(&spec, rules, kinds);
        let copy = spec.clone();
        let again = analyze(&copy, rules, kinds);
        let text = json::render(&report);
        prop_assert_eq!(&text, &json::render(&again));
        let fresh_rules = RuleSet::builtin();
        prop_assert_eq!(&text, &json::render(&analyze(&spec, &fresh_rules, kinds)));

        prop_assert_eq!(report.components.len(), spec.components.len());
        for (r, c) in report.components.iter().zip(&spec.components) {
            prop_assert_eq!(r.name(), c.name.as_str());
            prop_assert!((0.0..=1.0).contains(&r.confidence), "confidence {}", r.confidence);
            // A store (a fired rule marked `owner`) is stateful by nature.
            let by_scores = if r.fired.iter().any(|f| f.owner) {
                engine::stateful_by_nature(r.scores)
            } else {
                engine::verdict_of(r.scores)
            };
            prop_assert_eq!(by_scores, (r.verdict, r.confidence));
            let by_hand = engine::evaluate(&Facts::of(c, kinds), rules);
            prop_assert_eq!((by_hand.verdict, by_hand.scores), (r.verdict, r.scores));
        }

        let verdicts: Vec<Verdict> = report.components.iter().map(|c| c.verdict).collect();
        let expected = if verdicts.iter().all(|v| *v == Verdict::Stateless) {
            Verdict::Stateless
        } else if verdicts.iter().all(|v| *v == Verdict::Stateful) {
            Verdict::Stateful
        } else {
            Verdict::Hybrid
        };
        prop_assert_eq!(report.verdict, expected);

        let split = &report.split;
        for (list, verdict) in [
            (&split.stateful, Verdict::Stateful),
            (&split.stateless, Verdict::Stateless),
            (&split.hybrid, Verdict::Hybrid),
        ] {
            let want: Vec<&str> = report
                .components
                .iter()
                .filter(|c| c.verdict == verdict)
                .map(|c| c.name())
                .collect();
            prop_assert_eq!(list.iter().map(String::as_str).collect::<Vec<_>>(), want);
        }
    }

    /// The same, for specs that went through YAML: what `ask` would write,
    /// parsed back, gives the same report as the spec it came from.
    #[test]
    fn a_parsed_spec_analyses_like_the_original(
        spec in spec(Numbers::Kept),
        hints in any::<bool>(),
    ) {
        let rules = rules();
        let kinds = Kinds::builtin();
        let text = to_commented_yaml(&spec, kinds, hints);
        let parsed = Spec::from_yaml(&text, "statewise.yaml")
            .map_err(|e| TestCaseError::fail(format!("{e}\n---\n{text}")))?;
        prop_assert_eq!(
            json::render(&analyze(&parsed, rules, kinds)),
            json::render(&analyze(&spec, rules, kinds))
        );
    }
}

// ---------------------------------------------------------------------------
// 2. JSON output round-trips

/// Undoes the `\uXXXX` escapes statewise's JSON adds beyond serde_json's
/// own (control characters serde_json leaves raw, bidi and invisible
/// characters, the `#` of `##[`), so the text compares with serde_json's.
fn unescape_terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("\\u") {
        let escaped_backslash = rest[..i].chars().rev().take_while(|c| *c == '\\').count() % 2 == 1;
        out.push_str(&rest[..i]);
        let unit = |at: usize| {
            rest.get(at..at + 4)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
        };
        let (code, len) = match (unit(i + 2), rest.get(i + 6..i + 8), unit(i + 8)) {
            (Some(hi @ 0xD800..=0xDBFF), Some("\\u"), Some(lo @ 0xDC00..=0xDFFF)) => {
                (Some(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)), 12)
            }
            (hex, _, _) => (hex, 6),
        };
        match code.and_then(char::from_u32) {
            Some(c) if !(escaped_backslash || c < ' ' || c == '"' || c == '\\') => {
                out.push(c);
                rest = &rest[i + len..];
            }
            _ => {
                out.push_str(&rest[i..i + 2]);
                rest = &rest[i + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

proptest! {
    #![proptest_config(config(SLOW_CASES))]

    /// The JSON output parses, re-serialises (pretty, keys in order) to the
    /// same text (up to the escapes that keep it safe to print), and holds the contract's fixed fields with the
    /// report's values.
    #[test]
    fn json_output_round_trips(spec in spec(Numbers::Any)) {
        let rules = rules();
        let report = analyze(&spec, rules, Kinds::builtin());
        let text = json::render(&report);
        prop_assert!(text.ends_with("}\n"), "no final newline");

        let doc = JsonReader::parse(&text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let again = serde_json::to_string_pretty(&doc).expect("serialises") + "\n";
        // The output escapes what a terminal would act on (`\u007f`, bidi
        // controls, `##[`) where serde_json prints it raw: same data, and
        // byte for byte the same text once those escapes are undone.
        prop_assert_eq!(&again, &unescape_terminal_safe(&text));
        prop_assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "a raw control character in the JSON output"
        );

        let v: serde_json::Value = serde_json::from_str(&text).expect("parses");
        prop_assert_eq!(&v["json_version"], &serde_json::json!(json::JSON_VERSION));
        prop_assert_eq!(v["statewise_version"].as_str(), Some(env!("CARGO_PKG_VERSION")));
        prop_assert_eq!(v["system"]["name"].as_str(), Some(spec.system.name.as_str()));
        prop_assert_eq!(v["system"]["verdict"].as_str(), Some(report.verdict.as_str()));
        let components = v["components"].as_array().expect("components is a list");
        prop_assert_eq!(components.len(), spec.components.len());
        for ((j, r), c) in components.iter().zip(&report.components).zip(&spec.components) {
            prop_assert_eq!(j["name"].as_str(), Some(c.name.as_str()));
            prop_assert_eq!(j["verdict"].as_str(), Some(r.verdict.as_str()));
            prop_assert_eq!(j["confidence"].as_f64(), Some(r.confidence));
            let fired = j["rules"].as_array().expect("rules is a list");
            prop_assert_eq!(fired.len(), r.fired.len());
            for (jr, rr) in fired.iter().zip(&r.fired) {
                prop_assert_eq!(jr["id"].as_str(), Some(rr.id.as_str()));
                prop_assert!(
                    jr["favors"].is_string() && jr["weight"].is_u64() && jr["title"].is_string(),
                    "a fired rule lacks a field: {}",
                    jr
                );
            }
            prop_assert_eq!(j["scores"]["stateful"].as_u64(), Some(u64::from(r.scores.stateful)));
            prop_assert_eq!(j["scores"]["stateless"].as_u64(), Some(u64::from(r.scores.stateless)));
            prop_assert_eq!(j["decision"].as_str(), c.decision.map(Verdict::as_str));
            prop_assert_eq!(j["decision_reason"].as_str(), c.decision_reason.as_deref());
            prop_assert!(
                j["facts"].is_object() && j["advice"].is_array() && j["reasons"].is_array(),
                "facts, advice or reasons missing"
            );
        }
    }

    /// Every number the spec states appears in the JSON facts as that
    /// number: never `null`, never rounded to a value the field does not
    /// allow (such as 0 for `latency_ms`).
    #[test]
    fn json_facts_keep_the_spec_numbers(spec in spec(Numbers::Any)) {
        let rules = rules();
        let report = analyze(&spec, rules, Kinds::builtin());
        let v: serde_json::Value = serde_json::from_str(&json::render(&report)).expect("parses");
        for (j, c) in v["components"].as_array().expect("a list").iter().zip(&spec.components) {
            let stated = [
                ("latency_ms", c.latency_ms.map(Positive::get), true),
                ("memory_budget_mb", c.memory_budget_mb.map(Positive::get), true),
                ("concurrent_clients", c.concurrent_clients.map(Count::get), true),
                ("context_rebuild_ms", c.context_rebuild_ms.map(NonNegative::get), false),
                ("state_kb_per_client", c.state_kb_per_client.map(NonNegative::get), false),
                ("request_context_kb", c.request_context_kb.map(NonNegative::get), false),
                ("availability", c.availability.map(Availability::get), false),
            ];
            for (field, value, positive) in stated {
                let Some(value) = value else { continue };
                let shown = &j["facts"][field]["value"];
                let n = shown.as_f64();
                prop_assert!(n.is_some(), "{field}: {value:e} shown as {shown}");
                let n = n.unwrap_or_default();
                prop_assert!(!positive || n > 0.0, "{field}: {value:e} shown as {shown}");
                prop_assert!(
                    (n - value).abs() <= 1e-6 * value.abs().max(1.0),
                    "{field}: {value:e} shown as {shown}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// 3. What `ask` and `init` write parses back to the same spec

proptest! {
    #![proptest_config(config(SLOW_CASES))]

    /// The commented YAML `ask` and `init` write, with and without hints,
    /// parses back to the spec it was written from, and writing that again
    /// gives the same text.
    #[test]
    fn commented_yaml_parses_back_to_the_same_spec(spec in spec(Numbers::Kept)) {
        for hints in [true, false] {
            let text = to_commented_yaml(&spec, Kinds::builtin(), hints);
            let back = Spec::from_yaml(&text, "statewise.yaml")
                .map_err(|e| TestCaseError::fail(format!("hints {hints}: {e}\n---\n{text}")))?;
            prop_assert_eq!(&back, &spec, "hints {}:\n{}", hints, text);
            // Writing again gives the same text.
            prop_assert_eq!(to_commented_yaml(&back, Kinds::builtin(), hints), text);
        }
    }

    /// The same for any number in range: `ask --from SPEC` rewrites a
    /// hand-written spec's untouched components with this writer.
    #[test]
    fn commented_yaml_keeps_any_number(spec in spec(Numbers::Any)) {
        for hints in [true, false] {
            let text = to_commented_yaml(&spec, Kinds::builtin(), hints);
            let back = Spec::from_yaml(&text, "statewise.yaml")
                .map_err(|e| TestCaseError::fail(format!("hints {hints}: {e}\n---\n{text}")))?;
            prop_assert_eq!(&back, &spec, "hints {}:\n{}", hints, text);
        }
    }

    /// YAML written by hand, in any key order, quoting and number notation,
    /// in block or flow style, parses to the spec it describes.
    #[test]
    fn hand_written_yaml_parses_to_the_spec_it_describes(
        spec in spec(Numbers::Any),
        order in Just((0..32).collect::<Vec<usize>>()).prop_shuffle(),
        style in vec(any::<u8>(), 1..16),
    ) {
        let text = hand_written_yaml(&spec, &order, &style);
        let back = Spec::from_yaml(&text, "statewise.yaml")
            .map_err(|e| TestCaseError::fail(format!("{e}\n---\n{text}")))?;
        prop_assert_eq!(&back, &spec, "\n{}", text);
        // And the spec's own serde YAML reads back too.
        prop_assert_eq!(&Spec::from_yaml(&spec.to_yaml(), "s").expect("to_yaml parses"), &spec);
    }

    /// A whole number the contract allows, written with plain digits, is a
    /// number, however large (from 2^64 up it used to be refused as
    /// `invalid type: integer`).
    #[test]
    fn huge_whole_numbers_are_numbers(exp in 18u32..38, lead in 1u64..10) {
        let digits = format!("{lead}{}", "0".repeat(exp as usize));
        let text = format!("{HEAD}  - name: a\n    latency_ms: {digits}\n");
        let spec = Spec::from_yaml(&text, "s")
            .map_err(|e| TestCaseError::fail(format!("{e}\n---\n{text}")))?;
        let want: f64 = digits.parse().expect("a number");
        prop_assert_eq!(spec.components[0].latency_ms.map(Positive::get), Some(want));
    }
}

/// Written and read back through the commented YAML writer.
fn through_writer(spec: &Spec) -> Result<Spec, String> {
    let text = to_commented_yaml(spec, Kinds::builtin(), true);
    Spec::from_yaml(&text, "statewise.yaml").map_err(|e| format!("{e}\n---\n{text}"))
}

/// Regression: the writer rounded numbers to three decimals, so
/// `availability: 99.9996` was written as `100`, out of range, and
/// `ask --from` on such a spec wrote a file `analyze` then refused.
#[test]
fn writer_keeps_availability_below_100() {
    let text = format!("{HEAD}  - {{name: a, availability: 99.9996, latency_ms: 12.3456}}\n");
    let spec = Spec::from_yaml(&text, "s").expect("valid");
    assert_eq!(through_writer(&spec), Ok(spec));
}

/// Regression: U+FFFE and U+FFFF can be written in a spec as `\uFFFE`, but
/// YAML refuses them raw, and the writer wrote them raw.
#[test]
fn writer_escapes_noncharacters() {
    let text = "version: 1\nsystem: {name: \"S\\uFFFF\"}\ncomponents:\n  - {name: \"a\\uFFFEb\"}\n";
    let spec = Spec::from_yaml(text, "s").expect("valid");
    assert_eq!(through_writer(&spec), Ok(spec));
}

/// Regression: JSON facts rounded every number to 6 decimals, so
/// `latency_ms: 1e-7` showed as 0 and `1e303` overflowed to `null`.
#[test]
fn json_facts_of_extreme_numbers() {
    for (latency, shown) in [
        (1e-7, serde_json::json!(1e-7)),
        (1e303, serde_json::json!(1e303)),
    ] {
        let text = format!("{HEAD}  - {{name: a, latency_ms: {latency:e}}}\n");
        let spec = Spec::from_yaml(&text, "s").expect("valid");
        let v: serde_json::Value =
            serde_json::from_str(&json::render(&analyze(&spec, rules(), Kinds::builtin())))
                .expect("parses");
        assert_eq!(v["components"][0]["facts"]["latency_ms"]["value"], shown);
    }
}

// ---------------------------------------------------------------------------
// 4. Monotonicity of the built-in rules

/// A component and a variant of it with one signal added. `before` picks
/// the field's starting value, among those the claim covers.
fn with_signal(
    field: Field,
    starts: &'static [Option<&'static str>],
    added: &'static str,
) -> impl Strategy<Value = (Component, Component)> {
    (component(Numbers::Rules), select(starts)).prop_map(move |(mut before, start)| {
        before.set_criterion(field, start);
        let mut after = before.clone();
        after.set_criterion(field, Some(added));
        (before, after)
    })
}

fn monotone(
    before: &Component,
    after: &Component,
    rules: &RuleSet,
    toward_stateful: bool,
) -> Result<(), TestCaseError> {
    let (v0, s0) = scores(before, rules);
    let (v1, s1) = scores(after, rules);
    let ok = if toward_stateful {
        rank(v1) >= rank(v0)
    } else {
        rank(v1) <= rank(v0)
    };
    prop_assert!(
        ok,
        "{v0} (S {}, L {}) became {v1} (S {}, L {}) for\n{}",
        s0.stateful,
        s0.stateless,
        s1.stateful,
        s1.stateless,
        show(before)
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(FAST_CASES))]

    /// `realtime: bidirectional`, from none or unset (or server-push), never
    /// moves a verdict toward stateless.
    #[test]
    fn bidirectional_realtime_never_moves_toward_stateless(
        (before, after) in with_signal(
            Field::Realtime,
            &[None, Some("none"), Some("server-push")],
            "bidirectional",
        ),
    ) {
        monotone(&before, &after, rules(), true)?;
    }

    /// `shared_state: true`, from false or unset, never moves a verdict
    /// toward stateless.
    #[test]
    fn shared_state_never_moves_toward_stateless(
        (before, after) in with_signal(Field::SharedState, &[None, Some("false")], "true"),
    ) {
        monotone(&before, &after, rules(), true)?;
    }

    /// `traffic: unpredictable`, from steady or unset (or predictable
    /// peaks), never moves a verdict toward stateful.
    #[test]
    fn unpredictable_traffic_never_moves_toward_stateful(
        (before, after) in with_signal(
            Field::Traffic,
            &[None, Some("steady"), Some("predictable-peaks")],
            "unpredictable",
        ),
    ) {
        monotone(&before, &after, rules(), false)?;
    }
}

/// Regression, the smallest counterexample the `shared_state` property
/// found: this component is stateful (S 5, L 3); `shared_state: true` added
/// 7 to S and, with no live channel, 3 to L (the former rule
/// `shared-data-without-live-channel`), bringing L to half of S: hybrid.
#[test]
fn shared_state_turns_a_stateful_component_hybrid() {
    let text = format!(
        "{HEAD}  - {{name: c, session: per-connection, latency_ms: 5, request_context_kb: 1}}\n"
    );
    let spec = Spec::from_yaml(&text, "s").expect("valid");
    let before = spec.components[0].clone();
    let mut after = before.clone();
    after.set_criterion(Field::SharedState, Some("true"));
    let (v0, s0) = scores(&before, rules());
    let (v1, s1) = scores(&after, rules());
    assert!(
        rank(v1) >= rank(v0),
        "{v0} {s0:?} -> {v1} {s1:?} for {}",
        show(&before)
    );
}

// ---------------------------------------------------------------------------
// 5. Parsing never panics

proptest! {
    #![proptest_config(config(1024))]

    /// Arbitrary text is a spec or an error, never a panic.
    #[test]
    fn parsing_arbitrary_text_never_panics(text in prop_oneof![
        any::<String>(),
        vec(any::<char>(), 0..200).prop_map(String::from_iter),
        yaml_soup(),
    ]) {
        parse_never_panics(&text)?;
    }

    /// Arbitrary bytes too.
    #[test]
    fn parsing_arbitrary_bytes_never_panics(bytes in vec(any::<u8>(), 0..200)) {
        if let Ok(spec) = Spec::from_bytes(&bytes, "fuzz.yaml") {
            assert_valid(&spec)?;
        }
    }
}

proptest! {
    #![proptest_config(config(SLOW_CASES * 2))]

    /// A valid spec's YAML with lines deleted, duplicated, swapped or
    /// re-indented and characters inserted, replaced or removed is a spec
    /// or an error, never a panic; whatever parses is valid.
    #[test]
    fn parsing_a_mutated_spec_never_panics(
        spec in spec(Numbers::Kept),
        hints in any::<bool>(),
        hand in any::<bool>(),
        order in Just((0..32).collect::<Vec<usize>>()).prop_shuffle(),
        mutations in vec(mutation(), 1..8),
    ) {
        let mut text = if hand {
            hand_written_yaml(&spec, &order, &[1, 2, 3, 4])
        } else {
            to_commented_yaml(&spec, Kinds::builtin(), hints)
        };
        for m in &mutations {
            text = apply(&text, m);
            parse_never_panics(&text)?;
        }
    }
}

// ---------------------------------------------------------------------------
// Reasons are said only of the components they fired for

/// `s` with its first letter lowered, as the record writes a rule title
/// mid-sentence (acronyms such as `REST` kept).
fn lower_first(s: &str) -> String {
    let first_word = s.split(' ').next().unwrap_or_default();
    let acronym = first_word.chars().count() > 1 && first_word.chars().all(|c| !c.is_lowercase());
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if !acronym => c.to_lowercase().chain(chars).collect(),
        _ => s.to_owned(),
    }
}

/// Every sentence of `text` that names components and states rule titles
/// as reasons states only titles that fired for each component it names.
fn reasons_are_true(
    text: &str,
    report: &statewise::Report,
    titles: &[(String, String)],
) -> Result<(), TestCaseError> {
    use statewise::output::markdown::inline;
    for sentence in text.split(". **") {
        let named: Vec<&statewise::report::ComponentReport> = report
            .components
            .iter()
            .filter(|c| {
                let bold = format!("**{}**", inline(c.name()));
                sentence.contains(&bold) || sentence.starts_with(&bold[2..])
            })
            .collect();
        let mut rest = sentence.to_owned();
        for (id, phrase) in titles {
            if !rest.contains(phrase.as_str()) {
                continue;
            }
            rest = rest.replace(phrase.as_str(), "");
            for c in &named {
                prop_assert!(
                    c.fired.iter().any(|r| &r.id == id),
                    "`{}` is said of {} but did not fire for it:\n{}",
                    id,
                    c.name(),
                    sentence
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(SLOW_CASES))]

    /// The outcome, the options' pros and cons and the consequences of a
    /// record never say a rule's reason of a component it did not fire for.
    #[test]
    fn every_reason_is_said_only_of_components_it_fired_for(spec in spec(Numbers::Any)) {
        use statewise::adr::content::{RecordMeta, record_data};
        use statewise::output::markdown::inline;
        let rules = rules();
        let report = analyze(&spec, rules, Kinds::builtin());
        let meta = RecordMeta {
            number: 1,
            title: "t".into(),
            status: "proposed".into(),
            date: "2026-01-01".into(),
            supersedes: None,
            spec_digest: String::new(),
            rules_digest: String::new(),
        };
        let data = record_data(&report, meta, rules, Kinds::builtin());
        // Longest first, so a title inside another is not counted twice.
        let mut titles: Vec<(String, String)> = rules
            .rules()
            .iter()
            .map(|r| (r.id.clone(), inline(&lower_first(&r.title))))
            .collect();
        titles.sort_by_key(|(_, t)| std::cmp::Reverse(t.len()));
        reasons_are_true(&data.outcome_md, &report, &titles)?;
        for option in &data.options {
            for line in option.pros_md.iter().chain(&option.cons_md) {
                reasons_are_true(line, &report, &titles)?;
            }
        }
        for line in data.consequences.good_md.iter().chain(&data.consequences.bad_md) {
            reasons_are_true(line, &report, &titles)?;
        }
    }
}

proptest! {
    #![proptest_config(config(SLOW_CASES))]

    /// An assumption is exactly a defaulted criterion whose stated value
    /// flips the verdict: stating its `when` gives its `would_flip_to`, and
    /// no other defaulted criterion flips anything.
    #[test]
    fn assumptions_are_exactly_the_defaults_that_flip(spec in spec(Numbers::Any)) {
        let rules = rules();
        let kinds = Kinds::builtin();
        let report = analyze(&spec, rules, kinds);
        for r in &report.components {
            for field in [Field::Realtime, Field::Traffic, Field::Session, Field::SharedState, Field::Transactions] {
                if r.facts.origin(field) != Some(statewise::facts::Origin::Default) {
                    prop_assert!(!r.assumptions.iter().any(|a| a.field == field));
                    continue;
                }
                let values: &[&str] = match field {
                    Field::Realtime => &["none", "server-push", "bidirectional"],
                    Field::Traffic => &["steady", "predictable-peaks", "unpredictable"],
                    Field::Session => &["none", "per-user", "per-connection"],
                    _ => &["false", "true"],
                };
                let flips: Vec<(&str, Verdict)> = values
                    .iter()
                    .filter_map(|v| {
                        let mut c = r.component.clone();
                        c.set_criterion(field, Some(v));
                        let got = engine::evaluate(&Facts::of(&c, kinds), rules).verdict;
                        (got != r.verdict).then_some((*v, got))
                    })
                    .collect();
                match r.assumptions.iter().find(|a| a.field == field) {
                    Some(a) => {
                        prop_assert_eq!(Some(&(a.when.as_str(), a.would_flip_to)), flips.first());
                    }
                    None => prop_assert!(flips.is_empty(), "{} {:?} flips {:?}", r.name(), field, flips),
                }
            }
        }
    }
}
