//! `statewise import`: specs from Compose files, Kubernetes manifests and
//! Helm output, in the shapes public projects keep them (fixtures in
//! `tests/import/`); what it refuses, and that it never overwrites.

use crate::util::{Folder, Test, repo};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(repo().join("tests/import").join(name)).expect("fixture")
}

/// Imports `file` (written at `at`) to standard output.
fn imported(at: &str, file: &str) -> crate::util::Output {
    let out = Test::new()
        .file(at, fixture(file))
        .args(["import", at, "--stdout"])
        .run();
    out.code(0);
    out
}

/// The compose fixture imported into `statewise.yaml` in a fresh folder:
/// the folder, and the spec as written.
fn imported_compose() -> (Folder, String) {
    let out = Test::new()
        .file("docker-compose.yml", fixture("compose.yaml"))
        .args(["import", "docker-compose.yml"])
        .run();
    out.code(0);
    let spec = out.folder.read("statewise.yaml");
    (out.folder.clone(), spec)
}

#[test]
fn compose_file_becomes_a_commented_spec() {
    let out = imported("docker-compose.yml", "compose.yaml");
    insta::assert_snapshot!("import__compose", out.stdout);
    assert!(
        out.stderr.contains("`db-seed`") && out.stderr.contains("--keep-helpers"),
        "the seed job is noted on stderr: {}",
        out.stderr
    );
}

#[test]
fn kubernetes_manifests_become_a_commented_spec() {
    let out = imported("k8s/shop.yaml", "shop.yaml");
    insta::assert_snapshot!("import__kubernetes", out.stdout);
    for skipped in ["`frontend-istio-proxy`", "`loadgenerator`"] {
        assert!(out.stderr.contains(skipped), "{}", out.stderr);
    }
}

#[test]
fn helm_output_names_its_chart_templates() {
    let out = imported("chat/rendered.yaml", "helm.yaml");
    insta::assert_snapshot!("import__helm", out.stdout);
    assert!(
        out.stdout
            .contains("from Helm template chat/templates/deployment.yaml")
    );
}

#[test]
fn backstage_catalog_becomes_a_commented_spec() {
    let out = imported("catalog-info.yaml", "catalog-info.yaml");
    insta::assert_snapshot!("import__backstage", out.stdout);
    assert!(
        out.stderr.contains("`payments-sdk` (a library"),
        "{}",
        out.stderr
    );
    Test::new()
        .file(
            "catalog-info.yaml",
            "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: {name: s}\n---\napiVersion: backstage.io/v1alpha1\nmetadata:\n  name: c\n",
        )
        .args(["import", "catalog-info.yaml"])
        .run()
        .code(2)
        .error_at("catalog-info.yaml:5:1")
        .stderr_contains("no `kind`");
}

