//! The team's decision log as a whole: found from any folder of the
//! repository (and said why), records read whatever their encoding, and
//! the commands that move a record through its life.

use crate::util::Folder;

const DATE: &str = "2026-11-28";

/// A small spec, kept in a service's folder of a repository.
const SPEC: &str = "\
version: 1
system:
  name: Cart
components:
  - name: cart-api
    kind: rest-api
  - name: cart-db
    kind: database
";

/// A repository (a `.git` folder) with the spec in `services/cart/`.
fn repo() -> Folder {
    let sb = Folder::new();
    std::fs::create_dir_all(sb.path(".git")).expect("mkdir .git");
    sb.write("services/cart/spec.yaml", SPEC);
    sb
}

/// `statewise ARGS` run in `services/cart/`.
fn in_cart(sb: &Folder, args: &[&str]) -> crate::util::Output {
    sb.test().cwd("services/cart").args(args).run()
}

// ---------------------------------------------------------------------------
// Finding the log.

#[test]
fn from_a_subfolder_the_record_goes_to_the_root_and_says_why() {
    let sb = repo();
    let run = in_cart(&sb, &["adr", "spec.yaml", "--date", DATE, "--verbose"]);
    run.code(0);
    assert_eq!(
        run.stdout,
        "../../docs/adr/0001-state-management-for-cart.md\n"
    );
    assert_eq!(
        run.stderr,
        "statewise: record folder `../../docs/adr`: no record folder found, so the default `docs/adr` at the repository root\n"
    );
    assert!(sb.exists("docs/adr/0001-state-management-for-cart.md"));
    assert!(!sb.exists("services/cart/docs"), "a second log was made");
    // Without `--verbose` nothing is said on standard error.
    let run = in_cart(&sb, &["adr", "spec.yaml", "--date", DATE]);
    run.success().stderr_empty();
    // `adr list` always says which folder and why.
    let run = in_cart(&sb, &["adr", "list"]);
    run.success();
    assert!(
        run.stdout.starts_with(
            "Records in `../../docs/adr`: the existing `docs/adr` at the repository root\n"
        ),
        "{}",
        run.context()
    );
}

#[test]
fn every_kind_of_marker_is_found_from_below() {
    let cases: [(&str, &str, &str); 5] = [
        (
            ".adr-dir",
            "doc/architecture/decisions\n",
            "doc/architecture/decisions",
        ),
        (
            "adrs.toml",
            "adr_dir = \"decisions\"\nmode = \"nextgen\"\n",
            "decisions",
        ),
        (".adrs.toml", "mode = \"compatible\"\n", "doc/adr"),
        (
            ".log4brains.yml",
            "---\nproject:\n  name: Shop\n  tz: Europe/Paris\n  adrFolder: ./docs/adr-l4b\n",
            "docs/adr-l4b",
        ),
        ("services/.adr-dir", "../records\n", "records"),
    ];
    for (marker, text, folder) in cases {
        let sb = repo();
        sb.write(marker, text);
        let run = in_cart(&sb, &["adr", "spec.yaml", "--date", DATE, "-v"]);
        run.code(0);
        let file = format!("{folder}/0001-state-management-for-cart.md");
        assert!(sb.exists(&file), "{marker}: {}", run.context());
        assert!(
            run.stderr.contains(&format!("named by `../../{marker}`"))
                || run.stderr.contains(&format!(
                    "named by `../{}`",
                    marker.trim_start_matches("services/")
                )),
            "{marker}: {}",
            run.context()
        );
    }
}

#[test]
fn existing_usual_folders_at_the_root_are_used_in_order() {
    for (folders, used) in [
        (&["docs/decisions"][..], "docs/decisions"),
        (
            &["docs/architecture/decisions"][..],
            "docs/architecture/decisions",
        ),
        (&["docs/architecture/decisions", "doc/adr"][..], "doc/adr"),
        (&["doc/adr", "docs/adr"][..], "docs/adr"),
    ] {
        let sb = repo();
        for f in folders {
            std::fs::create_dir_all(sb.path(f)).expect("mkdir");
        }
        in_cart(&sb, &["adr", "spec.yaml", "--date", DATE]).success();
        assert_eq!(
            sb.names(used),
            ["0001-state-management-for-cart.md"],
            "{folders:?}"
        );
    }
}

