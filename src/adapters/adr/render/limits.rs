//! Bounds on a user's template, so that any template file ends in a record or
//! in an error, never in a stack overflow or a runaway: its size, its tags
//! and bracket nesting (checked on the text, before Handlebars parses it),
//! the nesting of blocks and partials and the partials it calls (checked on
//! the parsed template), and, while it renders, a step budget and an output
//! cap.
//!
//! Steps are counted by a helper call put at the start of every block body,
//! partial and the template itself, which charges the elements that body
//! renders: a loop over a list of `n` is charged `n` times its body, however
//! empty, so nested loops cannot run away unseen.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use handlebars::template::{Parameter, Template, TemplateElement, TemplateMapping};
use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonValue, Output, RenderContext,
    RenderErrorReason,
};

/// The largest template, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 256 * 1024;
/// The most tags (`{{`) a template may hold.
pub const MAX_TAGS: usize = 1_024;
/// The deepest nesting of blocks and partials, and of brackets in a tag.
pub const MAX_DEPTH: usize = 64;
/// The most steps (elements rendered) one record may take.
pub const MAX_STEPS: u64 = 10_000_000;
/// The largest record a template may write, in bytes.
pub const MAX_OUTPUT_BYTES: usize = 16 * 1024 * 1024;

/// The name the template itself has as a partial.
pub const ROOT: &str = "record";
/// The helper that charges steps. Its name is not one a template would use;
/// a template that calls it only spends its own budget.
pub const STEP_HELPER: &str = "__statewise_step";

/// A limit a template breaks: what, where (line and column) and how to fix.
#[derive(Debug, PartialEq, Eq)]
pub struct Breach {
    /// What is wrong, lowercase.
    pub message: String,
    /// Where, when known.
    pub at: Option<(usize, usize)>,
    /// How to fix it.
    pub help: String,
}

fn breach(message: String, at: Option<(usize, usize)>, help: &str) -> Breach {
    Breach {
        message,
        at,
        help: help.to_owned(),
    }
}

