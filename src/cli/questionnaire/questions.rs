//! The questions about a component's criteria, in plain words, each with
//! the value every answer stands for, and the check of typed numbers.
//! They are drawn from the field catalogue ([`Field::ALL`]): a criterion
//! the catalogue gains is asked too, in words of its own description until
//! it gets plainer ones here.

use crate::core::spec::field::{Field, FieldType};
use crate::core::spec::quantity::parse_quantity;
use crate::core::spec::values::{Availability, Count, NonNegative, Positive};

pub(crate) const DONT_KNOW: &str = "I don't know";

/// What a question asks for.
pub(crate) enum Ask {
    /// One of these answers, each with the value it stands for.
    Choice(Vec<(String, String)>),
    /// A number in the field's unit, typed as people type it.
    Number,
    /// Any of these answers at once (a list field), each with its value.
    Several(Vec<(String, String)>),
}

/// One question about a criterion.
pub(crate) struct Question {
    pub(crate) field: Field,
    pub(crate) prompt: String,
    pub(crate) ask: Ask,
}

/// The plain words of a question: its prompt and, for a choice, the label
/// of each value.
fn words(field: Field) -> Option<(&'static str, &'static [(&'static str, &'static str)])> {
    Some(match field {
        Field::Realtime => (
            "Does it hold a live channel with its clients?",
            &[
                ("No: clients call it and get an answer", "none"),
                (
                    "It pushes updates to clients (server push, SSE)",
                    "server-push",
                ),
                (
                    "Yes: a live two-way channel (WebSocket and the like)",
                    "bidirectional",
                ),
            ],
        ),
        Field::Traffic => (
            "How does its traffic behave?",
            &[
                ("Steady", "steady"),
                ("It peaks at times we know in advance", "predictable-peaks"),
                ("It can surge without warning", "unpredictable"),
            ],
        ),
        Field::LatencyMs => ("p99 latency it must meet, in ms (200ms, 1.5s)", &[]),
        Field::ContextRebuildMs => ("Time to rebuild a client's context per request, in ms", &[]),
        Field::ConcurrentClients => (
            "Clients or connections at once, at the peak (4k, 40,000)",
            &[],
        ),
        Field::StateKbPerClient => (
            "State per client if kept in memory, in KiB (512B, 2MB)",
            &[],
        ),
        Field::MemoryBudgetMb => (
            "Memory you can spend on that state, all instances, in MiB (2GB)",
            &[],
        ),
        Field::Session => (
            "Does it need a client's context across requests?",
            &[
                ("No: every request stands alone", "none"),
                ("Yes: per logged-in user", "per-user"),
                ("Yes: for as long as a connection is open", "per-connection"),
            ],
        ),
        Field::SharedState => (
            "Do several clients act on the same live state (a document, a room, a match)?",
            &[("No", "false"), ("Yes", "true")],
        ),
        Field::Transactions => (
            "Does it own transactional data (commit, rollback, locks)?",
            &[("No", "false"), ("Yes", "true")],
        ),
        Field::Availability => (
            "Availability target in percent, 90 to below 100 (99.95%)",
            &[],
        ),
        Field::RequestContextKb => (
            "Context each request would carry if clients held it, in KiB",
            &[],
        ),
        Field::StateLocation => (
            "Where does it keep what it must remember today? (pick all that apply)",
            &[
                ("In its own process memory", "memory"),
                ("On its own disk", "local-disk"),
                (
                    "In an external store it calls (a database, Redis)",
                    "external-store",
                ),
                (
                    "With the client (a token, a cookie, local storage)",
                    "client",
                ),
                ("Nowhere: it keeps nothing", "none"),
            ],
        ),
        Field::Recovery => (
            "How does the state it holds in memory survive losing an instance? (pick all that apply)",
            &[
                ("Nothing recovers it", "none"),
                ("From a checkpoint or snapshot", "checkpoint"),
                ("By replaying its journal of changes", "journal"),
                (
                    "By re-reading events from a source that can rewind",
                    "replay",
                ),
                ("Live replicas take over", "replicas"),
                ("Rebuilt from another component", "rebuild"),
                ("The clients send it again", "from-clients"),
                ("It is harmless to lose", "disposable"),
            ],
        ),
        Field::KeyedState => (
            "Does it keep state per key other than a client (a stream's counts, a registry, a routing table)?",
            &[
                ("No", "none"),
                ("Running aggregates, windows or joins per key", "aggregate"),
                ("An index or registry it owns in memory", "index"),
                ("A routing table: which instance holds which key", "routing"),
            ],
        ),
        Field::StateWritesPerS => (
            "Peak writes per second to that state, all clients together (4k, 12000/min)",
            &[],
        ),
        Field::Affinity => (
            "Must requests reach one particular instance?",
            &[
                ("No: any instance will do", "none"),
                ("Yes: each client sticks to one instance", "per-client"),
                (
                    "Yes: each key (channel, document, match) to one instance",
                    "per-key",
                ),
                (
                    "Yes: every write goes through one instance",
                    "single-writer",
                ),
            ],
        ),
        Field::ClientMayHoldState => (
            "May the client hold its own context (not for a rate limit or an authoritative game state)?",
            &[("Yes", "true"), ("No", "false")],
        ),
        Field::BandwidthKbps => ("Sustained bandwidth per client, in kbit/s (2Mbps)", &[]),
        Field::ConnectionsPerInstance => ("Clients one instance can serve at once (10k)", &[]),
        _ => return None,
    })
}

