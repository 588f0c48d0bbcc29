//! `check` in a real pipeline (issue 18): every report from one run
//! (`--format FORMAT[=PATH]`, each file validated against its schema: SARIF
//! against the official OASIS schema, JUnit against the Jenkins xUnit
//! XSD, GitLab Code Quality, the check JSON), `--quiet`, colour
//! (`--color`, `NO_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE`), and adopting the
//! gate gradually: `--fail-on`, waivers in the spec, baselines.
//!
//! The validators: `tests/schemas/validate.py`, run by the Python named in
//! `STATEWISE_PYTHON` (with `jsonschema` and `xmlschema`; `.ci/run` makes
//! that environment and sets it). Without it the validation prints a
//! `SKIPPED` line on standard error, unless `CI` is set, where it fails.

use serde_json::Value;

use crate::util::{Folder, Output, repo, validate_report};

/// `gw` contradicts the advice (stateful chat decided stateless), `api`
/// agrees, `db` departs with a reason.
const SPEC: &str = "\
version: 1
system:
  name: Pipeline Demo
components:
  - name: gw               # advice: stateful
    kind: chat
    decision: stateless
  - name: api              # advice: stateless
    kind: rest-api
    traffic: unpredictable
  - name: db               # advice: stateful
    kind: database
    decision: stateless
    decision_reason: a managed store holds the data
";

/// `SPEC` with `gw`'s finding waived.
fn waived_spec(reason: &str) -> String {
    SPEC.replace(
        "    decision: stateless\n  - name: api",
        &format!(
            "    decision: stateless\n    waivers:\n      - rule: decision-contradicts-advice\n        reason: {reason}\n  - name: api"
        ),
    )
}

fn folder(spec: &str) -> Folder {
    let f = Folder::new();
    f.write("spec.yaml", spec);
    f
}

/// The text output's finding lines (all but the tally).
fn finding_lines(run: &Output) -> Vec<&str> {
    run.stdout
        .lines()
        .filter(|l| !l.starts_with("check passed") && !l.starts_with("check failed"))
        .collect()
}

fn json_file(folder: &Folder, file: &str) -> Value {
    serde_json::from_str(&folder.read(file)).expect("JSON")
}

// --- every report from one run ------------------------------------------------

#[test]
fn one_run_writes_every_report_and_prints_text() {
    let f = folder(SPEC);
    let run = f.run(&[
        "check",
        "spec.yaml",
        "--format",
        "sarif=out/check.sarif",
        "--format",
        "junit=out/junit.xml",
        "--format=gitlab=out/gl-code-quality.json",
        "-f",
        "markdown=out/summary.md",
        "--format",
        "json=out/check.json",
    ]);
    run.code(1);
    run.stdout_contains("error: spec.yaml:7: `gw`: decided stateless")
        .stdout_contains("check failed: 1 error, 0 warnings, 2 notes, 0 waived\n");
    for (kind, file) in [
        ("sarif", "out/check.sarif"),
        ("junit", "out/junit.xml"),
        ("gitlab", "out/gl-code-quality.json"),
        ("json", "out/check.json"),
    ] {
        validate_report(&f, "pipeline", kind, file);
    }
    // Only the reports asked for, and no temporary file left behind.
    assert_eq!(
        f.names("out"),
        [
            "check.json",
            "check.sarif",
            "gl-code-quality.json",
            "junit.xml",
            "summary.md"
        ]
    );
    let sarif = json_file(&f, "out/check.sarif");
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map(Vec::len),
        Some(3)
    );
    let gitlab = json_file(&f, "out/gl-code-quality.json");
    assert_eq!(gitlab[0]["check_name"], "decision-contradicts-advice");
    assert_eq!(gitlab[0]["severity"], "major");
    assert_eq!(gitlab[0]["location"]["path"], "spec.yaml");
    assert_eq!(gitlab[0]["location"]["lines"]["begin"], 7);
    let markdown = f.read("out/summary.md");
    assert!(
        markdown.starts_with("### statewise check failed: Pipeline Demo\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains(
            "| error (fails) | `decision-contradicts-advice` | gw | spec.yaml:7 | decided stateless"
        ),
        "{markdown}"
    );
    insta::assert_snapshot!("pipeline_markdown", markdown);
    insta::assert_snapshot!("pipeline_junit", f.read("out/junit.xml"));
}

