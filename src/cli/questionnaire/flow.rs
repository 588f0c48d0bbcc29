//! The order of the questionnaire: the system, then each component (name,
//! kind, the questions that can still change its verdict, what it calls),
//! the advice with the assumptions it rests on, what the team decided and
//! why, the people once per system, then where to save and whether to write
//! the record. Every step can be left (Esc) or undone (back): the steps are
//! a small state machine with a history, and an answer is kept when its
//! question is asked again.

use std::path::{Path, PathBuf};

use crate::cli::questionnaire::prompter::{Answer, Prompter, Stop};
use crate::cli::questionnaire::questions::{
    ALWAYS, Ask, DONT_KNOW, Question, TOGETHER, check_number, probes, questions,
};
use crate::core::engine;
use crate::core::facts::{Facts, Surroundings};
use crate::core::report::analyze;
use crate::core::rules::rule_set::RuleSet;
use crate::core::spec::field::Field;
use crate::core::spec::kinds::Kinds;
use crate::core::spec::model::{Component, Spec, System};
use crate::core::spec::values::{
    ComponentName, DependencyName, Kind, Name, Verdict, Version, look_alike_key,
};
use crate::core::spec::yaml::criterion_value;
use crate::core::text::yaml_number;

/// What the questionnaire gathered.
#[derive(Clone, Debug, PartialEq)]
pub struct Gathered {
    /// The spec, as `analyze` reads it.
    pub spec: Spec,
    /// Per component (in the spec's order), the criteria the person said
    /// they did not know: left out of the spec, with a comment.
    pub unknown: Vec<Vec<Field>>,
    /// Where to save the spec (with [`Finish`]).
    pub path: Option<PathBuf>,
    /// Whether to write the decision record too.
    pub record: bool,
    /// Per component, its index in the spec the questionnaire started
    /// from (`None`: added), so an edit can keep the file's own text.
    pub origin: Vec<Option<usize>>,
}

/// The last steps: where to save the spec and whether to write the record.
/// The questionnaire asks them, so that back and Esc work there as well;
/// the caller writes the files once every answer is in.
pub struct Finish<'a> {
    /// The file to save to unless it exists and the person keeps it.
    pub out: PathBuf,
    /// What is at a path: `None` nothing, `Some(true)` a file (which may
    /// be replaced after a yes), `Some(false)` anything else (a folder).
    pub taken: &'a dyn Fn(&Path) -> Option<bool>,
    /// The advice for the whole answer (and, from an existing spec, what
    /// changes in it), shown before the last questions.
    pub summary: &'a dyn Fn(&Gathered) -> String,
}

/// What every step needs to know.
struct Ctx<'a> {
    kinds: &'a Kinds,
    rules: &'a RuleSet,
    questions: Vec<Question>,
    system: System,
}

/// A component being asked about.
#[derive(Clone, Debug)]
struct Draft {
    c: Component,
    /// Not named yet.
    fresh: bool,
    unknown: Vec<Field>,
    /// The person wants to change what the kind implies.
    change_implied: bool,
    /// Its index in the spec the questionnaire started from.
    origin: Option<usize>,
}

impl Draft {
    fn of(c: Component) -> Draft {
        Draft {
            c,
            fresh: false,
            unknown: Vec::new(),
            change_implied: false,
            origin: None,
        }
    }

    fn mark(&mut self, field: Field, known: bool) {
        self.unknown.retain(|f| *f != field);
        if !known {
            self.unknown.push(field);
            self.unknown.sort();
        }
    }
}

/// The steps of one component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Name,
    Description,
    Kind,
    Implied,
    Criterion(usize),
    DependsOn,
    Decision,
    Reason,
}

/// What the kind implies for `field`, as text.
fn implied(kinds: &Kinds, kind: Kind, field: Field) -> Option<String> {
    let facts = Facts::of_kind(kind, kinds);
    (facts.origin(field) == Some(crate::core::facts::Origin::Kind))
        .then(|| facts.get(field).map(|v| v.to_string()))
        .flatten()
}

fn implied_fields(ctx: &Ctx, c: &Component) -> Vec<(Field, String)> {
    let kind = c.kind.unwrap_or(Kind::Other);
    Field::ALL
        .into_iter()
        .filter(|f| f.is_criterion() && criterion_value(c, *f).is_none())
        .filter_map(|f| implied(ctx.kinds, kind, f).map(|v| (f, v)))
        .collect()
}

fn is_unique(name: &str, others: &[&str]) -> bool {
    let key = look_alike_key(name);
    others.iter().all(|o| look_alike_key(o) != key)
}

/// The kinds in the order the list shows them: the most common first,
/// `other` last.
pub(crate) fn kind_order() -> Vec<Kind> {
    Kinds::common_order()
}

/// The verdict `c` gets among `others`, as `analyze` would weigh it.
fn verdict_among(ctx: &Ctx, c: &Component, others: &[Component]) -> Verdict {
    let mut all = others.to_vec();
    all.push(c.clone());
    let around = crate::core::graph::surroundings_of(&all, ctx.rules, ctx.kinds);
    let facts = Facts::within(
        c,
        ctx.kinds,
        around.last().unwrap_or(&Surroundings::default()),
    );
    engine::evaluate(&facts, ctx.rules).verdict
}

/// Whether a stated value of question `qi`'s criterion can change the
/// verdict, given the kind and the answers so far. Numbers that only
/// matter with another criterion (clients and state per client) are asked
/// while that other one is still open.
fn can_matter(ctx: &Ctx, d: &Draft, others: &[Component], qi: usize) -> bool {
    let q = &ctx.questions[qi];
    let field = q.field;
    let mut base = d.c.clone();
    base.set_criterion(field, None);
    if matches!(q.ask, Ask::Number)
        && TOGETHER.iter().any(|group| {
            group.contains(&field)
                && group
                    .iter()
                    .filter(|f| f.index() < field.index())
                    .all(|f| criterion_value(&base, *f).is_some())
                && group
                    .iter()
                    .any(|f| f.index() > field.index() && criterion_value(&base, *f).is_none())
        })
    {
        return true;
    }
    let before = verdict_among(ctx, &base, others);
    let values: Vec<&str> = match &q.ask {
        Ask::Choice(answers) | Ask::Several(answers) => {
            answers.iter().map(|(_, v)| v.as_str()).collect()
        }
        Ask::Number => probes(field).to_vec(),
    };
    values.into_iter().any(|v| {
        let mut c = base.clone();
        c.set_criterion(field, Some(v));
        c != base && verdict_among(ctx, &c, others) != before
    })
}

