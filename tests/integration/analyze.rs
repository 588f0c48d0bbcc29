//! `statewise analyze` on the bundled examples: snapshots of every format,
//! the verdict of every component spelled out, determinism, stdin and the
//! default spec path.

use crate::util::{HEAD, Test, examples, stem};

const FORMATS: [&str; 3] = ["table", "json", "markdown"];

/// Runs `analyze FILE --format FORMAT` on an example copied into a fresh
/// directory as `examples/FILE`.
fn analyze_example(file: &str, text: &str, format: &str) -> crate::util::Output {
    let path = format!("examples/{file}");
    Test::new()
        .file(&path, text)
        .args(["analyze", &path, "--format", format])
        .run()
}

#[test]
fn every_example_in_every_format_matches_its_snapshot() {
    for (file, text) in examples() {
        for format in FORMATS {
            let out = analyze_example(&file, &text, format);
            out.success();
            assert!(
                out.stdout.ends_with('\n'),
                "{file} {format}: output ends without a newline"
            );
            insta::assert_snapshot!(format!("{format}__{}", stem(&file)), out.stdout);
        }
    }
}

#[test]
fn table_is_the_default_format() {
    let (file, text) = examples().remove(0);
    let default = Test::new()
        .file(&file, &text)
        .args(["analyze", &file])
        .run();
    default.success();
    let table = analyze_example(&file, &text, "table");
    assert_eq!(default.stdout, table.stdout);
}

fn is_table_line(line: &str) -> bool {
    line.starts_with(['┌', '│', '╞', '├', '└'])
}

#[test]
fn table_fits_the_width_and_has_no_colour() {
    for (file, text) in examples() {
        let out = analyze_example(&file, &text, "table");
        // The table's lines; the summary under it is free text.
        for line in out.stdout.lines().filter(|l| is_table_line(l)) {
            assert!(
                line.chars().count() <= 120,
                "{file}: line wider than COLUMNS=120: {line:?}"
            );
        }
        assert!(
            !out.stdout.contains('\u{1b}'),
            "{file}: escape codes with NO_COLOR"
        );
    }
}

#[test]
fn narrow_columns_narrow_the_table() {
    let (file, text) = examples().remove(0);
    let out = Test::new()
        .file(&file, &text)
        .env("COLUMNS", "80")
        .args(["analyze", &file])
        .run();
    out.success();
    assert!(out.stdout.lines().any(is_table_line));
    for line in out.stdout.lines().filter(|l| is_table_line(l)) {
        assert!(line.chars().count() <= 80, "wider than 80: {line:?}");
    }
}

/// An example file, its system verdict, and (component, verdict) in spec order.
type Expected = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// The expected verdict of every component of every example, and of the
/// system. Each was checked against the source article (see the report of
/// the test suite for the judgement calls).
const EXPECTED: &[Expected] = &[
    (
        "box-office.yaml",
        "hybrid",
        &[
            ("web", "stateless"),
            // carts in process memory, yet on-sale rushes: move them out
            ("booking-api", "stateless"),
            // live seats for 120,000 viewers, re-read from a store today
            ("seat-map", "stateful"),
            ("orders-db", "stateful"),
        ],
    ),
    (
        "chat-platform.yaml",
        "hybrid",
        &[
            ("web-client", "stateless"),
            ("accounts-api", "stateless"),
            ("chat-gateway", "stateful"),
            ("notifications", "hybrid"),
            ("message-history", "stateful"),
            ("presence-cache", "stateful"),
        ],
    ),
    (
        "collaborative-editor.yaml",
        "hybrid",
        &[
            ("web-app", "stateless"),
            ("editor-sync", "stateful"),
            ("comment-feed", "hybrid"),
            ("back-office", "stateless"),
            ("document-store", "stateful"),
            ("export-worker", "stateless"),
        ],
    ),
    (
        "multiplayer-game.yaml",
        "hybrid",
        &[
            ("matchmaking-api", "stateless"),
            ("match-server", "stateful"),
            ("lobby-chat", "stateful"),
            ("player-profile", "stateless"),
            ("leaderboard", "stateful"),
            ("replay-exporter", "stateless"),
        ],
    ),
    (
        "payments-api.yaml",
        "hybrid",
        &[
            ("public-api", "stateless"),
            ("token-service", "stateless"),
            ("fraud-scoring", "hybrid"),
            ("webhook-dispatcher", "stateless"),
            ("idempotency-store", "stateful"),
            ("ledger-db", "stateful"),
        ],
    ),
    (
        "starter.yaml",
        "hybrid",
        &[
            ("storefront-api", "stateless"),
            ("support-chat", "stateful"),
            ("orders-db", "stateful"),
        ],
    ),
    (
        "stream-analytics.yaml",
        "hybrid",
        &[
            ("collector", "stateless"),
            ("event-log", "stateful"),
            // counts per key, partitioned and checkpointed
            ("sessionizer", "stateful"),
            ("metrics-db", "stateful"),
            // what it reads lives in the metrics database
            ("dashboard-api", "stateless"),
        ],
    ),
    (
        "web-shop.yaml",
        "hybrid",
        &[
            ("storefront", "stateless"),
            ("catalog-api", "stateless"),
            ("cart", "stateless"),
            ("checkout-api", "stateless"),
            ("order-tracking", "stateful"),
            ("shop-db", "stateful"),
        ],
    ),
];

