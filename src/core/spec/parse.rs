//! Parsing a spec: the text checked first (size, encoding, nesting depth,
//! blank file), then deserialised with every error located at its line and
//! column.

use serde::Deserialize;

use crate::core::error::{Diagnostic, Error, Result};
use crate::core::spec::field::Field;
use crate::core::spec::model::Spec;
use crate::core::spec::values::DependencyScope;

/// Largest spec or rule file read, in bytes.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// Reads text that must be UTF-8, at most [`MAX_INPUT_BYTES`] long and at
/// most [`MAX_FLOW_DEPTH`] levels of flow nesting deep, worded for `file`.
pub(crate) fn check_text<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, Box<Diagnostic>> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Box::new(Diagnostic::new(
            file,
            format!(
                "file is larger than {} MiB, the most statewise reads",
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
        )));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let column = good.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        let mut d = Diagnostic::new(
            file,
            format!(
                "file is not valid UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
        .with_help("save the file as UTF-8");
        d.line = Some(line);
        d.column = Some(column);
        Box::new(d)
    })?;
    if let Some((line, column)) = crate::core::locate::too_deep(text, MAX_FLOW_DEPTH) {
        return Err(Box::new(
            Diagnostic::new(
                file,
                format!("values nest more than {MAX_FLOW_DEPTH} levels deep"),
            )
            .at(text, line, column)
            .with_help("a spec or rule file needs a few levels; check for unbalanced `[` or `{`"),
        ));
    }
    Ok(text)
}

/// Deepest `[`/`{` nesting accepted; deeper input is refused before parsing,
/// which would otherwise take time growing with the square of the depth.
pub const MAX_FLOW_DEPTH: usize = 64;

/// True when a YAML text holds nothing but blank lines and comments.
pub(crate) fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

/// Deserialises `text`, with serde_yaml's location on any error.
fn parse(text: &str, file: &str) -> Result<Spec> {
    let de = serde_yaml::Deserializer::from_str(text);
    Spec::deserialize(de).map_err(|e| {
        let mut d = Diagnostic::from_yaml(file, text, &e);
        if d.message.starts_with("invalid type") && d.path.is_none() {
            d.help = Some("a spec is a mapping with `version`, `system` and `components`; run `statewise init` for an example".into());
        }
        Error::Spec(Box::new(d))
    })
}

/// Circles in the `depends_on` graph: one per group of components that
/// depend on one another (a strongly connected component of two or more),
/// shown as one circle through the group from its first member in spec
/// order. Linear in the size of the graph, however dense.
fn dependency_cycles(spec: &Spec) -> Vec<Vec<&str>> {
    let n = spec.components.len();
    let by_name: std::collections::HashMap<&str, usize> = spec
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = spec
        .components
        .iter()
        .map(|c| {
            c.depends_on
                .iter()
                .filter_map(|d| by_name.get(d.as_str()).copied())
                .collect()
        })
        .collect();
    let groups = strongly_connected(&edges);
    let mut cycles: Vec<Vec<&str>> = Vec::new();
    for group in groups.iter().filter(|g| g.len() > 1) {
        let start = *group.iter().min().unwrap_or(&0);
        let inside = |v: usize| group.contains(&v);
        // Breadth-first from `start` inside the group, back to `start`.
        let mut parent = vec![usize::MAX; n];
        let mut queue = std::collections::VecDeque::from([start]);
        let mut last = None;
        'search: while let Some(v) = queue.pop_front() {
            for &w in &edges[v] {
                if w == start {
                    last = Some(v);
                    break 'search;
                }
                if inside(w) && parent[w] == usize::MAX && w != start {
                    parent[w] = v;
                    queue.push_back(w);
                }
            }
        }
        let Some(mut v) = last else { continue };
        let mut path = vec![start];
        let mut back = Vec::new();
        while v != start {
            back.push(v);
            v = parent[v];
        }
        path.extend(back.into_iter().rev());
        path.push(start);
        cycles.push(
            path.iter()
                .map(|i| spec.components[*i].name.as_str())
                .collect(),
        );
    }
    cycles.sort_by_key(|c| by_name.get(c[0]).copied());
    cycles
}

/// Tarjan's strongly connected components, iteratively (no recursion, so
/// no stack overflow however long a chain the spec holds).
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut groups = Vec::new();
    let mut next = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if let Some(&w) = edges[v].get(*i) {
                *i += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut group = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    group.push(w);
                    if w == v {
                        break;
                    }
                }
                groups.push(group);
            }
        }
    }
    groups
}

/// Notes on each component of `spec`, parsed from `text`, the values that
/// carry an import citation. Nothing is noted when the scan does not find
/// the components the parse did (a layout it does not follow), so a value
/// is never credited to the wrong component.
fn note_imported(spec: &mut Spec, text: &str) {
    let Some((items, found)) = crate::core::locate::imported_values(text) else {
        return;
    };
    if items != spec.components.len() {
        return;
    }
    for cited in found {
        let Some(field) = Field::from_name(cited.key).filter(|f| !f.is_derived()) else {
            continue;
        };
        if let Some(c) = spec.components.get_mut(cited.item) {
            c.imported.insert(field, cited.place);
        }
    }
}

impl Spec {
    /// Parses and validates a spec. `file` names the source in errors.
    ///
    /// ```
    /// let spec = statewise::Spec::from_yaml(
    ///     "version: 1\nsystem: {name: Shop}\ncomponents: [{name: api, kind: rest-api}]\n",
    ///     "statewise.yaml",
    /// )
    /// .unwrap();
    /// assert_eq!(spec.components[0].name.as_str(), "api");
    /// ```
    pub fn from_yaml(text: &str, file: &str) -> Result<Spec> {
        Spec::from_bytes(text.as_bytes(), file)
    }

