//! `init`, `schema`, `completions`, `--help`, `--version`, usage errors,
//! and how the output behaves in pipes and on a full disk.

use crate::util::Test;

#[test]
fn init_writes_a_spec_that_analyze_accepts() {
    let out = Test::new().args(["init", "spec.yaml"]).run();
    out.success().stdout_contains("spec.yaml");
    let written = out.folder.read("spec.yaml");
    assert!(written.contains("version: 1"), "{written}");
    assert!(written.contains("# "), "the starter spec is commented");
    let analyzed = Test::new()
        .file("spec.yaml", &written)
        .args(["analyze", "spec.yaml", "--format", "json"])
        .run();
    analyzed.success();
    let json = analyzed.json();
    assert!(
        !json["components"]
            .as_array()
            .expect("components")
            .is_empty()
    );
}

#[test]
fn init_defaults_to_statewise_yaml_which_analyze_reads() {
    let out = Test::new().arg("init").run();
    out.success();
    let written = out.folder.read("statewise.yaml");
    Test::new()
        .file("statewise.yaml", written)
        .arg("analyze")
        .run()
        .success();
}

#[test]
fn init_refuses_to_overwrite() {
    let original = "my own notes\n";
    let out = Test::new()
        .file("spec.yaml", original)
        .args(["init", "spec.yaml"])
        .run();
    out.fails().stderr_contains("spec.yaml");
    assert_eq!(
        out.folder.read("spec.yaml"),
        original,
        "the file was changed"
    );
}

#[test]
fn init_into_a_missing_folder_fails_cleanly() {
    let out = Test::new().args(["init", "no/such/dir/spec.yaml"]).run();
    out.fails();
    assert!(!out.folder.exists("no"));
}

#[test]
fn init_output_is_deterministic() {
    let a = Test::new().arg("init").run();
    let b = Test::new().arg("init").run();
    assert_eq!(
        a.folder.read("statewise.yaml"),
        b.folder.read("statewise.yaml")
    );
}

#[test]
fn schema_is_json_naming_every_spec_field() {
    let out = Test::new().arg("schema").run();
    out.success();
    let schema = out.json();
    assert!(schema["$schema"].as_str().is_some(), "no $schema");
    let top = &schema["properties"];
    for field in ["version", "system", "components"] {
        assert!(top.get(field).is_some(), "schema lacks `{field}`");
    }
    let system = &top["system"]["properties"];
    for field in [
        "name",
        "description",
        "decision_makers",
        "consulted",
        "informed",
    ] {
        assert!(system.get(field).is_some(), "schema lacks system.{field}");
    }
    let component = &top["components"]["items"]["properties"];
    for field in [
        "name",
        "description",
        "kind",
        "realtime",
        "traffic",
        "latency_ms",
        "context_rebuild_ms",
        "concurrent_clients",
        "state_kb_per_client",
        "memory_budget_mb",
        "session",
        "shared_state",
        "transactions",
        "availability",
        "request_context_kb",
        "decision",
        "decision_reason",
    ] {
        assert!(
            component.get(field).is_some(),
            "schema lacks components[].{field}"
        );
    }
    let required: Vec<&str> = schema["required"]
        .as_array()
        .expect("required")
        .iter()
        .map(|v| v.as_str().expect("string"))
        .collect();
    for field in ["version", "system", "components"] {
        assert!(required.contains(&field), "`{field}` not required");
    }
    assert_eq!(
        top["components"]["items"]["additionalProperties"], false,
        "unknown component fields must be refused"
    );
    let kinds: Vec<&str> = component["kind"]["enum"]
        .as_array()
        .expect("kind enum")
        .iter()
        .filter_map(|k| k.as_str())
        .collect();
    assert_eq!(kinds.len(), 27, "the 19 kinds of 0.1 and the 8 of 0.2");
    // The kinds the contract's section 8 adds.
    for k in [
        "stream-processor",
        "media-server",
        "rate-limiter",
        "presence",
        "grpc-api",
        "gateway",
        "search-index",
        "object-store",
    ] {
        assert!(kinds.contains(&k), "`{k}` missing from {kinds:?}");
    }
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = Test::new().args(["completions", shell]).run();
        out.success().stdout_contains("analyze");
        assert!(
            out.stdout.len() > 200,
            "{shell}: {} bytes",
            out.stdout.len()
        );
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    Test::new()
        .args(["completions", "tcsh"])
        .run()
        .code(2)
        .stdout_empty()
        .stderr_contains("tcsh");
}

#[test]
fn help_and_version_exit_0() {
    Test::new()
        .arg("--help")
        .run()
        .success()
        .stdout_contains("analyze")
        .stdout_contains("rules");
    Test::new()
        .args(["analyze", "--help"])
        .run()
        .success()
        .stdout_contains("--format");
    Test::new()
        .arg("--version")
        .run()
        .success()
        .stdout_contains(&format!("statewise {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn an_unknown_subcommand_exits_2() {
    Test::new()
        .arg("frobnicate")
        .run()
        .code(2)
        .stdout_empty()
        .stderr_contains("frobnicate");
}

#[test]
fn no_subcommand_exits_2() {
    Test::new().run().code(2).stdout_empty();
}

/// A spec with 2,000 components, large enough that the table does not fit
/// in a pipe buffer.
fn big_spec() -> String {
    let kinds = ["chat", "rest-api", "database", "serverless-function"];
    let mut text = String::from("version: 1\nsystem:\n  name: Big\ncomponents:\n");
    for i in 0..2000 {
        text.push_str(&format!(
            "  - name: c{i}\n    kind: {}\n",
            kinds[i % kinds.len()]
        ));
    }
    text
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    for format in ["table", "json", "markdown"] {
        let out = Test::shell(&format!(
            r#"{{ "$STATEWISE" analyze big.yaml --format {format} 2>err.txt; echo $? > code.txt; }} | head -1"#
        ))
        .file("big.yaml", big_spec())
        .run();
        out.success();
        assert_eq!(out.stdout.lines().count(), 1, "{format}: {}", out.stdout);
        assert_eq!(
            out.folder.read("code.txt").trim(),
            "0",
            "{format}: exit code"
        );
        assert_eq!(out.folder.read("err.txt"), "", "{format}: stderr");
    }
}

#[test]
fn the_big_spec_is_analysed_in_full() {
    let out = Test::new()
        .file("big.yaml", big_spec())
        .args(["analyze", "big.yaml", "--format", "json"])
        .run();
    out.success();
    assert!(
        out.stdout_bytes.len() > 128 * 1024,
        "output is too small to test the pipe"
    );
    assert_eq!(
        out.json()["components"].as_array().map(Vec::len),
        Some(2000)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_error() {
    let out = Test::shell(r#""$STATEWISE" analyze spec.yaml > /dev/full"#)
        .file("spec.yaml", big_spec())
        .run();
    out.code(2)
        .stderr_contains("error: ")
        .stderr_contains("standard output");
}

#[test]
fn init_never_writes_a_file_named_dash() {
    // For `analyze`, `-` is standard input; `init -` must not create a file
    // that `analyze -` could never read. Printing to stdout or refusing
    // are both fine.
    let out = Test::new().args(["init", "-"]).run();
    assert!(
        !out.folder.exists("-"),
        "`init -` wrote a file named `-`:\n{}",
        out.stdout
    );
    match out.code {
        Some(0) => {
            out.stdout_contains("version: 1");
        }
        _ => {
            out.fails();
        }
    }
}

#[test]
fn init_onto_a_directory_fails() {
    Test::new()
        .dir("specs")
        .args(["init", "specs"])
        .run()
        .fails()
        .stderr_contains("specs");
}
