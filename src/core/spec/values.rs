//! The checked values of a spec: its words (kinds, verdicts, traffic, ...),
//! numbers that must lie in a range, the version, and names. Each check
//! lives in the value's `Visitor`, because serde_yaml only locates errors
//! raised while it deserialises: the error then points at the value.

use std::cell::RefCell;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::core::escape::unsafe_char;
use crate::core::text::yaml_number;

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

        impl Word for $name {
            const ALL: &'static [$name] = $name::ALL;
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }
    };
}

/// A field's words, for code that handles every word enum alike.
pub trait Word: Copy + Eq + fmt::Debug + for<'de> Deserialize<'de> + 'static {
    /// Every value, in the order of the contract.
    const ALL: &'static [Self];
    /// The word used in YAML and output.
    fn as_str(self) -> &'static str;
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
        GrpcApi = "grpc-api",
        Gateway = "gateway",
        StreamProcessor = "stream-processor",
        MediaServer = "media-server",
        RateLimiter = "rate-limiter",
        Presence = "presence",
        SearchIndex = "search-index",
        ObjectStore = "object-store",
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
    /// State a component keeps across events for keys other than a client.
    KeyedState { None = "none", Aggregate = "aggregate", Index = "index", Routing = "routing" }
}

word_enum! {
    /// Whether requests for one client or one key must reach one instance.
    Affinity { None = "none", PerClient = "per-client", PerKey = "per-key", SingleWriter = "single-writer" }
}

word_enum! {
    /// How a component runs, as its deployment files say: the Kubernetes
    /// workload object, or a Compose service.
    WorkloadType {
        Deployment = "deployment",
        StatefulSet = "statefulset",
        DaemonSet = "daemonset",
        Job = "job",
        CronJob = "cronjob",
        ComposeService = "compose-service",
        Rollout = "rollout",
    }
}

word_enum! {
    /// Whether the deployment pins requests to one instance: per client
    /// (`sessionAffinity: ClientIP`, a sticky cookie), per key (consistent
    /// hashing on a key), or not at all.
    DeployedAffinity { None = "none", PerClient = "per-client", PerKey = "per-key" }
}

word_enum! {
    /// Where a component keeps what it must remember today.
    StateLocation {
        Memory = "memory",
        LocalDisk = "local-disk",
        ExternalStore = "external-store",
        Client = "client",
        None = "none",
    }
}

word_enum! {
    /// How state held in memory survives the loss of an instance.
    Recovery {
        None = "none",
        Checkpoint = "checkpoint",
        Journal = "journal",
        Replay = "replay",
        Replicas = "replicas",
        Rebuild = "rebuild",
        FromClients = "from-clients",
        Disposable = "disposable",
    }
}

/// One word or a list of words, for a field that may hold several at once
/// (`state_location: [memory, external-store]`). Kept as a set in the order
/// of the contract; `none` stands alone, and a word may not repeat.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct WordSet<T: Word> {
    mask: u16,
    word: std::marker::PhantomData<T>,
}

impl<T: Word> WordSet<T> {
    fn bit(t: T) -> u16 {
        T::ALL.iter().position(|x| *x == t).map_or(0, |i| 1 << i)
    }

    /// The set of these words, or `None` when it is empty or `none` is not
    /// alone.
    pub fn of(words: &[T]) -> Option<Self> {
        let mask = words.iter().fold(0, |m, w| m | Self::bit(*w));
        let set: WordSet<T> = WordSet {
            mask,
            word: std::marker::PhantomData,
        };
        let none_with_others = set.iter().any(|w: T| w.as_str() == "none") && set.len() > 1;
        (mask != 0 && !none_with_others).then_some(set)
    }

    /// The set's words as a bit mask over `T::ALL`.
    pub fn mask(self) -> u16 {
        self.mask
    }

