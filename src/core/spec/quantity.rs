//! Numbers as people type them: `99.95%`, `200ms`, `1.5s`, `2GB`,
//! `512 MiB`, `4k`, `40,000`. A typed quantity is read in the unit of the
//! field it answers (the catalogue's [`Field::unit`]) and given back as the
//! plain number the spec holds, so the spec format stays plain numbers.
//! Pure: `ask` calls it on each answer and echoes what it made of it.

use crate::core::spec::field::Field;

/// What a field's number measures, from its unit in the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measure {
    /// Milliseconds.
    Millis,
    /// KiB.
    Kib,
    /// MiB.
    Mib,
    /// Percent.
    Percent,
    /// Events per second.
    PerSecond,
    /// kbit/s.
    Kbps,
    /// A plain count or number.
    Plain,
}

impl Measure {
    fn of(field: Field) -> Measure {
        match field.unit().trim() {
            "ms" => Measure::Millis,
            "KiB" => Measure::Kib,
            "MiB" => Measure::Mib,
            "%" => Measure::Percent,
            "/s" => Measure::PerSecond,
            "kbit/s" => Measure::Kbps,
            _ => Measure::Plain,
        }
    }

    /// What to type, for the hint on anything else.
    fn hint(self) -> &'static str {
        match self {
            Measure::Millis => "a duration in ms, or with a unit: 200, 200ms, 1.5s",
            Measure::Kib => "a size in KiB, or with a unit: 64, 512B, 2MB, 1.5 MiB",
            Measure::Mib => "a size in MiB, or with a unit: 512, 512 MiB, 2GB",
            Measure::Percent => "a percentage: 99.9 or 99.95%",
            Measure::PerSecond => "a rate per second: 200, 4k, 4k/s, 12000/min",
            Measure::Kbps => "kbit/s, or with a unit: 64, 500kbps, 2Mbps, 1MB/s",
            Measure::Plain => "a number: 5000, 4k, 40,000, 2M",
        }
    }

    /// The factor that turns one `unit` into this measure's unit; units
    /// are matched without case, except `M` (mega) against `m` (minutes,
    /// milli) where it matters.
    fn factor(self, unit: &str) -> Option<f64> {
        let lower = unit.to_lowercase();
        let count = |u: &str| match u {
            "" => Some(1.0),
            "k" | "K" => Some(1e3),
            "M" | "m" | "mio" => Some(1e6),
            "B" | "bn" => Some(1e9),
            _ => None,
        };
        match self {
            Measure::Millis => match lower.as_str() {
                "" | "ms" | "msec" | "millis" | "milliseconds" => Some(1.0),
                "us" | "µs" | "μs" => Some(1e-3),
                "ns" => Some(1e-6),
                "s" | "sec" | "secs" | "second" | "seconds" => Some(1e3),
                "min" | "mins" | "minute" | "minutes" => Some(60e3),
                "h" | "hr" | "hour" | "hours" => Some(3600e3),
                _ => None,
            },
            Measure::Kib | Measure::Mib => {
                let kib = match lower.trim_end_matches("ytes").trim_end_matches("yte") {
                    "b" => Some(1.0 / 1024.0),
                    "" if self == Measure::Kib => Some(1.0),
                    "" => Some(1024.0),
                    "k" | "kb" | "kib" => Some(1.0),
                    "m" | "mb" | "mib" => Some(1024.0),
                    "g" | "gb" | "gib" => Some(1024.0 * 1024.0),
                    "t" | "tb" | "tib" => Some(1024.0 * 1024.0 * 1024.0),
                    _ => None,
                }?;
                Some(if self == Measure::Mib {
                    kib / 1024.0
                } else {
                    kib
                })
            }
            Measure::Percent => matches!(lower.as_str(), "" | "%").then_some(1.0),
            Measure::PerSecond => {
                let (n, per) = match unit.split_once('/') {
                    Some((n, per)) => (n.trim(), per.trim().to_lowercase()),
                    None => (unit, "s".to_owned()),
                };
                let per = match per.as_str() {
                    "s" | "sec" | "second" => 1.0,
                    "min" | "minute" | "m" => 60.0,
                    "h" | "hr" | "hour" => 3600.0,
                    _ => return None,
                };
                let n = match n.to_lowercase().as_str() {
                    "writes" | "write" | "events" | "ops" => Some(1.0),
                    _ => count(n),
                }?;
                Some(n / per)
            }
            Measure::Kbps => match unit {
                "B/s" => Some(8e-3),
                "KB/s" | "kB/s" | "KiB/s" => Some(8.0),
                "MB/s" | "MiB/s" => Some(8e3),
                "GB/s" | "GiB/s" => Some(8e6),
                _ => match lower.as_str() {
                    "" | "k" | "kbps" | "kbit/s" | "kb/s" => Some(1.0),
                    "bps" | "bit/s" => Some(1e-3),
                    "mbps" | "mbit/s" | "mb/s" => Some(1e3),
                    "gbps" | "gbit/s" | "gb/s" => Some(1e6),
                    _ => None,
                },
            },
            Measure::Plain => count(unit),
        }
    }
}

