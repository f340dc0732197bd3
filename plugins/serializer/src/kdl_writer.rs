//! A tiny append-only KDL v1 writer.
//!
//! Only what a layout needs: nodes with arguments, properties and child
//! blocks, written one node per line. It is hand-rolled rather than built on
//! the `kdl` crate so the component stays small, and it writes v1 (not v2)
//! because v1 is the dialect Zellij parses.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Indentation per nesting level; Zellij writes four spaces too.
const INDENT: &str = "    ";

/// A value in argument or property position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value<'a> {
    /// Written as an escaped, double-quoted string.
    Str(Cow<'a, str>),
    /// Written as a decimal integer.
    Int(u32),
    /// Written as v1 `true` / `false` (not v2's `#true`).
    Bool(bool),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Str(Cow::Borrowed(s))
    }
}

impl<'a> From<Cow<'a, str>> for Value<'a> {
    fn from(s: Cow<'a, str>) -> Self {
        Value::Str(s)
    }
}

impl From<String> for Value<'_> {
    fn from(s: String) -> Self {
        Value::Str(Cow::Owned(s))
    }
}

impl From<u32> for Value<'_> {
    fn from(n: u32) -> Self {
        Value::Int(n)
    }
}

impl From<bool> for Value<'_> {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

/// Accumulates a KDL document as text.
#[derive(Debug, Default)]
pub(crate) struct KdlWriter {
    out: String,
}

impl KdlWriter {
    /// Creates an empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a node at `depth` levels of indentation. The node is not
    /// finished until [`Node::end`] or [`Node::open`] is called on it.
    pub fn node(&mut self, depth: usize, name: &str) -> Node<'_> {
        indent(&mut self.out, depth);
        write_identifier(&mut self.out, name);
        Node { out: &mut self.out }
    }

    /// Closes a child block opened with [`Node::open`] at the same depth. The
    /// newline after `}` matters: in v1 a closing brace does not end the
    /// node, so without it the next node would be a syntax error.
    pub fn close(&mut self, depth: usize) {
        indent(&mut self.out, depth);
        self.out.push_str("}\n");
    }

    /// Copies a whole node written elsewhere (a swap layout, as its file
    /// had it), its first line at `depth` and the rest shifted as much as
    /// the first line had to move.
    pub fn verbatim(&mut self, depth: usize, text: &str) {
        let lines: Vec<&str> = text.trim_end().lines().collect();
        // The first line comes without its indentation (it was cut at the
        // node's name); the others keep theirs, re-based on the last line.
        let closing = lines.last().map_or(0, |l| l.len() - l.trim_start().len());
        for (i, line) in lines.iter().enumerate() {
            if line.trim().is_empty() {
                self.out.push('\n');
                continue;
            }
            let own = line.len() - line.trim_start().len();
            let extra = if i == 0 { 0 } else { own.saturating_sub(closing) };
            indent(&mut self.out, depth);
            self.out.push_str(&" ".repeat(extra));
            self.out.push_str(line.trim_start());
            self.out.push('\n');
        }
    }

    /// The document written so far.
    pub fn finish(self) -> String {
        self.out
    }
}

/// A node being written; add entries, then [`end`](Node::end) or
/// [`open`](Node::open) it.
#[must_use = "a node must be finished with `end` or `open`"]
pub(crate) struct Node<'w> {
    out: &'w mut String,
}

impl Node<'_> {
    /// Appends a positional argument.
    pub fn arg<'v>(self, value: impl Into<Value<'v>>) -> Self {
        self.out.push(' ');
        write_value(self.out, &value.into());
        self
    }

    /// Appends a `key=value` property.
    pub fn prop<'v>(self, key: &str, value: impl Into<Value<'v>>) -> Self {
        self.out.push(' ');
        write_identifier(self.out, key);
        self.out.push('=');
        write_value(self.out, &value.into());
        self
    }

    /// Appends a property only when `value` is `Some`.
    pub fn prop_opt<'v, V: Into<Value<'v>>>(self, key: &str, value: Option<V>) -> Self {
        match value {
            Some(value) => self.prop(key, value),
            None => self,
        }
    }

    /// Appends `key=true` when `flag` is set. Zellij treats a missing boolean
    /// property as false, so false values are never written.
    pub fn flag(self, key: &str, flag: bool) -> Self {
        if flag { self.prop(key, true) } else { self }
    }

    /// Ends the node without children.
    pub fn end(self) {
        self.out.push('\n');
    }

    /// Ends the node's entries and opens its child block; close it with
    /// [`KdlWriter::close`].
    pub fn open(self) {
        self.out.push_str(" {\n");
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str(INDENT);
    }
}

