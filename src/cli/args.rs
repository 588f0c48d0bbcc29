//! The command line: clap arguments, resolved into what each command needs,
//! and the exit code. clap types stay in this file.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::commands;
use crate::error::{Error, Result};
use crate::output::Style;

/// Architecture decision advisor: stateful, stateless or hybrid, per component.
#[derive(Debug, Parser)]
#[command(name = "statewise", version, about, long_about = None, propagate_version = true)]
#[command(
    after_help = "Start with `statewise init` to write a commented spec, then `statewise analyze`."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
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
struct AnalyzeArgs {
    /// The spec file; `-` reads standard input
    #[arg(default_value = "statewise.yaml")]
    spec: String,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
struct AdrArgs {
    #[command(subcommand)]
    command: Option<AdrCommand>,
    /// The spec file; `-` reads standard input
    #[arg(default_value = "statewise.yaml")]
    spec: String,
    #[command(flatten)]
    record: RecordArgs,
    /// Number of the record this one supersedes; it is marked superseded, linking both ways
    #[arg(long, value_name = "N")]
    supersedes: Option<u32>,
    /// Print the record instead of writing it
    #[arg(long)]
    stdout: bool,
    /// Write the built-in templates into DIR as a starting point, and stop
    #[arg(long, value_name = "DIR", exclusive = true)]
    export_templates: Option<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
}

/// How a decision record is written; shared by `adr` and `ask`.
#[derive(Debug, Args)]
struct RecordArgs {
    /// Record folder [default: `.adr-dir`, else docs/adr, or doc/adr if only that exists]
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Title [default: "State management for <system>"]
    #[arg(long)]
    title: Option<String>,
    /// Status of the new record
    #[arg(long, value_enum, default_value_t = Status::Proposed)]
    status: Status,
    /// Date, YYYY-MM-DD [default: today, or SOURCE_DATE_EPOCH when set]
    #[arg(long)]
    date: Option<String>,
    /// `madr` (MADR 4), `nygard` (as adr-tools writes), or the path of a Handlebars template
    #[arg(long, default_value = "madr", value_name = "madr|nygard|PATH")]
    template: String,
}

impl RecordArgs {
    fn request<'a>(&'a self, spec: &'a str, rules: &'a RuleArgs) -> commands::AdrRequest<'a> {
        commands::AdrRequest {
            spec,
            dir: self.dir.as_deref(),
            title: self.title.as_deref(),
            status: match self.status {
                Status::Proposed => "proposed",
                Status::Accepted => "accepted",
            },
            date: self.date.as_deref(),
            template: &self.template,
            supersedes: None,
            stdout: false,
            rules,
        }
    }
}

/// `statewise check`.
#[derive(Debug, Args)]
struct CheckArgs {
    /// The spec file; `-` reads standard input
    #[arg(default_value = "statewise.yaml")]
    spec: String,
    /// Record folder [default: `.adr-dir`, else docs/adr, or doc/adr if only that exists]
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = commands::CheckFormat::Text)]
    format: commands::CheckFormat,
    /// The least severity that fails the check
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Fail when the system has no decision record yet
    #[arg(long)]
    require_adr: bool,
    #[command(flatten)]
    rules: RuleArgs,
}

/// The least severity that fails `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// Errors fail (default)
    Error,
    /// Warnings fail too
    Warning,
}

/// `statewise explain`.
#[derive(Debug, Args)]
struct ExplainArgs {
    /// The spec file; `-` reads standard input
    spec: String,
    /// The component to explain
    component: String,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = TextFormat::Text)]
    format: TextFormat,
    #[command(flatten)]
    rules: RuleArgs,
}

/// Output format of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TextFormat {
    /// Text for people
    Text,
    /// One JSON object
    Json,
}

