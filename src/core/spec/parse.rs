//! Parsing a spec: the text checked first (size, encoding, nesting depth,
//! blank file), then deserialised with every error located at its line and
//! column.

use serde::Deserialize;

use crate::core::error::{Diagnostic, Error, Result};
use crate::core::spec::model::Spec;

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
        let de = serde_yaml::Deserializer::from_str(text);
        Spec::deserialize(de).map_err(|e| {
            let mut d = Diagnostic::from_yaml(file, text, &e);
            if d.message.starts_with("invalid type") && d.path.is_none() {
                d.help = Some("a spec is a mapping with `version`, `system` and `components`; run `statewise init` for an example".into());
            }
            Error::Spec(Box::new(d))
        })
    }

    /// The spec as YAML, in the field order of the contract.
    pub fn to_yaml(&self) -> String {
        serde_yaml::to_string(self).unwrap_or_default()
    }
}
