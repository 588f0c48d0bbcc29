//! The kinds of component and the criteria each implies, read from the
//! embedded `rules/kinds.yaml`.

use std::collections::BTreeMap;
use std::sync::{LazyLock, OnceLock};

use serde::Deserialize;

use crate::core::error::{Diagnostic, Error, Result};
use crate::core::spec::model::Criteria;
use crate::core::spec::values::Kind;

/// The built-in kinds file.
pub const KINDS_YAML: &str = include_str!("../../../rules/kinds.yaml");

/// What the kinds file says about one kind.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindInfo {
    /// One line saying what the kind is.
    pub summary: String,
    /// The criteria it implies; a component's own values win.
    #[serde(default)]
    pub defaults: Criteria,
}

/// Every kind with its summary and defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Kinds {
    by_kind: BTreeMap<Kind, KindInfo>,
}

impl Kinds {
    /// The built-in kinds, parsed once.
    pub fn builtin() -> &'static Kinds {
        static KINDS: OnceLock<Kinds> = OnceLock::new();
        KINDS.get_or_init(|| match Kinds::from_yaml(KINDS_YAML, "rules/kinds.yaml") {
            Ok(k) => k,
            // The file is ours and a unit test parses it; an error here is a
            // build mistake, not user input.
            Err(e) => panic!("built-in kinds file is invalid: {e}"),
        })
    }

    /// Parses a kinds file; every kind of the contract must be present.
    pub fn from_yaml(text: &str, file: &str) -> Result<Kinds> {
        let by_kind: BTreeMap<Kind, KindInfo> = serde_yaml::from_str(text)
            .map_err(|e| Error::Rules(Box::new(Diagnostic::from_yaml(file, text, &e))))?;
        let missing: Vec<&str> = Kind::ALL
            .iter()
            .filter(|k| !by_kind.contains_key(k))
            .map(|k| k.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(Error::Rules(Box::new(Diagnostic::new(
                file,
                format!("kinds file lacks {}", missing.join(", ")),
            ))));
        }
        Ok(Kinds { by_kind })
    }

    /// The defaults of `kind`.
    pub fn defaults(&self, kind: Kind) -> &Criteria {
        // A kind missing from the map implies nothing (the loader refuses
        // such a file, so this is only a fallback).
        static EMPTY: LazyLock<Criteria> = LazyLock::new(Criteria::default);
        self.by_kind.get(&kind).map_or(&EMPTY, |i| &i.defaults)
    }

    /// Every kind, the most common first and `other` last: the order a
    /// person scanning the list for theirs wants.
    pub fn common_order() -> Vec<Kind> {
        const COMMON: &[&str] = &[
            "rest-api",
            "web-frontend",
            "database",
            "worker",
            "cache",
            "message-broker",
            "gateway",
            "auth",
            "graphql-api",
            "grpc-api",
            "serverless-function",
            "batch-job",
            "websocket-gateway",
            "chat",
            "session-store",
            "search-index",
            "object-store",
            "cart",
            "stream-processor",
            "rate-limiter",
            "presence",
            "media-streaming",
            "media-server",
            "collaborative-editor",
            "game-server",
            "trading",
        ];
        let mut order: Vec<Kind> = COMMON.iter().filter_map(|k| Kind::parse(k)).collect();
        order.extend(
            Kind::ALL
                .iter()
                .filter(|k| **k != Kind::Other && !order.contains(k))
                .copied()
                .collect::<Vec<_>>(),
        );
        order.push(Kind::Other);
        order
    }

    /// The one-line summary of `kind`.
    pub fn summary(&self, kind: Kind) -> &str {
        self.by_kind.get(&kind).map_or("", |i| i.summary.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec::values::{Realtime, Session};

    #[test]
    fn builtin_kinds_cover_every_kind_with_a_summary() {
        let kinds = Kinds::builtin();
        for kind in Kind::ALL {
            assert!(!kinds.summary(*kind).is_empty(), "{kind} has no summary");
        }
    }

    #[test]
    fn the_contract_examples_hold() {
        let kinds = Kinds::builtin();
        assert_eq!(kinds.defaults(Kind::Database).transactions, Some(true));
        assert_eq!(
            kinds.defaults(Kind::Chat).realtime,
            Some(Realtime::Bidirectional)
        );
        let f = kinds.defaults(Kind::ServerlessFunction);
        assert_eq!(f.session, Some(Session::None));
        assert_eq!(
            f.traffic,
            Some(crate::core::spec::values::Traffic::Unpredictable)
        );
    }

    #[test]
    fn the_common_order_holds_every_kind_once_with_other_last() {
        let order = Kinds::common_order();
        assert_eq!(order.len(), Kind::ALL.len());
        for kind in Kind::ALL {
            assert_eq!(order.iter().filter(|k| *k == kind).count(), 1, "{kind}");
        }
        assert_eq!(order.first(), Some(&Kind::RestApi));
        assert_eq!(order.last(), Some(&Kind::Other));
    }

    #[test]
    fn a_missing_kind_is_reported() {
        let err = Kinds::from_yaml("chat: {summary: x}\n", "k.yaml").unwrap_err();
        assert!(err.to_string().contains("lacks rest-api"));
    }
}
