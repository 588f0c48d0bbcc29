//! The questions about a component's criteria, in plain words, each with
//! the value every answer stands for, and the check of typed numbers.

use crate::core::spec::field::Field;
use crate::core::spec::values::{Availability, Count, NonNegative, Positive};

pub(crate) const DONT_KNOW: &str = "I don't know";

/// A multiple-choice question about an enum or bool field, with the value
/// each answer stands for (`None` for "I don't know").
pub(crate) struct Choice {
    pub(crate) field: Field,
    pub(crate) prompt: &'static str,
    pub(crate) answers: &'static [(&'static str, &'static str)],
}

/// A numeric question.
pub(crate) struct Number {
    pub(crate) field: Field,
    pub(crate) prompt: &'static str,
}

pub(crate) enum Question {
    Choice(Choice),
    Number(Number),
}

pub(crate) const QUESTIONS: &[Question] = &[
    Question::Choice(Choice {
        field: Field::Realtime,
        prompt: "Does it hold a live channel with its clients?",
        answers: &[
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
    }),
    Question::Choice(Choice {
        field: Field::Traffic,
        prompt: "How does its traffic behave?",
        answers: &[
            ("Steady", "steady"),
            ("It peaks at times we know in advance", "predictable-peaks"),
            ("It can surge without warning", "unpredictable"),
        ],
    }),
    Question::Number(Number {
        field: Field::LatencyMs,
        prompt: "p99 latency it must meet, in ms (empty: don't know)",
    }),
    Question::Number(Number {
        field: Field::ContextRebuildMs,
        prompt: "Time to rebuild a client's context per request, in ms (empty: don't know)",
    }),
    Question::Number(Number {
        field: Field::ConcurrentClients,
        prompt: "Clients or connections at once, at the peak (empty: don't know)",
    }),
    Question::Number(Number {
        field: Field::StateKbPerClient,
        prompt: "State per client if kept in memory, in KiB (empty: don't know)",
    }),
    Question::Number(Number {
        field: Field::MemoryBudgetMb,
        prompt: "Memory you can spend on that state, all instances, in MiB (empty: don't know)",
    }),
    Question::Choice(Choice {
        field: Field::Session,
        prompt: "Does it need a client's context across requests?",
        answers: &[
            ("No: every request stands alone", "none"),
            ("Yes: per logged-in user", "per-user"),
            ("Yes: for as long as a connection is open", "per-connection"),
        ],
    }),
    Question::Choice(Choice {
        field: Field::SharedState,
        prompt: "Do several clients act on the same live state (a document, a room, a match)?",
        answers: &[("No", "false"), ("Yes", "true")],
    }),
    Question::Choice(Choice {
        field: Field::Transactions,
        prompt: "Does it own transactional data (commit, rollback, locks)?",
        answers: &[("No", "false"), ("Yes", "true")],
    }),
    Question::Number(Number {
        field: Field::Availability,
        prompt: "Availability target in percent, 90 to below 100 (empty: don't know)",
    }),
    Question::Number(Number {
        field: Field::RequestContextKb,
        prompt: "Context each request would carry if clients held it, in KiB (empty: don't know)",
    }),
];

/// Checks a typed number for `field` ("" means unknown).
pub fn check_number(field: Field, text: &str) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let v: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number; type digits, or leave it empty"))?;
    let ok = match field {
        Field::LatencyMs | Field::MemoryBudgetMb => Positive::new(v).is_some(),
        Field::ConcurrentClients => Count::new(v).is_some(),
        Field::Availability => Availability::new(v).is_some(),
        _ => NonNegative::new(v).is_some(),
    };
    if ok {
        Ok(Some(v))
    } else {
        Err(match field {
            Field::LatencyMs | Field::MemoryBudgetMb => "must be greater than 0".to_owned(),
            Field::ConcurrentClients => "must be a whole number greater than 0".to_owned(),
            Field::Availability => "must be from 90 up to (not including) 100".to_owned(),
            _ => "must be 0 or more".to_owned(),
        })
    }
}
