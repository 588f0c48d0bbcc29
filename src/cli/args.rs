//! The arguments: clap's derive types for every command and flag, and
//! nothing else. The dispatcher in `mod.rs` turns them into requests.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Architecture decision advisor: stateful, stateless or hybrid, per component.
#[derive(Debug, Parser)]
#[command(name = "statewise", version, about, long_about = None, propagate_version = true)]
#[command(
    after_help = "Start with `statewise init` to write a commented spec, then `statewise analyze`."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
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
    /// Inspect the rules, or validate custom rule files
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
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
    /// The spec file; `-` reads standard input
    #[arg(default_value = "statewise.yaml")]
    pub(crate) spec: String,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct AdrArgs {
    #[command(subcommand)]
    pub(crate) command: Option<AdrCommand>,
    /// The spec file; `-` reads standard input
    #[arg(default_value = "statewise.yaml")]
    pub(crate) spec: String,
    #[command(flatten)]
    pub(crate) record: RecordArgs,
    /// Number of the record this one supersedes; it is marked superseded, linking both ways
    #[arg(long, value_name = "N")]
    pub(crate) supersedes: Option<u32>,
    /// Print the record instead of writing it
    #[arg(long)]
    pub(crate) stdout: bool,
    /// Write the built-in templates into DIR as a starting point, and stop
    #[arg(long, value_name = "DIR", exclusive = true)]
    pub(crate) export_templates: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
}

/// How a decision record is written; shared by `adr` and `ask`.
#[derive(Debug, Args)]
pub(crate) struct RecordArgs {
    /// Record folder [default: `.adr-dir`, else docs/adr, or doc/adr if only that exists]
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
    /// `madr` (MADR 4), `nygard` (as adr-tools writes), or the path of a Handlebars template
    #[arg(long, default_value = "madr", value_name = "madr|nygard|PATH")]
    pub(crate) template: String,
}

/// `statewise check`.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The spec file; `-` reads standard input
    #[arg(default_value = "statewise.yaml")]
    pub(crate) spec: String,
    /// Record folder [default: `.adr-dir`, else docs/adr, or doc/adr if only that exists]
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = CheckFormat::Text)]
    pub(crate) format: CheckFormat,
    /// The least severity that fails the check
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub(crate) fail_on: FailOn,
    /// Fail when the system has no decision record yet
    #[arg(long)]
    pub(crate) require_adr: bool,
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
}

/// `statewise explain`.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The spec file; `-` reads standard input
    pub(crate) spec: String,
    /// The component to explain
    pub(crate) component: String,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = TextFormat::Text)]
    pub(crate) format: TextFormat,
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
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
pub(crate) struct AskArgs {
    /// Where to write the spec
    #[arg(long, short, default_value = "statewise.yaml", value_name = "FILE")]
    pub(crate) out: PathBuf,
    /// Start from an existing spec: review, edit, add and remove components
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
        /// Output format
        #[arg(long, short, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
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
        /// Output format
        #[arg(long, short, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Show everything about one rule
    Show {
        /// The rule's id
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
