//! Text helpers every layer shares: numbers as people and YAML write them,
//! a confidence with two decimals, a sentence's first letter lowered for
//! use mid-sentence, and the nearest word for "did you mean". One place, so every output says a number the same
//! way.

/// A number as YAML that reads back to exactly the same value: whole
/// numbers as integers, very large or small ones in exponent form, the rest
/// in the shortest decimal form.
pub fn yaml_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1.0e15 {
        format!("{}", v as i64)
    } else if v != 0.0 && (v.abs() >= 1.0e15 || v.abs() < 1.0e-4) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// A number as a person would write it.
pub fn show_number(v: f64) -> String {
    if v.is_finite() && v != 0.0 && (v.abs() >= 1.0e15 || v.abs() < 1.0e-3) {
        format!("{v:e}")
    } else if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
        format!("{}", v as i64)
    } else if v.is_finite() {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        format!("{v}")
    }
}

/// Lowercases the first letter for use mid-sentence, unless the first word
/// is an acronym (`REST`, `API`).
/// Lowercase letters and digits in parts joined by single hyphens, as rule
/// ids are written (`owns-state-by-nature`).
pub fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Words joined as prose: `a`, `a and b`, `a, b and c`.
pub fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", rest.join(", "), last.as_ref())
        }
    }
}

pub fn lower_first(s: &str) -> String {
    let first_word = s.split(' ').next().unwrap_or_default();
    let acronym = first_word.chars().count() > 1 && first_word.chars().all(|c| !c.is_lowercase());
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if !acronym => c.to_lowercase().chain(chars).collect(),
        _ => s.to_owned(),
    }
}

/// The text with its first letter in upper case.
pub fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A confidence as two decimals.
pub fn confidence(c: f64) -> String {
    format!("{c:.2}")
}

/// A number with thousands separators and at most one decimal.
pub fn amount(v: f64) -> String {
    let rounded = if v.fract().abs() < 0.05 || v >= 100.0 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    };
    let (int, frac) = rounded.split_once('.').unwrap_or((&rounded, ""));
    let digits: Vec<char> = int.chars().collect();
    let mut out = String::new();
    for (i, d) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) && *d != '-' {
            out.push(',');
        }
        out.push(*d);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// The candidate nearest to `word` by edit distance (in characters), if it
/// is near enough to be a likely typo: "did you mean" in every message.
pub fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(word, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_first_keeps_acronyms() {
        assert_eq!(lower_first("Traffic surges"), "traffic surges");
        assert_eq!(lower_first("REST calls"), "REST calls");
        assert_eq!(lower_first("A live channel"), "a live channel");
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(show_number(40.0), "40");
        assert_eq!(show_number(0.125), "0.125");
        assert_eq!(show_number(99.95), "99.95");
        assert_eq!(yaml_number(1.0e20), "1e20");
        assert_eq!(confidence(0.7), "0.70");
    }

    #[test]
    fn amounts_read_well() {
        assert_eq!(amount(312.4), "312");
        assert_eq!(amount(1234567.0), "1,234,567");
        assert_eq!(amount(6.55), "6.5");
        assert_eq!(amount(2.0), "2");
    }

    #[test]
    fn nearest_ignores_far_words() {
        assert_eq!(
            nearest("latncy_ms", &["name", "latency_ms"]),
            Some("latency_ms")
        );
        assert_eq!(nearest("zzzzzz", &["name", "latency_ms"]), None);
    }
}