#[test]
fn the_environment_comes_after_the_flag_and_before_the_markers() {
    let sb = repo();
    sb.write(".adr-dir", "doc/adr\n");
    std::fs::create_dir_all(sb.path("doc/adr")).expect("mkdir");
    let run = sb
        .test()
        .cwd("services/cart")
        .env("STATEWISE_ADR_DIR", "../../env-records")
        .args(["adr", "spec.yaml", "--date", DATE, "--verbose"])
        .run();
    run.code(0);
    assert!(sb.exists("env-records/0001-state-management-for-cart.md"));
    assert!(
        run.stderr.contains("named by `STATEWISE_ADR_DIR`"),
        "{}",
        run.context()
    );
    let run = sb
        .test()
        .cwd("services/cart")
        .env("STATEWISE_ADR_DIR", "../../env-records")
        .args(["adr", "list", "--dir", "../../doc/adr", "--format", "json"])
        .run();
    run.success();
    assert_eq!(run.stdout.trim(), "[]");
}

#[test]
fn check_finds_the_same_folder_from_below() {
    let sb = repo();
    std::fs::create_dir_all(sb.path("doc/adr")).expect("mkdir");
    in_cart(&sb, &["adr", "spec.yaml", "--date", DATE]).success();
    assert!(sb.exists("doc/adr/0001-state-management-for-cart.md"));
    let run = in_cart(&sb, &["check", "spec.yaml", "--require-adr", "-v"]);
    run.code(0);
    assert!(
        run.stderr.contains(
            "record folder `../../doc/adr`: the existing `doc/adr` at the repository root"
        ),
        "{}",
        run.context()
    );
    // The spec moved on: check, from below, reads the record at the root.
    sb.write(
        "services/cart/spec.yaml",
        SPEC.replace(
            "kind: rest-api",
            "kind: rest-api\n    traffic: unpredictable",
        ),
    );
    in_cart(&sb, &["check", "spec.yaml"]).code(1);
}

// ---------------------------------------------------------------------------
// Records as other tools and editors save them.

/// An adr-tools record.
const ADR_TOOLS_1: &str = "# 1. Use Postgres\n\nDate: 2024-03-01\n\n## Status\n\nAccepted\n\n## Context\n\nWe need a database.\n";

/// A MADR record with front matter, as adrs and hand-written logs keep it.
const MADR_2: &str = "---\nstatus: proposed\ndate: 2024-04-02\n---\n\n# Pick a queue\n\n## Context and Problem Statement\n\nEvents.\n";

/// `text` as UTF-16 little endian with its byte-order mark.
fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        out.extend(unit.to_le_bytes());
    }
    out
}

