//! The arguments: clap's derive types for every command and flag, and
//! nothing else. The dispatcher in `mod.rs` turns them into requests.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use clap_complete::engine::ArgValueCompleter;

use crate::cli::complete;
use crate::cli::targets::{Target, target};

/// Architecture decision advisor: stateful, stateless or hybrid, per component.
#[derive(Debug, Parser)]
#[command(name = "statewise", version, about, long_about = None, propagate_version = true)]
#[command(
    after_help = "Start with `statewise init` to write a commented spec, then `statewise analyze`."
)]
pub(crate) struct Cli {
    /// Say on standard error which files were chosen and why (the record folder)
    #[arg(long, short, global = true)]
    pub(crate) verbose: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
    /// Colour: `auto` (a terminal, unless NO_COLOR, CLICOLOR or CLICOLOR_FORCE say otherwise), `always`, `never`
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub(crate) color: ColorWhen,
    /// Print nothing on standard output: only errors, on standard error (files asked with `--format FORMAT=PATH` are still written)
    #[arg(long, short, global = true)]
    pub(crate) quiet: bool,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorWhen {
    /// On a terminal, as NO_COLOR, CLICOLOR and CLICOLOR_FORCE say
    Auto,
    /// Always, even in a pipe or a file
    Always,
    /// Never
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Recommend stateful, stateless or hybrid for every component and the system
    Analyze(AnalyzeArgs),
    /// Write the next decision record (ADR) for the spec, or list the records
    Adr(AdrArgs),
    /// Answer questions about your system; writes the spec, shows the advice, offers the ADR
    Ask(AskArgs),
    /// CI gate: decisions against the advice, and the recorded ADR against the spec
    Check(CheckArgs),
    /// Why a component got its verdict, and what would flip it
    Explain(ExplainArgs),
    /// What moved between two versions of a spec: changed values and verdicts
    Diff(DiffArgs),
    /// Inspect the rules, or validate custom rule files
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// List the kinds of component, what each is and the criteria it fills in
    Kinds {
        /// Output format
        #[arg(long, short, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Print the JSON Schema of the spec, for editor completion
    Schema,
    /// Write a spec from Compose files, Kubernetes manifests or Backstage catalogs (never overwrites)
    Import(ImportArgs),
    /// Write a commented starter spec (never overwrites)
    Init {
        /// Where to write it; `-` prints it instead
        #[arg(default_value = "statewise.yaml")]
        file: PathBuf,
    },
    /// Print the effective configuration: each value and where it came from (flag, environment, statewise.toml, default)
    Config,
    /// Print the man page (roff), e.g. `statewise man > statewise.1`
    Man,
    /// Print shell completions
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
}

/// Where rules come from.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct RuleArgs {
    /// Add custom rules from a file or a folder of `*.yaml` files (repeatable)
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Use only the rules given with `--rules`
    #[arg(long)]
    pub no_default_rules: bool,
}

#[derive(Debug, Args)]
pub(crate) struct AnalyzeArgs {
    /// The spec file; `-` reads standard input [default: STATEWISE_SPEC, else `spec` in statewise.toml, else statewise.yaml]
    pub(crate) spec: Option<String>,
    /// Output format: table, json or markdown; `=PATH` writes it to a file instead of standard output (repeatable) [default: STATEWISE_FORMAT, else `format` in statewise.toml, else table]
    #[arg(long, short, value_name = "FORMAT[=PATH]", value_parser = target::<Format>)]
    pub(crate) format: Vec<Target<Format>>,
    /// Deployment files or folders (Compose, Kubernetes) to read as evidence, instead of the spec's `system.deploy` (repeatable)
    #[arg(long, value_name = "PATH")]
    pub(crate) deploy: Vec<String>,
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct AdrArgs {
    #[command(subcommand)]
    pub(crate) command: Option<AdrCommand>,
    /// The spec file; `-` reads standard input [default: STATEWISE_SPEC, else `spec` in statewise.toml, else statewise.yaml]
    pub(crate) spec: Option<String>,
    #[command(flatten)]
    pub(crate) record: RecordArgs,
    /// Number of the record this one supersedes; it is marked superseded, linking both ways
    #[arg(long, value_name = "N", add = ArgValueCompleter::new(complete::record_numbers))]
    pub(crate) supersedes: Option<u32>,
    /// Print the record instead of writing it
    #[arg(long)]
    pub(crate) stdout: bool,
    /// Write a new record even when the latest one for the system is still proposed (which is otherwise rewritten in place)
    #[arg(long)]
    pub(crate) new: bool,
    /// Write the built-in templates into DIR as a starting point, and stop
    #[arg(long, value_name = "DIR", exclusive = true)]
    pub(crate) export_templates: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
}

/// How a decision record is written; shared by `adr` and `ask`.
#[derive(Debug, Args)]
pub(crate) struct RecordArgs {
    /// Record folder [default: STATEWISE_ADR_DIR, else `adr-dir` in statewise.toml, else found from here up to the repository root]
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
    /// Title [default: "State management for <system>"]
    #[arg(long)]
    pub(crate) title: Option<String>,
    /// Status of the new record
    #[arg(long, value_enum, default_value_t = Status::Proposed)]
    pub(crate) status: Status,
    /// Date, YYYY-MM-DD [default: today, or SOURCE_DATE_EPOCH when set]
    #[arg(long)]
    pub(crate) date: Option<String>,
    /// `madr` (MADR 4), `nygard` (as adr-tools writes), or the path of a Handlebars template [default: STATEWISE_TEMPLATE, else `template` in statewise.toml, else madr]
    #[arg(long, value_name = "madr|nygard|PATH", add = ArgValueCompleter::new(complete::templates))]
    pub(crate) template: Option<String>,
}

/// `statewise check`.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The spec file; `-` reads standard input [default: STATEWISE_SPEC, else `spec` in statewise.toml, else statewise.yaml]
    pub(crate) spec: Option<String>,
    /// Record folder [default: STATEWISE_ADR_DIR, else `adr-dir` in statewise.toml, else found from here up to the repository root]
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
    /// Report format: text, json, github, sarif, junit, gitlab or markdown; `=PATH` writes it to a file instead of standard output; repeat it for several reports from one run [default: text]
    #[arg(long, short, value_name = "FORMAT[=PATH]", value_parser = target::<CheckFormat>)]
    pub(crate) format: Vec<Target<CheckFormat>>,
    /// The least severity that fails the check; `never` only reports [default: STATEWISE_FAIL_ON, else `fail-on` in statewise.toml, else error]
    #[arg(long, value_enum)]
    pub(crate) fail_on: Option<FailOn>,
    /// Fail when the system has no decision record yet
    #[arg(long)]
    pub(crate) require_adr: bool,
    /// Report only findings that are not in this baseline file; entries that match nothing are flagged as stale
    #[arg(long, value_name = "FILE", conflicts_with = "create_baseline")]
    pub(crate) baseline: Option<PathBuf>,
    /// Write today's findings to FILE as the baseline, then report as if it were given with `--baseline`
    #[arg(long, value_name = "FILE")]
    pub(crate) create_baseline: Option<PathBuf>,
    /// Ignore the `waivers` of the spec: report every finding
    #[arg(long)]
    pub(crate) no_waivers: bool,
    /// Deployment files or folders (Compose, Kubernetes) to read to compare with the decisions, instead of the spec's `system.deploy` (repeatable)
    #[arg(long, value_name = "PATH")]
    pub(crate) deploy: Vec<String>,
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
}

/// The least severity that fails `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    /// Errors fail (default)
    Error,
    /// Warnings fail too
    Warning,
    /// Notes fail too: any finding fails
    Note,
    /// Nothing fails: report only
    Never,
}

