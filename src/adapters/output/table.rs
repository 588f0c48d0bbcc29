//! Tables for people: the analysis with its system summary, and the rule list.

use comfy_table::{
    Attribute, Cell, Color, ColumnConstraint, ContentArrangement, Table, Width, presets,
};

use super::Style;
use crate::core::escape::{line, lines};
use crate::core::facts::Origin;
use crate::core::report::Report;
use crate::core::rules::rule::Rule;
use crate::core::spec::values::Verdict;

fn table(style: Style) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .force_no_tty()
        .set_width(style.width);
    if style.color {
        t.enforce_styling();
    }
    t
}

fn verdict_cell(verdict: Verdict, style: Style) -> Cell {
    let cell = Cell::new(verdict.as_str());
    if !style.color {
        return cell;
    }
    let color = match verdict {
        Verdict::Stateful => Color::Magenta,
        Verdict::Stateless => Color::Cyan,
        Verdict::Hybrid => Color::Yellow,
    };
    cell.fg(color).add_attribute(Attribute::Bold)
}

const HEADER: [&str; 5] = [
    "Component",
    "Verdict",
    "Confidence",
    "Reasons that weighed most",
    "Advice",
];

/// Rows per table piece when a large report is written in pieces.
const CHUNK: usize = 256;

/// The analysis table, then the system summary.
pub fn render(report: &Report, style: Style) -> String {
    let mut t = table(style);
    t.set_header(HEADER);
    add_rows(&mut t, &report.components, style, None);
    let mut out = t.to_string();
    out.push('\n');
    out.push_str(&summary(report));
    out
}

/// Writes the analysis table and the summary. A report of more than a few
/// hundred components is written in pieces of fixed column widths, so the
/// whole table is never held in memory and every piece lines up.
pub fn write(report: &Report, style: Style, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    if report.components.len() <= CHUNK {
        return w.write_all(render(report, style).as_bytes());
    }
    let widths = fixed_widths(report, style.width);
    let pieces = report.components.len().div_ceil(CHUNK);
    for (i, chunk) in report.components.chunks(CHUNK).enumerate() {
        let (first, last) = (i == 0, i + 1 == pieces);
        let plain = if style.color {
            None
        } else {
            plain_piece(chunk, &widths, first, last)
        };
        let text = match plain {
            Some(text) => text,
            None => comfy_piece(chunk, style, &widths, first, last),
        };
        w.write_all(text.as_bytes())?;
    }
    w.write_all(summary(report).as_bytes())
}

