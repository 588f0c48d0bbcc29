//! The Markdown rendering: a summary table and a section per component, for
//! pull requests and wikis. User text goes through `core::escape`'s
//! Markdown functions wherever it lands.

use crate::core::facts::Origin;
use crate::core::report::Report;

pub use crate::core::escape::{markdown_cell as cell, markdown_inline as inline};

/// The report as Markdown.
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the report as Markdown, one component section at a time.
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = format!(
        "# statewise: {}\n\n",
        inline(report.spec.system.name.as_str())
    );
    if !report.spec.system.description.is_empty() {
        out.push_str(&format!("{}\n\n", inline(&report.spec.system.description)));
    }
    out.push_str(&format!("**System verdict: {}**\n\n", report.verdict));
    out.push_str("| Component | Verdict | Confidence | Reasons that weighed most |\n");
    out.push_str("| --- | --- | --- | --- |\n");
    for c in &report.components {
        let reasons: Vec<String> = c
            .top_rules(3)
            .iter()
            .map(|r| format!("{} ({} {})", cell(&r.title), r.favors, r.weight))
            .collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            cell(c.name()),
            c.verdict,
            crate::core::text::confidence(c.confidence),
            reasons.join("<br>")
        ));
    }
    out.push('\n');
    for (label, names) in [
        ("Stateless", &report.split.stateless),
        ("Stateful", &report.split.stateful),
        ("Hybrid", &report.split.hybrid),
    ] {
        if !names.is_empty() {
            let names: Vec<String> = names.iter().map(|n| inline(n)).collect();
            out.push_str(&format!("- **{label}:** {}\n", names.join(", ")));
        }
    }
    for c in &report.components {
        w.write_all(out.as_bytes())?;
        out.clear();
        out.push_str(&format!(
            "\n## {} — {} ({})\n\n",
            inline(c.name()),
            c.verdict,
            crate::core::text::confidence(c.confidence)
        ));
        if !c.component.description.is_empty() {
            out.push_str(&format!("{}\n\n", inline(&c.component.description)));
        }
        out.push_str(&format!(
            "Scores: stateful {}, stateless {}.\n\n",
            c.scores.stateful, c.scores.stateless
        ));
        if !c.fired.is_empty() {
            out.push_str("Why:\n\n");
            for r in &c.fired {
                out.push_str(&format!(
                    "- **{}** ({} {}, `{}`): {}\n",
                    inline(&r.title),
                    r.favors,
                    r.weight,
                    r.id,
                    inline(&r.because)
                ));
            }
            out.push('\n');
        }
        if !c.assumptions.is_empty() {
            out.push_str("Assumed, not stated (state them in the spec to firm up the advice):\n\n");
            for a in &c.assumptions {
                out.push_str(&format!("- {}\n", crate::core::words::assumption(a)));
            }
            out.push('\n');
        }
        if !c.advice.is_empty() {
            out.push_str("Advice:\n\n");
            for a in &c.advice {
                out.push_str(&format!("- {}\n", inline(a)));
            }
            out.push('\n');
        }
        let facts: Vec<String> = c
            .facts
            .iter()
            .filter(|(_, _, o)| *o != Origin::Default)
            .map(|(f, v, o)| {
                let origin = match c.component.imported.source(f) {
                    Some(place) if o == Origin::Imported => {
                        format!("imported from {}", inline(place))
                    }
                    _ => origin_word(o).to_owned(),
                };
                format!("`{}` = {v} ({origin})", f.name())
            })
            .collect();
        if !facts.is_empty() {
            out.push_str(&format!("Facts: {}.\n", facts.join(", ")));
        }
    }
    w.write_all(out.as_bytes())
}

fn origin_word(o: Origin) -> &'static str {
    match o {
        Origin::Spec => "spec",
        Origin::Imported => "imported",
        Origin::Kind => "from the kind",
        Origin::Default => "default",
        Origin::Derived => "derived",
        Origin::Deployment => "deployment",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_pipes_newlines_backticks_and_html() {
        assert_eq!(cell("a|b\n`c`<b>"), "a\\|b<br>\\`c\\`&lt;b&gt;");
        assert_eq!(inline("a\n*b*"), "a \\*b\\*");
    }
}
