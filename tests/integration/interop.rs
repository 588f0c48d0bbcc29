//! The records against the real tools teams keep their logs with: every
//! record statewise writes passes markdownlint-cli2 (default rules, line
//! length aside) and is listed with its number, title, status and date by
//! adr-tools, adrs and log4brains; every record those tools write is read
//! (and edited) by statewise.
//!
//! The tools: `.ci/run` installs Debian's `adr-tools`, `adrs` from
//! crates.io (`cargo install --locked`), and markdownlint-cli2 and
//! `@log4brains/core` pinned in `tests/markdownlint/` and `tests/log4brains/`
//! (`npm ci`, outside the repository), each into a cache, and always sets
//! `STATEWISE_ADR_TOOLS`, `STATEWISE_ADRS`, `STATEWISE_MARKDOWNLINT` and
//! `STATEWISE_LOG4BRAINS` (the `list.js` script) to them, so CI never skips.
//! With a variable set, a missing tool or a record it rejects fails the
//! test. Without it, the test prints a `SKIPPED` line on standard error and
//! passes, unless `CI` is set, where it fails: run `bash .ci/run`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{Folder, examples};

const DATE: &str = "2026-11-28";

/// The tool a variable names, or `None` after printing a skip line when it
/// is unset outside CI. A set variable naming nothing, or an unset one
/// under CI, fails the test.
fn tool(var: &str, test: &str) -> Option<PathBuf> {
    let Some(path) = std::env::var_os(var).filter(|v| !v.is_empty()) else {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        assert!(
            !ci,
            "CI is set but {var} is not: the interop tests must run in CI; \
             run `bash .ci/run`, which installs the tools and sets it"
        );
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED interop::{test}: {var} is not set; `bash .ci/run` installs the tool and runs it"
        );
        return None;
    };
    let path = PathBuf::from(path);
    assert!(
        path.is_file(),
        "{var}={} is not a file: run `bash .ci/run` to install it",
        path.display()
    );
    Some(path)
}

