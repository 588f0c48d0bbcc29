//! Untrusted text made safe for the place it lands. Specs, rule files,
//! record files and file names come from repositories statewise may not
//! trust, and its output lands in terminals, CI logs, shells (a suggested
//! command), Markdown, Mermaid, JSON and SARIF. Each of those places has one
//! function here, and every output goes through it:
//!
//! - a terminal or a CI log ([`line`], [`lines`]): control, bidirectional
//!   and invisible characters are shown escaped (`\u{1b}`), never sent raw;
//!   no line can start with `::` (a GitHub workflow command) and no text
//!   holds `##[` (the runner's legacy command syntax);
//! - a shell ([`shell`]): quoted with shlex;
//! - Markdown ([`markdown_inline`], [`markdown_cell`]) and Mermaid
//!   ([`mermaid_label`]): their syntax escaped as well;
//! - a URI ([`uri_path`]): percent-encoded;
//! - JSON ([`json_pretty`]): serde's escaping, plus `\uXXXX` for the
//!   characters a terminal would act on, so the data is unchanged.
//!
//! Names are refused at parse time when they hold an unsafe character
//! ([`unsafe_char`]); free text keeps them, and is escaped here.

use std::borrow::Cow;
use std::io;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;

/// Why a character is not shown raw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unsafe {
    /// A control character (C0, DEL, C1): ESC starts terminal sequences.
    Control,
    /// A bidirectional control: it reorders the text around it.
    Bidi,
    /// An invisible character (default-ignorable, a line or paragraph
    /// separator): two names that differ only by it look the same.
    Invisible,
}

impl Unsafe {
    /// How a message names the class.
    pub fn describe(self) -> &'static str {
        match self {
            Unsafe::Control => "a control character",
            Unsafe::Bidi => "a bidirectional control",
            Unsafe::Invisible => "an invisible character",
        }
    }
}

/// Bidirectional controls: ALM, LRM, RLM, the embeddings and overrides,
/// and the isolates.
const BIDI: &[(char, char)] = &[
    ('\u{61c}', '\u{61c}'),
    ('\u{200e}', '\u{200f}'),
    ('\u{202a}', '\u{202e}'),
    ('\u{2066}', '\u{2069}'),
];

/// Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, as
/// unicode-security's skeleton uses it; its table is private), plus the line
/// and paragraph separators and the interlinear annotation characters.
const INVISIBLE: &[(char, char)] = &[
    ('\u{ad}', '\u{ad}'),
    ('\u{34f}', '\u{34f}'),
    ('\u{115f}', '\u{1160}'),
    ('\u{17b4}', '\u{17b5}'),
    ('\u{180b}', '\u{180f}'),
    ('\u{200b}', '\u{200d}'),
    ('\u{2028}', '\u{2029}'),
    ('\u{2060}', '\u{2065}'),
    ('\u{206a}', '\u{206f}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{fe00}', '\u{fe0f}'),
    ('\u{feff}', '\u{feff}'),
    ('\u{ffa0}', '\u{ffa0}'),
    ('\u{fff0}', '\u{fffb}'),
    ('\u{1bca0}', '\u{1bca3}'),
    ('\u{1d173}', '\u{1d17a}'),
    ('\u{e0000}', '\u{e0fff}'),
];

fn in_ranges(c: char, ranges: &[(char, char)]) -> bool {
    ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c))
}

/// Whether `c` must not be shown raw, and why.
pub fn unsafe_char(c: char) -> Option<Unsafe> {
    if c.is_control() {
        Some(Unsafe::Control)
    } else if in_ranges(c, BIDI) {
        Some(Unsafe::Bidi)
    } else if in_ranges(c, INVISIBLE) {
        Some(Unsafe::Invisible)
    } else {
        None
    }
}

/// `c` as it is shown: `\u{1b}` for an unsafe character.
fn shown(c: char, out: &mut String) {
    if unsafe_char(c).is_some() {
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
    } else {
        out.push(c);
    }
}

/// Text for one line of a terminal or a CI log: newlines and tabs become
/// spaces, unsafe characters are shown escaped, a leading `::` is broken
/// (`:\:`) and `##[` becomes `#\#[`. Safe text comes back borrowed.
pub fn line(s: &str) -> Cow<'_, str> {
    let ascii = s.bytes().all(|b| (0x20..0x7f).contains(&b));
    let clean = (ascii || !s.chars().any(|c| unsafe_char(c).is_some()))
        && !legacy_command(s)
        && !s.trim_start().starts_with("::");
    if clean {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c => shown(c, &mut out),
        }
    }
    Cow::Owned(ci_safe(&out))
}

