//! Panes that run a UI plugin (the session manager) instead of a program.
//! The plugin draws ANSI lines; they are fed through the pane's own
//! terminal state, so a plugin pane renders, scrolls and dumps like any
//! other. The plugin's requests are queued during the call and carried out
//! by the server afterwards, never from inside the sandbox.

use std::sync::{Arc, Mutex};

use crate::ipc::{Key, KeyCode};
use crate::plugin::types::{self, SessionInfo};
use crate::plugin::{PluginError, SessionControl, SessionManagerPlugin};

/// What the plugin asked the host to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Switch(String),
    Resurrect(String),
    Kill(String),
    Delete(String),
    Create(Option<String>, Option<String>),
    Close,
}

#[derive(Clone, Default)]
pub struct Shared {
    pub requests: Arc<Mutex<Vec<Request>>>,
    /// The session list the plugin sees; the server refreshes it before
    /// calling in, so the plugin never waits on I/O inside its deadline.
    pub sessions: Arc<Mutex<Vec<SessionInfo>>>,
}

impl Shared {
    fn push(&self, r: Request) {
        self.requests.lock().unwrap_or_else(|e| e.into_inner()).push(r);
    }

    pub fn take_requests(&self) -> Vec<Request> {
        std::mem::take(&mut *self.requests.lock().unwrap_or_else(|e| e.into_inner()))
    }

    pub fn set_sessions(&self, list: Vec<SessionInfo>) {
        *self.sessions.lock().unwrap_or_else(|e| e.into_inner()) = list;
    }
}

impl SessionControl for Shared {
    fn list_sessions(&mut self) -> Vec<SessionInfo> {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
    fn switch_session(&mut self, name: &str) -> Result<(), String> {
        self.push(Request::Switch(name.into()));
        Ok(())
    }
    fn resurrect_session(&mut self, name: &str) -> Result<(), String> {
        self.push(Request::Resurrect(name.into()));
        Ok(())
    }
    fn kill_session(&mut self, name: &str) -> Result<(), String> {
        self.push(Request::Kill(name.into()));
        Ok(())
    }
    fn delete_session(&mut self, name: &str) -> Result<(), String> {
        self.push(Request::Delete(name.into()));
        Ok(())
    }
    fn create_session(&mut self, name: Option<&str>, layout: Option<&str>) -> Result<(), String> {
        self.push(Request::Create(name.map(Into::into), layout.map(Into::into)));
        Ok(())
    }
    fn set_timeout(&mut self, _millis: u32) {
        // Timers are not delivered yet; the default UI does not need them.
    }
    fn close(&mut self) {
        self.push(Request::Close);
    }
}

pub struct PluginPane {
    pub location: String,
    pub ui: SessionManagerPlugin,
    pub shared: Shared,
}

impl PluginPane {
    /// Renders into text the pane's terminal can replay: home, clear, then
    /// the lines.
    pub fn draw(&mut self, rows: u16, cols: u16) -> Result<Vec<u8>, PluginError> {
        let lines = self.ui.render(rows as u32, cols as u32)?;
        let mut out = b"\x1b[0m\x1b[H\x1b[2J\x1b[?25l".to_vec();
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(b"\r\n");
            }
            // A plugin line may not move the cursor or switch screens: keep
            // only printable text and SGR sequences.
            out.extend_from_slice(sanitize(line).as_bytes());
            out.extend_from_slice(b"\x1b[0m");
        }
        Ok(out)
    }
}

/// Keeps printable characters and SGR (`ESC [ … m`) sequences; drops every
/// other control or escape sequence.
fn sanitize(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            if chars.peek() == Some(&'[') {
                chars.next();
                let mut seq = String::new();
                for d in chars.by_ref() {
                    seq.push(d);
                    if ('@'..='~').contains(&d) {
                        break;
                    }
                }
                if seq.ends_with('m')
                    && seq[..seq.len() - 1].chars().all(|d| d.is_ascii_digit() || d == ';' || d == ':')
                {
                    out.push_str("\x1b[");
                    out.push_str(&seq);
                }
            }
            continue;
        }
        if !c.is_control() {
            out.push(c);
        }
    }
    out
}

/// A key as the WIT contract describes it.
pub fn key_event(k: Key) -> types::KeyEvent {
    let key = match k.code {
        KeyCode::Char(c) => types::Key::Char(c),
        KeyCode::Enter => types::Key::Enter,
        KeyCode::Esc => types::Key::Esc,
        KeyCode::Backspace => types::Key::Backspace,
        KeyCode::Tab if k.mods.shift => types::Key::BackTab,
        KeyCode::Tab => types::Key::Tab,
        KeyCode::BackTab => types::Key::BackTab,
        KeyCode::Delete => types::Key::Delete,
        KeyCode::Insert => types::Key::Insert,
        KeyCode::Up => types::Key::Up,
        KeyCode::Down => types::Key::Down,
        KeyCode::Left => types::Key::Left,
        KeyCode::Right => types::Key::Right,
        KeyCode::Home => types::Key::Home,
        KeyCode::End => types::Key::End,
        KeyCode::PageUp => types::Key::PageUp,
        KeyCode::PageDown => types::Key::PageDown,
        KeyCode::F(n) => types::Key::F(n),
    };
    let mut modifiers = types::Modifiers::empty();
    if k.mods.shift && !matches!(k.code, KeyCode::Char(_)) {
        modifiers |= types::Modifiers::SHIFT;
    }
    if k.mods.ctrl {
        modifiers |= types::Modifiers::CTRL;
    }
    if k.mods.alt {
        modifiers |= types::Modifiers::ALT;
    }
    types::KeyEvent { key, modifiers }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_and_colours_get_through() {
        assert_eq!(sanitize("\x1b[1;31mred\x1b[0m"), "\x1b[1;31mred\x1b[0m");
        assert_eq!(sanitize("a\x1b[2Jb\x1b[10;1Hc\x07d\r\n"), "abcd");
        assert_eq!(sanitize("\x1b]0;title\x07x"), "]0;titlex");
    }
}
