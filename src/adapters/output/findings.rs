//! Renderings of `check` findings: text for people, versioned JSON, GitHub
//! workflow annotations, and SARIF 2.1.0 for code-scanning dashboards. The
//! other formats have a file each: `junit.rs`, `gitlab.rs`,
//! `check_markdown.rs`.

use serde_json::json;

use crate::core::check::{Kind, Severity};
use crate::core::escape::{self, line, lines};
use crate::core::gate::{FailOn, Gated, Outcome, Suppression};

/// Version of the JSON shape.
pub const JSON_VERSION: u32 = 1;

/// What every `check` format renders: the gate's outcome and what it was
/// about.
pub struct Checked<'a> {
    /// The findings, set aside or not, and the exit code.
    pub outcome: &'a Outcome,
    /// The spec file as named (`<stdin>` for standard input).
    pub spec_file: &'a str,
    /// The system's name.
    pub system: &'a str,
    /// The components, in spec order.
    pub components: Vec<&'a str>,
    /// The baseline file, when one was given.
    pub baseline_file: Option<&'a str>,
    /// The least severity that fails, for the formats that show failures.
    pub fail_on: FailOn,
}

impl Checked<'_> {
    /// Whether this open finding fails the check.
    pub fn fails(&self, g: &Gated) -> bool {
        g.suppressed.is_none()
            && match self.fail_on {
                FailOn::At(least) => g.finding.severity >= least,
                FailOn::Never => false,
            }
    }
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    crate::core::words::count(n, word, &format!("{word}s"))
}

/// The tally line's counts: `1 error, 0 warnings, 2 notes, 1 waived`, and
/// the baselined findings when a baseline was given.
pub(crate) fn tally(c: &Checked) -> String {
    let s = c.outcome.summary();
    let mut out = format!(
        "{}, {}, {}, {} waived",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.notes, "note"),
        s.waived
    );
    if c.baseline_file.is_some() {
        out.push_str(&format!(", {} baselined", s.baselined));
    }
    out
}

/// `file:line`, or the file alone.
pub(crate) fn place(g: &Gated) -> String {
    match g.finding.line {
        Some(l) => format!("{}:{l}", g.finding.file),
        None => g.finding.file.clone(),
    }
}

/// The ANSI colour of a severity word.
fn paint(severity: &str, color: bool) -> String {
    if !color {
        return severity.to_owned();
    }
    let code = match severity {
        "error" => "1;31",
        "warning" => "1;33",
        _ => "1;36",
    };
    format!("\x1b[{code}m{severity}\x1b[0m")
}

/// One finding per line: severity, place, component, message; then the
/// baseline entries and waivers that matched nothing, and a tally.
pub fn text(c: &Checked, color: bool) -> String {
    let mut out = String::new();
    for g in c.outcome.open() {
        let f = &g.finding;
        let component = f
            .component
            .as_deref()
            .map(|c| format!(" `{}`:", line(c)))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}: {}:{component} {}\n",
            paint(f.severity.as_str(), color),
            line(&place(g)),
            line(&f.message)
        ));
    }
    for e in &c.outcome.stale {
        let component = e
            .component
            .as_deref()
            .map(|c| format!(" `{}`:", line(c)))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}: {}:{component} stale baseline entry: `{}` matches no finding any more; `--create-baseline` writes the baseline again without it\n",
            paint("note", color),
            line(c.baseline_file.unwrap_or_default()),
            line(&e.rule)
        ));
    }
    for w in &c.outcome.unused_waivers {
        let (whose, hint) = match (&w.component, &w.workload) {
            (Some(name), _) => (format!("`{}`", line(name)), "the rule id"),
            (None, Some(workload)) => (
                format!("system, workload `{}`", line(workload)),
                "the rule id or the workload",
            ),
            (None, None) => ("system".to_owned(), "the rule id"),
        };
        out.push_str(&format!(
            "{}: {}: {whose}: the waiver of `{}` sets no finding aside; remove it, or correct {hint}\n",
            paint("note", color),
            line(c.spec_file),
            line(&w.rule)
        ));
    }
    out.push_str(&format!(
        "{}: {}\n",
        if c.outcome.passed() {
            "check passed"
        } else {
            "check failed"
        },
        tally(c)
    ));
    out
}

fn finding_json(g: &Gated) -> serde_json::Value {
    let mut v = serde_json::to_value(&g.finding).unwrap_or_default();
    if let Some(map) = v.as_object_mut() {
        map.insert("fingerprint".into(), json!(g.fingerprint));
        if let Some(s) = &g.suppressed {
            map.insert(
                "suppressed".into(),
                serde_json::to_value(s).unwrap_or_default(),
            );
        }
    }
    v
}

