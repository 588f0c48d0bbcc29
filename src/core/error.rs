//! Errors of the library, and the diagnostics that carry a file, a line, a
//! column, the path of the field and a hint at the fix.

use std::fmt;

use crate::core::escape;
use crate::core::text::nearest;

/// A problem found in a user's file, located as precisely as the input allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the user named it (`<stdin>` for standard input).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// Path of the field in the document, such as `components[2].latency_ms`.
    pub path: Option<String>,
    /// What is wrong, lowercase, without a final period.
    pub message: String,
    /// How to fix it, when there is something to say.
    pub help: Option<String>,
    /// The source line the location points into.
    pub snippet: Option<String>,
}

impl Diagnostic {
    /// A diagnostic without a location.
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: None,
            column: None,
            path: None,
            message: message.into(),
            help: None,
            snippet: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Points the diagnostic at a line and column of `source`.
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self.snippet = source
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.chars().take(200).collect());
        self
    }

    /// Builds a diagnostic from a serde_yaml error: its location, the field
    /// path serde_yaml tracked, and the message with a suggestion for unknown
    /// names.
    pub(crate) fn from_yaml(file: &str, source: &str, err: &serde_yaml::Error) -> Self {
        let mut text = err.to_string();
        let location = err.location().filter(|l| l.line() > 0);
        if let Some(loc) = &location {
            let suffix = format!(" at line {} column {}", loc.line(), loc.column());
            if let Some(pos) = text.find(&suffix) {
                text.replace_range(pos..pos + suffix.len(), "");
            }
        }
        let (path, message) = split_path(&text);
        let message = plain_types(message);
        let rewritten = rewrite(&message);
        let text = if message.contains("more than one document") {
            "the file holds more than one YAML document; statewise reads one per file".to_owned()
        } else {
            rewritten.message
        };
        let mut diag = Diagnostic::new(file, text);
        diag.help = rewritten.help.or_else(|| hint_for(&message));
        diag.path = path.map(|p| p.strip_prefix('.').unwrap_or(p).to_owned());
        let mut at = location.map(|l| (l.line(), l.column()));
        // The scanner reports some errors at a byte offset only.
        if let Some(offset) = diag
            .message
            .rsplit_once(" at position ")
            .and_then(|(_, n)| n.parse::<usize>().ok())
        {
            if let Some(cut) = diag.message.rfind(" at position ") {
                diag.message.truncate(cut);
            }
            let before = source.get(..offset.min(source.len())).unwrap_or(source);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            at = Some((line, column));
            if diag.message.contains("control characters") {
                diag.help = Some(
                    "remove the character, or write it escaped inside double quotes (\"\\u0001\")"
                        .into(),
                );
            }
        }
        // serde_yaml places a repeated key at the start of its mapping, and a
        // second document nowhere: find the real spot in the text.
        if let (Some(key), Some((line, col))) = (
            message
                .strip_prefix("duplicate field `")
                .and_then(|r| r.strip_suffix('`')),
            at,
        ) {
            at = crate::core::locate::repeated_key(source, line, col, key).or(at);
        }
        if message.contains("more than one document") {
            at = crate::core::locate::second_document(source)
                .map(|l| (l, 1))
                .or(at);
        }
        match at {
            Some((line, col)) => diag.at(source, line, col),
            None => diag,
        }
    }

    /// The location prefix: `file:line:column` or just `file`.
    fn place(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            (Some(l), None) => format!("{}:{l}", self.file),
            _ => self.file.clone(),
        }
    }

    /// The full report for a terminal: the message, the field path, a code
    /// frame with a caret under the column, and the help line.
    pub fn render(&self) -> String {
        let mut out = format!("error: {self}\n");
        if let Some(path) = &self.path {
            out.push_str(&format!("  --> field `{path}`\n"));
        }
        if let (Some(line), Some(snippet)) = (self.line, &self.snippet) {
            let num = line.to_string();
            let pad = " ".repeat(num.len());
            let col = self.column.unwrap_or(1).saturating_sub(1);
            // The line is shown as `escape::lines` will show it, so the
            // caret counts each escaped character at its shown width.
            let caret_pad: String = snippet
                .chars()
                .take(col)
                .flat_map(|c| {
                    let fill = if c == '\t' { '\t' } else { ' ' };
                    std::iter::repeat_n(fill, escape::shown_width(c))
                })
                .collect();
            out.push_str(&format!(
                "{pad} |\n{num} | {snippet}\n{pad} | {caret_pad}^\n"
            ));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("  = help: {help}\n"));
        }
        escape::lines(&out)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place(), self.message)
    }
}