fn write_value(out: &mut String, value: &Value<'_>) {
    match value {
        Value::Str(s) => write_string(out, s),
        Value::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
    }
}

/// Writes a node name or property key: bare when it is unambiguously a v1
/// identifier, quoted otherwise. Layout keywords are always bare; plugin
/// configuration keys come from users and may be anything.
pub(crate) fn write_identifier(out: &mut String, name: &str) {
    if is_bare_identifier(name) {
        out.push_str(name);
    } else {
        write_string(out, name);
    }
}

/// A deliberately narrow subset of v1 bare identifiers (ASCII letters,
/// digits, `_`, `-`, `.`, not starting with a digit or sign, not a keyword),
/// so that anything doubtful gets quoted, which is always valid.
fn is_bare_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !matches!(name, "true" | "false" | "null")
}

/// Writes `s` as a double-quoted KDL v1 string.
pub(crate) fn write_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if needs_unicode_escape(c) => {
                let _ = write!(out, "\\u{{{:02x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Characters that are legal inside a v1 string but would make the file
/// misleading or fragile if written literally: control characters (ESC from
/// saved ANSI sequences would act on a terminal that `cat`s the layout), the
/// Unicode line and paragraph separators (line breaks to KDL and to
/// editors), the BOM and bidirectional overrides (invisible, and forbidden
/// as literals in KDL v2, so escaping keeps the file convertible). Everything
/// else, including non-ASCII text and emoji, is written as is.
fn needs_unicode_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{200e}' | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(s: &str) -> String {
        let mut out = String::new();
        write_string(&mut out, s);
        out
    }

    fn ident(s: &str) -> String {
        let mut out = String::new();
        write_identifier(&mut out, s);
        out
    }

    #[test]
    fn escapes_the_named_escapes() {
        assert_eq!(quoted("a\"b\\c\nd\re\tf\u{8}g\u{c}h"), r#""a\"b\\c\nd\re\tf\bg\fh""#);
    }

    #[test]
    fn escapes_other_control_characters_as_unicode() {
        assert_eq!(quoted("\u{1b}[1;31mred\u{1b}[0m"), r#""\u{1b}[1;31mred\u{1b}[0m""#);
        assert_eq!(quoted("\u{0}\u{7f}\u{85}"), r#""\u{00}\u{7f}\u{85}""#);
        assert_eq!(quoted("a\u{2028}b\u{202e}c"), r#""a\u{2028}b\u{202e}c""#);
    }

    #[test]
    fn passes_unicode_and_kdl_punctuation_through() {
        assert_eq!(quoted("日本語 🦀 #{};=/"), "\"日本語 🦀 #{};=/\"");
        assert_eq!(quoted(""), "\"\"");
    }

    #[test]
    fn quotes_identifiers_only_when_needed() {
        assert_eq!(ident("start_suspended"), "start_suspended");
        assert_eq!(ident("a-b.c"), "a-b.c");
        assert_eq!(ident(""), "\"\"");
        assert_eq!(ident("true"), "\"true\"");
        assert_eq!(ident("null"), "\"null\"");
        assert_eq!(ident("1st"), "\"1st\"");
        assert_eq!(ident("-1"), "\"-1\"");
        assert_eq!(ident("has space"), "\"has space\"");
        assert_eq!(ident("ключ"), "\"ключ\"");
    }

    #[test]
    fn writes_nodes_with_entries_and_blocks() {
        let mut w = KdlWriter::new();
        w.node(0, "a").arg("x").arg(3).prop("k", true).flag("off", false).open();
        w.node(1, "b").prop_opt("p", None::<&str>).prop_opt("q", Some("v")).end();
        w.close(0);
        assert_eq!(w.finish(), "a \"x\" 3 k=true {\n    b q=\"v\"\n}\n");
    }
}
