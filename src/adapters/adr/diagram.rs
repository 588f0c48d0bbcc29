//! The record's Mermaid diagram of the split, with labels escaped so a
//! component name cannot break out of its node.

use crate::core::escape::mermaid_label;
use crate::core::report::{ComponentReport, Report};
use crate::core::spec::values::Verdict;

/// The diagram: a node per component, styled by the verdict the team
/// decided (the advice where it decided nothing), and an edge for each
/// `depends_on` entry, and no other: a spec without `depends_on` gets no
/// edges at all, never a topology statewise made up. A legend names the
/// styles used.
pub(crate) fn mermaid(report: &Report) -> String {
    let mut out = String::from("flowchart LR\n");
    let decided = |c: &ComponentReport| c.component.decision.unwrap_or(c.verdict);
    for (i, c) in report.components.iter().enumerate() {
        let verdict = decided(c);
        let note = if verdict == c.verdict {
            verdict.to_string()
        } else {
            format!("{verdict}, decided; advised {}", c.verdict)
        };
        out.push_str(&format!(
            "    c{i}[\"{}<br/>{note}\"]:::{verdict}\n",
            mermaid_label(c.name())
        ));
    }
    let index = |name: &str| report.components.iter().position(|c| c.name() == name);
    for (i, c) in report.components.iter().enumerate() {
        for dep in &c.component.depends_on {
            if let Some(j) = index(dep.as_str()) {
                out.push_str(&format!("    c{i} --> c{j}\n"));
            }
        }
    }
    let used: Vec<Verdict> = Verdict::ALL
        .iter()
        .copied()
        .filter(|v| report.components.iter().any(|c| decided(c) == *v))
        .collect();
    out.push_str("    subgraph legend[\"Legend\"]\n");
    for v in &used {
        out.push_str(&format!("        legend_{v}[\"{v}\"]:::{v}\n"));
    }
    if report
        .components
        .iter()
        .any(|c| !c.component.depends_on.is_empty())
    {
        out.push_str("        legend_a[\"A\"] -->|depends on| legend_b[\"B\"]\n");
    }
    out.push_str("    end\n");
    for v in &used {
        let style = match v {
            Verdict::Stateful => "fill:#fde2f3,stroke:#9d174d,color:#111",
            Verdict::Stateless => "fill:#dff3fb,stroke:#0369a1,color:#111",
            Verdict::Hybrid => "fill:#fdf0cf,stroke:#b45309,color:#111",
        };
        out.push_str(&format!("    classDef {v} {style}\n"));
    }
    out
}
