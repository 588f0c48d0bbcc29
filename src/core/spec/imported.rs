//! Which of a component's values `statewise import` wrote: a value whose
//! line carries the comment `import` puts on it (`# from FILE:LINE: why`)
//! came from a deployment file, not from the team. Its facts get origin
//! `imported`; removing the comment (or changing the value with `ask`)
//! makes the value the team's own.
//!
//! Found by a light scan of the spec's text ([`crate::core::locate::imported_values`])
//! once it has parsed (`parse.rs`): only a spec that holds such a comment
//! is scanned.

use crate::core::spec::field::Field;

/// The fields of one component that carry an import citation, each with
/// the place cited (`k8s/cart.yaml:12`), in the order of the spec.
///
/// Where a value came from is a note on the text, not part of the spec:
/// two components that state the same values are equal whatever their
/// comments say (as their digest is), so an edit that keeps a value keeps
/// the spec equal.
#[derive(Clone, Debug, Default)]
pub struct Imported(Vec<(Field, Box<str>)>);

impl PartialEq for Imported {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Imported {
    /// The place `field`'s value was imported from, when it was.
    pub fn source(&self, field: Field) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, s)| s.as_ref())
    }

    /// The imported fields.
    pub fn fields(&self) -> impl Iterator<Item = Field> + '_ {
        self.0.iter().map(|(f, _)| *f)
    }

    /// Notes that `field`'s value was imported from `source`.
    pub fn insert(&mut self, field: Field, source: &str) {
        self.remove(field);
        self.0.push((field, source.into()));
    }

    /// Forgets where `field`'s value came from: it is the team's now.
    pub fn remove(&mut self, field: Field) {
        self.0.retain(|(f, _)| *f != field);
    }

    /// True when no value was imported.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_noted_once_and_forgotten_when_changed() {
        let mut i = Imported::default();
        i.insert(Field::Kind, "a.yaml:1");
        i.insert(Field::Kind, "a.yaml:2");
        i.insert(Field::Affinity, "a.yaml:3");
        assert_eq!(i.source(Field::Kind), Some("a.yaml:2"));
        assert_eq!(
            i.fields().collect::<Vec<_>>(),
            [Field::Kind, Field::Affinity]
        );
        i.remove(Field::Kind);
        assert_eq!(i.source(Field::Kind), None);
        assert!(!i.is_empty());
        assert_eq!(i, Imported::default(), "citations never make values differ");
    }
}
