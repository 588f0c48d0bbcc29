//! The prose of a decision record: the context, the decision drivers, the
//! options with their pros and cons applied to these components, the
//! outcome, the consequences and the Mermaid diagram. User text is escaped
//! as it lands; every sentence names only the components it is true of.

use serde::Serialize;

use crate::adapters::output::markdown::inline;
use crate::core::facts::{Origin, Value};
use crate::core::report::{ComponentReport, Report};
use crate::core::rules::rule::{Favors, Rule};
use crate::core::spec::field::Field;
use crate::core::spec::values::{Kind, Verdict};
use crate::core::text::{amount, show_number};

#[derive(Debug, Serialize)]
pub struct Driver {
    pub title: &'static str,
    pub summary: &'static str,
    pub effects_md: String,
    pub weight: u32,
}

#[derive(Debug, Serialize)]
pub struct OptionData {
    pub name: &'static str,
    pub title: &'static str,
    pub summary_md: String,
    pub pros_md: Vec<String>,
    pub cons_md: Vec<String>,
    pub chosen: bool,
}

#[derive(Debug, Serialize)]
pub struct Consequences {
    pub good_md: Vec<String>,
    pub bad_md: Vec<String>,
}

/// The criteria that group rules into decision drivers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Criterion {
    Realtime,
    Traffic,
    Latency,
    Memory,
    Sessions,
    SharedState,
    Transactions,
    Availability,
    Bandwidth,
    Platform,
    Evolution,
}

impl Criterion {
    /// The group a rule belongs to: the built-in rule file it comes from
    /// (`rules/traffic.yaml` is about traffic, whichever field a rule of
    /// it reads first), else the first field its condition reads.
    fn of_rule(rule: &Rule) -> Option<Criterion> {
        let stem = rule
            .file
            .strip_prefix("rules/")
            .and_then(|f| f.strip_suffix(".yaml"));
        let by_file = match (rule.builtin, stem) {
            (true, Some("realtime")) => Some(Criterion::Realtime),
            (true, Some("traffic")) => Some(Criterion::Traffic),
            (true, Some("latency")) => Some(Criterion::Latency),
            (true, Some("memory")) => Some(Criterion::Memory),
            (true, Some("sessions")) => Some(Criterion::Sessions),
            (true, Some("shared-state")) => Some(Criterion::SharedState),
            (true, Some("transactions")) => Some(Criterion::Transactions),
            (true, Some("availability")) => Some(Criterion::Availability),
            (true, Some("bandwidth")) => Some(Criterion::Bandwidth),
            (true, Some("platform")) => Some(Criterion::Platform),
            (true, Some("evolution")) => Some(Criterion::Evolution),
            _ => None,
        };
        by_file.or_else(|| rule.when.fields().first().map(|f| Criterion::of(*f)))
    }

    fn of(field: Field) -> Criterion {
        match field {
            Field::Realtime => Criterion::Realtime,
            Field::Traffic => Criterion::Traffic,
            Field::LatencyMs | Field::ContextRebuildMs | Field::RebuildShare => Criterion::Latency,
            Field::ConcurrentClients
            | Field::StateKbPerClient
            | Field::MemoryBudgetMb
            | Field::StateMemoryMb
            | Field::MemoryHeadroom => Criterion::Memory,
            Field::Session => Criterion::Sessions,
            Field::SharedState => Criterion::SharedState,
            Field::Transactions => Criterion::Transactions,
            Field::Availability
            | Field::DependentsAvailability
            | Field::DependsOnStateful
            | Field::Recovery => Criterion::Availability,
            Field::StateLocation => Criterion::Evolution,
            Field::RequestContextKb | Field::BandwidthKbps => Criterion::Bandwidth,
            Field::KeyedState
            | Field::Affinity
            | Field::StateWritesPerS
            | Field::WritesPerClientPerS => Criterion::SharedState,
            Field::ClientMayHoldState => Criterion::Sessions,
            Field::ConnectionsPerInstance | Field::InstancesNeeded => Criterion::Memory,
            Field::Kind
            | Field::DeployedWorkload
            | Field::DeployedReplicas
            | Field::DeployedAutoscaled
            | Field::DeployedPersistentStorage
            | Field::DeployedAffinity => Criterion::Platform,
        }
    }

