//! The input model: a system and its components, parsed from YAML and
//! validated while it is parsed, so that every error carries the line and
//! column of the value at fault.
//!
//! Checks live in the `Visitor`s of small newtypes (a number's range, the
//! spec version, a component name's length and uniqueness): serde_yaml only
//! locates errors raised while it deserialises.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::core::error::{Diagnostic, Error, Result};
use crate::core::text::show_number;

/// Largest spec or rule file read, in bytes.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] #[doc = concat!("`", $text, "`")] $variant),+
        }

        impl $name {
            /// Every value, in the order of the contract.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word used in YAML and output.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The value written as `text`, if any.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

word_enum! {
    /// What a component is; a kind fills in the criteria a component leaves out.
    Kind {
        RestApi = "rest-api",
        GraphqlApi = "graphql-api",
        WebFrontend = "web-frontend",
        WebsocketGateway = "websocket-gateway",
        Chat = "chat",
        GameServer = "game-server",
        MediaStreaming = "media-streaming",
        Trading = "trading",
        CollaborativeEditor = "collaborative-editor",
        Auth = "auth",
        Cart = "cart",
        ServerlessFunction = "serverless-function",
        Worker = "worker",
        BatchJob = "batch-job",
        MessageBroker = "message-broker",
        Cache = "cache",
        SessionStore = "session-store",
        Database = "database",
        Other = "other",
    }
}

word_enum! {
    /// Whether a component holds a live channel with its clients.
    Realtime { None = "none", ServerPush = "server-push", Bidirectional = "bidirectional" }
}

word_enum! {
    /// How a component's load behaves.
    Traffic { Steady = "steady", PredictablePeaks = "predictable-peaks", Unpredictable = "unpredictable" }
}

word_enum! {
    /// Whether a component needs a client's context across requests.
    Session { None = "none", PerUser = "per-user", PerConnection = "per-connection" }
}

word_enum! {
    /// The advice for a component or a system, or a team's decision.
    Verdict { Stateful = "stateful", Stateless = "stateless", Hybrid = "hybrid" }
}

/// Defines a number newtype whose Visitor checks the range, so an error
/// points at the value.
macro_rules! checked_number {
    ($(#[$meta:meta])* $name:ident, $expecting:literal, |$v:ident| $ok:expr) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
        pub struct $name(f64);

        impl $name {
            /// The value, if it is in range.
            pub fn new($v: f64) -> Option<Self> {
                ($v.is_finite() && $ok).then_some($name($v))
            }

            /// The number.
            pub fn get(self) -> f64 {
                self.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$name, E> {
                        $name::new(v).ok_or_else(|| {
                            E::custom(format!("{} is out of range, expected {}", show_number(v), $expecting))
                        })
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$name, E> {
                        self.visit_f64(v as f64)
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$name, E> {
                        self.visit_f64(v as f64)
                    }
                    fn visit_i128<E: de::Error>(self, v: i128) -> Result<$name, E> {
                        self.visit_f64(v as f64)
                    }
                    fn visit_u128<E: de::Error>(self, v: u128) -> Result<$name, E> {
                        self.visit_f64(v as f64)
                    }
                }
                d.deserialize_any(V)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serialize_number(self.0, s)
            }
        }
    };
}

checked_number!(
    /// A number greater than zero.
    Positive, "a number greater than 0", |v| v > 0.0
);
checked_number!(
    /// A number zero or greater.
    NonNegative, "a number of 0 or more", |v| v >= 0.0
);
checked_number!(
    /// An availability target in percent: 90 or more, below 100.
    Availability, "a percentage from 90 up to (not including) 100", |v| (90.0..100.0).contains(&v)
);
checked_number!(
    /// A whole count greater than zero.
    Count, "a whole number greater than 0", |v| v >= 1.0 && v.fract() == 0.0 && v <= 9.0e15
);

/// Writes whole numbers without a fraction, so `200` stays `200`.
fn serialize_number<S: Serializer>(v: f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(v as i64)
    } else {
        s.serialize_f64(v)
    }
}

/// The spec format version; only `1` exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Version;

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Version;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the spec version `1`")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Version, E> {
                if v == 1 {
                    Ok(Version)
                } else {
                    Err(E::custom(format!(
                        "unsupported spec version `{v}`; this statewise reads `version: 1`"
                    )))
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Version, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Err(E::custom(format!(
                        "unsupported spec version `{v}`; this statewise reads `version: 1`"
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(1)
    }
}

/// Text that must not be blank, such as the system's name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Name(String);

impl Name {
    /// A name, if it is not blank.
    pub fn new(text: &str) -> Option<Self> {
        (!text.trim().is_empty()).then(|| Name(text.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Name;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a name")
            }
            // Checked in the Visitor so the error points at the value.
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Name, E> {
                Name::new(v).ok_or_else(|| E::custom("a name cannot be blank"))
            }
        }
        d.deserialize_str(V)
    }
}

thread_local! {
    /// Lower-cased component names seen so far in the components list being
    /// parsed; `None` outside one.
    static SEEN_NAMES: RefCell<Option<HashSet<String>>> = const { RefCell::new(None) };
}

/// A component's name: 1 to 64 characters, unique in its spec regardless of case.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct ComponentName(String);

impl ComponentName {
    /// A name, if it is 1 to 64 characters and not blank.
    pub fn new(name: &str) -> Option<Self> {
        let len = name.chars().count();
        (len <= 64 && !name.trim().is_empty()).then(|| ComponentName(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ComponentName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ComponentName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ComponentName;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a component name of 1 to 64 characters")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ComponentName, E> {
                let len = v.chars().count();
                let name = ComponentName::new(v).ok_or_else(|| {
                    E::custom(if len > 64 {
                        format!("component name is {len} characters long; at most 64 are allowed")
                    } else {
                        "component name cannot be blank".to_owned()
                    })
                })?;
                let fresh = SEEN_NAMES.with(|seen| match seen.borrow_mut().as_mut() {
                    Some(set) => set.insert(v.to_lowercase()),
                    None => true,
                });
                if fresh {
                    Ok(name)
                } else {
                    Err(E::custom(format!(
                        "duplicate component name `{v}`; names must be unique (ignoring case)"
                    )))
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ComponentName, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ComponentName, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_str(V)
    }
}

/// The system the spec describes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct System {
    /// The system's name.
    pub name: Name,
    /// What the system does.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Who decides; copied to the ADR.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decision_makers: Vec<String>,
    /// Who was consulted; copied to the ADR.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consulted: Vec<String>,
    /// Who is informed; copied to the ADR.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub informed: Vec<String>,
}

/// The criteria of a component; every one is optional. The same type holds
/// a kind's defaults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criteria {
    /// Live channel with clients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realtime: Option<Realtime>,
    /// How load behaves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic: Option<Traffic>,
    /// p99 latency to meet, in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<Positive>,
    /// Time to rebuild a client's context per request, in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_rebuild_ms: Option<NonNegative>,
    /// Peak clients at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_clients: Option<Count>,
    /// Memory per client's state, in KiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_kb_per_client: Option<NonNegative>,
    /// Memory budget for client state, in MiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_budget_mb: Option<Positive>,
    /// Context needed across requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Session>,
    /// Several clients act on the same live state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_state: Option<bool>,
    /// Owns transactional data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transactions: Option<bool>,
    /// Availability target in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<Availability>,
    /// Context each request would carry, in KiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_context_kb: Option<NonNegative>,
}

/// One component of the system.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// Unique name.
    pub name: ComponentName,
    /// What it does.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// What it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// Live channel with clients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realtime: Option<Realtime>,
    /// How load behaves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic: Option<Traffic>,
    /// p99 latency to meet, in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<Positive>,
    /// Time to rebuild a client's context per request, in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_rebuild_ms: Option<NonNegative>,
    /// Peak clients at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_clients: Option<Count>,
    /// Memory per client's state, in KiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_kb_per_client: Option<NonNegative>,
    /// Memory budget for client state, in MiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_budget_mb: Option<Positive>,
    /// Context needed across requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Session>,
    /// Several clients act on the same live state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_state: Option<bool>,
    /// Owns transactional data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transactions: Option<bool>,
    /// Availability target in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<Availability>,
    /// Context each request would carry, in KiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_context_kb: Option<NonNegative>,
    /// What the team decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Verdict>,
    /// Why the team departs from the advice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
}

impl Component {
    /// A component with only a name.
    pub fn named(name: ComponentName) -> Self {
        Component {
            name,
            description: String::new(),
            kind: None,
            realtime: None,
            traffic: None,
            latency_ms: None,
            context_rebuild_ms: None,
            concurrent_clients: None,
            state_kb_per_client: None,
            memory_budget_mb: None,
            session: None,
            shared_state: None,
            transactions: None,
            availability: None,
            request_context_kb: None,
            decision: None,
            decision_reason: None,
        }
    }

    /// Sets one criterion from its text form, as a spec would write it
    /// (`None` clears it). Values out of range clear it too.
    pub fn set_criterion(&mut self, field: crate::core::spec::field::Field, value: Option<&str>) {
        use crate::core::spec::field::Field;
        let num = |v: Option<&str>| v.and_then(|t| t.parse::<f64>().ok());
        match field {
            Field::Kind => self.kind = value.and_then(Kind::parse),
            Field::Realtime => self.realtime = value.and_then(Realtime::parse),
            Field::Traffic => self.traffic = value.and_then(Traffic::parse),
            Field::Session => self.session = value.and_then(Session::parse),
            Field::SharedState => self.shared_state = value.map(|v| v == "true"),
            Field::Transactions => self.transactions = value.map(|v| v == "true"),
            Field::LatencyMs => self.latency_ms = num(value).and_then(Positive::new),
            Field::ContextRebuildMs => {
                self.context_rebuild_ms = num(value).and_then(NonNegative::new);
            }
            Field::ConcurrentClients => self.concurrent_clients = num(value).and_then(Count::new),
            Field::StateKbPerClient => {
                self.state_kb_per_client = num(value).and_then(NonNegative::new);
            }
            Field::MemoryBudgetMb => self.memory_budget_mb = num(value).and_then(Positive::new),
            Field::Availability => self.availability = num(value).and_then(Availability::new),
            Field::RequestContextKb => {
                self.request_context_kb = num(value).and_then(NonNegative::new);
            }
            Field::StateMemoryMb | Field::MemoryHeadroom | Field::RebuildShare => {}
        }
    }

    /// The criteria the component states itself.
    pub fn criteria(&self) -> Criteria {
        Criteria {
            realtime: self.realtime,
            traffic: self.traffic,
            latency_ms: self.latency_ms,
            context_rebuild_ms: self.context_rebuild_ms,
            concurrent_clients: self.concurrent_clients,
            state_kb_per_client: self.state_kb_per_client,
            memory_budget_mb: self.memory_budget_mb,
            session: self.session,
            shared_state: self.shared_state,
            transactions: self.transactions,
            availability: self.availability,
            request_context_kb: self.request_context_kb,
        }
    }
}

/// A whole spec file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Always 1.
    pub version: Version,
    /// The system.
    pub system: System,
    /// Its components, in the order of the file; at least one.
    #[serde(deserialize_with = "deserialize_components")]
    pub components: Vec<Component>,
}

/// Clears the set of seen names when a components list is done, even on error.
struct SeenNamesScope;

impl SeenNamesScope {
    fn enter() -> Self {
        SEEN_NAMES.with(|s| *s.borrow_mut() = Some(HashSet::new()));
        SeenNamesScope
    }
}

impl Drop for SeenNamesScope {
    fn drop(&mut self) {
        SEEN_NAMES.with(|s| *s.borrow_mut() = None);
    }
}

fn deserialize_components<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Component>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<Component>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of components")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Component>, A::Error> {
            let _scope = SeenNamesScope::enter();
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(c) = seq.next_element()? {
                out.push(c);
            }
            if out.is_empty() {
                return Err(de::Error::custom(
                    "`components` is empty; describe at least one component",
                ));
            }
            Ok(out)
        }
    }
    d.deserialize_seq(V)
}