#[test]
fn junit_has_a_test_case_per_component_and_per_record_check() {
    let f = folder(SPEC);
    f.run(&["check", "spec.yaml", "--format", "junit"]).code(1);
    let xml = f.run(&["check", "spec.yaml", "--format", "junit"]).stdout;
    let cases: Vec<&str> = xml
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<testcase name=\""))
        .filter_map(|l| l.split('"').next())
        .collect();
    assert_eq!(
        cases,
        [
            "gw",
            "api",
            "db",
            "a decision record exists",
            "the decision record was made from this spec"
        ]
    );
    assert!(xml.contains("tests=\"5\" failures=\"1\""), "{xml}");
    assert_eq!(xml.matches("<failure ").count(), 1, "{xml}");
    // `--fail-on note` fails the notes too: the reasoned departure and the
    // missing record.
    let strict = f.run(&[
        "check",
        "spec.yaml",
        "--format",
        "junit",
        "--fail-on",
        "note",
    ]);
    strict.code(1);
    assert!(
        strict.stdout.contains("failures=\"3\""),
        "{}",
        strict.stdout
    );
    f.write("strict.xml", &strict.stdout);
    validate_report(&f, "pipeline", "junit", "strict.xml");
}

#[test]
fn a_format_to_standard_output_replaces_the_text() {
    let f = folder(SPEC);
    let run = f.run(&[
        "check",
        "spec.yaml",
        "--format",
        "json",
        "--format",
        "sarif=s.sarif",
    ]);
    run.code(1);
    let doc = run.json();
    assert_eq!(doc["summary"]["errors"], 1);
    assert!(f.exists("s.sarif"));
    f.write("c.json", &run.stdout);
    validate_report(&f, "pipeline", "json", "c.json");
}

#[test]
fn two_reports_on_standard_output_or_in_one_file_are_usage_errors() {
    let f = folder(SPEC);
    f.run(&["check", "spec.yaml", "--format", "json", "--format", "text"])
        .fails()
        .stderr_contains("more than one `--format` writes to standard output");
    f.run(&[
        "check",
        "spec.yaml",
        "--format",
        "json=a",
        "--format",
        "sarif=a",
    ])
    .fails()
    .stderr_contains("`a` is named by two `--format`s");
    f.run(&["check", "spec.yaml", "--format", "xml=a"])
        .code(2)
        .stderr_contains(
            "unknown format `xml`; one of text, json, github, sarif, junit, gitlab, markdown",
        );
    f.run(&["check", "spec.yaml", "--format", "json="])
        .code(2)
        .stderr_contains("names no file");
    assert_eq!(f.names(""), ["spec.yaml"]);
}

#[test]
fn a_bad_spec_writes_no_report() {
    let f = folder("version: 1\nsystem: {name: S}\ncomponents: [{name: a, latncy_ms: 3}]\n");
    f.run(&[
        "check",
        "spec.yaml",
        "--format",
        "sarif=s.sarif",
        "--format",
        "junit=j.xml",
    ])
    .fails()
    .error_at("spec.yaml:3:24");
    assert_eq!(f.names(""), ["spec.yaml"]);
}

#[test]
fn a_report_that_cannot_be_written_is_exit_2() {
    let f = folder(SPEC);
    f.run(&["check", "spec.yaml", "--format", "sarif=spec.yaml/s.sarif"])
        .fails()
        .stderr_contains("could not create the folder `spec.yaml`");
}