    fn title(self) -> &'static str {
        match self {
            Criterion::Realtime => "Real-time communication with clients",
            Criterion::Traffic => "Traffic: spikes and peaks",
            Criterion::Latency => "Latency budget against rebuilding context",
            Criterion::Memory => "Memory per connection against the budget",
            Criterion::Sessions => "Sessions and tokens",
            Criterion::SharedState => "Shared live state",
            Criterion::Transactions => "Transactions and locks",
            Criterion::Availability => "Availability and failover",
            Criterion::Bandwidth => "Bandwidth of carrying context",
            Criterion::Platform => "What the component is and where it runs",
            Criterion::Evolution => "What the component must remember, now and as it grows",
        }
    }

    fn summary(self) -> &'static str {
        match self {
            Criterion::Realtime => {
                "a live channel per client ties that client to the instance holding it"
            }
            Criterion::Traffic => {
                "how load moves decides whether capacity can be added in minutes or must be planned ahead"
            }
            Criterion::Latency => {
                "context rebuilt on every request costs time the caller waits for"
            }
            Criterion::Memory => {
                "state kept per client costs memory on every instance that holds it"
            }
            Criterion::Sessions => {
                "a user's context either lives on the server or travels in a signed token"
            }
            Criterion::SharedState => {
                "clients acting on the same live state need one place that holds it"
            }
            Criterion::Transactions => "open transactions and locks are state by nature",
            Criterion::Availability => {
                "failover is simple only when no instance holds what others need"
            }
            Criterion::Bandwidth => "context the client carries is paid for on every request",
            Criterion::Platform => "some kinds of component and platform decide much of the answer",
            Criterion::Evolution => {
                "state nobody needs costs operations, and state added now is costly to take out later"
            }
        }
    }
}

/// Names as a Markdown list in prose: `a`, `b` and `c`.
fn names_md(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("**{}**", inline(n))).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

fn num(c: &ComponentReport, field: Field) -> Option<f64> {
    c.facts.get(field).and_then(Value::as_number)
}

fn word(c: &ComponentReport, field: Field) -> Option<&'static str> {
    match c.facts.get(field) {
        Some(Value::Word(w)) => Some(w),
        _ => None,
    }
}

fn flag(c: &ComponentReport, field: Field) -> bool {
    c.facts.get(field) == Some(Value::Bool(true))
}

pub(crate) fn context_md(report: &Report) -> String {
    let sys = &report.spec.system;
    let n = report.components.len();
    let mut out = format!("**{}**", inline(sys.name.as_str()));
    if sys.description.is_empty() {
        out.push_str(&format!(
            " has {n} {}.",
            plural(n, "component", "components")
        ));
    } else {
        out.push_str(&format!(
            ": {} It has {n} {}.",
            inline(sys.description.trim_end()),
            plural(n, "component", "components")
        ));
    }
    out.push_str(" For each we must decide whether it keeps client state in memory between requests (stateful), keeps none (stateless), or splits into a stateless front and a stateful core (hybrid).\n\n");
    for c in &report.components {
        out.push_str(&format!("* **{}** ({})", inline(c.name()), c.kind()));
        if !c.component.description.is_empty() {
            out.push_str(&format!(": {}", inline(c.component.description.trim_end())));
        }
        let facts = facts_md(c);
        if !facts.is_empty() {
            out.push_str(&format!(". Known: {}", inline(&facts)));
        }
        out.push_str(".\n");
    }
    out.truncate(out.trim_end().len());
    out
}