/// Reads text that must be UTF-8, at most [`MAX_INPUT_BYTES`] long and at
/// most [`MAX_FLOW_DEPTH`] levels of flow nesting deep, worded for `file`.
pub(crate) fn check_text<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, Box<Diagnostic>> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Box::new(Diagnostic::new(
            file,
            format!(
                "file is larger than {} MiB, the most statewise reads",
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
        )));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let column = good.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        let mut d = Diagnostic::new(
            file,
            format!(
                "file is not valid UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
        .with_help("save the file as UTF-8");
        d.line = Some(line);
        d.column = Some(column);
        Box::new(d)
    })?;
    if let Some((line, column)) = crate::core::locate::too_deep(text, MAX_FLOW_DEPTH) {
        return Err(Box::new(
            Diagnostic::new(
                file,
                format!("values nest more than {MAX_FLOW_DEPTH} levels deep"),
            )
            .at(text, line, column)
            .with_help("a spec or rule file needs a few levels; check for unbalanced `[` or `{`"),
        ));
    }
    Ok(text)
}

/// Deepest `[`/`{` nesting accepted; deeper input is refused before parsing,
/// which would otherwise take time growing with the square of the depth.
pub const MAX_FLOW_DEPTH: usize = 64;

/// True when a YAML text holds nothing but blank lines and comments.
pub(crate) fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

