//! `check --format junit`: JUnit XML, the format the test tabs of GitLab,
//! Jenkins, Azure Pipelines and CircleCI read. One test case per component
//! and one per record check; a finding that fails the check is a
//! `<failure>`, the others are told in `<system-out>`.

use crate::adapters::output::findings::{Checked, place};
use crate::core::escape;
use crate::core::gate::{Gated, Suppression};

/// The record checks every run makes, by the id of the finding that fails
/// each, with the test case's name.
const RECORD_CHECKS: [(&str, &str); 2] = [
    ("no-adr", "a decision record exists"),
    (
        "spec-changed-since-adr",
        "the decision record was made from this spec",
    ),
];

/// Text for XML: unsafe characters shown escaped (XML 1.0 cannot hold most
/// control characters at all), then the five markup characters.
fn xml(s: &str) -> String {
    escape::lines(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

struct Case<'a> {
    name: String,
    classname: &'static str,
    findings: Vec<&'a Gated>,
}

fn line_of(g: &Gated) -> String {
    let f = &g.finding;
    let component = f
        .component
        .as_deref()
        .map(|c| format!(" `{c}`:"))
        .unwrap_or_default();
    let status = match &g.suppressed {
        Some(Suppression::Waived { reason }) => format!(" (waived: {reason})"),
        Some(Suppression::Baselined) => " (baselined)".to_owned(),
        None => String::new(),
    };
    format!(
        "{}: {}:{component} [{}] {}{status}",
        f.severity.as_str(),
        place(g),
        f.kind.id(),
        f.message
    )
}

/// The JUnit XML document.
pub fn render(c: &Checked) -> String {
    let mut cases: Vec<Case> = c
        .components
        .iter()
        .map(|name| Case {
            name: (*name).to_owned(),
            classname: "statewise.components",
            findings: Vec::new(),
        })
        .collect();
    let component_cases = cases.len();
    for (_, name) in RECORD_CHECKS {
        cases.push(Case {
            name: name.to_owned(),
            classname: "statewise.record",
            findings: Vec::new(),
        });
    }
    for g in &c.outcome.findings {
        let f = &g.finding;
        let at = match &f.component {
            Some(name) => cases[..component_cases]
                .iter()
                .position(|case| case.name == *name),
            None => RECORD_CHECKS
                .iter()
                .position(|(id, _)| *id == f.kind.id())
                .map(|i| component_cases + i),
        };
        // A workload no component stands for is a case of the deployment.
        let deployed = f.component.is_none() && f.workload.is_some();
        let at = at.filter(|_| !deployed).unwrap_or_else(|| {
            let name = f
                .component
                .clone()
                .or_else(|| f.workload.clone())
                .unwrap_or_else(|| f.kind.id().to_owned());
            let classname = if f.component.is_some() {
                "statewise.components"
            } else if deployed {
                "statewise.deployment"
            } else {
                "statewise.record"
            };
            match cases
                .iter()
                .position(|case| case.name == name && case.classname == classname)
            {
                Some(i) => i,
                None => {
                    cases.push(Case {
                        name,
                        classname,
                        findings: Vec::new(),
                    });
                    cases.len() - 1
                }
            }
        });
        cases[at].findings.push(g);
    }
    let failed = |case: &Case| case.findings.iter().any(|g| c.fails(g));
    let failures = cases.iter().filter(|case| failed(case)).count();
    let tests = cases.len();
    let suite = format!("statewise check: {}", c.system);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"statewise check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" time=\"0\">\n"
    ));
    out.push_str(&format!(
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"0\" file=\"{}\">\n",
        xml(&suite),
        xml(c.spec_file)
    ));
    for case in &cases {
        out.push_str(&format!(
            "    <testcase name=\"{}\" classname=\"{}\" time=\"0\"",
            xml(&case.name),
            case.classname
        ));
        if case.findings.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        for g in case.findings.iter().filter(|g| c.fails(g)) {
            out.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                g.finding.kind.id(),
                xml(&g.finding.message),
                xml(&line_of(g))
            ));
        }
        let others: Vec<String> = case
            .findings
            .iter()
            .filter(|g| !c.fails(g))
            .map(|g| xml(&line_of(g)))
            .collect();
        if !others.is_empty() {
            out.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                others.join("\n")
            ));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_control_characters() {
        assert_eq!(
            xml("a<b & \"c\"\u{1b}"),
            "a&lt;b &amp; &quot;c&quot;\\u{1b}"
        );
    }
}