pub(crate) fn drivers(report: &Report) -> Vec<Driver> {
    use std::collections::BTreeMap;
    let mut groups: BTreeMap<Criterion, (u32, Vec<String>)> = BTreeMap::new();
    for c in &report.components {
        let mut per: BTreeMap<Criterion, (i64, i64)> = BTreeMap::new();
        for r in &c.fired {
            let Some(group) = Criterion::of_rule(r) else {
                continue;
            };
            let e = per.entry(group).or_default();
            match r.favors {
                Favors::Stateful => e.0 += i64::from(r.weight),
                Favors::Stateless => e.1 += i64::from(r.weight),
            }
        }
        for (criterion, (s, l)) in per {
            let g = groups.entry(criterion).or_default();
            g.0 += u32::try_from(s + l).unwrap_or(0);
            let side = match (s > 0, l > 0) {
                (true, false) => format!("stateful +{s}"),
                (false, true) => format!("stateless +{l}"),
                _ => format!("stateful +{s}, stateless +{l}"),
            };
            g.1.push(format!("**{}** ({side})", inline(c.name())));
        }
    }
    let mut out: Vec<Driver> = groups
        .into_iter()
        .map(|(criterion, (weight, effects))| Driver {
            title: criterion.title(),
            summary: criterion.summary(),
            effects_md: effects.join(", "),
            weight,
        })
        .collect();
    out.sort_by(|a, b| b.weight.cmp(&a.weight).then(a.title.cmp(b.title)));
    out
}

/// Components whose fired rules on `favors`' side read `criterion`.
fn touched<'r>(report: &'r Report, favors: Favors, criteria: &[Criterion]) -> Vec<&'r str> {
    report
        .components
        .iter()
        .filter(|c| {
            c.fired.iter().any(|r| {
                r.favors == favors && Criterion::of_rule(r).is_some_and(|g| criteria.contains(&g))
            })
        })
        .map(|c| c.name())
        .collect()
}

fn of_verdict<'r>(report: &'r Report, v: Verdict) -> Vec<&'r str> {
    report
        .components
        .iter()
        .filter(|c| c.verdict == v)
        .map(|c| c.name())
        .collect()
}

