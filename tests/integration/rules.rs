//! `rules list`, `rules show`, `rules lint`, and custom rules with
//! `--rules` and `--no-default-rules`.

use serde_json::Value;

use crate::util::{Output, Test};

/// A valid custom rule file: one rule, with an example that holds alone
/// and with the built-in rules.
const MY_RULES: &str = "\
- id: edge-cached-pages
  title: Pages are cached at the edge
  when:
    kind: web-frontend
  favors: stateless
  weight: 5
  because: Every page is the same for everyone and sits in a CDN.
  advice: Serve it from the CDN.
  examples:
    - verdict: stateless
      component: { name: site, kind: web-frontend }
";

/// A second custom rule, stateful, for folders with two files.
const MORE_RULES: &str = "\
- id: ledger-of-record
  title: The ledger is the system of record
  when:
    transactions: true
  favors: stateful
  weight: 9
  because: It owns the money.
";

const SPEC: &str = "version: 1\nsystem: {name: S}\ncomponents:\n  - {name: site, kind: web-frontend}\n  - {name: db, kind: database}\n";

fn fired(json: &Value, component: usize) -> Vec<String> {
    json["components"][component]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect()
}

#[test]
fn rules_list_matches_its_snapshot() {
    let out = Test::new().args(["rules", "list"]).run();
    out.success()
        .stdout_contains("bidirectional-realtime")
        .stdout_contains("unpredictable-spikes");
    insta::assert_snapshot!("rules_list", out.stdout);
}

#[test]
fn rules_list_json_has_every_rule_with_id_favors_weight_title() {
    let out = Test::new()
        .args(["rules", "list", "--format", "json"])
        .run();
    out.success();
    let list = out.json();
    let rules = list.as_array().expect("array");
    assert!(
        (25..=60).contains(&rules.len()),
        "the article's criteria take 25 rules at least, and more than 60 would be hard to review; got {}",
        rules.len()
    );
    let mut ids: Vec<&str> = Vec::new();
    for r in rules {
        let id = r["id"].as_str().expect("id");
        assert!(!ids.contains(&id), "duplicate id {id}");
        ids.push(id);
        assert!(
            matches!(r["favors"].as_str(), Some("stateful" | "stateless")),
            "{id}"
        );
        assert!(
            (1..=10).contains(&r["weight"].as_u64().expect("weight")),
            "{id}"
        );
        assert!(!r["title"].as_str().expect("title").is_empty(), "{id}");
    }
    // The table lists the same rules, in the same order.
    let table = Test::new().args(["rules", "list"]).run();
    let mut last = 0;
    for id in ids {
        let pos = table
            .stdout
            .find(&format!(" {id} "))
            .unwrap_or_else(|| panic!("{id} missing from the table"));
        assert!(pos > last, "{id} out of order in the table");
        last = pos;
    }
}

#[test]
fn rules_show_matches_its_snapshot() {
    let out = Test::new()
        .args(["rules", "show", "bidirectional-realtime"])
        .run();
    out.success()
        .stdout_contains("bidirectional-realtime")
        .stdout_contains("stateful")
        .stdout_contains("realtime = bidirectional");
    insta::assert_snapshot!("rules_show_bidirectional_realtime", out.stdout);
}

#[test]
fn rules_show_of_an_unknown_id_suggests_the_nearest() {
    let out = Test::new()
        .args(["rules", "show", "bidirectional-realtim"])
        .run();
    out.fails()
        .stderr_contains("bidirectional-realtim")
        .stderr_contains("did you mean `bidirectional-realtime`?");
}

#[test]
fn rules_show_finds_a_custom_rule() {
    Test::new()
        .file("my.yaml", MY_RULES)
        .args(["rules", "show", "edge-cached-pages", "--rules", "my.yaml"])
        .run()
        .success()
        .stdout_contains("Pages are cached at the edge")
        .stdout_contains("my.yaml");
}

