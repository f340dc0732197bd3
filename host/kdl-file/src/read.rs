//! Reading the text as KDL v2 or v1, refusing nesting deep enough to
//! overflow the kdl crate's recursive parser.

use std::path::Path;

use kdl::{KdlDocument, KdlError};
use miette::SourceSpan;

use crate::error::{Fault, FileError, Kind};

/// Parses a file's text into a document, or an error located in it.
pub fn parse_document<K: Kind>(path: &Path, text: &str) -> Result<KdlDocument, FileError<K>> {
    if let Some(at) = too_deep(text) {
        let fault = Fault::new(
            K::SYNTAX,
            SourceSpan::from(at..at + 1),
            format!("blocks are nested more than {MAX_DEPTH} deep"),
            "too deep",
        );
        return Err(FileError::located(path, text, fault));
    }
    parse(text).map_err(|mut e| {
        if !speaks_v2(text)
            && KdlDocument::parse_v2(text).is_ok()
            && let Some(d) = e.diagnostics.first_mut()
        {
            d.help = Some(V1_ONLY_HELP.to_owned());
        }
        FileError::syntax(path, text, e)
    })
}

/// Said when only KDL v2 would read the file: the usual cause is a node
/// closed by `}` on the same line.
const V1_ONLY_HELP: &str = "this is KDL v1, as Zellij reads it: every node ends with `;` or a new line, \
also the last one before `}` (`pane { x 1; }; }`); start the file with `/- kdl-version 2` to write KDL v2";

/// Parses `text` as KDL v1 (what Zellij reads and writes), or as v2 when
/// the text uses syntax only v2 has.
///
/// Zellij reads v1 only, so a file it refuses must be refused here too:
/// `pane { x 1; } }` is valid v2 (a last node needs no terminator) but not
/// v1, where a `}` does not end a node. Trying v2 first would accept it.
/// Files that say they are v2 (`#true`, `#null`, a `kdl-version 2` marker)
/// are Revenant's extension and are read, and reported, as v2.
fn parse(text: &str) -> Result<KdlDocument, KdlError> {
    if speaks_v2(text) {
        return KdlDocument::parse_v2(text);
    }
    KdlDocument::parse_v1(text)
}

