//! What a decision record says, built from the report: the data a template
//! receives, per record, system and component. The prose sections (context,
//! drivers, options, outcome, consequences, diagram) are written in
//! `prose.rs`. Pure: the templates only arrange it.
//!
//! Fields ending in `_md` hold ready Markdown (user text already escaped);
//! the other strings are raw and templates escape them with a helper.

use serde::Serialize;

use crate::adapters::adr::diagram;
use crate::adapters::adr::prose::{self, Consequences, Driver, OptionData};
use crate::adapters::output::markdown::cell;
use crate::core::report::{ComponentReport, Report};
use crate::core::rules::rule_set::RuleSet;
use crate::core::spec::kinds::Kinds;
use crate::core::spec::values::Verdict;

/// What the caller decides about a record.
#[derive(Clone, Debug)]
pub struct RecordMeta {
    /// Record number.
    pub number: u32,
    /// Title.
    pub title: String,
    /// `proposed` or `accepted`.
    pub status: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The record this one supersedes.
    pub supersedes: Option<Link>,
    /// Digest of the parsed spec.
    pub spec_digest: String,
    /// Digest of the rules and kinds.
    pub rules_digest: String,
}

/// A link to another record.
#[derive(Clone, Debug, Serialize)]
pub struct Link {
    /// Its number.
    pub number: u32,
    /// Its title.
    pub title: String,
    /// Its file name, relative to the record folder.
    pub file: String,
}

/// Everything a template receives.
#[derive(Debug, Serialize)]
pub struct RecordData {
    pub title: String,
    pub number: u32,
    pub number_padded: String,
    pub status: String,
    pub date: String,
    pub statewise_version: &'static str,
    pub spec_digest: String,
    pub rules_digest: String,
    pub supersedes: Option<Link>,
    pub system: SystemData,
    pub components: Vec<ComponentData>,
    pub split: SplitData,
    pub context_md: String,
    pub drivers: Vec<Driver>,
    pub options: Vec<OptionData>,
    pub chosen_option: String,
    /// Whether any component records a team decision; without one the
    /// record proposes the advised split.
    pub has_decisions: bool,
    /// `**name**: assumption` lines, for every criterion a verdict rests on
    /// that nobody stated.
    pub assumptions_md: Vec<String>,
    pub outcome_md: String,
    pub departures_md: Vec<String>,
    pub consequences: Consequences,
    pub confirmation_md: String,
    pub mermaid: String,
}