/// Reads `text` as a number for `field`, in the field's unit: digits with
/// an optional decimal point, thousands separated by commas or
/// underscores, then an optional unit (with or without a space). Returns
/// the number in the field's unit, or the hint to show. Ranges are the
/// caller's concern.
pub fn parse_quantity(field: Field, text: &str) -> Result<f64, String> {
    let measure = Measure::of(field);
    let text = text.trim();
    let refuse = || format!("`{text}` is not understood here; type {}", measure.hint());
    let mut split = text
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '_' | '-' | '+')))
        .unwrap_or(text.len());
    // An exponent, as a spec may write a very small or large number (5e-5).
    if let Some(exp) = text[split..].strip_prefix(['e', 'E']) {
        let sign = usize::from(exp.starts_with(['-', '+']));
        let digits = exp[sign..].len()
            - exp[sign..]
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .len();
        if digits > 0 {
            split += 1 + sign + digits;
        }
    }
    let (number, unit) = text.split_at(split);
    let number = number.trim();
    if number.is_empty() {
        return Err(refuse());
    }
    let plain = if number.contains(',') {
        // Commas only as thousands separators: 40,000 or 1,250,000.5
        let (whole, frac) = number
            .split_once('.')
            .map_or((number, None), |(w, f)| (w, Some(f)));
        let mut groups = whole.split(',');
        let first = groups.next().unwrap_or_default();
        let digits = |g: &str| g.chars().all(|c| c.is_ascii_digit());
        let ok = !first.is_empty()
            && first.len() <= 3
            && digits(first.trim_start_matches(['-', '+']))
            && groups.all(|g| g.len() == 3 && digits(g));
        if !ok {
            return Err(format!(
                "`{text}`: a comma only separates thousands (40,000); a decimal takes a dot (1.5)"
            ));
        }
        let whole = whole.replace(',', "");
        match frac {
            Some(f) => format!("{whole}.{f}"),
            None => whole,
        }
    } else {
        number.replace('_', "")
    };
    let value: f64 = plain.parse().map_err(|_| refuse())?;
    let factor = measure.factor(unit.trim()).ok_or_else(refuse)?;
    let v = value * factor;
    if v.is_finite() { Ok(v) } else { Err(refuse()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(field: Field, text: &str) -> f64 {
        parse_quantity(field, text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn durations_become_milliseconds() {
        assert_eq!(ok(Field::LatencyMs, "200"), 200.0);
        assert_eq!(ok(Field::LatencyMs, "200ms"), 200.0);
        assert_eq!(ok(Field::LatencyMs, "1.5s"), 1500.0);
        assert_eq!(ok(Field::ContextRebuildMs, "250 us"), 0.25);
        assert_eq!(ok(Field::LatencyMs, "2 min"), 120_000.0);
    }

    #[test]
    fn sizes_become_the_fields_unit() {
        assert_eq!(ok(Field::MemoryBudgetMb, "2GB"), 2048.0);
        assert_eq!(ok(Field::MemoryBudgetMb, "512 MiB"), 512.0);
        assert_eq!(ok(Field::MemoryBudgetMb, "1,024"), 1024.0);
        assert_eq!(ok(Field::StateKbPerClient, "512B"), 0.5);
        assert_eq!(ok(Field::StateKbPerClient, "4k"), 4.0);
        assert_eq!(ok(Field::StateKbPerClient, "1.5 MiB"), 1536.0);
        assert_eq!(ok(Field::RequestContextKb, "2 kb"), 2.0);
    }

    #[test]
    fn percentages_counts_rates_and_bandwidth() {
        assert_eq!(ok(Field::Availability, "99.95%"), 99.95);
        assert_eq!(ok(Field::Availability, "99.9 %"), 99.9);
        assert_eq!(ok(Field::ConcurrentClients, "4k"), 4000.0);
        assert_eq!(ok(Field::ConcurrentClients, "40,000"), 40_000.0);
        assert_eq!(ok(Field::ConcurrentClients, "1_250_000"), 1_250_000.0);
        assert_eq!(ok(Field::ConnectionsPerInstance, "2M"), 2e6);
        assert_eq!(ok(Field::StateWritesPerS, "4k/s"), 4000.0);
        assert_eq!(ok(Field::StateWritesPerS, "12000/min"), 200.0);
        assert_eq!(ok(Field::BandwidthKbps, "2Mbps"), 2000.0);
        assert_eq!(ok(Field::BandwidthKbps, "500kbps"), 500.0);
        assert_eq!(ok(Field::BandwidthKbps, "1MB/s"), 8000.0);
    }

    #[test]
    fn every_number_a_spec_writes_reads_back() {
        use proptest::prelude::*;
        proptest!(|(v in 1e-9f64..1e12)| {
            let text = crate::core::text::yaml_number(v);
            prop_assert_eq!(parse_quantity(Field::LatencyMs, &text), Ok(v));
            prop_assert_eq!(parse_quantity(Field::ConcurrentClients, &text), Ok(v));
        });
        assert_eq!(ok(Field::LatencyMs, "5e-5"), 5e-5);
        assert_eq!(ok(Field::LatencyMs, "2E3 ms"), 2000.0);
        assert!(parse_quantity(Field::LatencyMs, "2e").is_err());
    }

    #[test]
    fn anything_else_gets_a_hint_with_the_unit() {
        let e = parse_quantity(Field::LatencyMs, "fast").unwrap_err();
        assert!(
            e.contains("`fast` is not understood") && e.contains("1.5s"),
            "{e}"
        );
        let e = parse_quantity(Field::Availability, "99.9 ms").unwrap_err();
        assert!(e.contains("a percentage"), "{e}");
        let e = parse_quantity(Field::LatencyMs, "2GB").unwrap_err();
        assert!(e.contains("a duration"), "{e}");
        let e = parse_quantity(Field::ConcurrentClients, "1,5").unwrap_err();
        assert!(e.contains("a decimal takes a dot"), "{e}");
        assert!(parse_quantity(Field::MemoryBudgetMb, "").is_err());
        assert!(parse_quantity(Field::MemoryBudgetMb, "1..2").is_err());
    }
}
