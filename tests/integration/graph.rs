//! The facts that come from the component graph (`depends_on`):
//! `dependents_availability` and `depends_on_stateful`. `analyze` and
//! `explain` must show the same values, and those values must be what the
//! definition says of the verdicts `analyze` itself reports, so the rounds
//! that compute them really ended where no verdict changes any more.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::util::{Folder, Test, examples, repo, yaml_files};

/// Every spec with a `depends_on`: the bundled examples and the public
/// systems.
fn specs_with_edges() -> Vec<(String, String)> {
    let mut all = examples();
    all.extend(
        yaml_files(&repo().join("tests/public_systems"))
            .into_iter()
            .map(|(f, t)| (format!("public_systems/{f}"), t)),
    );
    all.retain(|(_, text)| text.contains("depends_on"));
    assert!(all.len() >= 5, "only {} specs with depends_on", all.len());
    all
}

fn json(out: &crate::util::Output) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{}", out.context()))
}

/// A graph fact as JSON shows it: (value, origin).
fn fact(facts: &Value, field: &str) -> Option<(Value, String)> {
    let f = facts.get(field)?;
    Some((f["value"].clone(), f["origin"].as_str()?.to_owned()))
}

#[test]
fn analyze_and_explain_agree_and_the_facts_match_the_verdicts() {
    let mut checked = 0;
    for (file, text) in specs_with_edges() {
        let folder = Folder::new();
        folder.write("spec.yaml", &text);
        let out = folder.run(&["analyze", "spec.yaml", "--format", "json"]);
        out.success();
        let report = json(&out);
        let components = report["components"].as_array().expect("components");

        // What the definition says, from analyze's own verdicts.
        let by_name: BTreeMap<&str, &Value> = components
            .iter()
            .map(|c| (c["name"].as_str().expect("name"), c))
            .collect();
        let decided = |c: &Value| -> String {
            c["decision"]
                .as_str()
                .or_else(|| c["verdict"].as_str())
                .expect("verdict")
                .to_owned()
        };
        for c in components {
            let name = c["name"].as_str().expect("name");
            let deps: Vec<&str> = c["depends_on"]
                .as_array()
                .expect("depends_on")
                .iter()
                .map(|d| d.as_str().expect("dependency name"))
                .collect();
            let stateful_dep = deps.iter().any(|d| decided(by_name[d]) != "stateless");
            let want_stateful = (!deps.is_empty()).then_some(stateful_dep);
            let callers_best = components
                .iter()
                .filter(|k| {
                    k["depends_on"]
                        .as_array()
                        .is_some_and(|d| d.iter().any(|d| d == name))
                })
                .filter_map(|k| k["facts"]["availability"]["value"].as_f64())
                .max_by(f64::total_cmp);

            let facts = &c["facts"];
            let got_stateful = fact(facts, "depends_on_stateful");
            let got_dependents = fact(facts, "dependents_availability");
            // A spec with edges gives every component with dependencies the
            // fact; one with none gets nothing.
            assert_eq!(
                got_stateful
                    .as_ref()
                    .map(|(v, o)| (v.as_bool().expect("bool"), o.as_str())),
                want_stateful.map(|w| (w, "derived")),
                "{file}: {name}: depends_on_stateful"
            );
            assert_eq!(
                got_dependents
                    .as_ref()
                    .map(|(v, o)| (v.as_f64().expect("number"), o.as_str())),
                callers_best.map(|a| (a, "derived")),
                "{file}: {name}: dependents_availability"
            );

            // explain shows the same facts.
            let out = folder.run(&["explain", "spec.yaml", name, "--format", "json"]);
            out.success();
            let e = json(&out);
            assert_eq!(
                fact(&e["facts"], "depends_on_stateful"),
                got_stateful,
                "{file}: explain {name}"
            );
            assert_eq!(
                fact(&e["facts"], "dependents_availability"),
                got_dependents,
                "{file}: explain {name}"
            );
            assert_eq!(e["verdict"], c["verdict"], "{file}: explain {name}");
            checked += usize::from(got_stateful.is_some()) + usize::from(got_dependents.is_some());
        }
    }
    assert!(checked >= 20, "only {checked} graph facts checked");
}

const CHAIN: &str = "\
version: 1
system: {name: Shop}
components:
  - name: web
    kind: rest-api
    session: per-user
    availability: 99.95
    depends_on: [sessions]
  - name: sessions
    kind: session-store
