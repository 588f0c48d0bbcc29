//! `statewise check`, the CI gate (contract section 6, issue 5): every kind
//! of finding with its exit code, drift between the spec and its decision
//! record (comment-only, key-order and quoting edits pass; real changes
//! fail), superseded records and records of other systems, changed rules,
//! the record folder, Nygard records, bad input; then the four formats:
//! text (snapshots), JSON (validated against `docs/schemas/check.schema.json`
//! by a small validator written here), GitHub annotations and SARIF 2.1.0.

use serde_json::{Value, json};

use crate::util::{Folder, Output, Test, repo};

/// The date every record here is written with.
const DATE: &str = "2025-03-01";

/// A spec with no decision against the advice: `gateway` is stateful
/// (`chat`), `api` stateless (`rest-api` under unpredictable traffic).
const CLEAN: &str = "\
# The spec `check` compares with its decision record.
version: 1
system:
  name: Check Demo
  description: A chat gateway and a REST API.
components:
  - name: gateway          # advice: stateful
    kind: chat
    decision: stateful
  - name: api              # advice: stateless
    kind: rest-api
    traffic: unpredictable
    latency_ms: 200
";

/// `CLEAN` with other comments, keys in another order, other quoting and
/// flow style: the same parsed spec.
const CLEAN_REFORMATTED: &str = "\
# Rewritten by hand: new comments, keys reordered, quotes added.
components:
  - decision: 'stateful'
    kind: \"chat\"
    name: gateway
  -   # the API
    latency_ms: 200.0
    traffic: \"unpredictable\"
    kind: rest-api
    name: 'api'
system: {description: 'A chat gateway and a REST API.', name: \"Check Demo\"}
version: 1
";

/// `CLEAN` with one real change: the API's latency target.
fn clean_changed() -> String {
    CLEAN.replace("latency_ms: 200", "latency_ms: 250")
}

/// Every finding about decisions: `gateway` contradicts the advice with no
/// reason, `api` departs from it with one, `orders-db` agrees with it.
const DECISIONS: &str = "\
version: 1
system:
  name: Check Demo
components:
  - name: gateway          # advice: stateful
    kind: chat
    decision: stateless
  - name: api              # advice: stateless
    kind: rest-api
    traffic: unpredictable
    latency_ms: 200
    decision: stateful
    decision_reason: legacy sessions until the token service ships
  - name: orders-db        # advice: stateful
    kind: database
    decision: stateful
";

/// A custom rule heavy enough to turn `api` (unpredictable traffic) from
/// stateless to hybrid without touching the spec.
const HEAVY_RULE: &str = "\
- id: heavy-custom-rule
  title: A custom rule that outweighs the traffic rule
  when:
    traffic: unpredictable
  favors: stateful
  weight: 10
  because: >-
    A team's own rule, here to change the advice while the spec stays.
";

/// The file our records for `CLEAN` get with the default title.
const RECORD: &str = "0001-state-management-for-check-demo.md";

/// The 1-based number of the first line of `text` containing `needle`.
#[track_caller]
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}"))
        + 1
}

// ---------------------------------------------------------------------------
// A working directory that lives across several runs (`Test::new()` gives
// a run a fresh one).

/// What the check tests do in a [`Folder`].
trait CheckFolder {
    /// A folder holding `spec` as `spec.yaml`.
    fn with(spec: &str) -> Self;
    /// `statewise check spec.yaml ARGS`.
    fn check(&self, args: &[&str]) -> Output;
    /// `statewise adr SPEC ARGS --date DATE`, which must succeed; the paths
    /// it printed.
    fn adr(&self, spec: &str, args: &[&str]) -> Vec<String>;
}

impl CheckFolder for Folder {
    fn with(spec: &str) -> Self {
        let f = Folder::new();
        f.write("spec.yaml", spec);
        f
    }

    fn check(&self, args: &[&str]) -> Output {
        let mut all = vec!["check", "spec.yaml"];
        all.extend_from_slice(args);
        self.run(&all)
    }

    #[track_caller]
    fn adr(&self, spec: &str, args: &[&str]) -> Vec<String> {
        let mut all = vec!["adr", spec, "--date", DATE];
        all.extend_from_slice(args);
        let run = self.run(&all);
        run.success();
        run.stdout.lines().map(str::to_owned).collect()
    }
}

/// The text output's lines that are findings (all but the tally).
fn finding_lines(run: &Output) -> Vec<&str> {
    run.stdout
        .lines()
        .filter(|l| !l.starts_with("check passed") && !l.starts_with("check failed"))
        .collect()
}

// ---------------------------------------------------------------------------
// 1. Findings and exit codes.