#[test]
fn every_example_has_its_expected_verdicts() {
    let files = examples();
    let listed: Vec<&str> = EXPECTED.iter().map(|(f, _, _)| *f).collect();
    let present: Vec<&str> = files.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        present, listed,
        "every example needs a row in EXPECTED (and every row an example)"
    );
    for ((file, text), (_, system, components)) in files.iter().zip(EXPECTED) {
        let json = analyze_example(file, text, "json").json();
        let got: Vec<(String, String)> = json["components"]
            .as_array()
            .expect("components array")
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().expect("name").to_owned(),
                    c["verdict"].as_str().expect("verdict").to_owned(),
                )
            })
            .collect();
        let want: Vec<(String, String)> = components
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(got, want, "{file}: component verdicts");
        assert_eq!(json["system"]["verdict"], *system, "{file}: system verdict");
    }
}

#[test]
fn the_table_summary_gives_the_split_and_the_system_verdict() {
    let text = examples()
        .into_iter()
        .find(|(f, _)| f == "web-shop.yaml")
        .expect("web-shop example")
        .1;
    let out = analyze_example("web-shop.yaml", &text, "table");
    out.success()
        .stdout_contains("System `Northwind Outfitters Shop`: hybrid")
        .stdout_contains("stateless  storefront, catalog-api, cart, checkout-api\n")
        .stdout_contains("stateful   order-tracking, shop-db\n")
        .stdout_contains("Filled in from the kind:")
        .stdout_contains("shop-db (database): transactions=true");
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    for (file, text) in examples() {
        for format in FORMATS {
            let first = analyze_example(&file, &text, format);
            let second = analyze_example(&file, &text, format);
            first.success();
            assert_eq!(
                first.stdout_bytes, second.stdout_bytes,
                "{file} --format {format} differs between runs"
            );
        }
    }
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let (file, text) = examples().remove(0);
    let from_file = analyze_example(&file, &text, "json");
    let from_stdin = Test::new()
        .args(["analyze", "-", "--format", "json"])
        .stdin(&text)
        .run();
    from_stdin.success();
    assert_eq!(from_stdin.stdout, from_file.stdout);
}

#[test]
fn the_spec_defaults_to_statewise_yaml_in_the_working_directory() {
    let (_, text) = examples().remove(0);
    let out = Test::new()
        .file("statewise.yaml", &text)
        .args(["analyze", "--format", "json"])
        .run();
    out.success();
    assert!(out.json()["components"].as_array().is_some());
}

#[test]
fn without_a_spec_the_default_path_is_named() {
    Test::new()
        .arg("analyze")
        .run()
        .fails()
        .stderr_contains("statewise.yaml")
        .stderr_contains("statewise init");
}

#[test]
fn names_of_64_multibyte_characters_are_accepted() {
    let name = "é".repeat(64);
    let out = Test::new()
        .file("t.yaml", format!("{HEAD}  - name: {name}\n"))
        .args(["analyze", "t.yaml", "--format", "json"])
        .run();
    out.success();
    assert_eq!(out.json()["components"][0]["name"], name.as_str());
}

#[test]
fn a_component_without_criteria_is_stateless_with_a_reason() {
    let out = Test::new()
        .file("t.yaml", format!("{HEAD}  - name: a\n"))
        .args(["analyze", "t.yaml", "--format", "json"])
        .run();
    out.success();
    let json = out.json();
    assert_eq!(json["components"][0]["verdict"], "stateless");
    assert_eq!(json["system"]["verdict"], "stateless");
}

