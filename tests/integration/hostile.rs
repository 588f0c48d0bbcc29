//! Hostile input, tried as an attacker would: names that hide or reorder
//! characters, text that tries to become a CI workflow command or a
//! terminal escape, a hint that would run code when pasted, output that
//! fails silently. One test per class, each over every output it can reach.

use crate::util::{Folder, HEAD, Output, Test};

/// Text no output may carry raw: ESC (CSI, OSC 52), BEL, a C1 CSI, a
/// right-to-left override, a zero-width space.
const RAW: [char; 6] = [
    '\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{200b}', '\u{7f}',
];

/// A spec whose free text tries everything: newlines followed by workflow
/// commands, the runner's legacy syntax, terminal escapes. Names are
/// printable but awkward (shell syntax, Markdown, a leading `::`).
const SPEC: &str = r#"version: 1
system:
  name: "::error::system"
  description: "x\n::error file=a::injected\u001b]52;c;cHduZWQ=\u0007 ##[error]legacy \u202egnp.exe"
components:
  - name: "$(touch pwned)"
    kind: rest-api
    description: "\u009b31m red \u200b hidden"
    decision: stateful
  - name: "::warning::api"
    kind: chat
    decision: stateless
    decision_reason: "because\n::error::pwned\r\n##[warning]old\u001b[2J"
"#;

/// A custom rule whose texts carry the same payloads.
const RULES: &str = r#"- id: hostile-rule
  title: "Title\n::error::from a rule \u001b[31m"
  when: {kind: rest-api}
  favors: stateless
  weight: 1
  because: "Because\n::error::x ##[error] \u0007"
  advice: "Advice\n::notice::y \u202e"
  source: "src \u001b]8;;http://evil\u0007"
"#;

/// A record written by someone else, with a hostile title and status.
const RECORD: &str = "# 7. Title \u{1b}]52;c;x\u{7} ##[error]x\n\nDate: 2026-01-01\n\n## Status\n\nAccepted\n::error::status\n";

/// Fails when a line of `text` could act in a CI log or a terminal.
fn assert_safe(what: &str, text: &str, github: bool) {
    for c in RAW {
        assert!(
            !text.contains(c),
            "{what}: raw U+{:04X} in:\n{text}",
            c as u32
        );
    }
    assert!(!text.contains("##["), "{what}: `##[` in:\n{text}");
    for line in text.lines() {
        let start = line.trim_start();
        if github && start.starts_with("::") {
            assert!(
                ["::error ", "::warning ", "::notice "]
                    .iter()
                    .any(|p| start.starts_with(p)),
                "{what}: a workflow command statewise did not mean: {line:?}"
            );
        } else {
            assert!(
                !start.starts_with("::"),
                "{what}: a line the runner would run: {line:?}"
            );
        }
    }
}

fn assert_output_safe(what: &str, out: &Output, github: bool) {
    assert_safe(&format!("{what} (stdout)"), &out.stdout, github);
    assert_safe(&format!("{what} (stderr)"), &out.stderr, false);
}

fn hostile_folder() -> Folder {
    let f = Folder::new();
    f.write("spec.yaml", SPEC);
    f.write("rules/hostile.yaml", RULES);
    f.write("docs/adr/0007-someone-elses.md", RECORD);
    f
}