pub(crate) fn options(report: &Report, chosen: Verdict) -> Vec<OptionData> {
    let stateful = of_verdict(report, Verdict::Stateful);
    let stateless = of_verdict(report, Verdict::Stateless);
    let hybrid = of_verdict(report, Verdict::Hybrid);
    let not_stateless: Vec<&str> = stateful.iter().chain(&hybrid).copied().collect();
    let not_stateful: Vec<&str> = stateless.iter().chain(&hybrid).copied().collect();
    let live = touched(
        report,
        Favors::Stateful,
        &[Criterion::Realtime, Criterion::SharedState],
    );
    let latency = touched(
        report,
        Favors::Stateful,
        &[Criterion::Latency, Criterion::Bandwidth],
    );
    let owners = touched(
        report,
        Favors::Stateful,
        &[Criterion::Transactions, Criterion::Platform],
    );
    let spiky = touched(report, Favors::Stateless, &[Criterion::Traffic]);
    let memory = touched(report, Favors::Stateless, &[Criterion::Memory]);
    let sessions: Vec<&str> = report
        .components
        .iter()
        .filter(|c| word(c, Field::Session) == Some("per-user"))
        .map(|c| c.name())
        .collect();

    let mut all_stateful = OptionData {
        name: "stateful",
        title: "Stateful everywhere",
        summary_md: "Every component keeps its clients' context in memory between requests.".into(),
        pros_md: vec![
            "The server knows each client, which keeps business logic straightforward.".into(),
        ],
        cons_md: vec![],
        chosen: false,
    };
    if !live.is_empty() {
        all_stateful.pros_md.push(format!(
            "Live channels and shared state stay in one place for {}.",
            names_md(&live)
        ));
    }
    if !latency.is_empty() {
        all_stateful.pros_md.push(format!(
            "{} need not rebuild or resend context on every request.",
            names_md(&latency)
        ));
    }
    if !not_stateful.is_empty() {
        all_stateful.cons_md.push(format!(
            "{} would lose free horizontal scaling: instances would need session affinity and state replication.",
            names_md(&not_stateful)
        ));
    }
    if !spiky.is_empty() {
        all_stateful.cons_md.push(format!(
            "New instances start empty, so {} could not absorb sudden spikes.",
            names_md(&spiky)
        ));
    }
    if !memory.is_empty() {
        all_stateful.cons_md.push(format!(
            "Client state would overrun or strain the memory budget of {}.",
            names_md(&memory)
        ));
    }
    all_stateful.cons_md.push(
        "Moving a stateful service to stateless later is a long and costly refactoring.".into(),
    );

    let mut all_stateless = OptionData {
        name: "stateless",
        title: "Stateless everywhere",
        summary_md: "No component keeps client context; every request carries what it needs and durable data goes to a database.".into(),
        pros_md: vec![
            "Any instance serves any request: scaling out and failing over need no session affinity or replication.".into(),
            "Deploys and restarts lose nothing.".into(),
        ],
        cons_md: vec![],
        chosen: false,
    };
    if !spiky.is_empty() {
        all_stateless.pros_md.push(format!(
            "{} can meet {} traffic peaks by adding instances.",
            names_md(&spiky),
            plural(spiky.len(), "its", "their")
        ));
    }
    if !not_stateless.is_empty() {
        let n = not_stateless.len();
        all_stateless.cons_md.push(format!(
            "{} {} on state in memory; forcing {} stateless breaks or slows {}.",
            names_md(&not_stateless),
            plural(n, "depends", "depend"),
            plural(n, "it", "them"),
            plural(n, "it", "them")
        ));
    }
    if !live.is_empty() {
        all_stateless.cons_md.push(format!(
            "Live channels and shared state of {} cannot be rebuilt per request.",
            names_md(&live)
        ));
    }
    if !owners.is_empty() {
        all_stateless.cons_md.push(format!(
            "{} {} data, transactions or locks by nature.",
            names_md(&owners),
            plural(owners.len(), "owns", "own")
        ));
    }
    if !latency.is_empty() {
        all_stateless.cons_md.push(format!(
            "Rebuilding or resending context costs latency and bandwidth for {}.",
            names_md(&latency)
        ));
    }
    if !sessions.is_empty() {
        all_stateless.cons_md.push(format!(
            "Signed tokens for {} make early revocation harder (short expiry and a deny list).",
            names_md(&sessions)
        ));
    }

    let mut split = OptionData {
        name: "hybrid",
        title: "Per component, as advised (a hybrid system)",
        summary_md: "Each component gets the model its criteria call for; components with strong evidence both ways split into a stateless front and a stateful core.".into(),
        pros_md: vec!["Each component gets what its own criteria call for, no more.".into()],
        cons_md: vec![],
        chosen: false,
    };
    if !stateless.is_empty() {
        split.pros_md.push(format!(
            "{} {} freely.",
            names_md(&stateless),
            plural(
                stateless.len(),
                "scales out and fails over",
                "scale out and fail over"
            )
        ));
    }
    if !stateful.is_empty() {
        split.pros_md.push(format!(
            "{} {} in memory what must stay there.",
            names_md(&stateful),
            plural(stateful.len(), "keeps", "keep")
        ));
    }
    if !stateless.is_empty() && !not_stateless.is_empty() {
        split.cons_md.push("Two operating models side by side: stateful parts need replication, connection draining and capacity planning that stateless parts do not.".into());
    }
    if !hybrid.is_empty() {
        split.cons_md.push(format!(
            "{} must be split, and the boundary between front and core kept clean.",
            names_md(&hybrid)
        ));
    }
    if split.cons_md.is_empty() {
        split
            .cons_md
            .push("The split has to be revisited when a component's criteria change.".into());
    }

    let mut out = vec![all_stateless, all_stateful, split];
    let chosen_name = match chosen {
        Verdict::Stateless => "stateless",
        Verdict::Stateful => "stateful",
        Verdict::Hybrid => "hybrid",
    };
    for o in &mut out {
        o.chosen = o.name == chosen_name;
    }
    out
}