";

#[test]
fn a_callers_target_and_a_stateful_dependency_are_reasons_with_their_sums() {
    let out = Test::new()
        .file("spec.yaml", CHAIN)
        .args(["explain", "spec.yaml", "sessions"])
        .run();
    out.success()
        .stdout_contains("dependents_availability 99.95            derived")
        .stdout_contains(
            "availability-set-by-dependents: Its callers' availability target is its own",
        )
        .stdout_contains(
            "dependents_availability >= 99.9 (saw dependents_availability = 99.95): holds",
        );
    let out = Test::new()
        .file("spec.yaml", CHAIN)
        .args(["explain", "spec.yaml", "web"])
        .run();
    out.success()
        .stdout_contains("depends_on_stateful  true             derived")
        .stdout_contains("stateless 2  context-in-a-stateful-dependency");

    // The same component with its own target: the callers' is not its own.
    let own = CHAIN.replace(
        "kind: session-store\n",
        "kind: session-store\n    availability: 99.99\n",
    );
    Test::new()
        .file("spec.yaml", own)
        .args(["explain", "spec.yaml", "sessions"])
        .run()
        .success()
        .stdout_contains("availability is unset (saw availability = 99.99): fails");

    // Without the edge, neither fact exists and neither rule fires.
    let alone = CHAIN.replace("    depends_on: [sessions]\n", "");
    let out = Test::new()
        .file("spec.yaml", alone)
        .args(["analyze", "spec.yaml", "--format", "json"])
        .run();
    out.success()
        .stdout_lacks("depends_on_stateful")
        .stdout_lacks("dependents_availability")
        .stdout_lacks("context-in-a-stateful-dependency")
        .stdout_lacks("availability-set-by-dependents");
}

#[test]
fn a_decision_counts_before_the_advice() {
    // `sessions` decided stateless: `web` no longer depends on a stateful
    // component, whatever the advice for `sessions` says.
    let decided = CHAIN.replace(
        "kind: session-store\n",
        "kind: session-store\n    decision: stateless\n    decision_reason: state lives in a managed store\n",
    );
    let out = Test::new()
        .file("spec.yaml", decided)
        .args(["explain", "spec.yaml", "web", "--format", "json"])
        .run();
    out.success();
    let e = json(&out);
    assert_eq!(
        e["facts"]["depends_on_stateful"]["value"],
        Value::Bool(false)
    );
}

const RULE: &str = "\
- id: my-rule
  title: It calls a stateful component
  when: {depends_on_stateful: true}
  favors: stateless
  weight: 2
  because: Its context can live in the component it already calls.
  examples:
    - component: {name: a, session: per-user}
      given: GIVEN
      verdict: stateless
";

#[test]
fn a_rule_example_states_its_surroundings_and_bad_ones_fail_at_their_place() {
    Test::new()
        .file(
            "r.yaml",
            RULE.replace("GIVEN", "{depends_on_stateful: true}"),
        )
        .args(["rules", "lint", "r.yaml"])
        .run()
        .success()
        .stdout_contains("examples hold");
    // Without the surroundings the rule cannot fire on its example.
    Test::new()
        .file(
            "r.yaml",
            RULE.replace("GIVEN", "{depends_on_stateful: false}"),
        )
        .args(["rules", "lint", "r.yaml"])
        .run()
        .code(2)
        .stderr_contains(
            "r.yaml:8:7: rule `my-rule` example 1 (`a`): the rule does not fire on it",
        );
    for (given, message) in [
        (
            "{depends_on_statefull: true}",
            "r.yaml:9:15: unknown field `depends_on_statefull`, did you mean `depends_on_stateful`?",
        ),
        (
            "{dependents_availability: 120}",
            "dependents_availability 120 is out of range; use a percentage from 90 to below 100",
        ),
        (
            "{dependents_availability: high}",
            "r.yaml:9:40: invalid type: string \"high\", expected an availability in percent",
        ),
        (
            "{depends_on_stateful: maybe}",
            "r.yaml:9:36: invalid type: string \"maybe\", expected a boolean",
        ),
    ] {
        Test::new()
            .file("r.yaml", RULE.replace("GIVEN", given))
            .args(["rules", "lint", "r.yaml"])
            .run()
            .code(2)
            .stderr_contains(message)
            .stderr_contains("field `[0].examples[0].given");
    }
}
