//! Loading rules: the built-in files embedded in the binary and the user's
//! files or folders, checked as a whole (ids unique across every file).

use crate::core::error::{Diagnostic, Error, Result};
use crate::core::rules::rule::{IDS, Rule};
use crate::core::spec::parse::{check_text, is_blank_yaml};

/// The built-in rule files, as (name, text).
pub const BUILTIN_RULES: &[(&str, &str)] = &[
    (
        "rules/realtime.yaml",
        include_str!("../../../rules/realtime.yaml"),
    ),
    (
        "rules/traffic.yaml",
        include_str!("../../../rules/traffic.yaml"),
    ),
    (
        "rules/latency.yaml",
        include_str!("../../../rules/latency.yaml"),
    ),
    (
        "rules/memory.yaml",
        include_str!("../../../rules/memory.yaml"),
    ),
    (
        "rules/sessions.yaml",
        include_str!("../../../rules/sessions.yaml"),
    ),
    (
        "rules/shared-state.yaml",
        include_str!("../../../rules/shared-state.yaml"),
    ),
    (
        "rules/transactions.yaml",
        include_str!("../../../rules/transactions.yaml"),
    ),
    (
        "rules/availability.yaml",
        include_str!("../../../rules/availability.yaml"),
    ),
    (
        "rules/bandwidth.yaml",
        include_str!("../../../rules/bandwidth.yaml"),
    ),
    (
        "rules/platform.yaml",
        include_str!("../../../rules/platform.yaml"),
    ),
    (
        "rules/evolution.yaml",
        include_str!("../../../rules/evolution.yaml"),
    ),
];

/// The built-in rule files as JSON, converted by `build.rs`, in the order
/// of [`BUILTIN_RULES`]: they load several times faster than the YAML.
const BUILTIN_JSON: [&str; 11] = [
    include_str!(concat!(env!("OUT_DIR"), "/realtime.json")),
    include_str!(concat!(env!("OUT_DIR"), "/traffic.json")),
    include_str!(concat!(env!("OUT_DIR"), "/latency.json")),
    include_str!(concat!(env!("OUT_DIR"), "/memory.json")),
    include_str!(concat!(env!("OUT_DIR"), "/sessions.json")),
    include_str!(concat!(env!("OUT_DIR"), "/shared-state.json")),
    include_str!(concat!(env!("OUT_DIR"), "/transactions.json")),
    include_str!(concat!(env!("OUT_DIR"), "/availability.json")),
    include_str!(concat!(env!("OUT_DIR"), "/bandwidth.json")),
    include_str!(concat!(env!("OUT_DIR"), "/platform.json")),
    include_str!(concat!(env!("OUT_DIR"), "/evolution.json")),
];

/// A checked set of rules, in load order: built-in files first, then the
/// user's in the order given.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

/// A rule file's name and text, not yet parsed.
pub struct Source {
    /// The name errors use (the path as given).
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// True for the files embedded in the binary.
    pub builtin: bool,
}

/// Ends an id-tracking load, even on error.
struct LoadScope;

impl LoadScope {
    fn enter() -> Self {
        IDS.with(|ids| *ids.borrow_mut() = Some(Default::default()));
        LoadScope
    }

    fn seen(&self, id: &str, file: &str) {
        IDS.with(|ids| {
            if let Some((seen, _)) = ids.borrow_mut().as_mut() {
                seen.insert(id.to_owned(), file.to_owned());
            }
        });
    }

    fn reading(&self, file: &str) {
        IDS.with(|ids| {
            if let Some((_, current)) = ids.borrow_mut().as_mut() {
                *current = file.to_owned();
            }
        });
    }
}

impl Drop for LoadScope {
    fn drop(&mut self) {
        IDS.with(|ids| *ids.borrow_mut() = None);
    }
}

impl RuleSet {
    /// The built-in rules.
    ///
    /// ```
    /// let rules = statewise::RuleSet::builtin();
    /// assert!(rules.get("bidirectional-realtime").is_some());
    /// ```
    pub fn builtin() -> RuleSet {
        let scope = LoadScope::enter();
        let mut rules = Vec::new();
        for ((name, _), json) in BUILTIN_RULES.iter().zip(BUILTIN_JSON) {
            scope.reading(&format!("built-in {name}"));
            // Our own files, checked from their YAML by the unit tests: a
            // failure here is a build mistake, not user input.
            let mut parsed: Vec<Rule> = match serde_json::from_str(json) {
                Ok(rules) => rules,
                Err(e) => panic!("built-in rules {name} are invalid: {e}"),
            };
            for rule in &mut parsed {
                rule.file = (*name).to_owned();
                rule.builtin = true;
            }
            rules.extend(parsed);
        }
        RuleSet { rules }
    }

    /// Parses and checks rule files together; ids must be unique across all.
    pub fn from_sources(sources: &[Source]) -> Result<RuleSet> {
        RuleSet::default().extended(sources)
    }

