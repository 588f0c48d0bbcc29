//! The input model: a system and its components, as the spec file states
//! them. The values are checked while they are parsed (`values.rs`), and a
//! components list rejects an empty list and repeated names.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::core::spec::values::*;

/// The system the spec describes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct System {
    /// The system's name.
    pub name: Name,
    /// What the system does.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Who decides; copied to the ADR.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decision_makers: Vec<String>,
    /// Who was consulted; copied to the ADR.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consulted: Vec<String>,
    /// Who is informed; copied to the ADR.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub informed: Vec<String>,
    /// The deployment files (paths or globs, relative to the spec's folder)
    /// that `analyze`, `explain` and `check` read as evidence. Not
    /// serialised: where the evidence is kept is no part of the decision,
    /// so it leaves the spec's digest as it was.
    #[serde(default, skip_serializing)]
    pub deploy: Vec<Name>,
    /// `check` findings about no one component (a workload no component
    /// stands for), waived with a reason. Not serialised, like a
    /// component's waivers.
    #[serde(default, skip_serializing)]
    pub waivers: Vec<crate::core::spec::waiver::Waiver>,
}

/// The criteria of a component; every one is optional. The same type holds
/// a kind's defaults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criteria {
    /// Live channel with clients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realtime: Option<Realtime>,
    /// How load behaves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic: Option<Traffic>,
    /// p99 latency to meet, in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<Positive>,
    /// Time to rebuild a client's context per request, in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_rebuild_ms: Option<NonNegative>,
    /// Peak clients at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_clients: Option<Count>,
    /// Memory per client's state, in KiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_kb_per_client: Option<NonNegative>,
    /// Memory budget for client state, in MiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_budget_mb: Option<Positive>,
    /// Context needed across requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Session>,
    /// Several clients act on the same live state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_state: Option<bool>,
    /// Owns transactional data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transactions: Option<bool>,
    /// Availability target in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<Availability>,
    /// Context each request would carry, in KiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_context_kb: Option<NonNegative>,
    /// Where it keeps what it must remember today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_location: Option<WordSet<StateLocation>>,
    /// State kept across events for keys other than a client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyed_state: Option<KeyedState>,
    /// Peak writes per second to that state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_writes_per_s: Option<Positive>,
    /// Requests that must reach one instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Affinity>,
    /// How state in memory survives losing an instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<WordSet<Recovery>>,
    /// Whether the context may travel with the client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_may_hold_state: Option<bool>,
    /// Sustained bandwidth per client, in kbit/s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bandwidth_kbps: Option<NonNegative>,
    /// Clients one instance can serve at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connections_per_instance: Option<Count>,
}

/// One component of the system.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// Unique name.
    pub name: ComponentName,
    /// What it does.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// What it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// The other components it calls or reads from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<DependencyName>,
    /// The workload of the deployment files that runs it (default: its
    /// name). Not serialised, like `system.deploy`.
    #[serde(default, skip_serializing)]
    pub deployed_as: Option<Name>,
    /// Live channel with clients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realtime: Option<Realtime>,
    /// How load behaves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic: Option<Traffic>,
    /// p99 latency to meet, in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<Positive>,
    /// Time to rebuild a client's context per request, in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_rebuild_ms: Option<NonNegative>,
    /// Peak clients at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_clients: Option<Count>,
    /// Memory per client's state, in KiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_kb_per_client: Option<NonNegative>,
    /// Memory budget for client state, in MiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_budget_mb: Option<Positive>,
    /// Context needed across requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Session>,
    /// Several clients act on the same live state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_state: Option<bool>,
    /// Owns transactional data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transactions: Option<bool>,
    /// Availability target in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<Availability>,
    /// Context each request would carry, in KiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_context_kb: Option<NonNegative>,
    /// Where it keeps what it must remember today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_location: Option<WordSet<StateLocation>>,
    /// State kept across events for keys other than a client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyed_state: Option<KeyedState>,
    /// Peak writes per second to that state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_writes_per_s: Option<Positive>,
    /// Requests that must reach one instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Affinity>,
    /// How state in memory survives losing an instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<WordSet<Recovery>>,
    /// Whether the context may travel with the client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_may_hold_state: Option<bool>,
    /// Sustained bandwidth per client, in kbit/s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bandwidth_kbps: Option<NonNegative>,
    /// Clients one instance can serve at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connections_per_instance: Option<Count>,
    /// What the team decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Verdict>,
    /// Why the team departs from the advice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
    /// `check` findings waived for this component, each with its reason.
    /// Not serialised: waiving a finding is no change to the decision, so
    /// it leaves the spec's digest as it was.
    #[serde(default, skip_serializing)]
    pub waivers: Vec<crate::core::spec::waiver::Waiver>,
    /// The values `statewise import` wrote, as their comments cite a
    /// source; read from the text, never a key of its own.
    #[serde(skip)]
    pub imported: crate::core::spec::imported::Imported,
}