#[test]
fn a_report_replaces_an_old_one_whole() {
    let f = folder(SPEC);
    f.write("s.sarif", "x".repeat(100_000));
    f.run(&["check", "spec.yaml", "--format", "sarif=s.sarif"])
        .code(1);
    let sarif = json_file(&f, "s.sarif");
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn quiet_prints_nothing_but_keeps_the_exit_code_and_the_files() {
    let f = folder(SPEC);
    f.run(&["check", "spec.yaml", "--quiet", "--format", "markdown=m.md"])
        .code(1)
        .stdout_empty()
        .stderr_empty();
    assert!(f.read("m.md").contains("statewise check failed"));
    f.run(&["-q", "check", "spec.yaml", "--fail-on", "never"])
        .success()
        .stdout_empty();
    f.run(&["check", "nope.yaml", "--quiet"])
        .fails()
        .stderr_contains("nope.yaml");
    f.run(&["analyze", "spec.yaml", "--quiet"])
        .success()
        .stdout_empty();
}

#[test]
fn analyze_rules_and_adr_list_write_several_formats() {
    let f = folder(SPEC);
    let run = f.run(&[
        "analyze",
        "spec.yaml",
        "--format",
        "json=a.json",
        "--format",
        "markdown=a.md",
    ]);
    run.success().stdout_contains("gw");
    assert_eq!(json_file(&f, "a.json")["system"]["name"], "Pipeline Demo");
    assert!(f.read("a.md").contains("gw"));
    f.run(&["rules", "list", "--format", "json=r.json"])
        .success();
    assert!(
        json_file(&f, "r.json")
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
    f.run(&["adr", "spec.yaml", "--date", "2025-03-01"])
        .success();
    f.run(&[
        "adr",
        "list",
        "--format",
        "json=l.json",
        "--format",
        "table",
    ])
    .success()
    .stdout_contains("State management for Pipeline Demo");
    assert_eq!(json_file(&f, "l.json")[0]["number"], 1);
}

// --- colour ------------------------------------------------------------------

const ESC: &str = "\u{1b}[";

fn check_colour(f: &Folder, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut t = f
        .test()
        .args(["check", "spec.yaml"])
        .args(args.iter().copied());
    if !env.iter().any(|(k, _)| *k == "NO_COLOR") {
        t = t.env_remove("NO_COLOR");
    }
    for (k, v) in env {
        t = t.env(k, v);
    }
    t.run()
}

#[test]
fn colour_follows_the_flag_then_no_color_then_clicolor_force_then_clicolor() {
    let f = folder(SPEC);
    let coloured = |o: &Output| o.stdout.contains(ESC);
    assert!(
        !coloured(&check_colour(&f, &[], &[])),
        "a pipe gets no colour"
    );
    assert!(coloured(&check_colour(
        &f,
        &["--color", "always"],
        &[("NO_COLOR", "1")]
    )));
    assert!(!coloured(&check_colour(
        &f,
        &["--color=never"],
        &[("CLICOLOR_FORCE", "1")]
    )));
    assert!(coloured(&check_colour(&f, &[], &[("CLICOLOR_FORCE", "1")])));
    assert!(!coloured(&check_colour(
        &f,
        &[],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    )));
    assert!(!coloured(&check_colour(
        &f,
        &[],
        &[("CLICOLOR_FORCE", "0")]
    )));
    assert!(coloured(&check_colour(
        &f,
        &[],
        &[("CLICOLOR_FORCE", "1"), ("CLICOLOR", "0")]
    )));
    let run = check_colour(&f, &["--color", "always"], &[]);
    assert!(
        run.stdout
            .starts_with("\u{1b}[1;31merror\u{1b}[0m: spec.yaml:7:"),
        "{}",
        run.stdout
    );
    // A file never gets colour, whatever the flag.
    check_colour(&f, &["--color", "always", "--format", "text=t.txt"], &[]);
    assert!(!f.read("t.txt").contains(ESC));
    // Every command takes the flag.
    let table = f
        .test()
        .args(["analyze", "spec.yaml", "--color", "always"])
        .run();
    assert!(table.stdout.contains(ESC), "{}", table.stdout);
    f.run(&["rules", "list", "--color", "never"])
        .success()
        .stdout_lacks(ESC);
    f.run(&["--color", "sometimes", "schema"]).code(2);
}

// --- fail-on -------------------------------------------------------------------

#[test]
fn fail_on_sets_the_least_severity_that_fails() {
    let f = folder(SPEC);
    f.run(&["check", "spec.yaml", "--fail-on", "error"]).code(1);
    f.run(&["check", "spec.yaml", "--fail-on", "never"])
        .code(0)
        .stdout_contains("check passed: 1 error, 0 warnings, 2 notes, 0 waived");
    let clean = folder(&SPEC.replace(
        "decision: stateless\n  - name: api",
        "decision: stateful\n  - name: api",
    ));
    clean.run(&["check", "spec.yaml"]).code(0);
    clean
        .run(&["check", "spec.yaml", "--fail-on", "warning"])
        .code(0);
    clean
        .run(&["check", "spec.yaml", "--fail-on", "note"])
        .code(1);
}

// --- waivers -------------------------------------------------------------------

#[test]
fn a_waiver_sets_its_finding_aside_and_is_counted() {
    let f = folder(&waived_spec("the gateway moves to sticky sessions in Q3"));
    let run = f.run(&["check", "spec.yaml"]);
    run.success()
        .stdout_lacks("`gw`")
        .stdout_contains("check passed: 0 errors, 0 warnings, 2 notes, 1 waived\n");
    let json = f.run(&["check", "spec.yaml", "--format", "json"]).json();
    assert_eq!(json["summary"]["waived"], 1);
    assert_eq!(json["suppressed"][0]["component"], "gw");
    assert_eq!(json["suppressed"][0]["suppressed"]["kind"], "waived");
    assert_eq!(
        json["suppressed"][0]["suppressed"]["reason"],
        "the gateway moves to sticky sessions in Q3"
    );
    f.run(&[
        "check",
        "spec.yaml",
        "--format",
        "sarif=s.sarif",
        "--format",
        "json=c.json",
        "--format",
        "junit=j.xml",
    ])
    .success();
    let sarif = json_file(&f, "s.sarif");
    assert_eq!(
        sarif["runs"][0]["results"][0]["suppressions"][0]["kind"],
        "inSource"
    );
    validate_report(&f, "pipeline", "sarif", "s.sarif");
    validate_report(&f, "pipeline", "json", "c.json");
    validate_report(&f, "pipeline", "junit", "j.xml");
    // Switched off, the finding counts again.
    f.run(&["check", "spec.yaml", "--no-waivers"])
        .code(1)
        .stdout_contains("error: spec.yaml:7: `gw`");
}

#[test]
fn a_waiver_is_no_change_to_the_recorded_spec() {
    let f = folder(SPEC);
    f.run(&["adr", "spec.yaml", "--date", "2025-03-01"])
        .success();
    f.write("spec.yaml", waived_spec("moving in Q3"));
    f.run(&["check", "spec.yaml"])
        .success()
        .stdout_lacks("spec changed");
}

#[test]
fn a_waiver_without_a_reason_is_exit_2_at_its_place() {
    let blank = folder(&waived_spec("\"  \""));
    blank
        .run(&["check", "spec.yaml"])
        .fails()
        .error_at("spec.yaml:10:17")
        .stderr_contains("a waiver's `reason` cannot be blank");
    let empty = folder(&waived_spec(""));
    empty
        .run(&["check", "spec.yaml"])
        .fails()
        .error_at("spec.yaml:10:16");
    let missing = folder(&SPEC.replace(
        "    decision: stateless\n  - name: api",
        "    decision: stateless\n    waivers:\n      - rule: decision-contradicts-advice\n  - name: api",
    ));
    missing
        .run(&["check", "spec.yaml"])
        .fails()
        .stderr_contains("missing field `reason`")
        .stderr_contains("spec.yaml:9:");
    let bad_rule = folder(&waived_spec("x").replace(
        "rule: decision-contradicts-advice",
        "rule: Decision Contradicts",
    ));
    bad_rule
        .run(&["check", "spec.yaml"])
        .fails()
        .error_at("spec.yaml:9:15")
        .stderr_contains("is not a check rule id");
    let unknown_key = folder(&waived_spec("x").replace(
        "        reason: x",
        "        reason: x\n        until: 2026",
    ));
    unknown_key
        .run(&["analyze", "spec.yaml"])
        .fails()
        .stderr_contains("until");
}

#[test]
fn a_waiver_that_matches_nothing_is_flagged() {
    let f = folder(&waived_spec("x").replace(
        "rule: decision-contradicts-advice",
        "rule: decision-contradicts-advise",
    ));
    f.run(&["check", "spec.yaml"]).code(1).stdout_contains(
        "note: spec.yaml: `gw`: the waiver of `decision-contradicts-advise` sets no finding aside; remove it, or correct the rule id\n",
    );
    let json = f.run(&["check", "spec.yaml", "--format", "json"]).json();
    assert_eq!(
        json["unused_waivers"][0]["rule"],
        "decision-contradicts-advise"
    );
}

// --- baselines -------------------------------------------------------------------

#[test]
fn a_baseline_accepts_todays_findings_and_reports_only_new_ones() {
    let f = folder(SPEC);
    f.run(&["check", "spec.yaml", "--create-baseline", "baseline.json"])
        .success()
        .stdout_contains("check passed: 0 errors, 0 warnings, 0 notes, 0 waived, 3 baselined\n");
    let baseline = json_file(&f, "baseline.json");
    assert_eq!(baseline["statewise_baseline"], 1);
    assert_eq!(baseline["findings"].as_array().map(Vec::len), Some(3));
    assert!(
        !f.read("baseline.json").contains("\"line\""),
        "fingerprints hold no line"
    );
    validate_report(&f, "pipeline", "baseline", "baseline.json");
    f.run(&["check", "spec.yaml", "--baseline", "baseline.json"])
        .success();
    // Moving every line (a comment on top) changes no fingerprint.
    f.write("spec.yaml", format!("# moved\n# down\n{SPEC}"));
    f.run(&["check", "spec.yaml", "--baseline", "baseline.json"])
        .success()
        .stdout_contains("3 baselined");
    // A new contradiction is reported; the old one stays accepted.
    let worse = SPEC.replace(
        "    traffic: unpredictable\n",
        "    traffic: unpredictable\n    decision: stateful\n",
    );
    f.write("spec.yaml", &worse);
    let run = f.run(&[
        "check",
        "spec.yaml",
        "--baseline",
        "baseline.json",
        "--format",
        "sarif=s.sarif",
    ]);
    run.code(1);
    assert_eq!(
        finding_lines(&run),
        [
            "error: spec.yaml:11: `api`: decided stateful but the advice is stateless (confidence 0.77); follow the advice or add `decision_reason` saying why (`statewise explain spec.yaml api` shows the reasons)"
        ]
    );
    validate_report(&f, "pipeline", "sarif", "s.sarif");
    // Fixing a baselined finding makes its entry stale.
    let fixed = SPEC.replace(
        "decision: stateless\n  - name: api",
        "decision: stateful\n  - name: api",
    );
    f.write("spec.yaml", fixed);
    f.run(&["check", "spec.yaml", "--baseline", "baseline.json"])
        .success()
        .stdout_contains("note: baseline.json: `gw`: stale baseline entry: `decision-contradicts-advice` matches no finding any more");
    let json = f
        .run(&[
            "check",
            "spec.yaml",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ])
        .json();
    assert_eq!(json["stale_baseline"][0]["component"], "gw");
}

#[test]
fn gitlab_fingerprints_are_stable_and_distinct() {
    let f = folder(SPEC);
    let first = f.run(&["check", "spec.yaml", "--format", "gitlab"]).json();
    f.write("spec.yaml", format!("# a comment moves every line\n{SPEC}"));
    let moved = f.run(&["check", "spec.yaml", "--format", "gitlab"]).json();
    let prints = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("array")
            .iter()
            .map(|i| i["fingerprint"].as_str().expect("fingerprint").to_owned())
            .collect()
    };
    assert_eq!(prints(&first), prints(&moved));
    assert_ne!(
        first[0]["location"]["lines"]["begin"],
        moved[0]["location"]["lines"]["begin"]
    );
    let mut unique = prints(&first);
    unique.dedup();
    assert_eq!(unique.len(), 3);
}

#[test]
fn bad_baselines_are_exit_2_at_their_place() {
    let f = folder(SPEC);
    f.write(
        "b.json",
        "{\n  \"statewise_baseline\": 1,\n  \"findings\": [\n    {\"fingerprint\": 3}\n  ]\n}\n",
    );
    f.run(&["check", "spec.yaml", "--baseline", "b.json"])
        .fails()
        .error_at("b.json:4:21");
    let big = format!(
        "{{\"statewise_baseline\": 1, \"findings\": []}}{}",
        " ".repeat(16 * 1024 * 1024)
    );
    f.write("big.json", big);
    f.run(&["check", "spec.yaml", "--baseline", "big.json"])
        .fails()
        .stderr_contains("big.json: file is larger than 16 MiB");
    f.run(&["check", "spec.yaml", "--baseline", "none.json"])
        .fails()
        .stderr_contains("none.json");
    f.run(&[
        "check",
        "spec.yaml",
        "--baseline",
        "b.json",
        "--create-baseline",
        "c.json",
    ])
    .code(2);
}

// --- the CI examples, as the README shows them ---------------------------------

/// A folder with `statewise.yaml` (`SPEC` with `gw` following the advice)
/// and its decision record: a check of it passes.
fn recorded_project() -> Folder {
    let f = folder("");
    f.write(
        "statewise.yaml",
        SPEC.replace(
            "decision: stateless\n  - name: api",
            "decision: stateful\n  - name: api",
        ),
    );
    f.run(&["adr", "statewise.yaml", "--date", "2025-03-01"])
        .success();
    f
}

/// `PATH` with the statewise under test first.
fn path_with_statewise() -> String {
    let dir = crate::util::bin()
        .parent()
        .expect("bin dir")
        .display()
        .to_string();
    format!("{dir}:{}", std::env::var("PATH").unwrap_or_default())
}

/// Runs `script` with bash in `f`, statewise on `PATH`, and `env`.
fn bash(f: &Folder, script: &str, env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = std::process::Command::new("bash");
    cmd.arg("-c")
        .arg(script)
        .current_dir(f.root())
        .env_clear()
        .env("PATH", path_with_statewise())
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run bash")
}

fn yaml(file: &str) -> serde_yaml::Value {
    serde_yaml::from_str(&std::fs::read_to_string(repo().join(file)).expect("read")).expect("YAML")
}

/// The `statewise` commands of a list of shell lines.
fn statewise_lines(lines: &serde_yaml::Value) -> Vec<String> {
    lines
        .as_sequence()
        .expect("a list")
        .iter()
        .filter_map(|l| l.as_str().or_else(|| l.get("run").and_then(|r| r.as_str())))
        .filter(|l| l.trim_start().starts_with("statewise "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_readme_shows_each_ci_example_as_it_is() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README");
    for file in [
        "examples/ci/github-actions.yml",
        "examples/ci/github-actions-cargo.yml",
        "examples/ci/gitlab-ci.yml",
        "examples/ci/pre-commit-config.yaml",
    ] {
        let text = std::fs::read_to_string(repo().join(file)).expect("example");
        assert!(
            readme.contains(&format!("```yaml\n{text}```\n")),
            "README.md does not show {file} as it is"
        );
    }
}

#[test]
fn the_ci_examples_commands_run_as_written() {
    let gitlab = statewise_lines(&yaml("examples/ci/gitlab-ci.yml")["statewise"]["script"]);
    let github =
        statewise_lines(&yaml("examples/ci/github-actions-cargo.yml")["jobs"]["check"]["steps"]);
    assert_eq!((gitlab.len(), github.len()), (1, 1));
    for command in gitlab.iter().chain(&github) {
        let f = recorded_project();
        let out = bash(&f, command, &[]);
        assert!(
            out.status.success(),
            "`{command}` failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for (kind, file) in [
            ("gitlab", "gl-code-quality.json"),
            ("junit", "statewise-junit.xml"),
            ("json", "statewise-check.json"),
            ("sarif", "statewise.sarif"),
        ] {
            if command.contains(file) {
                validate_report(&f, "pipeline", kind, file);
            }
        }
        if command.contains("statewise-summary.md") {
            assert!(
                f.read("statewise-summary.md")
                    .contains("statewise check passed")
            );
        }
    }
}

#[test]
fn the_actions_check_step_writes_every_report_and_keeps_the_exit_code() {
    let action = yaml("action.yml");
    let step = action["runs"]["steps"]
        .as_sequence()
        .expect("steps")
        .iter()
        .find(|s| s["id"].as_str() == Some("check"))
        .expect("the check step");
    let script = step["run"].as_str().expect("a script");
    for (spec, code) in [(SPEC, "1"), ("", "0")] {
        let f = if spec.is_empty() {
            recorded_project()
        } else {
            let f = folder("");
            f.write("statewise.yaml", spec);
            f
        };
        f.write("out/github_output", "");
        let temp = f.path("tmp");
        std::fs::create_dir_all(&temp).expect("runner temp");
        let out = bash(
            &f,
            &format!("set -eo pipefail\n{script}"),
            &[
                ("SPEC", "statewise.yaml"),
                ("FAIL_ON", "error"),
                ("ARGS", "--require-adr --format json=check.json"),
                ("RUNNER_TEMP", temp.to_str().expect("UTF-8 path")),
                (
                    "GITHUB_OUTPUT",
                    f.path("out/github_output").to_str().expect("UTF-8"),
                ),
            ],
        );
        assert!(
            out.status.success(),
            "the step failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let outputs = f.read("out/github_output");
        assert!(
            outputs.contains(&format!("exit-code={code}\n")),
            "{outputs}"
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        if code == "1" {
            assert!(
                stdout.contains("::error file=statewise.yaml,line=7"),
                "{stdout}"
            );
        }
        validate_report(&f, "pipeline", "sarif", "tmp/statewise.sarif");
        validate_report(&f, "pipeline", "json", "check.json");
        assert!(
            f.read("tmp/statewise-summary.md")
                .starts_with("### statewise check")
        );
    }
}
