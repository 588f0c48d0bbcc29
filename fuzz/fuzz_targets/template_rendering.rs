//! A user's template text (`adr --template FILE`) rendered against a fixed
//! record (the chat-platform example with the built-in rules): compiled
//! through the limits of `render::limits` and rendered, or refused with a
//! located error. Nothing here may panic or abort (a stack overflow is an
//! abort), whatever the text; a rendered record stays within the output cap,
//! and the built-in templates still render.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use statewise::adr::content::{RecordData, RecordMeta, record_data};
use statewise::adr::render::{MADR, Template, compile, limits};
use statewise::{Kinds, RuleSet, Spec, analyze};

/// The record every input renders: built once.
fn data() -> &'static RecordData {
    static DATA: OnceLock<RecordData> = OnceLock::new();
    DATA.get_or_init(|| {
        let spec = Spec::from_yaml(
            include_str!("../../examples/chat-platform.yaml"),
            "chat-platform.yaml",
        )
        .expect("the example is valid");
        let rules = RuleSet::builtin();
        let kinds = Kinds::builtin();
        let report = analyze(&spec, &rules, kinds);
        let meta = RecordMeta {
            number: 7,
            title: "State management for Parley Chat".into(),
            status: "proposed".into(),
            date: "2026-01-01".into(),
            supersedes: None,
            spec_digest: "sha256:0".into(),
            rules_digest: "sha256:0".into(),
        };
        record_data(&report, meta, &rules, kinds)
    })
}

fuzz_target!(|bytes: &[u8]| {
    // `adr` refuses a template that is not UTF-8 before it gets here.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let template = Template {
        name: "fuzz.hbs",
        text,
    };
    match compile(&template) {
        Ok(compiled) => match compiled.render(data()) {
            Ok(record) => assert!(record.len() <= limits::MAX_OUTPUT_BYTES),
            Err(e) => {
                let _ = e.render();
            }
        },
        Err(e) => {
            let _ = e.render();
        }
    }
    // Text that equals a built-in template renders as the built-in one.
    if text == MADR {
        assert!(compile(&template).and_then(|c| c.render(data())).is_ok());
    }
});
