//! The facts the rules see for one component: its own values, the defaults
//! of its kind for what it leaves out, the plain defaults after that, and the
//! derived facts. Each value remembers where it came from.

use serde::{Deserialize, Serialize};

use crate::core::spec::field::Field;
use crate::core::spec::kinds::Kinds;
use crate::core::spec::model::{Component, Criteria};
use crate::core::spec::values::{DeployedAffinity, Kind, Realtime, Session, Traffic, WorkloadType};

/// Where a fact's value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Written in the spec.
    Spec,
    /// Written in the spec by `statewise import`, read from a deployment
    /// file: the value's comment cites it (`# from k8s/cart.yaml:12`).
    /// Stated like a value of the spec's own.
    Imported,
    /// Filled in from the component's kind.
    Kind,
    /// The contract's default, as nothing else said.
    Default,
    /// Computed from other facts.
    Derived,
    /// Stated by the deployment files (`system.deploy`).
    Deployment,
}

/// A fact's value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// One of a field's words, such as `bidirectional`.
    Word(&'static str),
    /// A yes or no.
    Bool(bool),
    /// A number.
    Number(f64),
    /// Several of a field's words at once: a bit mask over the field's list
    /// of words (`FieldType::Set`), and that list.
    Words(u16, &'static [&'static str]),
}

impl Value {
    /// The words of a set-valued fact (`state_location`, `recovery`), of a
    /// word, or none.
    pub fn words(self) -> Vec<&'static str> {
        match self {
            Value::Word(w) => vec![w],
            Value::Words(mask, all) => all
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, w)| *w)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A set-valued fact from its words (unknown words are left out).
    pub fn words_of(all: &'static [&'static str], words: &[&str]) -> Value {
        let mask = all
            .iter()
            .enumerate()
            .filter(|(_, w)| words.contains(w))
            .fold(0u16, |m, (i, _)| m | (1 << i));
        Value::Words(mask, all)
    }

    /// The number, for numeric facts.
    pub fn as_number(self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Word(w) => f.write_str(w),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => f.write_str(&crate::core::text::show_number(*n)),
            Value::Words(..) => {
                let words = self.words();
                if words.len() == 1 {
                    f.write_str(words[0])
                } else {
                    write!(f, "[{}]", words.join(", "))
                }
            }
        }
    }
}

impl Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Word(w) => s.serialize_str(w),
            Value::Bool(b) => s.serialize_bool(*b),
            // Whole numbers print without a fraction; others exactly, in
            // the shortest form that reads back to the same number.
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => s.serialize_i64(*n as i64),
            Value::Number(n) => s.serialize_f64(*n),
            // Always a list, so a field's JSON type never depends on how
            // many words it holds.
            Value::Words(..) => s.collect_seq(self.words()),
        }
    }
}

/// What the rest of the system says about one component: through
/// `depends_on`, and through the deployment files that run it. The facts a
/// component cannot state about itself; unset when the component is looked
/// at alone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Surroundings {
    /// The highest availability target among the components that depend on it.
    #[serde(default, deserialize_with = "availability_percent")]
    pub dependents_availability: Option<f64>,
    /// Whether it depends on a component that keeps state.
    pub depends_on_stateful: Option<bool>,
    /// The workload that runs it.
    pub deployed_workload: Option<WorkloadType>,
    /// The instances it runs with when no autoscaler scales it.
    #[serde(default, deserialize_with = "replica_count")]
    pub deployed_replicas: Option<f64>,
    /// Whether an autoscaler scales it.
    pub deployed_autoscaled: Option<bool>,
    /// Whether it mounts a disk that outlives the instance.
    pub deployed_persistent_storage: Option<bool>,
    /// Requests pinned to one instance by the deployment.
    pub deployed_affinity: Option<DeployedAffinity>,
}

/// A replica count as a rule example states one: a whole number >= 0.
fn replica_count<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let n = u32::deserialize(d)?;
    Ok(Some(f64::from(n)))
}

/// An availability target as a spec states one: a percentage from 90 to
/// below 100.
fn availability_percent<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    struct Percent;
    impl serde::de::Visitor<'_> for Percent {
        type Value = f64;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an availability in percent, from 90 to below 100 (e.g. 99.9)")
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<f64, E> {
            if v.is_finite() && (90.0..100.0).contains(&v) {
                Ok(v)
            } else {
                Err(E::custom(format!(
                    "dependents_availability {v} is out of range; use a percentage from 90 to below 100, e.g. 99.9"
                )))
            }
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<f64, E> {
            self.visit_f64(v as f64)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<f64, E> {
            self.visit_f64(v as f64)
        }
    }
    d.deserialize_any(Percent).map(Some)
}

