//! The record's Mermaid diagram of the split, with labels escaped so a
//! component name cannot break out of its node.

use crate::core::escape::mermaid_label;
use crate::core::report::{ComponentReport, Report};
use crate::core::spec::values::Verdict;

pub(crate) fn mermaid(report: &Report) -> String {
    let mut out = String::from("flowchart LR\n    clients([Clients])\n");
    let mut layers: Vec<&str> = Vec::new();
    for (v, id, title) in [
        (Verdict::Stateless, "stateless", "Stateless"),
        (
            Verdict::Hybrid,
            "hybrid",
            "Hybrid: stateless front, stateful core",
        ),
        (Verdict::Stateful, "stateful", "Stateful"),
    ] {
        let members: Vec<(usize, &ComponentReport)> = report
            .components
            .iter()
            .enumerate()
            .filter(|(_, c)| c.verdict == v)
            .collect();
        if members.is_empty() {
            continue;
        }
        out.push_str(&format!("    subgraph {id}[\"{title}\"]\n"));
        for (i, c) in members {
            out.push_str(&format!("        c{i}[\"{}\"]\n", mermaid_label(c.name())));
        }
        out.push_str("    end\n");
        layers.push(id);
    }
    let mut prev = "clients";
    for layer in layers {
        out.push_str(&format!("    {prev} --> {layer}\n"));
        prev = layer;
    }
    out
}