/// One piece of a large table, laid out by comfy-table: the top border and
/// the header on the first piece only, the bottom border on the last only;
/// every line ends with a newline.
fn comfy_piece(
    chunk: &[crate::core::report::ComponentReport],
    style: Style,
    widths: &[u16; 5],
    first: bool,
    last: bool,
) -> String {
    let mut t = table(style);
    t.set_content_arrangement(ContentArrangement::Disabled);
    if first {
        t.set_header(HEADER);
    }
    add_rows(&mut t, chunk, style, Some(widths));
    t.set_constraints(widths.map(|w| ColumnConstraint::Absolute(Width::Fixed(w))));
    let text = t.to_string();
    let mut lines: Vec<&str> = text.lines().collect();
    if !first && !lines.is_empty() {
        lines.remove(0); // the top border, drawn once
    }
    if !last {
        lines.pop(); // the bottom border, drawn once at the end
    }
    let mut out = String::with_capacity(text.len() + 2);
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The same piece as [`comfy_piece`] without colour, drawn directly: the
/// cells are wrapped to their columns already, so when every line of every
/// cell is printable ASCII (one column per byte) and fits its column, the
/// layout is only padding and borders (comfy-table's `UTF8_FULL_CONDENSED`,
/// one space of padding each side). Anything else (a wider character, a
/// word longer than its column) is left to comfy-table: `None`.
fn plain_piece(
    chunk: &[crate::core::report::ComponentReport],
    widths: &[u16; 5],
    first: bool,
    last: bool,
) -> Option<String> {
    // Content width per column, as comfy-table derives it from a fixed
    // width with its padding: at least one.
    let content = widths.map(|w| usize::from(w.saturating_sub(2).max(1)));
    let fits = |cell: &str, column: usize| {
        cell.split('\n')
            .all(|l| l.len() <= content[column] && l.bytes().all(|b| (0x20..0x7f).contains(&b)))
    };
    let mut out = String::with_capacity(chunk.len() * 6 * 128);
    let border = |out: &mut String, [left, fill, junction, right]: [char; 4]| {
        out.push(left);
        for (i, width) in content.iter().enumerate() {
            if i > 0 {
                out.push(junction);
            }
            out.extend(std::iter::repeat_n(fill, width + 2));
        }
        out.push(right);
        out.push('\n');
    };
    let row = |out: &mut String, cells: &[&str; 5]| {
        let mut lines: [std::str::Split<'_, char>; 5] = cells.map(|c| c.split('\n'));
        let height = cells
            .iter()
            .map(|c| c.split('\n').count())
            .max()
            .unwrap_or(0);
        for _ in 0..height {
            out.push('│');
            for (i, width) in content.iter().enumerate() {
                if i > 0 {
                    out.push('┆');
                }
                let l = lines[i].next();
                let text = l.unwrap_or("");
                if l.is_some() {
                    out.push(' ');
                    out.push_str(text);
                    spaces(out, width - text.len() + 1);
                } else {
                    spaces(out, width + 2);
                }
            }
            out.push('│');
            out.push('\n');
        }
    };
    if first {
        if !HEADER.iter().enumerate().all(|(i, h)| fits(h, i)) {
            return None;
        }
        border(&mut out, ['┌', '─', '┬', '┐']);
        row(&mut out, &HEADER);
        border(&mut out, ['╞', '═', '╪', '╡']);
    }
    for c in chunk {
        let cells = cells(c, Some(widths));
        let cells = [
            cells[0].as_ref(),
            cells[1].as_ref(),
            cells[2].as_ref(),
            cells[3].as_ref(),
            cells[4].as_ref(),
        ];
        if !cells.iter().enumerate().all(|(i, cell)| fits(cell, i)) {
            return None;
        }
        row(&mut out, &cells);
    }
    if last {
        border(&mut out, ['└', '─', '┴', '┘']);
    }
    Some(out)
}

/// Column widths (with padding) that fit `width`: the name column as wide
/// as the longest name (at most 24), fixed verdict and confidence columns,
/// and the rest shared between reasons and advice.
fn fixed_widths(report: &Report, width: u16) -> [u16; 5] {
    let longest = report
        .components
        .iter()
        .map(|c| c.name().chars().count())
        .max()
        .unwrap_or(0)
        .clamp(9, 24);
    let name = u16::try_from(longest).unwrap_or(24) + 2;
    let (verdict, confidence) = (11, 12);
    let rest = width
        .saturating_sub(6 + name + verdict + confidence)
        .max(20);
    let reasons = rest * 11 / 20;
    [name, verdict, confidence, reasons, rest - reasons]
}

/// Greedy word wrap to `width` characters: what comfy-table would do, done
/// up front so a large table is laid out without splitting cells again.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (n, paragraph) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut line = 0;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let len = if word.is_ascii() {
                word.len()
            } else {
                word.chars().count()
            };
            if line > 0 && line + 1 + len > width {
                out.push('\n');
                line = 0;
            } else if line > 0 {
                out.push(' ');
                line += 1;
            }
            out.push_str(word);
            line += len;
        }
    }
    out
}

