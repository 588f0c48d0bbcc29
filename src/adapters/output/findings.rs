//! Renderings of `check` findings: text for people, versioned JSON, GitHub
//! workflow annotations, and SARIF 2.1.0 for code-scanning dashboards.

use serde_json::json;

use crate::core::check::{Finding, Kind, Severity};
use crate::core::escape::{self, line, lines};

/// Version of the JSON shape.
pub const JSON_VERSION: u32 = 1;

fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    let n = |s| findings.iter().filter(|f| f.severity == s).count();
    (n(Severity::Error), n(Severity::Warning), n(Severity::Note))
}

fn plural(n: usize, word: &str) -> String {
    crate::core::words::count(n, word, &format!("{word}s"))
}

/// One finding per line: severity, place, component, message; then a tally.
pub fn text(findings: &[Finding], passed: bool) -> String {
    let mut out = String::new();
    for f in findings {
        let place = match f.line {
            Some(l) => format!("{}:{l}", f.file),
            None => f.file.clone(),
        };
        let component = f
            .component
            .as_deref()
            .map(|c| format!(" `{}`:", line(c)))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}: {}:{component} {}\n",
            f.severity.as_str(),
            line(&place),
            line(&f.message)
        ));
    }
    let (e, w, n) = counts(findings);
    out.push_str(&format!(
        "{}: {}, {}, {}\n",
        if passed {
            "check passed"
        } else {
            "check failed"
        },
        plural(e, "error"),
        plural(w, "warning"),
        plural(n, "note")
    ));
    out
}

/// The findings as one JSON object.
pub fn json(findings: &[Finding], spec_file: &str, passed: bool) -> String {
    let (e, w, n) = counts(findings);
    let doc = json!({
        "json_version": JSON_VERSION,
        "statewise_version": env!("CARGO_PKG_VERSION"),
        "spec": spec_file,
        "passed": passed,
        "summary": { "errors": e, "warnings": w, "notes": n },
        "findings": findings,
    });
    let mut text = escape::json_pretty(&doc);
    text.push('\n');
    text
}

/// Escapes a workflow command's message: unsafe characters shown escaped,
/// then the runner's own escapes for `%`, CR and LF.
fn gh_data(s: &str) -> String {
    lines(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands: `::error file=...,line=...::message`.
pub fn github(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = format!("file={}", gh_property(&f.file));
        if let Some(line) = f.line {
            props.push_str(&format!(",line={line}"));
        }
        let title = match &f.component {
            Some(c) => format!("statewise {}: {c}", f.kind.id()),
            None => format!("statewise {}", f.kind.id()),
        };
        props.push_str(&format!(",title={}", gh_property(&title)));
        out.push_str(&format!("::{level} {props}::{}\n", gh_data(&f.message)));
    }
    out
}

/// A SARIF 2.1.0 log with one run.
pub fn sarif(findings: &[Finding]) -> String {
    let rules: Vec<serde_json::Value> = Kind::ALL
        .iter()
        .map(|k| {
            let level = match k {
                Kind::DecisionContradictsAdvice
                | Kind::SpecChanged
                | Kind::DuplicateAdrNumber
                | Kind::AdrLinkToMissing => "error",
                Kind::AdviceChanged
                | Kind::DependencyBelowTarget
                | Kind::UnrecoverableState
                | Kind::SupersededWithoutSuccessor
                | Kind::UnreadableAdr => "warning",
                Kind::AcceptedDeparture | Kind::NoAdr | Kind::ChangedSinceAdr => "note",
            };
            json!({
                "id": k.id(),
                "name": k.id(),
                "shortDescription": { "text": k.description() },
                "fullDescription": { "text": k.description() },
                "defaultConfiguration": { "level": level },
                "helpUri": "https://github.com/statewise/statewise#ci",
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let mut region = serde_json::Map::new();
            region.insert("startLine".into(), json!(f.line.unwrap_or(1)));
            json!({
                "ruleId": f.kind.id(),
                "ruleIndex": Kind::ALL.iter().position(|k| *k == f.kind).unwrap_or(0),
                "level": f.severity.as_str(),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": escape::uri_path(&f.file) },
                        "region": region,
                    }
                }],
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "statewise",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/statewise/statewise",
                    "rules": rules,
                }
            },
            "results": results,
        }]
    });
    let mut text = escape::json_pretty(&doc);
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding() -> Finding {
        Finding {
            severity: Severity::Error,
            kind: Kind::DecisionContradictsAdvice,
            component: Some("a,b".into()),
            message: "100% wrong\nreally".into(),
            file: "dir:x/s.yaml".into(),
            line: Some(7),
        }
    }

    #[test]
    fn github_annotations_escape_data_and_properties() {
        assert_eq!(
            github(&[finding()]),
            "::error file=dir%3Ax/s.yaml,line=7,title=statewise decision-contradicts-advice%3A a%2Cb::100%25 wrong%0Areally\n"
        );
    }

    #[test]
    fn sarif_has_the_required_fields() {
        let v: serde_json::Value = serde_json::from_str(&sarif(&[finding()])).unwrap();
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "statewise");
        assert_eq!(run["results"][0]["ruleId"], "decision-contradicts-advice");
        assert_eq!(run["results"][0]["level"], "error");
        assert_eq!(
            run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
            7
        );
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().unwrap().len(),
            Kind::ALL.len()
        );
    }

    #[test]
    fn text_ends_with_a_tally() {
        let t = text(&[finding()], false);
        assert!(
            t.ends_with("check failed: 1 error, 0 warnings, 0 notes\n"),
            "{t}"
        );
        assert!(
            t.starts_with("error: dir:x/s.yaml:7: `a,b`: 100% wrong"),
            "{t}"
        );
    }
}
