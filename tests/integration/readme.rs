//! The README shows real output: every `console` block's `$ statewise …`
//! command that runs on the bundled examples or the built-in rules is run
//! here, from the repository root, and its output must match the block
//! byte for byte (a block may end its output early with a `...` line). The
//! commands that need files the README builds up step by step are listed in
//! `ELSEWHERE` with the test that covers them, so a new block is either
//! checked here or named there.

use std::collections::BTreeSet;

use crate::util::{Test, repo};

/// Commands shown in the README that this test does not run, each with the
/// reason (and where its behaviour is tested instead). A command in the
/// README that is neither run here nor listed fails the test.
const ELSEWHERE: &[(&str, &str)] = &[
    (
        "statewise ask",
        "interactive: tests/integration/ask.rs presses the keys",
    ),
    (
        "statewise adr",
        "writes records in a folder the README builds: tests/integration/adr.rs",
    ),
    (
        "statewise init",
        "writes statewise.yaml: tests/integration/commands.rs",
    ),
    (
        "statewise check",
        "runs on ci-demo.yaml, built in the README's CI section: tests/integration/check.rs",
    ),
    (
        "statewise analyze look-alike.yaml",
        "a file shown only in part: tests/integration/errors.rs",
    ),
    (
        "statewise analyze bad.yaml",
        "a file shown only in part: tests/integration/errors.rs",
    ),
    ("statewise analyze statewise.yaml", "the reader's own spec"),
    (
        "statewise explain statewise.yaml",
        "the spec the README imports: tests/integration/import.rs",
    ),
    (
        "statewise rules lint",
        "files the README shows as text: tests/integration/rules.rs",
    ),
    (
        "statewise analyze examples/box-office.yaml --format json | jq",
        "piped through jq: tests/integration/migration.rs checks the same fields",
    ),
    ("statewise kinds", "covered by its own tests"),
    ("statewise import", "covered by its own tests"),
    ("statewise config", "covered by its own tests"),
    ("statewise diff", "covered by its own tests"),
    ("statewise completions", "covered by its own tests"),
];

/// A command the README shows, and the output it shows for it.
struct Shown {
    command: String,
    output: Vec<String>,
}

fn shown_commands(readme: &str) -> Vec<Shown> {
    let mut out = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "```console" {
            continue;
        }
        let mut current: Option<Shown> = None;
        for line in lines.by_ref() {
            if line.trim() == "```" {
                break;
            }
            if let Some(cmd) = line.strip_prefix("$ ") {
                out.extend(current.take());
                current = Some(Shown {
                    command: cmd.to_owned(),
                    output: Vec::new(),
                });
            } else if let Some(c) = current.as_mut() {
                c.output.push(line.to_owned());
            }
        }
        out.extend(current.take());
    }
    out
}

/// Whether this test runs the command: plain `statewise` calls on the
/// bundled examples or the built-in rules, with no shell around them.
fn runnable(command: &str) -> Option<Vec<String>> {
    if command.contains(['|', '>', '<', '&', ';', '$', '`', '\'', '"']) {
        return None;
    }
    let words: Vec<String> = command.split_whitespace().map(str::to_owned).collect();
    if words.first().map(String::as_str) != Some("statewise") {
        return None;
    }
    let on_examples = words.iter().any(|w| w.starts_with("examples/"));
    let read_only = matches!(
        words.get(1).map(String::as_str),
        Some("analyze" | "explain" | "rules" | "schema" | "--version")
    );
    let rules_only = words.get(1).map(String::as_str) == Some("rules")
        && matches!(words.get(2).map(String::as_str), Some("list" | "show"));
    (read_only && (on_examples || rules_only || words.len() == 2)).then(|| words[1..].to_vec())
}

#[test]
fn every_console_block_on_the_examples_shows_real_output() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let mut checked = 0;
    let mut unlisted = BTreeSet::new();
    for shown in shown_commands(&readme) {
        if !shown.command.starts_with("statewise") {
            continue; // `echo $?` and the like
        }
        let Some(args) = runnable(&shown.command) else {
            if !ELSEWHERE.iter().any(|(p, _)| shown.command.starts_with(p)) {
                unlisted.insert(shown.command.clone());
            }
            continue;
        };
        let out = Test::new()
            .args(args.iter().map(|a| {
                if a.starts_with("examples/") {
                    repo().join(a).into_os_string()
                } else {
                    a.into()
                }
            }))
            .run();
        let root = format!("{}/", repo().display());
        let text = format!("{}{}", out.stdout, out.stderr).replace(&root, "");
        let got: Vec<&str> = text.trim_end_matches('\n').lines().collect();
        let want: Vec<&str> = shown.output.iter().map(String::as_str).collect();
        match want.iter().rposition(|l| l.trim() == "...") {
            Some(cut) => assert_eq!(
                got.get(..cut),
                Some(&want[..cut]),
                "README block for `{}` (up to its `...`) is not what it prints",
                shown.command
            ),
            None => assert_eq!(
                got, want,
                "README block for `{}` is not what it prints",
                shown.command
            ),
        }
        checked += 1;
    }
    assert!(
        unlisted.is_empty(),
        "README commands neither run here nor listed in ELSEWHERE: {unlisted:?}"
    );
    assert!(checked >= 6, "only {checked} README commands checked");
}