#[test]
fn no_user_text_becomes_a_workflow_command_or_a_terminal_escape() {
    let f = hostile_folder();
    let runs: &[&[&str]] = &[
        &["analyze", "spec.yaml", "--rules", "rules"],
        &["analyze", "spec.yaml", "--rules", "rules", "-f", "json"],
        &["analyze", "spec.yaml", "--rules", "rules", "-f", "markdown"],
        &["check", "spec.yaml", "--rules", "rules"],
        &["check", "spec.yaml", "--rules", "rules", "-f", "json"],
        &["check", "spec.yaml", "--rules", "rules", "-f", "sarif"],
        &["explain", "spec.yaml", "$(touch pwned)", "--rules", "rules"],
        &["explain", "spec.yaml", "::warning::api", "--rules", "rules"],
        &["explain", "spec.yaml", "$(touch pwned)", "-f", "json"],
        &["adr", "spec.yaml", "--stdout", "--date", "2026-01-01"],
        &["adr", "spec.yaml", "--stdout", "--template", "nygard"],
        &["adr", "list"],
        &["adr", "list", "-f", "json"],
        &["rules", "list", "--rules", "rules"],
        &["rules", "list", "--rules", "rules", "-f", "json"],
        &["rules", "show", "hostile-rule", "--rules", "rules"],
        &["explain", "spec.yaml", "no-such-\u{1b}[2J-name"],
    ];
    for args in runs {
        let out = f.run(args);
        // Every run does its job (check finds the contradiction, the last
        // explain names no component): the payloads reach the output.
        let expected = match args[0] {
            "check" => 1,
            _ if args.contains(&"no-such-\u{1b}[2J-name") => 2,
            _ => 0,
        };
        out.code(expected);
        assert_output_safe(&args.join(" "), &out, false);
    }
    // GitHub annotations are workflow commands by design: only statewise's.
    let out = f.run(&["check", "spec.yaml", "--rules", "rules", "-f", "github"]);
    out.code(1);
    assert_output_safe("check -f github", &out, true);
    assert_eq!(
        out.stdout.lines().count(),
        out.stdout.lines().filter(|l| l.starts_with("::")).count(),
        "every annotation on one line:\n{}",
        out.stdout
    );
    // The JSON outputs still carry the exact text, escaped as JSON.
    let json = f.run(&["analyze", "spec.yaml", "-f", "json"]).json();
    assert_eq!(
        json["components"][1]["decision_reason"],
        "because\n::error::pwned\r\n##[warning]old\u{1b}[2J"
    );
}

#[test]
fn an_error_shows_the_spec_line_escaped_with_the_caret_in_place() {
    // A raw ESC is itself the error: the frame shows it escaped, the caret
    // under it.
    let spec = format!("{HEAD}  - name: api\n    latency_ms: 5 # \u{1b}]52;c;eA==\u{7}\n");
    let out = Test::new()
        .file("s.yaml", spec)
        .args(["analyze", "s.yaml"])
        .run();
    out.code(2)
        .stderr_contains("latency_ms: 5 # \\u{1b}]52;c;eA==\\u{7}");
    assert_output_safe("raw ESC", &out, false);
    assert_caret_under(&out.stderr, "\\u{1b}");
    // A right-to-left override before the faulty key: shown escaped, and
    // the caret moves with it to stay under the key.
    let spec = format!("{HEAD}  - {{description: \"x\u{202e}y\", latncy_ms: 5}}\n");
    let out = Test::new()
        .file("s.yaml", spec)
        .args(["analyze", "s.yaml"])
        .run();
    out.code(2).stderr_contains("x\\u{202e}y");
    assert_output_safe("bidi", &out, false);
    assert_caret_under(&out.stderr, "latncy_ms");
}

/// The caret of the code frame in `stderr` stands under `text`.
fn assert_caret_under(stderr: &str, text: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    let frame = lines
        .iter()
        .position(|l| l.contains(" | ") && l.contains(text))
        .unwrap_or_else(|| panic!("no code frame with {text:?}:\n{stderr}"));
    assert_eq!(
        lines[frame + 1].find('^'),
        lines[frame].find(text),
        "caret not under {text:?}:\n{stderr}"
    );
}

#[test]
fn names_refuse_control_bidi_and_invisible_characters_at_their_place() {
    for (name, code, class) in [
        ("api\\u200B", "U+200B", "an invisible character"),
        ("api\\u202Egnp", "U+202E", "a bidirectional control"),
        ("api\\e[2J", "U+001B", "a control character"),
        ("api\\u00AD", "U+00AD", "an invisible character"),
    ] {
        let spec = format!("{HEAD}  - name: \"{name}\"\n    kind: rest-api\n");
        let out = Test::new()
            .file("s.yaml", spec)
            .args(["analyze", "s.yaml"])
            .run();
        out.code(2)
            .error_at("s.yaml:5:11")
            .stderr_contains(&format!("holds {code}, {class}"));
        assert_output_safe(name, &out, false);
    }
    let system = "version: 1\nsystem:\n  name: \"Shop\\u2066\"\ncomponents:\n  - name: a\n";
    Test::new()
        .file("s.yaml", system)
        .args(["analyze", "s.yaml"])
        .run()
        .code(2)
        .error_at("s.yaml:3:9")
        .stderr_contains("holds U+2066, a bidirectional control");
}

