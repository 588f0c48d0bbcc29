//! Integration tests: they run the real binary (and, for the scenario table,
//! the library), in a fresh temporary directory with `NO_COLOR=1` and
//! `COLUMNS=120`, so every output is deterministic.
//!
//! Snapshots live in `tests/integration/snapshots/`; they are the spec of
//! the messages and outputs. To accept a deliberate change, run
//! `INSTA_UPDATE=always cargo test --test integration` and review the diff.

#[path = "integration/util.rs"]
mod util;

#[path = "integration/adr.rs"]
mod adr;
#[path = "integration/adr_log.rs"]
mod adr_log;
#[path = "integration/analyze.rs"]
mod analyze;
#[path = "integration/architecture.rs"]
mod architecture;
#[path = "integration/ask.rs"]
mod ask;
#[path = "integration/check.rs"]
mod check;
#[path = "integration/commands.rs"]
mod commands;
#[path = "integration/completions.rs"]
mod completions;
#[path = "integration/config.rs"]
mod config;
#[path = "integration/deploy.rs"]
mod deploy;
#[path = "integration/diagrams.rs"]
mod diagrams;
#[path = "integration/diff.rs"]
mod diff;
#[path = "integration/errors.rs"]
mod errors;
#[path = "integration/explain.rs"]
mod explain;
#[path = "integration/graph.rs"]
mod graph;
#[path = "integration/hostile.rs"]
mod hostile;
#[path = "integration/hostile_records.rs"]
mod hostile_records;
#[path = "integration/hostile_templates.rs"]
mod hostile_templates;
#[path = "integration/import.rs"]
mod import;
#[path = "integration/interop.rs"]
mod interop;
#[path = "integration/json.rs"]
mod json;
#[path = "integration/migration.rs"]
mod migration;
#[path = "integration/pipeline.rs"]
mod pipeline;
#[path = "integration/properties.rs"]
mod properties;
#[path = "integration/public_systems.rs"]
mod public_systems;
#[path = "integration/readme.rs"]
mod readme;
#[path = "integration/rules.rs"]
mod rules;
#[path = "integration/scenarios.rs"]
mod scenarios;
