//! `statewise diff` in text, JSON and Markdown (a ready pull-request
//! comment). User text (names, reasons) is shown safely in each.

use serde::Serialize;

use crate::core::diff::{ComponentDiff, Moved, SpecDiff, Status};
use crate::core::escape::{json_pretty, line, markdown_cell, markdown_inline};
use crate::core::words::count;

/// The version of the JSON document; grows only with additions.
pub const JSON_VERSION: u32 = 1;

fn verdict(v: Option<crate::core::spec::values::Verdict>) -> &'static str {
    v.map_or("-", |v| v.as_str())
}

fn moved(m: Moved) -> String {
    if m.changed() {
        format!("{} -> {}", verdict(m.before), verdict(m.after))
    } else {
        verdict(m.after).to_owned()
    }
}

fn value(v: Option<&str>) -> String {
    v.map_or_else(|| "(unset)".to_owned(), ToOwned::to_owned)
}

/// What happened to a component, in words: "stateless -> stateful (advice)".
fn headline(c: &ComponentDiff) -> String {
    match c.status {
        Status::Added => format!("added, {}", verdict(c.verdict.after)),
        Status::Removed => format!("removed (was {})", verdict(c.verdict.before)),
        Status::Changed => {
            let mut parts = Vec::new();
            if c.verdict.changed() {
                parts.push(format!("advice {}", moved(c.verdict)));
            }
            if c.decided.changed() && c.decided != c.verdict {
                parts.push(format!("decided {}", moved(c.decided)));
            }
            if parts.is_empty() {
                parts.push(format!("still {}", verdict(c.verdict.after)));
            }
            parts.join(", ")
        }
    }
}

fn summary(d: &SpecDiff) -> String {
    let n = |s: Status| d.components.iter().filter(|c| c.status == s).count();
    format!(
        "{} changed, {} added, {} removed, {} unchanged; system {}",
        count(n(Status::Changed), "component", "components"),
        n(Status::Added),
        n(Status::Removed),
        d.unchanged,
        moved(d.system)
    )
}

/// One component per paragraph: its headline, then each changed value.
pub fn text(d: &SpecDiff) -> String {
    let mut out = String::new();
    for c in &d.components {
        out.push_str(&line(&format!("{}: {}", c.name, headline(c))));
        out.push('\n');
        for ch in &c.changes {
            out.push_str(&line(&format!(
                "  {}: {} -> {}",
                ch.field,
                value(ch.before.as_deref()),
                value(ch.after.as_deref())
            )));
            out.push('\n');
        }
        if c.status == Status::Changed && c.changes.is_empty() {
            out.push_str("  no stated value changed: the components it depends on moved it\n");
        }
    }
    if d.components.is_empty() {
        out.push_str("no component changed\n");
    }
    out.push_str(&summary(d));
    out.push('\n');
    out
}

#[derive(Serialize)]
struct Doc<'a> {
    json_version: u32,
    statewise_version: &'static str,
    before: &'a str,
    after: &'a str,
    #[serde(flatten)]
    diff: &'a SpecDiff,
}

/// One JSON object, versioned, with the two files' names.
pub fn json(d: &SpecDiff, before: &str, after: &str) -> String {
    let mut s = json_pretty(&Doc {
        json_version: JSON_VERSION,
        statewise_version: env!("CARGO_PKG_VERSION"),
        before,
        after,
        diff: d,
    });
    s.push('\n');
    s
}

/// A Markdown comment: a table of what moved, then each component's
/// changed values.
pub fn markdown(d: &SpecDiff, before: &str, after: &str) -> String {
    let mut out = format!(
        "### State decisions: `{}` → `{}`\n\n",
        markdown_inline(before),
        markdown_inline(after)
    );
    if d.components.is_empty() {
        out.push_str("No component changed.\n\n");
    } else {
        out.push_str("| Component | What moved | Changed values |\n| --- | --- | --- |\n");
        for c in &d.components {
            let values: Vec<String> = c
                .changes
                .iter()
                .map(|ch| {
                    format!(
                        "`{}`: {} → {}",
                        ch.field,
                        markdown_cell(&value(ch.before.as_deref())),
                        markdown_cell(&value(ch.after.as_deref()))
                    )
                })
                .collect();
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                markdown_cell(&c.name),
                headline(c).replace("->", "→"),
                if values.is_empty() {
                    "-".to_owned()
                } else {
                    values.join("<br>")
                }
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!("{}.\n", summary(d).replace("->", "→")));
    out
}
