//! Light scans of YAML source text for the places serde_yaml cannot point
//! at: a key repeated in a mapping, the second document of a file, a rule's
//! example, and flow nesting deep enough to make parsing slow. Each scan is
//! one pass over the text.

/// Leading spaces of a line.
fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_key(segment: &str, key: &str) -> bool {
    let quoted_double = format!("\"{key}\":");
    let quoted_single = format!("'{key}':");
    segment
        .strip_prefix(key)
        .is_some_and(|rest| rest.starts_with(':'))
        || segment.starts_with(&quoted_double)
        || segment.starts_with(&quoted_single)
}

/// The second occurrence of `key` in the block mapping that starts at
/// 1-based (`line`, `column`), as 1-based (line, column).
pub(crate) fn repeated_key(
    text: &str,
    line: usize,
    column: usize,
    key: &str,
) -> Option<(usize, usize)> {
    let col = column.checked_sub(1)?;
    let mut seen = 0;
    for (i, l) in text.lines().enumerate().skip(line.checked_sub(1)?) {
        let first = i + 1 == line;
        if !first {
            let t = l.trim_start();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            if indent(l) < col {
                break;
            }
            if indent(l) > col {
                continue;
            }
        }
        if l.get(col..).is_some_and(|seg| is_key(seg, key)) {
            seen += 1;
            if seen == 2 {
                return Some((i + 1, col + 1));
            }
        }
    }
    None
}

/// The 1-based line where a second YAML document starts (a `---` after
/// content), if any.
pub(crate) fn second_document(text: &str) -> Option<usize> {
    let mut content = false;
    for (i, l) in text.lines().enumerate() {
        let marker = l == "---" || l.starts_with("--- ") || l == "...";
        if marker && content {
            return Some(i + 1);
        }
        let t = l.trim();
        if !marker && !t.is_empty() && !t.starts_with('#') && !t.starts_with('%') {
            content = true;
        }
    }
    None
}

/// Where the `index`-th (from 1) example of rule `id` starts: the 1-based
/// line and column of its first key.
pub(crate) fn rule_example(text: &str, id: &str, index: usize) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let id_line = lines.iter().position(|l| {
        let t = l.trim_start().trim_start_matches("- ").trim_start();
        t.strip_prefix("id:")
            .is_some_and(|v| v.trim().trim_matches(['"', '\'']) == id)
    })?;
    let rule_indent = indent(lines[id_line]);
    let examples = (id_line + 1..lines.len())
        .take_while(|i| {
            let l = lines[*i];
            l.trim().is_empty() || l.trim_start().starts_with('#') || indent(l) > rule_indent
        })
        .find(|i| lines[*i].trim_start().starts_with("examples:"))?;
    let examples_indent = indent(lines[examples]);
    let mut count = 0;
    for (i, l) in lines.iter().enumerate().skip(examples + 1) {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if indent(l) < examples_indent || (indent(l) == examples_indent && !t.starts_with("- ")) {
            break;
        }
        if let Some(item) = t.strip_prefix("- ") {
            count += 1;
            if count == index {
                let col = l.len() - item.trim_start().len();
                return Some((i + 1, col + 1));
            }
        }
    }
    None
}

