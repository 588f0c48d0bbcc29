//! Rule-file bytes through loading (`--rules FILE --no-default-rules`): parse
//! and check one source; on an error render it as the CLI prints it; on
//! success evaluate every rule, leaf by leaf, against the components of a few
//! fixed specs, then run what the CLI runs with a user's rule set (digest,
//! examples check, analysis, table and JSON output, explanations with their
//! tipping points). Nothing here may panic, whatever the bytes.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use statewise::facts::Facts;
use statewise::field::Field;
use statewise::output::{Style, json, table};
use statewise::rule_set::Source;
use statewise::{Kinds, RuleSet, Spec, analyze, digest, engine, explain, graph};

/// Components covering every kind, every enum value, both booleans, numbers
/// at and around the usual thresholds, and the examples' real systems.
const WIDE: &str = r#"version: 1
system: {name: Fuzz}
components:
  - {name: bare}
  - {name: k1, kind: rest-api}
  - {name: k2, kind: graphql-api}
  - {name: k3, kind: web-frontend}
  - {name: k4, kind: websocket-gateway}
  - {name: k5, kind: chat}
  - {name: k6, kind: game-server}
  - {name: k7, kind: media-streaming}
  - {name: k8, kind: trading}
  - {name: k9, kind: collaborative-editor}
  - {name: k10, kind: auth}
  - {name: k11, kind: cart}
  - {name: k12, kind: serverless-function}
  - {name: k13, kind: worker}
  - {name: k14, kind: batch-job}
  - {name: k15, kind: message-broker}
  - {name: k16, kind: cache}
  - {name: k17, kind: session-store}
  - {name: k18, kind: database}
  - {name: k19, kind: other}
  - name: every-field-stateful
    kind: other
    realtime: bidirectional
    traffic: steady
    latency_ms: 5
    context_rebuild_ms: 40
    concurrent_clients: 100000
    state_kb_per_client: 512
    memory_budget_mb: 1
    session: per-connection
    shared_state: true
    transactions: true
    availability: 99.999
    request_context_kb: 4096
  - name: every-field-stateless
    kind: rest-api
    realtime: none
    traffic: unpredictable
    latency_ms: 2000
    context_rebuild_ms: 0
    concurrent_clients: 1
    state_kb_per_client: 0
    memory_budget_mb: 1000000
    session: none
    shared_state: false
    transactions: false
    availability: 90
    request_context_kb: 0
  - name: middle
    realtime: server-push
    traffic: predictable-peaks
    latency_ms: 100
    context_rebuild_ms: 10
    concurrent_clients: 1000
    state_kb_per_client: 16
    memory_budget_mb: 64
    session: per-user
    availability: 99.9
    request_context_kb: 8
    decision: hybrid
    decision_reason: fuzzing
"#;

const EXAMPLES: &[&str] = &[
    include_str!("../../examples/chat-platform.yaml"),
    include_str!("../../examples/collaborative-editor.yaml"),
    include_str!("../../examples/multiplayer-game.yaml"),
    include_str!("../../examples/payments-api.yaml"),
    include_str!("../../examples/web-shop.yaml"),
];

fn specs() -> &'static [Spec] {
    static SPECS: OnceLock<Vec<Spec>> = OnceLock::new();
    SPECS.get_or_init(|| {
        std::iter::once(WIDE)
            .chain(EXAMPLES.iter().copied())
            .map(|text| match Spec::from_yaml(text, "fixed.yaml") {
                Ok(spec) => spec,
                Err(e) => panic!("fixed spec does not parse: {e}"),
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let kinds = Kinds::builtin();
    let specs = specs();
    let source = Source {
        name: "fuzz-rules.yaml".to_owned(),
        bytes: data.to_vec(),
        builtin: false,
    };
    let rules = match RuleSet::from_sources(&[source]) {
        Ok(rules) => rules,
        Err(e) => {
            // What the CLI prints: message, located code frame, help.
            let _ = e.render();
            return;
        }
    };

    // Every rule against every fixed component, as the engine and the
    // explanations read conditions.
    for spec in specs {
        for c in &spec.components {
            let facts = Facts::of(c, kinds);
            for rule in rules.rules() {
                let _ = rule.when.holds(&facts);
                let _ = rule.when.to_string();
                for leaf in rule.when.leaves(&facts) {
                    let _ = leaf.to_string();
                }
                let _ = rule.when.conjuncts();
                let _ = rule.when.fields();
                for field in Field::ALL {
                    let _ = rule.when.bounds(field);
                }
            }
            let _ = engine::evaluate(&facts, &rules);
        }
    }

    // What `rules lint`, `analyze --rules` and `explain --rules` do next.
    let _ = digest::rules(&rules, kinds);
    for failure in engine::check_examples(&rules, kinds) {
        let _ = failure.to_string();
    }
    for spec in specs {
        let report = analyze(spec, &rules, kinds);
        let _ = json::render(&report);
        let _ = table::render(&report, Style::PLAIN);
    }
    // Explanations search tipping points over the rules' bounds: only the
    // wide spec, to keep an execution fast.
    let around = graph::surroundings(&specs[0], &rules, kinds);
    for (c, around) in specs[0].components.iter().zip(&around) {
        let _ = explain::explain(c, around, &rules, kinds);
    }
});