#[test]
fn imported_specs_analyze() {
    for (at, file) in [
        ("catalog-info.yaml", "catalog-info.yaml"),
        ("docker-compose.yml", "compose.yaml"),
        ("k8s/shop.yaml", "shop.yaml"),
        ("chat/rendered.yaml", "helm.yaml"),
    ] {
        let folder = Test::new()
            .file(at, fixture(file))
            .args(["import", at])
            .run();
        folder.code(0).stdout_contains("statewise.yaml");
        let analyzed = folder
            .folder
            .test()
            .args(["analyze", "--format", "json"])
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
}

#[test]
fn a_folder_is_read_in_path_order_and_other_yaml_is_skipped() {
    let out = Test::new()
        .file("deploy/b/shop.yaml", fixture("shop.yaml"))
        .file("deploy/a/helm.yaml", fixture("helm.yaml"))
        .file("deploy/a/values.yaml", "replicaCount: 2\n")
        .file("deploy/README.md", "# not yaml: { [\n")
        .args(["import", "deploy", "--stdout", "--name", "Acme"])
        .run();
    out.code(0)
        .stdout_contains("  name: Acme")
        .stderr_contains("skipped `deploy/a/values.yaml`");
    let chat = out.stdout.find("name: release-chat").expect("helm first");
    let cart = out.stdout.find("name: cart").expect("shop after");
    assert!(chat < cart);
}

#[test]
fn helpers_are_kept_on_request() {
    let out = Test::new()
        .file("k8s/shop.yaml", fixture("shop.yaml"))
        .args(["import", "k8s/shop.yaml", "--stdout", "--keep-helpers"])
        .run();
    out.success()
        .stdout_contains("name: frontend-istio-proxy")
        .stdout_contains("name: loadgenerator");
    assert!(!out.stderr.contains("not a component"), "{}", out.stderr);
    // The load generator calls the frontend, which it now names.
    let lg = out.stdout.find("name: loadgenerator").expect("kept");
    assert!(out.stdout[lg..].contains("depends_on: [frontend]"));
}

#[test]
fn a_users_table_comes_before_the_built_in_one() {
    let out = Test::new()
        .file("k8s/shop.yaml", fixture("shop.yaml"))
        .file(
            "mine.yaml",
            "kinds:\n  - kind: web-frontend\n    images: [\"frontend\"]\n  - kind: database\n    images: [\"redis*\"]\n",
        )
        .args(["import", "k8s/shop.yaml", "--stdout", "--rules", "mine.yaml"])
        .run();
    out.code(0)
        .stdout_contains(
            "kind: web-frontend                 # from k8s/shop.yaml:21: image `frontend`",
        )
        .stdout_contains(
            "kind: database                     # from k8s/shop.yaml:127: image `redis`",
        );
}

#[test]
fn a_bad_table_is_located_and_nothing_is_written() {
    let out = Test::new()
        .file("docker-compose.yml", fixture("compose.yaml"))
        .file(
            "mine.yaml",
            "kinds:\n  - kind: cahce\n    images: [redis]\n",
        )
        .args(["import", "docker-compose.yml", "--rules", "mine.yaml"])
        .run();
    out.code(2)
        .error_at("mine.yaml:2:11")
        .stderr_contains("did you mean `cache`?");
    assert!(!out.folder.exists("statewise.yaml"));
}

#[test]
fn bad_input_is_located_and_nothing_is_written() {
    let cases = [
        (
            "not YAML",
            "k8s.yaml",
            "kind: Service\nmetadata: {name: [x\n",
            "k8s.yaml:3:1",
        ),
        (
            "unknown Compose key",
            "compose.yaml",
            "services:\n  web:\n    image: nginx\nvolume:\n  data:\n",
            "compose.yaml:4:1",
        ),
        (
            "object without kind",
            "k8s.yaml",
            "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: apps/v1\nmetadata:\n  name: b\n",
            "k8s.yaml:5:1",
        ),
    ];
    for (what, file, text, place) in cases {
        let out = Test::new().file(file, text).args(["import", file]).run();
        out.code(2).error_at(place);
        assert!(
            !out.folder.exists("statewise.yaml"),
            "{what}: a spec was written"
        );
    }
    Test::new()
        .file("compose.yaml", "services:\n  web: {}\nvolume: {}\n")
        .args(["import", "compose.yaml"])
        .run()
        .code(2)
        .stderr_contains("did you mean `volumes`?");
}

#[test]
fn it_never_overwrites() {
    let out = Test::new()
        .file("docker-compose.yml", fixture("compose.yaml"))
        .file("statewise.yaml", "mine\n")
        .args(["import", "docker-compose.yml"])
        .run();
    out.code(2).stderr_contains("already exists");
    assert_eq!(out.folder.read("statewise.yaml"), "mine\n");
    let to = Test::new()
        .file("docker-compose.yml", fixture("compose.yaml"))
        .args(["import", "docker-compose.yml", "-o", "shop.yaml"])
        .run();
    to.code(0).stdout_contains("shop.yaml");
    assert!(to.folder.read("shop.yaml").contains("name: acme-shop"));
}

#[test]
fn format_can_be_forced_and_stdin_read() {
    Test::new()
        .file("odd.yaml", "services:\n  a:\n    image: redis\n")
        .args(["import", "odd.yaml", "--stdout", "--format", "kubernetes"])
        .run()
        .code(2)
        .error_at("odd.yaml:1:1")
        .stderr_contains("no `kind`");
    Test::new()
        .stdin("services:\n  cache:\n    image: valkey/valkey:8\n")
        .args(["import", "-", "--stdout", "--name", "S"])
        .run()
        .success()
        .stdout_contains("kind: cache                        # from <stdin>:3: image `valkey`");
}

#[test]
fn output_is_the_same_every_run() {
    let first = imported("k8s/shop.yaml", "shop.yaml").stdout;
    let second = imported("k8s/shop.yaml", "shop.yaml").stdout;
    assert_eq!(first, second);
}

#[test]
fn the_readme_example_is_real() {
    let section = readme_section("## Start from your deployment");
    let section = section.as_str();
    let blocks: Vec<&str> = section
        .split("```yaml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap_or_default())
        .collect();
    let compose = blocks[0]
        .strip_prefix("# docker-compose.yml\n")
        .expect("the Compose file");
    let out = Test::new()
        .file("docker-compose.yml", compose)
        .args(["import", "docker-compose.yml"])
        .run();
    out.code(0);
    assert_eq!(out.folder.read("statewise.yaml"), blocks[1]);
    let console = format!("{}{}", out.stderr, out.stdout);
    assert!(
        section.contains(&console),
        "README shows another run:\n{console}"
    );
    // What `explain` shows of the imported facts, up to the block's `...`.
    let command = "```console\n$ statewise explain statewise.yaml db\n";
    let shown = section
        .split(command)
        .nth(1)
        .and_then(|b| b.split("...\n```").next())
        .expect("the explain block");
    let explained = out
        .folder
        .test()
        .args(["explain", "statewise.yaml", "db"])
        .run();
    explained.success();
    assert!(
        explained.stdout.starts_with(shown),
        "README shows another explanation:\n{}",
        explained.stdout
    );
}

#[test]
fn merge_refreshes_imported_values_and_keeps_the_teams() {
    let compose = fixture("compose.yaml");
    let first = Test::new()
        .file("docker-compose.yml", &compose)
        .args(["import", "docker-compose.yml"])
        .run();
    first.code(0);
    // The team answers questions, overrides a kind, comments, adds a component.
    let edited = first
        .folder
        .read("statewise.yaml")
        .replacen(
            "    kind: gateway                      # from docker-compose.yml:11: image `nginx`\n",
            "    kind: web-frontend                 # serves our pages, not a gateway\n",
            1,
        )
        .replacen(
            "    # latency_ms: ?                    # what p99 latency must it meet, in ms?\n",
            "    latency_ms: 150                    # agreed with product\n",
            1,
        )
        .replacen(
            "  - name: cache ",
            "  # the team's note\n  - name: cache ",
            1,
        )
        + "\n  - name: legacy-batch\n    kind: batch-job\n";
    let folder = first.folder.clone();
    folder.write("statewise.yaml", &edited);
    // The deployment moves on: the cache gets a volume, a mailer appears.
    folder.write(
        "docker-compose.yml",
        compose
            .replace(
                "  cache:\n    image: redis:7-alpine\n",
                "  cache:\n    image: redis:7-alpine\n    volumes: [cache-data:/data]\n  mailer:\n    image: ghcr.io/acme/mailer:2\n    depends_on: [cache]\n",
            )
            .replace("  queue-data:\n", "  queue-data:\n  cache-data:\n"),
    );
    let merged = folder
        .test()
        .args([
            "import",
            "docker-compose.yml",
            "--merge",
            "statewise.yaml",
            "-o",
            "next.yaml",
        ])
        .run();
    merged
        .code(0)
        .stderr_contains("added `mailer`")
        .stderr_contains(
            "`legacy-batch` is in `statewise.yaml` but not in the deployment files; kept",
        );
    let next = folder.read("next.yaml");
    for kept in [
        "    kind: web-frontend                 # serves our pages, not a gateway\n",
        "    latency_ms: 150                    # agreed with product\n",
        "  # the team's note\n  - name: cache ",
        "  - name: legacy-batch\n",
    ] {
        assert!(next.contains(kept), "lost {kept:?}:\n{next}");
    }
    assert!(!next.contains("kind: gateway"), "{next}");
    assert!(
        next.contains("    state_location: local-disk         # from docker-compose.yml:60: volume `cache-data`\n"),
        "{next}"
    );
    assert!(
        !next.contains("image `redis` with no persistent volume"),
        "{next}"
    );
    assert!(next.contains("  - name: mailer "), "{next}");
    assert_eq!(
        folder.read("statewise.yaml"),
        edited,
        "the merged spec was changed"
    );
    folder.test().args(["analyze", "next.yaml"]).run().success();
    // Merging into the file it reads would overwrite it: refused.
    folder
        .test()
        .args(["import", "docker-compose.yml", "--merge", "statewise.yaml"])
        .run()
        .code(2)
        .stderr_contains("already exists");
}

#[test]
fn rules_lint_checks_an_import_table() {
    let table = std::fs::read_to_string(repo().join("rules/import.yaml")).expect("table");
    Test::new()
        .file("import.yaml", &table)
        .args(["rules", "lint", "import.yaml"])
        .run()
        .success()
        .stdout_contains("`import.yaml` is a valid import table");
    Test::new()
        .file(
            "import.yaml",
            table.replacen("kind: cache", "kind: cash", 1),
        )
        .args(["rules", "lint", "import.yaml"])
        .run()
        .code(2)
        .stderr_contains("unknown value `cash`, did you mean `cache`?");
}

/// The README from `heading` on.
fn readme_section(heading: &str) -> String {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README");
    readme
        .split(heading)
        .nth(1)
        .expect("the section")
        .to_owned()
}

/// The console block of the README section that follows `heading`.
fn readme_console(heading: &str) -> String {
    let section = readme_section(heading);
    let block = section
        .split("```console\n")
        .nth(1)
        .expect("a console block");
    block.split("```").next().unwrap_or_default().to_owned()
}

#[test]
fn the_readme_drift_example_is_real() {
    let section = readme_section("## Start from your deployment");
    let section = section.as_str();
    let compose = section
        .split("```yaml\n# docker-compose.yml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the Compose file");
    let out = Test::new()
        .file("docker-compose.yml", compose)
        .args(["import", "docker-compose.yml"])
        .run();
    out.code(0);
    let folder = out.folder.clone();

    // What analyze shows of the deployment, as the README prints it.
    let analyzed = folder.run(&["analyze", "statewise.yaml"]);
    analyzed.code(0);
    let shown = readme_console("### The deployment as evidence");
    let deployed = shown
        .split("...\n")
        .nth(1)
        .expect("the part shown after `...`");
    assert!(
        analyzed.stdout.contains(deployed),
        "README shows another analysis:\n{}",
        analyzed.stdout
    );

    // The team's answers for the cache, then its record.
    let spec = folder.read("statewise.yaml");
    let line = "    state_location: memory             # from docker-compose.yml:18: image `redis` with no persistent volume\n";
    assert!(spec.contains(line), "{spec}");
    folder.write(
        "statewise.yaml",
        spec.replacen(
            line,
            &format!("{line}    availability: 99.95\n    recovery: none\n    decision: stateful\n"),
            1,
        ),
    );
    folder
        .test()
        .args(["adr", "statewise.yaml"])
        .env("SOURCE_DATE_EPOCH", "1764892800")
        .run()
        .code(0);
    let checked = folder.run(&["check"]);
    checked.code(1);
    let shown = readme_console("### `check` against the deployment");
    let shown = shown
        .strip_prefix("$ statewise check\n")
        .expect("the command");
    assert_eq!(format!("{}{}", checked.stderr, checked.stdout), shown);
}

/// `analyze --format json` on an imported spec the team then edited: the
/// facts `import` wrote are `imported` (with the place they cite), the
/// team's are `spec`, and a value whose citation was removed is the team's.
#[test]
fn imported_values_keep_their_origin_until_the_team_takes_them_over() {
    let (folder, spec) = imported_compose();
    let replace = |text: String, from: &str, to: &str| {
        assert!(text.contains(from), "the import wrote no `{from}`:\n{text}");
        text.replacen(from, to, 1)
    };
    // The team confirms the database's kind (removing the citation),
    // changes the cache's state_location and answers a question.
    let spec = replace(
        spec,
        "    kind: database                     # from docker-compose.yml:44: image `postgres`\n",
        "    kind: database                     # checked with the DBAs\n",
    );
    let spec = replace(
        spec,
        "    state_location: memory             # from docker-compose.yml:59: image `redis` with no persistent volume\n",
        "    state_location: [memory, local-disk]\n",
    );
    let spec = replace(
        spec,
        "  - name: queue                        # from docker-compose.yml:61\n    description: \"Compose service, image rabbitmq:3.13-management\"\n",
        "  - name: queue                        # from docker-compose.yml:61\n    description: \"Compose service, image rabbitmq:3.13-management\"\n    traffic: unpredictable\n",
    );
    folder.write("statewise.yaml", &spec);
    let analyzed = folder
        .test()
        .args(["analyze", "statewise.yaml", "--format", "json"])
        .run();
    analyzed.success();
    let json = analyzed.json();
    let fact = |component: &str, field: &str| -> serde_json::Value {
        json["components"]
            .as_array()
            .expect("components")
            .iter()
            .find(|c| c["name"] == component)
            .unwrap_or_else(|| panic!("no component `{component}`"))["facts"][field]
            .clone()
    };
    // Imported and untouched: origin `imported`, with the place it cites.
    assert_eq!(
        fact("db", "state_location"),
        serde_json::json!({"value": ["local-disk"], "origin": "imported", "source": "docker-compose.yml:46"})
    );
    assert_eq!(fact("cache", "kind")["origin"], "imported");
    assert_eq!(fact("cache", "kind")["source"], "docker-compose.yml:59");
    // The citation removed: the team's value, no source.
    assert_eq!(
        fact("db", "kind"),
        serde_json::json!({"value": "database", "origin": "spec"})
    );
    // Changed by the team, and written by the team.
    assert_eq!(fact("cache", "state_location")["origin"], "spec");
    assert_eq!(fact("queue", "traffic")["origin"], "spec");
    assert_eq!(fact("queue", "kind")["origin"], "imported");
    // Neither imported nor stated: as before.
    assert_eq!(fact("db", "traffic")["origin"], "default");
    assert_eq!(fact("db", "transactions")["origin"], "kind");

    // explain names the place in its text and JSON.
    folder
        .test()
        .args(["explain", "statewise.yaml", "db"])
        .run()
        .success()
        .stdout_contains("  kind                        database         spec\n")
        .stdout_contains(
            "  state_location              local-disk       imported from docker-compose.yml:46\n",
        );
    let explained = folder
        .test()
        .args(["explain", "statewise.yaml", "cache", "--format", "json"])
        .run();
    explained.success();
    assert_eq!(
        explained.json()["facts"]["kind"],
        serde_json::json!({"value": "cache", "origin": "imported", "source": "docker-compose.yml:59"})
    );
    // The Markdown report too.
    folder
        .test()
        .args(["analyze", "statewise.yaml", "--format", "markdown"])
        .run()
        .success()
        .stdout_contains("`kind` = cache (imported from docker-compose.yml:59)");
}

/// Where the deployment files are is no part of the decision: naming them,
/// or a workload, after the record was written leaves the record current.
#[test]
fn naming_the_deployment_files_leaves_the_record_current() {
    let (folder, spec) = imported_compose();
    let deploy = spec
        .lines()
        .find(|l| l.trim_start().starts_with("deploy: "))
        .expect("import names the deployment files")
        .to_owned();
    // The record is written without them ...
    folder.write(
        "statewise.yaml",
        spec.replacen(&format!("{deploy}\n"), "", 1),
    );
    folder
        .test()
        .args(["adr", "statewise.yaml"])
        .env("SOURCE_DATE_EPOCH", "1764892800")
        .run()
        .code(0);
    // ... and they are named afterwards, with a workload for one component.
    folder.write(
        "statewise.yaml",
        spec.replacen(
            "    description: ",
            "    deployed_as: web\n    description: ",
            1,
        ),
    );
    let doc = folder.run(&["check", "--format", "json", "--fail-on", "never"]);
    doc.code(0);
    let rules: Vec<String> = doc.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        !rules.iter().any(|r| r.ends_with("changed-since-adr")),
        "{rules:?}"
    );
}

/// A spec from a pull request cannot make CI read, and print, a file from
/// outside its repository: `system.deploy` is relative and stays inside.
#[test]
fn deploy_paths_stay_inside_the_repository() {
    let secret = Folder::new();
    secret.write("token.yaml", "https://user:s3cret@example.com\n");
    let outside = secret.path("token.yaml").display().to_string();
    let repo = Folder::new();
    repo.write(".git/HEAD", "ref: refs/heads/main\n");
    repo.write(
        "k8s/app.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n",
    );
    let spec = |deploy: &str| {
        format!(
            "version: 1\nsystem:\n  name: S\n  deploy: [{deploy}]\ncomponents:\n  - name: app\n"
        )
    };
    for (deploy, says) in [
        (format!("\"{outside}\""), "is not a relative path"),
        ("\"~/token.yaml\"".to_owned(), "is not a relative path"),
    ] {
        repo.write("docs/spec.yaml", spec(&deploy));
        let run = repo.run(&["analyze", "docs/spec.yaml"]);
        run.code(2)
            .stderr_contains(says)
            .stderr_contains("docs/spec.yaml:4:");
        assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);
    }
    // Out through `..` and through a link: refused too.
    let up = std::iter::repeat_n("..", 12).collect::<Vec<_>>().join("/");
    repo.write("docs/spec.yaml", spec(&format!("\"{up}{outside}\"")));
    let run = repo.run(&["analyze", "docs/spec.yaml"]);
    run.code(2).stderr_contains("outside the spec's repository");
    assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(secret.path("token.yaml"), repo.path("k8s/link.yaml"))
            .expect("a link");
        repo.write("docs/spec.yaml", spec("\"../k8s/*.yaml\""));
        let run = repo.run(&["analyze", "docs/spec.yaml"]);
        run.code(2).stderr_contains("outside the spec's repository");
        assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);
        std::fs::remove_file(repo.path("k8s/link.yaml")).expect("removed");
    }
    // Inside the repository, a folder above the spec's is fine.
    repo.write("docs/spec.yaml", spec("\"../k8s/*.yaml\""));
    repo.run(&["analyze", "docs/spec.yaml"]).code(0);
    // `--deploy` is the reader's own choice: any path.
    repo.run(&["analyze", "docs/spec.yaml", "--deploy", "k8s/app.yaml"])
        .code(0);
}
