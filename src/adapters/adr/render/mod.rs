//! Handlebars in one place: the built-in templates, a user's template, the
//! helpers that escape user text for Markdown, YAML and code spans, and
//! template errors with file, line and column. A user's template renders
//! within the bounds of [`limits`].

pub mod limits;

use std::sync::Arc;

use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason, TemplateError,
};

use super::content::RecordData;
use crate::adapters::output::markdown;
use crate::core::error::{Diagnostic, Error, Result};
use crate::core::text::lower_first;

/// The built-in MADR 4 template.
pub const MADR: &str = include_str!("../../../../templates/madr.md.hbs");
/// The built-in Nygard template, in the form adr-tools writes.
pub const NYGARD: &str = include_str!("../../../../templates/nygard.md.hbs");

/// The built-in templates by file name, for `--export-templates`.
pub const BUILTIN: &[(&str, &str)] = &[("madr.md.hbs", MADR), ("nygard.md.hbs", NYGARD)];

/// A template to render: its name for errors and its text.
pub struct Template<'a> {
    /// `madr`, `nygard` or the user's path.
    pub name: &'a str,
    /// The Handlebars source.
    pub text: &'a str,
}

fn text_param<'a>(h: &'a Helper, name: &'static str) -> std::result::Result<&'a str, RenderError> {
    h.param(0).and_then(|p| p.value().as_str()).ok_or_else(|| {
        RenderErrorReason::ParamTypeMismatchForName(name, "0".into(), "string".into()).into()
    })
}

macro_rules! text_helper {
    ($fn_name:ident, $name:literal, |$s:ident| $body:expr) => {
        fn $fn_name(
            h: &Helper,
            _: &Handlebars,
            _: &Context,
            _: &mut RenderContext,
            out: &mut dyn Output,
        ) -> HelperResult {
            let $s = text_param(h, $name)?;
            out.write(&$body)?;
            Ok(())
        }
    };
}

text_helper!(cell_helper, "cell", |s| markdown::cell(s));
text_helper!(md_helper, "md", |s| markdown::inline(s));
text_helper!(yaml_helper, "yaml", |s| crate::core::spec::yaml::scalar(s));
text_helper!(code_helper, "code", |s| code_span(s));
text_helper!(lcfirst_helper, "lcfirst", |s| lower_first(s));
text_helper!(capitalize_helper, "capitalize", |s| capitalize(s));

fn yaml_list_helper(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let items = h
        .param(0)
        .and_then(|p| p.value().as_array())
        .ok_or_else(|| {
            RenderErrorReason::ParamTypeMismatchForName("yaml_list", "0".into(), "array".into())
        })?;
    let items: Vec<String> = items
        .iter()
        .map(|v| crate::core::spec::yaml::flow_scalar(v.as_str().unwrap_or_default()))
        .collect();
    out.write(&format!("[{}]", items.join(", ")))?;
    Ok(())
}

fn pad_helper(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let n = h.param(0).and_then(|p| p.value().as_u64()).ok_or_else(|| {
        RenderErrorReason::ParamTypeMismatchForName("pad", "0".into(), "number".into())
    })?;
    out.write(&format!("{n:04}"))?;
    Ok(())
}

/// A code span that holds any text: a fence longer than any run of
/// backticks inside, padded when the text starts or ends with one.
pub fn code_span(s: &str) -> String {
    let s = s.replace(['\r', '\n'], " ");
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if s.starts_with('`') || s.ends_with('`') {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn registry() -> Handlebars<'static> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::no_escape);
    hb.register_helper("cell", Box::new(cell_helper));
    hb.register_helper("md", Box::new(md_helper));
    hb.register_helper("yaml", Box::new(yaml_helper));
    hb.register_helper("yaml_list", Box::new(yaml_list_helper));
    hb.register_helper("code", Box::new(code_helper));
    hb.register_helper("lcfirst", Box::new(lcfirst_helper));
    hb.register_helper("capitalize", Box::new(capitalize_helper));
    hb.register_helper("pad", Box::new(pad_helper));
    hb
}

fn template_error(template: &Template, e: &TemplateError) -> Error {
    let mut d = Diagnostic::new(
        template.name,
        format!("invalid template: {}", lower_first(&e.reason().to_string())),
    );
    if let Some((line, col)) = e.pos() {
        d = d.at(template.text, line, col);
    }
    Error::Template(Box::new(d.with_help("fix the Handlebars syntax; `statewise adr --export-templates DIR` writes the built-in templates to start from")))
}

fn render_error(template: &Template, e: &RenderError) -> Error {
    let message = match e.reason() {
        RenderErrorReason::MissingVariable(Some(name)) => {
            format!("template uses `{name}`, which records do not have")
        }
        RenderErrorReason::MissingVariable(None) => {
            "template uses a field records do not have".to_owned()
        }
        other => format!("template failed: {}", lower_first(&other.to_string())),
    };
    let mut d = Diagnostic::new(template.name, message);
    if let (Some(line), Some(col)) = (e.line_no, e.column_no) {
        d = d.at(template.text, line, col);
    }
    Error::Template(Box::new(d.with_help(
        "templates receive the fields listed in the README (section \"ADR templates\"); a misspelt field is an error",
    )))
}

fn limit_error(template: &Template, b: limits::Breach) -> Error {
    let mut d = Diagnostic::new(template.name, b.message);
    if let Some((line, col)) = b.at {
        d = d.at(template.text, line, col);
    }
    Error::Template(Box::new(d.with_help(b.help)))
}

impl Template<'_> {
    /// Whether this is one of the built-in templates, which render without
    /// the limits a user's template has.
    fn is_builtin(&self) -> bool {
        BUILTIN.iter().any(|(_, text)| *text == self.text)
    }
}

