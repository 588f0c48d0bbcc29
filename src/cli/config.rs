//! The effective settings of a run: each from its flag, else its
//! `STATEWISE_*` environment variable, else `statewise.toml`, else the
//! built-in default, with where it came from; and `statewise config`,
//! which prints them.

use std::path::{Path, PathBuf};

use crate::adapters::adr::discover;
use crate::adapters::config::{self, ConfigFile};
use crate::cli::args::{CheckFormat, FailOn, Format, RuleArgs};
use crate::cli::outcome::Output;
use crate::cli::terminal::note;
use crate::core::error::{Error, Result};

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// A command-line flag.
    Flag,
    /// An environment variable.
    Env(&'static str),
    /// The configuration file (as shown).
    File(String),
    /// The built-in default (or, for the record folder, how it was found).
    Default(String),
}

impl Source {
    fn describe(&self) -> String {
        match self {
            Source::Flag => "flag".into(),
            Source::Env(name) => format!("environment `{name}`"),
            Source::File(file) => format!("`{file}`"),
            Source::Default(why) => why.clone(),
        }
    }
}

/// A value and where it came from.
#[derive(Clone, Debug)]
pub(crate) struct Setting<T> {
    pub value: T,
    pub source: Source,
}

/// The configuration file of this run, if any.
pub(crate) struct Settings {
    file: Option<ConfigFile>,
}

/// The current directory, where the search for the file starts.
fn current_dir() -> Result<PathBuf> {
    std::env::current_dir().map_err(|e| Error::io("read", "the current directory", &e))
}

