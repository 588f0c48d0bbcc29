//! Writes a spec as commented YAML: every key explained, and the criteria a
//! component leaves out listed as comments so a reader sees every option.
//! `init` writes the starter spec this way; the questionnaire writes its
//! result the same way, and both parse back to the same spec.

use crate::core::spec::field::Field;
use crate::core::spec::kinds::Kinds;
use crate::core::spec::model::{Component, Spec};
use crate::core::text::yaml_number;

/// True when `s` can be written as a plain YAML scalar and read back as the
/// same string; inside a flow list (`[a, b]`) commas are not allowed.
fn is_plain(s: &str, in_flow: bool) -> bool {
    let reserved = [
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
    ];
    let Some(first) = s.chars().next() else {
        return false;
    };
    first.is_alphabetic()
        && s.chars()
            .all(|c| c.is_alphanumeric() || " _-./()".contains(c) || (c == ',' && !in_flow))
        && !s.ends_with(' ')
        && !s.contains("  ")
        && !reserved.contains(&s.to_lowercase().as_str())
}

/// A string as a YAML scalar: plain when safe, else double-quoted with JSON
/// escapes (a subset of YAML's).
pub fn scalar(s: &str) -> String {
    quoted_unless_plain(s, false)
}

/// A string as a scalar inside a flow list (`[a, b]`).
pub fn flow_scalar(s: &str) -> String {
    quoted_unless_plain(s, true)
}

fn quoted_unless_plain(s: &str, in_flow: bool) -> String {
    if is_plain(s, in_flow) {
        s.to_owned()
    } else {
        // JSON escapes are YAML escapes too; `<` and `>` are escaped as well
        // so a value can never close the HTML comment a record keeps it in.
        let json = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned());
        let mut out = String::with_capacity(json.len());
        for c in json.chars() {
            // JSON leaves these raw; YAML refuses some of them raw.
            let escape = matches!(
                c,
                '<' | '>' | '\u{7f}'
                    ..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            );
            if escape {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            } else {
                out.push(c);
            }
        }
        out
    }
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| quoted_unless_plain(s, true)).collect();
    format!("[{}]", items.join(", "))
}

fn hint(field: Field) -> &'static str {
    match field {
        Field::Kind => "rest-api, chat, database, cart, ... (`statewise schema` lists all)",
        Field::Realtime => "none | server-push | bidirectional",
        Field::Traffic => "steady | predictable-peaks | unpredictable",
        Field::LatencyMs => "p99 latency to meet, ms",
        Field::ContextRebuildMs => "ms to rebuild a client's context per request",
        Field::ConcurrentClients => "peak clients or connections at once",
        Field::StateKbPerClient => "KiB of state per client if kept in memory",
        Field::MemoryBudgetMb => "MiB you can spend on that state, all instances",
        Field::Session => "none | per-user | per-connection",
        Field::SharedState => "several clients act on the same live state",
        Field::Transactions => "owns transactional data (commit, rollback, locks)",
        Field::Availability => "target in percent, 90 to below 100",
        Field::RequestContextKb => "KiB each request would carry if clients held the context",
        Field::StateLocation => "memory | local-disk | external-store | client | none, or a list",
        Field::Recovery => {
            "none | checkpoint | journal | replay | replicas | rebuild | from-clients | disposable, or a list"
        }
        Field::KeyedState => "none | aggregate | index | routing",
        Field::StateWritesPerS => "peak writes/s to that state, all clients",
        Field::Affinity => "none | per-client | per-key | single-writer",
        Field::ClientMayHoldState => "may the context travel with the client?",
        Field::BandwidthKbps => "sustained kbit/s per client",
        Field::ConnectionsPerInstance => "clients one instance can serve at once",
        _ => "",
    }
}

/// Example values shown for criteria a component leaves out.
pub(crate) fn example(field: Field) -> &'static str {
    match field {
        Field::Realtime => "none",
        Field::Traffic => "steady",
        Field::LatencyMs => "200",
        Field::ContextRebuildMs => "20",
        Field::ConcurrentClients => "1000",
        Field::StateKbPerClient => "16",
        Field::MemoryBudgetMb => "512",
        Field::Session => "none",
        Field::SharedState | Field::Transactions => "false",
        Field::Availability => "99.9",
        Field::RequestContextKb => "2",
        Field::KeyedState | Field::Affinity => "none",
        Field::StateLocation => "[memory, external-store]",
        Field::Recovery => "replicas",
        Field::StateWritesPerS => "100",
        Field::ClientMayHoldState => "true",
        Field::BandwidthKbps => "64",
        Field::ConnectionsPerInstance => "10000",
        _ => "",
    }
}