/// Appends `n` spaces, many at a time.
fn spaces(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// The texts of a component's row: name, verdict, confidence, reasons and
/// advice; with `widths` (padding included), the long cells are wrapped to
/// them.
fn cells<'a>(
    c: &'a crate::core::report::ComponentReport,
    widths: Option<&[u16; 5]>,
) -> [std::borrow::Cow<'a, str>; 5] {
    let fit = |text: String, column: usize| match widths {
        Some(w) => wrap(&text, usize::from(w[column].saturating_sub(2)).max(1)),
        None => text,
    };
    let reasons: Vec<String> = c
        .top_rules(3)
        .iter()
        .map(|r| format!("{} {}: {}", r.favors, r.weight, line(&r.title)))
        .collect();
    let reasons = if reasons.is_empty() {
        "no rule fired".to_owned()
    } else {
        reasons.join("\n")
    };
    [
        line(c.name()),
        c.verdict.as_str().into(),
        crate::core::text::confidence(c.confidence).into(),
        fit(reasons, 3).into(),
        fit(
            line(c.advice.first().map_or("", String::as_str)).into_owned(),
            4,
        )
        .into(),
    ]
}

/// Adds a row per component; with `widths` (padding included), the long
/// cells are wrapped to them first.
fn add_rows(
    t: &mut Table,
    components: &[crate::core::report::ComponentReport],
    style: Style,
    widths: Option<&[u16; 5]>,
) {
    for c in components {
        let [name, _, confidence, reasons, advice] = cells(c, widths);
        t.add_row(vec![
            Cell::new(name),
            verdict_cell(c.verdict, style),
            Cell::new(confidence),
            Cell::new(reasons),
            Cell::new(advice),
        ]);
    }
}

/// The plain-text summary under the table: the split, the system verdict,
/// values filled in from kinds, and decisions that depart from the advice.
pub fn summary(report: &Report) -> String {
    let mut out = format!(
        "\nSystem `{}`: {}\n",
        report.spec.system.name, report.verdict
    );
    for (label, names) in [
        ("stateless", &report.split.stateless),
        ("stateful", &report.split.stateful),
        ("hybrid", &report.split.hybrid),
    ] {
        if !names.is_empty() {
            out.push_str(&format!("  {label:<10} {}\n", names.join(", ")));
        }
    }
    // Written straight into `out`, a line per component: these two lists
    // are as long as the spec.
    use std::fmt::Write as _;
    let mut heading = Some("\nFilled in from the kind:\n");
    for c in &report.components {
        let mut first = true;
        for (f, v, _) in c.facts.iter().filter(|(_, _, o)| *o == Origin::Kind) {
            if first {
                out.push_str(heading.take().unwrap_or_default());
                let _ = write!(out, "  {} ({}): ", c.name(), c.kind());
                first = false;
            } else {
                out.push_str(", ");
            }
            let _ = write!(out, "{}={v}", f.name());
        }
        if !first {
            out.push('\n');
        }
    }
    let departures: Vec<String> = report
        .components
        .iter()
        .filter(|c| c.departs())
        .map(|c| {
            let decided = c.component.decision.map_or("", |d| d.as_str());
            match &c.component.decision_reason {
                Some(reason) => format!(
                    "  {}: decided {decided}, advised {} ({})",
                    c.name(),
                    c.verdict,
                    line(reason)
                ),
                None => format!(
                    "  {}: decided {decided}, advised {}, no decision_reason given",
                    c.name(),
                    c.verdict
                ),
            }
        })
        .collect();
    if !departures.is_empty() {
        out.push_str("\nDecisions that depart from the advice:\n");
        out.push_str(&departures.join("\n"));
        out.push('\n');
    }
    let mut heading =
        Some("\nAssumed, not stated (state them in the spec to firm up the advice):\n");
    for c in &report.components {
        for a in &c.assumptions {
            out.push_str(heading.take().unwrap_or_default());
            let _ = writeln!(out, "  {}: {}", c.name(), crate::core::words::assumption(a));
        }
    }
    let deployed: Vec<String> = report
        .components
        .iter()
        .filter(|c| !c.deployment.is_empty())
        .map(|c| format!("  {}: {}", c.name(), c.deployment.join("; ")))
        .collect();
    if !deployed.is_empty() {
        out.push_str("\nHow it is deployed (the deployment files):\n");
        out.push_str(&deployed.join("\n"));
        out.push('\n');
    }
    let cycles = report.spec.dependency_cycles();
    if !cycles.is_empty() {
        out.push_str(
            "\nDependency circles (allowed, but a failure in one member can reach every other):\n",
        );
        for cycle in cycles {
            out.push_str(&format!("  {}\n", cycle.join(" -> ")));
        }
    }
    // Names and reasons come from the spec: shown safe for a terminal and
    // a CI log, whatever they hold.
    lines(&out)
}