impl Spec {
    /// Parses and validates a spec. `file` names the source in errors.
    ///
    /// ```
    /// let spec = statewise::Spec::from_yaml(
    ///     "version: 1\nsystem: {name: Shop}\ncomponents: [{name: api, kind: rest-api}]\n",
    ///     "statewise.yaml",
    /// )
    /// .unwrap();
    /// assert_eq!(spec.components[0].name.as_str(), "api");
    /// ```
    pub fn from_yaml(text: &str, file: &str) -> Result<Spec> {
        Spec::from_bytes(text.as_bytes(), file)
    }

    /// Like [`Spec::from_yaml`], for bytes that may not be UTF-8.
    pub fn from_bytes(bytes: &[u8], file: &str) -> Result<Spec> {
        let text = check_text(file, bytes).map_err(Error::Spec)?;
        if is_blank_yaml(text) {
            return Err(Error::Spec(Box::new(
                Diagnostic::new(file, "spec is empty")
                    .with_help("run `statewise init` to write a commented starter spec"),
            )));
        }
        let de = serde_yaml::Deserializer::from_str(text);
        Spec::deserialize(de).map_err(|e| {
            let mut d = Diagnostic::from_yaml(file, text, &e);
            if d.message.starts_with("invalid type") && d.path.is_none() {
                d.help = Some("a spec is a mapping with `version`, `system` and `components`; run `statewise init` for an example".into());
            }
            Error::Spec(Box::new(d))
        })
    }

