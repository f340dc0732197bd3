//! Reading the text as KDL v2 or v1.

use kdl::{KdlDocument, KdlError};

/// Parses `text` as KDL v2, falling back to v1 (what Zellij writes).
///
/// When both fail, the kdl crate guesses the intended version from surface
/// features such as ` true`, and misses `clear-defaults=true`, reporting a v1
/// file's typo as a v2 complaint about `true`. The parser that got further
/// into the text is the better witness, so its error is the one returned.
pub(crate) fn parse(text: &str) -> Result<KdlDocument, KdlError> {
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
}
