//! The spec: the model, its parsing with locations, the field catalogue,
//! the kinds, the JSON Schema and the commented-YAML writer.

pub mod edit;
pub mod field;
pub mod imported;
pub mod kinds;
pub mod model;
pub mod parse;
pub mod quantity;
pub mod schema;
pub mod values;
pub mod waiver;
pub mod yaml;