/// All facts of one component, indexed by [`Field`].
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    values: [Option<(Value, Origin)>; Field::COUNT],
}

impl Facts {
    /// The facts of `component` looked at alone, with its kind's defaults
    /// from `kinds`.
    pub fn of(component: &Component, kinds: &Kinds) -> Facts {
        Facts::within(component, kinds, &Surroundings::default())
    }

    /// The facts of `component` in its system: its own, its kind's, the
    /// plain defaults, and what `around` says the rest of the system makes
    /// of it.
    pub fn within(component: &Component, kinds: &Kinds, around: &Surroundings) -> Facts {
        let (kind, kind_origin) = match component.kind {
            Some(k) => (k, Origin::Spec),
            None => (Kind::Other, Origin::Default),
        };
        let mut facts = Facts {
            values: [None; Field::COUNT],
        };
        facts.put(Field::Kind, Value::Word(kind.as_str()), kind_origin);
        facts.fill(&component.criteria(), Origin::Spec);
        for field in component.imported.fields() {
            if let Some((_, origin @ Origin::Spec)) = &mut facts.values[field.index()] {
                *origin = Origin::Imported;
            }
        }
        facts.fill(kinds.defaults(kind), Origin::Kind);
        facts.fill_defaults();
        facts.derive();
        facts.surround(around);
        facts
    }

    /// Sets the facts that come from the rest of the system.
    pub fn surround(&mut self, around: &Surroundings) {
        let mut set = |field: Field, value: Option<Value>, origin: Origin| {
            self.values[field.index()] = value.map(|v| (v, origin));
        };
        let (graph, deployed) = (Origin::Derived, Origin::Deployment);
        set(
            Field::DependentsAvailability,
            around
                .dependents_availability
                .filter(|a| a.is_finite())
                .map(Value::Number),
            graph,
        );
        set(
            Field::DependsOnStateful,
            around.depends_on_stateful.map(Value::Bool),
            graph,
        );
        set(
            Field::DeployedWorkload,
            around.deployed_workload.map(|w| Value::Word(w.as_str())),
            deployed,
        );
        set(
            Field::DeployedReplicas,
            around.deployed_replicas.map(Value::Number),
            deployed,
        );
        set(
            Field::DeployedAutoscaled,
            around.deployed_autoscaled.map(Value::Bool),
            deployed,
        );
        set(
            Field::DeployedPersistentStorage,
            around.deployed_persistent_storage.map(Value::Bool),
            deployed,
        );
        set(
            Field::DeployedAffinity,
            around.deployed_affinity.map(|a| Value::Word(a.as_str())),
            deployed,
        );
    }

    /// The facts of a component that says nothing but its kind.
    pub fn of_kind(kind: Kind, kinds: &Kinds) -> Facts {
        let mut facts = Facts {
            values: [None; Field::COUNT],
        };
        facts.put(Field::Kind, Value::Word(kind.as_str()), Origin::Spec);
        facts.fill(kinds.defaults(kind), Origin::Kind);
        facts.fill_defaults();
        facts.derive();
        facts
    }

    /// Facts from criteria alone, with the plain defaults: handy in tests and
    /// for tools that build criteria in code.
    pub fn from_criteria(kind: Kind, criteria: &Criteria) -> Facts {
        let mut facts = Facts {
            values: [None; Field::COUNT],
        };
        facts.put(Field::Kind, Value::Word(kind.as_str()), Origin::Spec);
        facts.fill(criteria, Origin::Spec);
        facts.fill_defaults();
        facts.derive();
        facts
    }

    fn put(&mut self, field: Field, value: Value, origin: Origin) {
        let slot = &mut self.values[field.index()];
        if slot.is_none() {
            *slot = Some((value, origin));
        }
    }

