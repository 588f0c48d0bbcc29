//! Spec bytes through the whole pipeline: parse (rendering the error as the
//! CLI prints it, with its located code frame), analyse with the built-in
//! rules, render every output format and both built-in ADR templates (and
//! read the records back as `adr list` and `check` do), explain the first
//! component and run `check`'s findings. Nothing here may panic, whatever the
//! bytes.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use statewise::adr::content::{RecordMeta, record_data};
use statewise::adr::render::{MADR, NYGARD, Template, render};
use statewise::adr::{records, slug};
use statewise::check::{self, Recorded};
use statewise::output::explain as explain_out;
use statewise::output::findings as findings_out;
use statewise::output::{Style, json, markdown, table};
use statewise::{Kinds, RuleSet, Spec, analyze, digest, explain, graph};

fn rules() -> &'static (RuleSet, String) {
    static RULES: OnceLock<(RuleSet, String)> = OnceLock::new();
    RULES.get_or_init(|| {
        let rules = RuleSet::builtin();
        let digest = digest::rules(&rules, Kinds::builtin());
        (rules, digest)
    })
}

fuzz_target!(|data_bytes: &[u8]| {
    let spec = match Spec::from_bytes(data_bytes, "fuzz.yaml") {
        Ok(spec) => spec,
        Err(e) => {
            // What the CLI prints: message, located code frame, help.
            let _ = e.render();
            return;
        }
    };
    let kinds = Kinds::builtin();
    let (rules, rules_digest) = rules();
    let report = analyze(&spec, rules, kinds);

    let _ = json::render(&report);
    let _ = markdown::render(&report);
    let _ = table::render(&report, Style::PLAIN);

    let meta = RecordMeta {
        number: 1,
        title: format!("State management for {}", spec.system.name.as_str()),
        status: "proposed".to_owned(),
        date: "2026-01-31".to_owned(),
        supersedes: None,
        spec_digest: digest::spec(&spec),
        rules_digest: rules_digest.clone(),
    };
    let spec_digest = meta.spec_digest.clone();
    let data = record_data(&report, meta, rules, kinds);
    let mut recorded = None;
    for (name, text) in [("madr", MADR), ("nygard", NYGARD)] {
        // A built-in template must render any valid spec.
        let record = match render(&Template { name, text }, &data) {
            Ok(record) => record,
            Err(e) => panic!("built-in template {name} failed to render a valid spec: {e}"),
        };
        // What `adr list`, `check` and `--supersedes` read back from a record.
        let file = format!("0001-{}.md", slug(&data.title));
        let info = records::parse(1, &file, &record);
        let _ = records::mark_superseded(&record, "[ADR-0002](0002-next.md)");
        if let Some(m) = records::meta(&record) {
            recorded = Some(Recorded {
                file: info.file,
                number: info.number,
                spec_digest: m.spec_digest,
                verdicts: m.verdicts.0,
                decisions: m.decisions.0,
                facts: m.facts.0,
            });
        }
    }

    if let Some(first) = spec.components.first() {
        let around = graph::surroundings(&spec, rules, kinds);
        let e = explain::explain(first, &around[0], rules, kinds);
        let _ = explain_out::text(&e, first, "fuzz.yaml");
        let _ = explain_out::json(&e, first);
    }

    // `check`: findings against no record, then against the record just made.
    // As `statewise check` reads it: the whole file, byte order mark included.
    let text = String::from_utf8_lossy(data_bytes);
    for record in [None, recorded.as_ref()] {
        let findings = check::findings(&check::Inputs {
            report: &report,
            spec_file: "fuzz.yaml",
            spec_text: &text,
            spec_digest: &spec_digest,
            record,
            dir: "docs/adr",
            require_adr: true,
        });
        let _ = findings_out::text(&findings, false);
        let _ = findings_out::json(&findings, "fuzz.yaml", false);
        let _ = findings_out::github(&findings);
        let _ = findings_out::sarif(&findings);
    }
});
