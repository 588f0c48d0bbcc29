//! Every class of invalid input: exit code 2, nothing on standard output, a
//! message on standard error naming `file:line:column` where there is one.
//! The snapshot of each message is its spec.

use std::time::Duration;

use crate::util::{HEAD, Output, Test};

/// Where an error must point.
enum At {
    /// `t.yaml:LINE:COLUMN`, exactly.
    Exactly(&'static str),
    /// Some line and column of `t.yaml`.
    SomeLine,
    /// Just the file: the error is about the file as a whole.
    File,
}

/// Runs `analyze t.yaml` on `contents` and checks the failure's shape and
/// location; the message itself is snapshotted as `error__NAME`.
#[track_caller]
fn spec_error(name: &str, contents: impl AsRef<[u8]>, at: At) -> Output {
    let out = Test::new()
        .file("t.yaml", contents)
        .args(["analyze", "t.yaml"])
        .timeout(Duration::from_secs(30))
        .run();
    out.fails();
    match at {
        At::Exactly(place) => {
            out.error_at(&format!("t.yaml:{place}"));
        }
        At::SomeLine => {
            let rest = out
                .stderr
                .strip_prefix("error: t.yaml:")
                .unwrap_or_default();
            let mut parts = rest.splitn(3, ':');
            let numbers = (parts.next(), parts.next());
            assert!(
                matches!(numbers, (Some(l), Some(c)) if l.parse::<usize>().is_ok() && c.parse::<usize>().is_ok()),
                "no line:column in {:?}",
                out.stderr
            );
        }
        At::File => {
            out.error_at("t.yaml");
        }
    }
    insta::assert_snapshot!(format!("error__{name}"), out.stderr);
    out
}

/// One component `a` with one extra line.
fn component(line: &str) -> String {
    format!("{HEAD}  - name: a\n    {line}\n")
}

#[test]
fn unknown_field_suggests_the_nearest() {
    spec_error(
        "unknown_field",
        component("latncy_ms: 20"),
        At::Exactly("6:5"),
    )
    .stderr_contains("unknown field `latncy_ms`, did you mean `latency_ms`?");
}

#[test]
fn unknown_enum_value_suggests_the_nearest_and_lists_the_values() {
    spec_error(
        "unknown_enum_value",
        component("realtime: bidirectionl"),
        At::Exactly("6:15"),
    )
    .stderr_contains("did you mean `bidirectional`?")
    .stderr_contains("none, server-push, bidirectional");
}

#[test]
fn negative_latency_is_out_of_range() {
    spec_error(
        "latency_negative",
        component("latency_ms: -5"),
        At::Exactly("6:17"),
    )
    .stderr_contains("components[0].latency_ms");
}

#[test]
fn availability_as_a_fraction_quotes_the_value_and_suggests_the_percentage() {
    for (written, percent) in [("0.9999", "99.99"), ("0.999", "99.9"), ("0.95", "95")] {
        Test::new()
            .file("s.yaml", component(&format!("availability: {written}")))
            .args(["analyze", "s.yaml"])
            .run()
            .code(2)
            .error_at("s.yaml:6:19")
            .stderr_contains(&format!(
                "{written} is out of range, expected a percentage from 90 up to (not including) 100; a fraction? write it as a percentage: `availability: {percent}`"
            ));
    }
    // No hint where the percentage would be out of range too.
    let out = Test::new()
        .file("s.yaml", component("availability: 0.5"))
        .args(["analyze", "s.yaml"])
        .run();
    out.code(2).stderr_contains("0.5 is out of range");
    assert!(!out.stderr.contains("fraction"), "{}", out.stderr);
}

#[test]
fn availability_of_100_is_out_of_range() {
    spec_error(
        "availability_100",
        component("availability: 100"),
        At::Exactly("6:19"),
    )
    .stderr_contains("components[0].availability");
}

#[test]
fn zero_concurrent_clients_is_out_of_range() {
    spec_error(
        "concurrent_clients_zero",
        component("concurrent_clients: 0"),
        At::Exactly("6:25"),
    );
}

#[test]
fn fractional_concurrent_clients_is_rejected() {
    spec_error(
        "concurrent_clients_fraction",
        component("concurrent_clients: 1.5"),
        At::Exactly("6:25"),
    )
    .stderr_contains("whole number");
}

#[test]
fn nan_is_rejected() {
    spec_error(
        "latency_nan",
        component("latency_ms: .nan"),
        At::Exactly("6:17"),
    );
}

#[test]
fn infinity_is_rejected() {
    spec_error(
        "latency_inf",
        component("latency_ms: .inf"),
        At::Exactly("6:17"),
    );
}

#[test]
fn version_2_is_unsupported() {
    spec_error(
        "version_2",
        "version: 2\nsystem:\n  name: S\ncomponents:\n  - name: a\n",
        At::Exactly("1:10"),
    )
    .stderr_contains("version: 1");
}

#[test]
fn missing_version_is_reported() {
    spec_error(
        "missing_version",
        "system:\n  name: S\ncomponents:\n  - name: a\n",
        At::Exactly("1:1"),
    )
    .stderr_contains("missing field `version`");
}

#[test]
fn missing_system_name_is_reported() {
    spec_error(
        "missing_system_name",
        "version: 1\nsystem:\n  description: x\ncomponents:\n  - name: a\n",
        At::Exactly("3:3"),
    )
    .stderr_contains("missing field `name`")
    .stderr_contains("`system`");
}

#[test]
fn missing_component_name_is_reported() {
    spec_error(
        "missing_component_name",
        format!("{HEAD}  - kind: chat\n"),
        At::Exactly("5:5"),
    )
    .stderr_contains("missing field `name`")
    .stderr_contains("components[0]");
}

#[test]
fn empty_components_list_is_rejected() {
    spec_error(
        "components_empty",
        "version: 1\nsystem:\n  name: S\ncomponents: []\n",
        At::Exactly("4:13"),
    );
}

#[test]
fn names_differing_only_in_case_are_duplicates() {
    spec_error(
        "duplicate_names_case",
        format!("{HEAD}  - name: Api\n  - name: api\n"),
        At::Exactly("6:11"),
    )
    .stderr_contains("components[1].name");
}

#[test]
fn a_65_character_name_is_too_long() {
    spec_error(
        "name_65_chars",
        format!("{HEAD}  - name: {}\n", "a".repeat(65)),
        At::Exactly("5:11"),
    )
    .stderr_contains("65");
}

#[test]
fn a_65_multibyte_character_name_is_too_long() {
    // 65 characters, 130 bytes: the limit counts characters.
    let out = Test::new()
        .file("t.yaml", format!("{HEAD}  - name: {}\n", "é".repeat(65)))
        .args(["analyze", "t.yaml"])
        .run();
    out.fails().error_at("t.yaml:5:11").stderr_contains("65");
}

#[test]
fn a_top_level_list_is_not_a_spec() {
    spec_error("not_a_mapping", "- a\n- b\n", At::Exactly("1:1"));
}

#[test]
fn tab_indentation_is_explained() {
    spec_error(
        "tab_indentation",
        "version: 1\nsystem:\n\tname: S\ncomponents:\n  - name: a\n",
        At::Exactly("3:1"),
    )
    .stderr_contains("tab");
}

#[test]
fn a_key_repeated_in_one_mapping_is_rejected() {
    spec_error(
        "duplicate_key",
        format!("{HEAD}  - name: a\n    kind: chat\n    kind: cache\n"),
        At::Exactly("7:5"),
    )
    .stderr_contains("duplicate field `kind`");
}

#[test]
fn several_documents_in_one_file_are_rejected() {
    spec_error(
        "multi_document",
        format!("{HEAD}  - name: a\n---\nversion: 1\n"),
        At::Exactly("6:1"),
    )
    .stderr_contains("more than one YAML document");
}

#[test]
fn an_empty_file_is_rejected() {
    spec_error("empty_file", "", At::File).stderr_contains("empty");
}

#[test]
fn a_comment_only_file_is_rejected() {
    spec_error("comment_only", "# just a comment\n\n# another\n", At::File)
        .stderr_contains("empty");
}

#[test]
fn non_utf8_bytes_are_located() {
    spec_error(
        "non_utf8",
        b"version: 1\nsystem:\n  name: S\xff\ncomponents:\n  - name: a\n".as_slice(),
        At::Exactly("3:10"),
    )
    .stderr_contains("UTF-8");
}

/// A valid spec padded with a comment to one byte over 16 MiB.
fn oversized() -> Vec<u8> {
    let mut bytes = format!("{HEAD}  - name: a\n#").into_bytes();
    bytes.resize(16 * 1024 * 1024, b'x');
    bytes.extend_from_slice(b"\n");
    assert_eq!(bytes.len(), 16 * 1024 * 1024 + 1);
    bytes
}

#[test]
fn a_file_over_16_mib_is_rejected_quickly() {
    let out = spec_error("over_16_mib", oversized(), At::File);
    out.stderr_contains("16 MiB");
    assert!(out.elapsed < Duration::from_secs(5), "{:?}", out.elapsed);
}

#[test]
fn a_file_of_exactly_16_mib_is_read() {
    let mut bytes = oversized();
    bytes.truncate(16 * 1024 * 1024 - 1);
    bytes.push(b'\n');
    Test::new()
        .file("t.yaml", bytes)
        .args(["analyze", "t.yaml", "--format", "json"])
        .run()
        .success();
}

#[test]
fn the_size_limit_message_tells_no_false_size() {
    // The reader stops one byte past the limit; the message must not pass
    // that count off as the file's size.
    let mut bytes = oversized();
    bytes.extend(std::iter::repeat_n(b'#', 1000));
    let out = Test::new()
        .file("t.yaml", &bytes)
        .args(["analyze", "t.yaml"])
        .run();
    out.fails().error_at("t.yaml").stderr_contains("16 MiB");
    assert!(
        !out.stderr.contains(&(16 * 1024 * 1024 + 1).to_string()),
        "stderr claims a size the file ({} bytes) does not have:\n{}",
        bytes.len(),
        out.stderr
    );
}

#[test]
fn an_alias_bomb_is_rejected_quickly() {
    // "Billion laughs" in its classic form: each level repeats the one
    // before nine times, 9^9 strings once expanded.
    let mut text = format!("a: &a [{}]\n", ["lol"; 9].join(", "));
    let levels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    for pair in levels.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(", ");
        text.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    text.push_str(HEAD);
    text.push_str("  - name: a\n    description: *i\n");
    let out = spec_error("alias_bomb", text, At::Exactly("1:1"));
    assert!(out.elapsed < Duration::from_secs(5), "{:?}", out.elapsed);
}

#[test]
fn an_alias_bomb_in_a_list_of_strings_is_rejected_quickly() {
    // The bomb sits where a list is allowed, so the parser has to look at it.
    let mut text = String::from("version: 1\nsystem:\n  name: S\n  decision_makers: &a [");
    text.push_str(&["lol"; 9].join(", "));
    text.push_str("]\n  consulted: &b [");
    text.push_str(&["*a"; 9].join(", "));
    text.push_str("]\n  informed: [");
    text.push_str(&["*b"; 9].join(", "));
    text.push_str("]\ncomponents:\n  - name: a\n");
    let out = spec_error("alias_bomb_in_list", text, At::SomeLine);
    assert!(out.elapsed < Duration::from_secs(5), "{:?}", out.elapsed);
}

/// `[[[...]]]`, `depth` levels deep.
fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn nesting_10000_levels_deep_is_rejected() {
    let out = spec_error(
        "nesting_10000",
        format!("{HEAD}  - name: a\n    description: {}\n", nested(10_000)),
        At::Exactly("6:82"),
    );
    assert!(out.elapsed < Duration::from_secs(15), "{:?}", out.elapsed);
}

#[test]
fn nesting_10000_levels_deep_at_the_top_is_rejected() {
    let out = spec_error(
        "nesting_10000_top",
        format!("{}\n", nested(10_000)),
        At::Exactly("1:65"),
    );
    assert!(out.elapsed < Duration::from_secs(15), "{:?}", out.elapsed);
}

#[test]
fn deep_nesting_is_rejected_in_bounded_time() {
    // libyaml's scanner is quadratic in flow depth inside a block mapping:
    // without a depth check, 40,000 levels (80 KB) took ~4 s in release and
    // ~22 s in debug, 80,000 levels ~29 s in release.
    for (label, tail) in [("closed", "]".repeat(40_000)), ("unclosed", String::new())] {
        let out = Test::new()
            .file(
                "t.yaml",
                format!(
                    "{HEAD}  - name: a\n    description: {}{tail}\n",
                    "[".repeat(40_000)
                ),
            )
            .args(["analyze", "t.yaml"])
            .timeout(Duration::from_secs(60))
            .run();
        out.fails().error_at("t.yaml:6:82");
        assert!(
            out.elapsed < Duration::from_secs(3),
            "{label}: an 80 KB file took {:?}",
            out.elapsed
        );
    }
}

#[test]
fn a_missing_spec_file_is_named() {
    let out = Test::new().args(["analyze", "missing.yaml"]).run();
    out.fails()
        .stderr_contains("missing.yaml")
        .stderr_contains("statewise init missing.yaml");
    insta::assert_snapshot!("error__missing_file", out.stderr);
}

#[test]
fn a_directory_is_not_a_spec() {
    let out = Test::new().dir("specs").args(["analyze", "specs"]).run();
    out.fails().stderr_contains("`specs` is a directory");
    insta::assert_snapshot!("error__directory", out.stderr);
}

#[test]
fn errors_in_standard_input_name_stdin() {
    let out = Test::new()
        .args(["analyze", "-"])
        .stdin("version: 1\nsystem: {name: S}\ncomponents: [{name: a, latncy_ms: 3}]\n")
        .run();
    out.fails().error_at("<stdin>:3:24");
    insta::assert_snapshot!("error__stdin", out.stderr);
}

#[test]
fn empty_standard_input_is_an_empty_spec() {
    Test::new()
        .args(["analyze", "-"])
        .run()
        .fails()
        .error_at("<stdin>")
        .stderr_contains("empty");
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    Test::new()
        .file("t.yaml", component("kind: chat"))
        .args(["analyze", "t.yaml", "--format", "xml"])
        .run()
        .code(2)
        .stdout_empty()
        .stderr_contains("xml");
}

#[test]
fn errors_are_plain_text_without_colour() {
    let out = Test::new()
        .file("t.yaml", component("latncy_ms: 20"))
        .args(["analyze", "t.yaml"])
        .run();
    out.fails();
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
}

#[test]
fn a_quoted_version_is_a_type_error() {
    spec_error(
        "version_string",
        "version: \"1\"\nsystem: {name: S}\ncomponents: [{name: a}]\n",
        At::Exactly("1:10"),
    );
}

#[test]
fn a_string_where_a_number_belongs_is_a_type_error() {
    spec_error(
        "latency_string",
        "version: 1\nsystem: {name: S}\ncomponents: [{name: a, latency_ms: \"20\"}]\n",
        At::Exactly("3:36"),
    )
    .stderr_contains("components[0].latency_ms");
}

#[test]
fn yes_is_not_a_boolean() {
    // YAML 1.2: `yes` is a string.
    spec_error(
        "bool_yes",
        "version: 1\nsystem: {name: S}\ncomponents: [{name: a, shared_state: yes}]\n",
        At::Exactly("3:38"),
    )
    .stderr_contains("boolean");
}

#[test]
fn a_blank_component_name_is_rejected() {
    spec_error(
        "component_name_blank",
        "version: 1\nsystem: {name: S}\ncomponents: [{name: \"\"}]\n",
        At::Exactly("3:21"),
    )
    .stderr_contains("components[0].name");
}

#[test]
fn a_blank_system_name_is_rejected() {
    Test::new()
        .file(
            "t.yaml",
            "version: 1\nsystem: {name: \"  \"}\ncomponents: [{name: a}]\n",
        )
        .args(["analyze", "t.yaml"])
        .run()
        .fails()
        .error_at("t.yaml:2:16")
        .stderr_contains("blank")
        .stderr_contains("system.name");
}

#[test]
fn a_components_key_without_a_value_is_an_empty_list() {
    spec_error(
        "components_null",
        "version: 1\nsystem: {name: S}\ncomponents:\n",
        At::SomeLine,
    )
    .stderr_contains("components");
}

#[test]
fn the_caret_counts_characters_not_bytes() {
    let out = Test::new()
        .file(
            "t.yaml",
            "version: 1\nsystem: {name: S}\ncomponents: [{name: ééééé, latncy_ms: 3}]\n",
        )
        .args(["analyze", "t.yaml"])
        .run();
    out.fails().error_at("t.yaml:3:28");
    // The caret sits under the `l` of `latncy_ms`, 27 characters in.
    let caret = out
        .stderr
        .lines()
        .find(|l| l.trim_end().ends_with('^'))
        .expect("a caret line");
    let code = out
        .stderr
        .lines()
        .find(|l| l.contains("latncy_ms: 3"))
        .expect("the code line");
    let col = |s: &str, c: char| s.chars().position(|x| x == c).expect("found");
    assert_eq!(
        col(caret, '^'),
        col(code, 'l'),
        "caret misplaced:\n{}",
        out.stderr
    );
}

#[test]
fn windows_line_endings_are_read() {
    let lf = "version: 1\nsystem:\n  name: S\ncomponents:\n  - name: a\n    kind: chat\n";
    let crlf = lf.replace('\n', "\r\n");
    let a = Test::new()
        .file("t.yaml", lf)
        .args(["analyze", "t.yaml", "--format", "json"])
        .run();
    let b = Test::new()
        .file("t.yaml", crlf)
        .args(["analyze", "t.yaml", "--format", "json"])
        .run();
    b.success();
    assert_eq!(a.stdout, b.stdout);
    Test::new()
        .file("t.yaml", component("latncy_ms: 3").replace('\n', "\r\n"))
        .args(["analyze", "t.yaml"])
        .run()
        .fails()
        .error_at("t.yaml:6:5");
}

#[test]
fn a_byte_order_mark_is_accepted() {
    // Editors on Windows often save UTF-8 with a BOM.
    let spec = format!("\u{feff}{HEAD}  - name: a\n    kind: chat\n");
    let out = Test::new()
        .file("t.yaml", spec)
        .args(["analyze", "t.yaml", "--format", "json"])
        .run();
    out.success();
    assert_eq!(out.json()["components"][0]["verdict"], "stateful");
}

/// Hostile surroundings: where the output cannot go. Each is a clear
/// message and exit 2, and leaves no partial file.
mod surroundings {
    use crate::util::Test;