    /// This set and the rules of `sources`, whose ids must differ from
    /// every id already here and from each other.
    pub fn extended(mut self, sources: &[Source]) -> Result<RuleSet> {
        let scope = LoadScope::enter();
        for rule in &self.rules {
            let shown = if rule.builtin {
                format!("built-in {}", rule.file)
            } else {
                rule.file.clone()
            };
            scope.seen(&rule.id, &shown);
        }
        for source in sources {
            let shown = if source.builtin {
                format!("built-in {}", source.name)
            } else {
                source.name.clone()
            };
            scope.reading(&shown);
            let mut parsed = parse_file(&source.name, &source.bytes)?;
            parsed.iter_mut().for_each(|r| r.builtin = source.builtin);
            self.rules.extend(parsed);
        }
        for rule in &self.rules {
            if let Some(unknown) = rule.excludes.iter().find(|id| self.get(id).is_none()) {
                let known: Vec<&str> = self.rules.iter().map(|r| r.id.as_str()).collect();
                let hint = crate::core::text::nearest(unknown, &known)
                    .map_or(String::new(), |n| format!(", did you mean `{n}`?"));
                return Err(Error::Rules(Box::new(Diagnostic::new(
                    rule.file.clone(),
                    format!(
                        "rule `{}` excludes `{unknown}`, which no rule has{hint}",
                        rule.id
                    ),
                ))));
            }
        }
        Ok(self)
    }

    /// Every rule, in load order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// True when there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

#[cfg(test)]
fn builtin_sources() -> Vec<Source> {
    BUILTIN_RULES
        .iter()
        .map(|(name, text)| Source {
            name: (*name).to_owned(),
            bytes: text.as_bytes().to_vec(),
            builtin: true,
        })
        .collect()
}

fn parse_file(name: &str, bytes: &[u8]) -> Result<Vec<Rule>> {
    let rules_err = |d: Diagnostic| Error::Rules(Box::new(d));
    let text = check_text(name, bytes).map_err(Error::Rules)?;
    if is_blank_yaml(text) {
        return Err(rules_err(
            Diagnostic::new(name, "rule file is empty")
                .with_help("a rule file is a YAML list of rules; see `statewise rules show bidirectional-realtime`"),
        ));
    }
    let mut rules: Vec<Rule> = serde_yaml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::from_yaml(name, text, &e);
        if d.message.starts_with("invalid type") && d.path.is_none() {
            d.help = Some("a rule file is a YAML list of rules, each starting with `- id:`".into());
        }
        rules_err(d)
    })?;
    for rule in &mut rules {
        rule.file = name.to_owned();
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<RuleSet> {
        RuleSet::from_sources(&[Source {
            name: "r.yaml".into(),
            bytes: text.as_bytes().to_vec(),
            builtin: false,
        }])
    }

    fn message(text: &str) -> Diagnostic {
        match load(text) {
            Err(Error::Rules(d)) => *d,
            other => panic!("expected a rules error, got {other:?}"),
        }
    }

    const RULE: &str = "- id: a\n  title: t\n  when: {realtime: bidirectional}\n  favors: stateful\n  weight: 3\n  because: b\n";

    #[test]
    fn builtin_json_matches_the_yaml() {
        let from_yaml = RuleSet::from_sources(&builtin_sources()).unwrap();
        assert_eq!(RuleSet::builtin(), from_yaml);
    }

    #[test]
    fn builtin_rules_load() {
        let set = RuleSet::builtin();
        assert!(
            (25..=60).contains(&set.rules().len()),
            "{}",
            set.rules().len()
        );
    }

    #[test]
    fn builtin_rules_are_complete() {
        for rule in RuleSet::builtin().rules() {
            assert!(rule.advice.is_some(), "{} has no advice", rule.id);
            assert!(rule.source.is_some(), "{} has no source", rule.id);
            assert!(!rule.examples.is_empty(), "{} has no example", rule.id);
        }
    }

    #[test]
    fn a_valid_rule_loads() {
        let set = load(RULE).unwrap();
        assert_eq!(set.rules()[0].weight, 3);
        assert_eq!(set.rules()[0].file, "r.yaml");
    }

    #[test]
    fn duplicate_ids_are_located() {
        let d = message(&format!("{RULE}{RULE}"));
        assert!(d.message.contains("duplicate rule id `a`"), "{}", d.message);
        assert_eq!(d.line, Some(7));
    }

    #[test]
    fn duplicate_ids_across_files_name_the_first_file() {
        let src = |name: &str| Source {
            name: name.into(),
            bytes: RULE.as_bytes().to_vec(),
            builtin: false,
        };
        let err = RuleSet::from_sources(&[src("one.yaml"), src("two.yaml")]).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("two.yaml:1:7: duplicate rule id `a`, already defined in `one.yaml`"),
            "{err}"
        );
    }

    #[test]
    fn bad_weight_field_and_value_are_located() {
        let d = message(&RULE.replace("weight: 3", "weight: 11"));
        assert_eq!((d.line, d.column), (Some(5), Some(11)));
        let d = message(&RULE.replace("realtime: bidirectional", "realtme: bidirectional"));
        assert!(
            d.message.contains("did you mean `realtime`?"),
            "{}",
            d.message
        );
        assert_eq!(d.line, Some(3));
        let d = message(&RULE.replace("because", "becuse"));
        assert!(
            d.message.contains("did you mean `because`?"),
            "{}",
            d.message
        );
        let d = message(&RULE.replace("favors: stateful", "favors: statefull"));
        assert!(
            d.message.contains("did you mean `stateful`?"),
            "{}",
            d.message
        );
    }

    #[test]
    fn an_empty_or_mapping_file_is_explained() {
        assert_eq!(message("# nothing\n").message, "rule file is empty");
        let d = message("id: a\n");
        assert!(d.help.unwrap().contains("YAML list of rules"));
    }
}