/// An environment variable, when set and not empty.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl Settings {
    /// Finds and reads `statewise.toml` from the current directory up.
    pub(crate) fn load() -> Result<Settings> {
        let file = config::find(&current_dir()?)?;
        // Several steps of a run load it; it is named once.
        static NAMED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        if let Some(f) = &file
            && !NAMED.swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            note(&format!("configuration `{}`", f.shown));
        }
        Ok(Settings { file })
    }

    fn file_source(&self) -> Source {
        Source::File(
            self.file
                .as_ref()
                .map_or_else(String::new, |f| f.shown.clone()),
        )
    }

    /// The spec file; says which under `--verbose` when no flag named it.
    pub(crate) fn spec(&self, flag: Option<&str>) -> Setting<String> {
        let chosen = self.spec_setting(flag);
        if chosen.source != Source::Flag {
            note(&format!(
                "spec `{}`: {}",
                chosen.value,
                chosen.source.describe()
            ));
        }
        chosen
    }

    fn spec_setting(&self, flag: Option<&str>) -> Setting<String> {
        if let Some(v) = flag {
            return Setting {
                value: v.to_owned(),
                source: Source::Flag,
            };
        }
        if let Some(v) = env("STATEWISE_SPEC") {
            return Setting {
                value: v,
                source: Source::Env("STATEWISE_SPEC"),
            };
        }
        if let Some(v) = self.file.as_ref().and_then(|f| f.spec.clone()) {
            return Setting {
                value: v,
                source: self.file_source(),
            };
        }
        Setting {
            value: "statewise.yaml".into(),
            source: Source::Default("default".into()),
        }
    }

    /// The template.
    pub(crate) fn template(&self, flag: Option<&str>) -> Setting<String> {
        if let Some(v) = flag {
            return Setting {
                value: v.to_owned(),
                source: Source::Flag,
            };
        }
        if let Some(v) = env("STATEWISE_TEMPLATE") {
            return Setting {
                value: v,
                source: Source::Env("STATEWISE_TEMPLATE"),
            };
        }
        if let Some(v) = self.file.as_ref().and_then(|f| f.template.clone()) {
            return Setting {
                value: v,
                source: self.file_source(),
            };
        }
        Setting {
            value: "madr".into(),
            source: Source::Default("default".into()),
        }
    }

    /// The rules: the flags when they name any, else `STATEWISE_RULES`
    /// (paths joined as in `PATH`), else the file's, else the built-in
    /// rules alone.
    pub(crate) fn rules(&self, flags: &RuleArgs) -> Setting<RuleArgs> {
        if !flags.rules.is_empty() || flags.no_default_rules {
            return Setting {
                value: flags.clone(),
                source: Source::Flag,
            };
        }
        if let Some(v) = std::env::var_os("STATEWISE_RULES").filter(|v| !v.is_empty()) {
            return Setting {
                value: RuleArgs {
                    rules: std::env::split_paths(&v).collect(),
                    no_default_rules: false,
                },
                source: Source::Env("STATEWISE_RULES"),
            };
        }
        if let Some(f) = self
            .file
            .as_ref()
            .filter(|f| f.rules.is_some() || f.no_default_rules.is_some())
        {
            return Setting {
                value: RuleArgs {
                    rules: f.rules.clone().unwrap_or_default(),
                    no_default_rules: f.no_default_rules.unwrap_or(false),
                },
                source: self.file_source(),
            };
        }
        Setting {
            value: RuleArgs::default(),
            source: Source::Default("default: the built-in rules".into()),
        }
    }

    /// The format of `analyze`.
    pub(crate) fn format(&self, flag: Option<Format>) -> Result<Setting<Format>> {
        let parse = |v: &str, from: &str| match v {
            "table" => Ok(Format::Table),
            "json" => Ok(Format::Json),
            "markdown" => Ok(Format::Markdown),
            _ => Err(Error::Usage(format!(
                "{from}: `{v}` is not a format; use `table`, `json` or `markdown`"
            ))),
        };
        if let Some(v) = flag {
            return Ok(Setting {
                value: v,
                source: Source::Flag,
            });
        }
        if let Some(v) = env("STATEWISE_FORMAT") {
            return Ok(Setting {
                value: parse(&v, "`STATEWISE_FORMAT`")?,
                source: Source::Env("STATEWISE_FORMAT"),
            });
        }
        if let Some(v) = self.file.as_ref().and_then(|f| f.format.clone()) {
            return Ok(Setting {
                value: parse(&v, config::FILE_NAME)?,
                source: self.file_source(),
            });
        }
        Ok(Setting {
            value: Format::Table,
            source: Source::Default("default".into()),
        })
    }

    /// The report `check` prints when no `--format` is given.
    pub(crate) fn check_format(&self) -> Result<Setting<CheckFormat>> {
        let parse = |v: &str, from: &str| {
            <CheckFormat as clap::ValueEnum>::from_str(v, false).map_err(|_| {
                Error::Usage(format!(
                    "{from}: `{v}` is not a check format; use one of {}",
                    config::CHECK_FORMATS.join(", ")
                ))
            })
        };
        if let Some(v) = env("STATEWISE_CHECK_FORMAT") {
            return Ok(Setting {
                value: parse(&v, "`STATEWISE_CHECK_FORMAT`")?,
                source: Source::Env("STATEWISE_CHECK_FORMAT"),
            });
        }
        if let Some(v) = self.file.as_ref().and_then(|f| f.check_format.clone()) {
            return Ok(Setting {
                value: parse(&v, config::FILE_NAME)?,
                source: self.file_source(),
            });
        }
        Ok(Setting {
            value: CheckFormat::Text,
            source: Source::Default("default".into()),
        })
    }

    /// The baseline file of `check`, if any.
    pub(crate) fn baseline(
        &self,
        flag: Option<&std::path::Path>,
    ) -> Setting<Option<std::path::PathBuf>> {
        if let Some(v) = flag {
            return Setting {
                value: Some(v.to_path_buf()),
                source: Source::Flag,
            };
        }
        if let Some(v) = env("STATEWISE_BASELINE") {
            return Setting {
                value: Some(v.into()),
                source: Source::Env("STATEWISE_BASELINE"),
            };
        }
        if let Some(v) = self.file.as_ref().and_then(|f| f.baseline.clone()) {
            return Setting {
                value: Some(v),
                source: self.file_source(),
            };
        }
        Setting {
            value: None,
            source: Source::Default("default: none".into()),
        }
    }

    /// The least severity that fails `check`.
    pub(crate) fn fail_on(&self, flag: Option<FailOn>) -> Result<Setting<FailOn>> {
        let parse = |v: &str, from: &str| match v {
            "error" => Ok(FailOn::Error),
            "warning" => Ok(FailOn::Warning),
            "note" => Ok(FailOn::Note),
            "never" => Ok(FailOn::Never),
            _ => Err(Error::Usage(format!(
                "{from}: `{v}` is not a severity; use `error`, `warning`, `note` or `never`"
            ))),
        };
        if let Some(v) = flag {
            return Ok(Setting {
                value: v,
                source: Source::Flag,
            });
        }
        if let Some(v) = env("STATEWISE_FAIL_ON") {
            return Ok(Setting {
                value: parse(&v, "`STATEWISE_FAIL_ON`")?,
                source: Source::Env("STATEWISE_FAIL_ON"),
            });
        }
        if let Some(v) = self.file.as_ref().and_then(|f| f.fail_on.clone()) {
            return Ok(Setting {
                value: parse(&v, config::FILE_NAME)?,
                source: self.file_source(),
            });
        }
        Ok(Setting {
            value: FailOn::Error,
            source: Source::Default("default".into()),
        })
    }

    /// What names the record folder before the markers are looked at.
    pub(crate) fn named_dir(&self, flag: Option<&Path>) -> discover::Named {
        discover::Named {
            flag: flag.map(Path::to_path_buf),
            env: env("STATEWISE_ADR_DIR").map(PathBuf::from),
            config: self
                .file
                .as_ref()
                .and_then(|f| Some((f.adr_dir.clone()?, f.shown.clone()))),
        }
    }
}

