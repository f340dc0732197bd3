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
    parse(text).map_err(|e| FileError::syntax(path, text, e))
}

/// Parses `text` as KDL v2, falling back to v1 (what Zellij writes).
///
/// When both fail, the kdl crate guesses the intended version from surface
/// features such as ` true`, and misses `clear-defaults=true`, reporting a v1
/// file's typo as a v2 complaint about `true`. The parser that got further
/// into the text is the better witness, so its error is the one returned.
fn parse(text: &str) -> Result<KdlDocument, KdlError> {
    let v2 = match KdlDocument::parse_v2(text) {
        Ok(doc) => return Ok(doc),
        Err(e) => e,
    };
    let v1 = match KdlDocument::parse_v1(text) {
        Ok(doc) => return Ok(doc),
        Err(e) => e,
    };
    let reach = |e: &KdlError| e.diagnostics.first().map_or(0, |d| d.span.offset());
    if reach(&v2) > reach(&v1) { Err(v2) } else { Err(v1) }
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
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
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
    fn reports_the_error_of_the_version_that_got_further() {
        // v1 (`=true`) with a bad float on line 2: v2 stops at `true`.
        let text = "keybinds clear-defaults=true\nscroll_buffer_size 1.\n";
        assert_eq!(error_offset(text), text.find("1.").unwrap());
        // v2 (`#true`) with the same mistake: v1 stops at `#true`.
        let text = "keybinds clear-defaults=#true\nscroll_buffer_size 1.\n";
        assert_eq!(error_offset(text), text.find("1.").unwrap());
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