/// Whether question `qi` is asked of this component.
fn relevant(ctx: &Ctx, d: &Draft, others: &[Component], qi: usize) -> bool {
    let field = ctx.questions[qi].field;
    let stated = criterion_value(&d.c, field).is_some();
    let kind = d.c.kind.unwrap_or(Kind::Other);
    if !stated && !d.change_implied && implied(ctx.kinds, kind, field).is_some() {
        return false;
    }
    // Where state lives decides the migration advice, and how it survives
    // the recovery advice of a component that keeps state, even when
    // neither moves the verdict.
    let advice_needs = match field {
        Field::StateLocation => true,
        Field::Recovery => verdict_among(ctx, &d.c, others) != Verdict::Stateless,
        _ => false,
    };
    stated || ALWAYS.contains(&field) || advice_needs || can_matter(ctx, d, others, qi)
}

fn first_question(ctx: &Ctx, d: &Draft, others: &[Component], from: usize) -> Step {
    (from..ctx.questions.len())
        .find(|qi| relevant(ctx, d, others, *qi))
        .map_or(
            if others.is_empty() {
                Step::Decision
            } else {
                Step::DependsOn
            },
            Step::Criterion,
        )
}

/// The step after `step`, from the answers so far; `None` when the
/// component is done.
fn next_step(ctx: &Ctx, d: &Draft, others: &[Component], step: Step) -> Option<Step> {
    Some(match step {
        Step::Name => Step::Description,
        Step::Description => Step::Kind,
        Step::Kind if !implied_fields(ctx, &d.c).is_empty() => Step::Implied,
        Step::Kind | Step::Implied => first_question(ctx, d, others, 0),
        Step::Criterion(qi) => first_question(ctx, d, others, qi + 1),
        Step::DependsOn => Step::Decision,
        Step::Decision => {
            let advice = verdict_among(ctx, &d.c, others);
            match d.c.decision {
                Some(decided) if decided != advice => Step::Reason,
                _ => return None,
            }
        }
        Step::Reason => return None,
    })
}

/// Asks about one component, from its first question, or from its last
/// with `at_end` (the person came back to it). The answers stay in `d`
/// also when the person goes back out of it, so they are kept.
fn ask_component(
    p: &mut dyn Prompter,
    ctx: &Ctx,
    d: &mut Draft,
    others: &[Component],
    at_end: bool,
) -> Answer<()> {
    let mut history: Vec<Step> = Vec::new();
    let mut step = Step::Name;
    if at_end {
        while let Some(next) = next_step(ctx, d, others, step) {
            history.push(step);
            step = next;
        }
    }
    loop {
        match ask_step(p, ctx, d, others, step) {
            Ok(()) => match next_step(ctx, d, others, step) {
                Some(next) => {
                    history.push(step);
                    step = next;
                }
                None => return Ok(()),
            },
            Err(Stop::Back) => match history.pop() {
                Some(previous) => step = previous,
                None => return Err(Stop::Back),
            },
            Err(e) => return Err(e),
        }
    }
}

fn ask_step(
    p: &mut dyn Prompter,
    ctx: &Ctx,
    d: &mut Draft,
    others: &[Component],
    step: Step,
) -> Answer<()> {
    let names: Vec<&str> = others.iter().map(|c| c.name.as_str()).collect();
    match step {
        Step::Name => {
            let check = |t: &str| {
                let t = t.trim();
                if ComponentName::new(t).is_none() {
                    return Err("a name of 1 to 64 printable characters".to_owned());
                }
                if !is_unique(t, &names) {
                    return Err(format!("another component is already called `{t}`"));
                }
                Ok(())
            };
            let current = if d.fresh { "" } else { d.c.name.as_str() };
            let name = p.text("Component name", current, &check)?;
            d.c.name =
                ComponentName::new(name.trim()).ok_or(Stop::Failed("invalid name".into()))?;
            d.fresh = false;
        }
        Step::Description => {
            d.c.description = cleared(p.text(
                "What does it do? (one line, optional; -: none)",
                &d.c.description,
                &|_| Ok(()),
            )?);
        }
        Step::Kind => {
            let order = kind_order();
            let items: Vec<String> = order.iter().map(|k| kind_item(ctx.kinds, *k)).collect();
            // A new component starts on the most common kind; one read from a
            // spec that names no kind, on `other` (what no kind means).
            let current = d.c.kind.or((!d.fresh).then_some(Kind::Other));
            let default = order.iter().position(|k| Some(*k) == current).unwrap_or(0);
            let picked = p.select("What is it? (type to filter)", &items, default)?;
            let kind = order.get(picked).copied();
            // Keeping `other` on such a component leaves its spec as it was.
            if !(d.c.kind.is_none() && !d.fresh && kind == Some(Kind::Other)) {
                d.c.kind = kind;
            }
        }
        Step::Implied => {
            let kind = d.c.kind.unwrap_or(Kind::Other);
            let list: Vec<String> = implied_fields(ctx, &d.c)
                .iter()
                .map(|(f, v)| format!("{} {v}", f.name()))
                .collect();
            p.note(&format!("A {kind} implies: {}.", list.join(", ")));
            d.change_implied = p.confirm("Change any of these?", d.change_implied)?;
        }
        Step::Criterion(qi) => ask_criterion(p, ctx, d, qi)?,
        Step::DependsOn => {
            let chosen: Vec<bool> = names
                .iter()
                .map(|n| d.c.depends_on.iter().any(|dep| dep.as_str() == *n))
                .collect();
            let items: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
            let picked = p.multi_select("Which of the others does it call?", &items, &chosen)?;
            d.c.depends_on = picked
                .into_iter()
                .filter_map(|i| names.get(i))
                .map(|n| DependencyName::new(n))
                .collect();
        }
        Step::Decision => {
            let advice = advise(p, ctx, d, others);
            let mut options = vec![advice];
            options.extend(Verdict::ALL.iter().copied().filter(|v| *v != advice));
            let mut items: Vec<String> = options
                .iter()
                .map(|v| {
                    if *v == advice {
                        format!("{v} (the advice)")
                    } else {
                        v.to_string()
                    }
                })
                .collect();
            items.push("Not decided yet".to_owned());
            let default =
                d.c.decision
                    .and_then(|v| options.iter().position(|o| *o == v))
                    .unwrap_or(0);
            let picked = p.select("What did the team decide?", &items, default)?;
            d.c.decision = options.get(picked).copied();
            if d.c.decision.is_none_or(|v| v == advice) {
                d.c.decision_reason = None;
            }
        }
        Step::Reason => {
            let reason = p.text(
                "Why does the team depart from the advice? (one line)",
                d.c.decision_reason.as_deref().unwrap_or(""),
                &|t| {
                    if t.trim().is_empty() {
                        Err("`statewise check` wants a reason when the decision departs from the advice".to_owned())
                    } else {
                        Ok(())
                    }
                },
            )?;
            d.c.decision_reason = Some(reason.trim().to_owned());
        }
    }
    Ok(())
}

/// Typed text, trimmed; `-` alone clears it.
fn cleared(text: String) -> String {
    match text.trim() {
        "-" => String::new(),
        t => t.to_owned(),
    }
}

