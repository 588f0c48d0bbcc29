//! Round trips that must hold for every valid spec (an oracle, not only a
//! no-panic target): the spec written back as YAML parses to the same spec
//! and digest; the JSON output is valid JSON; analysis is deterministic; and
//! a record rendered with either built-in template reads back, as `check`
//! and `adr list` read it, with the system, spec digest, verdicts, title,
//! status and date that were written into it, and `--supersedes` can mark it.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use statewise::adr::content::{RecordMeta, record_data};
use statewise::adr::records;
use statewise::adr::render::{MADR, NYGARD, Template, render};
use statewise::output::json;
use statewise::{Kinds, RuleSet, Spec, analyze, digest};

fn rules() -> &'static (RuleSet, String) {
    static RULES: OnceLock<(RuleSet, String)> = OnceLock::new();
    RULES.get_or_init(|| {
        let rules = RuleSet::builtin();
        let digest = digest::rules(&rules, Kinds::builtin());
        (rules, digest)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(spec) = Spec::from_bytes(data, "fuzz.yaml") else {
        return;
    };
    let kinds = Kinds::builtin();
    let (rules, rules_digest) = rules();
    let spec_digest = digest::spec(&spec);

    // `init` / `ask` write specs with `to_yaml`: they must read back.
    let yaml = spec.to_yaml();
    match Spec::from_yaml(&yaml, "written.yaml") {
        Ok(again) => {
            assert_eq!(again, spec, "spec changed through to_yaml:\n{yaml}");
            assert_eq!(
                digest::spec(&again),
                spec_digest,
                "digest changed through to_yaml"
            );
        }
        Err(e) => panic!("to_yaml wrote a spec that does not parse: {e}\n{yaml}"),
    }

    let report = analyze(&spec, rules, kinds);
    let out = json::render(&report);
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&out) {
        panic!("json output is not JSON: {e}\n{out}");
    }
    assert_eq!(
        json::render(&analyze(&spec, rules, kinds)),
        out,
        "analysis is not deterministic"
    );

    let title = format!("State management for {}", spec.system.name.as_str());
    let meta = RecordMeta {
        number: 7,
        title: title.clone(),
        status: "accepted".to_owned(),
        date: "2026-01-31".to_owned(),
        supersedes: None,
        spec_digest: spec_digest.clone(),
        rules_digest: rules_digest.clone(),
    };
    let data = record_data(&report, meta, rules, kinds);
    let verdicts: Vec<(String, String)> = report
        .components
        .iter()
        .map(|c| (c.name().to_owned(), c.verdict.as_str().to_owned()))
        .collect();
    for (name, text) in [("madr", MADR), ("nygard", NYGARD)] {
        let record = match render(&Template { name, text }, &data) {
            Ok(record) => record,
            Err(e) => panic!("built-in template {name} failed to render a valid spec: {e}"),
        };
        let Some(m) = records::meta(&record) else {
            panic!("{name}: `check` finds no statewise metadata in the record:\n{record}");
        };
        assert_eq!(
            m.system,
            spec.system.name.as_str(),
            "{name}: system name\n{record}"
        );
        assert_eq!(m.spec_digest, spec_digest, "{name}: spec digest\n{record}");
        assert_eq!(m.verdicts.0, verdicts, "{name}: verdicts\n{record}");
        let info = records::parse(7, "0007-x.md", &record);
        // A Markdown heading is one line: blanks and line breaks in a name
        // are folded, every other character must come back.
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(
            words(&info.title),
            words(&title),
            "{name}: title as `adr list` shows it\n{record}"
        );
        assert_eq!(
            info.status.as_deref(),
            Some("accepted"),
            "{name}: status\n{record}"
        );
        assert_eq!(
            info.date.as_deref(),
            Some("2026-01-31"),
            "{name}: date\n{record}"
        );
        let marked = records::mark_superseded(&record, "[ADR-0008](0008-next.md)");
        let Some(marked) = marked else {
            panic!("{name}: `--supersedes` finds no status to mark:\n{record}");
        };
        let again = records::parse(7, "0007-x.md", &marked);
        assert_eq!(
            again.status.as_deref(),
            Some("superseded"),
            "{name}: status after --supersedes\n{marked}"
        );
    }
});
