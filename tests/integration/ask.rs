//! `statewise ask`: the questionnaire through a pseudo-terminal, and without one.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::{Eof, Expect, Session};

use crate::util::{Test, bin};

const UP: &str = "\x1b[A";
const ESC: &str = "\x1b";

type Pty = Session<expectrl::process::unix::UnixProcess, expectrl::process::unix::PtyStream>;

fn spawn(dir: &Path, args: &[&str]) -> Pty {
    let mut cmd = Command::new(bin());
    cmd.arg("ask")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1709251200");
    let mut s = Session::spawn(cmd).expect("spawn statewise ask in a pty");
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    s
}

/// Waits for `prompt`, then types `keys`.
fn answer(s: &mut Pty, prompt: &str, keys: &str) {
    s.expect(prompt)
        .unwrap_or_else(|e| panic!("waiting for `{prompt}`: {e}"));
    s.send(keys).expect("type into the pty");
}

fn exit_code(s: &mut Pty) -> i32 {
    match s.get_process_mut().wait().expect("wait for statewise") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("statewise did not exit normally: {other:?}"),
    }
}

const BACK: &str = "\x1b[Z";

/// Types the system's name and description and a component's name and
/// description, up to its kind.
fn start_component(s: &mut Pty, name: &str) {
    answer(s, "nothing is written before the last answer", "");
    answer(s, "System name", "Acme Live\r");
    answer(s, "What does the system do?", "\r");
    answer(s, "Component name", &format!("{name}\r"));
    answer(s, "What does it do?", "\r");
}

#[test]
fn a_session_with_a_filtered_kind_units_back_and_dont_know_then_no_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(dir.path(), &[]);
    start_component(&mut s, "gateway");
    // The kind list filters as you type.
    answer(&mut s, "What is it?", "chat");
    answer(&mut s, "> chat ", "\r");
    answer(
        &mut s,
        "A chat implies: realtime bidirectional, session per-connection",
        "",
    );
    answer(&mut s, "Change any of these?", "\r");
    answer(&mut s, "traffic behave", &format!("{UP}\r"));
    // Anything but a number in a unit gets a hint; the typed text stays to
    // be corrected.
    answer(&mut s, "p99 latency", "2 parsecs\r");
    answer(
        &mut s,
        "`2 parsecs` is not understood here; type a duration in ms, or with a unit: 200, 200ms, 1.5s",
        &"\x7f".repeat(9),
    );
    answer(&mut s, "p99 latency", "200ms\r");
    answer(&mut s, "= 200 ms", "");
    // Back two questions: to latency, then to traffic, answers kept.
    answer(&mut s, "rebuild a client's context", BACK);
    answer(
        &mut s,
        "p99 latency it must meet, in ms (200ms, 1.5s; Enter: keep, -: don't know) [200]",
        BACK,
    );
    answer(&mut s, "> It can surge without warning", "\r");
    answer(&mut s, "p99 latency", "\r");
    answer(&mut s, "rebuild a client's context", "\r");
    answer(&mut s, "Clients or connections at once", "\r");
    answer(&mut s, "Availability target", "99.95%\r");
    answer(&mut s, "= 99.95%", "");
    let advice = defaults_until_the_decision(&mut s);
    assert!(advice.contains("-> gateway: stateful"), "{advice}");
    assert!(
        advice.contains("not known, left out of the spec: context_rebuild_ms"),
        "{advice}"
    );
    s.send("\r").expect("type into the pty");
    answer(&mut s, "Add another component?", "n");
    answer(&mut s, "Who decides?", "Jane Doe\r");
    answer(&mut s, "Who was consulted?", "\r");
    answer(&mut s, "Who is to be informed?", "\r");
    answer(&mut s, "System `Acme Live`: stateful", "");
    answer(&mut s, "Write a decision record", "n");
    answer(&mut s, "wrote the spec `statewise.yaml`", "");
    answer(&mut s, "no decision record written", "");
    answer(
        &mut s,
        "next: `statewise adr statewise.yaml` writes the record",
        "",
    );
    s.expect(Eof).expect("statewise ends");
    assert_eq!(exit_code(&mut s), 0);

    let text = std::fs::read_to_string(dir.path().join("statewise.yaml")).unwrap();
    let spec = statewise::Spec::from_yaml(&text, "statewise.yaml").unwrap();
    let gw = &spec.components[0];
    assert_eq!(gw.kind, Some(statewise::spec::Kind::Chat));
    assert_eq!(gw.traffic, Some(statewise::spec::Traffic::Unpredictable));
    assert_eq!(gw.latency_ms.map(|v| v.get()), Some(200.0));
    assert_eq!(gw.availability.map(|v| v.get()), Some(99.95));
    assert_eq!(
        gw.context_rebuild_ms, None,
        "\"I don't know\" leaves it out"
    );
    assert_eq!(gw.decision, Some(statewise::spec::Verdict::Stateful));
    assert_eq!(spec.system.decision_makers, ["Jane Doe"]);
    let rebuild = text
        .lines()
        .find(|l| l.contains("# context_rebuild_ms:"))
        .unwrap_or_default();
    assert!(rebuild.contains("not known when asked"), "{text}");
    assert!(!dir.path().join("docs").exists(), "no record was asked for");
}

