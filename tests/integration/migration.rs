//! Where state lives today (`state_location`) against the verdict: the
//! migration is said in the table, Markdown, JSON and the record, for the
//! right components only, and follows the team's decision in the record.
//! Also how state survives (`recovery`) and what the peak takes.

use serde_json::Value;

use crate::util::{Folder, Test, repo};

fn box_office() -> String {
    std::fs::read_to_string(repo().join("examples/box-office.yaml")).expect("example")
}

fn components(json: &Value) -> Vec<&Value> {
    json["components"]
        .as_array()
        .expect("components")
        .iter()
        .collect()
}

#[test]
fn the_migration_is_in_the_table_markdown_and_json_of_the_components_it_concerns() {
    let f = Folder::new();
    f.write("spec.yaml", box_office());
    let json = f.run(&["analyze", "spec.yaml", "--format", "json"]);
    json.success();
    let doc = json.json();
    for c in components(&doc) {
        let name = c["name"].as_str().expect("name");
        let m = &c["migration"];
        match name {
            "booking-api" => {
                assert_eq!(m["from"], serde_json::json!(["memory"]));
                assert_eq!(m["to"], "stateless");
                assert_eq!(m["direction"], "out-of-the-process");
                let advice = m["advice"].as_str().expect("advice");
                assert!(
                    advice.starts_with(
                        "Migrate: move what it keeps in its own process memory to an external store"
                    ),
                    "{advice}"
                );
                assert!(
                    m["cost"]
                        .as_str()
                        .expect("cost")
                        .contains("expensive direction")
                );
                // The advice starts with the move.
                assert_eq!(c["advice"][0].as_str(), Some(advice));
            }
            "seat-map" => {
                assert_eq!(m["from"], serde_json::json!(["external-store"]));
                assert_eq!(m["to"], "stateful");
                assert_eq!(m["direction"], "into-the-process");
                assert!(
                    m["cost"]
                        .as_str()
                        .expect("cost")
                        .contains("cheaper direction")
                );
                // And ends with what the peak takes.
                let last = c["advice"]
                    .as_array()
                    .and_then(|a| a.last())
                    .and_then(Value::as_str);
                assert_eq!(
                    last,
                    Some(
                        "Capacity: 120,000 clients at 20,000 per instance need at least 6 instances at the peak; run one more so that losing an instance does not overload the rest."
                    )
                );
            }
            // No location stated, or it agrees with the verdict: no move.
            _ => assert!(m.is_null(), "{name}: {m}"),
        }
    }
    let table = f.run(&["analyze", "spec.yaml"]);
    table
        .success()
        .stdout_contains("Migrate: move what it keeps in its");
    let rows: Vec<&str> = table
        .stdout
        .lines()
        .filter(|l| l.contains("Migrate:"))
        .collect();
    assert_eq!(rows.len(), 2, "{}", table.stdout);
    assert!(
        rows[0].contains("booking-api") && rows[1].contains("seat-map"),
        "{rows:?}"
    );
    let md = f.run(&["analyze", "spec.yaml", "--format", "markdown"]);
    md.success()
        .stdout_contains("Migrate: move what it keeps in its own process memory to an external store")
        .stdout_contains("Migrate: move the state it reads from an external store on every request into the memory");
}

