//! Recognising a pane that runs an editor on one file, so it is saved as
//! Zellij saves one (`edit="FILE"`) instead of as a command.

/// Editors whose command lines are understood here.
const EDITORS: &[&str] = &["vi", "vim", "nvim", "emacs", "nano", "hx", "kak"];

/// The file an editor command opens, and the line it was opened at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edited {
    pub file: String,
    /// From `+LINE` or `FILE:LINE`. A layout cannot say it: Zellij's
    /// `edit` panes take no line and Zellij refuses a property it does not
    /// know, so it is known here and not written.
    pub line: Option<u32>,
}

/// `vim +12 src/main.rs`, `hx src/main.rs:12`, `nano file`: an editor (by
/// its program's base name) with exactly one file and nothing else but a
/// `+LINE`. Anything more (options, several files) stays a command, which
/// keeps every argument.
pub(crate) fn edited_file(argv: &[String]) -> Option<Edited> {
    let (program, args) = argv.split_first()?;
    let name = program.rsplit('/').next().unwrap_or(program);
    if !EDITORS.contains(&name) {
        return None;
    }
    let mut line = None;
    let mut file = None;
    for arg in args {
        if let Some(n) = arg.strip_prefix('+') {
            line = Some(n.parse().ok()?);
        } else if arg.starts_with('-') || file.is_some() || arg.is_empty() {
            return None;
        } else {
            file = Some(arg.as_str());
        }
    }
    let file = file?;
    // `FILE:LINE` is how hx takes a line; to the others a colon is part of
    // the name. Only a plain number after the last colon counts.
    let (file, line) = match file.rsplit_once(':') {
        Some((path, n))
            if name == "hx" && !path.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) =>
        {
            (path, line.or(n.parse().ok()))
        }
        _ => (file, line),
    };
    Some(Edited { file: file.to_owned(), line })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ed(args: &[&str]) -> Option<Edited> {
        edited_file(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn editors_on_one_file_are_recognised_with_their_line() {
        assert_eq!(ed(&["vim", "+12", "src/main.rs"]), Some(Edited { file: "src/main.rs".into(), line: Some(12) }));
        assert_eq!(ed(&["/usr/bin/nvim", "notes.md"]), Some(Edited { file: "notes.md".into(), line: None }));
        assert_eq!(ed(&["hx", "src/lib.rs:40"]), Some(Edited { file: "src/lib.rs".into(), line: Some(40) }));
        assert_eq!(ed(&["kak", "+3", "a"]), Some(Edited { file: "a".into(), line: Some(3) }));
        for editor in ["vi", "emacs", "nano"] {
            assert_eq!(ed(&[editor, "f"]).map(|e| e.file), Some("f".into()), "{editor}");
        }
    }

    #[test]
    fn anything_else_stays_a_command() {
        assert_eq!(ed(&["vim"]), None, "no file");
        assert_eq!(ed(&["vim", "a", "b"]), None, "two files");
        assert_eq!(ed(&["vim", "-S", "Session.vim"]), None, "an option");
        assert_eq!(ed(&["less", "file"]), None, "not an editor");
        assert_eq!(ed(&["vim", "+x", "f"]), None, "not a line");
        assert_eq!(ed(&["vimdiff", "a"]), None);
        assert_eq!(ed(&["vim", "a:b"]).map(|e| e.file), Some("a:b".into()), "a colon in the name");
        assert_eq!(ed(&["vim", "notes:12"]).map(|e| e.file), Some("notes:12".into()), "vim reads no FILE:LINE");
    }
}
