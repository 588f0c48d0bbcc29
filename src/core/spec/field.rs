//! The catalogue of criteria a rule can test: every spec field that feeds the
//! verdict and every derived fact, with its type and allowed values.
//!
//! One table serves rule validation, condition evaluation, the JSON Schema and
//! the documentation, so a new criterion is added in exactly one place.

/// A criterion a rule condition can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Kind,
    Realtime,
    Traffic,
    LatencyMs,
    ContextRebuildMs,
    ConcurrentClients,
    StateKbPerClient,
    MemoryBudgetMb,
    Session,
    SharedState,
    Transactions,
    Availability,
    RequestContextKb,
    StateLocation,
    KeyedState,
    StateWritesPerS,
    Affinity,
    Recovery,
    ClientMayHoldState,
    BandwidthKbps,
    ConnectionsPerInstance,
    StateMemoryMb,
    MemoryHeadroom,
    RebuildShare,
    InstancesNeeded,
    WritesPerClientPerS,
    DependentsAvailability,
    DependsOnStateful,
    DeployedWorkload,
    DeployedReplicas,
    DeployedAutoscaled,
    DeployedPersistentStorage,
    DeployedAffinity,
}

/// The type of values a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// One of a fixed list of kebab-case words.
    Enum(&'static [&'static str]),
    /// `true` or `false`.
    Bool,
    /// A finite number.
    Number,
    /// One or several of a fixed list of words (`[memory, external-store]`).
    Set(&'static [&'static str]),
}

pub(crate) const KINDS: &[&str] = &[
    "rest-api",
    "graphql-api",
    "web-frontend",
    "websocket-gateway",
    "chat",
    "game-server",
    "media-streaming",
    "trading",
    "collaborative-editor",
    "auth",
    "cart",
    "serverless-function",
    "worker",
    "batch-job",
    "message-broker",
    "cache",
    "session-store",
    "database",
    "grpc-api",
    "gateway",
    "stream-processor",
    "media-server",
    "rate-limiter",
    "presence",
    "search-index",
    "object-store",
    "other",
];
pub(crate) const REALTIME: &[&str] = &["none", "server-push", "bidirectional"];
pub(crate) const TRAFFIC: &[&str] = &["steady", "predictable-peaks", "unpredictable"];
pub(crate) const SESSION: &[&str] = &["none", "per-user", "per-connection"];
pub(crate) const KEYED_STATE: &[&str] = &["none", "aggregate", "index", "routing"];
pub(crate) const AFFINITY: &[&str] = &["none", "per-client", "per-key", "single-writer"];
pub(crate) const STATE_LOCATION: &[&str] =
    &["memory", "local-disk", "external-store", "client", "none"];
pub(crate) const WORKLOAD: &[&str] = &[
    "deployment",
    "statefulset",
    "daemonset",
    "job",
    "cronjob",
    "compose-service",
    "rollout",
];
pub(crate) const DEPLOYED_AFFINITY: &[&str] = &["none", "per-client", "per-key"];
pub(crate) const RECOVERY: &[&str] = &[
    "none",
    "checkpoint",
    "journal",
    "replay",
    "replicas",
    "rebuild",
    "from-clients",
    "disposable",
];

impl Field {
    /// Every field, spec fields first, then derived facts.
    pub const ALL: [Field; 33] = [
        Field::Kind,
        Field::Realtime,
        Field::Traffic,
        Field::LatencyMs,
        Field::ContextRebuildMs,
        Field::ConcurrentClients,
        Field::StateKbPerClient,
        Field::MemoryBudgetMb,
        Field::Session,
        Field::SharedState,
        Field::Transactions,
        Field::Availability,
        Field::RequestContextKb,
        Field::StateLocation,
        Field::KeyedState,
        Field::StateWritesPerS,
        Field::Affinity,
        Field::Recovery,
        Field::ClientMayHoldState,
        Field::BandwidthKbps,
        Field::ConnectionsPerInstance,
        Field::StateMemoryMb,
        Field::MemoryHeadroom,
        Field::RebuildShare,
        Field::InstancesNeeded,
        Field::WritesPerClientPerS,
        Field::DependentsAvailability,
        Field::DependsOnStateful,
        Field::DeployedWorkload,
        Field::DeployedReplicas,
        Field::DeployedAutoscaled,
        Field::DeployedPersistentStorage,
        Field::DeployedAffinity,
    ];

    /// Number of fields; facts are stored in an array of this size.
    pub const COUNT: usize = Self::ALL.len();