/// `s` as a TOML basic string.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `statewise config`: the effective settings, as TOML, each with where it
/// came from.
pub(crate) fn run() -> Result<Output> {
    let settings = Settings::load()?;
    let cwd = current_dir()?;
    let mut out = String::new();
    match &settings.file {
        Some(f) => out.push_str(&format!("# configuration file: {}\n", f.shown)),
        None => out
            .push_str("# configuration file: none (no statewise.toml up to the repository root)\n"),
    }
    let line = |out: &mut String, key: &str, value: String, source: &Source| {
        out.push_str(&format!("{key} = {value}  # {}\n", source.describe()));
    };
    let spec = settings.spec(None);
    line(&mut out, "spec", quoted(&spec.value), &spec.source);
    let dir = discover::find(&settings.named_dir(None), &cwd)?;
    let dir_source = match settings.named_dir(None) {
        n if n.env.is_some() => Source::Env("STATEWISE_ADR_DIR"),
        n if n.config.is_some() => settings.file_source(),
        _ => Source::Default(format!("found: {}", dir.reason)),
    };
    line(
        &mut out,
        "adr-dir",
        quoted(&dir.path.display().to_string()),
        &dir_source,
    );
    let template = settings.template(None);
    line(
        &mut out,
        "template",
        quoted(&template.value),
        &template.source,
    );
    let rules = settings.rules(&RuleArgs::default());
    let list: Vec<String> = rules
        .value
        .rules
        .iter()
        .map(|r| quoted(&r.display().to_string()))
        .collect();
    line(
        &mut out,
        "rules",
        format!("[{}]", list.join(", ")),
        &rules.source,
    );
    line(
        &mut out,
        "no-default-rules",
        rules.value.no_default_rules.to_string(),
        &rules.source,
    );
    let format = settings.format(None)?;
    let format_word = match format.value {
        Format::Table => "table",
        Format::Json => "json",
        Format::Markdown => "markdown",
    };
    line(&mut out, "format", quoted(format_word), &format.source);
    let fail_on = settings.fail_on(None)?;
    let fail_word = match fail_on.value {
        FailOn::Error => "error",
        FailOn::Warning => "warning",
        FailOn::Note => "note",
        FailOn::Never => "never",
    };
    let check_format = settings.check_format()?;
    let check_word = <CheckFormat as clap::ValueEnum>::to_possible_value(&check_format.value)
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default();
    line(
        &mut out,
        "check-format",
        quoted(&check_word),
        &check_format.source,
    );
    line(&mut out, "fail-on", quoted(fail_word), &fail_on.source);
    let baseline = settings.baseline(None);
    if let Some(path) = &baseline.value {
        line(
            &mut out,
            "baseline",
            quoted(&path.display().to_string()),
            &baseline.source,
        );
    }
    Output::text(&out)
}
