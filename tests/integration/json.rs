//! `analyze --format json` against contract section 7: the fixed fields,
//! their types and ranges, spec order, and the system verdict rule.

use serde_json::Value;

use crate::util::{HEAD, Test, examples};

fn analyze_json(spec: &str) -> Value {
    let out = Test::new()
        .file("t.yaml", spec)
        .args(["analyze", "t.yaml", "--format", "json"])
        .run();
    out.success();
    out.json()
}

/// The ids of every rule the binary knows (built-in).
fn builtin_rule_ids() -> Vec<String> {
    let out = Test::new()
        .args(["rules", "list", "--format", "json"])
        .run();
    out.success();
    out.json()
        .as_array()
        .expect("rules list is an array")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect()
}

const VERDICTS: [&str; 3] = ["stateful", "stateless", "hybrid"];

/// The contract's system verdict: uniform when every component agrees on
/// stateful or stateless, else hybrid.
fn system_verdict_of(components: &[Value]) -> &'static str {
    let verdicts: Vec<&str> = components
        .iter()
        .map(|c| c["verdict"].as_str().expect("verdict"))
        .collect();
    for v in ["stateful", "stateless"] {
        if verdicts.iter().all(|x| *x == v) {
            return v;
        }
    }
    "hybrid"
}

/// Checks one analysis against contract section 7.
#[track_caller]
fn check_contract(label: &str, spec_text: &str, json: &Value) {
    let spec = statewise::Spec::from_yaml(spec_text, label).expect("example parses");
    let ids = builtin_rule_ids();

    assert!(json.is_object(), "{label}: not one object");
    assert_eq!(
        json["system"]["name"].as_str(),
        Some(spec.system.name.as_str()),
        "{label}: system.name"
    );
    let components = json["components"].as_array().expect("components array");
    let names: Vec<&str> = components
        .iter()
        .map(|c| c["name"].as_str().expect("component name is a string"))
        .collect();
    let spec_names: Vec<&str> = spec.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, spec_names, "{label}: components keep spec order");

    for c in components {
        let name = c["name"].as_str().unwrap_or_default();
        let verdict = c["verdict"].as_str().expect("verdict is a string");
        assert!(VERDICTS.contains(&verdict), "{label}/{name}: {verdict}");
        let confidence = c["confidence"].as_f64().expect("confidence is a number");
        assert!(
            (0.0..=1.0).contains(&confidence),
            "{label}/{name}: confidence {confidence}"
        );
        let rules = c["rules"].as_array().expect("rules is an array");
        let (mut stateful, mut stateless) = (0, 0);
        for r in rules {
            let id = r["id"].as_str().expect("rule id is a string");
            assert!(ids.iter().any(|i| i == id), "{label}/{name}: unknown {id}");
            let weight = r["weight"].as_u64().expect("weight is an integer");
            assert!((1..=10).contains(&weight), "{label}/{name}: {id} {weight}");
            match r["favors"].as_str() {
                Some("stateful") => stateful += weight,
                Some("stateless") => stateless += weight,
                other => panic!("{label}/{name}: {id} favors {other:?}"),
            }
        }
        // The extra `scores` field adds up the fired rules.
        assert_eq!(c["scores"]["stateful"].as_u64(), Some(stateful), "{name}");
        assert_eq!(c["scores"]["stateless"].as_u64(), Some(stateless), "{name}");
        // A one-sided verdict goes the heavier way.
        match verdict {
            "stateful" => assert!(stateful > stateless, "{label}/{name}"),
            "stateless" => assert!(stateless >= stateful, "{label}/{name}"),
            _ => assert!(stateful > 0 && stateless > 0, "{label}/{name}"),
        }
    }
    assert_eq!(
        json["system"]["verdict"].as_str(),
        Some(system_verdict_of(components)),
        "{label}: system verdict"
    );
}

#[test]
fn every_example_meets_the_json_contract() {
    for (file, text) in examples() {
        let json = analyze_json(&text);
        check_contract(&file, &text, &json);
    }
}

