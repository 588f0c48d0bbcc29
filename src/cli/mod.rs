//! The command line: clap arguments (`args.rs`) parsed, turned into a
//! request, and handed to one file per command, which reads its inputs,
//! calls the core and returns an [`Output`]; this file prints it and gives
//! the exit code. Only this layer knows clap, dialoguer or the terminal.

mod adr;
mod analyze;
pub(crate) mod args;
mod ask;
mod check;
mod complete;
mod config;
mod diff;
mod explain;
mod import;
mod init;
mod inputs;
mod kinds;
mod outcome;
pub mod questionnaire;
mod rules;
pub(crate) mod targets;
pub(crate) mod terminal;

use std::ffi::OsString;
use std::io::Write;

use clap::{CommandFactory, Parser};

use self::adr::AdrRequest;
use self::args::{
    AdrCommand, Cli, Command, FailOn, ImportFormat, ListFormat, RecordArgs, RuleArgs, RulesCommand,
    Status, TextFormat,
};
use self::check::CheckRequest;
use self::outcome::Output;
use self::terminal::stdout_style;
use crate::adapters::output::Style;
use crate::core::check::Severity;
use crate::core::digest;
use crate::core::error::{Error, Result};
use crate::core::gate;
use crate::core::spec::schema;

/// Parses `args`, runs the command, prints, and returns the exit code.
pub(crate) fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // `COMPLETE=bash statewise` prints the shell's registration script; the
    // shell then calls `COMPLETE=bash statewise -- statewise ARGS...` for
    // each completion. Without `COMPLETE` this returns at once.
    let cwd = std::env::current_dir().ok();
    match clap_complete::CompleteEnv::with_factory(Cli::command)
        .bin("statewise")
        .try_complete(args.clone(), cwd.as_deref())
    {
        Ok(true) => return 0,
        Ok(false) => {}
        Err(e) => {
            let _ = std::io::stderr().write_all(e.render().to_string().as_bytes());
            return 2;
        }
    }
    if let [_, flag] = args.as_slice()
        && (flag == "--version" || flag == "-V")
    {
        // Answered before clap, with nothing parsed: `--version` stays as
        // fast as starting the process.
        let line = format!(
            "statewise {} (built-in rules {})\n",
            env!("CARGO_PKG_VERSION"),
            digest::builtin_files()
        );
        return print(line.as_bytes(), 0);
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to standard output, usage errors to
            // standard error; a failed write of either is an error too.
            let rendered = e.render();
            if e.use_stderr() {
                let color = terminal::colored(&std::io::stderr());
                let text = if color {
                    rendered.ansi().to_string()
                } else {
                    rendered.to_string()
                };
                let _ = std::io::stderr().write_all(text.as_bytes());
                return e.exit_code();
            }
            let color = terminal::colored(&std::io::stdout());
            let text = if color {
                rendered.ansi().to_string()
            } else {
                rendered.to_string()
            };
            return print(text.as_bytes(), e.exit_code());
        }
    };
    terminal::set_color_flag(cli.color);
    let quiet = cli.quiet;
    match execute(cli) {
        Err(e) => failed(&e),
        Ok(out) if quiet => out.code,
        Ok(out) => {
            let mut stdout = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
            let written = match out.stream {
                Some(stream) => stream(&mut stdout),
                None => stdout.write_all(out.text.as_bytes()),
            };
            finish(written.and_then(|()| stdout.flush()), out.code)
        }
    }
}

/// Prints `bytes` on standard output and returns `code`, or 2 when the
/// write fails.
fn print(bytes: &[u8], code: i32) -> i32 {
    let mut stdout = std::io::stdout().lock();
    finish(stdout.write_all(bytes).and_then(|()| stdout.flush()), code)
}

/// The exit code once the output is written: `code`, unless the write
/// failed (a full disk, a closed file): then 2, with the reason.
fn finish(written: std::io::Result<()>, code: i32) -> i32 {
    match written {
        Ok(()) => code,
        // A reader that went away (`statewise analyze | head -1`) is not an
        // error: it has all it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => failed(&Error::io("write to", "standard output", &e)),
    }
}

/// Reports `e` on standard error; the exit code for bad input or failed I/O.
fn failed(e: &Error) -> i32 {
    let _ = std::io::stderr().write_all(e.render().as_bytes());
    2
}

