//! Converts between the current contract (0.6.0) and 0.3.0. Since 0.4.0 a
//! pane's saved screen is handed over as one text, 0.3.0 takes a string
//! per line, so a 0.3.0 serializer gets the text cut at its newlines; what
//! 0.5.0 and 0.6.0 added (a session's host, a command's env) is left behind. Every other type has the
//! same shape under another package version and is converted field by
//! field.

use super::Convert;
use crate::plugin::bindings::{v3::types as old, v6::types as new};

unchanged_since_0_2!(new => old);
rewrite_keeps_env!(old => new);
layout_since_0_3!(new => old);

impl Convert<old::PaneContents> for new::PaneContents {
    fn convert(&self) -> old::PaneContents {
        let mut lines: Vec<String> = if self.scrollback_rows == 0 && self.viewport_rows == 0 {
            Vec::new()
        } else {
            self.text.split('\n').map(str::to_owned).collect()
        };
        let scrollback = (self.scrollback_rows as usize).min(lines.len());
        let viewport = lines.split_off(scrollback);
        old::PaneContents { scrollback: lines, viewport }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(text: &str, scrollback_rows: u32, viewport_rows: u32) -> old::PaneContents {
        new::PaneContents { text: text.into(), scrollback_rows, viewport_rows }.convert()
    }

    #[test]
    fn a_0_3_0_serializer_gets_the_screen_as_lines() {
        let c = contents("old 1\n\x1b[31mold 2\x1b[0m\n$ ls\n\n日本語", 2, 3);
        assert_eq!(c.scrollback, ["old 1", "\x1b[31mold 2\x1b[0m"]);
        assert_eq!(c.viewport, ["$ ls", "", "日本語"]);
        let c = contents("only", 0, 1);
        assert!(c.scrollback.is_empty());
        assert_eq!(c.viewport, ["only"]);
        // An empty text is no line at all, or one blank line when a row
        // count says so.
        let c = contents("", 0, 0);
        assert!(c.scrollback.is_empty() && c.viewport.is_empty());
        assert_eq!(contents("", 0, 1).viewport, [""]);
    }

    #[test]
    fn the_rest_of_a_pane_crosses_unchanged() {
        let pane = new::Pane {
            id: 4,
            name: None,
            cwd: Some("/tmp".into()),
            command: None,
            plugin: None,
            focused: false,
            start_suspended: true,
            contents: Some(new::PaneContents { text: "a\nb".into(), scrollback_rows: 1, viewport_rows: 1 }),
            default_fg: Some("red".into()),
            default_bg: None,
            edit: Some("notes.txt".into()),
            expanded: true,
            env: vec![("VIRTUAL_ENV".into(), "/v".into())],
            save_contents: true,
        };
        let o: old::Pane = pane.convert();
        assert_eq!((o.id, o.cwd.as_deref(), o.start_suspended, o.expanded), (4, Some("/tmp"), true, true));
        assert_eq!((o.default_fg.as_deref(), o.edit.as_deref()), (Some("red"), Some("notes.txt")));
        let c = o.contents.unwrap();
        assert_eq!((c.scrollback, c.viewport), (vec!["a".to_owned()], vec!["b".to_owned()]));
    }
}
