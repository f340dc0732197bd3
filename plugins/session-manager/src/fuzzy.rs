//! Fuzzy matching as in fzf: the filter's characters appear in the name in
//! order, not necessarily next to each other, ignoring case. The positions
//! matched are returned so the row can highlight them.

/// The character positions of `name` that match `filter`, or `None`. An
/// empty filter matches everything with nothing highlighted. Among the
/// possible matches the one ending earliest after the densest run is
/// preferred: "rv" in "revenant" highlights "r" and "v", not "r" and the
/// last "n" ... of a later word.
pub fn matches(filter: &str, name: &str) -> Option<Vec<usize>> {
    if filter.is_empty() {
        return Some(Vec::new());
    }
    let name: Vec<char> = name.chars().collect();
    let wanted: Vec<char> = filter.chars().flat_map(char::to_lowercase).collect();
    let lower: Vec<char> = name.iter().map(|c| c.to_lowercase().next().unwrap_or(*c)).collect();
    // Try each start of the first character; keep the tightest match.
    let mut best: Option<Vec<usize>> = None;
    for start in (0..lower.len()).filter(|&i| lower[i] == wanted[0]) {
        let mut found = vec![start];
        let mut at = start + 1;
        for &w in &wanted[1..] {
            match (at..lower.len()).find(|&i| lower[i] == w) {
                Some(i) => {
                    found.push(i);
                    at = i + 1;
                }
                None => {
                    found.clear();
                    break;
                }
            }
        }
        if found.is_empty() {
            continue;
        }
        let span = found.last().unwrap_or(&start) - start;
        if best.as_ref().is_none_or(|b| span < b.last().unwrap_or(&0) - b[0]) {
            best = Some(found);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_in_order_anywhere() {
        assert_eq!(matches("wk", "work"), Some(vec![0, 3]));
        assert_eq!(matches("WRK", "work"), Some(vec![0, 2, 3]));
        assert_eq!(matches("kw", "work"), None);
        assert_eq!(matches("", "x"), Some(vec![]));
        assert_eq!(matches("x", ""), None);
    }

    #[test]
    fn the_tightest_match_is_highlighted() {
        // "ab" in "a-xab": the second a is next to b.
        assert_eq!(matches("ab", "a-xab"), Some(vec![3, 4]));
    }

    #[test]
    fn unicode_names_match_by_character() {
        assert_eq!(matches("日語", "日本語"), Some(vec![0, 2]));
        assert_eq!(matches("é", "Été"), Some(vec![0]));
    }
}