/// `statewise explain`.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The spec file; `-` reads standard input
    pub(crate) spec: String,
    /// The component to explain
    #[arg(add = ArgValueCompleter::new(complete::components))]
    pub(crate) component: String,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = TextFormat::Text)]
    pub(crate) format: TextFormat,
    /// Deployment files or folders (Compose, Kubernetes) to read as evidence, instead of the spec's `system.deploy` (repeatable)
    #[arg(long, value_name = "PATH")]
    pub(crate) deploy: Vec<String>,
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
}

/// `statewise diff`.
#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// The spec before; `-` reads standard input
    pub(crate) old: String,
    /// The spec after; `-` reads standard input
    pub(crate) new: String,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = DiffFormat::Text)]
    pub(crate) format: DiffFormat,
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
}

/// Output format of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffFormat {
    /// One component per paragraph, for people
    Text,
    /// One JSON object, versioned
    Json,
    /// A Markdown table, ready for a pull-request comment
    Markdown,
}

/// `statewise import`.
#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// Compose files, Kubernetes manifests (`helm template` output too), Backstage catalog files, or folders of them; `-` reads standard input
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<String>,
    /// Where to write the spec; an existing file is never overwritten
    #[arg(long, short, default_value = "statewise.yaml", value_name = "FILE")]
    pub(crate) out: PathBuf,
    /// Print the spec instead of writing it
    #[arg(long, conflicts_with = "out")]
    pub(crate) stdout: bool,
    /// Read the files as this format instead of detecting it
    #[arg(long, value_enum)]
    pub(crate) format: Option<ImportFormat>,
    /// An inference table tried before the built-in `rules/import.yaml` (repeatable)
    #[arg(long = "rules", value_name = "FILE")]
    pub(crate) rules: Vec<PathBuf>,
    /// Make components of sidecars and one-shot jobs (seed, load generator) too
    #[arg(long)]
    pub(crate) keep_helpers: bool,
    /// The system's name [default: Compose `name:` or Backstage System, else the folder's name]
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// Re-import into this spec: new workloads added, gone ones reported, imported values refreshed, the team's values and comments kept
    #[arg(long, value_name = "SPEC")]
    pub(crate) merge: Option<String>,
}

