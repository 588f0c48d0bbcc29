//! `statewise explain SPEC COMPONENT` (contract section 2, issue 5): finding
//! the component, snapshots of the article's scenarios with their verdicts
//! and tipping points spelled out, the JSON shape, and the proof that every
//! tipping point reported over the bundled examples really flips the
//! verdict when applied to the spec; and, probing the other side, that
//! where none is reported for a criterion no value of it flips the verdict,
//! and a number one step short of a reported tipping point does not.

use std::sync::OnceLock;

use serde_json::Value;
use serde_yaml::Value as Yaml;

use crate::util::{Output, Test, examples};

/// A spec holding one component, given as a YAML flow mapping.
fn spec_of(component: &str) -> String {
    format!("version: 1\nsystem:\n  name: Article\ncomponents:\n  - {component}\n")
}

/// `statewise explain s.yaml NAME [--format json]` on a one-component spec.
fn explain(component: &str, name: &str, json: bool) -> Output {
    let mut args = vec!["explain", "s.yaml", name];
    if json {
        args.extend(["--format", "json"]);
    }
    Test::new()
        .file("s.yaml", spec_of(component))
        .args(args)
        .run()
}

/// A tipping point as (field, from, to, verdict).
type Tip = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
);

/// One of the article's scenarios: snapshot name, the component, its
/// verdict and its tipping points in the order `explain` lists them.
struct Scenario {
    name: &'static str,
    component: &'static str,
    verdict: &'static str,
    tips: &'static [Tip],
}

const SCENARIOS: [Scenario; 7] = [
    Scenario {
        name: "chat_server",
        component: "{name: chat-server, kind: chat}",
        verdict: "stateful",
        tips: &[],
    },
    Scenario {
        name: "public_payments_api",
        component: "{name: payments-api, kind: rest-api, traffic: unpredictable, availability: 99.99, session: none}",
        verdict: "stateless",
        tips: &[
            ("realtime", None, Some("bidirectional"), "hybrid"),
            ("shared_state", None, Some("true"), "hybrid"),
            // aggregates per key weigh stateful 6, and no longer let the
            // scale-out and failover reasons claim nothing is kept
            ("keyed_state", None, Some("aggregate"), "hybrid"),
        ],
    },
    Scenario {
        name: "relational_database",
        component: "{name: orders-db, kind: database}",
        verdict: "stateful",
        tips: &[],
    },
    Scenario {
        name: "multiplayer_game_server",
        component: "{name: game-server, kind: game-server, traffic: unpredictable}",
        verdict: "stateful",
        tips: &[(
            "session",
            Some("per-connection"),
            Some("per-user"),
            "hybrid",
        )],
    },
    Scenario {
        name: "serverless_image_resizer",
        component: "{name: image-resizer, kind: serverless-function}",
        verdict: "stateless",
        tips: &[("realtime", None, Some("bidirectional"), "hybrid")],
    },
    Scenario {
        name: "collaborative_editor",
        component: "{name: editor, kind: collaborative-editor}",
        verdict: "stateful",
        tips: &[],
    },
    Scenario {
        name: "two_way_feed_with_spikes",
        component: "{name: feed, realtime: bidirectional, traffic: unpredictable}",
        verdict: "hybrid",
        tips: &[
            ("realtime", Some("bidirectional"), Some("none"), "stateless"),
            ("traffic", Some("unpredictable"), Some("steady"), "stateful"),
            ("shared_state", None, Some("true"), "stateful"),
            ("transactions", None, Some("true"), "stateful"),
            ("keyed_state", None, Some("aggregate"), "stateful"),
        ],
    },
];

/// The component's name in a flow mapping `{name: NAME, ...}`.
fn name_in(component: &str) -> &str {
    let rest = component
        .strip_prefix("{name: ")
        .expect("scenarios start with the name");
    rest.split([',', '}']).next().expect("a name")
}

/// How the text shows a tipping point.
fn shown(field: &str, to: Option<&str>, verdict: &str) -> String {
    match to {
        Some(v) => format!("with `{field}: {v}` it would be {verdict}"),
        None => format!("without `{field}` it would be {verdict}"),
    }
}

