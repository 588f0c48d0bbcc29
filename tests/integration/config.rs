//! `statewise.toml`: found upward like the record folder, its paths taken
//! from its own folder, unknown keys refused at their line, and the
//! precedence flags > `STATEWISE_*` environment > file > defaults, which
//! `statewise config` prints.

use crate::util::Folder;

const SPEC: &str = "\
version: 1
system:
  name: Cart
components:
  - name: cart-api
    kind: rest-api
";

/// A repository with a spec in `services/cart/` and `statewise.toml` at the
/// root holding `toml`.
fn repo(toml: &str) -> Folder {
    let sb = Folder::new();
    std::fs::create_dir_all(sb.path(".git")).expect("mkdir .git");
    sb.write("services/cart/spec.yaml", SPEC);
    sb.write("statewise.toml", toml);
    sb
}

#[test]
fn the_file_is_found_from_below_and_its_paths_are_its_own() {
    let sb = repo(
        "spec = \"services/cart/spec.yaml\"\nadr-dir = \"records\"\ntemplate = \"nygard\"\nfail-on = \"warning\"\n",
    );
    let run = sb
        .test()
        .cwd("services/cart")
        .args(["adr", "--date", "2026-11-28"])
        .run();
    run.success();
    assert_eq!(
        run.stdout,
        "../../records/0001-state-management-for-cart.md\n"
    );
    // Nygard, as the file says.
    assert!(
        sb.read("records/0001-state-management-for-cart.md")
            .starts_with("# 1. State management for Cart\n")
    );
    // `--verbose` says which file and which spec.
    let run = sb
        .test()
        .cwd("services/cart")
        .args(["check", "--verbose"])
        .run();
    run.code(0);
    assert_eq!(
        run.stderr,
        "statewise: configuration `../../statewise.toml`\n\
         statewise: spec `../../services/cart/spec.yaml`: `../../statewise.toml`\n\
         statewise: record folder `../../records`: named by `../../statewise.toml`\n"
    );
    let run = sb.test().cwd("services").args(["config"]).run();
    run.success();
    assert_eq!(
        run.stdout,
        "# configuration file: ../statewise.toml\n\
         spec = \"../services/cart/spec.yaml\"  # `../statewise.toml`\n\
         adr-dir = \"../records\"  # `../statewise.toml`\n\
         template = \"nygard\"  # `../statewise.toml`\n\
         rules = []  # default: the built-in rules\n\
         no-default-rules = false  # default: the built-in rules\n\
         format = \"table\"  # default\n\
         check-format = \"text\"  # default\n\
         fail-on = \"warning\"  # `../statewise.toml`\n"
    );
}

#[test]
fn flags_beat_the_environment_which_beats_the_file() {
    let sb = repo("template = \"nygard\"\nformat = \"json\"\nspec = \"services/cart/spec.yaml\"\n");
    let first_line = |env: Option<&str>, flag: Option<&str>| {
        let mut t = sb.test().args(["adr", "--stdout", "--date", "2026-11-28"]);
        if let Some(v) = env {
            t = t.env("STATEWISE_TEMPLATE", v);
        }
        if let Some(v) = flag {
            t = t.args(["--template", v]);
        }
        let run = t.run();
        run.success();
        run.stdout.lines().next().unwrap_or_default().to_owned()
    };
    assert_eq!(first_line(None, None), "# 1. State management for Cart");
    assert_eq!(first_line(Some("madr"), None), "---");
    assert_eq!(
        first_line(Some("madr"), Some("nygard")),
        "# 1. State management for Cart"
    );
    // The format of `analyze`, the same way.
    let run = sb.run(&["analyze"]);
    run.success();
    assert!(run.stdout.starts_with('{'), "{}", run.context());
    let run = sb
        .test()
        .env("STATEWISE_FORMAT", "markdown")
        .args(["analyze"])
        .run();
    run.success();
    assert!(run.stdout.starts_with('#'), "{}", run.context());
    let run = sb
        .test()
        .env("STATEWISE_FORMAT", "markdown")
        .args(["analyze", "--format", "table"])
        .run();
    run.success();
    assert!(
        run.stdout.starts_with('┌') || run.stdout.contains("cart-api"),
        "{}",
        run.context()
    );
    assert!(!run.stdout.starts_with('{') && !run.stdout.starts_with('#'));
    // `statewise config` names each source.
    let run = sb
        .test()
        .env("STATEWISE_TEMPLATE", "madr")
        .env("STATEWISE_ADR_DIR", "env-dir")
        .args(["config"])
        .run();
    run.success();
    assert!(
        run.stdout
            .contains("template = \"madr\"  # environment `STATEWISE_TEMPLATE`\n")
    );
    assert!(
        run.stdout
            .contains("adr-dir = \"env-dir\"  # environment `STATEWISE_ADR_DIR`\n")
    );
    assert!(
        run.stdout
            .contains("format = \"json\"  # `statewise.toml`\n")
    );
    // A bad value in the environment is exit 2, naming the variable.
    sb.test()
        .env("STATEWISE_FORMAT", "yaml")
        .args(["analyze"])
        .run()
        .code(2)
        .stderr_contains("`STATEWISE_FORMAT`: `yaml` is not a format");
}