/// Text of several lines for a terminal or a CI log: newlines and tabs are
/// kept, every line is made safe as [`line`] makes it.
pub fn lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, l) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        // Printable ASCII and tabs are shown as they are.
        if l.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b)) {
            if legacy_command(l) || l.trim_start().starts_with("::") {
                out.push_str(&ci_safe(l));
            } else {
                out.push_str(l);
            }
            continue;
        }
        let mut shown_line = String::with_capacity(l.len());
        for c in l.chars() {
            match c {
                '\t' => shown_line.push('\t'),
                c => shown(c, &mut shown_line),
            }
        }
        out.push_str(&ci_safe(&shown_line));
    }
    out
}

/// Whether `s` holds `##[`, the runner's legacy command syntax (a quick
/// look for a `#` first: most text has none).
fn legacy_command(s: &str) -> bool {
    s.as_bytes().contains(&b'#') && s.contains("##[")
}

/// Breaks the GitHub runner's command syntax in one line of text.
fn ci_safe(l: &str) -> String {
    let mut out = l.replace("##[", "#\\#[");
    let indent = out.len() - out.trim_start().len();
    if out[indent..].starts_with("::") {
        out.insert(indent + 1, '\\');
    }
    out
}

/// The width `c` takes once shown by [`lines`], in characters.
pub fn shown_width(c: char) -> usize {
    if c == '\t' || unsafe_char(c).is_none() {
        1
    } else {
        format!("\\u{{{:x}}}", c as u32).chars().count()
    }
}

/// A word for a command a person may paste into a shell: quoted when it
/// holds anything the shell would act on (`$(...)`, spaces, quotes).
pub fn shell(word: &str) -> String {
    match shlex::try_quote(word) {
        Ok(quoted) => line(&quoted).into_owned(),
        // Only a NUL byte cannot be quoted; show it escaped and quoted.
        Err(_) => format!("'{}'", line(&word.replace('\'', "'\\''"))),
    }
}

/// Characters percent-encoded in a URI path: controls, space and the
/// characters that end or change the meaning of a path (`#`, `?`, `%`, and
/// `:`, which would read as a scheme in a relative reference).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b':')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A relative file path as a URI reference (SARIF `artifactLocation.uri`):
/// `/` separators, everything else that is not plain percent-encoded.
pub fn uri_path(path: &str) -> String {
    utf8_percent_encode(&path.replace('\\', "/"), PATH).to_string()
}

/// Text for a Markdown table cell: `|` and backticks escaped, no HTML,
/// newlines as `<br>`, unsafe characters shown escaped.
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '`' => out.push_str("\\`"),
            '\r' => {}
            '\n' => out.push_str("<br>"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => shown(c, &mut out),
        }
    }
    ci_safe(&out)
}

/// Text for a Markdown paragraph or heading: no HTML, no newlines, the
/// inline syntax escaped, unsafe characters shown escaped.
pub fn markdown_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' | '\n' | '\t' => out.push(' '),
            '`' | '*' | '_' | '[' | ']' | '#' | '|' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => shown(c, &mut out),
        }
    }
    ci_safe(&out)
}

/// An empty element: Mermaid keeps it (DOMPurify allows `span`), the label
/// reads no character more, and the characters on either side of it are no
/// longer next to each other for the text substitutions Mermaid makes after
/// it has decoded the entities (see [`mermaid_label`]).
const MERMAID_BREAK: &str = "<span></span>";

/// Whether Mermaid would substitute text for `c` followed by `rest`, after it
/// has decoded the label's entities, so an empty element must go between
/// them: `\n` (a line break), `fa:fa-car` and its `fab:`, `fas:`... kin (a
/// Font Awesome icon; the break goes after the `:`, whatever comes before
/// it), `$$` (KaTeX math), and `ﬂ°` and `¶ß` (Mermaid's own markers for
/// entities: `ﬂ°°58¶ß` reads `:`).
fn mermaid_splits(c: char, rest: &str) -> bool {
    let next = rest.chars().next();
    match c {
        '\\' => matches!(next, Some('n' | 'N')),
        ':' => rest.get(..3).is_some_and(|s| s.eq_ignore_ascii_case("fa-")),
        '$' => next == Some('$'),
        '\u{fb02}' => next == Some('\u{b0}'),
        '\u{b6}' => next == Some('\u{df}'),
        _ => false,
    }
}