pub(crate) fn criterion_value(c: &Component, field: Field) -> Option<String> {
    let num = |v: Option<f64>| v.map(yaml_number);
    match field {
        Field::Kind => c.kind.map(|k| k.as_str().to_owned()),
        Field::Realtime => c.realtime.map(|v| v.as_str().to_owned()),
        Field::Traffic => c.traffic.map(|v| v.as_str().to_owned()),
        Field::LatencyMs => num(c.latency_ms.map(|v| v.get())),
        Field::ContextRebuildMs => num(c.context_rebuild_ms.map(|v| v.get())),
        Field::ConcurrentClients => num(c.concurrent_clients.map(|v| v.get())),
        Field::StateKbPerClient => num(c.state_kb_per_client.map(|v| v.get())),
        Field::MemoryBudgetMb => num(c.memory_budget_mb.map(|v| v.get())),
        Field::Session => c.session.map(|v| v.as_str().to_owned()),
        Field::SharedState => c.shared_state.map(|v| v.to_string()),
        Field::Transactions => c.transactions.map(|v| v.to_string()),
        Field::Availability => num(c.availability.map(|v| v.get())),
        Field::RequestContextKb => num(c.request_context_kb.map(|v| v.get())),
        Field::KeyedState => c.keyed_state.map(|v| v.as_str().to_owned()),
        Field::StateLocation => c.state_location.map(|v| v.to_yaml()),
        Field::Recovery => c.recovery.map(|v| v.to_yaml()),
        Field::StateWritesPerS => num(c.state_writes_per_s.map(|v| v.get())),
        Field::Affinity => c.affinity.map(|v| v.as_str().to_owned()),
        Field::ClientMayHoldState => c.client_may_hold_state.map(|v| v.to_string()),
        Field::BandwidthKbps => num(c.bandwidth_kbps.map(|v| v.get())),
        Field::ConnectionsPerInstance => num(c.connections_per_instance.map(|v| v.get())),
        _ => None,
    }
}

/// Writes `indent key: value  # comment`, comments aligned at column 40.
fn line(out: &mut String, indent: &str, key_value: String, comment: &str) {
    if comment.is_empty() {
        out.push_str(&format!("{indent}{key_value}\n"));
    } else {
        let width = 38usize.saturating_sub(indent.chars().count()).max(1);
        out.push_str(&format!("{indent}{key_value:<width$} # {comment}\n"));
    }
}

/// What the component's kind implies for `field`, as YAML text.
fn kind_value(c: &Component, kinds: &Kinds, field: Field) -> Option<String> {
    let d = kinds.defaults(c.kind?);
    match field {
        Field::Realtime => d.realtime.map(|v| v.as_str().to_owned()),
        Field::Traffic => d.traffic.map(|v| v.as_str().to_owned()),
        Field::Session => d.session.map(|v| v.as_str().to_owned()),
        Field::SharedState => d.shared_state.map(|v| v.to_string()),
        Field::Transactions => d.transactions.map(|v| v.to_string()),
        Field::StateLocation => d.state_location.map(|v| v.to_yaml()),
        Field::KeyedState => d.keyed_state.map(|v| v.as_str().to_owned()),
        Field::Affinity => d.affinity.map(|v| v.as_str().to_owned()),
        Field::Recovery => d.recovery.map(|v| v.to_yaml()),
        Field::ClientMayHoldState => d.client_may_hold_state.map(|v| v.to_string()),
        _ => None,
    }
}

/// The spec as commented YAML. With `hints`, the criteria a component
/// leaves out appear as commented-out lines.
pub fn to_commented_yaml(spec: &Spec, kinds: &Kinds, hints: bool) -> String {
    to_commented_yaml_noting(spec, kinds, hints, &[])
}

