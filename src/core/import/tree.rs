//! Deployment files as a tree of YAML nodes that know their line and
//! column. serde_yaml cannot tell where a value sits, and every value
//! `import` infers must name the line it came from, so these files are
//! read with yaml-rust2's event parser. Anchors, aliases and `<<` merge
//! keys are resolved; expansion and nesting are bounded.

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

use crate::core::error::{Diagnostic, Error, Result};

/// How deep collections may nest; deployment files are a dozen levels deep.
const MAX_DEPTH: usize = 128;
/// How many nodes one file may expand to, aliases included.
const MAX_NODES: usize = 4_000_000;

/// One YAML node with the place it starts at (1-based).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) value: Value,
}

/// What a node holds. Scalars keep their text; `plain` tells an unquoted
/// `null` or `3` from a quoted one.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Scalar { text: String, plain: bool },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// One document of a file: its root and the line its `---` or first
/// content is on.
#[derive(Debug)]
pub(crate) struct Document {
    pub(crate) root: Node,
}

impl Node {
    /// The value at `key` when this is a mapping.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value at a path of keys.
    pub(crate) fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The text of a scalar that is not null.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, plain } if !(*plain && is_null(text)) => Some(text),
            _ => None,
        }
    }

    /// A whole number written as a plain or quoted scalar.
    pub(crate) fn as_u64(&self) -> Option<u64> {
        self.as_str().and_then(|s| s.trim().parse().ok())
    }

    /// The items of a sequence (none for anything else).
    pub(crate) fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    /// The entries of a mapping (none for anything else).
    pub(crate) fn entries(&self) -> &[(Node, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// True for a null scalar (`~`, `null`, nothing).
    pub(crate) fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, plain: true } if is_null(text))
    }

    /// True for a mapping.
    pub(crate) fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// A collection being built.
enum Open {
    Seq(Node, usize),
    Map(Node, usize, Option<Node>),
}

/// Parses every document of `text`. A syntax error is a diagnostic at its
/// line and column in `file`.
pub(crate) fn parse(file: &str, text: &str) -> Result<Vec<Document>> {
    let located = |line: usize, column: usize, message: String, help: Option<&str>| {
        let mut d = Diagnostic::new(file, message).at(text, line, column);
        d.help = help.map(str::to_owned);
        Error::Spec(Box::new(d))
    };
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: std::collections::HashMap<usize, Node> = std::collections::HashMap::new();
    let mut nodes = 0usize;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            let m = e.marker();
            located(
                m.line().max(1),
                m.col() + 1,
                format!("not valid YAML: {}", e.info()),
                Some("fix the YAML syntax; `helm template` or `kubectl kustomize` output is read as it is"),
            )
        })?;
        let (line, column) = (mark.line().max(1), mark.col() + 1);
        let finished = match event {
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => {
                continue;
            }
            Event::Alias(id) => match anchors.get(&id) {
                Some(node) => {
                    nodes += count(node);
                    let mut node = node.clone();
                    node.line = line;
                    node.column = column;
                    node
                }
                None => {
                    return Err(located(line, column, "unknown alias".into(), None));
                }
            },
            Event::Scalar(text, style, anchor, _) => {
                let node = Node {
                    line,
                    column,
                    value: Value::Scalar {
                        text,
                        plain: style == TScalarStyle::Plain,
                    },
                };
                if anchor > 0 {
                    anchors.insert(anchor, node.clone());
                }
                node
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(located(
                        line,
                        column,
                        format!("the document nests deeper than {MAX_DEPTH} levels"),
                        None,
                    ));
                }
                let is_seq = matches!(event, Event::SequenceStart(..));
                let node = Node {
                    line,
                    column,
                    value: if is_seq {
                        Value::Seq(Vec::new())
                    } else {
                        Value::Map(Vec::new())
                    },
                };
                stack.push(if is_seq {
                    Open::Seq(node, anchor)
                } else {
                    Open::Map(node, anchor, None)
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::Seq(mut node, anchor)) | Some(Open::Map(mut node, anchor, _)) => {
                    // A block mapping's start event is marked after its
                    // first key; the mapping starts where that key does.
                    if let Value::Map(entries) = &node.value
                        && let Some((first, _)) = entries.first()
                        && (first.line, first.column) < (node.line, node.column)
                    {
                        (node.line, node.column) = (first.line, first.column);
                    }
                    if anchor > 0 {
                        anchors.insert(anchor, node.clone());
                    }
                    node
                }
                None => continue,
            },
        };
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(located(
                line,
                column,
                "aliases expand to too much data".into(),
                Some("write the values out instead of nesting aliases"),
            ));
        }
        match stack.last_mut() {
            None => {
                docs.push(Document { root: finished });
                anchors.clear();
            }
            Some(Open::Seq(node, _)) => {
                if let Value::Seq(items) = &mut node.value {
                    items.push(finished);
                }
            }
            Some(Open::Map(node, _, pending)) => match pending.take() {
                None => *pending = Some(finished),
                Some(key) => {
                    if let Value::Map(entries) = &mut node.value {
                        insert(entries, key, finished);
                    }
                }
            },
        }
    }
    Ok(docs)
}

