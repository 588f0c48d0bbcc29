//! The JSON Schema of the spec, for editors (yaml-language-server) and CI
//! validators. Built from the field catalogue so it cannot drift from it.

use serde_json::{Map, Value, json};

use crate::core::spec::field::{Field, FieldType};
use crate::core::spec::values::Verdict;

fn criterion(field: Field) -> Value {
    let mut schema = match field.ty() {
        FieldType::Enum(values) => json!({ "type": "string", "enum": values }),
        FieldType::Set(values) => json!({
            "oneOf": [
                { "type": "string", "enum": values },
                {
                    "type": "array",
                    "items": { "type": "string", "enum": values },
                    "minItems": 1,
                    "uniqueItems": true
                }
            ]
        }),
        FieldType::Bool => json!({ "type": "boolean" }),
        FieldType::Number => match field {
            Field::ConcurrentClients => json!({ "type": "integer", "minimum": 1 }),
            Field::LatencyMs | Field::MemoryBudgetMb => {
                json!({ "type": "number", "exclusiveMinimum": 0 })
            }
            Field::Availability => {
                json!({ "type": "number", "minimum": 90, "exclusiveMaximum": 100 })
            }
            _ => json!({ "type": "number", "minimum": 0 }),
        },
    };
    if let Value::Object(m) = &mut schema {
        m.insert("description".into(), json!(field.description()));
    }
    schema
}

/// The schema as pretty JSON with a final newline.
pub(crate) fn render() -> String {
    let mut component = Map::new();
    component.insert(
        "name".into(),
        json!({ "type": "string", "minLength": 1, "maxLength": 64, "description": "unique name (case-insensitive), 1-64 characters" }),
    );
    component.insert(
        "description".into(),
        json!({ "type": "string", "description": "what the component does" }),
    );
    for field in Field::ALL.into_iter().filter(|f| !f.is_derived()) {
        component.insert(field.name().into(), criterion(field));
    }
    component.insert(
        "depends_on".into(),
        json!({ "type": "array", "items": { "type": "string", "minLength": 1 }, "uniqueItems": true, "description": "the names of the other components it calls or reads from" }),
    );
    component.insert(
        "deployed_as".into(),
        json!({ "type": "string", "minLength": 1, "description": "the workload of the deployment files that runs it (default: its name; `namespace/name` also works)" }),
    );
    let verdicts: Vec<&str> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
    component.insert(
        "decision".into(),
        json!({ "type": "string", "enum": verdicts, "description": "what the team decided; `statewise check` compares it with the advice" }),
    );
    component.insert(
        "decision_reason".into(),
        json!({ "type": "string", "description": "why the team departs from the advice" }),
    );
    let waivers = |whose: &str, workload: bool| {
        let mut properties = json!({
            "rule": { "type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "description": "the id of the finding, such as `decision-contradicts-advice`" },
            "reason": { "type": "string", "minLength": 1, "pattern": "\\S", "description": "why the finding does not apply; required" }
        });
        if workload && let Value::Object(m) = &mut properties {
            m.insert(
                "workload".into(),
                json!({ "type": "string", "minLength": 1, "description": "the one workload it is about (`workload-without-component`); without it, every one" }),
            );
        }
        json!({
            "type": "array",
            "description": format!("`statewise check` findings waived for {whose}, each with the reason"),
            "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["rule", "reason"],
                "properties": properties
            }
        })
    };
    component.insert("waivers".into(), waivers("this component", false));
    let people = json!({ "type": "array", "items": { "type": "string" } });
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://statewise.dev/schema/spec-v1.json",
        "title": "statewise spec, version 1",
        "description": "A system and its components, for `statewise analyze`.",
        "type": "object",
        "additionalProperties": false,
        "required": ["version", "system", "components"],
        "properties": {
            "version": { "const": 1, "description": "spec format version; always 1" },
            "system": {
                "type": "object",
                "additionalProperties": false,
                "required": ["name"],
                "properties": {
                    "name": { "type": "string", "minLength": 1, "description": "the system's name" },
                    "description": { "type": "string" },
                    "decision_makers": people,
                    "consulted": people,
                    "informed": people,
                    "deploy": {
                        "type": "array",
                        "items": { "type": "string", "minLength": 1 },
                        "description": "deployment files or globs (Compose, Kubernetes), relative to the spec's folder: evidence for analyze, explain and check"
                    },
                    "waivers": waivers("the system: findings about no one component", true)
                }
            },
            "components": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["name"],
                    "properties": component
                }
            }
        }
    });
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_spec_field_and_no_derived_fact() {
        let schema: Value = serde_json::from_str(&render()).unwrap();
        let props = &schema["properties"]["components"]["items"]["properties"];
        for f in Field::ALL {
            assert_eq!(
                props.get(f.name()).is_some(),
                !f.is_derived(),
                "{}",
                f.name()
            );
        }
        assert_eq!(props["kind"]["enum"][0], "rest-api");
    }
}
