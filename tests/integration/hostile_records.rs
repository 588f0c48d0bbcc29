//! Records and the files around them in a hostile repository (issue 12):
//! a record too large to rewrite is refused whole, a record superseded
//! twice keeps both links in every format, symbolic links to records count
//! and dangling ones hold their number, what a killed `adr` left costs no
//! number and is cleared, `.adr-dir` is read only when it is a small file,
//! and deeply nested front matter neither hangs nor crashes `check`.
//! Every run is the real binary; every file is compared byte for byte.

use std::time::Duration;

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
    let mut all = vec!["adr", "spec.yaml", "--date", DATE, "--new"];
    all.extend_from_slice(args);
    let run = sb.run(&all);
    run.success();
    run.stdout.lines().map(str::to_owned).collect()
}

/// The bytes of `rel` in the folder.
fn bytes(sb: &Folder, rel: &str) -> Vec<u8> {
    std::fs::read(sb.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

/// Everything under the folder, links not followed (`Folder::tree` would
/// read through a link to `/dev/zero` or a FIFO, or fail on a dangling
/// one): files with their bytes, links with their target, others by kind.
#[cfg(unix)]
fn state(sb: &Folder) -> std::collections::BTreeMap<String, Vec<u8>> {
    use std::collections::BTreeMap;
    use std::path::Path;
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("dir entry").path();
            let rel = path
                .strip_prefix(root)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            let kind = std::fs::symlink_metadata(&path).expect("lstat").file_type();
            if kind.is_symlink() {
                let target = std::fs::read_link(&path).expect("read link");
                out.insert(rel, format!("-> {}", target.display()).into_bytes());
            } else if kind.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(root, &path, out);
            } else if kind.is_file() {
                out.insert(rel, std::fs::read(&path).expect("read file"));
            } else {
                out.insert(rel, b"(special)".to_vec());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(sb.root(), sb.root(), &mut out);
    out
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

// ---------------------------------------------------------------------------
// 3. Symbolically linked records count.

#[cfg(unix)]
#[test]
fn linked_records_are_listed_and_numbered_and_never_written_through() {
    use std::os::unix::fs::symlink;
    let sb = with_spec();
    sb.write(
        "docs/adr/0001-record-architecture-decisions.md",
        ADR_TOOLS_INIT,
    )
    .write("shared/kafka.md", OLD_MADR);
    symlink(
        "../../shared/kafka.md",
        sb.path("docs/adr/0002-use-kafka.md"),
    )
    .expect("symlink");
    // A link to nothing still holds number 3; so does a link to a device.
    symlink("../../shared/gone.md", sb.path("docs/adr/0003-gone.md")).expect("symlink");
    symlink("/dev/null", sb.path("docs/adr/0004-null.md")).expect("symlink");
    assert_eq!(
        listed(&sb),
        [
            (1, "Record architecture decisions".into(), "accepted".into()),
            (2, "Use Kafka for events".into(), "proposed".into()),
        ]
    );
    let printed = adr(&sb, &[]);
    assert_eq!(printed, ["docs/adr/0005-state-management-for-acme-shop.md"]);
    assert!(
        !sb.exists("shared/gone.md"),
        "a dangling link was written through"
    );
    assert_eq!(sb.read("shared/kafka.md"), OLD_MADR);

    // Superseding a linked record would replace the link or write outside
    // the folder: refused, and nothing is written.
    let before = state(&sb);
    let run = sb.run(&["adr", "spec.yaml", "--date", DATE, "--supersedes", "2"]);
    run.fails();
    assert_eq!(
        run.stderr,
        "error: `docs/adr/0002-use-kafka.md` is a symbolic link; statewise edits only regular \
         files in place, so it was left unchanged: edit the file it points to by hand, or \
         replace the link with a copy of the file\n",
        "{}",
        run.context()
    );
    assert!(state(&sb) == before, "something was written");
    let link = std::fs::symlink_metadata(sb.path("docs/adr/0002-use-kafka.md")).expect("link");
    assert!(link.file_type().is_symlink());

    // `check` reads a record of ours through a link too.
    let sb = with_spec();
    adr(&sb, &[]);
    std::fs::create_dir_all(sb.path("kept")).expect("mkdir");
    std::fs::rename(sb.path(&format!("docs/adr/{FIRST}")), sb.path("kept/r.md")).expect("mv");
    symlink("../../kept/r.md", sb.path(&format!("docs/adr/{FIRST}"))).expect("symlink");
    let run = sb.run(&["check", "spec.yaml", "--require-adr"]);
    run.success();
    assert!(
        !run.stdout.contains("no decision record"),
        "{}",
        run.context()
    );
}

// ---------------------------------------------------------------------------
// 4. A killed `adr` leaves nothing behind.

/// A PID no process has: that of a child that has been waited for.
#[cfg(target_os = "linux")]
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true")
        .spawn()
        .expect("spawn true");
    let pid = child.id();
    child.wait().expect("wait");
    pid
}

/// What `adr` writes into a claim: its PID, this boot and PID namespace.
#[cfg(target_os = "linux")]
fn claim_by(pid: u32) -> String {
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").expect("boot id");
    let ns = std::fs::read_link("/proc/self/ns/pid").expect("pid namespace");
    format!("pid={pid} boot={} ns={}\n", boot.trim(), ns.display())
}

#[cfg(target_os = "linux")]
#[test]
fn what_a_killed_adr_left_costs_no_number_and_is_cleared() {
    let sb = with_spec();
    adr(&sb, &["--title", "First"]);
    let first = "docs/adr/0001-first.md";
    let original = sb.read(first);
    // `adr` killed while writing record 2 and marking record 1 superseded:
    // its claim on 2, its half-written record, its half-done rewrite of 1.
    let dead = dead_pid();
    sb.write("docs/adr/.0002.statewise-lock", claim_by(dead))
        .write(
            &format!("docs/adr/.0002-second.md.{dead}.tmp"),
            "---\nstatus: proposed\n",
        )
        .write(
            &format!("docs/adr/.0001-first.md.{dead}.tmp"),
            original.replace("status: proposed", "status: \"superseded by"),
        );
    let printed = adr(&sb, &["--title", "Second", "--supersedes", "1"]);
    assert_eq!(printed, ["docs/adr/0002-second.md", first]);
    assert_eq!(sb.names("docs/adr"), ["0001-first.md", "0002-second.md"]);
    assert_eq!(
        sb.read(first),
        original.replacen(
            "\nstatus: proposed\n",
            "\nstatus: \"superseded by [ADR-0002](0002-second.md)\"\n",
            1
        )
    );

    // A claim an older statewise left (no owner inside), untouched for
    // minutes: stale too.
    let claim = sb.path("docs/adr/.0003.statewise-lock");
    std::fs::write(&claim, "").expect("write claim");
    let old = std::time::SystemTime::now() - Duration::from_secs(600);
    std::fs::File::options()
        .write(true)
        .open(&claim)
        .and_then(|f| f.set_modified(old))
        .expect("age the claim");
    assert_eq!(adr(&sb, &["--title", "Third"]), ["docs/adr/0003-third.md"]);
    assert_eq!(
        sb.names("docs/adr"),
        ["0001-first.md", "0002-second.md", "0003-third.md"]
    );

    // A claim of a process that is running (this test) is respected: the
    // number is skipped and the claim stays.
    sb.write(
        "docs/adr/.0004.statewise-lock",
        claim_by(std::process::id()),
    );
    assert_eq!(adr(&sb, &["--title", "Fifth"]), ["docs/adr/0005-fifth.md"]);
    assert!(sb.exists("docs/adr/.0004.statewise-lock"));
}

// ---------------------------------------------------------------------------
// 5. `.adr-dir` is read only when it is a small file.

/// Runs `args` in `sb`, which must fail within seconds without writing.
#[cfg(target_os = "linux")]
#[track_caller]
fn refused(sb: &Folder, args: &[&str], message: &str) {
    let before = state(sb);
    let run = sb.test().args(args).timeout(Duration::from_secs(20)).run();
    run.fails();
    assert_eq!(
        run.stderr,
        format!("error: {message}\n"),
        "{}",
        run.context()
    );
    assert!(state(sb) == before, "something was written");
}

/// The help every refused `.adr-dir` gets.
#[cfg(target_os = "linux")]
const ADR_DIR_FIX: &str = "it should be a small text file holding the record folder on one line \
                           (e.g. `doc/adr`): fix or remove it, or pass `--dir`";

#[cfg(target_os = "linux")]
#[test]
fn adr_dir_pointing_at_a_device_a_fifo_or_a_folder_is_refused_unread() {
    let sb = with_spec();
    std::os::unix::fs::symlink("/dev/zero", sb.path(".adr-dir")).expect("symlink");
    let device = format!("`.adr-dir` is a device, not a file; {ADR_DIR_FIX}");
    for args in [
        &["adr", "spec.yaml", "--date", DATE][..],
        &["adr", "list"],
        &["check", "spec.yaml"],
    ] {
        refused(&sb, args, &device);
    }

    let sb = with_spec();
    let made = std::process::Command::new("mkfifo")
        .arg(sb.path(".adr-dir"))
        .status()
        .expect("run mkfifo");
    assert!(made.success(), "mkfifo failed");
    refused(
        &sb,
        &["adr", "list"],
        &format!("`.adr-dir` is a FIFO (named pipe), not a file; {ADR_DIR_FIX}"),
    );

    let sb = with_spec();
    std::fs::create_dir(sb.path(".adr-dir")).expect("mkdir");
    refused(
        &sb,
        &["adr", "spec.yaml"],
        &format!("`.adr-dir` is a directory, not a file; {ADR_DIR_FIX}"),
    );

    let sb = with_spec();
    sb.write(".adr-dir", format!("doc/adr\n{}", "#".repeat(8192)));
    refused(
        &sb,
        &["adr", "list"],
        &format!(
            "`.adr-dir` is 8200 bytes, more than the 4096 bytes statewise reads; {ADR_DIR_FIX}"
        ),
    );

    // A link to a small file is followed, as before.
    let sb = with_spec();
    sb.write("config/adr-dir", "decisions\n");
    std::os::unix::fs::symlink("config/adr-dir", sb.path(".adr-dir")).expect("symlink");
    assert_eq!(adr(&sb, &[]), [format!("decisions/{FIRST}")]);
}

// ---------------------------------------------------------------------------
// 6. Record front matter is bounded.

#[test]
fn deeply_nested_front_matter_is_no_metadata_and_does_not_hang() {
    let sb = with_spec();
    adr(&sb, &[]);
    // A later record claims the system, with 100,000 `[` in its front
    // matter: read as YAML, that takes time growing with the square of
    // the depth.
    let deep = format!(
        "---\nstatus: accepted\nstatewise-system: Acme Shop\nstatewise-spec-digest: sha256:0\n\
         statewise-verdicts: {}\n---\n\n# Deep\n",
        "[".repeat(100_000)
    );
    sb.write("docs/adr/0002-deep.md", &deep);
    let quick = |args: &[&str]| sb.test().args(args).timeout(Duration::from_secs(20)).run();
    // `check` skips it, as any record without readable metadata, and finds
    // the one before it.
    let run = quick(&["check", "spec.yaml", "--require-adr"]);
    run.success();
    assert_eq!(
        run.stdout,
        "check passed: 0 errors, 0 warnings, 0 notes, 0 waived\n"
    );
    let run = quick(&["adr", "list", "--format", "json"]);
    run.success();
    let list = run.json();
    assert_eq!(list[1]["title"], "Deep");
    assert_eq!(list[1]["status"], "accepted");
    // With only that record, the system has no record: a note, exit 0.
    std::fs::remove_file(sb.path(&format!("docs/adr/{FIRST}"))).expect("rm");
    let run = quick(&["check", "spec.yaml"]);
    run.success();
    assert!(
        run.stdout.contains(
            "note: spec.yaml: no decision record for `Acme Shop` in `docs/adr`; `statewise adr spec.yaml` writes one\n"
        ),
        "{}",
        run.context()
    );
    assert_eq!(sb.read("docs/adr/0002-deep.md"), deep);
}