/// The line and column (both from 1, the column in characters) of byte
/// `offset` of `text`.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// Checks what can be checked on the text before parsing: size, tag count,
/// and bracket nesting (the parser recurses once per `(`, `[` or `{`).
pub fn check_text(text: &str) -> Result<(), Breach> {
    if text.len() > MAX_TEMPLATE_BYTES {
        return Err(breach(
            format!(
                "template is {} KiB; a template may have at most {} KiB",
                text.len().div_ceil(1024),
                MAX_TEMPLATE_BYTES / 1024
            ),
            None,
            "a decision record template is a page of Markdown; move long fixed text into the record after writing it",
        ));
    }
    if let Some((offset, _)) = text.match_indices("{{").nth(MAX_TAGS) {
        return Err(breach(
            format!(
                "template has more than {MAX_TAGS} tags (`{{{{`); this is tag {}",
                MAX_TAGS + 1
            ),
            Some(position(text, offset)),
            "use `{{#each}}` over a list instead of repeating tags",
        ));
    }
    let mut depth = 0usize;
    for (offset, c) in text.char_indices() {
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_DEPTH + 2 {
                    return Err(breach(
                        format!("brackets `(`, `[` and `{{` nest more than {MAX_DEPTH} deep here"),
                        Some(position(text, offset)),
                        "close the brackets; a subexpression needs a few levels at most",
                    ));
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// A partial's name as written, or `None` when it is computed.
fn static_name(p: &Parameter) -> Option<String> {
    match p {
        Parameter::Name(n) => Some(n.clone()),
        Parameter::Path(handlebars::Path::Relative((_, raw)))
        | Parameter::Path(handlebars::Path::Local((_, _, raw))) => Some(raw.clone()),
        Parameter::Literal(JsonValue::String(s)) => Some(s.clone()),
        _ => None,
    }
}

fn mapping(t: &Template, i: usize) -> Option<(usize, usize)> {
    t.mapping.get(i).map(|m| (m.0, m.1))
}

/// The inline partials a template defines (`{{#*inline "name"}}`), by name.
fn definitions<'t>(t: &'t Template, out: &mut HashMap<String, Vec<&'t Template>>) {
    for e in &t.elements {
        match e {
            TemplateElement::HelperBlock(h) => {
                h.template.iter().for_each(|t| definitions(t, out));
                h.inverse.iter().for_each(|t| definitions(t, out));
            }
            TemplateElement::DecoratorBlock(d) => {
                if let (Parameter::Name(n), Some(body)) = (&d.name, &d.template)
                    && n == "inline"
                    && let Some(name) = d.params.first().and_then(static_name)
                {
                    out.entry(name).or_default().push(body);
                }
                d.template.iter().for_each(|t| definitions(t, out));
            }
            _ => {}
        }
    }
}

/// A line and column.
type Place = Option<(usize, usize)>;
/// How deep a body nests, and where its deepest point is.
type Depth = (usize, Place);

/// Walks the parsed template: refuses partial blocks and partials it cannot
/// follow, and measures the deepest nesting of blocks and partials.
struct Walk<'t> {
    partials: HashMap<String, Vec<&'t Template>>,
    /// Depth of each partial body once known, by address.
    depth: HashMap<*const Template, Depth>,
    /// The partials being walked, for naming a cycle.
    stack: Vec<(String, *const Template)>,
}

impl<'t> Walk<'t> {
    /// The deepest nesting inside `t`, and where it is.
    fn body(&mut self, t: &'t Template) -> Result<Depth, Breach> {
        let mut deepest = (0, None);
        for (i, e) in t.elements.iter().enumerate() {
            let at = mapping(t, i);
            let inner = match e {
                TemplateElement::HelperBlock(h) => {
                    let mut d = (0, None);
                    for t in h.template.iter().chain(&h.inverse) {
                        let x = self.body(t)?;
                        if x.0 >= d.0 {
                            d = x;
                        }
                    }
                    Some(d)
                }
                TemplateElement::DecoratorBlock(d) => {
                    let inline = matches!(&d.name, Parameter::Name(n) if n == "inline");
                    if inline && d.params.first().and_then(static_name).is_none() {
                        return Err(breach(
                            "an inline partial's name must be written out, as `{{#*inline \"name\"}}`".into(),
                            at,
                            "quote the partial's name",
                        ));
                    }
                    // A definition renders where it is called, not here.
                    None
                }
                TemplateElement::PartialBlock(_) => {
                    return Err(breach(
                        "partial blocks (`{{#> name}}…{{/name}}`) are not supported in custom templates, so that their nesting can be checked".into(),
                        at,
                        "define the partial with `{{#*inline \"name\"}}…{{/inline}}` and call it with `{{> name}}`; pass values as `{{> name key=value}}`",
                    ));
                }
                TemplateElement::PartialExpression(p) => Some(self.call(&p.name, at)?),
                _ => None,
            };
            if let Some((d, inner_at)) = inner {
                if d + 1 > deepest.0 {
                    deepest = (d + 1, inner_at.or(at));
                }
                if deepest.0 > MAX_DEPTH {
                    return Err(breach(
                        format!("blocks and partials nest more than {MAX_DEPTH} deep"),
                        deepest.1,
                        "flatten the template: fewer blocks inside blocks, fewer partials calling partials",
                    ));
                }
            }
        }
        Ok(deepest)
    }

    /// The depth of a partial call `{{> name}}`.
    fn call(&mut self, name: &Parameter, at: Place) -> Result<Depth, Breach> {
        let Some(name) = static_name(name) else {
            return Err(breach(
                "a partial's name must be written out (`{{> name}}`), not computed".into(),
                at,
                "call each partial by its name, so statewise can check the partials a template calls",
            ));
        };
        let Some(targets) = self.partials.get(&name).cloned() else {
            return Err(breach(
                format!("no partial `{name}`; a template can call only the partials it defines"),
                at,
                &format!(
                    "define it with `{{{{#*inline \"{name}\"}}}}…{{{{/inline}}}}` before calling it"
                ),
            ));
        };
        let mut deepest = (0, None);
        for t in targets {
            let key: *const Template = t;
            if let Some(start) = self.stack.iter().position(|(_, k)| *k == key) {
                let cycle: Vec<&str> = self.stack[start..]
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .chain([name.as_str()])
                    .collect();
                return Err(breach(
                    format!("partials call themselves: {}", cycle.join(" → ")),
                    at,
                    "a partial may not call itself, directly or through others; use `{{#each}}` to repeat",
                ));
            }
            let d = match self.depth.get(&key) {
                Some(d) => *d,
                None => {
                    self.stack.push((name.clone(), key));
                    let d = self.body(t);
                    self.stack.pop();
                    let d = d?;
                    self.depth.insert(key, d);
                    d
                }
            };
            if d.0 >= deepest.0 {
                deepest = d;
            }
        }
        Ok(deepest)
    }
}

/// Checks the parsed template's nesting and partials, then puts a step
/// counter at the start of every body it can render.
pub fn guard(mut template: Template) -> Result<Template, Breach> {
    {
        let mut partials = HashMap::new();
        definitions(&template, &mut partials);
        partials.entry(ROOT.to_owned()).or_default().push(&template);
        let mut walk = Walk {
            partials,
            depth: HashMap::new(),
            stack: vec![(ROOT.to_owned(), &template as *const Template)],
        };
        walk.body(&template)?;
    }
    let first = template.mapping.first().cloned();
    count_steps(&mut template, first);
    Ok(template)
}

/// An element that calls the step helper with `n`.
fn step_element(n: usize) -> Option<TemplateElement> {
    // The text before keeps the call from counting as the start of a line
    // (which would indent it inside an indented partial).
    let t = Template::compile(&format!("x{{{{{STEP_HELPER} {n}}}}}")).ok()?;
    t.elements.into_iter().nth(1)
}

/// Puts a step call first in `t` and in every body inside it; the call
/// takes the place (for error messages) `at`, the block that owns the body.
fn count_steps(t: &mut Template, at: Option<TemplateMapping>) {
    for (i, e) in t.elements.iter_mut().enumerate() {
        let here = t.mapping.get(i).cloned();
        match e {
            TemplateElement::HelperBlock(h) => {
                h.template
                    .iter_mut()
                    .for_each(|t| count_steps(t, here.clone()));
                h.inverse
                    .iter_mut()
                    .for_each(|t| count_steps(t, here.clone()));
            }
            TemplateElement::DecoratorBlock(d) | TemplateElement::PartialBlock(d) => {
                d.template
                    .iter_mut()
                    .for_each(|t| count_steps(t, here.clone()));
            }
            _ => {}
        }
    }
    let parallel = t.mapping.len() == t.elements.len();
    if let Some(step) = step_element(t.elements.len() + 1) {
        t.elements.insert(0, step);
        match at {
            Some(m) if parallel => t.mapping.insert(0, m),
            // Without a place, the mapping no longer lines up: drop it.
            _ => t.mapping.clear(),
        }
    }
}

/// What a render has spent, shared by the step helper and the output.
#[derive(Default)]
pub struct Budget {
    steps: AtomicU64,
    out_of_steps: AtomicBool,
}

impl Budget {
    /// Starts a new render.
    pub fn reset(&self) {
        self.steps.store(0, Ordering::Relaxed);
        self.out_of_steps.store(false, Ordering::Relaxed);
    }

    /// Whether the render ran out of steps.
    pub fn out_of_steps(&self) -> bool {
        self.out_of_steps.load(Ordering::Relaxed)
    }
}

/// The step helper: charges its argument, fails once the budget is spent.
pub struct Steps(pub Arc<Budget>);

impl HelperDef for Steps {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        _: &mut dyn Output,
    ) -> HelperResult {
        let n = h
            .param(0)
            .and_then(|p| p.value().as_u64())
            .unwrap_or(1)
            .max(1);
        let spent = self
            .0
            .steps
            .fetch_add(n, Ordering::Relaxed)
            .saturating_add(n);
        if spent > MAX_STEPS {
            self.0.out_of_steps.store(true, Ordering::Relaxed);
            return Err(RenderErrorReason::Other("step budget spent".into()).into());
        }
        Ok(())
    }
}