/// The kind of deployment file `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ImportFormat {
    /// Compose files
    Compose,
    /// Kubernetes manifests
    Kubernetes,
    /// Backstage catalog files
    Backstage,
}

/// Output format of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TextFormat {
    /// Text for people
    Text,
    /// One JSON object
    Json,
}

/// `statewise ask`.
#[derive(Debug, Args)]
#[command(
    after_help = "Keys at every prompt: Esc quits and writes nothing (exit code 130); Shift-Tab goes back to the previous question, its answer kept; typing filters a list; Enter takes the answer shown; `-` at a number or a description means \"I don't know\" (it clears a value read with --from). Numbers take units: 200ms, 1.5s, 99.95%, 2GB, 512 MiB, 4k, 40,000."
)]
pub(crate) struct AskArgs {
    /// Where to write the spec [default: the `--from` file, else statewise.yaml]
    #[arg(long, short, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    /// Start from an existing spec: review, edit, add and remove components;
    /// its comments and layout are kept for every value not changed
    #[arg(long, value_name = "FILE")]
    pub(crate) from: Option<String>,
    #[command(flatten)]
    pub(crate) record: RecordArgs,
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum AdrCommand {
    /// List the records in the folder: number, title, status, date
    List {
        /// Record folder [default: as for `adr`]
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Output format: table or json; `=PATH` writes it to a file (repeatable) [default: table]
        #[arg(long, short, value_name = "FORMAT[=PATH]", value_parser = target::<ListFormat>)]
        format: Vec<Target<ListFormat>>,
    },
    /// Set a record's status in place (every other byte stays)
    Status {
        /// The record's number
        number: u32,
        /// The new status
        #[arg(value_enum)]
        status: LifeStatus,
        /// Record folder [default: as for `adr`]
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Link record N to record M, both ways (`amends`, `clarifies`, `extends`, `relates to`, …)
    Link {
        /// The record that gets the link
        number: u32,
        /// How it relates to the other, e.g. `Amends`
        relation: String,
        /// The record it links to
        target: u32,
        /// The relation written in the other record [default: the reverse of RELATION, e.g. `Amended by`]
        #[arg(long, value_name = "RELATION")]
        reverse: Option<String>,
        /// Record folder [default: as for `adr`]
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Write the index of the records (DIR/README.md), or check it is up to date
    Toc {
        /// Exit 1, writing nothing, when the index is missing or stale
        #[arg(long)]
        check: bool,
        /// The index file [default: README.md in the record folder]
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Record folder [default: as for `adr`]
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Print a Mermaid flowchart of how the records supersede and link each other
    Graph {
        /// Record folder [default: as for `adr`]
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// A status `adr status` sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LifeStatus {
    /// Proposed, not yet accepted
    Proposed,
    /// Accepted
    Accepted,
    /// Rejected
    Rejected,
    /// No longer followed
    Deprecated,
    /// Replaced by a later record
    Superseded,
}

impl LifeStatus {
    /// The word written in the record.
    pub(crate) fn word(self) -> &'static str {
        match self {
            LifeStatus::Proposed => "proposed",
            LifeStatus::Accepted => "accepted",
            LifeStatus::Rejected => "rejected",
            LifeStatus::Deprecated => "deprecated",
            LifeStatus::Superseded => "superseded",
        }
    }
}

/// Status of a new record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Status {
    /// Proposed, not yet accepted
    Proposed,
    /// Accepted
    Accepted,
}

#[derive(Debug, Subcommand)]
pub(crate) enum RulesCommand {
    /// List the rules: id, favors, weight, title
    List {
        /// Output format: table or json; `=PATH` writes it to a file (repeatable) [default: table]
        #[arg(long, short, value_name = "FORMAT[=PATH]", value_parser = target::<ListFormat>)]
        format: Vec<Target<ListFormat>>,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Show everything about one rule
    Show {
        /// The rule's id
        #[arg(add = ArgValueCompleter::new(complete::rule_ids))]
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Validate custom rule files (with the built-in ones, so ids must not clash)
    Lint {
        /// Rule files or folders; a file named `kinds.yaml` is checked as a kinds file, `import.yaml` as an import table
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Check the files alone, not beside the built-in rules
        #[arg(long)]
        no_default_rules: bool,
    },
}

/// Output format of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum CheckFormat {
    /// One finding per line, for people
    Text,
    /// One JSON object, versioned
    Json,
    /// GitHub Actions annotations
    Github,
    /// SARIF 2.1.0, for code-scanning dashboards
    Sarif,
    /// JUnit XML: one test case per component and per record check
    Junit,
    /// GitLab Code Quality JSON, with stable fingerprints
    Gitlab,
    /// Markdown, for a job summary or a pull-request comment
    Markdown,
}

/// Output format of `analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// A table for people
    Table,
    /// One JSON object (contract section 7)
    Json,
    /// Markdown, for pull requests and wikis
    Markdown,
}

/// Output format of `rules list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    /// A table for people
    Table,
    /// A JSON array
    Json,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