/// A team rule that fires for unpredictable traffic.
const TEAM_RULE: &str = "\
- id: team-rule
  title: Our own rule
  when:
    traffic: unpredictable
  favors: stateless
  weight: 1
  because: >-
    The team says so.
";

/// A caller whose stateful dependency targets less availability: a warning.
const DEPENDS: &str = "version: 1\nsystem: {name: S}\ncomponents:\n  - name: api\n    kind: rest-api\n    traffic: unpredictable\n    availability: 99.99\n    depends_on: [sessions]\n  - name: sessions\n    kind: session-store\n    availability: 99.9\n";

#[test]
fn rules_and_fail_on_come_from_the_file() {
    let sb = repo(
        "spec = \"services/cart/spec.yaml\"\nrules = [\"policy/rules.yaml\"]\nfail-on = \"warning\"\n",
    );
    sb.write("services/cart/spec.yaml", DEPENDS);
    sb.write("policy/rules.yaml", "rules: [\n");
    // The file's rules are loaded: this one is broken, exit 2 at it.
    sb.test()
        .cwd("services/cart")
        .args(["analyze"])
        .run()
        .code(2)
        .stderr_contains("../../policy/rules.yaml");
    // Flags replace them.
    sb.write("other.yaml", TEAM_RULE);
    let run = sb
        .test()
        .cwd("services/cart")
        .args(["analyze", "--format", "json", "--rules", "../../other.yaml"])
        .run();
    run.success();
    assert!(run.stdout.contains("\"team-rule\""), "{}", run.context());
    sb.write("policy/rules.yaml", TEAM_RULE);
    let run = sb
        .test()
        .cwd("services/cart")
        .args(["analyze", "--format", "json"])
        .run();
    run.success();
    assert!(run.stdout.contains("\"team-rule\""), "{}", run.context());
    let run = sb.test().args(["config"]).run();
    run.success();
    assert!(
        run.stdout
            .contains("rules = [\"policy/rules.yaml\"]  # `statewise.toml`\n"),
        "{}",
        run.stdout
    );
    // `fail-on = "warning"` fails on the dependency warning; the flag wins.
    sb.test().args(["check"]).run().code(1);
    sb.test()
        .args(["check", "--fail-on", "error"])
        .run()
        .success();
    sb.test()
        .env("STATEWISE_FAIL_ON", "error")
        .args(["check"])
        .run()
        .success();
}

#[test]
fn unknown_keys_and_bad_values_are_exit_2_at_their_line() {
    let sb = repo("spec = \"services/cart/spec.yaml\"\n\nadr_dir = \"records\"\n");
    for args in [&["config"][..], &["analyze"], &["adr", "list"], &["check"]] {
        sb.test()
            .cwd("services/cart")
            .args(args)
            .run()
            .code(2)
            .stdout_empty()
            .stderr_contains(
                "error: ../../statewise.toml:3:1: unknown key `adr_dir`, did you mean `adr-dir`?",
            );
    }
    sb.write("statewise.toml", "fail-on = \"sometimes\"\n");
    sb.run(&["config"]).code(2).stderr_contains(
        "statewise.toml:1:11: `fail-on = \"sometimes\"` is not one of `error`, `warning`, `note`, `never`",
    );
    sb.write("statewise.toml", "check-format = \"pdf\"\n");
    sb.run(&["config"]).code(2).stderr_contains(
        "statewise.toml:1:16: `check-format = \"pdf\"` is not one of `text`, `json`, `github`, `sarif`, `junit`, `gitlab`, `markdown`",
    );
    sb.write("statewise.toml", "spec = [\n");
    sb.run(&["config"])
        .code(2)
        .stderr_contains("statewise.toml:");
    assert!(!sb.exists("docs"), "a failed run wrote something");
}

#[test]
fn check_format_and_baseline_come_from_the_file() {
    let sb = repo(
        "spec = \"services/cart/spec.yaml\"\ncheck-format = \"json\"\nbaseline = \"policy/baseline.json\"\nfail-on = \"never\"\n",
    );
    sb.write("services/cart/spec.yaml", DEPENDS);
    // The dependency warning is accepted into the baseline once...
    sb.test()
        .args(["check", "--create-baseline", "policy/baseline.json"])
        .run()
        .success();
    assert!(sb.exists("policy/baseline.json"));
    // ...then, from a subfolder, check prints JSON by default and reads the
    // file's baseline: the warning is baselined, not reported.
    let run = sb.test().cwd("services/cart").args(["check"]).run();
    run.success();
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON by default");
    let findings = doc["findings"].as_array().expect("findings");
    assert!(
        !findings
            .iter()
            .any(|f| f["rule"] == "dependency-below-target"),
        "{}",
        run.stdout
    );
    // A flag beats the file, the environment beats it too.
    sb.test()
        .args(["check", "--format", "text"])
        .run()
        .success()
        .stdout_contains("check passed");
    sb.test()
        .env("STATEWISE_CHECK_FORMAT", "markdown")
        .args(["check"])
        .run()
        .success()
        .stdout_lacks("\"findings\"");
    let run = sb.test().args(["config"]).run();
    run.success()
        .stdout_contains("check-format = \"json\"  # `statewise.toml`\n")
        .stdout_contains("fail-on = \"never\"  # `statewise.toml`\n")
        .stdout_contains("baseline = \"policy/baseline.json\"  # `statewise.toml`\n");
}