/// Every criterion of the catalogue as a question, in catalogue order.
pub(crate) fn questions() -> Vec<Question> {
    Field::ALL
        .into_iter()
        .filter(|f| f.is_criterion())
        .map(|field| {
            let (prompt, labels) = match words(field) {
                Some((p, l)) => (p.to_owned(), l),
                None => (
                    format!("{}: {}?", field.name(), field.description()),
                    &[][..],
                ),
            };
            let ask = match field.ty() {
                FieldType::Number => Ask::Number,
                FieldType::Bool if labels.is_empty() => Ask::Choice(vec![
                    ("No".into(), "false".into()),
                    ("Yes".into(), "true".into()),
                ]),
                FieldType::Enum(values) if labels.is_empty() => Ask::Choice(
                    values
                        .iter()
                        .map(|v| ((*v).to_owned(), (*v).to_owned()))
                        .collect(),
                ),
                FieldType::Bool | FieldType::Enum(_) => Ask::Choice(
                    labels
                        .iter()
                        .map(|(l, v)| ((*l).to_owned(), (*v).to_owned()))
                        .collect(),
                ),
                FieldType::Set(values) if labels.is_empty() => Ask::Several(
                    values
                        .iter()
                        .map(|v| ((*v).to_owned(), (*v).to_owned()))
                        .collect(),
                ),
                FieldType::Set(_) => Ask::Several(
                    labels
                        .iter()
                        .map(|(l, v)| ((*l).to_owned(), (*v).to_owned()))
                        .collect(),
                ),
            };
            Question { field, prompt, ask }
        })
        .collect()
}

/// Checks a typed number for `field` ("" means unknown): units, percent
/// signs and thousands separators are read as [`parse_quantity`] reads
/// them, then the value is checked against the field's range.
pub fn check_number(field: Field, text: &str) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let v = parse_quantity(field, text)?;
    let ok = match field {
        Field::LatencyMs | Field::MemoryBudgetMb | Field::StateWritesPerS => {
            Positive::new(v).is_some()
        }
        Field::ConcurrentClients | Field::ConnectionsPerInstance => Count::new(v).is_some(),
        Field::Availability => Availability::new(v).is_some(),
        _ => NonNegative::new(v).is_some(),
    };
    if ok {
        Ok(Some(v))
    } else {
        Err(match field {
            Field::LatencyMs | Field::MemoryBudgetMb | Field::StateWritesPerS => {
                "must be greater than 0".to_owned()
            }
            Field::ConcurrentClients | Field::ConnectionsPerInstance => {
                "must be a whole number greater than 0".to_owned()
            }
            Field::Availability => "must be from 90 up to (not including) 100".to_owned(),
            _ => "must be 0 or more".to_owned(),
        })
    }
}

/// Criteria that only matter together (they feed one derived fact): a
/// question in a group is worth asking while a later one of it is open.
pub(crate) const TOGETHER: &[&[Field]] = &[
    &[
        Field::ConcurrentClients,
        Field::StateKbPerClient,
        Field::MemoryBudgetMb,
    ],
    &[Field::LatencyMs, Field::ContextRebuildMs],
    &[Field::ConcurrentClients, Field::ConnectionsPerInstance],
    &[Field::ConcurrentClients, Field::StateWritesPerS],
];

/// Criteria asked of every component, whatever its kind and answers.
pub(crate) const ALWAYS: &[Field] = &[Field::Traffic, Field::LatencyMs, Field::Availability];

/// Values tried for a number criterion to see whether it can change the
/// verdict.
pub(crate) fn probes(field: Field) -> &'static [&'static str] {
    if field == Field::Availability {
        &["90", "95", "99", "99.5", "99.9", "99.95", "99.99", "99.999"]
    } else {
        &[
            "0",
            "0.5",
            "1",
            "2",
            "5",
            "10",
            "20",
            "50",
            "100",
            "200",
            "500",
            "1000",
            "2000",
            "5000",
            "10000",
            "20000",
            "50000",
            "100000",
            "1000000",
            "10000000",
            "100000000",
        ]
    }
}
