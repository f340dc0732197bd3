//! The key bindings of each screen, kept apart from what the actions do so
//! every map reads in one place. Zellij's keys where Zellij has one.
//!
//! Printable characters go to the filter (or the name being typed), so no
//! command may use a bare letter: every command is a named key or a Ctrl
//! chord (Ctrl-p/Ctrl-n as in Emacs, readline and fzf).

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
    Expand,
    Collapse,
    /// Switch to, resurrect, create (a new name), or pick.
    Activate,
    /// Kill a live session or delete an exited one (after asking).
    Delete,
    /// Kill every other live session, or delete every exited one.
    DeleteAll,
    Rename,
    Save,
    DisconnectOthers,
    /// Clear the filter, else leave the screen.
    Back,
    Type(char),
    Erase,
    Yes,
    No,
}

/// The action `event` stands for on the list (and the layout picker, which
/// uses the same moves).
pub fn on_list(event: &KeyEvent) -> Option<Action> {
    let ctrl = event.modifiers.contains(Modifiers::CTRL);
    let alt = event.modifiers.contains(Modifiers::ALT);
    Some(match event.key {
        Key::Char(c) if ctrl && !alt => match c.to_ascii_lowercase() {
            'p' => Action::Up,
            'n' => Action::Down,
            'r' => Action::Rename,
            'a' => Action::Save,
            'x' => Action::DisconnectOthers,
            'd' => Action::DeleteAll,
            _ => return None,
        },
        Key::Char(c) if !ctrl && !alt && !c.is_control() => Action::Type(c),
        Key::Up => Action::Up,
        Key::Down => Action::Down,
        Key::PageUp => Action::PageUp,
        Key::PageDown => Action::PageDown,
        Key::Home => Action::First,
        Key::End => Action::Last,
        Key::Right => Action::Expand,
        Key::Left => Action::Collapse,
        Key::Tab => Action::ToggleExited,
        Key::Enter => Action::Activate,
        Key::Delete => Action::Delete,
        Key::Esc => Action::Back,
        Key::Backspace => Action::Erase,
        _ => return None,
    })
}

/// Where a line of text is typed (the new name, the picker's filter).
pub fn on_prompt(event: &KeyEvent) -> Option<Action> {
    let ctrl = event.modifiers.contains(Modifiers::CTRL);
    let alt = event.modifiers.contains(Modifiers::ALT);
    Some(match event.key {
        Key::Char(c) if !ctrl && !alt && !c.is_control() => Action::Type(c),
        Key::Char('p') if ctrl => Action::Up,
        Key::Char('n') if ctrl => Action::Down,
        Key::Up => Action::Up,
        Key::Down => Action::Down,
        Key::Enter => Action::Activate,
        Key::Esc => Action::Back,
        Key::Backspace => Action::Erase,
        _ => return None,
    })
}

/// A y/n question.
pub fn on_confirm(event: &KeyEvent) -> Option<Action> {
    if event.modifiers.intersects(Modifiers::CTRL | Modifiers::ALT) {
        return None;
    }
    Some(match event.key {
        Key::Char('y' | 'Y') => Action::Yes,
        Key::Char('n' | 'N') | Key::Esc => Action::No,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(key: Key, modifiers: Modifiers) -> Option<Action> {
        on_list(&KeyEvent { key, modifiers })
    }

    #[test]
    fn chords_are_commands_and_letters_type() {
        assert_eq!(press(Key::Char('p'), Modifiers::CTRL), Some(Action::Up));
        assert_eq!(press(Key::Char('N'), Modifiers::CTRL | Modifiers::SHIFT), Some(Action::Down));
        assert_eq!(press(Key::Char('r'), Modifiers::CTRL), Some(Action::Rename));
        assert_eq!(press(Key::Char('a'), Modifiers::CTRL), Some(Action::Save));
        assert_eq!(press(Key::Char('x'), Modifiers::CTRL), Some(Action::DisconnectOthers));
        assert_eq!(press(Key::Char('d'), Modifiers::CTRL), Some(Action::DeleteAll));
        assert_eq!(press(Key::Char('q'), Modifiers::CTRL), None);
        assert_eq!(press(Key::Char('a'), Modifiers::empty()), Some(Action::Type('a')));
        assert_eq!(press(Key::Char('a'), Modifiers::ALT), None);
        assert_eq!(press(Key::Char('\u{7}'), Modifiers::empty()), None);
    }

    #[test]
    fn confirmations_take_only_y_and_n() {
        let c = |key| on_confirm(&KeyEvent { key, modifiers: Modifiers::empty() });
        assert_eq!(c(Key::Char('y')), Some(Action::Yes));
        assert_eq!(c(Key::Char('N')), Some(Action::No));
        assert_eq!(c(Key::Esc), Some(Action::No));
        assert_eq!(c(Key::Enter), None);
        assert_eq!(c(Key::Char('x')), None);
    }
}