/// A kind in the list: its name, its summary and what it fills in.
fn kind_item(kinds: &Kinds, kind: Kind) -> String {
    let fills: Vec<String> = Field::ALL
        .into_iter()
        .filter(|f| f.is_criterion())
        .filter_map(|f| implied(kinds, kind, f).map(|v| format!("{} {v}", f.name())))
        .collect();
    let fills = if fills.is_empty() {
        String::new()
    } else {
        format!(" (fills in {})", fills.join(", "))
    };
    format!("{:<21} {}{fills}", kind.as_str(), kinds.summary(kind))
}

/// Asks question `qi`; "I don't know" leaves the criterion out and marks
/// it unknown.
fn ask_criterion(p: &mut dyn Prompter, ctx: &Ctx, d: &mut Draft, qi: usize) -> Answer<()> {
    let q = &ctx.questions[qi];
    let field = q.field;
    let kind = d.c.kind.unwrap_or(Kind::Other);
    match &q.ask {
        Ask::Choice(answers) => {
            let current = criterion_value(&d.c, field);
            let mut items: Vec<String> = answers.iter().map(|(label, _)| label.clone()).collect();
            items.push(DONT_KNOW.to_owned());
            let suggested = if d.unknown.contains(&field) {
                None
            } else {
                current.or_else(|| implied(ctx.kinds, kind, field))
            };
            let default = suggested
                .as_deref()
                .and_then(|v| answers.iter().position(|(_, value)| value == v))
                .unwrap_or(items.len() - 1);
            let picked = p.select(&q.prompt, &items, default)?;
            let value = answers.get(picked).map(|(_, v)| v.as_str());
            d.c.set_criterion(field, value);
            d.mark(field, value.is_some());
        }
        Ask::Several(answers) => {
            // Picking nothing is "I don't know"; `none` stands alone.
            let current = if d.unknown.contains(&field) {
                None
            } else {
                criterion_value(&d.c, field).or_else(|| implied(ctx.kinds, kind, field))
            };
            let now: Vec<&str> = current
                .as_deref()
                .map(|t| {
                    t.trim_matches(|c| c == '[' || c == ']')
                        .split(',')
                        .map(str::trim)
                        .collect()
                })
                .unwrap_or_default();
            let items: Vec<String> = answers.iter().map(|(label, _)| label.clone()).collect();
            let chosen: Vec<bool> = answers
                .iter()
                .map(|(_, v)| now.contains(&v.as_str()))
                .collect();
            let prompt = match q.prompt.strip_suffix(')') {
                Some(open) if open.contains(" (") => format!("{open}; none picked: don't know)"),
                _ => format!("{} (none picked: don't know)", q.prompt),
            };
            let picked = p.multi_select(&prompt, &items, &chosen)?;
            let mut values: Vec<&str> = picked
                .iter()
                .filter_map(|i| answers.get(*i).map(|(_, v)| v.as_str()))
                .collect();
            if values.len() > 1 && values.contains(&"none") {
                values.retain(|v| *v != "none");
                p.note("  `none` goes alone: left out beside the others");
            }
            let value = (!values.is_empty()).then(|| format!("[{}]", values.join(", ")));
            d.c.set_criterion(field, value.as_deref());
            d.mark(field, value.is_some());
        }
        Ask::Number => {
            let current = criterion_value(&d.c, field).unwrap_or_default();
            let keys = if current.is_empty() {
                "empty: don't know"
            } else {
                "Enter: keep, -: don't know"
            };
            let check = move |t: &str| {
                if t.trim() == "-" {
                    Ok(())
                } else {
                    check_number(field, t).map(|_| ())
                }
            };
            // "in ms (200ms, 1.5s)" and the keys share one parenthesis.
            let prompt = match q.prompt.strip_suffix(')') {
                Some(open) if open.contains(" (") => format!("{open}; {keys})"),
                _ => format!("{} ({keys})", q.prompt),
            };
            let typed = p.text(&prompt, &current, &check)?;
            let value = if typed.trim() == "-" {
                None
            } else {
                check_number(field, &typed).ok().flatten()
            };
            let text = value.map(yaml_number);
            if let Some(v) = &text
                && typed.trim() != v
            {
                p.note(&format!("  = {v}{}", field.unit()));
            }
            d.c.set_criterion(field, text.as_deref());
            d.mark(field, value.is_some());
        }
    }
    Ok(())
}

/// Shows the advice for the component as `analyze` gives it among the
/// others: the verdict and main reasons, the assumptions it rests on and
/// what would flip each, and what the person did not know. Returns the
/// advised verdict.
fn advise(p: &mut dyn Prompter, ctx: &Ctx, d: &Draft, others: &[Component]) -> Verdict {
    let mut all = others.to_vec();
    all.push(d.c.clone());
    let spec = Spec {
        version: Version,
        system: ctx.system.clone(),
        components: all,
    };
    let report = analyze(&spec, ctx.rules, ctx.kinds);
    let Some(r) = report.components.last() else {
        return Verdict::Hybrid;
    };
    let reasons: Vec<String> = r
        .fired
        .iter()
        .take(2)
        .map(|rule| crate::core::text::lower_first(&rule.title))
        .collect();
    let why = if reasons.is_empty() {
        "no rule fired".to_owned()
    } else {
        reasons.join("; ")
    };
    // Rule titles may come from custom rule files: shown safe.
    let safe = |t: String| crate::core::escape::line(&t).into_owned();
    p.note(&safe(format!(
        "-> {}: {} (confidence {:.2}): {why}",
        d.c.name, r.verdict, r.confidence
    )));
    for a in &r.assumptions {
        p.note(&safe(format!(
            "   assumes {} {} (not stated); {} {} would make it {}",
            a.field.name(),
            a.assumed,
            a.field.name(),
            a.when,
            a.would_flip_to
        )));
    }
    if !d.unknown.is_empty() {
        let names: Vec<&str> = d.unknown.iter().map(|f| f.name()).collect();
        p.note(&format!(
            "   not known, left out of the spec: {}",
            names.join(", ")
        ));
    }
    r.verdict
}

/// The verdict of the `i`th of `components` in a line, for feedback as you
/// go, weighed with what the others make of it as `analyze` would.
pub fn verdict_line(components: &[Component], i: usize, kinds: &Kinds, rules: &RuleSet) -> String {
    let around = crate::core::graph::surroundings_of(components, rules, kinds);
    component_line(&components[i], &around[i], kinds, rules)
}

fn component_line(c: &Component, around: &Surroundings, kinds: &Kinds, rules: &RuleSet) -> String {
    let facts = Facts::within(c, kinds, around);
    let eval = engine::evaluate(&facts, rules);
    let reasons: Vec<String> = eval
        .fired
        .iter()
        .take(2)
        .map(|r| crate::core::text::lower_first(&r.title))
        .collect();
    let why = if reasons.is_empty() {
        "no rule fired".to_owned()
    } else {
        reasons.join("; ")
    };
    // Rule titles may come from custom rule files: shown safe.
    crate::core::escape::line(&format!(
        "-> {}: {} (confidence {:.2}): {why}",
        c.name, eval.verdict, eval.confidence
    ))
    .into_owned()
}

