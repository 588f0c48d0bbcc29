//! Waivers: a component's `waivers: [{rule, reason}]`, each of which waives
//! one kind of `check` finding for that component. The reason is the point
//! of a waiver, so a missing or blank one is an error at its line.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// One waived finding: the check rule it waives, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The id of the `check` finding it waives (`decision-contradicts-advice`).
    pub rule: WaivedRule,
    /// Why the finding does not apply; never blank.
    pub reason: WaiverReason,
    /// In the system's waivers: the one workload of the deployment files it
    /// is about (`workload-without-component`); without it, every one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<crate::core::spec::values::Name>,
}

/// The id of a `check` rule: lowercase letters, digits and single hyphens.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct WaivedRule(String);

impl WaivedRule {
    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for WaivedRule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = WaivedRule;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the id of a check finding, such as `decision-contradicts-advice`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WaivedRule, E> {
                if crate::core::text::is_kebab_case(v) {
                    Ok(WaivedRule(v.to_owned()))
                } else {
                    Err(E::custom(format!(
                        "`{}` is not a check rule id; a waiver names the id a finding prints, such as `decision-contradicts-advice`",
                        crate::core::escape::line(v)
                    )))
                }
            }
        }
        d.deserialize_str(V)
    }
}

/// Why a finding is waived: text that is not blank.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct WaiverReason(String);

impl WaiverReason {
    /// The reason as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for WaiverReason {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = WaiverReason;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the reason the finding is waived")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WaiverReason, E> {
                if v.trim().is_empty() {
                    Err(E::custom(
                        "a waiver's `reason` cannot be blank; say why the finding does not apply",
                    ))
                } else {
                    Ok(WaiverReason(v.to_owned()))
                }
            }
            fn visit_unit<E: de::Error>(self) -> Result<WaiverReason, E> {
                self.visit_str("")
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rule_ids_are_kebab_case() {
        assert!(crate::core::text::is_kebab_case("no-adr"));
        assert!(crate::core::text::is_kebab_case("spec-changed-since-adr"));
        for bad in ["", "No-adr", "no--adr", "-no", "no-", "no adr", "no_adr"] {
            assert!(!crate::core::text::is_kebab_case(bad), "{bad}");
        }
    }
}
