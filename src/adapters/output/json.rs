//! The JSON rendering (contract section 7): fixed fields `system.name`,
//! `system.verdict`, and per component `name`, `verdict`, `confidence`,
//! `rules`; plus scores, reasons, advice and every fact with its origin.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::core::assumptions::Assumption;
use crate::core::facts::{Origin, Value};
use crate::core::plan::Migration;
use crate::core::report::Report;
use crate::core::spec::values::DependencyName;

/// Version of this JSON shape; raised when a field changes meaning.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    json_version: u32,
    statewise_version: &'static str,
    system: System<'a>,
    components: Vec<Component<'a>>,
}

#[derive(Serialize)]
struct System<'a> {
    name: &'a str,
    verdict: &'static str,
    description: &'a str,
    split: Split<'a>,
}

#[derive(Serialize)]
struct Split<'a> {
    stateful: &'a [String],
    stateless: &'a [String],
    hybrid: &'a [String],
}

#[derive(Serialize)]
struct Component<'a> {
    name: &'a str,
    verdict: &'static str,
    confidence: f64,
    rules: Vec<FiredRule<'a>>,
    kind: &'static str,
    depends_on: &'a [DependencyName],
    scores: Scores,
    reasons: Vec<&'a str>,
    advice: &'a [String],
    facts: BTreeMap<&'static str, Fact<'a>>,
    decision: Option<&'static str>,
    decision_reason: Option<&'a str>,
    assumptions: &'a [Assumption],
    migration: Option<&'a Migration>,
}

#[derive(Serialize)]
struct FiredRule<'a> {
    id: &'a str,
    favors: &'static str,
    weight: u8,
    title: &'a str,
}

#[derive(Serialize)]
struct Scores {
    stateful: u32,
    stateless: u32,
}

#[derive(Serialize)]
struct Fact<'a> {
    value: Value,
    origin: Origin,
    /// For an imported fact, the place its comment cites.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

/// The report as pretty-printed JSON, with a final newline.
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and the document always serialises.
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the report as pretty-printed JSON, with a final newline, without
/// holding the text in memory.
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    // Buffered here, with a writer the serializer knows: its many small
    // writes (a quote, a comma, an indent) are then copies, not calls.
    use std::io::Write as _;
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, w);
    crate::core::escape::json_pretty_to(&mut w, &doc(report))?;
    w.write_all(b"\n")?;
    w.flush()
}

fn doc<'a>(report: &'a Report) -> Doc<'a> {
    Doc {
        json_version: JSON_VERSION,
        statewise_version: env!("CARGO_PKG_VERSION"),
        system: System {
            name: report.spec.system.name.as_str(),
            verdict: report.verdict.as_str(),
            description: &report.spec.system.description,
            split: Split {
                stateful: &report.split.stateful,
                stateless: &report.split.stateless,
                hybrid: &report.split.hybrid,
            },
        },
        components: report
            .components
            .iter()
            .map(|c| Component {
                name: c.name(),
                verdict: c.verdict.as_str(),
                confidence: c.confidence,
                rules: c
                    .fired
                    .iter()
                    .map(|r| FiredRule {
                        id: &r.id,
                        favors: r.favors.as_str(),
                        weight: r.weight,
                        title: &r.title,
                    })
                    .collect(),
                kind: c.kind().as_str(),
                depends_on: &c.component.depends_on,
                scores: Scores {
                    stateful: c.scores.stateful,
                    stateless: c.scores.stateless,
                },
                reasons: c.top_rules(3).iter().map(|r| r.because.as_str()).collect(),
                advice: &c.advice,
                facts: c
                    .facts
                    .iter()
                    .map(|(f, value, origin)| {
                        let source = (origin == Origin::Imported)
                            .then(|| c.component.imported.source(f))
                            .flatten();
                        (
                            f.name(),
                            Fact {
                                value,
                                origin,
                                source,
                            },
                        )
                    })
                    .collect(),
                decision: c.component.decision.map(|d| d.as_str()),
                decision_reason: c.component.decision_reason.as_deref(),
                assumptions: &c.assumptions,
                migration: c.migration.as_ref(),
            })
            .collect(),
    }
}