/// The first place where `[`/`{` flow nesting goes deeper than `limit`, as
/// 1-based (line, column). Quoted strings and comments are skipped.
pub(crate) fn too_deep(text: &str, limit: usize) -> Option<(usize, usize)> {
    // Nesting cannot go deeper than the number of openers: most specs have
    // a handful, so the careful scan below is seldom needed.
    if text.bytes().filter(|b| matches!(b, b'[' | b'{')).count() <= limit {
        return None;
    }
    let mut depth = 0usize;
    for (i, l) in text.lines().enumerate() {
        let mut quote: Option<char> = None;
        // The previous character, and the last one that was not a space
        // (`\n` stands for the start of the line).
        let mut prev = '\n';
        let mut last = '\n';
        // Inside a node property (an anchor `&a` or a tag `!x`), which sits
        // between a key and its value and must not hide the value's start.
        let mut property = false;
        for (col, c) in l.chars().enumerate() {
            if property {
                if c == ' ' || c == '\t' {
                    property = false;
                } else if matches!(c, '[' | '{') && prev != '!' {
                    // `!!seq[` is not valid YAML; a bracket ends the property.
                    property = false;
                } else {
                    prev = c;
                    continue;
                }
            }
            if let Some(q) = quote {
                if c == q && prev != '\\' {
                    quote = None;
                }
                prev = c;
                continue;
            }
            let after_space = prev == ' ' || prev == '\t' || prev == '\n';
            match c {
                ' ' | '\t' => {
                    prev = c;
                    continue;
                }
                '#' if after_space => break,
                '&' | '!' if after_space => {
                    property = true;
                    prev = c;
                    continue;
                }
                '"' | '\'' if after_space || "[{,:".contains(prev) => quote = Some(c),
                // A bracket opens a collection only where a value starts: at
                // the top after `key:`, `-` or `?`, inside a collection after
                // an opener, `,` or `:`. Elsewhere it is text (`a[1]`).
                '[' | '{' => {
                    let opens = if depth == 0 {
                        after_space && matches!(last, '\n' | ':' | '-' | '?')
                    } else {
                        matches!(last, '\n' | '[' | '{' | ',' | ':')
                    };
                    if opens {
                        depth += 1;
                        if depth > limit {
                            return Some((i + 1, col + 1));
                        }
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            prev = c;
            last = c;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_repeated_key() {
        let text = "version: 1\ncomponents:\n  - name: a\n    kind: chat\n    nested:\n      kind: x\n    kind: cache\n";
        assert_eq!(repeated_key(text, 3, 5, "kind"), Some((7, 5)));
        assert_eq!(repeated_key(text, 3, 5, "name"), None);
    }

    #[test]
    fn finds_the_second_document() {
        assert_eq!(second_document("---\na: 1\n---\nb: 2\n"), Some(3));
        assert_eq!(second_document("# c\n---\na: 1\n"), None);
    }

    #[test]
    fn finds_a_rule_example() {
        let text = "- id: a\n  examples:\n    - verdict: x\n      component: {}\n- id: b\n  when: {}\n  examples:\n    # note\n    - verdict: y\n    -   verdict: z\n";
        assert_eq!(rule_example(text, "a", 1), Some((3, 7)));
        assert_eq!(rule_example(text, "b", 1), Some((9, 7)));
        assert_eq!(rule_example(text, "b", 2), Some((10, 9)));
        assert_eq!(rule_example(text, "b", 3), None);
        assert_eq!(rule_example(text, "c", 1), None);
    }

    #[test]
    fn anchors_and_tags_do_not_hide_nesting() {
        let deep = "[".repeat(10);
        assert_eq!(too_deep(&format!("a: &x {deep}\n"), 3), Some((1, 10)));
        assert_eq!(too_deep(&format!("a: !!seq {deep}\n"), 3), Some((1, 13)));
        assert_eq!(too_deep(&format!("- !t {deep}\n"), 3), Some((1, 9)));
        assert_eq!(too_deep("a: b & c [x]\n", 0), None);
    }

    #[test]
    fn brackets_inside_plain_text_are_not_nesting() {
        let text = format!("a: b{}\nc: x [y] z{}\n", "[".repeat(70), "{".repeat(70));
        assert_eq!(too_deep(&text, 3), None);
        assert_eq!(too_deep("a:\n  - [[[[x]]]]\n", 3), Some((2, 8)));
        assert_eq!(too_deep("a: {b: [{c: [x]}]}\n", 3), Some((1, 13)));
    }

    #[test]
    fn measures_flow_depth_outside_strings_and_comments() {
        assert_eq!(too_deep("a: [[[x]]]\n", 3), None);
        assert_eq!(too_deep("a: [[[[x]]]]\n", 3), Some((1, 7)));
        assert_eq!(too_deep("a: \"[[[[[\"  # [[[[[[\n", 3), None);
    }
}

/// Where each component of a spec is: name → (line of its list item, line
/// of its `decision:` key if any), 1-based. Block and flow items are both
/// found, whatever the order of their keys; only keys at the item's own
/// indentation count (a `name:` inside a description is text). Names are
/// unquoted as YAML would.
pub(crate) fn component_lines(text: &str) -> Vec<(String, usize, Option<usize>)> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| l.starts_with("components:")) else {
        return Vec::new();
    };
    let unquote = |raw: &str| {
        let raw = raw.trim();
        serde_yaml::from_str::<String>(raw).unwrap_or_else(|_| raw.to_owned())
    };
    let mut out = Vec::new();
    // The item being read: its line, list indentation, key indentation, name, decision line.
    let mut item: Option<Item> = None;
    let mut finish = |item: &mut Option<Item>| {
        if let Some(Item {
            line,
            name: Some(name),
            decision,
            ..
        }) = item.take()
        {
            out.push((name, line, decision));
        }
    };
    // Reads `key: value` pairs of a flow mapping's text into the item.
    let flow_pairs = |text: &str, line: usize, it: &mut Item| {
        for part in text.split(',') {
            let (k, v) = part.split_once(':').unwrap_or((part, ""));
            match k.trim().trim_start_matches('{').trim() {
                "name" => it.name = Some(unquote(v.trim().trim_end_matches('}'))),
                "decision" => it.decision = Some(line),
                _ => {}
            }
        }
    };
    let mut flow_open = false;
    for (i, l) in lines.iter().enumerate().skip(start + 1) {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if flow_open {
            if let Some(it) = item.as_mut() {
                flow_pairs(t, i + 1, it);
            }
            flow_open = !t.contains('}');
            continue;
        }
        let indent = indent(l);
        if indent == 0 && !t.starts_with('-') {
            break; // the next top-level key
        }
        let starts_item = t == "-" || t.starts_with("- ");
        let list_indent = item.as_ref().map(|it| it.list_indent);
        if starts_item && list_indent.is_none_or(|li| indent <= li) {
            finish(&mut item);
            let rest = t[1..].trim_start();
            let key_indent = (!rest.is_empty()).then(|| l.len() - rest.len());
            item = Some(Item {
                line: i + 1,
                list_indent: indent,
                key_indent,
                name: None,
                decision: None,
            });
            if rest.starts_with('{') {
                // A flow item: `- {name: a, decision: b}`, maybe over lines.
                if let Some(it) = item.as_mut() {
                    flow_pairs(rest, i + 1, it);
                }
                flow_open = !rest.contains('}');
                continue;
            }
            if rest.is_empty() {
                continue;
            }
        }
        let Some(it) = item.as_mut() else { continue };
        let key_indent = *it.key_indent.get_or_insert(indent);
        let key_text = if starts_item { t[1..].trim_start() } else { t };
        let at = if starts_item {
            it.key_indent.unwrap_or(indent)
        } else {
            indent
        };
        if at != key_indent {
            continue; // nested or continuation text
        }
        if let Some(v) = key_text.strip_prefix("name:") {
            it.name = Some(unquote(v.split(" #").next().unwrap_or(v)));
        } else if key_text.starts_with("decision:") {
            it.decision = Some(i + 1);
        }
    }
    finish(&mut item);
    out
}

/// The place a line's comment cites as `import` writes it: `FILE:LINE`
/// from `# from FILE:LINE` or `# from FILE:LINE: why`. A comment of the
/// team's own (`# from our design review`) cites none.
pub(crate) fn cited_source(line: &str) -> Option<&str> {
    let (_, comment) = line.split_once(" # from ")?;
    let place = comment.split(": ").next().unwrap_or(comment).trim_end();
    let (file, number) = place.rsplit_once(':')?;
    (!file.is_empty() && !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
        .then_some(place)
}

/// A value whose comment cites its source, found by [`imported_values`].
#[derive(Debug, PartialEq)]
pub(crate) struct Cited<'a> {
    /// The index of its component item.
    pub(crate) item: usize,
    /// Its key.
    pub(crate) key: &'a str,
    /// The place cited, `FILE:LINE`.
    pub(crate) place: &'a str,
}

/// The values of a spec's components that cite their source
/// ([`cited_source`]): the number of component items found, and for each
/// cited `key: value` line at an item's own key indentation (for a block
/// list, its key's line) the item's index, the key and the place cited.
/// Items in flow style (`- {...}`) are counted but not read: their line
/// may hold several values. `None`, without a scan, for a text that cites
/// nothing.
pub(crate) fn imported_values(text: &str) -> Option<(usize, Vec<Cited<'_>>)> {
    if !text.contains(" # from ") {
        return None;
    }
    let mut lines = text.lines();
    lines.position(|l| l.starts_with("components:"))?;
    let mut found = Vec::new();
    let mut items = 0usize;
    let mut list_indent: Option<usize> = None;
    let mut key_indent: Option<usize> = None;
    let mut flow = false;
    for l in lines {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let indent = indent(l);
        if indent == 0 && !t.starts_with('-') {
            break; // the next top-level key
        }
        let starts_item = t == "-" || t.starts_with("- ");
        let key_text = if starts_item && list_indent.is_none_or(|li| indent <= li) {
            list_indent = Some(indent);
            items += 1;
            let rest = t[1..].trim_start();
            flow = rest.starts_with('{');
            key_indent = (!rest.is_empty()).then(|| l.len() - rest.len());
            rest
        } else {
            if items == 0 || flow || *key_indent.get_or_insert(indent) != indent {
                continue;
            }
            t
        };
        if flow || !l.contains(" # from ") {
            continue;
        }
        let Some((key, _)) = key_text.split_once(':') else {
            continue;
        };
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            continue;
        }
        if let Some(place) = cited_source(l) {
            found.push(Cited {
                item: items - 1,
                key,
                place,
            });
        }
    }
    Some((items, found))
}

/// A component item being read by [`component_lines`].
struct Item {
    line: usize,
    list_indent: usize,
    key_indent: Option<usize>,
    name: Option<String>,
    decision: Option<usize>,
}

#[cfg(test)]
mod component_tests {
    use super::*;

    #[test]
    fn only_a_cited_file_and_line_is_a_source() {
        let cited = |l| cited_source(l);
        assert_eq!(
            cited("    kind: cache   # from k8s/a.yaml:12: image `redis`"),
            Some("k8s/a.yaml:12")
        );
        assert_eq!(
            cited("    kind: cache   # from <stdin>:3"),
            Some("<stdin>:3")
        );
        assert_eq!(
            cited("    kind: x   # from my dir/a.yaml:3: y"),
            Some("my dir/a.yaml:3")
        );
        assert_eq!(cited("    kind: rest-api   # from our design review"), None);
        assert_eq!(cited("    kind: rest-api   # from: 12"), None);
        assert_eq!(cited("    kind: rest-api   # from a.yaml:"), None);
        assert_eq!(
            cited("    depends_on: [a]   # from the deployment files, as below"),
            None
        );
        assert_eq!(cited("    kind: rest-api"), None);
    }

    #[test]
    fn cited_values_are_found_on_their_item_at_its_key_indentation() {
        let text = "\
version: 1
system: {name: S}   # from a.yaml:1
components:
- name: a           # from a.yaml:2
  kind: cache       # from a.yaml:3
  description: |
    kind: x         # from a.yaml:4
- {name: b,
  kind: cache}      # from a.yaml:5
-
    latency_ms: 5   # from a.yaml:6
    state_location: # from a.yaml:7
    - memory        # from a.yaml:8
    name: c
other: 1            # from a.yaml:9
";
        let (items, found) = imported_values(text).expect("cites");
        assert_eq!(items, 3);
        let found: Vec<(usize, &str, &str)> =
            found.iter().map(|c| (c.item, c.key, c.place)).collect();
        assert_eq!(
            found,
            [
                (0, "name", "a.yaml:2"),
                (0, "kind", "a.yaml:3"),
                (2, "latency_ms", "a.yaml:6"),
                (2, "state_location", "a.yaml:7"),
            ]
        );
        assert_eq!(
            imported_values("components:\n- name: a  # from a\n"),
            Some((1, vec![]))
        );
        assert_eq!(imported_values("components:\n- name: a  # a\n"), None);
    }

    #[test]
    fn keys_in_any_order_and_names_inside_text_do_not_confuse_it() {
        let text = "components:\n  - kind: chat\n    decision: stateless\n    name: gw\n  - name: b\n    description: >-\n      talks to\n      name: lobby\n    decision: stateful\n";
        assert_eq!(
            component_lines(text),
            vec![("gw".to_owned(), 2, Some(3)), ("b".to_owned(), 5, Some(9))]
        );
    }

    #[test]
    fn finds_components_in_block_and_flow_style() {
        let text = "version: 1\nsystem: {name: S}\ncomponents:\n  # a comment\n  - name: api  # the API\n    kind: rest-api\n    decision: stateless\n  - {name: \"db\", kind: database}\n  -\n    kind: cache\n    name: 'c'\n";
        assert_eq!(
            component_lines(text),
            vec![
                ("api".to_owned(), 5, Some(7)),
                ("db".to_owned(), 8, None),
                ("c".to_owned(), 9, None),
            ]
        );
    }
}