#[test]
fn the_contract_example_meets_the_json_contract() {
    let spec = "version: 1\nsystem:\n  name: Acme Shop\ncomponents:\n  - name: storefront-api\n    kind: rest-api\n    realtime: none\n    traffic: unpredictable\n    latency_ms: 200\n    session: per-user\n";
    let json = analyze_json(spec);
    check_contract("contract", spec, &json);
    let c = &json["components"][0];
    assert_eq!(c["verdict"], "stateless");
    let ids: Vec<&str> = c["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert!(ids.contains(&"unpredictable-spikes"), "{ids:?}");
}

#[test]
fn all_stateless_components_make_a_stateless_system() {
    let json = analyze_json(&format!(
        "{HEAD}  - {{name: a, kind: rest-api}}\n  - {{name: b, kind: serverless-function}}\n"
    ));
    assert_eq!(json["components"][0]["verdict"], "stateless");
    assert_eq!(json["components"][1]["verdict"], "stateless");
    assert_eq!(json["system"]["verdict"], "stateless");
}

#[test]
fn all_stateful_components_make_a_stateful_system() {
    let json = analyze_json(&format!(
        "{HEAD}  - {{name: a, kind: database}}\n  - {{name: b, kind: chat}}\n"
    ));
    assert_eq!(json["system"]["verdict"], "stateful");
}

#[test]
fn mixed_components_make_a_hybrid_system() {
    let json = analyze_json(&format!(
        "{HEAD}  - {{name: a, kind: database}}\n  - {{name: b, kind: rest-api}}\n"
    ));
    assert_eq!(json["components"][0]["verdict"], "stateful");
    assert_eq!(json["components"][1]["verdict"], "stateless");
    assert_eq!(json["system"]["verdict"], "hybrid");
}

#[test]
fn one_hybrid_component_makes_a_hybrid_system() {
    let json = analyze_json(&format!(
        "{HEAD}  - {{name: feed, realtime: bidirectional, traffic: unpredictable}}\n"
    ));
    assert_eq!(json["components"][0]["verdict"], "hybrid");
    assert_eq!(json["system"]["verdict"], "hybrid");
}

#[test]
fn components_keep_spec_order_not_alphabetical() {
    let json = analyze_json(&format!(
        "{HEAD}  - {{name: zeta}}\n  - {{name: alpha}}\n  - {{name: Mid}}\n"
    ));
    let names: Vec<&str> = json["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| c["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["zeta", "alpha", "Mid"]);
}

#[test]
fn unicode_and_special_names_survive_the_json() {
    let json = analyze_json(
        "version: 1\nsystem: {name: \"Café \\\"Ünïcode\\\" <&>\"}\ncomponents:\n  - name: \"naïve: api\"\n",
    );
    assert_eq!(json["system"]["name"], "Café \"Ünïcode\" <&>");
    assert_eq!(json["components"][0]["name"], "naïve: api");
}

/// Every unstated criterion a verdict rests on is listed, with what was
/// assumed and what stating otherwise would give; stated ones never are.
#[test]
fn assumptions_name_what_nobody_stated_and_what_would_flip() {
    let spec = "version: 1\nsystem: {name: S}\ncomponents:\n  - {name: feed, realtime: bidirectional}\n  - {name: all-said, kind: rest-api, realtime: none, traffic: unpredictable, session: none, shared_state: false, transactions: false}\n";
    let json = Test::new()
        .file("s.yaml", spec)
        .args(["analyze", "s.yaml", "-f", "json"])
        .run()
        .json();
    let feed = &json["components"][0];
    assert_eq!(feed["verdict"], "stateful", "{feed:#}");
    let traffic = feed["assumptions"]
        .as_array()
        .expect("assumptions")
        .iter()
        .find(|a| a["field"] == "traffic")
        .unwrap_or_else(|| panic!("traffic not listed: {feed:#}"));
    assert_eq!(traffic["assumed"], "steady");
    assert_eq!(traffic["when"], "unpredictable");
    assert_eq!(traffic["would_flip_to"], "hybrid");
    assert_eq!(json["components"][1]["assumptions"], serde_json::json!([]));
    // The table says the same under the table.
    Test::new()
        .file("s.yaml", spec)
        .args(["analyze", "s.yaml"])
        .run()
        .success()
        .stdout_contains("  feed: `traffic` is assumed `steady` (nobody stated it); `unpredictable` would make it hybrid\n");
}

/// The criteria of real systems (state per key, write rate, affinity,
/// whether the client may hold the context, bandwidth, clients per
/// instance) reach the facts, with the two facts derived from them.
#[test]
fn the_newer_criteria_and_their_derived_facts_are_echoed() {
    let spec = "version: 1\nsystem: {name: S}\ncomponents:\n  - name: counter\n    keyed_state: aggregate\n    state_writes_per_s: 5000\n    affinity: per-key\n    client_may_hold_state: false\n    bandwidth_kbps: 800\n    connections_per_instance: 3000\n    concurrent_clients: 100000\n";
    let json = Test::new()
        .file("s.yaml", spec)
        .args(["analyze", "s.yaml", "-f", "json"])
        .run()
        .json();
    let facts = &json["components"][0]["facts"];
    for (field, value) in [
        ("keyed_state", serde_json::json!("aggregate")),
        ("state_writes_per_s", serde_json::json!(5000)),
        ("affinity", serde_json::json!("per-key")),
        ("client_may_hold_state", serde_json::json!(false)),
        ("bandwidth_kbps", serde_json::json!(800)),
        ("connections_per_instance", serde_json::json!(3000)),
        ("instances_needed", serde_json::json!(34)),
        ("writes_per_client_per_s", serde_json::json!(0.05)),
    ] {
        assert_eq!(facts[field]["value"], value, "{field}: {facts:#}");
    }
    assert_eq!(facts["instances_needed"]["origin"], "derived");
}