/// The lines under "Tipping points" in the text.
fn tipping_lines(text: &str) -> Vec<&str> {
    let start = text
        .find("\nTipping points (one criterion changed at a time):\n")
        .expect("a tipping points section");
    text[start..]
        .lines()
        .skip(2)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

// ---------------------------------------------------------------------------
// 3. Finding the component.

#[test]
fn an_unknown_component_is_exit_2_with_the_nearest_name() {
    let spec = "version: 1\nsystem: {name: S}\ncomponents:\n  - {name: fraud-scoring, kind: other}\n  - {name: ledger-db, kind: database}\n";
    let out = Test::new()
        .file("s.yaml", spec)
        .args(["explain", "s.yaml", "fraud-scorin"])
        .run();
    out.fails();
    assert_eq!(
        out.stderr.lines().next().unwrap_or_default(),
        "error: no component `fraud-scorin` in `s.yaml`, did you mean `fraud-scoring`?"
    );
    // Nothing near: the components are listed.
    let out = Test::new()
        .file("s.yaml", spec)
        .args(["explain", "s.yaml", "zzzzzzzzzzzz", "--format", "json"])
        .run();
    out.fails()
        .stderr_contains("no component `zzzzzzzzzzzz` in `s.yaml`")
        .stderr_contains("fraud-scoring, ledger-db");
}

#[test]
fn a_component_name_differing_only_in_case_is_found() {
    let spec = "version: 1\nsystem: {name: S}\ncomponents:\n  - {name: Fraud-Scoring, kind: other, traffic: unpredictable}\n";
    let exact = Test::new()
        .file("s.yaml", spec)
        .args(["explain", "s.yaml", "Fraud-Scoring"])
        .run();
    exact.success();
    for asked in ["fraud-scoring", "FRAUD-SCORING"] {
        let out = Test::new()
            .file("s.yaml", spec)
            .args(["explain", "s.yaml", asked])
            .run();
        out.success()
            .stdout_contains("`Fraud-Scoring` (other) in s.yaml: stateless");
        assert_eq!(out.stdout, exact.stdout);
        let json = Test::new()
            .file("s.yaml", spec)
            .args(["explain", "s.yaml", asked, "--format", "json"])
            .run();
        json.success();
        assert_eq!(json.json()["component"], "Fraud-Scoring");
    }
}

#[test]
fn explain_fails_on_bad_input_and_reads_standard_input() {
    // A missing spec, an invalid one, bad rules, a missing argument.
    Test::new()
        .args(["explain", "nope.yaml", "a"])
        .run()
        .fails()
        .stderr_contains("nope.yaml");
    Test::new()
        .file(
            "s.yaml",
            "version: 1\nsystem: {name: S}\ncomponents:\n  - {name: a, kind: chatt}\n",
        )
        .args(["explain", "s.yaml", "a"])
        .run()
        .fails()
        .error_at("s.yaml:4:21");
    Test::new()
        .file("s.yaml", spec_of("{name: a, kind: chat}"))
        .file("r.yaml", "- id: x\n  title: t\n  when: {latncy_ms: 3}\n  favors: stateful\n  weight: 3\n  because: b\n")
        .args(["explain", "s.yaml", "a", "--rules", "r.yaml"])
        .run()
        .fails()
        .stderr_contains("r.yaml:3:");
    Test::new()
        .file("s.yaml", spec_of("{name: a, kind: chat}"))
        .args(["explain", "s.yaml"])
        .run()
        .code(2)
        .stdout_empty();
    // Standard input.
    let out = Test::new()
        .args(["explain", "-", "feed"])
        .stdin(spec_of(SCENARIOS[6].component))
        .run();
    out.success()
        .stdout_contains("`feed` (other) in <stdin>: hybrid")
        .stdout_contains("with `traffic: steady` it would be stateful");
}

#[test]
fn custom_rules_are_explained_too() {
    let rule = "- id: team-rule\n  title: Our own rule\n  when:\n    traffic: unpredictable\n    realtime: bidirectional\n  favors: stateful\n  weight: 10\n  because: b\n";
    let out = Test::new()
        .file("s.yaml", spec_of(SCENARIOS[6].component))
        .file("r.yaml", rule)
        .args([
            "explain", "s.yaml", "feed", "--rules", "r.yaml", "--format", "json",
        ])
        .run();
    out.success();
    let json = out.json();
    let fired: Vec<&str> = json["fired"]
        .as_array()
        .expect("fired")
        .iter()
        .map(|f| f["id"].as_str().expect("id"))
        .collect();
    assert!(fired.contains(&"team-rule"), "{fired:?}");
    assert_eq!(json["verdict"], "stateful");
}

// ---------------------------------------------------------------------------
// 4. The article's scenarios.

#[test]
fn the_articles_scenarios_match_their_snapshots_verdicts_and_tipping_points() {
    for s in SCENARIOS {
        let name = name_in(s.component);
        let text = explain(s.component, name, false);
        text.success();
        let first = text.stdout.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!("`{name}` ("))
                && first.contains(&format!(": {}, confidence ", s.verdict)),
            "{}: {first}",
            s.name
        );
        let want: Vec<String> = if s.tips.is_empty() {
            vec!["none: no change of a single criterion flips this verdict".to_owned()]
        } else {
            s.tips
                .iter()
                .map(|(f, _, to, v)| shown(f, *to, v))
                .collect()
        };
        assert_eq!(tipping_lines(&text.stdout), want, "{}", s.name);
        insta::assert_snapshot!(format!("explain__{}", s.name), text.stdout);

        let json = explain(s.component, name, true);
        json.success();
        let doc = json.json();
        assert_eq!(doc["component"], name, "{}", s.name);
        assert_eq!(doc["verdict"], s.verdict, "{}", s.name);
        let tips: Vec<(String, Option<String>, Option<String>, String)> = doc["tipping_points"]
            .as_array()
            .expect("tipping_points")
            .iter()
            .map(|t| {
                let keys: Vec<&String> = t.as_object().expect("object").keys().collect();
                assert_eq!(keys, ["field", "from", "to", "verdict"], "{t}");
                let opt = |v: &Value| v.as_str().map(str::to_owned);
                (
                    t["field"].as_str().expect("field").to_owned(),
                    opt(&t["from"]),
                    opt(&t["to"]),
                    t["verdict"].as_str().expect("verdict").to_owned(),
                )
            })
            .collect();
        let want: Vec<(String, Option<String>, Option<String>, String)> = s
            .tips
            .iter()
            .map(|(f, from, to, v)| {
                (
                    (*f).to_owned(),
                    from.map(str::to_owned),
                    to.map(str::to_owned),
                    (*v).to_owned(),
                )
            })
            .collect();
        assert_eq!(tips, want, "{}", s.name);
        check_json_shape(s.name, &doc);
    }
}

