//! The plugin's configuration block.
//!
//! A typo in a layout must not stop the session manager from opening, so bad
//! keys and values are reported and otherwise ignored.

use crate::state::State;

/// Applies `configuration` to `state`; returns a warning per entry that was
/// ignored, for the caller to log.
pub fn apply(state: &mut State, configuration: Vec<(String, String)>) -> Vec<String> {
    let mut warnings = Vec::new();
    for (key, value) in configuration {
        match key.as_str() {
            "show_exited" | "welcome" => {
                let on = match value.trim() {
                    "true" => true,
                    "false" => false,
                    other => {
                        warnings.push(format!("{key} must be \"true\" or \"false\", not {other:?}; ignored"));
                        continue;
                    }
                };
                if key == "welcome" {
                    state.welcome = on;
                    // Everything there is to go back to is on offer.
                    state.show_exited |= on;
                } else {
                    state.show_exited = on;
                }
            }
            _ => warnings.push(format!("unknown configuration key {key:?} ignored")),
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn show_exited_sets_the_initial_toggle() {
        let mut state = State::default();
        assert!(!state.show_exited);
        assert!(apply(&mut state, config(&[("show_exited", "true")])).is_empty());
        assert!(state.show_exited);
        assert!(apply(&mut state, config(&[("show_exited", "false")])).is_empty());
        assert!(!state.show_exited);
        assert!(apply(&mut state, config(&[("welcome", "true")])).is_empty());
        assert!(state.welcome && state.show_exited);
    }

    #[test]
    fn bad_values_and_unknown_keys_are_warned_about_and_ignored() {
        let mut state = State::default();
        let warnings = apply(&mut state, config(&[("show_exited", "yes"), ("colour", "red")]));
        assert_eq!(warnings.len(), 2);
        assert!(warnings[0].contains("show_exited"));
        assert!(warnings[1].contains("colour"));
        assert!(!state.show_exited);
    }
}
