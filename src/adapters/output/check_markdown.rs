//! `check --format markdown`: the findings as Markdown, for a GitHub job
//! summary (`$GITHUB_STEP_SUMMARY`) or a pull-request comment.

use crate::adapters::output::findings::{Checked, place, tally};
use crate::core::escape::{markdown_cell, markdown_inline};
use crate::core::gate::Suppression;

/// The Markdown report.
pub fn render(c: &Checked) -> String {
    let mut out = format!(
        "### statewise check {}: {}\n\n",
        if c.outcome.passed() {
            "passed"
        } else {
            "failed"
        },
        markdown_inline(c.system)
    );
    out.push_str(&format!(
        "{} in {}.\n\n",
        markdown_inline(&tally(c)),
        markdown_inline(c.spec_file)
    ));
    let open: Vec<_> = c.outcome.open().collect();
    if open.is_empty() {
        out.push_str("No finding counts against the check.\n");
    } else {
        out.push_str(
            "| severity | rule | component | where | finding |\n| --- | --- | --- | --- | --- |\n",
        );
        for g in open {
            let f = &g.finding;
            out.push_str(&format!(
                "| {}{} | `{}` | {} | {} | {} |\n",
                f.severity.as_str(),
                if c.fails(g) { " (fails)" } else { "" },
                f.kind.id(),
                markdown_cell(f.component.as_deref().unwrap_or("")),
                markdown_cell(&place(g)),
                markdown_cell(&f.message)
            ));
        }
    }
    let suppressed: Vec<_> = c.outcome.suppressed().collect();
    if !suppressed.is_empty() {
        out.push_str(&format!(
            "\n<details><summary>{} set aside</summary>\n\n| rule | component | why |\n| --- | --- | --- |\n",
            crate::adapters::output::findings::plural(suppressed.len(), "finding")
        ));
        for g in suppressed {
            let why = match &g.suppressed {
                Some(Suppression::Waived { reason }) => format!("waived: {reason}"),
                _ => "in the baseline".to_owned(),
            };
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                g.finding.kind.id(),
                markdown_cell(g.finding.component.as_deref().unwrap_or("")),
                markdown_cell(&why)
            ));
        }
        out.push_str("\n</details>\n");
    }
    if !c.outcome.stale.is_empty() {
        out.push_str("\nStale baseline entries (they match no finding any more; `--create-baseline` drops them):\n\n");
        for e in &c.outcome.stale {
            out.push_str(&format!(
                "- {} {}\n",
                markdown_inline(&e.rule),
                markdown_inline(e.component.as_deref().unwrap_or(""))
            ));
        }
    }
    if !c.outcome.unused_waivers.is_empty() {
        out.push_str("\nWaivers that set no finding aside:\n\n");
        for w in &c.outcome.unused_waivers {
            let whose = match (&w.component, &w.workload) {
                (Some(name), _) => markdown_inline(name),
                (None, Some(workload)) => {
                    format!("system, workload {}", markdown_inline(workload))
                }
                (None, None) => "system".to_owned(),
            };
            out.push_str(&format!("- {whose}: {}\n", markdown_inline(&w.rule)));
        }
    }
    out
}