#[test]
fn the_two_way_feed_tips_to_stateful_with_steady_traffic() {
    let out = explain(SCENARIOS[6].component, "feed", false);
    out.success()
        .stdout_contains("`feed` (other) in s.yaml: hybrid, confidence ")
        .stdout_contains("  with `traffic: steady` it would be stateful\n")
        .stdout_contains("  with `realtime: none` it would be stateless\n");
    // Both sides fired: the live channel for stateful, the spikes for
    // stateless.
    out.stdout_contains("  stateful 6  bidirectional-realtime: ")
        .stdout_contains("      realtime = bidirectional (saw realtime = bidirectional): holds\n")
        .stdout_contains("  stateless 6  unpredictable-spikes: ");
}

/// The shape of `explain --format json`: fired rules with the tests they
/// matched, near misses with the one test that failed, the steps, the
/// scores adding up to the fired weights.
fn check_json_shape(name: &str, doc: &Value) {
    assert_eq!(doc["json_version"], 1, "{name}");
    let confidence = doc["confidence"].as_f64().expect("confidence");
    assert!((0.0..=1.0).contains(&confidence), "{name}: {confidence}");
    let fired = doc["fired"].as_array().expect("fired");
    assert!(!fired.is_empty(), "{name}: no rule fired");
    let (mut stateful, mut stateless) = (0, 0);
    for f in fired {
        for key in ["id", "favors", "weight", "title", "matched"] {
            assert!(f.get(key).is_some(), "{name}: fired rule lacks {key}: {f}");
        }
        let weight = f["weight"].as_u64().expect("weight");
        match f["favors"].as_str().expect("favors") {
            "stateful" => stateful += weight,
            "stateless" => stateless += weight,
            other => panic!("{name}: favors {other}"),
        }
        let matched = f["matched"].as_array().expect("matched");
        assert!(!matched.is_empty(), "{name}: {f}");
        for m in matched {
            assert!(m["test"].as_str().is_some_and(|t| !t.is_empty()), "{m}");
            assert!(m["field"].is_string(), "{m}");
            assert!(m.get("value").is_some(), "{m}");
            assert!(m["holds"].is_boolean(), "{m}");
        }
        assert!(
            matched.iter().any(|m| m["holds"] == true),
            "{name}: a fired rule matched nothing: {f}"
        );
    }
    assert_eq!(doc["scores"]["stateful"], stateful, "{name}");
    assert_eq!(doc["scores"]["stateless"], stateless, "{name}");
    for n in doc["near_misses"].as_array().expect("near_misses") {
        for key in ["id", "favors", "weight", "title", "failed", "tests"] {
            assert!(n.get(key).is_some(), "{name}: near miss lacks {key}: {n}");
        }
        assert!(
            !fired.iter().any(|f| f["id"] == n["id"]),
            "{name}: {} both fired and nearly fired",
            n["id"]
        );
        let tests = n["tests"].as_array().expect("tests");
        assert!(
            tests.iter().any(|t| t["holds"] == false),
            "{name}: a near miss with no failing test: {n}"
        );
    }
    let steps = doc["steps"].as_array().expect("steps");
    assert!(steps.len() >= 2, "{name}: {steps:?}");
    assert!(steps.iter().all(Value::is_string), "{name}");
    let last = steps.last().and_then(Value::as_str).unwrap_or_default();
    assert!(
        last.starts_with(doc["verdict"].as_str().expect("verdict")) && last.contains("confidence"),
        "{name}: {last}"
    );
}