/// Splits serde_yaml's `path: message` into its parts.
fn split_path(text: &str) -> (Option<&str>, &str) {
    if let Some((head, tail)) = text.split_once(": ") {
        let is_path = !head.is_empty()
            && head
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.[]?-".contains(c));
        if is_path && !head.contains('`') {
            return (Some(head), tail);
        }
    }
    (None, text)
}

/// Names serde's Rust types in the user's terms.
fn plain_types(message: &str) -> String {
    const TYPES: [(&str, &str); 7] = [
        (
            "struct Spec",
            "a mapping with `version`, `system` and `components`",
        ),
        ("struct System", "a mapping with at least `name`"),
        ("struct Component", "a mapping with at least `name`"),
        ("struct Criteria", "a mapping of criteria"),
        (
            "struct Rule",
            "a rule: a mapping with `id`, `title`, `when`, `favors`, `weight`, `because`",
        ),
        (
            "struct RuleExample",
            "a mapping with `verdict` and `component`",
        ),
        ("struct KindInfo", "a mapping with `summary` and `defaults`"),
    ];
    let mut out = message.to_owned();
    for (rust, plain) in TYPES {
        if let Some(pos) = out.find(rust) {
            let end = pos + rust.len();
            let whole_word = !out[end..].starts_with(|c: char| c.is_alphanumeric());
            if whole_word {
                out.replace_range(pos..end, plain);
            }
        }
    }
    out
}

/// A hint for serde_yaml messages that are not about names.
fn hint_for(message: &str) -> Option<String> {
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        return Some(match field {
            "version" => "add `version: 1` at the top of the file".to_owned(),
            "system" => "add `system:` with at least `name: Your System`".to_owned(),
            "components" => "add `components:` with at least one `- name: ...`".to_owned(),
            "name" => "every system and component needs a `name`".to_owned(),
            other => format!("add `{other}:`"),
        });
    }
    if message.contains("recursion limit exceeded") {
        Some("the document nests too deeply; a spec is at most a few levels deep".into())
    } else if message.contains("repetition limit exceeded") {
        Some(
            "aliases expand to too much data; write the values out instead of nesting aliases"
                .into(),
        )
    } else if message.contains("more than one document") {
        Some("keep one YAML document per file (remove the `---` separators)".into())
    } else if message.contains("found character that cannot start any token")
        || message.contains("tab")
    {
        Some("indent with spaces; YAML does not allow tabs for indentation".into())
    } else {
        None
    }
}