    const SPEC: &str = "version: 1\nsystem: {name: S}\ncomponents: [{name: api, kind: rest-api}]\n";

    #[test]
    fn a_record_folder_that_cannot_be_created_is_an_error() {
        // Not even root may create a folder under /proc, so this holds in CI.
        let out = Test::new()
            .file("statewise.yaml", SPEC)
            .args(["adr", "--dir", "/proc/statewise-cannot-exist/adr"])
            .run();
        out.fails().stderr_contains(
            "could not create the record folder `/proc/statewise-cannot-exist/adr`",
        );
    }

    #[test]
    fn a_file_where_the_record_folder_should_be_is_an_error() {
        let out = Test::new()
            .file("statewise.yaml", SPEC)
            .file("docs/adr", "not a folder\n")
            .args(["adr"])
            .run();
        out.fails().stderr_contains("not a directory");
        assert_eq!(
            out.folder.read("docs/adr"),
            "not a folder\n",
            "the file is untouched"
        );
    }

    #[test]
    fn a_full_disk_on_stdout_is_an_error_for_every_writer() {
        for args in [
            "adr --stdout",
            "analyze --format json",
            "analyze --format markdown",
            "check --format sarif",
            "schema",
            "init -",
        ] {
            let out = Test::shell(&format!("\"$STATEWISE\" {args} > /dev/full"))
                .file("statewise.yaml", SPEC)
                .run();
            out.code(2)
                .stderr_contains("could not write to `standard output`");
        }
    }