#[test]
fn a_not_condition_is_shown_as_the_negation_that_held() {
    let out = explain(SCENARIOS[1].component, "payments-api", true);
    out.success();
    let doc = out.json();
    // `nothing-to-remember` is a plain conjunction (`session: none`, ...,
    // `not: {kind: [...]}`): when it fires, every one of its tests held.
    let rule = doc["fired"]
        .as_array()
        .expect("fired")
        .iter()
        .find(|f| f["id"] == "nothing-to-remember")
        .unwrap_or_else(|| panic!("nothing-to-remember did not fire: {doc:#}"))
        .clone();
    for m in rule["matched"].as_array().expect("matched") {
        assert_eq!(m["holds"], true, "a fired rule lists a failing test: {m}");
    }
    let text = explain(SCENARIOS[1].component, "payments-api", false);
    // Among the rules that fired (a near miss further down may fail it).
    let fired = text
        .stdout
        .split("Rules that nearly fired")
        .next()
        .unwrap_or_default();
    assert!(
        !fired.contains(
            "kind in [database, session-store, cache, message-broker, search-index, object-store, chat, game-server, media-streaming, trading, collaborative-editor, media-server, presence] (saw kind = rest-api): fails"
        ),
        "{}",
        text.stdout
    );
}

#[test]
fn near_misses_are_listed_with_the_condition_that_failed() {
    // A tight latency with a context: `tight-latency-with-context` needs
    // `latency_ms <= 10`, one condition short at 40.
    let out = explain(
        "{name: gw, kind: chat, latency_ms: 40, context_rebuild_ms: 30}",
        "gw",
        true,
    );
    out.success();
    let doc = out.json();
    let near = doc["near_misses"].as_array().expect("near_misses");
    assert!(!near.is_empty(), "{doc:#}");
    let rebuild = doc["fired"]
        .as_array()
        .expect("fired")
        .iter()
        .find(|f| f["id"] == "rebuild-dominates-latency")
        .unwrap_or_else(|| panic!("rebuild-dominates-latency did not fire: {doc:#}"));
    assert_eq!(rebuild["matched"][0]["test"], "rebuild_share >= 0.5");
    assert_eq!(rebuild["matched"][0]["value"], 0.75);
    check_json_shape("gw", &doc);
}

// ---------------------------------------------------------------------------
// 5. Every tipping point of every example flips the verdict when applied.

/// A tipping point as `explain --format json` gives it.
#[derive(Clone, Debug)]
struct TippingPoint {
    field: String,
    from: Option<String>,
    to: Option<String>,
    verdict: String,
}