#[test]
fn esc_at_a_text_prompt_writes_nothing_restores_the_cursor_and_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(dir.path(), &[]);
    start_component(&mut s, "gw");
    answer(&mut s, "What is it?", "rest\r");
    answer(&mut s, "Change any of these?", "\r");
    answer(&mut s, "live channel", "\r");
    answer(&mut s, "traffic behave", "\r");
    answer(&mut s, "p99 latency", "20");
    answer(&mut s, "20", ESC);
    let seen = s
        .expect("cancelled; nothing written")
        .expect("a cancel message");
    let before = String::from_utf8_lossy(seen.before()).into_owned();
    assert!(
        before.contains("\x1b[?25h"),
        "the cursor is shown again: {before:?}"
    );
    s.expect(Eof).expect("statewise ends");
    assert_eq!(exit_code(&mut s), 130);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn ctrl_c_at_a_text_prompt_writes_nothing_and_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(dir.path(), &[]);
    answer(&mut s, "System name", "Acme\r");
    // The key once the typed text is on screen: a key sent before the
    // prompt reads it would reach the terminal, not the prompt.
    answer(&mut s, "What does the system do?", "half a sent");
    s.expect("half a sent").unwrap();
    s.send("\x03").unwrap();
    s.expect("cancelled; nothing written").unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&mut s), 130);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn esc_in_a_filtered_list_writes_nothing_and_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(dir.path(), &[]);
    start_component(&mut s, "gw");
    // Back from the list to the question before it, and on again.
    answer(&mut s, "What is it?", BACK);
    answer(&mut s, "What does it do?", "\r");
    answer(&mut s, "What is it?", "sess");
    answer(&mut s, "> session-store", ESC);
    s.expect("cancelled; nothing written").unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&mut s), 130);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Answers a rest-api component with defaults up to the record offer.
fn through_to_the_offer(s: &mut Pty) {
    start_component(s, "api");
    answer(s, "What is it?", "rest-api\r");
    answer(s, "A rest-api implies: session none", "");
    answer(s, "Change any of these?", "\r");
    defaults_until_the_decision(s);
    s.send("\r").expect("type into the pty");
    answer(s, "Add another component?", "n");
    answer(s, "Who decides?", "\r");
    answer(s, "Who was consulted?", "\r");
    answer(s, "Who is to be informed?", "\r");
}