/// The titles of the rules that fired for `c` on the side of `v` (both
/// sides for hybrid), heaviest first.
fn side_titles(c: &ComponentReport, v: Verdict) -> Vec<String> {
    let mut fired: Vec<_> = c
        .fired
        .iter()
        .filter(|r| match v {
            Verdict::Stateful => r.favors == Favors::Stateful,
            Verdict::Stateless => r.favors == Favors::Stateless,
            Verdict::Hybrid => true,
        })
        .collect();
    fired.sort_by(|a, b| b.weight.cmp(&a.weight).then(a.id.cmp(&b.id)));
    fired
        .into_iter()
        .map(|r| crate::core::text::lower_first(&r.title))
        .collect()
}

/// The outcome for the components the team decided `v` for (the advice
/// where it decided nothing): one sentence for those that follow the
/// advice, naming only reasons that fired for every one of them (else a
/// sentence each), then a sentence per departure with the team's reason
/// and what it costs. A reason is never said of a component it did not
/// fire for.
fn group_sentence(report: &Report, v: Verdict) -> Option<String> {
    let members: Vec<&ComponentReport> = report
        .components
        .iter()
        .filter(|c| c.decided() == v && !c.departs())
        .collect();
    let mut out: Vec<String> = Vec::new();
    if let Some(first) = members.first() {
        let mut common = side_titles(first, v);
        for c in &members[1..] {
            let own = side_titles(c, v);
            common.retain(|t| own.contains(t));
        }
        if members.len() > 1 && common.is_empty() {
            out.extend(
                members
                    .iter()
                    .filter_map(|c| sentence(&[c.name()], v, &side_titles(c, v))),
            );
        } else {
            let names: Vec<&str> = members.iter().map(|c| c.name()).collect();
            out.extend(sentence(&names, v, &common));
        }
    }
    for c in report
        .components
        .iter()
        .filter(|c| c.decided() == v && c.departs())
    {
        out.push(departure_sentence(c));
    }
    (!out.is_empty()).then(|| out.join(" "))
}

/// A departure, said once: what the team decided against which advice, its
/// reason, and what the decided model costs this component.
fn departure_sentence(c: &ComponentReport) -> String {
    let decided = c.decided();
    let mut text = format!(
        "**{}** is **{decided}** by the team's decision, against the advice ({}, confidence {})",
        inline(c.name()),
        c.verdict,
        crate::core::text::confidence(c.confidence)
    );
    match c.component.decision_reason.as_deref().map(str::trim) {
        Some(reason) if !reason.is_empty() => {
            text.push_str(&format!(
                ", because: {}",
                inline(reason.trim_end_matches('.'))
            ));
        }
        _ => text.push_str("; no reason is recorded"),
    }
    text.push('.');
    let against: Vec<String> = side_titles(c, c.verdict)
        .into_iter()
        .filter(|t| !side_titles(c, decided).contains(t))
        .take(3)
        .collect();
    if !against.is_empty() {
        text.push_str(&format!(
            " It goes against what weighed for the advice: {}.",
            inline(&against.join("; "))
        ));
    }
    let costs = component_costs(c);
    if !costs.is_empty() {
        text.push_str(&format!(" What it costs: {}", costs.join(" ")));
    }
    text
}