#[test]
fn the_record_names_the_migration_as_a_cost_for_the_decided_verdict() {
    let f = Folder::new();
    f.write("spec.yaml", box_office());
    f.run(&["adr", "spec.yaml", "--date", "2026-12-05"])
        .success();
    let record = f.read("docs/adr/0001-state-management-for-box-office.md");
    assert!(record.contains("* Bad, because **booking-api** must migrate: move what it keeps in its own process memory to an external store"), "{record}");
    assert!(record.contains("Moving state out of a running service is the expensive direction"));
    assert!(record.contains(
        "* Bad, because **seat-map** must migrate: move the state it reads from an external store"
    ));
    // Where the context goes is the migration's choice: no token claimed.
    assert!(
        !record.contains("**booking-api** carries each user's context in a signed token"),
        "{record}"
    );
    assert!(record.contains("* Bad, because **seat-map** needs at least 6 instances at the peak (120,000 clients at 20,000 per instance)"));

    // The team keeps the booking service stateful for now: its state stays
    // where it is, so the record asks for no move; the advice still does.
    let decided = box_office().replace(
        "    affinity: per-client             # sticky sessions on the load balancer\n",
        "    affinity: per-client             # sticky sessions on the load balancer\n    decision: stateful\n    decision_reason: the rewrite waits for the new payment provider\n",
    );
    let f = Folder::new();
    f.write("spec.yaml", decided);
    f.run(&["adr", "spec.yaml", "--date", "2026-12-05"])
        .success();
    let record = f.read("docs/adr/0001-state-management-for-box-office.md");
    assert!(!record.contains("**booking-api** must migrate"), "{record}");
    assert!(record.contains("**seat-map** must migrate"));
    let json = f.run(&["analyze", "spec.yaml", "--format", "json"]).json();
    let booking = &json["components"][1];
    assert_eq!(booking["name"], "booking-api");
    assert!(booking["migration"].is_null());
    assert!(
        booking["advice"][0]
            .as_str()
            .is_some_and(|a| a.starts_with("Migrate: "))
    );
}

const RECOVERY: &str = "version: 1\nsystem: {name: S}\ncomponents:\n  - name: counts\n    kind: stream-processor\n  - name: scores\n    realtime: server-push\n    recovery: none\n    availability: 99.95\n  - name: lobby\n    realtime: server-push\n    recovery: disposable\n  - name: api\n    kind: rest-api\n    recovery: none\n    availability: 99.99\n";

#[test]
fn recovery_advice_only_for_state_kept_and_the_risk_named_everywhere() {
    let f = Folder::new();
    f.write("spec.yaml", RECOVERY);
    let doc = f.run(&["analyze", "spec.yaml", "--format", "json"]).json();
    let advice = |i: usize| -> Vec<String> {
        doc["components"][i]["advice"]
            .as_array()
            .expect("advice")
            .iter()
            .map(|a| a.as_str().expect("text").to_owned())
            .collect()
    };
    // The stream processor's kind says checkpoint and replay.
    let counts = advice(0);
    assert!(
        counts
            .iter()
            .any(|a| a.starts_with("Restoring from a checkpoint")),
        "{counts:?}"
    );
    assert!(
        counts
            .iter()
            .any(|a| a.starts_with("Replaying events needs the source")),
        "{counts:?}"
    );
    let scores = advice(1);
    assert!(
        scores.iter().any(|a| a.starts_with(
            "Risk: nothing recovers the state it keeps, yet it targets 99.95% availability"
        )),
        "{scores:?}"
    );
    assert!(
        advice(2)
            .iter()
            .any(|a| a.starts_with("Its state is harmless to lose"))
    );
    // A stateless API gets no recovery advice, whatever it says.
    assert!(
        !advice(3)
            .iter()
            .any(|a| a.contains("recovers") || a.starts_with("Risk")),
        "{:?}",
        advice(3)
    );

    f.run(&["adr", "spec.yaml", "--date", "2026-12-05"])
        .success();
    let record = f.read("docs/adr/0001-state-management-for-s.md");
    assert!(record.contains("* Bad, because **counts** recovers its state from a checkpoint and replayed events. Restoring from a checkpoint"), "{record}");
    assert!(record.contains("* Bad, because **scores** keeps state that nothing recovers, yet it targets 99.95% availability"), "{record}");
    assert!(
        record.contains("* Bad, because **lobby** restarts empty after a failure"),
        "{record}"
    );
    assert!(
        !record.contains("**api** keeps state that nothing recovers"),
        "{record}"
    );

    Test::new()
        .file("spec.yaml", RECOVERY)
        .args(["check", "spec.yaml", "--format", "json"])
        .run()
        .success()
        .stdout_contains("\"rule\": \"unrecoverable-state\"");
}