    /// Its words, in the order of the contract.
    pub fn iter(self) -> impl Iterator<Item = T> {
        T::ALL
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.mask & (1 << i) != 0)
            .map(|(_, w)| *w)
    }

    /// How many words it holds.
    pub fn len(self) -> usize {
        self.mask.count_ones() as usize
    }

    /// Never true: a set holds at least one word.
    pub fn is_empty(self) -> bool {
        self.mask == 0
    }

    /// Whether it holds `t`.
    pub fn contains(self, t: T) -> bool {
        self.mask & Self::bit(t) != 0
    }

    /// As YAML writes it: the word, or `[a, b]`.
    pub fn to_yaml(self) -> String {
        let words: Vec<&str> = self.iter().map(Word::as_str).collect();
        if words.len() == 1 {
            words[0].to_owned()
        } else {
            format!("[{}]", words.join(", "))
        }
    }

    /// Reads `memory`, `[memory, external-store]` or `memory, external-store`.
    pub fn parse(text: &str) -> Option<Self> {
        let inner = text.trim().trim_start_matches('[').trim_end_matches(']');
        let words: Option<Vec<T>> = inner
            .split(',')
            .map(|w| T::ALL.iter().copied().find(|t| t.as_str() == w.trim()))
            .collect();
        Self::of(&words?)
    }
}

impl<T: Word> fmt::Debug for WordSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Word> fmt::Display for WordSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_yaml())
    }
}

impl<T: Word> Serialize for WordSet<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.len() == 1 {
            s.serialize_str(self.iter().next().map_or("", Word::as_str))
        } else {
            s.collect_seq(self.iter().map(Word::as_str))
        }
    }
}

impl<'de, T: Word> Deserialize<'de> for WordSet<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Word> Visitor<'de> for V<T> {
            type Value = WordSet<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let words: Vec<&str> = T::ALL.iter().map(|w| w.as_str()).collect();
                write!(f, "one of {} or a list of them", words.join(", "))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WordSet<T>, E> {
                use serde::de::IntoDeserializer;
                let t = T::deserialize(v.into_deserializer())?;
                Ok(WordSet {
                    mask: WordSet::bit(t),
                    word: std::marker::PhantomData,
                })
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<WordSet<T>, A::Error> {
                let mut words: Vec<T> = Vec::new();
                while let Some(t) = seq.next_element::<T>()? {
                    if words.contains(&t) {
                        return Err(de::Error::custom(format!(
                            "`{}` is listed twice; list each value once",
                            t.as_str()
                        )));
                    }
                    words.push(t);
                }
                if words.is_empty() {
                    return Err(de::Error::custom(
                        "an empty list; write at least one value, or leave the field out",
                    ));
                }
                WordSet::of(&words).ok_or_else(|| {
                    de::Error::custom(
                        "`none` cannot be listed with other values; write `none` alone, or leave it out",
                    )
                })
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

word_enum! {
    /// The advice for a component or a system, or a team's decision.
    Verdict { Stateful = "stateful", Stateless = "stateless", Hybrid = "hybrid" }
}

/// What the person probably meant by an out-of-range number: an
/// availability written as a fraction (`0.9999`) is the percentage 99.99.
fn out_of_range_hint(type_name: &str, v: f64) -> String {
    if type_name == "Availability" && v > 0.0 && v < 1.0 {
        let percent = (v * 100.0 * 1e9).round() / 1e9;
        if Availability::new(percent).is_some() {
            return format!(
                "; a fraction? write it as a percentage: `availability: {}`",
                yaml_number(percent)
            );
        }
    }
    String::new()
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
                            E::custom(format!(
                                "{} is out of range, expected {}{}",
                                yaml_number(v),
                                $expecting,
                                out_of_range_hint(stringify!($name), v)
                            ))
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
    /// A name, if it is not blank and holds printable characters only.
    pub fn new(text: &str) -> Option<Self> {
        (!text.trim().is_empty() && printable("", text).is_ok()).then(|| Name(text.to_owned()))
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
                printable("name", v).map_err(E::custom)?;
                Name::new(v).ok_or_else(|| E::custom("a name cannot be blank"))
            }
        }
        d.deserialize_str(V)
    }
}