impl Component {
    /// A component with only a name.
    pub fn named(name: ComponentName) -> Self {
        Component {
            name,
            description: String::new(),
            kind: None,
            depends_on: Vec::new(),
            deployed_as: None,
            realtime: None,
            traffic: None,
            latency_ms: None,
            context_rebuild_ms: None,
            concurrent_clients: None,
            state_kb_per_client: None,
            memory_budget_mb: None,
            session: None,
            shared_state: None,
            transactions: None,
            availability: None,
            request_context_kb: None,
            state_location: None,
            keyed_state: None,
            state_writes_per_s: None,
            affinity: None,
            recovery: None,
            client_may_hold_state: None,
            bandwidth_kbps: None,
            connections_per_instance: None,
            decision: None,
            decision_reason: None,
            waivers: Vec::new(),
            imported: Default::default(),
        }
    }

    /// Sets one criterion from its text form, as a spec would write it
    /// (`None` clears it). Values out of range clear it too. The value is
    /// the team's now, no longer an imported one.
    pub fn set_criterion(&mut self, field: crate::core::spec::field::Field, value: Option<&str>) {
        use crate::core::spec::field::Field;
        let num = |v: Option<&str>| v.and_then(|t| t.parse::<f64>().ok());
        self.imported.remove(field);
        match field {
            Field::Kind => self.kind = value.and_then(Kind::parse),
            Field::Realtime => self.realtime = value.and_then(Realtime::parse),
            Field::Traffic => self.traffic = value.and_then(Traffic::parse),
            Field::Session => self.session = value.and_then(Session::parse),
            Field::SharedState => self.shared_state = value.map(|v| v == "true"),
            Field::Transactions => self.transactions = value.map(|v| v == "true"),
            Field::LatencyMs => self.latency_ms = num(value).and_then(Positive::new),
            Field::ContextRebuildMs => {
                self.context_rebuild_ms = num(value).and_then(NonNegative::new);
            }
            Field::ConcurrentClients => self.concurrent_clients = num(value).and_then(Count::new),
            Field::StateKbPerClient => {
                self.state_kb_per_client = num(value).and_then(NonNegative::new);
            }
            Field::MemoryBudgetMb => self.memory_budget_mb = num(value).and_then(Positive::new),
            Field::Availability => self.availability = num(value).and_then(Availability::new),
            Field::RequestContextKb => {
                self.request_context_kb = num(value).and_then(NonNegative::new);
            }
            Field::KeyedState => self.keyed_state = value.and_then(KeyedState::parse),
            Field::StateLocation => self.state_location = value.and_then(WordSet::parse),
            Field::Recovery => self.recovery = value.and_then(WordSet::parse),
            Field::StateWritesPerS => {
                self.state_writes_per_s = num(value).and_then(Positive::new);
            }
            Field::Affinity => self.affinity = value.and_then(Affinity::parse),
            Field::ClientMayHoldState => self.client_may_hold_state = value.map(|v| v == "true"),
            Field::BandwidthKbps => self.bandwidth_kbps = num(value).and_then(NonNegative::new),
            Field::ConnectionsPerInstance => {
                self.connections_per_instance = num(value).and_then(Count::new);
            }
            Field::StateMemoryMb
            | Field::MemoryHeadroom
            | Field::RebuildShare
            | Field::InstancesNeeded
            | Field::WritesPerClientPerS
            | Field::DependentsAvailability
            | Field::DependsOnStateful
            | Field::DeployedWorkload
            | Field::DeployedReplicas
            | Field::DeployedAutoscaled
            | Field::DeployedPersistentStorage
            | Field::DeployedAffinity => {}
        }
    }

    /// The criteria the component states itself.
    pub fn criteria(&self) -> Criteria {
        Criteria {
            realtime: self.realtime,
            traffic: self.traffic,
            latency_ms: self.latency_ms,
            context_rebuild_ms: self.context_rebuild_ms,
            concurrent_clients: self.concurrent_clients,
            state_kb_per_client: self.state_kb_per_client,
            memory_budget_mb: self.memory_budget_mb,
            session: self.session,
            shared_state: self.shared_state,
            transactions: self.transactions,
            availability: self.availability,
            request_context_kb: self.request_context_kb,
            state_location: self.state_location,
            keyed_state: self.keyed_state,
            state_writes_per_s: self.state_writes_per_s,
            affinity: self.affinity,
            recovery: self.recovery,
            client_may_hold_state: self.client_may_hold_state,
            bandwidth_kbps: self.bandwidth_kbps,
            connections_per_instance: self.connections_per_instance,
        }
    }
}

