//! What the verdict means for the component as it runs today: the
//! migration when where its state lives (`state_location`) disagrees with
//! the decided verdict, the advice that follows from how its state survives
//! (`recovery`), and the capacity its clients need (`connections_per_instance`,
//! `bandwidth_kbps`). Pure: facts and a verdict in, sentences out. The
//! sentences name no component; outputs put the name in front.

use serde::Serialize;

use crate::core::facts::{Facts, Value};
use crate::core::spec::field::Field;
use crate::core::spec::values::Verdict;
use crate::core::text::{amount, and_list, yaml_number};
use crate::core::words::place;

/// Which way state has to move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Out of the component's own memory or disk, into a store or the client.
    OutOfTheProcess,
    /// Into the memory of instances that own it.
    IntoTheProcess,
    /// Split: keep the live part in memory, move the rest out.
    SplitOut,
    /// Split: add a stateful core for the live part.
    SplitIn,
}

/// The move a decided verdict asks of a component, given where its state
/// lives today.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Migration {
    /// Where the state lives today, as the spec says (`state_location`).
    pub from: Vec<&'static str>,
    /// The verdict it moves to (decided, else advised).
    pub to: Verdict,
    /// Which way the state moves.
    pub direction: Direction,
    /// What moves where, as advice.
    pub advice: String,
    /// What the move costs, for the record's consequences.
    pub cost: String,
}

/// The places where state is held by the component itself.
const OWN: [&str; 2] = ["memory", "local-disk"];

fn places(words: &[&'static str]) -> String {
    let named: Vec<&str> = words.iter().copied().filter_map(place).collect();
    and_list(&named)
}

const EXPENSIVE: &str = "Moving state out of a running service is the expensive direction: every code path that reads or writes it changes, and both designs run side by side until the move is done (teams report months of work for a large service).";
const CHEAPER: &str = "Moving state into the service is the cheaper direction, but it brings routing each client or key to its owner, a way to recover the state when an instance fails, and draining on every deploy.";

/// The migration `verdict` asks of a component with these facts, or `None`
/// when the spec does not say where its state lives, or it already lives
/// where the verdict puts it.
pub fn migration(facts: &Facts, verdict: Verdict) -> Option<Migration> {
    let from = facts.get(Field::StateLocation)?.words();
    let holds_itself: Vec<&'static str> =
        from.iter().copied().filter(|w| OWN.contains(w)).collect();
    let elsewhere = from
        .iter()
        .any(|w| matches!(*w, "external-store" | "client"));
    let client_may = facts.get(Field::ClientMayHoldState) != Some(Value::Bool(false));
    let (direction, advice, cost) = match verdict {
        Verdict::Stateless if !holds_itself.is_empty() => {
            let to = if client_may {
                "an external store (a database, a cache or a session store) or, for small context the client may hold, a signed token it sends back"
            } else {
                "an external store (a database, a cache or a session store); the client may not hold it"
            };
            (
                Direction::OutOfTheProcess,
                format!(
                    "Migrate: move what it keeps in {} to {to}, so that any instance can serve any request.",
                    places(&holds_itself)
                ),
                EXPENSIVE.to_owned(),
            )
        }
        Verdict::Stateful if holds_itself.is_empty() => {
            let advice = if from == ["none"] {
                "Migrate: it keeps no state today; give the state it needs an owner, instances that hold it in memory with each client or key routed to its owner, and a durable copy in a store.".to_owned()
            } else {
                format!(
                    "Migrate: move the state it reads from {} on every request into the memory of the instances that own it, route each client or key to its owner, and keep {} as the durable copy.",
                    places(&from),
                    if from.contains(&"external-store") {
                        "the store"
                    } else {
                        "a store"
                    }
                )
            };
            (Direction::IntoTheProcess, advice, CHEAPER.to_owned())
        }
        Verdict::Hybrid if !holds_itself.is_empty() && !elsewhere => (
            Direction::SplitOut,
            format!(
                "Migrate: keep in memory only what must stay live (open connections, hot state per key) and move the rest from {} to an external store, so the front can scale out freely.",
                places(&holds_itself)
            ),
            EXPENSIVE.to_owned(),
        ),
        Verdict::Hybrid if holds_itself.is_empty() => (
            Direction::SplitIn,
            format!(
                "Migrate: add a stateful core that holds the live part in memory, in front of {} it relies on today.",
                if from == ["none"] {
                    "the stores".to_owned()
                } else {
                    places(&from)
                }
            ),
            CHEAPER.to_owned(),
        ),
        _ => return None,
    };
    Some(Migration {
        from,
        to: verdict,
        direction,
        advice,
        cost,
    })
}

/// The availability target that makes losing state an outage: the
/// component's own, else its callers'.
fn target(facts: &Facts) -> Option<f64> {
    facts
        .get(Field::Availability)
        .or_else(|| facts.get(Field::DependentsAvailability))
        .and_then(Value::as_number)
}

/// From this availability target up, state nothing recovers is a risk.
pub const HIGH_AVAILABILITY: f64 = 99.9;

/// State kept with nothing to recover it, under a high availability target.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unrecovered {
    /// The target, in percent.
    pub target: f64,
    /// Whether the target is the component's own (else its callers').
    pub own: bool,
}