/// Takes the default (don't know) at every criterion question, however
/// many the rules make relevant, up to "What did the team decide?";
/// returns what was shown on the way (the advice among it).
fn defaults_until_the_decision(s: &mut Pty) -> String {
    let mut shown = String::new();
    loop {
        let seen = s
            .expect(expectrl::Regex(
                r"What did the team decide\?|type to filter, Enter: pick|Space: mark, Enter: done|Esc: quit\r?\n[^\r\n]*don't know\)",
            ))
            .expect("a question or the decision");
        shown.push_str(&String::from_utf8_lossy(seen.before()));
        let what = String::from_utf8_lossy(seen.get(0).unwrap_or_default()).into_owned();
        if what.contains("decide") {
            return shown;
        }
        s.send("\r").expect("type into the pty");
    }
}

#[test]
fn esc_at_the_record_offer_writes_nothing_and_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(dir.path(), &[]);
    through_to_the_offer(&mut s);
    // Back from the offer to the last question, and on again.
    answer(&mut s, "Write a decision record", BACK);
    answer(&mut s, "Who is to be informed?", "\r");
    answer(&mut s, "Write a decision record", ESC);
    s.expect("cancelled; nothing written").unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&mut s), 130);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn an_existing_file_is_not_replaced_without_a_yes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("statewise.yaml"), "keep me\n").unwrap();
    let mut s = spawn(dir.path(), &[]);
    through_to_the_offer(&mut s);
    answer(&mut s, "`statewise.yaml` exists. Replace it?", "\r");
    answer(&mut s, "Save the spec as", "\r");
    answer(&mut s, "Write a decision record", "y");
    answer(&mut s, "wrote the decision record `docs/adr/0001-", "");
    answer(&mut s, "next: `statewise check statewise-2.yaml`", "");
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&mut s), 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("statewise.yaml")).unwrap(),
        "keep me\n"
    );
    let saved = std::fs::read_to_string(dir.path().join("statewise-2.yaml")).unwrap();
    assert!(saved.contains("- name: api"), "{saved}");
    let record = std::fs::read_dir(dir.path().join("docs/adr"))
        .unwrap()
        .count();
    assert_eq!(record, 1);
    // The next command it names passes: the decision is the advice, and the
    // record was made from this spec.
    let check = Command::new(bin())
        .args(["check", "statewise-2.yaml"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn without_a_terminal_it_stops_at_once_and_points_to_analyze() {
    let out = Test::new().stdin("Acme\n").args(["ask"]).run();
    out.fails()
        .stderr_contains("needs a terminal")
        .stderr_contains("statewise analyze SPEC");
    assert!(!out.folder.exists("statewise.yaml"));
}

#[test]
fn a_bad_record_option_is_refused_before_the_first_question() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(dir.path(), &["--template", "missing.hbs"]);
    s.expect("no template `missing.hbs`").unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&mut s), 2);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn kinds_json_lists_every_kind_once_with_summary_and_defaults_other_last() {
    let out = Test::new().args(["kinds", "--format", "json"]).run();
    out.success();
    let list = out.json();
    let list = list.as_array().expect("an array");
    let names: Vec<&str> = list
        .iter()
        .map(|k| k["name"].as_str().expect("a name"))
        .collect();
    for kind in statewise::spec::Kind::ALL {
        assert_eq!(
            names.iter().filter(|n| **n == kind.as_str()).count(),
            1,
            "{kind}"
        );
    }
    assert_eq!(names.first(), Some(&"rest-api"), "most common first");
    assert_eq!(names.last(), Some(&"other"));
    for k in list {
        assert!(!k["summary"].as_str().unwrap_or_default().is_empty(), "{k}");
        assert!(k["defaults"].is_object(), "{k}");
    }
    let database = list.iter().find(|k| k["name"] == "database").unwrap();
    assert_eq!(database["defaults"]["transactions"], true);
    let chat = list.iter().find(|k| k["name"] == "chat").unwrap();
    assert_eq!(chat["defaults"]["realtime"], "bidirectional");
}