#[test]
fn a_user_value_wins_over_the_kind_default() {
    // `chat` implies bidirectional realtime; the component says otherwise.
    let out = Test::new()
        .file(
            "t.yaml",
            format!("{HEAD}  - name: a\n    kind: chat\n    realtime: none\n"),
        )
        .args(["analyze", "t.yaml", "--format", "json"])
        .run();
    out.success();
    let c = &out.json()["components"][0];
    assert_eq!(c["facts"]["realtime"]["value"], "none");
    assert_eq!(c["facts"]["realtime"]["origin"], "spec");
    assert_eq!(c["facts"]["session"]["origin"], "kind");
    let ids: Vec<&str> = c["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert!(!ids.contains(&"bidirectional-realtime"), "{ids:?}");
}

#[test]
fn markdown_escapes_user_text_in_tables() {
    let out = Test::new()
        .file(
            "t.yaml",
            "version: 1\nsystem: {name: \"A|B\"}\ncomponents:\n  - name: \"x|y\"\n",
        )
        .args(["analyze", "t.yaml", "--format", "markdown"])
        .run();
    out.success().stdout_contains("| x\\|y |");
}

#[test]
fn piped_output_has_no_colour_even_without_no_color() {
    let (file, text) = examples().remove(0);
    for format in FORMATS {
        let out = Test::new()
            .file(&file, &text)
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS")
            .args(["analyze", &file, "--format", format])
            .run();
        out.success();
        assert!(
            !out.stdout.contains('\u{1b}'),
            "{format}: escape codes in a pipe"
        );
    }
}

#[test]
fn json_and_markdown_ignore_the_terminal_width() {
    let (file, text) = examples().remove(0);
    for format in ["json", "markdown"] {
        let wide = analyze_example(&file, &text, format);
        let narrow = Test::new()
            .file(format!("examples/{file}").as_str(), &text)
            .env("COLUMNS", "40")
            .args(["analyze", &format!("examples/{file}"), "--format", format])
            .run();
        assert_eq!(wide.stdout, narrow.stdout, "{format} depends on COLUMNS");
    }
}

#[test]
fn without_columns_a_pipe_gets_120_columns() {
    let (file, text) = examples().remove(0);
    let default = Test::new()
        .file(&file, &text)
        .env_remove("COLUMNS")
        .args(["analyze", &file])
        .run();
    let fixed = Test::new()
        .file(&file, &text)
        .args(["analyze", &file])
        .run();
    assert_eq!(default.stdout, fixed.stdout);
}

/// A pseudo-terminal nobody sized reports 0×0 columns: the table must not
/// collapse to nothing, it takes the default width of 120 columns.
#[test]
fn a_terminal_of_zero_columns_gets_the_default_width() {
    use expectrl::{Eof, Expect, Session};

    let spec = crate::util::repo().join("examples/web-shop.yaml");
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        // The pseudo-terminal gets its first size from the test's side just
        // after the shell starts: wait for that, then make it 0x0.
        .arg("sleep 0.5; stty cols 0 rows 0 && [ \"$(stty size)\" = \"0 0\" ] && exec \"$0\" analyze \"$1\"")
        .arg(crate::util::bin())
        .arg(&spec)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    let mut s = Session::spawn(cmd).expect("spawn statewise analyze in a pty");
    s.set_expect_timeout(Some(std::time::Duration::from_secs(20)));
    let out = s.expect(Eof).expect("read the table to the end");
    let text = String::from_utf8_lossy(&out[0]).replace("\r\n", "\n");
    let top = text.lines().next().unwrap_or_default().trim_end();
    assert!(top.starts_with('┌'), "not a table:\n{text}");
    assert_eq!(top.chars().count(), 120, "table width, in:\n{text}");
    assert!(text.contains("storefront"), "rows are missing:\n{text}");
}

/// Colour follows the usual variables even when output is piped:
/// `CLICOLOR_FORCE` turns it on, `NO_COLOR` wins over it.
#[test]
fn clicolor_force_colours_a_pipe_and_no_color_wins() {
    let spec = crate::util::repo().join("examples/web-shop.yaml");
    let spec = spec.to_string_lossy();
    let forced = Test::new()
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .args(["analyze", &spec])
        .run();
    forced.success().stdout_contains("\u{1b}[");
    let both = Test::new()
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .args(["analyze", &spec])
        .run();
    both.success();
    assert!(!both.stdout.contains('\u{1b}'), "{}", both.context());
}

/// `depends_on` reaches the JSON output, and circles are allowed and noted.
#[test]
fn dependencies_are_echoed_and_circles_noted() {
    let spec = format!(
        "{HEAD}  - {{name: a, depends_on: [b]}}\n  - {{name: b, depends_on: [c]}}\n  - {{name: c, depends_on: [a, b]}}\n  - {{name: d}}\n"
    );
    let json = Test::new()
        .file("s.yaml", &spec)
        .args(["analyze", "s.yaml", "-f", "json"])
        .run()
        .json();
    assert_eq!(
        json["components"][2]["depends_on"],
        serde_json::json!(["a", "b"])
    );
    assert_eq!(json["components"][3]["depends_on"], serde_json::json!([]));
    Test::new()
        .file("s.yaml", &spec)
        .args(["analyze", "s.yaml"])
        .run()
        .success()
        .stdout_contains("Dependency circles (allowed, but a failure in one member can reach every other):\n  a -> b -> c -> a\n");
}

/// Stores are advised as stores: stateful under spikes, with advice on
/// scaling a stateful service, and no reason that reads false for a store.
#[test]
fn stores_stay_stateful_under_spikes_with_store_advice() {
    let spec = format!(
        "{HEAD}  - {{name: hot-cache, kind: cache, traffic: unpredictable}}\n  - {{name: db, kind: database, traffic: unpredictable}}\n  - {{name: queue, kind: message-broker, traffic: unpredictable}}\n  - {{name: sessions, kind: session-store, traffic: unpredictable}}\n"
    );
    let json = Test::new()
        .file("s.yaml", &spec)
        .args(["analyze", "s.yaml", "-f", "json"])
        .run()
        .json();
    for c in json["components"].as_array().expect("components") {
        let name = c["name"].as_str().unwrap_or_default();
        assert_eq!(c["verdict"], "stateful", "{name}: {c:#}");
        let ids: Vec<&str> = c["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .filter_map(|r| r["id"].as_str())
            .collect();
        for wrong in [
            "per-connection-context",
            "scale-out-without-affinity",
            "unpredictable-spikes",
        ] {
            assert!(!ids.contains(&wrong), "{name}: `{wrong}` fired: {ids:?}");
        }
        let advice = c["advice"].to_string();
        assert!(
            advice.contains("Scale it as a stateful service"),
            "{name}: {advice}"
        );
        assert!(!advice.contains("Split it"), "{name}: {advice}");
        assert!(!advice.contains("external store"), "{name}: {advice}");
    }
}

/// A component with a context to rebuild or carry has something to
/// remember: `nothing-to-remember` does not fire beside those reasons.
#[test]
fn nothing_to_remember_does_not_fire_beside_a_context() {
    for extra in [
        "context_rebuild_ms: 80, latency_ms: 100",
        "request_context_kb: 48",
    ] {
        let spec = format!("{HEAD}  - {{name: scorer, {extra}}}\n");
        let json = Test::new()
            .file("s.yaml", &spec)
            .args(["analyze", "s.yaml", "-f", "json"])
            .run()
            .json();
        let ids = json["components"][0]["rules"].to_string();
        assert!(!ids.contains("nothing-to-remember"), "{extra}: {ids}");
    }
}

/// The kinds of 0.2 come with defaults true of them, and verdicts to match.
#[test]
fn the_newer_kinds_get_the_verdicts_their_nature_calls_for() {
    let spec = format!(
        "{HEAD}  - {{name: a, kind: grpc-api}}\n  - {{name: b, kind: gateway, traffic: unpredictable}}\n  - {{name: c, kind: stream-processor}}\n  - {{name: d, kind: media-server}}\n  - {{name: e, kind: rate-limiter}}\n  - {{name: f, kind: presence}}\n  - {{name: g, kind: search-index}}\n  - {{name: h, kind: object-store}}\n"
    );
    let json = Test::new()
        .file("s.yaml", &spec)
        .args(["analyze", "s.yaml", "-f", "json"])
        .run()
        .json();
    let verdicts: Vec<(&str, &str)> = json["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap_or_default(),
                c["verdict"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("grpc-api", "stateless"),
            ("gateway", "stateless"),
            ("stream-processor", "stateful"),
            ("media-server", "stateful"),
            ("rate-limiter", "stateful"),
            ("presence", "stateful"),
            ("search-index", "stateful"),
            ("object-store", "stateful"),
        ]
    );
    // What a rate limiter implies: a count per key the client may not hold.
    let facts = &json["components"][4]["facts"];
    assert_eq!(facts["keyed_state"]["origin"], "kind");
    assert_eq!(facts["client_may_hold_state"]["value"], false);
}