#[derive(Debug, Serialize)]
pub struct SystemData {
    pub name: String,
    pub description: String,
    /// The advice for the system.
    pub verdict: &'static str,
    /// The system's verdict from what the team decided (the advice where a
    /// component has no decision).
    pub decided: &'static str,
    pub decision_makers: Vec<String>,
    pub consulted: Vec<String>,
    pub informed: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ComponentData {
    pub name: String,
    pub description: String,
    pub kind: &'static str,
    /// The advice.
    pub verdict: &'static str,
    /// What the team decided, or the advice where it decided nothing.
    pub decided: &'static str,
    pub confidence: String,
    pub score_stateful: u32,
    pub score_stateless: u32,
    pub reasons: Vec<Reason>,
    pub top_reasons_md: String,
    pub advice: Vec<String>,
    pub decision: Option<&'static str>,
    pub decision_reason: Option<String>,
    pub departs: bool,
    pub facts_md: String,
    pub tipping_points_md: Vec<String>,
    /// The stated values that fed the verdict, as a YAML flow mapping
    /// (`{kind: chat, latency_ms: 150}`), kept in the record's metadata so
    /// `check` can say later what moved.
    pub facts_yaml: String,
}

#[derive(Debug, Serialize)]
pub struct Reason {
    pub id: String,
    pub title: String,
    pub because: String,
    pub favors: &'static str,
    pub weight: u8,
}

#[derive(Debug, Serialize)]
pub struct SplitData {
    pub stateful: Vec<String>,
    pub stateless: Vec<String>,
    pub hybrid: Vec<String>,
}

/// The facts of a component that feed its verdict as a YAML flow mapping,
/// values that came from the spec only, names quoted where YAML needs it.
fn facts_yaml(c: &crate::core::spec::model::Component) -> String {
    use crate::core::spec::yaml::flow_scalar;
    let entries: Vec<String> = crate::core::diff::facts(c)
        .into_iter()
        .filter_map(|(field, value)| {
            let value = value?;
            Some(if field == "depends_on" {
                let names: Vec<String> = c
                    .depends_on
                    .iter()
                    .map(|d| flow_scalar(d.as_str()))
                    .collect();
                format!("{field}: [{}]", names.join(", "))
            } else {
                format!("{field}: {value}")
            })
        })
        .collect();
    format!("{{{}}}", entries.join(", "))
}

fn component_data(c: &ComponentReport, rules: &RuleSet, kinds: &Kinds) -> ComponentData {
    let reasons: Vec<Reason> = c
        .fired
        .iter()
        .map(|r| Reason {
            id: r.id.clone(),
            title: r.title.clone(),
            because: r.because.clone(),
            favors: r.favors.as_str(),
            weight: r.weight,
        })
        .collect();
    let top: Vec<String> = c
        .top_rules(3)
        .iter()
        .map(|r| format!("{} ({} {})", cell(&r.title), r.favors, r.weight))
        .collect();
    ComponentData {
        name: c.name().to_owned(),
        description: c.component.description.clone(),
        kind: c.kind().as_str(),
        verdict: c.verdict.as_str(),
        decided: c.decided().as_str(),
        confidence: crate::core::text::confidence(c.confidence),
        score_stateful: c.scores.stateful,
        score_stateless: c.scores.stateless,
        reasons,
        top_reasons_md: if top.is_empty() {
            "no rule fired".to_owned()
        } else {
            top.join("; ")
        },
        advice: c.advice.clone(),
        decision: c.component.decision.map(|d| d.as_str()),
        decision_reason: c.component.decision_reason.clone(),
        departs: c.departs(),
        facts_md: prose::inline_facts(&prose::facts_md(c)),
        tipping_points_md: crate::core::explain::tipping_points(
            c.component,
            &c.around,
            rules,
            kinds,
            c.verdict,
        )
        .iter()
        .map(ToString::to_string)
        .collect(),
        facts_yaml: facts_yaml(c.component),
    }
}

/// The system's verdict from what the team decided: uniform or hybrid.
fn decided_system(report: &Report) -> Verdict {
    let mut decided = report.components.iter().map(|c| c.decided());
    match decided.next() {
        Some(first) if decided.all(|v| v == first) => first,
        Some(_) => Verdict::Hybrid,
        None => report.verdict,
    }
}

/// Builds the data a template receives; `rules` and `kinds` are those the
/// report was made with, used again to find each component's tipping points.
pub fn record_data(
    report: &Report,
    meta: RecordMeta,
    rules: &RuleSet,
    kinds: &Kinds,
) -> RecordData {
    let sys = &report.spec.system;
    let has_decisions = report
        .components
        .iter()
        .any(|c| c.component.decision.is_some());
    let chosen = decided_system(report);
    let chosen_option = match (chosen, has_decisions) {
        (Verdict::Stateless, _) => "Stateless everywhere",
        (Verdict::Stateful, _) => "Stateful everywhere",
        (Verdict::Hybrid, false) => "Per component, as advised (a hybrid system)",
        (Verdict::Hybrid, true) => "Per component, as decided (a hybrid system)",
    };
    RecordData {
        number_padded: format!("{:04}", meta.number),
        number: meta.number,
        title: meta.title,
        status: meta.status,
        date: meta.date,
        statewise_version: env!("CARGO_PKG_VERSION"),
        spec_digest: meta.spec_digest,
        rules_digest: meta.rules_digest,
        supersedes: meta.supersedes,
        system: SystemData {
            name: sys.name.as_str().to_owned(),
            description: sys.description.clone(),
            verdict: report.verdict.as_str(),
            decided: chosen.as_str(),
            decision_makers: sys.decision_makers.clone(),
            consulted: sys.consulted.clone(),
            informed: sys.informed.clone(),
        },
        components: report
            .components
            .iter()
            .map(|c| component_data(c, rules, kinds))
            .collect(),
        split: SplitData {
            stateful: report.split.stateful.clone(),
            stateless: report.split.stateless.clone(),
            hybrid: report.split.hybrid.clone(),
        },
        context_md: prose::context_md(report),
        drivers: prose::drivers(report),
        options: prose::options(report, chosen),
        chosen_option: chosen_option.to_owned(),
        has_decisions,
        assumptions_md: report
            .components
            .iter()
            .flat_map(|c| {
                c.assumptions.iter().map(move |a| {
                    format!(
                        "**{}**: {}.",
                        crate::adapters::output::markdown::inline(c.name()),
                        crate::core::words::assumption(a)
                    )
                })
            })
            .collect(),
        outcome_md: prose::outcome_md(report),
        departures_md: prose::departures_md(report),
        consequences: prose::consequences(report),
        confirmation_md: "`statewise check` in CI compares the spec with the digest recorded here and each component's `decision` with the advice; it fails when the spec has moved on without a new record.".to_owned(),
        mermaid: diagram::mermaid(report),
    }
}
