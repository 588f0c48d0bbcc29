//! Digests that say whether a decision record still matches its inputs: of
//! the parsed spec (so comments, key order and formatting never count) and
//! of the rules and kinds that produced the advice.

use sha2::{Digest, Sha256};

use crate::core::rules::rule_set::RuleSet;
use crate::core::spec::kinds::Kinds;
use crate::core::spec::model::Spec;

fn sha256(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in hash {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The digest of the parsed spec: two files that parse to the same spec have
/// the same digest, whatever their comments, key order or quoting.
///
/// ```
/// use statewise::{Spec, digest};
/// let a = Spec::from_yaml("version: 1\nsystem: {name: S}\ncomponents: [{name: a, kind: chat}]\n", "a")?;
/// let b = Spec::from_yaml("# same spec\nversion: 1\ncomponents:\n  - kind: chat\n    name: a\nsystem:\n  name: 'S'\n", "b")?;
/// assert_eq!(digest::spec(&a), digest::spec(&b));
/// # Ok::<(), statewise::Error>(())
/// ```
pub fn spec(spec: &Spec) -> String {
    sha256(serde_json::to_string(spec).unwrap_or_default().as_bytes())
}

/// The digest of what the rules and kinds say: ids, sides, weights and
/// conditions of every rule, and every kind's defaults. Texts (reasons,
/// advice) are left out: rewording a rule does not change any advice.
pub fn rules(rules: &RuleSet, kinds: &Kinds) -> String {
    let mut canonical = String::new();
    for r in rules.rules() {
        canonical.push_str(&format!("{}|{}|{}|{}\n", r.id, r.favors, r.weight, r.when));
    }
    for kind in crate::core::spec::values::Kind::ALL {
        let defaults = serde_json::to_string(kinds.defaults(*kind)).unwrap_or_default();
        canonical.push_str(&format!("{kind}|{defaults}\n"));
    }
    sha256(canonical.as_bytes())
}

/// A fingerprint of the built-in rule and kinds files as embedded, for
/// `--version`: FNV-1a over their bytes, cheap enough to compute at start.
pub fn builtin_files() -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let files = crate::core::rules::rule_set::BUILTIN_RULES
        .iter()
        .map(|(_, text)| *text)
        .chain(std::iter::once(crate::core::spec::kinds::KINDS_YAML));
    for text in files {
        for b in text.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("fnv1a64:{hash:016x}")
}

/// A short form of a digest for people: the first 12 hex digits.
pub fn short(digest: &str) -> &str {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    &hex[..hex.len().min(12)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_digest_changes_with_meaning_only() {
        let parse = |t: &str| Spec::from_yaml(t, "s").unwrap();
        let a = parse("version: 1\nsystem: {name: S}\ncomponents: [{name: a, latency_ms: 20}]\n");
        let b = parse(
            "version: 1\nsystem: {name: S}\ncomponents: [{name: a, latency_ms: 20.0}]  # x\n",
        );
        let c = parse("version: 1\nsystem: {name: S}\ncomponents: [{name: a, latency_ms: 21}]\n");
        assert_eq!(spec(&a), spec(&b));
        assert_ne!(spec(&a), spec(&c));
        assert!(spec(&a).starts_with("sha256:") && spec(&a).len() == 71);
    }

    #[test]
    fn rules_digest_is_stable_and_sensitive_to_weights() {
        let builtin = RuleSet::builtin();
        assert_eq!(
            rules(&builtin, Kinds::builtin()),
            rules(&RuleSet::builtin(), Kinds::builtin())
        );
        let one = crate::core::rules::rule_set::Source {
            name: "r.yaml".into(),
            bytes: b"- {id: a, title: t, when: {realtime: bidirectional}, favors: stateful, weight: 3, because: b}\n".to_vec(),
            builtin: false,
        };
        let heavier = crate::core::rules::rule_set::Source {
            bytes: String::from_utf8(one.bytes.clone())
                .unwrap()
                .replace("weight: 3", "weight: 4")
                .into_bytes(),
            ..crate::core::rules::rule_set::Source {
                name: "r.yaml".into(),
                bytes: vec![],
                builtin: false,
            }
        };
        let a = RuleSet::from_sources(&[one]).unwrap();
        let b = RuleSet::from_sources(&[heavier]).unwrap();
        assert_ne!(rules(&a, Kinds::builtin()), rules(&b, Kinds::builtin()));
    }
}
