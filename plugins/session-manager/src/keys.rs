//! The key bindings, kept apart from what the actions do so the whole map
//! reads in one place.
//!
//! Printable characters go to the filter, so no binding may use a bare
//! letter: every command is a named key or a Ctrl chord (Ctrl-p/Ctrl-n as in
//! Emacs, readline and fzf).

use revenant_plugin_api::types::{Key, KeyEvent, Modifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    ToggleExited,
    /// Switch to, resurrect, or (for the current session) just close.
    Activate,
    /// Delete an exited session, kill a live one.
    Delete,
    Close,
    Type(char),
    Erase,
}

/// The action bound to a key press, if any.
pub fn action_for(event: &KeyEvent) -> Option<Action> {
    let ctrl = event.modifiers.contains(Modifiers::CTRL);
    let alt = event.modifiers.contains(Modifiers::ALT);
    let action = match event.key {
        Key::Char(c) if ctrl && !alt => match c.to_ascii_lowercase() {
            'p' => Action::Up,
            'n' => Action::Down,
            _ => return None,
        },
        Key::Char(c) if !ctrl && !alt && !c.is_control() => Action::Type(c),
        Key::Up => Action::Up,
        Key::Down => Action::Down,
        Key::PageUp => Action::PageUp,
        Key::PageDown => Action::PageDown,
        Key::Home => Action::First,
        Key::End => Action::Last,
        Key::Tab => Action::ToggleExited,
        Key::Enter => Action::Activate,
        Key::Delete => Action::Delete,
        Key::Esc => Action::Close,
        Key::Backspace => Action::Erase,
        _ => return None,
    };
    Some(action)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(key: Key, modifiers: Modifiers) -> Option<Action> {
        action_for(&KeyEvent { key, modifiers })
    }

    #[test]
    fn ctrl_p_and_ctrl_n_move() {
        assert_eq!(press(Key::Char('p'), Modifiers::CTRL), Some(Action::Up));
        assert_eq!(press(Key::Char('n'), Modifiers::CTRL), Some(Action::Down));
        assert_eq!(press(Key::Char('N'), Modifiers::CTRL | Modifiers::SHIFT), Some(Action::Down));
        assert_eq!(press(Key::Char('x'), Modifiers::CTRL), None);
    }

    #[test]
    fn printable_characters_type_into_the_filter() {
        assert_eq!(press(Key::Char('a'), Modifiers::empty()), Some(Action::Type('a')));
        assert_eq!(press(Key::Char('A'), Modifiers::SHIFT), Some(Action::Type('A')));
        assert_eq!(press(Key::Char('p'), Modifiers::empty()), Some(Action::Type('p')));
        assert_eq!(press(Key::Char('a'), Modifiers::ALT), None);
        assert_eq!(press(Key::Char('\u{7}'), Modifiers::empty()), None);
    }

    #[test]
    fn unbound_keys_are_not_handled() {
        assert_eq!(press(Key::F(1), Modifiers::empty()), None);
        assert_eq!(press(Key::Insert, Modifiers::empty()), None);
        assert_eq!(press(Key::Left, Modifiers::empty()), None);
    }
}
