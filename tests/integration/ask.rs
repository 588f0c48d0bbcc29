//! `statewise ask`: the questionnaire through a pseudo-terminal, and without one.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::{Eof, Expect, Session};

use crate::util::{Test, bin};

const UP: &str = "\x1b[A";
const DOWN: &str = "\x1b[B";
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

#[test]
fn two_components_one_answered_fully_one_with_dont_knows() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(dir.path(), &[]);
    answer(&mut s, "System name", "Acme Live\r");
    answer(&mut s, "What does the system do?", "\r");
    // Component 1: a chat gateway, every question answered.
    answer(&mut s, "Component name", "gateway\r");
    answer(&mut s, "What does it do?", "Live chat\r");
    answer(&mut s, "What is it?", &format!("{}\r", UP.repeat(22)));
    answer(
        &mut s,
        "A chat implies: realtime bidirectional, session per-connection",
        "",
    );
    answer(&mut s, "Change any of these?", "\r");
    answer(&mut s, "traffic behave", &format!("{UP}\r"));
    answer(&mut s, "p99 latency", "50\r");
    answer(&mut s, "rebuild a client's context", "30\r");
    answer(&mut s, "Clients or connections at once", "5000\r");
    answer(&mut s, "State per client", "64\r");
    answer(&mut s, "Memory you can spend", "2048\r");
    answer(&mut s, "same live state", &format!("{DOWN}\r"));
    answer(&mut s, "transactional data", "\r");
    answer(&mut s, "Availability target", "99.9\r");
    answer(&mut s, "carry if clients held it", "\r");
    answer(&mut s, "-> gateway: stateful", "");
    answer(&mut s, "Add another component?", "y");
    // Component 2: a serverless function, "I don't know" everywhere.
    answer(&mut s, "Component name", "resizer\r");
    answer(&mut s, "What does it do?", "\r");
    answer(&mut s, "What is it?", &format!("{}\r", UP.repeat(15)));
    answer(&mut s, "Change any of these?", "\r");
    answer(&mut s, "live channel", "\r");
    for prompt in [
        "p99 latency",
        "rebuild a client's context",
        "Clients or connections at once",
        "State per client",
        "Memory you can spend",
    ] {
        answer(&mut s, prompt, "\r");
    }
    answer(&mut s, "same live state", "\r");
    answer(&mut s, "transactional data", "\r");
    answer(&mut s, "Availability target", "\r");
    answer(&mut s, "carry if clients held it", "\r");
    answer(&mut s, "does it call?", "gateway\r");
    answer(&mut s, "-> resizer: stateless", "");
    answer(&mut s, "Add another component?", "n");
    answer(&mut s, "System `Acme Live`: hybrid", "");
    answer(&mut s, "Write a decision record", "n");
    s.expect(Eof).expect("statewise ends");
    assert_eq!(exit_code(&mut s), 0);

    let text = std::fs::read_to_string(dir.path().join("statewise.yaml")).unwrap();
    let spec = statewise::Spec::from_yaml(&text, "statewise.yaml").unwrap();
    let gw = &spec.components[0];
    assert_eq!(gw.kind, Some(statewise::spec::Kind::Chat));
    assert_eq!(gw.traffic, Some(statewise::spec::Traffic::Unpredictable));
    assert_eq!(gw.latency_ms.map(|v| v.get()), Some(50.0));
    assert_eq!(gw.shared_state, Some(false));
    assert_eq!(gw.transactions, None, "\"I don't know\" leaves it out");
    let resizer = &spec.components[1];
    assert_eq!(
        resizer.kind,
        Some(statewise::spec::Kind::ServerlessFunction)
    );
    assert_eq!((resizer.latency_ms, resizer.realtime), (None, None));
    let calls: Vec<&str> = resizer.depends_on.iter().map(|d| d.as_str()).collect();
    assert_eq!(calls, [gw.name.as_str()], "what it calls, asked");

    // `analyze` on the file gives what `ask` showed.
    let rules = statewise::RuleSet::builtin();
    let report = statewise::analyze(&spec, &rules, statewise::Kinds::builtin());
    let verdicts: Vec<&str> = report
        .components
        .iter()
        .map(|c| c.verdict.as_str())
        .collect();
    assert_eq!(verdicts, ["stateful", "stateless"]);
    assert!(!dir.path().join("docs").exists(), "no record was asked for");
}

#[test]
fn esc_at_a_prompt_writes_nothing_restores_the_cursor_and_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(dir.path(), &[]);
    answer(&mut s, "System name", "Acme\r");
    answer(&mut s, "What does the system do?", "\r");
    answer(&mut s, "Component name", "gw\r");
    answer(&mut s, "What does it do?", "\r");
    answer(&mut s, "What is it?", ESC);
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
fn an_existing_file_is_not_replaced_without_a_yes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("statewise.yaml"), "keep me\n").unwrap();
    let mut s = spawn(dir.path(), &[]);
    answer(&mut s, "System name", "Acme\r");
    answer(&mut s, "What does the system do?", "\r");
    answer(&mut s, "Component name", "api\r");
    answer(&mut s, "What does it do?", "\r");
    answer(&mut s, "What is it?", &format!("{}\r", UP.repeat(26)));
    answer(&mut s, "A rest-api implies: session none", "");
    answer(&mut s, "Change any of these?", "\r");
    for prompt in [
        "live channel",
        "traffic behave",
        "p99 latency",
        "rebuild a client's context",
        "Clients or connections at once",
        "State per client",
        "Memory you can spend",
        "same live state",
        "transactional data",
        "Availability target",
        "carry if clients held it",
    ] {
        answer(&mut s, prompt, "\r");
    }
    answer(&mut s, "Add another component?", "n");
    answer(&mut s, "`statewise.yaml` exists. Replace it?", "\r");
    answer(&mut s, "Save the spec as", "\r");
    answer(&mut s, "Write a decision record", "n");
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&mut s), 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("statewise.yaml")).unwrap(),
        "keep me\n"
    );
    let saved = std::fs::read_to_string(dir.path().join("statewise-2.yaml")).unwrap();
    assert!(saved.contains("- name: api"), "{saved}");
}

#[test]
fn without_a_terminal_it_stops_at_once_and_points_to_analyze() {
    let out = Test::new().stdin("Acme\n").args(["ask"]).run();
    out.fails()
        .stderr_contains("needs a terminal")
        .stderr_contains("statewise analyze SPEC");
    assert!(!out.folder.exists("statewise.yaml"));
}