/// Text for a Mermaid node label: quotes, arrows, backticks and what
/// Mermaid would read as a directive, an entity or a tag, as Mermaid
/// entities (`#37;`), on one line, unsafe characters shown escaped.
///
/// Mermaid decodes those entities before it rewrites a label's text
/// (`\n` to a line break, `fa:fa-car` to an icon, `$$x$$` to math), so an
/// entity cannot hide `\` or `:` from it; an empty `<span></span>` between
/// the two characters does (see [`mermaid_splits`]): the label reads the
/// name as written, with no invisible character a reader would copy.
pub fn mermaid_label(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.char_indices() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '`' => out.push_str("#96;"),
            '#' => out.push_str("#35;"),
            // `%%{...}%%` is a directive anywhere in the text, `&` starts
            // an HTML entity. `\\` and `:` are entities too, for a renderer
            // that keeps entities until the end (DOMPurify leaves a label
            // without a tag as it is): it never sees `\\n` or `fa:`.
            '%' => out.push_str("#37;"),
            '&' => out.push_str("#38;"),
            '\\' => out.push_str("#92;"),
            ':' => out.push_str("#58;"),
            '\r' | '\n' | '\t' => out.push(' '),
            c => shown(c, &mut out),
        }
        if mermaid_splits(c, &s[i + c.len_utf8()..]) {
            out.push_str(MERMAID_BREAK);
        }
    }
    out
}

/// Writes JSON as serde_json's pretty printer does (two spaces a level),
/// except that characters a terminal would act on or hide are written as
/// `\uXXXX` escapes: the parsed data is the same, the bytes are safe to
/// print. The layout is serde_json's `PrettyFormatter`'s, with each newline
/// and its indent written at once rather than two spaces at a time.
#[derive(Default)]
struct SafeFormatter {
    current_indent: usize,
    has_value: bool,
}

/// A newline and the most indent written at once.
const NEWLINE_INDENT: &[u8; 129] = &{
    let mut bytes = [b' '; 129];
    bytes[0] = b'\n';
    bytes
};

