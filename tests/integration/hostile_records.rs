//! Records and the files around them in a hostile repository (issue 12):
//! a record too large to rewrite is refused whole, a record superseded
//! twice keeps both links in every format, symbolic links to records count
//! and dangling ones hold their number, what a killed `adr` left costs no
//! number and is cleared, `.adr-dir` is read only when it is a small file,
//! and deeply nested front matter neither hangs nor crashes `check`.
//! Every run is the real binary; every file is compared byte for byte.

use crate::util::Folder;

/// The date every record here is written with.
const DATE: &str = "2026-11-28";

/// A spec with one stateful and one stateless component.
const SPEC: &str = "\
version: 1
system:
  name: Acme Shop
components:
  - name: storefront-api
    kind: rest-api
    traffic: unpredictable
  - name: support-chat
    kind: chat
";

/// The record `adr` writes first for `SPEC`, with the default title.
const FIRST: &str = "0001-state-management-for-acme-shop.md";

/// The first record `adr-tools init` writes.
const ADR_TOOLS_INIT: &str = "\
# 1. Record architecture decisions

Date: 2024-03-01

## Status

Accepted

## Context

We need to record the architectural decisions made on this project.
";

/// A MADR 2 record without front matter.
const OLD_MADR: &str = "\
# Use Kafka for events

* Status: proposed
* Date: 2020-05-06

## Context and Problem Statement

Services need to hear about orders.
";

/// A folder holding `SPEC` as `spec.yaml`.
fn with_spec() -> Folder {
    let sb = Folder::new();
    sb.write("spec.yaml", SPEC);
    sb
}

/// Runs `statewise adr spec.yaml --date DATE ARGS`, which must succeed, and
/// returns the paths it printed.
#[track_caller]
fn adr(sb: &Folder, args: &[&str]) -> Vec<String> {
    let mut all = vec!["adr", "spec.yaml", "--date", DATE];
    all.extend_from_slice(args);
    let run = sb.run(&all);
    run.success();
    run.stdout.lines().map(str::to_owned).collect()
}

/// The bytes of `rel` in the folder.
fn bytes(sb: &Folder, rel: &str) -> Vec<u8> {
    std::fs::read(sb.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

/// `(number, title, status)` of every record `adr list --format json` shows.
#[track_caller]
fn listed(sb: &Folder) -> Vec<(u64, String, String)> {
    let run = sb.run(&["adr", "list", "--format", "json"]);
    run.success();
    run.json()
        .as_array()
        .expect("a JSON list")
        .iter()
        .map(|r| {
            (
                r["number"].as_u64().expect("number"),
                r["title"].as_str().unwrap_or_default().to_owned(),
                r["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// An adr-tools record of exactly `size` bytes: `ADR_TOOLS_INIT`, filler
/// lines, and a last line `THE END` that a cut-short rewrite would lose.
fn record_of(size: usize) -> Vec<u8> {
    let tail = b"THE END\n";
    let mut out = ADR_TOOLS_INIT.as_bytes().to_vec();
    let line = format!("{}\n", "lorem ipsum ".repeat(8));
    while out.len() + line.len() + tail.len() <= size {
        out.extend_from_slice(line.as_bytes());
    }
    if out.len() + tail.len() < size {
        out.resize(size - tail.len() - 1, b'x');
        out.push(b'\n');
    }
    out.extend_from_slice(tail);
    assert_eq!(out.len(), size);
    out
}

// ---------------------------------------------------------------------------
// 1. A record never loses a byte.

#[test]
fn a_record_too_large_to_rewrite_is_refused_before_anything_is_written() {
    const LIMIT: usize = 16 * 1024 * 1024;
    let sb = with_spec();
    let old = "docs/adr/0001-big.md";
    let big = record_of(LIMIT + 1);
    sb.write(old, &big);
    let before = sb.names("docs/adr");
    let run = sb.run(&["adr", "spec.yaml", "--date", DATE, "--supersedes", "1"]);
    run.fails();
    assert_eq!(
        run.stderr,
        "error: `docs/adr/0001-big.md` is 16777217 bytes, more than the 16777216 bytes (16 MiB) \
         statewise reads whole to edit a file in place; it was left unchanged: edit it by hand, \
         or make it smaller and run again\n",
        "{}",
        run.context()
    );
    assert!(bytes(&sb, old) == big, "the record changed");
    assert_eq!(sb.names("docs/adr"), before, "something was written");

    // At the limit, the rewrite reads and keeps every byte.
    let exact = record_of(LIMIT);
    sb.write(old, &exact);
    adr(&sb, &["--supersedes", "1", "--title", "Next"]);
    let expected = String::from_utf8(exact).expect("UTF-8").replacen(
        "\n\nAccepted\n\n",
        "\n\nSuperseded by [2. Next](0002-next.md)\n\n",
        1,
    );
    assert!(
        bytes(&sb, old) == expected.as_bytes(),
        "the rewrite is not the record with its status changed"
    );
    assert!(expected.ends_with("\nTHE END\n"));
}

// ---------------------------------------------------------------------------
// 2. Several "superseded by" links are kept.

#[test]
fn a_record_superseded_twice_keeps_both_links_in_every_format() {
    // Our MADR record: the front matter's status.
    let sb = with_spec();
    adr(&sb, &["--status", "accepted"]);
    let old = format!("docs/adr/{FIRST}");
    let original = sb.read(&old);
    adr(&sb, &["--supersedes", "1", "--title", "Split the gateway"]);
    adr(&sb, &["--supersedes", "1", "--title", "Merge it back"]);
    assert_eq!(
        sb.read(&old),
        original.replacen(
            "\nstatus: accepted\n",
            "\nstatus: \"superseded by [ADR-0002](0002-split-the-gateway.md), [ADR-0003](0003-merge-it-back.md)\"\n",
            1
        )
    );
    assert_eq!(listed(&sb)[0].2, "superseded");

    // An adr-tools record: one `Superseded by` paragraph per link.
    let sb = with_spec();
    let old = "docs/adr/0001-record-architecture-decisions.md";
    sb.write(old, ADR_TOOLS_INIT);
    for title in ["Use Postgres", "Use CockroachDB"] {
        adr(
            &sb,
            &[
                "--supersedes",
                "1",
                "--template",
                "nygard",
                "--title",
                title,
            ],
        );
    }
    assert_eq!(
        sb.read(old),
        ADR_TOOLS_INIT.replacen(
            "\n\nAccepted\n\n",
            "\n\nSuperseded by [2. Use Postgres](0002-use-postgres.md)\n\n\
             Superseded by [3. Use CockroachDB](0003-use-cockroachdb.md)\n\n",
            1
        )
    );
    assert_eq!(listed(&sb)[0].2, "superseded");

    // An old MADR record: its `Status:` line.
    let sb = with_spec();
    let old = "docs/adr/0001-use-kafka-for-events.md";
    sb.write(old, OLD_MADR);
    adr(&sb, &["--supersedes", "1", "--title", "Use NATS"]);
    adr(&sb, &["--supersedes", "1", "--title", "Use Kafka again"]);
    assert_eq!(
        sb.read(old),
        OLD_MADR.replacen(
            "* Status: proposed\n",
            "* Status: superseded by [2. Use NATS](0002-use-nats.md), [3. Use Kafka again](0003-use-kafka-again.md)\n",
            1
        )
    );
    assert_eq!(listed(&sb)[0].2, "superseded");
}