/// The rule list: id, favors, weight, title.
pub fn rules(rules: &[Rule], style: Style) -> String {
    let mut t = table(style);
    t.set_header(["Id", "Favors", "Weight", "Title"]);
    for r in rules {
        t.add_row(vec![
            Cell::new(line(&r.id)),
            Cell::new(r.favors.as_str()),
            Cell::new(r.weight),
            Cell::new(line(&r.title)),
        ]);
    }
    let mut out = t.to_string();
    out.push('\n');
    out
}

/// The kinds of component: name, summary, the criteria each fills in.
pub fn kinds(rows: &[[String; 3]], style: Style) -> String {
    let mut t = table(style);
    t.set_header(["Kind", "What it is", "Fills in"]);
    for [name, summary, fills] in rows {
        t.add_row(vec![
            Cell::new(line(name)),
            Cell::new(line(summary)),
            Cell::new(line(fills)),
        ]);
    }
    let mut out = t.to_string();
    out.push('\n');
    out
}

/// The record list: number, title, status, date.
pub fn records(records: &[crate::adapters::adr::records::RecordInfo], style: Style) -> String {
    let mut t = table(style);
    t.set_header(["Number", "Title", "Status", "Date"]);
    for r in records {
        t.add_row(vec![
            Cell::new(format!("{:04}", r.number)),
            Cell::new(line(&r.title)),
            Cell::new(line(r.status.as_deref().unwrap_or(""))),
            Cell::new(line(r.date.as_deref().unwrap_or(""))),
        ]);
    }
    let mut out = t.to_string();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::report::analyze;
    use crate::core::rules::rule_set::RuleSet;
    use crate::core::spec::kinds::Kinds;
    use crate::core::spec::model::Spec;

    #[test]
    fn pieces_drawn_directly_are_those_comfy_table_draws() {
        let kinds = ["rest-api", "chat", "database", "cart", "worker", "other"];
        let mut text = String::from("version: 1\nsystem: {name: S}\ncomponents:\n");
        for i in 0..40 {
            text.push_str(&format!(
                "  - {{name: c{i}, kind: {}, latency_ms: {}, context_rebuild_ms: {}}}\n",
                kinds[i % kinds.len()],
                5 + (i * 37) % 500,
                (i * 13) % 100
            ));
        }
        text.push_str("  - {name: a-name-longer-than-the-column-can-hold, kind: chat}\n");
        text.push_str("  - {name: caf\u{e9}, kind: cart, decision: stateless}\n");
        let spec = Spec::from_yaml(&text, "s.yaml").expect("valid spec");
        let rules = RuleSet::builtin();
        let report = analyze(&spec, &rules, Kinds::builtin());
        let (ascii, odd) = report.components.split_at(40);
        for width in [40, 57, 80, 120, 333] {
            let widths = fixed_widths(&report, width);
            for (first, last) in [(true, false), (false, false), (false, true), (true, true)] {
                let plain = plain_piece(ascii, &widths, first, last);
                let comfy = comfy_piece(ascii, Style::PLAIN, &widths, first, last);
                if width >= 120 {
                    assert!(plain.is_some(), "width {width}");
                }
                if let Some(plain) = plain {
                    assert_eq!(plain, comfy, "width {width}");
                }
                for c in odd.chunks(1) {
                    assert_eq!(plain_piece(c, &widths, first, last), None, "width {width}");
                }
            }
        }
    }

    #[test]
    fn wraps_words_to_the_width() {
        assert_eq!(wrap("one two three four", 9), "one two\nthree\nfour");
        assert_eq!(wrap("a\nb c", 3), "a\nb c");
        assert_eq!(wrap("longerthanwidth x", 4), "longerthanwidth\nx");
    }
}