    /// The name used in specs and rule conditions.
    pub fn name(self) -> &'static str {
        match self {
            Field::Kind => "kind",
            Field::Realtime => "realtime",
            Field::Traffic => "traffic",
            Field::LatencyMs => "latency_ms",
            Field::ContextRebuildMs => "context_rebuild_ms",
            Field::ConcurrentClients => "concurrent_clients",
            Field::StateKbPerClient => "state_kb_per_client",
            Field::MemoryBudgetMb => "memory_budget_mb",
            Field::Session => "session",
            Field::SharedState => "shared_state",
            Field::Transactions => "transactions",
            Field::Availability => "availability",
            Field::RequestContextKb => "request_context_kb",
            Field::StateLocation => "state_location",
            Field::Recovery => "recovery",
            Field::KeyedState => "keyed_state",
            Field::StateWritesPerS => "state_writes_per_s",
            Field::Affinity => "affinity",
            Field::ClientMayHoldState => "client_may_hold_state",
            Field::BandwidthKbps => "bandwidth_kbps",
            Field::ConnectionsPerInstance => "connections_per_instance",
            Field::StateMemoryMb => "state_memory_mb",
            Field::MemoryHeadroom => "memory_headroom",
            Field::RebuildShare => "rebuild_share",
            Field::InstancesNeeded => "instances_needed",
            Field::WritesPerClientPerS => "writes_per_client_per_s",
            Field::DependentsAvailability => "dependents_availability",
            Field::DependsOnStateful => "depends_on_stateful",
            Field::DeployedWorkload => "deployed_workload",
            Field::DeployedReplicas => "deployed_replicas",
            Field::DeployedAutoscaled => "deployed_autoscaled",
            Field::DeployedPersistentStorage => "deployed_persistent_storage",
            Field::DeployedAffinity => "deployed_affinity",
        }
    }

    /// The field with this name, if any.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The type of the field's values.
    pub fn ty(self) -> FieldType {
        match self {
            Field::Kind => FieldType::Enum(KINDS),
            Field::Realtime => FieldType::Enum(REALTIME),
            Field::Traffic => FieldType::Enum(TRAFFIC),
            Field::Session => FieldType::Enum(SESSION),
            Field::KeyedState => FieldType::Enum(KEYED_STATE),
            Field::StateLocation => FieldType::Set(STATE_LOCATION),
            Field::Recovery => FieldType::Set(RECOVERY),
            Field::Affinity => FieldType::Enum(AFFINITY),
            Field::DeployedWorkload => FieldType::Enum(WORKLOAD),
            Field::DeployedAffinity => FieldType::Enum(DEPLOYED_AFFINITY),
            Field::SharedState
            | Field::Transactions
            | Field::ClientMayHoldState
            | Field::DependsOnStateful
            | Field::DeployedAutoscaled
            | Field::DeployedPersistentStorage => FieldType::Bool,
            _ => FieldType::Number,
        }
    }

    /// True for facts computed from other fields rather than written in a spec.
    pub fn is_derived(self) -> bool {
        matches!(
            self,
            Field::StateMemoryMb
                | Field::MemoryHeadroom
                | Field::RebuildShare
                | Field::InstancesNeeded
                | Field::WritesPerClientPerS
                | Field::DependentsAvailability
                | Field::DependsOnStateful
        ) || self.is_from_deployment()
    }

    /// True for the facts the deployment files state (`system.deploy`):
    /// set only for a component a workload runs.
    pub fn is_from_deployment(self) -> bool {
        matches!(
            self,
            Field::DeployedWorkload
                | Field::DeployedReplicas
                | Field::DeployedAutoscaled
                | Field::DeployedPersistentStorage
                | Field::DeployedAffinity
        )
    }

    /// True for derived facts that come from the rest of the system (the
    /// `depends_on` graph) rather than from the component's own fields.
    pub fn is_from_graph(self) -> bool {
        matches!(
            self,
            Field::DependentsAvailability | Field::DependsOnStateful
        )
    }

    /// True for the fields a spec states about a component's needs: every
    /// field but `kind` and the derived facts.
    pub fn is_criterion(self) -> bool {
        self != Field::Kind && !self.is_derived()
    }

    /// Position of this field in a facts array.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The unit a number is written in, for messages.
    pub fn unit(self) -> &'static str {
        match self {
            Field::LatencyMs | Field::ContextRebuildMs => " ms",
            Field::StateKbPerClient | Field::RequestContextKb => " KiB",
            Field::MemoryBudgetMb | Field::StateMemoryMb => " MiB",
            Field::Availability | Field::DependentsAvailability => "%",
            Field::MemoryHeadroom => "x",
            Field::StateWritesPerS | Field::WritesPerClientPerS => "/s",
            Field::BandwidthKbps => " kbit/s",
            _ => "",
        }
    }

    /// One line saying what the field means.
    pub fn description(self) -> &'static str {
        match self {
            Field::Kind => "what the component is; fills in the criteria it leaves out",
            Field::Realtime => {
                "whether it holds a live channel with clients: none, server-push or bidirectional"
            }
            Field::Traffic => "how its load behaves: steady, predictable-peaks or unpredictable",
            Field::LatencyMs => "the p99 latency it must meet, in milliseconds",
            Field::ContextRebuildMs => {
                "time to rebuild a client's context on each request when nothing is kept in memory, in milliseconds"
            }
            Field::ConcurrentClients => "peak clients or connections at once",
            Field::StateKbPerClient => {
                "memory one client's state takes if the server keeps it, in KiB"
            }
            Field::MemoryBudgetMb => {
                "memory the team can afford, across all instances, for holding client state, in MiB"
            }
            Field::Session => {
                "whether it needs a client's context across requests: none, per-user or per-connection"
            }
            Field::SharedState => {
                "several clients act on the same live state (a document, a room, a match)"
            }
            Field::Transactions => "it owns transactional data (begin/commit/rollback, locks)",
            Field::Availability => "availability target in percent, 90 to below 100",
            Field::RequestContextKb => {
                "what each request would carry if the client held the context, in KiB"
            }
            Field::StateLocation => {
                "where it keeps what it must remember today, one or a list: memory (its own process), local-disk (its own disk), external-store (a database, cache or store it calls), client, none"
            }
            Field::Recovery => {
                "how state held in memory survives losing an instance, one or a list: none, checkpoint, journal, replay, replicas, rebuild (from another component), from-clients, disposable (harmless to lose)"
            }
            Field::KeyedState => {
                "state kept across events for keys other than a client: none, aggregate (counts, windows, joins per key), index (a registry it owns in memory) or routing (which instance holds which key)"
            }
            Field::StateWritesPerS => "peak writes per second to that state, all clients together",
            Field::Affinity => {
                "requests that must reach one instance: none, per-client, per-key or single-writer (every write through one instance)"
            }
            Field::ClientMayHoldState => {
                "whether the context may travel with the client (false for a rate limit or an authoritative game state)"
            }
            Field::BandwidthKbps => "sustained bandwidth per client, in kbit/s",
            Field::ConnectionsPerInstance => "clients one instance can serve at once",
            Field::InstancesNeeded => {
                "derived: concurrent_clients / connections_per_instance, rounded up"
            }
            Field::WritesPerClientPerS => "derived: state_writes_per_s / concurrent_clients",
            Field::DependentsAvailability => {
                "derived from depends_on: the highest availability target among the components that depend on it"
            }
            Field::DependsOnStateful => {
                "derived from depends_on: it depends on a component that keeps state (decided, or advised where the team decided nothing: stateful or hybrid)"
            }
            Field::DeployedWorkload => {
                "from the deployment files: the workload that runs it: deployment, statefulset, daemonset, job, cronjob, compose-service or rollout (Argo Rollouts)"
            }
            Field::DeployedReplicas => {
                "from the deployment files: the instances it runs with when no autoscaler scales it (a stated count, else 1)"
            }
            Field::DeployedAutoscaled => {
                "from the deployment files: an autoscaler (HorizontalPodAutoscaler, KEDA ScaledObject) adds and removes its instances"
            }
            Field::DeployedPersistentStorage => {
                "from the deployment files: it mounts a disk that outlives the instance (PersistentVolumeClaim, volumeClaimTemplates, hostPath, a Compose named volume)"
            }
            Field::DeployedAffinity => {
                "from the deployment files: requests pinned to one instance: none, per-client (sessionAffinity ClientIP, a sticky cookie) or per-key (consistent hashing on a key)"
            }
            Field::StateMemoryMb => "derived: concurrent_clients x state_kb_per_client / 1024",
            Field::MemoryHeadroom => "derived: memory_budget_mb / state_memory_mb",
            Field::RebuildShare => "derived: context_rebuild_ms / latency_ms",
        }
    }
}