/// Whether `text` uses a token only KDL v2 has, outside strings and
/// comments: a `#` keyword (`#true`, `#false`, `#null`, `#inf`, `#-inf`,
/// `#nan`), a v2 raw string (`#"…"#`, v1 writes `r#"…"#`), or the
/// `/- kdl-version 2` marker.
fn speaks_v2(text: &str) -> bool {
    if text.lines().any(|l| l.trim().starts_with("/- kdl-version 2")) {
        return true;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(end) = skip_string_or_comment(bytes, i) {
            i = end;
            continue;
        }
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                // A block comment says nothing about the version.
                i = bytes[i + 2..].windows(2).position(|w| w == b"*/").map_or(bytes.len(), |p| i + 2 + p + 2);
                continue;
            }
            b'r' if bytes.get(i + 1) == Some(&b'#') => {
                // A v1 raw string: skip to its closing quote and hashes.
                let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
                let close: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
                // Past the opening quote, to the closing quote and hashes.
                let body = i + 2 + hashes;
                if bytes.get(body - 1) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                i = bytes
                    .get(body..)
                    .and_then(|rest| rest.windows(close.len()).position(|w| w == close.as_slice()))
                    .map_or(bytes.len(), |p| body + p + close.len());
                continue;
            }
            b'#' => {
                let rest = &bytes[i + 1..];
                let keyword =
                    ["true", "false", "null", "inf", "-inf", "nan"].iter().any(|k| rest.starts_with(k.as_bytes()));
                if keyword || rest.first().is_some_and(|&b| b == b'"' || b == b'#') {
                    return true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// When a quoted string or a line comment starts at `i`: the offset just
/// past it (the closing quote, the end of the line).
fn skip_string_or_comment(bytes: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    match bytes[i] {
        b'"' => {
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            Some(j + 1)
        }
        b'/' if bytes.get(j) == Some(&b'/') => {
            while j < bytes.len() && bytes[j] != b'\n' {
                j += 1;
            }
            Some(j)
        }
        _ => None,
    }
}

/// Deepest `{ ... }` (or `/* ... */`) nesting allowed. The kdl crate parses
/// recursively and overflows a 2 MiB thread stack somewhere past 50 levels;
/// no real layout comes near this.
pub const MAX_DEPTH: usize = 32;

/// The offset of the first opener nested deeper than [`MAX_DEPTH`], if any.
/// Strings and line comments are skipped so braces inside them do not count;
/// anything else unusual only errs towards counting too much, which merely
/// matters for files already near the limit.
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(end) = skip_string_or_comment(bytes, i) {
            i = end;
            continue;
        }
        match bytes[i] {
            b'{' | b'/' | b'*' => {
                let opens = bytes[i] == b'{' || (bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*'));
                let closes = bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/');
                if opens {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some(i);
                    }
                } else if closes {
                    depth = depth.saturating_sub(1);
                }
                if bytes[i] != b'{' && (opens || closes) {
                    i += 1;
                }
            }
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_offset(text: &str) -> usize {
        parse(text).unwrap_err().diagnostics[0].span.offset()
    }

    #[test]
    fn reports_the_error_of_the_version_the_file_is_written_in() {
        // v1 (`=true`) with a bad float on line 2.
        let text = "keybinds clear-defaults=true\nscroll_buffer_size 1.\n";
        assert_eq!(error_offset(text), text.find("1.").unwrap());
        // v2 (`#true`) with the same mistake.
        let text = "keybinds clear-defaults=#true\nscroll_buffer_size 1.\n";
        assert_eq!(error_offset(text), text.find("1.").unwrap());
    }

    #[test]
    fn a_closing_brace_does_not_end_a_v1_node() {
        // Valid v2, invalid v1: Zellij (v1 only) refuses it, so do we.
        let text = "layout {\n    floating_panes { pane { x 1; } }\n}\n";
        assert!(KdlDocument::parse_v2(text).is_ok());
        // Located at the node that lacks its terminator.
        assert_eq!(error_offset(text), text.find("pane {").unwrap());
        // Once terminated it is v1, and fine.
        assert!(parse("layout {\n    floating_panes { pane { x 1; }; }\n}\n").is_ok());
        // A file that speaks v2 is read as v2.
        assert!(parse("layout {\n    floating_panes { pane { x 1; } }\n    pane focus=#true\n}\n").is_ok());
    }

    #[test]
    fn a_v2_only_file_is_told_how_to_be_v1() {
        let text = "layout {\n    pane { x 1; } }\n";
        let err = parse_document::<crate::error::tests::TestKind>(Path::new("l.kdl"), text).unwrap_err();
        assert!(format!("{:?}", err.help_text()).contains("kdl-version 2"), "{err}");
    }

    #[test]
    fn v2_is_recognised_by_its_own_tokens_only() {
        assert!(speaks_v2("a #true"));
        assert!(speaks_v2("a #null"));
        assert!(speaks_v2("a #\"raw\"#"));
        assert!(speaks_v2("/- kdl-version 2\na 1"));
        assert!(!speaks_v2("a \"#true\""));
        assert!(!speaks_v2("a 1 // #true"));
        assert!(!speaks_v2("a 1 /* #true */ b=true"));
        assert!(!speaks_v2("a r#\"x #true\"#"));
        assert!(!speaks_v2("a r#\"#!/bin/sh\"# b=true"), "a raw string that starts with its closing hash");
        assert!(!speaks_v2("a r\"#null\" b=true"));
    }

    #[test]
    fn accepts_both_versions() {
        assert_eq!(parse("a true").unwrap().nodes()[0].entries()[0].value().as_bool(), Some(true));
        assert_eq!(parse("a #true").unwrap().nodes()[0].entries()[0].value().as_bool(), Some(true));
    }

    #[test]
    fn depth_limit_skips_strings_and_comments() {
        let deep = |n: usize| format!("layout {{\n{}{}}}\n", "pane {\n".repeat(n), "}\n".repeat(n));
        assert_eq!(too_deep(&deep(MAX_DEPTH - 1)), None);
        assert!(parse(&deep(MAX_DEPTH - 1)).is_ok());
        assert!(too_deep(&deep(MAX_DEPTH)).is_some());
        assert_eq!(too_deep(&format!("a \"{}\"\n// {}\n", "{".repeat(99), "{".repeat(99))), None);
        assert!(too_deep(&"/*".repeat(MAX_DEPTH + 1)).is_some());
    }
}