    /// Sets what `c` says and nothing set yet says otherwise.
    fn fill(&mut self, c: &Criteria, origin: Origin) {
        let word = |w: &'static str| Value::Word(w);
        let mut put = |field: Field, value: Option<Value>| {
            if let Some(v) = value {
                self.put(field, v, origin);
            }
        };
        put(Field::Realtime, c.realtime.map(|v| word(v.as_str())));
        put(Field::Traffic, c.traffic.map(|v| word(v.as_str())));
        put(Field::Session, c.session.map(|v| word(v.as_str())));
        put(Field::SharedState, c.shared_state.map(Value::Bool));
        put(Field::Transactions, c.transactions.map(Value::Bool));
        put(
            Field::LatencyMs,
            c.latency_ms.map(|v| Value::Number(v.get())),
        );
        put(
            Field::ContextRebuildMs,
            c.context_rebuild_ms.map(|v| Value::Number(v.get())),
        );
        put(
            Field::ConcurrentClients,
            c.concurrent_clients.map(|v| Value::Number(v.get())),
        );
        put(
            Field::StateKbPerClient,
            c.state_kb_per_client.map(|v| Value::Number(v.get())),
        );
        put(
            Field::MemoryBudgetMb,
            c.memory_budget_mb.map(|v| Value::Number(v.get())),
        );
        put(
            Field::Availability,
            c.availability.map(|v| Value::Number(v.get())),
        );
        put(
            Field::RequestContextKb,
            c.request_context_kb.map(|v| Value::Number(v.get())),
        );
        put(
            Field::StateLocation,
            c.state_location
                .map(|v| Value::Words(v.mask(), crate::core::spec::field::STATE_LOCATION)),
        );
        put(
            Field::Recovery,
            c.recovery
                .map(|v| Value::Words(v.mask(), crate::core::spec::field::RECOVERY)),
        );
        put(Field::KeyedState, c.keyed_state.map(|v| word(v.as_str())));
        put(
            Field::StateWritesPerS,
            c.state_writes_per_s.map(|v| Value::Number(v.get())),
        );
        put(Field::Affinity, c.affinity.map(|v| word(v.as_str())));
        put(
            Field::ClientMayHoldState,
            c.client_may_hold_state.map(Value::Bool),
        );
        put(
            Field::BandwidthKbps,
            c.bandwidth_kbps.map(|v| Value::Number(v.get())),
        );
        put(
            Field::ConnectionsPerInstance,
            c.connections_per_instance.map(|v| Value::Number(v.get())),
        );
    }

    fn fill_defaults(&mut self) {
        let o = Origin::Default;
        self.put(Field::Realtime, Value::Word(Realtime::None.as_str()), o);
        self.put(Field::Traffic, Value::Word(Traffic::Steady.as_str()), o);
        self.put(Field::Session, Value::Word(Session::None.as_str()), o);
        self.put(Field::SharedState, Value::Bool(false), o);
        self.put(Field::Transactions, Value::Bool(false), o);
    }

    fn derive(&mut self) {
        let num = |f: Field| self.get(f).and_then(Value::as_number);
        let state_mb = match (num(Field::ConcurrentClients), num(Field::StateKbPerClient)) {
            (Some(c), Some(kb)) => Some(c * kb / 1024.0),
            _ => None,
        };
        let headroom = match (num(Field::MemoryBudgetMb), state_mb) {
            (Some(budget), Some(mb)) if mb > 0.0 => Some(budget / mb),
            _ => None,
        };
        let share = match (num(Field::ContextRebuildMs), num(Field::LatencyMs)) {
            (Some(r), Some(l)) => Some(r / l),
            _ => None,
        };
        let instances = match (
            num(Field::ConcurrentClients),
            num(Field::ConnectionsPerInstance),
        ) {
            (Some(c), Some(per)) => Some((c / per).ceil()),
            _ => None,
        };
        let writes_per_client = match (num(Field::StateWritesPerS), num(Field::ConcurrentClients)) {
            (Some(w), Some(c)) => Some(w / c),
            _ => None,
        };
        for (field, value) in [
            (Field::StateMemoryMb, state_mb),
            (Field::MemoryHeadroom, headroom),
            (Field::RebuildShare, share),
            (Field::InstancesNeeded, instances),
            (Field::WritesPerClientPerS, writes_per_client),
        ] {
            if let Some(v) = value.filter(|v| v.is_finite()) {
                self.put(field, Value::Number(v), Origin::Derived);
            }
        }
    }

    /// The value of `field`, if it has one.
    pub fn get(&self, field: Field) -> Option<Value> {
        self.values[field.index()].map(|(v, _)| v)
    }

    /// Where the value of `field` came from, if it has one.
    pub fn origin(&self, field: Field) -> Option<Origin> {
        self.values[field.index()].map(|(_, o)| o)
    }

    /// Replaces one fact, as if the spec said so; derived facts are computed
    /// again. Used to ask "what if".
    pub fn with(&self, field: Field, value: Option<Value>) -> Facts {
        let mut next = self.clone();
        next.values[field.index()] = value.map(|v| (v, Origin::Spec));
        for f in [
            Field::StateMemoryMb,
            Field::MemoryHeadroom,
            Field::RebuildShare,
            Field::InstancesNeeded,
            Field::WritesPerClientPerS,
        ] {
            next.values[f.index()] = None;
        }
        next.derive();
        next
    }

