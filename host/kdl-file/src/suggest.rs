//! "did you mean" for misspelt names.

/// The closest candidate to `input`, if it is close enough to be a plausible
/// typo. Case and `-`/`_` are ignored because people mix them up between
/// Zellij's option names and its plugin names.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let norm = normalize(input);
    let limit = (norm.len() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| {
            let cand = normalize(c);
            // A truncated name (`deadline` for `deadline_ms`) is as good as a typo.
            let truncated = norm.len() >= 4 && cand.starts_with(&norm);
            (if truncated { 1 } else { distance(&norm, &cand) }, c)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The help line for an unknown name: a suggestion when there is a close
/// one, otherwise the whole list so the reader need not look it up.
pub fn help(input: &str, candidates: &[&str], what: &str) -> String {
    match closest(input, candidates.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("{what} are: {}", candidates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")),
    }
}

fn normalize(s: &str) -> Vec<char> {
    s.chars().map(|c| if c == '-' { '_' } else { c.to_ascii_lowercase() }).collect()
}

/// Optimal string alignment distance: Levenshtein plus adjacent
/// transpositions, the commonest typing slip.
fn distance(a: &[char], b: &[char]) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[n][m]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["pane_frames", "mirror_session", "scroll_buffer_size"];
        assert_eq!(closest("pane_frame", names), Some("pane_frames"));
        assert_eq!(closest("pnae_frames", names), Some("pane_frames"));
        assert_eq!(closest("Pane-Frames", names), Some("pane_frames"));
        assert_eq!(closest("scroll_bufer_size", names), Some("scroll_buffer_size"));
        assert_eq!(closest("theme", names), None);
        assert_eq!(closest("scroll_buffer", names), Some("scroll_buffer_size"));
        assert_eq!(closest("pane", names), Some("pane_frames"));
        assert_eq!(closest("pan", names), None);
        assert_eq!(closest("xy", ["ab"]), None);
    }

    #[test]
    fn help_lists_everything_without_a_match() {
        assert_eq!(help("zzz", &["a", "b"], "options"), "options are: `a`, `b`");
        assert_eq!(help("pane_frame", &["pane_frames"], "options"), "did you mean `pane_frames`?");
    }
}