    /// Like [`Spec::from_yaml`], for bytes that may not be UTF-8.
    pub fn from_bytes(bytes: &[u8], file: &str) -> Result<Spec> {
        let text = check_text(file, bytes).map_err(Error::Spec)?;
        if is_blank_yaml(text) {
            return Err(Error::Spec(Box::new(
                Diagnostic::new(file, "spec is empty")
                    .with_help("run `statewise init` to write a commented starter spec"),
            )));
        }
        let mut spec = parse(text, file)?;
        if spec.components.iter().any(|c| !c.depends_on.is_empty()) {
            // `depends_on` names are checked once every name is known: parsed
            // again with the names, so an unknown one is an error at its place.
            let names = spec.components.iter().map(|c| c.name.to_string()).collect();
            let _scope = DependencyScope::enter(names);
            spec = parse(text, file)?;
        }
        note_imported(&mut spec, text);
        Ok(spec)
    }

    /// The components that depend on one another in a circle, each circle
    /// as the names along it, first name repeated at the end; in spec order.
    pub fn dependency_cycles(&self) -> Vec<Vec<&str>> {
        dependency_cycles(self)
    }

    /// The spec as YAML, in the field order of the contract.
    pub fn to_yaml(&self) -> String {
        serde_yaml::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spec `import` wrote, then edited: citations on values, the
    /// team's own comments, and layouts the scan must not misread.
    const CITED: &str = "\
version: 1
system:
  name: S   # from k8s/a.yaml:1
components:
  - name: cart                # from k8s/cart.yaml:3: Deployment `cart`
    description: \"kind: cache # from k8s/x.yaml:1\"
    kind: cache               # from k8s/cart.yaml:12: image `redis:7`
    affinity: per-client      # from our design review
    state_location:           # from k8s/cart.yaml:40
      - memory
      - local-disk            # from k8s/cart.yaml:41
    depends_on: [db]          # from the deployment files, as below
    #   db: from k8s/cart.yaml:20
    # traffic: unpredictable  # from k8s/cart.yaml:50
  -
    name: db
    latency_ms: 20            # from compose.yaml:7
  - {name: flow, kind: cache} # from compose.yaml:9
";

    #[test]
    fn cited_values_are_noted_on_their_component() {
        let spec = Spec::from_yaml(CITED, "s.yaml").expect("valid");
        let cart = &spec.components[0].imported;
        assert_eq!(cart.source(Field::Kind), Some("k8s/cart.yaml:12"));
        assert_eq!(cart.source(Field::StateLocation), Some("k8s/cart.yaml:40"));
        // The team's own comment, a commented-out line and a text value
        // that looks like a citation are none.
        assert_eq!(cart.source(Field::Affinity), None);
        assert_eq!(cart.source(Field::Traffic), None);
        assert_eq!(cart.fields().count(), 2);
        let db = &spec.components[1].imported;
        assert_eq!(db.source(Field::LatencyMs), Some("compose.yaml:7"));
        // A flow item says nothing about which of its values is cited.
        assert!(spec.components[2].imported.is_empty());
    }

    #[test]
    fn a_spec_without_citations_notes_nothing() {
        let spec = Spec::from_yaml(
            "version: 1\nsystem: {name: S}\ncomponents:\n  - name: a\n    kind: cache  # the cache\n",
            "s.yaml",
        )
        .expect("valid");
        assert!(spec.components[0].imported.is_empty());
    }

    #[test]
    fn citations_do_not_change_equality() {
        let cited = Spec::from_yaml(CITED, "s.yaml").expect("valid");
        let plain = Spec::from_yaml(&CITED.replace("  # from ", "  # "), "s.yaml").expect("valid");
        assert!(plain.components[0].imported.is_empty());
        assert_eq!(cited, plain);
    }

    fn spec(deps: &[(&str, &[&str])]) -> Spec {
        let mut text = String::from("version: 1\nsystem: {name: S}\ncomponents:\n");
        for (name, on) in deps {
            text.push_str(&format!(
                "  - {{name: {name}, depends_on: [{}]}}\n",
                on.join(", ")
            ));
        }
        Spec::from_yaml(&text, "s.yaml").expect("valid spec")
    }

    #[test]
    fn circles_are_found_once_each_from_their_first_member() {
        let s = spec(&[
            ("a", &["b"]),
            ("b", &["a", "c"]),
            ("c", &["d"]),
            ("d", &["c"]),
            ("e", &["a"]),
        ]);
        assert_eq!(
            s.dependency_cycles(),
            vec![vec!["a", "b", "a"], vec!["c", "d", "c"]]
        );
        assert!(
            spec(&[("a", &["b"]), ("b", &[])])
                .dependency_cycles()
                .is_empty()
        );
    }

    #[test]
    fn a_dense_graph_gives_one_circle_quickly() {
        // Every component depends on every other: one group, one circle,
        // found in linear time (enumerating simple circles would not end).
        let names: Vec<String> = (0..200).map(|i| format!("n{i}")).collect();
        let mut text = String::from("version: 1\nsystem: {name: S}\ncomponents:\n");
        for n in &names {
            let others: Vec<&str> = names
                .iter()
                .filter(|o| *o != n)
                .map(String::as_str)
                .collect();
            text.push_str(&format!(
                "  - {{name: {n}, depends_on: [{}]}}\n",
                others.join(", ")
            ));
        }
        let s = Spec::from_yaml(&text, "s.yaml").expect("valid spec");
        assert_eq!(s.dependency_cycles(), vec![vec!["n0", "n1", "n0"]]);
    }
}