/// `names` are `v`, for the reasons `titles` (at most three are said).
fn sentence(names: &[&str], v: Verdict, titles: &[String]) -> Option<String> {
    if names.is_empty() {
        return None;
    }
    let why = inline(
        &titles
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("; "),
    );
    let is = plural(names.len(), "is", "are");
    let they = plural(names.len(), "it", "they");
    let keep = plural(names.len(), "keeps", "keep");
    let scale = plural(names.len(), "scales", "scale");
    let its = plural(names.len(), "its", "their");
    let because = |text: &str| {
        if why.is_empty() {
            format!("{text}.")
        } else {
            format!("{text}, because {why}.")
        }
    };
    Some(match v {
        Verdict::Stateless if why.is_empty() => format!(
            "{} {is} **stateless**: {they} {keep} no client context and {scale} out behind a plain load balancer.",
            names_md(names)
        ),
        Verdict::Stateless => format!(
            "{} {is} **stateless**: {they} {keep} no client context and {scale} out behind a plain load balancer ({why}).",
            names_md(names)
        ),
        Verdict::Stateful => because(&format!(
            "{} {is} **stateful**: {they} {keep} {its} own state",
            names_md(names)
        )),
        Verdict::Hybrid if why.is_empty() => format!(
            "{} {is} **hybrid**: a stateless front takes the requests and the spikes, and a stateful core keeps only what must stay in memory.",
            names_md(names)
        ),
        Verdict::Hybrid => format!(
            "{} {is} **hybrid**: a stateless front takes the requests and the spikes, and a stateful core keeps only what must stay in memory ({why}).",
            names_md(names)
        ),
    })
}

pub(crate) fn outcome_md(report: &Report) -> String {
    let said = [Verdict::Stateless, Verdict::Hybrid, Verdict::Stateful]
        .into_iter()
        .filter_map(|v| group_sentence(report, v))
        .collect::<Vec<_>>()
        .join(" ");
    if report
        .components
        .iter()
        .any(|c| c.component.decision.is_some())
    {
        said
    } else {
        format!(
            "No component records a team decision yet, so this record proposes the advised split. {said}"
        )
    }
}

/// What the model the team decided for `c` costs it (the advice's model
/// where it decided nothing): pinned connections, memory, replication,
/// sessions or tokens, bandwidth, capacity planned ahead, transactions.
fn component_costs(c: &ComponentReport) -> Vec<String> {
    let mut out = Vec::new();
    let name = format!("**{}**", inline(c.name()));
    let keeps_state = c.decided() != Verdict::Stateless;
    let data_store = matches!(
        c.kind(),
        Kind::Database | Kind::Cache | Kind::SessionStore | Kind::MessageBroker
    );
    let connected = word(c, Field::Realtime).is_some_and(|r| r != "none")
        || (word(c, Field::Session) == Some("per-connection") && !data_store);
    if keeps_state && connected {
        out.push(format!(
            "Connections pin clients to instances of {name}: the load balancer must route each connection to the instance holding it, deploys must drain connections, and a crash drops its clients, who reconnect and resume from a store."
        ));
    }
    if let (Some(mb), true) = (num(c, Field::StateMemoryMb), keeps_state) {
        let clients = num(c, Field::ConcurrentClients)
            .map(amount)
            .unwrap_or_default();
        let per = num(c, Field::StateKbPerClient)
            .map(show_number)
            .unwrap_or_default();
        let mut text = format!(
            "{name} holds about {} MiB of client state ({clients} clients × {per} KiB)",
            amount(mb)
        );
        match (num(c, Field::MemoryBudgetMb), num(c, Field::MemoryHeadroom)) {
            (Some(budget), Some(h)) if h < 1.0 => text.push_str(&format!(
                ", more than its budget of {} MiB: shed state, shard it, or raise the budget.",
                amount(budget)
            )),
            (Some(budget), Some(h)) => text.push_str(&format!(
                "; the budget of {} MiB leaves {}× headroom.",
                amount(budget),
                amount(h)
            )),
            _ => text.push_str("; watch it as clients grow."),
        }
        out.push(text);
    }
    if keeps_state {
        if let Some(text) = recovery_cost(c, &name) {
            out.push(text);
        } else if let Some(a) = num(c, Field::Availability).filter(|a| *a >= 99.9) {
            out.push(format!(
                "To meet {}% availability, {name} must replicate its state (or run as a managed, replicated service): an instance that fails takes unreplicated state with it.",
                show_number(a)
            ));
        }
        if let (Some(n), Some(clients), Some(per)) = (
            num(c, Field::InstancesNeeded),
            num(c, Field::ConcurrentClients),
            num(c, Field::ConnectionsPerInstance),
        ) {
            out.push(format!(
                "{name} needs at least {} at the peak ({} clients at {} per instance), and one more so that losing an instance does not overload the rest.",
                crate::core::words::count(n as usize, "instance", "instances"),
                amount(clients),
                amount(per)
            ));
        }
    }
    let location = c.facts.get(Field::StateLocation).map(Value::words);
    let in_store = location
        .as_ref()
        .is_some_and(|l| l.contains(&"external-store") && !l.contains(&"client"));
    // Where the context goes is the migration's choice, not a fact yet.
    let moving_out = c
        .migration
        .as_ref()
        .is_some_and(|m| m.direction == crate::core::plan::Direction::OutOfTheProcess);
    match (word(c, Field::Session), keeps_state) {
        (Some("per-user"), true) => out.push(format!(
            "{name} keeps per-user sessions: a session store to run, size and replicate, or a single point of failure and sticky sessions."
        )),
        (Some("per-user"), false) if in_store => out.push(format!(
            "{name} reads each user's context from an external store: one lookup per request that needs it, and the store's availability bounds {name}'s."
        )),
        (Some("per-user"), false) if !moving_out => out.push(format!(
            "{name} carries each user's context in a signed token: revoking one before it expires needs short lifetimes and a deny list."
        )),
        _ => {}
    }
    if let Some(m) = &c.migration {
        let what = m.advice.strip_prefix("Migrate: ").unwrap_or(&m.advice);
        out.push(format!("{name} must migrate: {what} {}", m.cost));
    }
    if let (Some(kb), false) = (num(c, Field::RequestContextKb), keeps_state)
        && kb >= 8.0
    {
        out.push(format!(
            "Every request to {name} carries about {} KiB of context: more bandwidth per call.",
            show_number(kb)
        ));
    }
    if keeps_state && word(c, Field::Traffic) == Some("unpredictable") {
        out.push(format!(
            "{name} keeps state yet its traffic can surge: provision capacity ahead, since new instances start empty."
        ));
    }
    if flag(c, Field::Transactions) && keeps_state {
        out.push(format!("{name} holds transactions and locks: backups, tested failover and careful schema changes come with it."));
    }
    out
}

