//! Renderings of an explanation: text for people and JSON for tools.

use serde_json::json;

use crate::core::explain::Explanation;
use crate::core::facts::Origin;
use crate::core::rules::condition::Leaf;
use crate::core::spec::model::Component;

/// Where a fact came from, in words: an imported value names the place
/// its comment cites.
fn origin(o: Origin, source: Option<&str>) -> String {
    match (o, source) {
        (Origin::Spec, _) => "spec".into(),
        (Origin::Imported, Some(place)) => format!("imported from {place}"),
        (Origin::Imported, None) => "imported".into(),
        (Origin::Kind, _) => "from the kind".into(),
        (Origin::Default, _) => "default".into(),
        (Origin::Derived, _) => "derived".into(),
        (Origin::Deployment, _) => "deployment".into(),
    }
}

fn leaves(out: &mut String, leaves: &[Leaf]) {
    for l in leaves {
        out.push_str(&format!("      {l}\n"));
    }
}

/// The explanation as text.
/// Names, values and rule texts are shown safe for a terminal and a CI log.
pub fn text(e: &Explanation, c: &Component, spec_file: &str, deployment: &[String]) -> String {
    let mut out = unescaped_text(e, c, spec_file);
    if !deployment.is_empty() {
        out.push_str("\nHow it is deployed (the deployment files):\n");
        for l in deployment {
            out.push_str(&format!("  {l}\n"));
        }
    }
    crate::core::escape::lines(&out)
}

fn unescaped_text(e: &Explanation, c: &Component, spec_file: &str) -> String {
    let kind = c.kind.map_or("other", |k| k.as_str());
    let mut out = format!(
        "`{}` ({kind}) in {spec_file}: {}, confidence {:.2}\n\nFacts:\n",
        c.name, e.verdict, e.confidence
    );
    // Names line up however long the longest is.
    let width = e
        .facts
        .iter()
        .map(|(f, _, _)| f.name().len())
        .max()
        .unwrap_or(0)
        .max(20);
    let values = e
        .facts
        .iter()
        .map(|(_, v, _)| v.to_string().chars().count())
        .max()
        .unwrap_or(0)
        .max(16);
    for (f, v, o) in e.facts.iter() {
        out.push_str(&format!(
            "  {:<width$} {:<values$} {}\n",
            f.name(),
            v.to_string(),
            origin(o, c.imported.source(f))
        ));
    }
    out.push_str(&format!(
        "\nRules that fired (stateful {}, stateless {}):\n",
        e.scores.stateful, e.scores.stateless
    ));
    if e.fired.is_empty() {
        out.push_str("  none\n");
    }
    for f in &e.fired {
        out.push_str(&format!(
            "  {} {:<2} {}: {}\n",
            f.rule.favors, f.rule.weight, f.rule.id, f.rule.title
        ));
        leaves(&mut out, &f.leaves);
    }
    out.push_str("\nRules that nearly fired (one condition short):\n");
    if e.near.is_empty() {
        out.push_str("  none\n");
    }
    for n in &e.near {
        out.push_str(&format!(
            "  {} {:<2} {}: needs {}\n",
            n.rule.favors, n.rule.weight, n.rule.id, n.failed
        ));
        leaves(&mut out, &n.leaves);
    }
    out.push_str("\nHow the scores became the verdict:\n");
    for s in &e.steps {
        out.push_str(&format!("  {s}\n"));
    }
    out.push_str("\nTipping points (one criterion changed at a time):\n");
    if e.tipping_points.is_empty() {
        out.push_str("  none: no change of a single criterion flips this verdict\n");
    }
    for t in &e.tipping_points {
        out.push_str(&format!("  {t}\n"));
    }
    out
}

fn leaves_json(leaves: &[Leaf]) -> Vec<serde_json::Value> {
    leaves
        .iter()
        .map(|l| json!({ "test": l.test, "field": l.field.name(), "value": l.value, "holds": l.holds }))
        .collect()
}

/// The explanation as one JSON object.
pub fn json(e: &Explanation, c: &Component, deployment: &[String]) -> String {
    let facts: serde_json::Map<String, serde_json::Value> = e
        .facts
        .iter()
        .map(|(f, v, o)| {
            let mut fact = json!({ "value": v, "origin": o });
            if let Some(place) = c.imported.source(f).filter(|_| o == Origin::Imported) {
                fact["source"] = json!(place);
            }
            (f.name().to_owned(), fact)
        })
        .collect();
    let doc = json!({
        "json_version": 1,
        "component": c.name.as_str(),
        "kind": c.kind.map_or("other", |k| k.as_str()),
        "verdict": e.verdict.as_str(),
        "confidence": e.confidence,
        "scores": { "stateful": e.scores.stateful, "stateless": e.scores.stateless },
        "facts": facts,
        "fired": e.fired.iter().map(|f| json!({
            "id": f.rule.id, "favors": f.rule.favors.as_str(), "weight": f.rule.weight,
            "title": f.rule.title, "matched": leaves_json(&f.leaves),
        })).collect::<Vec<_>>(),
        "near_misses": e.near.iter().map(|n| json!({
            "id": n.rule.id, "favors": n.rule.favors.as_str(), "weight": n.rule.weight,
            "title": n.rule.title, "failed": n.failed, "tests": leaves_json(&n.leaves),
        })).collect::<Vec<_>>(),
        "steps": e.steps,
        "tipping_points": e.tipping_points,
        "deployment": deployment,
    });
    let mut text = crate::core::escape::json_pretty(&doc);
    text.push('\n');
    text
}