    /// Every field with a value, in catalogue order.
    pub fn iter(&self) -> impl Iterator<Item = (Field, Value, Origin)> + '_ {
        Field::ALL
            .into_iter()
            .filter_map(|f| self.values[f.index()].map(|(v, o)| (f, v, o)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec::model::Spec;

    fn facts(component_yaml: &str) -> Facts {
        let spec = Spec::from_yaml(
            &format!("version: 1\nsystem: {{name: S}}\ncomponents:\n  - {component_yaml}\n"),
            "s",
        )
        .unwrap();
        Facts::of(&spec.components[0], Kinds::builtin())
    }

    #[test]
    fn spec_values_win_over_kind_defaults() {
        let f = facts("{name: db, kind: database, transactions: false}");
        assert_eq!(f.get(Field::Transactions), Some(Value::Bool(false)));
        assert_eq!(f.origin(Field::Transactions), Some(Origin::Spec));
        let f = facts("{name: c, kind: chat, session: none}");
        assert_eq!(f.origin(Field::Session), Some(Origin::Spec));
        assert_eq!(f.origin(Field::Realtime), Some(Origin::Kind));
    }

    #[test]
    fn cited_values_are_imported_and_a_changed_one_is_the_spec_s() {
        let f = facts(
            "name: c\n    kind: cache         # from k8s/c.yaml:12: image `redis`\n    affinity: per-client  # from our design review\n    traffic: null         # from k8s/c.yaml:3",
        );
        assert_eq!(f.origin(Field::Kind), Some(Origin::Imported));
        assert_eq!(f.origin(Field::Affinity), Some(Origin::Spec));
        // A cited value that says nothing leaves the default.
        assert_eq!(f.origin(Field::Traffic), Some(Origin::Default));
        let spec = Spec::from_yaml(
            "version: 1\nsystem: {name: S}\ncomponents:\n  - name: c\n    kind: cache  # from k8s/c.yaml:12\n",
            "s",
        )
        .unwrap();
        let mut c = spec.components[0].clone();
        c.set_criterion(Field::Kind, Some("database"));
        assert_eq!(
            Facts::of(&c, Kinds::builtin()).origin(Field::Kind),
            Some(Origin::Spec)
        );
    }

    #[test]
    fn plain_defaults_fill_the_rest() {
        let f = facts("{name: x}");
        assert_eq!(f.get(Field::Kind), Some(Value::Word("other")));
        assert_eq!(f.get(Field::Traffic), Some(Value::Word("steady")));
        assert_eq!(f.origin(Field::Traffic), Some(Origin::Default));
        assert_eq!(f.get(Field::LatencyMs), None);
    }

    #[test]
    fn derived_facts_follow_the_contract() {
        let f = facts(
            "{name: x, concurrent_clients: 2048, state_kb_per_client: 512, memory_budget_mb: 512, context_rebuild_ms: 30, latency_ms: 60}",
        );
        assert_eq!(f.get(Field::StateMemoryMb), Some(Value::Number(1024.0)));
        assert_eq!(f.get(Field::MemoryHeadroom), Some(Value::Number(0.5)));
        assert_eq!(f.get(Field::RebuildShare), Some(Value::Number(0.5)));
        assert_eq!(f.origin(Field::RebuildShare), Some(Origin::Derived));
    }

    #[test]
    fn derived_facts_are_unset_when_an_input_is() {
        let f = facts("{name: x, concurrent_clients: 10, memory_budget_mb: 5}");
        assert_eq!(f.get(Field::StateMemoryMb), None);
        assert_eq!(f.get(Field::MemoryHeadroom), None);
        let f =
            facts("{name: x, concurrent_clients: 10, state_kb_per_client: 0, memory_budget_mb: 5}");
        assert_eq!(f.get(Field::StateMemoryMb), Some(Value::Number(0.0)));
        assert_eq!(f.get(Field::MemoryHeadroom), None);
    }

    #[test]
    fn what_if_recomputes_derived_facts() {
        let f = facts("{name: x, context_rebuild_ms: 30, latency_ms: 60}");
        let g = f.with(Field::LatencyMs, Some(Value::Number(30.0)));
        assert_eq!(g.get(Field::RebuildShare), Some(Value::Number(1.0)));
    }
}
