//! `statewise diff OLD NEW`: the stated values that changed and the
//! verdicts before and after, in text, JSON and Markdown.

use crate::util::{Folder, Test, repo};

fn box_office() -> String {
    std::fs::read_to_string(repo().join("examples/box-office.yaml")).expect("example")
}

/// The box office after its migration: carts moved to a store, the seat
/// map kept in memory and rebuilt from the database after a crash, a new
/// component, one removed.
fn moved_on() -> String {
    box_office()
        .replace(
            "    state_location: memory           # carts and holds live in the process today\n    affinity: per-client             # sticky sessions on the load balancer\n",
            "    state_location: external-store   # carts and holds moved to Redis\n",
        )
        .replace(
            "    state_location: external-store   # re-read from Redis for every update today\n",
            "    state_location: memory           # seats kept by the instance that owns the event\n    recovery: rebuild\n",
        )
        .replace(
            "  - name: web\n    description: The ticket shop's pages, served from a CDN\n    kind: web-frontend\n    traffic: unpredictable\n    depends_on: [booking-api, seat-map]\n\n",
            "",
        )
        .replace(
            "  - name: orders-db\n",
            "  - name: waiting-room\n    description: Queues shoppers before an on-sale opens\n    kind: rest-api\n    traffic: unpredictable\n\n  - name: orders-db\n",
        )
}

fn folder() -> Folder {
    let f = Folder::new();
    f.write("old.yaml", box_office());
    f.write("new.yaml", moved_on());
    f
}

#[test]
fn text_names_each_changed_value_and_the_verdicts() {
    let out = folder().run(&["diff", "old.yaml", "new.yaml"]);
    out.success();
    assert_eq!(
        out.stdout,
        "\
web: removed (was stateless)
booking-api: still stateless
  state_location: memory -> external-store
  affinity: per-client -> (unset)
seat-map: still stateful
  state_location: external-store -> memory
  recovery: (unset) -> rebuild
waiting-room: added, stateless
2 components changed, 1 added, 1 removed, 1 unchanged; system hybrid
"
    );
}

#[test]
fn a_changed_verdict_and_a_decision_are_said_apart() {
    let f = Folder::new();
    f.write(
        "old.yaml",
        "version: 1\nsystem: {name: S}\ncomponents:\n  - {name: feed, realtime: server-push}\n  - {name: api, kind: rest-api}\n",
    );
    f.write(
        "new.yaml",
        "version: 1\nsystem: {name: S}\ncomponents:\n  - {name: feed, realtime: none}\n  - {name: api, kind: rest-api, decision: stateful, decision_reason: legacy sessions}\n",
    );
    let out = f.run(&["diff", "old.yaml", "new.yaml"]);
    out.success()
        .stdout_contains("feed: advice stateful -> stateless\n  realtime: server-push -> none\n")
        .stdout_contains("api: decided stateless -> stateful\n  decision: (unset) -> stateful\n  decision_reason: (unset) -> legacy sessions\n")
        .stdout_contains("system hybrid -> stateless");
    let doc = f
        .run(&["diff", "old.yaml", "new.yaml", "--format", "json"])
        .json();
    assert_eq!(doc["json_version"], 1);
    assert_eq!(doc["before"], "old.yaml");
    assert_eq!(doc["system"]["before"], "hybrid");
    assert_eq!(doc["system"]["after"], "stateless");
    let feed = &doc["components"][0];
    assert_eq!(feed["name"], "feed");
    assert_eq!(feed["status"], "changed");
    assert_eq!(feed["verdict"]["before"], "stateful");
    assert_eq!(feed["verdict"]["after"], "stateless");
    assert_eq!(feed["changes"][0]["field"], "realtime");
    assert_eq!(feed["changes"][0]["before"], "server-push");
    let api = &doc["components"][1];
    assert_eq!(api["verdict"]["before"], api["verdict"]["after"]);
    assert_eq!(api["decided"]["after"], "stateful");
}

#[test]
fn markdown_is_a_pull_request_comment() {
    let out = folder().run(&["diff", "old.yaml", "new.yaml", "--format", "markdown"]);
    out.success()
        .stdout_contains("### State decisions: `old.yaml` → `new.yaml`")
        .stdout_contains("| Component | What moved | Changed values |")
        .stdout_contains("| booking-api | still stateless | `state_location`: memory → external-store<br>`affinity`: per-client → (unset) |")
        .stdout_contains("| waiting-room | added, stateless | - |")
        .stdout_contains("2 components changed, 1 added, 1 removed, 1 unchanged; system hybrid.");
    // A pipe in a changed value cannot break the table.
    let f = Folder::new();
    f.write("a.yaml", "version: 1\nsystem: {name: S}\ncomponents:\n  - {name: api, decision: stateful, decision_reason: a}\n");
    f.write("b.yaml", "version: 1\nsystem: {name: S}\ncomponents:\n  - {name: api, decision: stateful, decision_reason: 'x | y'}\n");
    f.run(&["diff", "a.yaml", "b.yaml", "-f", "markdown"])
        .success()
        .stdout_contains("x \\| y");
}

