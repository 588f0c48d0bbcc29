//! Format-preserving edits of a spec's YAML text: `ask --from` changes the
//! values it was asked to change and nothing else, so the comments, key
//! order and formatting a team wrote stay where they were. Pure and
//! line-based: it understands the block style `init` and `ask` write (and
//! most hand-written specs use), and gives up (`None`) on anything it does
//! not, such as a component written as a flow mapping; the caller then
//! writes the spec whole. Every edit is checked by parsing the result back:
//! it must read as exactly the new spec.

use crate::core::locate::cited_source;
use crate::core::spec::field::Field;
use crate::core::spec::kinds::Kinds;
use crate::core::spec::model::{Component, Spec, System};
use crate::core::spec::yaml::{criterion_value, flow_scalar, scalar, to_commented_yaml_noting};

/// What changed: the spec as read, the spec as answered, where each new
/// component came from (its index in `old`, `None` when added), and the
/// criteria nobody knew.
pub struct Change<'a> {
    pub old: &'a Spec,
    pub new: &'a Spec,
    pub origin: &'a [Option<usize>],
    pub unknown: &'a [Vec<Field>],
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim_start();
    !t.is_empty() && !t.starts_with('#')
}

/// The key written at byte `col` of `line`, if a `key:` starts there.
fn key_at(line: &str, col: usize) -> Option<&str> {
    let rest = line.get(col..)?;
    let end = rest.find(':')?;
    let key = &rest[..end];
    let after = &rest[end + 1..];
    (!key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && (after.is_empty() || after.starts_with(' ')))
    .then_some(key)
}

/// One `key: value` of a block mapping: its key, first line and the line
/// after its last.
#[derive(Debug)]
struct Entry {
    key: String,
    start: usize,
    end: usize,
}

