//! The order of the questionnaire: the system, then each component (name,
//! kind, the questions its kind does not answer), the verdict after each,
//! and the review of an existing spec's components.

use crate::cli::questionnaire::prompter::{Answer, Prompter, Stop};
use crate::cli::questionnaire::questions::{DONT_KNOW, QUESTIONS, Question, check_number};
use crate::core::engine;
use crate::core::facts::{Facts, Surroundings};
use crate::core::rules::rule_set::RuleSet;
use crate::core::spec::field::Field;
use crate::core::spec::kinds::Kinds;
use crate::core::spec::model::{Component, Spec, System};
use crate::core::spec::values::{
    ComponentName, DependencyName, Kind, Name, Version, look_alike_key,
};
use crate::core::spec::yaml::criterion_value;

/// What the kind implies for `field`, as text.
fn implied(kinds: &Kinds, kind: Kind, field: Field) -> Option<String> {
    let facts = Facts::of_kind(kind, kinds);
    (facts.origin(field) == Some(crate::core::facts::Origin::Kind))
        .then(|| facts.get(field).map(|v| v.to_string()))
        .flatten()
}

fn is_unique(name: &str, others: &[&str]) -> bool {
    let key = look_alike_key(name);
    others.iter().all(|o| look_alike_key(o) != key)
}

/// Asks for one component; `start` holds the answers already given.
fn ask_component(
    p: &mut dyn Prompter,
    start: Option<&Component>,
    others: &[&str],
    kinds: &Kinds,
) -> Answer<Component> {
    let name_check = |t: &str| {
        let t = t.trim();
        if ComponentName::new(t).is_none() {
            return Err("a name of 1 to 64 printable characters".to_owned());
        }
        if !is_unique(t, others) {
            return Err(format!("another component is already called `{t}`"));
        }
        Ok(())
    };
    let name = p.text(
        "Component name",
        start.map_or("", |c| c.name.as_str()),
        &name_check,
    )?;
    let name = ComponentName::new(name.trim()).ok_or(Stop::Failed("invalid name".into()))?;
    let mut c = match start {
        Some(s) => Component { name, ..s.clone() },
        None => Component::named(name),
    };
    c.description = p
        .text(
            "What does it do? (one line, optional)",
            &c.description,
            &|_| Ok(()),
        )?
        .trim()
        .to_owned();

    let items: Vec<String> = Kind::ALL
        .iter()
        .map(|k| format!("{:<21} {}", k.as_str(), kinds.summary(*k)))
        .collect();
    let default = Kind::ALL
        .iter()
        .position(|k| Some(*k) == c.kind)
        .unwrap_or(Kind::ALL.len() - 1);
    let kind = Kind::ALL[p.select("What is it?", &items, default)?];
    c.kind = Some(kind);

    let implied_fields: Vec<(Field, String)> = Field::ALL
        .into_iter()
        .filter(|f| criterion_value(&c, *f).is_none())
        .filter_map(|f| implied(kinds, kind, f).map(|v| (f, v)))
        .collect();
    let mut skip: Vec<Field> = Vec::new();
    if !implied_fields.is_empty() {
        let list: Vec<String> = implied_fields
            .iter()
            .map(|(f, v)| format!("{} {v}", f.name()))
            .collect();
        p.note(&format!("A {kind} implies: {}.", list.join(", ")));
        if !p.confirm("Change any of these?", false)? {
            skip = implied_fields.iter().map(|(f, _)| *f).collect();
        }
    }

    for q in QUESTIONS {
        match q {
            Question::Choice(choice) => {
                if skip.contains(&choice.field) {
                    continue;
                }
                let current = criterion_value(&c, choice.field)
                    .or_else(|| implied(kinds, kind, choice.field));
                let mut items: Vec<String> = choice
                    .answers
                    .iter()
                    .map(|(label, _)| (*label).to_owned())
                    .collect();
                items.push(DONT_KNOW.to_owned());
                let default = current
                    .as_deref()
                    .and_then(|v| choice.answers.iter().position(|(_, value)| *value == v))
                    .unwrap_or(items.len() - 1);
                let picked = p.select(choice.prompt, &items, default)?;
                c.set_criterion(choice.field, choice.answers.get(picked).map(|(_, v)| *v));
            }
            Question::Number(n) => {
                let field = n.field;
                let current = criterion_value(&c, field).unwrap_or_default();
                let check = move |t: &str| check_number(field, t).map(|_| ());
                let text = p.text(n.prompt, &current, &check)?;
                let value = check_number(field, &text).ok().flatten();
                c.set_criterion(field, value.map(crate::core::text::yaml_number).as_deref());
            }
        }
    }
    if !others.is_empty() {
        c.depends_on = ask_dependencies(p, &c, others)?;
    }
    Ok(c)
}