#[test]
fn a_decision_against_the_advice_without_a_reason_fails_at_its_decision_line() {
    let f = Folder::with(DECISIONS);
    let run = f.check(&[]);
    run.code(1).stderr_empty();
    let line = line_of(DECISIONS, "decision: stateless");
    let first = finding_lines(&run)[0];
    assert_eq!(
        first,
        format!(
            "error: spec.yaml:{line}: `gateway`: decided stateless but the advice is stateful (confidence 0.74); follow the advice or add `decision_reason` saying why (`statewise explain spec.yaml gateway` shows the reasons)"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("check failed: 1 error, 0 warnings, 2 notes, 0 waived\n")
    );
}

#[test]
fn a_decision_with_a_reason_is_an_accepted_departure_and_passes() {
    let spec = DECISIONS.replace(
        "    decision: stateless\n",
        "    decision: stateless\n    decision_reason: the gateway is a thin relay in front of a broker\n",
    );
    let f = Folder::with(&spec);
    let run = f.check(&[]);
    run.success();
    let findings = finding_lines(&run);
    assert_eq!(findings.len(), 3, "{}", run.stdout);
    let gw_line = line_of(&spec, "decision: stateless");
    let api_line = line_of(&spec, "decision: stateful");
    assert_eq!(
        findings[0],
        format!(
            "note: spec.yaml:{gw_line}: `gateway`: decided stateless where the advice is stateful, for a stated reason: the gateway is a thin relay in front of a broker"
        )
    );
    assert_eq!(
        findings[1],
        format!(
            "note: spec.yaml:{api_line}: `api`: decided stateful where the advice is stateless, for a stated reason: legacy sessions until the token service ships"
        )
    );
    // `orders-db` agrees with the advice: no finding names it.
    run.stdout_lacks("orders-db");
    // The JSON names the kind `accepted-departure`.
    let json = f.check(&["--format", "json"]).json();
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule"))
        .collect();
    assert_eq!(
        rules,
        ["accepted-departure", "accepted-departure", "no-adr"]
    );
}

#[test]
fn no_record_is_a_note_unless_one_is_required() {
    let f = Folder::with(CLEAN);
    let run = f.check(&[]);
    run.success();
    assert_eq!(
        run.stdout,
        "note: spec.yaml: no decision record for `Check Demo` in `docs/adr`; `statewise adr spec.yaml` writes one\ncheck passed: 0 errors, 0 warnings, 1 note, 0 waived\n"
    );
    // A note never fails, not even with `--fail-on warning`.
    f.check(&["--fail-on", "warning"]).success();
    let run = f.check(&["--require-adr"]);
    run.code(1).stderr_empty();
    assert_eq!(
        run.stdout,
        "error: spec.yaml: no decision record for `Check Demo` in `docs/adr`; `statewise adr spec.yaml` writes one\ncheck failed: 1 error, 0 warnings, 0 notes, 0 waived\n"
    );
    // `check` wrote nothing.
    assert!(!f.path("docs").exists());
}

#[test]
fn after_the_record_is_written_the_check_passes_with_no_finding() {
    let f = Folder::with(CLEAN);
    assert_eq!(f.adr("spec.yaml", &[]), [format!("docs/adr/{RECORD}")]);
    let run = f.check(&[]);
    run.success();
    assert_eq!(
        run.stdout,
        "check passed: 0 errors, 0 warnings, 0 notes, 0 waived\n"
    );
    f.check(&["--require-adr"]).success();
    f.check(&["--require-adr", "--fail-on", "warning"])
        .success();
}

#[test]
fn comments_key_order_and_quoting_are_not_drift() {
    let f = Folder::with(CLEAN);
    f.adr("spec.yaml", &[]);
    // Comments only.
    let commented = CLEAN
        .replace("# advice: stateful", "# keeps the sockets")
        .replace("# The spec", "# Reviewed in March.\n# The spec")
        + "# trailing comment\n";
    f.write("spec.yaml", &commented);
    let run = f.check(&["--require-adr"]);
    run.success();
    assert_eq!(
        run.stdout,
        "check passed: 0 errors, 0 warnings, 0 notes, 0 waived\n"
    );
    // Key order, quoting, flow style and `200.0` for `200`.
    f.write("spec.yaml", CLEAN_REFORMATTED);
    let run = f.check(&["--require-adr"]);
    run.success();
    assert_eq!(
        run.stdout,
        "check passed: 0 errors, 0 warnings, 0 notes, 0 waived\n"
    );
    // Windows line endings.
    f.write("spec.yaml", CLEAN.replace('\n', "\r\n"));
    f.check(&["--require-adr"])
        .success()
        .stdout_lacks("the spec changed since");
}

#[test]
fn a_real_change_is_drift_naming_the_record_and_the_command() {
    let f = Folder::with(CLEAN);
    f.adr("spec.yaml", &[]);
    f.write("spec.yaml", clean_changed());
    let run = f.check(&[]);
    run.code(1).stderr_empty();
    assert_eq!(
        run.stdout,
        format!(
            "error: spec.yaml:1: the spec changed since `docs/adr/{RECORD}` recorded the decision; record the new one with `statewise adr spec.yaml --supersedes 1`\nnote: spec.yaml:10: `api`: since `docs/adr/{RECORD}`: latency_ms 200 -> 250\ncheck failed: 1 error, 0 warnings, 1 note, 0 waived\n"
        )
    );
    let json = f.check(&["--format", "json"]).json();
    assert_eq!(json["findings"][0]["rule"], "spec-changed-since-adr");
    assert_eq!(json["findings"][0]["severity"], "error");
    assert_eq!(json["findings"][0]["component"], Value::Null);
    // Other real changes: a new component, a renamed system field value.
    let added = CLEAN.to_owned() + "  - name: cache\n    kind: cache\n";
    f.write("spec.yaml", &added);
    f.check(&[])
        .code(1)
        .stderr_empty()
        .stdout_contains("the spec changed since");
    f.write(
        "spec.yaml",
        CLEAN.replace(
            "decision: stateful",
            "decision: hybrid\n    decision_reason: r",
        ),
    );
    f.check(&[])
        .code(1)
        .stderr_empty()
        .stdout_contains("the spec changed since");
}

#[test]
fn drift_is_cleared_by_the_command_it_names_and_the_superseded_record_is_ignored() {
    let f = Folder::with(CLEAN);
    f.adr("spec.yaml", &[]);
    f.write("spec.yaml", clean_changed());
    f.check(&[])
        .code(1)
        .stderr_empty()
        .stdout_contains("--supersedes 1");
    let written = f.adr("spec.yaml", &["--supersedes", "1"]);
    assert_eq!(
        written,
        [
            "docs/adr/0002-state-management-for-check-demo.md".to_owned(),
            format!("docs/adr/{RECORD}")
        ]
    );
    assert!(
        f.read(&format!("docs/adr/{RECORD}"))
            .contains("status: \"superseded by")
    );
    let run = f.check(&["--require-adr"]);
    run.success();
    assert_eq!(
        run.stdout,
        "check passed: 0 errors, 0 warnings, 0 notes, 0 waived\n"
    );
    // Drift is now measured against record 2.
    f.write("spec.yaml", CLEAN);
    f.check(&[])
        .code(1)
        .stderr_empty()
        .stdout_contains("docs/adr/0002-state-management-for-check-demo.md")
        .stdout_contains("--supersedes 2");
}

#[test]
fn superseded_records_are_ignored_even_when_they_are_the_newest() {
    // Record 1 from CLEAN, record 2 from the changed spec superseding 1,
    // record 3 from CLEAN again superseding 2; then record 3 goes away
    // (a reverted change). Both left are superseded: none counts, so the
    // check reports no record rather than drift from record 2.
    let f = Folder::with(CLEAN);
    f.adr("spec.yaml", &[]);
    f.write("spec.yaml", clean_changed());
    f.adr("spec.yaml", &["--supersedes", "1"]);
    f.write("spec.yaml", CLEAN);
    f.adr("spec.yaml", &["--supersedes", "2"]);
    f.check(&["--require-adr"]).success();
    std::fs::remove_file(f.path("docs/adr/0003-state-management-for-check-demo.md"))
        .expect("remove record 3");
    // Record 2 still says it is superseded by record 3: the log is broken
    // there, which the log's own check reports.
    let run = f.check(&[]);
    run.code(1)
        .stderr_empty()
        .stdout_lacks("the spec changed since")
        .stdout_contains("no decision record for `Check Demo`")
        .stdout_contains(
            "error: docs/adr/0002-state-management-for-check-demo.md:3: `superseded by` points at record 3, which is not in `docs/adr`",
        );
    f.check(&["--require-adr"])
        .code(1)
        .stderr_empty()
        .stdout_contains("error: spec.yaml: no decision record")
        .stdout_lacks("--supersedes 2");
}

#[test]
fn a_record_of_another_system_is_ignored() {
    let f = Folder::with(CLEAN);
    f.adr("spec.yaml", &[]);
    // A newer record of another system in the same folder, from another spec.
    let other = CLEAN.replace("name: Check Demo", "name: Other System");
    f.write("other.yaml", &other);
    assert_eq!(
        f.adr("other.yaml", &[]),
        ["docs/adr/0002-state-management-for-other-system.md"]
    );
    let run = f.check(&["--require-adr"]);
    run.success();
    assert_eq!(
        run.stdout,
        "check passed: 0 errors, 0 warnings, 0 notes, 0 waived\n"
    );
    // Drift still names our record, not the other system's newer one.
    f.write("spec.yaml", clean_changed());
    f.check(&[])
        .code(1)
        .stderr_empty()
        .stdout_contains(RECORD)
        .stdout_contains("--supersedes 1")
        .stdout_lacks("0002");
    // A system with only another system's record has none.
    let third = CLEAN.replace("name: Check Demo", "name: Third");
    f.write("third.yaml", &third);
    f.run(&["check", "third.yaml"])
        .success()
        .stdout_contains("no decision record for `Third`");
}

#[test]
fn changed_rules_with_an_unchanged_spec_are_a_warning() {
    let f = Folder::with(CLEAN);
    f.write("extra.yaml", HEAVY_RULE);
    f.adr("spec.yaml", &[]);
    // The heavy rule makes `api` hybrid.
    let analysis = f
        .run(&[
            "analyze",
            "spec.yaml",
            "--format",
            "json",
            "--rules",
            "extra.yaml",
        ])
        .json();
    assert_eq!(analysis["components"][1]["verdict"], "hybrid");
    let run = f.check(&["--rules", "extra.yaml"]);
    run.success();
    let line = line_of(CLEAN, "- name: api");
    assert_eq!(
        run.stdout,
        format!(
            "warning: spec.yaml:{line}: `api`: the advice is now hybrid but `docs/adr/{RECORD}` recorded stateless for the same spec: the rules changed; review and record it with `statewise adr spec.yaml --supersedes 1`\ncheck passed: 0 errors, 1 warning, 0 notes, 0 waived\n"
        )
    );
    let run = f.check(&["--rules", "extra.yaml", "--fail-on", "warning"]);
    run.code(1)
        .stderr_empty()
        .stdout_contains("check failed: 0 errors, 1 warning, 0 notes, 0 waived");
    let json = f
        .check(&["--rules", "extra.yaml", "--format", "json"])
        .json();
    assert_eq!(json["passed"], true);
    assert_eq!(json["findings"][0]["rule"], "advice-changed-since-adr");
    assert_eq!(json["findings"][0]["severity"], "warning");
    assert_eq!(json["findings"][0]["component"], "api");
    // The other way round: recorded with the rule, checked without it.
    let g = Folder::with(CLEAN);
    g.write("extra.yaml", HEAVY_RULE);
    g.adr("spec.yaml", &["--rules", "extra.yaml"]);
    g.check(&[])
        .success()
        .stdout_contains("`api`: the advice is now stateless but")
        .stdout_contains("recorded hybrid");
    g.check(&["--rules", "extra.yaml"])
        .success()
        .stdout_lacks("warning:");
    // With the spec changed as well, drift is the finding, not the rules.
    g.write("spec.yaml", clean_changed());
    g.check(&[])
        .code(1)
        .stderr_empty()
        .stdout_contains("the spec changed since")
        .stdout_lacks("the rules changed");
}

#[test]
fn adr_dir_and_dir_are_honoured() {
    let f = Folder::with(CLEAN);
    f.write(".adr-dir", "decisions\n");
    assert_eq!(f.adr("spec.yaml", &[]), [format!("decisions/{RECORD}")]);
    f.check(&["--require-adr"]).success();
    f.write("spec.yaml", clean_changed());
    f.check(&[])
        .code(1)
        .stderr_empty()
        .stdout_contains(&format!("`decisions/{RECORD}`"));
    f.write("spec.yaml", CLEAN);
    // `--dir` wins over `.adr-dir`.
    f.check(&["--dir", "elsewhere"])
        .success()
        .stdout_contains("no decision record for `Check Demo` in `elsewhere`");
    f.adr("spec.yaml", &["--dir", "elsewhere/adr"]);
    f.write("spec.yaml", clean_changed());
    f.check(&["--dir", "elsewhere/adr"])
        .code(1)
        .stderr_empty()
        .stdout_contains(&format!("`elsewhere/adr/{RECORD}`"));
    // Without `.adr-dir`, `docs/adr` is where the records are looked for.
    std::fs::remove_file(f.path(".adr-dir")).expect("remove .adr-dir");
    f.check(&[]).success().stdout_contains("in `docs/adr`");
}

#[test]
fn a_nygard_record_works_like_a_madr_one() {
    let f = Folder::with(CLEAN);
    f.write("extra.yaml", HEAVY_RULE);
    f.adr("spec.yaml", &["--template", "nygard"]);
    let record = f.read(&format!("docs/adr/{RECORD}"));
    assert!(
        record.starts_with("# 1. "),
        "not a Nygard record:\n{record}"
    );
    assert!(record.contains("<!-- statewise\n"), "{record}");
    f.check(&["--require-adr"]).success();
    f.write("spec.yaml", CLEAN_REFORMATTED);
    f.check(&["--require-adr"]).success();
    f.check(&["--rules", "extra.yaml"])
        .success()
        .stdout_contains("warning: spec.yaml:")
        .stdout_contains("`api`: the advice is now hybrid");
    f.write("spec.yaml", clean_changed());
    f.check(&[])
        .code(1)
        .stderr_empty()
        .stdout_contains(&format!("`docs/adr/{RECORD}`"))
        .stdout_contains("--supersedes 1");
    f.adr("spec.yaml", &["--template", "nygard", "--supersedes", "1"]);
    assert!(
        f.read(&format!("docs/adr/{RECORD}"))
            .contains("\nSuperseded by ")
    );
    let run = f.check(&["--require-adr"]);
    run.success();
    assert_eq!(
        run.stdout,
        "check passed: 0 errors, 0 warnings, 0 notes, 0 waived\n"
    );
}

#[test]
fn records_statewise_did_not_write_are_not_records_of_the_system() {
    let f = Folder::with(CLEAN);
    f.write(
        "docs/adr/0001-record-architecture-decisions.md",
        "# 1. Record architecture decisions\n\nDate: 2024-03-01\n\n## Status\n\nAccepted\n\n## Context\n\nWe need to record decisions.\n",
    );
    f.write("docs/adr/README.md", "# Decisions\n");
    f.check(&[])
        .success()
        .stdout_contains("no decision record for `Check Demo`");
    assert_eq!(
        f.adr("spec.yaml", &[]),
        ["docs/adr/0002-state-management-for-check-demo.md"]
    );
    f.check(&["--require-adr"]).success();
}

#[test]
fn bad_specs_and_bad_rules_exit_2_with_nothing_on_stdout() {
    for format in ["text", "json", "github", "sarif"] {
        let out = Test::new()
            .file(
                "spec.yaml",
                "version: 1\nsystem: {name: S}\ncomponents:\n  - name: a\n    latncy_ms: 4\n",
            )
            .args(["check", "spec.yaml", "--format", format])
            .run();
        out.fails().error_at("spec.yaml:5:5");
        Test::new()
            .args(["check", "--format", format])
            .run()
            .fails()
            .stderr_contains("statewise.yaml");
    }
    // Not YAML at all, an empty file, a missing spec.
    Test::new()
        .file("spec.yaml", "version: [1\n")
        .args(["check", "spec.yaml"])
        .run()
        .fails();
    Test::new()
        .file("spec.yaml", "")
        .args(["check", "spec.yaml"])
        .run()
        .fails();
    // Rules: a broken file, a missing one, `--no-default-rules` alone.
    Test::new()
        .file("spec.yaml", CLEAN)
        .file("bad.yaml", "- id: x\n")
        .args(["check", "spec.yaml", "--rules", "bad.yaml"])
        .run()
        .fails()
        .error_at("bad.yaml:1:3");
    Test::new()
        .file("spec.yaml", CLEAN)
        .file(
            "typo.yaml",
            HEAVY_RULE.replace("traffic: unpredictable", "trafic: unpredictable"),
        )
        .args([
            "check",
            "spec.yaml",
            "--rules",
            "typo.yaml",
            "--format",
            "json",
        ])
        .run()
        .fails()
        .stderr_contains("typo.yaml:");
    Test::new()
        .file("spec.yaml", CLEAN)
        .args(["check", "spec.yaml", "--rules", "missing.yaml"])
        .run()
        .fails()
        .stderr_contains("missing.yaml");
    Test::new()
        .file("spec.yaml", CLEAN)
        .args(["check", "spec.yaml", "--no-default-rules"])
        .run()
        .fails();
    // An unknown format or severity is bad usage too.
    Test::new()
        .file("spec.yaml", CLEAN)
        .args(["check", "spec.yaml", "--format", "xml"])
        .run()
        .code(2)
        .stdout_empty();
    Test::new()
        .file("spec.yaml", CLEAN)
        .args(["check", "spec.yaml", "--fail-on", "sometimes"])
        .run()
        .code(2)
        .stdout_empty();
}

#[test]
fn a_record_folder_that_cannot_be_read_is_exit_2() {
    let f = Folder::with(CLEAN);
    f.check(&["--dir", "spec.yaml"])
        .fails()
        .stderr_contains("record folder `spec.yaml`");
    f.write(".adr-dir", "spec.yaml\n");
    f.check(&["--format", "sarif"]).fails();
}

#[test]
fn the_spec_can_come_from_standard_input() {
    let out = Test::new().args(["check", "-"]).stdin(DECISIONS).run();
    out.code(1);
    let line = line_of(DECISIONS, "decision: stateless");
    assert!(
        out.stdout.starts_with(&format!(
            "error: <stdin>:{line}: `gateway`: decided stateless"
        )),
        "{}",
        out.stdout
    );
    // The record made from the file counts for the same spec on stdin: the
    // digest is of the parsed spec, not of its name.
    let f = Folder::with(CLEAN);
    f.adr("spec.yaml", &[]);
    f.test()
        .args(["check", "-", "--require-adr"])
        .stdin(CLEAN_REFORMATTED)
        .run()
        .success();
    f.test()
        .args(["check", "-"])
        .stdin(clean_changed())
        .run()
        .code(1)
        .stderr_empty()
        .stdout_contains("the spec changed since")
        .stdout_contains(RECORD);
    let json = f
        .test()
        .args(["check", "-", "--format", "json"])
        .stdin(CLEAN)
        .run()
        .json();
    assert_eq!(json["spec"], "<stdin>");
    // An empty standard input is bad input.
    Test::new().args(["check", "-"]).run().fails();
}

#[test]
fn commands_suggested_for_a_spec_on_stdin_can_be_run() {
    let f = Folder::with(CLEAN);
    let run = f.test().args(["check", "-"]).stdin(DECISIONS).run();
    run.code(1).stderr_empty();
    assert!(
        !run.stdout.contains("statewise adr <stdin>"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("statewise explain <stdin>"),
        "{}",
        run.stdout
    );
    f.adr("spec.yaml", &[]);
    let run = f.test().args(["check", "-"]).stdin(clean_changed()).run();
    assert!(
        run.stdout.contains("`statewise adr - --supersedes 1`"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_default_spec_is_statewise_yaml() {
    let f = Folder::new();
    f.write("statewise.yaml", DECISIONS);
    let run = f.run(&["check"]);
    run.code(1)
        .stderr_empty()
        .stdout_contains("error: statewise.yaml:");
    // `statewise adr` with no spec, then `statewise check`, in one folder.
    f.write("statewise.yaml", CLEAN);
    let adr = f.run(&["adr", "--date", DATE]);
    adr.success();
    let run = f.run(&["check", "--require-adr"]);
    run.success();
    assert_eq!(
        run.stdout,
        "check passed: 0 errors, 0 warnings, 0 notes, 0 waived\n"
    );
}

#[test]
fn the_decision_line_is_found_whatever_the_key_order() {
    let spec = "version: 1\nsystem:\n  name: S\ncomponents:\n  - kind: chat\n    decision: stateless\n    name: gw\n";
    let out = Test::new()
        .file("spec.yaml", spec)
        .args(["check", "spec.yaml"])
        .run();
    out.code(1).stdout_contains("error: spec.yaml:6: `gw`:");
}

#[test]
fn the_decision_line_is_found_past_a_description_that_mentions_a_name() {
    let spec = "version: 1\nsystem:\n  name: S\ncomponents:\n  - name: gw\n    description: >-\n      Talks to the team\n      name: lobby\n    kind: chat\n    decision: stateless\n";
    let out = Test::new()
        .file("spec.yaml", spec)
        .args(["check", "spec.yaml"])
        .run();
    out.code(1).stdout_contains("error: spec.yaml:10: `gw`:");
}

#[test]
fn decision_lines_in_flow_and_unindented_styles() {
    let spec = "version: 1\nsystem: {name: S}\ncomponents:\n- name: api\n  kind: rest-api\n- {name: gw, kind: chat, decision: stateless}\n- {name: gw2,\n   kind: chat,\n   decision: stateless}\n";
    let out = Test::new()
        .file("spec.yaml", spec)
        .args(["check", "spec.yaml", "--format", "json"])
        .run();
    out.code(1);
    let json = out.json();
    let lines: Vec<(String, Value)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "decision-contradicts-advice")
        .map(|f| {
            (
                f["component"].as_str().expect("name").to_owned(),
                f["line"].clone(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [("gw".to_owned(), json!(6)), ("gw2".to_owned(), json!(9))]
    );
}

// ---------------------------------------------------------------------------
// 2. Formats.

/// Folders and `check` arguments that, between them, produce every kind of
/// finding and both exit codes: (snapshot name, folder, extra arguments).
fn every_kind_of_finding() -> Vec<(&'static str, Folder, Vec<&'static str>)> {
    let decisions = Folder::with(DECISIONS);
    let drift = Folder::with(CLEAN);
    drift.adr("spec.yaml", &[]);
    drift.write("spec.yaml", clean_changed());
    let rules = Folder::with(CLEAN);
    rules.write("extra.yaml", HEAVY_RULE);
    rules.adr("spec.yaml", &[]);
    let clean = Folder::with(CLEAN);
    clean.adr("spec.yaml", &[]);
    vec![
        ("decisions", decisions, vec![]),
        (
            "require_adr",
            Folder::with(DECISIONS),
            vec!["--require-adr"],
        ),
        ("drift", drift, vec![]),
        ("advice_changed", rules, vec!["--rules", "extra.yaml"]),
        (
            "advice_changed_fails",
            {
                let f = Folder::with(CLEAN);
                f.write("extra.yaml", HEAVY_RULE);
                f.adr("spec.yaml", &[]);
                f
            },
            vec!["--rules", "extra.yaml", "--fail-on", "warning"],
        ),
        ("clean", clean, vec![]),
        ("dependency", Folder::with(DEPENDS), vec![]),
        ("unrecoverable", Folder::with(UNRECOVERABLE), vec![]),
        ("broken_log", broken_log(), vec![]),
        (
            "deployment",
            crate::deploy::shop(crate::deploy::SHOP_SPEC, crate::deploy::SHOP),
            vec![],
        ),
    ]
}

/// A clean spec and its record in a log with every kind of damage: a
/// number taken twice, a link to a missing record, a superseded record
/// with no successor, and a record that is no text.
fn broken_log() -> Folder {
    let f = Folder::with(CLEAN);
    f.adr("spec.yaml", &[]);
    f.write(
        "docs/adr/0002-a.md",
        "# 2. A\n\n## Status\n\nSuperseded\n\nAmends [9. Gone](0009-gone.md)\n",
    );
    f.write("docs/adr/0002-b.md", "# 2. B\n\n## Status\n\nAccepted\n");
    f.write("docs/adr/0003-c.md", b"# 3. C\xff\n".as_slice());
    f
}

/// Whether a finding's file is the spec or a record of the log.
fn spec_or_record(file: &str) -> bool {
    file == "spec.yaml" || file.starts_with("docs/adr/")
}

/// The findings about the deployment that point into a manifest; each
/// names its workload (`component-without-workload` points at the spec).
const IN_A_MANIFEST: [&str; 8] = [
    "stateless-on-statefulset",
    "stateless-with-persistent-volume",
    "stateless-with-sticky-sessions",
    "stateless-single-replica",
    "stateful-on-ephemeral-storage",
    "stateful-autoscaled-without-handover",
    "stateful-single-replica-at-high-availability",
    "workload-without-component",
];

/// Whether `file` is where finding `f` belongs: the manifest of the
/// `deployment` folder for a finding in a manifest, which names its
/// workload; else the spec or a record, and no workload.
fn expected_file(f: &Value, file: &str) -> bool {
    let rule = f["rule"].as_str().expect("rule");
    if IN_A_MANIFEST.contains(&rule) {
        f["workload"].is_string() && file == "k8s/shop.yaml"
    } else {
        f.get("workload").is_none_or(Value::is_null) && spec_or_record(file)
    }
}

/// State nothing recovers under a 99.9% target: its own, or its callers'.
const UNRECOVERABLE: &str = "version: 1\nsystem: {name: S}\ncomponents:\n  - name: scores\n    realtime: server-push\n    recovery: none\n    availability: 99.95\n  - name: board\n    kind: presence\n    recovery: none\n  - name: web\n    kind: rest-api\n    availability: 99.9\n    depends_on: [board]\n  - name: feed\n    realtime: server-push\n    recovery: none\n    availability: 99.5\n  - name: api\n    kind: rest-api\n    recovery: none\n    availability: 99.99\n";

#[test]
fn state_nothing_recovers_under_a_high_target_is_a_warning() {
    let f = Folder::with(UNRECOVERABLE);
    let run = f.check(&["--format", "json"]);
    let findings = run.json()["findings"].clone();
    let mine: Vec<(String, String)> = findings
        .as_array()
        .expect("findings")
        .iter()
        .filter(|x| x["rule"] == "unrecoverable-state")
        .map(|x| {
            (
                x["component"].as_str().expect("component").to_owned(),
                x["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect();
    // `feed` targets less than 99.9%, and `api` is stateless: no finding.
    let names: Vec<&str> = mine.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(names, ["scores", "board"], "{mine:?}");
    assert!(
        mine[0].1.contains("it targets 99.95% availability"),
        "{}",
        mine[0].1
    );
    assert!(
        mine[1].1.contains("its callers target 99.9% availability"),
        "{}",
        mine[1].1
    );
    // A warning: it fails only with --fail-on warning, at the component's line.
    assert_eq!(f.check(&[]).code, Some(0));
    let run = f.check(&["--fail-on", "warning"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout
            .contains("warning: spec.yaml:4: `scores`: Nothing recovers the state it keeps"),
        "{}",
        run.stdout
    );
    // Saying how it recovers, or that losing it is harmless, ends it.
    let f = Folder::with(&UNRECOVERABLE.replace("recovery: none", "recovery: disposable"));
    let run = f.check(&["--format", "json"]);
    assert!(
        !run.stdout.contains("unrecoverable-state"),
        "{}",
        run.stdout
    );
}

/// A caller whose stateful dependency targets less availability.
const DEPENDS: &str = "version: 1\nsystem: {name: S}\ncomponents:\n  - name: api\n    kind: rest-api\n    availability: 99.99\n    depends_on: [sessions]\n  - name: sessions\n    kind: session-store\n    availability: 99.9\n";

#[test]
fn text_has_one_finding_per_line_and_a_tally() {
    for (name, folder, args) in every_kind_of_finding() {
        let run = folder.check(&args);
        let json = folder
            .check(&[&args[..], &["--format", "json"]].concat())
            .json();
        let findings = json["findings"].as_array().expect("findings");
        let lines = finding_lines(&run);
        assert_eq!(lines.len(), findings.len(), "{name}:\n{}", run.stdout);
        for (line, f) in lines.iter().zip(findings) {
            // severity: file[:line]: [`component`:] message
            let file = f["file"].as_str().expect("file");
            assert!(expected_file(f, file), "{f}");
            let place = match f["line"].as_u64() {
                Some(l) => format!("{file}:{l}"),
                None => file.to_owned(),
            };
            let component = f["component"]
                .as_str()
                .map(|c| format!(" `{c}`:"))
                .unwrap_or_default();
            assert_eq!(
                *line,
                format!(
                    "{}: {place}:{component} {}",
                    f["severity"].as_str().expect("severity"),
                    f["message"].as_str().expect("message")
                ),
                "{name}"
            );
        }
        let tally = run.stdout.lines().last().expect("a tally");
        let s = &json["summary"];
        let plural = |n: &Value, w: &str| {
            let n = n.as_u64().expect("count");
            format!("{n} {w}{}", if n == 1 { "" } else { "s" })
        };
        assert_eq!(
            tally,
            format!(
                "check {}: {}, {}, {}, {} waived",
                if run.code == Some(0) {
                    "passed"
                } else {
                    "failed"
                },
                plural(&s["errors"], "error"),
                plural(&s["warnings"], "warning"),
                plural(&s["notes"], "note"),
                s["waived"]
            ),
            "{name}"
        );
        insta::assert_snapshot!(format!("check_text__{name}"), run.stdout);
    }
}

#[test]
fn text_keeps_a_multi_line_reason_on_one_line() {
    let spec = DECISIONS.replace(
        "decision_reason: legacy sessions until the token service ships",
        "decision_reason: |\n      legacy sessions,\n      until Q3",
    );
    let out = Test::new()
        .file("spec.yaml", spec)
        .args(["check", "spec.yaml"])
        .run();
    out.code(1)
        .stdout_contains("for a stated reason: legacy sessions, until Q3\n");
    assert_eq!(out.stdout.lines().count(), 4, "{}", out.stdout);
}

// --- JSON, against its schema ----------------------------------------------

/// The JSON Schema of `check --format json`.
fn check_schema() -> Value {
    let path = repo().join("docs/schemas/check.schema.json");
    let text = std::fs::read_to_string(&path).expect("docs/schemas/check.schema.json");
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn is_type(v: &Value, ty: &str) -> bool {
    match ty {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        other => panic!("the validator does not know type {other:?}"),
    }
}

/// A small JSON Schema validator for the keywords the check schema uses:
/// `type` (a name or a list of names), `const`, `enum`, `required`,
/// `properties`, `additionalProperties: false`, `items` and `minimum`;
/// annotations are skipped and any other keyword fails the test, so the
/// schema cannot outgrow this validator unnoticed. Errors are collected as
/// `path: what`.
fn validate(schema: &Value, doc: &Value, path: &str, errors: &mut Vec<String>) {
    let schema = schema.as_object().expect("a schema is an object");
    for (key, rule) in schema {
        match key.as_str() {
            "$schema" | "$id" | "title" | "description" => {}
            "type" => {
                let types: Vec<&str> = match rule {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().map(|t| t.as_str().expect("type name")).collect(),
                    other => panic!("bad `type` {other}"),
                };
                if !types.iter().any(|t| is_type(doc, t)) {
                    errors.push(format!("{path}: {doc} is not of type {types:?}"));
                }
            }
            "const" => {
                if doc != rule {
                    errors.push(format!("{path}: {doc} is not {rule}"));
                }
            }
            "enum" => {
                if !rule.as_array().expect("enum is a list").contains(doc) {
                    errors.push(format!("{path}: {doc} is not one of {rule}"));
                }
            }
            "required" => {
                if let Some(obj) = doc.as_object() {
                    for name in rule.as_array().expect("required is a list") {
                        let name = name.as_str().expect("a property name");
                        if !obj.contains_key(name) {
                            errors.push(format!("{path}: `{name}` is missing"));
                        }
                    }
                }
            }
            "properties" => {
                if let Some(obj) = doc.as_object() {
                    for (name, sub) in rule.as_object().expect("properties is an object") {
                        if let Some(v) = obj.get(name) {
                            validate(sub, v, &format!("{path}.{name}"), errors);
                        }
                    }
                }
            }
            "additionalProperties" => {
                assert_eq!(rule, &json!(false), "only `additionalProperties: false`");
                if let Some(obj) = doc.as_object() {
                    let known = schema.get("properties").and_then(Value::as_object);
                    for name in obj.keys() {
                        if !known.is_some_and(|k| k.contains_key(name)) {
                            errors.push(format!("{path}: unexpected property `{name}`"));
                        }
                    }
                }
            }
            "items" => {
                if let Some(items) = doc.as_array() {
                    for (i, item) in items.iter().enumerate() {
                        validate(rule, item, &format!("{path}[{i}]"), errors);
                    }
                }
            }
            "minimum" => {
                let min = rule.as_f64().expect("minimum is a number");
                if let Some(n) = doc.as_f64()
                    && n < min
                {
                    errors.push(format!("{path}: {n} is below {min}"));
                }
            }
            other => panic!("the validator does not support the keyword `{other}`"),
        }
    }
}

fn schema_errors(doc: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    validate(&check_schema(), doc, "$", &mut errors);
    errors
}

#[test]
fn json_is_valid_against_its_schema_and_matches_the_exit_code() {
    let mut seen = std::collections::BTreeSet::new();
    for (name, folder, args) in every_kind_of_finding() {
        let run = folder.check(&[&args[..], &["--format", "json"]].concat());
        assert!(run.code == Some(0) || run.code == Some(1), "{name}");
        assert!(run.stderr.is_empty(), "{name}: {}", run.stderr);
        let doc = run.json();
        let errors = schema_errors(&doc);
        assert!(errors.is_empty(), "{name}: {errors:#?}\n{doc:#}");
        assert_eq!(doc["json_version"], 1);
        assert_eq!(doc["spec"], "spec.yaml");
        assert_eq!(doc["statewise_version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(doc["passed"], json!(run.code == Some(0)), "{name}");
        let findings = doc["findings"].as_array().expect("findings");
        for (severity, key) in [
            ("error", "errors"),
            ("warning", "warnings"),
            ("note", "notes"),
        ] {
            let n = findings
                .iter()
                .filter(|f| f["severity"] == severity)
                .count();
            assert_eq!(doc["summary"][key], json!(n), "{name}: {key}");
        }
        for f in findings {
            assert!(expected_file(f, f["file"].as_str().expect("file")), "{f}");
            seen.insert(f["rule"].as_str().expect("rule").to_owned());
        }
        // The same findings, in the same order, as in text.
        let text = folder.check(&args);
        assert_eq!(text.code, run.code, "{name}");
        assert_eq!(finding_lines(&text).len(), findings.len(), "{name}");
    }
    // Every kind of finding was validated at least once.
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        [
            "accepted-departure",
            "adr-link-to-missing",
            "advice-changed-since-adr",
            "changed-since-adr",
            "component-without-workload",
            "decision-contradicts-advice",
            "dependency-below-target",
            "duplicate-adr-number",
            "no-adr",
            "spec-changed-since-adr",
            "stateful-autoscaled-without-handover",
            "stateful-on-ephemeral-storage",
            "stateful-single-replica-at-high-availability",
            "stateless-on-statefulset",
            "stateless-single-replica",
            "stateless-with-persistent-volume",
            "stateless-with-sticky-sessions",
            "superseded-without-successor",
            "unreadable-adr",
            "unrecoverable-state",
            "workload-without-component"
        ]
    );
}

#[test]
fn the_schema_validator_rejects_broken_documents() {
    let good = json!({
        "json_version": 1,
        "statewise_version": "0.1.0",
        "spec": "spec.yaml",
        "passed": false,
        "summary": { "errors": 1, "warnings": 0, "notes": 0, "waived": 0, "baselined": 0 },
        "findings": [{
            "severity": "error",
            "rule": "decision-contradicts-advice",
            "component": "gw",
            "message": "m",
            "file": "spec.yaml",
            "line": 7,
            "fingerprint": "0123456789abcdef0123456789abcdef"
        }, {
            "severity": "note",
            "rule": "no-adr",
            "component": null,
            "message": "m",
            "file": "spec.yaml",
            "line": null,
            "fingerprint": "0123456789abcdef0123456789abcdee"
        }],
        "suppressed": [],
        "stale_baseline": [],
        "unused_waivers": []
    });
    assert_eq!(schema_errors(&good), Vec::<String>::new());
    type Breaker = fn(&mut Value);
    let breaks: [(&str, Breaker); 14] = [
        ("missing top-level field", |d| {
            d.as_object_mut().expect("object").remove("summary");
        }),
        ("extra top-level field", |d| d["extra"] = json!(1)),
        ("wrong json_version", |d| d["json_version"] = json!(2)),
        ("passed not a boolean", |d| d["passed"] = json!("yes")),
        ("negative count", |d| d["summary"]["errors"] = json!(-1)),
        ("fractional count", |d| d["summary"]["notes"] = json!(1.5)),
        ("extra summary field", |d| d["summary"]["infos"] = json!(0)),
        ("unknown severity", |d| {
            d["findings"][0]["severity"] = json!("fatal")
        }),
        ("unknown rule", |d| {
            d["findings"][0]["rule"] = json!("made-up")
        }),
        ("component a number", |d| {
            d["findings"][0]["component"] = json!(5)
        }),
        ("line zero", |d| d["findings"][0]["line"] = json!(0)),
        ("line a string", |d| d["findings"][1]["line"] = json!("7")),
        ("finding without message", |d| {
            d["findings"][1]
                .as_object_mut()
                .expect("object")
                .remove("message");
        }),
        ("findings not an array", |d| d["findings"] = json!({})),
    ];
    for (what, break_it) in breaks {
        let mut doc = good.clone();
        break_it(&mut doc);
        assert!(
            !schema_errors(&doc).is_empty(),
            "the validator accepted a document with {what}: {doc:#}"
        );
    }
    // A whole document of the wrong type.
    assert!(!schema_errors(&json!([])).is_empty());
}

// --- GitHub annotations ------------------------------------------------------

/// One `::level props::message` line, split.
fn annotation(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line
        .strip_prefix("::")
        .unwrap_or_else(|| panic!("not a workflow command: {line:?}"));
    let (head, message) = rest
        .split_once("::")
        .unwrap_or_else(|| panic!("no `::` before the message: {line:?}"));
    let (level, props) = head.split_once(' ').unwrap_or((head, ""));
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p
                .split_once('=')
                .unwrap_or_else(|| panic!("property without `=`: {p:?} in {line:?}"));
            (k.to_owned(), v.to_owned())
        })
        .collect();
    (level.to_owned(), props, message.to_owned())
}

/// Undoes the workflow command escapes.
fn unescape(s: &str) -> String {
    s.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_annotations_carry_level_file_line_title_and_message() {
    for (name, folder, args) in every_kind_of_finding() {
        let run = folder.check(&[&args[..], &["--format", "github"]].concat());
        let json = folder
            .check(&[&args[..], &["--format", "json"]].concat())
            .json();
        assert_eq!(run.code, folder.check(&args).code, "{name}");
        assert!(run.stderr.is_empty(), "{name}: {}", run.stderr);
        let findings = json["findings"].as_array().expect("findings");
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), findings.len(), "{name}:\n{}", run.stdout);
        for (line, f) in lines.iter().zip(findings) {
            let (level, props, message) = annotation(line);
            let want = match f["severity"].as_str().expect("severity") {
                "error" => "error",
                "warning" => "warning",
                _ => "notice",
            };
            assert_eq!(level, want, "{line}");
            let keys: Vec<&str> = props.iter().map(|(k, _)| k.as_str()).collect();
            let get = |k: &str| {
                props
                    .iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| unescape(v))
            };
            assert!(expected_file(f, &get("file").unwrap_or_default()), "{line}");
            match f["line"].as_u64() {
                Some(l) => {
                    assert_eq!(keys, ["file", "line", "title"], "{line}");
                    assert_eq!(get("line"), Some(l.to_string()), "{line}");
                }
                None => assert_eq!(keys, ["file", "title"], "{line}"),
            }
            let rule = f["rule"].as_str().expect("rule");
            let title = get("title").expect("a title");
            assert!(title.starts_with(&format!("statewise {rule}")), "{title}");
            if let Some(c) = f["component"].as_str() {
                assert_eq!(title, format!("statewise {rule}: {c}"));
            }
            assert_eq!(unescape(&message), f["message"].as_str().expect("message"));
        }
        if name == "decisions" {
            insta::assert_snapshot!("check_github__decisions", run.stdout);
        }
    }
}

#[test]
fn github_annotations_escape_newlines_percent_and_property_separators() {
    let spec = DECISIONS.replace(
        "decision_reason: legacy sessions until the token service ships",
        "decision_reason: |\n      100% of sessions are legacy,\n      until Q3: see RFC-12",
    );
    let out = Test::new()
        .file("a,b:c.yaml", spec)
        .args(["check", "a,b:c.yaml", "--format", "github"])
        .run();
    out.code(1);
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("::notice") && l.contains("accepted-departure"))
        .unwrap_or_else(|| panic!("no accepted departure in\n{}", out.stdout));
    assert!(
        line.starts_with("::notice file=a%2Cb%3Ac.yaml,line="),
        "{line}"
    );
    assert!(
        line.contains(",title=statewise accepted-departure%3A api::"),
        "{line}"
    );
    assert!(
        line.ends_with(
            "for a stated reason: 100%25 of sessions are legacy,%0Auntil Q3: see RFC-12"
        ),
        "{line}"
    );
    // Every annotation stays on one line: three findings, three lines.
    assert_eq!(out.stdout.lines().count(), 3, "{}", out.stdout);
    for l in out.stdout.lines() {
        assert!(l.starts_with("::"), "{l}");
    }
}

// --- SARIF -------------------------------------------------------------------

#[test]
fn sarif_has_the_fields_code_scanning_requires() {
    let kinds = [
        ("decision-contradicts-advice", "error"),
        ("accepted-departure", "note"),
        ("spec-changed-since-adr", "error"),
        ("advice-changed-since-adr", "warning"),
        ("no-adr", "note"),
        ("dependency-below-target", "warning"),
        ("unrecoverable-state", "warning"),
        ("changed-since-adr", "note"),
        ("duplicate-adr-number", "error"),
        ("adr-link-to-missing", "error"),
        ("superseded-without-successor", "warning"),
        ("unreadable-adr", "warning"),
        ("stateless-on-statefulset", "warning"),
        ("stateless-with-persistent-volume", "warning"),
        ("stateless-with-sticky-sessions", "warning"),
        ("stateless-single-replica", "warning"),
        ("stateful-on-ephemeral-storage", "error"),
        ("stateful-autoscaled-without-handover", "warning"),
        ("stateful-single-replica-at-high-availability", "error"),
        ("component-without-workload", "warning"),
        ("workload-without-component", "warning"),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (name, folder, args) in every_kind_of_finding() {
        let run = folder.check(&[&args[..], &["--format", "sarif"]].concat());
        assert_eq!(run.code, folder.check(&args).code, "{name}");
        assert!(run.stderr.is_empty(), "{name}: {}", run.stderr);
        let log = run.json();
        let findings = folder
            .check(&[&args[..], &["--format", "json"]].concat())
            .json()["findings"]
            .clone();
        let findings = findings.as_array().expect("findings");
        assert_eq!(log["version"], "2.1.0", "{name}");
        let schema = log["$schema"].as_str().expect("$schema");
        assert!(
            schema.starts_with("https://") && schema.contains("sarif") && schema.contains("2.1.0"),
            "{schema}"
        );
        let runs = log["runs"].as_array().expect("runs");
        assert_eq!(runs.len(), 1, "{name}");
        let driver = &runs[0]["tool"]["driver"];
        assert_eq!(driver["name"], "statewise");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        let rules = driver["rules"].as_array().expect("rules");
        let ids: Vec<&str> = rules
            .iter()
            .map(|r| r["id"].as_str().expect("id"))
            .collect();
        let want: Vec<&str> = kinds.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, want, "{name}");
        for (rule, (_, level)) in rules.iter().zip(kinds) {
            assert_eq!(rule["defaultConfiguration"]["level"], level, "{rule}");
            assert!(
                rule["shortDescription"]["text"]
                    .as_str()
                    .is_some_and(|t| !t.is_empty()),
                "{rule}"
            );
        }
        let results = runs[0]["results"].as_array().expect("results");
        assert_eq!(results.len(), findings.len(), "{name}");
        for (r, f) in results.iter().zip(findings) {
            let id = r["ruleId"].as_str().expect("ruleId");
            assert_eq!(id, f["rule"], "{name}");
            let index = r["ruleIndex"].as_u64().expect("ruleIndex");
            let index = usize::try_from(index).expect("small index");
            assert_eq!(rules[index]["id"], id, "{name}: ruleIndex points elsewhere");
            let level = r["level"].as_str().expect("level");
            assert!(["error", "warning", "note"].contains(&level), "{level}");
            assert_eq!(level, f["severity"], "{name}");
            assert_eq!(r["message"]["text"], f["message"], "{name}");
            let loc = &r["locations"][0]["physicalLocation"];
            assert_eq!(loc["artifactLocation"]["uri"], f["file"], "{name}");
            let start = loc["region"]["startLine"].as_u64().expect("startLine");
            assert!(start >= 1, "{name}: startLine {start}");
            if let Some(l) = f["line"].as_u64() {
                assert_eq!(start, l, "{name}");
            }
            seen.insert(id.to_owned());
        }
    }
    assert_eq!(seen.len(), kinds.len(), "{seen:?}");
}

/// A caller cannot be more available than the stateful components it
/// depends on: a dependency with a lower target, or none, is a warning.
#[test]
fn a_stateful_dependency_below_its_callers_target_is_a_warning() {
    let spec = "version: 1\nsystem: {name: S}\ncomponents:\n  - name: api\n    kind: rest-api\n    availability: 99.99\n    depends_on: [sessions, db, search]\n  - name: sessions\n    kind: session-store\n    availability: 99.9\n  - name: db\n    kind: database\n  - name: search\n    kind: rest-api\n";
    let out = Test::new()
        .file("s.yaml", spec)
        .args(["check", "s.yaml"])
        .run();
    out.success()
        .stdout_contains("warning: s.yaml:4: `api`: `api` targets 99.99% availability but depends on `sessions`, which keeps state and targets 99.9%")
        .stdout_contains("`api` targets 99.99% availability but depends on `db`, which keeps state and states no target");
    // A stateless dependency is not a finding.
    assert!(!out.stdout.contains("on `search`"), "{}", out.stdout);
    Test::new()
        .file("s.yaml", spec)
        .args(["check", "s.yaml", "--fail-on", "warning"])
        .run()
        .code(1);
}