#[test]
fn look_alike_names_collide() {
    for (first, second) in [
        ("api", "API"),
        ("api", "ａｐｉ"),         // full width
        ("api", "аpi"),            // Cyrillic а
        ("payments", "payrnents"), // rn for m
    ] {
        let spec = format!("{HEAD}  - name: {first}\n  - name: {second}\n");
        let out = Test::new()
            .file("s.yaml", spec)
            .args(["analyze", "s.yaml"])
            .run();
        out.code(2).error_at("s.yaml:6:11");
        if first.to_lowercase() == second.to_lowercase() {
            out.stderr_contains("duplicate component name");
        } else {
            out.stderr_contains(&format!("looks the same as `{first}`"));
        }
    }
    // Different names stay different.
    let spec = format!("{HEAD}  - name: api\n  - name: api-2\n  - name: apj\n");
    Test::new()
        .file("s.yaml", spec)
        .args(["analyze", "s.yaml"])
        .run()
        .success();
}

#[test]
fn a_suggested_command_runs_nothing_when_pasted() {
    let f = hostile_folder();
    let out = f.run(&["check", "spec.yaml"]);
    out.code(1);
    let hint = out
        .stdout
        .split('`')
        .find(|s| s.starts_with("statewise explain"))
        .unwrap_or_else(|| panic!("no explain hint:\n{}", out.stdout));
    assert_eq!(hint, "statewise explain spec.yaml '$(touch pwned)'");
    // Paste it into a shell, with `statewise` standing for a printer.
    let pasted = hint.replacen("statewise", "printf '%s\\n'", 1);
    let shell = std::process::Command::new("sh")
        .arg("-c")
        .arg(&pasted)
        .current_dir(f.root())
        .output()
        .expect("run sh");
    assert_eq!(
        String::from_utf8_lossy(&shell.stdout),
        "explain\nspec.yaml\n$(touch pwned)\n"
    );
    assert!(!f.exists("pwned"), "the pasted hint ran code");
}

#[test]
fn sarif_uris_are_percent_encoded() {
    let spec = format!("{HEAD}  - name: api\n    kind: rest-api\n    decision: stateful\n");
    let out = Test::new()
        .file("my specs/a #1 100%.yaml", spec)
        .args(["check", "my specs/a #1 100%.yaml", "-f", "sarif"])
        .run();
    out.code(1);
    let v = out.json();
    assert_eq!(
        v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "my%20specs/a%20%231%20100%25.yaml"
    );
}

#[test]
fn output_that_cannot_be_written_is_an_error() {
    if !std::path::Path::new("/dev/full").exists() {
        panic!("this test needs /dev/full (Linux)");
    }
    for args in [
        vec!["--version"],
        vec!["--help"],
        vec!["analyze", "--help"],
        vec!["rules", "list"],
        vec!["schema"],
    ] {
        let script = format!(
            "\"$STATEWISE\" {} > /dev/full",
            args.iter()
                .map(|a| format!("'{a}'"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        Test::shell(&script)
            .run()
            .code(2)
            .stderr_contains("could not write to `standard output`: no space left on the device");
    }
}

#[test]
fn an_empty_title_is_refused() {
    let spec = format!("{HEAD}  - name: api\n");
    for title in ["", "   "] {
        let out = Test::new()
            .file("s.yaml", &spec)
            .args(["adr", "s.yaml", "--title", title])
            .run();
        out.code(2).stderr_contains("`--title` is empty");
        assert!(!out.folder.exists("docs"), "a record was written");
    }
}
