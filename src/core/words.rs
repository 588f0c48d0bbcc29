//! Facts in words, for prose: "a p99 budget of 150 ms", "250,000 clients at
//! the peak", "rebuilding takes 60% of the 150 ms budget". Every output that
//! writes a fact into a sentence uses these, so a fact reads the same in a
//! record, a summary and a question, and no raw field name reaches prose.
//! Numbers come from `text.rs`: as given where a person wrote them
//! (availability 99.95%), with thousands separators where they are counts.

use crate::core::assumptions::Assumption;
use crate::core::facts::{Facts, Value};
use crate::core::spec::field::Field;
use crate::core::text::{amount, and_list, yaml_number};

/// `field`'s fact as a phrase, or `None` for a fact with nothing to say
/// (an unset number, the kind). `facts` gives the other facts a derived one
/// is worded with.
pub fn fact(field: Field, value: Value, facts: &Facts) -> Option<String> {
    let number = value.as_number();
    let word = match value {
        Value::Word(w) => Some(w),
        _ => None,
    };
    let flag = value == Value::Bool(true);
    let budget = || facts.get(Field::LatencyMs).and_then(Value::as_number);
    Some(match field {
        Field::Kind => return None,
        Field::Realtime => match word? {
            "bidirectional" => "a live two-way channel per client".to_owned(),
            "server-push" => "pushes events to connected clients".to_owned(),
            _ => "no live channel".to_owned(),
        },
        Field::Traffic => match word? {
            "unpredictable" => "traffic that can surge without warning".to_owned(),
            "predictable-peaks" => "peaks known in advance".to_owned(),
            _ => "steady traffic".to_owned(),
        },
        Field::Session => match word? {
            "per-user" => "a session per user".to_owned(),
            "per-connection" => "a session per connection".to_owned(),
            _ => "no session".to_owned(),
        },
        Field::SharedState if flag => "clients act on shared live state".to_owned(),
        Field::SharedState => "no shared live state".to_owned(),
        Field::Transactions if flag => "owns transactions and locks".to_owned(),
        Field::Transactions => "no transactions".to_owned(),
        Field::LatencyMs => format!("a p99 budget of {} ms", amount(number?)),
        Field::ContextRebuildMs => {
            format!("{} ms to rebuild a client's context", amount(number?))
        }
        Field::ConcurrentClients => format!("{} clients at the peak", amount(number?)),
        Field::StateKbPerClient => format!("{} KiB of state per client", amount(number?)),
        Field::MemoryBudgetMb => format!("a memory budget of {} MiB", amount(number?)),
        Field::Availability => format!("a {}% availability target", yaml_number(number?)),
        Field::RequestContextKb => format!(
            "{} KiB of context per request if the client carried it",
            amount(number?)
        ),
        Field::StateMemoryMb => format!("about {} MiB of client state in all", amount(number?)),
        Field::MemoryHeadroom => {
            let h = number?;
            if h < 1.0 {
                "more client state than the memory budget".to_owned()
            } else {
                format!("the budget leaves {}× headroom", amount(h))
            }
        }
        Field::StateLocation => {
            let places: Vec<&str> = value.words().into_iter().filter_map(place).collect();
            if places.is_empty() {
                "keeps no state today".to_owned()
            } else {
                format!("keeps its state in {} today", and_list(&places))
            }
        }
        Field::Recovery => {
            let words = value.words();
            let ways: Vec<&str> = words.iter().copied().filter_map(recovery_way).collect();
            let disposable = words.contains(&"disposable");
            match (ways.is_empty(), disposable) {
                (true, true) => "its state is harmless to lose".to_owned(),
                (true, false) => {
                    "nothing recovers its in-memory state if an instance is lost".to_owned()
                }
                (false, false) => format!("recovers its state from {}", and_list(&ways)),
                (false, true) => format!(
                    "recovers its state from {}, and losing it is harmless",
                    and_list(&ways)
                ),
            }
        }
        Field::KeyedState => match word? {
            "aggregate" => "running aggregates per key (counts, windows, joins)".to_owned(),
            "index" => "an index or registry it owns in memory".to_owned(),
            "routing" => "a routing table of which instance holds which key".to_owned(),
            _ => "no state per key".to_owned(),
        },
        Field::StateWritesPerS => format!("{} writes a second to its state", amount(number?)),
        Field::Affinity => match word? {
            "per-client" => "each client's requests must reach one instance".to_owned(),
            "per-key" => "requests for one key must meet on one instance".to_owned(),
            "single-writer" => "every write goes through one instance".to_owned(),
            _ => "no affinity: any instance serves any request".to_owned(),
        },
        Field::ClientMayHoldState if flag => "the client may carry its context".to_owned(),
        Field::ClientMayHoldState => "the client must not hold the context".to_owned(),
        Field::BandwidthKbps => format!("{} kbit/s per client", amount(number?)),
        Field::ConnectionsPerInstance => {
            format!("{} clients per instance", amount(number?))
        }
        Field::InstancesNeeded => format!("{} instances at the peak", amount(number?)),
        Field::WritesPerClientPerS => {
            format!("{} writes a second per client", amount(number?))
        }
        Field::DependentsAvailability => format!(
            "components that depend on it target up to {}% availability",
            yaml_number(number?)
        ),
        Field::DependsOnStateful if flag => "depends on a component that keeps state".to_owned(),
        Field::DependsOnStateful => "depends on no component that keeps state".to_owned(),
        Field::DeployedWorkload => match word? {
            "statefulset" => "deployed as a StatefulSet".to_owned(),
            "daemonset" => "deployed as a DaemonSet, one per node".to_owned(),
            "job" => "deployed as a Job".to_owned(),
            "cronjob" => "deployed as a CronJob".to_owned(),
            "compose-service" => "deployed as a Compose service".to_owned(),
            "rollout" => "deployed as an Argo Rollout".to_owned(),
            _ => "deployed as a Deployment".to_owned(),
        },
        Field::DeployedReplicas => {
            let n = number?;
            let s = if n == 1.0 { "" } else { "s" };
            format!("deployed with {} fixed replica{s}", amount(n))
        }
        Field::DeployedAutoscaled if flag => "deployed with an autoscaler".to_owned(),
        Field::DeployedAutoscaled => "deployed with no autoscaler".to_owned(),
        Field::DeployedPersistentStorage if flag => "deployed with a persistent volume".to_owned(),
        Field::DeployedPersistentStorage => "deployed with no persistent volume".to_owned(),
        Field::DeployedAffinity => match word? {
            "per-client" => "the deployment pins each client to one instance".to_owned(),
            "per-key" => "the deployment routes each key to one instance".to_owned(),
            _ => "the deployment pins no requests".to_owned(),
        },
        Field::RebuildShare => match budget() {
            Some(ms) => format!(
                "rebuilding takes {}% of the {} ms budget",
                amount(number? * 100.0),
                amount(ms)
            ),
            None => format!(
                "rebuilding takes {}% of the budget",
                amount(number? * 100.0)
            ),
        },
    })
}