/// The steps of the whole questionnaire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Top {
    SystemName,
    SystemDescription,
    Component(usize),
    More(usize),
    Review,
    People(usize),
    Replace,
    SaveAs,
    Record,
}

/// The people questions, once per system.
const PEOPLE: [&str; 3] = [
    "Who decides? (names, comma-separated; empty: nobody named)",
    "Who was consulted? (names, comma-separated; empty: nobody)",
    "Who is to be informed? (names, comma-separated; empty: nobody)",
];

fn people_of(system: &mut System, i: usize) -> &mut Vec<String> {
    match i {
        0 => &mut system.decision_makers,
        1 => &mut system.consulted,
        _ => &mut system.informed,
    }
}

/// Runs the questionnaire. With `start`, its answers are the defaults and
/// its components can be reviewed, edited, added to or removed. With
/// `finish`, it ends by asking where to save and whether to write the
/// record; without, after the people.
pub fn run(
    p: &mut dyn Prompter,
    start: Option<Spec>,
    kinds: &Kinds,
    rules: &RuleSet,
    finish: Option<&Finish>,
) -> Answer<Gathered> {
    let from = start.is_some();
    let (system, components) = match start {
        Some(s) => (s.system, s.components),
        None => (
            System {
                name: Name::new("system").ok_or(Stop::Failed("no name".into()))?,
                description: String::new(),
                decision_makers: Vec::new(),
                consulted: Vec::new(),
                informed: Vec::new(),
                deploy: Vec::new(),
                waivers: Vec::new(),
            },
            Vec::new(),
        ),
    };
    let mut ctx = Ctx {
        kinds,
        rules,
        questions: questions(),
        system,
    };
    let mut drafts: Vec<Draft> = components
        .into_iter()
        .enumerate()
        .map(|(i, c)| Draft {
            origin: Some(i),
            ..Draft::of(c)
        })
        .collect();
    let mut path = finish.map(|f| f.out.clone());
    let mut record = false;
    let mut history: Vec<Top> = Vec::new();
    let mut step = Top::SystemName;
    let mut at_end = false;
    // A new component left with back before it was done.
    let mut pending: Option<Draft> = None;
    loop {
        let next = match step {
            Top::SystemName => {
                let current = if from { ctx.system.name.as_str() } else { "" };
                let name = p.text("System name", current, &|t| {
                    if t.trim().is_empty() {
                        Err("the system needs a name".to_owned())
                    } else if Name::new(t.trim()).is_none() {
                        Err("a name of printable characters".to_owned())
                    } else {
                        Ok(())
                    }
                });
                name.and_then(|n| {
                    ctx.system.name = Name::new(n.trim())
                        .ok_or(Stop::Failed("the system needs a name".into()))?;
                    Ok(Some(Top::SystemDescription))
                })
            }
            Top::SystemDescription => p
                .text(
                    "What does the system do? (one line, optional; -: none)",
                    &ctx.system.description.clone(),
                    &|_| Ok(()),
                )
                .map(|t| {
                    ctx.system.description = cleared(t);
                    Some(if from { Top::Review } else { Top::Component(0) })
                }),
            Top::Component(i) => {
                let others: Vec<Component> = drafts
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, d)| d.c.clone())
                    .collect();
                // A component left with back and come back to keeps its answers.
                let mut draft = match (drafts.get(i), pending.take()) {
                    (Some(d), _) => d.clone(),
                    (None, Some(d)) => d,
                    (None, None) => Draft {
                        fresh: true,
                        ..Draft::of(Component::named(
                            ComponentName::new("component")
                                .ok_or(Stop::Failed("no name".into()))?,
                        ))
                    },
                };
                let asked = ask_component(p, &ctx, &mut draft, &others, at_end);
                if matches!(asked, Ok(()) | Err(Stop::Back)) {
                    if i < drafts.len() {
                        rename_dependencies(&mut drafts, i, &draft.c.name);
                        drafts[i] = draft;
                    } else if asked.is_ok() {
                        drafts.push(draft);
                    } else {
                        pending = Some(draft);
                    }
                }
                asked.map(|()| Some(if from { Top::Review } else { Top::More(i) }))
            }
            Top::More(i) => p.confirm("Add another component?", false).map(|more| {
                Some(if more {
                    Top::Component(i + 1)
                } else {
                    Top::People(0)
                })
            }),
            Top::Review => review(p, &ctx, &mut drafts).map(|pick| {
                if pick.is_none() {
                    // Removing renumbers the components: the way back
                    // starts here.
                    history.clear();
                }
                Some(pick.unwrap_or(Top::Review))
            }),
            Top::People(k) => {
                let current = people_of(&mut ctx.system, k).join(", ");
                p.text(PEOPLE[k.min(2)], &current, &|_| Ok(())).map(|t| {
                    *people_of(&mut ctx.system, k) = t
                        .split(',')
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .map(str::to_owned)
                        .collect();
                    if k < 2 {
                        Some(Top::People(k + 1))
                    } else {
                        finish.map(|f| {
                            p.note(&(f.summary)(&gathered(&ctx, &drafts, None, false)));
                            match path.as_deref().and_then(f.taken) {
                                None => Top::Record,
                                Some(true) => Top::Replace,
                                Some(false) => {
                                    let shown = path
                                        .as_ref()
                                        .map(|o| o.display().to_string())
                                        .unwrap_or_default();
                                    p.note(&format!(
                                        "`{shown}` is not a file; save the spec under another name."
                                    ));
                                    Top::SaveAs
                                }
                            }
                        })
                    }
                })
            }
            Top::Replace => {
                let shown = path
                    .as_ref()
                    .map(|o| o.display().to_string())
                    .unwrap_or_default();
                p.confirm(&format!("`{shown}` exists. Replace it?"), false)
                    .map(|yes| Some(if yes { Top::Record } else { Top::SaveAs }))
            }
            Top::SaveAs => {
                let taken = finish.map(|f| f.taken);
                let base = path.clone().unwrap_or_default();
                let suggestion = (2..1000)
                    .map(|n| base.with_file_name(format!("statewise-{n}.yaml")))
                    .find(|c| taken.is_none_or(|t| t(c).is_none()))
                    .unwrap_or_else(|| base.clone());
                p.text(
                    "Save the spec as",
                    &suggestion.display().to_string(),
                    &|t| {
                        let t = t.trim();
                        if t.is_empty() {
                            Err("a file name".to_owned())
                        } else if taken.and_then(|f| f(Path::new(t))) == Some(false) {
                            Err(format!("`{t}` is not a file; give a file name"))
                        } else {
                            Ok(())
                        }
                    },
                )
                .map(|name| {
                    let chosen = PathBuf::from(name.trim());
                    let next = if taken.and_then(|t| t(&chosen)) == Some(true) {
                        Top::Replace
                    } else {
                        Top::Record
                    };
                    path = Some(chosen);
                    Some(next)
                })
            }
            Top::Record => p
                .confirm("Write a decision record (ADR) for it now?", true)
                .map(|yes| {
                    record = yes;
                    None
                }),
        };
        at_end = false;
        match next {
            Ok(Some(next)) => {
                history.push(step);
                step = next;
            }
            Ok(None) => break,
            Err(Stop::Back) => match history.pop() {
                Some(previous) => {
                    at_end = matches!(previous, Top::Component(_));
                    step = previous;
                }
                None => p.note("This is the first question; Esc quits."),
            },
            Err(e) => return Err(e),
        }
    }
    Ok(gathered(&ctx, &drafts, finish.and(path), record))
}