    /// The spec as YAML, in the field order of the contract.
    pub fn to_yaml(&self) -> String {
        serde_yaml::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Diagnostic {
        match Spec::from_yaml(text, "s.yaml") {
            Err(Error::Spec(d)) => *d,
            other => panic!("expected a spec error, got {other:?}"),
        }
    }

    const HEAD: &str = "version: 1\nsystem:\n  name: S\ncomponents:\n";

    #[test]
    fn parses_a_minimal_spec() {
        let s = Spec::from_yaml(&format!("{HEAD}  - name: a\n    latency_ms: 20\n"), "s").unwrap();
        assert_eq!(s.components[0].latency_ms.map(Positive::get), Some(20.0));
    }

    #[test]
    fn unknown_field_is_located_with_suggestion() {
        let d = err(&format!("{HEAD}  - name: a\n    latncy_ms: 20\n"));
        assert_eq!(
            d.message,
            "unknown field `latncy_ms`, did you mean `latency_ms`?"
        );
        assert_eq!((d.line, d.column), (Some(6), Some(5)));
    }

    #[test]
    fn out_of_range_numbers_point_at_the_value() {
        let d = err(&format!("{HEAD}  - name: a\n    availability: 100\n"));
        assert_eq!((d.line, d.column), (Some(6), Some(19)));
        assert!(d.message.contains("out of range"), "{}", d.message);
        let d = err(&format!("{HEAD}  - name: a\n    latency_ms: .nan\n"));
        assert!(d.message.contains("out of range"), "{}", d.message);
    }

    #[test]
    fn duplicate_names_ignore_case() {
        let d = err(&format!("{HEAD}  - name: Api\n  - name: api\n"));
        assert!(d.message.starts_with("duplicate component name `api`"));
        assert_eq!(d.line, Some(6));
    }

    #[test]
    fn names_are_counted_in_characters() {
        let ok = "é".repeat(64);
        assert!(Spec::from_yaml(&format!("{HEAD}  - name: {ok}\n"), "s").is_ok());
        let d = err(&format!("{HEAD}  - name: {ok}x\n"));
        assert!(d.message.contains("65 characters"));
    }

    #[test]
    fn version_two_and_empty_components_are_rejected() {
        assert!(
            err("version: 2\nsystem: {name: S}\ncomponents: [{name: a}]\n")
                .message
                .contains("version `2`")
        );
        assert!(
            err("version: 1\nsystem: {name: S}\ncomponents: []\n")
                .message
                .contains("empty")
        );
    }

    #[test]
    fn empty_and_non_utf8_files_are_rejected() {
        assert_eq!(err("# nothing\n\n").message, "spec is empty");
        let d = match Spec::from_bytes(b"version: 1\n\xff\n", "s") {
            Err(Error::Spec(d)) => d,
            _ => panic!(),
        };
        assert_eq!(d.line, Some(2));
    }

    #[test]
    fn a_raw_control_character_is_located() {
        let d = err("version: 1\nsystem: {name: S}\ncomponents: [{name: \"\u{e9}\u{1}b\"}]\n");
        assert_eq!(d.message, "control characters are not allowed");
        assert_eq!((d.line, d.column), (Some(3), Some(23)));
    }

    #[test]
    fn round_trips_through_yaml() {
        let s = Spec::from_yaml(
            &format!("{HEAD}  - name: a\n    kind: chat\n    latency_ms: 12.5\n    concurrent_clients: 3\n"),
            "s",
        )
        .unwrap();
        let again = Spec::from_yaml(&s.to_yaml(), "s").unwrap();
        assert_eq!(s, again);
        assert!(s.to_yaml().contains("concurrent_clients: 3\n"));
    }
}