impl Unrecovered {
    /// "it targets 99.95% availability", or "its callers target …".
    pub fn target_words(self) -> String {
        format!(
            "{} {}% availability",
            if self.own {
                "it targets"
            } else {
                "its callers target"
            },
            yaml_number(self.target)
        )
    }

    /// The risk and its fix, as a sentence starting in lower case.
    pub fn risk(self) -> String {
        format!(
            "nothing recovers the state it keeps, yet {}: a lost instance loses its state for good. Add replicas, a checkpoint or a journal, or say that losing it is harmless (`recovery: disposable`).",
            self.target_words()
        )
    }
}

/// Whether a component decided stateful or hybrid says nothing recovers
/// its state (`recovery: none`) under a target of [`HIGH_AVAILABILITY`] or
/// more, its own or else its callers'.
pub fn unrecovered(facts: &Facts, verdict: Verdict) -> Option<Unrecovered> {
    if verdict == Verdict::Stateless {
        return None;
    }
    let words = facts.get(Field::Recovery)?.words();
    let target = target(facts)?;
    (words == ["none"] && target >= HIGH_AVAILABILITY).then(|| Unrecovered {
        target,
        own: facts.get(Field::Availability).is_some(),
    })
}

/// The risk of [`unrecovered`] state, as advice.
pub fn recovery_risk(facts: &Facts, verdict: Verdict) -> Option<String> {
    unrecovered(facts, verdict).map(|u| format!("Risk: {}", u.risk()))
}

/// Advice that follows from how the component's state survives, one line
/// per way stated, the risk first; none for a stateless component.
pub fn recovery_advice(facts: &Facts, verdict: Verdict) -> Vec<String> {
    if verdict == Verdict::Stateless {
        return Vec::new();
    }
    let Some(words) = facts.get(Field::Recovery).map(Value::words) else {
        return Vec::new();
    };
    let mut out: Vec<String> = recovery_risk(facts, verdict).into_iter().collect();
    for w in words {
        let line = match w {
            "none" if out.is_empty() => {
                "Nothing recovers the state it keeps: a lost instance loses it and its clients start over; make sure that is acceptable."
            }
            "checkpoint" => {
                "Restoring from a checkpoint loses what changed since the last one: set the interval to what you can afford to lose, and time a full restore."
            }
            "journal" => {
                "Replaying the journal after a crash takes longer as it grows: snapshot it regularly and test a full restore."
            }
            "replay" => {
                "Replaying events needs the source to keep them for as long as the oldest state it rebuilds: set its retention to match, and time the replay against your recovery target."
            }
            "replicas" => {
                "Live replicas take over quickly, but every write pays for the copy: place them in other zones and rehearse failover."
            }
            "rebuild" => {
                "Rebuilding from another component ties its recovery to that component: time the rebuild, and throttle it so a mass restart does not overload the source."
            }
            "from-clients" => {
                "When clients send their state again after reconnecting, a crash becomes a reconnect storm: add jittered backoff and make the resend idempotent."
            }
            "disposable" => {
                "Its state is harmless to lose: restart instances empty, with no replication to run."
            }
            _ => continue,
        };
        out.push(line.to_owned());
    }
    out
}