/// A template compiled once, ready to render any number of records.
pub struct Compiled<'t> {
    registry: Handlebars<'static>,
    template: &'t Template<'t>,
    /// For a user's template: what a render has spent.
    budget: Option<Arc<limits::Budget>>,
}

/// Compiles a template; a syntax error is located in its file, and a user's
/// template is checked against [`limits`] before and after parsing.
pub fn compile<'t>(template: &'t Template<'t>) -> Result<Compiled<'t>> {
    let mut registry = registry();
    if template.is_builtin() {
        registry
            .register_template_string(limits::ROOT, template.text)
            .map_err(|e| template_error(template, &e))?;
        return Ok(Compiled {
            registry,
            template,
            budget: None,
        });
    }
    limits::check_text(template.text).map_err(|b| limit_error(template, b))?;
    let mut parsed = handlebars::template::Template::compile(template.text)
        .map_err(|e| template_error(template, &e))?;
    parsed.name = Some(limits::ROOT.to_owned());
    let parsed = limits::guard(parsed).map_err(|b| limit_error(template, b))?;
    let budget = Arc::new(limits::Budget::default());
    registry.register_helper(limits::STEP_HELPER, Box::new(limits::Steps(budget.clone())));
    registry.register_helper("log", Box::new(limits::log_helper));
    registry.register_template(limits::ROOT, parsed);
    Ok(Compiled {
        registry,
        template,
        budget: Some(budget),
    })
}

impl Compiled<'_> {
    /// Renders a record.
    pub fn render(&self, data: &RecordData) -> Result<String> {
        let Some(budget) = &self.budget else {
            return self
                .registry
                .render(limits::ROOT, data)
                .map_err(|e| render_error(self.template, &e));
        };
        budget.reset();
        let mut out = limits::Capped::default();
        match self.registry.render_to_write(limits::ROOT, data, &mut out) {
            Ok(()) => Ok(String::from_utf8_lossy(&out.bytes).into_owned()),
            Err(e) if out.overflowed => Err(limit_error(
                self.template,
                limits::Breach {
                    message: format!(
                        "template writes more than {} MiB for one record",
                        limits::MAX_OUTPUT_BYTES >> 20
                    ),
                    at: e.line_no.zip(e.column_no),
                    help: "a record is a page or two; look for a loop inside a loop over the components or rules".into(),
                },
            )),
            Err(e) if budget.out_of_steps() => Err(limit_error(
                self.template,
                limits::Breach {
                    message: format!(
                        "template takes more than {} million steps to render one record (the loop that ran out starts here)",
                        limits::MAX_STEPS / 1_000_000
                    ),
                    at: e.line_no.zip(e.column_no),
                    help: "a record is a page or two; look for loops nested inside loops, or partials called many times over".into(),
                },
            )),
            Err(e) => Err(render_error(self.template, &e)),
        }
    }
}

/// Checks a template's syntax.
pub fn check(template: &Template) -> Result<()> {
    compile(template).map(|_| ())
}

/// Compiles a template and renders one record with it.
pub fn render(template: &Template, data: &RecordData) -> Result<String> {
    compile(template)?.render(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_backticks() {
        assert_eq!(code_span("a"), "`a`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`a"), "`` `a ``");
    }

    #[test]
    fn builtin_templates_parse() {
        for (name, text) in BUILTIN {
            check(&Template { name, text }).unwrap();
        }
    }

    #[test]
    fn syntax_errors_are_located() {
        let t = Template {
            name: "t.hbs",
            text: "ok\n{{#if x}}\nno end\n",
        };
        let err = check(&t).unwrap_err().to_string();
        assert!(err.starts_with("t.hbs:"), "{err}");
    }
}