/// Where a `state_location` word says state lives, in words; `None` for
/// `none`.
pub fn place(word: &str) -> Option<&'static str> {
    match word {
        "memory" => Some("its own process memory"),
        "local-disk" => Some("its own disk"),
        "external-store" => Some("an external store"),
        "client" => Some("the client"),
        _ => None,
    }
}

/// What a `recovery` word recovers state from, in words; `None` for `none`
/// and `disposable`, which recover nothing.
pub fn recovery_way(word: &str) -> Option<&'static str> {
    match word {
        "checkpoint" => Some("a checkpoint"),
        "journal" => Some("a journal of changes"),
        "replay" => Some("replayed events"),
        "replicas" => Some("live replicas"),
        "rebuild" => Some("another component"),
        "from-clients" => Some("what its clients send again"),
        _ => None,
    }
}

/// `n` with the right form of `one` or `many`: "1 rule", "3 rules".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", amount(n as f64), if n == 1 { one } else { many })
}

/// An assumption in words: "`traffic` is assumed `steady` (nobody stated
/// it); `unpredictable` would make it hybrid".
pub fn assumption(a: &Assumption) -> String {
    format!(
        "`{}` is assumed `{}` (nobody stated it); `{}` would make it {}",
        a.field.name(),
        a.assumed,
        a.when,
        a.would_flip_to
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::spec::kinds::Kinds;
    use crate::core::spec::model::Spec;

    /// The facts of one component given as the inside of a flow mapping
    /// (`kind: chat, latency_ms: 40`), with the built-in kinds.
    pub(crate) fn facts(yaml: &str) -> Facts {
        let spec = Spec::from_yaml(
            &format!("version: 1\nsystem: {{name: S}}\ncomponents:\n  - {{name: a, {yaml}}}\n"),
            "s.yaml",
        )
        .expect("valid spec");
        Facts::of(&spec.components[0], Kinds::builtin())
    }

    fn say(f: &Facts, field: Field) -> String {
        fact(field, f.get(field).expect("set"), f).expect("worded")
    }

    #[test]
    fn facts_read_as_people_write_them() {
        let f = facts(
            "latency_ms: 150, context_rebuild_ms: 90, concurrent_clients: 250000, state_kb_per_client: 24, memory_budget_mb: 24576, availability: 99.95",
        );
        assert_eq!(say(&f, Field::Availability), "a 99.95% availability target");
        assert_eq!(
            say(&f, Field::ConcurrentClients),
            "250,000 clients at the peak"
        );
        assert_eq!(
            say(&f, Field::RebuildShare),
            "rebuilding takes 60% of the 150 ms budget"
        );
        assert_eq!(
            say(&f, Field::MemoryHeadroom),
            "the budget leaves 4.2× headroom"
        );
        assert_eq!(
            say(&f, Field::StateMemoryMb),
            "about 5,859 MiB of client state in all"
        );
        let f = facts("availability: 99.9999");
        assert_eq!(
            say(&f, Field::Availability),
            "a 99.9999% availability target"
        );
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(count(1, "rule", "rules"), "1 rule");
        assert_eq!(count(1200, "rule", "rules"), "1,200 rules");
    }
}