#[test]
fn kinds_table_says_what_each_kind_fills_in() {
    let out = Test::new().args(["kinds"]).run();
    out.success()
        .stdout_contains("Kind")
        .stdout_contains("Fills in")
        .stdout_contains("transactions: true");
    let first_row = out
        .stdout
        .lines()
        .find(|l| l.contains("rest-api") || l.contains("web-frontend"))
        .unwrap_or_default();
    assert!(first_row.contains("rest-api"), "{}", out.stdout);
    Test::new()
        .args(["kinds", "--format", "yaml"])
        .run()
        .code(2);
}

const COMMENTED: &str = "\
# Our shop. Reviewed by the platform team every quarter.
version: 1
system:
  name: Shop   # the brand name
components:
  # The public API.
  - name: api
    kind: rest-api
    latency_ms: 200        # agreed with product in March
    availability: 99.5

  # Orders and stock.
  - name: db
    kind: database
";

#[test]
fn from_a_commented_spec_an_edit_keeps_its_comments_shows_a_diff_and_clears_with_a_dash() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shop.yaml"), COMMENTED).unwrap();
    let mut s = spawn(dir.path(), &["--from", "shop.yaml"]);
    answer(&mut s, "System name", "\r");
    answer(&mut s, "What does the system do?", "\r");
    answer(&mut s, "Review the components", "Edit api\r");
    answer(&mut s, "Component name", "\r");
    answer(&mut s, "What does it do?", "\r");
    answer(&mut s, "What is it?", "\r");
    answer(&mut s, "Change any of these?", "\r");
    loop {
        let seen = s
            .expect(expectrl::Regex(
                r"What did the team decide\?|type to filter, Enter: pick|Space: mark, Enter: done|Esc: quit\r?\n[^\r\n]*(don't know|keep, -: don't know)\)[^\r\n]*",
            ))
            .expect("a question or the decision");
        let what = String::from_utf8_lossy(seen.get(0).unwrap_or_default()).into_owned();
        if what.contains("decide") {
            s.send("\r").expect("type into the pty");
            break;
        }
        // Typed text is drawn again at each key: wait for the answer's own
        // line before looking for the next question.
        if what.contains("p99 latency") {
            s.send("1.5s\r").expect("type into the pty");
            s.expect("= 1500 ms").expect("the value echoed in ms");
        } else if what.contains("Availability") {
            s.send("-\r").expect("type into the pty");
            s.expect(expectrl::Regex(r"\): -\r\n"))
                .expect("the availability cleared");
        } else {
            s.send("\r").expect("type into the pty");
        }
    }
    answer(&mut s, "Review the components", "Done\r");
    answer(&mut s, "Who decides?", "\r");
    answer(&mut s, "Who was consulted?", "\r");
    answer(&mut s, "Who is to be informed?", "\r");
    answer(&mut s, "Changes to `shop.yaml`:", "");
    answer(
        &mut s,
        "-     latency_ms: 200        # agreed with product in March",
        "",
    );
    answer(&mut s, "-     availability: 99.5", "");
    answer(
        &mut s,
        "+     latency_ms: 1500       # agreed with product in March",
        "",
    );
    answer(&mut s, "`shop.yaml` exists. Replace it?", "y");
    answer(&mut s, "Write a decision record", "n");
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&mut s), 0);
    let text = std::fs::read_to_string(dir.path().join("shop.yaml")).unwrap();
    let expected = COMMENTED
        .replace(
            "    latency_ms: 200        # agreed",
            "    latency_ms: 1500       # agreed",
        )
        .replace(
            "    availability: 99.5\n",
            // Every question answered "I don't know" is said so, the value
            // cleared and the ones the file never stated alike.
            "    # availability: 99.5  # not known when asked\n    # realtime: none  # not known when asked\n    # traffic: steady  # not known when asked\n    # context_rebuild_ms: 20  # not known when asked\n    # concurrent_clients: 1000  # not known when asked\n    # shared_state: false  # not known when asked\n    # transactions: false  # not known when asked\n    # state_location: [memory, external-store]  # not known when asked\n    # keyed_state: none  # not known when asked\n    decision: stateless\n",
        );
    assert_eq!(text, expected);
}