/// What `explain --format json` says about one component of an example.
struct Explained {
    component: String,
    verdict: String,
    facts: Value,
    tips: Vec<TippingPoint>,
}

/// `explain --format json` for every component of an example.
fn explain_all(file: &str, text: &str) -> Vec<Explained> {
    component_names(text)
        .into_iter()
        .map(|name| {
            let out = Test::new()
                .file(file, text)
                .args(["explain", file, &name, "--format", "json"])
                .run();
            out.success();
            let doc = out.json();
            let tips = doc["tipping_points"]
                .as_array()
                .expect("tipping_points")
                .iter()
                .map(|t| TippingPoint {
                    field: t["field"].as_str().expect("field").to_owned(),
                    from: t["from"].as_str().map(str::to_owned),
                    to: t["to"].as_str().map(str::to_owned),
                    verdict: t["verdict"].as_str().expect("verdict").to_owned(),
                })
                .collect();
            Explained {
                component: name,
                verdict: doc["verdict"].as_str().expect("verdict").to_owned(),
                facts: doc["facts"].clone(),
                tips,
            }
        })
        .collect()
}

fn component_names(text: &str) -> Vec<String> {
    let doc: Yaml = serde_yaml::from_str(text).expect("example is YAML");
    doc["components"]
        .as_sequence()
        .expect("components")
        .iter()
        .map(|c| c["name"].as_str().expect("name").to_owned())
        .collect()
}

/// A value as the spec would hold it: `76` a number, `true` a boolean,
/// `steady` a string.
fn yaml_value(text: &str) -> Yaml {
    serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{text:?} is not a YAML value: {e}"))
}

/// A number as YAML, integral ones without a fraction.
fn yaml_number(n: f64) -> Yaml {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Yaml::from(n as i64)
    } else {
        Yaml::from(n)
    }
}

/// The example with one field of one component set (`Some`) or removed
/// (`None`), edited as YAML data and written back.
fn with_field(text: &str, component: &str, field: &str, value: Option<Yaml>) -> String {
    let mut doc: Yaml = serde_yaml::from_str(text).expect("example is YAML");
    let item = doc["components"]
        .as_sequence_mut()
        .expect("components")
        .iter_mut()
        .find(|c| c["name"].as_str() == Some(component))
        .unwrap_or_else(|| panic!("no component {component}"));
    let map = item.as_mapping_mut().expect("a component is a mapping");
    match value {
        Some(v) => {
            map.insert(Yaml::from(field), v);
        }
        None => {
            map.remove(field);
        }
    }
    serde_yaml::to_string(&doc).expect("dump YAML")
}

/// The verdict of each component of `spec` by `analyze --format json`.
fn verdicts(spec: &str) -> Vec<(String, String)> {
    let out = Test::new()
        .file("s.yaml", spec)
        .args(["analyze", "s.yaml", "--format", "json"])
        .run();
    out.success();
    out.json()["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().expect("name").to_owned(),
                c["verdict"].as_str().expect("verdict").to_owned(),
            )
        })
        .collect()
}

fn verdict_of(spec: &str, component: &str) -> String {
    verdicts(spec)
        .into_iter()
        .find(|(n, _)| n == component)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no {component} in the analysis"))
}

