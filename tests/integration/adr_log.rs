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