/// Everything that can go wrong in statewise.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec is not a valid statewise spec.
    #[error("{0}")]
    Spec(Box<Diagnostic>),
    /// A rule file or the kinds file is invalid.
    #[error("{0}")]
    Rules(Box<Diagnostic>),
    /// A template is invalid or failed to render.
    #[error("{0}")]
    Template(Box<Diagnostic>),
    /// A `check` baseline file is invalid.
    #[error("{0}")]
    Baseline(Box<Diagnostic>),
    /// Reading or writing a file failed.
    #[error("{0}")]
    Io(String),
    /// The command line asks for something that cannot be done.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// The text to print on standard error, safe for a terminal and a CI
    /// log whatever user text the message holds.
    pub fn render(&self) -> String {
        match self {
            Error::Spec(d) | Error::Rules(d) | Error::Template(d) | Error::Baseline(d) => {
                d.render()
            }
            Error::Io(m) | Error::Usage(m) => escape::lines(&format!("error: {m}\n")),
        }
    }

    /// An I/O error on `path`, worded for a user.
    pub(crate) fn io(action: &str, path: &str, err: &std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        let reason = match err.kind() {
            K::NotFound => "no such file or directory".to_owned(),
            K::PermissionDenied => "permission denied".to_owned(),
            K::NotADirectory => "not a directory".to_owned(),
            K::IsADirectory => "is a directory".to_owned(),
            K::StorageFull => "no space left on the device".to_owned(),
            K::ReadOnlyFilesystem => "the file system is read-only".to_owned(),
            K::AlreadyExists => "it already exists".to_owned(),
            _ => {
                let text = err.to_string();
                let text = text.split(" (os error").next().unwrap_or(&text).to_owned();
                crate::core::text::lower_first(&text)
            }
        };
        Error::Io(format!("could not {action} `{path}`: {reason}"))
    }
}

/// Result with the statewise error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A message with an optional help line.
struct Rewritten {
    message: String,
    help: Option<String>,
}

/// Turns serde's `unknown field `x`, expected one of `a`, `b`` (and the same
/// for variants) into a message with the nearest name and a help line listing
/// what is allowed. Other messages pass through unchanged.
fn rewrite(message: &str) -> Rewritten {
    for (prefix, what, list_name) in [
        ("unknown field `", "field", "allowed fields"),
        ("unknown variant `", "value", "allowed values"),
    ] {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        let Some(end) = rest.find('`') else { continue };
        let word = &rest[..end];
        let tail = &rest[end + 1..];
        let allowed: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
        if allowed.is_empty() {
            return Rewritten {
                message: format!("unknown {what} `{word}`; no {what}s are allowed here"),
                help: None,
            };
        }
        let message = match nearest(word, &allowed) {
            Some(near) => format!("unknown {what} `{word}`, did you mean `{near}`?"),
            None => format!("unknown {what} `{word}`"),
        };
        return Rewritten {
            message,
            help: Some(format!("{list_name}: {}", allowed.join(", "))),
        };
    }
    Rewritten {
        message: message.to_owned(),
        help: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_serde_yaml_paths() {
        assert_eq!(
            split_path("components[0].latency_ms: invalid value"),
            (Some("components[0].latency_ms"), "invalid value")
        );
        assert_eq!(
            split_path("unknown field `a: b`"),
            (None, "unknown field `a: b`")
        );
    }

    #[test]
    fn renders_a_code_frame_with_caret() {
        let d = Diagnostic::new("s.yaml", "bad").at("a: 1\n  bc: 2\n", 2, 3);
        assert_eq!(
            d.render(),
            "error: s.yaml:2:3: bad\n  |\n2 |   bc: 2\n  |   ^\n"
        );
    }

    #[test]
    fn rewrites_unknown_field() {
        let r = rewrite("unknown field `latncy_ms`, expected one of `name`, `latency_ms`");
        assert_eq!(
            r.message,
            "unknown field `latncy_ms`, did you mean `latency_ms`?"
        );
        assert_eq!(r.help.as_deref(), Some("allowed fields: name, latency_ms"));
    }

    #[test]
    fn rewrites_unknown_variant_with_two_choices() {
        let r = rewrite("unknown variant `stateles`, expected `stateful` or `stateless`");
        assert_eq!(
            r.message,
            "unknown value `stateles`, did you mean `stateless`?"
        );
        assert_eq!(
            r.help.as_deref(),
            Some("allowed values: stateful, stateless")
        );
    }

    #[test]
    fn other_messages_pass_through() {
        assert_eq!(
            rewrite("missing field `name`").message,
            "missing field `name`"
        );
    }
}