#[test]
fn custom_rules_fire_alone_without_the_default_rules() {
    let out = Test::new()
        .file("my.yaml", MY_RULES)
        .file("t.yaml", SPEC)
        .args([
            "analyze",
            "t.yaml",
            "--format",
            "json",
            "--no-default-rules",
            "--rules",
            "my.yaml",
        ])
        .run();
    out.success();
    let json = out.json();
    assert_eq!(fired(&json, 0), ["edge-cached-pages"]);
    assert_eq!(json["components"][0]["verdict"], "stateless");
    // No built-in rule fires on the database either.
    assert_eq!(fired(&json, 1), Vec::<String>::new());
    assert_eq!(json["components"][1]["verdict"], "stateless");
}

#[test]
fn custom_rules_from_a_folder_fire_alone() {
    let out = Test::new()
        .file("rules/a.yaml", MY_RULES)
        .file("rules/b.yml", MORE_RULES)
        .file("rules/notes.txt", "not a rule file")
        .file("t.yaml", SPEC)
        .args([
            "analyze",
            "t.yaml",
            "--format",
            "json",
            "--no-default-rules",
            "--rules",
            "rules",
        ])
        .run();
    out.success();
    let json = out.json();
    assert_eq!(fired(&json, 0), ["edge-cached-pages"]);
    assert_eq!(fired(&json, 1), ["ledger-of-record"]);
    assert_eq!(json["components"][1]["verdict"], "stateful");
}

#[test]
fn rules_is_repeatable() {
    let out = Test::new()
        .file("a.yaml", MY_RULES)
        .file("b.yaml", MORE_RULES)
        .file("t.yaml", SPEC)
        .args([
            "analyze",
            "t.yaml",
            "--format",
            "json",
            "--no-default-rules",
            "--rules",
            "a.yaml",
            "--rules",
            "b.yaml",
        ])
        .run();
    out.success();
    let json = out.json();
    assert_eq!(fired(&json, 0), ["edge-cached-pages"]);
    assert_eq!(fired(&json, 1), ["ledger-of-record"]);
}

#[test]
fn custom_rules_add_to_the_built_in_ones() {
    let out = Test::new()
        .file("my.yaml", MY_RULES)
        .file("t.yaml", SPEC)
        .args([
            "analyze", "t.yaml", "--format", "json", "--rules", "my.yaml",
        ])
        .run();
    out.success();
    let ids = fired(&out.json(), 0);
    assert!(ids.contains(&"edge-cached-pages".to_owned()), "{ids:?}");
    assert!(ids.contains(&"static-frontend".to_owned()), "{ids:?}");
}

#[test]
fn no_default_rules_without_rules_is_a_usage_error() {
    for args in [
        &["analyze", "t.yaml", "--no-default-rules"][..],
        &["rules", "list", "--no-default-rules"][..],
    ] {
        let out = Test::new().file("t.yaml", SPEC).args(args).run();
        out.fails().stderr_contains("--rules");
    }
}

#[test]
fn a_missing_rules_path_is_an_error() {
    Test::new()
        .file("t.yaml", SPEC)
        .args(["analyze", "t.yaml", "--rules", "nope.yaml"])
        .run()
        .fails()
        .stderr_contains("nope.yaml");
}

#[test]
fn a_folder_without_rule_files_is_an_error() {
    Test::new()
        .file("t.yaml", SPEC)
        .dir("empty")
        .args(["analyze", "t.yaml", "--rules", "empty"])
        .run()
        .fails()
        .stderr_contains("empty");
}

#[test]
fn an_invalid_custom_rule_fails_analyze_too() {
    // A typo must never make a rule silently not fire.
    Test::new()
        .file(
            "my.yaml",
            MY_RULES.replace(
                "kind: web-frontend\n  favors",
                "knd: web-frontend\n  favors",
            ),
        )
        .file("t.yaml", SPEC)
        .args(["analyze", "t.yaml", "--rules", "my.yaml"])
        .run()
        .fails()
        .error_at("my.yaml:4:5");
}

