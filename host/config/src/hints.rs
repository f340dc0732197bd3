//! Status-bar hints derived from a mode's bindings.
//!
//! Keys whose bindings do the same thing share one hint (`←↓↑→hjkl focus`),
//! so the bar stays short however many keys a user binds.

use crate::actions::Action;
use crate::keys::{KeyName, KeySpec};
use crate::mode::Mode;

pub(crate) fn for_mode(bindings: &[(KeySpec, Vec<Action>)], mode: Mode) -> Vec<(String, String)> {
    let mut groups: Vec<(&'static str, Vec<KeySpec>)> = Vec::new();
    for (key, actions) in bindings {
        let Some(label) = label(actions, mode) else { continue };
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, keys)) => keys.push(*key),
            None => groups.push((label, vec![*key])),
        }
    }
    groups.into_iter().map(|(label, keys)| (keys_label(&keys), label.to_owned())).collect()
}

/// What a binding is for. Most bindings end by returning to normal mode;
/// that is bookkeeping, not what the key does, unless it is all the key
/// does (scrolling back to the bottom on the way out counts as leaving).
fn label(actions: &[Action], mode: Mode) -> Option<&'static str> {
    match actions {
        [] => None,
        [rest @ .., last @ Action::SwitchToMode(_)] if rest.is_empty() || rest == [Action::ScrollToBottom] => {
            Some(last.hint_label(mode))
        }
        [first, ..] => Some(first.hint_label(mode)),
    }
}

/// Keys with the same modifiers are written together. Single-glyph keys
/// (arrows, characters) run together without separators, as in Zellij's bar,
/// when unmodified or when they are a set of directions (`Alt ←↓↑→hjkl`);
/// `Ctrl sc` would read as one key, so other modified keys stay apart.
fn keys_label(keys: &[KeySpec]) -> String {
    let mut by_modifiers: Vec<(String, Vec<KeySpec>)> = Vec::new();
    for key in keys {
        let prefix = key.modifier_prefix();
        match by_modifiers.iter_mut().find(|(p, _)| *p == prefix) {
            Some((_, list)) => list.push(*key),
            None => by_modifiers.push((prefix, vec![*key])),
        }
    }
    let parts: Vec<String> = by_modifiers
        .into_iter()
        .flat_map(|(prefix, mut list)| {
            let directions = list.iter().any(|k| arrow_rank(k) < 4);
            let run = list.iter().all(is_glyph) && (!list[0].has_modifiers() || directions);
            if run && list.len() > 1 {
                list.sort_by_key(arrow_rank);
                let glyphs: Vec<String> = list.iter().map(|k| KeySpec::plain(k.key).hint_label()).collect();
                vec![format!("{prefix}{}", compress_digits(&glyphs))]
            } else {
                list.iter().map(KeySpec::hint_label).collect()
            }
        })
        .collect();
    parts.join("/")
}

fn is_glyph(key: &KeySpec) -> bool {
    matches!(key.key, KeyName::Left | KeyName::Down | KeyName::Up | KeyName::Right)
        || matches!(key.key, KeyName::Char(c) if c != ' ')
}

/// Arrows first, in vi's hjkl order, then h, j, k, l themselves; other
/// characters keep their written order (the sort is stable).
fn arrow_rank(key: &KeySpec) -> u8 {
    match key.key {
        KeyName::Left => 0,
        KeyName::Down => 1,
        KeyName::Up => 2,
        KeyName::Right => 3,
        KeyName::Char('h') => 4,
        KeyName::Char('j') => 5,
        KeyName::Char('k') => 6,
        KeyName::Char('l') => 7,
        _ => 8,
    }
}

/// `123456789` reads better as `1-9`.
fn compress_digits(glyphs: &[String]) -> String {
    let digit = |s: &str| s.parse::<u8>().ok().filter(|_| s.len() == 1);
    let mut out = String::new();
    let mut i = 0;
    while i < glyphs.len() {
        let mut j = i;
        if let Some(start) = digit(&glyphs[i]) {
            while j + 1 < glyphs.len() && digit(&glyphs[j + 1]) == Some(start + (j + 1 - i) as u8) {
                j += 1;
            }
        }
        if j - i >= 2 {
            out.push_str(&format!("{}-{}", glyphs[i], glyphs[j]));
        } else {
            for g in &glyphs[i..=j] {
                out.push_str(g);
            }
        }
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(specs: &[&str]) -> Vec<KeySpec> {
        specs.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn groups_keys_by_modifier_and_runs_glyphs_together() {
        assert_eq!(keys_label(&keys(&["Alt h", "Alt Right", "Alt Left", "Alt j"])), "Alt ←→hj");
        assert_eq!(keys_label(&keys(&["Up", "k", "Down", "j"])), "↓↑jk");
        assert_eq!(keys_label(&keys(&["Ctrl s", "Ctrl c", "Alt +", "Alt ="])), "Ctrl s/Ctrl c/Alt +/Alt =");
        assert_eq!(keys_label(&keys(&["Esc", "Enter", "Ctrl p"])), "Esc/Enter/Ctrl p");
        assert_eq!(keys_label(&keys(&["1", "2", "3", "4", "5", "6", "7", "8", "9"])), "1-9");
        assert_eq!(keys_label(&keys(&["1", "2", "x"])), "12x");
        assert_eq!(keys_label(&keys(&["Right", "l", "Tab"])), "→/l/Tab");
        assert_eq!(keys_label(&keys(&["n"])), "n");
    }

    #[test]
    fn labels_ignore_the_return_to_normal() {
        let back = Action::SwitchToMode(Mode::Normal);
        assert_eq!(label(&[Action::NewPane(None), back.clone()], Mode::Pane), Some("new"));
        assert_eq!(label(std::slice::from_ref(&back), Mode::Pane), Some("back"));
        assert_eq!(label(std::slice::from_ref(&back), Mode::Locked), Some("unlock"));
        assert_eq!(label(&[Action::ScrollToBottom, back], Mode::Scroll), Some("back"));
        assert_eq!(label(&[], Mode::Normal), None);
    }
}