/// [`to_commented_yaml`], with the criteria nobody knew (`unknown[i]` for
/// the `i`th component) left out as a commented line that says so, hints
/// or not.
pub fn to_commented_yaml_noting(
    spec: &Spec,
    kinds: &Kinds,
    hints: bool,
    unknown: &[Vec<Field>],
) -> String {
    let mut out = String::new();
    out.push_str("# statewise spec: describe each component of the system; `statewise analyze`\n");
    out.push_str(
        "# recommends stateful, stateless or hybrid for each. Every component field but\n",
    );
    out.push_str("# `name` is optional: leave out what you do not know.\n");
    out.push_str(
        "# Editor completion: `statewise schema > statewise.schema.json`, then keep this line:\n",
    );
    out.push_str("# yaml-language-server: $schema=statewise.schema.json\n");
    line(
        &mut out,
        "",
        "version: 1".into(),
        "spec format version; always 1",
    );
    out.push_str("\nsystem:\n");
    let sys = &spec.system;
    line(
        &mut out,
        "  ",
        format!("name: {}", scalar(sys.name.as_str())),
        "required",
    );
    if !sys.description.is_empty() {
        line(
            &mut out,
            "  ",
            format!("description: {}", scalar(&sys.description)),
            "",
        );
    }
    line(
        &mut out,
        "  ",
        format!("decision_makers: {}", list(&sys.decision_makers)),
        "copied to the ADR",
    );
    line(
        &mut out,
        "  ",
        format!("consulted: {}", list(&sys.consulted)),
        "copied to the ADR",
    );
    line(
        &mut out,
        "  ",
        format!("informed: {}", list(&sys.informed)),
        "copied to the ADR",
    );
    if !sys.deploy.is_empty() {
        let paths: Vec<String> = sys.deploy.iter().map(|p| flow_scalar(p.as_str())).collect();
        line(
            &mut out,
            "  ",
            format!("deploy: [{}]", paths.join(", ")),
            "deployment files: evidence for analyze, explain and check",
        );
    }
    write_waivers(&mut out, "  ", &sys.waivers);
    out.push_str("\ncomponents:\n");
    for (i, c) in spec.components.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        line(
            &mut out,
            "  - ",
            format!("name: {}", scalar(c.name.as_str())),
            "required, unique, 1-64 printable characters",
        );
        let indent = "    ";
        if !c.description.is_empty() {
            line(
                &mut out,
                indent,
                format!("description: {}", scalar(&c.description)),
                "",
            );
        }
        for field in Field::ALL.into_iter().filter(|f| !f.is_derived()) {
            match criterion_value(c, field) {
                Some(v) => line(
                    &mut out,
                    indent,
                    format!("{}: {v}", field.name()),
                    hint(field),
                ),
                None if unknown.get(i).is_some_and(|u| u.contains(&field)) => {
                    let (value, comment) = match kind_value(c, kinds, field) {
                        Some(v) => (
                            v,
                            format!(
                                "not known when asked; kind `{}` implies this",
                                c.kind.map_or("", |k| k.as_str())
                            ),
                        ),
                        None => (
                            example(field).to_owned(),
                            "not known when asked; state it when known".to_owned(),
                        ),
                    };
                    line(
                        &mut out,
                        &format!("{indent}# "),
                        format!("{}: {value}", field.name()),
                        &comment,
                    );
                }
                None if hints && field != Field::Kind => {
                    let (value, comment) = match kind_value(c, kinds, field) {
                        Some(v) => (
                            v,
                            format!("implied by kind `{}`", c.kind.map_or("", |k| k.as_str())),
                        ),
                        None => (example(field).to_owned(), hint(field).to_owned()),
                    };
                    line(
                        &mut out,
                        &format!("{indent}# "),
                        format!("{}: {value}", field.name()),
                        &comment,
                    );
                }
                None => {}
            }
        }
        if let Some(w) = &c.deployed_as {
            line(
                &mut out,
                indent,
                format!("deployed_as: {}", scalar(w.as_str())),
                "the workload that runs it",
            );
        }
        if !c.depends_on.is_empty() {
            let names: Vec<String> = c
                .depends_on
                .iter()
                .map(|d| flow_scalar(d.as_str()))
                .collect();
            line(
                &mut out,
                indent,
                format!("depends_on: [{}]", names.join(", ")),
                "the components it calls",
            );
        } else if hints {
            line(
                &mut out,
                &format!("{indent}# "),
                "depends_on: [other-component]".into(),
                "the components it calls",
            );
        }
        if let Some(d) = c.decision {
            line(
                &mut out,
                indent,
                format!("decision: {d}"),
                "what the team decided; `statewise check` compares",
            );
        } else if hints {
            line(
                &mut out,
                &format!("{indent}# "),
                "decision: stateless".into(),
                "what the team decided",
            );
        }
        if let Some(r) = &c.decision_reason {
            line(
                &mut out,
                indent,
                format!("decision_reason: {}", scalar(r)),
                "why it departs from the advice",
            );
        }
        write_waivers(&mut out, indent, &c.waivers);
    }
    out
}