fn lint(file: &str, text: &str) -> Output {
    Test::new()
        .file(file, text)
        .args(["rules", "lint", file])
        .run()
}

#[test]
fn lint_accepts_a_valid_file() {
    lint("my.yaml", MY_RULES).success().stdout_contains("ok");
}

#[test]
fn lint_accepts_a_folder_and_several_files() {
    Test::new()
        .file("rules/a.yaml", MY_RULES)
        .file("rules/b.yaml", MORE_RULES)
        .file(
            "c.yaml",
            MY_RULES.replace("edge-cached-pages", "edge-cached-again"),
        )
        .args(["rules", "lint", "rules", "c.yaml"])
        .run()
        .success()
        .stdout_contains("ok: 3 rules in 2 paths; ids unique, conditions valid, examples hold\n");
    Test::new()
        .file("a.yaml", MY_RULES)
        .args(["rules", "lint", "a.yaml"])
        .run()
        .success()
        .stdout_contains("ok: 1 rule in 1 path; ids unique");
}

#[test]
fn lint_rejects_a_typo_in_a_condition_field_with_its_line() {
    let text = MY_RULES.replace(
        "    kind: web-frontend\n  favors",
        "    realtim: none\n  favors",
    );
    let out = lint("typo.yaml", &text);
    out.fails()
        .error_at("typo.yaml:4:5")
        .stderr_contains("`realtim`")
        .stderr_contains("did you mean `realtime`?");
    insta::assert_snapshot!("lint__typo_condition_field", out.stderr);
}

#[test]
fn lint_rejects_a_duplicate_of_a_built_in_id() {
    let text = MY_RULES.replace("edge-cached-pages", "bidirectional-realtime");
    let out = lint("dup.yaml", &text);
    out.fails()
        .error_at("dup.yaml:1:7")
        .stderr_contains("duplicate rule id `bidirectional-realtime`")
        .stderr_contains("rules/realtime.yaml");
    insta::assert_snapshot!("lint__duplicate_builtin_id", out.stderr);
}

#[test]
fn lint_rejects_a_duplicate_id_within_a_file() {
    let out = lint("dup.yaml", &format!("{MY_RULES}{MY_RULES}"));
    out.fails()
        .error_at("dup.yaml:12:7")
        .stderr_contains("duplicate rule id `edge-cached-pages`");
}

#[test]
fn lint_rejects_a_bad_operator() {
    let text = MY_RULES.replace(
        "    kind: web-frontend\n  favors",
        "    latency_ms: {lts: 5}\n  favors",
    );
    let out = lint("op.yaml", &text);
    out.fails()
        .error_at("op.yaml:4:18")
        .stderr_contains("did you mean `lt`?");
    insta::assert_snapshot!("lint__bad_operator", out.stderr);
}

#[test]
fn lint_rejects_a_value_outside_the_fields_values() {
    let text = MY_RULES.replace(
        "    kind: web-frontend\n  favors",
        "    realtime: bidirectionl\n  favors",
    );
    lint("value.yaml", &text)
        .fails()
        .error_at("value.yaml:4:15")
        .stderr_contains("did you mean `bidirectional`?");
}

#[test]
fn lint_rejects_weight_0() {
    let out = lint("w0.yaml", &MY_RULES.replace("weight: 5", "weight: 0"));
    out.fails().error_at("w0.yaml:6:11");
    insta::assert_snapshot!("lint__weight_0", out.stderr);
}

#[test]
fn lint_rejects_weight_11() {
    let out = lint("w11.yaml", &MY_RULES.replace("weight: 5", "weight: 11"));
    out.fails().error_at("w11.yaml:6:11");
    insta::assert_snapshot!("lint__weight_11", out.stderr);
}