/// Adds `key: value` to a mapping; a `<<` merge key adds the entries of the
/// mapping (or mappings) it names that the mapping does not have yet.
fn insert(entries: &mut Vec<(Node, Node)>, key: Node, value: Node) {
    let is_merge = matches!(&key.value, Value::Scalar { text, plain: true } if text == "<<");
    if !is_merge {
        // A key written out wins over one merged in before it.
        entries.retain(|(k, _)| k.value != key.value);
        entries.push((key, value));
        return;
    }
    let sources: Vec<Node> = match value.value {
        Value::Map(_) => vec![value],
        Value::Seq(items) => items,
        Value::Scalar { .. } => Vec::new(),
    };
    for source in sources {
        if let Value::Map(merged) = source.value {
            for (k, v) in merged {
                if !entries.iter().any(|(e, _)| e.value == k.value) {
                    entries.push((k, v));
                }
            }
        }
    }
}

/// How many nodes `node` holds, itself included.
fn count(node: &Node) -> usize {
    let mut total = 0;
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        total += 1;
        match &n.value {
            Value::Scalar { .. } => {}
            Value::Seq(items) => todo.extend(items),
            Value::Map(entries) => {
                for (k, v) in entries {
                    todo.push(k);
                    todo.push(v);
                }
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_know_their_place() {
        let docs = parse(
            "f",
            "# c\na: 1\nb:\n  - x\n  - {y: 2}\n---\nkind: Service\n",
        )
        .unwrap();
        assert_eq!(docs.len(), 2);
        let b = docs[0].root.get("b").unwrap();
        assert_eq!((b.items()[1].line, b.items()[1].column), (5, 5));
        let y = b.items()[1].get("y").unwrap();
        assert_eq!((y.line, y.column, y.as_u64()), (5, 9, Some(2)));
        assert_eq!(docs[1].root.get("kind").unwrap().line, 7);
    }

    #[test]
    fn merge_keys_and_aliases_resolve() {
        let docs = parse(
            "f",
            "x-base: &base\n  image: redis\n  restart: always\nservices:\n  a:\n    <<: *base\n    restart: \"no\"\n",
        )
        .unwrap();
        let a = docs[0].root.at(&["services", "a"]).unwrap();
        assert_eq!(a.get("image").and_then(Node::as_str), Some("redis"));
        assert_eq!(a.get("restart").and_then(Node::as_str), Some("no"));
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = parse("f.yaml", "a: 1\nb: [x\n").unwrap_err().to_string();
        assert!(err.starts_with("f.yaml:"), "{err}");
        assert!(err.contains("not valid YAML"), "{err}");
    }

    #[test]
    fn alias_bombs_and_deep_nesting_stop() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..8 {
            let prev = if i == 0 {
                "a".to_owned()
            } else {
                format!("l{}", i - 1)
            };
            bomb.push_str(&format!(
                "l{i}: &l{i} [{}]\n",
                vec![format!("*{prev}"); 10].join(", ")
            ));
        }
        assert!(
            parse("f", &bomb)
                .unwrap_err()
                .to_string()
                .contains("too much")
        );
        let deep = format!("a: {}x{}\n", "[".repeat(500), "]".repeat(500));
        let err = parse("f", &deep).unwrap_err().to_string();
        assert!(err.starts_with("f:1:"), "{err}");
    }

    #[test]
    fn null_and_quoted_scalars_differ() {
        let docs = parse("f", "a: ~\nb: \"null\"\nc:\n").unwrap();
        let root = &docs[0].root;
        assert!(root.get("a").unwrap().is_null());
        assert_eq!(root.get("b").and_then(Node::as_str), Some("null"));
        assert!(root.get("c").unwrap().is_null());
    }
}