fn gathered(ctx: &Ctx, drafts: &[Draft], path: Option<PathBuf>, record: bool) -> Gathered {
    Gathered {
        spec: spec_of(ctx, drafts),
        unknown: drafts.iter().map(|d| d.unknown.clone()).collect(),
        path,
        record,
        origin: drafts.iter().map(|d| d.origin).collect(),
    }
}

fn spec_of(ctx: &Ctx, drafts: &[Draft]) -> Spec {
    Spec {
        version: Version,
        system: ctx.system.clone(),
        components: drafts.iter().map(|d| d.c.clone()).collect(),
    }
}

/// A renamed component keeps the components that depend on it.
fn rename_dependencies(drafts: &mut [Draft], i: usize, new: &ComponentName) {
    let Some(old) = drafts.get(i).map(|d| d.c.name.clone()) else {
        return;
    };
    if old == *new {
        return;
    }
    for d in drafts.iter_mut() {
        for dep in d.c.depends_on.iter_mut() {
            if dep.as_str() == old.as_str() {
                *dep = DependencyName::new(new.as_str());
            }
        }
    }
}

/// The review of an existing spec's components: the step to go to, or
/// `None` after a removal (the review is shown again).
fn review(p: &mut dyn Prompter, ctx: &Ctx, drafts: &mut Vec<Draft>) -> Answer<Option<Top>> {
    let components: Vec<Component> = drafts.iter().map(|d| d.c.clone()).collect();
    let around = crate::core::graph::surroundings_of(&components, ctx.rules, ctx.kinds);
    for (c, around) in components.iter().zip(&around) {
        p.note(&component_line(c, around, ctx.kinds, ctx.rules));
    }
    let mut items: Vec<String> = components
        .iter()
        .map(|c| format!("Edit {}", c.name))
        .collect();
    items.push("Add a component".to_owned());
    items.push("Remove a component".to_owned());
    items.push("Done".to_owned());
    let n = components.len();
    let picked = p.select("Review the components", &items, n + 2)?;
    if picked <= n {
        return Ok(Some(Top::Component(picked)));
    }
    if picked > n + 1 {
        return Ok(Some(Top::People(0)));
    }
    if n == 1 {
        p.note("A spec needs at least one component; add another before removing this one.");
        return Ok(None);
    }
    let names: Vec<String> = components.iter().map(|c| c.name.to_string()).collect();
    let which = match p.select("Remove which component?", &names, 0) {
        Err(Stop::Back) => return Ok(None),
        other => other?,
    };
    match p.confirm(&format!("Remove {}?", names[which]), false) {
        Ok(true) => {
            drafts.remove(which);
            // Nothing may depend on a component that is gone.
            for d in drafts.iter_mut() {
                d.c.depends_on.retain(|dep| dep.as_str() != names[which]);
            }
        }
        Ok(false) | Err(Stop::Back) => {}
        Err(e) => return Err(e),
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::questionnaire::prompter::Scripted1::{Back, Default, Pick, Picks, Text, Yes};
    use crate::cli::questionnaire::prompter::{Scripted, Scripted1};
    use crate::core::spec::values::{Availability, Count, Positive, Realtime, Traffic};

    fn t(s: &str) -> Scripted1 {
        Text(s.to_owned())
    }

    fn pick(s: &str) -> Scripted1 {
        Pick(s.to_owned())
    }

    fn run_keyed(
        answers: Vec<(&str, Scripted1)>,
        start: Option<Spec>,
        finish: Option<&Finish>,
    ) -> (Answer<Gathered>, Scripted) {
        let mut p = Scripted::keyed(answers);
        let rules = RuleSet::builtin();
        let out = run(&mut p, start, Kinds::builtin(), &rules, finish);
        (out, p)
    }

    fn gateway() -> Vec<(&'static str, Scripted1)> {
        vec![
            ("System name", t("Acme")),
            ("Component name", t("gateway")),
            ("What does it do?", t("Holds the WebSockets")),
            ("What is it?", pick("other")),
            ("live channel", pick("Yes: a live two-way")),
            ("traffic behave", pick("It can surge")),
            ("p99 latency", t("0.05s")),
            ("Clients or connections", t("20k")),
            ("State per client", t("64")),
            ("Memory you can spend", t("4GB")),
            ("Availability", t("99.9%")),
        ]
    }

    #[test]
    fn numbers_with_units_are_normalised_and_echoed() {
        let (out, p) = run_keyed(gateway(), None, None);
        let spec = out.unwrap().spec;
        let gw = &spec.components[0];
        assert_eq!(gw.realtime, Some(Realtime::Bidirectional));
        assert_eq!(gw.traffic, Some(Traffic::Unpredictable));
        assert_eq!(gw.latency_ms.map(Positive::get), Some(50.0));
        assert_eq!(gw.concurrent_clients.map(Count::get), Some(20000.0));
        assert_eq!(gw.availability.map(Availability::get), Some(99.9));
        for echo in ["  = 50 ms", "  = 20000", "  = 99.9%"] {
            assert!(p.notes.iter().any(|n| n == echo), "{echo}: {:?}", p.notes);
        }
        assert!(
            !p.notes.iter().any(|n| n == "  = 64 KiB"),
            "a plain number is not echoed: {:?}",
            p.notes
        );
    }

    #[test]
    fn traffic_latency_and_availability_are_always_asked_and_the_rest_only_where_it_matters() {
        let (out, p) = run_keyed(
            vec![
                ("System name", t("Acme")),
                ("Component name", t("db")),
                ("What is it?", pick("database")),
            ],
            None,
            None,
        );
        out.unwrap();
        for always in ["traffic behave", "p99 latency", "Availability"] {
            assert_eq!(
                p.asked.iter().filter(|a| a.contains(always)).count(),
                1,
                "{always}: {:?}",
                p.asked
            );
        }
        // A database is stateful by nature: most criteria cannot change that.
        let criteria = questions().len();
        let asked = p
            .asked
            .iter()
            .filter(|a| {
                questions()
                    .iter()
                    .any(|q| a.starts_with(q.prompt.split(" (").next().unwrap_or_default()))
            })
            .count();
        assert!(asked < criteria, "{asked} of {criteria}: {:?}", p.asked);
        assert!(
            !p.asked.iter().any(|a| a.contains("State per client")),
            "{:?}",
            p.asked
        );
    }

    #[test]
    fn a_number_that_matters_only_with_another_is_asked_while_that_one_is_open() {
        // A chat: clients at once is asked (state per client may follow);
        // not known, state per client can no longer matter.
        let (out, p) = run_keyed(
            vec![
                ("System name", t("Acme")),
                ("Component name", t("gw")),
                ("What is it?", pick("chat")),
                ("Clients or connections", t("")),
            ],
            None,
            None,
        );
        let g = out.unwrap();
        assert!(p.asked.iter().any(|a| a.contains("Clients or connections")));
        assert!(!p.asked.iter().any(|a| a.contains("State per client")));
        assert!(g.unknown[0].contains(&Field::ConcurrentClients));
    }

    #[test]
    fn back_returns_to_the_previous_question_with_its_answer_kept() {
        let mut script = gateway();
        // At latency, go back twice (to traffic, then to live channel),
        // change the live channel, keep traffic as answered.
        script.insert(6, ("p99 latency", Back));
        script.insert(7, ("traffic behave", Back));
        script.insert(8, ("live channel", pick("No: clients call it")));
        let (out, p) = run_keyed(script, None, None);
        let gw = out.unwrap().spec.components.remove(0);
        assert_eq!(gw.realtime, Some(Realtime::None));
        assert_eq!(gw.traffic, Some(Traffic::Unpredictable), "kept");
        assert_eq!(gw.latency_ms.map(Positive::get), Some(50.0));
        let traffic = p
            .asked
            .iter()
            .filter(|a| a.contains("traffic behave"))
            .count();
        assert_eq!(traffic, 3, "asked, back to it, asked again: {:?}", p.asked);
    }

    #[test]
    fn back_from_a_components_first_question_leaves_it_and_back_again_returns_at_its_end() {
        let script = vec![
            ("System name", t("Acme")),
            ("Component name", t("api")),
            ("What is it?", pick("rest-api")),
            ("Add another component?", Yes(true)),
            ("Component name", Back),            // back to "Add another?"
            ("Add another component?", Back),    // back into api, at its end
            ("What did the team decide?", Back), // and one further
            ("Who decides?", t("Jane Doe, Raj")),
        ];
        let (out, p) = run_keyed(script, None, None);
        let g = out.unwrap();
        assert_eq!(g.spec.components.len(), 1);
        assert_eq!(g.spec.system.decision_makers, ["Jane Doe", "Raj"]);
        let asked: Vec<&str> = p.asked.iter().map(String::as_str).collect();
        let at = asked
            .iter()
            .position(|a| a.contains("Add another component?"))
            .unwrap();
        assert!(asked[at + 1].contains("Component name"), "{asked:?}");
        assert!(
            asked[at + 2].contains("Add another component?"),
            "{asked:?}"
        );
        assert!(
            asked[at + 3].contains("What did the team decide?"),
            "{asked:?}"
        );
        assert!(
            !asked[at + 4].contains("What did the team decide?"),
            "{asked:?}"
        );
    }

    #[test]
    fn a_new_component_left_with_back_keeps_its_answers() {
        let (out, p) = run_keyed(
            vec![
                ("System name", t("Acme")),
                ("Component name", t("api")),
                ("What does it do?", t("Serves the app")),
                ("What is it?", Back),
                ("What does it do?", Back),
                ("Component name", Back),
                ("What does the system do?", t("")),
            ],
            None,
            None,
        );
        let g = out.unwrap();
        let api = &g.spec.components[0];
        assert_eq!(api.name.as_str(), "api", "kept: {:?}", p.asked);
        assert_eq!(api.description, "Serves the app");
        assert_eq!(
            p.asked
                .iter()
                .filter(|a| a.contains("Component name"))
                .count(),
            3,
            "{:?}",
            p.asked
        );
    }

    #[test]
    fn back_at_the_very_first_question_says_so() {
        let (out, p) = run_keyed(
            vec![
                ("System name", Back),
                ("System name", t("Acme")),
                ("Component name", t("api")),
            ],
            None,
            None,
        );
        assert_eq!(out.unwrap().spec.system.name.as_str(), "Acme");
        assert!(p.notes.iter().any(|n| n.contains("first question")));
    }

    #[test]
    fn esc_at_any_prompt_cancels() {
        let taken = |_: &Path| Some(true);
        let summary = |_: &Gathered| String::new();
        let finish = Finish {
            out: PathBuf::from("statewise.yaml"),
            taken: &taken,
            summary: &summary,
        };
        let mut script = gateway();
        script.push(("Add another component?", Yes(true)));
        script.extend(gateway().into_iter().skip(1).map(|(k, a)| match k {
            "Component name" => (k, t("second")),
            _ => (k, a),
        }));
        script.push(("Replace it?", Yes(true)));
        let rules = RuleSet::builtin();
        let mut whole = Scripted::keyed(script.clone());
        let all = run(&mut whole, None, Kinds::builtin(), &rules, Some(&finish));
        assert!(all.is_ok(), "{all:?}");
        assert!(whole.asked.len() > 30, "{:?}", whole.asked);
        for cut in 0..whole.asked.len() {
            let mut p = Scripted::keyed(script.clone()).esc_at(cut);
            let out = run(&mut p, None, Kinds::builtin(), &rules, Some(&finish));
            assert_eq!(out, Err(Stop::Cancelled), "Esc at `{}`", whole.asked[cut]);
            assert_eq!(p.asked.len(), cut + 1);
        }
    }

    #[test]
    fn dont_know_leaves_the_field_out_names_it_and_shows_the_assumptions() {
        let (out, p) = run_keyed(
            vec![
                ("System name", t("Acme")),
                ("Component name", t("api")),
                ("What is it?", pick("other")),
                ("live channel", pick("Yes: a live two-way")),
                ("traffic behave", pick("I don't know")),
                ("p99 latency", t("")),
            ],
            None,
            None,
        );
        let g = out.unwrap();
        let api = &g.spec.components[0];
        assert_eq!((api.traffic, api.latency_ms), (None, None));
        assert!(g.unknown[0].contains(&Field::Traffic));
        assert!(g.unknown[0].contains(&Field::LatencyMs));
        let assumption = p
            .notes
            .iter()
            .find(|n| n.contains("assumes traffic steady (not stated); traffic"))
            .unwrap_or_else(|| panic!("{:?}", p.notes));
        assert!(assumption.contains("would make it"), "{assumption}");
        assert!(
            p.notes
                .iter()
                .any(|n| n.contains("not known, left out of the spec: traffic, latency_ms")),
            "{:?}",
            p.notes
        );
        let text = crate::core::spec::yaml::to_commented_yaml_noting(
            &g.spec,
            Kinds::builtin(),
            true,
            &g.unknown,
        );
        let traffic = text
            .lines()
            .find(|l| l.contains("# traffic:"))
            .unwrap_or_default();
        assert!(traffic.contains("not known when asked"), "{text}");
        assert_eq!(Spec::from_yaml(&text, "s").unwrap(), g.spec);
    }

    #[test]
    fn a_list_field_is_a_multi_select_and_none_goes_alone() {
        let (out, p) = run_keyed(
            vec![
                ("System name", t("Acme")),
                ("Component name", t("counter")),
                ("What is it?", pick("other")),
                ("Availability", t("99.95%")),
                (
                    "Where does it keep what it must remember today?",
                    Picks(vec![
                        "In its own process memory".into(),
                        "In an external store".into(),
                    ]),
                ),
                (
                    "How does the state it holds in memory survive",
                    Picks(vec!["Nothing recovers it".into(), "Live replicas".into()]),
                ),
            ],
            None,
            None,
        );
        let g = out.unwrap();
        let c = &g.spec.components[0];
        assert_eq!(
            criterion_value(c, Field::StateLocation).as_deref(),
            Some("[memory, external-store]")
        );
        // `none` beside another way is dropped, and the person is told.
        assert_eq!(
            criterion_value(c, Field::Recovery).as_deref(),
            Some("replicas")
        );
        assert!(
            p.asked
                .iter()
                .any(|a| a.contains("(pick all that apply; none picked: don't know)")),
            "{:?}",
            p.asked
        );
        // The spec written reads back with the same lists.
        let yaml = crate::core::spec::yaml::to_commented_yaml(&g.spec, Kinds::builtin(), true);
        let back = Spec::from_yaml(&yaml, "s.yaml").unwrap();
        assert_eq!(back.components[0].state_location, c.state_location);
        assert_eq!(back.components[0].recovery, c.recovery);
    }

    #[test]
    fn a_decision_against_the_advice_asks_why_and_the_people_are_asked_once() {
        let (out, p) = run_keyed(
            vec![
                ("System name", t("Acme")),
                ("Component name", t("db")),
                ("What is it?", pick("database")),
                ("What did the team decide?", pick("stateless")),
                (
                    "Why does the team depart",
                    t("managed service; we hold no state"),
                ),
                ("Add another component?", Yes(true)),
                ("Component name", t("api")),
                ("What is it?", pick("rest-api")),
                (
                    "Which of the others does it call?",
                    Picks(vec!["db".into()]),
                ),
                ("Who decides?", t("Jane")),
                ("Who was consulted?", t("Ops, DBA")),
                ("Who is to be informed?", t("")),
            ],
            None,
            None,
        );
        let g = out.unwrap();
        let db = &g.spec.components[0];
        assert_eq!(db.decision, Some(Verdict::Stateless));
        assert_eq!(
            db.decision_reason.as_deref(),
            Some("managed service; we hold no state")
        );
        let api = &g.spec.components[1];
        assert_eq!(
            api.decision,
            Some(Verdict::Stateless),
            "the advice, by default"
        );
        assert_eq!(api.decision_reason, None);
        assert_eq!(api.depends_on, [DependencyName::new("db")]);
        assert_eq!(g.spec.system.consulted, ["Ops", "DBA"]);
        assert!(g.spec.system.informed.is_empty());
        assert_eq!(
            p.asked.iter().filter(|a| a.contains("Who decides")).count(),
            1
        );
        assert_eq!(p.asked.iter().filter(|a| a.contains("Why does")).count(), 1);
    }

    #[test]
    fn the_end_asks_where_to_save_and_whether_to_write_the_record() {
        let taken = |p: &Path| (p == Path::new("statewise.yaml")).then_some(true);
        let summary = |g: &Gathered| format!("summary of {}", g.spec.system.name);
        let finish = Finish {
            out: PathBuf::from("statewise.yaml"),
            taken: &taken,
            summary: &summary,
        };
        let mut script = gateway();
        script.extend([
            ("exists. Replace it?", Default),
            ("Save the spec as", Default),
            ("Write a decision record", Yes(false)),
        ]);
        let (out, p) = run_keyed(script, None, Some(&finish));
        let g = out.unwrap();
        assert_eq!(g.path, Some(PathBuf::from("statewise-2.yaml")));
        assert!(!g.record);
        assert!(p.notes.iter().any(|n| n == "summary of Acme"));
        // Back from the record offer returns to the file name.
        let mut script = gateway();
        script.extend([
            ("exists. Replace it?", Yes(true)),
            ("Write a decision record", Back),
            ("exists. Replace it?", Yes(false)),
            ("Save the spec as", t("mine.yaml")),
        ]);
        let g = run_keyed(script, None, Some(&finish)).0.unwrap();
        assert_eq!(g.path, Some(PathBuf::from("mine.yaml")));
        assert!(g.record, "yes by default");
    }

    #[test]
    fn a_folder_in_the_way_asks_for_a_file_name() {
        let taken = |p: &Path| (p == Path::new("statewise.yaml")).then_some(false);
        let summary = |_: &Gathered| String::new();
        let finish = Finish {
            out: PathBuf::from("statewise.yaml"),
            taken: &taken,
            summary: &summary,
        };
        let mut script = gateway();
        script.push(("Write a decision record", Yes(false)));
        let (out, p) = run_keyed(script, None, Some(&finish));
        assert_eq!(out.unwrap().path, Some(PathBuf::from("statewise-2.yaml")));
        assert!(
            !p.asked.iter().any(|a| a.contains("Replace it?")),
            "{:?}",
            p.asked
        );
        assert!(
            p.notes.iter().any(|n| n.contains("is not a file")),
            "{:?}",
            p.notes
        );
        // Typing the folder's name is refused at the prompt.
        let mut script = gateway();
        script.push(("Save the spec as", t("statewise.yaml")));
        let (out, _) = run_keyed(script, None, Some(&finish));
        assert!(
            matches!(&out, Err(Stop::Failed(m)) if m.contains("is not a file")),
            "{out:?}"
        );
    }

    fn existing() -> Spec {
        Spec::from_yaml(
            "version: 1\nsystem: {name: Shop, description: old}\ncomponents:\n  - {name: api, kind: rest-api, latency_ms: 200}\n  - {name: db, kind: database}\n",
            "s",
        )
        .unwrap()
    }

    #[test]
    fn from_a_spec_answers_are_defaults_and_components_can_be_edited() {
        let (out, p) = run_keyed(
            vec![
                ("Review the components", pick("Edit api")),
                ("traffic behave", pick("It can surge")),
            ],
            Some(existing()),
            None,
        );
        let spec = out.unwrap().spec;
        assert_eq!(spec.system.description, "old");
        assert_eq!(spec.components[0].traffic, Some(Traffic::Unpredictable));
        assert_eq!(
            spec.components[0].latency_ms.map(Positive::get),
            Some(200.0)
        );
        assert_eq!(spec.components[1], existing().components[1]);
        assert!(p.notes.iter().any(|n| n.starts_with("-> db: stateful")));
    }

    #[test]
    fn from_a_spec_a_component_without_a_kind_keeps_none_when_the_kind_is_kept() {
        let spec = Spec::from_yaml(
            "version: 1\nsystem: {name: S}\ncomponents: [{name: a, latency_ms: 5}]\n",
            "s",
        )
        .unwrap();
        let (out, p) = run_keyed(
            vec![("Review the components", pick("Edit a"))],
            Some(spec),
            None,
        );
        assert_eq!(out.unwrap().spec.components[0].kind, None);
        assert!(p.asked.iter().any(|a| a.starts_with("What is it?")));
    }

    #[test]
    fn from_a_spec_a_description_is_cleared_with_a_dash() {
        let (out, _) = run_keyed(
            vec![
                ("What does the system do?", t("-")),
                ("Review the components", pick("Done")),
            ],
            Some(existing()),
            None,
        );
        assert_eq!(out.unwrap().spec.system.description, "");
    }

    #[test]
    fn from_a_spec_a_number_is_cleared_with_a_dash() {
        let (out, _) = run_keyed(
            vec![
                ("Review the components", pick("Edit api")),
                ("p99 latency", t("-")),
            ],
            Some(existing()),
            None,
        );
        let g = out.unwrap();
        assert_eq!(g.spec.components[0].latency_ms, None);
        assert!(g.unknown[0].contains(&Field::LatencyMs), "{:?}", g.unknown);
        assert!(g.unknown[1].is_empty(), "db was not asked about");
    }

    #[test]
    fn from_a_spec_components_can_be_added_and_removed() {
        let (out, _) = run_keyed(
            vec![
                ("Review the components", pick("Add a component")),
                ("Component name", t("resizer")),
                ("What is it?", pick("serverless-function")),
                ("Review the components", pick("Remove a component")),
                ("Remove which component?", pick("api")),
                ("Remove api?", Yes(true)),
            ],
            Some(existing()),
            None,
        );
        let spec = out.unwrap().spec;
        let names: Vec<&str> = spec.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["db", "resizer"]);
    }

    #[test]
    fn the_last_component_cannot_be_removed() {
        let one = Spec::from_yaml(
            "version: 1\nsystem: {name: S}\ncomponents: [{name: a}]\n",
            "s",
        )
        .unwrap();
        let (out, p) = run_keyed(
            vec![("Review the components", pick("Remove a component"))],
            Some(one),
            None,
        );
        assert_eq!(out.unwrap().spec.components.len(), 1);
        assert!(p.notes.iter().any(|n| n.contains("at least one component")));
    }

    #[test]
    fn verdict_line_names_verdict_and_reasons() {
        let spec = existing();
        let line = verdict_line(&spec.components, 1, Kinds::builtin(), &RuleSet::builtin());
        assert!(line.starts_with("-> db: stateful (confidence"), "{line}");
        assert!(
            line.contains("holding state is this component's job"),
            "{line}"
        );
    }

    #[test]
    fn verdict_line_weighs_the_graph_as_analyze_does() {
        let spec = Spec::from_yaml(
            "version: 1\nsystem: {name: Shop}\ncomponents:\n  - {name: web, kind: rest-api, session: per-user, availability: 99.95, depends_on: [sessions]}\n  - {name: sessions, kind: session-store}\n",
            "s",
        )
        .unwrap();
        let (rules, kinds) = (RuleSet::builtin(), Kinds::builtin());
        let report = crate::core::report::analyze(&spec, &rules, kinds);
        for (i, c) in report.components.iter().enumerate() {
            let line = verdict_line(&spec.components, i, kinds, &rules);
            let want = format!(
                "-> {}: {} (confidence {:.2})",
                c.name(),
                c.verdict,
                c.confidence
            );
            assert!(line.starts_with(&want), "{line} / {want}");
        }
        // The graph moved both: web's context can live in the store, and the
        // store's callers set its availability target.
        let web = verdict_line(&spec.components, 0, kinds, &rules);
        let mut web_alone = spec.components[0].clone();
        web_alone.depends_on.clear();
        let alone = verdict_line(&[web_alone], 0, kinds, &rules);
        assert_ne!(web, alone, "the dependency is weighed");
        assert!(
            report.components[1]
                .fired
                .iter()
                .any(|r| r.id == "availability-set-by-dependents")
        );
    }

    #[test]
    fn a_taken_name_is_refused_at_the_prompt() {
        let mut script = vec![
            ("System name", t("Acme")),
            ("Component name", t("gateway")),
            ("Add another component?", Yes(true)),
            ("Component name", t("GATEWAY")),
        ];
        script.push(("What is it?", pick("other")));
        let (out, _) = run_keyed(script, None, None);
        assert!(
            matches!(&out, Err(Stop::Failed(m)) if m.contains("already called `GATEWAY`")),
            "{out:?}"
        );
    }

    #[test]
    fn renaming_or_removing_a_component_keeps_dependencies_true() {
        let spec = Spec::from_yaml(
            "version: 1\nsystem: {name: Shop}\ncomponents:\n  - {name: api, kind: rest-api, depends_on: [db]}\n  - {name: db, kind: database}\n  - {name: web, kind: web-frontend, depends_on: [api, db]}\n",
            "s",
        )
        .unwrap();
        let deps = |s: &Spec, i: usize| -> Vec<String> {
            s.components[i]
                .depends_on
                .iter()
                .map(|d| d.to_string())
                .collect()
        };
        let (out, _) = run_keyed(
            vec![
                ("Review the components", pick("Edit db")),
                ("Component name", t("store")),
            ],
            Some(spec.clone()),
            None,
        );
        let renamed = out.unwrap().spec;
        assert_eq!(deps(&renamed, 0), ["store"]);
        assert_eq!(deps(&renamed, 2), ["api", "store"]);
        let (out, _) = run_keyed(
            vec![
                ("Review the components", pick("Remove a component")),
                ("Remove which component?", pick("db")),
                ("Remove db?", Yes(true)),
            ],
            Some(spec),
            None,
        );
        let removed = out.unwrap().spec;
        assert!(removed.components[0].depends_on.is_empty());
        assert_eq!(deps(&removed, 1), ["api"]);
    }

    #[test]
    fn questions_cover_every_criterion_of_the_catalogue() {
        let asked: Vec<Field> = questions().iter().map(|q| q.field).collect();
        for f in Field::ALL.into_iter().filter(|f| f.is_criterion()) {
            assert!(asked.contains(&f), "{}", f.name());
        }
    }
}