fn execute(cli: Cli) -> Result<Output> {
    let style = stdout_style();
    terminal::set_verbose(cli.verbose);
    match cli.command {
        Command::Analyze(a) => {
            let settings = config::Settings::load()?;
            let spec = settings.spec(a.spec.as_deref()).value;
            let default = settings.format(None)?.value;
            let targets = targets::resolve(&a.format, default)?;
            let loaded = analyze::load(&spec, &a.deploy)?;
            targets::emit(&targets, 0, |format, to_stdout| {
                analyze::run(&loaded, format, &a.rules, plain_unless(to_stdout, style))
            })
        }
        Command::Config => config::run(),
        Command::Rules { command } => match command {
            RulesCommand::List { format, rules } => {
                let targets = targets::resolve(&format, ListFormat::Table)?;
                targets::emit(&targets, 0, |format, to_stdout| {
                    rules::list(&rules, format, plain_unless(to_stdout, style))
                })
            }
            RulesCommand::Show { id, rules } => rules::show(&id, &rules),
            RulesCommand::Lint {
                files,
                no_default_rules,
            } => rules::lint(&files, !no_default_rules),
        },
        Command::Adr(a) => match (&a.command, &a.export_templates) {
            (Some(AdrCommand::List { dir, format }), _) => {
                let targets = targets::resolve(format, ListFormat::Table)?;
                targets::emit(&targets, 0, |format, to_stdout| {
                    adr::list(
                        dir.as_deref(),
                        format == ListFormat::Json,
                        plain_unless(to_stdout, style),
                    )
                })
            }
            (
                Some(AdrCommand::Status {
                    number,
                    status,
                    dir,
                }),
                _,
            ) => adr::status(dir.as_deref(), *number, status.word()),
            (
                Some(AdrCommand::Link {
                    number,
                    relation,
                    target,
                    reverse,
                    dir,
                }),
                _,
            ) => adr::link(
                dir.as_deref(),
                *number,
                relation,
                *target,
                reverse.as_deref(),
            ),
            (Some(AdrCommand::Toc { check, output, dir }), _) => {
                adr::toc(dir.as_deref(), output.as_deref(), *check)
            }
            (Some(AdrCommand::Graph { dir }), _) => adr::graph(dir.as_deref()),
            (None, Some(dir)) => adr::export_templates(dir),
            (None, None) => {
                let spec = config::Settings::load()?.spec(a.spec.as_deref()).value;
                adr::write(&AdrRequest {
                    supersedes: a.supersedes,
                    stdout: a.stdout,
                    new: a.new,
                    ..record_request(&a.record, &spec, &a.rules)
                })
            }
        },
        Command::Ask(a) => ask::run(
            a.out.as_deref(),
            a.from.as_deref(),
            &record_request(&a.record, "", &a.rules),
        ),
        Command::Check(a) => {
            let settings = config::Settings::load()?;
            let spec = settings.spec(a.spec.as_deref()).value;
            let fail_on = settings.fail_on(a.fail_on)?.value;
            let default_format = settings.check_format()?.value;
            // Creating a baseline reads none but the one a flag names.
            let baseline = if a.create_baseline.is_some() {
                a.baseline.clone()
            } else {
                settings.baseline(a.baseline.as_deref()).value
            };
            check::run(&CheckRequest {
                spec: &spec,
                dir: a.dir.as_deref(),
                formats: &a.format,
                default_format,
                fail_on: match fail_on {
                    FailOn::Error => gate::FailOn::At(Severity::Error),
                    FailOn::Warning => gate::FailOn::At(Severity::Warning),
                    FailOn::Note => gate::FailOn::At(Severity::Note),
                    FailOn::Never => gate::FailOn::Never,
                },
                require_adr: a.require_adr,
                baseline: baseline.as_deref(),
                create_baseline: a.create_baseline.as_deref(),
                use_waivers: !a.no_waivers,
                color: style.color,
                rules: &a.rules,
                deploy: &a.deploy,
            })
        }
        Command::Explain(a) => explain::run(
            &a.spec,
            &a.component,
            a.format == TextFormat::Json,
            &a.rules,
            &a.deploy,
        ),
        Command::Diff(a) => diff::run(&a.old, &a.new, a.format, &a.rules),
        Command::Kinds { format } => kinds::run(format, style),
        Command::Schema => Output::ok(schema::render()),
        Command::Import(a) => import::run(&import::ImportRequest {
            paths: &a.paths,
            out: &a.out,
            stdout: a.stdout,
            format: a.format.map(|f| match f {
                ImportFormat::Compose => crate::core::import::Format::Compose,
                ImportFormat::Kubernetes => crate::core::import::Format::Kubernetes,
                ImportFormat::Backstage => crate::core::import::Format::Backstage,
            }),
            rules: &a.rules,
            keep_helpers: a.keep_helpers,
            name: a.name.as_deref(),
            merge: a.merge.as_deref(),
        }),
        Command::Init { file } => init::run(&file),
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

/// `style` for standard output; plain (no colour) for a file.
fn plain_unless(to_stdout: bool, style: Style) -> Style {
    if to_stdout {
        style
    } else {
        Style {
            color: false,
            ..style
        }
    }
}

/// The record a `RecordArgs` asks for; shared by `adr` and `ask`.
fn record_request<'a>(
    record: &'a RecordArgs,
    spec: &'a str,
    rules: &'a RuleArgs,
) -> AdrRequest<'a> {
    AdrRequest {
        spec,
        dir: record.dir.as_deref(),
        title: record.title.as_deref(),
        status: match record.status {
            Status::Proposed => "proposed",
            Status::Accepted => "accepted",
        },
        date: record.date.as_deref(),
        template: record.template.as_deref(),
        supersedes: None,
        stdout: false,
        new: false,
        rules,
    }
}