#[test]
fn the_same_spec_twice_and_bad_input() {
    let f = folder();
    f.run(&["diff", "old.yaml", "old.yaml"])
        .success()
        .stdout_contains("no component changed\n0 components changed, 0 added, 0 removed, 4 unchanged; system hybrid\n");
    // Standard input for one side.
    Test::new()
        .file("new.yaml", moved_on())
        .args(["diff", "-", "new.yaml"])
        .stdin(box_office())
        .run()
        .success()
        .stdout_contains("waiting-room: added, stateless");
    Test::new()
        .args(["diff", "-", "-"])
        .run()
        .code(2)
        .stderr_contains("standard input can be read once");
    Test::new()
        .file("old.yaml", box_office())
        .file(
            "bad.yaml",
            "version: 1\nsystem: {name: S}\ncomponents:\n  - {name: a, state_location: memroy}\n",
        )
        .args(["diff", "old.yaml", "bad.yaml"])
        .run()
        .code(2)
        .stderr_contains("bad.yaml:4:31: unknown value `memroy`, did you mean `memory`?");
    Test::new()
        .args(["diff", "missing.yaml", "other.yaml"])
        .run()
        .code(2)
        .stderr_contains("missing.yaml");
}

#[test]
fn check_says_what_moved_since_the_record() {
    let f = Folder::new();
    f.write("spec.yaml", box_office());
    f.run(&["adr", "spec.yaml", "--date", "2026-12-05"])
        .success();
    let record = f.read("docs/adr/0001-state-management-for-box-office.md");
    // The record keeps the stated values that fed each verdict.
    assert!(
        record.contains("statewise-facts:\n  web: {kind: web-frontend, traffic: unpredictable, depends_on: [booking-api, seat-map]}\n"),
        "{record}"
    );
    f.write("spec.yaml", moved_on());
    let out = f.run(&["check", "spec.yaml"]);
    out.code(1)
        .stdout_contains("error: spec.yaml:1: the spec changed since `docs/adr/0001-state-management-for-box-office.md`")
        .stdout_contains("note: spec.yaml:21: `booking-api`: since `docs/adr/0001-state-management-for-box-office.md`: state_location memory -> external-store, affinity per-client -> (unset)\n")
        .stdout_contains("`seat-map`: since `docs/adr/0001-state-management-for-box-office.md`: state_location external-store -> memory, recovery (unset) -> rebuild\n")
        .stdout_contains("`waiting-room`: new since `docs/adr/0001-state-management-for-box-office.md`: advised stateless\n")
        .stdout_contains("note: spec.yaml: `web` is gone since `docs/adr/0001-state-management-for-box-office.md`, where it was advised stateless\n");
    // A verdict that moved is said as such; in JSON each note is a finding.
    let flipped = moved_on()
        .replace(
            "    realtime: server-push\n    shared_state: true               # every viewer of an event sees the same map\n",
            "    shared_state: false\n",
        )
        .replace(
            "    state_location: memory           # seats kept by the instance that owns the event\n    recovery: rebuild\n",
            "    state_location: external-store\n",
        );
    f.write("spec.yaml", flipped);
    let doc = f.run(&["check", "spec.yaml", "--format", "json"]).json();
    let seat = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|x| x["rule"] == "changed-since-adr" && x["component"] == "seat-map")
        .expect("a note about the seat map")
        .clone();
    assert_eq!(seat["severity"], "note");
    let message = seat["message"].as_str().expect("message");
    assert!(
        message.contains("realtime server-push -> (unset)"),
        "{message}"
    );
    assert!(message.contains("shared_state true -> false"), "{message}");
    assert!(
        !message.contains("state_location"),
        "unchanged since the record: {message}"
    );
    assert!(message.contains("advice stateful -> "), "{message}");
    // Unchanged spec: nothing moved, no note.
    let g = Folder::new();
    g.write("spec.yaml", box_office());
    g.run(&["adr", "spec.yaml", "--date", "2026-12-05"])
        .success();
    g.run(&["check", "spec.yaml"])
        .success()
        .stdout_lacks("changed-since")
        .stdout_lacks(" since `");
}