/// What how a stateful component's state survives costs, from `recovery`:
/// the risk of state nothing recovers under a high target, or what the
/// ways it recovers ask of the team.
fn recovery_cost(c: &ComponentReport, name: &str) -> Option<String> {
    use crate::core::plan;
    let decided = c.decided();
    if let Some(u) = plan::unrecovered(&c.facts, decided) {
        return Some(format!(
            "{name} keeps state that nothing recovers, yet {}: a lost instance loses its state for good, an outage the target does not allow.",
            u.target_words()
        ));
    }
    let words = c.facts.get(Field::Recovery)?.words();
    let ways: Vec<&str> = words
        .iter()
        .copied()
        .filter_map(crate::core::words::recovery_way)
        .collect();
    if ways.is_empty() {
        return Some(if words.contains(&"disposable") {
            format!(
                "{name} restarts empty after a failure: its state is harmless to lose, so nothing is replicated, and whatever it held is gone."
            )
        } else {
            format!(
                "{name} loses its state with a failed instance and its clients start over: nothing recovers it."
            )
        });
    }
    let asks = plan::recovery_advice(&c.facts, decided);
    let first = asks
        .iter()
        .find(|a| !a.starts_with("Its state is harmless"))
        .map(|a| format!(" {a}"))
        .unwrap_or_default();
    Some(format!(
        "{name} recovers its state from {}.{first}",
        crate::core::text::and_list(&ways)
    ))
}

