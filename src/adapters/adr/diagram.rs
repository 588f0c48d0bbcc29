//! The record's Mermaid diagram of the split, with labels escaped so a
//! component name cannot break out of its node.

use crate::core::report::{ComponentReport, Report};
use crate::core::spec::values::Verdict;

fn mermaid_label(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '`' => out.push_str("#96;"),
            '#' => out.push_str("#35;"),
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mermaid_labels_cannot_break_out() {
        assert_eq!(mermaid_label("a\"]-->x\n`y`"), "a#quot;]--#gt;x #96;y#96;");
    }
}