/// A whole spec file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Always 1.
    pub version: Version,
    /// The system.
    pub system: System,
    /// Its components, in the order of the file; at least one.
    #[serde(deserialize_with = "deserialize_components")]
    pub components: Vec<Component>,
}

fn deserialize_components<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Component>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<Component>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of components")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Component>, A::Error> {
            let _scope = SeenNamesScope::enter();
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            loop {
                DependencyScope::reading(out.len());
                match seq.next_element()? {
                    Some(c) => out.push(c),
                    None => break,
                }
            }
            if out.is_empty() {
                return Err(de::Error::custom(
                    "`components` is empty; describe at least one component",
                ));
            }
            Ok(out)
        }
    }
    d.deserialize_seq(V)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::{Diagnostic, Error};

    fn err(text: &str) -> Diagnostic {
        match Spec::from_yaml(text, "s.yaml") {
            Err(Error::Spec(d)) => *d,
            other => panic!("expected a spec error, got {other:?}"),
        }
    }

    const HEAD: &str = "version: 1\nsystem:\n  name: S\ncomponents:\n";

    #[test]
    fn parses_a_minimal_spec() {
        let s = Spec::from_yaml(&format!("{HEAD}  - name: a\n    latency_ms: 20\n"), "s").unwrap();
        assert_eq!(s.components[0].latency_ms.map(Positive::get), Some(20.0));
    }

    #[test]
    fn unknown_field_is_located_with_suggestion() {
        let d = err(&format!("{HEAD}  - name: a\n    latncy_ms: 20\n"));
        assert_eq!(
            d.message,
            "unknown field `latncy_ms`, did you mean `latency_ms`?"
        );
        assert_eq!((d.line, d.column), (Some(6), Some(5)));
    }

    #[test]
    fn out_of_range_numbers_point_at_the_value() {
        let d = err(&format!("{HEAD}  - name: a\n    availability: 100\n"));
        assert_eq!((d.line, d.column), (Some(6), Some(19)));
        assert!(d.message.contains("out of range"), "{}", d.message);
        let d = err(&format!("{HEAD}  - name: a\n    latency_ms: .nan\n"));
        assert!(d.message.contains("out of range"), "{}", d.message);
    }

    #[test]
    fn duplicate_names_ignore_case() {
        let d = err(&format!("{HEAD}  - name: Api\n  - name: api\n"));
        assert!(d.message.starts_with("duplicate component name `api`"));
        assert_eq!(d.line, Some(6));
    }

    #[test]
    fn names_are_counted_in_characters() {
        let ok = "é".repeat(64);
        assert!(Spec::from_yaml(&format!("{HEAD}  - name: {ok}\n"), "s").is_ok());
        let d = err(&format!("{HEAD}  - name: {ok}x\n"));
        assert!(d.message.contains("65 characters"));
    }

    #[test]
    fn version_two_and_empty_components_are_rejected() {
        assert!(
            err("version: 2\nsystem: {name: S}\ncomponents: [{name: a}]\n")
                .message
                .contains("version `2`")
        );
        assert!(
            err("version: 1\nsystem: {name: S}\ncomponents: []\n")
                .message
                .contains("empty")
        );
    }

    #[test]
    fn empty_and_non_utf8_files_are_rejected() {
        assert_eq!(err("# nothing\n\n").message, "spec is empty");
        let d = match Spec::from_bytes(b"version: 1\n\xff\n", "s") {
            Err(Error::Spec(d)) => d,
            _ => panic!(),
        };
        assert_eq!(d.line, Some(2));
    }

    #[test]
    fn a_raw_control_character_is_located() {
        let d = err("version: 1\nsystem: {name: S}\ncomponents: [{name: \"\u{e9}\u{1}b\"}]\n");
        assert_eq!(d.message, "control characters are not allowed");
        assert_eq!((d.line, d.column), (Some(3), Some(23)));
    }

    #[test]
    fn round_trips_through_yaml() {
        let s = Spec::from_yaml(
            &format!("{HEAD}  - name: a\n    kind: chat\n    latency_ms: 12.5\n    concurrent_clients: 3\n"),
            "s",
        )
        .unwrap();
        let again = Spec::from_yaml(&s.to_yaml(), "s").unwrap();
        assert_eq!(s, again);
        assert!(s.to_yaml().contains("concurrent_clients: 3\n"));
    }
}