/// `text` as UTF-8 with a byte-order mark.
fn bom(text: &str) -> Vec<u8> {
    [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()
}

/// A log of four foreign records: adr-tools, MADR with a BOM and CRLF,
/// UTF-16, and a MADR 2 status line.
fn foreign_log() -> Folder {
    let sb = Folder::new();
    sb.write("docs/adr/0001-use-postgres.md", ADR_TOOLS_1);
    sb.write(
        "docs/adr/0002-pick-a-queue.md",
        bom(&MADR_2.replace('\n', "\r\n")),
    );
    sb.write(
        "docs/adr/0003-shard-by-tenant.md",
        utf16le(
            "# 3. Shard by tenant\r\n\r\nDate: 2024-05-03\r\n\r\n## Status\r\n\r\nProposed\r\n",
        ),
    );
    sb.write(
        "docs/adr/0004-use-kafka.md",
        "# Use Kafka\n\n* Status: proposed\n* Date: 2020-05-06\n",
    );
    sb
}

fn list(sb: &Folder) -> Vec<(u64, String, String, String)> {
    let run = sb.run(&["adr", "list", "--format", "json"]);
    run.success();
    run.json()
        .as_array()
        .expect("array")
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
fn byte_order_marks_crlf_and_utf16_are_read() {
    let sb = foreign_log();
    assert_eq!(
        list(&sb),
        [
            (
                1,
                "Use Postgres".into(),
                "accepted".into(),
                "2024-03-01".into()
            ),
            (
                2,
                "Pick a queue".into(),
                "proposed".into(),
                "2024-04-02".into()
            ),
            (
                3,
                "Shard by tenant".into(),
                "proposed".into(),
                "2024-05-03".into()
            ),
            (
                4,
                "Use Kafka".into(),
                "proposed".into(),
                "2020-05-06".into()
            ),
        ]
    );
}

#[test]
fn status_changes_only_the_status_on_every_kind_of_record() {
    let sb = foreign_log();
    let before = sb.tree();
    let raw = |rel: &str| std::fs::read(sb.path(rel)).expect("read");
    for n in ["1", "2", "3", "4"] {
        let run = sb.run(&["adr", "status", n, "deprecated"]);
        run.success();
    }
    assert_eq!(
        raw("docs/adr/0001-use-postgres.md"),
        ADR_TOOLS_1.replace("Accepted", "Deprecated").as_bytes()
    );
    assert_eq!(
        raw("docs/adr/0002-pick-a-queue.md"),
        bom(&MADR_2
            .replace("status: proposed", "status: deprecated")
            .replace('\n', "\r\n"))
    );
    assert_eq!(
        raw("docs/adr/0003-shard-by-tenant.md"),
        utf16le(
            "# 3. Shard by tenant\r\n\r\nDate: 2024-05-03\r\n\r\n## Status\r\n\r\nDeprecated\r\n"
        )
    );
    assert_eq!(
        raw("docs/adr/0004-use-kafka.md"),
        b"# Use Kafka\n\n* Status: deprecated\n* Date: 2020-05-06\n"
    );
    assert!(list(&sb).iter().all(|r| r.2 == "deprecated"));
    // The same files, no temporary file left.
    assert_eq!(
        sb.tree().keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    // A missing record, an unknown status, a record without a status.
    sb.run(&["adr", "status", "9", "accepted"])
        .code(2)
        .stderr_contains("no record 9 in `docs/adr` to change");
    sb.run(&["adr", "status", "1", "approved"]).code(2);
    sb.write("docs/adr/0005-notes.md", "# Notes\n\nNo status here.\n");
    sb.run(&["adr", "status", "5", "accepted"])
        .code(2)
        .stderr_contains("has no status to change");
    assert_eq!(
        sb.read("docs/adr/0005-notes.md"),
        "# Notes\n\nNo status here.\n"
    );
}

#[test]
fn links_are_written_both_ways_where_each_record_keeps_them() {
    let sb = foreign_log();
    let run = sb.run(&["adr", "link", "2", "Amends", "1"]);
    run.success();
    assert_eq!(
        run.stdout,
        "docs/adr/0002-pick-a-queue.md\ndocs/adr/0001-use-postgres.md\n"
    );
    assert_eq!(
        sb.read("docs/adr/0001-use-postgres.md"),
        ADR_TOOLS_1.replace(
            "Accepted\n",
            "Accepted\n\nAmended by [2. Pick a queue](0002-pick-a-queue.md)\n"
        )
    );
    assert_eq!(
        std::fs::read(sb.path("docs/adr/0002-pick-a-queue.md")).expect("read"),
        bom(
            &format!("{MADR_2}\n## More Information\n\nAmends [ADR-0001](0001-use-postgres.md)\n")
                .replace('\n', "\r\n")
        )
    );
    // Twice is once.
    let tree = sb.tree();
    sb.run(&["adr", "link", "2", "Amends", "1"]).success();
    assert_eq!(sb.tree(), tree);
    // A relation statewise cannot reverse needs `--reverse`; nothing is
    // written before every check passed.
    sb.run(&["adr", "link", "3", "Haunts", "1"])
        .code(2)
        .stderr_contains("`--reverse`");
    sb.run(&["adr", "link", "3", "Amends", "9"])
        .code(2)
        .stderr_contains("no record 9");
    sb.run(&["adr", "link", "3", "Amends", "3"]).code(2);
    assert_eq!(sb.tree(), tree);
    sb.run(&["adr", "link", "3", "Haunts", "1", "--reverse", "Haunted by"])
        .success();
    assert!(
        sb.read("docs/adr/0001-use-postgres.md")
            .contains("\n\nHaunted by [3. Shard by tenant](0003-shard-by-tenant.md)\n")
    );
}

#[test]
fn the_index_is_written_and_checked() {
    let sb = foreign_log();
    let run = sb.run(&["adr", "toc", "--check"]);
    run.code(1);
    assert_eq!(
        run.stdout,
        "`docs/adr/README.md` is missing; run `statewise adr toc` to write it\n"
    );
    sb.run(&["adr", "toc"]).success();
    assert_eq!(
        sb.read("docs/adr/README.md"),
        "# Architecture Decision Records\n\n\
         * [ADR-0001](0001-use-postgres.md): Use Postgres (accepted, 2024-03-01)\n\
         * [ADR-0002](0002-pick-a-queue.md): Pick a queue (proposed, 2024-04-02)\n\
         * [ADR-0003](0003-shard-by-tenant.md): Shard by tenant (proposed, 2024-05-03)\n\
         * [ADR-0004](0004-use-kafka.md): Use Kafka (proposed, 2020-05-06)\n"
    );
    sb.run(&["adr", "toc", "--check"])
        .success()
        .stdout_contains("is up to date");
    sb.run(&["adr", "status", "4", "rejected"]).success();
    let stale = sb.read("docs/adr/README.md");
    sb.run(&["adr", "toc", "--check"])
        .code(1)
        .stdout_contains("is stale");
    assert_eq!(sb.read("docs/adr/README.md"), stale, "--check wrote");
    // Never over a record, nor named like one.
    sb.run(&["adr", "toc", "--output", "docs/adr/0001-use-postgres.md"])
        .code(2)
        .stderr_contains("is named like a record");
    assert_eq!(sb.read("docs/adr/0001-use-postgres.md"), ADR_TOOLS_1);
    // Elsewhere, the links lead back to the folder.
    sb.run(&["adr", "toc", "--output", "docs/decisions.md"])
        .success();
    assert!(
        sb.read("docs/decisions.md")
            .contains("* [ADR-0004](adr/0004-use-kafka.md): Use Kafka (rejected, 2020-05-06)\n")
    );
}

#[test]
fn the_graph_shows_supersedes_and_links_with_statuses() {
    let sb = foreign_log();
    sb.run(&["adr", "link", "3", "Amends", "1"]).success();
    sb.write(
        "docs/adr/0005-use-cockroachdb.md",
        "# 5. Use CockroachDB\n\nDate: 2024-06-01\n\n## Status\n\nAccepted\n\nSupersedes [1. Use Postgres](0001-use-postgres.md)\n",
    );
    let run = sb.run(&["adr", "graph"]);
    run.success();
    assert_eq!(
        run.stdout,
        "flowchart BT\n  adr1[\"1. Use Postgres<br/>accepted\"]\n  adr2[\"2. Pick a queue<br/>proposed\"]\n  \
         adr3[\"3. Shard by tenant<br/>proposed\"]\n  adr4[\"4. Use Kafka<br/>proposed\"]\n  \
         adr5[\"5. Use CockroachDB<br/>accepted\"]\n  adr3 -->|amends| adr1\n  adr5 -->|supersedes| adr1\n  \
         classDef proposed fill:#fff8c5,stroke:#9a6700\n  class adr2,adr3,adr4 proposed\n  \
         classDef accepted fill:#dafbe1,stroke:#1a7f37\n  class adr1,adr5 accepted\n"
    );
}

// ---------------------------------------------------------------------------
// A proposal is updated; an accepted record is superseded.

#[test]
fn a_proposal_is_rewritten_until_accepted_then_superseded() {
    let sb = repo();
    let first = "../../docs/adr/0001-state-management-for-cart.md\n";
    let run = in_cart(&sb, &["adr", "spec.yaml", "--date", DATE]);
    run.success();
    assert_eq!(run.stdout, first);
    let original = sb.read("docs/adr/0001-state-management-for-cart.md");
    // Unchanged spec: the same record, the same bytes.
    in_cart(&sb, &["adr", "spec.yaml", "--date", DATE]).success();
    assert_eq!(
        sb.read("docs/adr/0001-state-management-for-cart.md"),
        original
    );
    // A changed spec: the proposal is rewritten in place.
    sb.write(
        "services/cart/spec.yaml",
        SPEC.replace(
            "kind: rest-api",
            "kind: rest-api\n    traffic: unpredictable",
        ),
    );
    let run = in_cart(&sb, &["adr", "spec.yaml", "--date", "2026-11-29"]);
    run.success();
    assert_eq!(run.stdout, first);
    assert_eq!(sb.names("docs/adr"), ["0001-state-management-for-cart.md"]);
    let rewritten = sb.read("docs/adr/0001-state-management-for-cart.md");
    assert_ne!(rewritten, original);
    assert!(rewritten.contains("\nstatus: proposed\ndate: 2026-11-29\n"));
    in_cart(&sb, &["check", "spec.yaml"]).success();
    // Accepted: never rewritten. The same spec again writes nothing...
    in_cart(&sb, &["adr", "status", "1", "accepted"]).success();
    let accepted = sb.read("docs/adr/0001-state-management-for-cart.md");
    let run = in_cart(&sb, &["adr", "spec.yaml", "--date", "2026-11-30"]);
    run.success();
    assert_eq!(run.stdout, first);
    assert_eq!(sb.names("docs/adr"), ["0001-state-management-for-cart.md"]);
    assert_eq!(
        sb.read("docs/adr/0001-state-management-for-cart.md"),
        accepted
    );
    // ... and a changed one gets a new record that supersedes it.
    sb.write("services/cart/spec.yaml", SPEC);
    let run = in_cart(&sb, &["adr", "spec.yaml", "--date", "2026-11-30"]);
    run.success();
    assert_eq!(
        run.stdout,
        "../../docs/adr/0002-state-management-for-cart.md\n../../docs/adr/0001-state-management-for-cart.md\n"
    );
    let old = sb.read("docs/adr/0001-state-management-for-cart.md");
    assert_eq!(
        old,
        rewritten.replace(
            "status: proposed",
            "status: \"superseded by [ADR-0002](0002-state-management-for-cart.md)\""
        )
    );
    // The new proposal, rewritten, still says what it supersedes.
    sb.write(
        "services/cart/spec.yaml",
        SPEC.replace("kind: database", "kind: database\n    availability: 99.9"),
    );
    in_cart(&sb, &["adr", "spec.yaml", "--date", "2026-12-01"]).success();
    let second = sb.read("docs/adr/0002-state-management-for-cart.md");
    assert!(
        second.contains("\nSupersedes [ADR-0001](0001-state-management-for-cart.md): State management for Cart.\n"),
        "{second}"
    );
    // `--new` forces a new record.
    in_cart(&sb, &["adr", "spec.yaml", "--date", DATE, "--new"]).success();
    assert_eq!(sb.names("docs/adr").len(), 3);
}

#[test]
fn a_log4brains_log_is_found_and_its_dated_records_take_no_number() {
    let sb = repo();
    sb.write(
        ".log4brains.yml",
        "---\nproject:\n  name: Shop\n  tz: Europe/Paris\n  adrFolder: ./docs/adr\n",
    );
    sb.write(
        "docs/adr/20200506-use-kafka.md",
        "# Use Kafka\n\n- Status: accepted\n- Date: 2020-05-06\n\n## Context and Problem Statement\n\nEvents.\n",
    );
    let run = in_cart(&sb, &["adr", "spec.yaml", "--date", DATE]);
    run.success();
    assert_eq!(
        run.stdout,
        "../../docs/adr/0001-state-management-for-cart.md\n"
    );
    let run = in_cart(&sb, &["adr", "list", "--format", "json"]);
    run.success();
    let list = run.json();
    assert_eq!(list[0]["number"], 1);
    assert_eq!(list[1]["number"], 20_200_506);
    assert_eq!(list[1]["title"], "Use Kafka");
    assert_eq!(list[1]["status"], "accepted");
    assert_eq!(list[1]["date"], "2020-05-06");
}
