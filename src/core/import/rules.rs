//! The inference table of `import` (`rules/import.yaml`): which kind a
//! workload is, from its Kubernetes object, image name or port names, and
//! which workloads are helpers rather than components. A user's file is
//! checked as it is loaded, with file, line and column.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer};

use crate::core::error::{Diagnostic, Error, Result};
use crate::core::spec::values::Kind;

/// The built-in table.
pub const IMPORT_YAML: &str = include_str!("../../../rules/import.yaml");

/// The Kubernetes object that runs a workload; Compose services have none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub(crate) enum Shape {
    Deployment,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
    /// An Argo Rollouts `Rollout`: a Deployment with progressive delivery.
    Rollout,
}

impl Shape {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Shape::Deployment => "Deployment",
            Shape::StatefulSet => "StatefulSet",
            Shape::DaemonSet => "DaemonSet",
            Shape::Job => "Job",
            Shape::CronJob => "CronJob",
            Shape::Rollout => "Rollout",
        }
    }

    pub(crate) fn parse(kind: &str) -> Option<Shape> {
        [
            Shape::Deployment,
            Shape::StatefulSet,
            Shape::DaemonSet,
            Shape::Job,
            Shape::CronJob,
            Shape::Rollout,
        ]
        .into_iter()
        .find(|s| s.as_str() == kind)
    }
}

/// A lowercase name pattern where `*` stands for any run of characters.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Pattern(String);

impl Pattern {
    pub(crate) fn matches(&self, text: &str) -> bool {
        glob(self.0.as_bytes(), text.as_bytes())
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `*` matches any run; everything else matches itself.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-*".contains(c);
        if text.is_empty() || text.chars().all(|c| c == '*') {
            return Err(de::Error::custom(format!(
                "pattern `{text}` matches everything; name part of the image or workload"
            )));
        }
        if let Some(bad) = text.chars().find(|c| !allowed(*c)) {
            return Err(de::Error::custom(format!(
                "pattern `{text}` has `{bad}`; patterns are lowercase letters, digits, `.`, `_`, `-` and `*`"
            )));
        }
        Ok(Pattern(text))
    }
}

/// One entry of `kinds:`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct KindRule {
    pub(crate) kind: Kind,
    pub(crate) workloads: Vec<Shape>,
    pub(crate) images: Vec<Pattern>,
    pub(crate) ports: Vec<Pattern>,
    pub(crate) types: Vec<Pattern>,
    pub(crate) keeps_state: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKindRule {
    kind: Kind,
    #[serde(default)]
    workloads: Vec<Shape>,
    #[serde(default)]
    images: Vec<Pattern>,
    #[serde(default)]
    ports: Vec<Pattern>,
    #[serde(default)]
    types: Vec<Pattern>,
    #[serde(default)]
    keeps_state: bool,
}

impl<'de> Deserialize<'de> for KindRule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let raw = RawKindRule::deserialize(d)?;
        if raw.workloads.is_empty()
            && raw.images.is_empty()
            && raw.ports.is_empty()
            && raw.types.is_empty()
        {
            return Err(de::Error::custom(format!(
                "the entry for `{}` matches nothing; give it `workloads`, `images`, `ports` or `types`",
                raw.kind
            )));
        }
        Ok(KindRule {
            kind: raw.kind,
            workloads: raw.workloads,
            images: raw.images,
            ports: raw.ports,
            types: raw.types,
            keeps_state: raw.keeps_state,
        })
    }
}

/// One entry of `helpers:`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct HelperRule {
    pub(crate) reason: String,
    pub(crate) names: Vec<Pattern>,
    pub(crate) images: Vec<Pattern>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHelperRule {
    reason: String,
    #[serde(default)]
    names: Vec<Pattern>,
    #[serde(default)]
    images: Vec<Pattern>,
}

impl<'de> Deserialize<'de> for HelperRule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let raw = RawHelperRule::deserialize(d)?;
        if raw.names.is_empty() && raw.images.is_empty() {
            return Err(de::Error::custom(format!(
                "the helper `{}` matches nothing; give it `names` or `images`",
                raw.reason
            )));
        }
        if raw.reason.trim().is_empty() {
            return Err(de::Error::custom("a helper needs a `reason`"));
        }
        Ok(HelperRule {
            reason: raw.reason,
            names: raw.names,
            images: raw.images,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    kinds: Vec<KindRule>,
    #[serde(default)]
    helpers: Vec<HelperRule>,
}

/// What a workload looks like to the table.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Subject<'a> {
    pub(crate) name: &'a str,
    pub(crate) shape: Option<Shape>,
    pub(crate) image: Option<&'a str>,
    pub(crate) ports: &'a [String],
    /// The `spec.type` of a Backstage entity.
    pub(crate) entity_type: Option<&'a str>,
}

/// Why a kind was chosen: the entry that matched and on what.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Matched {
    Workload(Shape),
    Image(String),
    Port(String),
    Type(String),
}

/// The loaded table: the user's entries first, then the built-in ones.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportRules {
    pub(crate) kinds: Vec<KindRule>,
    pub(crate) helpers: Vec<HelperRule>,
}

impl ImportRules {
    /// The built-in table.
    pub fn builtin() -> Result<ImportRules> {
        ImportRules::from_yaml(IMPORT_YAML, "rules/import.yaml")
    }

    /// Parses one table file.
    pub fn from_yaml(text: &str, file: &str) -> Result<ImportRules> {
        let parsed: File = serde_yaml::from_str(text)
            .map_err(|e| Error::Rules(Box::new(Diagnostic::from_yaml(file, text, &e))))?;
        Ok(ImportRules {
            kinds: parsed.kinds,
            helpers: parsed.helpers,
        })
    }