impl SafeFormatter {
    /// A newline, then two spaces per level.
    fn newline<W: ?Sized + io::Write>(&self, w: &mut W) -> io::Result<()> {
        let mut spaces = self.current_indent * 2;
        let first = spaces.min(NEWLINE_INDENT.len() - 1);
        w.write_all(&NEWLINE_INDENT[..=first])?;
        spaces -= first;
        while spaces > 0 {
            let n = spaces.min(NEWLINE_INDENT.len() - 1);
            w.write_all(&NEWLINE_INDENT[1..=n])?;
            spaces -= n;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for SafeFormatter {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.current_indent += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.current_indent -= 1;
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.current_indent += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.current_indent -= 1;
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // Almost every string is printable ASCII without a `#`: written as
        // it is (the loop below writes the others, a `#` but no `##[` as
        // it is too).
        if fragment
            .bytes()
            .all(|b| b != b'#' && (0x20..0x7f).contains(&b))
        {
            return w.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            // `##[` is the runner's legacy command syntax: its first `#`
            // goes out as an escape, which reads back as the same text.
            let legacy = c == '#' && fragment[i..].starts_with("##[");
            if legacy || unsafe_char(c).is_some() {
                w.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(w, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
}

/// `value` as pretty JSON, safe to print (see [`SafeFormatter`]).
pub fn json_pretty_to<W: io::Write + ?Sized>(w: &mut W, value: &impl Serialize) -> io::Result<()> {
    let formatter = SafeFormatter::default();
    let mut ser = serde_json::Serializer::with_formatter(w, formatter);
    // `From` keeps the kind of an I/O error, so a closed pipe stays one.
    value.serialize(&mut ser).map_err(io::Error::from)
}

/// `value` as pretty JSON in a string, safe to print.
pub fn json_pretty(value: &impl Serialize) -> String {
    let mut out = Vec::new();
    // Writing to a Vec fails only if serialising fails, which our types
    // (maps with string keys, finite numbers) never do.
    let _ = json_pretty_to(&mut out, value);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_of_unsafe_characters() {
        assert_eq!(unsafe_char('\u{1b}'), Some(Unsafe::Control));
        assert_eq!(unsafe_char('\u{9b}'), Some(Unsafe::Control));
        assert_eq!(unsafe_char('\u{202e}'), Some(Unsafe::Bidi));
        assert_eq!(unsafe_char('\u{200b}'), Some(Unsafe::Invisible));
        assert_eq!(unsafe_char('\u{feff}'), Some(Unsafe::Invisible));
        assert_eq!(unsafe_char('é'), None);
        assert_eq!(unsafe_char('\u{7f}'), Some(Unsafe::Control));
    }

    #[test]
    fn json_is_laid_out_as_serde_json_pretty_prints_it() {
        let mut deep = serde_json::json!({"leaf": [1, "two", null, {}, []]});
        for i in 0..70 {
            deep = serde_json::json!({"level": i, "empty": {}, "list": [deep, [], {"a": 1.5}]});
        }
        for value in [
            deep,
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!("a # b ## c"),
            serde_json::json!([[], [[]], {"x": {"y": []}}]),
        ] {
            let ours = json_pretty(&value);
            let theirs = serde_json::to_string_pretty(&value).expect("serialises");
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn a_line_cannot_carry_escapes_or_commands() {
        assert_eq!(line("plain"), Cow::Borrowed("plain"));
        assert_eq!(line("a\u{1b}]52;c;x\u{7}b"), "a\\u{1b}]52;c;x\\u{7}b");
        assert_eq!(line("why\n::error::pwned"), "why ::error::pwned");
        assert_eq!(line("::error::x"), ":\\:error::x");
        assert_eq!(line("  ::warning::x"), "  :\\:warning::x");
        assert_eq!(line("a ##[error]b"), "a #\\#[error]b");
        assert_eq!(line("rlo\u{202e}txt"), "rlo\\u{202e}txt");
    }

    #[test]
    fn lines_keep_newlines_but_break_commands_on_each() {
        assert_eq!(lines("a\n::error::x\n\tb"), "a\n:\\:error::x\n\tb");
        assert_eq!(lines("x\u{1b}[2J"), "x\\u{1b}[2J");
    }

    #[test]
    fn shell_words_are_quoted() {
        assert_eq!(shell("api"), "api");
        assert_eq!(shell("$(touch pwned)"), "'$(touch pwned)'");
        assert_eq!(shell("a b"), "'a b'");
    }

    #[test]
    fn uri_paths_are_percent_encoded() {
        assert_eq!(
            uri_path("specs/my spec#1%.yaml"),
            "specs/my%20spec%231%25.yaml"
        );
        assert_eq!(uri_path("a\\b.yaml"), "a/b.yaml");
    }

    #[test]
    fn json_escapes_what_a_terminal_acts_on_and_keeps_the_data() {
        let value = serde_json::json!({"n": "a\u{1b}[31m\u{202e}\u{9b}\u{e0041}b"});
        let text = json_pretty(&value);
        assert!(text.is_ascii(), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
        assert_eq!(
            json_pretty(&serde_json::json!(["x"])),
            serde_json::to_string_pretty(&serde_json::json!(["x"])).unwrap()
        );
    }

    #[test]
    fn markdown_and_mermaid_escape_their_syntax_and_unsafe_characters() {
        assert_eq!(markdown_inline("a*b\u{1b}"), "a\\*b\\u{1b}");
        assert_eq!(markdown_cell("a|b\nc"), "a\\|b<br>c");
        assert_eq!(mermaid_label("a\"]-->x\n`y`"), "a#quot;]--#gt;x #96;y#96;");
        assert_eq!(
            mermaid_label("%%{init}%% a&b fa:x \\t"),
            "#37;#37;{init}#37;#37; a#38;b fa#58;x #92;t"
        );
    }

    #[test]
    fn mermaid_labels_break_what_mermaid_rewrites_after_decoding_entities() {
        // `\n` would be a line break.
        assert_eq!(mermaid_label("a\\nb"), "a#92;<span></span>nb");
        assert_eq!(mermaid_label("\\N"), "#92;<span></span>N");
        assert_eq!(
            mermaid_label("\\\\n \\t \\"),
            "#92;#92;<span></span>n #92;t #92;"
        );
        // `fa:fa-car` and its kin would be an icon, whatever comes before
        // the `:`.
        assert_eq!(mermaid_label("fa:fa-car"), "fa#58;<span></span>fa-car");
        assert_eq!(
            mermaid_label("fab:fa-x xfas:FA-y"),
            "fab#58;<span></span>fa-x xfas#58;<span></span>FA-y"
        );
        assert_eq!(mermaid_label("fa:fa fa:"), "fa#58;fa fa#58;");
        // `$$x$$` would be KaTeX math.
        assert_eq!(
            mermaid_label("$$x$$ $y $$$"),
            "$<span></span>$x$<span></span>$ $y $<span></span>$<span></span>$"
        );
        // `ﬂ°°58¶ß` is Mermaid's own form of the entity `#58;`.
        assert_eq!(
            mermaid_label("\u{fb02}\u{b0}\u{b0}58\u{b6}\u{df}"),
            "\u{fb02}<span></span>\u{b0}\u{b0}58\u{b6}<span></span>\u{df}"
        );
        // A multi-byte character after a `:` is not cut.
        assert_eq!(mermaid_label(":é"), "#58;é");
        assert_eq!(mermaid_label("plain name"), "plain name");
    }

    #[test]
    fn markdown_outside_mermaid_is_not_broken_up() {
        let name = "a\\nb fa:fa-car $$x$$ \u{fb02}\u{b0}\u{b6}\u{df}";
        assert_eq!(
            markdown_inline(name),
            "a\\\\nb fa:fa-car $$x$$ \u{fb02}\u{b0}\u{b6}\u{df}"
        );
        assert_eq!(
            markdown_cell(name),
            "a\\nb fa:fa-car $$x$$ \u{fb02}\u{b0}\u{b6}\u{df}"
        );
    }
}