    #[test]
    fn init_into_a_missing_folder_writes_nothing() {
        let out = Test::new()
            .args(["init", "no/such/dir/statewise.yaml"])
            .run();
        out.fails().stderr_contains("no such file or directory");
        assert!(!out.folder.exists("no"));
    }
}

#[test]
fn depends_on_names_another_component_at_its_place() {
    let spec = format!(
        "{HEAD}  - name: api\n    depends_on: [sesions, db]\n  - name: sessions\n  - name: db\n"
    );
    Test::new()
        .file("s.yaml", spec)
        .args(["analyze", "s.yaml"])
        .run()
        .code(2)
        .error_at("s.yaml:6:18")
        .stderr_contains("no component `sesions` to depend on, did you mean `sessions`?")
        .stderr_contains("components[0].depends_on[0]");
    let itself =
        format!("{HEAD}  - name: api\n    depends_on:\n      - db\n      - api\n  - name: db\n");
    Test::new()
        .file("s.yaml", itself)
        .args(["analyze", "s.yaml"])
        .run()
        .code(2)
        .error_at("s.yaml:8:9")
        .stderr_contains("`api` depends on itself");
    // A look-alike spelling is pointed at the real name.
    let alike = format!("{HEAD}  - name: api\n    depends_on: [DB]\n  - name: db\n");
    Test::new()
        .file("s.yaml", alike)
        .args(["analyze", "s.yaml"])
        .run()
        .code(2)
        .stderr_contains("no component `DB` to depend on, did you mean `db`?");
}

#[test]
fn the_newer_criteria_are_validated_at_their_place() {
    for (line, at, message) in [
        (
            "affinity: per-kye",
            "6:15",
            "unknown value `per-kye`, did you mean `per-key`?",
        ),
        (
            "keyed_state: agregate",
            "6:18",
            "unknown value `agregate`, did you mean `aggregate`?",
        ),
        (
            "connections_per_instance: 0.5",
            "6:31",
            "0.5 is out of range, expected a whole number greater than 0",
        ),
        (
            "state_writes_per_s: 0",
            "6:25",
            "0 is out of range, expected a number greater than 0",
        ),
        (
            "bandwidth_kbps: -1",
            "6:21",
            "-1 is out of range, expected a number of 0 or more",
        ),
        ("client_may_hold_state: maybe", "6:28", "invalid type"),
    ] {
        Test::new()
            .file("s.yaml", component(line))
            .args(["analyze", "s.yaml"])
            .run()
            .code(2)
            .error_at(&format!("s.yaml:{at}"))
            .stderr_contains(message);
    }
}