/// Runs `program ARGS` in `dir`, with no editor to open; (exit ok, stdout,
/// stderr).
fn external(program: &Path, args: &[&str], dir: &Path) -> (bool, String, String) {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("EDITOR", "true")
        .env("VISUAL", "true")
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A repository holding every example spec in `specs/`.
fn repo_with_examples() -> Folder {
    let sb = Folder::new();
    std::fs::create_dir_all(sb.path(".git")).expect("mkdir .git");
    for (name, text) in examples() {
        sb.write(&format!("specs/{name}"), text);
    }
    sb
}

/// Writes one record per example into `dir` with `template`, then one
/// that supersedes the first, accepted: the folder holds every status
/// statewise writes. Returns the record files in order.
fn write_log(sb: &Folder, dir: &str, template: &str) -> Vec<String> {
    let mut files = Vec::new();
    for (name, _) in examples() {
        let run = sb.run(&[
            "adr",
            &format!("specs/{name}"),
            "--dir",
            dir,
            "--template",
            template,
            "--date",
            DATE,
            "--new",
        ]);
        run.success();
        files.push(run.stdout.trim().to_owned());
    }
    let (first, _) = &examples()[0];
    let run = sb.run(&[
        "adr",
        &format!("specs/{first}"),
        "--dir",
        dir,
        "--template",
        template,
        "--date",
        "2026-11-29",
        "--status",
        "accepted",
        "--supersedes",
        "1",
        "--title",
        "Keep the chat sessions on the gateway",
    ]);
    run.success();
    files.push(run.stdout.lines().next().unwrap_or_default().to_owned());
    files
}

/// What `statewise adr list --format json` says of the records in `dir`:
/// (number, title, status, date).
fn listed(sb: &Folder, dir: &str) -> Vec<(u64, String, String, String)> {
    let run = sb.run(&["adr", "list", "--dir", dir, "--format", "json"]);
    run.success();
    run.json()
        .as_array()
        .expect("an array")
        .iter()
        .map(|r| {
            (
                r["number"].as_u64().expect("number"),
                r["title"].as_str().unwrap_or_default().to_owned(),
                r["status"].as_str().unwrap_or_default().to_owned(),
                r["date"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn records_pass_markdownlint_in_both_templates() {
    let Some(lint) = tool(
        "STATEWISE_MARKDOWNLINT",
        "records_pass_markdownlint_in_both_templates",
    ) else {
        return;
    };
    let sb = repo_with_examples();
    let mut records = 0;
    for template in ["madr", "nygard"] {
        records += write_log(&sb, &format!("{template}/adr"), template).len();
    }
    sb.run(&["adr", "toc", "--dir", "madr/adr"]).success();
    // Every record, and the index.
    let files = records + 1;
    // Line length (MD013) aside: a record's paragraphs are one line each.
    sb.write(
        ".markdownlint-cli2.jsonc",
        "{ \"config\": { \"MD013\": false } }\n",
    );
    let (ok, out, err) = external(&lint, &["madr/adr/*.md", "nygard/adr/*.md"], sb.root());
    assert!(ok, "markdownlint-cli2 found problems:\n{out}\n{err}");
    let linting = format!("Linting: {files} files");
    assert!(
        err.contains(&linting) || out.contains(&linting),
        "not every record was linted ({files} expected):\n{out}\n{err}"
    );
}

#[test]
fn adr_tools_lists_and_indexes_statewise_records() {
    let Some(adr) = tool(
        "STATEWISE_ADR_TOOLS",
        "adr_tools_lists_and_indexes_statewise_records",
    ) else {
        return;
    };
    let sb = repo_with_examples();
    // adr-tools' own folder, found from a subfolder as adr-tools finds it.
    std::fs::create_dir_all(sb.path("doc/adr")).expect("mkdir");
    let files = write_log(&sb, "doc/adr", "nygard");
    let (ok, out, err) = external(&adr, &["list"], sb.root());
    assert!(ok, "adr list failed: {err}");
    let expected: Vec<&str> = files.iter().map(String::as_str).collect();
    assert_eq!(out.lines().collect::<Vec<_>>(), expected);
    let (ok, toc, err) = external(&adr, &["generate", "toc"], sb.root());
    assert!(ok, "adr generate toc failed: {err}");
    for ((number, title, _, _), file) in listed(&sb, "doc/adr").iter().zip(&files) {
        let name = file.rsplit('/').next().unwrap_or_default();
        let line = format!("* [{number}. {title}]({name})");
        assert!(toc.contains(&line), "{line} missing from:\n{toc}");
    }
}

/// In a log adr-tools keeps (`.adr-dir`), `statewise adr` with no template
/// chosen writes Nygard, whose first line is the title adr-tools reads.
fn adr_tools_log_with_a_default_record() -> Folder {
    let sb = repo_with_examples();
    sb.write(".adr-dir", "doc/architecture/decisions\n");
    std::fs::create_dir_all(sb.path("doc/architecture/decisions")).expect("mkdir");
    let (name, _) = &examples()[0];
    sb.run(&["adr", &format!("specs/{name}"), "--date", DATE])
        .success();
    sb
}

#[test]
fn in_an_adr_tools_log_the_default_template_is_the_one_adr_tools_reads() {
    let sb = adr_tools_log_with_a_default_record();
    let files = sb.names("doc/architecture/decisions");
    assert_eq!(files.len(), 1, "{files:?}");
    let record = sb.read(&format!("doc/architecture/decisions/{}", files[0]));
    assert!(record.starts_with("# 1. "), "{record}");
    // A template chosen by flag still wins.
    sb.run(&[
        "adr",
        "specs/starter.yaml",
        "--template",
        "madr",
        "--date",
        DATE,
        "--new",
    ])
    .success();
    let madr = sb
        .names("doc/architecture/decisions")
        .into_iter()
        .find(|n| n.starts_with("0002-"))
        .expect("a second record");
    assert!(
        sb.read(&format!("doc/architecture/decisions/{madr}"))
            .starts_with("---\n")
    );
    let Some(adr) = tool(
        "STATEWISE_ADR_TOOLS",
        "in_an_adr_tools_log_the_default_template_is_the_one_adr_tools_reads",
    ) else {
        return;
    };
    let (ok, toc, err) = external(&adr, &["generate", "toc"], sb.root());
    assert!(ok, "adr generate toc failed: {err}");
    assert!(
        toc.contains("* [1. State management for ") && toc.contains(&format!("]({})", files[0])),
        "{toc}"
    );
}

#[test]
fn statewise_reads_what_adr_tools_writes() {
    let Some(adr) = tool(
        "STATEWISE_ADR_TOOLS",
        "statewise_reads_what_adr_tools_writes",
    ) else {
        return;
    };
    let sb = Folder::new();
    std::fs::create_dir_all(sb.path(".git")).expect("mkdir .git");
    for args in [
        &["init", "doc/architecture/decisions"][..],
        &["new", "Use Postgres"],
        &["new", "-s", "2", "Use CockroachDB"],
        &["new", "-l", "3:Amends:Amended by", "Shard by tenant"],
    ] {
        let (ok, _, err) = external(&adr, args, sb.root());
        assert!(ok, "adr {args:?} failed: {err}");
    }
    // From a subfolder: `.adr-dir` at the root names the folder.
    let run = sb
        .test()
        .cwd("services/cart")
        .args(["adr", "list", "--format", "json"])
        .run();
    run.success();
    let list: Vec<(u64, String, String)> = run
        .json()
        .as_array()
        .expect("array")
        .iter()
        .map(|r| {
            (
                r["number"].as_u64().expect("number"),
                r["title"].as_str().unwrap_or_default().to_owned(),
                r["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        list,
        [
            (1, "Record architecture decisions".into(), "accepted".into()),
            (2, "Use Postgres".into(), "superseded".into()),
            (3, "Use CockroachDB".into(), "accepted".into()),
            (4, "Shard by tenant".into(), "accepted".into()),
        ]
    );
}

/// `adrs list -l` lines as (number, status, date, title): fields apart by
/// two spaces or more (a status may hold single spaces).
fn adrs_list(adrs: &Path, dir: &Path) -> Vec<(u64, String, String, String)> {
    let (ok, out, err) = external(adrs, &["list", "-l"], dir);
    assert!(ok, "adrs list failed: {err}");
    out.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let fields: Vec<&str> = l
                .trim()
                .split("  ")
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .collect();
            assert_eq!(fields.len(), 4, "unexpected adrs line {l:?}");
            (
                fields[0].parse().expect("number"),
                fields[1].to_lowercase(),
                fields[2].to_owned(),
                fields[3].to_owned(),
            )
        })
        .collect()
}

#[test]
fn adrs_lists_statewise_records_in_both_templates() {
    let Some(adrs) = tool(
        "STATEWISE_ADRS",
        "adrs_lists_statewise_records_in_both_templates",
    ) else {
        return;
    };
    for template in ["madr", "nygard"] {
        let sb = repo_with_examples();
        sb.write(".adr-dir", "doc/adr\n");
        write_log(&sb, "doc/adr", template);
        let ours = listed(&sb, "doc/adr");
        let theirs = adrs_list(&adrs, sb.root());
        assert_eq!(theirs.len(), ours.len(), "{template}: {theirs:?}");
        for ((n, title, status, date), (tn, tstatus, tdate, ttitle)) in ours.iter().zip(&theirs) {
            assert_eq!((n, title, date), (tn, ttitle, tdate), "{template}");
            assert!(
                tstatus.starts_with(status.as_str()),
                "{template}: record {n} is {status} for statewise, {tstatus} for adrs"
            );
        }
    }
}

#[test]
fn statewise_reads_what_adrs_writes() {
    let Some(adrs) = tool("STATEWISE_ADRS", "statewise_reads_what_adrs_writes") else {
        return;
    };
    let sb = Folder::new();
    std::fs::create_dir_all(sb.path(".git")).expect("mkdir .git");
    for args in [
        &["init"][..],
        &["new", "--no-edit", "Use Postgres"],
        &["new", "--no-edit", "-s", "2", "Use CockroachDB"],
        &["new", "--no-edit", "-f", "madr", "Pick a queue"],
        &[
            "--ng",
            "new",
            "--no-edit",
            "-f",
            "madr",
            "Split the search index",
        ],
    ] {
        let (ok, _, err) = external(&adrs, args, sb.root());
        assert!(ok, "adrs {args:?} failed: {err}");
    }
    let theirs: Vec<(u64, String, String)> = adrs_list(&adrs, sb.root())
        .into_iter()
        .map(|(n, status, _, title)| {
            let word = status
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            (n, title, word)
        })
        .collect();
    let run = sb
        .test()
        .cwd("src")
        .args(["adr", "list", "--format", "json"])
        .run();
    run.success();
    let ours: Vec<(u64, String, String)> = run
        .json()
        .as_array()
        .expect("array")
        .iter()
        .map(|r| {
            (
                r["number"].as_u64().expect("number"),
                r["title"].as_str().unwrap_or_default().to_owned(),
                r["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(ours, theirs);
    assert_eq!(ours.len(), 5);
    assert_eq!(ours[1].2, "superseded");
    // statewise's edits of their records are read back by adrs: a status
    // in each form (Nygard section, MADR body, front matter).
    for n in ["3", "4", "5"] {
        sb.run(&["adr", "status", n, "deprecated"]).success();
    }
    let statuses: Vec<String> = adrs_list(&adrs, sb.root())
        .into_iter()
        .map(|(_, status, _, _)| status)
        .collect();
    assert_eq!(
        statuses[2..],
        ["deprecated", "deprecated", "deprecated"],
        "{statuses:?}"
    );
}

/// `node list.js` in `dir`: log4brains' own reading of the log, as
/// (slug, status, title, date).
fn log4brains_list(script: &Path, dir: &Path) -> Vec<(String, String, String, String)> {
    let (ok, out, err) = external(Path::new("node"), &[&script.to_string_lossy(), "."], dir);
    assert!(ok, "log4brains could not read the log: {err}");
    out.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
            (s("slug"), s("status"), s("title"), s("date"))
        })
        .collect()
}

#[test]
fn log4brains_reads_statewise_records_and_statewise_edits_its_own() {
    let Some(script) = tool(
        "STATEWISE_LOG4BRAINS",
        "log4brains_reads_statewise_records_and_statewise_edits_its_own",
    ) else {
        return;
    };
    let sb = repo_with_examples();
    sb.write(
        ".log4brains.yml",
        "---\nproject:\n  name: Shop\n  tz: Etc/UTC\n  adrFolder: ./docs/adr\n",
    );
    // log4brains reads a status only from a list under the title, which
    // front matter hides from it: the Nygard template, set for the project.
    sb.write("statewise.toml", "template = \"nygard\"\n");
    sb.write(
        "docs/adr/20200506-use-kafka.md",
        "# Use Kafka\n\n- Status: proposed\n- Date: 2020-05-06\n\n## Context and Problem Statement\n\nEvents.\n",
    );
    for (name, _) in examples() {
        let spec = format!("specs/{name}");
        sb.run(&["adr", &spec, "--date", DATE, "--new"]).success();
    }
    sb.run(&["adr", "status", "2", "accepted"]).success();
    sb.run(&["adr", "status", "3", "rejected"]).success();
    let (first, _) = &examples()[0];
    sb.run(&[
        "adr",
        &format!("specs/{first}"),
        "--date",
        "2026-11-29",
        "--supersedes",
        "1",
        "--status",
        "accepted",
        "--title",
        "Keep the chat sessions on the gateway",
    ])
    .success();
    // statewise edits log4brains' own record in place.
    sb.run(&["adr", "status", "20200506", "deprecated"])
        .success();
    // log4brains reads git history for its dates of last change.
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-qm",
            "log",
        ],
    ] {
        let (ok, _, err) = external(Path::new("git"), args, sb.root());
        assert!(ok, "git {args:?}: {err}");
    }
    let mut theirs: Vec<(String, String, String, String)> = log4brains_list(&script, sb.root())
        .into_iter()
        .map(|(slug, status, title, date)| {
            // adr-tools' `N. ` before the title is kept by log4brains.
            let title = title
                .split_once(". ")
                .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
                .map_or(title.clone(), |(_, t)| t.to_owned());
            (slug, status, title, date)
        })
        .collect();
    theirs.sort();
    let run = sb.run(&["adr", "list", "--format", "json"]);
    run.success();
    let mut ours: Vec<(String, String, String, String)> = run
        .json()
        .as_array()
        .expect("array")
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
            (
                s("file").trim_end_matches(".md").to_owned(),
                s("status"),
                s("title"),
                s("date"),
            )
        })
        .collect();
    ours.sort();
    assert_eq!(theirs, ours);
    assert!(ours.iter().any(|r| r.1 == "superseded"));
    assert!(
        ours.iter()
            .any(|r| r.0 == "20200506-use-kafka" && r.1 == "deprecated")
    );
    // The dated record took no number: statewise's start at 1.
    assert!(ours.iter().any(|r| r.0.starts_with("0001-")));
}