/// Which of the other components this one calls: names separated by
/// commas, each checked against the others (empty: none).
fn ask_dependencies(
    p: &mut dyn Prompter,
    c: &Component,
    others: &[&str],
) -> Answer<Vec<DependencyName>> {
    let split = |t: &str| -> Vec<String> {
        t.split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let check = |t: &str| {
        for name in split(t) {
            if !others.contains(&name.as_str()) {
                return Err(format!(
                    "no component `{name}`; the others are: {}",
                    others.join(", ")
                ));
            }
        }
        Ok(())
    };
    let current: Vec<&str> = c
        .depends_on
        .iter()
        .map(DependencyName::as_str)
        .filter(|d| others.contains(d))
        .collect();
    let text = p.text(
        &format!(
            "Which of {} does it call? (names, comma-separated; empty: none)",
            others.join(", ")
        ),
        &current.join(", "),
        &check,
    )?;
    let mut names: Vec<DependencyName> = Vec::new();
    for n in split(&text) {
        let d = DependencyName::new(&n);
        if !names.contains(&d) {
            names.push(d);
        }
    }
    Ok(names)
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

/// Runs the questionnaire and returns the spec it leads to. With `start`,
/// its answers are the defaults and its components can be reviewed, edited,
/// added to or removed.
pub fn run(
    p: &mut dyn Prompter,
    start: Option<Spec>,
    kinds: &Kinds,
    rules: &RuleSet,
) -> Answer<Spec> {
    let (system, mut components) = match start {
        Some(s) => (Some(s.system), s.components),
        None => (None, Vec::new()),
    };
    let name = p.text(
        "System name",
        system.as_ref().map_or("", |s| s.name.as_str()),
        &|t| {
            if t.trim().is_empty() {
                Err("the system needs a name".to_owned())
            } else if Name::new(t.trim()).is_none() {
                Err("a name of printable characters".to_owned())
            } else {
                Ok(())
            }
        },
    )?;
    let description = p.text(
        "What does the system do? (one line, optional)",
        system.as_ref().map_or("", |s| s.description.as_str()),
        &|_| Ok(()),
    )?;
    let name = Name::new(name.trim()).ok_or(Stop::Failed("the system needs a name".into()))?;
    let mut system = system.unwrap_or(System {
        name: name.clone(),
        description: String::new(),
        decision_makers: Vec::new(),
        consulted: Vec::new(),
        informed: Vec::new(),
    });
    system.name = name;
    system.description = description.trim().to_owned();

    if components.is_empty() {
        loop {
            add_component(p, &mut components, kinds, rules)?;
            if !p.confirm("Add another component?", false)? {
                break;
            }
        }
    } else {
        review(p, &mut components, kinds, rules)?;
    }
    Ok(Spec {
        version: Version,
        system,
        components,
    })
}

fn add_component(
    p: &mut dyn Prompter,
    components: &mut Vec<Component>,
    kinds: &Kinds,
    rules: &RuleSet,
) -> Answer<()> {
    let others: Vec<&str> = components.iter().map(|c| c.name.as_str()).collect();
    let c = ask_component(p, None, &others, kinds)?;
    components.push(c);
    p.note(&verdict_line(
        components,
        components.len() - 1,
        kinds,
        rules,
    ));
    Ok(())
}

fn review(
    p: &mut dyn Prompter,
    components: &mut Vec<Component>,
    kinds: &Kinds,
    rules: &RuleSet,
) -> Answer<()> {
    loop {
        let around = crate::core::graph::surroundings_of(components, rules, kinds);
        for (c, around) in components.iter().zip(&around) {
            p.note(&component_line(c, around, kinds, rules));
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
        if picked < n {
            let others: Vec<&str> = components
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != picked)
                .map(|(_, c)| c.name.as_str())
                .collect();
            let edited = ask_component(p, Some(&components[picked]), &others, kinds)?;
            // A renamed component keeps the components that depend on it.
            let old = components[picked].name.clone();
            if edited.name != old {
                for c in components.iter_mut() {
                    for d in c.depends_on.iter_mut() {
                        if d.as_str() == old.as_str() {
                            *d = DependencyName::new(edited.name.as_str());
                        }
                    }
                }
            }
            components[picked] = edited;
            p.note(&verdict_line(components, picked, kinds, rules));
        } else if picked == n {
            add_component(p, components, kinds, rules)?;
        } else if picked == n + 1 {
            if n == 1 {
                p.note(
                    "A spec needs at least one component; add another before removing this one.",
                );
                continue;
            }
            let names: Vec<String> = components.iter().map(|c| c.name.to_string()).collect();
            let which = p.select("Remove which component?", &names, 0)?;
            if p.confirm(&format!("Remove {}?", names[which]), false)? {
                components.remove(which);
                // Nothing may depend on a component that is gone.
                for c in components.iter_mut() {
                    c.depends_on.retain(|d| d.as_str() != names[which]);
                }
            }
        } else {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::questionnaire::prompter::Scripted1::{Cancel, Default, Pick, Text, Yes};
    use crate::cli::questionnaire::prompter::{Scripted, Scripted1};
    use crate::core::spec::values::{Availability, Count, NonNegative, Positive};
    use crate::core::spec::values::{Realtime, Traffic};

    fn t(s: &str) -> Scripted1 {
        Text(s.to_owned())
    }

    fn pick(s: &str) -> Scripted1 {
        Pick(s.to_owned())
    }

    /// Every question answered, for a component of kind `other`.
    fn full_gateway() -> Vec<Scripted1> {
        vec![
            t("gateway"),
            t("Holds the WebSockets"),
            pick("other"),
            pick("Yes: a live two-way"),
            pick("It can surge"),
            t("50"),
            t("30"),
            t("20000"),
            t("64"),
            t("4096"),
            pick("Yes: for as long as"),
            pick("No"),
            pick("No"),
            t("99.9"),
            t("12"),
        ]
    }

    /// Only the name and kind, then "I don't know" everywhere.
    fn unknown_worker() -> Vec<Scripted1> {
        vec![
            t("resizer"),
            t(""),
            pick("serverless-function"),
            Yes(false),           // keep what the kind implies
            pick("I don't know"), // realtime
            t(""),
            t(""),
            t(""),
            t(""),
            t(""),
            pick("I don't know"), // shared_state
            pick("I don't know"), // transactions
            t(""),
            t(""),
        ]
    }

    fn run_script(answers: Vec<Scripted1>, start: Option<Spec>) -> (Answer<Spec>, Scripted) {
        let mut p = Scripted::new(answers);
        let rules = RuleSet::builtin();
        let out = run(&mut p, start, Kinds::builtin(), &rules);
        (out, p)
    }

    #[test]
    fn two_components_one_full_one_unknown() {
        let mut script = vec![t("Acme"), t("A shop")];
        script.extend(full_gateway());
        script.push(Yes(true));
        script.extend(unknown_worker());
        script.push(t("gateway, gateway"));
        script.push(Yes(false));
        let (spec, p) = run_script(script, None);
        let spec = spec.unwrap();
        assert_eq!(spec.system.name.as_str(), "Acme");
        // The second component is asked what it calls; a repeated name is
        // kept once.
        assert_eq!(
            spec.components[1].depends_on,
            [DependencyName::new("gateway")]
        );
        assert!(spec.components[0].depends_on.is_empty());
        let gw = &spec.components[0];
        assert_eq!(gw.realtime, Some(Realtime::Bidirectional));
        assert_eq!(gw.traffic, Some(Traffic::Unpredictable));
        assert_eq!(gw.concurrent_clients.map(Count::get), Some(20000.0));
        assert_eq!(gw.availability.map(Availability::get), Some(99.9));
        assert_eq!(gw.request_context_kb.map(NonNegative::get), Some(12.0));
        assert_eq!(gw.shared_state, Some(false));
        let resizer = &spec.components[1];
        assert_eq!(resizer.kind, Some(Kind::ServerlessFunction));
        assert_eq!(
            (resizer.realtime, resizer.latency_ms, resizer.shared_state),
            (None, None, None)
        );
        assert_eq!(
            resizer.session, None,
            "the kind's answer is not written into the spec"
        );
        // The kind's implied answers were not asked again.
        assert!(
            p.notes
                .iter()
                .any(|n| n.contains("A serverless-function implies"))
        );
        assert_eq!(
            p.asked
                .iter()
                .filter(|a| a.contains("traffic behave"))
                .count(),
            1
        );
        // Feedback after each component.
        assert!(
            p.notes
                .iter()
                .any(|n| n.starts_with("-> gateway: stateful")),
            "{:?}",
            p.notes
        );
        assert!(
            p.notes
                .iter()
                .any(|n| n.starts_with("-> resizer: stateless")),
            "{:?}",
            p.notes
        );
    }

    #[test]
    fn the_spec_written_reads_back_the_same() {
        let mut script = vec![t("Acme"), t("")];
        script.extend(full_gateway());
        script.push(Yes(false));
        let spec = run_script(script, None).0.unwrap();
        let text = crate::core::spec::yaml::to_commented_yaml(&spec, Kinds::builtin(), true);
        assert_eq!(Spec::from_yaml(&text, "s").unwrap(), spec);
    }

    #[test]
    fn changing_what_the_kind_implies_asks_those_questions() {
        let script = vec![
            t("Acme"),
            t(""),
            t("db"),
            t(""),
            pick("database"),
            Yes(true),
            Default,
            Default,
            t(""),
            t(""),
            t(""),
            t(""),
            t(""),
            Default, // session: the kind implies none, so "I don't know" stays
            Default,
            pick("No"), // transactions: false, against the kind
            t(""),
            t(""),
            Yes(false),
        ];
        let (spec, p) = run_script(script, None);
        let spec = spec.unwrap();
        let db = &spec.components[0];
        assert_eq!(db.transactions, Some(false));
        assert_eq!(db.session, None);
        assert!(p.asked.iter().any(|a| a.contains("transactional data")));
    }

    #[test]
    fn a_taken_name_and_bad_numbers_are_refused_at_the_prompt() {
        let mut script = vec![t("Acme"), t("")];
        script.extend(full_gateway());
        script.push(Yes(true));
        script.push(t("GATEWAY"));
        let (out, _) = run_script(script, None);
        assert!(matches!(out, Err(Stop::Failed(m)) if m.contains("already called `GATEWAY`")));
        assert_eq!(
            check_number(Field::LatencyMs, "0"),
            Err("must be greater than 0".into())
        );
        assert!(check_number(Field::Availability, "100").is_err());
        assert!(check_number(Field::ConcurrentClients, "1.5").is_err());
        assert!(
            check_number(Field::LatencyMs, "fast")
                .unwrap_err()
                .contains("not a number")
        );
        assert_eq!(check_number(Field::LatencyMs, " "), Ok(None));
        assert_eq!(check_number(Field::StateKbPerClient, "0"), Ok(Some(0.0)));
    }

    #[test]
    fn esc_anywhere_cancels() {
        for cut in 0..6 {
            let mut script = vec![t("Acme"), t("")];
            script.extend(full_gateway());
            script.truncate(cut);
            script.push(Cancel);
            assert_eq!(
                run_script(script, None).0,
                Err(Stop::Cancelled),
                "cut at {cut}"
            );
        }
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
        let mut script = vec![Default, Default, pick("Edit api")];
        // Keep every answer of `api` but its traffic.
        script.extend([
            Default,
            Default,
            Default,
            Yes(false),
            Default,
            pick("It can surge"),
        ]);
        script.extend([
            Default, Default, Default, Default, Default, Default, Default, Default, Default,
        ]);
        script.push(Default); // what it calls: as before
        script.push(pick("Done"));
        let (spec, p) = run_script(script, Some(existing()));
        let spec = spec.unwrap();
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
    fn from_a_spec_components_can_be_added_and_removed() {
        let mut script = vec![Default, Default, pick("Add a component")];
        script.extend(unknown_worker());
        script.push(t("api"));
        script.extend([
            pick("Remove a component"),
            pick("api"),
            Yes(true),
            pick("Done"),
        ]);
        let spec = run_script(script, Some(existing())).0.unwrap();
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
        let script = vec![Default, Default, pick("Remove a component"), pick("Done")];
        let (spec, p) = run_script(script, Some(one));
        assert_eq!(spec.unwrap().components.len(), 1);
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
    fn a_dependency_on_no_component_is_refused_at_the_prompt() {
        let mut script = vec![t("Acme"), t("")];
        script.extend(full_gateway());
        script.push(Yes(true));
        script.extend(unknown_worker());
        script.push(t("gateway, nope"));
        let (out, _) = run_script(script, None);
        assert!(
            matches!(&out, Err(Stop::Failed(m)) if m.contains("no component `nope`; the others are: gateway")),
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
        // Rename db to store, keeping every other answer.
        let mut script = vec![Default, Default, pick("Edit db"), t("store")];
        script.extend([Default, Default, Yes(false)]);
        script.extend(std::iter::repeat_with(|| Default).take(12));
        script.push(pick("Done"));
        let (out, _) = run_script(script, Some(spec.clone()));
        let renamed = out.unwrap();
        let deps = |s: &Spec, i: usize| -> Vec<String> {
            s.components[i]
                .depends_on
                .iter()
                .map(|d| d.to_string())
                .collect()
        };
        assert_eq!(deps(&renamed, 0), ["store"]);
        assert_eq!(deps(&renamed, 2), ["api", "store"]);
        // Remove db: nothing depends on it any more.
        let script = vec![
            Default,
            Default,
            pick("Remove a component"),
            pick("db"),
            Yes(true),
            pick("Done"),
        ];
        let removed = run_script(script, Some(spec)).0.unwrap();
        assert!(removed.components[0].depends_on.is_empty());
        assert_eq!(deps(&removed, 1), ["api"]);
    }
}
