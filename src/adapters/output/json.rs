//! The JSON rendering (contract section 7): fixed fields `system.name`,
//! `system.verdict`, and per component `name`, `verdict`, `confidence`,
//! `rules`; plus scores, reasons, advice and every fact with its origin.

use serde::Serialize;

use crate::core::assumptions::Assumption;
use crate::core::facts::{Origin, Value};
use crate::core::plan::Migration;
use crate::core::report::{ComponentReport, Report};
use crate::core::spec::field::Field;
use crate::core::spec::values::DependencyName;

/// Version of this JSON shape; raised when a field changes meaning.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    json_version: u32,
    statewise_version: &'static str,
    system: System<'a>,
    components: Components<'a>,
}

/// The components, each built as it is written, not all held at once.
struct Components<'a>(&'a Report<'a>);

impl Serialize for Components<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.components.iter().map(component))
    }
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
    facts: Facts<'a>,
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

/// A component's facts as an object, keyed by field name in name order.
struct Facts<'a>(&'a ComponentReport<'a>);

/// The fields in the order of their names (byte order, as a sorted map of
/// the names would hold them).
fn by_name() -> &'static [Field; Field::COUNT] {
    static ORDER: std::sync::OnceLock<[Field; Field::COUNT]> = std::sync::OnceLock::new();
    ORDER.get_or_init(|| {
        let mut all = Field::ALL;
        all.sort_by_key(|f| f.name());
        all
    })
}

impl Serialize for Facts<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let c = self.0;
        let facts = &c.facts;
        let present = |f: &&Field| facts.get(**f).is_some();
        let mut map = s.serialize_map(Some(by_name().iter().filter(present).count()))?;
        for &f in by_name() {
            let (Some(value), Some(origin)) = (facts.get(f), facts.origin(f)) else {
                continue;
            };
            let source = (origin == Origin::Imported)
                .then(|| c.component.imported.source(f))
                .flatten();
            map.serialize_entry(
                f.name(),
                &Fact {
                    value,
                    origin,
                    source,
                },
            )?;
        }
        map.end()
    }
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
        components: Components(report),
    }
}

fn component<'a>(c: &'a ComponentReport<'a>) -> Component<'a> {
    Component {
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
        facts: Facts(c),
        decision: c.component.decision.map(|d| d.as_str()),
        decision_reason: c.component.decision_reason.as_deref(),
        assumptions: &c.assumptions,
        migration: c.migration.as_ref(),
    }
}