/// `explain --format json` of every component of every source, run once
/// for all the tests that need it: (file, text, explanations).
fn explained() -> &'static [(String, String, Vec<Explained>)] {
    static ALL: OnceLock<Vec<(String, String, Vec<Explained>)>> = OnceLock::new();
    ALL.get_or_init(|| {
        std::thread::scope(|scope| {
            let handles: Vec<_> = sources()
                .into_iter()
                .map(|(file, text)| {
                    scope.spawn(move || {
                        let e = explain_all(&file, &text);
                        (file, text, e)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    })
}

/// Checks every tipping point of one example; returns how many.
fn check_example(file: &str, text: &str, explained: &[Explained]) -> usize {
    let mut checked = 0;
    for e in explained {
        let name = &e.component;
        let spec_item = spec_component(text, name);
        for tp in &e.tips {
            let what = format!("{file}: `{name}` {tp:?}");
            // `from` is what the spec says, when it says it.
            if let Some(v) = spec_item.get(tp.field.as_str()) {
                let from = tp
                    .from
                    .as_deref()
                    .unwrap_or_else(|| panic!("{what}: no from"));
                assert_eq!(&yaml_value(from), v, "{what}: from");
            }
            assert_ne!(tp.from, tp.to, "{what}: not a change");
            let changed = with_field(text, name, &tp.field, tp.to.as_deref().map(yaml_value));
            let now = verdict_of(&changed, name);
            assert_eq!(now, tp.verdict, "{what}: applied, the verdict is {now}");
            assert_ne!(
                now, e.verdict,
                "{what}: applied, the verdict does not change"
            );
            checked += 1;
        }
    }
    checked
}

/// The mapping of component `name` in a spec's text.
fn spec_component(text: &str, name: &str) -> serde_yaml::Mapping {
    let doc: Yaml = serde_yaml::from_str(text).expect("example is YAML");
    doc["components"]
        .as_sequence()
        .expect("components")
        .iter()
        .find(|c| c["name"].as_str() == Some(name))
        .and_then(Yaml::as_mapping)
        .cloned()
        .unwrap_or_else(|| panic!("no component {name}"))
}

/// The bundled examples, then each of the article's scenarios as a
/// one-component spec.
fn sources() -> Vec<(String, String)> {
    let mut out = examples();
    out.extend(
        SCENARIOS
            .iter()
            .map(|s| (format!("scenario-{}.yaml", s.name), spec_of(s.component))),
    );
    out
}

#[test]
fn every_tipping_point_of_every_example_flips_the_verdict() {
    let counts: Vec<(String, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = explained()
            .iter()
            .map(|(file, text, e)| {
                scope.spawn(move || {
                    let n = check_example(file, text, e);
                    (file.clone(), n)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    // The examples are meant to show tipping points: most have several.
    let in_examples: usize = counts
        .iter()
        .filter(|(f, _)| !f.starts_with("scenario-"))
        .map(|(_, n)| n)
        .sum();
    assert!(
        in_examples >= 20,
        "only {in_examples} tipping points: {counts:?}"
    );
    assert!(total > in_examples, "{counts:?}");
}

// ---------------------------------------------------------------------------
// Where `explain` reports no tipping point for a criterion, none exists;
// where it reports a number, one step closer does not flip. Every variant
// of an example goes into one spec as its own component, so each example
// is analyzed once.

const ENUMS: [(&str, &[&str]); 5] = [
    ("realtime", &["none", "server-push", "bidirectional"]),
    ("traffic", &["steady", "predictable-peaks", "unpredictable"]),
    ("session", &["none", "per-user", "per-connection"]),
    ("shared_state", &["true", "false"]),
    ("transactions", &["true", "false"]),
];

/// Numeric criteria with values worth probing and the step `explain`
/// nudges them by.
const NUMBERS: [(&str, &[f64], f64); 7] = [
    (
        "latency_ms",
        &[
            1.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 5000.0,
        ],
        1.0,
    ),
    (
        "context_rebuild_ms",
        &[0.0, 1.0, 5.0, 10.0, 50.0, 100.0, 500.0, 1000.0],
        1.0,
    ),
    (
        "concurrent_clients",
        &[1.0, 10.0, 100.0, 1000.0, 10000.0, 100_000.0, 1_000_000.0],
        1.0,
    ),
    (
        "state_kb_per_client",
        &[0.0, 1.0, 8.0, 64.0, 512.0, 4096.0],
        0.5,
    ),
    (
        "memory_budget_mb",
        &[1.0, 64.0, 512.0, 4096.0, 65536.0],
        0.5,
    ),
    (
        "availability",
        &[90.0, 99.0, 99.5, 99.9, 99.95, 99.99, 99.999],
        0.01,
    ),
    (
        "request_context_kb",
        &[0.0, 1.0, 2.0, 8.0, 32.0, 64.0, 256.0],
        0.5,
    ),
];

/// One variant: the component it comes from, what changed (nothing when
/// `field` is empty), and the verdict it must have.
struct Variant {
    component: String,
    field: String,
    value: Option<Yaml>,
    want: String,
    /// What the `depends_on` graph made of the component.
    depends_on_stateful: Option<bool>,
    dependents_availability: Option<f64>,
}

/// A component whose decided verdict is fixed, standing in for the rest
/// of the system: a dependency, or a caller with an availability target.
fn frozen(name: &str, verdict: &str, availability: Option<f64>, calls: Option<usize>) -> Yaml {
    let mut m = serde_yaml::Mapping::new();
    m.insert(Yaml::from("name"), Yaml::from(name));
    m.insert(Yaml::from("decision"), Yaml::from(verdict));
    m.insert(Yaml::from("decision_reason"), Yaml::from("held fixed"));
    if let Some(a) = availability {
        m.insert(Yaml::from("availability"), yaml_number(a));
    }
    if let Some(i) = calls {
        m.insert(
            Yaml::from("depends_on"),
            Yaml::Sequence(vec![Yaml::from(format!("v{i}"))]),
        );
    }
    Yaml::Mapping(m)
}

/// All variants of an example in one spec, components renamed `v0`, `v1`…
fn batch(text: &str, variants: &[Variant]) -> String {
    let mut doc: Yaml = serde_yaml::from_str(text).expect("example is YAML");
    let items: Vec<Yaml> = variants
        .iter()
        .enumerate()
        .flat_map(|(i, v)| {
            let mut item = spec_component(text, &v.component);
            match &v.value {
                _ if v.field.is_empty() => {}
                Some(value) => {
                    item.insert(Yaml::from(v.field.as_str()), value.clone());
                }
                None => {
                    item.remove(v.field.as_str());
                }
            }
            item.insert(Yaml::from("name"), Yaml::from(format!("v{i}")));
            // A decision is beside the point here, and the dependencies
            // would name components this spec renamed: what the graph made
            // of the component is rebuilt below, the rest of the system held
            // as it is, as `explain` holds it.
            item.remove("decision");
            item.remove("decision_reason");
            item.remove("depends_on");
            let mut out = Vec::new();
            if let Some(stateful) = v.depends_on_stateful {
                let verdict = if stateful { "stateful" } else { "stateless" };
                out.push(frozen(&format!("frozen-{i}"), verdict, None, None));
                let deps = vec![Yaml::from(format!("frozen-{i}"))];
                item.insert(Yaml::from("depends_on"), Yaml::Sequence(deps));
            }
            if let Some(a) = v.dependents_availability {
                let caller = frozen(&format!("caller-{i}"), "stateless", Some(a), Some(i));
                out.push(caller);
            }
            out.insert(0, Yaml::Mapping(item));
            out
        })
        .collect();
    doc["components"] = Yaml::Sequence(items);
    serde_yaml::to_string(&doc).expect("dump YAML")
}

fn fact_text(facts: &Value, field: &str) -> Option<String> {
    match &facts[field]["value"] {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn variants_of(text: &str, e: &Explained) -> Vec<Variant> {
    let mut out = Vec::new();
    let item = spec_component(text, &e.component);
    let variant = |field: &str, value: Option<Yaml>, want: &str| Variant {
        component: e.component.clone(),
        field: field.to_owned(),
        value,
        want: want.to_owned(),
        depends_on_stateful: e.facts["depends_on_stateful"]["value"].as_bool(),
        dependents_availability: e.facts["dependents_availability"]["value"].as_f64(),
    };
    // The component as it is: `analyze` agrees with `explain`.
    out.push(variant("", None, &e.verdict));
    for (field, values) in ENUMS {
        if e.tips.iter().any(|t| t.field == field) {
            continue;
        }
        let now = fact_text(&e.facts, field);
        for v in values.iter().filter(|v| now.as_deref() != Some(**v)) {
            out.push(variant(field, Some(yaml_value(v)), &e.verdict));
        }
    }
    for (field, probes, step) in NUMBERS {
        match e.tips.iter().find(|t| t.field == field) {
            None => {
                for p in probes {
                    out.push(variant(field, Some(yaml_number(*p)), &e.verdict));
                }
                if item.contains_key(field) {
                    out.push(variant(field, None, &e.verdict));
                }
            }
            Some(tp) => {
                let (Some(from), Some(to)) = (&tp.from, &tp.to) else {
                    continue;
                };
                let (from, to): (f64, f64) = (
                    from.parse().expect("a number"),
                    to.parse().expect("a number"),
                );
                if (to - from).abs() <= step + 1e-9 {
                    continue;
                }
                // One step back towards where it was.
                let closer = to - step * (to - from).signum();
                let closer = (closer * 1e6).round() / 1e6;
                out.push(variant(field, Some(yaml_number(closer)), &e.verdict));
            }
        }
    }
    out
}

#[test]
fn no_single_change_flips_a_verdict_where_no_tipping_point_is_reported() {
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = explained()
            .iter()
            .map(|(file, text, explained)| {
                scope.spawn(move || {
                    let mut variants = Vec::new();
                    for e in explained {
                        variants.extend(variants_of(text, e));
                    }
                    let spec = batch(text, &variants);
                    let got: Vec<_> = verdicts(&spec)
                        .into_iter()
                        .filter(|(n, _)| n.starts_with('v'))
                        .collect();
                    assert_eq!(got.len(), variants.len(), "{file}");
                    variants
                        .iter()
                        .zip(got)
                        .filter(|(v, (_, verdict))| *verdict != v.want)
                        .map(|(v, (_, verdict))| {
                            format!(
                                "{file}: `{}` with {} = {:?} is {verdict}, not {}",
                                v.component,
                                v.field,
                                v.value.as_ref().map(|y| serde_yaml::to_string(y)
                                    .unwrap_or_default()
                                    .trim()
                                    .to_owned()),
                                v.want
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "explain disagrees with analyze, missed a tipping point or did not report the smallest one:\n{}",
        failures.join("\n")
    );
}

/// A rule file of `n` generated rules, each comparing a number (a criterion
/// or a derived fact) with a bound of its own, as `benches/gen_rules.py`
/// writes them: the worst case for the tipping-point search.
fn generated_rules(n: usize) -> String {
    const FIELDS: [(&str, f64); 6] = [
        ("latency_ms", 1.0),
        ("context_rebuild_ms", 1.0),
        ("concurrent_clients", 10.0),
        ("memory_budget_mb", 1.0),
        ("rebuild_share", 0.0001),
        ("memory_headroom", 0.0001),
    ];
    (0..n)
        .map(|i| {
            let (field, scale) = FIELDS[i % FIELDS.len()];
            let op = ["gt", "lt", "gte", "lte"][i / FIELDS.len() % 4];
            format!(
                "- id: gen-{i}\n  title: G\n  when: {{{field}: {{{op}: {}}}}}\n  favors: {}\n  weight: {}\n  because: G.\n",
                (1 + i * 7919 % 30_000) as f64 * scale,
                if i % 2 == 1 { "stateful" } else { "stateless" },
                1 + i % 10
            )
        })
        .collect()
}

#[test]
fn explain_on_thousands_of_rules_finishes_and_its_tipping_points_flip() {
    let component = "{name: gw, kind: chat, latency_ms: 150, context_rebuild_ms: 90, concurrent_clients: 250000, state_kb_per_client: 24, memory_budget_mb: 24576}";
    let f = crate::util::Folder::new();
    f.write("s.yaml", spec_of(component));
    f.write("rules.yaml", generated_rules(3_000));
    let e = f
        .run(&[
            "explain",
            "s.yaml",
            "gw",
            "--rules",
            "rules.yaml",
            "-f",
            "json",
        ])
        .success()
        .json();
    // The verdict is the one analyze gives.
    let a = f
        .run(&["analyze", "s.yaml", "--rules", "rules.yaml", "-f", "json"])
        .success()
        .json();
    assert_eq!(e["verdict"], a["components"][0]["verdict"]);
    let points = e["tipping_points"].as_array().expect("a list");
    assert!(points.len() >= 2, "{points:?}");
    // Every tipping point, applied to the spec, gives its verdict.
    for tp in points {
        let (field, verdict) = (tp["field"].as_str().expect("a field"), &tp["verdict"]);
        let mut parts: Vec<String> = component
            .trim_matches(['{', '}'])
            .split(", ")
            .filter(|p| !p.starts_with(&format!("{field}:")))
            .map(str::to_owned)
            .collect();
        if let Some(to) = tp["to"].as_str() {
            parts.push(format!("{field}: {to}"));
        }
        let changed = format!("{{{}}}", parts.join(", "));
        f.write("t.yaml", spec_of(&changed));
        let a = f
            .run(&["analyze", "t.yaml", "--rules", "rules.yaml", "-f", "json"])
            .success()
            .json();
        assert_eq!(&a["components"][0]["verdict"], verdict, "{tp}");
    }
}
