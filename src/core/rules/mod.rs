//! The rules: one rule, its condition, and the rule set loaded as a whole.

pub mod condition;
pub mod contradictions;
pub mod rule;
pub mod rule_set;