fn write_waivers(out: &mut String, indent: &str, waivers: &[crate::core::spec::waiver::Waiver]) {
    if waivers.is_empty() {
        return;
    }
    line(
        out,
        indent,
        "waivers:".into(),
        "check findings waived here, each with its reason",
    );
    for w in waivers {
        out.push_str(&format!("{indent}  - rule: {}\n", scalar(w.rule.as_str())));
        if let Some(workload) = &w.workload {
            out.push_str(&format!(
                "{indent}    workload: {}\n",
                scalar(workload.as_str())
            ));
        }
        out.push_str(&format!(
            "{indent}    reason: {}\n",
            scalar(w.reason.as_str())
        ));
    }
}

/// The starter spec `init` writes: a small system showing each kind of verdict.
pub fn starter() -> String {
    let text = include_str!("../../../examples/starter.yaml");
    match Spec::from_yaml(text, "examples/starter.yaml") {
        Ok(spec) => to_commented_yaml(&spec, Kinds::builtin(), true),
        // Our own file, parsed by a unit test.
        Err(e) => panic!("starter spec is invalid: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waivers_survive_a_rewrite() {
        let text = "version: 1\nsystem: {name: S}\ncomponents:\n  - name: gw\n    kind: chat\n    waivers:\n      - rule: decision-contradicts-advice\n        reason: 'moving: in Q3'\n      - {rule: no-adr, reason: later}\n";
        let spec = Spec::from_yaml(text, "s.yaml").unwrap();
        let waivers = &spec.components[0].waivers;
        assert_eq!(waivers.len(), 2);
        let written = to_commented_yaml(&spec, Kinds::builtin(), false);
        let back = Spec::from_yaml(&written, "again.yaml").unwrap();
        assert_eq!(back.components[0].waivers, *waivers, "{written}");
    }

    #[test]
    fn scalars_quote_what_yaml_would_misread() {
        assert_eq!(scalar("storefront-api"), "storefront-api");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("12"), "\"12\"");
        assert_eq!(scalar("line\nbreak"), "\"line\\nbreak\"");
        assert_eq!(scalar("a, b"), "a, b");
        assert_eq!(scalar("x-->y"), "\"x--\\u003ey\"");
        for odd in ["a\u{7f}b", "a\u{85}b", "a\u{2028}b", "\u{feff}a"] {
            let back: String = serde_yaml::from_str(&scalar(odd)).unwrap();
            assert_eq!(back, odd);
        }
        assert_eq!(list(&["a, b".to_owned(), "c".to_owned()]), "[\"a, b\", c]");
        assert_eq!(scalar(""), "\"\"");
    }

    #[test]
    fn starter_parses_back_to_the_same_spec() {
        let text = starter();
        let spec = Spec::from_yaml(&text, "s").unwrap();
        let again =
            Spec::from_yaml(&to_commented_yaml(&spec, Kinds::builtin(), true), "s").unwrap();
        assert_eq!(spec, again);
        assert!(text.contains("    # realtime: bidirectional"), "{text}");
        assert!(text.contains("# implied by kind `chat`"), "{text}");
    }

    #[test]
    fn hostile_names_round_trip() {
        let spec = Spec::from_yaml(
            "version: 1\nsystem: {name: \"a|b # c\"}\ncomponents: [{name: \"x: y\", description: \"- z\\n`q`\"}]\n",
            "s",
        )
        .unwrap();
        let again =
            Spec::from_yaml(&to_commented_yaml(&spec, Kinds::builtin(), false), "s").unwrap();
        assert_eq!(spec, again);
    }
}
