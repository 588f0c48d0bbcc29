//! The source article's scenarios, one row each: a component as YAML and the
//! verdict the article leads to. Run through the library (fast, one spec per
//! row) and, for a few rows, through the binary as well.

use statewise::{Kinds, RuleSet, Spec, analyze};

use crate::util::Test;

/// (scenario, component as a YAML flow mapping without `name`, verdict).
const SCENARIOS: &[(&str, &str, &str)] = &[
    // The seven rows the issue requires.
    ("chat server", "kind: chat", "stateful"),
    (
        "public payments API",
        "kind: rest-api, traffic: unpredictable, availability: 99.99, session: none",
        "stateless",
    ),
    ("relational database", "kind: database", "stateful"),
    (
        "multiplayer game server",
        "kind: game-server, traffic: unpredictable, latency_ms: 50",
        "stateful",
    ),
    (
        "serverless image resizer",
        "kind: serverless-function",
        "stateless",
    ),
    (
        "collaborative editor",
        "kind: collaborative-editor",
        "stateful",
    ),
    (
        "two-way feed with unpredictable spikes",
        "realtime: bidirectional, traffic: unpredictable",
        "hybrid",
    ),
    // More from the article.
    // A cart "can be stored on the client or in the database, and its
    // identifier is sent with each request": stateless is the better default.
    (
        "shopping cart with a per-user session",
        "kind: cart, session: per-user",
        "stateless",
    ),
    // Signed tokens (JWT): "the server stores nothing".
    ("auth service issuing tokens", "kind: auth", "stateless"),
    (
        "auth service at four nines under spikes",
        "kind: auth, traffic: unpredictable, availability: 99.99",
        "stateless",
    ),
    // "Financial trading platforms ... state is at the core."
    ("trading engine", "kind: trading", "stateful"),
    (
        "trading engine with a 5 ms budget",
        "kind: trading, latency_ms: 5",
        "stateful",
    ),
    // Kubernetes "stateless containers that can be destroyed and recreated".
    ("nightly batch job", "kind: batch-job", "stateless"),
    ("queue worker", "kind: worker", "stateless"),
    // "A stateful WebSocket layer for real-time notifications."
    (
        "server-push notifications service",
        "realtime: server-push",
        "stateful",
    ),
    (
        "server-push gateway",
        "kind: websocket-gateway, realtime: server-push",
        "stateful",
    ),
    // "Video conferencing tools ... share this characteristic."
    ("video conferencing", "kind: media-streaming", "stateful"),
    // Session stores, caches and brokers hold state for the others.
    ("session store (Redis)", "kind: session-store", "stateful"),
    ("cache", "kind: cache", "stateful"),
    ("message broker", "kind: message-broker", "stateful"),
    // "Netflix ... relies heavily on stateless services to absorb spikes."
    (
        "API absorbing launch-day spikes",
        "kind: rest-api, traffic: unpredictable",
        "stateless",
    ),
    ("GraphQL API", "kind: graphql-api", "stateless"),
    ("static web front end", "kind: web-frontend", "stateless"),
    // The train-station kiosk: nothing to remember.
    ("self-service kiosk", "{}", "stateless"),
    // FTP sessions: context tied to a live connection.
    ("FTP-like session", "session: per-connection", "stateful"),
    // "A chat server like Discord maintains persistent WebSocket
    // connections with millions of users", spikes or not.
    (
        "Discord-scale chat with spikes",
        "kind: chat, traffic: unpredictable, concurrent_clients: 1000000, state_kb_per_client: 16, memory_budget_mb: 65536",
        "stateful",
    ),
    // A database stays stateful under spiky traffic.
    (
        "database under spiky traffic",
        "kind: database, traffic: unpredictable",
        "stateful",
    ),
    // A live channel whose state would overrun the budget: keep only the
    // connection on the server.
    (
        "chat whose state overruns the memory budget",
        "kind: chat, concurrent_clients: 1000000, state_kb_per_client: 64, memory_budget_mb: 8192",
        "hybrid",
    ),
    // A REST API that must answer in 20 ms but needs 15 ms to rebuild a
    // user's context: strong evidence both ways.
    (
        "per-user API where rebuilding context eats the budget",
        "kind: rest-api, session: per-user, latency_ms: 20, context_rebuild_ms: 15",
        "hybrid",
    ),
    // Server-side sessions cannot survive a serverless platform.
    (
        "serverless function with per-user context",
        "kind: serverless-function, session: per-user",
        "stateless",
    ),
];

fn spec_of(component: &str) -> String {
    let fields = component.trim_start_matches('{').trim_end_matches('}');
    let sep = if fields.trim().is_empty() { "" } else { ", " };
    format!("version: 1\nsystem: {{name: Scenario}}\ncomponents:\n  - {{name: it{sep}{fields}}}\n")
}

#[test]
fn the_article_scenarios_get_their_verdicts() {
    let rules = RuleSet::builtin();
    let mut wrong = Vec::new();
    for (scenario, component, expected) in SCENARIOS {
        let text = spec_of(component);
        let spec = Spec::from_yaml(&text, scenario)
            .unwrap_or_else(|e| panic!("{scenario}: spec does not parse: {e}"));
        let report = analyze(&spec, &rules, Kinds::builtin());
        let got = report.components[0].verdict.as_str();
        if got != *expected {
            wrong.push(format!(
                "{scenario} ({component}): expected {expected}, got {got}"
            ));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn the_scenario_table_covers_every_verdict() {
    for verdict in ["stateful", "stateless", "hybrid"] {
        assert!(
            SCENARIOS.iter().any(|(_, _, v)| *v == verdict),
            "no {verdict} row"
        );
    }
}

#[test]
fn the_binary_agrees_with_the_library_on_the_scenarios() {
    // All the scenarios as one spec, through the binary.
    let mut text = String::from("version: 1\nsystem: {name: Scenarios}\ncomponents:\n");
    for (i, (_, component, _)) in SCENARIOS.iter().enumerate() {
        let fields = component.trim_start_matches('{').trim_end_matches('}');
        let sep = if fields.trim().is_empty() { "" } else { ", " };
        text.push_str(&format!("  - {{name: s{i}{sep}{fields}}}\n"));
    }
    let out = Test::new()
        .file("scenarios.yaml", &text)
        .args(["analyze", "scenarios.yaml", "--format", "json"])
        .run();
    out.success();
    let json = out.json();
    for (i, (scenario, _, expected)) in SCENARIOS.iter().enumerate() {
        assert_eq!(
            json["components"][i]["verdict"], *expected,
            "{scenario} through the binary"
        );
    }
    assert_eq!(json["system"]["verdict"], "hybrid");
}

#[test]
fn the_two_way_feed_gets_split_advice() {
    let text = spec_of("realtime: bidirectional, traffic: unpredictable");
    let out = Test::new()
        .file("feed.yaml", &text)
        .args(["analyze", "feed.yaml", "--format", "json"])
        .run();
    out.success();
    let c = &out.json()["components"][0];
    assert_eq!(c["verdict"], "hybrid");
    let advice = c["advice"][0].as_str().expect("advice");
    assert!(advice.contains("stateless"), "{advice}");
    assert!(advice.contains("stateful"), "{advice}");
}