/// `statewise ask`.
#[derive(Debug, Args)]
struct AskArgs {
    /// Where to write the spec
    #[arg(long, short, default_value = "statewise.yaml", value_name = "FILE")]
    out: PathBuf,
    /// Start from an existing spec: review, edit, add and remove components
    #[arg(long, value_name = "FILE")]
    from: Option<String>,
    #[command(flatten)]
    record: RecordArgs,
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(Debug, Subcommand)]
enum AdrCommand {
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
enum Status {
    /// Proposed, not yet accepted
    Proposed,
    /// Accepted
    Accepted,
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
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
        /// Rule files or folders; a file named `kinds.yaml` is checked as a kinds file
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Check the files alone, not beside the built-in rules
        #[arg(long)]
        no_default_rules: bool,
    },
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

/// The terminal style for standard output: colour only on a terminal and
/// never with `NO_COLOR`; the table fits the terminal, or `COLUMNS`, or 120.
fn stdout_style() -> Style {
    let tty = std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
        .filter(|c| *c >= 40);
    Style {
        color: tty && !no_color,
        width: columns
            .or_else(|| {
                if tty {
                    comfy_table::Table::new().width()
                } else {
                    None
                }
            })
            .unwrap_or(120),
    }
}

/// Parses `args`, runs the command, prints, and returns the exit code.
pub(crate) fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    if let [_, flag] = args.as_slice() {
        if flag == "--version" || flag == "-V" {
            // Answered before clap, with nothing parsed: `--version` stays as
            // fast as starting the process.
            let line = format!(
                "statewise {} (built-in rules {})\n",
                env!("CARGO_PKG_VERSION"),
                crate::digest::builtin_files()
            );
            let _ = std::io::stdout().write_all(line.as_bytes());
            return 0;
        }
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    let failed = |e: Error| {
        let _ = std::io::stderr().write_all(e.render().as_bytes());
        2
    };
    match execute(cli) {
        Err(e) => failed(e),
        Ok(out) => {
            let mut stdout = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
            let written = match out.stream {
                Some(stream) => stream(&mut stdout),
                None => stdout.write_all(out.text.as_bytes()),
            };
            match written.and_then(|()| stdout.flush()) {
                Ok(()) => out.code,
                // A closed pipe (`statewise analyze | head -1`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => out.code,
                Err(e) => failed(Error::io("write to", "standard output", &e)),
            }
        }
    }
}

/// Writes a command's result to standard output, piece by piece.
pub(crate) type Stream = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()>>;

/// A finished command: what to print and the exit code. Large results
/// come as a stream, so they are never held in memory whole.
pub(crate) struct Output {
    pub text: String,
    pub stream: Option<Stream>,
    pub code: i32,
}

impl Output {
    pub(crate) fn ok(text: String) -> Result<Output> {
        Ok(Output {
            text,
            stream: None,
            code: 0,
        })
    }

    pub(crate) fn stream(
        stream: impl FnOnce(&mut dyn Write) -> std::io::Result<()> + 'static,
    ) -> Result<Output> {
        Ok(Output {
            text: String::new(),
            stream: Some(Box::new(stream)),
            code: 0,
        })
    }
}

fn execute(cli: Cli) -> Result<Output> {
    let style = stdout_style();
    match cli.command {
        Command::Analyze(a) => commands::analyze(&a.spec, a.format, &a.rules, style),
        Command::Rules { command } => match command {
            RulesCommand::List { format, rules } => commands::rules_list(&rules, format, style),
            RulesCommand::Show { id, rules } => commands::rules_show(&id, &rules),
            RulesCommand::Lint {
                files,
                no_default_rules,
            } => commands::rules_lint(&files, !no_default_rules),
        },
        Command::Adr(a) => match (&a.command, &a.export_templates) {
            (Some(AdrCommand::List { dir, format }), _) => {
                commands::adr_list(dir.as_deref(), *format == ListFormat::Json, style)
            }
            (None, Some(dir)) => commands::export_templates(dir),
            (None, None) => commands::adr(&commands::AdrRequest {
                supersedes: a.supersedes,
                stdout: a.stdout,
                ..a.record.request(&a.spec, &a.rules)
            }),
        },
        Command::Ask(a) => {
            commands::ask(&a.out, a.from.as_deref(), &a.record.request("", &a.rules))
        }
        Command::Check(a) => commands::check(&commands::CheckRequest {
            spec: &a.spec,
            dir: a.dir.as_deref(),
            format: a.format,
            fail_on: match a.fail_on {
                FailOn::Error => crate::check::Severity::Error,
                FailOn::Warning => crate::check::Severity::Warning,
            },
            require_adr: a.require_adr,
            rules: &a.rules,
        }),
        Command::Explain(a) => commands::explain(
            &a.spec,
            &a.component,
            a.format == TextFormat::Json,
            &a.rules,
        ),
        Command::Schema => Output::ok(crate::schema::render()),
        Command::Init { file } => commands::init(&file),
        Command::Man => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut buf)
                .map_err(|e| Error::io("render", "the man page", &e))?;
            Output::ok(String::from_utf8_lossy(&buf).into_owned())
        }
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "statewise", &mut buf);
            Output::ok(String::from_utf8_lossy(&buf).into_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
