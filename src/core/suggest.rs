//! "Did you mean" suggestions: the nearest allowed word by edit distance, and
//! the rewriting of serde's unknown-field and unknown-variant messages into
//! ones that name the fix.

/// Levenshtein distance between two strings, counted in characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate nearest to `word`, if it is near enough to be a likely typo.
pub(crate) fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// A message with an optional help line.
pub(crate) struct Rewritten {
    pub message: String,
    pub help: Option<String>,
}

/// Turns serde's `unknown field `x`, expected one of `a`, `b`` (and the same
/// for variants) into a message with the nearest name and a help line listing
/// what is allowed. Other messages pass through unchanged.
pub(crate) fn rewrite(message: &str) -> Rewritten {
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
    fn distance_counts_edits() {
        assert_eq!(edit_distance("latncy_ms", "latency_ms"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn nearest_ignores_far_words() {
        assert_eq!(
            nearest("latncy_ms", &["name", "latency_ms"]),
            Some("latency_ms")
        );
        assert_eq!(nearest("zzzzzz", &["name", "latency_ms"]), None);
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