/// The consequences of the split the team decided (the advice where it
/// decided nothing).
pub(crate) fn consequences(report: &Report) -> Consequences {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let decided = |v: Verdict| -> Vec<&str> {
        report
            .components
            .iter()
            .filter(|c| c.decided() == v)
            .map(|c| c.name())
            .collect()
    };
    let stateless = decided(Verdict::Stateless);
    let stateful = decided(Verdict::Stateful);
    let hybrid = decided(Verdict::Hybrid);
    if !stateless.is_empty() {
        good.push(format!(
            "{} {} behind a plain load balancer: no session affinity, no session migration, any instance serves any request.",
            names_md(&stateless),
            plural(stateless.len(), "scales out and fails over", "scale out and fail over")
        ));
    }
    if !stateful.is_empty() {
        good.push(format!(
            "{} {}",
            names_md(&stateful),
            plural(
                stateful.len(),
                "keeps the state it works on itself, so it rebuilds no context per request.",
                "keep the state they work on themselves, so they rebuild no context per request."
            )
        ));
    }
    if !hybrid.is_empty() {
        good.push(format!(
            "{} {}",
            names_md(&hybrid),
            plural(
                hybrid.len(),
                "absorbs spikes in its stateless front while its core keeps only what must stay in memory.",
                "absorb spikes in their stateless fronts while their cores keep only what must stay in memory."
            )
        ));
    }
    for c in &report.components {
        bad.extend(component_costs(c));
    }
    // The graph: a stateless component is only as available as the stateful
    // components it depends on.
    for c in report
        .components
        .iter()
        .filter(|c| c.decided() == Verdict::Stateless)
    {
        let stateful: Vec<&str> = c
            .component
            .depends_on
            .iter()
            .filter_map(|d| report.components.iter().find(|o| o.name() == d.as_str()))
            .filter(|d| d.decided() != Verdict::Stateless)
            .map(|d| d.name())
            .collect();
        if !stateful.is_empty() {
            bad.push(format!(
                "**{}** keeps no state itself but depends on {}, which {}: it is only as available as {}, so {} must be replicated to its availability target or better.",
                inline(c.name()),
                names_md(&stateful),
                plural(stateful.len(), "keeps state", "keep state"),
                plural(stateful.len(), "that dependency", "those dependencies"),
                plural(stateful.len(), "it", "they")
            ));
        }
    }
    if stateless.len() + hybrid.len() > 0 && stateful.len() + hybrid.len() > 0 {
        bad.push("Two operating models side by side: stateful services are deployed, scaled and monitored differently from stateless ones.".into());
    }
    good.dedup();
    bad.dedup();
    Consequences {
        good_md: good,
        bad_md: bad,
    }
}

pub(crate) fn departures_md(report: &Report) -> Vec<String> {
    report
        .components
        .iter()
        .filter(|c| c.departs())
        .map(|c| {
            let decided = c.component.decision.map_or("", |d| d.as_str());
            let reason = c.component.decision_reason.as_deref().map_or_else(
                || "no reason is recorded".to_owned(),
                |r| format!("because: {}", inline(r.trim_end())),
            );
            format!(
                "**{}** is decided **{decided}** although the advice is {}, {reason}",
                inline(c.name()),
                c.verdict
            )
        })
        .collect()
}

/// The facts a person wrote or a kind implied, in one line.
pub(crate) fn facts_md(c: &ComponentReport) -> String {
    let parts: Vec<String> = c
        .facts
        .iter()
        .filter(|(_, _, o)| *o != Origin::Default)
        .filter_map(|(f, v, o)| {
            let phrase = crate::core::words::fact(f, v, &c.facts)?;
            Some(match o {
                Origin::Kind => format!("{phrase} (from the kind)"),
                _ => phrase,
            })
        })
        .collect();
    parts.join(", ")
}

pub(crate) fn inline_facts(s: &str) -> String {
    inline(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_join_in_prose() {
        assert_eq!(names_md(&["a"]), "**a**");
        assert_eq!(names_md(&["a", "b", "c"]), "**a**, **b** and **c**");
        assert_eq!(names_md(&["<b>"]), "**&lt;b&gt;**");
    }
}