/// The names of all fields a condition may use, for suggestions.
pub(crate) fn names() -> Vec<&'static str> {
    Field::ALL.iter().map(|f| f.name()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_index_matches_position() {
        for (i, f) in Field::ALL.into_iter().enumerate() {
            assert_eq!(Field::from_name(f.name()), Some(f));
            assert_eq!(f.index(), i);
        }
        assert_eq!(Field::from_name("latncy_ms"), None);
    }

    #[test]
    fn set_words_match_the_spec_values() {
        use crate::core::spec::values::{Recovery, StateLocation, Word};
        let words = |all: &[&'static str]| all.to_vec();
        assert_eq!(
            words(STATE_LOCATION),
            StateLocation::ALL
                .iter()
                .map(|w| Word::as_str(*w))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            words(RECOVERY),
            Recovery::ALL
                .iter()
                .map(|w| Word::as_str(*w))
                .collect::<Vec<_>>()
        );
        use crate::core::spec::values::{DeployedAffinity, WorkloadType};
        assert_eq!(
            words(WORKLOAD),
            WorkloadType::ALL
                .iter()
                .map(|w| w.as_str())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            words(DEPLOYED_AFFINITY),
            DeployedAffinity::ALL
                .iter()
                .map(|w| w.as_str())
                .collect::<Vec<_>>()
        );
    }
}