/// The entries of the block mapping whose keys sit at column `col` in
/// lines `from..to`.
fn entries(lines: &[&str], from: usize, to: usize, col: usize) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let mut i = from;
    while i < to {
        let l = lines[i];
        let own = i == from || (is_content(l) && indent(l) == col);
        match key_at(l, col).filter(|_| own) {
            Some(key) => {
                let mut end = i + 1;
                let mut j = i + 1;
                while j < to {
                    let next = lines[j];
                    if next.trim().is_empty() {
                        j += 1;
                    } else if indent(next) > col {
                        j += 1;
                        end = j;
                    } else {
                        break;
                    }
                }
                out.push(Entry {
                    key: key.to_owned(),
                    start: i,
                    end,
                });
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// The end of the top-level section that starts at line `start`.
fn section_end(lines: &[&str], start: usize) -> usize {
    (start + 1..lines.len())
        .find(|i| is_content(lines[*i]) && indent(lines[*i]) == 0)
        .unwrap_or(lines.len())
}

/// The line of top-level `key:` written in block style.
fn section(lines: &[&str], key: &str) -> Option<usize> {
    let i = lines.iter().position(|l| key_at(l, 0) == Some(key))?;
    let rest = lines[i][key.len() + 1..].trim();
    (rest.is_empty() || rest.starts_with('#')).then_some(i)
}

/// A replacement of lines `start..end` by `with`.
struct Splice {
    start: usize,
    end: usize,
    with: Vec<String>,
}

/// The comment after a one-line value (from its `#`) and the column it
/// starts at, kept when the value changes.
fn trailing_comment(line: &str) -> Option<(&str, usize)> {
    let colon = line.find(':')?;
    let value_part = &line[colon + 1..];
    if value_part.contains(['"', '\'']) {
        return None;
    }
    let hash = value_part.find(" #")? + 1;
    Some((&value_part[hash..], colon + 1 + hash))
}

/// `base` with `comment` at `column` when it fits, else one space after.
fn with_comment(base: String, comment: Option<(&str, usize)>) -> String {
    match comment {
        Some((c, column)) => {
            let width = base.chars().count();
            let pad = if width < column { column - width } else { 1 };
            format!("{base}{}{c}", " ".repeat(pad))
        }
        None => base,
    }
}

fn list(items: &[String]) -> String {
    let shown: Vec<String> = items.iter().map(|s| flow_scalar(s)).collect();
    format!("[{}]", shown.join(", "))
}

fn system_value(s: &System, key: &str) -> Option<String> {
    match key {
        "name" => Some(scalar(s.name.as_str())),
        "description" => (!s.description.is_empty()).then(|| scalar(&s.description)),
        "decision_makers" => Some(list(&s.decision_makers)),
        "consulted" => Some(list(&s.consulted)),
        "informed" => Some(list(&s.informed)),
        _ => None,
    }
}

const SYSTEM_KEYS: [&str; 5] = [
    "name",
    "description",
    "decision_makers",
    "consulted",
    "informed",
];

fn component_keys() -> Vec<&'static str> {
    let mut keys = vec!["name", "description", "kind"];
    keys.extend(
        Field::ALL
            .into_iter()
            .filter(|f| f.is_criterion())
            .map(Field::name),
    );
    keys.extend(["depends_on", "decision", "decision_reason"]);
    keys
}

fn component_value(c: &Component, key: &str) -> Option<String> {
    match key {
        "name" => Some(scalar(c.name.as_str())),
        "description" => (!c.description.is_empty()).then(|| scalar(&c.description)),
        "depends_on" => (!c.depends_on.is_empty()).then(|| {
            let names: Vec<String> = c.depends_on.iter().map(|d| d.to_string()).collect();
            list(&names)
        }),
        "decision" => c.decision.map(|d| d.to_string()),
        "decision_reason" => c.decision_reason.as_deref().map(scalar),
        other => Field::from_name(other).and_then(|f| criterion_value(c, f)),
    }
}

/// The commented-out hint for `key` (`# key: ...`, as `init` writes it) at
/// indentation `col` among `range`, if any.
fn hint_line(
    lines: &[&str],
    range: std::ops::Range<usize>,
    col: usize,
    key: &str,
) -> Option<usize> {
    range.into_iter().find(|i| {
        indent(lines[*i]) == col
            && lines[*i]
                .trim_start()
                .strip_prefix('#')
                .is_some_and(|r| r.trim_start().starts_with(&format!("{key}:")))
    })
}

/// The splices that turn one mapping's `old` values into `new` ones.
/// `col` is where its keys sit, `prefix` what precedes the first key on
/// its first line (`  - ` for a list item).
#[allow(clippy::too_many_arguments)]
fn edit_mapping(
    lines: &[&str],
    from: usize,
    to: usize,
    col: usize,
    keys: &[&str],
    old: &dyn Fn(&str) -> Option<String>,
    new: &dyn Fn(&str) -> Option<String>,
    unknown: &dyn Fn(&str) -> bool,
) -> Option<Vec<Splice>> {
    let found = entries(lines, from, to, col);
    let pad = " ".repeat(col);
    let mut out = Vec::new();
    // Where a new key goes: after the last entry.
    let mut append_at = found.last().map_or(from + 1, |e| e.end);
    let mut appended: Vec<String> = Vec::new();
    for key in keys {
        let (was, now) = (old(key), new(key));
        if was == now && !(was.is_none() && unknown(key)) {
            continue;
        }
        let entry = found.iter().find(|e| e.key == *key);
        match (entry, now) {
            (Some(e), Some(value)) => {
                let first = lines[e.start];
                // A changed value is the team's: the comment citing where
                // `import` read the old one goes (the value would still
                // read as imported).
                let comment = if e.end == e.start + 1 && cited_source(first).is_none() {
                    trailing_comment(first)
                } else {
                    None
                };
                let base = format!("{}{key}: {value}", first.get(..col).unwrap_or(&pad));
                out.push(Splice {
                    start: e.start,
                    end: e.end,
                    with: vec![with_comment(base, comment)],
                });
            }
            (Some(e), None) => {
                if e.start == from && col > 0 && lines[from].trim_start().starts_with('-') {
                    // The item's first line: cannot be removed alone.
                    return None;
                }
                let with = if unknown(key) {
                    vec![format!(
                        "{pad}# {key}: {}  # not known when asked",
                        was.unwrap_or_default()
                    )]
                } else {
                    Vec::new()
                };
                out.push(Splice {
                    start: e.start,
                    end: e.end,
                    with,
                });
            }
            (None, Some(value)) => {
                // A commented-out hint for the key (as `init` writes) is
                // replaced; else the key goes after the last one.
                let hint = hint_line(lines, from..to, col, key);
                match hint {
                    Some(i) => out.push(Splice {
                        start: i,
                        end: i + 1,
                        with: vec![format!("{pad}{key}: {value}")],
                    }),
                    None => appended.push(format!("{pad}{key}: {value}")),
                }
            }
            (None, None) if unknown(key) => {
                // Never stated and not known when asked: said as a comment,
                // in place of its commented-out hint when there is one (the
                // comments right after the last entry count as the item's).
                let mut through = to;
                while through < lines.len()
                    && indent(lines[through]) == col
                    && lines[through].trim_start().starts_with('#')
                {
                    through += 1;
                }
                let hint = hint_line(lines, from..through, col, key);
                match hint {
                    Some(i) if lines[i].contains("not known when asked") => {}
                    Some(i) => {
                        let example = lines[i]
                            .trim_start()
                            .trim_start_matches('#')
                            .trim_start()
                            .strip_prefix(&format!("{key}:"))
                            .map(|r| r.split(" #").next().unwrap_or_default().trim())
                            .unwrap_or_default();
                        out.push(Splice {
                            start: i,
                            end: i + 1,
                            with: vec![format!("{pad}# {key}: {example}  # not known when asked")],
                        });
                    }
                    None => {
                        let example = Field::from_name(key)
                            .map(crate::core::spec::yaml::example)
                            .unwrap_or_default();
                        appended.push(format!("{pad}# {key}: {example}  # not known when asked"));
                    }
                }
            }
            (None, None) => {}
        }
    }
    if !appended.is_empty() {
        append_at = append_at.min(to);
        out.push(Splice {
            start: append_at,
            end: append_at,
            with: appended,
        });
    }
    Some(out)
}

/// Applies the change to `text`, keeping every line it does not touch;
/// `None` when the text's shape is beyond this editor or the result would
/// not read as the new spec.
pub fn edit(text: &str, change: &Change, kinds: &Kinds) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut splices: Vec<Splice> = Vec::new();

    // The system.
    let s = section(&lines, "system")?;
    let s_end = section_end(&lines, s);
    let s_col = (s + 1..s_end)
        .find(|i| is_content(lines[*i]))
        .map(|i| indent(lines[i]))?;
    let old_sys = &change.old.system;
    let new_sys = &change.new.system;
    splices.extend(edit_mapping(
        &lines,
        s + 1,
        s_end,
        s_col,
        &SYSTEM_KEYS,
        &|k| system_value(old_sys, k),
        &|k| system_value(new_sys, k),
        &|_| false,
    )?);

    // The components.
    let c = section(&lines, "components")?;
    let c_end = section_end(&lines, c);
    let items: Vec<usize> = (c + 1..c_end)
        .filter(|i| {
            let t = lines[*i].trim_start();
            t.starts_with("- ") || t == "-"
        })
        .collect();
    let list_col = items.first().map(|i| indent(lines[*i]))?;
    let items: Vec<usize> = items
        .into_iter()
        .filter(|i| indent(lines[*i]) == list_col)
        .collect();
    if items.len() != change.old.components.len() {
        return None;
    }
    let keys = component_keys();
    let item_end = |k: usize| {
        let next = items.get(k + 1).copied().unwrap_or(c_end);
        (items[k]..next)
            .rev()
            .find(|i| is_content(lines[*i]))
            .map_or(next, |i| i + 1)
    };
    for (k, start) in items.iter().enumerate() {
        let first = lines[*start];
        let rest = first.trim_start()[1..].trim_start();
        if rest.starts_with('{') || rest.is_empty() {
            return None;
        }
        let col = first.len() - rest.len();
        let end = item_end(k);
        let Some(new_index) = change.origin.iter().position(|o| *o == Some(k)) else {
            splices.push(Splice {
                start: *start,
                end,
                with: Vec::new(),
            });
            continue;
        };
        let (Some(old_c), Some(new_c)) = (
            change.old.components.get(k),
            change.new.components.get(new_index),
        ) else {
            return None;
        };
        let unknown = change.unknown.get(new_index);
        splices.extend(edit_mapping(
            &lines,
            *start,
            end,
            col,
            &keys,
            &|key| component_value(old_c, key),
            &|key| component_value(new_c, key),
            &|key| Field::from_name(key).is_some_and(|f| unknown.is_some_and(|u| u.contains(&f))),
        )?);
    }

    // Components added: written as `ask` writes them, at the end.
    let added: Vec<usize> = (0..change.new.components.len())
        .filter(|i| change.origin.get(*i).copied().flatten().is_none())
        .collect();
    if !added.is_empty() {
        let spec = Spec {
            version: change.new.version,
            system: change.new.system.clone(),
            components: added
                .iter()
                .map(|i| change.new.components[*i].clone())
                .collect(),
        };
        let unknown: Vec<Vec<Field>> = added
            .iter()
            .map(|i| change.unknown.get(*i).cloned().unwrap_or_default())
            .collect();
        let rendered = to_commented_yaml_noting(&spec, kinds, false, &unknown);
        let body = rendered.split_once("\ncomponents:\n").map(|(_, b)| b)?;
        let mut with = vec![String::new()];
        for l in body.lines() {
            with.push(match list_col.cmp(&2) {
                std::cmp::Ordering::Less => l.get(2 - list_col..).unwrap_or(l).to_owned(),
                std::cmp::Ordering::Equal => l.to_owned(),
                std::cmp::Ordering::Greater => format!("{}{l}", " ".repeat(list_col - 2)),
            });
        }
        let at = items.len().checked_sub(1).map_or(c + 1, item_end);
        splices.push(Splice {
            start: at,
            end: at,
            with,
        });
    }

    splices.sort_by_key(|s| (s.start, s.end));
    for pair in splices.windows(2) {
        if pair[0].end > pair[1].start {
            return None;
        }
    }
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut at = 0;
    for s in &splices {
        out.extend(lines[at..s.start].iter().map(|l| (*l).to_owned()));
        out.extend(s.with.iter().cloned());
        at = s.end;
    }
    out.extend(lines[at..].iter().map(|l| (*l).to_owned()));
    let mut result = out.join("\n");
    if text.ends_with('\n') || text.is_empty() {
        result.push('\n');
    }
    let reread = Spec::from_yaml(&result, "spec").ok()?;
    (reread == *change.new).then_some(result)
}

/// The lines that differ between `old` and `new`, as `-` and `+` lines
/// under `@@ line N` headers (N: the line in `new`); empty when equal.
/// Quadratic in the number of lines, so a spec of many thousands of lines
/// gets a note instead.
pub fn line_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    if a.len().saturating_mul(b.len()) > 4_000_000 {
        return if old == new {
            String::new()
        } else {
            "(the spec is too long to show the changes line by line)\n".to_owned()
        };
    }
    // Longest common subsequence, from the end.
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = String::new();
    let mut in_hunk = false;
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
            in_hunk = false;
            continue;
        }
        if !in_hunk {
            out.push_str(&format!("@@ line {}\n", j + 1));
            in_hunk = true;
        }
        if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str(&format!("- {}\n", a[i]));
            i += 1;
        } else {
            out.push_str(&format!("+ {}\n", b[j]));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec::values::{ComponentName, DependencyName};

    const COMMENTED: &str = "\
# Our shop. Reviewed by the platform team every quarter.
version: 1
system:
  name: Shop   # the brand name
  description: Web shop
components:
  # The public API.
  - name: api
    kind: rest-api
    latency_ms: 200        # agreed with product in March
    # traffic: steady
    depends_on: [db]

  # Orders and stock.
  - name: db
    kind: database
    availability: 99.9
";

    fn old() -> Spec {
        Spec::from_yaml(COMMENTED, "s").unwrap()
    }

    fn edit_with(new: &Spec, origin: &[Option<usize>], unknown: &[Vec<Field>]) -> Option<String> {
        let old = old();
        edit(
            COMMENTED,
            &Change {
                old: &old,
                new,
                origin,
                unknown,
            },
            Kinds::builtin(),
        )
    }

    #[test]
    fn a_changed_value_keeps_every_other_line_and_its_own_comment() {
        let mut new = old();
        new.components[0].set_criterion(Field::LatencyMs, Some("300"));
        let text = edit_with(&new, &[Some(0), Some(1)], &[vec![], vec![]]).unwrap();
        assert_eq!(
            text,
            COMMENTED.replace(
                "latency_ms: 200        # agreed",
                "latency_ms: 300        # agreed"
            )
        );
    }

    #[test]
    fn a_changed_imported_value_loses_its_citation_and_reads_as_the_teams() {
        let cited = COMMENTED.replace(
            "kind: database\n",
            "kind: database         # from k8s/db.yaml:4: image `postgres`\n",
        );
        let old = Spec::from_yaml(&cited, "s").unwrap();
        let mut new = old.clone();
        new.components[1].set_criterion(Field::Kind, Some("cache"));
        let change = Change {
            old: &old,
            new: &new,
            origin: &[Some(0), Some(1)],
            unknown: &[vec![], vec![]],
        };
        let text = edit(&cited, &change, Kinds::builtin()).unwrap();
        assert_eq!(text, COMMENTED.replace("kind: database\n", "kind: cache\n"));
        let reread = Spec::from_yaml(&text, "s").unwrap();
        assert!(reread.components[1].imported.is_empty());
    }

    #[test]
    fn a_new_value_takes_the_place_of_its_commented_hint_or_goes_last() {
        let mut new = old();
        new.components[0].set_criterion(Field::Traffic, Some("unpredictable"));
        new.components[1].set_criterion(Field::Transactions, Some("false"));
        new.system.decision_makers = vec!["Jane Doe".into()];
        let text = edit_with(&new, &[Some(0), Some(1)], &[vec![], vec![]]).unwrap();
        assert!(
            text.contains("    traffic: unpredictable\n    depends_on: [db]\n"),
            "{text}"
        );
        assert!(
            text.contains("    availability: 99.9\n    transactions: false\n"),
            "{text}"
        );
        assert!(
            text.contains("  description: Web shop\n  decision_makers: [Jane Doe]\ncomponents:"),
            "{text}"
        );
        assert!(text.contains("# Our shop. Reviewed"), "{text}");
        assert!(text.contains("  # Orders and stock.\n"), "{text}");
    }

    #[test]
    fn a_cleared_value_goes_and_an_unknown_one_is_left_as_a_comment() {
        let mut new = old();
        new.components[0].set_criterion(Field::LatencyMs, None);
        new.components[1].set_criterion(Field::Availability, None);
        let unknown = [vec![Field::LatencyMs], vec![]];
        let text = edit_with(&new, &[Some(0), Some(1)], &unknown).unwrap();
        assert!(
            text.contains("    # latency_ms: 200  # not known when asked\n"),
            "{text}"
        );
        assert!(!text.contains("availability"), "{text}");
    }

    #[test]
    fn an_unknown_never_stated_is_said_in_place_of_its_hint_or_last() {
        // `traffic` has a commented hint in the api; `session` has none.
        let new = old();
        let unknown = [vec![Field::Traffic, Field::Session], vec![]];
        let text = edit_with(&new, &[Some(0), Some(1)], &unknown).unwrap();
        assert!(
            text.contains("    # traffic: steady  # not known when asked\n"),
            "{text}"
        );
        assert!(
            text.contains("    # session: none  # not known when asked\n"),
            "{text}"
        );
        assert!(!text.contains("    # traffic: steady\n"), "{text}");
        // Asked again and still not known: left as it is.
        let again = Change {
            old: &Spec::from_yaml(&text, "s.yaml").unwrap(),
            new: &new,
            origin: &[Some(0), Some(1)],
            unknown: &unknown,
        };
        assert_eq!(
            edit(&text, &again, Kinds::builtin()).as_deref(),
            Some(text.as_str())
        );
    }

    #[test]
    fn components_removed_renamed_and_added() {
        let mut new = old();
        new.components.remove(1);
        new.components[0].depends_on.clear();
        new.components[0].name = ComponentName::new("storefront").unwrap();
        let mut added = Component::named(ComponentName::new("worker").unwrap());
        added.depends_on = vec![DependencyName::new("storefront")];
        new.components.push(added);
        let text = edit_with(&new, &[Some(0), None], &[vec![], vec![]]).unwrap();
        assert!(!text.contains("name: db"), "{text}");
        assert!(
            text.contains("  # The public API.\n  - name: storefront\n"),
            "{text}"
        );
        assert!(text.contains("  - name: worker"), "{text}");
        assert_eq!(Spec::from_yaml(&text, "s").unwrap(), new);
    }

    #[test]
    fn a_flow_style_component_is_left_to_a_full_rewrite() {
        let text = "version: 1\nsystem:\n  name: S\ncomponents:\n  - {name: a, latency_ms: 5}\n";
        let old = Spec::from_yaml(text, "s").unwrap();
        let mut new = old.clone();
        new.components[0].set_criterion(Field::LatencyMs, Some("6"));
        let change = Change {
            old: &old,
            new: &new,
            origin: &[Some(0)],
            unknown: &[vec![]],
        };
        assert_eq!(edit(text, &change, Kinds::builtin()), None);
    }

    #[test]
    fn every_example_takes_a_one_line_edit_of_each_component() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let old = Spec::from_yaml(&text, "example").unwrap();
            let origin: Vec<Option<usize>> = (0..old.components.len()).map(Some).collect();
            let unknown = vec![Vec::new(); old.components.len()];
            for i in 0..old.components.len() {
                let mut new = old.clone();
                new.components[i].set_criterion(Field::LatencyMs, Some("123"));
                let change = Change {
                    old: &old,
                    new: &new,
                    origin: &origin,
                    unknown: &unknown,
                };
                let edited = edit(&text, &change, Kinds::builtin())
                    .unwrap_or_else(|| panic!("{}: component {i}", path.display()));
                let diff = line_diff(&text, &edited);
                let changed = diff.lines().filter(|l| !l.starts_with("@@")).count();
                assert!(changed <= 2, "{}:\n{diff}", path.display());
                seen += 1;
            }
            // A folded description over several lines becomes one line.
            let mut new = old.clone();
            new.system.description = "Rewritten in one line".into();
            let change = Change {
                old: &old,
                new: &new,
                origin: &origin,
                unknown: &unknown,
            };
            let edited = edit(&text, &change, Kinds::builtin())
                .unwrap_or_else(|| panic!("{}: the description", path.display()));
            assert!(edited.contains("  description: Rewritten in one line\n"));
        }
        assert!(seen > 10, "{seen}");
    }

    #[test]
    fn any_criterion_set_or_cleared_in_an_example_is_a_line_edit() {
        use proptest::prelude::*;
        let text = include_str!("../../../examples/web-shop.yaml");
        let old = Spec::from_yaml(text, "web-shop").unwrap();
        let n = old.components.len();
        let origin: Vec<Option<usize>> = (0..n).map(Some).collect();
        let criteria: Vec<Field> = Field::ALL
            .into_iter()
            .filter(|f| f.is_criterion())
            .collect();
        let values = [
            "",
            "1",
            "250",
            "99.9",
            "true",
            "false",
            "none",
            "unpredictable",
            "per-user",
        ];
        proptest!(|(i in 0..n, f in 0..criteria.len(), v in 0..values.len(), unknown: bool)| {
            let mut new = old.clone();
            let value = Some(values[v]).filter(|v| !v.is_empty());
            new.components[i].set_criterion(criteria[f], value);
            let mut unknowns = vec![Vec::new(); n];
            if unknown {
                unknowns[i].push(criteria[f]);
            }
            let change = Change { old: &old, new: &new, origin: &origin, unknown: &unknowns };
            let edited = edit(text, &change, Kinds::builtin());
            prop_assert!(edited.is_some(), "{} {:?}", criteria[f].name(), value);
            let edited = edited.unwrap_or_default();
            let changed = line_diff(text, &edited)
                .lines()
                .filter(|l| !l.starts_with("@@"))
                .count();
            prop_assert!(changed <= 2, "{}", line_diff(text, &edited));
        });
    }

    #[test]
    fn the_diff_shows_changed_lines_only() {
        assert_eq!(line_diff("a\nb\nc\n", "a\nb\nc\n"), "");
        assert_eq!(
            line_diff("a\nb\nc\n", "a\nB\nc\nd\n"),
            "@@ line 2\n- b\n+ B\n@@ line 4\n+ d\n"
        );
    }
}