/// `{{log}}` in a user's template: writes nowhere, costs a step.
pub fn log_helper(
    _: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    _: &mut dyn Output,
) -> HelperResult {
    Ok(())
}

/// The record being written, refused past [`MAX_OUTPUT_BYTES`].
#[derive(Default)]
pub struct Capped {
    /// What was written.
    pub bytes: Vec<u8>,
    /// Whether a write went past the cap.
    pub overflowed: bool,
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_OUTPUT_BYTES {
            self.overflowed = true;
            return Err(std::io::Error::other("the record is too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guarded(text: &str) -> Result<Template, Breach> {
        check_text(text)?;
        guard(Template::compile(text).expect("parses"))
    }

    #[test]
    fn positions_count_lines_and_characters() {
        assert_eq!(position("ab\ncé{{", 6), (2, 3));
        assert_eq!(position("{{", 0), (1, 1));
    }

    #[test]
    fn cycles_are_named() {
        let t = "{{#*inline \"a\"}}{{> b}}{{/inline}}{{#*inline \"b\"}}{{> a}}{{/inline}}{{> a}}";
        let e = guarded(t).unwrap_err();
        assert!(e.message.contains("a → b → a"), "{e:?}");
        let e = guarded("x\n{{> record}}").unwrap_err();
        assert!(e.message.contains("record → record"), "{e:?}");
        assert_eq!(e.at, Some((2, 1)));
    }

    #[test]
    fn nesting_counts_through_partials() {
        let open = "{{#if a}}".repeat(40);
        let close = "{{/if}}".repeat(40);
        let t =
            format!("{{{{#*inline \"p\"}}}}{open}x{close}{{{{/inline}}}}{open}{{{{> p}}}}{close}");
        let e = guarded(&t).unwrap_err();
        assert!(e.message.contains("nest more than 64"), "{e:?}");
        let ok = format!("{{{{#*inline \"p\"}}}}{open}x{close}{{{{/inline}}}}{{{{> p}}}}");
        assert!(guarded(&ok).is_ok());
    }

    #[test]
    fn text_limits_point_at_the_spot() {
        let e = check_text(&"{{a}}\n".repeat(MAX_TAGS + 1)).unwrap_err();
        assert_eq!(e.at, Some((MAX_TAGS + 1, 1)));
        let e = check_text(&format!("{{{{x {}}}}}", "(".repeat(100))).unwrap_err();
        assert!(e.message.contains("brackets"), "{e:?}");
        assert!(check_text(&"a".repeat(MAX_TEMPLATE_BYTES + 1)).is_err());
    }
}