#[test]
fn lint_rejects_an_example_that_does_not_hold() {
    let text = MY_RULES.replace("- verdict: stateless", "- verdict: stateful");
    let out = lint("example.yaml", &text);
    out.fails()
        .error_at("example.yaml:10:7")
        .stderr_contains("edge-cached-pages")
        .stderr_contains("expected stateful");
    insta::assert_snapshot!("lint__example_does_not_hold", out.stderr);
}

#[test]
fn lint_rejects_an_example_the_rule_does_not_fire_on() {
    let text = MY_RULES.replace(
        "component: { name: site, kind: web-frontend }",
        "component: { name: api, kind: rest-api }",
    );
    lint("example.yaml", &text)
        .fails()
        .stderr_contains("edge-cached-pages")
        .stderr_contains("does not fire");
}

#[test]
fn lint_rejects_an_empty_file_and_a_missing_file() {
    lint("empty.yaml", "# nothing\n")
        .fails()
        .stderr_contains("empty.yaml");
    Test::new()
        .args(["rules", "lint", "missing.yaml"])
        .run()
        .fails()
        .stderr_contains("missing.yaml");
}

#[test]
fn lint_needs_a_file() {
    Test::new()
        .args(["rules", "lint"])
        .run()
        .code(2)
        .stdout_empty();
}

#[test]
fn a_duplicate_id_across_user_files_names_the_first_file() {
    Test::new()
        .file("a.yaml", MY_RULES)
        .file("b.yaml", MY_RULES)
        .args(["rules", "lint", "a.yaml", "b.yaml"])
        .run()
        .fails()
        .error_at("b.yaml:1:7")
        .stderr_contains("already defined in `a.yaml`");
}

#[test]
fn lint_checks_a_kinds_file_as_a_kinds_file() {
    let kinds = std::fs::read_to_string(crate::util::repo().join("rules/kinds.yaml"))
        .expect("rules/kinds.yaml");
    Test::new()
        .file("kinds.yaml", &kinds)
        .args(["rules", "lint", "kinds.yaml"])
        .run()
        .success();
    Test::new()
        .file(
            "kinds.yaml",
            kinds.replace("transactions: true", "transactons: true"),
        )
        .args(["rules", "lint", "kinds.yaml"])
        .run()
        .fails()
        .stderr_contains("transactons");
}

#[test]
fn the_built_in_rule_files_lint_clean_on_their_own() {
    let out = Test::new()
        .args(["rules", "lint", "--no-default-rules"])
        .arg(crate::util::repo().join("rules"))
        .run();
    out.success().stdout_contains("ok");
}

/// Reasons that contradict each other never fire together: a rule that
/// `excludes` another is checked against a grid of components.
#[test]
fn lint_finds_excluded_rules_that_fire_together() {
    let rule = "- id: spiky-means-simple\n  title: Spiky components are simple\n  when: {traffic: unpredictable}\n  favors: stateless\n  weight: 2\n  because: Spikes.\n  excludes: [rebuild-dominates-latency]\n";
    Test::new()
        .file("r.yaml", rule)
        .args(["rules", "lint", "r.yaml"])
        .run()
        .code(2)
        .stderr_contains("rules `spiky-means-simple` and `rebuild-dominates-latency` both fire on a component with traffic: unpredictable, latency_ms: 1000, context_rebuild_ms: 500");
    // Narrowed so they cannot hold together, the pair passes.
    let narrowed = rule.replace(
        "when: {traffic: unpredictable}",
        "when: {traffic: unpredictable, context_rebuild_ms: unset}",
    );
    Test::new()
        .file("r.yaml", narrowed)
        .args(["rules", "lint", "r.yaml"])
        .run()
        .success();
    // An exclusion must name a rule.
    Test::new()
        .file("r.yaml", rule.replace("rebuild-dominates-latency", "rebuild-dominates-latncy"))
        .args(["rules", "lint", "r.yaml"])
        .run()
        .code(2)
        .stderr_contains("excludes `rebuild-dominates-latncy`, which no rule has, did you mean `rebuild-dominates-latency`?");
}