/// Refuses a name with a control, bidirectional or invisible character,
/// naming the character by its code point: names are identifiers, printed
/// in tables, logs and file names, and must look like what they are.
fn printable(what: &str, v: &str) -> Result<(), String> {
    match v
        .chars()
        .find_map(|c| unsafe_char(c).map(|class| (c, class)))
    {
        None => Ok(()),
        Some((c, class)) => Err(format!(
            "{what} `{}` holds U+{:04X}, {}; a name takes printable characters only",
            crate::core::escape::line(v),
            c as u32,
            class.describe()
        )),
    }
}

/// The form two names are compared in: compatibility-normalised (NFKC),
/// lower-cased, then reduced to the Unicode confusable skeleton (UTS #39),
/// so `api`, `API`, `ａｐｉ` (full width) and `аpi` (Cyrillic а) are one name.
pub fn look_alike_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = name.nfkc().flat_map(char::to_lowercase).collect();
    unicode_security::skeleton(&folded).collect()
}

thread_local! {
    /// Component names seen so far in the components list being parsed, by
    /// their look-alike key; `None` outside one.
    static SEEN_NAMES: RefCell<Option<HashMap<String, String>>> = const { RefCell::new(None) };
}

/// A component's name: 1 to 64 characters, unique in its spec regardless of case.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct ComponentName(String);