/// The findings as one JSON object: those that count in `findings`, those
/// set aside in `suppressed`, and what matched nothing.
pub fn json(c: &Checked) -> String {
    let s = c.outcome.summary();
    let doc = json!({
        "json_version": JSON_VERSION,
        "statewise_version": env!("CARGO_PKG_VERSION"),
        "spec": c.spec_file,
        "passed": c.outcome.passed(),
        "summary": s,
        "findings": c.outcome.open().map(finding_json).collect::<Vec<_>>(),
        "suppressed": c.outcome.suppressed().map(finding_json).collect::<Vec<_>>(),
        "stale_baseline": c.outcome.stale,
        "unused_waivers": c.outcome.unused_waivers,
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
pub fn github(c: &Checked) -> String {
    let mut out = String::new();
    for f in c.outcome.open().map(|g| &g.finding) {
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

/// A SARIF 2.1.0 log with one run. Findings set aside are results with a
/// suppression (`inSource` for a waiver, `external` for the baseline), so
/// code scanning shows them dismissed.
pub fn sarif(c: &Checked) -> String {
    let rules: Vec<serde_json::Value> = Kind::ALL
        .iter()
        .map(|k| {
            let level = k.default_severity().as_str();
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
    let results: Vec<serde_json::Value> = c
        .outcome
        .findings
        .iter()
        .map(|g| {
            let f = &g.finding;
            let mut region = serde_json::Map::new();
            region.insert("startLine".into(), json!(f.line.unwrap_or(1)));
            let mut result = json!({
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
                "partialFingerprints": { "statewise/v1": g.fingerprint },
            });
            let suppression = match &g.suppressed {
                Some(Suppression::Waived { reason }) => {
                    Some(json!({ "kind": "inSource", "justification": reason }))
                }
                Some(Suppression::Baselined) => Some(json!({
                    "kind": "external",
                    "justification": format!("in the baseline `{}`", c.baseline_file.unwrap_or_default()),
                })),
                None => None,
            };
            if let (Some(s), Some(map)) = (suppression, result.as_object_mut()) {
                map.insert("suppressions".into(), json!([s]));
            }
            result
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
    use crate::core::check::Finding;

    fn finding() -> Finding {
        Finding {
            severity: Severity::Error,
            kind: Kind::DecisionContradictsAdvice,
            component: Some("a,b".into()),
            message: "100% wrong\nreally".into(),
            file: "dir:x/s.yaml".into(),
            line: Some(7),
            record: None,
            workload: None,
        }
    }

    fn outcome(suppressed: Option<Suppression>) -> Outcome {
        let f = finding();
        Outcome {
            findings: vec![Gated {
                fingerprint: crate::core::gate::fingerprints(std::slice::from_ref(&f)).remove(0),
                finding: f,
                suppressed,
            }],
            stale: vec![],
            unused_waivers: vec![],
            code: 1,
        }
    }

    fn checked(o: &Outcome) -> Checked<'_> {
        Checked {
            outcome: o,
            spec_file: "dir:x/s.yaml",
            system: "S",
            components: vec!["a,b"],
            baseline_file: None,
            fail_on: FailOn::At(Severity::Error),
        }
    }

    #[test]
    fn github_annotations_escape_data_and_properties() {
        assert_eq!(
            github(&checked(&outcome(None))),
            "::error file=dir%3Ax/s.yaml,line=7,title=statewise decision-contradicts-advice%3A a%2Cb::100%25 wrong%0Areally\n"
        );
    }

    #[test]
    fn sarif_has_the_required_fields() {
        let v: serde_json::Value = serde_json::from_str(&sarif(&checked(&outcome(None)))).unwrap();
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
        assert!(run["results"][0].get("suppressions").is_none());
        let waived = outcome(Some(Suppression::Waived {
            reason: "later".into(),
        }));
        let v: serde_json::Value = serde_json::from_str(&sarif(&checked(&waived))).unwrap();
        assert_eq!(
            v["runs"][0]["results"][0]["suppressions"][0],
            json!({"kind": "inSource", "justification": "later"})
        );
    }

    #[test]
    fn text_ends_with_a_tally_and_colours_on_demand() {
        let o = outcome(None);
        let t = text(&checked(&o), false);
        assert!(
            t.ends_with("check failed: 1 error, 0 warnings, 0 notes, 0 waived\n"),
            "{t}"
        );
        assert!(
            t.starts_with("error: dir:x/s.yaml:7: `a,b`: 100% wrong"),
            "{t}"
        );
        assert!(text(&checked(&o), true).starts_with("\x1b[1;31merror\x1b[0m: "));
        let waived = outcome(Some(Suppression::Waived {
            reason: "later".into(),
        }));
        let t = text(&checked(&waived), false);
        assert_eq!(t.lines().count(), 1, "{t}");
        assert!(t.contains("1 waived"), "{t}");
    }
}