    /// This table with `first`'s entries tried before its own.
    pub fn after(self, first: ImportRules) -> ImportRules {
        let mut kinds = first.kinds;
        kinds.extend(self.kinds);
        let mut helpers = first.helpers;
        helpers.extend(self.helpers);
        ImportRules { kinds, helpers }
    }

    /// The first kind entry that holds for `s`, and what it matched on.
    pub(crate) fn kind(&self, s: Subject<'_>) -> Option<(&KindRule, Matched)> {
        let image = s.image.map(image_name);
        self.kinds.iter().find_map(|rule| {
            let mut matched = None;
            if !rule.workloads.is_empty() {
                let shape = s.shape.filter(|sh| rule.workloads.contains(sh))?;
                matched = Some(Matched::Workload(shape));
            }
            if !rule.images.is_empty() {
                let name = image
                    .as_deref()
                    .filter(|n| rule.images.iter().any(|p| p.matches(n)))?;
                matched = Some(Matched::Image(name.to_owned()));
            }
            if !rule.ports.is_empty() {
                let port = s
                    .ports
                    .iter()
                    .find(|port| rule.ports.iter().any(|p| p.matches(&port.to_lowercase())))?;
                matched = Some(Matched::Port(port.clone()));
            }
            if !rule.types.is_empty() {
                let t = s
                    .entity_type
                    .map(str::to_lowercase)
                    .filter(|t| rule.types.iter().any(|p| p.matches(t)))?;
                matched = Some(Matched::Type(t));
            }
            matched.map(|m| (rule, m))
        })
    }

    /// The reason `s` is a helper, when a helper entry matches it.
    pub(crate) fn helper(&self, s: Subject<'_>) -> Option<&str> {
        let image = s.image.map(image_name);
        let name = s.name.to_lowercase();
        self.helpers
            .iter()
            .find(|h| {
                h.names.iter().any(|p| p.matches(&name))
                    || image
                        .as_deref()
                        .is_some_and(|i| h.images.iter().any(|p| p.matches(i)))
            })
            .map(|h| h.reason.as_str())
    }
}

/// The name of an image: its last path part without registry, tag or
/// digest, lowercase (`docker.io/bitnami/postgresql:16@sha256:...` →
/// `postgresql`).
pub(crate) fn image_name(image: &str) -> String {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    let no_tag = last.split(':').next().unwrap_or(last);
    no_tag.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject<'a>(name: &'a str, image: &'a str) -> Subject<'a> {
        Subject {
            name,
            shape: Some(Shape::Deployment),
            image: Some(image),
            ports: &[],
            entity_type: None,
        }
    }

    #[test]
    fn builtin_table_parses_and_infers_the_usual_images() {
        let rules = ImportRules::builtin().unwrap();
        let kind = |image: &str| rules.kind(subject("x", image)).map(|(r, _)| r.kind);
        assert_eq!(kind("redis:7-alpine"), Some(Kind::Cache));
        assert_eq!(
            kind("docker.io/bitnami/postgresql:16"),
            Some(Kind::Database)
        );
        assert_eq!(
            kind("confluentinc/cp-kafka:7.6.0"),
            Some(Kind::MessageBroker)
        );
        assert_eq!(kind("nginx@sha256:abc"), Some(Kind::Gateway));
        assert_eq!(
            kind("opensearchproject/opensearch:2"),
            Some(Kind::SearchIndex)
        );
        assert_eq!(kind("opensearchproject/opensearch-dashboards:2"), None);
        assert_eq!(kind("ghcr.io/acme/cart:1.4"), None);
        let cron = Subject {
            shape: Some(Shape::CronJob),
            ..subject("backup", "postgres:16")
        };
        assert_eq!(rules.kind(cron).map(|(r, _)| r.kind), Some(Kind::BatchJob));
        let grpc = ["grpc".to_owned()];
        let by_port = Subject {
            ports: &grpc,
            ..subject("cart", "acme/cart")
        };
        assert_eq!(
            rules.kind(by_port).map(|(r, m)| (r.kind, m)),
            Some((Kind::GrpcApi, Matched::Port("grpc".into())))
        );
        assert_eq!(
            rules.helper(subject("loadgenerator", "acme/lg")),
            Some("a load generator")
        );
        assert_eq!(rules.helper(subject("cart", "acme/cart")), None);
    }

    #[test]
    fn globs_match_runs() {
        let p = |s: &str| Pattern(s.to_owned());
        assert!(p("redis*").matches("redis"));
        assert!(p("*-kafka").matches("cp-kafka"));
        assert!(!p("*-kafka").matches("kafka"));
        assert!(p("a*b*c").matches("axxbyyc"));
        assert!(!p("a*b*c").matches("axxbyy"));
    }

    #[test]
    fn bad_tables_are_located() {
        let err = ImportRules::from_yaml("kinds:\n  - kind: cach\n    images: [redis]\n", "t.yaml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("t.yaml:2:"), "{err}");
        assert!(err.contains("did you mean `cache`"), "{err}");
        let err =
            ImportRules::from_yaml("kinds:\n  - kind: cache\n    images: [Redis]\n", "t.yaml")
                .unwrap_err()
                .to_string();
        assert!(err.starts_with("t.yaml:3:"), "{err}");
        let err = ImportRules::from_yaml("kinds:\n  - kind: cache\n", "t.yaml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("matches nothing"), "{err}");
        assert!(err.starts_with("t.yaml:2:"), "{err}");
        let err = ImportRules::from_yaml("kind:\n  - kind: cache\n", "t.yaml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean `kinds`"), "{err}");
        let err =
            ImportRules::from_yaml("kinds:\n  - kind: cache\n    workloads: [Cronjob]\n", "t")
                .unwrap_err()
                .to_string();
        assert!(err.contains("Cronjob"), "{err}");
    }
}