impl ComponentName {
    /// A name, if it is 1 to 64 printable characters and not blank.
    pub fn new(name: &str) -> Option<Self> {
        let len = name.chars().count();
        (len <= 64 && !name.trim().is_empty() && printable("", name).is_ok())
            .then(|| ComponentName(name.to_owned()))
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
                printable("component name", v).map_err(E::custom)?;
                let len = v.chars().count();
                let name = ComponentName::new(v).ok_or_else(|| {
                    E::custom(if len > 64 {
                        format!("component name is {len} characters long; at most 64 are allowed")
                    } else {
                        "component name cannot be blank".to_owned()
                    })
                })?;
                let earlier = SEEN_NAMES.with(|seen| match seen.borrow_mut().as_mut() {
                    Some(map) => match map.entry(look_alike_key(v)) {
                        Entry::Occupied(e) => Some(e.get().clone()),
                        Entry::Vacant(e) => {
                            e.insert(v.to_owned());
                            None
                        }
                    },
                    None => None,
                });
                match earlier {
                    None => Ok(name),
                    Some(e) if e.to_lowercase() == v.to_lowercase() => Err(E::custom(format!(
                        "duplicate component name `{v}`; names must be unique (ignoring case)"
                    ))),
                    Some(e) => Err(E::custom(format!(
                        "component name `{v}` looks the same as `{e}`; names must differ in more than look-alike characters (ignoring case)"
                    ))),
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

thread_local! {
    /// While a spec with `depends_on` is parsed the second time: every
    /// component's name, and the index of the component being read.
    static DEPENDENCY_SCOPE: RefCell<Option<DependencyScope>> = const { RefCell::new(None) };
}

/// The names a `depends_on` entry may name, known from a first parse.
pub(crate) struct DependencyScope {
    names: Vec<String>,
    /// The same names, to look one up in constant time: a spec of n
    /// components with dependencies is checked in time linear in n.
    known: std::collections::HashSet<String>,
    current: usize,
}

impl DependencyScope {
    /// Checks `depends_on` entries against `names` until the guard drops.
    pub(crate) fn enter(names: Vec<String>) -> DependencyScopeGuard {
        let known = names.iter().cloned().collect();
        DEPENDENCY_SCOPE.with(|s| {
            *s.borrow_mut() = Some(DependencyScope {
                names,
                known,
                current: 0,
            });
        });
        DependencyScopeGuard
    }

    /// Tells the scope which component is being read.
    pub(crate) fn reading(index: usize) {
        DEPENDENCY_SCOPE.with(|s| {
            if let Some(scope) = s.borrow_mut().as_mut() {
                scope.current = index;
            }
        });
    }

    /// Why `name`, listed by the component being read, is not a dependency
    /// it can have; `None` when it is one, or when no scope is set.
    fn refuse(name: &str) -> Option<String> {
        DEPENDENCY_SCOPE.with(|s| {
            let s = s.borrow();
            let scope = s.as_ref()?;
            let own = scope.names.get(scope.current)?;
            if own == name {
                return Some(format!(
                    "`{own}` depends on itself; `depends_on` lists the other components it calls"
                ));
            }
            if scope.known.contains(name) {
                return None;
            }
            let others: Vec<&str> = scope
                .names
                .iter()
                .filter(|n| *n != own)
                .map(String::as_str)
                .collect();
            let key = look_alike_key(name);
            let near = others
                .iter()
                .find(|n| look_alike_key(n) == key)
                .copied()
                .or_else(|| crate::core::text::nearest(name, &others));
            Some(match near {
                Some(n) => format!("no component `{name}` to depend on, did you mean `{n}`?"),
                None if others.len() > 12 => format!(
                    "no component `{name}` to depend on; the components are: {}, and {} more",
                    others[..12].join(", "),
                    others.len() - 12
                ),
                None => format!(
                    "no component `{name}` to depend on; the components are: {}",
                    others.join(", ")
                ),
            })
        })
    }
}

/// Ends the dependency check when dropped, even on error.
pub(crate) struct DependencyScopeGuard;

impl Drop for DependencyScopeGuard {
    fn drop(&mut self) {
        DEPENDENCY_SCOPE.with(|s| *s.borrow_mut() = None);
    }
}

/// The name of a component another one depends on: checked, when the
/// names are known, to be another component of the spec.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct DependencyName(String);

impl DependencyName {
    /// A dependency on the component called `name`.
    pub fn new(name: &str) -> Self {
        DependencyName(name.to_owned())
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DependencyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DependencyName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DependencyName;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the name of another component")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DependencyName, E> {
                match DependencyScope::refuse(v) {
                    Some(why) => Err(E::custom(why)),
                    None => Ok(DependencyName::new(v)),
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DependencyName, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DependencyName, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_str(V)
    }
}

/// Clears the set of seen names when a components list is done, even on error.
pub(crate) struct SeenNamesScope;

impl SeenNamesScope {
    pub(crate) fn enter() -> Self {
        SEEN_NAMES.with(|s| *s.borrow_mut() = Some(HashMap::new()));
        SeenNamesScope
    }
}

impl Drop for SeenNamesScope {
    fn drop(&mut self) {
        SEEN_NAMES.with(|s| *s.borrow_mut() = None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_set_reads_one_word_or_a_list_and_writes_them_back() {
        let one: WordSet<StateLocation> = serde_yaml::from_str("memory").unwrap();
        assert_eq!(one.to_yaml(), "memory");
        assert_eq!(serde_yaml::to_string(&one).unwrap(), "memory\n");
        let two: WordSet<StateLocation> = serde_yaml::from_str("[external-store, memory]").unwrap();
        // The order of the contract, whatever order it was written in.
        assert_eq!(two.to_yaml(), "[memory, external-store]");
        assert_eq!(
            serde_yaml::to_string(&two).unwrap(),
            "- memory\n- external-store\n"
        );
        assert!(two.contains(StateLocation::Memory) && !two.contains(StateLocation::Client));
        assert_eq!(two.len(), 2);
        assert_eq!(
            WordSet::<StateLocation>::parse("[memory, external-store]"),
            Some(two)
        );
        assert_eq!(
            WordSet::<StateLocation>::parse("external-store, memory"),
            Some(two)
        );
        assert_eq!(WordSet::<StateLocation>::parse("memory"), Some(one));
        assert_eq!(WordSet::<StateLocation>::parse("memroy"), None);
        assert_eq!(WordSet::<StateLocation>::parse("[none, memory]"), None);
        assert_eq!(WordSet::<Recovery>::parse(""), None);
        for bad in ["[]", "[memory, memory]", "[none, client]", "memroy", "3"] {
            assert!(
                serde_yaml::from_str::<WordSet<StateLocation>>(bad).is_err(),
                "{bad}"
            );
        }
    }
}
