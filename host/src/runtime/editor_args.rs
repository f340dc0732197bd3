//! How an editor is told to open a file at a line.

/// `editor` (its argv) opening `file`, at `line` when given: `+N FILE` as
/// vi, vim, nvim, emacs, nano and kak take it; helix takes `FILE:N`.
pub(super) fn open_at(mut editor: Vec<String>, file: &str, line: Option<usize>) -> Vec<String> {
    let program = editor.first().map(|p| p.rsplit('/').next().unwrap_or(p).to_owned()).unwrap_or_default();
    match line {
        Some(n) if program == "hx" || program == "helix" => editor.push(format!("{file}:{n}")),
        Some(n) => {
            editor.push(format!("+{n}"));
            editor.push(file.to_owned());
        }
        None => editor.push(file.to_owned()),
    }
    editor
}

/// The line of `text` an editor should open at to show its end: the last
/// one with something on it (1-based).
pub(super) fn last_line(text: &str) -> usize {
    text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).last().map_or(1, |(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn the_line_is_spelled_as_each_editor_takes_it() {
        assert_eq!(open_at(argv(&["vi"]), "/t/f", Some(12)), argv(&["vi", "+12", "/t/f"]));
        assert_eq!(open_at(argv(&["/usr/bin/hx"]), "/t/f", Some(3)), argv(&["/usr/bin/hx", "/t/f:3"]));
        assert_eq!(open_at(argv(&["emacs", "-nw"]), "/t/f", None), argv(&["emacs", "-nw", "/t/f"]));
    }

    #[test]
    fn the_end_is_the_last_line_with_text() {
        assert_eq!(last_line("$ seq 1 3\n1\n2\n3\n$\n\n   \n"), 5);
        assert_eq!(last_line(""), 1);
    }
}
