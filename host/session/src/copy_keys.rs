//! Copy mode's two key sets, tmux's `mode-keys vi` and `emacs`: which key
//! does which `CopyAction`. Keys bound in config.kdl's `copy { }` block
//! are looked up before these (by the runtime).

use revenant_config::CopyModeKeys;

use crate::copy_mode::CopyAction as A;
use crate::input::{Key, KeyCode};

pub fn action(keys: CopyModeKeys, k: Key) -> Option<A> {
    shared(k).or_else(|| match keys {
        CopyModeKeys::Vi => vi(k),
        CopyModeKeys::Emacs => emacs(k),
    })
}

/// The keys both sets give the same meaning.
fn shared(k: Key) -> Option<A> {
    if k.mods.ctrl || k.mods.alt {
        return None;
    }
    Some(match k.code {
        KeyCode::Left => A::Left,
        KeyCode::Right => A::Right,
        KeyCode::Up => A::Up,
        KeyCode::Down => A::Down,
        KeyCode::Home => A::LineStart,
        KeyCode::End => A::LineEnd,
        KeyCode::PageUp => A::PageUp,
        KeyCode::PageDown => A::PageDown,
        KeyCode::Enter => A::Copy,
        KeyCode::Esc => A::Cancel,
        KeyCode::Char('q') => A::Cancel,
        KeyCode::Char('n') => A::FindNext,
        KeyCode::Char('N') => A::FindPrevious,
        _ => return None,
    })
}

/// The status bar's `(keys, label)` hints for a key set.
pub fn hints(keys: CopyModeKeys) -> Vec<(String, String)> {
    let pairs: &[(&str, &str)] = match keys {
        CopyModeKeys::Vi => &[
            ("hjkl", "move"),
            ("v V C-v", "select"),
            ("y", "copy"),
            ("/ ?", "find"),
            ("[ ]", "prompt"),
            ("o", "output"),
            ("Esc", "leave"),
        ],
        CopyModeKeys::Emacs => &[
            ("C-f C-b C-n C-p", "move"),
            ("C-Space R", "select"),
            ("M-w", "copy"),
            ("C-s C-r", "find"),
            ("M-{ M-}", "prompt"),
            ("C-g", "leave"),
        ],
    };
    pairs.iter().map(|(k, l)| (k.to_string(), l.to_string())).collect()
}

fn vi(k: Key) -> Option<A> {
    let KeyCode::Char(c) = k.code else { return None };
    if k.mods.alt {
        return None;
    }
    if k.mods.ctrl {
        return Some(match c {
            'u' => A::HalfPageUp,
            'd' => A::HalfPageDown,
            'b' => A::PageUp,
            'f' => A::PageDown,
            'v' => A::SelectBlock,
            'c' => A::Cancel,
            _ => return None,
        });
    }
    Some(match c {
        'h' => A::Left,
        'j' => A::Down,
        'k' => A::Up,
        'l' => A::Right,
        'w' => A::WordNext,
        'b' => A::WordBack,
        'e' => A::WordEnd,
        '0' | '^' => A::LineStart,
        '$' => A::LineEnd,
        'g' => A::Top,
        'G' => A::Bottom,
        'H' => A::ViewTop,
        'M' => A::ViewMiddle,
        'L' => A::ViewBottom,
        'v' | ' ' => A::SelectChars,
        'V' => A::SelectLines,
        'y' => A::Copy,
        '/' => A::FindForward,
        '?' => A::FindBackward,
        '[' => A::PromptUp,
        ']' => A::PromptDown,
        'o' => A::SelectOutput,
        _ => return None,
    })
}

fn emacs(k: Key) -> Option<A> {
    let KeyCode::Char(c) = k.code else { return None };
    Some(match (k.mods.ctrl, k.mods.alt, c) {
        (true, false, 'f') => A::Right,
        (true, false, 'b') => A::Left,
        (true, false, 'n') => A::Down,
        (true, false, 'p') => A::Up,
        (true, false, 'a') => A::LineStart,
        (true, false, 'e') => A::LineEnd,
        (true, false, 'v') => A::PageDown,
        (true, false, 's') => A::FindForward,
        (true, false, 'r') => A::FindBackward,
        (true, false, ' ' | '@') => A::SelectChars,
        (true, false, 'g' | 'c') => A::Cancel,
        (false, true, 'f') => A::WordEnd,
        (false, true, 'b') => A::WordBack,
        (false, true, 'v') => A::PageUp,
        (false, true, '<') => A::Top,
        (false, true, '>') => A::Bottom,
        (false, true, 'w') => A::Copy,
        (false, true, 'r') => A::ViewMiddle,
        (false, true, '{') => A::PromptUp,
        (false, true, '}') => A::PromptDown,
        (false, true, 'o') => A::SelectOutput,
        (false, false, 'R') => A::SelectBlock,
        (false, false, 'L') => A::SelectLines,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Mods;

    fn key(c: char, ctrl: bool, alt: bool) -> Key {
        Key { code: KeyCode::Char(c), mods: Mods { ctrl, alt, shift: false } }
    }

    #[test]
    fn each_set_reads_its_own_keys() {
        assert_eq!(action(CopyModeKeys::Vi, key('j', false, false)), Some(A::Down));
        assert_eq!(action(CopyModeKeys::Emacs, key('j', false, false)), None);
        assert_eq!(action(CopyModeKeys::Emacs, key('n', true, false)), Some(A::Down));
        assert_eq!(action(CopyModeKeys::Vi, key('v', true, false)), Some(A::SelectBlock));
        assert_eq!(action(CopyModeKeys::Emacs, key('w', false, true)), Some(A::Copy));
        let esc = Key { code: KeyCode::Esc, mods: Mods::default() };
        assert_eq!(action(CopyModeKeys::Emacs, esc), Some(A::Cancel));
        assert_eq!(action(CopyModeKeys::Vi, esc), Some(A::Cancel));
    }
}