/// What the peak takes in instances (and bandwidth per instance), when the
/// spec gives clients and clients per instance.
pub fn capacity(facts: &Facts) -> Option<String> {
    let n = facts
        .get(Field::InstancesNeeded)
        .and_then(Value::as_number)?;
    let clients = facts
        .get(Field::ConcurrentClients)
        .and_then(Value::as_number)?;
    let per = facts
        .get(Field::ConnectionsPerInstance)
        .and_then(Value::as_number)?;
    let mut line = format!(
        "Capacity: {} clients at {} per instance need at least {} at the peak; run one more so that losing an instance does not overload the rest",
        amount(clients),
        amount(per),
        crate::core::words::count(n as usize, "instance", "instances"),
    );
    if let Some(kbps) = facts.get(Field::BandwidthKbps).and_then(Value::as_number) {
        let mbps = kbps * per.min(clients) / 1000.0;
        if mbps > 0.0 {
            line.push_str(&format!(
                ", each carrying about {} Mbit/s ({} clients × {} kbit/s)",
                amount(mbps),
                amount(per.min(clients)),
                amount(kbps)
            ));
        }
    }
    line.push('.');
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::words::tests::facts;

    #[test]
    fn a_migration_only_where_the_location_disagrees_with_the_verdict() {
        use Verdict::*;
        let cases = [
            (
                "state_location: memory",
                Stateless,
                Some(Direction::OutOfTheProcess),
            ),
            (
                "state_location: [memory, external-store]",
                Stateless,
                Some(Direction::OutOfTheProcess),
            ),
            (
                "state_location: local-disk",
                Stateless,
                Some(Direction::OutOfTheProcess),
            ),
            ("state_location: external-store", Stateless, None),
            ("state_location: [client, external-store]", Stateless, None),
            ("state_location: none", Stateless, None),
            ("state_location: memory", Stateful, None),
            ("state_location: [memory, external-store]", Stateful, None),
            (
                "state_location: external-store",
                Stateful,
                Some(Direction::IntoTheProcess),
            ),
            (
                "state_location: none",
                Stateful,
                Some(Direction::IntoTheProcess),
            ),
            (
                "state_location: client",
                Stateful,
                Some(Direction::IntoTheProcess),
            ),
            ("state_location: memory", Hybrid, Some(Direction::SplitOut)),
            (
                "state_location: external-store",
                Hybrid,
                Some(Direction::SplitIn),
            ),
            ("state_location: [memory, external-store]", Hybrid, None),
            ("kind: chat", Stateless, None),
        ];
        for (yaml, verdict, want) in cases {
            let m = migration(&facts(yaml), verdict);
            assert_eq!(m.as_ref().map(|m| m.direction), want, "{yaml} -> {verdict}");
            if let Some(m) = m {
                assert!(m.advice.starts_with("Migrate: "), "{}", m.advice);
                assert_eq!(m.to, verdict);
            }
        }
        // Out of the process: the expensive way, and no token when the
        // client may not hold the state.
        let m = migration(
            &facts("state_location: memory, client_may_hold_state: false"),
            Stateless,
        )
        .unwrap();
        assert!(!m.advice.contains("token"), "{}", m.advice);
        assert!(m.advice.contains("its own process memory"), "{}", m.advice);
        assert!(m.cost.contains("expensive direction"), "{}", m.cost);
        let m = migration(&facts("state_location: memory"), Stateless).unwrap();
        assert!(m.advice.contains("signed token"), "{}", m.advice);
        let m = migration(&facts("state_location: external-store"), Stateful).unwrap();
        assert!(m.cost.contains("cheaper direction"), "{}", m.cost);
        assert!(
            m.advice.contains("keep the store as the durable copy"),
            "{}",
            m.advice
        );
    }

    #[test]
    fn recovery_advice_follows_the_ways_stated_and_names_the_risk() {
        let f = facts("recovery: none, availability: 99.95");
        let risk = recovery_risk(&f, Verdict::Stateful).unwrap();
        assert!(risk.contains("it targets 99.95% availability"), "{risk}");
        assert_eq!(recovery_advice(&f, Verdict::Stateful), vec![risk]);
        assert_eq!(recovery_risk(&f, Verdict::Stateless), None);
        assert!(recovery_advice(&f, Verdict::Stateless).is_empty());
        // Below the target: no risk, but the loss is still said.
        let f = facts("recovery: none, availability: 99.5");
        assert_eq!(recovery_risk(&f, Verdict::Stateful), None);
        let lines = recovery_advice(&f, Verdict::Hybrid);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].starts_with("Nothing recovers"), "{lines:?}");
        let f = facts("recovery: [checkpoint, replicas]");
        let lines = recovery_advice(&f, Verdict::Stateful);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].contains("checkpoint") && lines[1].contains("replicas"));
        assert!(recovery_advice(&facts("kind: chat"), Verdict::Stateful).is_empty());
    }

    #[test]
    fn capacity_needs_clients_and_clients_per_instance() {
        let f = facts(
            "concurrent_clients: 250000, connections_per_instance: 60000, bandwidth_kbps: 40",
        );
        assert_eq!(
            capacity(&f).unwrap(),
            "Capacity: 250,000 clients at 60,000 per instance need at least 5 instances at the peak; run one more so that losing an instance does not overload the rest, each carrying about 2,400 Mbit/s (60,000 clients × 40 kbit/s)."
        );
        let f = facts("concurrent_clients: 10, connections_per_instance: 500");
        assert_eq!(
            capacity(&f).unwrap(),
            "Capacity: 10 clients at 500 per instance need at least 1 instance at the peak; run one more so that losing an instance does not overload the rest."
        );
        assert_eq!(capacity(&facts("concurrent_clients: 10")), None);
    }
}
